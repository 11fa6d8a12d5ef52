"""First-start work: data directory, migrations, demo record."""

from __future__ import annotations

from bakuhub.config import Settings
from bakuhub.db import make_engine, make_sessionmaker, session_scope
from bakuhub.migrate import upgrade


def prepare(settings: Settings) -> list[str]:
    """Create the data directory, migrate, and seed the demo record into an empty database."""
    from bakuhub.registry.seed import correct_sources, demo_record, is_empty, seed_demo

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.effective_database_url)
    lines = []
    try:
        upgrade(engine)
        lines.append(f"database ready: {engine.url.render_as_string(hide_password=True)}")
        with session_scope(make_sessionmaker(engine)) as session:
            if settings.seed_demo and is_empty(session):
                report = seed_demo(session=session, author="demo-seed")
                lines.append(f"demo record loaded: {report.created} records")
            elif settings.seed_demo:  # an older demo record: its plain-text sources become links
                fixed = correct_sources(session=session, data=demo_record(), author="demo-seed")
                if fixed:
                    lines.append(f"demo record: {fixed} records given source addresses")
    finally:
        engine.dispose()
    return lines
