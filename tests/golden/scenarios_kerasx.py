"""Golden scenarios of ``tf.keras.losses``, the math of ``tf.keras.backend``,
``tf.keras.utils``, ``tf.keras.datasets`` and ``tf.keras.optimizers`` in graph mode
(TF_USE_LEGACY_KERAS=1: tf.keras is tf_keras' v1 namespace).

Each loss is built on fixed inputs (probabilities 0 and 1 included, so the epsilon clipping
shows) from a placeholder and a constant; recorded: output names, static shapes, dtypes and
values, errors as type + message. Optimizers minimize a fixed quadratic a few steps and record
the variable names and values after each step. Datasets are read from small fake cache files
written into a temporary KERAS_HOME.

Same conventions as ``scenarios.py``: ``scenario_<name>(tf)`` returns JSON-able data; TF's
results are recorded by ``record_tf.py --set kerasx`` into ``tf1_expected_kerasx.json``.
Names made inside a cond are never recorded (TF 2.21 builds cond v2).
"""

import os
import tempfile

import numpy as np


def _v(x):
    a = np.asarray(x)
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 5).tolist()
    return a.tolist()


def _err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return [type(e).__name__, str(e)]
    return None


def _out(t):
    return [t.name, t.shape.as_list() if t.shape.ndims is not None else None, t.dtype.name]


_Y = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], np.float32)
_P = np.array([[0.0, 1.0, 0.2], [0.6, 0.3, 0.9], [1.0, 0.0, 0.4], [0.1, 0.1, 0.8]], np.float32)
_LOGITS = np.array([[-1.0, 2.0, 0.5], [0.3, -0.2, 1.5], [2.5, -1.0, 0.0], [0.0, 0.7, -0.4]],
                   np.float32)
_SPARSE = np.array([1, 0, 0, 2], np.int32)
_REG = np.array([[1.5, -0.5, 2.0], [0.0, 3.0, -1.0], [2.0, 2.0, 0.5], [-1.0, 0.25, 4.0]],
                np.float32)

_FUNCS = {
    "binary_crossentropy": (_Y, _P, {}),
    "binary_crossentropy_logits": (_Y, _LOGITS, {"from_logits": True}),
    # inside (0, 1): at 0 and 1 TF's own fed and folded runs differ in the 3rd decimal
    "binary_crossentropy_smooth": (_Y, _P * 0.8 + 0.1, {"label_smoothing": 0.2}),
    "binary_crossentropy_axis0": (_Y, _P, {"axis": 0}),
    "categorical_crossentropy": (_Y, _P, {}),
    "categorical_crossentropy_logits": (_Y, _LOGITS, {"from_logits": True}),
    "categorical_crossentropy_smooth": (_Y, _LOGITS, {"from_logits": True,
                                                      "label_smoothing": 0.1}),
    "categorical_crossentropy_axis0": (_Y, _P, {"axis": 0}),
    "sparse_categorical_crossentropy": (_SPARSE, _P, {}),
    "sparse_categorical_crossentropy_logits": (_SPARSE, _LOGITS, {"from_logits": True}),
    "mean_squared_error": (_Y, _REG, {}),
    "mse": (_Y, _REG, {}),
    "mean_absolute_error": (_Y, _REG, {}),
    "mae": (_Y, _REG, {}),
    "mean_absolute_percentage_error": (_REG, _Y, {}),
    "mape": (_REG, _Y, {}),
    "mean_squared_logarithmic_error": (_Y, _REG, {}),
    "msle": (_Y, _REG, {}),
    "kl_divergence": (_Y, _P, {}),
    "kld": (_Y, _P, {}),
    "kullback_leibler_divergence": (_Y, _P, {}),
    "hinge": (_Y, _REG, {}),
    "squared_hinge": (_Y, _REG, {}),
    "hinge_signed": (_Y * 2 - 1, _REG, {}),
    "categorical_hinge": (_Y, _REG, {}),
    "log_cosh": (_Y, _REG, {}),
    "logcosh": (_Y, _REG, {}),
    "poisson": (_Y, _P, {}),
    "cosine_similarity": (_Y, _REG, {}),
    "cosine_similarity_axis0": (_Y, _REG, {"axis": 0}),
    "binary_focal_crossentropy": (_Y, _P, {"gamma": 1.5}),
    "binary_focal_crossentropy_bal": (_Y, _LOGITS, {"from_logits": True,
                                                    "apply_class_balancing": True}),
    "categorical_focal_crossentropy": (_Y, _P, {}),
}


def _make_func(name, y, p, kw):
    fn_name = name if name != "hinge_signed" else "hinge"
    fn_name = fn_name.replace("_logits", "").replace("_smooth", "").replace("_axis0", "")
    fn_name = fn_name.replace("_bal", "")

    def scenario(tf):
        fn = getattr(tf.keras.losses, fn_name)
        yc = tf.constant(y)
        pp = tf.placeholder(tf.float32, [None, 3], name="pred")
        out = fn(yc, pp, **kw)
        out2 = fn(y, p, **kw)  # NumPy arguments: converted inside
        with tf.Session() as sess:
            val = sess.run(out, {pp: p})
            val2 = sess.run(out2)
        return {"out": _out(out), "out2": _out(out2), "value": _v(val), "value2": _v(val2)}
    return scenario


