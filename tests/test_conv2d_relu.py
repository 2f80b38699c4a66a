"""varstore._core.kernels.conv2d_relu on every ISA vs a NumPy reference and the scalar path."""

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
    from _kernel_fixtures import (
        assert_close,
        isa,
        isa_skip_reason,
        reference_conv,
        same_pad,
        threads,
    )
except ImportError:  # --import-mode=importlib: the tests folder is not on sys.path
    sys.path.insert(0, os.path.dirname(__file__))
    from _kernel_fixtures import (
        assert_close,
        isa,  # noqa: F401  (fixture)
        isa_skip_reason,
        reference_conv,
        same_pad,
        threads,  # noqa: F401  (fixture)
    )

# (N, H, W, Cin, KH, KW, Cout, strides, dilations, padding, bias, relu)
CASES = [
    # widths below / equal to / above the register tiles (6, 8, 12) and tails of 8/16/64 channels
    (1, 5, 1, 3, 3, 3, 8, (1, 1), (1, 1), (1, 1, 1, 1), True, True),
    (1, 4, 5, 2, 1, 1, 7, (1, 1), (1, 1), (0, 0, 0, 0), True, True),
    (2, 6, 6, 5, 3, 3, 16, (1, 1), (1, 1), (1, 1, 1, 1), True, True),
    (1, 7, 7, 16, 3, 3, 17, (1, 1), (1, 1), (0, 0, 0, 0), False, True),
    (1, 8, 8, 17, 3, 3, 33, (1, 1), (1, 1), (1, 1, 1, 1), True, False),
    (1, 9, 12, 8, 3, 3, 48, (1, 1), (1, 1), (1, 1, 1, 1), True, True),
    (1, 6, 13, 7, 3, 3, 64, (1, 1), (1, 1), (1, 1, 1, 1), True, True),
    (2, 5, 25, 9, 3, 3, 65, (1, 1), (1, 1), (1, 1, 1, 1), True, True),
    (1, 6, 14, 4, 3, 3, 130, (1, 1), (1, 1), (1, 1, 1, 1), True, True),
    (1, 4, 31, 3, 3, 3, 96, (2, 2), (1, 1), (0, 1, 0, 1), True, True),
    # strides, dilations, asymmetric / large padding
    (2, 11, 11, 6, 3, 3, 24, (2, 2), (1, 1), (1, 1, 1, 1), True, True),
    (1, 12, 12, 5, 3, 3, 20, (1, 1), (2, 2), (2, 2, 2, 2), True, True),
    (1, 13, 9, 4, 3, 2, 12, (2, 1), (1, 3), (0, 2, 3, 1), True, True),
    (1, 3, 3, 4, 3, 3, 20, (1, 1), (1, 1), (4, 4, 4, 4), True, True),  # all-padding pixels
    (1, 10, 10, 3, 5, 5, 31, (3, 3), (1, 1), (2, 2, 2, 2), True, True),
    # 1x1 (GEMM path and strided / padded variants), 5x5, 7x7, Cin = 1 and 3
    (2, 7, 9, 64, 1, 1, 256, (1, 1), (1, 1), (0, 0, 0, 0), True, True),
    (1, 9, 9, 10, 1, 1, 19, (2, 2), (1, 1), (1, 0, 0, 1), True, True),
    (1, 12, 12, 32, 5, 5, 32, (1, 1), (1, 1), (2, 2, 2, 2), True, True),
    (2, 17, 17, 3, 7, 7, 64, (2, 2), (1, 1), (2, 3, 2, 3), True, True),
    (1, 16, 16, 1, 3, 3, 16, (1, 1), (1, 1), (1, 1, 1, 1), True, True),
    (1, 16, 20, 1, 5, 5, 5, (1, 1), (1, 1), (0, 0, 0, 0), False, False),
    (3, 8, 8, 16, 3, 3, 16, (1, 1), (1, 1), (1, 1, 1, 1), True, True),
    (1, 11, 11, 64, 3, 3, 128, (2, 2), (1, 1), (0, 0, 0, 0), False, True),
    (1, 10, 10, 32, 3, 3, 32, (1, 1), (2, 2), (2, 2, 2, 2), True, True),
]


