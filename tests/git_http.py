"""A private git host on 127.0.0.1: git's smart HTTP (`git http-backend`, run as CGI) behind HTTP Basic auth.

It answers as GitHub does for a private repository: a request without the right credentials gets
`401 Unauthorized` with a Basic challenge, so an anonymous fetch fails and a fetch that sends the token (as
`x-access-token:<token>`, the form actions/checkout uses) succeeds. Every request is recorded with whether it
was authorised, so a test can tell which fetch carried the token. Offline: only git and the standard library.
"""

from __future__ import annotations

import base64
import os
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from tests.tools import require_tool


@dataclass
class Host:
    """What the server saw; `url` is where the repositories under its root are (`{url}/name.git`)."""

    url: str
    token: str
    requests: list[tuple[str, str, bool]] = field(default_factory=list)  # (method, path, authorised)

    def authorization(self) -> str:
        """The header value that authorises a request, as actions/checkout sends it."""
        return "basic " + base64.b64encode(f"x-access-token:{self.token}".encode()).decode()


def _backend() -> str:
    """Where git keeps `git-http-backend` (git's exec path)."""
    git = require_tool("git", via="apt:git")
    exec_path = subprocess.run([git, "--exec-path"], capture_output=True, text=True, check=True).stdout.strip()
    return str(Path(exec_path) / "git-http-backend")


@contextmanager
def private_host(root: Path, token: str) -> Iterator[Host]:
    """Serve every bare repository under `root` over smart HTTP, to requests that carry `token` only."""
    backend = _backend()
    host = Host(url="", token=token)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet: the test reports what matters
            return

        def _serve(self) -> None:
            given = self.headers.get("Authorization", "")
            authorised = given.lower() == host.authorization().lower()
            with lock:
                host.requests.append((self.command, self.path, authorised))
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if not authorised:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="private"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            parts = urlsplit(self.path)
            env = {
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "GIT_PROJECT_ROOT": str(root),
                "GIT_HTTP_EXPORT_ALL": "1",
                "REQUEST_METHOD": self.command,
                "PATH_INFO": parts.path,
                "QUERY_STRING": parts.query,
                "CONTENT_TYPE": self.headers.get("Content-Type", ""),
                "CONTENT_LENGTH": str(len(body)),
                "REMOTE_USER": "x-access-token",
                "REMOTE_ADDR": "127.0.0.1",
                "GIT_PROTOCOL": self.headers.get("Git-Protocol", ""),
                "HTTP_CONTENT_ENCODING": self.headers.get("Content-Encoding", ""),
            }
            done = subprocess.run([backend], input=body, env=env, capture_output=True, check=False, timeout=60)
            head, _, payload = done.stdout.partition(b"\r\n\r\n")
            status, headers = 200, []
            for line in head.decode("latin-1").split("\r\n"):
                name, _, value = line.partition(":")
                if name.lower() == "status":
                    status = int(value.strip().split()[0])
                elif name:
                    headers.append((name, value.strip()))
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = _serve  # the method names http.server looks up
        do_POST = _serve

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    host.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield host
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