_CLASSES = {
    "BinaryCrossentropy": (_Y, _P, {}),
    "BinaryCrossentropy_logits": (_Y, _LOGITS, {"from_logits": True, "label_smoothing": 0.1}),
    "CategoricalCrossentropy": (_Y, _P, {}),
    "CategoricalCrossentropy_logits": (_Y, _LOGITS, {"from_logits": True}),
    "SparseCategoricalCrossentropy": (_SPARSE, _P, {}),
    "SparseCategoricalCrossentropy_logits": (_SPARSE, _LOGITS, {"from_logits": True}),
    "MeanSquaredError": (_Y, _REG, {}),
    "MeanAbsoluteError": (_Y, _REG, {}),
    "MeanAbsolutePercentageError": (_REG, _Y, {}),
    "MeanSquaredLogarithmicError": (_Y, _REG, {}),
    "KLDivergence": (_Y, _P, {}),
    "Hinge": (_Y, _REG, {}),
    "SquaredHinge": (_Y, _REG, {}),
    "CategoricalHinge": (_Y, _REG, {}),
    "LogCosh": (_Y, _REG, {}),
    "Huber": (_Y, _REG, {"delta": 0.7}),
    "Poisson": (_Y, _P, {}),
    "CosineSimilarity": (_Y, _REG, {}),
    "BinaryFocalCrossentropy": (_Y, _P, {}),
    "CategoricalFocalCrossentropy": (_Y, _P, {"gamma": 1.0}),
}

_WEIGHTS = {"none": None, "scalar": 2.0, "vector": np.array([1.0, 0.0, 2.0, 0.5], np.float32),
            "column": np.array([[1.0], [0.0], [2.0], [0.5]], np.float32)}


def _make_class(name, y, p, kw):
    cls_name = name.split("_")[0]

    def scenario(tf):
        cls = getattr(tf.keras.losses, cls_name)
        res = {}
        outs = {}
        pp = tf.placeholder(tf.float32, [None, 3], name="pred")
        for red in ("auto", "none", "sum", "sum_over_batch_size"):
            obj = cls(reduction=red, **kw)
            for wk, w in _WEIGHTS.items():
                outs[red + "_" + wk] = obj(y, pp, sample_weight=w)
        named = cls(name="my_loss", **kw)
        outs["named"] = named(tf.constant(y), pp)
        with tf.Session() as sess:
            vals = sess.run(outs, {pp: p})
        for k in outs:
            res[k] = {"out": _out(outs[k]), "value": _v(vals[k])}
        res["config"] = {k: (v if not isinstance(v, np.generic) else v.item())
                         for k, v in named.get_config().items()}
        res["name"] = named.name
        res["reduction"] = named.reduction
        return res
    return scenario


def scenario_loss_errors(tf):
    ls = tf.keras.losses
    y = tf.constant(_Y)
    return {
        "bad_reduction": _err(lambda: ls.MeanSquaredError(reduction="mean")),
        "v1_reduction": _err(lambda: ls.MeanSquaredError(reduction=tf.losses.Reduction.SUM)),
        "get_unknown": _err(lambda: ls.get("nope")),
        "get_int": _err(lambda: ls.get(3)),
        "cce_bool_axis": _err(lambda: ls.categorical_crossentropy(y, y, axis=True)),
        "cce_shape": _err(lambda: ls.categorical_crossentropy(y, tf.constant(_Y[:, :2]))),
        "mse_shape": _err(lambda: ls.mean_squared_error(y, tf.constant(_Y[:2]))),
        # TF exports both only to TF2's namespace; the module name in the message differs
        "no_reduction_attr": _err(lambda: ls.Reduction)[0],
        "no_huber_fn": _err(lambda: ls.huber)[0],
        "weight_shape": _err(lambda: ls.MeanSquaredError()(y, y, sample_weight=np.ones(
            (3, 2), np.float32))),
    }


def scenario_loss_serialize(tf):
    # first: a legacy-format get() turns TF's saving_v3 off for the thread (no "fn" after)
    ls = tf.keras.losses
    return {"bce": ls.serialize(ls.BinaryCrossentropy(from_logits=True)),
            "mse": ls.serialize(ls.MeanSquaredError(name="m"))}


def scenario_loss_get_serialize(tf):
    ls = tf.keras.losses
    out = {}
    for ident in ("mse", "MSE", "mean_squared_error", "binary_crossentropy", "kld",
                  "categorical_hinge", "cosine_similarity", "logcosh"):
        f = ls.get(ident)
        out[ident] = getattr(f, "__name__", type(f).__name__)
    out["get_none"] = ls.get(None)
    out["get_callable"] = ls.get(ls.hinge).__name__
    bce = ls.BinaryCrossentropy(from_logits=True)
    back = ls.deserialize(ls.serialize(bce))
    out["deserialize"] = [type(back).__name__, back.get_config()]
    cls = ls.get("MeanSquaredError")
    out["get_class_name"] = type(cls).__name__
    d = ls.get({"class_name": "BinaryCrossentropy", "config": {"from_logits": True}})
    out["get_dict"] = [type(d).__name__, d.get_config()]
    out["fn_name"] = ls.deserialize("binary_crossentropy").__name__
    return out


def scenario_loss_activation_logits(tf):
    """keras reads the logits back from a Softmax / Sigmoid output (from_logits becomes True)."""
    ls = tf.keras.losses
    logits = tf.constant(_LOGITS)
    sm = tf.nn.softmax(logits)
    sg = tf.sigmoid(logits)
    outs = {"cce": ls.categorical_crossentropy(_Y, sm),
            "bce": ls.binary_crossentropy(_Y, sg),
            "scce": ls.sparse_categorical_crossentropy(_SPARSE, sm)}
    with tf.Session() as sess:
        vals = sess.run(outs)
    return {k: [_out(outs[k]), _v(vals[k])] for k in outs}


def scenario_loss_gradients(tf):
    ls = tf.keras.losses
    p = tf.Variable(_P * 0.8 + 0.1, name="p")
    outs = {"bce": ls.BinaryCrossentropy()(_Y, p), "cce": ls.CategoricalCrossentropy()(_Y, p),
            "mse": ls.MeanSquaredError(reduction="sum")(_Y, p)}
    grads = {k: tf.gradients(v, [p])[0] for k, v in outs.items()}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        gv = sess.run(grads)
    return {k: _v(gv[k]) for k in gv}


