"""The soak's traffic: citizens reading pages and the API, and signed-in citizens writing.

Run by ``bench/soak.py``, which prepares the accounts file named by
``SOAK_DATA`` (see ``bench/soak_data.py``). Every write is made by the next
account of a pool of signed-in citizens, so per-user rate limits (which stay
on) are not what the soak measures. Each request checks what a user would:
the status code and, for writes, the outcome, so a silent failure counts.
The portal runs behind a TLS-terminating proxy in production; requests carry
``X-Forwarded-Proto: https`` and a same-origin ``Referer`` as that proxy and
a browser would.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading

from locust import HttpUser, between, task

DATA = json.loads(open(os.environ["SOAK_DATA"], encoding="utf-8").read())  # noqa: SIM115, PTH123
ACCOUNTS = DATA["accounts"]
TRUSTEES = DATA["trustees"]
_next_account = itertools.count()
_next_trustee = itertools.count()
_lock = threading.Lock()
PROXY = {"X-Forwarded-Proto": "https"}


def next_account(pool: list[dict], counter: itertools.count) -> dict:
    with _lock:
        return pool[next(counter) % len(pool)]


class Citizen(HttpUser):
    # Think time between clicks; 50 of these keep the portal busy without a closed loop at full tilt.
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.origin = self.host.replace("http://", "https://", 1)
        self.client.headers.update(PROXY)

    # --- helpers -----------------------------------------------------------------------------
    def _as(self, account: dict, *, unsafe: bool = False) -> dict:
        """Cookies and headers of ``account``'s signed-in browser (CSRF for unsafe methods)."""
        self.client.cookies.clear()
        headers = dict(PROXY)
        if unsafe:
            headers.update({"X-CSRFToken": account["csrf"], "Referer": f"{self.origin}/"})
        cookies = {DATA["session_cookie"]: account["session"], DATA["csrf_cookie"]: account["csrf"]}
        return {"headers": headers, "cookies": cookies}

    def _get(self, url: str, name: str, account: dict | None = None) -> None:
        kwargs = self._as(account) if account else {}
        if not account:
            self.client.cookies.clear()
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False, **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    # --- reads: pages --------------------------------------------------------------------------
    @task(10)
    def home(self) -> None:
        self._get("/", "/")

    @task(8)
    def project_list(self) -> None:
        choice = random.random()
        if choice < 0.4:
            self._get("/projects/", "/projects/")
        elif choice < 0.7:
            self._get(f"/projects/?district={random.choice(DATA['districts'])}", "/projects/?district=")
        else:
            self._get(f"/projects/?page={random.randint(2, 5)}", "/projects/?page=")

    @task(4)
    def project_search(self) -> None:
        self._get(f"/projects/?search={random.choice(DATA['search_terms'])}", "/projects/?search=")

    @task(12)
    def project_page(self) -> None:
        self._get(f"/projects/{random.choice(DATA['projects'])}/", "/projects/<id>/")

    @task(4)
    def project_page_signed_in(self) -> None:
        account = random.choice(ACCOUNTS)
        self._get(f"/projects/{random.choice(DATA['projects'])}/", "/projects/<id>/ (signed in)", account)

    @task(4)
    def organization_directory(self) -> None:
        self._get("/organizations/", "/organizations/")

    @task(4)
    def organization_page(self) -> None:
        self._get(f"/organizations/{random.choice(DATA['organizations'])}/", "/organizations/<id>/")

    @task(2)
    def neighborhood_index(self) -> None:
        self._get("/neighborhoods/", "/neighborhoods/")

    @task(4)
    def neighborhood_page(self) -> None:
        self._get(f"/neighborhoods/{random.choice(DATA['neighborhoods'])}/", "/neighborhoods/<id>/")

    @task(2)
    def district_page(self) -> None:
        self._get(f"/districts/{random.choice(DATA['districts'])}/", "/districts/<id>/")

    @task(1)
    def inbox(self) -> None:
        self._get("/notifications/", "/notifications/", random.choice(ACCOUNTS))

    # --- reads: API (programs sign in; the anonymous API limit is per address) --------------------
    @task(4)
    def api_projects(self) -> None:
        district = random.choice(DATA["districts"])
        self._get(f"/api/v1/projects/?district={district}", "/api/v1/projects/?district=", random.choice(ACCOUNTS))

    @task(2)
    def api_organizations(self) -> None:
        self._get("/api/v1/organizations/", "/api/v1/organizations/", random.choice(ACCOUNTS))

    @task(2)
    def api_comments(self) -> None:
        project = random.choice(DATA["projects"])
        self._get(f"/api/v1/projects/{project}/comments/", "/api/v1/projects/<id>/comments/", random.choice(ACCOUNTS))

    @task(1)
    def api_neighborhoods(self) -> None:
        self._get("/api/v1/neighborhoods/", "/api/v1/neighborhoods/", random.choice(ACCOUNTS))

    # --- writes ------------------------------------------------------------------------------------
    @task(3)
    def comment_page(self) -> None:
        account = next_account(ACCOUNTS, _next_account)
        project = random.choice(DATA["projects"])
        form = {
            "text": f"نظر آزمون پایداری {random.randint(1, 10**6)}: پياده‌رو را درست كنيد",
            "csrfmiddlewaretoken": account["csrf"],
        }
        with self.client.post(
            f"/projects/{project}/comments/",
            data=form,
            name="/projects/<id>/comments/",
            catch_response=True,
            allow_redirects=False,
            **self._as(account, unsafe=True),
        ) as response:
            if response.status_code != 302 or "#comment-" not in response.headers.get("Location", ""):
                response.failure(f"HTTP {response.status_code}, no comment: {response.headers.get('Location')}")

    @task(2)
    def comment_api(self) -> None:
        account = next_account(ACCOUNTS, _next_account)
        project = random.choice(DATA["projects"])
        body = {"text": f"Soak comment {random.randint(1, 10**6)} برای این طرح"}
        with self.client.post(
            f"/api/v1/projects/{project}/comments/",
            json=body,
            name="/api/v1/projects/<id>/comments/",
            catch_response=True,
            **self._as(account, unsafe=True),
        ) as response:
            if response.status_code != 201:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")

    @task(4)
    def support_toggle(self) -> None:
        account = next_account(ACCOUNTS, _next_account)
        project = random.choice(DATA["supportable"][str(account["district"])])
        method = self.client.post if random.random() < 0.6 else self.client.delete
        with method(
            f"/api/v1/projects/{project}/support/",
            name="/api/v1/projects/<id>/support/",
            catch_response=True,
            **self._as(account, unsafe=True),
        ) as response:
            if response.status_code not in (200, 201):
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")

    @task(2)
    def follow_page(self) -> None:
        account = next_account(ACCOUNTS, _next_account)
        project = random.choice(DATA["projects"])
        action = "follow" if random.random() < 0.7 else "unfollow"
        with self.client.post(
            f"/projects/{project}/follow/",
            data={"action": action, "csrfmiddlewaretoken": account["csrf"]},
            name="/projects/<id>/follow/",
            catch_response=True,
            allow_redirects=False,
            **self._as(account, unsafe=True),
        ) as response:
            if response.status_code != 302 or response.headers.get("Location") != f"/projects/{project}/":
                response.failure(f"HTTP {response.status_code} to {response.headers.get('Location')}")

    @task(1)
    def follow_api(self) -> None:
        account = next_account(ACCOUNTS, _next_account)
        project = random.choice(DATA["projects"])
        with self.client.post(
            f"/api/v1/projects/{project}/follow/",
            name="/api/v1/projects/<id>/follow/",
            catch_response=True,
            **self._as(account, unsafe=True),
        ) as response:
            if response.status_code not in (200, 201) or response.json().get("following") is not True:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")

    @task(1)
    def need_report(self) -> None:
        trustee = next_account(TRUSTEES, _next_trustee)
        body = {
            "neighborhood": trustee["neighborhood"],
            "category": "roads",
            "title": "چاله در خيابان اصلی",
            "description": "آسفالت کوچه پس از بارندگی خراب شده است. <script>alert(1)</script>",
        }
        with self.client.post(
            "/api/v1/need-reports/",
            json=body,
            name="/api/v1/need-reports/",
            catch_response=True,
            **self._as(trustee, unsafe=True),
        ) as response:
            if response.status_code != 201:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
