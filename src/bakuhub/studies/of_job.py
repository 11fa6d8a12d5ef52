"""The study a corridor-study job made, for the job's page to link to it.

A job submitted from a page or the API has its study noted under its id
(:func:`bakuhub.studies.store.note_submission`); a job answered from the result store,
or one that joined identical work, shares the study that holds its result folder.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bakuhub.accounts.permissions import Principal
from bakuhub.studies.models import Study
from bakuhub.studies.service import visible


def _relative(data_dir: Path, location: str) -> str | None:
    """``location`` relative to the data directory (None when it lies outside)."""
    try:
        return Path(location).resolve().relative_to(data_dir.resolve()).as_posix()
    except (ValueError, OSError):
        return None


def study_of_job(
    *,
    session: Session,
    principal: Principal | None,
    job_id: int,
    location: str | None,
    data_dir: Path,
) -> Study | None:
    """The study of job ``job_id`` that ``principal`` may read (by the job's id, else by
    its result folder ``location``), or None."""
    query = select(Study).where(visible(principal))
    found = session.scalars(query.where(Study.job_id == job_id).limit(1)).first()
    if found is not None or location is None:
        return found
    folder = _relative(data_dir, location)
    if folder is None:
        return None
    return session.scalars(query.where(Study.folder == folder).limit(1)).first()
