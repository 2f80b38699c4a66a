"""Golden scenarios of tf.IndexedSlices (``record_tf.py --set islices``): the gradients of
gathers and embedding lookups, their aggregation, clipping, and the optimizers' sparse
updates step for step (untouched rows keep their slots), on resource and ref variables."""

import warnings

import numpy as np

EMB0 = (np.arange(20, dtype=np.float32).reshape(5, 4) / 10).tolist()
W0 = [[0.5], [-0.25], [0.75], [1.0]]
FEEDS = ([0, 2, 2], [1], [3, 0], [4, 4, 1])


def _r(v):
    if hasattr(v, "indices"):
        return {"values": np.asarray(v.values, np.float64).round(5).tolist(),
                "indices": np.asarray(v.indices).tolist(),
                "dense_shape": None if v.dense_shape is None
                else np.asarray(v.dense_shape).tolist()}
    return np.asarray(v, np.float64).round(5).tolist()


def _kind(tf, t):
    return "IndexedSlices" if isinstance(t, tf.IndexedSlices) else "Tensor"


def _train(tf, make_opt, use_resource=True, clip=None):
    ids = tf.placeholder(tf.int32, [None], name="ids")
    emb = tf.get_variable("emb", initializer=np.array(EMB0, np.float32),
                          use_resource=use_resource)
    w = tf.get_variable("w", initializer=np.array(W0, np.float32), use_resource=use_resource)
    e = tf.nn.embedding_lookup(emb, ids)
    first = tf.gather(emb, ids[:1])
    loss = tf.reduce_sum(tf.square(tf.matmul(e, w) - 1.0)) + tf.reduce_sum(first)
    opt = make_opt(tf)
    gv = opt.compute_gradients(loss)
    if clip is not None:
        grads, _ = tf.clip_by_global_norm([g for g, _ in gv], clip)
        gv = list(zip(grads, [v for _, v in gv]))
    train = opt.apply_gradients(gv)
    out = {"grad_type": _kind(tf, gv[0][0]),
           "update_types": sorted({o.type for o in tf.get_default_graph().get_operations()
                                   if o.type.startswith(("Sparse", "ResourceSparse", "Scatter",
                                                         "ResourceScatter"))})}
    steps = []
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out["grad"] = _r(s.run(gv[0][0], {ids: FEEDS[0]}))
        for f in FEEDS:
            s.run(train, {ids: f})
            steps.append(_r(s.run(emb)))
        out["slots"] = {n: _r(s.run(opt.get_slot(emb, n))) for n in opt.get_slot_names()}
    out["steps"] = steps
    return out


def scenario_sgd(tf):
    return _train(tf, lambda tf: tf.train.GradientDescentOptimizer(0.1))


def scenario_momentum(tf):
    return _train(tf, lambda tf: tf.train.MomentumOptimizer(0.1, 0.9))


def scenario_momentum_nesterov_ref(tf):
    return _train(tf, lambda tf: tf.train.MomentumOptimizer(0.05, 0.9, use_nesterov=True),
                  use_resource=False)


def scenario_rmsprop(tf):
    return _train(tf, lambda tf: tf.train.RMSPropOptimizer(0.05, momentum=0.5))


def scenario_rmsprop_centered_ref(tf):
    return _train(tf, lambda tf: tf.train.RMSPropOptimizer(0.05, centered=True),
                  use_resource=False)


def scenario_adam(tf):
    return _train(tf, lambda tf: tf.train.AdamOptimizer(0.1))


def scenario_adam_ref(tf):
    return _train(tf, lambda tf: tf.train.AdamOptimizer(0.1), use_resource=False)


def scenario_adagrad(tf):
    return _train(tf, lambda tf: tf.train.AdagradOptimizer(0.1))


def scenario_adadelta(tf):
    return _train(tf, lambda tf: tf.train.AdadeltaOptimizer(1.0))


def scenario_ftrl(tf):
    return _train(tf, lambda tf: tf.train.FtrlOptimizer(0.1, l1_regularization_strength=0.01))


def scenario_ftrl_shrinkage_ref(tf):
    return _train(tf, lambda tf: tf.train.FtrlOptimizer(
        0.1, l2_shrinkage_regularization_strength=0.1), use_resource=False)


def scenario_proximal(tf):
    return _train(tf, lambda tf: tf.train.ProximalAdagradOptimizer(
        0.1, l1_regularization_strength=0.01))


def scenario_sgd_ref_clipped(tf):
    return _train(tf, lambda tf: tf.train.GradientDescentOptimizer(0.1), use_resource=False,
                  clip=1.0)


