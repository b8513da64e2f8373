"""Tools and vendors: the technology radar."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .common import Entry, Line, Prose

WebUrl = Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"']+$", max_length=500)]


#: The radar's quadrants, clockwise from the top left: key and title.
QUADRANTS = (
    ("models-and-ml", "Models and ML"),
    ("data-and-retrieval", "Data and retrieval"),
    ("platforms", "Platforms and infrastructure"),
    ("delivery-and-operations", "Delivery and operations"),
)
#: The radar's rings, from the centre out.
RINGS = ("adopt", "trial", "assess", "hold")


class Tool(Entry):
    kind = "tool"
    folder = "tools"
    label = "Tools and vendors"
    singular = "Tool"
    blurb = "The technology radar: tools and vendors by ring, with the reasons for each placement."
    relations = {}
    colour = "#E6F4FF"
    diff_fields = ("ring",)
    diff_items = ()
    badges = {"active": "current", "retired": "ended"}
    standalone = True  # on the radar before anything uses it
    skeleton = """status: active
category: Category
quadrant: delivery-and-operations
ring: assess
usage:
  - optional
rationale: |
  Why the tool sits in this ring.
"""

    status: Literal["active", "retired"]
    category: Line
    quadrant: Literal["models-and-ml", "data-and-retrieval", "platforms", "delivery-and-operations"] = Field(
        description="The radar quadrant the tool is drawn in.")
    ring: Literal["adopt", "trial", "assess", "hold"]
    usage: list[Literal["common", "optional", "context-specific"]] = Field(min_length=1)
    rationale: Prose
    vendor: Line | None = None
    website: WebUrl | None = Field(default=None, description="An http or https address.")
    contract: Prose | None = Field(default=None, description="Commercial terms: licence, tier, renewal, data-processing "
                                                             "terms. Internal by default (playbook.toml).")
