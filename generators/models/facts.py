"""Facts that go stale: when an entry's claims about vendors and products were checked, and against what."""

from __future__ import annotations

from pydantic import Field

from .common import Date, Line, Model, WebUrl


class Source(Model):
    title: Line = Field(description="What the source is, e.g. 'Amazon API Gateway quotas (AWS documentation)'.")
    url: WebUrl


class Facts(Model):
    checked: Date = Field(description="When the facts were last checked against the sources (YYYY-MM-DD).")
    sources: list[Source] = Field(min_length=1)


class Ownership(Model):
    company: Line = Field(description="The company that owns the vendor or sells the product.")
    since: Date = Field(description="Since when (YYYY-MM-DD; the first of the month when only the month is known).")
    note: Line | None = Field(default=None, description="What changed: an acquisition, a rebrand, a new product name.")
