"""A client for the parts of OS2kitos' public REST API (v2) that AgentNet reads.

The rules of the API (docs/deployment.md, "Systems from OS2kitos"): a token from
POST /api/authorize/GetToken, valid 24 hours with no refresh, so it is asked for again when it
has expired or a call answers 401; lists are bare JSON arrays paged by `page` (from 0) and
`pageSize` (at most 250), the last page being the short one; dates are UTC ISO strings.
"""

import logging
import time
from datetime import UTC, datetime

import requests

logger = logging.getLogger(__name__)

PAGE_SIZE = 250
# Seconds to connect and to wait for an answer: KITOS answers a page of 250 usages slowly.
TIMEOUT = (10, 60)
# A server error or a broken connection is tried this many times in all before the run fails.
ATTEMPTS = 3
# Seconds before the second try, doubled for each try after it.
BACKOFF = 1.0


class KitosError(Exception):
    """KITOS could not be read: the run stops and changes nothing."""


def parse_time(value):
    """KITOS' UTC ISO time ("2025-05-02T11:29:43.02Z") as an aware datetime, or None."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_time(value):
    """An aware datetime as the UTC ISO string KITOS' query parameters take."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


class KitosClient:
    def __init__(self, url, email, password, *, timeout=None, attempts=ATTEMPTS, backoff=None):
        self.url = url.rstrip("/")
        self.email = email
        self.password = password
        self.timeout = TIMEOUT if timeout is None else timeout
        self.attempts = attempts
        self.backoff = BACKOFF if backoff is None else backoff
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"
        self._token = None
        self._token_expires = None

    # The token

    def _fetch_token(self):
        response = self._send(
            "POST", "/api/authorize/GetToken",
            json={"email": self.email, "password": self.password}, auth=False,
        )
        if response.status_code == 401:
            raise KitosError(f"KITOS refused the user {self.email}: {_message(response)}")
        _raise_for_status(response)
        answer = response.json().get("response") or {}
        if not answer.get("token"):
            raise KitosError(f"KITOS gave no token: {_message(response)}")
        self._token = answer["token"]
        self._token_expires = parse_time(answer.get("expires"))

    def _token_valid(self):
        if self._token is None:
            return False
        return self._token_expires is None or self._token_expires > datetime.now(UTC)

    # Requests

    def _send(self, method, path, *, params=None, json=None, auth=True):
        """One request, tried again on a server error or a broken connection (a 4xx is an
        answer and is not tried again)."""
        headers = {"Authorization": f"Bearer {self._token}"} if auth else {}
        for attempt in range(1, self.attempts + 1):
            try:
                response = self.session.request(
                    method, self.url + path, params=params, json=json, headers=headers,
                    timeout=self.timeout,
                )
            except (requests.ConnectionError, requests.Timeout) as error:
                if attempt == self.attempts:
                    raise KitosError(f"KITOS could not be reached ({path}): {error}") from error
                logger.warning("KITOS %s %s: %s; trying again", method, path, error)
            else:
                if response.status_code < 500:
                    return response
                if attempt == self.attempts:
                    raise KitosError(
                        f"KITOS answered {response.status_code} to {path} "
                        f"{self.attempts} times: {_message(response)}"
                    )
                logger.warning("KITOS %s %s answered %s; trying again",
                               method, path, response.status_code)
            time.sleep(self.backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable")  # pragma: no cover

    def get(self, path, params=None, *, missing_ok=False):
        """The JSON answer to a GET, with a token asked for again if KITOS no longer takes it.
        With missing_ok, a 404 is None."""
        if not self._token_valid():
            self._fetch_token()
        response = self._send("GET", path, params=params)
        if response.status_code == 401:
            # Expired or revoked before its stated time: a new token, once.
            self._fetch_token()
            response = self._send("GET", path, params=params)
        if missing_ok and response.status_code == 404:
            return None
        _raise_for_status(response)
        return response.json()

    def pages(self, path, params=None):
        """Every item of a paged list, page by page of PAGE_SIZE."""
        page = 0
        while True:
            items = self.get(path, {**(params or {}), "page": page, "pageSize": PAGE_SIZE})
            if not isinstance(items, list):
                raise KitosError(f"KITOS answered {path} with something other than a list")
            yield from items
            if len(items) < PAGE_SIZE:
                return
            page += 1

    # What AgentNet reads

    def organization(self, cvr):
        """The municipality of the CVR number, among those the user is a member of."""
        found = [
            org for org in self.pages(
                "/api/v2/organizations",
                {"onlyWhereUserHasMembership": "true", "cvrContent": cvr},
            )
            if org.get("cvr") == cvr
        ]
        if not found:
            raise KitosError(
                f"The KITOS user is no member of an organisation with CVR number {cvr}"
            )
        return found[0]

    def system_usages(self, organization, changed_since=None):
        params = {"organizationUuid": organization, "orderByProperty": "LastChanged"}
        if changed_since is not None:
            params["changedSinceGtEq"] = format_time(changed_since)
        return self.pages("/api/v2/it-system-usages", params)

    def system(self, uuid):
        """The system itself (vendor, description), or None if KITOS no longer shows it."""
        return self.get(f"/api/v2/it-systems/{uuid}", missing_ok=True)

    def role_types(self, organization):
        return self.pages(
            "/api/v2/it-system-usage-role-types", {"organizationUuid": organization}
        )

    def user(self, organization, uuid):
        """A user of the organisation (their e-mail address), or None if gone from it."""
        return self.get(f"/api/v2/organizations/{organization}/users/{uuid}", missing_ok=True)

    def organization_units(self, organization):
        return self.pages(f"/api/v2/organizations/{organization}/organization-units")

    def deleted_usages(self, since=None):
        params = {"entityType": "ItSystemUsage"}
        if since is not None:
            params["deletedSinceUTC"] = format_time(since)
        return self.pages("/api/v2/delta-feed/deleted-entities", params)


def _message(response):
    """KITOS' own words about a refusal: the `msg` of its JSON, or its plain text."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(body, dict) and body.get("msg"):
        return body["msg"]
    return str(body)[:300]


def _raise_for_status(response):
    if response.status_code >= 400:
        raise KitosError(
            f"KITOS answered {response.status_code} to {response.request.method} "
            f"{response.request.path_url}: {_message(response)}"
        )
