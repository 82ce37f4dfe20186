"""The comment client against a local server that answers as GitHub's REST API documents (not GitHub itself)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tco_gate.github.comment import MARKER, comment_body
from tco_gate.github.rest import Client, CommentForbidden, RestError
from tco_gate.github.sticky import post
from tests.fake_github import BOT, State, serve

REPO = "acme/app"
TOKEN = "ghs_bot_token"


@pytest.fixture
def github() -> Iterator[State]:
    with serve(State(prefix="/api/v3")) as state:
        yield state


def _client(state: State, pauses: list[float] | None = None) -> Client:
    return Client(f"{state.base_url}/api/v3/", TOKEN, REPO, pause=(pauses if pauses is not None else []).append)


def test_first_run_creates_the_comment_with_the_documented_request(github: State) -> None:
    assert post(_client(github), 7, comment_body("report", None), "update", BOT) == "created"
    listing, creation = github.requests
    assert (listing.method, listing.path) == ("GET", "/api/v3/repos/acme/app/issues/7/comments")
    assert listing.query["per_page"] == ["100"]
    assert (creation.method, creation.path) == ("POST", "/api/v3/repos/acme/app/issues/7/comments")
    for request in github.requests:
        assert request.headers["authorization"] == f"Bearer {TOKEN}"
        assert request.headers["accept"] == "application/vnd.github+json"
        assert request.headers["x-github-api-version"] == "2022-11-28"
        assert request.headers["user-agent"].startswith("tco-gate/")
    assert creation.headers["content-type"].startswith("application/json")
    assert json.loads(creation.body) == {"body": f"{MARKER}\nreport"}
    assert [c["body"] for c in github.comments[(REPO, 7)]] == [f"{MARKER}\nreport"]


def test_update_finds_our_comment_on_a_later_page_and_leaves_others_alone(github: State) -> None:
    for n in range(250):  # three pages of 100
        github.add(REPO, 7, "someone", f"comment {n}")
    github.add(REPO, 7, "mallory", f"{MARKER}\npasted by someone else")  # the marker alone is not ours
    ours = github.add(REPO, 7, BOT, f"{MARKER}\nold report")
    assert post(_client(github), 7, comment_body("new report", None), "update", BOT) == "updated"
    pages = [r.query.get("page", ["1"])[0] for r in github.requests if r.method == "GET"]
    assert pages == ["1", "2", "3"]
    patch = github.requests[-1]
    assert (patch.method, patch.path) == ("PATCH", f"/api/v3/repos/acme/app/issues/comments/{ours['id']}")
    bodies = [c["body"] for c in github.comments[(REPO, 7)]]
    assert bodies[-1] == f"{MARKER}\nnew report"
    assert bodies[-2] == f"{MARKER}\npasted by someone else"
    assert len(bodies) == 252


def test_new_mode_posts_another_comment_and_off_sends_nothing(github: State) -> None:
    github.add(REPO, 7, BOT, f"{MARKER}\nold report")
    assert post(_client(github), 7, comment_body("again", None), "new", BOT) == "created"
    assert [r.method for r in github.requests] == ["POST"]
    assert post(_client(github), 7, comment_body("again", None), "off", BOT) == "off"
    assert len(github.requests) == 1
    assert len(github.comments[(REPO, 7)]) == 2


def test_a_forbidden_write_is_raised_as_its_own_error(github: State) -> None:
    github.forbid_writes = True
    with pytest.raises(CommentForbidden, match="Resource not accessible by integration"):
        post(_client(github), 7, comment_body("report", None), "update", BOT)


def test_a_5xx_is_tried_once_more_then_succeeds(github: State) -> None:
    github.fail_next = 1
    pauses: list[float] = []
    assert post(_client(github, pauses), 7, comment_body("report", None), "update", BOT) == "created"
    assert [r.method for r in github.requests] == ["GET", "GET", "POST"]
    assert pauses == [2.0]


def test_two_5xx_in_a_row_give_up_with_a_message(github: State) -> None:
    github.fail_next = 2
    with pytest.raises(RestError, match="HTTP 502"):
        post(_client(github, []), 7, comment_body("report", None), "update", BOT)
    assert len(github.requests) == 2


def test_the_body_sent_stays_under_githubs_limit(github: State) -> None:
    huge = "\n".join(f"| line {n} | {'x' * 80} |" for n in range(2000))
    post(_client(github), 7, comment_body(huge, "https://github.invalid/run/1"), "update", BOT)
    sent = json.loads(github.requests[-1].body)["body"]
    assert len(sent) < 65_536
    assert "cut to fit" in sent and "https://github.invalid/run/1" in sent
    assert github.comments[(REPO, 7)][0]["body"] == sent


def test_an_unreachable_api_is_an_error_not_a_hang() -> None:
    client = Client("http://127.0.0.1:9", TOKEN, REPO, pause=lambda _: None)
    with pytest.raises(RestError):
        list(client.comments(7))


def test_a_next_page_on_another_host_is_not_followed(github: State) -> None:
    # A Link header pointing elsewhere must not receive the token.
    github.link_base = "http://elsewhere.invalid"
    for n in range(120):
        github.add(REPO, 7, "someone", f"comment {n}")
    assert len(list(_client(github).comments(7))) == 100
    assert len(github.requests) == 1


def test_bad_credentials_are_an_error_with_githubs_message(github: State) -> None:
    client = Client(f"{github.base_url}/api/v3", "wrong-token", REPO, pause=lambda _: None)
    with pytest.raises(RestError, match="HTTP 401: Bad credentials") as raised:
        list(client.comments(7))
    assert not isinstance(raised.value, CommentForbidden)


def test_an_answer_that_is_not_json_is_an_error(github: State) -> None:
    github.plain_next = (200, "<html>a proxy's login page</html>")
    with pytest.raises(RestError, match="not JSON"):
        _client(github).create(7, "body")


def test_an_error_page_that_is_not_json_still_gives_the_status(github: State) -> None:
    github.plain_next = (404, "<html>Not Found</html>")
    with pytest.raises(RestError, match="HTTP 404: Not Found"):
        _client(github).update(1, "body")
