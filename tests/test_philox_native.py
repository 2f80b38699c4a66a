"""_core.kernels' Philox samplers (bind_random.cpp): the blocks agree with the NumPy Philox
reference, the 128-bit counter carries, the values do not depend on the kernel thread count,
and bad arguments raise. Their values against TF's are pinned by the golden set randbits."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from varstore import kernels
from varstore._core import kernels as _kernels
from varstore.ops.random_philox import _philox

KEY = 0x0123456789ABCDEF


@pytest.fixture
def restore_threads() -> Iterator[None]:
    before = kernels.get_num_threads()
    try:
        yield
    finally:
        kernels.set_num_threads(before)


def _reference_blocks(counter: int, offsets: list[int]) -> np.ndarray:
    rows = []
    for off in offsets:
        c = (counter + off) % (1 << 128)
        rows.append([(c >> (32 * i)) & 0xFFFFFFFF for i in range(4)])
    return _philox(np.array(rows, np.uint64), (KEY & 0xFFFFFFFF, KEY >> 32))


@pytest.mark.parametrize("counter", [0, 5 | (7 << 64), (1 << 64) - 3, (1 << 128) - 2])
def test_blocks_match_numpy_philox_and_carry(counter: int) -> None:
    offsets = [0, 1, 2, 3, 1000, (1 << 63) + 5]
    got = _kernels.philox_blocks(KEY, counter & ((1 << 64) - 1), counter >> 64,
                                 np.array(offsets, np.uint64))
    assert got.dtype == np.uint32
    np.testing.assert_array_equal(got, _reference_blocks(counter, offsets))


@pytest.mark.parametrize("fn", [_kernels.philox_normal, _kernels.philox_truncated_normal])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.usefixtures("restore_threads")
def test_values_do_not_depend_on_the_thread_count(fn: Any, dtype: str) -> None:
    n = 300_007  # many tasks of 8192 groups, a partial last group
    outs = []
    for threads in (1, 2, 3):
        kernels.set_num_threads(threads)
        outs.append(fn(KEY, 11, 12, n, dtype))
    assert outs[0].dtype == np.dtype(dtype)
    assert outs[0].shape == (n,)
    for o in outs[1:]:
        np.testing.assert_array_equal(o.view(f"u{o.itemsize}"),
                                      outs[0].view(f"u{o.itemsize}"))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_prefixes_agree(dtype: str) -> None:
    # an output of n values is the first n of a longer one (the groups are independent)
    for fn in (_kernels.philox_normal, _kernels.philox_truncated_normal):
        long = fn(KEY, 1, 2, 103, dtype)
        for n in (0, 1, 2, 3, 5, 102):
            np.testing.assert_array_equal(fn(KEY, 1, 2, n, dtype), long[:n])


def test_truncated_values_are_inside_two() -> None:
    v = _kernels.philox_truncated_normal(KEY, 0, 0, 100_000, "float32")
    assert np.abs(v).max() < 2.0
    assert 0.85 < float(v.std()) < 0.9  # the std of a normal truncated at +-2: 0.8796


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="n must be >= 0"):
        _kernels.philox_normal(KEY, 0, 0, -1, "float32")
    with pytest.raises(ValueError, match="dtype must be 'float32' or 'float64'"):
        _kernels.philox_truncated_normal(KEY, 0, 0, 4, "float16")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="offsets must be 1-D"):
        _kernels.philox_blocks(KEY, 0, 0, np.zeros((2, 2), np.uint64))
