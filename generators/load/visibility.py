"""Visibility levels and audiences, declared in playbook.toml, and the checks of the levels entries carry.

    [visibility]
    levels = ["public", "internal", "restricted"]   # widest first
    default = "internal"                             # the level of an entry that names none
    audience = "internal"                            # the edition `playbook build` makes without --audience
    hidden_references = "unavailable"                # or "omit"
    hidden_diagram_nodes = "anonymise"               # or "refuse"

    [visibility.kinds]                               # a kind's entries default to this level
    architecture = "public"

    [visibility.fields]                              # a field defaults to this level in every entry of its kind
    "tool.contract" = "internal"

    [audiences.public]
    level = "public"
    branch = "gh-pages-public"                       # where `playbook publish --audience public` deploys
    repository = false                               # no edit or repository links
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from ..config import CONFIG_FILE, Config
from ..diagnostics import Diagnostic, Path_, closest, format_path
from ..models import BY_KIND, Entry
from ..models.common import Line, Model, Part, Slug
from .catalog import Catalog

LEVELS = ("public", "internal", "restricted")
DEFAULT_BRANCH = "gh-pages"


class AudienceSettings(Model):
    level: Slug = Field(description="The narrowest level this audience may read.")
    branch: Line | None = Field(default=None, description="The publishing branch of this edition.")
    repository: bool = Field(default=True, description="Whether pages link to the repository (edit links).")


class VisibilitySettings(Model):
    levels: list[Slug] = Field(default_factory=lambda: list(LEVELS), min_length=1)
    default: Slug = "internal"
    audience: Slug | None = None
    hidden_references: Literal["unavailable", "omit"] = "unavailable"
    hidden_diagram_nodes: Literal["anonymise", "refuse"] = "anonymise"
    kinds: dict[str, Slug] = Field(default_factory=dict)
    fields: dict[str, Slug] = Field(default_factory=dict)


class Settings(BaseModel):
    visibility: VisibilitySettings = Field(default_factory=VisibilitySettings)
    audiences: dict[Slug, AudienceSettings] = Field(default_factory=dict)


@dataclass(frozen=True)
class Audience:
    """Who an edition is for: the highest level they may read, where it is published, whether it links the repository."""

    name: str
    level: str
    branch: str
    repository: bool


@dataclass
class Visibility:
    """The project's levels (widest first), defaults, rules for hidden references, and audiences."""

    levels: tuple[str, ...] = LEVELS
    default: str = "internal"
    kinds: dict[str, str] = field(default_factory=dict)
    fields: dict[tuple[str, str], str] = field(default_factory=dict)
    hidden_references: str = "unavailable"
    hidden_diagram_nodes: str = "anonymise"
    audiences: dict[str, Audience] = field(default_factory=dict)
    default_audience: str = "internal"
    problems: list[Diagnostic] = field(default_factory=list)

    def rank(self, level: str) -> int:
        """0 for the widest level; unknown levels (reported by check) count as the narrowest."""
        return self.levels.index(level) if level in self.levels else len(self.levels)

    def entry_level(self, entry: Entry) -> str:
        return entry.visibility or self.kinds.get(entry.kind, self.default)

    def field_level(self, entry: Entry, name: str) -> str | None:
        """The level of one field when it is narrower than its entry's, else None."""
        level = entry.field_visibility.get(name) or self.fields.get((entry.kind, name))
        return level if level and self.rank(level) > self.rank(self.entry_level(entry)) else None

    def audience(self, name: str | None) -> Audience:
        """The named audience, or the default one; KeyError with the choices when it is not declared."""
        name = name or self.default_audience
        if name not in self.audiences:
            hint = closest(name, self.audiences)
            raise KeyError(f"no audience '{name}' in {CONFIG_FILE}" + (f"; {hint}" if hint else "")
                           + f" (audiences: {', '.join(self.audiences)})")
        return self.audiences[name]


