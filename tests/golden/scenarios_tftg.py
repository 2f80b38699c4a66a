"""Golden scenarios found by running TensorFlow's own metrics and losses unit tests against
varstore (``record_tf.py --set tftg``): keyword names of the rate-at-rate metrics, ..."""

import warnings

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


# -- top-k metrics on SparseTensor labels -----------------------------------------------------
def scenario_topk_sparse_labels(tf):
    preds = tf.constant([[0.5, 0.1, 0.6, 0.3, 0.8, 0.0, 0.7, 0.2, 0.4, 0.9],
                         [0.3, 0.0, 0.7, 0.2, 0.4, 0.9, 0.5, 0.8, 0.1, 0.6]])
    sp = tf.SparseTensorValue([[0, 0], [0, 1], [0, 2], [0, 3], [1, 0], [1, 1], [1, 2], [1, 3]],
                              np.array([2, 7, -1, 8, 1, 2, 5, 10], np.int64), [2, 4])
    one = tf.SparseTensorValue([[0], [1]], np.array([3, 2], np.int64), [2])
    p4 = tf.constant([[0.1, 0.3, 0.2, 0.4], [0.1, 0.2, 0.3, 0.4]])
    out = {}
    for key, pair in (
            ("prec5", tf.metrics.precision_at_k(sp, preds, 5)),
            ("prec5_c2", tf.metrics.precision_at_k(sp, preds, 5, class_id=2)),
            ("rec5", tf.metrics.recall_at_k(sp, preds, 5)),
            ("rec5_c7", tf.metrics.recall_at_k(sp, preds, 5, class_id=7)),
            ("ap3", tf.metrics.average_precision_at_k(sp, preds, 3)),
            ("ap3_w", tf.metrics.average_precision_at_k(sp, preds, 3, weights=[0.3, 0.6])),
            ("one_prec1", tf.metrics.precision_at_k(one, p4, 1)),
            ("one_rec1_c3", tf.metrics.recall_at_k(one, p4, 1, class_id=3)),
            ("one_ap2", tf.metrics.average_precision_at_k(one, p4, 2)),
            ("top_prec", tf.metrics.precision_at_top_k(sp, tf.constant([[9, 4], [5, 7]]))),
    ):
        out[key] = _run_metric(tf, pair)
    out["names"] = sorted(v.name for v in tf.local_variables())
    return out


# -- constants from np.matrix (TF's metrics tests build their inputs so) ------------------------
def scenario_constant_from_matrix(tf):
    with warnings.catch_warnings():  # NumPy's PendingDeprecationWarning for np.matrix
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        m = np.matrix("1 0 0; 0 0 -1; 1 0 0")
        m_lab = np.matrix("1 0 0; 0 0 1; 0 1 0")
    lab = tf.constant(m_lab, shape=(3, 1, 3), dtype=tf.float32)
    pred = tf.constant(m, shape=(3, 1, 3), dtype=tf.float32)
    w = tf.constant([0, 1, 1], shape=(3, 1, 1), dtype=tf.float32)
    with tf.Session() as s:
        out = {"shape": pred.shape.as_list(), "plain": tf.constant(m).shape.as_list(),
               "value": _v(s.run(pred))}
    out["cos"] = _run_metric(tf, tf.metrics.mean_cosine_distance(lab, pred, dim=2, weights=w))
    return out


# -- sparse_softmax_cross_entropy: squeezing labels and weights ---------------------------------
def scenario_sparse_xent_squeeze(tf):
    logits = [[10.0, 0.0, 0.0], [0.0, 10.0, 0.0], [0.0, 0.0, 10.0]]
    labels = [[2], [0], [1]]
    w = tf.placeholder(tf.float32)
    ul = tf.placeholder(tf.float32)
    ui = tf.placeholder(tf.int32)
    pl = tf.placeholder(tf.float32, (None, 3))
    pi = tf.placeholder(tf.int32, (None, 1))
    out = {}
    with tf.Session() as s:
        out["fed_w"] = _v(s.run(tf.losses.sparse_softmax_cross_entropy(
            tf.constant(labels), tf.constant(logits), w), {w: ((1.2,), (3.4,), (5.6,))}))
        out["unknown"] = _v(s.run(tf.losses.sparse_softmax_cross_entropy(ui, ul, 1.0),
                                  {ul: logits, ui: labels}))
        out["all_fed"] = _v(s.run(tf.losses.sparse_softmax_cross_entropy(pi, pl, w),
                                  {pl: logits, pi: labels, w: [[1.0], [2.0], [0.0]]}))
    big = tf.constant([[100.0, -100.0], [-100.0, 100.0]])
    out["rank_err"] = _err(lambda: tf.losses.sparse_softmax_cross_entropy(
        tf.constant([[0, 1], [1, 0]]), big, weights=1.2))
    return out


