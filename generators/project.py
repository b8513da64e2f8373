"""Where a playbook lives and what it is built as: its folders, its site settings, the release being made."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils.yaml import yaml_load

CATALOG_DIR = "catalog"
OUTPUT_DIR = "docs/playbook"
CACHE_DIR = ".playbook-cache"
#: The site build's page cache, inside the cache folder (generators/site/page_cache.py), and the variable that
#: turns it off (`playbook build --no-cache`).
SITE_CACHE = "site-pages"
SITE_CACHE_ENV = "PLAYBOOK_SITE_CACHE"
#: The catalog files and prose the last check or generation parsed, inside the cache folder (load/entries.ParseCache).
PARSED_FILE = "parsed.pickle"
#: The commits `playbook sync` pinned the sources of playbook.toml to; committed beside it.
LOCK_FILE = "playbook.lock"
#: The folders of a project that the generator or the site build reads, besides those mkdocs.yml names.
SOURCE_FOLDERS = (CATALOG_DIR, "docs", "overrides", "hooks", "benchmarks")


#: How a site engine's Python is started. The engine runs in the project folder; -P keeps that folder off
#: sys.path, so that a module committed there (markdown.py, yaml.py) cannot stand in for a library.
PYTHON = (sys.executable, "-P")


@dataclass(frozen=True)
class Project:
    """Where a playbook lives: its catalog, the folder the generator owns, and its cache."""

    root: Path

    @property
    def catalog(self) -> Path:
        return self.root / CATALOG_DIR

    @property
    def output(self) -> Path:
        return self.root / OUTPUT_DIR

    @property
    def cache(self) -> Path:
        return self.root / CACHE_DIR

    @property
    def sources(self) -> Path:
        """Where `playbook sync` keeps each source: its fetched repository (NAME.git) and its copy (NAME)."""
        return self.cache / "sources"

    @property
    def mkdocs_config(self) -> Path:
        return self.root / "mkdocs.yml"


@dataclass(frozen=True)
class Release:
    """The version being published, the commit it is built from, and the branch it goes to."""

    version: str
    commit: str
    branch: str


def site_config(project: Project) -> dict[str, Any]:
    """mkdocs.yml as MkDocs reads it (environment tags resolved); empty when it cannot be read."""
    try:
        with project.mkdocs_config.open(encoding="utf-8") as handle:
            config = yaml_load(handle)
    except (OSError, ValueError, yaml.YAMLError):
        return {}
    return config if isinstance(config, dict) else {}


def read_folders(project: Project) -> tuple[str, ...]:
    """The folders the generator and the site build read: the catalog, docs_dir, the theme's custom_dir, hooks."""
    config = site_config(project)
    theme = config.get("theme")
    named = [config.get("docs_dir"), theme.get("custom_dir") if isinstance(theme, dict) else None,
             *(str(Path(h).parent) for h in config.get("hooks") or [] if isinstance(h, str))]
    return tuple(dict.fromkeys([*SOURCE_FOLDERS, *(n for n in named if isinstance(n, str) and n not in ("", "."))]))


def site_folder(project: Project, chosen: str | None = None) -> Path:
    """The folder a site is built into: `chosen` (--site-dir), else site_dir of mkdocs.yml, relative to the project."""
    configured = site_config(project).get("site_dir")
    return (Path(chosen) if chosen else project.root / (configured if isinstance(configured, str) else "site")).absolute()


def edit_base(project: Project) -> str | None:
    """Where a catalog file is edited: `repo_url` and `extra.catalog_edit_uri` of mkdocs.yml, when both are set."""
    config = site_config(project)
    repo, path = config.get("repo_url"), (config.get("extra") or {}).get("catalog_edit_uri")
    return f"{repo.rstrip('/')}/{path}" if isinstance(repo, str) and repo and isinstance(path, str) and path else None
