"""Golden scenarios of tf.edit_distance (``record_tf.py --set editdist``): TF's documented
example, unnormalized distances, int sequences, unordered entries, static shapes, errors."""

import numpy as np


def _err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return {"type": type(e).__name__, "msg": str(e)}
    return {"type": None, "msg": None}


def _r(v):
    return np.asarray(v, np.float64).round(5).tolist()


def scenario_documented_example(tf):
    h = tf.SparseTensor([[0, 0, 0], [1, 0, 0]], ["a", "b"], (2, 1, 1))
    t = tf.SparseTensor([[0, 1, 0], [1, 0, 0], [1, 0, 1], [1, 1, 0]], ["a", "b", "c", "a"],
                        (2, 2, 2))
    d = tf.edit_distance(h, t)
    u = tf.edit_distance(h, t, normalize=False)
    with tf.Session() as s:
        dv, uv = s.run([d, u])
    return {"norm": _r(dv), "raw": _r(uv), "shape": d.shape.as_list(), "type": d.op.type,
            "name": d.op.name, "dtype": d.dtype.name, "grad": tf.gradients(d, [])}


def scenario_int_sequences_and_placeholders(tf):
    hi = tf.sparse_placeholder(tf.int64, name="hyp")
    ti = tf.sparse_placeholder(tf.int64, name="truth")
    d = tf.edit_distance(hi, ti, normalize=True, name="ed")
    hyp = tf.SparseTensorValue([[0, 0], [0, 1], [0, 2], [1, 0], [2, 1], [2, 0]],
                               [1, 2, 3, 4, 6, 5], [3, 4])
    tru = tf.SparseTensorValue([[0, 0], [0, 1], [1, 0], [1, 1], [1, 2], [2, 0]],
                               [1, 3, 4, 4, 4, 5], [3, 3])
    with tf.Session() as s:
        v = s.run(d, {hi: hyp, ti: tru})
        raw = s.run(tf.edit_distance(hi, ti, normalize=False), {hi: hyp, ti: tru})
        err = _err(lambda: s.run(d, {hi: hyp, ti: tf.SparseTensorValue([[0, 0, 0]], [1],
                                                                       [1, 1, 1])}))
    return {"v": _r(v), "raw": _r(raw), "shape": str(d.shape), "name": d.name,
            # TF's message carries the Python traceback of the node; keep the kernel's line
            "rank_err": [err["type"], [ln for ln in err["msg"].splitlines()
                                       if ln.startswith("Expected")][:1]]}


def scenario_python_errors(tf):
    t = tf.SparseTensor([[0, 0]], [1], (1, 1))
    return {"not_sparse": _err(lambda: tf.edit_distance(1, t)),
            "truth_not_sparse": _err(lambda: tf.edit_distance(t, [1])),
            "dtype": _err(lambda: tf.edit_distance(t, tf.SparseTensor([[0, 0]], [1.0],
                                                                      (1, 1))))}


def scenario_batched_decoder_error_rate(tf):
    # the CTC evaluation pattern: mean edit distance of decoded vs. label sequences
    logits = tf.constant(np.random.RandomState(0).randn(6, 2, 4).astype(np.float32))
    decoded, _ = tf.nn.ctc_greedy_decoder(logits, [6, 5])
    labels = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], [1, 2, 0], [2, 2])
    ler = tf.reduce_mean(tf.edit_distance(tf.cast(decoded[0], tf.int32), labels))
    with tf.Session() as s:
        return {"ler": _r(s.run(ler))}


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
