"""Pages of the record: lists (search, filters, sort, pages) and details.

Everything a list shows is in its address (``?q=chad&status=2&sort=-planned_start&page=3``),
so a view can be bookmarked and shared. A bad value is shown beside its field, as
typed. The forms are in ``record_forms``; they apply the same checks as the JSON API
(``bakuhub.web.policy``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import urlencode

import pycountry
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from bakuhub.accounts.permissions import Principal, Role
from bakuhub.errors import BakuhubError
from bakuhub.i18n import _, ngettext
from bakuhub.registry import codes, service
from bakuhub.registry.catalog import RESOURCES, SEARCH_HELP, SORT_CHOICES
from bakuhub.registry.codes import (
    AgreementKind,
    AgreementStatus,
    HubRole,
    PartyKind,
    Theme,
)
from bakuhub.registry.schemas import country_name
from bakuhub.web import policy
from bakuhub.web.deps import PrincipalDep, SessionDep
from bakuhub.web.pages.common import bind, render
from bakuhub.web.pages.record_forms import KINDS, resource_named

router = APIRouter(include_in_schema=False)
PER_PAGE = (20, 50, 100)
DEFAULT_PER_PAGE = 20
MAX_TEXT = 200
ALL = 10_000
"""Rows read for a party's own projects (a detail page, not a list)."""

Options = list[tuple[str, str]]


@dataclass
class Control:
    """One input of a list's search form, with what was typed and its error."""

    name: str
    label: str
    kind: str = "select"
    options: Options = field(default_factory=list)
    value: str = ""
    error: str = ""
    help: str = ""
    datalist: list[str] = field(default_factory=list)


@dataclass
class ListView:
    """A list page's state, read from and written back to the address."""

    path: str
    noun: str
    controls: list[Control]
    sorts: Options
    sort: str
    default_sort: str
    per_page: int = DEFAULT_PER_PAGE
    page: int = 1
    page_typed: str = ""
    page_error: str = ""
    total: int = 0
    problem: bool = False
    sort_control: Control = field(default_factory=lambda: Control("sort", _("Sort by")))
    per_page_control: Control = field(
        default_factory=lambda: Control("per_page", _("Rows per page"))
    )

    @property
    def pages(self) -> int:
        """How many pages the matches fill (at least one)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        """Position of the first row shown (1-based)."""
        return min(self.total, (self.page - 1) * self.per_page + 1)

    @property
    def last(self) -> int:
        """Position of the last row shown."""
        return min(self.total, self.page * self.per_page)

    @property
    def narrowed(self) -> bool:
        """Whether a search or filter is in force."""
        return any(c.value for c in self.controls)

    def params(self, **changes: Any) -> list[tuple[str, str]]:
        """The view's query parameters with ``changes``; defaults left out."""
        values: dict[str, Any] = {c.name: c.value for c in self.controls}
        values.update(sort=self.sort, per_page=self.per_page, page=self.page)
        values.update(changes)
        defaults = {"sort": self.default_sort, "per_page": DEFAULT_PER_PAGE, "page": 1}
        return [
            (k, str(v)) for k, v in values.items() if v not in ("", None) and defaults.get(k) != v
        ]

    def link(self, **changes: Any) -> str:
        """This view's address with ``changes`` (other parameters kept)."""
        query = urlencode(self.params(**changes))
        return f"{self.path}?{query}" if query else self.path

    def sort_link(self, key: str) -> str:
        """Sort by ``key``, or the other way round when it is the sort already (page 1)."""
        return self.link(sort=f"-{key}" if self.sort == key else key, page=1)

    def aria_sort(self, key: str) -> str:
        """``aria-sort`` of a column header."""
        if self.sort == key:
            return "ascending"
        return "descending" if self.sort == f"-{key}" else "none"

    def page_numbers(self) -> list[int]:
        """Page numbers to link: the first, the last and two either side of this one."""
        near = set(range(self.page - 2, self.page + 3)) | {1, self.pages}
        return sorted(n for n in near if 1 <= n <= self.pages)


def _codes(values: Any) -> Options:
    """A vocabulary's codes with their words in the reader's language."""
    return [(str(v), codes.label(str(v))) for v in values]


def _labels(session: Session, kind: str, published_only: bool) -> Options:
    pairs = service.list_labels(
        session=session, resource=RESOURCES[kind], published_only=published_only
    )
    return [(ref, f"{label} ({ref})" if label != ref else ref) for ref, label in pairs]


def country_names() -> list[str]:
    """Every country's common name, for the country field's suggestions."""
    return sorted(country_name(str(c.alpha_3)) for c in pycountry.countries)


