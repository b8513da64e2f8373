"""`playbook new`: a valid skeleton entry to start from, and the id and author of a new ADR."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

from ..dates import plus_days
from ..load.entries import load_catalog, schema_line
from ..models import BY_KIND
from ..models.adr import Adr
from ..models.common import SLUG_PATTERN
from ..models.team import Team

#: The longest slug a title contributes to an ADR id.
SLUG_LENGTH = 60
_NUMBERED = re.compile(r"^(\d+)(?:-|$)")


def slugify(title: str, limit: int = SLUG_LENGTH) -> str:
    """Lowercase ASCII letters and digits joined by single hyphens, cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        cut = slug[:limit]
        slug = cut.rsplit("-", 1)[0] if slug[limit] != "-" and "-" in cut else cut.rstrip("-")
    return slug


def next_adr_number(catalog_dir: Path) -> int:
    """One more than the highest number an ADR id starts with (`0007-...` gives 8); 1 when none is numbered."""
    numbers = [int(match.group(1)) for path in (catalog_dir / Adr.folder).glob("*.yaml")
               if (match := _NUMBERED.match(path.stem))]
    return max(numbers, default=0) + 1


def adr_title(argument: str) -> str | None:
    """The title `playbook new adr ARGUMENT` names, blanks collapsed: anything but an id is a title, numbered by
    `adr_id`; None when `argument` is an id."""
    return None if re.fullmatch(SLUG_PATTERN, argument) else " ".join(argument.split())


def adr_id(catalog_dir: Path, title: str) -> str:
    """The id of a new ADR titled `title`: the next number, four digits at least, and a slug of the title.

    A title with no ASCII letter or digit gives 'NNNN-decision' (a bare '0009' would read as a number).
    """
    return f"{next_adr_number(catalog_dir):04d}-{slugify(title) or 'decision'}"


def default_owner(root: Path, catalog_dir: Path, kind: str) -> str | None:
    """The active team that owns the most valid entries of `kind` (the first by id on a tie), or the
    first active team when none owns one; None when the catalog has no active team."""
    catalog, _ = load_catalog(root, catalog_dir)
    teams = sorted(team.id for team in catalog.of_kind(Team) if isinstance(team, Team) and team.status == "active")
    owned = Counter(owner for entry in catalog.of_kind(BY_KIND[kind]) for owner in entry.owners)
    return min(teams, key=lambda team: (-owned[team], team), default=None)


def git_author(folder: Path) -> str | None:
    """`git config user.name` as seen from `folder`, or None when git or the setting is missing."""
    try:
        result = subprocess.run(["git", "-C", str(folder), "config", "user.name"],
                                capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    name = " ".join(result.stdout.split())
    return name if result.returncode == 0 and name else None


def skeleton(kind: str, entry_id: str, title: str, owner: str, today: dt.date, deciders: str = "Name or team") -> str:
    """The text of a new entry that passes `playbook check`; `deciders` is the first decider of an ADR."""
    head = f"""{schema_line(kind)}
id: {entry_id}
title: {json.dumps(title, ensure_ascii=False)}
summary: One sentence that says what this entry is for.
owners:
  - {owner}
tags: []
last_reviewed: {today.isoformat()}
review_every: 6 months
"""
    expires = plus_days(today, 90) or dt.date.max
    return head + BY_KIND[kind].skeleton.format(today=today.isoformat(), entry_id=entry_id, expires=expires.isoformat(),
                                       deciders=json.dumps(deciders, ensure_ascii=False))


def new_entry(catalog_dir: Path, kind: str, entry_id: str, title: str, owner: str, today: dt.date,
              deciders: str = "Name or team") -> Path:
    """Write a skeleton entry; never overwrites an existing file."""
    model = BY_KIND[kind]
    path = catalog_dir / model.folder / f"{entry_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(skeleton(kind, entry_id, title, owner, today, deciders))
    return path
