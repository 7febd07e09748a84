"""An HTTP server with Range support on 127.0.0.1, for the remote-reading
tests: it counts requests and the body bytes it sends, and can misbehave on
purpose (ignore Range, drop the connection midway)."""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_RANGE = re.compile(r"bytes=(\d+)-(\d*)$")


class RangeServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.files: dict[str, bytes] = {}
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str, str | None]] = []
        self.bytes_sent = 0
        # Values of the X-Test header, one per request that carried it.
        self.test_headers: list[str] = []
        self.ignore_range = False
        # Whether a server ignoring Range still says "Accept-Ranges: bytes".
        self.claim_ranges = False
        # Send this share of a ranged body, then close the connection.
        self.drop_after: float | None = None
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/{name}"

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.test_headers.clear()
            self.bytes_sent = 0
        self.ignore_range = False
        self.claim_ranges = False
        self.drop_after = None

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def get_requests(self) -> list[tuple[str, str, str | None]]:
        """The GET requests (method, path, Range header) so far."""
        with self.lock:
            return [request for request in self.requests if request[0] == "GET"]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out as separate writes; without this, Nagle's
    # algorithm and the client's delayed ACK hold each small body for 40 ms.
    disable_nagle_algorithm = True
    server: RangeServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        pass  # keep the test output clean

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
        self._serve(head=True)

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._serve(head=False)

    def _serve(self, head: bool) -> None:
        server = self.server
        range_header = self.headers.get("Range")
        with server.lock:
            server.requests.append((self.command, self.path, range_header))
            if "X-Test" in self.headers:
                server.test_headers.append(self.headers["X-Test"])
        data = server.files.get(self.path.lstrip("/"))
        if data is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        match = _RANGE.match(range_header or "")
        if match and not server.ignore_range:
            first = int(match.group(1))
            last = int(match.group(2)) if match.group(2) else len(data) - 1
            last = min(last, len(data) - 1)
            body = data[first : last + 1]
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {first}-{last}/{len(data)}")
        else:
            body = data
            self.send_response(200)
        honest = server.ignore_range and not server.claim_ranges
        self.send_header("Accept-Ranges", "none" if honest else "bytes")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if head:
            return
        if match and server.drop_after is not None:
            part = body[: int(len(body) * server.drop_after)]
            self._write(part)
            self.close_connection = True
            return
        self._write(body)

    def _write(self, body: bytes) -> None:
        step = 64 * 1024
        try:
            for start in range(0, len(body), step):
                chunk = body[start : start + step]
                # Counted before it goes: the client may have it, and the
                # test may be looking, before this thread runs on.
                with self.server.lock:
                    self.server.bytes_sent += len(chunk)
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