# -- compute_weighted_loss: fed weights checked before the multiply ----------------------------
def scenario_weighted_loss_dynamic_check(tf):
    raw = np.arange(24, dtype=np.float64).reshape((3, 2, 4))
    w = tf.placeholder(tf.float32)
    loss = tf.losses.compute_weighted_loss(raw, weights=w)
    part = tf.placeholder(tf.float32, (3, None, 4))
    loss2 = tf.losses.compute_weighted_loss(part, weights=tf.constant([[[1.0]], [[2.0]], [[0.0]]]))
    lab = tf.placeholder(tf.int32)
    pred = tf.placeholder(tf.float32)
    mpse = tf.losses.mean_pairwise_squared_error(lab, pred, weights=w)
    out = {}
    with tf.Session() as s:
        for key, wv in (("w3", (17.0, 5.0, 2.0)), ("w3x1", ((17.0,), (5.0,), (2.0,))),
                        ("w4d", np.zeros((2, 2, 2, 2))), ("ok", (((17.0,), (3.0,)),))):
            out[key] = _err(lambda wv=wv: s.run(loss, {w: wv}))
        out["ok_value"] = _v(s.run(loss, {w: (((17.0,), (3.0,)),)}))
        out["partial"] = _v(s.run(loss2, {part: raw.astype(np.float32)}))
        out["partial_bad"] = _err(lambda: s.run(loss2, {part: np.ones((3, 2, 5), np.float32)}))
        out["mpse_bad"] = _err(lambda: s.run(mpse, {lab: raw.astype(np.int32), pred: raw,
                                                    w: (1.2, 3.4)}))
    out["n_losses"] = len(tf.losses.get_losses())
    return out


# -- confusion_matrix's static checks keep their message ----------------------------------------
def scenario_confusion_static_checks(tf):
    lab = np.asarray([1, 1, 0, -1, -1], np.int32)
    pred = np.asarray([2, 1, 0, 2, 2], np.int32)
    out = {
        "neg_labels": _err(lambda: tf.confusion_matrix(lab, pred, num_classes=3)),
        "neg_preds": _err(lambda: tf.confusion_matrix(pred, lab)),
        "nonneg_msg": _err(lambda: tf.assert_non_negative(tf.constant([1.0, -2.0]),
                                                           message="bad")),
        "positive": _err(lambda: tf.assert_positive(tf.constant([0, 3]))),
        "less_data": _err(lambda: tf.assert_less(tf.constant([3]), tf.constant([2]),
                                                 data=["custom", tf.constant([7, 8])])),
    }
    with tf.Session() as s:
        out["big_labels"] = _err(lambda: s.run(tf.confusion_matrix(
            tf.constant([1, 1, 0, 3, 5]), tf.constant([2, 1, 0, 2, 2]), num_classes=3)))
    return out


