"""Page weight: what a first visit transfers (document, CSS, JS, images, favicon), under 200 KB.

Measured in a fresh browser context (empty cache) from Playwright's per-request sizes: response
headers plus body as they went over the wire. The figures are printed and appended to
test-artifacts/page-weights.txt so they are visible without `pytest -s`.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import LiveServer
from tests.e2e.support import PAGE_WEIGHT_BUDGET_KB, PHONE, TransferLog, record_page_weight

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/", "/needs/"], ids=["landing", "needs"])
def test_page_weight_stays_under_budget(live_server: LiveServer, open_page: Any, path: str) -> None:
    page = open_page(PHONE)
    transfers = TransferLog()
    transfers.attach(page)
    response = page.goto(path, wait_until="networkidle")
    assert response is not None
    if response.status == 404:
        pytest.skip(f"{path} does not exist yet")
    assert response.ok, (path, response.status)
    page.wait_for_load_state("networkidle")

    kilobytes = transfers.total_bytes() / 1024
    record_page_weight(page.url, kilobytes)
    loaded = sorted({r.url.removeprefix(live_server.url) for r in transfers.responses})
    assert kilobytes < PAGE_WEIGHT_BUDGET_KB, (
        f"{path} transfers {kilobytes:.1f} KB (budget {PAGE_WEIGHT_BUDGET_KB:.0f} KB): {loaded}"
    )
    assert len(loaded) >= 3, loaded  # the document, the stylesheet and the script at least
