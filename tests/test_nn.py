"""nn: conv2d/max_pool numerics against a direct loop, and TF 2.21's names and errors."""

from __future__ import annotations

import numpy as np
import pytest

import varstore as tf
from varstore import dtypes, nn
from varstore.ops.nn_conv_reference import conv_reference as _conv_reference
from varstore.framework.graph import reset_default_graph


@pytest.fixture(autouse=True)
def _fresh_graph():
    reset_default_graph()
    yield
    reset_default_graph()


def _naive_conv(x, w, s, d, pads):
    t, b, l, r = pads
    xp = np.pad(x.astype(np.float64), ((0, 0), (t, b), (l, r), (0, 0)))
    kh, kw, _, o = w.shape
    oh = (xp.shape[1] - ((kh - 1) * d[0] + 1)) // s[0] + 1
    ow = (xp.shape[2] - ((kw - 1) * d[1] + 1)) // s[1] + 1
    out = np.zeros((x.shape[0], oh, ow, o))
    for i in range(oh):
        for j in range(ow):
            for a in range(kh):
                for c in range(kw):
                    out[:, i, j, :] += xp[:, i * s[0] + a * d[0], j * s[1] + c * d[1], :] @ w[a, c]
    return out


# (input H, W, kernel, stride, dilation, padding, expected output H, W, TF's pads)
CASES = [
    (7, 6, 3, 1, 1, "SAME", (7, 6), (1, 1, 1, 1)),
    (7, 6, 3, 2, 1, "SAME", (4, 3), (1, 1, 0, 1)),
    (8, 8, 3, 2, 1, "VALID", (3, 3), (0, 0, 0, 0)),
    (7, 8, 4, 2, 1, "SAME", (4, 4), (1, 2, 1, 1)),
    (9, 9, 3, 1, 2, "SAME", (9, 9), (2, 2, 2, 2)),
    (10, 9, 3, 1, 2, "VALID", (6, 5), (0, 0, 0, 0)),
    (6, 6, 3, 1, 1, [[0, 0], [1, 2], [0, 3], [0, 0]], (7, 7), (1, 2, 0, 3)),
]


@pytest.mark.parametrize("case", CASES, ids=["same", "same-s2", "valid-s2", "same-k4-asym",
                                             "same-dil2", "valid-dil2", "explicit"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
def test_conv2d_matches_direct_loop(case, dtype):
    h, w_, k, s, d, padding, out_hw, pads = case
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, h, w_, 3)).astype(dtype)
    w = rng.standard_normal((k, k, 3, 4)).astype(dtype)
    t = nn.conv2d(x, w, strides=s, padding=padding, dilations=d)
    assert t.shape.as_list() == [2, *out_hw, 4]
    assert t.numpy().dtype == dtype
    want = _naive_conv(x, w, (s, s), (d, d), pads)
    np.testing.assert_allclose(t.numpy(), want, rtol=1e-4, atol=1e-4)
    ref = _conv_reference(x, w, (s, s), (d, d), pads)
    np.testing.assert_allclose(ref, want, rtol=1e-4, atol=1e-4)


def test_conv2d_names_and_stride_forms():
    x = tf.ones([1, 5, 5, 3], name="x")
    w = tf.ones([3, 3, 3, 4], name="w")
    c = nn.conv2d(x, w, strides=[1, 1, 1, 1], padding="SAME")
    assert (c.op.name, c.op.type) == ("Conv2D", "Conv2D")
    assert nn.conv2d(x, w, strides=2, padding="SAME").shape.as_list() == [1, 3, 3, 4]
    assert nn.conv2d(x, w, strides=[2, 2], padding="VALID").shape.as_list() == [1, 2, 2, 4]
    assert nn.conv2d(x, filters=w, strides=1, padding="SAME").op.name == "Conv2D_3"
    assert nn.conv2d(x, w, strides=1, padding="SAME", name="c").op.name == "c"
    np.testing.assert_allclose(c.numpy()[0, 2, 2], [27.0] * 4)
    np.testing.assert_allclose(c.numpy()[0, 0, 0], [12.0] * 4)