def _filter_controls(kind: str, session: Session, published_only: bool) -> list[Control]:
    """The filter inputs of a list, with the values each accepts."""
    parties = partial(_labels, session, "parties", published_only)
    agreements = partial(_labels, session, "agreements", published_only)
    if kind == "parties":
        return [
            Control("kind", _("Kind"), options=_codes(PartyKind)),
            Control("hub_role", _("Role in the Hub"), options=_codes(HubRole)),
        ]
    if kind == "agreements":
        return [
            Control("kind", _("Kind"), options=_codes(AgreementKind)),
            Control("status", _("Status"), options=_codes(AgreementStatus)),
            Control("party", _("Party"), options=parties()),
        ]
    if kind == "working-groups":
        return [
            Control("agreement", _("Agreement"), options=agreements()),
            Control("party", _("Party"), options=parties()),
        ]
    return [
        Control(
            "country",
            _("Country"),
            kind="text",
            help=_("A name or ISO code, e.g. Chad or TCD."),
            datalist=country_names(),
        ),
        Control("theme", _("Theme"), options=_codes(Theme)),
        Control("status", _("Status"), options=list(codes.activity_statuses().items())),
        Control("agreement", _("Agreement"), options=agreements()),
        Control("organisation", _("Organisation"), options=parties()),
    ]


def read_view(
    request: Request,
    *,
    noun: str,
    controls: list[Control],
    sorts: Options,
    default_sort: str,
    keys: Any = (),
) -> ListView:
    """The view asked for in the address; each bad value noted beside its field.

    ``sorts`` are the orders offered by name; any of ``keys`` (a column header's
    sort), ascending or with ``-``, is accepted too.
    """
    query = request.query_params
    for c in controls:
        c.value = query.get(c.name, "").strip()
        if len(c.value) > MAX_TEXT:
            c.error = _("{label}: this is {size} characters long; use at most {limit}.").format(
                label=c.label, size=len(c.value), limit=MAX_TEXT
            )
        elif c.value and c.kind == "select" and c.value not in dict(c.options):
            c.error = _("{label}: there is no '{value}' to choose; pick one from the list.").format(
                label=c.label, value=c.value
            )
    named = [(key, _(text)) for key, text in sorts]
    sort = Control("sort", _("Sort by"), options=named, value=query.get("sort") or default_sort)
    extra = {f"{d}{k}" for k in keys for d in ("", "-")} - set(dict(sorts))
    if sort.value in extra:
        if sort.value.startswith("-"):
            text = _("{key} (descending)").format(key=_words(sort.value))
        else:
            text = _("{key} (ascending)").format(key=_words(sort.value))
        sort.options = [*named, (sort.value, text)]
    elif sort.value not in dict(sorts):
        sort.error = _("Sort by: '{value}' is not one of this list's orders; pick one.").format(
            value=sort.value[:40]
        )
        sort.value = default_sort
    view = ListView(request.url.path, noun, controls, sorts, sort.value, default_sort)
    view.sort_control = sort
    sizes = [(str(n), str(n)) for n in PER_PAGE]
    typed = query.get("per_page") or str(DEFAULT_PER_PAGE)
    view.per_page_control = Control("per_page", _("Rows per page"), options=sizes, value=typed)
    if typed not in dict(sizes):
        choices = ", ".join(map(str, PER_PAGE))
        view.per_page_control.error = _(
            "Rows per page: '{value}' is not {choices}; pick one."
        ).format(value=typed[:20], choices=choices)
        view.per_page_control.value = str(DEFAULT_PER_PAGE)
    view.per_page = int(view.per_page_control.value)
    view.page_typed = query.get("page", "")
    view.page, view.page_error = _number(view.page_typed)
    view.problem = any(c.error for c in controls)
    return view


def _words(key: str) -> str:
    return key.lstrip("-").replace("_", " ").capitalize()


def _number(text: str) -> tuple[int, str]:
    """A page number typed in the address, or page 1 and why."""
    digits = text.strip()
    if not digits:
        return 1, ""
    if digits.isascii() and digits.isdigit() and len(digits) <= 6 and int(digits) >= 1:
        return int(digits), ""
    return 1, _("Page: '{value}' is not a page number; type a whole number from 1.").format(
        value=text[:20]
    )


def canonical(request: Request, view: ListView) -> Response | None:
    """A redirect to the view's short address when the form sent empty fields or
    defaults (``?q=chad&country=&sort=title`` -> ``?q=chad``); None when it is short
    already, or when a value is wrong (it stays in the address, beside its error)."""
    errors = [c.error for c in view.controls] + [
        view.sort_control.error,
        view.per_page_control.error,
        view.page_error,
    ]
    sent = sorted(request.query_params.multi_items())
    if any(errors) or sent == sorted(view.params()):
        return None
    return RedirectResponse(view.link(), status_code=303)


