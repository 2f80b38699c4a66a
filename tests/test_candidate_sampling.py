"""Candidate samplers, compute_accidental_hits and the sampled losses (ops/
candidate_sampling_ops.py, ops/range_sampler.py, ops/nn_sampled_ops.py): nodes, checks,
errors, distributions, expected counts, seeds, and loss values and gradients against NumPy.
The hard-coded candidates were drawn by TF 2.21's tensorflow.compat.v1 with the same seeds
(tests/golden/scenarios_sampled.py compares many more)."""

import math
import os
import re

import numpy as np
import pytest

import varstore as tf
from varstore.ops import range_sampler

TC = np.array([[1, 2], [3, 4], [0, 9]], np.int64)
UNIGRAMS = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]


def _run(t, feed=None):
    with tf.Session() as s:
        return s.run(t, feed)


def _samplers(tc, unique, seed=3, num_sampled=6):
    return {
        "UniformCandidateSampler": tf.random.uniform_candidate_sampler(
            tc, 2, num_sampled, unique, 10, seed=seed),
        "LogUniformCandidateSampler": tf.random.log_uniform_candidate_sampler(
            tc, 2, num_sampled, unique, 10, seed=seed),
        "LearnedUnigramCandidateSampler": tf.random.learned_unigram_candidate_sampler(
            tc, 2, num_sampled, unique, 10, seed=seed),
        "FixedUnigramCandidateSampler": tf.random.fixed_unigram_candidate_sampler(
            tc, 2, num_sampled, unique, 10, unigrams=UNIGRAMS, seed=seed),
        "AllCandidateSampler": tf.random.all_candidate_sampler(tc, 2, 10, unique, seed=seed),
    }


# -- nodes -----------------------------------------------------------------------------------------
def test_sampler_nodes_outputs_and_result_tuples():
    tf.reset_default_graph()
    tc = tf.constant(TC)
    for op_type, res in _samplers(tc, True).items():
        assert type(res).__name__ == op_type
        assert res._fields == ("sampled_candidates", "true_expected_count",
                               "sampled_expected_count")
        op = res.sampled_candidates.op
        assert op.type == op_type and op.name == op_type
        assert [t.dtype for t in res] == [tf.int64, tf.float32, tf.float32]
        n = 10 if op_type == "AllCandidateSampler" else 6
        assert [t.shape.as_list() for t in res] == [[n], [3, 2], [n]]
        assert (op.get_attr("seed"), op.get_attr("seed2")) == (87654321, 3)
        fetched = _run(res)
        assert type(fetched).__name__ == op_type
        assert fetched.sampled_candidates.dtype == np.int64


def test_sampler_unknown_batch_and_python_input():
    tf.reset_default_graph()
    ph = tf.placeholder(tf.int64, [None, 3])
    r = tf.random.uniform_candidate_sampler(ph, 3, 4, False, 10, name="foo")
    assert [t.name for t in r] == ["foo:0", "foo:1", "foo:2"]
    assert r.true_expected_count.shape.as_list() == [None, 3]
    unknown = tf.random.uniform_candidate_sampler(tf.placeholder(tf.int64), 2, 4, False, 10)
    assert unknown.true_expected_count.shape.as_list() == [None, 2]
    lst = tf.random.log_uniform_candidate_sampler([[1, 2]], 2, 3, True, 10)
    assert lst[0].op.inputs[0].name == "LogUniformCandidateSampler/true_classes:0"
    v = _run(r, {ph: [[1, 2, 3], [4, 5, 6]]})
    assert v.true_expected_count.shape == (2, 3)


def test_nn_aliases_and_fixed_attrs():
    tf.reset_default_graph()
    assert tf.nn.uniform_candidate_sampler is tf.random.uniform_candidate_sampler
    assert tf.nn.fixed_unigram_candidate_sampler is tf.random.fixed_unigram_candidate_sampler
    f = tf.random.fixed_unigram_candidate_sampler(tf.constant(TC), 2, 3, False, 10,
                                                  unigrams=[1, 2.5] * 5, distortion=0.5)
    op = f[0].op
    assert op.get_attr("unigrams") == [1.0, 2.5] * 5
    assert op.get_attr("distortion") == 0.5
    assert (op.get_attr("num_reserved_ids"), op.get_attr("num_shards"),
            op.get_attr("shard")) == (0, 1, 0)


