"""Unit tests of the CTC family (ops/ctc_ops.py, ops/ctc_beam_search.py): static shapes,
TF's errors, the CTCLoss gradient against finite differences in float64, the loss against a
brute-force sum over alignments, and the beam search against exact label probabilities."""

import itertools

import numpy as np
import pytest

import varstore as tf
from varstore.errors import FailedPreconditionError, InvalidArgumentError


@pytest.fixture(autouse=True)
def _graph():
    tf.reset_default_graph()
    yield


def _labels(rows):
    idx = [[b, i] for b, r in enumerate(rows) for i in range(len(r))]
    vals = [v for r in rows for v in r]
    return tf.SparseTensor(np.array(idx, np.int64).reshape(-1, 2), np.array(vals, np.int32),
                           [len(rows), max(len(r) for r in rows)])


def _collapse(path, blank, merge=True):
    out, prev = [], None
    for c in path:
        if c != blank and not (merge and c == prev):
            out.append(c)
        prev = c
    return out


def _brute_prob(x, label, merge=True):
    """P(label | x) by summing every alignment (x [T, C] logits, blank C - 1)."""
    t_len, c = x.shape
    p = np.exp(x - x.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    total = 0.0
    for path in itertools.product(range(c), repeat=t_len):
        if _collapse(path, c - 1, merge) == list(label):
            total += np.prod(p[np.arange(t_len), path])
    return total


def test_static_shapes_and_graph():
    x = tf.placeholder(tf.float32, [None, 3, 5])
    loss = tf.nn.ctc_loss(_labels([[0], [1, 2], [3]]), x, [2, 2, 2])
    assert loss.shape.as_list() == [3]
    assert loss.op.type == "CTCLoss"
    assert loss.op.outputs[1].shape.as_list() == [None, 3, 5]
    assert loss.op.inputs[3].op.name == "CTCLoss/sequence_length"
    (dec,), lp = tf.nn.ctc_greedy_decoder(x, [2, 2, 2])
    assert dec.indices.shape.as_list() == [None, 2] and lp.shape.as_list() == [3, 1]
    decs, lp = tf.nn.ctc_beam_search_decoder(x, [2, 2, 2], beam_width=4, top_paths=3)
    assert len(decs) == 3 and lp.shape.as_list() == [3, 3]
    assert dec.values.dtype == tf.int64


def test_loss_matches_brute_force():
    rng = np.random.RandomState(0)
    x = rng.randn(4, 3, 3)
    rows = [[0, 1], [1, 1], [0]]
    for merge in (True, False):
        loss = tf.nn.ctc_loss(_labels(rows), tf.constant(x), [4, 4, 3],
                              ctc_merge_repeated=merge)
        with tf.Session() as s:
            got = s.run(loss)
        for b, (row, n) in enumerate(zip(rows, [4, 4, 3], strict=True)):
            assert got[b] == pytest.approx(-np.log(_brute_prob(x[:n, b], row, merge)),
                                           rel=1e-9)


def test_gradient_matches_finite_differences_float64():
    rng = np.random.RandomState(1)
    x0 = rng.randn(5, 2, 4)
    xp = tf.placeholder(tf.float64, x0.shape)
    w = np.array([1.0, 0.7])
    loss = tf.reduce_sum(tf.nn.ctc_loss(_labels([[0, 2, 2], [1]]), xp, [5, 3]) * w)
    grad = tf.gradients(loss, xp)[0]
    with tf.Session() as s:
        g = s.run(grad, {xp: x0})
        eps = 1e-6
        num = np.zeros_like(x0)
        for i in np.ndindex(x0.shape):
            d = np.zeros_like(x0)
            d[i] = eps
            num[i] = (s.run(loss, {xp: x0 + d}) - s.run(loss, {xp: x0 - d})) / (2 * eps)
    np.testing.assert_allclose(g, num, atol=1e-7)
    assert np.all(g[3:, 1] == 0)  # past the sequence length


def test_second_derivative_is_prevented():
    x = tf.constant(np.zeros((2, 1, 3), np.float32))
    g = tf.gradients(tf.nn.ctc_loss(_labels([[0]]), x, [2]), x)[0]
    with pytest.raises(LookupError, match="Gradient explicitly disabled"):
        tf.gradients(g, x)


@pytest.mark.parametrize("rows, seq, msg", [
    ([[0], [1]], [5, 4], r"sequence_length\(0\) <= 4"),
    ([[0], [1]], [-1, 4], r"seq_len\(0\) < 0"),
    ([[0, 1, 2], [1]], [2, 4], r"Not enough time for target transition sequence "
                               r"\(required: 3, available: 2\)0"),
    ([[4, 1], [1]], [4, 4], "Saw a non-null label"),
    ([[-1], [1]], [4, 4], "All labels must be nonnegative integers, batch: 0 labels: -1"),
])
def test_loss_errors(rows, seq, msg):
    x = tf.constant(np.zeros((4, 2, 5), np.float32))
    loss = tf.nn.ctc_loss(_labels(rows), x, seq)
    with tf.Session() as s, pytest.raises(InvalidArgumentError, match=msg):
        s.run(loss)


def test_empty_labels_and_ignored_items():
    x = tf.constant(np.random.RandomState(2).randn(3, 2, 4).astype(np.float32))
    lab = tf.SparseTensor(np.array([[0, 0]], np.int64), np.array([1], np.int32), [2, 1])
    with tf.Session() as s, pytest.raises(InvalidArgumentError,
                                          match="Labels length is zero in batch 1"):
        s.run(tf.nn.ctc_loss(lab, x, [3, 3]))
    loss = tf.nn.ctc_loss(_labels([[0, 1, 2, 0], [2]]), x, [3, 3],
                          ignore_longer_outputs_than_inputs=True)
    g = tf.gradients(loss, x)[0]
    with tf.Session() as s:
        lv, gv = s.run([loss, g])
    assert lv[0] == 0 and np.all(gv[:, 0] == 0) and lv[1] > 0


def test_build_errors():
    x = tf.constant(np.zeros((4, 2, 5), np.float32))
    with pytest.raises(TypeError, match="Expected argument `labels` to be a SparseTensor"):
        tf.nn.ctc_loss(tf.constant([[1]]), x, [4, 4])
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 2 and 3"):
        tf.nn.ctc_loss(_labels([[0]]), x, [4, 4, 4])
    with pytest.raises(ValueError, match="Attr 'beam_width' of 'CTCBeamSearchDecoder' Op "
                                         "passed 0 less than minimum 1."):
        tf.nn.ctc_beam_search_decoder(x, [4, 4], beam_width=0)


def test_greedy_decoder():
    x = np.full((4, 1, 3), -5.0, np.float32)
    for t, c in enumerate([0, 0, 2, 0]):
        x[t, 0, c] = 1.0
    for merge, want in ((True, [0, 0]), (False, [0, 0, 0])):
        (dec,), lp = tf.nn.ctc_greedy_decoder(tf.constant(x), [4], merge_repeated=merge)
        with tf.Session() as s:
            dv, lv = s.run([dec, lp])
        assert dv.values.tolist() == want and dv.dense_shape.tolist() == [1, len(want)]
        assert lv.tolist() == [[-4.0]]
    with tf.Session() as s, pytest.raises(FailedPreconditionError,
                                          match=r"sequence_length\(0\) <= 4"):
        s.run(tf.nn.ctc_greedy_decoder(tf.constant(x), [5])[1])
    with tf.Session() as s, pytest.raises(InvalidArgumentError,
                                          match="blank_index expected to be between -3 and 2 "
                                                "but was 3"):
        s.run(tf.nn.ctc_greedy_decoder(tf.constant(x), [4], blank_index=3)[1])


def test_beam_search_is_exact_with_a_wide_beam():
    """With a beam holding every prefix, the beam search's probability of a labelling is
    exactly P(labelling | x), i.e. exp(-ctc_loss)."""
    rng = np.random.RandomState(3)
    x = rng.randn(4, 1, 3)
    decs, lp = tf.nn.ctc_beam_search_decoder_v2(tf.constant(x), [4], beam_width=200,
                                                top_paths=5)
    with tf.Session() as s:
        dv, lv = s.run([decs, lp])
    for d, logp in zip(dv, lv[0], strict=True):
        assert logp == pytest.approx(np.log(_brute_prob(x[:, 0], d.values.tolist())),
                                     rel=1e-9)
    assert list(lv[0]) == sorted(lv[0], reverse=True)
    with tf.Session() as s, pytest.raises(InvalidArgumentError,
                                          match="requested more paths than the beam width"):
        s.run(tf.nn.ctc_beam_search_decoder(tf.constant(x), [4], beam_width=2,
                                            top_paths=3)[1])


def test_ctc_training_reduces_loss():
    x = tf.constant(np.random.RandomState(4).randn(6, 2, 3).astype(np.float32))
    w = tf.get_variable("w", [3, 4], initializer=tf.constant_initializer(0.1))
    logits = tf.reshape(tf.matmul(tf.reshape(x, [-1, 3]), w), [6, 2, 4])
    loss = tf.reduce_mean(tf.nn.ctc_loss(_labels([[0, 1], [2]]), logits, [6, 6]))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        first = s.run(loss)
        for _ in range(5):
            s.run(train)
        assert s.run(loss) < first


def test_logits_alias():
    x = np.random.RandomState(5).randn(3, 1, 3).astype(np.float32)
    a = tf.nn.ctc_loss(_labels([[0]]), logits=tf.constant(x), sequence_length=[3])
    b = tf.nn.ctc_loss(_labels([[0]]), tf.constant(x), [3])
    with tf.Session() as s:
        assert s.run(a) == pytest.approx(s.run(b))
    with pytest.raises(ValueError, match="Cannot specify both 'inputs' and 'logits'."):
        tf.nn.ctc_loss(_labels([[0]]), tf.constant(x), [3], logits=tf.constant(x))


def test_collapse_repeated_and_unique_labels():
    coll, lens = tf.nn.collapse_repeated(tf.constant([[1, 1, 2, 2], [3, 3, 3, 0]]), [4, 2])
    uniq, idx = tf.nn.ctc_unique_labels(tf.constant([[2, 1, 2, 0]]))
    with tf.Session() as s:
        cv, lv, uv, iv = s.run([coll, lens, uniq, idx])
    assert cv.tolist() == [[1, 2], [3, 0]] and lv.tolist() == [2, 1]
    assert uv.tolist() == [[2, 1, 0, 0]] and iv.tolist() == [[0, 1, 0, 2]]


def test_input_type_errors():
    x = tf.constant(np.zeros((3, 1, 4), np.float32))
    lab = tf.SparseTensor([[0, 0]], [1], [1, 1])
    with pytest.raises(TypeError, match="Input 'sequence_length' of 'CTCLoss' Op has type int64 "
                                        "that does not match expected type of int32."):
        tf.nn.ctc_loss(lab, x, tf.constant([3], tf.int64))
    lab64 = tf.SparseTensor(tf.constant([[0, 0]], tf.int64), tf.constant([1], tf.int64), [1, 1])
    with pytest.raises(TypeError, match="Input 'labels_values' of 'CTCLoss' Op has type int64"):
        tf.nn.ctc_loss(lab64, x, [3])
    with pytest.raises(TypeError, match="Input 'sequence_length' of 'CTCGreedyDecoder' Op"):
        tf.nn.ctc_greedy_decoder(x, tf.constant([3], tf.int64))
    with pytest.raises(TypeError, match="Value passed to parameter 'inputs' has DataType int32 "
                                        "not in list of allowed values: float32, float64"):
        tf.nn.ctc_loss(lab, tf.constant(np.zeros((3, 1, 4), np.int32)), [3])
