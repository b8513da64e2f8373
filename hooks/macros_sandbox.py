"""MkDocs hook: the macros of hand-written pages run sandboxed and include only what the edition keeps
(see generators/site/sandbox.py); mkdocs-macros reports its setup only when something is wrong."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from generators.load.pages import current, left_out
from generators.site.sandbox import sandboxed

# mkdocs-macros logs its setup at INFO on every build: seven lines per rebuild under `playbook serve`. Its
# warnings and errors still show.
logging.getLogger("mkdocs.plugins.mkdocs_macros").setLevel(logging.WARNING)


@event_priority(-100)  # after mkdocs-macros has made its environment in its own on_config
def on_config(config: Any, **_: Any) -> Any:
    plugin = config.plugins.get("macros")
    if plugin is None:
        return config
    if not hasattr(plugin, "_env") or plugin._env is None:  # the environment the plugin renders pages with
        raise PluginError("this version of mkdocs-macros keeps its Jinja environment elsewhere; the pages' macros "
                          "cannot be sandboxed, so the build stops (pin the version pyproject.toml names)")
    root = Path(config.config_file_path).parent
    visibility, audience = current(root)
    plugin._env = sandboxed(plugin._env, left_out(root, visibility, audience))
    return config
