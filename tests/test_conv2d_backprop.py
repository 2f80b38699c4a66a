"""Backward kernels of varstore._core.kernels on every ISA: conv2d_backprop_input (dx),
conv2d_backprop_filter (dw, + the fused bias gradient) and bias_add_grad, with the fused ReLU /
leaky-ReLU backward mask, against float64 NumPy references written as the adjoint of the forward
reference, the adjoint identity <conv(x, w), dy> == <x, dx> == <w, dw>, and the scalar path."""

from __future__ import annotations

import os
import sys
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from varstore._core import kernels

try:
    from _kernel_fixtures import isa, isa_skip_reason, reference_conv, same_pad, threads
except ImportError:  # --import-mode=importlib: the tests folder is not on sys.path
    sys.path.insert(0, os.path.dirname(__file__))
    from _kernel_fixtures import (
        isa,  # noqa: F401  (fixture)
        isa_skip_reason,
        reference_conv,
        same_pad,
        threads,  # noqa: F401  (fixture)
    )

_ = isa_skip_reason  # (imported for the skip-reason helper's module, used by the fixture)


# ---- float64 references: the adjoint of the forward reference ---------------------------------
def out_size(n: int, k: int, s: int, d: int, a: int, b: int) -> int:
    return (n + a + b - (k - 1) * d - 1) // s + 1


def ref_dx(dy, w, xshape, s, d, pads):
    """dx = the adjoint of x -> conv(x, w): scatter dy @ w[i, j].T into the padded input, crop."""
    n, h, wd, cin = xshape
    kh, kw = w.shape[:2]
    pt, pb, pl, pr = pads
    oh, ow = dy.shape[1:3]
    dxp = np.zeros((n, h + pt + pb + s[0] + kh * d[0], wd + pl + pr + s[1] + kw * d[1], cin))
    mag = np.zeros_like(dxp)
    dy64, w64 = dy.astype(np.float64), w.astype(np.float64)
    for i in range(kh):
        for j in range(kw):
            sl = (
                slice(None),
                slice(i * d[0], i * d[0] + (oh - 1) * s[0] + 1, s[0]),
                slice(j * d[1], j * d[1] + (ow - 1) * s[1] + 1, s[1]),
            )
            dxp[sl] += dy64 @ w64[i, j].T
            mag[sl] += np.abs(dy64) @ np.abs(w64[i, j]).T
    return dxp[:, pt : pt + h, pl : pl + wd], mag[:, pt : pt + h, pl : pl + wd]


def ref_dw(x, dy, wshape, s, d, pads):
    """dw = the adjoint of w -> conv(x, w): sum over pixels of padded patches times dy."""
    kh, kw = wshape[:2]
    pt, pb, pl, pr = pads
    xp = np.pad(x.astype(np.float64), ((0, 0), (pt, pb), (pl, pr), (0, 0)))
    oh, ow = dy.shape[1:3]
    dy64 = dy.astype(np.float64)
    dw = np.zeros(wshape)
    mag = np.zeros(wshape)
    for i in range(kh):
        for j in range(kw):
            patch = xp[
                :,
                i * d[0] : i * d[0] + (oh - 1) * s[0] + 1 : s[0],
                j * d[1] : j * d[1] + (ow - 1) * s[1] + 1 : s[1],
            ]
            dw[i, j] = np.einsum("nhwc,nhwo->co", patch, dy64)
            mag[i, j] = np.einsum("nhwc,nhwo->co", np.abs(patch), np.abs(dy64))
    return dw, mag


def mask(dy, y, alpha):
    return np.where(y > 0, dy, dy * np.float32(alpha)).astype(np.float32)


def assert_close(got, ref, mag, what=""):
    assert got.shape == ref.shape, (got.shape, ref.shape)
    assert got.dtype == np.float32
    err = np.abs(got.astype(np.float64) - ref)
    bad = err > 1e-6 + 3e-6 * mag
    if bad.any():
        idx = tuple(int(v) for v in np.argwhere(bad)[0])
        raise AssertionError(
            f"{what}: {int(bad.sum())} of {got.size} differ; first at {idx}: {got[idx]!r} vs {ref[idx]!r}"
        )


