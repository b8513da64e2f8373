"""Macros of hand-written pages run in Jinja's sandbox and include only what the edition keeps.

mkdocs-macros renders a page that opts in (`render_macros: true`) with a plain Jinja environment,
in which template text can reach Python's internals (`cycler.__init__.__globals__.os`) and include
any page of the docs folder. A page's text is not trusted, so the environment is swapped for a
sandboxed one with the same macros, filters and delimiters, whose loader refuses the pages the
edition leaves out.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Collection
from typing import Any

from jinja2 import Environment, FileSystemLoader, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment

_DELIMITERS = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
               "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
               "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "autoescape")


class EditionLoader(FileSystemLoader):
    """A loader of the docs folder that cannot load what the edition leaves out."""

    def __init__(self, searchpath: Any, left_out: Collection[str]) -> None:
        super().__init__(searchpath)
        self.left_out = {posixpath.normpath(name) for name in left_out}

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        if posixpath.normpath(template.replace("\\", "/")) in self.left_out:
            raise TemplateNotFound(template)
        return super().get_source(environment, template)


def sandboxed(env: Environment, left_out: Collection[str]) -> SandboxedEnvironment:
    """A sandboxed copy of `env`: its delimiters, undefined behaviour, macros, filters and tests; a loader of the same folder."""
    loader = env.loader
    if not isinstance(loader, FileSystemLoader):
        raise TypeError(f"expected the macros environment to load from a folder, not {type(loader).__name__}")
    safe = SandboxedEnvironment(loader=EditionLoader(loader.searchpath, left_out), undefined=env.undefined,
                                extensions=[type(e) for e in env.extensions.values()],
                                **{name: getattr(env, name) for name in _DELIMITERS})
    safe.globals.update(env.globals)
    safe.filters.update(env.filters)
    safe.tests.update(env.tests)
    return safe
