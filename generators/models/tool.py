"""Tools and vendors: the technology radar."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Date, Entry, Line, Prose, WebUrl
from .facts import Facts, Ownership

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
facts:
  checked: {today}
  sources:
    - title: The vendor's documentation the facts above were checked against
      url: https://example.com/replace-with-the-source
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
    facts: Facts | None = Field(default=None, description="When the entry's facts (vendor, product, limits, prices) were "
                                "last checked, and the sources they were checked against.")
    ownership: list[Ownership] = Field(default_factory=list, description="Who has owned the vendor, oldest first: "
                                       "an acquisition or a rebrand is a fact with a date.")
    discontinued: Date | None = Field(default=None, description="When the vendor stopped the product (shut down, end of "
                                      "life): anything current that still uses it is reported.")
    contract: Prose | None = Field(default=None, description="Commercial terms: licence, tier, renewal, data-processing "
                                                             "terms. Internal by default (playbook.toml).")
