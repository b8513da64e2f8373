"""Find the values of fields that carry a marker (a reference, Markdown text) in a model."""

from __future__ import annotations

import datetime as dt
import enum
import types
from collections.abc import Iterator
from functools import cache
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

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


_PLAIN = (int, float, bool, dt.date, dt.datetime, type(None))


def _may_hold(annotation: Any, metadata: list[Any], marker: type, seen: frozenset[type]) -> bool:
    """Whether a field of this annotation can hold a marked string; True unless that is certain not to happen."""
    for option in options(annotation):
        origin = get_origin(option)
        if marker_of(option, metadata, marker) is not None:
            return True
        if origin is Annotated:
            if _may_hold(get_args(option)[0], [], marker, seen):
                return True
        elif origin in (list, tuple):
            if _may_hold(get_args(option)[0], [], marker, seen):
                return True
        elif isinstance(option, type) and issubclass(option, BaseModel):
            if option in seen or _fields(option, marker, seen | {option}):
                return True  # a model that holds one, or one that holds itself (walked to be safe)
        elif option is str or getattr(option, "__origin__", None) is str or origin in (Literal, dict):
            continue  # a string without the marker, or a mapping (never walked)
        elif not (isinstance(option, type) and issubclass(option, (enum.Enum, *_PLAIN))):
            return True  # a type this walk does not know: walk it
    return False


@cache
def _fields(model: type[BaseModel], marker: type, seen: frozenset[type] = frozenset()) -> tuple[tuple[str, str, Any, list[Any]], ...]:
    """The fields of a model that can hold a string carrying `marker`: (name, key, annotation, metadata)."""
    return tuple((name, info.alias or name, info.annotation, info.metadata) for name, info in model.model_fields.items()
                 if _may_hold(info.annotation, info.metadata, marker, seen | {model}))


def _walk(value: Any, annotation: Any, metadata: list[Any], path: Path_, marker: type[M]) -> Iterator[tuple[Path_, M, str]]:
    if isinstance(value, BaseModel):
        for name, key, field_annotation, field_metadata in _fields(type(value), marker):
            yield from _walk(getattr(value, name), field_annotation, field_metadata, path + (key,), marker)
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


def holding(model: type[BaseModel], marker: type) -> list[str]:
    """The keys of the fields of `model` that can hold a string carrying `marker`."""
    return [key for _, key, _, _ in _fields(model, marker)]