def _ids(case: tuple) -> str:
    n, h, w, ci, kh, kw, co, s, d, p, b, r = case
    return f"n{n}_{h}x{w}x{ci}_k{kh}x{kw}_co{co}_s{s[0]}{s[1]}_d{d[0]}{d[1]}_p{''.join(map(str, p))}_{'b' if b else ''}{'r' if r else ''}"


def _data(case: tuple, seed: int = 0, shift: float = 0.0):
    n, h, w, ci, kh, kw, co, *_ = case
    rng = np.random.default_rng(seed)
    x = (rng.uniform(-1, 1, (n, h, w, ci)) + shift).astype(np.float32)
    wt = rng.uniform(-1, 1, (kh, kw, ci, co)).astype(np.float32)
    b = (rng.uniform(-1, 1, co) + shift).astype(np.float32)
    return x, wt, b


def _scalar_result(*args, **kwargs) -> np.ndarray:
    current = kernels.active_isa()
    kernels.force_isa("scalar")
    try:
        return kernels.conv2d_relu(*args, **kwargs)
    finally:
        kernels.force_isa(current)


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_matches_reference_and_scalar(isa: str, case: tuple) -> None:
    _, _, _, _, _, _, _, s, d, p, use_bias, relu = case
    x, w, b = _data(case, seed=len(_ids(case)))
    bias = b if use_bias else None
    y = kernels.conv2d_relu(x, w, bias, strides=s, dilations=d, padding=p, relu=relu)
    assert kernels.active_isa() == isa
    ref, mag = reference_conv(x, w, bias, s, d, p, relu)
    assert_close(y, ref, mag)
    assert y.flags.c_contiguous
    ys = _scalar_result(x, w, bias, strides=s, dilations=d, padding=p, relu=relu)
    assert_close(y, ys.astype(np.float64), mag)
    # packed filter gives the same values
    yp = kernels.conv2d_relu(
        x, kernels.PackedFilter(w), bias, strides=s, dilations=d, padding=p, relu=relu
    )
    np.testing.assert_array_equal(yp, y)


