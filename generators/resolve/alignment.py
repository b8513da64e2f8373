"""A framework's alignment: for every item (control, subcategory, risk, obligation), the playbook entries that address
it through their crosswalks, and the items nothing addresses yet."""

from __future__ import annotations

from dataclasses import dataclass

from ..load.catalog import Catalog
from ..models.framework import Framework, FrameworkItem


@dataclass(frozen=True)
class Alignment:
    """One framework item and what addresses it: entry ids, or 'checklist-id#item-id' for a checklist item.

    Some items are context, not controls: a regulation's risk tiers, its dated milestones and obligations whose
    date a later act replaced. A category (such as NIST's GOVERN 1) lists what addresses it directly or through its
    subcategories (GOVERN 1.1), and is counted through them: only items without subcategories are addressable."""

    item: FrameworkItem
    addressed_by: list[str]
    addressable: bool


@dataclass(frozen=True)
class Coverage:
    """How much of one framework the playbook addresses."""

    framework: Framework
    addressed: int
    addressable: int


def cited_by(catalog: Catalog, framework: Framework) -> dict[str, list[str]]:
    """Each item of `framework`, with what cites it in its crosswalks: entry ids, or 'checklist-id#item-id'."""
    cited = catalog.citations.get(framework.id, {})
    return {item.id: list(cited.get(item.id, ())) for item in framework.items}


def alignment(catalog: Catalog, framework: Framework) -> list[Alignment]:
    """Every item of `framework` in its order, with the entries of `catalog` whose crosswalks cite it."""
    cited = cited_by(catalog, framework)
    tiers = {tier for item in framework.items for tier in item.applies_to}
    rows = []
    for item in framework.items:
        children = [other.id for other in framework.items if other.id.startswith(item.id + ".")]
        addressed = list(dict.fromkeys([*cited[item.id], *(where for child in children for where in cited[child])]))
        context = item.id in tiers or (item.date is not None and not item.applies_to) or item.standing == "superseded"
        rows.append(Alignment(item, addressed, not context and not children))
    return rows


def coverage(catalog: Catalog, framework: Framework) -> Coverage:
    rows = [row for row in alignment(catalog, framework) if row.addressable]
    return Coverage(framework, sum(1 for row in rows if row.addressed_by), len(rows))
