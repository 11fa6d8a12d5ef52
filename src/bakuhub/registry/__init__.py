"""The Hub's record: parties, agreements, working groups, projects."""
