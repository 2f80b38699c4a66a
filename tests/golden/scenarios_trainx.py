"""Golden scenarios of the rarer tf.train pieces (``record_tf.py --set trainx``):
AdagradDA step for step (dense and sparse, ref and resource), Supervisor / SessionManager
flows, checkpoint iteration, replica_device_setter's device strings, ClusterSpec."""

import os
import tempfile

import numpy as np


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}


def _r(x):
    if isinstance(x, (list, tuple)):
        return [_r(y) for y in x]
    return np.asarray(x, np.float64).round(6).tolist()


def _adagrad_da(tf, use_resource, dtype):
    rng = np.random.RandomState(0)
    grads = rng.randn(4, 6, 3)
    gs = tf.train.get_or_create_global_step()
    w = tf.get_variable("w", initializer=tf.constant(rng.randn(6, 3), dtype=dtype),
                        use_resource=use_resource)
    v = tf.get_variable("v", initializer=tf.constant(rng.randn(6), dtype=dtype),
                        use_resource=use_resource)
    e = tf.get_variable("e", initializer=tf.constant(rng.randn(6, 3), dtype=dtype),
                        use_resource=use_resource)
    gp = tf.placeholder(dtype, [6, 3])
    opt = tf.train.AdagradDAOptimizer(0.3, gs, l1_regularization_strength=0.01,
                                      l2_regularization_strength=0.02)
    opt2 = tf.train.AdagradDAOptimizer(0.1, gs, initial_gradient_squared_accumulator_value=0.5,
                                       l1_regularization_strength=0.05,
                                       l2_regularization_strength=0.1, name="D2")
    opt3 = tf.train.AdagradDAOptimizer(0.2, gs, name="D3")
    # the sparse gradient of v repeats row 1: the optimizer sums it first
    t1 = opt.apply_gradients([(gp, w), (tf.IndexedSlices(gp[:3, 0], tf.constant([1, 4, 1])),
                                        v)], global_step=gs)
    t2 = opt2.apply_gradients([(tf.IndexedSlices(gp[:2], tf.constant([0, 5])), e)])
    t3 = opt3.apply_gradients([(tf.IndexedSlices(gp[2:4], tf.constant([3, 1])), e)])
    out = {"steps": []}
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for i in range(4):
            # one after the other: AdagradDA reads the global step, which t1 increments
            s.run(t1, {gp: grads[i]})
            s.run(t2, {gp: grads[i]})
            s.run(t3, {gp: grads[i]})
            out["steps"].append(_r(s.run([w, v, e])))
        out["slots"] = _r(s.run([opt.get_slot(w, "gradient_accumulator"),
                                 opt.get_slot(v, "gradient_squared_accumulator")]))
    out["slot_names"] = sorted(x.op.name for x in opt.variables() + opt2.variables())
    out["get_slot_names"] = opt.get_slot_names()
    graph = tf.get_default_graph()
    out["update_ops"] = sorted([o.name, o.type] for o in graph.get_operations()
                               if "update_" in o.name)
    return out


def scenario_adagrad_da_resource_float32(tf):
    return _adagrad_da(tf, True, tf.float32)


def scenario_adagrad_da_ref_float64(tf):
    return _adagrad_da(tf, False, tf.float64)


def scenario_adagrad_da_minimize_and_errors(tf):
    gs = tf.train.get_or_create_global_step()
    x = tf.get_variable("x", initializer=tf.constant([1.0, -2.0, 0.5]))
    emb = tf.get_variable("emb", initializer=tf.constant(np.arange(8.0, dtype=np.float32)
                                                         .reshape(4, 2) / 3))
    loss = tf.reduce_sum(tf.square(x - 0.3)) + tf.reduce_sum(
        tf.sin(tf.nn.embedding_lookup(emb, [0, 2, 2])))
    train = tf.train.AdagradDAOptimizer(0.5, gs, l1_regularization_strength=0.001).minimize(
        loss, global_step=gs)
    out = {"vals": []}
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for _ in range(3):
            s.run(train)
            out["vals"].append(_r(s.run([x, emb, loss])))
        out["step"] = int(s.run(gs))
    try:
        tf.train.AdagradDAOptimizer(0.1, gs, initial_gradient_squared_accumulator_value=0.0)
    except ValueError as e:
        out["error"] = str(e)
    return out