# -- argument and shape errors ---------------------------------------------------------------------
@pytest.mark.parametrize(("kwargs", "exc", "text"), [
    ({"num_true": 0}, ValueError,
     "Attr 'num_true' of 'UniformCandidateSampler' Op passed 0 less than minimum 1."),
    ({"num_sampled": 0}, ValueError,
     "Attr 'num_sampled' of 'UniformCandidateSampler' Op passed 0 less than minimum 1."),
    ({"range_max": 0}, ValueError,
     "Attr 'range_max' of 'UniformCandidateSampler' Op passed 0 less than minimum 1."),
    ({"num_true": "2"}, TypeError, "Expected int for argument 'num_true' not '2'."),
    ({"unique": 1}, TypeError, "Expected bool for argument 'unique' not 1."),
])
def test_sampler_attr_errors(kwargs, exc, text):
    tf.reset_default_graph()
    args = {"true_classes": tf.constant(TC), "num_true": 2, "num_sampled": 3, "unique": True,
            "range_max": 10, **kwargs}
    with pytest.raises(exc) as e:
        tf.random.uniform_candidate_sampler(**args)
    assert str(e.value) == text


def test_sampler_input_errors():
    tf.reset_default_graph()
    with pytest.raises(TypeError, match=re.escape(
            "Input 'true_classes' of 'UniformCandidateSampler' Op has type int32 that does not "
            "match expected type of int64.")):
        tf.random.uniform_candidate_sampler(tf.constant([[1, 2]]), 2, 3, True, 10)
    with pytest.raises(TypeError, match="Expected int64 passed to parameter 'true_classes'"):
        tf.random.uniform_candidate_sampler([[1.0, 2]], 2, 3, True, 10)
    with pytest.raises(ValueError, match=r"Shape must be rank 2 but is rank 1 for "
                                         r"'\{\{node UniformCandidateSampler_\d\}\} = "
                                         r"UniformCandidateSampler\[num_sampled=3, num_true=2, "
                                         r"range_max=10, seed=0, seed2=0, unique=true\]"):
        tf.random.uniform_candidate_sampler(tf.constant([1, 2], tf.int64), 2, 3, True, 10)
    with pytest.raises(ValueError, match="Value of range_max:2147483648 is too large"):
        tf.random.learned_unigram_candidate_sampler(tf.constant(TC), 2, 3, True, 2 ** 31)
    with pytest.raises(TypeError, match="Expected list for 'unigrams' argument"):
        tf.random.fixed_unigram_candidate_sampler(tf.constant(TC), 2, 3, True, 4,
                                                  unigrams=np.ones(4))
    with pytest.raises(ValueError, match=re.escape(
            "Attr 'shard' of 'FixedUnigramCandidateSampler' Op passed -1 less than minimum 0.")):
        tf.random.fixed_unigram_candidate_sampler(tf.constant(TC), 2, 3, True, 4,
                                                  unigrams=[1.0] * 4, shard=-1)
    with pytest.raises(ValueError, match=r"distortion=0.5, num_reserved_ids=0, .*"
                                         r"unigrams=\[1, 2, 3.5\], unique=false, "
                                         r'vocab_file=""\]'):
        tf.random.fixed_unigram_candidate_sampler(tf.constant([1], tf.int64), 2, 3, False, 3,
                                                  unigrams=[1, 2, 3.5], distortion=0.5)


def _run_error(build, feed=None):
    with pytest.raises(tf.errors.OpError) as e:
        _run(build(), feed)
    return e.value


