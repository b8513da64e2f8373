"""Links a machine cannot vouch for: a checklist item that enforces a standard none of whose rules speaks of the
item's subject. The check cannot judge meaning, so the Checklists × standards page lists these links for their
owners to confirm or correct."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..models.checklist import Checklist, Item
from ..models.standard import Standard

#: Words too common in checklists and standards to say what an item is about.
_COMMON = frozenset("""
    about after against also before being between both each every from have into least more most must none only other
    over same should such than that their them then there these they this those through under until when where which
    while with within without would yes team teams system systems service services model models change changes data
    review reviewed owner owners named name written documented defined record recorded evidence used uses using case
    cases level plan plans test tests tested check checks checked policy rule rules standard standards
""".split())
_WORD = re.compile(r"[a-z][a-z0-9]+")


@dataclass(frozen=True)
class LooseLink:
    """A checklist item and a standard it enforces, whose rules share no subject word with the item."""

    checklist: Checklist
    item: Item
    standard: Standard


def _stem(word: str) -> str:
    for ending in ("ings", "ing", "ies", "ied", "es", "ed", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def subject_words(text: str) -> set[str]:
    """The words of `text` that say what it is about: four letters or more, common ones left out, crudely stemmed."""
    return {_stem(word) for word in _WORD.findall(text.lower()) if len(word) >= 4 and word not in _COMMON}


#: A word said by more than this share of the standards is everyone's subject, and no one's.
DISTINCTIVE_SHARE = 0.2


def loose_links(standards: list[Standard], checklists: list[Checklist]) -> list[LooseLink]:
    """Every (item, standard) enforcement link where the standard's title and rules share no distinctive subject
    word (one that few standards use) with the item's id, title and evidence."""
    by_id = {standard.id: standard for standard in standards}
    said = {standard.id: subject_words(" ".join([standard.title, *(f"{r.id} {r.statement}" for r in standard.rules)]))
            for standard in standards}
    used = Counter(word for words in said.values() for word in words)
    common = {word for word, count in used.items() if count > max(1, DISTINCTIVE_SHARE * len(standards))}
    found = []
    for checklist in checklists:
        for item in checklist.items:
            about = subject_words(f"{item.id.replace('-', ' ')} {item.title} {item.evidence}") - common
            for standard_id in item.enforces:
                if standard_id in by_id and not about & said[standard_id]:
                    found.append(LooseLink(checklist, item, by_id[standard_id]))
    return found