def scenario_loss_sparse_shapes(tf):
    ls = tf.keras.losses
    p3 = np.stack([_P, _P[::-1]], 0)  # [2, 4, 3]
    t2 = np.array([[1, 0, 0, 2], [2, 2, 1, 0]], np.int64)
    a = ls.sparse_categorical_crossentropy(t2, p3)
    b = ls.sparse_categorical_crossentropy(t2[..., None], p3)
    c = ls.sparse_categorical_crossentropy(np.array([[1, 0, 0, 2]]), np.transpose(_P)[None],
                                           axis=1)
    ph = tf.placeholder(tf.float32, [None, None, 3])
    d = ls.sparse_categorical_crossentropy(tf.placeholder(tf.int32, [None, None]), ph)
    e = ls.SparseCategoricalCrossentropy()(t2[..., None], p3)
    with tf.Session() as sess:
        va, vb, vc, ve = sess.run([a, b, c, e])
    return {"a": [_out(a), _v(va)], "b": [_out(b), _v(vb)], "c": [_out(c), _v(vc)],
            "d": _out(d), "e": [_out(e), _v(ve)]}


# -- backend math ------------------------------------------------------------------------------
_X = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.5]], np.float32)


def scenario_backend_reductions(tf):
    K = tf.keras.backend
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    b = tf.constant([[True, False, True], [False, False, True]])
    outs = {"mean": K.mean(x), "mean1": K.mean(x, axis=1), "mean_k": K.mean(x, 0, True),
            "sum": K.sum(x), "sum1": K.sum(x, axis=-1, keepdims=True), "prod": K.prod(x, 0),
            "max": K.max(x, 1), "min": K.min(x), "std": K.std(x, 1), "var": K.var(x),
            "var_k": K.var(x, axis=0, keepdims=True), "std_bool": K.std(b), "mean_bool": K.mean(b),
            "any": K.any(x, 1), "all": K.all(b, 0), "argmax": K.argmax(x), "argmin": K.argmin(x, 0),
            "cumsum": K.cumsum(x), "cumprod": K.cumprod(x, 1)}
    with tf.Session() as sess:
        vals = sess.run(outs, {x: _X})
    return {k: [_out(outs[k]), _v(vals[k])] for k in outs}


def scenario_backend_elementwise(tf):
    K = tf.keras.backend
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    y = tf.constant(np.abs(_X[::-1]) + 0.5)
    outs = {"square": K.square(x), "abs": K.abs(x), "sqrt": K.sqrt(x), "exp": K.exp(x),
            "log": K.log(y), "pow": K.pow(y, 2.5), "sign": K.sign(x), "round": K.round(x * 1.5),
            "clip": K.clip(x, -1.0, 1.0), "clip_swapped": K.clip(x, 1.0, -1.0),
            "clip_none": K.clip(x, None, 0.5), "equal": K.equal(x, 0.0),
            "not_equal": K.not_equal(x, y), "greater": K.greater(x, y),
            "greater_equal": K.greater_equal(x, 0.5), "less": K.less(x, y),
            "less_equal": K.less_equal(x, 0.0), "maximum": K.maximum(x, y),
            "minimum": K.minimum(x, 0.0), "sin": K.sin(x), "cos": K.cos(x)}
    with tf.Session() as sess:
        vals = sess.run(outs, {x: _X})
    return {k: [_out(outs[k]), _v(vals[k])] for k in outs}


def scenario_backend_activations(tf):
    K = tf.keras.backend
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    outs = {"softmax": K.softmax(x),
            "softmax_list": K.softmax(x, axis=[0, 1]), "softplus": K.softplus(x),
            "softsign": K.softsign(x), "sigmoid": K.sigmoid(x),
            "hard_sigmoid": K.hard_sigmoid(x), "tanh": K.tanh(x), "relu": K.relu(x),
            "relu_alpha": K.relu(x, alpha=0.1), "relu6": K.relu(x, max_value=6),
            "relu_max": K.relu(x, max_value=1.0), "relu_thr": K.relu(x, threshold=0.7),
            "relu_all": K.relu(x, alpha=0.2, max_value=2.0, threshold=0.25),
            "elu": K.elu(x), "elu_a": K.elu(x, 0.5), "l2": K.l2_normalize(x, 1),
            "l2_all": K.l2_normalize(x),
            # last: TF's softmax on another axis adds Rank/Sub/range nodes varstore folds
            "softmax0": K.softmax(x, axis=0)}
    with tf.Session() as sess:
        vals = sess.run(outs, {x: _X})
    return {"outs": {k: [_out(outs[k]), _v(vals[k])] for k in outs},
            "softmax_1d": _err(lambda: K.softmax(tf.constant([1.0, 2.0])))}


def scenario_backend_crossentropy(tf):
    K = tf.keras.backend
    t = tf.constant(_Y)
    p = tf.constant(_P)
    outs = {"bce": K.binary_crossentropy(t, p), "bce_logits": K.binary_crossentropy(
        t, tf.constant(_LOGITS), from_logits=True),
        "cce": K.categorical_crossentropy(t, p), "cce_axis0": K.categorical_crossentropy(
            t, p, axis=0), "cce_logits": K.categorical_crossentropy(t, tf.constant(_LOGITS), True),
        "scce": K.sparse_categorical_crossentropy(_SPARSE, p),
        "scce_logits": K.sparse_categorical_crossentropy(_SPARSE, _LOGITS, from_logits=True),
        "scce_ignore": K.sparse_categorical_crossentropy(_SPARSE, p, ignore_class=0)}
    with tf.Session() as sess:
        vals = sess.run(outs)
    return {k: [_out(outs[k]), _v(vals[k])] for k in outs}