@pytest.mark.parametrize("mode", ["SAME", "VALID"])
@pytest.mark.parametrize(
    ("hw", "k", "s", "d"),
    [
        ((224 // 8, 224 // 8), 7, 2, 1),
        ((32, 31), 5, 1, 1),
        ((17, 16), 3, 2, 1),
        ((20, 20), 3, 1, 2),
        ((9, 9), 4, 3, 1),
    ],
)
def test_same_and_valid_padding(
    isa: str, mode: str, hw: tuple[int, int], k: int, s: int, d: int
) -> None:
    h, w = hw
    case = (1, h, w, 3, k, k, 16, (s, s), (d, d), None, True, True)
    x, wt, b = _data(case)
    y = kernels.conv2d_relu(x, wt, b, strides=(s, s), dilations=(d, d), padding=mode)
    pad = (*same_pad(h, k, s, d), *same_pad(w, k, s, d)) if mode == "SAME" else (0, 0, 0, 0)
    if mode == "SAME":
        assert y.shape[1:3] == (-(-h // s), -(-w // s))
        assert kernels.same_padding(h, k, s, d) == same_pad(h, k, s, d)
    ref, mag = reference_conv(x, wt, b, (s, s), (d, d), pad)
    assert_close(y, ref, mag)


def test_same_padding_is_tf_split() -> None:
    assert kernels.same_padding(224, 7, 2) == (2, 3)
    assert kernels.same_padding(32, 5, 1) == (2, 2)
    assert kernels.same_padding(64, 3, 1, 2) == (2, 2)
    assert kernels.same_padding(56, 1, 2) == (0, 0)
    assert kernels.output_size(224, 7, 2, 1, 2, 3) == 112


def test_all_negative_input_clamps_to_zero(isa: str) -> None:
    case = (2, 9, 10, 5, 3, 3, 37, (1, 1), (1, 1), (1, 1, 1, 1), True, True)
    x, w, b = _data(case, shift=-3.0)  # x, b in [-4, -2]
    w = np.abs(w)  # every product negative
    y = kernels.conv2d_relu(x, w, b, padding=(1, 1, 1, 1))
    assert not y.any()
    assert not np.signbit(y).any()  # +0.0, not -0.0
    y_lin = kernels.conv2d_relu(x, w, b, padding=(1, 1, 1, 1), relu=False)
    assert (y_lin < 0).all()


def test_one_and_two_threads_identical(isa: str, threads: None) -> None:
    case = (2, 20, 23, 19, 3, 3, 70, (1, 1), (1, 1), (1, 1, 1, 1), True, True)
    x, w, b = _data(case)
    kernels.set_num_threads(1)
    y1 = kernels.conv2d_relu(x, w, b, padding=(1, 1, 1, 1))
    kernels.set_num_threads(2)
    y2 = kernels.conv2d_relu(x, w, b, padding=(1, 1, 1, 1))
    np.testing.assert_array_equal(y1, y2)


def test_pointwise_many_pixels_two_threads(isa: str, threads: None) -> None:
    kernels.set_num_threads(2)
    case = (1, 30, 31, 24, 1, 1, 40, (1, 1), (1, 1), (0, 0, 0, 0), True, True)
    x, w, b = _data(case)
    ref, mag = reference_conv(x, w, b)
    assert_close(kernels.conv2d_relu(x, w, b), ref, mag)


def test_noncontiguous_and_float64_inputs_are_converted(isa: str) -> None:
    case = (2, 8, 9, 6, 3, 3, 10, (1, 1), (1, 1), (0, 0, 0, 0), True, True)
    x, w, b = _data(case)
    ref, mag = reference_conv(x, w, b)
    big = np.zeros((2, 16, 9, 6), np.float32)
    big[:, ::2] = x
    xs = big[:, ::2]
    assert not xs.flags.c_contiguous
    assert_close(kernels.conv2d_relu(xs, w, b), ref, mag)
    assert_close(
        kernels.conv2d_relu(x.astype(np.float64), np.asfortranarray(w), list(b.astype(np.float64))),
        ref,
        mag,
    )
    xf = np.asfortranarray(x)
    assert_close(kernels.conv2d_relu(xf, w, b), ref, mag)


def test_misaligned_buffers(isa: str) -> None:
    case = (1, 7, 10, 5, 3, 3, 21, (1, 1), (1, 1), (1, 1, 1, 1), True, True)
    x, w, b = _data(case)
    buf = np.zeros(x.size + 1, np.float32)
    xm = buf[1:].reshape(x.shape)
    xm[...] = x
    assert xm.ctypes.data % 16 != 0
    ref, mag = reference_conv(x, w, b, padding=(1, 1, 1, 1))
    assert_close(kernels.conv2d_relu(xm, w, b, padding=(1, 1, 1, 1)), ref, mag)


def test_out_argument(isa: str) -> None:
    case = (1, 6, 6, 4, 3, 3, 9, (1, 1), (1, 1), (0, 0, 0, 0), True, True)
    x, w, b = _data(case)
    out = np.full((1, 4, 4, 9), np.nan, np.float32)
    res = kernels.conv2d_relu(x, w, b, out=out)
    assert res is out
    ref, mag = reference_conv(x, w, b)
    assert_close(out, ref, mag)
    with pytest.raises(ValueError, match="out must have shape"):
        kernels.conv2d_relu(x, w, b, out=np.zeros((1, 4, 4, 8), np.float32))
    with pytest.raises(TypeError, match="float32"):
        kernels.conv2d_relu(x, w, b, out=np.zeros((1, 4, 4, 9), np.float64))
    with pytest.raises(ValueError, match="C-contiguous"):
        kernels.conv2d_relu(x, w, b, out=np.zeros((1, 4, 4, 18), np.float32)[..., ::2])
    alias = np.zeros(4 * 4 * 9 + x.size, np.float32)
    xa = alias[: x.size].reshape(x.shape)
    xa[...] = x
    with pytest.raises(ValueError, match="share memory"):
        kernels.conv2d_relu(xa, w, b, out=alias[x.size - 9 :][: 4 * 4 * 9].reshape(1, 4, 4, 9))


def test_packed_filter() -> None:
    w = np.arange(3 * 3 * 4 * 70, dtype=np.float32).reshape(3, 3, 4, 70) / 1000
    pf = kernels.PackedFilter(w)
    assert pf.shape == (3, 3, 4, 70)
    assert "PackedFilter" in repr(pf)
    x = np.random.default_rng(1).uniform(-1, 1, (1, 5, 5, 4)).astype(np.float32)
    np.testing.assert_array_equal(kernels.conv2d_relu(x, pf), kernels.conv2d_relu(x, w))
    w[...] = 0  # the packed copy does not follow the array
    assert kernels.conv2d_relu(x, pf).any()
    with pytest.raises(ValueError, match="in_channels"):
        kernels.conv2d_relu(np.ones((1, 5, 5, 3), np.float32), pf)
    with pytest.raises(ValueError, match="4-D"):
        kernels.PackedFilter(np.ones((3, 3, 4), np.float32))


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"x": np.ones((5, 5, 3), np.float32)}, ValueError, r"input must be 4-D"),
        (
            {"w": np.ones((3, 3, 4, 8), np.float32)},
            ValueError,
            r"input channels \(3\) do not match filter in_channels \(4\)",
        ),
        ({"w": np.ones((3, 3, 3), np.float32)}, ValueError, r"filter must be 4-D"),
        (
            {"bias": np.ones(7, np.float32)},
            ValueError,
            r"bias must be 1-D of length out_channels \(8\)",
        ),
        ({"bias": np.ones((1, 8), np.float32)}, ValueError, r"bias must be 1-D"),
        ({"strides": (0, 1)}, ValueError, r"strides must be positive"),
        ({"strides": (1, 2, 3)}, ValueError, r"strides must be"),
        ({"dilations": (1, -1)}, ValueError, r"dilations must be positive"),
        ({"padding": (0, -1, 0, 0)}, ValueError, r"padding must be non-negative"),
        ({"padding": (0, 1, 0)}, ValueError, r"padding must be"),
        ({"padding": "FULL"}, ValueError, r"padding must be 'SAME', 'VALID'"),
        (
            {"w": np.ones((7, 7, 3, 8), np.float32)},
            ValueError,
            r"Computed output size would be negative: -1 \[input_size: 5, effective_filter_size: 7",
        ),
        ({"w": np.ones((0, 3, 3, 8), np.float32)}, ValueError, r"filter height and width"),
        ({"activation": "gelu"}, ValueError, r"activation must be 'none', 'relu' or 'leaky_relu'"),
        ({"activation": 1}, TypeError, r"activation must be None or a str"),
        ({"x": "not an array"}, TypeError, r"input must be a float32 array"),
        ({"x": None}, TypeError, r"input must be an array"),
        ({"w": np.array([["a"]])}, TypeError, r"filter must be a float32 array"),
        ({"strides": (1.5, 1)}, TypeError, r"strides must be integers"),
    ],
)
def test_bad_arguments_raise(kwargs: dict, exc: type, match: str) -> None:
    args = {
        "x": np.ones((1, 5, 5, 3), np.float32),
        "w": np.ones((3, 3, 3, 8), np.float32),
        "bias": None,
    }
    args.update(kwargs)
    with pytest.raises(exc, match=match):
        kernels.conv2d_relu(**args)