def place(view: ListView) -> None:
    """Check the page asked for exists once the total is known (else page 1 and why)."""
    if view.page > view.pages:
        view.page_error = ngettext(
            "Page {page} is past the end: the list has {pages} page.",
            "Page {page} is past the end: the list has {pages} pages.",
            view.pages,
        ).format(page=view.page, pages=view.pages)
        view.page = view.pages


def list_page(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    """A list of one record type: search, filters, sort and pages."""
    kind = request.url.path.strip("/").split("/")[0]
    published_only = principal is None
    controls = [
        Control("q", _("Search"), kind="search", help=_(SEARCH_HELP[kind])),
        *_filter_controls(kind, session, published_only),
    ]
    view = read_view(
        request,
        noun=kind.replace("-", " "),
        controls=controls,
        sorts=SORT_CHOICES[kind],
        default_sort=SORT_CHOICES[kind][0][0],
        keys=RESOURCES[kind].sorts,
    )
    shorter = canonical(request, view)
    if shorter is not None:
        return shorter
    items: list[dict[str, Any]] = []
    if not view.problem:
        items = _fill(session, kind, view, published_only)
    context = {
        "kind": kind,
        "resource": RESOURCES[kind],
        "items": items,
        "total": view.total,
        "view": view,
        "statuses": codes.activity_statuses(),
        "can_create": principal is not None and principal.at_least(Role.focal_point),
        "country_name": country_name,
    }
    return render(request, f"list_{kind.replace('-', '_')}.html", context)


def _fill(
    session: Session, kind: str, view: ListView, published_only: bool
) -> list[dict[str, Any]]:
    """Read the page of matches; a value the service refuses goes beside its field."""
    chosen = {c.name: c.value for c in view.controls if c.value and c.name != "q"}
    q = next((c.value for c in view.controls if c.name == "q"), "")
    for attempt in range(2):
        try:
            page = service.list_records(
                session=session,
                resource=RESOURCES[kind],
                filters=chosen,
                q=q,
                sort=view.sort,
                limit=view.per_page,
                offset=(view.page - 1) * view.per_page,
                published_only=published_only,
            )
        except BakuhubError as exc:
            _blame(view, exc)
            return []
        view.total = page.total
        if attempt or view.page <= view.pages:
            return page.items
        place(view)
    return []


def _blame(view: ListView, exc: BakuhubError) -> None:
    """Put each refused value's message beside its field."""
    by_name = {c.name: c for c in view.controls}
    for row in exc.details or [{"loc": ["q"], "msg": exc.message}]:
        name = str(row["loc"][-1])
        target = by_name.get(name) or by_name.get("q")
        if target is not None:
            message = str(row["msg"])
            target.error = message[0].upper() + message[1:] if message else exc.message
    view.problem = True


def detail(
    kind: str, ref: str, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    """One record's page."""
    resource = resource_named(kind)
    record = service.get_record(
        session=session, resource=resource, ref=ref, published_only=principal is None
    )
    context: dict[str, Any] = {"record": record, "resource": resource, "kind": kind}
    context["can_edit"] = principal is not None and (
        principal.is_staff or policy.belongs(principal, kind, record)
    )
    context["country_name"] = country_name
    context["statuses"] = codes.activity_statuses()
    if kind == "projects":
        from bakuhub.web.pages.project import project_context

        context.update(project_context(session, principal, record))
    if kind == "parties":
        context["projects"] = _party_projects(session, principal, record)
    template = f"{kind.replace('-', '_')[:-1] if kind != 'parties' else 'party'}.html"
    return render(request, template, context)


def _projects(session: Session, principal: Principal | None, **filters: str) -> list[Any]:
    page = service.list_records(
        session=session,
        resource=RESOURCES["projects"],
        filters=filters,
        limit=ALL,
        published_only=principal is None,
    )
    return page.items


def _party_projects(
    session: Session, principal: Principal | None, party: dict[str, Any]
) -> list[dict[str, Any]]:
    items = _projects(session, principal, organisation=party["ref"])
    if party.get("iso3"):
        items += _projects(session, principal, country=party["iso3"])
    seen: dict[str, dict[str, Any]] = {p["ref"]: p for p in items}
    return list(seen.values())


for _kind in KINDS:
    router.add_api_route(f"/{_kind}", list_page, methods=["GET"])
    router.add_api_route(f"/{_kind}/{{ref}}", bind(detail, kind=_kind), methods=["GET"])
