"""The data build stands apart from the model; its optional extra fails with a sentence."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bakuhub.corridor.data import modelled


def test_solving_needs_neither_the_data_build_nor_its_extra() -> None:
    code = (
        "import sys, bakuhub.corridor.run_study, bakuhub.corridor.study_store; "
        "print(sorted(m for m in sys.modules if (m + '.').startswith('bakuhub.corridor.data.') "
        "or m.split('.')[0] in ('pvlib', 'windpowerlib')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # only the user-file readers (re-exported by bakuhub.corridor) and their constants
    assert out.stdout.strip() == str(
        [
            "bakuhub.corridor.data",
            "bakuhub.corridor.data.assumptions",
            "bakuhub.corridor.data.loaders",
        ]
    )


@pytest.mark.parametrize(
    ("package", "call"),
    [
        ("pvlib", lambda: modelled.pv_clearsky_availability(40.4, 49.9, 1500.0)),
        ("windpowerlib", modelled.turbine_curve),
    ],
)
def test_a_missing_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, package: str, call: object
) -> None:
    monkeypatch.setitem(sys.modules, package, None)  # as if not installed
    with pytest.raises(modelled.MissingExtra) as caught:
        call()  # type: ignore[operator]
    assert caught.value.message.startswith(f"{package} is not installed")
    assert "pip install bakuhub[data-build]" in caught.value.message