def scenario_momentum_clipped(tf):
    return _train(tf, lambda tf: tf.train.MomentumOptimizer(0.1, 0.9), clip=0.5)


def scenario_gradients_and_clipping(tf):
    emb = tf.get_variable("emb", initializer=np.array(EMB0, np.float32))
    ids = tf.constant([0, 2, 2])
    loss = (tf.reduce_sum(tf.square(tf.nn.embedding_lookup(emb, ids)))
            + tf.reduce_sum(tf.gather(emb, [1])))
    g = tf.gradients(loss, emb)[0]
    cg, n = tf.clip_by_global_norm([g], 1.0)
    cn = tf.clip_by_norm(g, 1.0)
    cv = tf.clip_by_value(g, -0.5, 0.5)
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4))
    ga = tf.gradients(tf.reduce_sum(tf.gather(x, [3, 1, 1], axis=1) * 2.0), x)[0]
    mixed = tf.gradients(tf.reduce_sum(tf.gather(x, [0, 0])) + tf.reduce_sum(x * x), x)[0]
    gg = tf.gradients(tf.reduce_sum(tf.gather(tf.gather(x, [2, 0]), [1, 1, 0])), x)[0]
    dense = tf.convert_to_tensor(g)
    out = {"types": [_kind(tf, t) for t in (g, cg[0], cn, cv, ga, mixed, gg)],
           "op_types": [mixed.op.type, dense.op.type, g.values.op.type],
           "static": [g.values.shape.as_list(), dense.shape.as_list(), g.shape.as_list()]}
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        r = s.run({"g": g, "cg": cg[0], "n": n, "cn": cn, "cv": cv, "ga": ga, "mixed": mixed,
                   "gg": gg, "dense": dense})
    out.update({k: _r(v) for k, v in r.items()})
    return out


def scenario_lookup_shapes_and_names(tf):
    emb = tf.get_variable("emb", initializer=np.array(EMB0, np.float32))
    ref = tf.get_variable("ref", initializer=np.array(EMB0, np.float32), use_resource=False)
    ids = tf.constant([[1, 3], [3, 3]])
    r = tf.nn.embedding_lookup(emb, ids)
    r2 = tf.nn.embedding_lookup(ref, ids)
    g, g2 = tf.gradients(tf.reduce_sum(r * r) + tf.reduce_sum(r2), [emb, ref])
    out = {"ops": [r.op.type, r.op.inputs[0].op.type, r2.op.inputs[0].op.type],
           "names": [r.op.inputs[0].op.name, r2.op.inputs[0].op.name],
           "shapes": [r.shape.as_list(), g.values.shape.as_list(), g2.values.shape.as_list()],
           "grad_types": [_kind(tf, g), _kind(tf, g2)]}
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out["g"], out["g2"] = _r(s.run(g)), _r(s.run(g2))
    return out


def scenario_fetch_and_feed(tf):
    v = tf.placeholder(tf.float32, [None, 2])
    i = tf.placeholder(tf.int32, [None])
    d = tf.placeholder(tf.int32, [2])
    sl = tf.IndexedSlices(v, i, d)
    with warnings.catch_warnings():  # TF's "unknown shape" memory warning, as TF gives it
        warnings.simplefilter("ignore")
        dense = tf.convert_to_tensor(sl)
    with tf.Session() as s:
        fed = s.run(dense, {sl: ([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [3, 0, 3], [4, 2])})
        back = s.run(sl, {v: [[1.0, 1.0]], i: [2], d: [3, 2]})
    return {"fed": _r(fed), "back": _r(back), "type": type(back).__name__}


def scenario_batch_gather_gradients(tf):
    x = tf.constant(np.arange(48, dtype=np.float32).reshape(2, 3, 4, 2) / 7)
    cases = [([[0, 2, 2], [1, 1, 0]], 1, 1), ([[0, 3], [2, 2]], 2, 1),
             ([[[0, 1], [3, 3], [2, 0]], [[1, 1], [0, 2], [3, 0]]], 2, 2),
             ([[[1], [0], [1]], [[0], [0], [1]]], 3, 2)]
    fetch, shapes = {}, []
    for k, (i, a, b) in enumerate(cases):
        y = tf.gather(x, tf.constant(i), axis=a, batch_dims=b)
        w = tf.constant(np.random.RandomState(k).randn(*y.shape.as_list()).astype(np.float32))
        fetch[f"y{k}"] = y
        fetch[f"g{k}"] = tf.gradients(tf.reduce_sum(y * w), x)[0]
        shapes.append(y.shape.as_list())
    with tf.Session() as s:
        out = {k: _r(v) for k, v in s.run(fetch).items()}
    out["shapes"] = shapes
    return out


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items() if k.startswith("scenario_")}
