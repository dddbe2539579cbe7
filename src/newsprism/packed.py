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
from collections.abc import Iterable

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
