"""The built wheel, installed outside the checkout, is a working ``bakuhub``.

The wheel is built from this checkout and installed (without its dependencies) into
a fresh virtual environment in a temporary folder. The dependencies come from the
project's locked environment through a path entry, so nothing is downloaded, while
the checkout's ``src`` (and the editable install's finder) are not on the path: every
template, dataset, migration and schema must come from the wheel itself. Then, from a
folder without ``../shared``: migrate and seed, serve pages, solve a scenario at a
coarse resolution and validate an IATI export.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import httpx
import pytest

from bakuhub import testing

REPO_ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 300) -> str:
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A fresh venv with only the built wheel installed; its bin folder and environment."""
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(dist),
            str(REPO_ROOT),
        ],
        cwd=root,
        env=dict(os.environ),
    )
    wheels = list(dist.glob("bakuhub-*.whl"))
    assert len(wheels) == 1, wheels
    names = zipfile.ZipFile(wheels[0]).namelist()
    for shipped in (
        "bakuhub/datasets/iati/iati-activities-schema.xsd",
        "bakuhub/datasets/scenarios/reference-2030.yaml",
        "bakuhub/datasets/sweeps/cable-cost-co2-2030.yaml",
        "bakuhub/web/templates/base.html",
        "bakuhub/migrations/env.py",
    ):
        assert shipped in names, f"the wheel lacks {shipped}"
    venv = root / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=root, env=dict(os.environ))
    bin_dir = venv / "bin"
    # The locked dependencies, as a plain path entry: .pth files inside it (the checkout's
    # editable finder) are not processed, so `import bakuhub` can only find the wheel.
    site_dir = next(Path(p) for p in site.getsitepackages() if p.endswith("site-packages"))
    (next((venv / "lib").glob("python3*")) / "site-packages" / "deps.pth").write_text(
        f"{site_dir}\n", encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAKUHUB_")}
    env.pop("PYTHONPATH", None)
    env["BAKUHUB_DATA_DIR"] = str(root / "data")
    _run(
        [
            str(bin_dir / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheels[0]),
        ],
        cwd=root,
        env=env,
    )
    where = _run(
        [str(bin_dir / "python"), "-c", "import bakuhub, sys; print(bakuhub.__file__)"],
        cwd=root,
        env=env,
    )
    assert str(venv) in where and str(REPO_ROOT) not in where, where
    return bin_dir, env


def test_wheel_seeds_serves_solves_and_validates(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    bin_dir, env = installed
    bakuhub = str(bin_dir / "bakuhub")
    work = tmp_path / "elsewhere"  # no ../shared beside it
    work.mkdir()
    _run([bakuhub, "db", "upgrade"], cwd=work, env=env)
    _run([bakuhub, "db", "seed", "--demo"], cwd=work, env=env)
    listed = _run([bakuhub, "registry", "list", "projects"], cwd=work, env=env)
    assert "CASPIAN-LINK-FEASIBILITY" in listed

    port = testing.free_port()
    serve_env = {**env, "BAKUHUB_PORT": str(port), "BAKUHUB_REFERENCE_STUDY": "false"}
    proc = subprocess.Popen(
        [bakuhub, "serve"],
        cwd=work,
        env=serve_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        testing.wait_until_healthy(base, timeout=90, process=proc)
        home = httpx.get(f"{base}/", timeout=30)
        assert home.status_code == 200 and "bakuhub" in home.text
        assert httpx.get(f"{base}/static/style.css", timeout=30).status_code == 200
        project = httpx.get(f"{base}/api/v1/projects/CASPIAN-LINK-FEASIBILITY", timeout=30)
        assert project.status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    out = work / "study"
    _run(
        [
            bakuhub,
            "corridor",
            "solve",
            "reference-2030",
            "--resolution",
            "repdays:2/4",
            "--no-counterfactual",
            "--peak-rounds",  # the check runs; its re-sizing is tested in test_peak_days
            "0",
            "--out",
            str(out),
        ],
        cwd=work,
        env=env,
        timeout=600,
    )
    assert (out / "summary.json").is_file() and (out / "report.html").is_file()

    exported = work / "activities.xml"
    _run([bakuhub, "iati", "export", "-o", str(exported), "--validate"], cwd=work, env=env)
    said = _run([bakuhub, "iati", "validate", str(exported)], cwd=work, env=env)
    assert "valid" in said.lower()
