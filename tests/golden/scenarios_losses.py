"""Golden scenarios of tf.losses and tf.metrics: each loss under each reduction with
weights (output name, shape, value, the LOSSES collection, gradients with respect to the
predictions/logits), total/regularization losses, and metrics.accuracy over two update runs.

Same conventions as ``scenarios.py``: ``scenario_<name>(tf)`` returns JSON-able data; TF's
results are recorded by ``record_tf.py --set losses`` into ``tf1_expected_losses.json``.
"""

import numpy as np

_REDUCTIONS = ["NONE", "SUM", "MEAN", "SUM_OVER_BATCH_SIZE", "SUM_BY_NONZERO_WEIGHTS"]


def _v(x):
    a = np.asarray(x)
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 5).tolist()
    return a.tolist()


def _err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return [type(e).__name__, str(e)]
    return None


_P = np.array([[0.2, 0.7, 0.1], [0.6, 0.3, 0.9], [0.5, 0.5, 0.4], [0.9, 0.1, 0.3]], np.float32)
_L = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [1.0, 0.0, 0.0], [1.0, 0.0, 1.0]], np.float32)
_W = np.array([[1.0], [0.0], [2.0], [0.5]], np.float32)


def _run_loss(tf, build, weights):
    """Builds the loss under every reduction from a variable ``pred`` and returns names,
    shapes, values and d(loss)/d(pred) for each."""
    pred = tf.Variable(_P, name="pred")
    out = {}
    losses = []
    for r in _REDUCTIONS:
        try:
            loss = build(tf, pred, weights, getattr(tf.losses.Reduction, r))
        except ValueError as e:
            # TF 2.x appends "Received weights=<Tensor repr>, values=...": not compared
            return {"error": ["ValueError", str(e).split(" Received")[0]]}
        (g,) = tf.gradients(tf.reduce_sum(loss), [pred])
        losses.append((r, loss, g))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for r, loss, g in losses:
            val, gv = sess.run([loss, g])
            out[r] = {"name": loss.name, "shape": loss.shape.as_list(), "dtype": loss.dtype.name,
                      "value": _v(val), "grad": _v(gv)}
    out["collection"] = [t.name for t in tf.get_collection(tf.GraphKeys.LOSSES)]
    return out


def _weights(tf, kind):
    if kind == "scalar":
        return 2.0
    if kind == "column":
        return tf.constant(_W)
    return tf.constant(np.tile(_W, (1, 3)) * np.array([1.0, 0.0, 1.0], np.float32))


def _make(build, kind):
    def scenario(tf):
        return _run_loss(tf, build, _weights(tf, kind))
    return scenario


_LOSSES = {
    "absolute_difference": lambda tf, p, w, r: tf.losses.absolute_difference(
        _L, p, weights=w, reduction=r),
    "mean_squared_error": lambda tf, p, w, r: tf.losses.mean_squared_error(
        _L, p, weights=w, reduction=r),
    "log_loss": lambda tf, p, w, r: tf.losses.log_loss(_L, p, weights=w, reduction=r),
    "hinge_loss": lambda tf, p, w, r: tf.losses.hinge_loss(_L, p, weights=w, reduction=r),
    "huber_loss": lambda tf, p, w, r: tf.losses.huber_loss(
        _L, p * 4.0, weights=w, delta=0.5, reduction=r),
    "sigmoid_xent": lambda tf, p, w, r: tf.losses.sigmoid_cross_entropy(
        _L, p, weights=w, reduction=r),
    "sigmoid_xent_smooth": lambda tf, p, w, r: tf.losses.sigmoid_cross_entropy(
        _L, p, weights=w, label_smoothing=0.2, reduction=r),
}

# losses of one value per example: weights broadcast from a [4] or [4, 1] column
_ROW_LOSSES = {
    "softmax_xent": lambda tf, p, w, r: tf.losses.softmax_cross_entropy(
        _L, p, weights=w, reduction=r),
    "softmax_xent_smooth": lambda tf, p, w, r: tf.losses.softmax_cross_entropy(
        _L, p, weights=w, label_smoothing=0.1, reduction=r),
    "sparse_softmax_xent": lambda tf, p, w, r: tf.losses.sparse_softmax_cross_entropy(
        np.array([1, 0, 0, 2], np.int32), p, weights=w, reduction=r),
    "sparse_softmax_xent_column": lambda tf, p, w, r: tf.losses.sparse_softmax_cross_entropy(
        np.array([[1], [0], [0], [2]], np.int64), p, weights=w, reduction=r),
    "cosine_distance": lambda tf, p, w, r: tf.losses.cosine_distance(
        tf.nn.l2_normalize(_L, axis=1), tf.nn.l2_normalize(p, axis=1), axis=1, weights=w,
        reduction=r),
}


def _row_weights(tf, kind):
    if kind == "scalar":
        return 0.5
    if kind == "vector":
        return tf.constant(_W[:, 0])
    return tf.constant(_W)


def _make_row(build, kind):
    def scenario(tf):
        return _run_loss(tf, build, _row_weights(tf, kind))
    return scenario


