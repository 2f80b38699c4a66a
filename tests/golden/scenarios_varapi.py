# ruff: noqa: SIM117
"""Golden scenarios of the rest of TF1's variable API: partitioned variables (the three
partitioners, PartitionedVariable, slice info, initializers per slice, reuse rules, concat,
collections, gradients, the Saver's sliced entries), get_local_variable, variable creator
scopes, the synchronization/aggregation checks, caching_device, no_regularizer and the
signature of get_variable.

Same conventions as ``scenarios.py``: ``scenario_<name>(tf)`` returns JSON-able data; TF's
results are recorded by ``record_tf.py --set varapi`` into ``tf1_expected_varapi.json``.
Several cases are ported from TF's own tests (tensorflow/python/kernel_tests/variables/
partitioned_variables_test.py and variable_scope_test.py); each such scenario says which.
"""

import inspect
import os
import shutil
import tempfile

import numpy as np


def _v(x):
    a = np.asarray(x)
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 5).tolist()
    if a.dtype.kind in "SO":
        return [s.decode() if isinstance(s, bytes) else s for s in a.ravel().tolist()]
    return a.tolist()


def _err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return {"type": type(e).__name__, "msg": str(e)}
    return {"type": None, "msg": None}


def _info(v):
    s = v._get_save_slice_info()
    if s is None:
        return None
    return [s.full_name, list(s.full_shape), list(s.var_offset), list(s.var_shape), s.spec]


def _parts(p):
    return [[v.name, v.shape.as_list(), v.dtype.name, _info(v)] for v in p]


def _pv(p):
    return {"type": type(p).__name__, "name": p.name, "shape": p.get_shape().as_list(),
            "dtype": p.dtype.name, "partitions": list(p._get_partitions()), "parts": _parts(p)}


def _colls(tf):
    keys = [tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.TRAINABLE_VARIABLES,
            tf.GraphKeys.LOCAL_VARIABLES, tf.GraphKeys.MODEL_VARIABLES,
            tf.GraphKeys.REGULARIZATION_LOSSES]
    return {k: [v.name for v in tf.get_collection(k)] for k in keys}


def _offset_init(shape, dtype=None, partition_info=None):
    """An initializer whose values say where each element sits in the full variable."""
    import numpy as np  # noqa: PLC0415 - used under both frameworks alike

    offset = partition_info.var_offset if partition_info is not None else [0] * len(shape)
    full = partition_info.full_shape if partition_info is not None else list(shape)
    idx = np.indices(shape).reshape(len(shape), -1).T + np.asarray(offset)
    flat = np.ravel_multi_index(idx.T, full)
    return flat.reshape(shape).astype(np.float32)


# -- the partitioners, called directly --------------------------------------------------------
def scenario_partitioner_answers(tf):
    out = {}
    for name, shape, dtype, part in [
        ("fixed3", [10, 4], tf.float32, tf.fixed_size_partitioner(3)),
        ("fixed_axis1", [4, 10], tf.float32, tf.fixed_size_partitioner(4, axis=1)),
        ("fixed_more_than_dim", [2, 4], tf.float32, tf.fixed_size_partitioner(5)),
        ("axis_size_small", [10, 4], tf.float32, tf.variable_axis_size_partitioner(40)),
        ("axis_size_tiny", [10, 4], tf.float32, tf.variable_axis_size_partitioner(1)),
        ("axis_size_big", [10, 4], tf.float32, tf.variable_axis_size_partitioner(1 << 20)),
        ("axis_size_axis1", [10, 6], tf.float64, tf.variable_axis_size_partitioner(100, axis=1)),
        ("axis_size_max", [100, 4], tf.float32,
         tf.variable_axis_size_partitioner(16, max_shards=7)),
        ("axis_size_string", [10, 4], tf.string, tf.variable_axis_size_partitioner(100)),
        ("axis_size_string32", [10, 4], tf.string,
         tf.variable_axis_size_partitioner(100, bytes_per_string_element=32)),
        ("minmax_default", [1000, 1000], tf.float32, tf.min_max_variable_partitioner(8)),
        ("minmax_small", [10, 4], tf.float32,
         tf.min_max_variable_partitioner(4, min_slice_size=32)),
        ("minmax_cap_dim", [3, 100], tf.float32,
         tf.min_max_variable_partitioner(10, min_slice_size=4)),
        ("minmax_axis1", [4, 100], tf.float32,
         tf.min_max_variable_partitioner(10, axis=1, min_slice_size=64)),
        ("minmax_one", [10, 4], tf.float32, tf.min_max_variable_partitioner()),
        ("minmax_string", [64, 4], tf.string,
         tf.min_max_variable_partitioner(8, min_slice_size=256)),
    ]:
        out[name] = [int(p) for p in part(shape=tf.TensorShape(shape), dtype=dtype)]
    out["axis_size_bad"] = _err(lambda: tf.variable_axis_size_partitioner(0))
    out["axis_size_bad_bytes"] = _err(
        lambda: tf.variable_axis_size_partitioner(10, bytes_per_string_element=0))
    out["axis_size_bad_max"] = _err(lambda: tf.variable_axis_size_partitioner(10, max_shards=-1))
    out["axis_size_not_shape"] = _err(
        lambda: tf.variable_axis_size_partitioner(10)(shape=[4, 4], dtype=tf.float32))
    out["axis_size_not_defined"] = _err(
        lambda: tf.variable_axis_size_partitioner(10)(shape=tf.TensorShape([None, 4]),
                                                      dtype=tf.float32))
    out["minmax_bad_axis"] = _err(
        lambda: tf.min_max_variable_partitioner(2, axis=2)(shape=tf.TensorShape([4, 4]),
                                                           dtype=tf.float32))
    return out


