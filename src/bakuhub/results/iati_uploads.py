"""IATI files uploaded for a preview, kept until the person imports them.

A browser sends the file once; the preview page names it by its SHA-256 digest and
the import reads it back from here, so the file is never sent again nor carried in a
form. Files are bounded (``MAX_BYTES``), named only by their digest (nothing a
person sends names a path), dropped once imported and pruned after ``KEEP_SECONDS``.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path

from bakuhub.errors import InvalidInput
from bakuhub.i18n import _

MAX_BYTES = 20 * 1024 * 1024
"""The largest IATI file the pages accept (20 MB)."""
KEEP_SECONDS = 24 * 3600
"""How long an uploaded file waits for its import (a day)."""
DIGEST = re.compile(r"[0-9a-f]{64}")


def check_size(content: bytes, name: str) -> None:
    """Refuse an empty file or one over ``MAX_BYTES`` (``content`` read to one byte more)."""
    if not content:
        raise InvalidInput(
            _("The file '{name}' is empty; choose an IATI activities file (XML).").format(name=name)
        )
    if len(content) > MAX_BYTES:
        raise InvalidInput(
            _(
                "The file '{name}' is over the limit of {limit} MB; split it into smaller "
                "activities files, or import it with `bakuhub iati import`."
            ).format(name=name, limit=MAX_BYTES // 1024 // 1024)
        )


def keep(folder: Path, content: bytes) -> str:
    """Store an uploaded file; its digest (the name the import form sends back)."""
    folder.mkdir(parents=True, exist_ok=True)
    prune(folder)
    digest = hashlib.sha256(content).hexdigest()
    path = folder / f"{digest}.xml"
    if not path.exists():
        tmp = folder / f".{digest}.{os.getpid()}.tmp"
        tmp.write_bytes(content)
        tmp.replace(path)
    return digest


def _path(folder: Path, digest: str) -> Path:
    if not DIGEST.fullmatch(digest):
        raise InvalidInput(_("The import form names no uploaded file; upload the file again."))
    return folder / f"{digest}.xml"


def load(folder: Path, digest: str) -> bytes:
    """The uploaded file with this digest, or a sentence saying to upload it again."""
    path = _path(folder, digest)
    if not path.is_file():
        raise InvalidInput(
            _(
                "The uploaded file is no longer waiting (it was imported already, or uploaded "
                "over a day ago); upload it again."
            )
        )
    return path.read_bytes()


def drop(folder: Path, digest: str) -> None:
    """Forget an uploaded file once imported."""
    _path(folder, digest).unlink(missing_ok=True)


def prune(folder: Path, now: float | None = None) -> None:
    """Delete uploads older than ``KEEP_SECONDS``."""
    limit = (now or time.time()) - KEEP_SECONDS
    for path in folder.glob("*.xml"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue
