"""The one codec between the data model's dataclasses and JSON-ready dicts.

Every to/from-dict of the project goes through :func:`to_dict` and :func:`from_dict`: the
``stories.json`` document, the store (SQLite and PostgreSQL), the story cache and the Ray
engine's task results. A dataclass is written as a dict of its fields in declaration order;
lists, tuples and dicts are written member by member. Reading back follows each field's
declared type, so nested dataclasses (``Fact.sources: list[Source]``, ``Span | None``) come back
typed. Unknown keys are ignored and missing ones take the field's default, so a record written
by an older version still loads.

Field metadata tunes one field (``field(default_factory=list, metadata=SKIP)``). A record that does not fit its type raises
:class:`~newsprism.errors.StoreError`.

- :data:`SKIP`: runtime only (a claim list, a vector), never written;
- :data:`OMIT_EMPTY`: left out of the dict while empty or ``None`` (optional keys);
- :func:`rounded`: a float written with that many decimals.
"""

from __future__ import annotations

import dataclasses
import sys
import types
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, TypeVar

from newsprism.errors import StoreError

T = TypeVar("T")

#: field metadata: never serialized (runtime-only state)
SKIP: Mapping[str, Any] = {"codec": "skip"}
#: field metadata: left out while empty or None
OMIT_EMPTY: Mapping[str, Any] = {"codec": "omit-empty"}


def rounded(digits: int) -> Mapping[str, Any]:
    """Field metadata: a float written rounded to ``digits`` decimals."""
    return {"codec": "round", "digits": digits}


def to_dict(obj: Any) -> Any:
    """``obj`` as JSON-ready data: dataclasses become dicts (see the module docstring)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {}
        for f in _fields(type(obj)):
            name, how = f
            value = getattr(obj, name)
            if how == "skip":
                continue
            if how == "omit-empty" and (value is None or value == [] or value == {}):
                continue
            if isinstance(how, int) and isinstance(value, float):
                value = round(value, how)
            out[name] = to_dict(value)
        return out
    if isinstance(obj, list | tuple):
        return [to_dict(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    if isinstance(obj, set | frozenset):
        return sorted(to_dict(v) for v in obj)
    return obj


def from_dict(cls: type[T], data: Mapping[str, Any], **override: Any) -> T:
    """An instance of the dataclass ``cls`` from ``data`` (the inverse of :func:`to_dict`);
    ``override`` sets fields directly (already typed)."""
    decode = _decoder(cls)  # type: ignore[arg-type]  # a class is hashable
    return decode(data, override)


@cache
def _fields(cls: type) -> tuple[tuple[str, Any], ...]:
    """(name, how) per serialized field: how is None, "skip", "omit-empty" or the digits."""
    out = []
    for f in dataclasses.fields(cls):
        how = f.metadata.get("codec")
        out.append((f.name, f.metadata["digits"] if how == "round" else how))
    return tuple(out)


@cache
def _decoder(cls: type) -> Callable[[Mapping[str, Any], Mapping[str, Any]], Any]:
    namespace = vars(sys.modules[cls.__module__])
    plain: list[str] = []  # fields whose JSON value is already the value
    typed: list[tuple[str, Callable[[Any], Any]]] = []
    for f in dataclasses.fields(cls):
        if f.metadata.get("codec") == "skip" or not f.init:
            continue
        # annotations are strings (postponed evaluation): resolve in the class's module
        tp = eval(f.type, namespace) if isinstance(f.type, str) else f.type
        conv = _convert(tp)
        if conv is _same:
            plain.append(f.name)
        else:
            typed.append((f.name, conv))

    def decode(data: Mapping[str, Any], override: Mapping[str, Any]) -> Any:
        if not isinstance(data, Mapping):
            raise StoreError(f"a stored {cls.__name__} is not an object but {type(data).__name__}")
        kwargs = {name: data[name] for name in plain if name in data}
        for name, conv in typed:
            if name in data:
                kwargs[name] = conv(data[name])
        kwargs.update(override)
        try:
            return cls(**kwargs)
        except TypeError as exc:
            raise StoreError(f"a stored {cls.__name__} does not fit its type: {exc}") from exc

    return decode


def _same(v: Any) -> Any:
    return v


def _convert(tp: Any) -> Callable[[Any], Any]:
    """A function turning JSON data into a value of the declared type ``tp``."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1:
            conv = _convert(inner[0])
            return lambda v: None if v is None else conv(v)
        return _same  # a union of plain types (str | int): JSON already tells them apart
    if origin is list or origin is typing.Sequence:
        item = _convert(args[0]) if args else _same
        return _same if item is _same else (lambda v: [item(x) for x in v])
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _convert(args[0])
            return lambda v: tuple(item(x) for x in v)
        convs = [_convert(a) for a in args]
        return lambda v: tuple(c(x) for c, x in zip(convs, v, strict=False))
    if origin in (set, frozenset):
        item = _convert(args[0]) if args else _same
        kind = origin
        return lambda v: kind(item(x) for x in v)
    if origin is dict:
        value = _convert(args[1]) if len(args) == 2 else _same
        return _same if value is _same else (lambda v: {k: value(x) for k, x in v.items()})
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        dec = _decoder(tp)
        empty: Mapping[str, Any] = {}
        return lambda v: dec(v, empty)
    return _same  # str, int, float, bool, Any, Literal[...]