def _problem(path: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(CONFIG_FILE, 1, 1, "error", message, path, hint, "config")


def load_visibility(config: Config) -> Visibility:
    """The visibility settings of playbook.toml; problems are kept, with defaults in their place (the governance
    settings report an unreadable file)."""
    try:
        settings = Settings.model_validate({k: config.tables[k] for k in ("visibility", "audiences") if k in config.tables})
    except ValidationError as exc:
        return Visibility(audiences=_default_audiences(LEVELS, "internal"),
                          problems=[_problem(format_path(tuple(e["loc"])), e["msg"]) for e in exc.errors(include_url=False)])
    return _resolve(settings)


def _default_audiences(levels: tuple[str, ...], default: str) -> dict[str, Audience]:
    """One audience per level, named after it; only the widest level hides the repository."""
    return {level: Audience(level, level, DEFAULT_BRANCH if level == default else f"{DEFAULT_BRANCH}-{level}", i > 0)
            for i, level in enumerate(levels)}


def _resolve(settings: Settings) -> Visibility:
    config = settings.visibility
    levels = tuple(config.levels)
    problems: list[Diagnostic] = []

    def known(level: str, where: str) -> str:
        if level not in levels:
            problems.append(_problem(where, f"'{level}' is not a declared level",
                                     closest(level, levels) or f"levels: {', '.join(levels)}"))
        return level

    if len(set(levels)) != len(levels):
        problems.append(_problem("visibility.levels", "a level is listed twice"))
    known(config.default, "visibility.default")
    for kind, level in config.kinds.items():
        if kind not in BY_KIND:
            problems.append(_problem(f"visibility.kinds.{kind}", f"unknown kind '{kind}'",
                                     closest(kind, BY_KIND) or f"kinds: {', '.join(BY_KIND)}"))
        known(level, f"visibility.kinds.{kind}")
    fields: dict[tuple[str, str], str] = {}
    for name, level in config.fields.items():
        kind, _, field_name = name.partition(".")
        where = f'visibility.fields."{name}"'
        model = BY_KIND.get(kind)
        if model is None or field_name not in model.model_fields:
            problems.append(_problem(where, "name a field as 'kind.field', for example 'tool.contract'"))
        elif model.model_fields[field_name].is_required():
            problems.append(_problem(where, f"'{field_name}' is required in every {model.noun()} and cannot be hidden",
                                     "set the visibility of the entries, or of the list's items"))
        fields[(kind, field_name)] = known(level, where)
    declared = settings.audiences
    default_audience = config.audience or (config.default if config.default in declared or not declared else next(iter(declared)))
    audiences = {name: Audience(name, known(a.level, f"audiences.{name}.level"),
                                a.branch or (DEFAULT_BRANCH if name == default_audience else f"{DEFAULT_BRANCH}-{name}"),
                                a.repository)
                 for name, a in declared.items()} or _default_audiences(levels, config.default)
    if default_audience not in audiences:
        problems.append(_problem("visibility.audience", f"no audience '{default_audience}' is declared",
                                 closest(default_audience, audiences) or f"audiences: {', '.join(audiences)}"))
        default_audience = next(iter(audiences))
    branches = [a.branch for a in audiences.values()]
    for name, audience in audiences.items():
        if branches.count(audience.branch) > 1:
            problems.append(_problem(f"audiences.{name}.branch", f"branch '{audience.branch}' is shared by two editions",
                                     "give every audience its own publishing branch"))
    return Visibility(levels, config.default, dict(config.kinds), fields, config.hidden_references,
                      config.hidden_diagram_nodes, audiences, default_audience, problems)


def parts(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Part]]:
    """Every list item (at any depth) of a model that can carry its own visibility, with its path."""
    if isinstance(value, BaseModel):
        if isinstance(value, Part):
            yield path, value
        for name, info in type(value).model_fields.items():
            yield from parts(getattr(value, name), path + (info.alias or name,))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from parts(item, path + (index,))


def check_levels(catalog: Catalog, visibility: Visibility) -> list[Diagnostic]:
    """Every level an entry, field or item names is declared; hidden fields exist and are optional."""
    out: list[Diagnostic] = []

    def report(entry_id: str, path: Path_, message: str, hint: str = "") -> None:
        document = catalog.documents[entry_id]
        mark = document.position(path)
        out.append(Diagnostic(document.file, mark.line, mark.column, "error", message, format_path(path), hint, "visibility"))

    def level(entry_id: str, value: str | None, path: Path_) -> None:
        if value is not None and value not in visibility.levels:
            report(entry_id, path, f"'{value}' is not a visibility level",
                   closest(value, visibility.levels) or f"levels (in {CONFIG_FILE}): {', '.join(visibility.levels)}")

    for entry in catalog.entries.values():
        level(entry.id, entry.visibility, ("visibility",))
        model = type(entry)
        for name, value in entry.field_visibility.items():
            path = ("field_visibility", name)
            info = model.model_fields.get(name)
            if info is None or name in ("visibility", "field_visibility"):
                report(entry.id, path, f"a {model.noun()} has no field '{name}'", closest(name, model.model_fields))
            elif info.is_required():
                report(entry.id, path, f"'{name}' is required and cannot be hidden on its own",
                       "set the visibility of the whole entry, or of the list's items")
            level(entry.id, value, path)
        for path, part in parts(entry):
            level(entry.id, part.visibility, (*path, "visibility"))
    return out


#: Read by mkdocs.yml and the macros while one edition's site is built.
AUDIENCE_ENV = "PLAYBOOK_AUDIENCE"
REPO_URL_ENV = "PLAYBOOK_REPO_URL"
EDIT_URI_ENV = "PLAYBOOK_EDIT_URI"


def site_environment(audience: Audience) -> dict[str, str]:
    """The environment an edition's MkDocs build runs in: the audience, and no repository when it must not link one."""
    names = {AUDIENCE_ENV: audience.name}
    if not audience.repository:
        names.update({REPO_URL_ENV: "", EDIT_URI_ENV: ""})
    return names
