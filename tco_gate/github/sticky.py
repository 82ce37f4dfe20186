"""The comment modes: `update` the sticky comment (or create it), post a `new` one each run, or `off`."""

from __future__ import annotations

from typing import Literal

from .comment import is_ours
from .rest import Client

CommentMode = Literal["update", "new", "off"]
COMMENT_MODES: tuple[CommentMode, ...] = ("update", "new", "off")
Outcome = Literal["created", "updated", "off"]


def post(client: Client, number: int, body: str, mode: CommentMode, author: str) -> Outcome:
    """Post the report on pull request `number` as `mode` says; our comment is the marker's, by `author`."""
    if mode == "off":
        return "off"
    if mode == "update":
        for comment in client.comments(number):
            # The marker alone is not enough: anyone can paste it, and we must not edit their comment.
            if comment.author == author and is_ours(comment.body):
                client.update(comment.id, body)
                return "updated"
    client.create(number, body)
    return "created"
