"""Sweeps in the browser: define one on ``/corridor/sweeps`` (base scenario, one or two
fields, their values or ranges, resolution), follow it on ``/corridor/sweeps/{batch}``
(each run's progress and place in the queue, the results table, charts of the key
results against the varied fields, the CSV), cancel its unfinished runs.

The form is read by FastAPI (``Form`` fields) and the endpoints are plain ``def``:
checking the sweep and recording its jobs run in a worker thread. Roles are checked
before the form is (dependencies), so a refusal is 401/403 whatever was sent.
"""

from __future__ import annotations

import math
import re
from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError

from bakuhub import i18n
from bakuhub.accounts.permissions import Principal, Role
from bakuhub.errors import InvalidInput, plain_words
from bakuhub.i18n import N_, _
from bakuhub.jobs import access
from bakuhub.jobs.access import TooManyJobs
from bakuhub.jobs.chart import CHARTED, LABELS
from bakuhub.jobs.retry import in_session
from bakuhub.jobs.sweep_batches import SweepView, cancel_sweep, list_sweeps, read_sweep
from bakuhub.jobs.sweep_define import MAX_RUNS, SweepIn, base_scenario, define, submit_request
from bakuhub.jobs.sweep_fields import SweepField, sweep_fields
from bakuhub.web.deps import PrincipalDep, SessionDep
from bakuhub.web.pages.common import redirect, render
from bakuhub.web.pages.corridor import STATE_NAMES
from bakuhub.web.routes.jobs import RunnerDep
from bakuhub.web.routes.sweeps import Batch, may_run, signed_in

router = APIRouter(include_in_schema=False)
SLOTS = (1, 2)
"""How many fields the form varies at once (the API takes up to four)."""
DESIGNS = (
    ("grid", N_("Grid: every combination of the values")),
    ("lhs", N_("Latin hypercube samples over the ranges")),
    ("sobol", N_("Sobol samples over the ranges (runs: a power of two)")),
)
SHOWN = (
    ("total_system_cost_bn_eur_a", N_("System cost (bn EUR/a)")),
    ("gateway_price_eur_mwh", N_("Cost at the EU gateway (EUR/MWh)")),
    ("co2_emitted_mt", N_("CO2 emitted (Mt/a)")),
    ("export_twh", N_("Export (TWh/a)")),
    ("caspian_cable_mw", N_("Caspian cable (MW)")),
)
"""The key results the page's table shows (the CSV has every figure)."""
LABELS_OF = {
    "name": N_("Name"),
    "base": N_("Base scenario"),
    "resolution": N_("Time resolution"),
    "design": N_("Design"),
    "n": N_("Runs (samples)"),
    "seed": N_("Seed"),
}
Text = Annotated[str, Form(max_length=400)]


@cache
def form_fields() -> tuple[SweepField, ...]:
    """The fields the form offers: those of every shipped scenario, in order."""
    from bakuhub.corridor.scenario import shipped_scenario, shipped_scenarios

    found: dict[str, SweepField] = {}
    for name in shipped_scenarios():
        found.update(sweep_fields(shipped_scenario(name)))
    return tuple(found.values())


def _values(text: str) -> list[str]:
    return [v for v in re.split(r"[,;\s]+", text.strip()) if v]


