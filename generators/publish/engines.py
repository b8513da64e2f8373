"""Zensical, the other engine that builds the generated pages: what it is given, and how it is run.

Zensical reads mkdocs.yml and renders the same Markdown, but runs no MkDocs hook. What the hooks do
for MkDocs is done here, before it runs, on a staged copy of the docs folder under the cache:

- editions (hooks/editions.py): the pages and files the edition leaves out are not copied, and the
  navigation is pruned of them, so the engine never reads them;
- macros (hooks/macros_sandbox.py): the pages that opt in are rendered here, in the same Jinja
  sandbox with a loader that refuses what the edition leaves out, and the derived configuration
  names no macros plugin, so Zensical's own Jinja (not sandboxed) never sees a page's text;
- sanitising needs nothing here: it is a Markdown extension (generators/site/sanitize.py) that the
  derived configuration keeps among the markdown_extensions, so Zensical runs it as MkDocs does.

Zensical keeps site_dir inside the folder of its configuration, so the site is built under the
cache and then moved into the site folder. `playbook build` checks the site afterwards, whichever
engine built it. The staging runs in the engine's own process (`zensical_command`), after the
pages are generated.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Collection
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from mkdocs.utils import is_markdown_file
from mkdocs.utils.meta import get_data

from ..config import read_config
from ..load.pages import current, left_out, prune_nav, site
from ..load.visibility import AUDIENCE_ENV, Audience, load_visibility
from ..project import PYTHON, Project, site_config, site_folder
from ..site import macros
from ..site.sandbox import sandboxed
from .search_index import SearchIndexError, index_site

#: The folder under the cache Zensical builds in: its configuration, the staged docs, the site, its own cache.
STAGE = "zensical"
CONFIG = "mkdocs.yml"


class StagingError(Exception):
    """The edition cannot be staged for Zensical; the message says why."""


def zensical_binary() -> str | None:
    return shutil.which("zensical", path=str(Path(sys.executable).parent)) or shutil.which("zensical")


def zensical_command(project: Project, audience: Audience, site_dir: str | None) -> list[str]:
    """The command that stages the edition and builds it with Zensical; ValueError when this build cannot use it."""
    if zensical_binary() is None:
        raise ValueError("Zensical is not installed: .venv/bin/pip install -e '.[zensical]'")
    target = site_folder(project, site_dir)
    return [*PYTHON, "-m", "generators.publish.engines", str(project.root), audience.name, str(target)]


def stage(project: Project, audience: Audience) -> Path:
    """The edition's docs and a configuration for Zensical, written under the cache; returns the configuration file."""
    left = left_out(project.root, load_visibility(read_config(project.root)), audience)
    docs = stage_docs(project, left)
    config = site_config(project)
    _render_macros(project, config, docs, left)
    config_file = docs.parent / CONFIG
    config_file.write_text(yaml.safe_dump(derived_config(project, config, left), sort_keys=False, allow_unicode=True),
                           encoding="utf-8")
    return config_file


def stage_docs(project: Project, left: Collection[str]) -> Path:
    """A copy of the docs folder under the cache without the paths in `left`; returns the copy."""
    docs = project.cache / STAGE / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    for uri, path in _plain_files(site(project.root).docs):
        if uri not in left:
            (docs / uri).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, docs / uri)
    return docs


def derived_config(project: Project, config: dict[str, Any], left: set[str]) -> dict[str, Any]:
    """mkdocs.yml as Zensical is to read it from the stage: the staged docs, a site under the stage, the theme's
    own folder in the project, the navigation without what the edition leaves out, no macros plugin and no hooks."""
    derived = {key: value for key, value in config.items() if key not in ("hooks", "docs_dir", "site_dir")}
    derived.update(docs_dir="docs", site_dir="site")
    theme = derived.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        derived["theme"] = {**theme, "custom_dir": str((project.root / theme["custom_dir"]).absolute())}
    if derived.get("nav") is not None and left:
        derived["nav"] = prune_nav(derived["nav"], left)
    derived["plugins"] = [plugin for plugin in derived.get("plugins") or [] if _plugin_name(plugin) != "macros"]
    return derived


def _plugin_name(plugin: Any) -> str:
    return plugin if isinstance(plugin, str) else next(iter(plugin), "") if isinstance(plugin, dict) else ""


def _plain_files(folder: Path) -> list[tuple[str, Path]]:
    """Every plain file under `folder`, by its path inside it; links are never followed (the check refuses them)."""
    found = []
    for top, folders, names in os.walk(folder):
        folders[:] = sorted(name for name in folders if not (Path(top) / name).is_symlink())
        for name in sorted(names):
            path = Path(top) / name
            if not path.is_symlink() and path.is_file():
                found.append((path.relative_to(folder).as_posix(), path))
    return found