def test_concurrent_calls_from_python_threads(threads: None) -> None:
    """The GIL is released; a call made while the pool is busy runs on its own thread."""
    kernels.set_num_threads(2)
    case = (2, 24, 24, 16, 3, 3, 32, (1, 1), (1, 1), (1, 1, 1, 1), True, True)
    x, w, b = _data(case)
    expected = kernels.conv2d_relu(x, w, b, padding=(1, 1, 1, 1))
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(20):
                np.testing.assert_array_equal(
                    kernels.conv2d_relu(x, w, b, padding=(1, 1, 1, 1)), expected
                )
        except BaseException as e:  # noqa: BLE001 - reported by the assert below
            errors.append(e)

    ts = [threading.Thread(target=worker) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors


ISSUE_SHAPES = [
    # the benchmark table of issue 3 (batch 16 cut to 2 to keep the NumPy reference quick)
    ((1, 32, 32, 32), (5, 5, 32, 32), (1, 1), (1, 1), "SAME"),
    ((2, 64, 64, 32), (5, 5, 32, 32), (1, 1), (1, 1), "SAME"),
    ((1, 56, 56, 64), (3, 3, 64, 64), (1, 1), (1, 1), "SAME"),
    ((1, 28, 28, 128), (3, 3, 128, 128), (1, 1), (1, 1), "SAME"),
    ((1, 56, 56, 64), (1, 1, 64, 256), (1, 1), (1, 1), "SAME"),
    ((1, 224, 224, 3), (7, 7, 3, 64), (2, 2), (1, 1), "SAME"),
    ((8, 32, 32, 16), (3, 3, 16, 16), (1, 1), (1, 1), "SAME"),
    ((1, 64, 64, 32), (3, 3, 32, 32), (1, 1), (2, 2), "SAME"),
    ((1, 56, 56, 64), (3, 3, 64, 128), (2, 2), (1, 1), "VALID"),
]


@pytest.mark.parametrize(
    ("xs", "ws", "s", "d", "mode"), ISSUE_SHAPES, ids=lambda v: str(v).replace(" ", "")
)
def test_issue_shapes(isa: str, xs, ws, s, d, mode) -> None:
    flops = 2 * np.prod(xs) / (s[0] * s[1]) * np.prod(ws) / xs[3]
    if isa == "scalar" and flops > 4e8:
        pytest.skip("large shape: the scalar path is covered by the smaller cases")
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 1, xs).astype(np.float32)
    w = rng.uniform(-1, 1, ws).astype(np.float32) / np.sqrt(ws[0] * ws[1] * ws[2])
    b = rng.uniform(-0.5, 0.5, ws[3]).astype(np.float32)
    y = kernels.conv2d_relu(x, w, b, strides=s, dilations=d, padding=mode)
    pad = (
        (*same_pad(xs[1], ws[0], s[0], d[0]), *same_pad(xs[2], ws[1], s[1], d[1]))
        if mode == "SAME"
        else (0, 0, 0, 0)
    )
    ref, mag = reference_conv(x, w, b, s, d, pad)
    assert_close(y, ref, mag)


