"""One typed model per catalog kind, each declaring everything kind-specific; `register` makes a model a kind."""

import re
from typing import get_args

from .adr import Adr, AdrTemplate
from .architecture import Architecture
from .checklist import Checklist
from .common import BADGES, Entry, RefTo
from .exception import StandardException
from .framework import Framework
from .incident import IncidentPlaybook
from .initiative import Initiative
from .kpi import Kpi
from .onboarding import OnboardingKit
from .standard import Standard
from .team import Team
from .threat import Threat
from .tool import Tool
from .walk import holding, options

#: Every kind, in the order they are registered: the order the site presents them.
KINDS: list[type[Entry]] = []
BY_KIND: dict[str, type[Entry]] = {}
BY_FOLDER: dict[str, type[Entry]] = {}

#: What every kind declares on its model (ClassVars of `Entry`).
DECLARATIONS = ("kind", "folder", "label", "singular", "blurb", "relations", "colour", "diff_fields", "diff_items",
                "badges", "standalone", "skeleton")


def declaration_problems(model: type[Entry]) -> list[str]:
    """What `model` leaves undeclared or declares wrongly, one sentence each."""
    missing = [name for name in DECLARATIONS if not hasattr(model, name)]
    if missing:
        return [f"{model.__name__} does not declare {', '.join(missing)}"]
    problems = []
    if not re.fullmatch(r"#[0-9A-F]{6}", model.colour):
        problems.append(f"{model.__name__}.colour must be written as #RRGGBB in capitals, not {model.colour!r}")
    fields = set(holding(model, RefTo)) - {"owners"}
    if undeclared := sorted(fields - model.relations.keys()):
        problems.append(f"{model.__name__}.relations names no relation for {', '.join(undeclared)}")
    if unknown := sorted(key for key in model.relations if key.split(".")[0] not in fields):
        problems.append(f"{model.__name__}.relations names {', '.join(unknown)}, which hold no reference")
    if unknown := [name for name in (*model.diff_fields, *(items.field for items in model.diff_items))
                   if name not in model.model_fields]:
        problems.append(f"{model.__name__} compares {', '.join(unknown)}, which it does not have")
    status = model.model_fields.get("status")
    statuses = {value for option in options(status.annotation) for value in get_args(option)} if status else set()
    if not statuses:
        problems.append(f"{model.__name__} has no status field of fixed words")
    elif model.badges.keys() != statuses or not set(model.badges.values()) <= set(BADGES):
        problems.append(f"{model.__name__}.badges must give each status ({', '.join(sorted(statuses))}) one of "
                        f"{', '.join(BADGES)}")
    try:
        model.skeleton.format(today="", expires="", entry_id="", deciders="")
    except (KeyError, IndexError, ValueError) as error:
        problems.append(f"{model.__name__}.skeleton has a placeholder other than today, expires, entry_id, deciders: {error}")
    if model.kind in BY_KIND or model.folder in BY_FOLDER:
        problems.append(f"{model.__name__}: kind '{model.kind}' or folder '{model.folder}' is taken")
    return problems


def register(model: type[Entry]) -> type[Entry]:
    """Make `model` a catalog kind, after those already registered; a model that misses a declaration is refused."""
    if problems := declaration_problems(model):
        raise TypeError("; ".join(problems))
    KINDS.append(model)
    BY_KIND[model.kind] = model
    BY_FOLDER[model.folder] = model
    return model


for _model in (Architecture, Standard, Checklist, Threat, Adr, AdrTemplate, Kpi, Tool, IncidentPlaybook, OnboardingKit,
               Initiative, StandardException, Team, Framework):
    register(_model)

__all__ = ["BY_FOLDER", "BY_KIND", "KINDS", "Entry", "register"]