# (N, H, W, Cin, KH, KW, Cout, strides, dilations, padding)
CASES = [
    (1, 5, 1, 3, 3, 3, 8, (1, 1), (1, 1), (1, 1, 1, 1)),  # width 1
    (1, 4, 5, 2, 1, 1, 7, (1, 1), (1, 1), (0, 0, 0, 0)),  # 1x1, odd channels
    (2, 6, 6, 5, 3, 3, 16, (1, 1), (1, 1), (1, 1, 1, 1)),  # batch 2
    (1, 7, 7, 16, 3, 3, 17, (1, 1), (1, 1), (0, 0, 0, 0)),  # VALID, Cout tail
    (1, 8, 13, 17, 3, 3, 33, (1, 1), (1, 1), (1, 1, 1, 1)),  # widths above the tile
    (1, 6, 12, 8, 3, 3, 64, (1, 1), (1, 1), (1, 1, 1, 1)),  # width = 2 tiles
    (2, 5, 25, 9, 3, 3, 65, (1, 1), (1, 1), (1, 1, 1, 1)),  # Cout 64 + 1
    (1, 6, 14, 70, 3, 3, 20, (1, 1), (1, 1), (1, 1, 1, 1)),  # Cin 70 (2 Cin blocks)
    (2, 11, 11, 6, 3, 3, 24, (2, 2), (1, 1), (1, 1, 1, 1)),  # stride 2, H odd
    (1, 11, 10, 20, 3, 3, 24, (3, 2), (1, 1), (1, 1, 0, 2)),  # stride 3, H not divisible
    (1, 12, 12, 5, 3, 3, 20, (1, 1), (2, 2), (2, 2, 2, 2)),  # dilation 2
    (1, 12, 12, 9, 3, 3, 10, (2, 2), (2, 2), (2, 2, 2, 2)),  # s2 d2: phases without taps
    (1, 13, 9, 4, 3, 2, 12, (2, 1), (1, 3), (0, 2, 3, 1)),  # asymmetric explicit
    (1, 3, 3, 4, 3, 3, 20, (1, 1), (1, 1), (4, 4, 4, 4)),  # padding larger than the filter
    (1, 10, 10, 3, 5, 5, 31, (3, 3), (1, 1), (2, 2, 2, 2)),  # 5x5 stride 3
    (2, 7, 9, 64, 1, 1, 130, (1, 1), (1, 1), (0, 0, 0, 0)),  # 1x1 GEMM
    (1, 9, 9, 10, 1, 1, 19, (2, 2), (1, 1), (1, 0, 0, 1)),  # strided padded 1x1
    (1, 12, 12, 32, 5, 5, 32, (1, 1), (1, 1), (2, 2, 2, 2)),  # 5x5
    (2, 17, 17, 3, 7, 7, 64, (2, 2), (1, 1), (2, 3, 2, 3)),  # 7x7 s2 SAME (asymmetric), Cin 3
    (2, 16, 16, 3, 5, 5, 64, (2, 2), (1, 1), (1, 2, 1, 2)),  # DCGAN layer 1 (smaller)
    (2, 8, 8, 64, 5, 5, 128, (2, 2), (1, 1), (1, 2, 1, 2)),  # DCGAN layer 2 (smaller)
]


def _ids(case: tuple) -> str:
    n, h, w, ci, kh, kw, co, s, d, p = case
    return f"n{n}_{h}x{w}x{ci}_k{kh}x{kw}_co{co}_s{s[0]}{s[1]}_d{d[0]}{d[1]}_p{''.join(map(str, p))}"


def _data(case: tuple, seed: int):
    n, h, w, ci, kh, kw, co, s, d, p = case
    oh = out_size(h, kh, s[0], d[0], p[0], p[1])
    ow = out_size(w, kw, s[1], d[1], p[2], p[3])
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n, h, w, ci)).astype(np.float32)
    wt = rng.uniform(-1, 1, (kh, kw, ci, co)).astype(np.float32)
    dy = rng.uniform(-1, 1, (n, oh, ow, co)).astype(np.float32)
    y = rng.uniform(-1, 1, (n, oh, ow, co)).astype(np.float32)
    return x, wt, dy, y


