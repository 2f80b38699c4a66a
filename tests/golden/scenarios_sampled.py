"""Golden scenarios of candidate sampling and the sampled losses (``record_tf.py --set
sampled``): every candidate sampler's candidates and expected counts under op seeds and graph
seeds, run after run (the learned unigram sampler learning from its true classes), their
graph nodes and errors, compute_accidental_hits, nce_loss and sampled_softmax_loss values and
gradients (weights, biases, inputs; partitioned weights), and a tiny word2vec model trained
with each loss step for step from the same initial weights.

Same conventions as ``scenarios.py``: ``scenario_<name>(tf)`` returns JSON-able data.
"""

import os
import tempfile

import numpy as np

_TC = np.array([[1, 2], [3, 4], [0, 9]], np.int64)
_UNIGRAMS = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.5]


def _v(x):
    a = np.asarray(x)
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 6).tolist()
    return a.tolist()


def _dense(v):
    """A fetched gradient as an array (TF's IndexedSlicesValue of a gather summed out)."""
    if hasattr(v, "indices") and hasattr(v, "values"):
        d = np.zeros(v.dense_shape, np.float64)
        np.add.at(d, np.asarray(v.indices), np.asarray(v.values, np.float64))
        return d
    return np.asarray(v)


def _draws(tf, ops, runs=3, feeds=None):
    """{key: [[candidates, true counts, sampled counts] per run]}."""
    out = {}
    with tf.Session() as s:
        for r in range(runs):
            vals = s.run(ops, None if feeds is None else feeds[r])
            for k in sorted(vals):
                out.setdefault(k, []).append([_v(x) for x in vals[k]])
    return out


def _samplers(tf, tc, seed, unique, num_sampled=6):
    return {
        "uniform": tf.random.uniform_candidate_sampler(tc, 2, num_sampled, unique, 10, seed=seed),
        "uniform_big": tf.random.uniform_candidate_sampler(tc, 2, num_sampled, unique, 2 ** 40 + 3,
                                                           seed=seed),
        "uniform_pow2": tf.random.uniform_candidate_sampler(tc, 2, num_sampled, unique, 16,
                                                            seed=seed),
        "log_uniform": tf.random.log_uniform_candidate_sampler(tc, 2, num_sampled, unique, 10,
                                                               seed=seed),
        "log_uniform_big": tf.random.log_uniform_candidate_sampler(tc, 2, num_sampled, unique,
                                                                   100000, seed=seed),
        "learned": tf.random.learned_unigram_candidate_sampler(tc, 2, num_sampled, unique, 10,
                                                               seed=seed),
        "fixed": tf.random.fixed_unigram_candidate_sampler(tc, 2, num_sampled, unique, 10,
                                                           unigrams=_UNIGRAMS, seed=seed),
        "all": tf.random.all_candidate_sampler(tc, 2, 10, unique, seed=seed),
    }


def scenario_samplers_op_seed(tf):
    tc = tf.constant(_TC)
    out = {"plain": _draws(tf, _samplers(tf, tc, 3, False))}
    out["unique"] = _draws(tf, _samplers(tf, tc, 11, True))
    return out


def scenario_samplers_graph_seed(tf):
    tf.set_random_seed(42)
    tc = tf.constant(_TC)
    ops = _samplers(tf, tc, None, True, num_sampled=8)
    ops.update({"again_" + k: v for k, v in _samplers(tf, tc, None, False).items()})
    out = _draws(tf, ops, runs=2)
    out["seeds"] = {k: [v[0].op.get_attr("seed"), v[0].op.get_attr("seed2")]
                    for k, v in sorted(ops.items())}
    return out


def scenario_samplers_nn_aliases(tf):
    # TF1 also exports the samplers under tf.nn (deprecated endpoints).
    tc = tf.constant(_TC)
    ops = {"u": tf.nn.uniform_candidate_sampler(tc, 2, 4, True, 10, seed=1),
           "l": tf.nn.log_uniform_candidate_sampler(tc, 2, 4, True, 10, seed=1),
           "lr": tf.nn.learned_unigram_candidate_sampler(tc, 2, 4, True, 10, seed=1),
           "f": tf.nn.fixed_unigram_candidate_sampler(tc, 2, 4, True, 10, unigrams=_UNIGRAMS,
                                                      seed=1),
           "a": tf.nn.all_candidate_sampler(tc, 2, 10, False, seed=1)}
    return _draws(tf, ops, runs=2)


