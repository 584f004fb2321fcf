"""``plancheck serve``: a page on the author's own machine to drop a draft and see its findings.

Imported only by that command, so ``plancheck check`` never loads Starlette or uvicorn.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from plancheck.plugins import PluginHost
from plancheck.web.app import create_app

__all__ = ["create_app", "serve"]

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve(
    host: PluginHost, address: str, port: int, max_upload_mb: float, overrides: Mapping[str, Any]
) -> None:
    """Serve the page until Ctrl+C."""
    import uvicorn

    app = create_app(host, int(max_upload_mb * 1024 * 1024), overrides)
    shown = f"[{address}]" if ":" in address else address
    print(
        f"plancheck: http://{shown}:{port}/ をブラウザで開いてください（Ctrl+C で終了）",
        file=sys.stderr,
    )
    if address not in _LOOPBACK:
        print(
            f"plancheck: {address} で待ち受けるため、ほかのパソコンからもこのページを使えます",
            file=sys.stderr,
        )
    uvicorn.run(app, host=address, port=port, log_level="warning")
