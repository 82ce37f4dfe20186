"""A small language-server client: drives the real yaml-language-server over stdio the way an editor does.

initialize -> initialized -> workspace/didChangeConfiguration (the server then pulls the `yaml` settings with
workspace/configuration, which this client answers) -> textDocument/didOpen -> the diagnostics the server
publishes for each document.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
from pathlib import Path
from typing import Any

# A hung server fails the test instead of hanging the suite; nothing here measures speed.
_REPLY_WAIT_S = 60


class LanguageServerError(RuntimeError):
    """The server exited, answered with an error, or said nothing in time."""


class LanguageServer:
    """A running yaml-language-server and the JSON-RPC conversation with it."""

    def __init__(self, command: list[str], root: Path, settings: dict[str, Any]) -> None:
        self._settings = settings
        self._process = subprocess.Popen(
            [*command, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self._messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._next_id = 0
        self._reader = threading.Thread(target=self._read_forever, daemon=True)
        self._reader.start()
        self._initialize(root)

    # -- the editor's side of the protocol --------------------------------------------------------------

    def _initialize(self, root: Path) -> None:
        capabilities = {
            "workspace": {"configuration": True, "didChangeConfiguration": {"dynamicRegistration": True}},
            "textDocument": {"publishDiagnostics": {"relatedInformation": True}, "synchronization": {}},
        }
        self.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": capabilities})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self._settings})
        # The server answers the change by pulling its settings; wait until it has them.
        self._wait_for(lambda message: message.get("method") == "workspace/configuration")

    def diagnostics(self, documents: dict[Path, str]) -> dict[Path, list[dict[str, Any]]]:
        """What the editor underlines in each document (its text, opened as the file at its path)."""
        uris = {path.resolve().as_uri(): path for path in documents}
        for uri, path in uris.items():
            item = {"uri": uri, "languageId": "yaml", "version": 1, "text": documents[path]}
            self.notify("textDocument/didOpen", {"textDocument": item})
        found: dict[Path, list[dict[str, Any]]] = {}
        while len(found) < len(uris):
            # The server validates each opened document once, after a short delay of its own.
            published = self._wait_for(lambda message: message.get("method") == "textDocument/publishDiagnostics")
            opened = uris.get(published["params"]["uri"])
            if opened is not None and opened not in found:
                found[opened] = published["params"]["diagnostics"]
        for uri in uris:
            self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        return found

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self._process.wait(timeout=10)
        except (LanguageServerError, subprocess.TimeoutExpired, BrokenPipeError):
            self._process.kill()
            self._process.wait()
        self._reader.join(timeout=10)
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                stream.close()

    # -- JSON-RPC ---------------------------------------------------------------------------------------

    def request(self, method: str, params: Any) -> Any:
        self._next_id += 1
        request_id = self._next_id
        self._send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        reply = self._wait_for(lambda message: message.get("id") == request_id and "method" not in message)
        if "error" in reply:
            raise LanguageServerError(f"{method}: {reply['error']}")
        return reply.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode("utf-8")
        assert self._process.stdin is not None
        self._process.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        self._process.stdin.flush()

    def _wait_for(self, wanted: Any) -> dict[str, Any]:
        """Serve the server's own requests until a message that `wanted` accepts arrives."""
        while True:
            try:
                message = self._messages.get(timeout=_REPLY_WAIT_S)
            except queue.Empty:
                raise LanguageServerError(f"no answer from the server in {_REPLY_WAIT_S} s") from None
            if message is None:
                raise LanguageServerError("the server exited")
            if "method" in message and "id" in message:
                self._answer(message)
            if wanted(message):
                return message

    def _answer(self, request: dict[str, Any]) -> None:
        # The server asks for its settings by section, and to register capabilities; an editor says yes.
        result: Any = None
        if request["method"] == "workspace/configuration":
            result = [self._settings.get(item.get("section", ""), {}) for item in request["params"]["items"]]
        self._send({"jsonrpc": "2.0", "id": request["id"], "result": result})

    def _read_forever(self) -> None:
        stream = self._process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                header = stream.readline()
                if not header:
                    self._messages.put(None)
                    return
                if header in (b"\r\n", b"\n"):
                    break
                name, _, value = header.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if length is None:
                continue
            self._messages.put(json.loads(stream.read(length)))
