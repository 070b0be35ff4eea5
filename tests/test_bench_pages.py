"""The benchmark's first budgets (docs/performance.md), held on any machine: every page of
`make bench` makes the same number of queries, at most 15, on a network and on one with
several times its projects, updates, erfa-days and agents; and its cost does not grow with
the data. The cost is counted in Python function calls, which unlike a time do not drift with
the speed of a shared machine: on the bigger network at most 1.5 × those on the first. One
run of the daily digest for everyone makes as many queries on both networks.

Both networks are bigger than a page of every list, so the pages show as many rows on both:
what is left to grow is what a page should not do, such as reading a table into Python.
"""

from dataclasses import replace

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.management import call_command

from agents.permissions import FACILITATOR, MANAGER
from bench.pages import PAGES, digest_queries, inspect, python_calls, visit
from bench.seed import Counts, seed_network

# Transactional: the network is made, measured, emptied and made again, bigger.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MOST_QUERIES = 15
MOST_GROWTH = 1.5

# The coverage heatmap shows a department once at least 3 of its agents have answered: with
# every agent assessed and 12 departments, nearly every department shows on both networks,
# as on a real one, and what is left to grow is the counting.
NETWORK = Counts(
    departments=12, towns=4, agents=60, managers=2, it_contacts=3, systems=28,
    superusers_per_system=3, projects=300, project_updates=3000, rollouts=200, ideas=30,
    meetings=12, meetings_ahead=3, speakers=4, mus_rounds=2, assessments=60,
)
BIGGER = replace(
    NETWORK, agents=180, managers=6, projects=1200, project_updates=12000, rollouts=800,
    ideas=120, meetings=36, assessments=180,
)


def measure_pages():
    """Each page's query count and Python function calls, measured as make bench does."""
    # Nothing cached for an earlier network (by the same primary keys) is read for this one.
    for cache in caches.all():
        cache.clear()
    figures = {}
    for page in PAGES:
        path, client = visit(page)
        figures[page.name] = (inspect(client, path, warmup=2)["queries"],
                              python_calls(client, path))
    return figures


def test_pages_cost_the_same_on_a_bigger_network():
    seed_network(NETWORK)
    network = measure_pages()
    network_digest = digest_queries()
    call_command("flush", interactive=False, verbosity=0)
    # The roles' groups come from a data migration, which the flush emptied.
    for role in (FACILITATOR, MANAGER):
        Group.objects.create(name=role)
    seed_network(BIGGER)
    bigger = measure_pages()
    bigger_digest = digest_queries()

    # The daily digest for everyone, as make bench measures it: not a query per person.
    assert bigger_digest["people"] > network_digest["people"] > 0
    assert bigger_digest["queries"] == network_digest["queries"]
    queries = {name: (network[name][0], bigger[name][0]) for name in network}
    growth = {name: round(bigger[name][1] / network[name][1], 2) for name in network}
    assert {name: q for name, q in queries.items() if q[0] != q[1] or q[1] > MOST_QUERIES} == {}
    assert {name: g for name, g in growth.items() if g > MOST_GROWTH} == {}


def test_the_weights_of_the_page_mix_add_up_to_100():
    assert sum(page.weight for page in PAGES) == 100
    assert len({page.name for page in PAGES}) == len(PAGES)