def test_sampler_run_time_errors():
    tf.reset_default_graph()
    tc = tf.constant(TC)
    ph = tf.placeholder(tf.int64)
    e = _run_error(lambda: tf.random.uniform_candidate_sampler(ph, 2, 3, True, 10), {ph: [1]})
    assert isinstance(e, tf.errors.InvalidArgumentError)
    assert "true_classes must be a matrix" in e.message
    e = _run_error(lambda: tf.random.uniform_candidate_sampler(ph, 2, 3, True, 10),
                   {ph: [[1, 2, 3]]})
    assert "true_classes must have num_true columns, expected: 3 was: 2" in e.message
    e = _run_error(lambda: tf.random.uniform_candidate_sampler(tc, 2, 11, True, 10))
    assert "Sampler's range is too small." in e.message
    e = _run_error(lambda: tf.random.log_uniform_candidate_sampler(tc, 2, 3, False, 5))
    assert "`true_candidate` out of range [0, 5), received 9" in e.message
    e = _run_error(lambda: tf.random.all_candidate_sampler(tc, 2, 3, False))
    assert "`true_candidate` out of range [0, 3), received 3" in e.message
    # Without unique, more candidates than the range are fine.
    assert _run(tf.random.uniform_candidate_sampler(tc, 2, 11, False, 10))[0].shape == (11,)


def test_fixed_unigram_run_time_errors(tmp_path):
    tf.reset_default_graph()
    tc = tf.constant(TC)
    f = tf.random.fixed_unigram_candidate_sampler
    cases = [
        (lambda: f(tc, 2, 3, True, 10), "Must provide either vocab_file or unigrams."),
        (lambda: f(tc, 2, 3, True, 10, vocab_file="/x", unigrams=UNIGRAMS),
         "Must only provide one of vocab_file and unigrams."),
        (lambda: f(tc, 2, 3, True, 10, unigrams=UNIGRAMS[:9]),
         "range is 10 must be equal to weights size  9"),
        # (TF would loop forever: only two candidates have weight)
        (lambda: f(tc, 2, 3, True, 10, unigrams=[0.0] * 8 + [1.0, 2.0]),
         "Cannot draw 3 unique candidates"),
    ]
    for build, text in cases:
        e = _run_error(build)
        assert isinstance(e, tf.errors.InvalidArgumentError)
        assert text in e.message
    e = _run_error(lambda: f(tc, 2, 3, True, 10, vocab_file=str(tmp_path / "none.csv")))
    assert isinstance(e, tf.errors.NotFoundError)
    assert "none.csv; No such file or directory" in e.message
    bad = tmp_path / "bad.csv"
    bad.write_text("a,1\nb,x\n")
    e = _run_error(lambda: f(tc, 2, 3, False, 10, vocab_file=str(bad)))
    assert "Wrong vocabulary format at line: b,x" in e.message


# -- values: TF's candidates, expected counts, distributions ---------------------------------------
def test_seeded_candidates_are_tfs():
    tf.reset_default_graph()
    runs = [_run(_samplers(tf.constant(TC), False)) for _ in range(2)]
    # TF 2.21, seed 3, the first run of a session (every new session repeats it).
    assert runs[0]["UniformCandidateSampler"][0].tolist() == [5, 0, 3, 8, 7, 4]
    assert runs[0]["LogUniformCandidateSampler"][0].tolist() == [0, 6, 0, 4, 1, 5]
    assert runs[0]["FixedUnigramCandidateSampler"][0].tolist() == [3, 7, 6, 2, 7, 4]
    assert runs[0]["LearnedUnigramCandidateSampler"][0].tolist() == [7, 3, 0, 0, 7, 6]
    assert runs[0]["AllCandidateSampler"][0].tolist() == list(range(10))
    assert runs[1]["UniformCandidateSampler"][0].tolist() == [5, 0, 3, 8, 7, 4]
    tf.reset_default_graph()
    unique = _samplers(tf.constant(TC), True)
    with tf.Session() as s:
        first, second = s.run(unique), s.run(unique)
    assert second["UniformCandidateSampler"][0].tolist() == [2, 1, 3, 8, 7, 0]
    assert first["LogUniformCandidateSampler"][0].tolist() == [0, 6, 4, 1, 5, 3]
    np.testing.assert_array_equal(
        first["LogUniformCandidateSampler"][2].view(np.uint32),
        np.array([0.9833290576934814, 0.4972037076950073, 0.6128565669059753, 0.89169842004776,
                  0.5494754314422607, 0.6902911067008972], np.float32).view(np.uint32))


