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
import inspect
import sys
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

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
    kind = type(obj)
    if kind in _ATOMS:
        return obj
    encode = _ENCODERS.get(kind)
    if encode is None:
        encode = _ENCODERS[kind] = _encoder_of(kind)
    return encode(obj)


def from_dict(cls: type[T], data: Mapping[str, Any], **override: Any) -> T:
    """An instance of the dataclass ``cls`` from ``data`` (the inverse of :func:`to_dict`);
    ``override`` sets fields directly (already typed)."""
    return _decoder(cls)(data, override)


# Encoders and decoders are compiled once per class (straight-line code, the way dataclasses
# writes its __init__): a store or a document holds hundreds of thousands of small records.

_ATOMS = frozenset({str, int, float, bool, type(None)})
_Encoder = Callable[[Any], Any]
_Decoder = Callable[[Mapping[str, Any], Mapping[str, Any]], Any]
_ENCODERS: dict[type, _Encoder] = {}
_DECODERS: dict[type, _Decoder] = {}
_NO_OVERRIDE: Mapping[str, Any] = {}


def _same(v: Any) -> Any:
    return v


def _encode_list(v: Any) -> list[Any]:
    return [to_dict(x) for x in v]


def _encode_dict(v: Any) -> dict[Any, Any]:
    return {k: to_dict(x) for k, x in v.items()}


def _encode_set(v: Any) -> list[Any]:
    return sorted(to_dict(x) for x in v)


def _encoder_of(kind: type) -> _Encoder:
    """How a value of this runtime type is written."""
    if issubclass(kind, list | tuple):
        return _encode_list
    if issubclass(kind, dict):
        return _encode_dict
    if issubclass(kind, set | frozenset):
        return _encode_set
    if dataclasses.is_dataclass(kind):
        return _compile_encoder(kind)
    return _same  # a number type of numpy, an enum...


def _round(value: Any, digits: int) -> Any:
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, list | tuple):
        return [round(v, digits) if isinstance(v, float) else v for v in value]
    return value


def _declared(cls: type) -> list[tuple[dataclasses.Field[Any], Any]]:
    """Each field with its declared type (annotations are strings under postponed evaluation:
    resolved in the class's module). Skipped fields are left out."""
    namespace = vars(sys.modules[cls.__module__])
    return [
        (f, eval(f.type, namespace) if isinstance(f.type, str) else f.type)
        for f in dataclasses.fields(cls)
        if not f.metadata.get("codec_skip")
    ]


def _is_atom(tp: Any) -> bool:
    """Whether values of the declared type are written as they are (str, numbers, Literal,
    None, and unions of those)."""
    if tp in _ATOMS:
        return True
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return True
    if origin in (typing.Union, types.UnionType):
        return all(_is_atom(a) for a in typing.get_args(tp))
    return False


def _field_encoder(tp: Any) -> _Encoder | None:
    """How a field of the declared type is written; None: as it is."""
    if _is_atom(tp):
        return None
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is list and args and _is_atom(args[0]):
        return list
    if origin is dict and len(args) == 2 and _is_atom(args[1]):
        return dict
    return to_dict


def _compile_encoder(cls: type) -> _Encoder:
    env: dict[str, Any] = {"_round": _round}
    lines = ["def encode(o):", "    d = {}"]
    for n, (f, tp) in enumerate(_declared(cls)):
        key = repr(f.metadata.get("codec_key", f.name))
        digits = f.metadata.get("codec_digits")
        conv = _field_encoder(tp)
        value = f"o.{f.name}"
        if digits is not None:
            value = f"_round({value}, {int(digits)})"
        elif conv is not None:
            env[f"c{n}"] = conv
            value = f"c{n}({value})"
        if f.metadata.get("codec_omit_empty"):
            lines += [
                f"    v = o.{f.name}",
                "    if not (v is None or v == [] or v == {}):",
                f"        d[{key}] = {value}",
            ]
        else:
            lines.append(f"    d[{key}] = {value}")
    lines.append("    return d")
    exec("\n".join(lines), env)  # generated from the class's own field names only
    return env["encode"]


def _decoder(cls: type) -> _Decoder:
    """The decoder of a dataclass, built once."""
    found = _DECODERS.get(cls)
    if found is None:
        found = _DECODERS[cls] = _compile_decoder(cls)
    return found


def _compile_decoder(cls: type) -> _Decoder:
    env: dict[str, Any] = {"cls": cls, "Mapping": Mapping, "StoreError": StoreError}
    name = cls.__name__
    lines = [
        "def decode(data, override):",
        "    if not isinstance(data, Mapping):",
        f"        raise StoreError(f'a stored {name} is not an object but {{type(data).__name__}}')",
    ]
    general = ["    kw = {}"]
    # the fast path: a record with exactly the fields, passed positionally where they are the
    # __init__'s parameters in order (no runtime-only field, init-only variable or own
    # __init__ in between), else by keyword
    declared = _declared(cls)
    params = [
        p.name
        for p in inspect.signature(cls).parameters.values()
        if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    ]
    positional = [f.name for f, _ in declared if f.init] == params
    args: list[str] = []
    for n, (f, tp) in enumerate(declared):
        if not f.init:
            continue
        key = repr(f.metadata.get("codec_key", f.name))
        conv = _convert(tp)
        value = f"data[{key}]"
        if conv is not _same:
            env[f"c{n}"] = conv
            value = f"c{n}({value})"
        general += [f"    if {key} in data:", f"        kw[{f.name!r}] = {value}"]
        args.append(value if positional else f"{f.name}={value}")
    if args:
        lines += [
            f"    if not override and len(data) == {len(args)}:",
            "        try:",
            f"            return cls({', '.join(args)})",
            "        except KeyError:  # (a key that is not one of the fields: the general way)",
            "            pass",
            "        except TypeError as exc:",
            f"            raise StoreError(f'a stored {name} does not fit its type: {{exc}}') from exc",
        ]
    lines += general
    lines += [
        "    if override:",
        "        kw.update(override)",
        "    try:",
        "        return cls(**kw)",
        "    except TypeError as exc:",
        f"        raise StoreError(f'a stored {name} does not fit its type: {{exc}}') from exc",
    ]
    exec("\n".join(lines), env)  # generated from the class's own field names only
    return env["decode"]


def _convert(tp: Any) -> Callable[[Any], Any]:
    """A function turning JSON data into a value of the declared type ``tp``."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1:
            conv = _convert(inner[0])
            return conv if conv is _same else (lambda v: None if v is None else conv(v))
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
        return lambda v: dec(v, _NO_OVERRIDE)
    return _same  # str, int, float, bool, Any, Literal[...]
