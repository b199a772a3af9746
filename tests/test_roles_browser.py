"""The roles pages and the comparisons they link to, in Chromium at phone and desktop width:
the 牵头的班子职责 section, the 纪委书记's pages, the 各地一览 of /compare/circumstances/
and the clause-by-clause sanction ladders. No sideways scroll, no serious axe finding;
screenshots go to test-artifacts/screens/roles-*.png. Paths follow the data."""

from __future__ import annotations

import pytest
from test_browser import DESKTOP, PHONE, desktop, phone, screenshot, visit  # noqa: F401

from conftest import axe_problems

pytestmark = pytest.mark.browser


def pages(index) -> dict[str, str]:
    """name -> site path; the places are the first that have such a page (for the secretary:
    one where the committee it leads has duties)."""
    secretary = next(v.id for v in index.role_jurisdictions("secretary") if index.for_role("committee", v.id, ["duty"]))
    new_role = index.role_jurisdictions("commission_secretary")
    assert new_role, "no place names the 纪委书记"
    return {
        "roles-secretary-place": f"roles/secretary/{secretary}/",
        "roles-commission-secretary": "roles/commission_secretary/",
        "roles-commission-secretary-place": f"roles/commission_secretary/{new_role[0].id}/",
    }
    # /compare/circumstances/ and /compare/sanctions/ are in test_browser.PAGES (axe, width,
    # screenshots at both widths); the 一览 table is checked below.


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_roles_pages_read_on_phone_and_desktop(request, server, artifacts, index, viewport):  # noqa: F811
    tab = request.getfixturevalue(viewport)
    width = (PHONE if viewport == "phone" else DESKTOP)["width"]
    for name, path in pages(index).items():
        visit(tab, server + path)
        screenshot(tab, artifacts, name, width)
        assert tab.evaluate("document.documentElement.scrollWidth") <= width, (name, viewport)
        problems = axe_problems(tab)
        assert not problems, f"{name} ({viewport}):\n" + "\n".join(problems)


def test_led_duties_and_kind_summary_are_visible_on_a_phone(phone, server, index):  # noqa: F811
    paths = pages(index)
    visit(phone, server + paths["roles-secretary-place"])
    led = phone.locator("h2[id^='led-']").first
    assert led.is_visible() and "集体责任" in led.inner_text()
    assert phone.locator("ul.hb-led li a").count() > 0
    visit(phone, server + "compare/circumstances/")
    table = phone.locator("table.hb-kinds")
    assert table.is_visible()
    first_cell = table.locator("tbody td").first
    assert first_cell.bounding_box()["x"] < PHONE["width"]  # the counts start on screen, not off to the right
