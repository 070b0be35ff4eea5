"""The performance benchmark behind `make bench` (see docs/performance.md).

Nothing here is part of the running site: the pages are measured through the normal URLconf,
and the ceiling view is only reachable through bench.urls, which the benchmark's own server
selects with DJANGO_ROOT_URLCONF.
"""

# The bare "ceiling" view: a prebuilt page of a given size, served by bench.urls only.
CEILING_PREFIX = "/__bench__/ceiling/"


def ceiling_path(size):
    return f"{CEILING_PREFIX}{int(size)}/"