def scenario_fixed_unigram_variants(tf):
    fd, path = tempfile.mkstemp(suffix=".csv")
    try:
        with os.fdopen(fd, "w") as f:
            for i, w in enumerate([7, 1, 3, 12, 5, 5, 8, 2, 9, 4, 6, 1]):
                f.write(f"word{i},{i % 3},{w}\n")
            f.write("\n")  # an empty line takes no id
        tc = tf.constant([[1], [3], [0]], tf.int64)
        ops = {
            "vocab": tf.random.fixed_unigram_candidate_sampler(
                tc, 1, 5, False, 12, vocab_file=path, seed=4),
            "vocab_unique_distorted": tf.random.fixed_unigram_candidate_sampler(
                tc, 1, 7, True, 12, vocab_file=path, distortion=0.75, seed=5),
            "reserved": tf.random.fixed_unigram_candidate_sampler(
                tc, 1, 6, True, 13, unigrams=_UNIGRAMS, num_reserved_ids=3, seed=6),
            "shard1of2": tf.random.fixed_unigram_candidate_sampler(
                tc, 1, 4, False, 5, unigrams=_UNIGRAMS, num_shards=2, shard=1, seed=7),
            "shard0of3_reserved": tf.random.fixed_unigram_candidate_sampler(
                tc, 1, 3, True, 5, unigrams=_UNIGRAMS, num_shards=3, shard=0,
                num_reserved_ids=4, seed=8),
            "distortion0": tf.random.fixed_unigram_candidate_sampler(
                tc, 1, 5, False, 10, unigrams=_UNIGRAMS, distortion=0.0, seed=9),
            "skewed_unique": tf.random.fixed_unigram_candidate_sampler(
                tc, 1, 10, True, 10, unigrams=[5000.0] + [1.0] * 9, seed=10),
        }
        return _draws(tf, ops, runs=2)
    finally:
        os.remove(path)


def scenario_learned_unigram_updates(tf):
    tc = tf.placeholder(tf.int64, [None, 3])
    ops = {"plain": tf.random.learned_unigram_candidate_sampler(tc, 3, 12, False, 8, seed=2),
           "unique": tf.random.learned_unigram_candidate_sampler(tc, 3, 5, True, 8, seed=2)}
    batches = [[[0, 0, 1]], [[0, 0, 0], [7, 7, 7]], [[2, 3, 4], [5, 6, 7], [0, 0, 0]],
               [[1, 1, 1]]]
    out = _draws(tf, ops, runs=4, feeds=[{tc: b} for b in batches])
    # A new session starts again from weights of 1.
    out["new_session"] = _draws(tf, ops, runs=1, feeds=[{tc: batches[2]}])
    return out


def scenario_sampler_graph(tf):
    tc = tf.constant(_TC)
    ph = tf.placeholder(tf.int64, [None, 3])
    r = tf.random.uniform_candidate_sampler(tc, 2, 5, True, 10, seed=5, name="foo")
    f = tf.random.fixed_unigram_candidate_sampler(ph, 3, 4, False, 10, unigrams=[1, 2.5] * 5,
                                                  distortion=0.5, seed=6)
    lr = tf.random.learned_unigram_candidate_sampler([[1, 2]], 2.0, 3, False, 10)
    a = tf.random.all_candidate_sampler(tf.placeholder(tf.int64), 2, 7, False)
    hits = tf.nn.compute_accidental_hits([[1, 2]], [2, 1, 2], 2, seed=3)
    out = {}
    for k, res in {"u": r, "f": f, "lr": lr, "a": a, "hits": hits}.items():
        op = res[0].op
        out[k] = {"type": type(res).__name__, "fields": list(res._fields), "op": op.type,
                  "names": [t.name for t in res], "dtypes": [t.dtype.name for t in res],
                  "shapes": [t.shape.as_list() if t.shape.ndims is not None else None
                             for t in res],
                  "inputs": [t.name for t in op.inputs],
                  "seeds": [op.get_attr("seed"), op.get_attr("seed2")]}
    out["f"]["attrs"] = {k: f[0].op.get_attr(k) for k in ["num_true", "num_sampled", "unique",
                                                         "range_max", "distortion",
                                                         "num_reserved_ids", "num_shards",
                                                         "shard", "unigrams"]}
    out["f"]["vocab_file"] = f[0].op.get_attr("vocab_file").decode() \
        if isinstance(f[0].op.get_attr("vocab_file"), bytes) else f[0].op.get_attr("vocab_file")
    out["u"]["attrs"] = {k: r[0].op.get_attr(k) for k in ["num_true", "num_sampled", "unique",
                                                         "range_max"]}
    with tf.Session() as s:
        res = s.run({"r": r, "hits": hits})
    out["fetched_types"] = [type(res["r"]).__name__, type(res["hits"]).__name__]
    out["fetched_fields"] = list(res["r"]._fields)
    return out


