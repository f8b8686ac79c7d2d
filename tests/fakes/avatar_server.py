"""A fake avatar host on a real loopback HTTP server: `routes` maps a path (with its query) to
the answer, and `hits` records every request, so a test sees what Steward fetched and how often.

    with FakeAvatarHost() as host:
        host.routes["/u/1?v=4"] = Answer(body=PNG)
        ... settings.STEWARD_AVATAR_ORIGIN = host.origin
"""

from __future__ import annotations

import contextlib
import threading
import time
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def png(width: int = 2, height: int = 2, rgb: tuple[int, int, int] = (200, 30, 90)) -> bytes:
    """A real, tiny PNG image (browsers and parsers accept it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@dataclass
class Answer:
    body: bytes = b""
    status: int = 200
    content_type: str = "image/png"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the body is sent


class FakeAvatarHost:
    def __init__(self) -> None:
        self.routes: dict[str, Answer] = {}
        self.hits: list[str] = []
        self._server: ThreadingHTTPServer | None = None

    def __enter__(self) -> FakeAvatarHost:
        handler = type("Handler", (_Handler,), {"host": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    @property
    def origin(self) -> str:
        assert self._server is not None, "use FakeAvatarHost as a context manager"
        return f"http://127.0.0.1:{self._server.server_address[1]}/"


class _Handler(BaseHTTPRequestHandler):
    host: FakeAvatarHost

    def do_GET(self) -> None:
        self.host.hits.append(self.path)
        answer = self.host.routes.get(self.path, Answer(status=404, content_type="text/plain"))
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if answer.delay:
            time.sleep(answer.delay)
        # The client may have given up (a timeout, a size limit).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(answer.body)

    def log_message(self, format, *args) -> None:  # quiet test output
        pass