# -- get_variable with a partitioner ---------------------------------------------------------
def scenario_fixed_partitioned_basics(tf):
    p = tf.get_variable("emb", [10, 3], initializer=_offset_init,
                        partitioner=tf.fixed_size_partitioner(3))
    t = tf.convert_to_tensor(p)
    t2 = p.as_tensor()
    ops = [[o.name, o.type] for o in tf.get_default_graph().get_operations()]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        parts = sess.run(list(p))
        full, full2 = sess.run([t, t2])
    return {"pv": _pv(p), "len": len(p), "tensor": [t.name, t.op.type, t.shape.as_list()],
            "tensor2": t2.name, "concat_inputs": [i.name for i in t.op.inputs[0].op.inputs],
            "parts": [_v(x) for x in parts], "full": _v(full), "full2": _v(full2),
            "colls": _colls(tf), "ops": ops,
            "is_variable": isinstance(p, tf.Variable)}


def scenario_partitioned_axis1_and_values(tf):
    init = np.arange(24, dtype=np.float32).reshape(3, 8)
    np_err = _err(lambda: tf.get_variable("np", initializer=init,
                                          partitioner=tf.fixed_size_partitioner(2)))
    p = tf.get_variable("w", [3, 8], initializer=_offset_init,
                        partitioner=tf.fixed_size_partitioner(3, axis=1))
    q = tf.get_variable("c", [7], initializer=tf.constant_initializer(2.5),
                        partitioner=tf.fixed_size_partitioner(2))
    r = tf.get_variable("z", [5, 2], dtype=tf.int32,
                        partitioner=tf.fixed_size_partitioner(2))
    ops = [[o.name, o.type] for o in tf.get_default_graph().get_operations()
           if "Initializer" in o.name]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        vals = sess.run([list(p), list(q), list(r), tf.convert_to_tensor(p)])
    return {"w": _pv(p), "c": _pv(q), "z": _pv(r), "init_ops": ops, "np_err": np_err,
            "values": [[_v(x) for x in vals[0]], [_v(x) for x in vals[1]],
                       [_v(x) for x in vals[2]], _v(vals[3])]}


def scenario_partitioned_tensor_initializer(tf):
    init = tf.constant(np.arange(12, dtype=np.float32).reshape(6, 2))
    p = tf.get_variable("t", initializer=init, partitioner=tf.fixed_size_partitioner(4))
    ops = [[o.name, o.type] for o in tf.get_default_graph().get_operations()
           if "Initializer" in o.name]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        vals = sess.run(list(p))
    return {"pv": _pv(p), "init_ops": ops, "values": [_v(x) for x in vals]}


def scenario_partitioned_axis_size_and_minmax(tf):
    a = tf.get_variable("a", [10, 4], initializer=_offset_init,
                        partitioner=tf.variable_axis_size_partitioner(40))
    b = tf.get_variable("b", [64, 4], initializer=_offset_init,
                        partitioner=tf.min_max_variable_partitioner(4, min_slice_size=256))
    c = tf.get_variable("c", [9, 2], initializer=_offset_init,
                        partitioner=tf.min_max_variable_partitioner(1))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        full = sess.run([tf.convert_to_tensor(a), tf.convert_to_tensor(b),
                         tf.convert_to_tensor(c)])
    return {"a": _pv(a), "b": _pv(b), "c": _pv(c), "c_tensor": tf.convert_to_tensor(c).name,
            "full": [_v(x) for x in full]}