def scenario_backend_arrays(tf):
    K = tf.keras.backend
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    c = tf.constant(_X)
    x3 = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 3, 4))
    outs = {"concat": K.concatenate([x, c]), "concat0": K.concatenate([x, c], axis=0),
            "reshape": K.reshape(c, (3, 2)), "reshape_ph": K.reshape(x, [-1]),
            "permute": K.permute_dimensions(x3, (2, 0, 1)), "expand": K.expand_dims(x),
            "expand0": K.expand_dims(x, 0), "squeeze": K.squeeze(K.expand_dims(x, 1), 1),
            "stack": K.stack([c, c]), "stack1": K.stack([c, c], axis=1), "flatten": K.flatten(x3),
            "batch_flatten_ph": K.batch_flatten(x),
            "transpose": K.transpose(x), "gather": K.gather(c, [1, 0, 1]),
            "cast": K.cast(x, "int32"), "cast_same": K.cast(c, tf.float32), "shape": K.shape(x),
            "tile": K.tile(c, (2, 1)), "tile_int": K.tile(tf.constant([1.0, 2.0]), 3),
            "repeat": K.repeat(c, 2), "repeat_el": K.repeat_elements(c, 2, 1),
            "repeat_el_ph": K.repeat_elements(x, 2, 0), "arange": K.arange(5),
            "arange2": K.arange(1, 7, 2, dtype="float32"), "arange_neg": K.arange(-3),
            "zeros_like": K.zeros_like(x), "ones_like": K.ones_like(c, dtype="int32"),
            "one_hot": K.one_hot(tf.constant([0, 2, 1]), 3), "reverse": K.reverse(c, 1),
            "reverse_l": K.reverse(x3, [0, 2]), "stop": K.stop_gradient(c),
            "bias_add": K.bias_add(x, tf.constant([1.0, 2.0, 3.0])),
            "bias_add_cf": K.bias_add(x3, tf.constant([1.0, 2.0, 3.0]), "channels_first"),
            "bias_add_nd": K.bias_add(x3, tf.ones((3, 4)))}
    bf = K.batch_flatten(x3)
    with tf.Session() as sess:
        vals = sess.run(outs, {x: _X})
        bf_value = sess.run(bf)
    return {"outs": {k: [_out(outs[k]), _v(vals[k])] for k in outs},
            # TF's shape inference evaluates Prod(shape(x)[1:]) to a static [2, 12]; varstore's
            # leaves it unknown, so only the value is compared
            "batch_flatten": [bf.name, _v(bf_value)],
            "repeat_rank": _err(lambda: K.repeat(x3, 2)),
            "bias_bad_format": _err(lambda: K.bias_add(x, tf.ones(3), "nhwc")),
            "bias_bad_rank": _err(lambda: K.bias_add(x3, tf.ones((1, 3, 4)))),
            "stop_list": type(K.stop_gradient([c, c])).__name__}


def scenario_backend_dot(tf):
    K = tf.keras.backend
    a = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3))
    b = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4) / 10)
    a3 = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 7)
    b3 = tf.constant(np.arange(40, dtype=np.float32).reshape(2, 4, 5) / 9)
    xp = tf.placeholder(tf.float32, [None, 2, 3])
    outs = {"dot": K.dot(a, b), "dot3": K.dot(a3, tf.constant(np.ones((4, 2), np.float32))),
            "dot_ph": K.dot(xp, b), "batch_dot": K.batch_dot(a3, b3),
            "batch_dot_axes": K.batch_dot(a3, a3, axes=[2, 2]),
            "batch_dot_2d": K.batch_dot(a, a, axes=1),
            "batch_dot_int": K.batch_dot(a3, b3, axes=(2, 1))}
    with tf.Session() as sess:
        vals = sess.run(outs, {xp: np.ones((2, 2, 3), np.float32)})
    return {"outs": {k: [_out(outs[k]), _v(vals[k])] for k in outs},
            "batch_rank1": _err(lambda: K.batch_dot(tf.ones(3), a)),
            "batch_sizes": _err(lambda: K.batch_dot(a3, tf.ones((3, 4, 5)))),
            "batch_axis0": _err(lambda: K.batch_dot(a3, b3, axes=0)),
            "batch_dims": _err(lambda: K.batch_dot(a3, b3, axes=[1, 1])),
            "batch_multi": _err(lambda: K.batch_dot(a3, b3, axes=[[1], 1]))}


def scenario_backend_switch_and_control(tf):
    K = tf.keras.backend
    c = tf.constant(_X)
    cond = tf.constant([[True, False, True], [False, True, False]])
    outs = {"switch": K.switch(cond, c, -c), "switch_row": K.switch(
        tf.constant([[True], [False]]), tf.ones((2, 3)), tf.zeros((2, 3))),
        "switch_scalar": K.switch(tf.constant(True), lambda: c * 2.0, lambda: c),
        "switch_int": K.switch(tf.constant([[1, 0, 1], [0, 0, 1]]), c, c * 10.0),
        "map_fn": K.map_fn(lambda r: r * 2.0, c), "foldl": K.foldl(lambda a, r: a + r, c),
        "foldr": K.foldr(lambda a, r: a * 0.5 + r, c, initializer=tf.zeros(3))}
    with tf.Session() as sess:
        vals = sess.run(outs)
    return {"values": {k: _v(vals[k]) for k in outs},
            "shapes": {k: outs[k].shape.as_list() for k in outs},
            "switch_name": outs["switch"].name,
            "switch_vec": _err(lambda: K.switch(tf.constant([True, False]), c, c))[1].split(
                " for ")[0],
            "switch_rank": _err(lambda: K.switch(tf.ones((2, 3, 1)) > 0, tf.ones(3), tf.ones(3)))}


def scenario_backend_variables_math(tf):
    K = tf.keras.backend
    v = tf.Variable([1.0, 2.0], name="v")
    w = tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="w")
    loss = tf.reduce_sum(v * v)
    (g,) = K.gradients(loss, [v])
    u1 = K.update(v, [5.0, 6.0])
    u2 = K.update_add(v, [1.0, 1.0])
    u3 = K.update_sub(v, [0.5, 0.5])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        gv = sess.run(g)
        a = sess.run(u1)
        b = sess.run(u2)
        c = sess.run(u3)
        fin = sess.run(v)
        ws = sess.run(w)
    return {"grad": [g.name, _v(gv)], "updates": _v([a, b, c, fin]), "w": _v(ws),
            "update_types": [u1.op.type, u2.op.type, u3.op.type]}


