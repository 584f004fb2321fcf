"""``plancheck serve``: a page on the author's own machine to drop a draft and see its findings.

Imported only by that command, so ``plancheck check`` never loads Starlette or uvicorn.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import sys
from collections.abc import Collection, Mapping
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from plancheck.api.messages import message
from plancheck.engine.plugin_host import PluginHost
from plancheck.web.app import create_app

__all__ = ["DeadlineProtocol", "ServeError", "create_app", "serve", "server_options"]

_LOOPBACK = ("127.0.0.1", "localhost", "::1")

# A client has HEADER_SECONDS to send a request's headers, from its first byte (or from the
# connection); an idle kept-alive connection closes after KEEP_ALIVE_SECONDS; a client that reads
# no more of an answer is dropped after SEND_SECONDS. Bodies have their own limits (upload.py).
HEADER_SECONDS = 10.0
KEEP_ALIVE_SECONDS = 5
SEND_SECONDS = 30.0
CONNECTIONS = 32  # open connections and requests at once; uvicorn answers 503 past them
HEADER_BYTES = 16 * 1024  # the request line and headers; h11 refuses larger ones with 400
SHUTDOWN_SECONDS = 5


class DeadlineProtocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with the deadlines it lacks against slow clients (slow loris):
    uvicorn times out only an idle connection between requests.

    While no request is being answered, the client must finish sending a request's headers (or
    the rest of a body the answer did not read) within HEADER_SECONDS of starting, else the
    connection closes; once the app answers, reading the body is bounded by the app. A client
    that stops reading an answer is cut off after SEND_SECONDS.
    """

    _waiting: asyncio.TimerHandle | None = None
    _stalled: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._wait_for_client()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._answering():
            self._stop_waiting()
        else:
            self._wait_for_client()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self._answering() or self.conn.their_state is h11.IDLE:
            self._stop_waiting()  # an idle connection: uvicorn's keep-alive timeout closes it
        elif not self.transport.is_closing():
            self._wait_for_client()  # the rest of a body nobody reads

    def pause_writing(self) -> None:
        super().pause_writing()
        if self._stalled is None:
            self._stalled = self.loop.call_later(SEND_SECONDS, self.transport.abort)

    def resume_writing(self) -> None:
        super().resume_writing()
        if self._stalled is not None:
            self._stalled.cancel()
            self._stalled = None

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        if self._stalled is not None:
            self._stalled.cancel()
            self._stalled = None
        super().connection_lost(exc)

    def _answering(self) -> bool:
        return self.cycle is not None and not self.cycle.response_complete

    def _wait_for_client(self) -> None:
        if self._waiting is None:
            self._waiting = self.loop.call_later(HEADER_SECONDS, self._too_slow)

    def _stop_waiting(self) -> None:
        if self._waiting is not None:
            self._waiting.cancel()
            self._waiting = None

    def _too_slow(self) -> None:
        self._waiting = None
        if not self.transport.is_closing():
            self.transport.close()


def server_options(address: str, port: int) -> dict[str, Any]:
    """What ``serve`` gives ``uvicorn.run``."""
    return {
        "host": address,
        "port": port,
        "log_level": "warning",
        "http": DeadlineProtocol,
        "ws": "none",  # no WebSocket routes: never upgrade
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        "timeout_graceful_shutdown": SHUTDOWN_SECONDS,
        "limit_concurrency": CONNECTIONS,
        "h11_max_incomplete_event_size": HEADER_BYTES,
        # no proxy in front: X-Forwarded-* from a local client must not change the scheme or client
        "proxy_headers": False,
        "server_header": False,
    }


class ServeError(Exception):
    """The page cannot be served (its port is taken); the message is the user's, one line."""


def _check_port(address: str, port: int, lang: str) -> None:
    """Refuse a port another program holds, or one this user may not open, before anything is
    printed: uvicorn would log its own error after the line that says to open the page.

    Other failures (an address this computer lacks) are left to uvicorn, which meets them too."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
            probe.bind((address, port))
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            other = port + 1 if port < 65535 else 8000
            raise ServeError(message("serve_port_in_use", lang, port=port, other=other)) from error
        if error.errno == errno.EACCES:
            raise ServeError(message("serve_port_denied", lang, port=port)) from error


def serve(
    host: PluginHost,
    address: str,
    port: int,
    max_upload_mb: float,
    overrides: Mapping[str, Any],
    server_names: Collection[str] = (),
) -> None:
    """Serve the page until Ctrl+C. ``server_names``: more names the page may be opened by."""
    app = create_app(
        host,
        int(max_upload_mb * 1024 * 1024),
        overrides,
        address=address,
        server_names=server_names,
    )
    shown = f"[{address}]" if ":" in address else address
    lang = app.state.lang
    _check_port(address, port, lang)
    print(f"plancheck: {message('serve_open', lang, address=shown, port=port)}", file=sys.stderr)
    if address not in _LOOPBACK:
        print(f"plancheck: {message('serve_exposed', lang, address=address)}", file=sys.stderr)
    uvicorn.run(app, **server_options(address, port))