def scenario_partitioned_reuse_rules(tf):
    part3 = tf.fixed_size_partitioner(3)
    p = tf.get_variable("emb", [10, 3], partitioner=part3)
    out = {"again": _err(lambda: tf.get_variable("emb", [10, 3], partitioner=part3))}
    with tf.variable_scope("", reuse=True):
        out["other_partitions"] = _err(
            lambda: tf.get_variable("emb", [10, 3], partitioner=tf.fixed_size_partitioner(2)))
        out["same"] = tf.get_variable("emb", [10, 3], partitioner=part3) is p
        out["no_partitioner"] = tf.get_variable("emb") is p
        out["no_partitioner_shape"] = tf.get_variable("emb", [10, 3]) is p
        out["other_shape"] = _err(lambda: tf.get_variable("emb", [10, 4], partitioner=part3))
        out["other_dtype"] = _err(
            lambda: tf.get_variable("emb", [10, 3], dtype=tf.int32, partitioner=part3))
        out["missing"] = _err(lambda: tf.get_variable("nope", [10, 3], partitioner=part3))
        out["part_itself"] = tf.get_variable("emb/part_1").name
    with tf.variable_scope("", reuse=tf.AUTO_REUSE):
        out["auto_same"] = tf.get_variable("emb", [10, 3], partitioner=part3) is p
        q = tf.get_variable("fresh", [4], partitioner=tf.fixed_size_partitioner(2))
        out["auto_new"] = _pv(q)
        out["auto_again"] = tf.get_variable("fresh", [4],
                                            partitioner=tf.fixed_size_partitioner(2)) is q
    out["part_name_clash"] = _err(lambda: tf.get_variable("emb/part_0", [10, 3]))
    out["unpartitioned_of_partitioned"] = _err(lambda: tf.get_variable("emb", [10, 3]))
    tf.get_variable("plain", [4])
    out["partitioned_of_unpartitioned"] = _err(
        lambda: tf.get_variable("plain", [4], partitioner=tf.fixed_size_partitioner(2)))
    out["scalar"] = tf.get_variable("sc", [], partitioner=tf.fixed_size_partitioner(2)).name
    out["two_axes"] = _err(lambda: tf.get_variable(
        "bad", [4, 4], partitioner=lambda shape, dtype: [2, 2]))
    out["wrong_rank"] = _err(lambda: tf.get_variable(
        "bad2", [4, 4], partitioner=lambda shape, dtype: [2]))
    out["zero"] = _err(lambda: tf.get_variable(
        "bad3", [4, 4], partitioner=lambda shape, dtype: [0, 1]))
    out["not_sequence"] = _err(lambda: tf.get_variable(
        "bad4", [4, 4], partitioner=lambda shape, dtype: 3))
    out["not_callable"] = _err(lambda: tf.get_variable("bad5", [4, 4], partitioner=3))
    out["undefined_shape"] = _err(lambda: tf.get_variable(
        "bad6", [None, 4], partitioner=tf.fixed_size_partitioner(2)))
    out["names"] = [v.name for v in tf.global_variables()]
    return out


def scenario_partitioned_changed_shards(tf):
    """Ported from variable_scope_test.py (testPartitionConcatenatesAlongCorrectAxis /
    the 'Partitioner returned a different partitioning' checks): parts made by hand."""
    tf.get_variable("x/part_0", [2])
    tf.get_variable("x/part_1", [2])
    out = {"fewer": _err(lambda: tf.get_variable("x", [6],
                                                 partitioner=tf.fixed_size_partitioner(3)))}
    tf.get_variable("y/part_0", [2])
    tf.get_variable("y/part_1", [2])
    tf.get_variable("y/part_2", [2])
    out["more"] = _err(lambda: tf.get_variable("y", [4],
                                               partitioner=tf.fixed_size_partitioner(2)))
    return out


def scenario_partitioned_in_scope(tf):
    """Ported from variable_scope_test.py (testVarScopeGetVarPartitioner-style): the
    partitioner of a variable_scope applies to get_variable and to tf.layers.dense."""
    with tf.variable_scope("outer", partitioner=tf.fixed_size_partitioner(2)) as scope:
        p = tf.get_variable("w", [6, 2])
        s = tf.get_variable("s", [])
        with tf.variable_scope("inner"):
            q = tf.get_variable("v", [4, 2])
        with tf.variable_scope("off", partitioner=None):
            r = tf.get_variable("u", [4])
        x = tf.constant(np.ones((3, 4), np.float32))
        y = tf.layers.dense(x, 6, name="dense")
    kinds = {k: "partitioned" if type(v).__name__ == "PartitionedVariable" else "variable"
             for k, v in [("w", p), ("s", s), ("v", q), ("u", r)]}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        shape = sess.run(y).shape
    return {"kinds": kinds, "scope_partitioner": scope.partitioner is not None,
            "names": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "w": _pv(p), "y": [y.name, list(shape)], "r": r.name}


def scenario_partitioned_gradients_and_training(tf):
    p = tf.get_variable("emb", [6, 2], initializer=_offset_init,
                        partitioner=tf.fixed_size_partitioner(3))
    x = tf.constant(np.arange(4, dtype=np.float32).reshape(2, 2) * 0.1)
    full = tf.convert_to_tensor(p)
    loss = tf.reduce_sum(tf.square(tf.matmul(full, x)))
    grads = tf.gradients(loss, list(p))
    emb_lookup = tf.nn.embedding_lookup(full, [0, 5, 3])
    opt = tf.train.GradientDescentOptimizer(0.01)
    gv = opt.compute_gradients(loss)
    train = opt.apply_gradients(gv)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        g, look = sess.run([grads, emb_lookup])
        before = sess.run(loss)
        sess.run(train)
        after = sess.run(loss)
        parts = sess.run(list(p))
    return {"grads": [_v(a) for a in g], "grad_vars": [v.name for _, v in gv],
            "lookup": _v(look), "loss": [round(float(before), 4), round(float(after), 4)],
            "parts": [_v(a) for a in parts]}


