"""Golden scenarios of tf.metrics: each metric built on placeholders, its update op run on
two fed batches, then its value read and the local variables reset; TF's output names,
local/metric variable names and values are recorded by ``record_tf.py --set metrics``."""

import numpy as np

_RNG = np.random.RandomState(7)
_LAB = [(_RNG.rand(12) > 0.5).astype(np.float32), (_RNG.rand(12) > 0.4).astype(np.float32)]
_PRED = [_RNG.rand(12).astype(np.float32), _RNG.rand(12).astype(np.float32)]
_W = [_RNG.rand(12).astype(np.float32), _RNG.rand(12).astype(np.float32)]
_X = [_RNG.randn(4, 3).astype(np.float32), _RNG.randn(4, 3).astype(np.float32)]
_Y = [_RNG.randn(4, 3).astype(np.float32), _RNG.randn(4, 3).astype(np.float32)]


def _v(x):
    if isinstance(x, (list, tuple)):
        return [_v(e) for e in x]
    return np.round(np.asarray(x, dtype=np.float64), 5).tolist()


def _run(tf, build, feeds_per_step, weighted=False):
    ph = {}

    def p(name, shape, dtype=None):
        ph[name] = tf.placeholder(dtype or tf.float32, shape, name=name)
        return ph[name]

    value, update = build(tf, p)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        ups = [sess.run(update, {ph[k]: v for k, v in f.items()}) for f in feeds_per_step]
        final = sess.run(value)
        sess.run(tf.local_variables_initializer())
        reset = sess.run(value)
    return {"names": [value.name, update.name], "dtype": value.dtype.name,
            "shape": value.get_shape().as_list(),
            "local": [v.name for v in tf.local_variables()],
            "metric": [v.name for v in tf.get_collection(tf.GraphKeys.METRIC_VARIABLES)],
            "global": [v.name for v in tf.global_variables()],
            "updates": _v(ups), "final": _v(final), "reset": _v(reset)}


def _binary(build, weighted=False):
    steps = [{"labels": _LAB[i], "predictions": _PRED[i], **({"weights": _W[i]}
                                                              if weighted else {})}
             for i in range(2)]

    def scenario(tf):
        def b(tf, p):
            w = p("weights", [None]) if weighted else None
            return build(tf, p("labels", [None]), p("predictions", [None]), w)
        return _run(tf, b, steps)
    return scenario


def _regression(build, weighted=False):
    steps = [{"labels": _X[i], "predictions": _Y[i], **({"weights": _W[i][:4, None]}
                                                         if weighted else {})}
             for i in range(2)]

    def scenario(tf):
        def b(tf, p):
            w = p("weights", [None, 1]) if weighted else None
            return build(tf, p("labels", [None, 3]), p("predictions", [None, 3]), w)
        return _run(tf, b, steps)
    return scenario