def _err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return [type(e).__name__, str(e)]
    return None


def _run_err(tf, build, needle):
    """A run-time error's type and whether its message holds ``needle``."""
    tf.reset_default_graph()
    try:
        res = build()
        with tf.Session() as s:
            s.run(res)
    except Exception as e:  # noqa: BLE001
        return [type(e).__name__, needle in str(e)]
    return None


def scenario_sampler_errors(tf):
    U = tf.random.uniform_candidate_sampler
    F = tf.random.fixed_unigram_candidate_sampler
    C = tf.nn.compute_accidental_hits

    def tc():
        return tf.constant([[1, 2], [3, 4]], tf.int64)

    out = {
        "int32_tensor": _err(lambda: U(tf.constant([[1, 2]]), 2, 3, True, 10)),
        "float_list": _err(lambda: U([[1.0, 2]], 2, 3, True, 10)),
        "num_true0": _err(lambda: U(tc(), 0, 3, True, 10)),
        "num_sampled0": _err(lambda: U(tc(), 2, 0, True, 10)),
        "range0": _err(lambda: U(tc(), 2, 3, True, 0)),
        "num_true_str": _err(lambda: U(tc(), "2", 3, True, 10)),
        "unique_int": _err(lambda: U(tc(), 2, 3, 1, 10)),
        "range_tensor": _err(lambda: U(tc(), 2, 3, True, tf.constant(10))),
        "rank1": _err(lambda: U(tf.constant([1, 2], tf.int64), 2, 3, True, 10)),
        "learned_big": _err(lambda: tf.random.learned_unigram_candidate_sampler(
            tc(), 2, 3, True, 2 ** 31)),
        "fixed_rank1": _err(lambda: F(tf.constant([1, 2], tf.int64), 2, 3, False, 6,
                                      unigrams=[1, 2, 3.5, 4, 5, 6], distortion=0.5)),
        "fixed_shards0": _err(lambda: F(tc(), 2, 3, False, 4, unigrams=[1.0] * 4,
                                        num_shards=0)),
        "fixed_shard_neg": _err(lambda: F(tc(), 2, 3, False, 4, unigrams=[1.0] * 4, shard=-1)),
        "fixed_unigrams_array": _err(lambda: F(tc(), 2, 3, False, 4,
                                               unigrams=np.ones(4, np.float32))),
        "hits_num_true": _err(lambda: C(tc(), tf.constant([4, 1], tf.int64), 3)),
        "hits_rank": _err(lambda: C(tc(), tf.constant([[4, 1]], tf.int64), 2)),
        "hits_int32": _err(lambda: C(tc(), tf.constant([4, 1]), 2)),
    }
    ph = tf.placeholder(tf.int64)
    s_ph = U(ph, 2, 3, True, 10)
    with tf.Session() as s:
        for key, feed, needle in [("run_rank", [1, 2], "true_classes must be a matrix"),
                                  ("run_num_true", [[1, 2, 3]],
                                   "true_classes must have num_true columns, expected: 3 was: 2")]:
            try:
                s.run(s_ph, {ph: feed})
                out[key] = None
            except Exception as e:  # noqa: BLE001
                out[key] = [type(e).__name__, needle in str(e)]
    out["too_small"] = _run_err(tf, lambda: U(tc(), 2, 11, True, 10),
                                "Sampler's range is too small.")
    out["out_of_range"] = _run_err(tf, lambda: U(tc(), 2, 3, False, 4),
                                   "`true_candidate` out of range [0, 4), received 4")
    out["negative"] = _run_err(tf, lambda: U(tf.constant([[-1, 2]], tf.int64), 2, 3, False, 4),
                               "`true_candidate` out of range [0, 4), received -1")
    out["fixed_none"] = _run_err(tf, lambda: F(tc(), 2, 3, True, 10),
                                 "Must provide either vocab_file or unigrams.")
    out["fixed_both"] = _run_err(tf, lambda: F(tc(), 2, 3, True, 10, vocab_file="/x",
                                               unigrams=[1.0] * 10),
                                 "Must only provide one of vocab_file and unigrams.")
    out["fixed_size"] = _run_err(tf, lambda: F(tc(), 2, 3, True, 10, unigrams=[1.0] * 9),
                                 "range is 10 must be equal to weights size  9")
    out["fixed_shard_size"] = _run_err(tf, lambda: F(tc(), 2, 3, False, 4, unigrams=[1.0] * 6,
                                                     num_shards=2, shard=2),
                                       "range is 4 must be equal to weights size  0")
    out["fixed_no_file"] = _run_err(tf, lambda: F(tc(), 2, 3, True, 10,
                                                  vocab_file="/nonexistent/vocab.csv"),
                                    "/nonexistent/vocab.csv; No such file or directory")
    out["all_range"] = _run_err(tf, lambda: tf.random.all_candidate_sampler(tc(), 2, 3, False),
                                "`true_candidate` out of range [0, 3), received 3")
    hp = tf.placeholder(tf.int64)
    hits = C(hp, tf.constant([1, 2], tf.int64), 2)
    with tf.Session() as s:
        try:
            s.run(hits, {hp: [[1, 2, 3]]})
            out["hits_run"] = None
        except Exception as e:  # noqa: BLE001
            out["hits_run"] = [type(e).__name__,
                               "true_candidates must be a batch_size * num_true matrix" in str(e)]
    return out


