"""Risk page forms for signed-in users: rank the Hub index with uploaded displacement
files (UNHCR population statistics CSV and/or IDMC GIDD .xlsx or CSV), and store the
ranking shown as a run (``created_by`` = the user) so two runs can be compared in the
browser (issue 20).

- ``POST /risk/displacement`` reads the files (each at most :data:`MAX_BYTES`) with
  the loaders of :mod:`bakuhub.risk.displacement`, ranks with the displacement pillar
  fed by them, and shows the ranking, the indicator's source and the files' notes.
  Nothing is stored. A bad file gets the loader's sentence beside the upload fields
  (422). The read figures travel to the store form signed with the server's secret
  key (:func:`sign`), so what is stored is what was read and shown.
- ``POST /risk/store`` stores the ranking of the settings in its ``query`` field
  (preset, weights, construction choices) and, when given, the signed displacement
  figures; the same person storing the same ranking twice gets the same run.

Both are plain ``def`` handlers: FastAPI reads the form, then runs the parsing and
scoring in a worker thread. The CSRF check is the app-wide guard's.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qsl

import pandas as pd
from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import Response
from itsdangerous import BadSignature, URLSafeSerializer

from bakuhub.accounts.permissions import Role, require
from bakuhub.config import Settings
from bakuhub.errors import BakuhubError, InvalidInput
from bakuhub.i18n import _
from bakuhub.risk.displaced import DISPLACED, Displacement
from bakuhub.risk.spec import Indicator
from bakuhub.web.deps import PrincipalDep, SessionDep, SettingsDep
from bakuhub.web.pages.common import redirect, render
from bakuhub.web.pages.risk import (
    UPLOAD_MB,
    preset_from,
    profile_query,
    ranking_context,
    runs_to_pick,
    weights_from,
)
from bakuhub.web.pages.risk_choices import read_choices

router = APIRouter(include_in_schema=False)
MAX_BYTES = UPLOAD_MB * 1_000_000
"""Largest file accepted: a UNHCR export of every year and pair of countries is about
this size; the index uses one recent year, so a filtered export is far smaller."""
MAX_QUERY = 4000
MAX_TOKEN = 200_000
SALT = "bakuhub.risk.displacement"
Query = Annotated[str, Form(max_length=MAX_QUERY)]


def _params(query: str) -> dict[str, str]:
    """The ranking's settings carried by a form (an address's query string)."""
    try:
        return dict(parse_qsl(query, max_num_fields=40))
    except ValueError:
        raise InvalidInput(
            _("The form carries more settings than a ranking has; reload the risk page.")
        ) from None


def _content(sent: UploadFile | None, what: str) -> tuple[bytes, str] | None:
    """The bytes and name of an uploaded file, None when none was chosen."""
    if sent is None or not sent.filename:
        return None
    name = sent.filename[-120:]
    content = sent.file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise InvalidInput(
            _(
                "{file}: the {source} file is over {mb} MB. Download the export for recent "
                "years only (the index uses the latest year of its ten-year window)."
            ).format(file=name, source=what, mb=UPLOAD_MB)
        )
    if not content:
        raise InvalidInput(
            _("{file}: the {source} file is empty. Choose the exported file.").format(
                file=name, source=what
            )
        )
    return content, name


def read_files(unhcr: UploadFile | None, idmc: UploadFile | None) -> Displacement:
    """``displaced_persons`` from the uploaded exports over the page's window."""
    from bakuhub.risk.displaced import displaced_persons
    from bakuhub.risk.displacement import read_idmc, read_unhcr
    from bakuhub.risk.inputs import Window

    u = _content(unhcr, "UNHCR")
    i = _content(idmc, "IDMC")
    if u is None and i is None:
        raise InvalidInput(
            _(
                "Choose a UNHCR population statistics CSV, an IDMC displacement export "
                "(.xlsx or CSV), or both."
            )
        )
    window = Window()
    return displaced_persons(
        unhcr=None if u is None else read_unhcr(*u),
        idmc=None if i is None else read_idmc(*i),
        end=window.end,
        years=window.years,
    )


