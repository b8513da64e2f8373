"""The references of an entry that failed validation, so that one run of `check` reports them beside its schema errors.

An entry with a wrong enum value never becomes a typed entry, so the reference checks never see it.
Its raw data is walked here the way `models.walk` walks a typed entry: guided by the model, only
through values of the declared shape (a mapping where the model declares one, a list where it
declares a list), taking only strings that are valid for their reference field. A field of the
wrong shape, a key the model does not declare or a malformed id is a schema error and is left to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..diagnostics import Diagnostic, Path_, format_path
from ..models import Entry
from ..models.common import RefTo
from ..models.graph import Reference
from ..models.walk import marker_of, options
from .catalog import Catalog
from .checks import reference_problem
from .documents import Document


@cache
def _adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation)


def _valid(annotation: Any, metadata: tuple[Any, ...], value: str) -> bool:
    """Whether `value` passes the field's own validation (its pattern, above all)."""
    try:
        _adapter(Annotated[annotation, *metadata] if metadata else annotation).validate_python(value)
    except ValidationError:
        return False
    return True


def _walk(value: Any, annotation: Any, metadata: tuple[Any, ...], path: Path_) -> Iterator[tuple[Path_, RefTo, str]]:
    for option in options(annotation):
        origin = get_origin(option)
        if (marker := marker_of(option, list(metadata), RefTo)) is not None:
            if isinstance(value, str) and _valid(option, metadata, value):
                yield path, marker, value
            return
        if isinstance(value, list) and origin in (list, tuple):
            for index, element in enumerate(value):
                yield from _walk(element, get_args(option)[0], (), path + (index,))
            return
        if isinstance(value, dict) and isinstance(option, type) and issubclass(option, BaseModel):
            for name, info in option.model_fields.items():
                key = info.alias or name
                if key in value:
                    yield from _walk(value[key], info.annotation, tuple(info.metadata), path + (key,))
            return


def raw_references(document: Document, model: type[Entry], source: str) -> tuple[Reference, ...]:
    """Every well-formed reference in the raw data of `document`, an entry of `model` whose id is `source`."""
    return tuple(Reference(source, model.kind, path, marker.kind, target)
                 for path, marker, target in _walk(document.data, model, (), ()))


def check_raw_references(catalog: Catalog, unvalidated: list[tuple[str, Document, type[Entry]]]) -> list[Diagnostic]:
    """The reference problems of the entries that failed validation (their id, document and kind), worded as for a
    valid entry."""
    kinds = {**catalog.invalid, **{e.id: e.kind for e in catalog.entries.values()}}
    out = []
    for entry_id, document, model in unvalidated:
        for ref in raw_references(document, model, entry_id):
            if (wrong := reference_problem(ref, kinds, catalog.entries)) is not None:
                message, hint, code = wrong
                mark = document.position(ref.path)
                out.append(Diagnostic(document.file, mark.line, mark.column, "error", message, format_path(ref.path),
                                      hint, code))
    return out
