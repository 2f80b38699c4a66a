"""The 3-D convolution and pooling surface (and the remaining 1-D / 2-D transposes, argmax
pooling and morphology): kernels against brute-force float64 references, gradients against
central differences in float64 (float32 for the pools, TF's only CPU type), static shapes,
errors, and the tf.layers built on them. TF's own values are in the golden set conv3d."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import varstore as tf
from varstore.ops import nn_conv3d_ops, nn_pool3d_ops


def _rand(shape, seed, lo=-1.0, hi=1.0, dtype=np.float64):
    return np.random.RandomState(seed).uniform(lo, hi, shape).astype(dtype)


def _distinct(shape, seed, dtype=np.float32):
    """Values 0.1 apart in a random order: no ties, no kinks within a finite difference."""
    n = int(np.prod(shape))
    return (np.random.RandomState(seed).permutation(n) * 0.1 - n * 0.05).reshape(shape
                                                                               ).astype(dtype)


def _check_grads(build, values, seed=0, eps=1e-6, tol=1e-6):
    """d sum(build(*xs) * c) / d xs, symbolic against central differences."""
    xs = [tf.placeholder(tf.as_dtype(v.dtype), v.shape) for v in values]
    y = build(*xs)
    c = tf.constant(_rand(y.shape.as_list(), seed, dtype=values[0].dtype))
    f = tf.reduce_sum(y * c)
    grads = tf.gradients(f, xs)
    with tf.Session() as s:
        sym = s.run(grads, dict(zip(xs, values)))
        for i, v in enumerate(values):
            num = np.zeros_like(v)
            for idx in np.ndindex(*v.shape):
                hi, lo = v.copy(), v.copy()
                hi[idx] += eps
                lo[idx] -= eps
                feed_hi = dict(zip(xs, values))
                feed_hi[xs[i]] = hi
                feed_lo = dict(zip(xs, values))
                feed_lo[xs[i]] = lo
                num[idx] = (s.run(f, feed_hi) - s.run(f, feed_lo)) / (2 * eps)
            np.testing.assert_allclose(sym[i], num, rtol=tol, atol=tol)


# -- brute-force references --------------------------------------------------------------------
def _ref_conv3d(x, w, strides, dilations, padding):
    """NDHWC x, [d, h, w, in, out] filter: the definition, one output element at a time."""
    n, *spatial, c = x.shape
    ks = w.shape[:3]
    outs, pads = [], []
    for size, k, s, d in zip(spatial, ks, strides, dilations):
        eff = (k - 1) * d + 1
        if padding == "SAME":
            o = -(-size // s)
            total = max((o - 1) * s + eff - size, 0)
            pads.append(total // 2)
        else:
            o = (size - eff) // s + 1
            pads.append(0)
        outs.append(o)
    out = np.zeros((n, *outs, w.shape[4]))
    for b, od, oh, ow in itertools.product(range(n), *map(range, outs)):
        for kd, kh, kw in itertools.product(*map(range, ks)):
            pos = [o * s + k * d - p for o, s, k, d, p in
                   zip((od, oh, ow), strides, (kd, kh, kw), dilations, pads)]
            if all(0 <= p < size for p, size in zip(pos, spatial)):
                out[b, od, oh, ow] += x[b, pos[0], pos[1], pos[2]] @ w[kd, kh, kw]
    return out


def _ref_pool3d(x, k, s, padding, kind):
    n, *spatial, c = x.shape
    outs, pads = [], []
    for size, kk, ss in zip(spatial, k, s):
        if padding == "SAME":
            o = -(-size // ss)
            pads.append(max((o - 1) * ss + kk - size, 0) // 2)
        else:
            o = (size - kk) // ss + 1
            pads.append(0)
        outs.append(o)
    out = np.zeros((n, *outs, c))
    for b, od, oh, ow in itertools.product(range(n), *map(range, outs)):
        lo = [o * ss - p for o, ss, p in zip((od, oh, ow), s, pads)]
        sl = tuple(slice(max(a, 0), min(a + kk, size)) for a, kk, size in zip(lo, k, spatial))
        window = x[b][sl].reshape(-1, c)
        out[b, od, oh, ow] = window.max(0) if kind == "max" else window.mean(0)
    return out


# -- conv3d ----------------------------------------------------------------------------------------
CONV_CASES = [
    ([1, 1, 1, 1, 1], [1, 1, 1, 1, 1], "SAME"),
    ([1, 1, 1, 1, 1], [1, 1, 1, 1, 1], "VALID"),
    ([1, 2, 1, 3, 1], [1, 1, 1, 1, 1], "SAME"),
    ([1, 2, 2, 1, 1], [1, 1, 1, 1, 1], "VALID"),
    ([1, 1, 1, 1, 1], [1, 2, 1, 2, 1], "SAME"),
    ([1, 1, 1, 1, 1], [1, 2, 2, 2, 1], "VALID"),
]


@pytest.mark.parametrize("strides,dilations,padding", CONV_CASES)
def test_conv3d_matches_the_definition(strides, dilations, padding):
    x, w = _rand([2, 5, 6, 7, 3], 1), _rand([2, 3, 2, 3, 4], 2)
    y = tf.nn.conv3d(x, w, strides, padding, dilations=dilations)
    with tf.Session() as s:
        got = s.run(y)
    want = _ref_conv3d(x, w, strides[1:4], dilations[1:4], padding)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    if dilations == [1] * 5:  # (TF's static shape swaps the height and width dilations)
        assert y.shape.as_list() == list(want.shape)


def test_conv3d_ncdhw_is_the_transposed_ndhwc():
    x, w = _rand([2, 4, 5, 6, 3], 3), _rand([2, 2, 3, 3, 2], 4)
    y = tf.nn.conv3d(np.transpose(x, (0, 4, 1, 2, 3)), w, [1, 1, 2, 1, 1], "SAME",
                     data_format="NCDHW", dilations=[1, 1, 1, 1, 2])
    with tf.Session() as s:
        got = s.run(y)
    want = _ref_conv3d(x, w, [2, 1, 1], [1, 1, 2], "SAME")
    np.testing.assert_allclose(got, np.transpose(want, (0, 4, 1, 2, 3)), atol=1e-12)


def test_conv3d_static_shape_keeps_tfs_swapped_dilations():
    x = tf.placeholder(tf.float32, [1, 5, 8, 9, 3])
    w = tf.ones([2, 3, 2, 3, 4])
    # height dilation 2: TF infers the height with the width's dilation and vice versa
    assert tf.nn.conv3d(x, w, [1] * 5, "VALID", dilations=[1, 1, 2, 1, 1]).shape.as_list() \
        == [1, 4, 6, 7, 4]
    # tf.nn.convolution (TF: SpaceToBatchND around the conv) infers the true shape
    assert tf.nn.convolution(x, w, "VALID", dilation_rate=[1, 2, 1]).shape.as_list() \
        == [1, 4, 4, 8, 4]


@pytest.mark.parametrize("strides,dilations,padding", CONV_CASES[1:5])
def test_conv3d_gradients_float64(strides, dilations, padding):
    x, w = _rand([1, 3, 4, 4, 2], 5), _rand([2, 2, 3, 2, 2], 6)
    _check_grads(lambda a, b: tf.nn.conv3d(a, b, strides, padding, dilations=dilations),
                 [x, w])


def test_conv3d_gradients_ncdhw():
    x, w = _rand([1, 2, 3, 4, 4], 7), _rand([2, 3, 2, 2, 3], 8)
    _check_grads(lambda a, b: tf.nn.conv3d(a, b, [1, 1, 1, 2, 1], "SAME",
                                           data_format="NCDHW"), [x, w])


def test_conv3d_second_order_gradients():
    # through Conv3DBackpropInputV2's and Conv3DBackpropFilterV2's own gradients
    x, w = _rand([1, 3, 4, 3, 2], 9), _rand([2, 2, 2, 2, 2], 10)

    def grad_input(a, b):
        y = tf.nn.conv3d(a, b, [1, 1, 2, 1, 1], "SAME")
        return tf.gradients(tf.reduce_sum(y * y), a)[0]

    def grad_filter(a, b):
        y = tf.nn.conv3d(a, b, [1, 2, 1, 1, 1], "VALID")
        return tf.gradients(tf.reduce_sum(y * y), b)[0]

    _check_grads(grad_input, [x, w], seed=1, tol=1e-5)
    _check_grads(grad_filter, [x, w], seed=2, tol=1e-5)


def test_conv3d_transpose_gradients_and_adjoint():
    dy, w = _rand([1, 2, 3, 2, 3], 11), _rand([2, 3, 2, 2, 3], 12)
    _check_grads(lambda a, b: tf.nn.conv3d_transpose(a, b, [1, 3, 6, 4, 2], [1, 2, 2, 2, 1],
                                                     "SAME"), [dy, w])
    # <conv3d(x, w), dy> == <x, conv3d_transpose(dy, w)>
    x = _rand([1, 3, 6, 4, 2], 13)
    with tf.Session() as s:
        y, t = s.run([tf.nn.conv3d(x, w, [1, 2, 2, 2, 1], "SAME"),
                      tf.nn.conv3d_transpose(dy, w, [1, 3, 6, 4, 2], [1, 2, 2, 2, 1])])
    assert np.isclose(np.sum(y * dy), np.sum(x * t))


def test_conv3d_backprop_filter_matches_the_gradient():
    x, dy = _rand([2, 4, 5, 3, 2], 14), _rand([2, 2, 3, 2, 3], 15)
    xt = tf.constant(x)
    w = tf.constant(_rand([2, 2, 2, 2, 3], 16))
    y = tf.nn.conv3d(xt, w, [1, 2, 2, 2, 1], "SAME")
    g = tf.gradients(y, w, grad_ys=tf.constant(dy))[0]
    direct = tf.nn.conv3d_backprop_filter(x, [2, 2, 2, 2, 3], dy, [1, 2, 2, 2, 1], "SAME")
    with tf.Session() as s:
        a, b = s.run([g, direct])
    np.testing.assert_allclose(a, b, atol=1e-12)
    assert direct.op.type == "Conv3DBackpropFilterV2"
    assert tf.nn.conv3d_backprop_filter_v2 is tf.nn.conv3d_backprop_filter


def test_conv3d_float16_accumulates_in_float32():
    x, w = _rand([1, 3, 3, 3, 4], 17), _rand([2, 2, 2, 4, 2], 18)
    y = tf.nn.conv3d(x.astype(np.float16), w.astype(np.float16), [1] * 5, "VALID")
    with tf.Session() as s:
        got = s.run(y)
    assert got.dtype == np.float16
    want = _ref_conv3d(x.astype(np.float16).astype(np.float64),
                       w.astype(np.float16).astype(np.float64), [1] * 3, [1] * 3, "VALID")
    np.testing.assert_allclose(got, want, rtol=2e-3, atol=2e-3)


def test_conv3d_empty_batch_and_runtime_sizes():
    x = tf.placeholder(tf.float32, [None] * 5)
    y = tf.nn.conv3d(x, tf.ones([2, 3, 2, 3, 4]), [1] * 5, "VALID")
    with tf.Session() as s:
        # the right shape for an empty batch (TF's oneDNN kernel returns its input instead)
        assert s.run(y, {x: np.zeros([0, 5, 6, 7, 3], np.float32)}).shape == (0, 4, 4, 6, 4)
        # a window one longer than the input gives 0 outputs, as TF's Eigen kernel does
        assert s.run(y, {x: np.ones([1, 1, 5, 5, 3], np.float32)}).shape == (1, 0, 3, 4, 4)
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Computed output size would be negative: -1 "
                                 r"\[input_size: 1, effective_filter_size: 3, stride: 1\]"):
            s.run(y, {x: np.ones([1, 2, 1, 5, 3], np.float32)})
    u = tf.placeholder(tf.float32)
    with tf.Session() as s, pytest.raises(tf.errors.InvalidArgumentError,
                                          match="input must be 5-dimensional"):
        s.run(tf.nn.conv3d(u, tf.ones([2, 3, 2, 3, 4]), [1] * 5, "VALID"),
              {u: np.ones([1, 2, 2, 2], np.float32)})


def test_conv3d_backprop_runtime_messages():
    # (TF's oneDNN kernels fail these with internal AbortedErrors; these are its Eigen
    # kernels' messages)
    dy = tf.placeholder(tf.float32)
    w = tf.ones([2, 3, 2, 4, 3])
    t = tf.nn.conv3d_transpose(dy, w, [2, 5, 6, 7, 4], 1)
    ok = np.ones([2, 5, 6, 7, 3], np.float32)
    with tf.Session() as s:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="out_backprop and filter_sizes must have the same number of "
                                 "channels. Got 4 for out_backprop and 3 for filter_sizes"):
            s.run(t, {dy: np.ones([2, 5, 6, 7, 4], np.float32)})
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Conv3DBackpropInputOp: Size of out_backprop doesn't match "
                                 "computed: actual = 4, computed = 5 spatial_dim: 1 input: 5 "
                                 "filter: 2 output: 4 stride: 1 dilation: 1"):
            s.run(t, {dy: ok[:, :4]})
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Conv3DBackpropInputOp: input and out_backprop must have the "
                                 "same batch size. Input batch: 2, outbackprop batch: 1"):
            s.run(t, {dy: ok[:1]})
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="out_backprop tensor must have 5 dimensions"):
            s.run(t, {dy: ok[0]})


def test_conv3d_graph_errors():
    x, w = tf.ones([2, 5, 6, 7, 3]), tf.ones([2, 3, 2, 3, 4])
    with pytest.raises(TypeError, match="Expected list for 'strides' argument to 'conv3d' Op"):
        tf.nn.conv3d(x, w, 1, "SAME")
    with pytest.raises(ValueError, match="passed list of length 4 less than minimum 5"):
        tf.nn.conv3d(x, w, [1] * 4, "SAME")
    with pytest.raises(ValueError, match="Depth of input \\(3\\) is not a multiple"):
        tf.nn.conv3d(x, tf.ones([2, 3, 2, 2, 4]), [1] * 5, "SAME")
    with pytest.raises(ValueError, match="Negative dimension size caused by subtracting 2 "
                                         "from 1"):
        tf.nn.conv3d(tf.ones([2, 1, 6, 7, 3]), w, [1] * 5, "VALID")
    with pytest.raises(TypeError, match="Input 'filter_sizes' of 'Conv3DBackpropFilterV2' Op "
                                        "has type int64"):
        tf.nn.conv3d_backprop_filter_v2(x, tf.constant([2, 3, 2, 3, 4], tf.int64),
                                        tf.ones([2, 5, 6, 7, 4]), [1] * 5, "SAME")
    # nothing was added by the failures but the ops before them
    assert tf.nn.conv3d(x, w, [1] * 5, "SAME").shape.as_list() == [2, 5, 6, 7, 4]


# -- 3-D pooling -----------------------------------------------------------------------------------
POOL_CASES = [([1, 2, 2, 2, 1], [1, 2, 2, 2, 1], "SAME"),
              ([1, 3, 2, 2, 1], [1, 1, 2, 3, 1], "VALID"),
              ([1, 2, 3, 3, 1], [1, 2, 1, 2, 1], "SAME")]


@pytest.mark.parametrize("k,s,padding", POOL_CASES)
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pool3d_matches_the_definition(k, s, padding, kind):
    x = _distinct([2, 5, 6, 7, 3], 20)
    pool = tf.nn.max_pool3d if kind == "max" else tf.nn.avg_pool3d
    y = pool(x, k, s, padding)
    with tf.Session() as sess:
        got = sess.run(y)
    want = _ref_pool3d(x.astype(np.float64), k[1:4], s[1:4], padding, kind)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    assert y.shape.as_list() == list(want.shape)


@pytest.mark.parametrize("k,s,padding", POOL_CASES)
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pool3d_gradients(k, s, padding, kind):
    pool = tf.nn.max_pool3d if kind == "max" else tf.nn.avg_pool3d
    _check_grads(lambda a: pool(a, k, s, padding), [_distinct([1, 4, 5, 4, 2], 21)],
                 eps=1e-2, tol=2e-3)


def test_pool3d_ncdhw():
    x = _distinct([2, 4, 5, 6, 3], 22)
    xc = np.transpose(x, (0, 4, 1, 2, 3))
    with tf.Session() as s:
        for pool in (tf.nn.max_pool3d, tf.nn.avg_pool3d):
            a = s.run(pool(x, [2, 3, 2], [1, 2, 2], "SAME"))
            b = s.run(pool(xc, [2, 3, 2], [1, 2, 2], "SAME", data_format="NCDHW"))
            np.testing.assert_allclose(np.transpose(a, (0, 4, 1, 2, 3)), b, atol=1e-6)
    _check_grads(lambda t: tf.nn.max_pool3d(t, 2, [1, 1, 2], "SAME", data_format="NCDHW"),
                 [xc[:1, :2]], eps=1e-2, tol=2e-3)


def test_max_pool3d_grad_grad_is_the_gradient_of_the_gradient():
    x = _distinct([1, 4, 4, 5, 2], 23)
    xt = tf.constant(x)
    y = tf.nn.max_pool3d(xt, [1, 2, 3, 2, 1], [1, 2, 2, 1, 1], "SAME")

    def grad_of(dy):
        return tf.gradients(y, xt, grad_ys=dy)[0]

    # MaxPool3DGrad is linear in its grad input: its gradient (MaxPool3DGradGrad) must be
    # its adjoint
    dyv = _rand(y.shape.as_list(), 24, dtype=np.float32)
    _check_grads(grad_of, [dyv], eps=1e-2, tol=2e-3)
    dy = tf.placeholder(tf.float32, y.shape)
    gg = tf.gradients(grad_of(dy), dy, grad_ys=tf.constant(_rand([1, 4, 4, 5, 2], 25,
                                                                 dtype=np.float32)))[0]
    assert gg.op.type == "MaxPool3DGradGrad"
    g3 = tf.gradients(gg, gg.op.inputs[2])[0]  # its own gradient
    assert g3.op.type == "MaxPool3DGrad"


def test_max_pool3d_special_values_follow_onednn():
    x = tf.placeholder(tf.float32, [1, 2, 2, 2, 1])
    y = tf.nn.max_pool3d(x, 2, 2, "VALID")
    g = tf.gradients(y, x)[0]
    with tf.Session() as s:
        lowest = np.finfo(np.float32).min
        for v in (np.full(8, -np.inf), np.full(8, np.nan)):
            out, grad = s.run([y, g], {x: v.reshape(1, 2, 2, 2, 1).astype(np.float32)})
            assert out.ravel()[0] == lowest  # the lowest float, never -inf or NaN
            assert grad.ravel().tolist() == [1, 0, 0, 0, 0, 0, 0, 0]  # the first element
        ties = np.array([1, 5, 5, 2, 0, 5, 1, 1], np.float32).reshape(1, 2, 2, 2, 1)
        assert s.run(g, {x: ties}).ravel().tolist() == [0, 1, 0, 0, 0, 0, 0, 0]


def test_pool3d_runtime_errors():
    p = tf.placeholder(tf.float32, [2, 5, 6, 7, 3])
    v = np.ones([2, 5, 6, 7, 3], np.float32)
    with tf.Session() as s:
        with pytest.raises(tf.errors.UnimplementedError, match="not yet supported on the "
                                                               "depth dimension"):
            s.run(tf.nn.max_pool3d(p, [1, 1, 1, 1, 2], [1, 1, 1, 1, 2], "SAME"), {p: v})
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Sliding window ksize must be positive"):
            s.run(tf.nn.avg_pool3d(p, [1, 0, 1, 1, 1], 1, "VALID"), {p: v})
        # TF's CPU has float32 (and bfloat16) kernels only
        h = tf.placeholder(tf.float16, [1, 2, 2, 2, 1])
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="No OpKernel was registered to support Op 'MaxPool3D'"):
            s.run(tf.nn.max_pool3d(h, 2, 2, "SAME"), {h: np.ones([1, 2, 2, 2, 1], np.float16)})
        d = tf.placeholder(tf.float64, [1, 2, 2, 2, 1])
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="No OpKernel was registered to support Op 'AvgPool3D'"):
            s.run(tf.nn.avg_pool3d(d, 2, 2, "SAME"), {d: np.ones([1, 2, 2, 2, 1])})


def test_pool_v2_and_nn_pool_dispatch_by_rank():
    x3 = tf.ones([1, 4, 4, 4, 2])
    assert tf.nn.max_pool_v2(x3, 2, 2, "SAME").op.type == "MaxPool3D"
    assert tf.nn.avg_pool_v2(tf.ones([1, 4, 4, 2]), 2, 2, "SAME").op.type == "AvgPool"
    assert tf.nn.max_pool_v2(tf.ones([1, 4, 2]), 2, 2, "SAME").op.type == "Squeeze"
    p = tf.nn.pool(x3, [2, 2, 2], "AVG", "VALID", strides=[2, 2, 2])
    assert (p.op.type, p.name, p.shape.as_list()) == ("AvgPool3D", "avg_pool:0",
                                                       [1, 2, 2, 2, 2])
    c = tf.nn.convolution(x3, tf.ones([2, 2, 2, 2, 3]), "SAME")
    assert (c.op.type, c.name, c.shape.as_list()) == ("Conv3D", "convolution:0",
                                                       [1, 4, 4, 4, 3])


# -- transposes ------------------------------------------------------------------------------------
def test_conv1d_transpose_and_conv_transpose_gradients():
    x, w = _rand([2, 4, 3], 30), _rand([3, 2, 3], 31)
    _check_grads(lambda a, b: tf.nn.conv1d_transpose(a, b, [2, 8, 2], 2), [x, w])
    _check_grads(lambda a, b: tf.nn.conv_transpose(a, b, [2, 9, 2], 2, padding="VALID"),
                 [x, w], seed=1)
    assert tf.nn.conv_transpose(x, w, [2, 8, 2], 2).shape.as_list() == [2, 8, 2]


def test_atrous_conv2d_transpose_is_the_adjoint_of_atrous_conv2d():
    w = _rand([3, 3, 2, 3], 32)
    for padding, out in (("SAME", [1, 5, 6, 2]), ("VALID", [1, 9, 10, 2])):
        x = _rand(out, 33)
        with tf.Session() as s:
            y = s.run(tf.nn.atrous_conv2d(x, w, 2, padding))
            dy = _rand(y.shape, 34)
            t = s.run(tf.nn.atrous_conv2d_transpose(dy, w, out, 2, padding))
        assert np.isclose(np.sum(y * dy), np.sum(x * t))
    _check_grads(lambda a, b: tf.nn.atrous_conv2d_transpose(a, b, [1, 5, 6, 2], 2, "SAME"),
                 [_rand([1, 5, 6, 3], 35), w])


# -- max_pool_with_argmax --------------------------------------------------------------------------
def test_max_pool_with_argmax_indices_and_gradient():
    x = _distinct([2, 5, 6, 3], 40, np.float64)
    for batch in (False, True):
        y, arg = tf.nn.max_pool_with_argmax(x, [1, 2, 3, 1], [1, 2, 2, 1], "SAME",
                                            include_batch_in_index=batch)
        with tf.Session() as s:
            yv, av = s.run([y, arg])
        assert av.dtype == np.int64
        flat = x.reshape(-1) if batch else x.reshape(2, -1)
        picked = flat[av] if batch else np.stack([flat[b][av[b]] for b in range(2)])
        np.testing.assert_array_equal(picked, yv)
        want = _ref_pool3d(x[:, None], [1, 2, 3], [1, 2, 2], "SAME", "max")[:, 0]
        np.testing.assert_array_equal(yv, want)
    _check_grads(lambda a: tf.nn.max_pool_with_argmax(a, [1, 2, 2, 1], [1, 2, 2, 1],
                                                      "VALID")[0], [x[:1]], eps=1e-4)


def test_max_pool_grad_with_argmax_runtime_errors():
    x = tf.placeholder(tf.float32, [1, 4, 4, 1])
    y, arg = tf.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID",
                                        Targmax=tf.int32)
    g = tf.gradients(y, x)[0]
    with tf.Session() as s, pytest.raises(
            tf.errors.InvalidArgumentError, match="No OpKernel was registered to support Op "
                                                  "'MaxPoolGradWithArgmax'"):
        s.run(g, {x: np.ones([1, 4, 4, 1], np.float32)})


# -- dilation2d / erosion2d --------------------------------------------------------------------------
def _ref_dilation(x, f, strides, rates, padding):
    n, h, w, c = x.shape
    kh, kw, _ = f.shape
    effh, effw = (kh - 1) * rates[0] + 1, (kw - 1) * rates[1] + 1
    if padding == "SAME":
        oh, ow = -(-h // strides[0]), -(-w // strides[1])
        top = max((oh - 1) * strides[0] + effh - h, 0) // 2
        left = max((ow - 1) * strides[1] + effw - w, 0) // 2
    else:
        oh, ow = (h - effh) // strides[0] + 1, (w - effw) // strides[1] + 1
        top = left = 0
    out = np.full((n, oh, ow, c), -np.inf)
    for i, j, a, b in itertools.product(range(oh), range(ow), range(kh), range(kw)):
        hi, wj = i * strides[0] - top + a * rates[0], j * strides[1] - left + b * rates[1]
        if 0 <= hi < h and 0 <= wj < w:
            out[:, i, j] = np.maximum(out[:, i, j], x[:, hi, wj] + f[a, b])
    return out


@pytest.mark.parametrize("strides,rates,padding", [([1, 1], [1, 1], "SAME"),
                                                   ([2, 1], [1, 2], "VALID"),
                                                   ([1, 2], [2, 2], "SAME")])
def test_dilation2d_values_and_gradients(strides, rates, padding):
    # continuous values: no two sums input + filter tie (a kink within a finite difference)
    x, f = _rand([2, 6, 7, 2], 50), _rand([2, 3, 2], 51)
    s4, r4 = [1, *strides, 1], [1, *rates, 1]
    with tf.Session() as s:
        got = s.run(tf.nn.dilation2d(x, f, s4, r4, padding))
    np.testing.assert_allclose(got, _ref_dilation(x, f, strides, rates, padding))
    _check_grads(lambda a, b: tf.nn.dilation2d(a, b, s4, r4, padding), [x[:1], f], eps=1e-4)
    _check_grads(lambda a, b: tf.nn.erosion2d(a, b, s4, r4, padding), [x[:1], f], eps=1e-4)


def test_erosion2d_is_the_dual_of_dilation2d():
    x, f = _rand([1, 5, 5, 2], 52), _rand([2, 2, 2], 53)
    with tf.Session() as s:
        e = s.run(tf.nn.erosion2d(x, f, [1] * 4, [1] * 4, "SAME"))
        d = s.run(tf.nn.dilation2d(-x, f[::-1, ::-1], [1] * 4, [1] * 4, "SAME"))
    np.testing.assert_allclose(e, -d)


# -- layers ----------------------------------------------------------------------------------------
def test_conv3d_layer_variables_reuse_and_values():
    x = tf.placeholder(tf.float64, [None, 4, 5, 6, 2])
    y = tf.layers.conv3d(x, 3, (2, 3, 2), name="c", kernel_initializer=tf.ones_initializer(),
                         bias_initializer=tf.constant_initializer(0.5))
    y2 = tf.layers.conv3d(x, 3, (2, 3, 2), name="c", reuse=True)
    assert [(v.name, v.shape.as_list()) for v in tf.global_variables()] == [
        ("c/kernel:0", [2, 3, 2, 2, 3]), ("c/bias:0", [3])]
    assert y.shape.as_list() == [None, 3, 3, 5, 3] and y.dtype == tf.float64
    xv = _rand([2, 4, 5, 6, 2], 60)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        a, b = s.run([y, y2], {x: xv})
    want = _ref_conv3d(xv, np.ones([2, 3, 2, 2, 3]), [1] * 3, [1] * 3, "VALID") + 0.5
    np.testing.assert_allclose(a, want, atol=1e-12)
    np.testing.assert_allclose(b, want, atol=1e-12)


def test_conv3d_transpose_layer_with_unknown_sizes():
    x = tf.placeholder(tf.float32, [None, None, 3, None, 2])
    y = tf.layers.conv3d_transpose(x, 4, (2, 3, 2), strides=(2, 1, 3), padding="valid")
    assert y.shape.as_list() == [None, None, 5, None, 4]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        assert s.run(y, {x: np.ones([2, 3, 3, 2, 2], np.float32)}).shape == (2, 6, 5, 6, 4)


def test_separable_conv1d_causal_is_a_left_padded_valid_conv():
    x = tf.placeholder(tf.float64, [2, 7, 3])
    init = {"depthwise_initializer": tf.constant_initializer(_rand([3, 3, 2], 61)),
            "pointwise_initializer": tf.constant_initializer(_rand([1, 6, 4], 62)),
            "depth_multiplier": 2}
    causal = tf.layers.separable_conv1d(x, 4, 3, padding="causal", dilation_rate=2, **init)
    valid = tf.layers.separable_conv1d(tf.pad(x, [[0, 0], [4, 0], [0, 0]]), 4, 3,
                                       dilation_rate=2, **init)
    assert causal.shape.as_list() == [2, 7, 4]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        a, b = s.run([causal, valid], {x: _rand([2, 7, 3], 63)})
    np.testing.assert_allclose(a, b, atol=1e-12)
    names = [v.name for v in tf.global_variables()]
    assert names[:3] == ["separable_conv1d/depthwise_kernel:0",
                         "separable_conv1d/pointwise_kernel:0", "separable_conv1d/bias:0"]


def test_pooling3d_layers_channels_first_transpose():
    x = _distinct([2, 3, 4, 5, 6], 64)
    with tf.Session() as s:
        a = s.run(tf.layers.max_pooling3d(x, 2, 2, data_format="channels_first"))
        b = s.run(tf.nn.max_pool3d(np.transpose(x, (0, 2, 3, 4, 1)), 2, 2, "VALID"))
    np.testing.assert_array_equal(a, np.transpose(b, (0, 4, 1, 2, 3)))
    with pytest.raises(ValueError, match="Argument `strides` must not be None."):
        tf.layers.AveragePooling3D(2, None)


def test_internal_builders_are_registered():
    from varstore.framework.ops import builders

    assert builders.conv3d_backprop_input_v2 is nn_conv3d_ops.conv3d_backprop_input_v2
    assert builders.max_pool3d_grad is nn_pool3d_ops.max_pool3d_grad


def test_max_pool_explicit_padding_values_and_gradient():
    x = _distinct([2, 5, 6, 3], 70)
    pads = [[0, 0], [1, 1], [0, 1], [0, 0]]
    with tf.Session() as s:
        got = s.run(tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], pads))
    padded = np.pad(x, pads, constant_values=-np.inf)
    want = _ref_pool3d(padded[:, None].astype(np.float64), [1, 2, 2], [1, 2, 2], "VALID",
                       "max")[:, 0]
    np.testing.assert_array_equal(got, want)
    _check_grads(lambda a: tf.nn.max_pool(a, [1, 2, 3, 1], [1, 1, 2, 1],
                                          [[0, 0], [1, 0], [2, 1], [0, 0]]), [x[:1]],
                 eps=1e-2, tol=2e-3)


def test_max_pool2d_grad_grad_is_the_adjoint_of_max_pool_grad():
    x = tf.constant(_distinct([1, 4, 5, 2], 71))
    y = tf.nn.max_pool(x, [1, 2, 3, 1], [1, 2, 2, 1], "SAME")
    _check_grads(lambda dy: tf.gradients(y, x, grad_ys=dy)[0],
                 [_rand(y.shape.as_list(), 72, dtype=np.float32)], eps=1e-2, tol=2e-3)