def _on(name: str, fn, *args, **kwargs):
    current = kernels.active_isa()
    kernels.force_isa(name)
    try:
        return fn(*args, **kwargs)
    finally:
        kernels.force_isa(current)


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_backprop_matches_adjoint_reference_and_scalar(isa: str, case: tuple) -> None:
    _, _, _, _, _, _, _, s, d, p = case
    x, w, dy, _y = _data(case, seed=len(_ids(case)))
    dx = kernels.conv2d_backprop_input(dy, w, x.shape, s, d, p)
    dw = kernels.conv2d_backprop_filter(x, dy, w.shape, s, d, p)
    assert kernels.active_isa() == isa
    rdx, mdx = ref_dx(dy, w, x.shape, s, d, p)
    rdw, mdw = ref_dw(x, dy, w.shape, s, d, p)
    assert_close(dx, rdx, mdx, "dx")
    assert_close(dw, rdw, mdw, "dw")
    # the scalar path agrees
    assert_close(dx, _on("scalar", kernels.conv2d_backprop_input, dy, w, x.shape, s, d, p), mdx, "dx/scalar")
    assert_close(dw, _on("scalar", kernels.conv2d_backprop_filter, x, dy, w.shape, s, d, p), mdw, "dw/scalar")
    # adjoint identity <conv(x, w), dy> = <x, dx> = <w, dw>, on the references (exactness of the
    # reference pair) and on the kernels (fp32 tolerance)
    fwd, fmag = reference_conv(x, w, None, s, d, p, relu=False)
    lhs = float(np.sum(fwd * dy.astype(np.float64)))
    scale = float(np.sum(fmag * np.abs(dy.astype(np.float64)))) + 1.0
    assert abs(lhs - float(np.sum(x.astype(np.float64) * rdx))) <= 1e-9 * scale
    assert abs(lhs - float(np.sum(w.astype(np.float64) * rdw))) <= 1e-9 * scale
    assert abs(lhs - float(np.sum(x.astype(np.float64) * dx))) <= 1e-5 * scale
    assert abs(lhs - float(np.sum(w.astype(np.float64) * dw))) <= 1e-5 * scale


@pytest.mark.parametrize("alpha", [0.0, 0.2], ids=["relu", "leaky0.2"])
@pytest.mark.parametrize("case", [CASES[2], CASES[8], CASES[11], CASES[19]], ids=_ids)
def test_fused_mask_equals_premasked_dy(isa: str, case: tuple, alpha: float) -> None:
    """The on-the-fly mask gives exactly the result of masking dy first (same float ops)."""
    _, _, _, _, _, _, _, s, d, p = case
    x, w, dy, y = _data(case, seed=11)
    m = mask(dy, y, alpha)
    np.testing.assert_array_equal(
        kernels.conv2d_backprop_input(dy, w, x.shape, s, d, p, y=y, alpha=alpha),
        kernels.conv2d_backprop_input(m, w, x.shape, s, d, p),
    )
    db = np.empty(w.shape[3], np.float32)
    dw = kernels.conv2d_backprop_filter(x, dy, w.shape, s, d, p, y=y, alpha=alpha, bias_out=db)
    np.testing.assert_array_equal(dw, kernels.conv2d_backprop_filter(x, m, w.shape, s, d, p))
    ref = m.astype(np.float64).sum((0, 1, 2))
    np.testing.assert_allclose(db, ref, rtol=0, atol=1e-5 * (1 + np.abs(m).sum((0, 1, 2)).max()))
    masked = np.empty_like(dy)
    db2 = kernels.bias_add_grad(dy, y=y, alpha=alpha, masked_out=masked)
    np.testing.assert_array_equal(masked, m)
    np.testing.assert_allclose(db2, ref, rtol=0, atol=1e-5 * (1 + np.abs(m).sum((0, 1, 2)).max()))


def test_mask_is_tf_relu_grad_and_leaky_relu_grad(isa: str) -> None:
    """ReluGrad = dy * (y > 0): a NaN / Inf dy where y <= 0 gives NaN (0 * Inf), -dy gives -0.0;
    LeakyReluGrad = y > 0 ? dy : alpha * dy; y NaN counts as not > 0."""
    dy = np.array([[1.0, -2.0, np.nan, np.inf, 3.0, np.nan, 5.0, -1.0, 2.0]], np.float32)
    y = np.array([[-1.0, 0.0, -1.0, -1.0, np.nan, 2.0, 1.0, -0.0, 1e-30]], np.float32)
    for alpha in (0.0, 0.2):
        m = np.empty_like(dy)
        kernels.bias_add_grad(dy, y=y, alpha=alpha, masked_out=m)
        with np.errstate(invalid="ignore"):
            want = np.where(y > 0, dy, dy * np.float32(alpha))
        np.testing.assert_array_equal(m, want)
        assert np.signbit(m[0, 1]) == (alpha >= 0)  # -2 * 0 = -0.0, -2 * 0.2 < 0
    assert np.isnan(m[0, 2]) and np.isnan(m[0, 5])


