"""A small real HTTP client (standard library only): sign in through the product's pages, then
put pages under a bounded, concurrent, closed-loop load and time every request."""

import http.client
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from .stats import Latency, summarise

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TIMEOUT = 60


class SignInFailed(Exception):
    pass


@dataclass
class Browser:
    """One user's cookies against one server; a new connection per request, as sync gunicorn
    closes each one after its response."""

    host: str
    port: int
    cookies: dict = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict | None = None):
        """Return (status, headers, body) of one request, keeping the cookies it sets."""
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "safer-schools-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(header)
                for name, morsel in cookie.items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return response.status, response.headers, content
        finally:
            connection.close()

    def get(self, path: str):
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict):
        """GET the form page for its CSRF token, then POST the fields; return the POST's result."""
        status, _headers, body = self.get(path)
        match = CSRF_INPUT.search(body.decode("utf-8", "replace"))
        if status != 200 or not match:
            raise SignInFailed(f"GET {path} answered {status} without a form")
        return self.request("POST", path, {"csrfmiddlewaretoken": match.group(1), **fields})


def _location(headers) -> str:
    return urlsplit(headers.get("Location", "")).path


def sign_in(browser: Browser, *, email: str, password: str, totp_code) -> None:
    """Sign in through /accounts/login/ and the TOTP challenge, as a person would.

    totp_code() returns the code of the user's authenticator app now. A code is refused when it
    was used already (another run a moment ago), so on refusal wait for the next one.
    """
    status, headers, _ = browser.post_form(
        "/accounts/login/", {"login": email, "password": password}
    )
    if status != 302:
        raise SignInFailed(f"the sign-in form answered {status} for {email}")
    next_path = _location(headers)
    if "/2fa/authenticate" in next_path:
        for attempt in range(2):
            status, headers, _ = browser.post_form(next_path, {"code": totp_code()})
            if status == 302:
                break
            if attempt == 0:
                time.sleep(31 - time.time() % 30)
        else:
            raise SignInFailed(f"the TOTP code of {email} was refused")
    status, _, _ = browser.get("/")
    if status != 200:
        raise SignInFailed(f"home answered {status} after signing in as {email}")


@dataclass
class Run:
    latencies: list = field(default_factory=list)
    statuses: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, status: int, *, measured: bool):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if measured and status == 200:
                self.latencies.append(seconds)


def load(
    browsers: list[Browser],
    path: str,
    *,
    users: int,
    duration: float,
    warmup: float,
    min_requests: int = 0,
    max_duration: float | None = None,
):
    """Have `users` threads GET `path` back to back: warm up, then measure for `duration` s.

    The requests that start within the measured window count (a slow page's last requests are
    waited for). A page so slow that fewer than `min_requests` were counted keeps being
    measured until it has them, or until `max_duration` (10 x duration by default). The rate is
    over the time from the window's start to the last counted request's end.
    Return (Latency, statuses seen).
    """
    run = Run()
    start = time.perf_counter()
    measure_from = start + warmup
    stop_at = measure_from + duration
    hard_stop = measure_from + (max_duration or 10 * duration)
    errors = []
    last_end = [measure_from]

    def more_wanted(now):
        if now < stop_at:
            return True
        with run.lock:
            return now < hard_stop and len(run.latencies) < min_requests

    def user(browser: Browser):
        try:
            while True:
                began = time.perf_counter()
                if not more_wanted(began):
                    return
                status, _, _ = browser.get(path)
                ended = time.perf_counter()
                counted = began >= measure_from
                run.add(ended - began, status, measured=counted)
                if counted:
                    last_end[0] = max(last_end[0], ended)
        except Exception as error:  # a dropped connection ends this user, and is reported
            errors.append(error)

    threads = [
        threading.Thread(target=user, args=(browsers[i % len(browsers)],), daemon=True)
        for i in range(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failed = sum(n for status, n in run.statuses.items() if status != 200) + len(errors)
    elapsed = max(last_end[0] - measure_from, duration)
    return summarise(run.latencies, errors=failed, elapsed=elapsed), dict(run.statuses)


def measured(latency: Latency) -> dict:
    return latency.as_dict()


def at_once(browsers: list[Browser], path: str) -> list[tuple[float, int]]:
    """GET `path` from every browser at the same moment; return each one's (seconds, status)."""
    barrier = threading.Barrier(len(browsers))
    results: list = [None] * len(browsers)

    def user(index: int, browser: Browser):
        barrier.wait()
        began = time.perf_counter()
        try:
            status, _, _ = browser.get(path)
        except OSError:
            status = 0
        results[index] = (time.perf_counter() - began, status)

    threads = [
        threading.Thread(target=user, args=(i, b), daemon=True) for i, b in enumerate(browsers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def cold_first_requests(browsers: list[Browser], path: str, *, change, rounds: int = 5) -> dict:
    """After each `change()` (which clears what the page caches), have every browser ask for the
    page at once: the first readers after a change. Return each round's slowest reader, their
    median and maximum (seconds), and the failed requests."""
    slowest, errors = [], 0
    for _ in range(rounds):
        change()
        answers = at_once(browsers, path)
        errors += sum(1 for _, status in answers if status != 200)
        slowest.append(max(seconds for seconds, _ in answers))
        time.sleep(0.2)
    return {
        "readers": len(browsers),
        "rounds": slowest,
        "median": statistics.median(slowest),
        "max": max(slowest),
        "errors": errors,
    }
