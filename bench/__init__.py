"""The performance benchmark behind `make bench` (docs/performance.md).

Nothing here is part of the site, and no app imports it. Modules: seed (the networks), pages
(each page's queries and server time, in process), load (open-loop load on gunicorn), report
(the budgets and docs/performance.md) and run (the whole benchmark, for one commit or two).
"""
