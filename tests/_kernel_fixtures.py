"""Fixtures and helpers shared by the kernel tests (test_conv2d_relu.py, test_dispatch.py).

Kept out of conftest.py on purpose (conftest.py belongs to the package tests); the kernel test
modules import from here.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from varstore._core import kernels

ALL_ISAS = ("avx512", "avx2", "scalar")


def isa_skip_reason(name: str) -> str | None:
    if name not in kernels.compiled_isas():
        return f"ISA {name!r} is not compiled into this build"
    if name not in kernels.supported_isas():
        return f"this CPU/OS lacks {name!r} (supported: {kernels.supported_isas()})"
    return None


@pytest.fixture(params=[pytest.param(n, marks=pytest.mark.isa) for n in ALL_ISAS])
def isa(request: pytest.FixtureRequest) -> Iterator[str]:
    """Every ISA in turn: skipped (visibly, with -ra) where absent, asserted active when run."""
    name: str = request.param
    reason = isa_skip_reason(name)
    if reason is not None:
        pytest.skip(reason)
    kernels.force_isa(name)
    assert kernels.active_isa() == name
    try:
        yield name
    finally:
        kernels.reset_isa()


@pytest.fixture
def threads() -> Iterator[None]:
    """Restores the kernel thread count after a test that changes it."""
    before = kernels.get_num_threads()
    try:
        yield
    finally:
        kernels.set_num_threads(before)


def same_pad(in_size: int, k: int, s: int, d: int) -> tuple[int, int]:
    """TensorFlow's 'SAME' split, written independently of the C++ one."""
    out = -(-in_size // s)
    total = max((out - 1) * s + (k - 1) * d + 1 - in_size, 0)
    return total // 2, total - total // 2


def reference_conv(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray | None,
    strides: tuple[int, int] = (1, 1),
    dilations: tuple[int, int] = (1, 1),
    padding: tuple[int, int, int, int] = (0, 0, 0, 0),
    relu: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Direct NumPy conv (float64) + bias + ReLU; also returns sum |x*w| for tolerances."""
    sh, sw = strides
    dh, dw = dilations
    pt, pb, pl, pr = padding
    n, h, wd, _ = x.shape
    kh, kw, _, cout = w.shape
    xp = np.pad(x.astype(np.float64), ((0, 0), (pt, pb), (pl, pr), (0, 0)))
    oh = (h + pt + pb - (kh - 1) * dh - 1) // sh + 1
    ow = (wd + pl + pr - (kw - 1) * dw - 1) // sw + 1
    acc = np.zeros((n, oh, ow, cout))
    mag = np.zeros((n, oh, ow, cout))
    w64 = w.astype(np.float64)
    for i in range(kh):
        for j in range(kw):
            patch = xp[
                :,
                i * dh : i * dh + (oh - 1) * sh + 1 : sh,
                j * dw : j * dw + (ow - 1) * sw + 1 : sw,
                :,
            ]
            acc += patch @ w64[i, j]
            mag += np.abs(patch) @ np.abs(w64[i, j])
    if b is not None:
        acc += b.astype(np.float64)
        mag += np.abs(b.astype(np.float64))
    if relu:
        acc = np.maximum(acc, 0.0)
    return acc, mag


def assert_close(got: np.ndarray, ref: np.ndarray, mag: np.ndarray) -> None:
    """fp32 tolerance scaled by the magnitude of the reduction (orders differ between ISAs)."""
    assert got.shape == ref.shape
    assert got.dtype == np.float32
    err = np.abs(got.astype(np.float64) - ref)
    tol = 1e-6 + 2e-6 * mag
    bad = err > tol
    if bad.any():
        idx = tuple(int(v) for v in np.argwhere(bad)[0])
        raise AssertionError(
            f"{int(bad.sum())} of {got.size} values differ; first at {idx}: got {got[idx]!r}, "
            f"expected {ref[idx]!r} (tol {tol[idx]:.3g})"
        )
