"""Passwords: the rule a new password must pass, and argon2id hashing.

The rule: at least ``MIN_PASSWORD`` characters; not one of the most common passwords
(``datasets/web/common_passwords.txt``, see its SOURCES.md row), nor a common stem with
digits or symbols around it (``password2024!``); not a repetition of a shorter part
(``aaaaaaaaaa``, ``passwordpassword``, ``abcabcabcabc``), nor a run of consecutive
characters or keys (``1234567890``, ``abcdefghij``, ``0987654321``); not the user's
own name.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from argon2 import PasswordHasher

from bakuhub.errors import InvalidInput
from bakuhub.i18n import _

MIN_PASSWORD = 10
STEMS = frozenset(
    {
        "password",
        "passw0rd",
        "qwerty",
        "qwertyuiop",
        "iloveyou",
        "letmein",
        "welcome",
        "sunshine",
        "princess",
        "football",
        "baseball",
        "superman",
        "trustno1",
        "dragon",
        "monkey",
        "master",
        "shadow",
        "abc123",
    }
)
"""Frequent stems at the top of the same list, refused with digits or symbols around them."""
ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz")
"""Keyboard rows and the alphabet: a password that is a run along one of them is refused."""
EDGES = re.compile(r"^[\d\W_]*(.*?)[\d\W_]*$")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords (lowercase), read once."""
    text = (files("bakuhub.datasets") / "web" / "common_passwords.txt").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def _repeats(word: str) -> bool:
    """Whether ``word`` is a shorter part repeated (``abab``), or has at most 2 characters."""
    if len(set(word)) <= 2:
        return True
    return any(
        len(word) % size == 0 and word == word[:size] * (len(word) // size)
        for size in range(1, len(word) // 2 + 1)
    )


def _is_run(word: str) -> bool:
    """Whether ``word`` runs along a keyboard row or the alphabet, forwards or backwards."""
    for row in ROWS:
        for line in (row, row[::-1]):
            if word in line or word in line * 3:
                return True
    return False


def weakness(password: str, username: str = "", *, own: bool = True) -> str | None:
    """Why ``password`` is refused (a clause, in the reader's language), or None when it
    passes the rule. ``own``: the password is the reader's own ("your user name"), else
    someone else's ("the user name")."""
    if len(password) < MIN_PASSWORD:
        return _("it has {count} characters; use at least {minimum}").format(
            count=len(password), minimum=MIN_PASSWORD
        )
    lowered = password.lower()
    core = EDGES.sub(r"\1", lowered)
    if lowered in common_passwords() or core in STEMS or core in common_passwords():
        return _("it is one of the most common passwords, tried first by attackers")
    squeezed = re.sub(r"\s", "", lowered)
    if _repeats(lowered) or _repeats(squeezed) or (len(core) >= 4 and _repeats(core)):
        return _("it repeats the same characters or the same part")
    if _is_run(lowered) or (len(core) >= 8 and _is_run(core)):
        return _("it is a run of consecutive characters or keys")
    if username and len(username) >= 3 and username.lower() in lowered:
        return _("it contains your user name") if own else _("it contains the user name")
    return None


def check_password(password: str, username: str = "") -> None:
    """InvalidInput (naming the field and the fix) when ``password`` fails the rule."""
    why = weakness(password, username)
    if why is not None:
        advice = _(
            "choose another of at least {minimum} characters, e.g. a few unrelated "
            "words (a passphrase)"
        ).format(minimum=MIN_PASSWORD)
        raise InvalidInput(
            _("password: {why}; {advice}.").format(why=why, advice=advice),
            details=[
                {"loc": ["password"], "msg": _("{why}; {advice}").format(why=why, advice=advice)}
            ],
        )


def hasher() -> PasswordHasher:
    """argon2id with the library's (RFC 9106 low-memory) defaults."""
    return PasswordHasher()


def hash_password(password: str, username: str = "") -> str:
    """An argon2id hash of a password that passes the rule."""
    check_password(password, username)
    return hasher().hash(password)