def test_unseeded_samplers_differ_between_sessions_seeded_repeat():
    tf.reset_default_graph()
    r = tf.random.uniform_candidate_sampler(tf.constant(TC), 2, 20, False, 2 ** 40)
    assert r[0].op.get_attr("seed") == 0 and r[0].op.get_attr("seed2") == 0
    assert not np.array_equal(_run(r)[0], _run(r)[0])
    tf.reset_default_graph()
    tf.set_random_seed(5)
    a = tf.random.uniform_candidate_sampler(tf.constant(TC), 2, 20, False, 2 ** 40)
    b = tf.nn.compute_accidental_hits(tf.constant(TC), a[0], 2)
    c = tf.random.log_uniform_candidate_sampler(tf.constant(TC), 2, 20, False, 100)
    # compute_accidental_hits takes a seed too, so it counts as a random op
    assert [t.op.get_attr("seed2") for t in (a[0], b[0], c[0])] == [0, 1, 2]
    np.testing.assert_array_equal(_run(a)[0], _run(a)[0])


def test_unique_candidates_are_distinct_and_in_range():
    tf.reset_default_graph()
    res = _run(_samplers(tf.constant(TC), True, seed=9, num_sampled=10))
    for v in res.values():
        assert sorted(v[0].tolist()) == list(range(10))


def test_expected_counts_follow_the_distributions():
    tf.reset_default_graph()
    tc = tf.constant(TC)
    n = 6
    res = _run(_samplers(tc, False, num_sampled=n))
    np.testing.assert_allclose(res["UniformCandidateSampler"][1], np.full((3, 2), n / 10),
                               rtol=1e-6)
    lu = res["LogUniformCandidateSampler"]
    p = np.log((TC + 2.0) / (TC + 1.0)) / np.log(11.0)
    np.testing.assert_allclose(lu[1], p * n, rtol=1e-6)
    fixed = res["FixedUnigramCandidateSampler"]
    w = np.array(UNIGRAMS)
    np.testing.assert_allclose(fixed[1], w[TC] / w.sum() * n, rtol=1e-6)
    np.testing.assert_allclose(fixed[2], w[fixed[0]] / w.sum() * n, rtol=1e-6)
    # unique: 1 - (1 - p) ** num_tries, num_tries >= num_sampled
    tf.reset_default_graph()
    u = _run(tf.random.uniform_candidate_sampler(tf.constant(TC), 2, 8, True, 10, seed=1))
    tries = math.log(1 - float(u[2][0])) / math.log(0.9)
    assert tries >= 8 - 1e-3 and abs(tries - round(tries)) < 1e-3


def test_sampling_frequencies():
    tf.reset_default_graph()
    tc = tf.constant([[0]], tf.int64)
    n = 4000
    lu = tf.random.log_uniform_candidate_sampler(tc, 1, n, False, 20, seed=2)
    fx = tf.random.fixed_unigram_candidate_sampler(tc, 1, n, False, 10, unigrams=UNIGRAMS,
                                                   distortion=0.5, num_reserved_ids=0, seed=2)
    un = tf.random.uniform_candidate_sampler(tc, 1, n, False, 7, seed=2)
    v = _run({"lu": lu, "fx": fx, "un": un})
    k = np.arange(20)
    p_lu = np.log((k + 2.0) / (k + 1.0)) / np.log(21.0)
    w = np.sqrt(np.array(UNIGRAMS))
    for key, p in [("lu", p_lu), ("fx", w / w.sum()), ("un", np.full(7, 1 / 7))]:
        freq = np.bincount(v[key][0], minlength=len(p)) / n
        np.testing.assert_allclose(freq, p, atol=4 * np.sqrt(p.max() / n))


