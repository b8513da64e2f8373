"""MkDocs hook: under `playbook serve`, the catalog's errors in a banner at the top of every page
(generators/publish/serve_errors.py). It acts only when `serve` names its errors file in the environment:
`playbook build` and `publish` never do, so no site they make holds the banner."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

from generators.publish.serve_errors import ERRORS_ENV, SCRIPT, banner_script, link_errors


def on_config(config: Any, **_: Any) -> Any:
    if os.environ.get(ERRORS_ENV):
        config.extra_javascript.append(SCRIPT)
    return config


def on_files(files: Files, config: Any, **_: Any) -> Files:
    if os.environ.get(ERRORS_ENV):
        files.append(File.generated(config, SCRIPT, content=banner_script()))
    return files


def on_post_build(config: Any, **_: Any) -> None:
    if errors := os.environ.get(ERRORS_ENV):
        link_errors(Path(config.site_dir), Path(errors))
