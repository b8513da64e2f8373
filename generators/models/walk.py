"""Find the values of fields that carry a marker (a reference, Markdown text) in a model."""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel

M = TypeVar("M")
Path_ = tuple[str | int, ...]


def marker_of(annotation: Any, metadata: list[Any], marker: type[M]) -> M | None:
    """The `marker` a field's annotation or metadata carries, if any."""
    for meta in [*metadata, *getattr(annotation, "__metadata__", ())]:
        if isinstance(meta, marker):
            return meta
    return None


def options(annotation: Any) -> tuple[Any, ...]:
    """The types a field may hold, `None` aside."""
    if get_origin(annotation) in (Union, types.UnionType):
        return tuple(a for a in get_args(annotation) if a is not type(None))
    return (annotation,)


def _walk(value: Any, annotation: Any, metadata: list[Any], path: Path_, marker: type[M]) -> Iterator[tuple[Path_, M, str]]:
    if isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            yield from _walk(getattr(value, name), info.annotation, info.metadata, path + (info.alias or name,), marker)
        return
    for option in options(annotation):
        if isinstance(value, str):
            found = marker_of(option, metadata, marker)
            if found is not None:
                yield path, found, value
                return
        elif isinstance(value, list | tuple) and get_origin(option) in (list, tuple):
            inner = get_args(option)[0]
            for index, element in enumerate(value):
                yield from _walk(element, inner, [], path + (index,), marker)
            return


def marked(model: BaseModel, marker: type[M]) -> Iterator[tuple[Path_, M, str]]:
    """`(path, marker, text)` for every string held by a field annotated with `marker`."""
    yield from _walk(model, type(model), [], (), marker)
