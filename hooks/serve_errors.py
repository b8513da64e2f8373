"""MkDocs hook: under `playbook serve`, the catalog's errors in a banner at the top of every page
(generators/publish/serve_errors.py). It acts only when MkDocs starts as `mkdocs serve` and the environment
names the project's own errors file: a build (`playbook build`, mike under `publish`) never shows the banner,
whatever its environment holds."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from generators.project import Project
from generators.publish.serve_errors import ERRORS_ENV, SCRIPT, banner_script, link_errors

_serving: dict[str, bool] = {"serve": False}


def on_startup(*, command: str, **_: Any) -> None:
    _serving["serve"] = command == "serve"


def _errors() -> Path | None:
    """The errors file `playbook serve` named, None in any other run."""
    named = os.environ.get(ERRORS_ENV)
    return Path(named) if named and _serving["serve"] else None


def on_config(config: Any, **_: Any) -> Any:
    if _errors() is not None:
        config.extra_javascript.append(SCRIPT)
    return config


def on_files(files: Files, config: Any, **_: Any) -> Files:
    if _errors() is not None:
        files.append(File.generated(config, SCRIPT, content=banner_script()))
    return files


def on_post_build(config: Any, **_: Any) -> None:
    if (errors := _errors()) is not None:
        try:
            link_errors(Path(config.site_dir), errors, Project(Path(config.config_file_path).parent).cache)
        except ValueError as exc:
            raise PluginError(str(exc)) from None