def scenario_backend_random_shapes(tf):
    K = tf.keras.backend
    outs = {"normal": K.random_normal((2, 3), 1.0, 0.5, seed=1),
            "uniform": K.random_uniform([4], -1.0, 1.0, seed=2),
            "bern": K.random_bernoulli((3, 2), p=0.5, seed=3),
            "trunc": K.truncated_normal((2, 2), seed=4),
            "normal_f64": K.random_normal((2,), dtype="float64", seed=5)}
    with tf.Session() as sess:
        vals = sess.run(outs)
    return {"outs": {k: _out(outs[k]) for k in outs},
            "bern_values": sorted(set(_v(vals["bern"].ravel()))) in ([0.0], [1.0], [0.0, 1.0]),
            "uniform_range": bool(np.all(np.abs(vals["uniform"]) <= 1.0)),
            "trunc_range": bool(np.all(np.abs(vals["trunc"]) <= 2.0))}


# -- utils -------------------------------------------------------------------------------------
def scenario_utils_to_categorical(tf):
    u = tf.keras.utils
    out = {}
    for k, (y, kw) in {"vec": ([0, 2, 1, 3], {}), "col": ([[1], [0], [2]], {}),
                       "n": ([0, 1], {"num_classes": 4}), "mat": ([[0, 1], [2, 0]], {}),
                       "int": (np.array([1, 0]), {"dtype": "int32"}), "scalar": (2, {}),
                       "float": ([1.7, 0.2], {})}.items():
        a = u.to_categorical(y, **kw)
        out[k] = [list(a.shape), str(a.dtype), _v(a)]
    o = u.to_ordinal([0, 2, 1], 4)
    out["ordinal"] = [list(o.shape), str(o.dtype), _v(o)]
    out["neg"] = _err(lambda: u.to_categorical([5], num_classes=3))
    for k, (x, kw) in {"l2": ([[3.0, 4.0], [0.0, 0.0]], {}), "l1": ([[1.0, -3.0]], {"order": 1}),
                       "axis0": ([[3.0, 4.0], [4.0, 3.0]], {"axis": 0})}.items():
        a = u.normalize(np.array(x), **kw)
        out["norm_" + k] = [str(a.dtype), _v(a)]
    p = u.pad_sequences([[1, 2, 3], [4], [], [5, 6]], maxlen=2)
    out["pad"] = [str(p.dtype), _v(p)]
    p = u.pad_sequences([[1, 2, 3], [4]], padding="post", truncating="post", value=-1)
    out["pad_post"] = _v(p)
    p = u.pad_sequences([[1.5, 2.5], [3.0]], dtype="float32")
    out["pad_float"] = [str(p.dtype), _v(p)]
    out["pad_bad"] = _err(lambda: u.pad_sequences([[1]], padding="middle"))
    out["pad_noniter"] = _err(lambda: u.pad_sequences([1, 2]))
    out["pad_str"] = _err(lambda: u.pad_sequences([[1]], value="x"))
    return out


def scenario_utils_custom_objects(tf):
    u = tf.keras.utils

    def my_loss(y_true, y_pred):
        return y_pred

    out = {}
    with u.custom_object_scope({"my_loss": my_loss}):
        out["in_scope"] = tf.keras.losses.get("my_loss").__name__
    out["after"] = _err(lambda: tf.keras.losses.get("my_loss"))
    with u.CustomObjectScope({"my_loss": my_loss}, {"other": my_loss}):
        out["two"] = tf.keras.losses.get("other").__name__
    u.get_custom_objects()["glob_loss"] = my_loss
    try:
        out["global"] = tf.keras.losses.get("glob_loss").__name__
    finally:
        del u.get_custom_objects()["glob_loss"]

    @u.register_keras_serializable(package="Pk")
    def reg_loss(y_true, y_pred):
        return y_pred

    out["reg_name"] = u.get_registered_name(reg_loss)
    out["reg_obj"] = u.get_registered_object("Pk>reg_loss").__name__
    out["unreg_name"] = u.get_registered_name(my_loss)
    u.get_custom_objects().pop("Pk>reg_loss")
    out["no_config"] = _err(lambda: u.register_keras_serializable()(type("C", (), {})))
    return out


def scenario_utils_get_file_cache(tf):
    u = tf.keras.utils
    import hashlib
    with tempfile.TemporaryDirectory() as d:
        cache = os.path.join(d, "kc")
        os.makedirs(os.path.join(cache, "datasets"))
        fpath = os.path.join(cache, "datasets", "data.txt")
        with open(fpath, "w") as f:
            f.write("hello keras")
        sha = hashlib.sha256(b"hello keras").hexdigest()
        md5 = hashlib.md5(b"hello keras").hexdigest()  # noqa: S324
        rel = lambda p: os.path.relpath(p, d)  # noqa: E731
        out = {"plain": rel(u.get_file("data.txt", "http://example.invalid/data.txt",
                                       cache_dir=cache)),
               "from_origin": rel(u.get_file(origin="http://example.invalid/data.txt",
                                             cache_dir=cache)),
               "sha": rel(u.get_file("data.txt", "http://example.invalid/x", file_hash=sha,
                                     cache_dir=cache)),
               "md5": rel(u.get_file("data.txt", "http://example.invalid/x", md5_hash=md5,
                                     cache_dir=cache)),
               "no_origin": _err(lambda: u.get_file("data.txt", cache_dir=cache)),
               "bad_origin": _err(lambda: u.get_file(origin="http://example.invalid/",
                                                     cache_dir=cache))}
        import tarfile
        sub = os.path.join(cache, "sub")
        os.makedirs(sub)
        inner = os.path.join(d, "arch")
        os.makedirs(inner)
        with open(os.path.join(inner, "a.txt"), "w") as f:
            f.write("A")
        with tarfile.open(os.path.join(sub, "arch.tar.gz"), "w:gz") as t:
            t.add(inner, arcname="arch")
        p = u.get_file("arch.tar.gz", "http://example.invalid/arch.tar.gz", untar=True,
                       cache_dir=cache, cache_subdir="sub")
        out["untar"] = [rel(p), sorted(os.listdir(p))]
        p = u.get_file("arch.tar.gz", "http://example.invalid/arch.tar.gz", extract=True,
                       cache_dir=cache, cache_subdir="sub")
        out["extract"] = [rel(p), sorted(os.listdir(os.path.join(sub, "arch")))]
    return out


