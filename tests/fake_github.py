"""A local stand-in for GitHub's REST API, as far as the sticky comment uses it. Not GitHub.

It answers as GitHub documents the issue-comment endpoints
(`GET/POST /repos/{owner}/{repo}/issues/{number}/comments`, `PATCH /repos/{owner}/{repo}/issues/comments/{id}`):
pages of `per_page` (default 30, at most 100) linked through a `Link` header, 201 on create, 401 without a
token, 403 "Resource not accessible by integration" where writing is forbidden (a fork's token), 422 for a
body of 65,536 characters or more. It records every request so tests can check what the client sent, and
can be told to fail the next N requests with a 502. Listens on 127.0.0.1 only.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

BOT = "github-actions[bot]"
MAX_BODY = 65_536
_LIST = re.compile(r"^/repos/([^/]+/[^/]+)/issues/(\d+)/comments$")
_ONE = re.compile(r"^/repos/([^/]+/[^/]+)/issues/comments/(\d+)$")


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class State:
    prefix: str = ""  # e.g. "/api/v3" as on GitHub Enterprise Server
    logins: dict[str, str] = field(default_factory=lambda: {"ghs_bot_token": BOT})  # token -> author
    comments: dict[tuple[str, int], list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    forbid_writes: bool = False
    fail_next: int = 0
    plain_next: tuple[int, str] | None = None  # answer the next request with this status and non-JSON text
    next_id: int = 1000
    base_url: str = ""
    link_base: str | None = None  # where `Link` headers point; the server's own URL unless set

    def add(self, repository: str, number: int, author: str, body: str) -> dict[str, Any]:
        self.next_id += 1
        comment = {"id": self.next_id, "user": {"login": author, "type": "Bot" if "[bot]" in author else "User"}}
        comment |= {"body": body, "html_url": f"https://github.invalid/{repository}/pull/{number}"}
        self.comments.setdefault((repository, number), []).append(comment)
        return comment


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def _handle(self, method: str) -> None:
        state = self.server.state
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        state.requests.append(
            Request(method, parts.path, parse_qs(parts.query), {k.lower(): v for k, v in self.headers.items()}, body)
        )
        if state.plain_next is not None:
            status, text = state.plain_next
            state.plain_next = None
            return self._send_bytes(status, text.encode("utf-8"), "text/html")
        if state.fail_next > 0:
            state.fail_next -= 1
            return self._send(502, {"message": "Server Error"})
        if not parts.path.startswith(state.prefix + "/"):
            return self._send(404, {"message": "Not Found"})
        path = parts.path[len(state.prefix) :]
        token = self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        author = state.logins.get(token)
        if author is None:
            return self._send(401, {"message": "Bad credentials"})
        if (found := _LIST.match(path)) and method == "GET":
            return self._list(found.group(1), int(found.group(2)), parse_qs(parts.query))
        if method in ("POST", "PATCH") and state.forbid_writes:
            return self._send(403, {"message": "Resource not accessible by integration"})
        if method in ("POST", "PATCH"):
            try:
                text = json.loads(body)["body"]
            except (ValueError, KeyError, TypeError):
                return self._send(400, {"message": "Problems parsing JSON"})
            if len(text) >= MAX_BODY:
                return self._send(
                    422, {"message": "Validation Failed", "errors": [{"field": "body", "code": "custom"}]}
                )
            if (found := _LIST.match(path)) and method == "POST":
                return self._send(201, state.add(found.group(1), int(found.group(2)), author, text))
            if (found := _ONE.match(path)) and method == "PATCH":
                for comments in state.comments.values():
                    for comment in comments:
                        if comment["id"] == int(found.group(2)):
                            comment["body"] = text
                            return self._send(200, comment)
        return self._send(404, {"message": "Not Found"})

    def _list(self, repository: str, number: int, query: dict[str, list[str]]) -> None:
        state = self.server.state
        per_page = min(int(query.get("per_page", ["30"])[0]), 100)
        page = int(query.get("page", ["1"])[0])
        comments = state.comments.get((repository, number), [])
        last = max(1, -(-len(comments) // per_page))
        links = []
        url = f"{state.link_base or state.base_url}{state.prefix}/repos/{repository}/issues/{number}/comments"
        if page < last:
            links.append(f'<{url}?per_page={per_page}&page={page + 1}>; rel="next"')
            links.append(f'<{url}?per_page={per_page}&page={last}>; rel="last"')
        if page > 1:
            links.append(f'<{url}?per_page={per_page}&page=1>; rel="first"')
        headers = {"Link": ", ".join(links)} if links else {}
        self._send(200, comments[(page - 1) * per_page : page * per_page], headers)

    def _send(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
        self._send_bytes(status, json.dumps(data).encode("utf-8"), "application/json; charset=utf-8", headers)

    def _send_bytes(self, status: int, payload: bytes, kind: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(payload)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: State) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state
        state.base_url = f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def serve(state: State | None = None) -> Iterator[State]:
    """Run the fake API on a free loopback port for the duration of the block; `state.base_url` is its URL."""
    state = state or State()
    server = _Server(state)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