def scenario_partitioned_adam(tf):
    p = tf.get_variable("emb", [5, 2], initializer=_offset_init,
                        partitioner=tf.fixed_size_partitioner(2))
    loss = tf.reduce_sum(tf.square(tf.convert_to_tensor(p) - 1.0))
    opt = tf.train.AdamOptimizer(0.1)
    train = opt.minimize(loss)
    slots = [[opt.get_slot(v, n).name for n in opt.get_slot_names()] for v in p]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
        parts = sess.run(list(p))
    return {"slots": slots, "parts": [_v(a) for a in parts],
            "globals": [v.name for v in tf.global_variables()]}


def scenario_partitioned_embedding_lookup(tf):
    """Ported from embedding_ops_test.py (testSimpleSharded / testShardedDivPartitioning
    style): lookups in a partitioned variable by "mod" and "div", their gradients and a
    training step."""
    emb = tf.get_variable("emb", [7, 2], initializer=_offset_init,
                          partitioner=tf.fixed_size_partitioner(3))
    ids = tf.constant([[0, 6], [3, 1]])
    r = tf.nn.embedding_lookup(emb, ids)
    r2 = tf.nn.embedding_lookup(emb, ids, partition_strategy="div")
    r3 = tf.nn.embedding_lookup(list(emb), tf.constant([5, 2, 2]), partition_strategy="div")
    loss = tf.reduce_sum(r * r) + tf.reduce_sum(r2) + tf.reduce_sum(r3)
    grads = [tf.convert_to_tensor(g) for g in tf.gradients(loss, list(emb))]
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    out = {"names": [r.name, r2.name, r3.name],
           "shapes": [r.shape.as_list(), r2.shape.as_list(), r3.shape.as_list()],
           "bad_strategy": _err(lambda: tf.nn.embedding_lookup(emb, ids,
                                                               partition_strategy="x")),
           "stitch": [[o.name, o.type] for o in tf.get_default_graph().get_operations()
                      if o.type in ("DynamicPartition", "ParallelDynamicStitch")]}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out["values"] = [_v(x) for x in sess.run([r, r2, r3])]
        out["grads"] = [_v(g) for g in sess.run(grads)]
        sess.run(train)
        out["trained"] = _v(sess.run(tf.convert_to_tensor(emb)))
    return out


def scenario_dynamic_partition_and_stitch(tf):
    x = tf.constant(np.arange(10, dtype=np.float32).reshape(5, 2))
    parts = tf.dynamic_partition(x, tf.constant([0, 2, 1, 0, 2]), 3)
    st = tf.dynamic_stitch([tf.constant([0, 3]), tf.constant([2]), tf.constant([1, 4])], parts)
    g = tf.gradients(tf.reduce_sum(st * st), x)[0]
    out = {"names": [t.name for t in parts] + [st.name],
           "shapes": [t.shape.as_list() for t in parts] + [st.shape.as_list()]}
    y = tf.constant(np.arange(6, dtype=np.float32).reshape(3, 2))
    out["errors"] = {
        "zero": _err(lambda: tf.dynamic_partition(y, [0, 1, 0], 0)),
        "float_count": [t.name for t in tf.dynamic_partition(y, [0, 1, 0], 2.0)],
        "prefix": _err(lambda: tf.dynamic_partition(y, [0, 1], 2)),
        "stitch_dims": _err(lambda: tf.dynamic_stitch([[0, 1]], [y])),
        "stitch_types": _err(lambda: tf.dynamic_stitch([[0, 1], [2]],
                                                       [y[:2], tf.constant([1])])),
        "stitch_lengths": _err(lambda: tf.dynamic_stitch([[0, 1]], [y[:2], y])),
    }
    with tf.Session() as sess:
        out["values"] = [_v(a) for a in sess.run(parts)] + [_v(sess.run(st)),
                                                           _v(sess.run(g))]
        out["gap"] = _v(sess.run(tf.dynamic_stitch([[0, 5], [1]], [y[:2], y[2:]])))
        out["out_of_range"] = _err(lambda: sess.run(tf.dynamic_partition(y, [0, 3, 0], 2)))
        out["out_of_range"]["msg"] = None
    return out


def scenario_partitioned_saver_round_trip(tf):
    d = tempfile.mkdtemp()
    try:
        p = tf.get_variable("emb", [7, 2], initializer=_offset_init,
                            partitioner=tf.fixed_size_partitioner(3))
        w = tf.get_variable("w", [3], initializer=tf.ones_initializer())
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = saver.save(sess, os.path.join(d, "m.ckpt"))
            sess.run([v.assign(tf.zeros_like(v)) for v in p])
            saver.restore(sess, path)
            restored = sess.run(tf.convert_to_tensor(p))
        listed = [[n, s] for n, s in tf.train.list_variables(path)]
        loaded = _v(tf.train.load_variable(path, "emb"))
        # the parts restore into a graph partitioned differently
        tf.reset_default_graph()
        q = tf.get_variable("emb", [7, 2], partitioner=tf.fixed_size_partitioner(2))
        saver2 = tf.train.Saver([q])
        with tf.Session() as sess:
            saver2.restore(sess, path)
            other = sess.run(list(q))
        tf.reset_default_graph()
        r = tf.get_variable("emb", [7, 2])
        with tf.Session() as sess:
            tf.train.Saver([r]).restore(sess, path)
            whole = sess.run(r)
        tf.reset_default_graph()
        s = tf.get_variable("emb", [7, 2], partitioner=tf.fixed_size_partitioner(3))
        with tf.Session() as sess:
            tf.train.Saver({"emb": s}).restore(sess, path)
            by_dict = sess.run(tf.convert_to_tensor(s))
        return {"restored": _v(restored), "listed": listed, "loaded": loaded,
                "other_partitioning": [_v(x) for x in other], "unpartitioned": _v(whole),
                "dict": _v(by_dict)}
    finally:
        shutil.rmtree(d)


