"""Catalog errors in the browser under `playbook serve`: a banner at the top of every page until a regeneration passes.

Each generation `serve` runs records its errors in a file of the project's cache, an empty list
when it passed. `serve` starts MkDocs with ERRORS_ENV naming that file; `hooks/serve_errors.py`
then adds the banner's script to every page and makes the served site's `serve-errors/errors.json`
that very file, so the banner follows each generation within a second, without a rebuild of the
site. The script sets every message as text: diagnostics quote catalog content. `playbook build`
and `publish` remove ERRORS_ENV from their builds' environment, the hook acts under `mkdocs serve`
only, and it links no file but the project's own errors file: no site they make holds the banner.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path

from ..diagnostics import Report

#: Names the errors file for the MkDocs hook, in the environment of the MkDocs `serve` starts.
ERRORS_ENV = "PLAYBOOK_SERVE_ERRORS"
#: Where the banner's files are in the served site.
SITE_FOLDER = "serve-errors"
SCRIPT = f"{SITE_FOLDER}/banner.js"
_BANNER = Path(__file__).with_name("serve_banner.js")
_NONE = '{"errors": []}\n'


def errors_file(cache: Path) -> Path:
    """The file that holds the errors of the latest generation, in the project's cache folder."""
    return cache / "serve" / "errors.json"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)  # the banner never reads half a file


def record_errors(path: Path, report: Report) -> None:
    """Keep the errors of `report` in `path` (rewritten only when they change)."""
    errors = [asdict(d) for d in report.sorted() if d.severity == "error"]
    text = json.dumps({"errors": errors}, indent=1, ensure_ascii=False) + "\n" if errors else _NONE
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    _write(path, text)


def prepare_errors(path: Path) -> None:
    """Make sure the errors file exists, with no errors unless a generation recorded some."""
    if not path.is_file():
        _write(path, _NONE)


def clear_errors(path: Path) -> None:
    path.unlink(missing_ok=True)


def banner_script() -> str:
    """The script that shows the banner, served at SCRIPT."""
    return _BANNER.read_text(encoding="utf-8")


def without_errors(env: Mapping[str, str]) -> dict[str, str]:
    """`env` without ERRORS_ENV: the environment of a site build, which never shows the banner."""
    return {name: value for name, value in env.items() if name != ERRORS_ENV}


def link_errors(site: Path, errors: Path, cache: Path) -> None:
    """Make the served site's errors.json the errors file itself (a symbolic link in MkDocs' temporary site folder),
    so that the banner follows each generation without a rebuild.

    ValueError when `errors` is not the errors file of the project whose cache is `cache`: no other file is linked.
    """
    own = errors_file(cache)
    if os.path.abspath(errors) != os.path.abspath(own) or errors.is_symlink():
        raise ValueError(f"refusing to show {errors} in the served site: the banner shows only {own}")
    target = site / SITE_FOLDER / "errors.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(".errors.json.link")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(errors.resolve())
    os.replace(temporary, target)