# -- probes: names, dtypes and values across the metrics and losses ------------------------------
def scenario_metric_op_names(tf):
    lab = tf.constant([[0, 1], [1, 1]])
    pred = tf.constant([[0.2, 0.8], [0.6, 0.4]])
    pairs = {
        "acc": tf.metrics.accuracy(lab, tf.cast(pred > 0.5, tf.int32)),
        "prec": tf.metrics.precision(lab, pred > 0.5),
        "rec": tf.metrics.recall(lab, pred > 0.5),
        "auc": tf.metrics.auc(lab, pred, num_thresholds=5),
        "pat": tf.metrics.precision_at_thresholds(lab, pred, [0.3, 0.7]),
        "mae": tf.metrics.mean_absolute_error(tf.cast(lab, tf.float32), pred),
        "rmse": tf.metrics.root_mean_squared_error(tf.cast(lab, tf.float32), pred),
        "miou": tf.metrics.mean_iou(lab, tf.cast(pred > 0.5, tf.int32), 2),
        "mpca": tf.metrics.mean_per_class_accuracy(lab, tf.cast(pred > 0.5, tf.int32), 2),
        "pb": tf.metrics.percentage_below(pred, 0.5),
        "mt": tf.metrics.mean_tensor(pred),
        "tp": tf.metrics.true_positives(lab, pred > 0.5),
        "pk": tf.metrics.precision_at_k(tf.constant([[1], [0]], tf.int64), pred, 1),
        "rk": tf.metrics.recall_at_k(tf.constant([[1], [0]], tf.int64), pred, 1),
        "apk": tf.metrics.average_precision_at_k(tf.constant([[1], [0]], tf.int64), pred, 2),
    }
    out = {}
    with tf.Session() as s:
        s.run(tf.local_variables_initializer())
        for k, (v, u) in pairs.items():
            out[k] = {"v": v.name, "u": u.name, "dt": v.dtype.name, "udt": u.dtype.name,
                      "shape": v.shape.as_list(), "val": _v(s.run(u))}
    out["locals"] = sorted(v.name for v in tf.local_variables())
    out["metric_vars"] = len(tf.get_collection(tf.GraphKeys.METRIC_VARIABLES))
    return out


def scenario_metric_dtypes_unknown_shapes(tf):
    lab = tf.placeholder(tf.int64)
    pred = tf.placeholder(tf.float32)
    w = tf.placeholder(tf.float32)
    feed = {lab: [[1, 0, 1]], pred: [[0.9, 0.2, 0.4]], w: [[1.0, 2.0, 3.0]]}
    out = {}
    for key, fn in (
            ("acc", lambda: tf.metrics.accuracy(lab, tf.cast(pred > 0.5, tf.int64), w)),
            ("prec", lambda: tf.metrics.precision(lab, pred > 0.5, w)),
            ("auc", lambda: tf.metrics.auc(lab, pred, w, num_thresholds=7)),
            ("mse", lambda: tf.metrics.mean_squared_error(tf.cast(lab, tf.float32), pred, w)),
            ("cos", lambda: tf.metrics.mean_cosine_distance(tf.cast(lab, tf.float32), pred, 1)),
            ("fn_t", lambda: tf.metrics.false_negatives_at_thresholds(lab, pred, [0.3, 0.5], w)),
            ("sens", lambda: tf.metrics.sensitivity_at_specificity(lab, pred, 0.5, w, 11)),
    ):
        try:
            v, u = fn()
        except Exception as e:  # noqa: BLE001 - recorded
            out[key] = {"err": type(e).__name__, "msg": str(e).split("\n")[0]}
            continue
        with tf.Session() as s:
            s.run(tf.local_variables_initializer())
            out[key] = {"shape": None if v.shape.ndims is None else v.shape.as_list(),
                        "u": _v(s.run(u, feed)), "v": _v(s.run(v, feed))}
    return out


def scenario_metric_bad_inputs(tf):
    out = {
        "acc_shape": _err(lambda: tf.metrics.accuracy(tf.ones([3, 2]), tf.ones([3, 4]))),
        "auc_curve": _err(lambda: tf.metrics.auc(tf.ones([3]), tf.ones([3]), curve="XX")),
        "auc_sum": _err(lambda: tf.metrics.auc(tf.ones([3]), tf.ones([3]),
                                               summation_method="bogus")),
        "pk_k0": _err(lambda: tf.metrics.average_precision_at_k(
            tf.constant([[1]], tf.int64), tf.ones([1, 3]), 0)),
        "miou_w": _err(lambda: tf.metrics.mean_iou(tf.ones([4]), tf.ones([4]), 2,
                                                   weights=tf.ones([3]))),
        "pb_w": _err(lambda: tf.metrics.percentage_below(tf.ones([4]), 1.0,
                                                         weights=tf.ones([3]))),
        "cos_shape": _err(lambda: tf.metrics.mean_cosine_distance(tf.ones([2, 3]),
                                                                  tf.ones([2, 4]), 1)),
        "mre_shape": _err(lambda: tf.metrics.mean_relative_error(tf.ones([2]), tf.ones([3]),
                                                                 tf.ones([2]))),
        "sens_neg": _err(lambda: tf.metrics.specificity_at_sensitivity(
            tf.ones([2]), tf.ones([2]), -0.1)),
        "prec_float_pred": _err(lambda: tf.metrics.precision(
            tf.constant([1, 0]), tf.constant([0.7, 0.2]))),
    }
    return out