def scenario_utils_sequence_and_plot(tf):
    u = tf.keras.utils

    class Seq(u.Sequence):
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return i * 10

    s = Seq()
    return {"iter": list(s), "len": len(s), "epoch_end": s.on_epoch_end(),
            "plot": _err(lambda: u.plot_model(type("M", (), {"built": True})())),
            "plot_unbuilt": _err(lambda: u.plot_model(type("M", (), {"built": False})())),
            "dot": _err(lambda: u.model_to_dot(type("M", (), {"built": True})()))}


# -- datasets (get_file patched: TF checks the real files' hashes, fakes never pass) -----------
def _patched_load(tf, name, make, **kw):
    """Runs ``tf.keras.datasets.<name>.load_data(**kw)`` with its module's get_file replaced by
    one that records the call and returns ``make(dir)``'s fake file."""
    import sys
    loader = getattr(tf.keras.datasets, name).load_data
    mod = sys.modules[loader.__module__]
    calls = []
    orig = mod.get_file
    with tempfile.TemporaryDirectory() as d:
        path = make(d)

        def fake(fname, origin, **k):
            calls.append([fname, origin, sorted((a, str(b)) for a, b in k.items())])
            return path
        mod.get_file = fake
        try:
            res = loader(**kw)
        except Exception as e:  # noqa: BLE001
            res = e
        finally:
            mod.get_file = orig
    if isinstance(res, Exception):
        return {"calls": calls, "error": [type(res).__name__, str(res)]}
    (xtr, ytr), (xte, yte) = res

    def desc(a):
        a = np.asarray(a)
        if a.dtype == object:
            return ["object", list(a.shape), [list(map(int, x)) for x in a]]
        return [str(a.dtype), list(a.shape), _v(a.ravel()[:12])]
    return {"calls": calls, "x_train": desc(xtr), "y_train": desc(ytr), "x_test": desc(xte),
            "y_test": desc(yte)}


def _npz(**arrays):
    def make(d):
        p = os.path.join(d, "f.npz")
        np.savez(p, **arrays)
        return p
    return make


_RNG = np.random.RandomState(0)
_IMGS = _RNG.randint(0, 255, (5, 28, 28)).astype(np.uint8)


def scenario_dataset_mnist(tf):
    return _patched_load(tf, "mnist", _npz(x_train=_IMGS[:3], y_train=np.array([1, 2, 3], np.uint8),
                                           x_test=_IMGS[3:], y_test=np.array([4, 5], np.uint8)))


def scenario_dataset_mnist_cache_dir(tf):
    with tempfile.TemporaryDirectory() as d:
        res = _patched_load(tf, "mnist", _npz(x_train=_IMGS[:1], y_train=np.array([1], np.uint8),
                                              x_test=_IMGS[1:2], y_test=np.array([2], np.uint8)),
                            path="m.npz", cache_dir=os.path.join(d, "c"))
        made = os.path.isdir(os.path.join(d, "c"))
    for c in res["calls"]:
        c[2] = [[k, v if k != "cache_dir" else "<dir>"] for k, v in c[2]]
    return {"res": res, "made": made}


def scenario_dataset_boston(tf):
    x = np.arange(30, dtype=np.float64).reshape(10, 3)
    y = np.arange(10, dtype=np.float64) * 1.5
    return {"default": _patched_load(tf, "boston_housing", _npz(x=x, y=y)),
            "split": _patched_load(tf, "boston_housing", _npz(x=x, y=y), test_split=0.5,
                                   seed=3)}


def _seqs():
    xtr = np.array([list(range(1, 6)), [7, 8], [2, 9, 9, 1], [3]], dtype=object)
    xte = np.array([[4, 4], list(range(1, 12)), [5]], dtype=object)
    return xtr, xte


def scenario_dataset_imdb(tf):
    xtr, xte = _seqs()
    make = _npz(x_train=xtr, y_train=np.array([0, 1, 1, 0]), x_test=xte,
                y_test=np.array([1, 0, 1]))
    return {"default": _patched_load(tf, "imdb", make),
            "filtered": _patched_load(tf, "imdb", make, num_words=9, skip_top=4, maxlen=6,
                                      seed=5),
            "no_oov": _patched_load(tf, "imdb", make, num_words=8, oov_char=None,
                                    start_char=None, index_from=0),
            "maxlen_empty": _patched_load(tf, "imdb", make, maxlen=1),
            "bad_kw": _patched_load(tf, "imdb", make, foo=1)}


def scenario_dataset_reuters(tf):
    xtr, xte = _seqs()
    xs = np.array(list(xtr) + list(xte), dtype=object)
    make = _npz(x=xs, y=np.arange(7))
    return {"default": _patched_load(tf, "reuters", make),
            "opts": _patched_load(tf, "reuters", make, num_words=10, test_split=0.5, maxlen=5,
                                  start_char=None),
            "labels": list(tf.keras.datasets.reuters.get_label_names())[:5]}


def _cifar_dir(files):
    import pickle

    def make(d):
        p = os.path.join(d, "cifar")
        os.makedirs(p)
        for name, (n, key, start) in files.items():
            data = (np.arange(n * 3072) % 251 + start).astype(np.uint8).reshape(n, 3072)
            with open(os.path.join(p, name), "wb") as f:
                pickle.dump({b"data": data, key: list(range(start, start + n))}, f)
        return p
    return make


def scenario_dataset_cifar100(tf):
    files = {"train": (3, b"fine_labels", 0), "test": (2, b"fine_labels", 7)}
    coarse = {"train": (3, b"coarse_labels", 1), "test": (2, b"coarse_labels", 2)}
    return {"fine": _patched_load(tf, "cifar100", _cifar_dir(files)),
            "coarse": _patched_load(tf, "cifar100", _cifar_dir(coarse), label_mode="coarse"),
            "bad_mode": _err(lambda: tf.keras.datasets.cifar100.load_data(label_mode="x"))}