def test_conv2d_errors():
    x = tf.ones([1, 5, 5, 3], name="x")
    w = tf.ones([3, 3, 3, 4], name="w")
    with pytest.raises(ValueError, match=r"""^Attr 'padding' of 'Conv2D' Op passed string 'same' not in: "SAME", "VALID", "EXPLICIT".$"""):
        nn.conv2d(x, w, strides=1, padding="same")
    with pytest.raises(ValueError, match=r"^strides should be of length 1, 2 or 4. Received: strides=\[1, 1, 1\] of length 3$"):
        nn.conv2d(x, w, strides=[1, 1, 1], padding="VALID")
    with pytest.raises(TypeError, match=r"^Expected string for argument 'padding' not None.$"):
        nn.conv2d(x, w, strides=1)
    with pytest.raises(ValueError) as info:
        nn.conv2d(x, tf.ones([3, 3, 2, 4]), strides=1, padding="SAME")
    assert str(info.value) == (
        "Depth of input (3) is not a multiple of input depth of filter (2) for '{{node Conv2D_1}} "
        "= Conv2D[T=DT_FLOAT, data_format=\"NHWC\", dilations=[1, 1, 1, 1], explicit_paddings=[], "
        "padding=\"SAME\", strides=[1, 1, 1, 1], use_cudnn_on_gpu=true](x, ones)' with input "
        "shapes: [1,5,5,3], [3,3,2,4].")
    with pytest.raises(ValueError, match=r"^Shape must be rank 4 but is rank 3 for '\{\{node Conv2D_2\}\}"):
        nn.conv2d(tf.ones([5, 5, 3]), w, strides=1, padding="SAME")
    with pytest.raises(TypeError, match=r"^Input 'filter' of 'Conv2D' Op has type float64 that does not "
                       r"match type float32 of argument 'input'.$"):
        nn.conv2d(x, tf.ones([3, 3, 3, 4], dtypes.float64), strides=1, padding="SAME")
    with pytest.raises(TypeError, match=r"^Input 'filter' of 'Conv2D' Op has type float32 that does not "
                       r"match type float64 of argument 'input'.$"):
        nn.conv2d(np.ones([1, 5, 5, 3]), w, strides=1, padding="SAME")
    with pytest.raises(ValueError, match=r"^Negative dimension size caused by subtracting 7 from 5 for"):
        nn.conv2d(x, tf.ones([7, 7, 3, 4]), strides=1, padding="VALID")
    with pytest.raises(ValueError, match=r"^Nonzero explicit padding in the batch or depth dimensions"):
        nn.conv2d(x, w, strides=1, padding=[[1, 1], [1, 2], [0, 1], [0, 0]])
    # np float32 input with a float64 array filter: the filter is cast.
    assert nn.conv2d(np.ones([1, 5, 5, 3], np.float32), np.ones([3, 3, 3, 4]), strides=1,
                     padding="SAME").dtype == dtypes.float32


def test_relu_bias_add():
    x = tf.constant([[-1.0, 2.0, -3.0]], name="x")
    r = nn.relu(x)
    assert (r.op.name, r.op.type) == ("Relu", "Relu")
    np.testing.assert_array_equal(r.numpy(), [[0.0, 2.0, 0.0]])
    assert nn.relu(tf.constant([-1, 2])).dtype == dtypes.int32
    with pytest.raises(TypeError, match=r"^Value passed to parameter 'features' has DataType bool"):
        nn.relu(tf.constant([True]))
    b = nn.bias_add(x, [1.0, 2.0, 3.0])
    assert (b.op.name, b.op.type) == ("BiasAdd", "BiasAdd")
    np.testing.assert_array_equal(b.numpy(), [[0.0, 4.0, 0.0]])
    with pytest.raises(ValueError) as info:
        nn.bias_add(x, tf.ones([4], name="b"))
    assert str(info.value) == (
        "Dimensions must be equal, but are 3 and 4 for '{{node BiasAdd_1}} = BiasAdd[T=DT_FLOAT, "
        "data_format=\"NHWC\"](x, b)' with input shapes: [1,3], [4].")
    with pytest.raises(ValueError, match=r"^bias: Tensor conversion requested dtype float32 for Tensor "
                       r"with dtype float64: <tf.Tensor 'ones:0' shape=\(3,\) dtype=float64>$"):
        nn.bias_add(x, tf.ones([3], dtypes.float64))
    with pytest.raises(ValueError, match=r"^Shape must be at least rank 2 but is rank 1"):
        nn.bias_add(tf.ones([3]), tf.ones([3]))


def test_max_pool():
    x = np.arange(2 * 5 * 5 * 3, dtype=np.float32).reshape(2, 5, 5, 3)
    p = nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    assert (p.op.name, p.op.type, p.shape.as_list()) == ("MaxPool", "MaxPool", [2, 3, 3, 3])
    np.testing.assert_array_equal(p.numpy()[:, 2, 2], x[:, 4, 4])
    np.testing.assert_array_equal(p.numpy()[:, 0, 0], x[:, 1, 1])
    v = nn.max_pool(x, 2, 2, "VALID")
    assert v.shape.as_list() == [2, 2, 2, 3]
    m2 = nn.max_pool2d(x, 2, 2, "VALID")
    assert (m2.op.name, m2.op.type) == ("MaxPool2d", "MaxPool")
    with pytest.raises(ValueError, match=r"^ksize should be of length 1, 2 or 4. Received: ksize=\[2, 2, 1\] of length 3$"):
        nn.max_pool(x, [2, 2, 1], 2, "VALID")
    with pytest.raises(ValueError, match=r"""^Attr 'padding' of 'MaxPool' Op passed string 'XX' not in"""):
        nn.max_pool(x, 2, 2, "XX")
    with pytest.raises(ValueError, match=r"^Negative dimension size caused by subtracting 7 from 5"):
        nn.max_pool(x, 7, 1, "VALID")
    # Both failures above used up their names, as in TF.
    assert nn.max_pool(x, 2, 2, "VALID").op.name == "MaxPool_5"


def test_activations():
    x = tf.constant([-1.0, 0.0, 1.0])
    assert nn.sigmoid(x).op.name == "Sigmoid"
    np.testing.assert_allclose(nn.sigmoid(x).numpy(), 1 / (1 + np.exp([1.0, 0.0, -1.0])), rtol=1e-6)
    assert nn.tanh(x).op.name == "Tanh"
    s = nn.softmax(x)
    assert s.op.name == "Softmax"
    assert abs(float(np.sum(s.numpy())) - 1.0) < 1e-6
    l2 = nn.l2_loss(x)
    assert (l2.op.name, float(l2.numpy())) == ("L2Loss", 1.0)