def scenario_loss_probe_values(tf):
    lab = tf.constant([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]])
    pred = tf.constant([[0.1, 0.8, 0.6], [0.7, 0.3, 0.2]])
    w = tf.constant([[1.0], [0.0]])
    onehot = tf.constant([[0, 1, 0], [1, 0, 0]])
    logits = tf.constant([[1.0, 2.0, 0.5], [0.3, -1.0, 2.0]])
    red = tf.losses.Reduction
    cases = {}
    for r in (red.NONE, red.SUM, red.MEAN, red.SUM_OVER_BATCH_SIZE, red.SUM_BY_NONZERO_WEIGHTS):
        cases["abs_" + r] = tf.losses.absolute_difference(lab, pred, w, reduction=r)
        cases["huber_" + r] = tf.losses.huber_loss(lab, pred, w, delta=0.25, reduction=r)
        cases["log_" + r] = tf.losses.log_loss(lab, pred, w, epsilon=1e-3, reduction=r)
        cases["hinge_" + r] = tf.losses.hinge_loss(lab, logits, reduction=r)
        cases["sig_" + r] = tf.losses.sigmoid_cross_entropy(lab, logits, w,
                                                            label_smoothing=0.2, reduction=r)
        cases["soft_" + r] = tf.losses.softmax_cross_entropy(onehot, logits, [2.0, 0.5],
                                                             label_smoothing=0.1, reduction=r)
        cases["cos_" + r] = tf.losses.cosine_distance(tf.nn.l2_normalize(lab, 1),
                                                      tf.nn.l2_normalize(pred, 1), axis=1,
                                                      reduction=r)
    out = {}
    with tf.Session() as s:
        for k, t in cases.items():
            out[k] = {"name": t.name, "shape": t.shape.as_list(), "dt": t.dtype.name,
                      "val": _v(s.run(t))}
    out["n"] = len(tf.losses.get_losses())
    out["f64"] = tf.losses.mean_squared_error(tf.constant([1.0], tf.float64),
                                              tf.constant([2.0], tf.float64)).dtype.name
    return out


def scenario_loss_probe_errors(tf):
    out = {
        "hinge_shape": _err(lambda: tf.losses.hinge_loss(tf.ones([2]), tf.ones([2, 1]))),
        "abs_none_labels": _err(lambda: tf.losses.absolute_difference(None, tf.ones([2]))),
        "mse_shape": _err(lambda: tf.losses.mean_squared_error(tf.ones([2, 3]), tf.ones([3, 2]))),
        "cos_no_axis": _err(lambda: tf.losses.cosine_distance(tf.ones([2, 3]), tf.ones([2, 3]))),
        "cos_both": _err(lambda: tf.losses.cosine_distance(tf.ones([2, 3]), tf.ones([2, 3]),
                                                           axis=1, dim=1)),
        "red_bad": _err(lambda: tf.losses.compute_weighted_loss(tf.ones([2]),
                                                                reduction="bogus")),
        "soft_w": _err(lambda: tf.losses.softmax_cross_entropy(tf.ones([2, 3]), tf.ones([2, 3]),
                                                               weights=tf.ones([3]))),
        "sig_shape": _err(lambda: tf.losses.sigmoid_cross_entropy(tf.ones([2, 3]),
                                                                  tf.ones([2, 4]))),
        "log_w": _err(lambda: tf.losses.log_loss(tf.ones([2, 3]), tf.ones([2, 3]),
                                                 weights=tf.ones([2, 2]))),
    }
    return out