def scenario_saver_reshape(tf):
    d = tempfile.mkdtemp()
    try:
        init = tf.constant_initializer(np.arange(6, dtype=np.float32).reshape(2, 3))
        tf.get_variable("v", [2, 3], initializer=init)
        tf.get_variable("p", [4, 2], initializer=_offset_init,
                        partitioner=tf.fixed_size_partitioner(2))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = tf.train.Saver().save(sess, os.path.join(d, "m"))
        out = {}
        for shape in ([3, 2], [6], [3, 3]):
            tf.reset_default_graph()
            v = tf.get_variable("v", shape)
            with tf.Session() as sess:
                r = _err(lambda: tf.train.Saver(reshape=True).restore(sess, path))
                out[str(shape)] = [r["type"], _v(sess.run(v)) if r["type"] is None else None]
        # (Without reshape TF's resource variables take the checkpoint's shape, [2, 3], in
        # place of their own; varstore's store keeps shapes fixed and refuses: not recorded.)
        tf.reset_default_graph()
        tf.get_variable("p", [2, 4], partitioner=tf.fixed_size_partitioner(2))
        with tf.Session() as sess:
            out["sliced_not_reshaped"] = _err(
                lambda: tf.train.Saver(reshape=True).restore(sess, path))["type"]
        return out
    finally:
        shutil.rmtree(d)


def scenario_init_from_checkpoint_partitioned(tf):
    d = tempfile.mkdtemp()
    try:
        tf.get_variable("emb", [7, 2], initializer=_offset_init,
                        partitioner=tf.fixed_size_partitioner(3))
        tf.get_variable("w", [3], initializer=tf.constant_initializer(4.0))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = tf.train.Saver().save(sess, os.path.join(d, "m"))
        out = {}
        for how in ("name", "scope", "list", "into_plain"):
            tf.reset_default_graph()
            with tf.variable_scope("new"):
                if how == "into_plain":
                    p = tf.get_variable("emb", [7, 2], initializer=tf.zeros_initializer())
                else:
                    p = tf.get_variable("emb", [7, 2], initializer=tf.zeros_initializer(),
                                        partitioner=tf.fixed_size_partitioner(2))
                w = tf.get_variable("w", [3], initializer=tf.zeros_initializer())
            amap = {"name": {"emb": "new/emb"}, "scope": {"/": "new/"},
                    "list": {"emb": list(p) if how == "list" else None},
                    "into_plain": {"emb": "new/emb"}}[how]
            tf.train.init_from_checkpoint(path, amap)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                out[how] = [_v(sess.run(tf.convert_to_tensor(p))), _v(sess.run(w))]
        tf.reset_default_graph()
        with tf.variable_scope("new"):
            tf.get_variable("emb", [7, 2], partitioner=tf.fixed_size_partitioner(2))
        out["missing"] = _err(lambda: tf.train.init_from_checkpoint(path, {"nope": "new/emb"}))
        if out["missing"]["msg"]:
            out["missing"]["msg"] = out["missing"]["msg"].split(" is not found")[0]
        return out
    finally:
        shutil.rmtree(d)


def scenario_partitioned_saver_dict_errors(tf):
    p = tf.get_variable("emb", [4, 2], partitioner=tf.fixed_size_partitioner(2))
    out = {"dict_list_of_parts": _err(lambda: tf.train.Saver({"e": list(p)}))}
    out["ok_list"] = _err(lambda: tf.train.Saver([p]))
    return out


def scenario_partitioned_variable_object(tf):
    """Ported from partitioned_variables_test.py (testPartitionedVariable*: assign and
    conversion); TF's PartitionedVariable assigns part by part."""
    p = tf.get_variable("v", [5, 2], initializer=tf.zeros_initializer(),
                        partitioner=tf.fixed_size_partitioner(2))
    value = np.arange(10, dtype=np.float32).reshape(5, 2)
    assigns = p.assign(value)
    adds = p.assign_add(value)
    out = {"assign_types": [type(a).__name__ for a in assigns], "n": len(assigns),
           "bad_dtype": _err(lambda: tf.convert_to_tensor(p, dtype=tf.int32)),
           "shape": p.shape.as_list()}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(assigns)
        sess.run(adds)
        out["after"] = _v(sess.run(tf.convert_to_tensor(p)))
    return out


