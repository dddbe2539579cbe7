"""Arrays packed into JSON-ready text (newsprism.packed): read back bit for bit, and text that
is not a packing is refused with ValueError."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsprism.packed import is_packed, pack, pack_weights, unpack, unpack_vector, unpack_weights


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


@given(st.dictionaries(st.integers(0, 2**32 - 1), st.floats(allow_nan=False)))
def test_weights_keep_their_order_and_values(weights: dict[int, float]) -> None:
    shuffled = dict(reversed(list(weights.items())))  # an order that is not the sorted one
    packed = json.loads(json.dumps(pack_weights(shuffled)))
    assert is_packed(packed)
    back = unpack_weights(packed)
    assert list(back.items()) == list(shuffled.items())
    # the [hash, number] pairs of older states read the same
    assert unpack_weights([[h, w] for h, w in shuffled.items()]) == back
    counts = {h: (k * 7919) % 100_000 for k, h in enumerate(weights)}
    assert unpack_weights(pack_weights(counts, "<u4"), "<u4") == counts


def test_vectors_packed_or_listed() -> None:
    vec = np.asarray([0.1, -2.5, 3e-8], dtype=np.float32)
    assert unpack_vector(pack(vec, "<f4"), "<f4").tolist() == vec.tolist()
    assert unpack_vector([float(x) for x in vec], "<f4").tolist() == vec.tolist()
    unpack_vector(pack(vec, "<f4"), "<f4")[0] = 1.0  # a copy: writable
    with pytest.raises(TypeError):
        unpack_vector(3.5, "<f4")
    with pytest.raises((TypeError, ValueError)):
        unpack_weights("AQAAAA==")
    with pytest.raises(ValueError):
        unpack_weights(["AQAAAAIAAAA=", pack([1.0], "<f8")])  # two hashes, one weight
