"""The error a reader raises for a file it cannot read as a plan."""

from __future__ import annotations


class InputError(Exception):
    """A file that cannot be read as a plan; ``message_key`` selects the user message."""

    def __init__(self, message_key: str, path: str, detail: str = "") -> None:
        super().__init__(f"{path}: {message_key} {detail}".strip())
        self.message_key = message_key
        self.path = path
        self.detail = detail