def scenario_dataset_fashion_mnist(tf):
    import gzip
    old = os.environ.get("HOME")
    with tempfile.TemporaryDirectory() as d:
        os.environ["HOME"] = d
        try:
            base = os.path.join(d, ".keras", "datasets", "fashion-mnist")
            os.makedirs(base)
            for prefix, n, k in (("train", 3, 1), ("t10k", 2, 2)):
                with gzip.open(os.path.join(base, prefix + "-labels-idx1-ubyte.gz"), "wb") as f:
                    f.write(b"\0" * 8 + bytes(range(k, k + n)))
                with gzip.open(os.path.join(base, prefix + "-images-idx3-ubyte.gz"), "wb") as f:
                    f.write(b"\0" * 16 + _IMGS[:n].tobytes())
            (xtr, ytr), (xte, yte) = tf.keras.datasets.fashion_mnist.load_data()
        finally:
            if old is None:
                del os.environ["HOME"]
            else:
                os.environ["HOME"] = old
    return {"x_train": [str(xtr.dtype), list(xtr.shape), int(xtr.sum())],
            "y_train": _v(ytr), "x_test": [list(xte.shape), int(xte.sum())], "y_test": _v(yte)}

# -- optimizers (the gradient ops' names come from the tape and are not recorded) -------------
_W0 = np.array([[1.0, -2.0], [0.5, 3.0]], np.float32)
_OPTS = {
    "sgd": ("SGD", {"learning_rate": 0.1}),
    "sgd_default": ("SGD", {}),
    "adam": ("Adam", {}),
    "adam_args": ("Adam", {"learning_rate": 0.05, "beta_1": 0.8, "beta_2": 0.99,
                           "epsilon": 1e-3}),
    "adam_decay": ("Adam", {"learning_rate": 0.1, "decay": 0.5}),
    "rmsprop": ("RMSprop", {"learning_rate": 0.01}),
    "rmsprop_centered": ("RMSprop", {"learning_rate": 0.01, "centered": True}),
    "rmsprop_momentum": ("RMSprop", {"learning_rate": 0.01, "momentum": 0.5}),
    "rmsprop_momentum_centered": ("RMSprop", {"momentum": 0.5, "centered": True, "rho": 0.8}),
    "adadelta": ("Adadelta", {"learning_rate": 1.0}),
    "named": ("Adam", {"name": "my_opt", "learning_rate": 0.01}),
    "ftrl": ("Ftrl", {"learning_rate": 0.1}),
    "nadam": ("Nadam", {"learning_rate": 0.05}),
    "nadam_args": ("Nadam", {"beta_1": 0.8, "schedule_decay": 0.01}),
    "ftrl_l1l2": ("Ftrl", {"learning_rate": 0.1, "l1_regularization_strength": 0.01,
                           "l2_regularization_strength": 0.02, "beta": 0.1,
                           "initial_accumulator_value": 0.5}),
    "ftrl_shrinkage": ("Ftrl", {"learning_rate": 0.1,
                                "l2_shrinkage_regularization_strength": 0.05,
                                "learning_rate_power": -0.3}),
}


def _jsonable(d):
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in d.items()}


def _make_opt(cls_name, kw):
    def scenario(tf):
        w = tf.Variable(_W0, name="w")
        b = tf.Variable([0.5, -0.5], name="b")
        opt = getattr(tf.keras.optimizers, cls_name)(**kw)
        config0 = _jsonable(opt.get_config())
        loss = lambda: tf.reduce_sum(tf.square(tf.matmul(w, w) - 1.0)) + tf.reduce_sum(b * b * w)  # noqa: E731
        g = tf.get_default_graph()
        op = opt.minimize(loss, var_list=[w, b])
        applies = [[o.name, o.type] for o in g.get_operations()
                   if o.type.startswith(("ResourceApply", "Assign")) and "/update_" in o.name]
        steps = []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(op)
                steps.append([_v(x) for x in sess.run([w, b])])
            slots = [_v(x) for x in sess.run(opt.variables())]
            config1 = _jsonable(opt.get_config())
        return {"op": [op.name, op.type], "applies": applies,
                "variables": [v.name for v in opt.variables()],
                "globals": [v.name for v in tf.global_variables()],
                "slot_names": opt.get_slot_names(), "config0": config0, "config1": config1,
                "steps": steps, "slots": slots, "iterations": opt.iterations.name}
    return scenario


def scenario_optimizer_errors_and_names(tf):
    w = tf.Variable([1.0, 2.0], name="w")
    u = tf.Variable([3.0], name="unused")
    opt = tf.keras.optimizers.Adam()
    loss = tf.reduce_sum(w * w)
    out = {"tensor_loss": _err(lambda: opt.minimize(loss, var_list=[w])),
           "no_grads": _err(lambda: opt.minimize(lambda: tf.reduce_sum(u * 0.0) * 0.0 + 1.0,
                                                 var_list=[w])),
           "bad_kw": _err(lambda: tf.keras.optimizers.SGD(foo=1))[1].split(" Allowed")[0],
           "neg_lr_kw": _err(lambda: tf.keras.optimizers.SGD(decay=-1.0)),
           "bad_momentum": _err(lambda: tf.keras.optimizers.RMSprop(momentum=2.0)),
           "ftrl_power": _err(lambda: tf.keras.optimizers.Ftrl(learning_rate_power=0.5)),
           "ftrl_accum": _err(lambda: tf.keras.optimizers.Ftrl(initial_accumulator_value=-1.0)),
           "lr_attr": [hasattr(opt.lr, "assign"), opt.lr.name],
           "learning_rate_attr": opt.learning_rate.name}
    op1 = opt.minimize(lambda: tf.reduce_sum(w * w), var_list=[w])
    opt2 = tf.keras.optimizers.Adam()
    op2 = opt2.minimize(lambda: tf.reduce_sum(w * w), var_list=[w])
    out["two"] = [op1.name, op2.name, [v.name for v in opt2.variables()]]
    opt3 = tf.keras.optimizers.SGD(0.5)
    (up,) = opt3.get_updates(tf.reduce_sum(w * w), [w])
    out["get_updates"] = [up.name, up.type, [v.name for v in opt3.variables()]]
    out["hyper_after"] = hasattr(opt.learning_rate, "assign")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(up)
        out["sgd_step"] = _v(sess.run(w))
        out["lr_value"] = _v(sess.run(opt.lr))
    opt4 = tf.keras.optimizers.SGD(0.1)
    opt4.learning_rate = 0.3
    out["set_lr"] = _jsonable(opt4.get_config())
    return out