def test_learned_unigram_learns_true_classes():
    tf.reset_default_graph()
    ph = tf.placeholder(tf.int64, [None, 1])
    r = tf.random.learned_unigram_candidate_sampler(ph, 1, 4, False, 5, seed=1)
    with tf.Session() as s:
        first = s.run(r, {ph: [[3]]})
        second = s.run(r, {ph: [[3], [3]]})
        third = s.run(r, {ph: [[0]]})
    # Weights start at 1 and each true class adds 1 after the batch is drawn.
    np.testing.assert_allclose(first.true_expected_count, [[4 / 5]])
    np.testing.assert_allclose(second.true_expected_count, [[2 / 6 * 4], [2 / 6 * 4]])
    np.testing.assert_allclose(third.true_expected_count, [[1 / 8 * 4]])
    w3 = np.array([1, 1, 1, 4, 1])
    np.testing.assert_allclose(third.sampled_expected_count, w3[third[0]] / 8 * 4, rtol=1e-6)
    # A new session starts again.
    np.testing.assert_allclose(_run(r, {ph: [[0]]}).true_expected_count, [[4 / 5]])


def test_fixed_unigram_file_reserved_and_shards(tmp_path):
    tf.reset_default_graph()
    vocab = tmp_path / "vocab.csv"
    vocab.write_text("a,2\r\n\nb, 3 \nc,x,5")  # CRLF, an empty line, no final newline
    tc = tf.constant([[0]], tf.int64)
    f = tf.random.fixed_unigram_candidate_sampler
    ops = {"file": f(tc, 1, 3, False, 5, vocab_file=str(vocab), num_reserved_ids=2, seed=1),
           "shard": f(tc, 1, 3, False, 5, unigrams=UNIGRAMS, num_shards=2, shard=1, seed=1),
           # reserved ids 0 and 3 are kept; the weights' ids then count on from 2
           "both": f(tc, 1, 2, True, 5, unigrams=UNIGRAMS, num_shards=3, shard=0,
                     num_reserved_ids=4, seed=1)}
    v = _run(ops)
    np.testing.assert_allclose(v["file"][2], np.array([0, 0, 2, 3, 5])[v["file"][0]] / 10 * 3,
                               rtol=1e-6)
    assert set(v["file"][0].tolist()) <= {2, 3, 4}
    shard_w = np.array(UNIGRAMS[1::2])
    np.testing.assert_allclose(v["shard"][2], shard_w[v["shard"][0]] / shard_w.sum() * 3,
                               rtol=1e-6)
    assert sorted(v["both"][0].tolist()) in ([2, 3], [2, 4], [3, 4])


def test_expected_count_helper_uses_float32():
    p = np.array([0.1, 0.25], np.float32)
    np.testing.assert_array_equal(range_sampler.expected_counts(p, 4, 4), p * np.float32(4))
    got = range_sampler.expected_counts(p, 4, 9)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, 1 - (1 - p.astype(np.float64)) ** 9, rtol=1e-6)


# -- compute_accidental_hits -----------------------------------------------------------------------
def test_compute_accidental_hits():
    tf.reset_default_graph()
    tc = tf.constant([[1, 2], [3, 4], [2, 2]], tf.int64)
    hits = tf.nn.compute_accidental_hits(tc, tf.constant([2, 4, 2, 1], tf.int64), 2)
    assert type(hits).__name__ == "ComputeAccidentalHits"
    assert hits._fields == ("indices", "ids", "weights")
    assert [t.dtype for t in hits] == [tf.int32, tf.int64, tf.float32]
    assert [t.shape.as_list() for t in hits] == [[None]] * 3
    v = _run(hits)
    # A candidate sampled twice is found at its last position.
    assert v.indices.tolist() == [0, 0, 1, 2, 2]
    assert v.ids.tolist() == [3, 2, 1, 2, 2]
    np.testing.assert_array_equal(v.weights, np.full(5, -np.finfo(np.float32).max, np.float32))
    with pytest.raises(ValueError, match="Dimension must be 3 but is 2"):
        tf.nn.compute_accidental_hits(tc, tf.constant([1], tf.int64), 3)
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        tf.nn.compute_accidental_hits(tc, tf.constant([[1]], tf.int64), 2)


