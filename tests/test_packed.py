"""Arrays packed into JSON-ready text (newsprism.packed): read back bit for bit, and text that
is not a packing is refused with ValueError."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsprism.packed import pack, unpack


@given(st.lists(st.floats(allow_nan=False, width=64)))
def test_floats_come_back_bit_for_bit(values: list[float]) -> None:
    text = json.loads(json.dumps(pack(values, "<f8")))  # (through JSON, as in a state)
    back = unpack(text, "<f8").tolist()
    assert [math.copysign(1, v) for v in back] == [math.copysign(1, v) for v in values]
    assert back == values


@given(st.lists(st.integers(0, 2**32 - 1)))
def test_unsigned_ints_come_back(values: list[int]) -> None:
    assert unpack(pack(values, "<u4"), "<u4").tolist() == values
    assert unpack(pack(np.asarray(values, dtype=np.uint64), "<u4"), "<u4").tolist() == values


def test_packing_is_little_endian_base64() -> None:
    assert pack([1, 256], "<u4") == "AQAAAAABAAA="
    assert pack([], "<f8") == ""
    assert unpack("", "<f8").tolist() == []


@pytest.mark.parametrize("bad", ["not base64!", "AQAA", 17, None, ["AQAAAA=="]])
def test_what_is_not_a_packing_is_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        unpack(bad, "<u4")  # type: ignore[arg-type]
