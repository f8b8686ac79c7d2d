"""A fake GitHub REST API on a real loopback HTTP server, for the sync's tests and benchmark.

    with FakeGitHub(tokens=["t1"]) as github:
        repo = github.add_repo("octo/demo")
        github.add_issue(repo, title="Crash on start")
        ... GitHubClient(base_url=github.base_url, ...)

It serves GitHub-shaped JSON (see `github_data`) with `Link` pagination, ETags and 304s (which
do not count against the rate limit, as on GitHub), `since` + `sort=updated` filtering, the
`X-RateLimit-*` headers with a per-token budget, GitHub App installation tokens, the writes
triage makes (`github_writes`: labels, comments; their JSON bodies are kept on `hits`), and
scripted failures (`fail(...)`) for secondary limits, 5xx and anything else a test needs.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.utils.dateparse import parse_datetime

from tests.fakes.github_builders import Builders
from tests.fakes.github_data import Renderer
from tests.fakes.github_writes import WRITE_ROUTES

NOT_FOUND = {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}


@dataclass
class Budget:
    limit: int
    remaining: int
    reset: int  # epoch seconds

    def refresh(self, now: float) -> None:
        if now >= self.reset:
            self.remaining, self.reset = self.limit, int(now) + 3600


@dataclass
class Failure:
    pattern: re.Pattern
    status: int
    times: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None


@dataclass(frozen=True)
class Hit:
    method: str
    path: str
    query: dict[str, str]
    status: int
    token: str | None
    body: Any = None  # a write's parsed JSON body


class FakeGitHub(Builders):
    def __init__(self, *, tokens=("test-token",), rate_limit: int = 5000, max_per_page: int = 100):
        super().__init__()
        self.lock = threading.RLock()
        self.rate_limit = rate_limit
        self.max_per_page = max_per_page
        self.budgets: dict[str | None, Budget] = {}
        for token in tokens:
            self.add_token(token)
        self.budgets[None] = Budget(60, 60, int(time.time()) + 3600)  # anonymous
        self.failures: list[Failure] = []
        self.hits: list[Hit] = []
        self.apps: dict[int, tuple[str, str]] = {}  # installation id → (app id, public key)
        self.render = Renderer(self)
        self.writer_login = "steward-bot"  # who the token belongs to, as comments show it
        self._server: ThreadingHTTPServer | None = None

    # — lifecycle —
    def __enter__(self) -> FakeGitHub:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "use FakeGitHub as a context manager"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # — scripting —
    def add_token(self, token: str, *, remaining: int | None = None, reset_in: int = 3600) -> None:
        limit = self.rate_limit
        self.budgets[token] = Budget(
            limit, limit if remaining is None else remaining, int(time.time()) + reset_in
        )

    def set_budget(self, token: str, *, remaining: int, reset_in: int = 3600) -> None:
        budget = self.budgets[token]
        budget.remaining, budget.reset = remaining, int(time.time()) + reset_in

    def fail(self, pattern: str, status: int, *, times: int = 1, headers=None, body=None) -> None:
        """The next `times` requests whose path+query matches `pattern` get this answer."""
        self.failures.append(Failure(re.compile(pattern), status, times, headers or {}, body))

    def add_app(self, *, app_id: str, public_key: str, installation_id: int) -> None:
        self.apps[installation_id] = (app_id, public_key)

    def requests_to(self, pattern: str) -> list[Hit]:
        regex = re.compile(pattern)
        return [h for h in self.hits if regex.search(h.path)]

    # — serving —
    def handle(
        self, method: str, target: str, headers, body: Any = None
    ) -> tuple[int, dict[str, str], Any]:
        split = urlsplit(target)
        path, query = split.path, dict(parse_qsl(split.query))
        with self.lock:
            for failure in self.failures:
                if failure.times > 0 and failure.pattern.search(target):
                    failure.times -= 1
                    return failure.status, dict(failure.headers), failure.body
            if method == "POST" and path.startswith("/app/"):
                return self._installation_token(path, headers)
            token = _token(headers)
            if token is not None and token not in self.budgets:
                return (
                    401,
                    {},
                    {
                        "message": "Bad credentials",
                        "documentation_url": "https://docs.github.com/rest",
                    },
                )
            budget = self.budgets[token]
            budget.refresh(time.time())
            limits = {
                "x-ratelimit-limit": str(budget.limit),
                "x-ratelimit-reset": str(budget.reset),
                "x-ratelimit-resource": "core",
            }
            if budget.remaining <= 0:
                limits.update({"x-ratelimit-remaining": "0", "x-ratelimit-used": str(budget.limit)})
                message = (
                    "API rate limit exceeded for user ID 1. If you reach out to GitHub Support"
                    " for help, please include the request ID."
                )
                return (
                    403,
                    limits,
                    {
                        "message": message,
                        "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
                    },
                )
            if method == "POST":
                status, extra, body = self._route(path, body, routes=WRITE_ROUTES)
            else:
                status, extra, body = self._route(path, query)
            if status == 200 and method == "GET":
                etag = (
                    '"' + hashlib.sha1(json.dumps(body, sort_keys=True).encode()).hexdigest() + '"'
                )
                extra["etag"] = etag
                if headers.get("If-None-Match") == etag:
                    status, body = 304, None
            if status != 304:  # conditional requests answered 304 are free on GitHub
                budget.remaining -= 1
            limits["x-ratelimit-remaining"] = str(budget.remaining)
            limits["x-ratelimit-used"] = str(budget.limit - budget.remaining)
            return status, {**limits, **extra}, body

    def _installation_token(self, path: str, headers) -> tuple[int, dict, Any]:
        import jwt

        match = re.fullmatch(r"/app/installations/(\d+)/access_tokens", path)
        if not match or int(match[1]) not in self.apps:
            return 404, {}, NOT_FOUND
        app_id, public_key = self.apps[int(match[1])]
        try:
            claims = jwt.decode(_token(headers) or "", public_key, algorithms=["RS256"])
        except jwt.PyJWTError:
            return 401, {}, {"message": "A JSON web token could not be decoded"}
        if str(claims.get("iss")) != str(app_id):
            return 401, {}, {"message": "Bad credentials"}
        token = f"ghs_installation{match[1]}"
        self.add_token(token)
        expires = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))
        return (
            201,
            {},
            {
                "token": token,
                "expires_at": expires,
                "permissions": {"issues": "read"},
                "repository_selection": "all",
            },
        )

    def _route(self, path: str, query: Any, *, routes=None) -> tuple[int, dict, Any]:
        """Answer `path` with the first of `routes` (reads by default) matching after the
        repository; `query` is the query string for reads, the JSON body for writes."""
        match = re.fullmatch(r"/repos/([^/]+)/([^/]+)(/.*)?", path)
        if path == "/rate_limit":
            return 200, {}, {"resources": {}, "rate": {}}
        profile = re.fullmatch(r"/users/([^/]+)", path)
        if profile and routes is None:
            return self._profile(profile[1])
        if not match:
            return 404, {}, NOT_FOUND
        repo = self.repos.get(f"{match[1]}/{match[2]}".lower())
        if repo is None or repo.deleted:
            return 404, {}, NOT_FOUND
        rest = match[3] or ""
        for pattern, view in _ROUTES if routes is None else routes:
            found = re.fullmatch(pattern, rest)
            if found:
                return view(self, repo, query, *found.groups())
        return 404, {}, NOT_FOUND

    def _profile(self, login: str) -> tuple[int, dict, Any]:
        """GET /users/{login}: the nested user object and the profile's own fields."""
        for user_id, (known, _) in self.users.items():
            if known.lower() == login.lower():
                extra = {"name": None, "company": None, **self.profiles.get(user_id, {})}
                return 200, {}, {**self.render.user(user_id), **extra, "public_repos": 1}
        return 404, {}, NOT_FOUND

    def page(self, path: str, query: dict[str, str], items: list, render) -> tuple[int, dict, Any]:
        """One page of `items` with GitHub's `Link` header (next, last, first, prev)."""
        per_page = min(int(query.get("per_page", 30)), self.max_per_page)
        number = max(1, int(query.get("page", 1)))
        last = max(1, -(-len(items) // per_page))
        chunk = items[(number - 1) * per_page : number * per_page]

        def link(n: int) -> str:
            return f"{self.base_url}{path}?{urlencode({**query, 'page': n})}"

        rels = []
        if number < last:
            rels += [f'<{link(number + 1)}>; rel="next"', f'<{link(last)}>; rel="last"']
        if number > 1:
            rels += [f'<{link(1)}>; rel="first"', f'<{link(number - 1)}>; rel="prev"']
        headers = {"link": ", ".join(rels)} if rels else {}
        return 200, headers, [render(item) for item in chunk]


def _token(headers) -> str | None:
    value = headers.get("Authorization")
    return value.split(" ", 1)[1] if value and " " in value else None


def _since(query: dict[str, str]) -> datetime | None:
    return parse_datetime(query["since"]) if "since" in query else None


def _updated_list(fake, repo, query, collection, render, path):
    records = collection.updated_since(_since(query))
    if query.get("direction", "desc") == "desc":
        records = records[::-1]
    return fake.page(path, query, records, lambda r: render(repo, r))


def _repo_path(fake, repo, rest=""):
    return f"/repos/{fake.render.full_name(repo)}{rest}"


def _view_repo(fake, repo, query):
    return 200, {}, fake.render.repository(repo)


def _view_labels(fake, repo, query):
    url = fake.render.repo_url(repo)
    return fake.page(
        _repo_path(fake, repo, "/labels"),
        query,
        repo.labels,
        lambda label: fake.render.label(url, label),
    )


def _view_milestones(fake, repo, query):
    url = fake.render.repo_url(repo)
    return fake.page(
        _repo_path(fake, repo, "/milestones"),
        query,
        repo.milestones,
        lambda m: fake.render.milestone(url, m),
    )


def _view_issues(fake, repo, query):
    if repo.issues_disabled:
        return 410, {}, {"message": "Issues are disabled for this repo"}
    return _updated_list(
        fake, repo, query, repo.issues, fake.render.issue, _repo_path(fake, repo, "/issues")
    )


def _view_issue(fake, repo, query, number):
    issue_id = repo.numbers.get(int(number))
    if issue_id is None:
        return 404, {}, NOT_FOUND
    return 200, {}, fake.render.issue(repo, repo.issues.by_id[issue_id])


def _view_pulls(fake, repo, query):
    records = [r for r in repo.issues.by_updated() if r.fields["number"] in repo.pulls]
    if query.get("direction", "desc") == "desc":
        records = records[::-1]
    return fake.page(
        _repo_path(fake, repo, "/pulls"),
        query,
        records,
        lambda r: fake.render.pull(repo, r, detail=False),
    )


def _view_pull(fake, repo, query, number):
    if int(number) not in repo.pulls:
        return 404, {}, NOT_FOUND
    record = repo.issues.by_id[repo.numbers[int(number)]]
    return 200, {}, fake.render.pull(repo, record, detail=True)


def _view_reviews(fake, repo, query, number):
    reviews = repo.reviews.get(int(number), [])
    return fake.page(
        _repo_path(fake, repo, f"/pulls/{number}/reviews"),
        query,
        reviews,
        lambda r: fake.render.review(repo, int(number), r),
    )


def _view_comments(fake, repo, query):
    return _updated_list(
        fake,
        repo,
        query,
        repo.comments,
        fake.render.comment,
        _repo_path(fake, repo, "/issues/comments"),
    )


def _view_review_comments(fake, repo, query):
    return _updated_list(
        fake,
        repo,
        query,
        repo.review_comments,
        fake.render.comment,
        _repo_path(fake, repo, "/pulls/comments"),
    )


def _view_events(fake, repo, query):
    return fake.page(
        _repo_path(fake, repo, "/issues/events"),
        query,
        repo.events[::-1],
        lambda e: fake.render.event(repo, e),
    )


def _view_releases(fake, repo, query):
    return fake.page(
        _repo_path(fake, repo, "/releases"),
        query,
        repo.releases[::-1],
        lambda r: fake.render.release(repo, r),
    )


def _view_stargazers(fake, repo, query):
    return fake.page(
        _repo_path(fake, repo, "/stargazers"), query, repo.stars, lambda s: fake.render.star(*s)
    )


_ROUTES = [
    (r"", _view_repo),
    (r"/labels", _view_labels),
    (r"/milestones", _view_milestones),
    (r"/issues", _view_issues),
    (r"/issues/comments", _view_comments),
    (r"/issues/events", _view_events),
    (r"/issues/(\d+)", _view_issue),
    (r"/pulls", _view_pulls),
    (r"/pulls/comments", _view_review_comments),
    (r"/pulls/(\d+)", _view_pull),
    (r"/pulls/(\d+)/reviews", _view_reviews),
    (r"/releases", _view_releases),
    (r"/stargazers", _view_stargazers),
]


class _Handler(BaseHTTPRequestHandler):
    fake: FakeGitHub
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            sent = json.loads(raw) if raw else None
        except ValueError:
            sent = raw.decode(errors="replace")
        self._answer("POST", sent)

    def _answer(self, method: str, sent: Any = None) -> None:
        status, headers, body = self.fake.handle(method, self.path, self.headers, sent)
        split = urlsplit(self.path)
        query = dict(parse_qsl(split.query))
        self.fake.hits.append(Hit(method, split.path, query, status, _token(self.headers), sent))
        payload = b"" if body is None or status == 304 else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        # Headers and body in one write: two small segments stall on delayed ACKs.
        self._headers_buffer.append(b"\r\n" + payload)
        self.flush_headers()

    def log_message(self, format: str, *args) -> None:
        pass