def scenario_create_partitioned_variables(tf):
    """Ported from partitioned_variables_test.py (testVecConstantInit, testRandomInitializer
    naming, testName / testSomeErrors): the legacy create_partitioned_variables."""
    out = {}
    vs = tf.create_partitioned_variables([10, 3], [2, 1], _offset_init)
    out["default"] = [[v.name, v.shape.as_list(), _info(v)] for v in vs]
    with tf.variable_scope("outer"):
        ws = tf.create_partitioned_variables([4, 6], [1, 3], tf.ones_initializer(),
                                             dtype=tf.float64, name="w", trainable=False,
                                             collections=["parts", tf.GraphKeys.GLOBAL_VARIABLES])
    out["named"] = [[v.name, v.shape.as_list(), v.dtype.name, _info(v)] for v in ws]
    vs2 = tf.create_partitioned_variables([10, 3], [2, 1], _offset_init)
    out["second"] = [v.name for v in vs2]
    again = tf.create_partitioned_variables([4, 6], [1, 3], tf.ones_initializer(),
                                            dtype=tf.float64, name="outer/w", reuse=True)
    out["reuse"] = [v.name for v in again]
    out["bad_len"] = _err(lambda: tf.create_partitioned_variables([4], [2, 1],
                                                                  tf.ones_initializer()))
    out["bad_rank"] = _err(lambda: tf.create_partitioned_variables([], [],
                                                                   tf.ones_initializer()))
    out["bad_two_axes"] = _err(lambda: tf.create_partitioned_variables(
        [4, 4], [2, 2], tf.ones_initializer(), name="x"))
    with tf.variable_scope("cg", custom_getter=lambda getter, *a, **k: getter(*a, **k)):
        out["custom_getter"] = _err(lambda: tf.create_partitioned_variables(
            [4], [2], tf.ones_initializer()))
    out["custom_getter"]["msg"] = out["custom_getter"]["msg"].split(" at 0x")[0]
    out["colls"] = _colls(tf)
    out["parts"] = [v.name for v in tf.get_collection("parts")]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out["values"] = [_v(x) for x in sess.run(vs)]
    return out


def _partitioned_variable_class(tf):
    if hasattr(tf, "Session") and tf.__name__.startswith("varstore"):
        from varstore.partitioned_variables import PartitionedVariable
    else:
        from tensorflow.python.ops.variables import PartitionedVariable
    return PartitionedVariable


def scenario_partitioned_variable_constructor(tf):
    PV = _partitioned_variable_class(tf)
    v = tf.get_variable("v", [4])
    p = tf.get_variable("p", [4, 2], partitioner=tf.fixed_size_partitioner(2))
    parts = list(p)
    shape = tf.TensorShape([4, 2])
    return {
        "no_slice_info": _err(lambda: PV("x", tf.TensorShape([4]), tf.float32, [v], [1])),
        "rank": _err(lambda: PV("x", shape, tf.float32, parts, [2])),
        "full_shape": _err(lambda: PV("x", tf.TensorShape([5, 2]), tf.float32, parts, [2, 1])),
        "sorted": [x.name for x in PV("x", shape, tf.float32, parts[::-1], [2, 1])],
        "empty": _err(lambda: PV("x", shape, tf.float32, (), [2, 1])),
        "not_positive": _err(lambda: PV("x", shape, tf.float32, parts, [0, 1])),
        "not_list": _err(lambda: PV("x", shape, tf.float32, parts, 3)),
        "assign_len": _err(lambda: p.assign([1.0])),
        "tensor": PV("x", shape, tf.float32, parts, [2, 1]).as_tensor().name,
    }


def scenario_partitioned_as_operand(tf):
    p = tf.get_variable("emb", [6, 2], initializer=tf.ones_initializer(),
                        partitioner=tf.fixed_size_partitioner(3))
    one = tf.get_variable("one", [4, 2], initializer=tf.ones_initializer(),
                          partitioner=tf.fixed_size_partitioner(1))
    loss = tf.reduce_sum(tf.convert_to_tensor(p))
    out = {
        "gradients_of_partitioned": _err(lambda: tf.gradients(loss, [p])),
        "plus_float": _err(lambda: p + 1.0),
        "subscript": _err(lambda: p[0]),
        "identity": tf.identity(p).name,
        "matmul": tf.matmul(p, tf.ones([2, 1])).name,
        "one_part_lookup": tf.nn.embedding_lookup(one, [0, 3]).shape.as_list(),
        "one_part_tensor": tf.convert_to_tensor(one).name,
    }
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out["lookup"] = _v(sess.run(tf.nn.embedding_lookup(one, [0, 3])))
    return out


# -- get_local_variable, no_regularizer ------------------------------------------------------
def scenario_local_variables(tf):
    a = tf.get_local_variable("a", [2], initializer=tf.ones_initializer())
    b = tf.get_local_variable("b", [3], trainable=True, initializer=tf.constant_initializer(2.0))
    colls = ["mine"]
    c = tf.get_local_variable("c", [1], collections=colls)
    with tf.variable_scope("s"):
        d = tf.get_local_variable("d", [2], dtype=tf.int32)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        vals = sess.run([a, b, d])
    return {"names": [v.name for v in (a, b, c, d)], "colls": _colls(tf),
            "mine": [v.name for v in tf.get_collection("mine")], "list": colls,
            "values": [_v(x) for x in vals],
            "uninit": [s.decode() for s in tf.Session().run(
                tf.report_uninitialized_variables())]}