def scenario_reduction_keys(tf):
    R = tf.losses.Reduction
    return {"all": list(R.all()), "names": [R.NONE, R.SUM, R.MEAN, R.SUM_OVER_BATCH_SIZE,
                                            R.SUM_BY_NONZERO_WEIGHTS,
                                            R.SUM_OVER_NONZERO_WEIGHTS],
            "bad": _err(lambda: R.validate("bad")), "good": R.validate(R.SUM)}


def scenario_compute_weighted_loss(tf):
    a = tf.losses.compute_weighted_loss([1.0, 2.0, 3.0])
    b = tf.losses.compute_weighted_loss(tf.constant([[1.0, 2.0], [3.0, 4.0]]),
                                        weights=[[0.0], [2.0]], scope="mine")
    c = tf.losses.compute_weighted_loss([4.0, 0.0], weights=0.0, loss_collection=None)
    d = tf.losses.compute_weighted_loss(tf.constant([1.0, 2.0], tf.float64),
                                        reduction=tf.losses.Reduction.SUM)
    with tf.Session() as sess:
        vals = sess.run([a, b, c, d])
    return {"names": [t.name for t in (a, b, c, d)], "values": _v(vals[:3]),
            "d": [d.dtype.name, _v(vals[3])],
            "collection": [t.name for t in tf.get_collection(tf.GraphKeys.LOSSES)],
            "bad_reduction": _err(lambda: tf.losses.compute_weighted_loss([1.0], reduction="x"))}


def scenario_loss_errors(tf):
    return {
        "shape": _err(lambda: tf.losses.mean_squared_error(tf.zeros([2, 3]), tf.zeros([2, 2]))),
        "none_labels": _err(lambda: tf.losses.absolute_difference(None, [1.0]))[0],
        "none_logits": _err(lambda: tf.losses.softmax_cross_entropy([[1.0]], None))[0],
        "cosine_axis": _err(lambda: tf.losses.cosine_distance([[1.0]], [[1.0]])),
        "weights_rank": _err(lambda: tf.losses.absolute_difference(
            tf.zeros([2, 3]), tf.zeros([2, 3]), weights=tf.zeros([2, 3, 4])))[0],
    }


def scenario_total_loss(tf):
    w = tf.Variable(np.array([1.0, -2.0], np.float32), name="w")
    l1 = tf.losses.mean_squared_error([1.0, 1.0], w)
    l2 = tf.losses.absolute_difference([0.0, 0.0], w, scope="l1_term")
    tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, tf.nn.l2_loss(w))
    tf.losses.add_loss(tf.constant(0.25, name="extra"))
    reg = tf.losses.get_regularization_loss()
    total = tf.losses.get_total_loss()
    total_noreg = tf.losses.get_total_loss(add_regularization_losses=False, name="plain")
    (g,) = tf.gradients(total, [w])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        vals = sess.run([l1, l2, reg, total, total_noreg, g])
    return {"names": [t.name for t in (l1, l2, reg, total, total_noreg)],
            "values": _v(vals[:5]), "grad": _v(vals[5]),
            "losses": [t.name for t in tf.losses.get_losses()],
            "scoped": [t.name for t in tf.losses.get_losses(scope="l1_term")],
            "reg": [t.name for t in tf.losses.get_regularization_losses()]}


def scenario_empty_regularization(tf):
    r = tf.losses.get_regularization_loss()
    with tf.Session() as sess:
        return {"name": r.name, "value": _v(sess.run(r))}


def scenario_metrics_accuracy(tf):
    labels = tf.placeholder(tf.int64, [None])
    preds = tf.placeholder(tf.int64, [None])
    acc, update = tf.metrics.accuracy(labels, preds)
    acc2, update2 = tf.metrics.accuracy(labels, preds, weights=[1.0, 0.0, 2.0, 1.0],
                                        name="weighted")
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        first = sess.run([update, update2], {labels: [1, 2, 3, 4], preds: [1, 2, 0, 0]})
        second = sess.run([update, update2], {labels: [1, 2, 3, 4], preds: [1, 0, 3, 4]})
        final = sess.run([acc, acc2])
        sess.run(tf.local_variables_initializer())
        reset = sess.run(acc)
    return {"names": [acc.name, update.name, acc2.name, update2.name],
            "local": [v.name for v in tf.local_variables()],
            "metric": [v.name for v in tf.get_collection(tf.GraphKeys.METRIC_VARIABLES)],
            "global": [v.name for v in tf.global_variables()],
            "trainable": [v.name for v in tf.trainable_variables()],
            "runs": _v([first, second, final]), "reset": _v(reset)}


def scenario_metrics_mean(tf):
    x = tf.placeholder(tf.float32, [None])
    m, up = tf.metrics.mean(x)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        a = sess.run(up, {x: [1.0, 2.0]})
        b = sess.run(up, {x: [6.0]})
        c = sess.run(m)
    return {"names": [m.name, up.name], "values": _v([a, b, c]),
            "local": [v.name for v in tf.local_variables()]}


def all_scenarios():
    out = {}
    for name, build in _LOSSES.items():
        for kind in ("scalar", "column", "full"):
            out[f"{name}_{kind}"] = _make(build, kind)
    for name, build in _ROW_LOSSES.items():
        for kind in ("scalar", "vector", "column"):
            out[f"{name}_{kind}"] = _make_row(build, kind)
    out.update({k[len("scenario_"):]: v for k, v in globals().items()
                if k.startswith("scenario_") and callable(v)})
    return out