_THR = [0.2, 0.5, 0.8]
_BINARY = {
    "true_positives": lambda tf, l, p, w: tf.metrics.true_positives(l, p > 0.5, w),
    "false_positives": lambda tf, l, p, w: tf.metrics.false_positives(l, p > 0.5, w),
    "true_negatives": lambda tf, l, p, w: tf.metrics.true_negatives(l, p > 0.5, w),
    "false_negatives": lambda tf, l, p, w: tf.metrics.false_negatives(l, p > 0.5, w),
    "precision": lambda tf, l, p, w: tf.metrics.precision(l, p > 0.5, w),
    "recall": lambda tf, l, p, w: tf.metrics.recall(l, p > 0.5, w, name="my_recall"),
    "tp_at_thr": lambda tf, l, p, w: tf.metrics.true_positives_at_thresholds(l, p, _THR, w),
    "fp_at_thr": lambda tf, l, p, w: tf.metrics.false_positives_at_thresholds(l, p, _THR, w),
    "tn_at_thr": lambda tf, l, p, w: tf.metrics.true_negatives_at_thresholds(l, p, _THR, w),
    "fn_at_thr": lambda tf, l, p, w: tf.metrics.false_negatives_at_thresholds(l, p, _THR, w),
    "precision_at_thr": lambda tf, l, p, w: tf.metrics.precision_at_thresholds(l, p, _THR, w),
    "recall_at_thr": lambda tf, l, p, w: tf.metrics.recall_at_thresholds(l, p, _THR, w),
    "auc_roc": lambda tf, l, p, w: tf.metrics.auc(l, p, w),
    "auc_roc_20": lambda tf, l, p, w: tf.metrics.auc(l, p, w, num_thresholds=20),
    "auc_pr": lambda tf, l, p, w: tf.metrics.auc(l, p, w, curve="PR", num_thresholds=50),
    "auc_pr_careful": lambda tf, l, p, w: tf.metrics.auc(
        l, p, w, curve="PR", summation_method="careful_interpolation"),
    "auc_minoring": lambda tf, l, p, w: tf.metrics.auc(l, p, w, summation_method="minoring"),
    "auc_majoring": lambda tf, l, p, w: tf.metrics.auc(l, p, w, summation_method="majoring"),
    "auc_given_thr": lambda tf, l, p, w: tf.metrics.auc(l, p, w, thresholds=[0.7, 0.1, 0.4]),
    "sens_at_spec": lambda tf, l, p, w: tf.metrics.sensitivity_at_specificity(l, p, 0.6, w),
    "spec_at_sens": lambda tf, l, p, w: tf.metrics.specificity_at_sensitivity(
        l, p, 0.7, w, num_thresholds=30),
    "accuracy_bool": lambda tf, l, p, w: tf.metrics.accuracy(l, tf.cast(p > 0.5, tf.float32),
                                                             w),
    "percentage_below": lambda tf, l, p, w: tf.metrics.percentage_below(p, 0.3, w),
    "mean_tensor_vec": lambda tf, l, p, w: tf.metrics.mean_tensor(
        tf.reshape(p, [12]), None if w is None else tf.reshape(w, [12])),
}
_REGRESSION = {
    "mse": lambda tf, l, p, w: tf.metrics.mean_squared_error(l, p, w),
    "rmse": lambda tf, l, p, w: tf.metrics.root_mean_squared_error(l, p, w),
    "mae": lambda tf, l, p, w: tf.metrics.mean_absolute_error(l, p, w),
    "mean_relative_error": lambda tf, l, p, w: tf.metrics.mean_relative_error(
        l, p, tf.abs(l) + 0.5, w),
    "mean_cosine_distance": lambda tf, l, p, w: tf.metrics.mean_cosine_distance(
        tf.nn.l2_normalize(l, 1), tf.nn.l2_normalize(p, 1), 1, w),
    "mean_tensor": lambda tf, l, p, w: tf.metrics.mean_tensor(tf.reshape(l * p, [4, 3])),
}


def scenario_metric_errors(tf):
    def err(fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001
            return type(e).__name__
        return None
    lab = tf.constant([1.0, 0.0])
    pred = tf.constant([0.3, 0.6])
    return {
        "curve": err(lambda: tf.metrics.auc(lab, pred, curve="XY")),
        "summation": err(lambda: tf.metrics.auc(lab, pred, summation_method="bad")),
        "spec_range": err(lambda: tf.metrics.sensitivity_at_specificity(lab, pred, 1.5)),
        "shape": err(lambda: tf.metrics.precision(tf.constant([1.0, 0.0, 1.0]), pred > 0.5)),
        "mean_tensor_unknown": err(lambda: tf.metrics.mean_tensor(
            tf.placeholder(tf.float32, [None]))),
        "mse_shape": err(lambda: tf.metrics.mean_squared_error(tf.zeros([2, 3]),
                                                               tf.zeros([3, 2]))),
    }


def all_scenarios():
    out = {}
    for name, build in _BINARY.items():
        out[name] = _binary(build)
        out[name + "_weighted"] = _binary(build, weighted=True)
    for name, build in _REGRESSION.items():
        out[name] = _regression(build)
        if name != "mean_tensor":
            out[name + "_weighted"] = _regression(build, weighted=True)
    out.update({k[len("scenario_"):]: v for k, v in globals().items()
                if k.startswith("scenario_") and callable(v)})
    return out