def test_backprop_nan_inf_propagate(isa: str) -> None:
    """IEEE propagation as TF: dx forms no product for taps outside dy (col2im), dw multiplies
    the zero padding with dy (im2col), so a NaN dy reaches every tap of dw."""
    case = (1, 7, 8, 5, 3, 3, 9, (1, 1), (1, 1), (1, 1, 1, 1))
    x, w, dy, _ = _data(case, seed=3)
    dy[0, 2, 3, 4] = np.nan
    dx = kernels.conv2d_backprop_input(dy, w, x.shape, (1, 1), (1, 1), (1, 1, 1, 1))
    nan_px = np.isnan(dx).any(axis=3)
    want = np.zeros((7, 8), bool)
    want[1:4, 2:5] = True
    np.testing.assert_array_equal(nan_px[0], want)
    dw = kernels.conv2d_backprop_filter(x, dy, w.shape, (1, 1), (1, 1), (1, 1, 1, 1))
    assert np.isnan(dw[..., 4]).all() and not np.isnan(dw[..., :4]).any()
    # Inf in the filter: dx pixels reached by the tap are +-Inf or NaN, the others stay finite
    # (an Inf filter makes the kernels form products one pixel at a time: no 0 * Inf from a tap
    # outside dy)
    w2 = w.copy()
    w2[0, 0, 1, 2] = np.inf
    dx2 = kernels.conv2d_backprop_input(dy * 0 + 1, w2, x.shape, (1, 1), (1, 1), (1, 1, 1, 1))
    rdx, _ = ref_dx((dy * 0 + 1), w2, x.shape, (1, 1), (1, 1), (1, 1, 1, 1))
    np.testing.assert_array_equal(np.isfinite(dx2), np.isfinite(rdx))
    np.testing.assert_array_equal(dx2[~np.isfinite(rdx)], rdx[~np.isfinite(rdx)].astype(np.float32))
    # Inf in x reaches dw only through the taps that touch it
    x3 = x.copy()
    x3[0, 0, 0, 0] = np.inf
    dw3 = kernels.conv2d_backprop_filter(x3, np.abs(dy) + 1, w.shape, (1, 1), (1, 1), (1, 1, 1, 1))
    rdw3, _ = ref_dw(x3, np.abs(dy) + 1, w.shape, (1, 1), (1, 1), (1, 1, 1, 1))
    np.testing.assert_array_equal(np.isfinite(dw3), np.isfinite(rdw3))