def _number(text: str, label: str, errors: dict[str, str], key: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        errors[key] = _(
            "{label}: '{text}' is not a number; write a number such as 40 or 0.07."
        ).format(label=label, text=text[:20])
        return None


def body_of(form: dict[str, str]) -> tuple[dict[str, Any], dict[str, str], dict[str, int]]:
    """The API body of the form, the errors found reading it, and each path's slot."""
    errors: dict[str, str] = {}
    slot_of: dict[str, int] = {}
    for k in SLOTS:
        path = form.get(f"field_{k}", "")
        if path and path in slot_of:
            errors[f"field_{k}"] = _(
                "Field {k}: {path} is chosen twice; choose another field."
            ).format(k=k, path=path)
        elif path:
            slot_of[path] = k
    if not slot_of and "field_1" not in errors:
        errors["field_1"] = _("Field 1: choose the scenario field to vary.")
    body: dict[str, Any] = {
        "name": form.get("name") or "sweep",
        "base": form.get("base", ""),
        "resolution": form.get("resolution") or None,
        "counterfactual": form.get("counterfactual") == "on",
    }
    design = form.get("design", "grid")
    if design == "grid":
        body["grid"] = {}
        for path, k in slot_of.items():
            values = _values(form.get(f"values_{k}", ""))
            if not values:
                errors[f"values_{k}"] = _(
                    "Values of field {k}: list them, separated by commas."
                ).format(k=k)
            else:
                body["grid"][path] = values
        return body, errors, slot_of
    ranges = {}
    for path, k in slot_of.items():
        label = _("Range of field {k}").format(k=k)
        low = _number(form.get(f"low_{k}", ""), label, errors, f"low_{k}")
        high = _number(form.get(f"high_{k}", ""), label, errors, f"high_{k}")
        if low is not None and high is not None:
            ranges[path] = [low, high]
    n, seed = form.get("n", ""), form.get("seed", "") or "0"
    body["samples"] = {"n": n, "seed": seed, "method": design, "ranges": ranges}
    return body, errors, slot_of


def _input_of(loc: list[Any], slot_of: dict[str, int], known: set[str]) -> str:
    """The form input an error of the API body belongs to ('' for the whole form)."""
    head = [str(p) for p in loc]
    if head[:1] in (["name"], ["base"], ["resolution"]):
        return head[0]
    if head[:2] in (["samples", "n"], ["samples", "seed"]):
        return head[1]
    if head == ["samples"]:  # the one rule on the samples as a whole: Sobol's sizes
        return "n"
    if head[:2] == ["samples", "method"]:
        return "design"
    path = head[2] if head[:2] == ["samples", "ranges"] and len(head) > 2 else ""
    path = head[1] if head[:1] == ["grid"] and len(head) > 1 else path
    if path in slot_of:
        k = slot_of[path]
        if path not in known:
            return f"field_{k}"
        return f"values_{k}" if head[0] == "grid" else f"low_{k}"
    return ""


def refused(exc: InvalidInput | ValidationError, slot_of: dict[str, int]) -> dict[str, str]:
    """Each refusal beside its input (key '' for the form as a whole)."""
    known = {f.path for f in form_fields()}
    errors: dict[str, str] = {}
    if isinstance(exc, ValidationError):
        for e in exc.errors():
            key = _input_of(list(e["loc"]), slot_of, known)
            label = _(LABELS_OF.get(key, N_("The sweep")))
            errors.setdefault(key, plain_words(dict(e), label))
        return errors
    for detail in exc.details or [{"loc": [], "msg": exc.message}]:
        key = _input_of(detail.get("loc") or [], slot_of, known)
        message = str(detail.get("msg", ""))
        errors.setdefault(key, message[:1].upper() + message[1:].rstrip(".") + ".")
    return errors


def _page(request: Request, session: Any, principal: Principal | None, **extra: Any) -> Response:
    from bakuhub.corridor.scenario import shipped_scenarios

    context = {
        "sweeps": list_sweeps(session=session, limit=50),
        "full": access.full_view(principal),
        "may_run": principal is not None and principal.at_least(Role.focal_point),
        "scenario_items": [(name, name) for name in shipped_scenarios()],
        "fields": form_fields(),
        "field_items": [(f.path, f"{f.path} ({f.limits})") for f in form_fields()],
        "designs": [(value, _(text)) for value, text in DESIGNS],
        "slots": SLOTS,
        "max_runs": MAX_RUNS,
        "form": {"base": "reference-2030", "resolution": "segments:48", "design": "grid"},
        "errors": {},
    }
    context.update(extra)
    return render(request, "corridor_sweeps.html", context, extra.pop("status", 200))


@router.get("/corridor/sweeps")
def sweeps_page(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    """The sweeps run so far and, for analysts, the form to run one."""
    return _page(request, session, principal)


@router.post("/corridor/sweeps")
def run_sweep(
    request: Request,
    who: Annotated[Principal, Depends(may_run)],
    session: SessionDep,
    runner: RunnerDep,
    name: Text = "",
    base: Text = "",
    resolution: Text = "",
    design: Text = "grid",
    field_1: Text = "",
    values_1: Text = "",
    low_1: Text = "",
    high_1: Text = "",
    field_2: Text = "",
    values_2: Text = "",
    low_2: Text = "",
    high_2: Text = "",
    n: Text = "",
    seed: Text = "",
    counterfactual: Text = "",
) -> Response:
    """Check the sweep and queue its runs (then show it), or show the form again with
    each mistake beside its input; nothing is queued then."""
    given = dict(name=name, base=base, resolution=resolution, design=design, n=n, seed=seed)
    given.update(field_1=field_1, values_1=values_1, low_1=low_1, high_1=high_1)
    given.update(field_2=field_2, values_2=values_2, low_2=low_2, high_2=high_2)
    form = {k: v.strip() for k, v in given.items()} | {"counterfactual": counterfactual}
    body, errors, slot_of = body_of(form)
    try:
        sweep = SweepIn.model_validate(body)
        scenario = base_scenario(sweep.base)
        if errors:  # every other mistake too, at once; nothing is queued
            define(sweep, scenario)
        else:
            batch = in_session(
                session,
                lambda: submit_request(
                    session=session, request=sweep, base=scenario, runner=runner, user=who.username
                ),
            )
            return redirect(f"/corridor/sweeps/{batch}")
    except (InvalidInput, ValidationError) as exc:
        session.rollback()  # nothing of a refused sweep is kept
        found = refused(exc, slot_of)
        if errors:  # the sweep as a whole is judged once its inputs are readable
            found.pop("", None)
        errors = {**found, **errors}
    except TooManyJobs as exc:
        session.rollback()
        errors = {"": exc.message}
    form_error = errors.pop("", "")
    return _page(request, session, who, form=form, errors=errors, form_error=form_error, status=422)


def figures(view: SweepView) -> list[dict[str, Any]]:
    """Plotly figures: each charted key result against the first varied field, one line
    per value of the second (when there is one)."""
    if not view.varied:
        return []
    x_path = view.varied[0]
    group = view.varied[1] if len(view.varied) > 1 else None
    done = [r for r in view.runs if r.job.state == "succeeded"]
    out = []
    for key in CHARTED:
        series: dict[str, list[Any]] = {}
        for run in sorted(done, key=lambda r: str(r.params.get(x_path))):
            name = "" if group is None else f"{group}={run.params.get(group)}"
            series.setdefault(name, []).append(run)
        if all(r.figures.get(key) is None for r in done):
            continue  # a figure no run's summary has: no empty chart
        traces = [
            {
                "type": "scatter",
                "mode": "lines+markers" if len(series) > 1 or group is None else "markers",
                "name": name or key,
                "x": [r.params.get(x_path) for r in runs],
                "y": [r.figures.get(key) for r in runs],
                "text": [_("run {number}").format(number=r.number) for r in runs],
            }
            for name, runs in series.items()
        ]
        layout = {
            "height": 300,
            "margin": {"l": 60, "r": 10, "t": 30, "b": 50},
            "title": {"text": _(LABELS.get(key, key)), "font": {"size": 14}},
            "xaxis": {"title": {"text": x_path}},
            "yaxis": {"title": {"text": _(LABELS.get(key, key))}},
            "showlegend": group is not None,
        }
        out.append(
            {
                "key": key,
                "label": _(LABELS.get(key, key)),
                "figure": {"data": traces, "layout": layout},
            }
        )
    return out


def number(value: float | None) -> str:
    """A result rounded to what the model can tell (3 significant digits, in the
    reader's locale: ``61.5``, ``0.07``, ``1,250``; n/a)."""
    if value is None:
        return _("n/a")
    from babel.numbers import format_decimal

    if abs(value) < 1e-9:
        return format_decimal(0, format="0", locale=i18n.current())
    decimals = max(0, 2 - math.floor(math.log10(abs(value))))
    rounded = round(value, decimals)
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(rounded, format=pattern, locale=i18n.current())


def setting(value: Any) -> str:
    """A varied field's value as set (``150``, ``0.07``, ``low``)."""
    return f"{value:.6g}" if isinstance(value, float) else str(value)


@router.get("/corridor/sweeps/{batch}")
def sweep_page(
    batch: Batch, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    """A sweep's runs (progress, place in the queue, results), charts and downloads."""
    view = read_sweep(session=session, batch=batch)
    own = principal is not None and (principal.is_staff or principal.username == view.created_by)
    context = {
        "view": view,
        "full": access.full_view(principal),
        "may_cancel": own and view.active,
        "shown": SHOWN,
        "state_names": {state: _(name) for state, name in STATE_NAMES.items()},
        "number": number,
        "setting": setting,
        "charts": figures(view),
    }
    return render(request, "corridor_sweep.html", context)


@router.post("/corridor/sweeps/{batch}/cancel")
def cancel_page(
    batch: Batch,
    who: Annotated[Principal, Depends(signed_in)],
    session: SessionDep,
    runner: RunnerDep,
) -> Response:
    """Cancel the sweep's queued and running runs (own sweep; the secretariat any)."""
    in_session(
        session, lambda: cancel_sweep(session=session, batch=batch, principal=who, runner=runner)
    )
    return redirect(f"/corridor/sweeps/{batch}")
