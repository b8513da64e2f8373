"""playbook.toml, read once per run into one object that the stages are given."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_FILE = "playbook.toml"


@dataclass(frozen=True)
class Config:
    """The tables of playbook.toml, and why the file could not be read when it could not (check reports it)."""

    tables: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None

    def table(self, name: str) -> dict[str, Any]:
        value = self.tables.get(name, {})
        return value if isinstance(value, dict) else {}


def read_config(root: Path) -> Config:
    """The project's playbook.toml; defaults everywhere when it is missing or unreadable."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return Config()
    try:
        return Config(tomllib.loads(path.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        return Config(problem=f"cannot read the file: {exc}")
