"""The Hub's record: parties, agreements, working groups, projects (tables, schemas, services, CSV, seed)."""
