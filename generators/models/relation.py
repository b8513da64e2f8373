"""The relations a reference can carry, each read both ways: `applies` / `applied by`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Relation:
    """How a source relates to its target, read both ways: `applies` / `applied by`."""

    name: str
    inverse: str


APPLIES = Relation("applies", "applied by")
USES = Relation("uses", "used by")
ENFORCES = Relation("enforces", "enforced by")
MITIGATED_BY = Relation("mitigated by", "mitigates")
MEASURED_BY = Relation("measured by", "measures")
SUPERSEDES = Relation("supersedes", "superseded by")
SUPERSEDED_BY = Relation("superseded by", "supersedes")
OWNED_BY = Relation("owned by", "owns")
FOLLOWS = Relation("follows", "followed by")
ANSWERS = Relation("answers", "answered by")
EXEMPTS_FROM = Relation("exempts from", "has exception")
POINTS_AT = Relation("points at", "pointed at by")

#: The order relations are listed in on a page.
ORDER = [APPLIES, FOLLOWS, ENFORCES, MITIGATED_BY, MEASURED_BY, SUPERSEDES, SUPERSEDED_BY, USES, ANSWERS,
         EXEMPTS_FROM, POINTS_AT, OWNED_BY]