@st.composite
def conv_problems(draw):
    n = draw(st.integers(1, 2))
    kh = draw(st.integers(1, 5))
    kw = draw(st.integers(1, 5))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    dh, dw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    pads = tuple(draw(st.integers(0, 3)) for _ in range(4))
    h = draw(st.integers(max(1, (kh - 1) * dh + 1 - pads[0] - pads[1]), 14))
    w = draw(st.integers(max(1, (kw - 1) * dw + 1 - pads[2] - pads[3]), 30))
    cin = draw(st.integers(1, 20))
    cout = draw(st.integers(1, 80))
    seed = draw(st.integers(0, 2**31))
    return (
        n,
        h,
        w,
        cin,
        kh,
        kw,
        cout,
        (sh, sw),
        (dh, dw),
        pads,
        draw(st.booleans()),
        draw(st.booleans()),
        seed,
    )


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(conv_problems())
def test_all_isas_agree(problem) -> None:
    *case, seed = problem
    case = tuple(case)
    _, _, _, _, _, _, _, s, d, p, use_bias, relu = case
    x, w, b = _data(case, seed=seed)
    bias = b if use_bias else None
    ref, mag = reference_conv(x, w, bias, s, d, p, relu)
    results = {}
    try:
        for name in kernels.supported_isas():
            kernels.force_isa(name)
            results[name] = kernels.conv2d_relu(
                x, w, bias, strides=s, dilations=d, padding=p, relu=relu
            )
    finally:
        kernels.reset_isa()
    for y in results.values():
        assert_close(y, ref, mag)
        assert_close(y, results["scalar"].astype(np.float64), mag)


