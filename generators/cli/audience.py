"""The `--audience` option the site commands share, and the environment an edition is built in."""

from __future__ import annotations

import argparse
import os
import re
import sys

from ..config import read_config
from ..load.visibility import Audience, load_visibility, site_environment
from ..models.common import WEB_URL
from ..project import Project
from ..publish.serve_errors import without_errors


def add_audience(p: argparse.ArgumentParser) -> None:
    p.add_argument("--audience", metavar="NAME",
                   help="the edition to make: only what this audience may read (default: [visibility] audience "
                        "in playbook.toml; audiences are declared there)")


def bad_site_url(value: str | None) -> bool:
    """Whether `--site-url` was given as anything but an http or https address; the error is printed."""
    if value and not re.fullmatch(WEB_URL, value):
        print(f"error: --site-url must be an http or https address, not {value!r}", file=sys.stderr)
        return True
    return False


def audience_of(project: Project, name: str | None) -> Audience | None:
    """The audience named on the command line (or the default one); None, with the reason printed, when unknown."""
    try:
        return load_visibility(read_config(project.root)).audience(name)
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return None


def site_env(audience: Audience) -> dict[str, str]:
    """This process's environment with the edition's settings for MkDocs and the macros, never the serve banner's."""
    return {**without_errors(os.environ), **site_environment(audience)}
