"""The three presets: the Hub index (default), ND-GAIN and INFORM-style risk.

Each preset is a function returning an :class:`IndexModel`; :func:`get_preset`
applies custom weights and refuses unknown names with a sentence.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace

from bakuhub.errors import InvalidInput
from bakuhub.i18n import N_, _
from bakuhub.risk.spec import Classes, IndexModel, Indicator, Node, Treatment, nodes, with_weights

NDGAIN_VINTAGE = "ND-GAIN country index, release 2025-08 (ndgain_202508.csv)"
UCDP_VINTAGE = "UCDP/PRIO Armed Conflict Dataset v25.1"

INDICATORS: dict[str, Indicator] = {
    "ndgain_vulnerability": Indicator(
        "ndgain_vulnerability",
        N_("Climate vulnerability (ND-GAIN vulnerability)"),
        "ND-GAIN, University of Notre Dame",
        N_("score 0-1"),
        True,
        NDGAIN_VINTAGE,
    ),
    "ndgain_readiness": Indicator(
        "ndgain_readiness",
        N_("Readiness to adapt (ND-GAIN readiness)"),
        "ND-GAIN, University of Notre Dame",
        N_("score 0-1"),
        False,
        NDGAIN_VINTAGE,
    ),
    "conflict_years": Indicator(
        "conflict_years",
        N_("Years with armed conflict on the territory (25+ battle deaths)"),
        "UCDP/PRIO Armed Conflict Dataset",
        N_("years in window"),
        True,
        UCDP_VINTAGE,
    ),
    "war_years": Indicator(
        "war_years",
        N_("Years with war on the territory (1,000+ battle deaths)"),
        "UCDP/PRIO Armed Conflict Dataset",
        N_("years in window"),
        True,
        UCDP_VINTAGE,
    ),
    "displaced_persons": Indicator(
        "displaced_persons",
        N_("People displaced from the country (IDPs and refugees)"),
        N_("supplied by the user (e.g. IDMC, UNHCR)"),
        N_("persons"),
        True,
        N_("as supplied"),
    ),
    "inform_hazard_exposure": Indicator(
        "inform_hazard_exposure",
        N_("Hazard & Exposure (INFORM)"),
        "INFORM Risk",
        N_("score 0-10"),
        True,
        N_("as supplied"),
    ),
    "inform_vulnerability": Indicator(
        "inform_vulnerability",
        N_("Vulnerability (INFORM)"),
        "INFORM Risk",
        N_("score 0-10"),
        True,
        N_("as supplied"),
    ),
    "inform_lack_of_coping_capacity": Indicator(
        "inform_lack_of_coping_capacity",
        N_("Lack of Coping Capacity (INFORM)"),
        "INFORM Risk",
        N_("score 0-10"),
        True,
        N_("as supplied"),
    ),
}

FIVE_CLASSES = (N_("Very low"), N_("Low"), N_("Medium"), N_("High"), N_("Very high"))
INFORM_THRESHOLDS = (2.0, 3.5, 5.0, 6.5)
HUB_THRESHOLDS = (2.0, 3.0, 4.5, 6.0)


def hub(*, window_years: int = 10) -> IndexModel:
    """The Hub index: where climate vulnerability, conflict, displacement and lack of
    readiness meet. Pillars on 0-10, geometric mean with offset 1 at the top so a
    country must score on several pillars to rank high; at least 3 of the 4 pillars'
    weight must have data."""
    return IndexModel(
        name="hub",
        title=N_("Hub climate-conflict-displacement index"),
        treatments=(
            Treatment("ndgain_vulnerability", goalposts=(0.2, 0.7)),
            Treatment("ndgain_readiness", goalposts=(0.1, 0.9)),
            Treatment("conflict_years", goalposts=(0.0, float(window_years))),
            Treatment("war_years", goalposts=(0.0, float(window_years))),
            Treatment(
                "displaced_persons", transforms=("per_100k", "log10_1p"), goalposts=(0.0, 5.0)
            ),
        ),
        root=Node(
            "hub",
            N_("Hub index"),
            (
                Node("climate", N_("Climate vulnerability"), ("ndgain_vulnerability",), (1.0,)),
                Node("conflict", N_("Conflict"), ("conflict_years", "war_years"), (1.0, 1.0)),
                Node("displacement", N_("Displacement pressure"), ("displaced_persons",), (1.0,)),
                Node("readiness", N_("Lack of readiness"), ("ndgain_readiness",), (1.0,)),
            ),
            (1.0, 1.0, 1.0, 1.0),
            aggregation="geometric",
            min_coverage=0.75,
            offset=1.0,
        ),
        classes=Classes(HUB_THRESHOLDS, FIVE_CLASSES),
        rank_decimals=2,
    )


def ndgain() -> IndexModel:
    """ND-GAIN: ``score = (readiness - vulnerability + 1) x 50``.

    Written in the engine's terms: ``s_V = 10 V`` and ``s_R = 10 (1 - R)`` (goalposts
    0-1), arithmetic mean ``risk = (s_V + s_R) / 2``, reported ``100 - 10 risk``, ranked
    highest first on the score rounded to one decimal (ND-GAIN's published ranks).
    """
    return IndexModel(
        name="ndgain",
        title=N_("ND-GAIN country index"),
        treatments=(
            Treatment("ndgain_vulnerability", outlier="none", goalposts=(0.0, 1.0)),
            Treatment("ndgain_readiness", outlier="none", goalposts=(0.0, 1.0)),
        ),
        root=Node("ndgain", "ND-GAIN", ("ndgain_vulnerability", "ndgain_readiness"), (1.0, 1.0)),
        report_offset=100.0,
        report_factor=-10.0,
        rank_highest_first=True,
        rank_decimals=1,
    )


def inform(
    *, thresholds: tuple[float, ...] = INFORM_THRESHOLDS, labels: tuple[str, ...] = FIVE_CLASSES
) -> IndexModel:
    """INFORM-style risk: ``risk = HE^(1/3) V^(1/3) LCC^(1/3)`` on 0-10, classes by
    ``thresholds`` (an input: INFORM revises them with each release)."""
    dims = ("inform_hazard_exposure", "inform_vulnerability", "inform_lack_of_coping_capacity")
    return IndexModel(
        name="inform",
        title=N_("INFORM-style risk"),
        treatments=tuple(Treatment(d, goalposts=(0.0, 10.0)) for d in dims),
        root=Node("inform", N_("INFORM risk"), dims, (1.0, 1.0, 1.0), aggregation="geometric"),
        classes=Classes(tuple(thresholds), tuple(labels)),
        rank_decimals=1,
    )


PRESETS: dict[str, Callable[[], IndexModel]] = {"hub": hub, "ndgain": ndgain, "inform": inform}


def weight_codes(model: IndexModel) -> list[str]:
    """Codes whose weights a user may set (every child of every pillar)."""
    return [code for node in nodes(model.root) for code in node.child_codes()]


def get_preset(
    name: str,
    weights: dict[str, float] | None = None,
    *,
    draws: int | None = None,
    seed: int | None = None,
    window_years: int | None = None,
    thresholds: tuple[float, ...] | None = None,
) -> IndexModel:
    """The preset ``name`` with optional custom weights, class thresholds and Monte
    Carlo settings.

    ``weights`` maps a pillar or indicator code to its (relative) weight within its
    parent; weights must be non-negative and not all zero within a pillar.
    ``window_years`` sets the Hub conflict goalposts to the window length.
    ``thresholds`` replace the class thresholds (e.g. a new INFORM release's); the
    preset's labels are kept when their number fits, else classes are numbered.
    """
    if name not in PRESETS:
        raise InvalidInput(
            _("Unknown preset '{preset}'. Choose one of: {presets}.").format(
                preset=name, presets=", ".join(PRESETS)
            )
        )
    model = hub(window_years=window_years) if name == "hub" and window_years else PRESETS[name]()
    if weights:
        bad = {k: v for k, v in weights.items() if not v >= 0}
        if bad:
            raise InvalidInput(
                _("Weights must be non-negative numbers; got {weights}.").format(weights=bad),
                details=[{"weights": bad}],
            )
        try:
            root = with_weights(model.root, weights)
        except KeyError as exc:
            raise InvalidInput(
                _("Unknown weight code(s) {codes} for preset '{preset}'. Use: {known}.").format(
                    codes=exc.args[0], preset=name, known=", ".join(weight_codes(model))
                )
            ) from None
        for node in nodes(root):
            if sum(node.weights) <= 0:
                raise InvalidInput(
                    _(
                        "All weights within pillar '{pillar}' are zero; give one a positive weight."
                    ).format(pillar=node.code)
                )
        model = replace(model, root=root)
    if thresholds is not None:
        model = replace(model, classes=_classes(model, thresholds))
    mc = model.montecarlo
    if draws is not None:
        if not 1 <= draws <= 10_000:
            raise InvalidInput(
                _("draws must be between 1 and 10000; got {draws}.").format(draws=draws)
            )
        mc = replace(mc, draws=draws)
    if seed is not None:
        mc = replace(mc, seed=seed)
    return replace(model, montecarlo=mc)


def _classes(model: IndexModel, thresholds: tuple[float, ...]) -> Classes:
    t = tuple(float(x) for x in thresholds)
    if not t or any(b <= a for a, b in itertools.pairwise(t)):
        raise InvalidInput(
            _("Class thresholds must be one or more increasing numbers; got {thresholds}.").format(
                thresholds=list(t)
            )
        )
    if model.classes is not None and len(model.classes.labels) == len(t) + 1:
        return Classes(t, model.classes.labels)
    return Classes(t, tuple(f"class {i}" for i in range(1, len(t) + 2)))


def parse_thresholds(text: str | None) -> tuple[float, ...] | None:
    """Parse ``"2,3.5,5,6.5"`` into class thresholds."""
    if not text:
        return None
    try:
        return tuple(float(x) for x in text.split(","))
    except ValueError:
        raise InvalidInput(
            _(
                "Cannot read thresholds '{text}'; write increasing numbers separated by commas, "
                "e.g. 2,3.5,5,6.5."
            ).format(text=text)
        ) from None


def parse_weights(text: str | None) -> dict[str, float] | None:
    """Parse ``"conflict=2,climate=1"`` into ``{"conflict": 2.0, "climate": 1.0}``."""
    if not text:
        return None
    out: dict[str, float] = {}
    for part in text.split(","):
        code, sep, value = part.partition("=")
        try:
            if not sep:
                raise ValueError
            out[code.strip()] = float(value)
        except ValueError:
            raise InvalidInput(
                _(
                    "Cannot read weight '{text}'; write code=number pairs separated by "
                    "commas, e.g. conflict=2,climate=1."
                ).format(text=part.strip())
            ) from None
    return out
