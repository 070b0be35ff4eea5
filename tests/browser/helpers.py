"""What the browser tests do again and again: sign in, check accessibility, follow the focus."""

import re
from dataclasses import dataclass, field

from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from agents.demo import DEMO_PASSWORD
from agents.models import User

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()


def obj(model, **lookup):
    """The primary key of one object of the demo data, looked up when a test needs it.

    obj("agents.Agent", user__username="mette")"""
    return lambda: apps.get_model(model).objects.get(**lookup).pk


def first(model, *order_by, **lookup):
    """Like obj(), for the first of several matches in the given order.

    first("meetings.Meeting", "date", status="published"): the next published erfa-day."""
    return lambda: (
        apps.get_model(model).objects.filter(**lookup).order_by(*order_by, "pk")
        .values_list("pk", flat=True)[0]
    )


@dataclass(frozen=True)
class Visit:
    """A page to check: its URL name and arguments, and who looks at it."""

    id: str
    url_name: str
    args: list = field(default_factory=list)  # values, or obj(...) looked up at test time
    query: str = ""
    user: str | None = None  # signed in as this demo user; None: anonymous

    def url(self):
        args = [arg() if callable(arg) else arg for arg in self.args]
        path = reverse(self.url_name, args=args)
        return f"{path}?{self.query}" if self.query else path


def sign_in(page, username, password=DEMO_PASSWORD):
    """Sign in through the real form, as a person would. Starts on the sign-in page if not on it."""
    if "/log-ind/" not in page.url:
        page.goto("/log-ind/")
    page.locator("#id_username").press_sequentially(username)
    page.locator("#id_password").press_sequentially(password)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/log-ind/"))


def log_in(context, username, live_server_url):
    """Give the context a signed-in session without the form: for tests about other pages."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    context.add_cookies([
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": live_server_url,
        }
    ])


def set_language(context, language, live_server_url):
    """What the footer's language buttons store: the language cookie."""
    context.add_cookies([
        {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server_url}
    ])


def axe_violations(page):
    """axe-core's WCAG 2.1 A/AA violations on the current page, as readable lines."""
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    results = _axe.run(page, options=options)
    lines = []
    for violation in results.response["violations"]:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['failureSummary']}")
    return lines


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, f"axe found WCAG 2.1 A/AA violations on {page.url}:\n" + "\n".join(
        violations
    )


# The focused element, and whether it shows a focus indicator: an outline or a box shadow.
FOCUS_SCRIPT = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== "none";
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute("name") || "",
    type: el.getAttribute("type") || "",
    href: el.getAttribute("href") || "",
    text: (el.innerText || el.value || "").trim().slice(0, 60),
    classes: el.className,
    indicator: outline || shadow,
    visible: box.width > 0 && box.height > 0,
  };
}
"""

# Remembers each element Tab reached, to compare with what should be reachable.
RECORD_SCRIPT = "() => (window.tabbedTo ||= new Set()).add(document.activeElement)"

# Everything a keyboard user should be able to reach on the page that Tab did not reach.
UNREACHED_SCRIPT = """
() => Array.from(document.querySelectorAll(
  "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]),"
  + " select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])"
))
  .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden")
  .filter((el) => !(window.tabbedTo || new Set()).has(el))
  .map((el) => el.outerHTML.slice(0, 100))
"""


def focused(page):
    return page.evaluate(FOCUS_SCRIPT)


def describe(element):
    if element is None:
        return "nothing (body)"
    label = element["href"] or element["name"] or element["id"] or element["text"]
    return f"<{element['tag']}> {label!r}"


def tab_to(page, matches, limit=80):
    """Press Tab until the focused element (None: focus left the page) matches.

    Every stop on the way must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if element is not None:
            assert element["indicator"], f"no visible focus indicator on {describe(element)}"
        if matches(element):
            return element
    raise AssertionError(f"Tab never reached the element on {page.url}")


def tab_through(page, limit=150):
    """Press Tab round the whole page once; return the stops in tab order from the top.

    Every stop must show a focus indicator and be visible. A page that puts focus in a field
    (autofocus) is first tabbed to its end, so that the round starts at the top."""
    at_top = focused(page) is None
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if element is None:  # focus left the page after its last stop
            if at_top and stops:
                return stops
            at_top = True
            continue
        assert element["indicator"], f"no visible focus indicator on {describe(element)}"
        assert element["visible"], f"focus on an invisible element: {describe(element)}"
        if at_top:
            if stops and element == stops[0]:  # came round without leaving the page
                return stops
            page.evaluate(RECORD_SCRIPT)
            stops.append(element)
    raise AssertionError(f"Tab did not come round on {page.url} in {limit} presses")


def unreached_focusables(page):
    """Links, buttons and fields on the page that tab_through() never reached."""
    return page.evaluate(UNREACHED_SCRIPT)


def expect_signed_in_as(page, full_name):
    """The header's sign-out button carries the signed-in person's name (data, not UI text)."""
    expect(page.locator("header form[action='/log-ud/'] button")).to_contain_text(full_name)