def scenario_no_regularizer(tf):
    reg = lambda v: tf.reduce_sum(v) * 0.1  # noqa: E731
    with tf.variable_scope("s", regularizer=reg):
        tf.get_variable("a", [2])
        tf.get_variable("b", [2], regularizer=tf.no_regularizer)
    return {"losses": [t.name for t in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)],
            "returns": tf.no_regularizer(None) is None}


# -- variable_creator_scope ------------------------------------------------------------------
def _kwargs_summary(kw):
    out = {}
    for k, v in sorted(kw.items()):
        if k == "initial_value":
            kind = type(v).__name__
            out[k] = "callable" if callable(v) else "Tensor" if "Tensor" in kind else kind
        elif k in ("dtype",):
            out[k] = None if v is None else str(getattr(v, "name", v))
        elif k in ("shape",):
            out[k] = None if v is None else str(v)
        elif k in ("synchronization", "aggregation"):
            out[k] = None if v is None else str(v)
        elif v is None or isinstance(v, (bool, int, str, float)):
            out[k] = v
        elif isinstance(v, (list, tuple)):
            out[k] = [str(x) for x in v]
        else:
            out[k] = type(v).__name__
    return out


def scenario_creator_scope_kwargs(tf):
    seen = []

    def creator(next_creator, **kwargs):
        seen.append(_kwargs_summary(kwargs))
        return next_creator(**kwargs)

    with tf.variable_creator_scope(creator):
        a = tf.Variable(1.0, name="a")
        b = tf.get_variable("b", [2], initializer=tf.zeros_initializer())
        c = tf.get_variable("c", [3], trainable=False, collections=["x"])
        d = tf.Variable([1, 2], name="d", trainable=False, dtype=tf.int64)
    return {"seen": seen, "names": [v.name for v in (a, b, c, d)], "colls": _colls(tf)}


def scenario_creator_scope_chain(tf):
    order = []

    def outer(next_creator, **kwargs):
        order.append("outer:" + kwargs["name"])
        return next_creator(**kwargs)

    def inner(next_creator, **kwargs):
        order.append("inner:" + kwargs["name"])
        kwargs["trainable"] = False
        return next_creator(**kwargs)

    with tf.variable_creator_scope(outer):
        with tf.variable_creator_scope(inner):
            a = tf.Variable(1.0, name="a")
            b = tf.get_variable("b", [2])
        c = tf.Variable(2.0, name="c")
    d = tf.Variable(3.0, name="d")
    with tf.variable_scope("", reuse=True):
        again = tf.get_variable("b") is b
    return {"order": order, "trainable": [v.name for v in tf.trainable_variables()],
            "all": [v.name for v in (a, b, c, d)], "reuse": again}


def scenario_creator_scope_replaces(tf):
    made = []

    def creator(next_creator, **kwargs):
        kwargs["initial_value"] = 7.0
        kwargs["name"] = "renamed"
        v = next_creator(**kwargs)
        made.append(v.name)
        return v

    with tf.variable_creator_scope(creator):
        a = tf.Variable(1.0, name="a")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        val = float(sess.run(a))
    return {"made": made, "name": a.name, "value": val}


def scenario_creator_scope_partitioned(tf):
    seen = []

    def creator(next_creator, **kwargs):
        seen.append([kwargs["name"], str(kwargs.get("shape"))])
        return next_creator(**kwargs)

    with tf.variable_creator_scope(creator):
        p = tf.get_variable("emb", [5, 2], partitioner=tf.fixed_size_partitioner(2))
    return {"seen": seen, "pv": _pv(p)}


def scenario_creator_scope_value_and_options(tf):
    seen = []

    def creator(next_creator, **kwargs):
        seen.append(_kwargs_summary(kwargs))
        v = next_creator(**kwargs)
        seen.append([v.name, v.shape.as_list(), v.dtype.base_dtype.name, v.trainable])
        return v

    with tf.variable_creator_scope(creator):
        tf.get_variable("a", initializer=np.ones((2, 2), np.float32))
        tf.get_variable("b", initializer=tf.constant([1, 2]))
        tf.get_variable("c", [2], dtype=tf.int32, use_resource=False, caching_device="/cpu:0")
        tf.get_variable("d", [2], constraint=lambda x: x,
                        synchronization=tf.VariableSynchronization.ON_READ)
        tf.Variable(lambda: tf.ones([3]), name="e", use_resource=True, caching_device="/cpu:0")
        tf.get_local_variable("f", [1])
        with tf.variable_scope("s", regularizer=lambda v: tf.reduce_sum(v)):
            tf.get_variable("g", [1])
    return {"seen": seen,
            "losses": [t.name for t in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)],
            "colls": _colls(tf)}


