"""Cache entries that are whole or absent: written atomically, each with the hash of its content, checked on every read.

An entry is one file: the SHA-256 of its body on the first line, then the body, a JSON object. A
run killed while writing leaves at most a stray temporary file beside the entries, never a half
entry; an entry truncated, edited or damaged afterwards reads as missing, so the caller rebuilds it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_atomic(path: Path, data: bytes) -> None:
    """`data` at `path`, all or nothing: written to a temporary file beside it, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as file:
            os.fchmod(file.fileno(), 0o644)  # as a plain write would leave it, not private to this user
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def store(path: Path, payload: dict[str, Any]) -> None:
    """Write `payload` as the entry at `path`."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    write_atomic(path, hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body)


def load(path: Path) -> dict[str, Any] | None:
    """The payload stored at `path`; None when there is none, or it is not exactly what `store` wrote."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    digest, newline, body = data.partition(b"\n")
    if not newline or digest != hashlib.sha256(body).hexdigest().encode("ascii"):
        return None
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None