def scenario_accidental_hits(tf):
    tc = tf.constant([[1, 2], [3, 4], [2, 2], [9, 0]], tf.int64)
    ops = {"basic": tf.nn.compute_accidental_hits(tc, tf.constant([4, 1, 7, 2], tf.int64), 2),
           "dup": tf.nn.compute_accidental_hits(tc, tf.constant([2, 4, 2, 1, 2], tf.int64), 2),
           "none": tf.nn.compute_accidental_hits(tc, tf.constant([5, 6], tf.int64), 2),
           "empty": tf.nn.compute_accidental_hits(tf.zeros([0, 2], tf.int64),
                                                  tf.constant([5, 6], tf.int64), 2)}
    with tf.Session() as s:
        vals = s.run(ops)
    return {k: [_v(x) for x in v] + [[str(x.dtype) for x in v]] for k, v in vals.items()}


# -- the sampled losses --------------------------------------------------------------------------
_RNG = np.random.default_rng(20240501)
_W0 = _RNG.normal(size=(20, 4)).astype(np.float32)
_B0 = _RNG.normal(size=20).astype(np.float32)
_X0 = _RNG.normal(size=(3, 4)).astype(np.float32)
_LABELS2 = np.array([[1, 2], [3, 3], [0, 19]], np.int64)


def _loss_run(tf, loss, wrt, runs=2):
    grads = tf.gradients(tf.reduce_sum(loss), wrt)
    out = {"name": loss.name, "shape": loss.shape.as_list(), "dtype": loss.dtype.name}
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for _ in range(runs):
            lv, gv = s.run([loss, grads])
            out.setdefault("loss", []).append(_v(lv))
            out.setdefault("grads", []).append([_v(_dense(g)) for g in gv])
    return out


def _wbx(tf):
    w = tf.get_variable("w", initializer=tf.constant(_W0))
    b = tf.get_variable("b", initializer=tf.constant(_B0))
    x = tf.get_variable("x", initializer=tf.constant(_X0))
    return w, b, x


def _graph_ops(tf, scope):
    # The loss's own ops (the lookups' and the cross-entropy's insides aside: varstore reads
    # a variable then gathers where TF has one ResourceGather).
    return [[op.name, op.type] for op in tf.get_default_graph().get_operations()
            if op.name.startswith(scope) and "embedding_lookup" not in op.name
            and "gradients" not in op.name]


def scenario_nce_loss(tf):
    tf.set_random_seed(1)
    w, b, x = _wbx(tf)
    loss = tf.nn.nce_loss(w, b, tf.constant(_LABELS2), x, 5, 20, num_true=2)
    out = _loss_run(tf, loss, [w, b, x])
    out["ops"] = _graph_ops(tf, "nce_loss/")
    return out


def scenario_nce_loss_accidental_hits(tf):
    tf.set_random_seed(2)
    w, b, x = _wbx(tf)
    labels = tf.constant([[1], [3], [0]])  # int32: cast to int64 as in TF
    loss = tf.nn.nce_loss(w, b, labels, x, 12, 20, remove_accidental_hits=True,
                          name="my_nce")
    out = _loss_run(tf, loss, [w, b, x])
    out["ops"] = _graph_ops(tf, "my_nce/")
    return out


