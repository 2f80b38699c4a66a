"""Golden scenarios found by running TensorFlow's own metrics and losses unit tests against
varstore (``record_tf.py --set tftg``): keyword names of the rate-at-rate metrics, ..."""

import numpy as np


def _v(x):
    a = np.asarray(x)
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 5).tolist()
    return a.tolist()


def _err(fn):
    """Type and message of the exception ``fn`` raises (None, None if none); for a run-time
    error the message's line above '[[{{node ...}}]]' (TF adds traceback lines before it)."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        msg = getattr(e, "message", None) or str(e)
        lines = [ln for ln in msg.split("\n") if ln.strip()]
        if len(lines) > 1 and lines[-1].strip().startswith("[[{{node"):
            return {"type": type(e).__name__, "msg": lines[-2].strip()}
        return {"type": type(e).__name__, "msg": msg}
    return {"type": None, "msg": None}


def _run_metric(tf, pair, feed=None):
    """(update value, value after the update) of a (value, update_op) metric pair."""
    value, update = pair
    with tf.Session() as s:
        s.run(tf.local_variables_initializer())
        u = s.run(update, feed)
        return [_v(u), _v(s.run(value, feed))]


# -- rate at rate -------------------------------------------------------------------------------
def scenario_rate_at_rate_keywords(tf):
    p = tf.constant([0.1, 0.2, 0.4, 0.3, 0.0, 0.1, 0.2, 0.2, 0.26, 0.26])
    lab = tf.constant([0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    w = tf.constant([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    out = {
        "spec": _run_metric(tf, tf.metrics.specificity_at_sensitivity(
            lab, p, weights=w, sensitivity=0.4)),
        "sens": _run_metric(tf, tf.metrics.sensitivity_at_specificity(
            labels=lab, predictions=p, specificity=0.7, num_thresholds=50)),
        "names": [v.name for v in tf.local_variables()],
    }
    out["bad"] = _err(lambda: tf.metrics.sensitivity_at_specificity(lab, p, specificity=1.5))
    return out


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
