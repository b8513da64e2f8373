"""Tags that are probably one tag written two ways: `agent` and `agents`, `red-team` and `redteam`, `personalisation`
and `personalization`.

Tags are slugs (lowercase letters, digits, single hyphens), so case and underscores cannot differ;
what can is the plural and the hyphens. Two tags are near-duplicates when

- they are the same once each hyphen-separated word is made singular and the hyphens dropped
  (`incidents` / `incident`, `red-team` / `redteam`, `vendor-risks` / `vendor-risk`); or
- both are at least `LONG` characters long and one edit apart (a letter added, dropped, changed,
  or two neighbours swapped) that involves no digit (`personalisation` / `personalization`,
  `observabilty` / `observability`).

The length floor is what keeps the second rule honest: one edit turns a short word into another
real word (`rag` / `rat`, `cost` / `host`, `iam` / `ram`, `slo` / `sla`), while two long tags one
letter apart are a spelling variant or a typo. Digits are left out because they are how tags
number things on purpose (`tier-1` / `tier-2`, `llama-3-8b` / `llama-3-7b`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from itertools import combinations

#: The length both tags need before one edit apart counts as the same tag.
LONG = 8


def singular(word: str) -> str:
    """A word without its English plural ending: `policies` → `policy`, `indexes` → `index`, `agents` → `agent`.
    A word ending in -ie is spelled as one in -y (`cookie` → `cooky`), so that its plural in -ies meets it."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("ie"):
        return word[:-2] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def key(tag: str) -> str:
    """What two spellings of one tag share: each word singular, hyphens dropped."""
    return "".join(singular(word) for word in tag.split("-"))


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by exactly one letter added, dropped, changed or swapped with its neighbour, no digit involved."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    start = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), len(a))
    if len(a) < len(b):  # b has one letter more, at `start`
        return a[start:] == b[start + 1:] and not b[start].isdigit()
    rest = start + 1
    if a[rest:] == b[rest:]:  # one letter changed
        return not (a[start].isdigit() or b[start].isdigit())
    swapped = a[start:start + 2] == b[start:start + 2][::-1] and a[start + 2:] == b[start + 2:]
    return swapped and not any(c.isdigit() for c in a[start:start + 2])


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))} | {word}


def near_duplicates(counts: Mapping[str, int]) -> Iterator[tuple[str, str]]:
    """(rarer, kept) for every tag that looks like another, given how many entries use each tag; `kept` is the more
    used of the two (the first in alphabetical order when both are used as often)."""
    def order(tag: str) -> tuple[int, str]:
        return -counts[tag], tag

    pairs: set[tuple[str, str]] = set()
    groups: dict[str, list[str]] = defaultdict(list)
    for tag in counts:
        groups[key(tag)].append(tag)
    for group in groups.values():
        first, *others = sorted(group, key=order)
        pairs.update((other, first) for other in others)
    near: dict[str, set[str]] = defaultdict(set)  # two keys one edit apart share a form with one letter dropped
    for group_key, group in groups.items():
        if max(map(len, group)) >= LONG:
            for variant in _deletions(group_key):
                near[variant].add(group_key)
    for close in near.values():
        for a, b in combinations(sorted(close), 2):
            if _one_edit(a, b):
                for x in groups[a]:
                    for y in groups[b]:
                        if min(len(x), len(y)) >= LONG:
                            rarer, kept = sorted((x, y), key=order)[::-1]
                            pairs.add((rarer, kept))
    yield from sorted(pairs, key=lambda pair: (order(pair[1]), pair[0]))
