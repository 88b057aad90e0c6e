"""axe-core (bundled by axe-playwright-python) in headless Chromium on every HTML page of the
permission matrix, for every role that may open it: staff at a desktop and a phone width, trainees
and visitors on a phone. Any serious or critical violation of WCAG 2.2 A/AA (target size
included) fails the test, naming the page, the role, the rule and the elements."""

import os
from datetime import timedelta

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from training.tests.test_permission_matrix import EXPECTED, KINDS, every_url_name, url_for, world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
WIDTHS = {
    "anonymous": (PHONE,),
    "trainee": (PHONE,),
    "advisor": (PHONE, DESKTOP),
    "organizer": (DESKTOP, PHONE),
    "admin": (DESKTOP,),
}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SERIOUS = {"serious", "critical"}
# On a phone every control is at least 44 × 44 CSS px (buttons, tab and page links, fields; a
# checkbox or radio counts with its label row). Links inside running text are exempt, as in WCAG.
SMALL_TARGETS = """() => {
  const small = [];
  const seen = (el) => { const s = getComputedStyle(el); return s.visibility !== 'hidden' && s.display !== 'none' && el.getClientRects().length; };
  const selector = 'button, .btn, .nav-link, .page-link, .navbar-toggler, select, textarea, input:not([type=hidden])';
  for (const el of document.querySelectorAll(selector)) {
    if (!seen(el) || el.closest('[hidden], .d-none, .visually-hidden, .visually-hidden-focusable')) continue;
    let box = el.getBoundingClientRect();
    if (el.type === 'checkbox' || el.type === 'radio') {
      const row = el.closest('.form-check, label') || el;
      box = row.getBoundingClientRect();
    }
    if (box.height < 44 || box.width < 44) {
      const name = (el.getAttribute('aria-label') || el.textContent || el.name || el.type || '').trim().slice(0, 20);
      small.push(`${el.tagName.toLowerCase()}「${name}」${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return small;
}"""


def html_pages(role, user, data):
    """The URLs this role may open that answer a whole HTML page (not a fragment, PDF or Excel)."""
    client = Client()
    if user:
        client.force_login(user)
    pages = []
    for name, route in every_url_name():
        if KINDS[EXPECTED[name]][role] != 200:
            continue
        url = url_for(name, route, data)
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            if b"<html" in response.content[:500]:
                pages.append((name, url))
    return pages, client.cookies.get(settings.SESSION_COOKIE_NAME)


def test_every_page_meets_wcag_2_2_aa_for_every_role(live_server, browser, world):  # noqa: F811 (a fixture)
    axe = Axe()
    checked, problems = 0, []
    with time_machine.travel(world["now"] + timedelta(minutes=1), tick=False):
        for role, widths in WIDTHS.items():
            pages, cookie = html_pages(role, world["users"][role], world)
            for viewport in widths:
                context = browser.new_context(
                    viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE
                )
                if cookie:
                    context.add_cookies(
                        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
                    )
                page = context.new_page()
                for name, url in pages:
                    page.goto(f"{live_server.url}{url}")
                    page.wait_for_load_state("networkidle")
                    results = axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
                    checked += 1
                    if viewport is PHONE:
                        small = page.evaluate(SMALL_TARGETS)
                        if small:
                            problems.append(
                                f"{name} as {role} at 390 px: targets under 44 px ({len(small)}×) {small[:4]}"
                            )
                    for violation in results.response["violations"]:
                        if violation["impact"] in SERIOUS:
                            targets = [" ".join(map(str, n["target"])) for n in violation["nodes"]][:4]
                            problems.append(
                                f"{name} as {role} at {viewport['width']} px: {violation['id']} "
                                f"({violation['impact']}, {len(violation['nodes'])}×) {targets}"
                            )
                context.close()
    print(f"axe-core checked {checked} page loads")
    if os.environ.get("A11Y_REPORT"):
        with open(os.environ["A11Y_REPORT"], "w") as f:
            f.write("\n".join(problems))
    assert checked > 100
    assert problems == [], "\n".join(problems)