def scenario_loss_gradients(tf):
    x = tf.constant([[0.3, -1.2, 2.0], [1.5, 0.1, -0.4]])
    lab = tf.constant([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]])
    onehot = tf.constant([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    w = tf.constant([[2.0], [0.5]])
    losses = {
        "abs": tf.losses.absolute_difference(lab, x, w),
        "mse": tf.losses.mean_squared_error(lab, x, w),
        "huber": tf.losses.huber_loss(lab, x, w, delta=0.5),
        "log": tf.losses.log_loss(lab, tf.sigmoid(x), w),
        "hinge": tf.losses.hinge_loss(lab, x, w),
        "sig": tf.losses.sigmoid_cross_entropy(lab, x, w, label_smoothing=0.1),
        "soft": tf.losses.softmax_cross_entropy(onehot, x, [2.0, 0.5], label_smoothing=0.2),
        "sparse": tf.losses.sparse_softmax_cross_entropy([1, 0], x, [[2.0], [0.5]]),
        "mpse": tf.losses.mean_pairwise_squared_error(lab, x, w),
        "cos": tf.losses.cosine_distance(tf.nn.l2_normalize(lab, 1), tf.nn.l2_normalize(x, 1),
                                         axis=1, weights=w),
    }
    out = {}
    with tf.Session() as s:
        for k, loss in losses.items():
            g = tf.gradients(loss, x)[0]
            out[k] = [_v(s.run(loss)), _v(s.run(g))]
    return out


def scenario_metric_reset_and_vars(tf):
    lab = tf.placeholder(tf.int32, [None])
    pred = tf.placeholder(tf.int32, [None])
    with tf.variable_scope("eval"):
        acc, acc_up = tf.metrics.accuracy(lab, pred, name="acc")
        miou, miou_up = tf.metrics.mean_iou(lab, pred, 3, name="iou")
        auc, auc_up = tf.metrics.auc(lab, tf.cast(pred, tf.float32) / 2.0, num_thresholds=4)
    mvars = tf.get_collection(tf.GraphKeys.METRIC_VARIABLES)
    out = {"vars": [[v.name, v.dtype.name, v.shape.as_list(), v.trainable] for v in mvars],
           "trainable": len(tf.trainable_variables()), "global": len(tf.global_variables())}
    reset = tf.variables_initializer(tf.local_variables(scope="eval/acc"))
    with tf.Session() as s:
        s.run(tf.local_variables_initializer())
        steps = []
        for lv, pv in (([0, 1, 2], [0, 1, 1]), ([2, 2], [2, 0]), ([1], [1])):
            steps.append([_v(x) for x in s.run([acc_up, miou_up, auc_up], {lab: lv, pred: pv})])
        out["steps"] = steps
        out["before_reset"] = _v(s.run([acc, miou, auc]))
        s.run(reset)
        out["after_reset"] = _v(s.run([acc, miou, auc]))
        out["after_reset_up"] = _v(s.run(acc_up, {lab: [1, 2], pred: [1, 1]}))
    return out


def scenario_sparse_topk_aliases(tf):
    preds = tf.constant([[0.1, 0.3, 0.2, 0.4], [0.1, 0.2, 0.3, 0.4]])
    labels = tf.constant([[3], [2]], tf.int64)
    pairs = {
        "spk": tf.metrics.sparse_precision_at_k(labels, preds, 2),
        "spk_c3": tf.metrics.sparse_precision_at_k(labels, preds, 2, class_id=3),
        "sapk": tf.metrics.sparse_average_precision_at_k(labels, preds, 2),
        "rtk": tf.metrics.recall_at_top_k(labels, tf.constant([[3, 1], [3, 2]]), k=2),
    }
    out = {}
    with tf.Session() as s:
        s.run(tf.local_variables_initializer())
        for k, (v, u) in pairs.items():
            out[k] = [v.name, u.name, _v(s.run(u)), _v(s.run(v))]
    return out



def scenario_namespace_surface(tf):
    """What dir() of tf.metrics / tf.losses offers (public names only)."""
    return {ns: sorted(n for n in dir(getattr(tf, ns)) if not n.startswith("_"))
            for ns in ("metrics", "losses")}



def scenario_probe_edge_cases(tf):
    preds = tf.constant([[0.1, 0.3, 0.2, 0.4], [0.5, 0.2, 0.3, 0.0]])
    lab64 = tf.constant([[3, 1], [2, -1]], tf.int64)
    plab = tf.constant([1, 0, 1, 1, 0])
    pp = tf.constant([0.9, 0.4, 0.35, 0.8, 0.1])
    cases = {
        "auc_pr_min": lambda: tf.metrics.auc(plab, pp, curve="PR", summation_method="minoring",
                                             num_thresholds=6),
        "auc_pr_maj_w": lambda: tf.metrics.auc(plab, pp, weights=[1.0, 2.0, 0.0, 1.0, 3.0],
                                               curve="PR", summation_method="majoring"),
        "auc_roc_w": lambda: tf.metrics.auc(plab, pp, weights=[1, 2, 0, 1, 3]),
        "apk_big_k": lambda: tf.metrics.average_precision_at_k(lab64, preds, 7),
        "pk_c1_w": lambda: tf.metrics.precision_at_k(lab64, preds, 2, class_id=1,
                                                     weights=[[0.5], [2.0]]),
        "rtk_none": lambda: tf.metrics.recall_at_top_k(lab64, tf.constant([[3, 0], [2, 1]])),
        "miou_float": lambda: tf.metrics.mean_iou(tf.constant([0, 1, 2]),
                                                  tf.constant([0.0, 1.0, 1.0]), 3),
        "mse_int": lambda: tf.metrics.mean_squared_error(tf.constant([1, 2]),
                                                         tf.constant([3, 5])),
        "mean_w_int": lambda: tf.metrics.mean(tf.constant([1.0, 3.0]), weights=tf.constant([1, 3])),
        "pb_int": lambda: tf.metrics.percentage_below(tf.constant([1, 5, 9]), 6),
    }
    out = {}
    for k, fn in cases.items():
        try:
            v, u = fn()
        except Exception as e:  # noqa: BLE001 - recorded
            out[k] = {"err": type(e).__name__, "msg": str(e).split("\n")[0]}
            continue
        with tf.Session() as s:
            s.run(tf.local_variables_initializer())
            ran = _err(lambda: out.__setitem__(k, [v.dtype.name, _v(s.run(u)), _v(s.run(v))]))
            if ran["type"] is not None:
                out[k] = ran
    cm = tf.confusion_matrix([0, 1, 2], [0, 2, 2], num_classes=tf.constant(4),
                             weights=[0.5, 1.5, 2.0], dtype=tf.float32)
    with tf.Session() as s:
        out["cm"] = [cm.dtype.name, cm.shape.as_list(), _v(s.run(cm))]
        for k, loss in (
                ("sig_int", tf.losses.sigmoid_cross_entropy(tf.constant([[1, 0]]),
                                                            tf.constant([[0.5, -1.0]], tf.float64))),
                ("soft64", tf.losses.softmax_cross_entropy(tf.constant([[0, 1]]),
                                                           tf.constant([[0.5, -1.0]], tf.float64),
                                                           label_smoothing=0.3)),
                ("huber_int", tf.losses.huber_loss(tf.constant([1, 4]), tf.constant([2, 0]))),
                ("sparse_w_int", tf.losses.sparse_softmax_cross_entropy(
                    [1, 0], tf.constant([[0.5, -1.0], [2.0, 1.0]]), weights=tf.constant(2))),
                ("abs_w_int", tf.losses.absolute_difference([1.0, 2.0], [2.0, 0.0], [1, 0])),
        ):
            out[k] = [loss.dtype.name, loss.shape.as_list(), _v(s.run(loss))]
    return out



def scenario_loss_collections(tf):
    with tf.variable_scope("net"):
        w = tf.get_variable("w", [2], initializer=tf.constant_initializer([1.0, -2.0]),
                            regularizer=lambda t: tf.reduce_sum(tf.square(t)) * 0.5)
    with tf.name_scope("a"):
        la = tf.losses.mean_squared_error([1.0, 2.0], w)
    with tf.name_scope("b"):
        lb = tf.losses.absolute_difference([1.0, 2.0], w, weights=2.0)
    tf.losses.add_loss(tf.constant(0.25))
    out = {
        "all": [t.name for t in tf.losses.get_losses()],
        "scope_a": [t.name for t in tf.losses.get_losses(scope="a")],
        "reg": [t.name for t in tf.losses.get_regularization_losses()],
        "reg_scope": [t.name for t in tf.losses.get_regularization_losses(scope="net")],
        "reductions": list(tf.losses.Reduction.all()),
    }
    total = tf.losses.get_total_loss()
    total_a = tf.losses.get_total_loss(add_regularization_losses=False, scope="a")
    reg = tf.losses.get_regularization_loss()
    reg_none = tf.losses.get_regularization_loss(scope="nothing")
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out["vals"] = _v(s.run([la, lb, total, total_a, reg, reg_none]))
    out["names"] = [total.name, total_a.name, reg.name, reg_none.name]
    return out


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
