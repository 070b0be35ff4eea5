"""Every page a demo person can reach by following links answers without a server error.

On `seed_demo`'s network, after a new MUS round is opened (so development goals carry over
into fresh drafts), each person of README's demo sign-ins starts at the start page and
follows every link (GET only), a few of each address shape, as
`../shared/tools/crawl_demo.py` does by hand; so, for fewer pages, does everyone else in the
demo network.
"""

import re
import traceback
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from agents.models import User
from competencies import services as competency_services
from competencies.models import Assessment, DevelopmentGoal, MusRound

pytestmark = pytest.mark.django_db

# Not followed: what signs out, changes the language or deletes (a GET should not, but a
# crawl is no place to find out), the admin's pages, files, and other documents than pages.
SKIP = re.compile(
    r"log-?ud|logout|/sprog/|/admin/|/static/|/media/|slet|delete|mailto:|tel:|javascript:"
    r"|\.ics$",
    re.IGNORECASE,
)
PER_SHAPE = 3  # /projekter/12/ and /projekter/13/ are one shape: a few of each, not all
MAX_PAGES = 150  # per person of README's table
# Everyone else in the demo network follows fewer links: their pages are the same shapes,
# with their own data (their own assessment with its carried goals, say).
MAX_PAGES_OTHERS = 20


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and (href := dict(attrs).get("href")):
            self.hrefs.append(href)


def _shape(path):
    return re.sub(r"\d+", "N", urlsplit(path).path)


def demo_people():
    """The user names of README's table of demo sign-ins."""
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Demo sign-ins", 1)[1].split("\n\n", 2)[2].split("\n\n", 1)[0]
    return re.findall(r"^\| `([^`]+)` \|", table, flags=re.MULTILINE)


def crawl_as(user, max_pages=MAX_PAGES):
    """(pages seen, [(address, what went wrong)]) for one person."""
    client = Client(raise_request_exception=True)
    client.force_login(user)
    seen, shapes, failures, queue = set(), {}, [], deque(["/"])
    while queue and len(seen) < max_pages:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        try:
            response = client.get(url)
        except Exception as error:  # a view that raises is what the crawl looks for
            where = traceback.extract_tb(error.__traceback__)[-1]
            failures.append((url, f"{type(error).__name__}: {error} "
                                  f"({where.filename.rsplit('/', 1)[-1]}:{where.lineno})"))
            continue
        if response.status_code >= 500:
            failures.append((url, f"HTTP {response.status_code}"))
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        links = Links()
        links.feed(response.content.decode())
        for href in links.hrefs:
            target = urldefrag(urljoin(url, href))[0]
            parts = urlsplit(target)
            if parts.netloc not in ("", "testserver") or SKIP.search(target):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            shape = _shape(path)
            if path not in seen and shapes.get(shape, 0) < PER_SHAPE:
                shapes[shape] = shapes.get(shape, 0) + 1
                queue.append(path)
    return len(seen), failures


def test_no_page_a_demo_person_reaches_answers_a_server_error():
    call_command("seed_demo", verbosity=0)
    current = MusRound.objects.order_by("-year").select_related("framework").first()
    competency_services.open_round(year=current.year + 1, framework=current.framework)
    carried = DevelopmentGoal.objects.filter(
        assessment__round__year=current.year + 1, carried_from__isnull=False
    )
    # The new round's drafts hold goals carried over, the case that once broke a page.
    assert carried.exists()
    assert Assessment.objects.filter(round__year=current.year + 1).count() > 10
    people = demo_people()
    assert len(people) >= 7 and "lise" in people and "kasper" in people

    others = User.objects.filter(is_active=True).exclude(username__in=people).order_by("pk")
    assert others.count() > 10

    crawled, failures = 0, []
    for username in people:
        pages, broken = crawl_as(User.objects.get(username=username))
        # Each person got past the start page.
        assert pages > 10, f"{username} reached only {pages} pages"
        crawled += pages
        failures += [f"{username}: {url} -> {why}" for url, why in broken]
    for user in others:
        pages, broken = crawl_as(user, max_pages=MAX_PAGES_OTHERS)
        crawled += pages
        failures += [f"{user.username}: {url} -> {why}" for url, why in broken]

    assert not failures, f"{len(failures)} of {crawled} pages broke:\n" + "\n".join(failures)
