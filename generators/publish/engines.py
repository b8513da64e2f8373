"""Zensical, the other engine that builds the generated pages: when it may, and how it is run.

Zensical reads mkdocs.yml and renders the same Markdown; the Benchmarks page compares its pages
with MkDocs' text for text. It runs no MkDocs hooks, so an edition that must leave out a
hand-written page or a file only such pages use (hooks/editions.py does that for MkDocs) is refused
rather than built with it.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from ..config import read_config
from ..load.pages import left_out
from ..load.visibility import Audience, load_visibility
from ..project import Project


def zensical_command(project: Project, audience: Audience, site_dir: str | None) -> list[str]:
    """The command that builds the site with Zensical; ValueError when this build cannot use it."""
    binary = shutil.which("zensical", path=str(Path(sys.executable).parent)) or shutil.which("zensical")
    if binary is None:
        raise ValueError("Zensical is not installed: .venv/bin/pip install -e '.[zensical]'")
    if site_dir:
        raise ValueError("Zensical writes to site_dir of mkdocs.yml; --site-dir is for MkDocs")
    hidden = sorted(left_out(project.root, load_visibility(read_config(project.root)), audience))
    if hidden:
        raise ValueError(f"the {audience.name} edition leaves out {', '.join(hidden)}, and Zensical runs no MkDocs "
                         "hook to do that; build this edition with MkDocs")
    return [binary, "build", "--strict", "-f", str(project.mkdocs_config)]
