"""Problems found in the catalog, collected in one place and formatted by reporters."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]
#: Where a value sits in a document: keys and list indexes, from the top.
Path_ = tuple[str | int, ...]


def format_path(path: Path_) -> str:
    """`('rules', 1, 'level')` as `rules[1].level`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


#: The name of a file of a synced source: the source's name, a colon, the file's path in the source's repository.
_SOURCE_FILE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*:")


def source_file(source: str, path: str) -> str:
    """How a file kept in another repository is named: `payments-team:playbook/adrs/0003-x.yaml`."""
    return f"{source}:{path}"


def elsewhere(file: str) -> bool:
    """Whether a diagnostic's file is one of a synced source (named by `source_file`), not of this repository."""
    return bool(_SOURCE_FILE.match(file))


def closest(word: str, choices: Iterable[str]) -> str:
    """A `did you mean 'x'?` hint, or an empty string when nothing is close."""
    match = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else ""


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place: `file:line:col: severity: path: message`."""

    file: str
    line: int
    column: int
    severity: Severity
    message: str
    path: str = ""
    hint: str = ""
    code: str = ""

    def text(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        what = f"{self.path}: {self.message}" if self.path else self.message
        out = f"{where}: {self.severity}: {what}"
        if self.hint:
            out += f"\n  hint: {self.hint}"
        return out


@dataclass
class Report:
    """Every diagnostic of one run; reporters only format it."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    def extend(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics.extend(diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.diagnostics), key=lambda d: (d.file, d.line, d.column, d.message))

    def summary(self) -> str:
        errors, warnings = len(self.errors), len(self.warnings)
        return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def format_text(report: Report) -> str:
    lines = [d.text() for d in report.sorted()]
    lines.append(report.summary())
    return "\n".join(lines)


def format_json(report: Report) -> str:
    payload = {
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "diagnostics": [asdict(d) for d in report.sorted()],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)


def _escape_property(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def format_github(report: Report) -> str:
    """GitHub Actions workflow commands, one annotation per diagnostic. A file of another repository (a synced
    source's) is named in the message, as an annotation's `file`, `line` and `col` are optional and point into this
    one (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands)."""
    lines = []
    for d in report.sorted():
        message = f"{d.path}: {d.message}" if d.path else d.message
        if d.hint:
            message += f"\nhint: {d.hint}"
        props = f"title={_escape_property(d.code or 'playbook')}"
        if elsewhere(d.file):
            message = f"{d.file}:{d.line}:{d.column}: {message}"
        else:
            props = f"file={_escape_property(d.file)},line={d.line},col={d.column},{props}"
        lines.append(f"::{d.severity} {props}::{_escape_data(message)}")
    lines.append(report.summary())
    return "\n".join(lines)


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