def test_samplers_have_no_gradient():
    tf.reset_default_graph()
    x = tf.Variable([[1, 2]], dtype=tf.int64)
    r = tf.random.uniform_candidate_sampler(x, 2, 3, True, 10)
    h = tf.nn.compute_accidental_hits(x, r[0], 2)
    f = tf.cast(r[1], tf.float32) + tf.cast(h.weights[:1], tf.float32)
    assert tf.gradients(tf.reduce_sum(f), [r[0]]) == [None]


# -- sampled losses ---------------------------------------------------------------------------------
RNG = np.random.default_rng(7)
W0 = RNG.normal(size=(12, 3)).astype(np.float32)
B0 = RNG.normal(size=12).astype(np.float32)
X0 = RNG.normal(size=(2, 3)).astype(np.float32)
LABELS = np.array([[1, 5], [4, 4]], np.int64)
SAMPLED = np.array([4, 0, 7], np.int64)
TRUE_Q = np.array([[0.5, 0.25], [0.2, 0.2]], np.float32)
SAMPLED_Q = np.array([0.3, 0.6, 0.1], np.float32)


def _reference_logits(remove_hits):
    true = np.einsum("bd,btd->bt", X0, W0[LABELS]) + B0[LABELS] - np.log(TRUE_Q)
    sampled = X0 @ W0[SAMPLED].T + B0[SAMPLED] - np.log(SAMPLED_Q)
    if remove_hits:
        for i, row in enumerate(LABELS):
            for j, c in enumerate(SAMPLED):
                if c in row:
                    sampled[i, j] += -np.finfo(np.float32).max
    logits = np.concatenate([true, sampled], 1)
    labels = np.concatenate([np.full_like(true, 0.5), np.zeros_like(sampled)], 1)
    return logits, labels


def _loss_setup():
    w = tf.Variable(W0)
    b = tf.Variable(B0)
    x = tf.Variable(X0)
    sv = (tf.constant(SAMPLED), tf.constant(TRUE_Q), tf.constant(SAMPLED_Q))
    return w, b, x, sv


def test_nce_loss_values_and_gradients_against_numpy():
    tf.reset_default_graph()
    w, b, x, sv = _loss_setup()
    loss = tf.nn.nce_loss(w, b, tf.constant(LABELS), x, 3, 12, num_true=2, sampled_values=sv)
    assert loss.shape.as_list() == [2]
    logits, labels = _reference_logits(False)
    ref = (np.maximum(logits, 0) - logits * labels + np.log1p(np.exp(-np.abs(logits)))).sum(1)
    gw, gb, gx = tf.gradients(tf.reduce_sum(loss), [w, b, x])
    # the weights' and biases' gradients are IndexedSlices (gathers), as TF's
    assert isinstance(gw, tf.IndexedSlices) and isinstance(gb, tf.IndexedSlices)
    gw, gb = tf.convert_to_tensor(gw), tf.convert_to_tensor(gb)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        lv, gwv, gbv, gxv = s.run([loss, gw, gb, gx])
    np.testing.assert_allclose(lv, ref, rtol=1e-5)
    # d loss / d logits = sigmoid(logits) - labels, then back through the lookups.
    d = 1 / (1 + np.exp(-logits)) - labels
    all_ids = np.concatenate([LABELS.reshape(-1), SAMPLED])
    gx_ref = np.einsum("bt,btd->bd", d[:, :2], W0[LABELS]) + d[:, 2:] @ W0[SAMPLED]
    np.testing.assert_allclose(gxv, gx_ref, rtol=1e-5, atol=1e-6)
    gb_ref = np.zeros(12)
    np.add.at(gb_ref, all_ids, np.concatenate([d[:, :2].reshape(-1), d[:, 2:].sum(0)]))
    np.testing.assert_allclose(gbv, gb_ref, rtol=1e-5, atol=1e-6)
    gw_ref = np.zeros((12, 3))
    np.add.at(gw_ref, LABELS.reshape(-1), (d[:, :2, None] * X0[:, None, :]).reshape(-1, 3))
    np.add.at(gw_ref, SAMPLED, d[:, 2:].T @ X0)
    np.testing.assert_allclose(gwv, gw_ref, rtol=1e-5, atol=1e-6)


