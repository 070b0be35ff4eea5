"""A fake OS2kitos on 127.0.0.1 for the sync's tests: a real HTTP server in a thread that
answers in the shapes of /work/shared/kitos/samples (the API's DTOs), with paging,
changedSinceGtEq, the deletions feed, tokens that expire and pages that fail."""

import copy
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

EMAIL = "agentnet@kommune.dk"
PASSWORD = "hemmelig"
CVR = "29189129"
ORG = "b971f663-2c0e-44d2-9da2-fbf9cdd8df85"
SUPERUSER = "e8f90596-7031-49b9-ac8c-97a0d425bf2d"
IT_CONTACT = "c2212747-147d-449b-98a8-ae9c8e96362b"
HEALTH_UNIT = "803fd406-27e2-4785-b162-02ee6ea876d1"
TOP_UNIT = "ec982d13-849b-47e8-bd68-7be28422cdaf"
MAX_PAGE_SIZE = 250


def uuid_of(kind, n):
    """A stable, valid uuid per kind ("1" usage, "2" system, "3" user) and number."""
    return f"{kind}0000000-0000-4000-8000-{n:012d}"


def usage(n, *, name=None, modified="2025-05-01T10:00:00Z", roles=(), unit=HEALTH_UNIT):
    """A system usage in the API's shape (it_system_usages.json): roles as (user n, role)."""
    return {
        "uuid": uuid_of("1", n),
        "createdBy": {"uuid": uuid_of("3", 9999), "name": "Mette Holm"},
        "lastModified": modified,
        "lastModifiedBy": {"uuid": uuid_of("3", 9999), "name": "Jens Berg"},
        "systemContext": {"uuid": uuid_of("2", n), "name": name or f"System {n:04d}"},
        "organizationContext": {"cvr": CVR, "uuid": ORG, "name": "Eksempel Kommune"},
        "general": {"localSystemId": None, "localCallName": None, "notes": None,
                    "validity": {"valid": True, "lifeCycleStatus": "Operational"}},
        "roles": [
            {"user": {"uuid": uuid_of("3", user), "name": f"Person {user}"},
             "role": {"uuid": role, "name": "Superbruger" if role == SUPERUSER
                      else "Systemansvarlig"}}
            for user, role in roles
        ],
        "organizationUsage": {
            "usingOrganizationUnits": [],
            "responsibleOrganizationUnit": (
                {"uuid": unit, "name": "Sundhed og Omsorg"} if unit else None
            ),
        },
        "localKLEDeviations": {"addedKLE": [], "removedKLE": []},
        "externalReferences": [],
        "archiving": {},
        "gdpr": {},
        "outgoingSystemRelations": [],
    }


def it_system(n, *, vendor="Systematic A/S", description="Elektronisk omsorgsjournal"):
    return {
        "uuid": uuid_of("2", n), "externalUuid": None, "parentSystem": None,
        "name": f"System {n:04d}", "formerName": None, "description": description,
        "externalReferences": [], "kle": [], "deactivated": False,
        "businessType": {"uuid": "22222222-2222-4222-8222-222222222222", "name": "Fagsystem"},
        "rightsHolder": {"cvr": "12345678", "uuid": "33333333-3333-4333-8333-333333333333",
                         "name": vendor},
        "lastModified": "2025-01-10T08:00:00Z", "scope": "Global",
    }


def user(n, email):
    first, last = "Person", str(n)
    return {"firstName": first, "lastName": last, "email": email, "phoneNumber": None,
            "apiAccess": False, "roles": ["User"], "uuid": uuid_of("3", n),
            "name": f"{first} {last}"}


