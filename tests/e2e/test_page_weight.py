"""Page weight: what a first visit transfers (document, CSS, JS, images, favicon), under 200 KB.

Measured in a fresh browser context (empty cache) from Playwright's per-request sizes: response
headers plus body as they went over the wire. The needs list is measured full: 24 open needs
(a page of 20 and the pagination), each with skills and languages. The figures appear in the
terminal summary ("page weights") and in test-artifacts/page-weights.txt, resource by resource.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.e2e.conftest import LiveServer
from tests.e2e.support import (
    PAGE_WEIGHT_BUDGET_KB,
    PHONE,
    PageWeight,
    TransferLog,
    record_page_weight,
)

pytestmark = pytest.mark.browser

OPEN_NEEDS = 24


@pytest.fixture(scope="module")
def seeded(live_server: LiveServer) -> int:
    """Open needs from several institutions, with the details the list shows."""
    from tests.factories.institutions import InstitutionFactory
    from tests.factories.needs import NeedFactory

    with live_server.app.app_context():
        institutions = [InstitutionFactory(name=f"Institution {n} of Rwanda") for n in range(4)]
        for n in range(OPEN_NEEDS):
            NeedFactory(
                institution=institutions[n % 4],
                title=f"Knowledge transfer in clinical and technical field number {n}",
                sector=("health", "education", "ict", "agriculture")[n % 4],
                skills=[("paediatric nursing", "must"), ("data analysis", "nice"), "teaching"],
                languages=["en", "fr", "rw"],
            )
        db.session.commit()
        db.session.remove()
    return OPEN_NEEDS


@pytest.mark.parametrize(("name", "path"), [("landing", "/"), ("needs", "/needs/")])
def test_page_weight_stays_under_budget(
    live_server: LiveServer, open_page: Any, seeded: int, name: str, path: str
) -> None:
    page = open_page(PHONE)
    transfers = TransferLog()
    transfers.attach(page)
    response = page.goto(path, wait_until="networkidle")
    assert response is not None and response.ok, (path, response and response.status)
    if name == "needs":
        # The list is full: a page of results and the way to the next.
        expect(page.locator("main article")).to_have_count(20)
        expect(page.locator("nav.pagination a[rel=next]")).to_be_visible()

    sizes = transfers.sizes(live_server.url)
    kilobytes = transfers.total_bytes() / 1024
    record_page_weight(
        PageWeight(name, path, kilobytes, tuple((p, size / 1024) for p, size in sizes))
    )
    loaded = [p for p, _ in sizes]
    assert kilobytes < PAGE_WEIGHT_BUDGET_KB, (
        f"{path} transfers {kilobytes:.1f} KB (budget {PAGE_WEIGHT_BUDGET_KB:.0f} KB): {sizes}"
    )
    assert path in loaded and "/static/css/app.css" in loaded, loaded
    assert any(p.startswith("/static/js/") for p in loaded), loaded
