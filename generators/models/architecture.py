"""Reference architectures: the golden paths product teams build on."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Entry, Line, Model, Part, Prose, Ref, Slug
from .compared import Items
from .facts import Facts
from .relation import APPLIES, MEASURED_BY, POINTS_AT, USES


class Component(Part):
    name: Line
    responsibility: Line
    tool: Ref("tool") | None = None


class ManagedOption(Part):
    """A managed cloud service a team may buy instead of building a component."""

    component: Line = Field(description="The component (in `components`) the service can replace or provide.")
    cloud: Literal["aws", "azure", "gcp"]
    service: Line = Field(description="The service's current product name, e.g. 'Amazon Bedrock Guardrails'.")
    trade_off: Line = Field(description="What buying gives and what it costs: lock-in, limits, price, data residency.")


class Slo(Part):
    sli: Line = Field(description="What is measured, e.g. 'p95 end-to-end answer latency'.")
    objective: Line = Field(description="The target, e.g. '≤ 4 s for 99% of 5-minute windows'.")


class Nfrs(Model):
    latency_budget: list[Line] = Field(min_length=1, description="Where the end-to-end latency goes, stage by stage.")
    slos: list[Slo] = Field(min_length=1)
    cost_drivers: list[Line] = Field(min_length=1)


class FailureMode(Part):
    failure: Line
    fallback: Line = Field(description="What the system does instead, and how users notice.")


class NodeServices(Model):
    """What a node runs on in each cloud when it is not the kind's managed service, e.g. 'Kong Gateway on Amazon EKS'."""

    aws: Line | None = None
    azure: Line | None = None
    gcp: Line | None = None


class DiagramNode(Part):
    id: Slug
    label: Line
    kind: Slug = Field(description="Logical component kind from the diagram vocabulary, e.g. 'vector-store'.")
    ref: Ref(None) | None = Field(default=None, description="A catalog entry this node links to.")
    component: Line | None = Field(default=None, description="The name of the component (in `components`) this node "
                                   "draws, when its label differs.")
    services: NodeServices | None = Field(default=None, description="The service this node runs on per cloud, in place of "
                                          "the kind's managed service (a self-hosted product).")


class DiagramEdge(Part):
    source: Slug = Field(alias="from")
    target: Slug = Field(alias="to")
    label: Line | None = None
    style: Literal["data", "control", "async", "optional"] = "data"


class DiagramCluster(Model):
    id: Slug
    label: Line
    nodes: list[Slug] = Field(default_factory=list)
    clusters: list[DiagramCluster] = Field(default_factory=list)


#: The most nodes and edges a diagram may hold: `check` refuses more, and drawing meets any diagram within them.
MAX_NODES = 120
MAX_EDGES = 300


class Diagram(Model):
    """The architecture drawn as code: one logical spec, a provider-neutral view and one view per provider."""

    providers: list[Literal["aws", "azure", "gcp"]] = Field(
        default_factory=lambda: ["aws", "azure", "gcp"], description="Cloud deployment views to draw besides the neutral one."
    )
    direction: Literal["LR", "TB"] = Field(default="LR", description="Left to right or top to bottom.")
    nodes: list[DiagramNode] = Field(min_length=1)
    edges: list[DiagramEdge] = Field(default_factory=list)
    clusters: list[DiagramCluster] = Field(default_factory=list)


def drawn_as(node: DiagramNode) -> str:
    """The component name a node draws: its `component`, else its label."""
    return node.component or node.label


def node_drawing(diagram: Diagram, component: str) -> DiagramNode | None:
    """The node that draws the component named `component` (letter case aside), if any."""
    key = component.casefold()
    return next((node for node in diagram.nodes if drawn_as(node).casefold() == key), None)


class Architecture(Entry):
    kind = "architecture"
    folder = "architectures"
    label = "Reference architectures"
    singular = "Reference architecture"
    blurb = "Golden paths for common AI use cases: the problem, when to use them, components, flows, budgets and the guardrails that apply."
    relations = {"standards": APPLIES, "checklists": APPLIES, "threats": APPLIES, "adrs": APPLIES,
                 "incident_playbooks": APPLIES, "tools": USES, "components": USES, "kpis": MEASURED_BY, "diagram": POINTS_AT}
    colour = "#D6E4FF"
    diff_fields = ()
    diff_items = (Items("components", "component", "name"),)
    badges = {"draft": "proposed", "approved": "current", "deprecated": "ended", "retired": "ended"}
    standalone = False
    skeleton = """status: draft
problem: |
  Describe the problem this architecture solves and for whom.
when_to_use:
  - Describe a situation this pattern fits.
when_not_to_use:
  - Describe a situation where another pattern is better.
components:
  - name: Component
    responsibility: What it does in the architecture.
data_flow:
  - The first step of a request.
nfrs:
  latency_budget:
    - "End to end: 1000 ms at p95"
  slos:
    - sli: Availability of the endpoint
      objective: 99.9% of requests succeed over 30 days
  cost_drivers:
    - What the bill grows with.
failure_modes:
  - failure: A dependency is unavailable
    fallback: What the system does instead
rollout: |
  How the architecture reaches production, stage by stage.
rollback: |
  How a bad release is undone, and how fast.
"""

    status: Literal["draft", "approved", "deprecated", "retired"]
    problem: Prose
    when_to_use: list[Line] = Field(min_length=1)
    when_not_to_use: list[Line] = Field(min_length=1)
    components: list[Component] = Field(min_length=1)
    data_flow: list[Line] = Field(min_length=1, description="The request or data path, step by step.")
    nfrs: Nfrs
    failure_modes: list[FailureMode] = Field(min_length=1)
    rollout: Prose = Field(description="How the architecture reaches production, step by step.")
    rollback: Prose = Field(description="How a bad release is undone, and how fast.")
    standards: list[Ref("standard")] = Field(default_factory=list)
    checklists: list[Ref("checklist")] = Field(default_factory=list)
    threats: list[Ref("threat")] = Field(default_factory=list)
    adrs: list[Ref("adr")] = Field(default_factory=list)
    tools: list[Ref("tool")] = Field(default_factory=list)
    kpis: list[Ref("kpi")] = Field(default_factory=list)
    incident_playbooks: list[Ref("incident-playbook")] = Field(default_factory=list)
    diagram: Diagram | None = None
    managed_options: list[ManagedOption] = Field(default_factory=list, description="Build or buy: managed services "
                                                 "that can stand in for components, per cloud.")
    facts: Facts | None = Field(default=None, description="When the vendor and service claims of this architecture "
                                "(limits, timeouts, product names, prices) were last checked, and against what.")
