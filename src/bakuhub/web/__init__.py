"""The web platform: JSON API and pages."""