# -- synchronization / aggregation -----------------------------------------------------------
def scenario_sync_aggregation(tf):
    S, A = tf.VariableSynchronization, tf.VariableAggregation
    out = {
        "sync_members": [[m.name, int(m.value)] for m in S],
        "agg_members": [[m.name, int(m.value)] for m in A],
        "agg_alias": A.ONLY_FIRST_TOWER is A.ONLY_FIRST_REPLICA,
        "str": [str(S.ON_READ), str(A.SUM)],
    }
    v = tf.get_variable("r", [2], synchronization=S.ON_READ, aggregation=A.SUM)
    out["on_read_trainable"] = [x.name for x in tf.trainable_variables()]
    w = tf.get_variable("w", [2], synchronization=S.ON_READ, aggregation=A.MEAN, trainable=True)
    out["on_read_explicit"] = [x.name for x in tf.trainable_variables()]
    x = tf.Variable(1.0, name="x", synchronization=S.ON_READ)
    out["variable_on_read"] = [y.name for y in tf.trainable_variables()]
    out["attrs"] = [[str(u.synchronization), str(u.aggregation)] for u in (v, w, x)]
    out["bad_sync"] = _err(lambda: tf.get_variable("b1", [2], synchronization=7))
    out["bad_agg"] = _err(lambda: tf.get_variable("b2", [2], aggregation="sum"))
    out["bad_sync_var"] = _err(lambda: tf.Variable(1.0, name="b3", synchronization="x"))
    out["bad_agg_var"] = _err(lambda: tf.Variable(1.0, name="b4", aggregation=9))
    out["int_values"] = [str(tf.get_variable("i1", [1], synchronization=2).synchronization),
                         str(tf.get_variable("i2", [1], aggregation=1).aggregation)]
    return out


def scenario_resource_switch(tf):
    out = {"default": tf.resource_variables_enabled()}
    tf.disable_resource_variables()
    try:
        out["disabled"] = tf.resource_variables_enabled()
        a = tf.get_variable("a", [2])
        out["ref_op"] = a.op.type
    finally:
        tf.enable_resource_variables()
    out["enabled"] = tf.resource_variables_enabled()
    b = tf.get_variable("b", [2])
    out["resource_op"] = b.op.type
    return out


# -- caching_device and devices ---------------------------------------------------------------
def scenario_caching_device(tf):
    v = tf.get_variable("v", [2], caching_device="/cpu:0")
    with tf.variable_scope("s", caching_device="/cpu:0") as s:
        w = tf.get_variable("w", [2])
        inner_cd = tf.get_variable_scope().caching_device
    x = tf.Variable(1.0, name="x", caching_device="/cpu:0")
    with tf.device("/cpu:0"):
        y = tf.get_variable("y", [2])
    ops = [[o.name, o.type, o.device] for o in tf.get_default_graph().get_operations()
           if "Read" in o.name or "read" in o.name]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        vals = sess.run([v, w, x])
    return {"devices": [u.device for u in (v, w, x, y)], "scope": s.caching_device,
            "inner": inner_cd, "ops": ops, "values_shapes": [list(np.shape(a)) for a in vals],
            "value_name": [v.value().name, x.value().name]}


# -- signatures ------------------------------------------------------------------------------
def scenario_signatures(tf):
    def params(fn):
        return [[p.name, repr(p.default) if p.default is not p.empty else None, str(p.kind)]
                for p in inspect.signature(fn).parameters.values()]

    return {"get_variable": params(tf.get_variable),
            "get_local_variable": [p[0] for p in params(tf.get_local_variable)],
            "variable_scope": params(tf.variable_scope),
            "fixed": params(tf.fixed_size_partitioner),
            "axis_size": params(tf.variable_axis_size_partitioner),
            "minmax": params(tf.min_max_variable_partitioner),
            "creator_scope": params(tf.variable_creator_scope)}


# -- dtypes ----------------------------------------------------------------------------------
def scenario_uint16_variables(tf):
    """(tf.string variables are not built: the C++ store holds fixed-size elements; see
    tests/test_variable_api.py.)"""
    u = tf.get_variable("u", [3], dtype=tf.uint16, initializer=tf.zeros_initializer())
    w = tf.Variable(np.array([7, 8], np.uint16), name="w")
    out = {"dtypes": [u.dtype.name, w.dtype.name], "shapes": [u.shape.as_list(), w.shape.as_list()]}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out["values"] = [_v(sess.run(u)), _v(sess.run(w))]
        sess.run(u.assign_add(np.array([1, 2, 3], np.uint16)))
        out["u_added"] = _v(sess.run(u))
    return out


def all_scenarios():
    """{name: function} for every scenario, in definition order."""
    return {
        k[len("scenario_"):]: v
        for k, v in globals().items()
        if k.startswith("scenario_") and callable(v)
    }


def scenario_assert_variables_initialized(tf):
    # TF1's assert: the Rank of each variable over a read of it, stacked; None with no
    # variables (its value once initialized; running it before reads the variables)
    none = tf.assert_variables_initialized()
    a = tf.Variable([1.0, 2.0], name="a")
    b = tf.get_variable("b", [2, 3])
    c = tf.Variable(3, name="c", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    r = tf.assert_variables_initialized()
    r1 = tf.assert_variables_initialized([b])
    ops = [(o.name, o.type) for o in tf.get_default_graph().get_operations()
           if o.name.startswith(("Rank", "stack"))]
    with tf.Session() as s:
        s.run([a.initializer, b.initializer, c.initializer])
        vals = [s.run(r).tolist(), int(s.run(r1))]
    return {"none": none is None, "ops": ops, "vals": vals, "shape": r.shape.as_list(),
            "single": [r1.name, r1.dtype.name]}
