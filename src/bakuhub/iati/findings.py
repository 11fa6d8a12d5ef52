"""One thing the IATI checks found in a file, graded as the IATI Validator grades it.

Severities (https://validator.iatistandard.org/, "critical", "error", "warning";
the Validator's API answers a file with no critical finding as ``valid``):

- ``critical``: the file breaks the XML schema; the Validator and the IATI
  datastore refuse it (js-validator-api schema errors carry severity "critical");
- ``error``: the Standard's rule or a complete codelist is broken; the file is
  published but flagged;
- ``warning``: a ``should`` of the Standard, or a code missing from an incomplete
  codelist.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["critical", "error", "warning"]
SEVERITIES: tuple[Severity, ...] = ("critical", "error", "warning")
BLOCKING: frozenset[str] = frozenset({"critical", "error"})


@dataclass(frozen=True)
class Finding:
    """What is wrong, where (activity, element, bakuhub field) and how bad.

    ``element`` is a readable path inside the activity or organisation
    (``transaction[3]/value/@value-date``); ``field`` the bakuhub field it maps to
    when known (``transactions.2.value_date``, lists counted from 0 in export order),
    else None. ``rule_id`` is the ruleset's or the Validator's id (``11.1.2``).
    """

    severity: Severity
    rule: str
    activity: str | None
    element: str
    field: str | None
    message: str
    rule_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The finding as plain JSON-ready data."""
        return asdict(self)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Critical first, then errors, then warnings; stable inside each grade."""
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: order[f.severity])


def blocking(findings: Iterable[Finding]) -> bool:
    """Whether any finding is critical or an error (the CLI's non-zero exit)."""
    return any(f.severity in BLOCKING for f in findings)


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings of each severity (every severity named, zeros included)."""
    tally: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        tally[f.severity] += 1
    return tally