def test_sampled_softmax_loss_removes_accidental_hits():
    tf.reset_default_graph()
    w, b, x, sv = _loss_setup()
    loss = tf.nn.sampled_softmax_loss(w, b, tf.constant(LABELS), x, 3, 12, num_true=2,
                                      sampled_values=sv)
    assert loss.name == "softmax_cross_entropy_with_logits/Reshape_2:0"
    kept = tf.nn.sampled_softmax_loss(w, b, tf.constant(LABELS), x, 3, 12, num_true=2,
                                      sampled_values=sv, remove_accidental_hits=False)
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert "sampled_softmax_loss/SparseToDense" in names
    assert "sampled_softmax_loss/sparse_indices" in names
    assert "sampled_softmax_loss_1/SparseToDense" not in names
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        lv, kv = s.run([loss, kept])
    for value, remove in ((lv, True), (kv, False)):
        logits, labels = _reference_logits(remove)
        z = logits - logits.max(1, keepdims=True)
        ref = -(labels * (z - np.log(np.exp(z).sum(1, keepdims=True)))).sum(1)
        np.testing.assert_allclose(value, ref, rtol=1e-5)


def test_partitioned_weights_match_one_tensor():
    def loss_of(weights, strategy):
        tf.reset_default_graph()
        tf.set_random_seed(3)  # each graph's first sampler draws the same candidates
        loss = tf.nn.nce_loss([tf.constant(p) for p in weights], tf.constant(B0),
                              tf.constant(LABELS), tf.constant(X0), 4, 12, num_true=2,
                              partition_strategy=strategy)
        return _run(loss)

    one = loss_of([W0], "mod")
    np.testing.assert_allclose(loss_of([W0[i::3] for i in range(3)], "mod"), one, rtol=1e-5)
    np.testing.assert_allclose(loss_of([W0[:4], W0[4:8], W0[8:]], "div"), one, rtol=1e-5)
    # 12 rows in 5 parts: the first 12 % 5 parts are one row longer
    parts = [W0[:3], W0[3:6], W0[6:8], W0[8:10], W0[10:]]
    np.testing.assert_allclose(loss_of(parts, "div"), one, rtol=1e-5)


def test_word2vec_nce_training_lowers_the_loss():
    tf.reset_default_graph()
    tf.set_random_seed(0)
    rng = np.random.default_rng(0)
    emb = tf.Variable(rng.uniform(-1, 1, (20, 4)).astype(np.float32))
    w = tf.Variable(rng.normal(0, 0.5, (20, 4)).astype(np.float32))
    b = tf.Variable(np.zeros(20, np.float32))
    centers = np.arange(20) % 10
    contexts = ((centers + 10) % 20).reshape(-1, 1)
    loss = tf.reduce_mean(tf.nn.nce_loss(w, b, contexts, tf.nn.embedding_lookup(emb, centers),
                                         num_sampled=5, num_classes=20))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        losses = [s.run([loss, train])[0] for _ in range(60)]
    assert np.mean(losses[-10:]) < 0.6 * np.mean(losses[:10])


def test_read_vocab_skips_empty_lines(tmp_path):
    p = tmp_path / "v.csv"
    p.write_bytes(b"x,1\n\ny,2.5\r\nz,3")
    assert range_sampler._read_vocab(os.fspath(p)) == [1.0, 2.5, 3.0]
