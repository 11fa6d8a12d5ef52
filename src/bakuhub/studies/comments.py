"""The discussion on a scenario or a study: comments, and their safe rendering.

A comment is visible to whoever can see its target; a signed-in user who can see the
target may add one. Its body is markdown source (at most :data:`MAX_BODY` characters)
rendered by :func:`render`: everything is escaped first, then a small subset becomes
markup (paragraphs, ``**bold**``, ``*italic*``, ```code```, lists, http(s) links and
mentions of records ``[[project:REF]]``, ``[[study:NAME]]``, ``[[scenario:REF]]``), so
no comment can carry a script, an attribute or another scheme of link.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bakuhub.accounts.permissions import Principal, Role, require
from bakuhub.db import utcnow
from bakuhub.errors import InvalidInput
from bakuhub.i18n import _, number
from bakuhub.studies.models import Comment
from bakuhub.timestamps import as_utc

MAX_BODY = 5000
MAX_THREAD = 500
MENTION_PAGES = {
    "project": "/projects/{}",
    "study": "/corridor/studies/{}",
    "scenario": "/corridor/scenarios/{}",
}
_CODE = re.compile(r"`([^`\n]{1,500})`")
_BOLD = re.compile(r"\*\*(?=\S)([^*\n]{1,500}?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]{1,500}?)(?<=\S)\*(?![*\w])")
_LINK = re.compile(r"\[([^\[\]\n]{1,200})\]\((https?://[^\s()<>]{1,500})\)")
_MENTION = re.compile(r"\[\[(project|study|scenario):([A-Za-z0-9][A-Za-z0-9._:-]{0,119})\]\]")
_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")


def _inline(escaped: str) -> str:
    """Inline markup on already-escaped text (code spans are left as they are)."""
    spans: list[str] = []

    def keep(match: re.Match[str]) -> str:
        spans.append(f"<code>{match.group(1)}</code>")
        return f"\x00{len(spans) - 1}\x00"

    text = _CODE.sub(keep, escaped)
    text = _MENTION.sub(
        lambda m: (
            f'<a href="{MENTION_PAGES[m.group(1)].format(quote(html.unescape(m.group(2))))}" '
            f'class="mention">{m.group(1)}:{m.group(2)}</a>'
        ),
        text,
    )
    text = _LINK.sub(r'<a href="\2" rel="nofollow noopener">\1</a>', text)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    text = _ITALIC.sub(r"<em>\1</em>", text)
    return re.sub(r"\x00(\d+)\x00", lambda m: spans[int(m.group(1))], text)


def _block(lines: list[str]) -> str:
    bullets = [_BULLET.match(line) for line in lines]
    if all(bullets):
        items = "".join(f"<li>{_inline(m.group(1))}</li>" for m in bullets if m)
        return f"<ul>{items}</ul>"
    numbered = [_NUMBERED.match(line) for line in lines]
    if all(numbered):
        items = "".join(f"<li>{_inline(m.group(1))}</li>" for m in numbered if m)
        return f"<ol>{items}</ol>"
    return "<p>" + "<br>".join(_inline(line.strip()) for line in lines) + "</p>"


def render(body: str) -> str:
    """Safe HTML of a comment's markdown source (see the module's docstring)."""
    escaped = html.escape(body[:MAX_BODY].replace("\x00", ""), quote=True)
    blocks = re.split(r"\n\s*\n", escaped.replace("\r\n", "\n").strip())
    return "".join(_block(b.split("\n")) for b in blocks if b.strip())


def list_comments(*, session: Session, target_type: str, target: str) -> list[Comment]:
    """The thread of a target, oldest first (the caller has checked it may see it)."""
    query = (
        select(Comment)
        .where(Comment.target_type == target_type, Comment.target == target)
        .order_by(Comment.created_at, Comment.id)
        .limit(MAX_THREAD)
    )
    return list(session.scalars(query))


def add_comment(
    *,
    session: Session,
    principal: Principal | None,
    target_type: str,
    target: str,
    body: str,
) -> Comment:
    """Add a comment of ``principal`` (the caller has checked it may see the target)."""
    who = require(principal, Role.viewer, _("comment"))
    text = body.strip()
    if not text or len(text) > MAX_BODY:
        raise InvalidInput(
            _("body: write a comment of 1 to {limit} characters (this one has {size}).").format(
                limit=number(MAX_BODY), size=number(len(text))
            ),
            details=[{"loc": ["body"], "msg": _("1 to {limit} characters").format(limit=MAX_BODY)}],
        )
    row = Comment(
        target_type=target_type,
        target=target,
        author=who.username,
        body=text,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def delete_thread(*, session: Session, target_type: str, target: str) -> None:
    """Delete every comment of a target (when the target is deleted)."""
    session.execute(
        delete(Comment).where(Comment.target_type == target_type, Comment.target == target)
    )


def comment_out(row: Comment) -> dict[str, Any]:
    """A comment as the API and the pages show it: source and safe HTML."""
    return {
        "id": row.id,
        "author": row.author,
        "body": row.body,
        "html": render(row.body),
        "created_at": as_utc(row.created_at),
    }