def scenario_sampled_softmax_loss(tf):
    w, b, x = _wbx(tf)
    loss = tf.nn.sampled_softmax_loss(w, b, tf.constant(_LABELS2), x, 6, 20, num_true=2,
                                      seed=4)
    out = _loss_run(tf, loss, [w, b, x])
    out["ops"] = _graph_ops(tf, "sampled_softmax_loss/")
    return out


def scenario_sampled_softmax_given_sampled_values(tf):
    w, b, x = _wbx(tf)
    labels = tf.constant(_LABELS2)
    sv = tf.random.uniform_candidate_sampler(labels, 2, 7, False, 20, seed=9)
    loss = tf.nn.sampled_softmax_loss(w, b, labels, x, 7, 20, num_true=2, sampled_values=sv)
    nce = tf.nn.nce_loss(w, b, labels, x, 7, 20, num_true=2, sampled_values=sv,
                         remove_accidental_hits=True)
    out = _loss_run(tf, loss, [w, b, x])
    out["nce"] = _loss_run(tf, nce, [w, b, x])
    return out


def scenario_sampled_losses_partitioned(tf):
    tf.set_random_seed(5)
    b = tf.get_variable("b", initializer=tf.constant(_B0))
    x = tf.constant(_X0)
    labels = tf.constant(_LABELS2)
    mod = [tf.get_variable(f"m{i}", initializer=tf.constant(_W0[i::3])) for i in range(3)]
    cuts = [0, 7, 14, 20]
    div = [tf.get_variable(f"d{i}", initializer=tf.constant(_W0[cuts[i]:cuts[i + 1]]))
           for i in range(3)]
    out = {"mod": _loss_run(tf, tf.nn.sampled_softmax_loss(mod, b, labels, x, 6, 20,
                                                           num_true=2), [*mod, b])}
    out["div"] = _loss_run(tf, tf.nn.nce_loss(div, b, labels, x, 6, 20, num_true=2,
                                              partition_strategy="div"), [*div, b])
    return out


# -- a tiny word2vec, trained step for step ---------------------------------------------------------
_VOCAB, _DIM = 30, 6
_E0 = _RNG.uniform(-1.0, 1.0, size=(_VOCAB, _DIM)).astype(np.float32)
_NW0 = (_RNG.normal(size=(_VOCAB, _DIM)) / np.sqrt(_DIM)).astype(np.float32)
_CORPUS = _RNG.integers(0, _VOCAB, size=200)


def _skipgram_batches(n_batches, batch):
    """(center, context) pairs of a window of 1 over the fixed corpus."""
    pairs = [(int(_CORPUS[i]), int(_CORPUS[i + d])) for i in range(1, len(_CORPUS) - 1)
             for d in (-1, 1)]
    out = []
    for k in range(n_batches):
        chunk = pairs[k * batch:(k + 1) * batch]
        out.append((np.array([c for c, _ in chunk], np.int32),
                    np.array([[t] for _, t in chunk], np.int64)))
    return out


def _train_word2vec(tf, loss_fn, steps=6, lr=0.5):
    tf.set_random_seed(123)
    emb = tf.get_variable("emb", initializer=tf.constant(_E0))
    nce_w = tf.get_variable("nce_w", initializer=tf.constant(_NW0))
    nce_b = tf.get_variable("nce_b", initializer=tf.zeros_initializer(), shape=[_VOCAB])
    centers = tf.placeholder(tf.int32, [None])
    contexts = tf.placeholder(tf.int64, [None, 1])
    embed = tf.nn.embedding_lookup(emb, centers)
    loss = tf.reduce_mean(loss_fn(nce_w, nce_b, contexts, embed))
    train = tf.train.GradientDescentOptimizer(lr).minimize(loss)
    out = {"loss": [], "emb_rows": [], "nce_b": []}
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for c, t in _skipgram_batches(steps, 16):
            lv, _ = s.run([loss, train], {centers: c, contexts: t})
            out["loss"].append(_v(lv))
            out["emb_rows"].append(_v(s.run(emb)[:4]))
            out["nce_b"].append(_v(s.run(nce_b)))
        out["final_nce_w"] = _v(s.run(nce_w))
    return out


def scenario_word2vec_nce_training(tf):
    return _train_word2vec(tf, lambda w, b, t, e: tf.nn.nce_loss(
        w, b, t, e, num_sampled=8, num_classes=_VOCAB))


def scenario_word2vec_sampled_softmax_training(tf):
    return _train_word2vec(tf, lambda w, b, t, e: tf.nn.sampled_softmax_loss(
        w, b, t, e, num_sampled=8, num_classes=_VOCAB), lr=0.3)


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
