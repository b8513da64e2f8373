"""One typed model per catalog kind."""

from .adr import Adr, AdrTemplate
from .architecture import Architecture
from .checklist import Checklist
from .common import Entry
from .exception import StandardException
from .framework import Framework
from .initiative import Initiative
from .incident import IncidentPlaybook
from .kpi import Kpi
from .onboarding import OnboardingKit
from .standard import Standard
from .team import Team
from .threat import Threat
from .tool import Tool

#: Every kind, in the order the site presents them.
KINDS: tuple[type[Entry], ...] = (
    Architecture,
    Standard,
    Checklist,
    Threat,
    Adr,
    AdrTemplate,
    Kpi,
    Tool,
    IncidentPlaybook,
    OnboardingKit,
    Initiative,
    StandardException,
    Team,
    Framework,
)
BY_KIND: dict[str, type[Entry]] = {model.kind: model for model in KINDS}
BY_FOLDER: dict[str, type[Entry]] = {model.folder: model for model in KINDS}

__all__ = ["BY_FOLDER", "BY_KIND", "KINDS", "Entry"]
