"""GitHub's REST API for the sticky comment, through the standard library: list, create, update.

Requests follow GitHub's documented contract: `Authorization: Bearer TOKEN`, `Accept:
application/vnd.github+json`, `X-GitHub-Api-Version`, a `User-Agent`, JSON bodies, pages followed through
the `Link` header's `rel="next"`. A 5xx answer (or a dropped connection) is tried once more; a 403 means the
token may not comment (a fork's pull request, a read-only token) and is raised as CommentForbidden.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..version import __version__

API_VERSION = "2022-11-28"
TIMEOUT_SECONDS = 20
RETRY_PAUSE_SECONDS = 2.0
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="next"')


class RestError(Exception):
    """GitHub answered with an error, or could not be reached."""


class CommentForbidden(RestError):
    """403: this token may not write to the pull request (a fork, or missing `pull-requests: write`)."""


@dataclass(frozen=True)
class Comment:
    id: int
    author: str
    body: str


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    data: Any


class Client:
    """Issue comments of one repository, as documented for `/repos/{owner}/{repo}/issues/...`."""

    def __init__(
        self,
        api_url: str,
        token: str,
        repository: str,
        *,
        pause: Callable[[float], None] = time.sleep,
    ) -> None:
        self._base = api_url.rstrip("/")
        self._token = token
        self._repository = repository
        self._pause = pause

    def comments(self, number: int) -> Iterator[Comment]:
        """Every comment on a pull request, page after page."""
        url: str | None = f"{self._base}/repos/{self._repository}/issues/{number}/comments?per_page=100"
        while url is not None:
            response = self._send("GET", url)
            for item in response.data:
                yield Comment(id=int(item["id"]), author=str(item["user"]["login"]), body=str(item["body"] or ""))
            match = _NEXT.search(response.headers.get("link", ""))
            # The token goes only where the first request went: a next page elsewhere is not followed.
            url = match.group(1) if match and match.group(1).startswith(self._base + "/") else None

    def create(self, number: int, body: str) -> int:
        url = f"{self._base}/repos/{self._repository}/issues/{number}/comments"
        return int(self._send("POST", url, {"body": body}).data["id"])

    def update(self, comment_id: int, body: str) -> int:
        url = f"{self._base}/repos/{self._repository}/issues/comments/{comment_id}"
        return int(self._send("PATCH", url, {"body": body}).data["id"])

    def _send(self, method: str, url: str, payload: dict[str, str] | None = None) -> Response:
        try:
            return self._once(method, url, payload)
        except _Retryable:
            self._pause(RETRY_PAUSE_SECONDS)  # one more try: GitHub's 5xx are usually brief
        try:
            return self._once(method, url, payload)
        except _Retryable as exc:
            raise RestError(f"{method} {_path(url)}: {exc}") from None

    def _once(self, method: str, url: str, payload: dict[str, str] | None) -> Response:
        data = json.dumps(payload).encode("utf-8") if payload is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Accept", "application/vnd.github+json")
        request.add_header("Authorization", f"Bearer {self._token}")
        request.add_header("X-GitHub-Api-Version", API_VERSION)
        request.add_header("User-Agent", f"tco-gate/{__version__}")
        if data is not None:
            request.add_header("Content-Type", "application/json; charset=utf-8")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
                body = answer.read()
                headers = {key.lower(): value for key, value in answer.headers.items()}
                return Response(answer.status, headers, json.loads(body) if body else None)
        except urllib.error.HTTPError as exc:
            message = _message(exc)
            if exc.code >= 500:
                raise _Retryable(f"HTTP {exc.code}: {message}") from None
            if exc.code == 403:
                raise CommentForbidden(f"{method} {_path(url)}: HTTP 403: {message}") from None
            raise RestError(f"{method} {_path(url)}: HTTP {exc.code}: {message}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise _Retryable(str(getattr(exc, "reason", exc))) from None
        except json.JSONDecodeError:
            raise RestError(f"{method} {_path(url)}: the answer is not JSON") from None


class _Retryable(Exception):
    pass


def _message(error: urllib.error.HTTPError) -> str:
    try:
        return str(json.loads(error.read()).get("message", error.reason))
    except (ValueError, AttributeError, OSError):
        return str(error.reason)


def _path(url: str) -> str:
    """The URL without scheme and host, for messages."""
    return "/" + url.split("://", 1)[-1].split("/", 1)[-1]
