"""The benchmark server's URLconf: the site's own URLs plus the bare "ceiling" view.

Only the benchmark selects it (DJANGO_ROOT_URLCONF=bench.urls); agentnet.urls does not know
the ceiling view, so it cannot be reached on a normal server.
"""

from functools import lru_cache

from django.http import HttpResponse
from django.urls import path

from agentnet.urls import urlpatterns as site_urlpatterns
from bench import CEILING_PREFIX

MAX_SIZE = 2_000_000
HEAD = '<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Ceiling</title></head>'
HEAD += "<body><main>"
TAIL = "</main></body></html>\n"
LINE = "<p>" + "AgentNet " * 8 + "</p>\n"


@lru_cache(maxsize=64)
def prebuilt(size):
    """An HTML page of exactly `size` bytes, built once per size."""
    filler = max(0, size - len(HEAD) - len(TAIL))
    body = (LINE * (filler // len(LINE) + 1))[:filler]
    return (HEAD + body + TAIL).encode()


def ceiling(request, size):
    # No database work and no template: what every page costs at least, through the same
    # middleware (session, sign-in check, CSRF, CSP, …) as the real pages.
    return HttpResponse(prebuilt(min(size, MAX_SIZE)), content_type="text/html; charset=utf-8")


urlpatterns = [
    path(f"{CEILING_PREFIX.strip('/')}/<int:size>/", ceiling, name="bench_ceiling"),
    *site_urlpatterns,
]
