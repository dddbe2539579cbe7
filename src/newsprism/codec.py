"""The one codec between the data model's dataclasses and JSON-ready dicts.

Every to/from-dict of the project goes through :func:`to_dict` and :func:`from_dict`: the
``stories.json`` document, the store (SQLite and PostgreSQL), the story cache and the Ray
engine's task results. A dataclass is written as a dict of its fields in declaration order;
lists, tuples and dicts are written member by member. Reading back follows each field's
declared type, so nested dataclasses (``Fact.sources: list[Source]``, ``Span | None``) come back
typed. Unknown keys are ignored and missing ones take the field's default, so a record written
by an older version still loads.

Field metadata tunes one field (``field(default_factory=list, metadata=SKIP)``; combine them
with ``|``):

- :data:`SKIP`: runtime only (a claim list, a vector), never written;
- :data:`OMIT_EMPTY`: left out of the dict while empty or ``None`` (optional keys);
- :func:`rounded`: a float (or each float of a list) written with that many decimals;
- :func:`renamed`: written under another key (one that is not a Python name: ``"with"``).

A record that does not fit its type raises :class:`~newsprism.errors.StoreError`.
"""

from __future__ import annotations

import dataclasses
import sys
import types
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, NamedTuple, TypeVar

from newsprism.errors import StoreError

T = TypeVar("T")

#: field metadata: never serialized (runtime-only state)
SKIP: dict[str, Any] = {"codec_skip": True}
#: field metadata: left out while empty or None
OMIT_EMPTY: dict[str, Any] = {"codec_omit_empty": True}


def rounded(digits: int) -> dict[str, Any]:
    """Field metadata: a float (or each float of a list) written with ``digits`` decimals."""
    return {"codec_digits": digits}


def renamed(key: str) -> dict[str, Any]:
    """Field metadata: the field's key in the dict form."""
    return {"codec_key": key}


def to_dict(obj: Any) -> Any:
    """``obj`` as JSON-ready data: dataclasses become dicts (see the module docstring)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {}
        for f in _fields(type(obj)):
            value = getattr(obj, f.attr)
            if f.omit_empty and (value is None or value == [] or value == {}):
                continue
            if f.digits is not None:
                value = _round(value, f.digits)
            out[f.key] = to_dict(value)
        return out
    if isinstance(obj, list | tuple):
        return [to_dict(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    if isinstance(obj, set | frozenset):
        return sorted(to_dict(v) for v in obj)
    return obj


def _round(value: Any, digits: int) -> Any:
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, list | tuple):
        return [round(v, digits) if isinstance(v, float) else v for v in value]
    return value


def from_dict(cls: type[T], data: Mapping[str, Any], **override: Any) -> T:
    """An instance of the dataclass ``cls`` from ``data`` (the inverse of :func:`to_dict`);
    ``override`` sets fields directly (already typed)."""
    return _decoder(cls)(data, override)


class _Field(NamedTuple):
    attr: str
    key: str
    omit_empty: bool
    digits: int | None


@cache
def _fields(cls: type) -> tuple[_Field, ...]:
    """The fields written, with their dict keys and how each is written."""
    return tuple(
        _Field(
            f.name,
            f.metadata.get("codec_key", f.name),
            bool(f.metadata.get("codec_omit_empty")),
            f.metadata.get("codec_digits"),
        )
        for f in dataclasses.fields(cls)
        if not f.metadata.get("codec_skip")
    )


_Decoder = Callable[[Mapping[str, Any], Mapping[str, Any]], Any]
_DECODERS: dict[type, _Decoder] = {}


def _decoder(cls: type) -> _Decoder:
    """The decoder of a dataclass, built once."""
    found = _DECODERS.get(cls)
    if found is None:
        found = _DECODERS[cls] = _build_decoder(cls)
    return found


def _build_decoder(cls: type) -> _Decoder:
    namespace = vars(sys.modules[cls.__module__])
    plain: list[tuple[str, str]] = []  # (key, attr): the JSON value is already the value
    typed: list[tuple[str, str, Callable[[Any], Any]]] = []
    for f in dataclasses.fields(cls):
        if f.metadata.get("codec_skip") or not f.init:
            continue
        key = f.metadata.get("codec_key", f.name)
        # annotations are strings (postponed evaluation): resolve in the class's module
        tp = eval(f.type, namespace) if isinstance(f.type, str) else f.type
        conv = _convert(tp)
        if conv is _same:
            plain.append((key, f.name))
        else:
            typed.append((key, f.name, conv))

    def decode(data: Mapping[str, Any], override: Mapping[str, Any]) -> Any:
        if not isinstance(data, Mapping):
            raise StoreError(f"a stored {cls.__name__} is not an object but {type(data).__name__}")
        kwargs = {attr: data[key] for key, attr in plain if key in data}
        for key, attr, conv in typed:
            if key in data:
                kwargs[attr] = conv(data[key])
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
