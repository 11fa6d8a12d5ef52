"""Bulk import in a real browser (Chromium, fixtures in ``browser_support``): a focal
point downloads the transactions template from the project page, uploads it filled
in with one bad row, sees the row and column named and nothing saved, fixes the row,
previews, commits, and sees the transactions on the project page; at desktop width
and at 390 px. Records made here have refs starting with BULK-BROWSER."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from browser_support import scroll_width, shot, sign_in

API = "/api/v1"
ROWS = [
    "KAN-1,commitment,2025-01-10,90000,USD,Kanem water board",
    "KAN-2,disbursement,2025-02-30,30000,USD,Kanem water board",  # 30 February
    "KAN-3,disbursement,2025-03-12,45000,USD,Kanem water board",
]


def _project(page: Any, ref: str) -> None:
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    body = {
        "ref": ref,
        "title": "Water points in Kanem",
        "status": "2",
        "countries": [{"country": "TCD", "share": 100}],
    }
    answer = page.request.post(f"{API}/projects", data=body, headers={"X-CSRF-Token": token})
    assert answer.ok, answer.text()


def _filled(template: str, rows: list[str]) -> str:
    """The template with rows under its header: each cell in its column by name."""
    header = template.splitlines()[0].split(",")
    names = ["ref", "kind", "date", "value", "currency", "receiver_name"]
    lines = []
    for row in rows:
        cells = dict(zip(names, row.split(","), strict=True))
        lines.append(",".join(cells.get(h, "") for h in header))
    return template + "\n".join(lines) + "\n"


def _upload(page: Any, path: Path) -> None:
    page.get_by_label("What the file holds").select_option("transactions")
    page.locator("#bulk-file").set_input_files(str(path))
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state()


def test_a_focal_point_imports_transactions_from_the_template(
    any_page: Any, tmp_path: Path
) -> None:
    page = any_page
    width = page.viewport_size["width"]
    ref = f"BULK-BROWSER-{width}"
    sign_in(page, "chad")
    _project(page, ref)
    page.goto(f"/projects/{ref}")
    page.get_by_role("link", name="Bulk import").click()
    page.wait_for_url(f"**/projects/{ref}/bulk")
    with page.expect_download() as info:
        page.get_by_role("link", name="Transactions template (CSV)").click()
    template = Path(info.value.path()).read_text(encoding="utf-8")
    assert template.startswith("ref,kind,date,value,currency,")

    broken = tmp_path / "transactions.csv"
    broken.write_text(_filled(template, ROWS), encoding="utf-8")
    _upload(page, broken)
    problems = page.locator("#bulk-problems tbody tr")
    assert problems.count() == 1
    cells = problems.first.locator("td").all_inner_texts()
    assert cells[:2] == ["5", "date"], cells  # header, help and example rows come first
    assert "'2025-02-30' is not a date" in cells[2]
    assert "Nothing was imported" in page.locator("#bulk-problem").inner_text()
    assert scroll_width(page) <= width + 1
    shot(page, f"bulk-problems-{width}")

    fixed = tmp_path / "fixed.csv"
    fixed.write_text(_filled(template, [r.replace("02-30", "02-28") for r in ROWS]))
    _upload(page, fixed)
    summary = page.locator("#bulk-summary").inner_text()
    assert "3 transactions: 3 to add, 0 to update" in summary
    assert page.locator("#bulk-rows tbody tr").count() == 3
    page.get_by_role("button", name="Commit: add 3, update 0").click()
    page.wait_for_url(f"**/projects/{ref}?*")
    assert "3 added, 0 updated" in page.locator("#bulk-done").inner_text()
    table = page.locator("table.finance-table").first
    dates = table.locator("tbody tr td:first-child").all_inner_texts()
    assert dates == ["Jan 10, 2025", "Feb 28, 2025", "Mar 12, 2025"]  # in the reader's locale
    assert "Kanem water board" in table.inner_text()
    shot(page, f"bulk-done-{width}")
