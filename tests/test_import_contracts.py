"""The import contracts of pyproject.toml hold, and would catch a forbidden import.

`make test` runs `lint-imports` too; these tests read the same contracts, check them on
the real import graph, and then add one forbidden import to a copy of that graph to
show that each contract would fail.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import grimp
import pytest
from importlinter.configuration import configure
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract

REPO_ROOT = Path(__file__).resolve().parents[1]
configure()  # import-linter's own settings (its clock), as its command line does
KINDS: dict[str, type[Any]] = {
    "layers": LayersContract,
    "forbidden": ForbiddenContract,
    "acyclic_siblings": AcyclicSiblingsContract,
}


def _config() -> dict[str, Any]:
    with (REPO_ROOT / "pyproject.toml").open("rb") as handle:
        config: dict[str, Any] = tomllib.load(handle)["tool"]["importlinter"]
    return config


def _contract(contract_id: str) -> Any:
    config = _config()
    options = next(c for c in config["contracts"] if c["id"] == contract_id)
    session = {
        "root_packages": [config["root_package"]],
        "include_external_packages": config["include_external_packages"],
    }
    raw = {
        k: (v if isinstance(v, list) else str(v).lower() if isinstance(v, bool) else v)
        for k, v in options.items()
        if k not in ("id", "name", "type")
    }
    return KINDS[options["type"]](
        name=options["name"], session_options=session, contract_options=raw
    )


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("bakuhub", include_external_packages=True, cache_dir=None)


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return _graph()


@pytest.mark.parametrize("contract_id", [c["id"] for c in _config()["contracts"]])
def test_the_code_keeps_every_contract(graph: grimp.ImportGraph, contract_id: str) -> None:
    check = _contract(contract_id).check(graph, verbose=False)
    assert check.kept, f"contract {contract_id} is broken: {check.metadata}"


@pytest.mark.parametrize(
    ("contract_id", "importer", "imported"),
    [
        ("layers", "bakuhub.db", "bakuhub.web.app"),  # the database reaching up to the web
        ("layers", "bakuhub.registry.service", "bakuhub.cli"),
        ("pure-cores", "bakuhub.corridor.network", "bakuhub.db"),  # the model on the database
        ("pure-cores", "bakuhub.risk.steps", "sqlalchemy"),
        ("interfaces-use-services", "bakuhub.web.routes.registry", "bakuhub.registry.models"),
        ("acyclic", "bakuhub.corridor.network", "bakuhub.corridor.solve"),
        (
            "corridor-model-apart-from-data-build",
            "bakuhub.corridor.network",
            "bakuhub.corridor.data.build",
        ),
        ("data-build-extra", "bakuhub.corridor.solve", "pvlib"),
        ("testing-apart", "bakuhub.web.app", "bakuhub.testing.clients"),
    ],
)
def test_a_forbidden_import_is_caught(contract_id: str, importer: str, imported: str) -> None:
    broken = _graph()
    broken.add_import(importer=importer, imported=imported, line_number=1, line_contents="x")
    check = _contract(contract_id).check(broken, verbose=False)
    assert not check.kept, f"contract {contract_id} did not catch {importer} -> {imported}"