def _serializer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(settings.secret_key.get_secret_value(), salt=SALT)


def sign(displacement: Displacement, settings: Settings) -> str:
    """The read figures, indicator metadata and notes as a signed token."""
    obs = displacement.observations
    ind = displacement.indicator
    return str(
        _serializer(settings).dumps(
            {
                "year": displacement.year,
                "rows": [
                    [str(c), float(v)] for c, v in zip(obs["iso3"], obs["value"], strict=True)
                ],
                "source": ind.source,
                "vintage": ind.vintage,
                "notes": list(displacement.notes),
            }
        )
    )


def unsign(token: str, settings: Settings) -> Displacement:
    """The figures of :func:`sign`, or InvalidInput when the token was changed."""
    try:
        d = _serializer(settings).loads(token)
    except BadSignature:
        raise InvalidInput(
            _(
                "The uploaded displacement figures could not be checked (the form was changed, "
                "or the server's key changed since). Upload the files again."
            )
        ) from None
    from bakuhub.risk.presets import INDICATORS

    obs = pd.DataFrame(
        {
            "iso3": [r[0] for r in d["rows"]],
            "year": d["year"],
            "indicator": DISPLACED,
            "value": [r[1] for r in d["rows"]],
        }
    )
    base = INDICATORS[DISPLACED]
    indicator = Indicator(DISPLACED, base.name, d["source"], "persons", True, d["vintage"])
    return Displacement(obs, indicator, int(d["year"]), tuple(d["notes"]))


def _data(displacement: Displacement) -> Any:
    from bakuhub.risk.inputs import Window, assemble

    return assemble("hub", displacement=displacement, window=Window())


@router.post("/risk/displacement")
def upload_displacement(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    query: Query = "",
    unhcr: UploadFile | None = None,
    idmc: UploadFile | None = None,
) -> Response:
    """The Hub ranking with the uploaded displacement files (nothing stored)."""
    require(principal, Role.viewer, "rank with your own displacement files")
    params = {**_params(query), "preset": "hub"}
    try:
        displacement = read_files(unhcr, idmc)
        data = _data(displacement)
    except BakuhubError as exc:
        context = {**ranking_context(params), **runs_to_pick(session), "stored": None}
        context["upload_error"] = exc.message
        return render(request, "risk.html", context, status_code=exc.status_code)
    context = ranking_context(params, data=data)
    context.update(
        token=sign(displacement, settings),
        displacement=displacement,
        counted=len(displacement.observations),
        indicator_name=_(displacement.indicator.name),
    )
    return render(request, "risk_upload.html", context)


@router.post("/risk/store")
def store_ranking(
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    query: Query = "",
    displacement: Annotated[str, Form(max_length=MAX_TOKEN)] = "",
) -> Response:
    """Store the ranking of the settings in ``query`` (and the signed displacement
    figures when given) as a run of the signed-in user; back to the page with it."""
    from bakuhub.risk import service

    who = require(principal, Role.viewer, "store a risk ranking")
    params = _params(query)
    preset = "hub" if displacement else preset_from(params)
    form, weights = weights_from(params, preset)
    _choice_form, choices, choice_errors = read_choices(params, preset)
    errors = [w["error"] for w in form if w["error"]] + choice_errors
    if errors:
        raise InvalidInput(" ".join([*errors, _("Correct the ranking first, then store it.")]))
    data = _data(unsign(displacement, settings)) if displacement else None
    run = service.rank(
        session=session,
        preset=preset,
        weights=weights or None,
        choices=choices,
        data=data,
        created_by=who.username,
        reuse_own=True,
    )
    order = params.get("order") or "rank"
    back = profile_query(preset, weights, order, choices)
    return redirect(f"/risk?{back}&stored={run.id}#compare-h")