def test_isa_fixture_skip_reason_text() -> None:
    assert isa_skip_reason("scalar") is None


def test_gil_is_released_during_the_kernel(threads: None) -> None:
    """A long call (scalar path, ~0.1-0.3 s) must not stall another Python thread."""
    import time

    kernels.set_num_threads(1)
    x = np.ones((4, 64, 64, 32), np.float32)
    w = np.full((5, 5, 32, 32), 0.01, np.float32)
    kernels.force_isa("scalar")
    try:
        done = threading.Event()
        duration: list[float] = []

        def run() -> None:
            t0 = time.perf_counter()
            kernels.conv2d_relu(x, w, None, padding="SAME")
            duration.append(time.perf_counter() - t0)
            done.set()

        t = threading.Thread(target=run)
        stamps = [time.perf_counter()]
        t.start()
        while not done.is_set():
            time.sleep(0.001)
            stamps.append(time.perf_counter())
        t.join()
    finally:
        kernels.reset_isa()
    gaps = np.diff(stamps)
    assert len(stamps) > 10
    # with the GIL held for the whole call, one gap would be about as long as the call itself
    assert gaps.max() < 0.5 * duration[0], (gaps.max(), duration[0])


_JUNK = [
    None,
    0,
    -1,
    1.5,
    2**70,
    -(2**70),
    "SAME",
    "x",
    (),
    (1,),
    (1, 2),
    (0, 0, 0, 0),
    (1, 2, 3),
    [2**40, 1],
    (True, 1),
    np.int64(2),
    np.float32(1),
    object(),
    np.ones(3),
    np.ones((2, 2)),
]


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(
    st.sampled_from(_JUNK),
    st.sampled_from(_JUNK),
    st.sampled_from(_JUNK),
    st.booleans(),
    st.sampled_from([(1, 5, 5, 3), (1, 1, 1, 1), (2, 3, 4, 2), (1, 5, 5), (0, 5, 5, 3)]),
    st.sampled_from([(3, 3, 3, 4), (1, 1, 1, 1), (5, 5, 3, 2), (3, 3, 2, 4), (3, 3, 3, 0)]),
    st.sampled_from([None, 4, 1, 2]),
)
def test_junk_arguments_raise_cleanly(strides, dilations, padding, relu, xs, ws, nb) -> None:
    """Arbitrary argument junk gives a result or TypeError/ValueError, never a crash."""
    x = np.ones(xs, np.float32)
    w = np.ones(ws, np.float32)
    b = None if nb is None else np.ones(nb, np.float32)
    try:
        y = kernels.conv2d_relu(
            x, w, b, strides=strides, dilations=dilations, padding=padding, relu=relu
        )
    except (TypeError, ValueError):
        return
    assert y.dtype == np.float32 and y.ndim == 4
    if x.size == 0 or w.size == 0:  # TF: empty tensors give empty / bias-only results
        assert y.shape[0] == x.shape[0] and y.shape[3] == w.shape[3]


def test_numpy_array_arguments_are_held_while_read() -> None:
    """Items of a NumPy array are created on access: the binding must own them while it reads
    them (a dangling handle here corrupted the heap; found by the junk-argument fuzz test)."""
    x = np.ones((1, 5, 5, 3), np.float32)
    w = np.ones((3, 3, 3, 4), np.float32)
    for _ in range(300):
        y = kernels.conv2d_relu(x, w, None, strides=np.array([1, 1]),
                                dilations=np.array([1, 1]), padding=np.array([1, 1, 1, 1]))
        assert y.shape == (1, 5, 5, 4)
        with pytest.raises(TypeError, match="padding must be integers"):
            kernels.conv2d_relu(x, w, None, padding=np.ones(3))


