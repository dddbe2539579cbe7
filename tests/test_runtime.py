"""The library's runtime settings: the collector's pace during a run."""

from __future__ import annotations

import gc

import pytest

from newsprism.runtime import RUN_THRESHOLDS, fewer_collections


def test_fewer_collections_raises_the_thresholds_and_restores_them() -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        with fewer_collections():
            assert gc.get_threshold() == RUN_THRESHOLDS
            with fewer_collections():  # nested: still raised
                assert gc.get_threshold() == RUN_THRESHOLDS
            assert gc.get_threshold() == RUN_THRESHOLDS
        assert gc.get_threshold() == (700, 10, 10)
        # never lowers what a caller set higher, and restores it after an error
        gc.set_threshold(500_000, 5, 1_000)
        with pytest.raises(RuntimeError), fewer_collections():
            assert gc.get_threshold() == (500_000, 50, 1_000)
            raise RuntimeError("a failing run")
        assert gc.get_threshold() == (500_000, 5, 1_000)
    finally:
        gc.set_threshold(*before)