def _render_macros(project: Project, config: dict[str, Any], docs: Path, left: Collection[str]) -> None:
    """Render the staged pages that opt in (`render_macros: true`) with the macros of generators/site/macros.py,
    in Jinja's sandbox, as mkdocs-macros does for MkDocs under hooks/macros_sandbox.py."""
    plugin = next((p for p in config.get("plugins") or [] if _plugin_name(p) == "macros"), None)
    if plugin is None:
        return
    options = plugin.get("macros") if isinstance(plugin, dict) else None
    options = options if isinstance(options, dict) else {}
    if options.get("render_by_default", True) is not False or options.get("on_undefined") != "strict":
        raise StagingError("mkdocs.yml: the macros plugin must have render_by_default: false and on_undefined: strict "
                           "for a Zensical build, as hand-written pages opt in")
    source = site(project.root).docs
    env = SimpleNamespace(project_dir=str(project.root), conf={"docs_dir": str(source)}, page=None)
    found: dict[str, Any] = {}
    env.macro = lambda function, name=None: found.setdefault(name or function.__name__, function)
    env.filter = lambda function, name=None: function
    macros.define_env(env)
    plain = Environment(loader=FileSystemLoader(str(docs)), undefined=StrictUndefined)
    jinja = sandboxed(plain, left)
    jinja.globals.update(found, config=config, extra=config.get("extra") or {})
    for uri, path in _plain_files(docs):
        if not is_markdown_file(uri):
            continue
        text = path.read_text(encoding="utf-8-sig")
        body, meta = get_data(text)
        if meta.get("render_macros") != True:  # noqa: E712 - as mkdocs-macros decides: True or 1 opts in
            continue
        if not text.endswith(body):
            raise StagingError(f"{_shown(project, source / uri)}: the front matter cannot be told from the page")
        env.page = SimpleNamespace(path=uri, meta=meta)
        try:
            rendered = jinja.from_string(body).render({**meta, "page": env.page})
        except Exception as exc:  # noqa: BLE001 - any macro's failure stops the build, as on_error_fail does for MkDocs
            raise StagingError(f"{_shown(project, source / uri)}: {type(exc).__name__}: {exc}") from None
        path.write_text(text[: len(text) - len(body)] + rendered, encoding="utf-8")


def _shown(project: Project, path: Path) -> str:
    return path.relative_to(project.root).as_posix() if project.root in path.parents else str(path)


def build(project: Project, audience: Audience, target: Path) -> int:
    """Stage the edition, build it with Zensical, move the site into `target` and index it for search; Zensical's
    exit status, or 1 when the index cannot be made."""
    binary = zensical_binary()
    if binary is None:
        print("error: Zensical is not installed: .venv/bin/pip install -e '.[zensical]'", file=sys.stderr)
        return 1
    try:
        config_file = stage(project, audience)
    except StagingError as exc:
        print(f"error: cannot stage the {audience.name} edition for Zensical, {exc}", file=sys.stderr)
        return 1
    except (OSError, yaml.YAMLError) as exc:
        print(f"error: cannot stage the {audience.name} edition for Zensical, {project.cache / STAGE}: {exc}",
              file=sys.stderr)
        return 1
    built = config_file.parent / "site"
    shutil.rmtree(built, ignore_errors=True)  # what a failed build left there is never moved into a site
    status = subprocess.call([binary, "build", "--strict", "-f", str(config_file)], cwd=config_file.parent)
    if status != 0:
        return status
    _replace(target, built)
    try:
        index_site(target)  # the search the theme offers, as hooks/search_index.py makes it for MkDocs
    except SearchIndexError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _replace(target: Path, built: Path) -> None:
    """The site folder's content replaced by the built site; its dot files (the site's mark) stay, as MkDocs keeps them."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in target.iterdir():
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    for entry in built.iterdir():
        shutil.move(str(entry), str(target / entry.name))


def main(argv: list[str] | None = None) -> int:
    """`python -m generators.publish.engines ROOT AUDIENCE SITE`: what `playbook build --engine zensical` runs, in the
    edition's environment (PLAYBOOK_AUDIENCE names AUDIENCE)."""
    parser = argparse.ArgumentParser(prog="generators.publish.engines")
    parser.add_argument("root", type=Path)
    parser.add_argument("audience")
    parser.add_argument("site", type=Path)
    args = parser.parse_args(argv)
    project = Project(args.root)
    _, audience = current(project.root)  # the edition this process's environment names, as the MkDocs hooks read it
    if audience.name != args.audience:
        print(f"error: cannot build the {args.audience} edition with Zensical, {project.root}: this process's "
              f"environment names the {audience.name} edition ({AUDIENCE_ENV})", file=sys.stderr)
        return 1
    return build(project, audience, args.site)


if __name__ == "__main__":
    sys.exit(main())
