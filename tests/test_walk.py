"""The marker walk skips fields that cannot hold a marked string, and still finds every one there is."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import REPO
from pydantic import BaseModel

from generators.load.entries import load_catalog
from generators.models.common import Markdown, RefTo
from generators.models.walk import marked, marker_of


def every_string(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Any, str]]:
    """Each string anywhere in a model, with the metadata of the field holding it."""
    if isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            for found in every_string(getattr(value, name), path + (info.alias or name,)):
                yield found if found[1] is not None else (found[0], (info.annotation, info.metadata), found[2])
    elif isinstance(value, list | tuple):
        for index, element in enumerate(value):
            yield from every_string(element, path + (index,))
    elif isinstance(value, str):
        yield path, None, value


@pytest.mark.parametrize("marker", [RefTo, Markdown], ids=lambda m: m.__name__)
def test_every_marked_string_of_the_bundled_catalog_is_found(marker: type) -> None:
    catalog, report = load_catalog(REPO, REPO / "catalog")
    assert report.errors == []
    total = 0
    for entry in catalog.entries.values():
        found = {path: text for path, _, text in marked(entry, marker)}
        total += len(found)
        for path, field, text in every_string(entry):
            annotation, metadata = field
            options = getattr(annotation, "__args__", (annotation,))
            carries = any(marker_of(option, metadata, marker) is not None for option in options)
            inner = [a for option in options for a in getattr(option, "__args__", ())]
            carries = carries or any(marker_of(a, [], marker) is not None for a in inner)
            if carries:
                assert found.get(path) == text, (entry.id, path)
    assert total > 300