# -- metric functions --------------------------------------------------------------------------
def scenario_metric_functions(tf):
    m = tf.keras.metrics
    yp = tf.placeholder(tf.float32, [None, 3], name="yp")
    outs = {"binary": m.binary_accuracy(_Y, yp), "binary_thr": m.binary_accuracy(_Y, yp, 0.25),
            "categorical": m.categorical_accuracy(_Y, yp),
            "sparse": m.sparse_categorical_accuracy(_SPARSE, yp),
            "sparse_col": m.sparse_categorical_accuracy(_SPARSE[:, None].astype(np.float32), yp),
            "top_k": m.top_k_categorical_accuracy(_Y, yp, k=2),
            "sparse_top_k": m.sparse_top_k_categorical_accuracy(_SPARSE, yp, k=1),
            "sparse_top_k_col": m.sparse_top_k_categorical_accuracy(_SPARSE[:, None], yp, k=2),
            "mse": m.mse(_Y, yp), "bce": m.binary_crossentropy(_Y, yp),
            "cosine": m.cosine_proximity(_Y, _REG)}
    with tf.Session() as sess:
        vals = sess.run(outs, {yp: _P})
    return {"outs": {k: [_out(outs[k]), _v(vals[k])] for k in outs},
            "aliases": [m.mse.__name__, m.kld.__name__, m.cosine.__name__, m.logcosh.__name__]}

def scenario_lr_schedules(tf):
    S = tf.keras.optimizers.schedules
    step = tf.placeholder(tf.int64, [], name="step")
    scheds = {"exp": S.ExponentialDecay(0.1, 10, 0.5),
              "exp_stair": S.ExponentialDecay(0.1, 10, 0.5, staircase=True, name="ed"),
              "inv": S.InverseTimeDecay(1.0, 5, 0.5), "inv_stair": S.InverseTimeDecay(
                  1.0, 5, 0.5, staircase=True),
              "poly": S.PolynomialDecay(0.1, 20, end_learning_rate=0.01, power=2.0),
              "poly_cycle": S.PolynomialDecay(0.1, 8, cycle=True),
              "piece": S.PiecewiseConstantDecay([5, 15], [1.0, 0.5, 0.1]),
              "cos": S.CosineDecay(0.2, 20, alpha=0.1)}
    outs = {k: s(step) for k, s in scheds.items()}
    res = {"names": {k: outs[k].name for k in outs if k != "piece"},
           "configs": {k: s.get_config() for k, s in scheds.items()},
           "bad_piece": _err(lambda: S.PiecewiseConstantDecay([1, 2], [1.0]))}
    with tf.Session() as sess:
        res["values"] = {k: [_v(sess.run(outs[k], {step: n})) for n in (0, 4, 5, 12, 30)]
                         for k in outs}
    return res


def scenario_optimizer_with_schedule(tf):
    w = tf.Variable([1.0, -2.0], name="w")
    sched = tf.keras.optimizers.schedules.ExponentialDecay(0.5, 2, 0.5)
    opt = tf.keras.optimizers.SGD(sched)
    op = opt.minimize(lambda: tf.reduce_sum(w * w), var_list=[w])
    steps = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(4):
            sess.run(op)
            steps.append(_v(sess.run(w)))
    cfg = opt.get_config()
    return {"steps": steps, "variables": [v.name for v in opt.variables()],
            "globals": [v.name for v in tf.global_variables()],
            "config_lr": cfg["learning_rate"]}

def scenario_program_vae_step(tf):
    """A VAE's KL term in K.* math, a from_logits BinaryCrossentropy and Adam.get_updates."""
    K = tf.keras.backend
    x = tf.placeholder(tf.float32, [None, 4])
    w = tf.Variable(np.full((4, 2), 0.1, np.float32), name="w")
    mu = tf.matmul(x, w)
    logvar = tf.matmul(x, w) * 0.5
    kl = -0.5 * K.sum(1 + logvar - K.square(mu) - K.exp(logvar), axis=-1)
    logits = tf.matmul(mu, tf.transpose(w))
    rec = tf.keras.losses.BinaryCrossentropy(from_logits=True)(tf.ones_like(x) * 0.5, logits)
    loss = K.mean(kl) + rec
    opt = tf.keras.optimizers.Adam(1e-2)
    op = opt.get_updates(loss, [w])[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        vals = [sess.run([loss, op], {x: np.ones((3, 4), np.float32)})[0] for _ in range(3)]
        wv = sess.run(w)
    return {"losses": _v(vals), "w": _v(wv), "names": [rec.name, kl.name, loss.name, op.name],
            "globals": [v.name for v in tf.global_variables()]}


def all_scenarios():
    out = {}
    for name, (y, p, kw) in _FUNCS.items():
        out["fn_" + name] = _make_func(name, y, p, kw)
    for name, (y, p, kw) in _CLASSES.items():
        out["cls_" + name] = _make_class(name, y, p, kw)
    for name, (cls_name, kw) in _OPTS.items():
        out["opt_" + name] = _make_opt(cls_name, kw)
    out.update({k[len("scenario_"):]: v for k, v in globals().items()
                if k.startswith("scenario_") and callable(v)})
    return out