@pytest.mark.parametrize("alpha", [0.2, 0.0, 1.5, -0.3], ids=["a0.2", "a0", "a1.5", "a-0.3"])
@pytest.mark.parametrize("case", [CASES[2], CASES[9], CASES[18]], ids=_ids)
def test_leaky_relu_activation(isa: str, case: tuple, alpha: float) -> None:
    """activation='leaky_relu' is TF's LeakyRelu: v > 0 ? v : alpha * v (any alpha)."""
    _, _, _, _, _, _, _, s, d, p, _, _ = case
    x, w, b = _data(case, seed=2)
    y = kernels.conv2d_relu(x, w, b, strides=s, dilations=d, padding=p, activation="leaky_relu", alpha=alpha)
    lin, mag = reference_conv(x, w, b, s, d, p, relu=False)
    assert_close(y, np.where(lin > 0, lin, alpha * lin), mag * max(1.0, abs(alpha)))
    ys = _scalar_result(x, w, b, strides=s, dilations=d, padding=p, activation="leaky_relu", alpha=alpha)
    assert_close(y, ys.astype(np.float64), mag * max(1.0, abs(alpha)))
    # activation overrides the relu flag; "none" / "relu" by name
    np.testing.assert_array_equal(
        kernels.conv2d_relu(x, w, b, strides=s, dilations=d, padding=p, relu=False, activation="relu"),
        kernels.conv2d_relu(x, w, b, strides=s, dilations=d, padding=p),
    )
    np.testing.assert_array_equal(
        kernels.conv2d_relu(x, w, b, strides=s, dilations=d, padding=p, activation="none"),
        kernels.conv2d_relu(x, w, b, strides=s, dilations=d, padding=p, relu=False),
    )


@pytest.mark.parametrize("activation", ["none", "relu", "leaky_relu"], ids=["none", "relu", "leaky"])
def test_nan_inf_propagate(isa: str, activation: str) -> None:
    """IEEE as TF: NaN / Inf in input, filter or bias reach exactly the outputs that use them,
    and neither activation turns NaN into 0 (vmaxps returns its second source for NaN)."""
    case = (1, 7, 9, 5, 3, 3, 20, (1, 1), (1, 1), (1, 1, 1, 1), True, True)
    x, w, b = _data(case, seed=4)
    pad = (1, 1, 1, 1)

    def run(xx, ww, bb):
        return kernels.conv2d_relu(xx, ww, bb, padding=pad, activation=activation, alpha=0.2)

    def ref(xx, ww, bb):
        with np.errstate(invalid="ignore", over="ignore"):
            lin, _ = reference_conv(xx, ww, bb, (1, 1), (1, 1), pad, relu=False)
            if activation == "relu":
                return np.where(lin < 0, 0.0, lin)  # NaN stays
            if activation == "leaky_relu":
                return np.where(lin > 0, lin, 0.2 * lin)
            return lin

    xn = x.copy()
    xn[0, 3, 4, 2] = np.nan  # an interior input pixel: its 3x3 neighbourhood of outputs
    y = run(xn, w, b)
    want = np.zeros((7, 9), bool)
    want[2:5, 3:6] = True
    np.testing.assert_array_equal(np.isnan(y[0]).all(axis=2), want)
    assert not np.isnan(y[0][~want]).any()
    bn = b.copy()
    bn[7] = np.nan  # a NaN bias: that channel everywhere
    y = run(x, w, bn)
    assert np.isnan(y[..., 7]).all() and not np.isnan(np.delete(y, 7, axis=3)).any()
    xi = x.copy()
    xi[0, 0, 0, :] = np.inf  # an Inf input at the corner
    r = ref(xi, w, b)
    y = run(xi, w, b)
    np.testing.assert_array_equal(np.isnan(y), np.isnan(r))
    np.testing.assert_array_equal(np.isposinf(y), np.isposinf(r))
    np.testing.assert_array_equal(np.isneginf(y), np.isneginf(r))
    wi = w.copy()
    wi[0, 0, 1, 3] = np.inf  # an Inf filter tap over padding: TF's Eigen conv gives 0 * Inf = NaN
    r = ref(x, wi, b)
    for ww in (wi, kernels.PackedFilter(wi)):
        y = run(x, ww, b)
        np.testing.assert_array_equal(np.isnan(y), np.isnan(r))
        np.testing.assert_array_equal(np.isinf(y), np.isinf(r))
    assert np.isnan(r[0, 0, :, 3]).all()  # the top row: the tap (0, 0) lies in the padding
