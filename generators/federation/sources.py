"""The sources playbook.toml names, the commits playbook.lock pins them to, and the copies `playbook sync` made.

    [sources.payments-team]
    repository = "https://git.example.com/payments/decisions.git"  # a web or SSH address, file://, or a local folder
    ref = "v1.4.0"                    # the tag, branch or commit to show
    path = "playbook"                 # the folder laid out like catalog/ (adrs/, architectures/); the top by default
    kinds = ["adr", "architecture"]   # what it may contribute; ADRs alone by default
    edit_uri = "-/edit/main/"         # where its files are edited, after the repository's web address

A source's files are shown as `payments-team:playbook/adrs/0003-x.yaml`: the source, then the file's path in its own
repository, where a team fixes it.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator

from ..config import CONFIG_FILE, Config
from ..diagnostics import Diagnostic, closest, format_path, source_file
from ..models import BY_KIND
from ..models.common import LINE_PATTERN, SLUG_PATTERN, Model
from ..project import LOCK_FILE, Project

#: The file in a synced copy that says what it was copied from; the loader skips files whose name starts with a dot.
MARKER = ".playbook-source.json"
#: A commit's name in full: SHA-1, or SHA-256 in a repository that uses it.
COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
#: A tag, branch or commit: no leading '-' (an option to git) and none of the revision syntax (`^ ~ : @{ ..`) that would
#: name something other than the ref.
_REF = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/-]{0,199}")
#: A folder inside the repository: no leading '/', no part starting with a dot (so neither '.' nor '..').
_FOLDER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*(?:/[A-Za-z0-9_][A-Za-z0-9._-]*)*")
#: A path after a web address, such as '-/edit/main/'.
_EDIT_URI = re.compile(r"[A-Za-z0-9_.~!$&'()*+,;=@%-][A-Za-z0-9_.~!$&'()*+,;=@%/-]*")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
#: git's scp-like address, `[user@]host:path`: a colon before any slash.
_SCP = re.compile(r"[^/:]+:")
SCHEMES = ("https", "http", "ssh", "git", "file")
#: Where a file is edited on hosts whose addresses are known, after the repository's web address: MkDocs derives
#: `edit_uri` from `repo_url` the same way for these two hosts ('edit/master/docs/', mkdocs/config/config_options.py,
#: https://github.com/mkdocs/mkdocs/blob/1.6.1/mkdocs/config/config_options.py); here at the pinned ref.
KNOWN_HOSTS = {"github.com": "edit/{ref}/", "gitlab.com": "edit/{ref}/"}
DEFAULT_KINDS = ("adr",)
LOCK_HEADER = ("# Written by `playbook sync`: the commit each source of playbook.toml is pinned to. Commit this file;\n"
               "# change a source in playbook.toml and run `playbook sync` rather than editing it.\n")


class SourceSettings(Model):
    """One `[sources.NAME]` table of playbook.toml."""

    repository: str = Field(max_length=500, description="Where the repository is: a web or SSH address, file://, or a folder.")
    ref: str = Field(description="The tag, branch or commit the playbook shows.")
    path: str = Field(default="", description="The folder of the repository laid out like catalog/; its top by default.")
    kinds: list[str] = Field(default_factory=lambda: list(DEFAULT_KINDS), min_length=1,
                             description="The kinds of entries it may contribute.")
    edit_uri: str | None = Field(default=None, description="Where its files are edited, after the repository's web address.")

    @field_validator("repository")
    @classmethod
    def _repository(cls, value: str) -> str:
        scheme = _SCHEME.match(value)
        if not value or not re.fullmatch(LINE_PATTERN, value):
            raise ValueError("give the repository's address or folder on one line")
        if value.startswith("-"):
            raise ValueError("an address cannot start with '-'")
        if "::" in value:
            raise ValueError("'<transport>::<address>' runs a program to fetch; give an https://, ssh:// or file:// "
                             "address, or a folder")
        if scheme and scheme[1].lower() not in SCHEMES:
            raise ValueError(f"'{scheme[1]}://' is not an address git fetches from here; use {', '.join(SCHEMES)}")
        return value

    @field_validator("ref")
    @classmethod
    def _ref(cls, value: str) -> str:
        if not _REF.fullmatch(value) or ".." in value:
            raise ValueError(f"{value!r} is not a tag, branch or commit name: letters, digits and . _ / -, "
                             "starting with a letter or digit")
        return value

    @field_validator("path")
    @classmethod
    def _path(cls, value: str) -> str:
        value = value.rstrip("/")
        if value and not _FOLDER.fullmatch(value):
            raise ValueError(f"{value!r} is not a folder inside the repository, such as 'playbook' "
                             "(no leading '/', no part starting with a dot)")
        return value

    @field_validator("kinds")
    @classmethod
    def _kinds(cls, value: list[str]) -> list[str]:
        for kind in value:
            if kind not in BY_KIND:
                hint = closest(kind, BY_KIND) or f"kinds: {', '.join(BY_KIND)}"
                raise ValueError(f"unknown kind '{kind}'; {hint}")
        return list(dict.fromkeys(value))

    @field_validator("edit_uri")
    @classmethod
    def _edit_uri(cls, value: str | None) -> str | None:
        if value and not _EDIT_URI.fullmatch(value):
            raise ValueError(f"{value!r} is not a path after the repository's web address, such as '-/edit/main/'")
        return value


@dataclass(frozen=True)
class Source:
    """A repository whose entries the playbook shows, as playbook.toml names it."""

    name: str
    repository: str
    ref: str
    path: str
    kinds: tuple[str, ...]
    edit_uri: str | None = None

    @property
    def local(self) -> bool:
        """Whether the repository is on this machine (a folder or file://), so that fetching it needs no network."""
        scheme = _SCHEME.match(self.repository)
        return scheme[1].lower() == "file" if scheme else not _SCP.match(self.repository)

    def address(self, root: Path) -> str:
        """The repository as git is given it: an address as written, a folder made absolute against the project."""
        if _SCHEME.match(self.repository) or _SCP.match(self.repository):
            return self.repository
        return str((root / self.repository).absolute())

    def file(self, relative: str) -> str:
        """The path in the source's own repository of a file of its copy."""
        return f"{self.path}/{relative}" if self.path else relative

    def shown(self, relative: str) -> str:
        """How diagnostics and pages name a file of the copy: `payments-team:playbook/adrs/0003-x.yaml`."""
        return source_file(self.name, self.file(relative))

    def edit_url(self, relative: str) -> str | None:
        """Where a file of the copy is edited: the repository's web address (http or https only), the edit path
        (`edit_uri`, or the known host's), the file; None when there is no web address or edit path."""
        web = web_address(self.repository)
        if web is None:
            return None
        known = KNOWN_HOSTS.get(urlsplit(web).hostname or "", "").format(ref=self.ref)
        edit = (self.edit_uri if self.edit_uri is not None else known).strip("/")
        return f"{web}/{edit}/{self.file(relative)}" if edit else None


def web_address(repository: str) -> str | None:
    """An http(s) repository address as a page may link it: no credentials, query or '.git'; None for any other."""
    parts = urlsplit(repository)
    try:
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = (f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname) + (f":{port}" if port else "")
    return f"{parts.scheme.lower()}://{host}{parts.path.rstrip('/').removesuffix('.git')}"


@dataclass(frozen=True)
class Pin:
    """What playbook.lock records of one source: the repository and ref it was synced from, and the commit."""

    repository: str
    ref: str
    commit: str


@dataclass(frozen=True)
class Origin:
    """Where an entry kept in another repository comes from: "From payments-team at v1.4.0 (commit abc1234)"."""

    source: str
    ref: str
    commit: str
    #: The entry's file in the source's repository.
    file: str
    edit_url: str | None = None

    @property
    def short(self) -> str:
        return self.commit[:7]


@dataclass(frozen=True)
class Synced:
    """A source whose copy in the cache holds the commit playbook.lock pins."""

    source: Source
    pin: Pin
    folder: Path

    def origin(self, relative: str) -> Origin:
        return Origin(self.source.name, self.pin.ref, self.pin.commit, self.source.file(relative),
                      self.source.edit_url(relative))


def _problem(file: str, path: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(file, 1, 1, "error", message, path, hint, "source")


def _wording(error: dict[str, Any]) -> tuple[str, str]:
    """A pydantic error of a source's settings as (message, hint)."""
    kind, loc = error["type"], error["loc"]
    key = str(loc[0]) if loc else ""
    if kind == "extra_forbidden":
        keys = list(SourceSettings.model_fields)
        return f"unknown key '{key}'", closest(key, keys) or f"keys: {', '.join(keys)}"
    if kind == "missing":
        return f"missing required key '{key}'", ""
    if kind == "value_error":
        return str((error.get("ctx") or {}).get("error", error["msg"])), ""
    if kind == "string_type":
        return "expected text in quotes", ""
    if kind == "list_type":
        return "expected a list, such as [\"adr\"]", ""
    if kind == "too_short":
        return "name at least one kind", ""
    return f"{error['msg'][0].lower()}{error['msg'][1:]}", ""


def read_sources(config: Config) -> tuple[list[Source], list[Diagnostic]]:
    """The sources of playbook.toml, in name order; each one that is not valid is left out and reported."""
    table = config.tables.get("sources", {})
    if not isinstance(table, dict):
        return [], [_problem(CONFIG_FILE, "sources", "expected a table of sources, such as [sources.payments-team]")]
    sources, problems = [], []
    for name in sorted(table):
        where = f"sources.{name}"
        if not re.fullmatch(SLUG_PATTERN, name) or len(name) > 80:
            problems.append(_problem(CONFIG_FILE, where, f"{name!r} cannot name a source",
                                     "name it with a lowercase slug of letters, digits and single hyphens, "
                                     "for example 'payments-team'"))
            continue
        try:
            settings = SourceSettings.model_validate(table[name])
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                loc = tuple(error["loc"])
                message, hint = _wording(error)
                at = loc[:-1] if error["type"] == "missing" else loc[:1]
                problems.append(_problem(CONFIG_FILE, format_path(("sources", name, *at)), message, hint))
            continue
        sources.append(Source(name, settings.repository, settings.ref, settings.path, tuple(settings.kinds),
                              settings.edit_uri))
    return sources, problems


def read_lock(root: Path) -> tuple[dict[str, Pin], list[Diagnostic]]:
    """The pins of playbook.lock; none when it does not exist; what it holds that cannot be read is reported."""
    path = root / LOCK_FILE
    if not path.is_file():
        return {}, []
    again = "run `playbook sync` to write it again"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        return {}, [_problem(LOCK_FILE, "", f"cannot read the file: {exc}", again)]
    table = data.get("sources", {})
    if not isinstance(table, dict):
        return {}, [_problem(LOCK_FILE, "sources", "expected a table of sources", again)]
    pins, problems = {}, []
    for name, value in sorted(table.items()):
        fields = [value.get(key) if isinstance(value, dict) else None for key in ("repository", "ref", "commit")]
        if not all(isinstance(f, str) for f in fields) or not COMMIT.fullmatch(str(fields[2])):
            problems.append(_problem(LOCK_FILE, f"sources.{name}", "expected repository, ref and a full commit name", again))
            continue
        pins[name] = Pin(*fields)
    return pins, problems


def lock_text(pins: dict[str, Pin]) -> str:
    """playbook.lock: one table per source, in name order. Values are JSON strings, which TOML reads as they are
    (repositories and refs hold no control characters, so only quotes, backslashes and tabs are escaped)."""
    out = [LOCK_HEADER]
    for name in sorted(pins):
        pin = pins[name]
        out.append(f"\n[sources.{name}]\nrepository = {json.dumps(pin.repository, ensure_ascii=False)}\n"
                   f"ref = {json.dumps(pin.ref, ensure_ascii=False)}\ncommit = {json.dumps(pin.commit)}\n")
    return "".join(out)


def marker_text(source: Source, pin: Pin) -> str:
    """What a copy records of what it was copied from."""
    return json.dumps({"repository": pin.repository, "ref": pin.ref, "commit": pin.commit, "path": source.path},
                      sort_keys=True) + "\n"


def _marker(folder: Path) -> str | None:
    try:
        return None if folder.is_symlink() else (folder / MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def synced(project: Project, config: Config) -> tuple[list[Synced], list[Diagnostic]]:
    """The sources whose copies hold what playbook.lock pins; every other source is reported with what to run."""
    sources, problems = read_sources(config)
    if not sources:
        return [], problems
    pins, lock_problems = read_lock(project.root)
    problems.extend(lock_problems)
    out = []
    for source in sources:
        where, pin = f"sources.{source.name}", pins.get(source.name)
        if pin is None:
            problems.append(_problem(CONFIG_FILE, where, f"'{source.name}' is not synced: {LOCK_FILE} pins no commit for it",
                                     f"run `playbook sync`, then commit {LOCK_FILE}"))
        elif (pin.repository, pin.ref) != (source.repository, source.ref):
            problems.append(_problem(CONFIG_FILE, where,
                                     f"'{source.name}' names '{source.ref}' of {source.repository}, but {LOCK_FILE} pins "
                                     f"'{pin.ref}' of {pin.repository}",
                                     f"run `playbook sync` to pin what playbook.toml names, then commit {LOCK_FILE}"))
        elif _marker(project.sources / source.name) != marker_text(source, pin):
            problems.append(_problem(CONFIG_FILE, where,
                                     f"there is no copy of '{source.name}' at commit {pin.commit[:12]} ({pin.ref}) here",
                                     "run `playbook sync` to fetch it"))
        else:
            out.append(Synced(source, pin, project.sources / source.name))
    return out, problems
