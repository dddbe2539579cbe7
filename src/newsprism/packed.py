"""Arrays of numbers packed into JSON-ready text, for states and records that hold many.

:func:`pack` writes the array's little-endian bytes as base64 (ASCII); :func:`unpack` reads
them back bit for bit. A list of pairs of numbers in JSON costs a Python object per number to
write and to read, and the float's shortest repr to write: for the hundred thousand numbers
of a large archive's storyline state that was most of the time of reading and writing it.

>>> unpack(pack([3, 1, 2], "<u4"), "<u4").tolist()
[3, 1, 2]
>>> unpack(pack([0.1, 2.5], "<f8"), "<f8").tolist()
[0.1, 2.5]
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np


def pack(values: Iterable[float] | np.ndarray, dtype: str) -> str:
    """``values`` as base64 of their bytes in ``dtype`` (say ``"<u4"``, ``"<f8"``)."""
    array = values if isinstance(values, np.ndarray) else np.fromiter(values, dtype=dtype)
    return base64.b64encode(np.ascontiguousarray(array, dtype=dtype).tobytes()).decode("ascii")


def unpack(text: str, dtype: str) -> np.ndarray:
    """The array :func:`pack` wrote (read-only); ValueError for text that is not such a
    packing (not base64, or not a whole number of items)."""
    if not isinstance(text, str):
        raise ValueError(f"a packed array is text, not {type(text).__name__}")
    try:
        raw = base64.b64decode(text, validate=True)
    except binascii.Error as exc:
        raise ValueError(f"not a packed array: {exc}") from exc
    return np.frombuffer(raw, dtype=dtype)


def pack_weights(weights: Mapping[int, Any], values: str = "<f8") -> list[str]:
    """A mapping from hash (uint32) to number as ``[hashes, numbers]``, each packed, in the
    mapping's order (sums over it come out the same bit for bit)."""
    return [pack(weights.keys(), "<u4"), pack(weights.values(), values)]


def unpack_weights(data: object, values: str = "<f8") -> dict[int, Any]:
    """The mapping :func:`pack_weights` packed, in its order; also reads the list of
    ``[hash, number]`` pairs that older states hold (before the packing). ValueError or
    TypeError for anything else."""
    if not data:
        return {}
    if not isinstance(data, list):
        raise TypeError(f"packed weights are a list, not {type(data).__name__}")
    if len(data) == 2 and all(isinstance(x, str) for x in data):
        keys, numbers = unpack(data[0], "<u4"), unpack(data[1], values)
        return dict(zip(keys.tolist(), numbers.tolist(), strict=True))  # (ValueError if unequal)
    number = float if values.lstrip("<>=").startswith("f") else int
    return {int(h): number(v) for h, v in data}


def is_packed(data: object) -> bool:
    """Whether ``data`` is packed (:func:`pack`, :func:`pack_weights`) rather than numbers."""
    return isinstance(data, str) or (
        isinstance(data, list) and len(data) == 2 and all(isinstance(x, str) for x in data)
    )


def unpack_vector(data: object, dtype: str) -> np.ndarray:
    """A vector :func:`pack` packed in ``dtype``, or given as a list of numbers (older
    states), as an array of ``dtype``."""
    if isinstance(data, str):
        return unpack(data, dtype).copy()
    if not isinstance(data, list):
        raise TypeError(f"a vector is packed text or a list, not {type(data).__name__}")
    return np.asarray(data, dtype=dtype)