@pytest.mark.parametrize(
    ("xs", "ws", "s", "mode"),
    [
        ((0, 5, 5, 3), (3, 3, 3, 4), 1, "SAME"),  # N = 0
        ((2, 0, 5, 3), (3, 3, 3, 4), 2, "SAME"),  # H = 0 (SAME: OH = 0)
        ((2, 5, 0, 3), (1, 1, 3, 4), 1, "VALID"),  # W = 0 with a 1x1 filter
        ((2, 5, 5, 0), (3, 3, 0, 4), 1, "SAME"),  # Cin = 0
        ((2, 5, 5, 3), (3, 3, 3, 0), 1, "SAME"),  # Cout = 0
        ((1, 2, 2, 3), (3, 3, 3, 4), 2, "VALID"),  # window overhangs by < stride: OH = 0
    ],
    ids=["n0", "h0", "w0", "cin0", "cout0", "oh0"],
)
def test_empty_tensors(isa: str, xs, ws, s, mode) -> None:
    """TF: empty in -> empty / zero out, never an error. dx of an empty dy is zeros, dw with no
    output pixel is zeros, conv with Cin = 0 is the activation of the bias."""
    x = np.ones(xs, np.float32)
    w = np.ones(ws, np.float32)
    b = np.full(ws[3], -0.5, np.float32)
    y = kernels.conv2d_relu(x, w, b, strides=s, padding=mode, relu=False)
    oh = -(-xs[1] // s) if mode == "SAME" else (xs[1] - ws[0] + s) // s
    ow = -(-xs[2] // s) if mode == "SAME" else (xs[2] - ws[1] + s) // s
    assert y.shape == (xs[0], oh, ow, ws[3])
    if y.size:
        np.testing.assert_array_equal(y, np.broadcast_to(b, y.shape))  # Cin = 0: bias only
        assert (kernels.conv2d_relu(x, w, b, strides=s, padding=mode) == 0).all()  # relu(-0.5)
    dy = np.ones(y.shape, np.float32)
    dx = kernels.conv2d_backprop_input(dy, w, xs, s, 1, mode)
    assert dx.shape == xs and not dx.any()
    dbias = np.full(ws[3], 9.0, np.float32)
    dw = kernels.conv2d_backprop_filter(x, dy, ws, s, 1, mode, bias_out=dbias)
    assert dw.shape == ws
    if xs[3] == 0 or xs[0] * oh * ow == 0:
        assert not dw.any()
    np.testing.assert_array_equal(dbias, dy.sum((0, 1, 2)))
    np.testing.assert_array_equal(kernels.bias_add_grad(dy), dy.sum((0, 1, 2)))


def test_negative_output_size_is_tf_error() -> None:
    with pytest.raises(ValueError, match=r"Computed output size would be negative: -1 \[input_size: 1"):
        kernels.conv2d_backprop_input(np.ones((1, 1, 1, 2), np.float32), np.ones((3, 3, 2, 2), np.float32), (1, 1, 1, 2))


def test_bias_add_grad_accumulation_and_shapes(isa: str, threads: None) -> None:
    rng = np.random.default_rng(0)
    dy = (rng.standard_normal((3, 300, 257, 5)) + 0.1).astype(np.float32)  # 231k rows
    ref = dy.astype(np.float64).sum((0, 1, 2))
    for t in (1, 2):
        kernels.set_num_threads(t)
        got = kernels.bias_add_grad(dy)
        # blocked + pairwise float32 sums: a few ulp (one float32 running sum is off by ~1e-5)
        np.testing.assert_allclose(got, ref, rtol=3e-7)
    kernels.set_num_threads(1)
    g1 = kernels.bias_add_grad(dy)
    kernels.set_num_threads(2)
    np.testing.assert_array_equal(g1, kernels.bias_add_grad(dy))  # deterministic
    # any rank >= 2 (TF: sum over all but the last axis); C not a multiple of the vector width
    d2 = rng.standard_normal((7, 70)).astype(np.float32)
    np.testing.assert_allclose(kernels.bias_add_grad(d2), d2.astype(np.float64).sum(0), atol=1e-5)
    out = np.empty(70, np.float32)
    assert kernels.bias_add_grad(d2, out=out) is out


def test_one_and_two_threads_identical(isa: str, threads: None) -> None:
    case = (3, 20, 23, 19, 3, 3, 70, (2, 1), (1, 1), (1, 1, 1, 1))
    x, w, dy, y = _data(case, seed=5)
    res = []
    for t in (1, 2):
        kernels.set_num_threads(t)
        db = np.empty(70, np.float32)
        res.append(
            (
                kernels.conv2d_backprop_input(dy, w, x.shape, (2, 1), 1, (1, 1, 1, 1), y=y, alpha=0.2),
                kernels.conv2d_backprop_filter(x, dy, w.shape, (2, 1), 1, (1, 1, 1, 1), y=y, bias_out=db),
                db,
            )
        )
    for a, b in zip(res[0], res[1], strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    ("xs", "ws", "s", "mode"),
    [
        ((16, 64, 64, 3), (5, 5, 3, 64), 2, "SAME"),
        ((16, 32, 32, 64), (5, 5, 64, 128), 2, "SAME"),
        ((4, 16, 16, 128), (5, 5, 128, 256), 2, "SAME"),
        ((4, 8, 8, 256), (5, 5, 256, 64), 2, "SAME"),
        ((2, 14, 14, 64), (3, 3, 64, 64), 1, "SAME"),
    ],
    ids=["dcgan_d1", "dcgan_d2", "dcgan_d3", "dcgan_d4_cut", "res_3x3"],
)
def test_dcgan_shapes(isa: str, xs, ws, s, mode) -> None:
    flops = 2 * np.prod(xs) / (s * s) * np.prod(ws) / xs[3]
    if isa == "scalar" and flops > 3e8:
        pytest.skip("large shape: the scalar path is covered by the smaller cases")
    rng = np.random.default_rng(7)
    x = rng.uniform(-1, 1, xs).astype(np.float32)
    w = (rng.uniform(-1, 1, ws) / np.sqrt(ws[0] * ws[1] * ws[2])).astype(np.float32)
    pads = (*same_pad(xs[1], ws[0], s, 1), *same_pad(xs[2], ws[1], s, 1))
    oh, ow = -(-xs[1] // s), -(-xs[2] // s)
    dy = rng.uniform(-1, 1, (xs[0], oh, ow, ws[3])).astype(np.float32)
    yact = rng.uniform(-1, 1, dy.shape).astype(np.float32)
    m = mask(dy, yact, 0.2)
    dx = kernels.conv2d_backprop_input(dy, w, xs, s, 1, mode, y=yact, alpha=0.2)
    db = np.empty(ws[3], np.float32)
    dw = kernels.conv2d_backprop_filter(x, dy, ws, s, 1, mode, y=yact, alpha=0.2, bias_out=db)
    assert_close(dx, *ref_dx(m, w, xs, (s, s), (1, 1), pads), "dx")
    assert_close(dw, *ref_dw(x, m, ws, (s, s), (1, 1), pads), "dw")
    assert_close(db, m.astype(np.float64).sum((0, 1, 2)), np.abs(m).astype(np.float64).sum((0, 1, 2)), "db")


def test_out_arguments_and_bad_input() -> None:
    x = np.ones((1, 6, 6, 4), np.float32)
    w = np.ones((3, 3, 4, 5), np.float32)
    dy = np.ones((1, 4, 4, 5), np.float32)
    out = np.full((1, 6, 6, 4), np.nan, np.float32)
    assert kernels.conv2d_backprop_input(dy, w, x.shape, out=out) is out
    assert np.isfinite(out).all()
    dwo = np.full(w.shape, np.nan, np.float32)
    assert kernels.conv2d_backprop_filter(x, dy, w.shape, out=dwo) is dwo
    np.testing.assert_array_equal(dwo, np.full(w.shape, 16.0))
    cases = [
        (lambda: kernels.conv2d_backprop_input(dy, w, (1, 6, 6, 4), out=np.zeros((1, 6, 6, 5), np.float32)),
         ValueError, r"out must have shape \(1, 6, 6, 4\)"),
        (lambda: kernels.conv2d_backprop_input(dy, w, (1, 6, 6, 4), out=np.zeros((1, 6, 6, 4))),
         TypeError, "float32"),
        (lambda: kernels.conv2d_backprop_input(dy, w, (1, 7, 6, 4)), ValueError,
         r"Conv2DBackpropInput: Size of out_backprop doesn't match computed: actual = 4, computed = 5"),
        (lambda: kernels.conv2d_backprop_input(dy, w, (2, 6, 6, 4)), ValueError, "same batch size"),
        (lambda: kernels.conv2d_backprop_input(dy, w, (1, 6, 6, 3)), ValueError, "do not match filter in_channels"),
        (lambda: kernels.conv2d_backprop_input(dy[..., :4], w, (1, 6, 6, 4)), ValueError, "same out_depth"),
        (lambda: kernels.conv2d_backprop_input(dy, w, (1, 6, 6)), ValueError, "input_shape must have 4"),
        (lambda: kernels.conv2d_backprop_input(dy, w, "abcd"), TypeError, "input_shape must be a sequence"),
        (lambda: kernels.conv2d_backprop_input(dy, w, (1, -6, 6, 4)), ValueError, "non-negative"),
        (lambda: kernels.conv2d_backprop_input(dy, w, x.shape, y=np.ones((1, 4, 4, 4), np.float32)),
         ValueError, "y must have the shape of dy"),
        (lambda: kernels.conv2d_backprop_input(dy, w, x.shape, alpha=float("nan")), ValueError, "alpha"),
        (lambda: kernels.conv2d_backprop_input(dy[0], w, x.shape), ValueError, "dy must be 4-D"),
        (lambda: kernels.conv2d_backprop_input(dy, w, x.shape, strides=0), ValueError, "strides must be positive"),
        (lambda: kernels.conv2d_backprop_input(dy, w, x.shape, padding="FULL"), ValueError, "padding must be"),
        (lambda: kernels.conv2d_backprop_input(None, w, x.shape), TypeError, "dy must be an array"),
        (lambda: kernels.conv2d_backprop_filter(x, dy, (3, 3, 4, 6)), ValueError, "same out_depth"),
        (lambda: kernels.conv2d_backprop_filter(x, dy, (3, 3, 5, 5)), ValueError, "filter_shape in_channels"),
        (lambda: kernels.conv2d_backprop_filter(x, dy, (0, 3, 4, 5)), ValueError, "filter height and width"),
        (lambda: kernels.conv2d_backprop_filter(x, dy, w.shape, bias_out=np.zeros(4, np.float32)),
         ValueError, r"bias_out must have shape \(5,\)"),
        (lambda: kernels.conv2d_backprop_filter(x, dy, w.shape, out=dy), ValueError, "out must have shape"),
        (lambda: kernels.bias_add_grad(np.ones(3, np.float32)), ValueError, "at least 2-D"),
        (lambda: kernels.bias_add_grad(dy, masked_out=np.zeros((1, 4, 4, 4), np.float32)), ValueError,
         "masked_out must have shape"),
        (lambda: kernels.bias_add_grad(dy, out=dy.reshape(-1)[:5]), ValueError, "share memory"),
    ]
    for fn, exc, match in cases:
        with pytest.raises(exc, match=match):
            fn()


def test_gil_released_and_concurrent_calls(threads: None) -> None:
    kernels.set_num_threads(2)
    case = (2, 24, 24, 16, 3, 3, 32, (1, 1), (1, 1), (1, 1, 1, 1))
    x, w, dy, y = _data(case, seed=1)
    want_dx = kernels.conv2d_backprop_input(dy, w, x.shape, 1, 1, 1, y=y)
    want_dw = kernels.conv2d_backprop_filter(x, dy, w.shape, 1, 1, 1, y=y)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(10):
                np.testing.assert_array_equal(kernels.conv2d_backprop_input(dy, w, x.shape, 1, 1, 1, y=y), want_dx)
                np.testing.assert_array_equal(kernels.conv2d_backprop_filter(x, dy, w.shape, 1, 1, 1, y=y), want_dw)
        except BaseException as e:  # noqa: BLE001 - reported by the assert below
            errors.append(e)

    ts = [threading.Thread(target=worker) for _ in range(3)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors


@st.composite
def problems(draw):
    kh, kw = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    dh, dw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    pads = tuple(draw(st.integers(0, 3)) for _ in range(4))
    h = draw(st.integers(max(1, (kh - 1) * dh + 1 - pads[0] - pads[1]), 12))
    w = draw(st.integers(max(1, (kw - 1) * dw + 1 - pads[2] - pads[3]), 20))
    return (
        (draw(st.integers(1, 2)), h, w, draw(st.integers(1, 20)), kh, kw, draw(st.integers(1, 70)),
         (sh, sw), (dh, dw), pads),
        draw(st.sampled_from([None, 0.0, 0.2])),
        draw(st.integers(0, 2**31)),
    )


@settings(max_examples=50, deadline=None, derandomize=True, database=None)
@given(problems())
def test_all_isas_agree(problem) -> None:
    case, alpha, seed = problem
    _, _, _, _, _, _, _, s, d, p = case
    x, w, dy, y = _data(case, seed)
    kw = {} if alpha is None else {"y": y, "alpha": alpha}
    m = dy if alpha is None else mask(dy, y, alpha)
    rdx, mdx = ref_dx(m, w, x.shape, s, d, p)
    rdw, mdw = ref_dw(x, m, w.shape, s, d, p)
    try:
        for name in kernels.supported_isas():
            kernels.force_isa(name)
            assert_close(kernels.conv2d_backprop_input(dy, w, x.shape, s, d, p, **kw), rdx, mdx, f"dx {name}")
            assert_close(kernels.conv2d_backprop_filter(x, dy, w.shape, s, d, p, **kw), rdw, mdw, f"dw {name}")
    finally:
        kernels.reset_isa()
