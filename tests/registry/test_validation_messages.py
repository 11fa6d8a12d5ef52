"""Pydantic's validation messages: the table keyed by error type stays pydantic's English,
and a translated entry replaces the message in the reader's language."""

from __future__ import annotations

import gettext
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticKnownError

from bakuhub import i18n
from bakuhub.errors import PYDANTIC_MESSAGES, plain_words, pydantic_message, validation_details

CTX: dict[str, Any] = {
    "gt": 0,
    "ge": 0,
    "lt": 1,
    "le": 1,
    "multiple_of": 2,
    "pattern": "^x$",
    "error": "input is too short",
    "expected": "'a' or 'b'",
    "expected_schemes": "'http' or 'https'",
    "class_name": "X",
}


@pytest.mark.parametrize("kind", sorted(PYDANTIC_MESSAGES))
def test_the_table_is_pydantics_english(kind: str) -> None:
    needed = {k: v for k, v in CTX.items() if "{" + k + "}" in PYDANTIC_MESSAGES[kind]}
    known: Any = PydanticKnownError
    assert known(kind, needed or None).message_template == PYDANTIC_MESSAGES[kind]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=3)
    share: float = Field(ge=0)


def _errors() -> list[Any]:
    with pytest.raises(ValidationError) as caught:
        _Model.model_validate({"name": "abcdef", "share": -1, "extra": 1})
    return caught.value.errors()


def test_english_details_keep_pydantics_words() -> None:
    assert [d["msg"] for d in validation_details(_validation_error())] == [
        e["msg"] for e in _errors()
    ]


def _validation_error() -> ValidationError:
    try:
        _Model.model_validate({"name": "abcdef", "share": -1, "extra": 1})
    except ValidationError as exc:
        return exc
    raise AssertionError("no error")


class _French(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return {
            "Input should be greater than or equal to {ge}": "Doit être au moins {ge}",
            "{label} must be at least {ge}; change the number.": "{label} : au moins {ge}.",
        }.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        if msgid1 == "String should have at most {max_length} character":
            return "Au plus {max_length} caractère" if n == 1 else "Au plus {max_length} caractères"
        return msgid1 if n == 1 else msgid2


def test_translated_messages_replace_pydantics(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "catalog", lambda locale: _French())
    with i18n.use("fr"):
        by_type = {e["type"]: e for e in _errors()}
        assert pydantic_message(by_type["string_too_long"]) == "Au plus 3 caractères"
        assert pydantic_message(by_type["greater_than_equal"]) == "Doit être au moins 0"
        assert pydantic_message(by_type["extra_forbidden"]) == "Extra inputs are not permitted"
        assert plain_words(dict(by_type["greater_than_equal"]), "Part") == "Part : au moins 0."