class FakeKitos:
    """The state the server answers from; tests change it between runs."""

    def __init__(self):
        self.organizations = [
            {"organizationType": "Municipality", "cvr": CVR, "uuid": ORG,
             "name": "Eksempel Kommune"},
            {"organizationType": "CommunityOfInterest", "cvr": None,
             "uuid": "3dc52c64-3706-40f4-bf58-45035bb37ddd", "name": "Fælles IT"},
        ]
        self.role_types = [
            {"writeAccess": True, "description": None, "uuid": SUPERUSER, "name": "Superbruger"},
            {"writeAccess": True, "description": "Teknisk kontakt", "uuid": IT_CONTACT,
             "name": "Systemansvarlig"},
        ]
        self.units = [
            {"parentOrganizationUnit": None, "ean": None, "unitId": "1000",
             "origin": "STSOrganisation", "uuid": TOP_UNIT, "name": "Eksempel Kommune"},
            {"parentOrganizationUnit": {"uuid": TOP_UNIT, "name": "Eksempel Kommune"},
             "ean": 5798000000001, "unitId": "1200", "origin": "Kitos",
             "uuid": HEALTH_UNIT, "name": "Sundhed og Omsorg"},
        ]
        self.usages = []
        self.systems = {}
        self.users = {}
        self.deleted = []
        self.tokens = set()
        self.tokens_issued = 0
        # After this many more authorised calls every token stops working (as at expiry).
        self.expire_tokens_after = None
        # (path, page) -> how many more times to answer 500; None: every time.
        self.failures = {}
        # (path, page) -> how many more times to hang up without an answer.
        self.hang_ups = {}
        # (path, page) -> seconds to wait before the next answer (once).
        self.delays = {}
        # path -> a status that the path answers (a 4xx: not tried again).
        self.refusals = {}
        self.requests = []
        self.lock = threading.Lock()

    def add(self, n, *, roles=(), modified="2025-05-01T10:00:00Z", **system):
        self.usages.append(usage(n, roles=roles, modified=modified))
        self.systems[uuid_of("2", n)] = it_system(n, **system)

    def change(self, n, **fields):
        for item in self.usages:
            if item["uuid"] == uuid_of("1", n):
                item.update(fields)
                return item
        raise KeyError(n)

    def delete(self, n, at):
        self.usages = [u for u in self.usages if u["uuid"] != uuid_of("1", n)]
        self.deleted.append(
            {"occurredAtUtc": at, "entityUuid": uuid_of("1", n), "entityType": "ItSystemUsage"}
        )

    def asked(self, path):
        """The query parameters of each request for a path, in order."""
        return [params for p, params in self.requests if p == path]

    # Answers

    def answer(self, method, path, params, body, authorization):
        with self.lock:
            self.requests.append((path, params))
            if method == "POST" and path == "/api/authorize/GetToken":
                return self._token(body)
            token = authorization.removeprefix("Bearer ")
            if token not in self.tokens:
                return 401, "text/plain", "Unauthorized"
            if self.expire_tokens_after is not None:
                self.expire_tokens_after -= 1
                if self.expire_tokens_after < 0:
                    self.tokens.clear()
                    self.expire_tokens_after = None
                    return 401, "text/plain", "Unauthorized"
            if path in self.refusals:
                return self.refusals[path], "text/plain", "Forbidden"
            key = (path, params.get("page", "0"))
            if self.hang_ups.get(key):
                self.hang_ups[key] -= 1
                return None, None, None
            if key in self.delays:
                return self.delays.pop(key), None, None
            if key in self.failures:
                left = self.failures[key]
                if left is None or left > 0:
                    if left is not None:
                        self.failures[key] = left - 1
                    return 500, "application/json", json.dumps({"msg": "Internal error"})
            return self._get(path, params)

    def _token(self, body):
        if body.get("email") != EMAIL or body.get("password") != PASSWORD:
            return 401, "application/json", json.dumps({
                "msg": "Du har ikke adgang til denne funktion log ind med en bruger og prøv igen",
                "response": {},
            })
        self.tokens_issued += 1
        token = f"eyJhbGciOiJIUzI1NiJ9.{self.tokens_issued}.y"
        self.tokens.add(token)
        return 200, "application/json", json.dumps({"msg": "", "response": {
            "token": token, "email": EMAIL, "loginSuccessful": True,
            "expires": "2099-06-05T08:14:59.12Z",
        }})

    def _get(self, path, params):
        parts = path.strip("/").split("/")
        if path == "/api/v2/organizations":
            cvr = params.get("cvrContent", "")
            return self._page([o for o in self.organizations if cvr in (o["cvr"] or "")],
                              params)
        if path == "/api/v2/it-system-usages":
            items = [u for u in self.usages
                     if u["organizationContext"]["uuid"] == params.get("organizationUuid")]
            since = params.get("changedSinceGtEq")
            if since:
                items = [u for u in items if _utc(u["lastModified"]) >= _utc(since)]
            items.sort(key=lambda u: _utc(u["lastModified"]))
            return self._page(items, params)
        if path == "/api/v2/it-system-usage-role-types":
            return self._page(self.role_types if params.get("organizationUuid") == ORG else [],
                              params)
        if path == "/api/v2/delta-feed/deleted-entities":
            since = params.get("deletedSinceUTC")
            items = [d for d in self.deleted
                     if d["entityType"] == params.get("entityType")
                     and (not since or _utc(d["occurredAtUtc"]) >= _utc(since))]
            return self._page(items, params)
        if parts[:3] == ["api", "v2", "it-systems"] and len(parts) == 4:
            return self._one(self.systems.get(parts[3]))
        if parts[:3] == ["api", "v2", "organizations"] and parts[3:5] == [ORG, "users"]:
            return self._one(self.users.get(parts[5]) if len(parts) == 6 else None)
        if parts[:3] == ["api", "v2", "organizations"] and parts[4:] == ["organization-units"]:
            return self._page(self.units if parts[3] == ORG else [], params)
        return 404, "text/plain", "Not found"

    @staticmethod
    def _page(items, params):
        size = int(params.get("pageSize", MAX_PAGE_SIZE))
        if not 1 <= size <= MAX_PAGE_SIZE:
            return 400, "application/json", json.dumps({"msg": "pageSize must be 1-250"})
        page = int(params.get("page", 0))
        return 200, "application/json", json.dumps(items[page * size:(page + 1) * size])

    @staticmethod
    def _one(item):
        if item is None:
            return 404, "text/plain", "Not found"
        return 200, "application/json", json.dumps(copy.deepcopy(item))


def _utc(value):
    # ISO strings of one shape compare as text; trailing fractions are cut to seconds.
    return value[:19]


class _Handler(BaseHTTPRequestHandler):
    def _serve(self, method):
        url = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(url.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}") if length else {}
        status, kind, text = self.server.fake.answer(
            method, url.path, params, body, self.headers.get("Authorization", "")
        )
        if status is None:
            self.close_connection = True  # hang up: the client sees a broken connection
            return
        if kind is None:
            time.sleep(status)  # slower than the client waits: it gives up and asks again
            return
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._serve("GET")

    def do_POST(self):
        self._serve("POST")

    def log_message(self, *args):
        pass


class KitosServer:
    """Starts the fake on a free port of 127.0.0.1; `url` is its address."""

    def __init__(self, fake):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.fake = fake
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()
