"""Golden scenarios of TF1's smaller top-level functions (``record_tf.py --set toplevel``):
make_tensor_proto / make_ndarray, convert_to_tensor_or_sparse_tensor, the to_complex casts,
grad_pass_through."""

import numpy as np


def _err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return {"type": type(e).__name__, "msg": str(e)}
    return {"type": None, "msg": None}


def _r(v):
    return np.round(np.asarray(v, np.float64), 5).tolist()


def _proto(p):
    # the text format, and the fields a reader looks at
    return {"text": str(p), "bytes": p.SerializeToString().hex()}


def scenario_make_tensor_proto_values(tf):
    cases = {
        "float_list": lambda: tf.make_tensor_proto([1.0, 2.5, -3.0]),
        "float_scalar": lambda: tf.make_tensor_proto(1.5),
        "int_nested": lambda: tf.make_tensor_proto([[1, 2], [3, 4]]),
        "int_big": lambda: tf.make_tensor_proto([1, 2 ** 40]),
        "int_scalar_dtype": lambda: tf.make_tensor_proto(7, dtype=tf.int64),
        "bool": lambda: tf.make_tensor_proto([True, False, True]),
        "string": lambda: tf.make_tensor_proto([b"ab", "cd"]),
        "string_scalar": lambda: tf.make_tensor_proto("hello"),
        "np_f64": lambda: tf.make_tensor_proto(np.array([[1.0, 2.0]], np.float64)),
        "np_cast": lambda: tf.make_tensor_proto(np.arange(4), dtype=tf.float32),
        "f16": lambda: tf.make_tensor_proto(np.array([1.5], np.float16)),
        "f16_pair": lambda: tf.make_tensor_proto(np.array([1.5, -2.0], np.float16)),
        "u16": lambda: tf.make_tensor_proto(np.array([1, 65535], np.uint16)),
        "complex": lambda: tf.make_tensor_proto([1 + 2j, 3 - 1j], dtype=tf.complex64),
        "broadcast_scalar": lambda: tf.make_tensor_proto(7, shape=[2, 3]),
        "short_padded": lambda: tf.make_tensor_proto([1, 2], shape=[4]),
        "reshaped": lambda: tf.make_tensor_proto([1.0, 2.0, 3.0, 4.0], shape=[2, 2]),
        "empty_shape": lambda: tf.make_tensor_proto([], shape=[0, 3], dtype=tf.float32),
        "allow_broadcast": lambda: tf.make_tensor_proto([5.0], shape=[3],
                                                        allow_broadcast=True),
    }
    out = {}
    for k, fn in cases.items():
        p = fn()
        out[k] = _proto(p)
        v = tf.make_ndarray(p)
        out[k]["round_trip"] = [str(v.dtype), list(v.shape),
                                [x.decode() if isinstance(x, bytes) else
                                 ([x.real, x.imag] if isinstance(x, complex) else x)
                                 for x in v.reshape(-1).tolist()]]
    return out


def scenario_make_tensor_proto_errors(tf):
    return {
        "too_many": _err(lambda: tf.make_tensor_proto([1, 2, 3], shape=[2])),
        "verify": _err(lambda: tf.make_tensor_proto([1, 2], shape=[2, 1], verify_shape=True)),
        "both": _err(lambda: tf.make_tensor_proto(1, shape=[1], verify_shape=True,
                                                  allow_broadcast=True)),
        "broadcast_bad": _err(lambda: tf.make_tensor_proto([1, 2], shape=[3],
                                                           allow_broadcast=True)),
        "none": _err(lambda: tf.make_tensor_proto(None)),
        "float_as_int": _err(lambda: tf.make_tensor_proto([1.5], dtype=tf.int32)),
        "str_as_float": _err(lambda: tf.make_tensor_proto(["a"], dtype=tf.float32)),
        "np_dtype_mismatch": _err(lambda: tf.make_tensor_proto(np.array(["a"]),
                                                               dtype=tf.float32)),
        "tensor": _err(lambda: tf.make_tensor_proto(tf.constant(1.0)))["type"],
        "passthrough": tf.make_tensor_proto(tf.make_tensor_proto([1, 2])).int_val[:] == [],
    }


def scenario_make_ndarray_of_const_and_proto(tf):
    c = tf.constant([[1, 2, 3], [4, 5, 6]], name="c")
    p = c.op.get_attr("value")
    nd = tf.make_ndarray(p)
    s = tf.make_ndarray(tf.constant("x").op.get_attr("value"))
    return {"nd": nd.tolist(), "dtype": str(nd.dtype), "str": [type(s).__name__, str(s)],
            "proto_type": type(p).__name__}


def scenario_convert_to_tensor_or_sparse_tensor(tf):
    sp = tf.SparseTensor([[0, 1]], [2.0], [2, 2])
    spv = tf.SparseTensorValue([[1, 0]], [3], [2, 2])
    a = tf.convert_to_tensor_or_sparse_tensor(sp)
    b = tf.convert_to_tensor_or_sparse_tensor(spv)
    c = tf.convert_to_tensor_or_sparse_tensor([1.0, 2.0], name="dense")
    d = tf.convert_to_tensor_or_sparse_tensor(sp, dtype=tf.float32)
    with tf.Session() as s:
        bv = s.run(b)
    return {"same": a is sp, "b": [type(b).__name__, bv.values.tolist(), b.dtype.name],
            "c": [isinstance(c, tf.Tensor), c.name, c.dtype.name], "d": d is sp,
            "bad_dtype": _err(lambda: tf.convert_to_tensor_or_sparse_tensor(
                sp, dtype=tf.int32))}


def scenario_to_complex_casts(tf):
    x = tf.constant([1.0, -2.0])
    a = tf.to_complex64(x)
    b = tf.to_complex128(tf.constant([3, 4]))
    sp = tf.to_complex64(tf.SparseTensor([[0]], [1.5], [2]))
    with tf.Session() as s:
        av, bv, spv = s.run([a, b, sp.values])
    return {"a": [a.name, a.dtype.name, [[v.real, v.imag] for v in av.tolist()]],
            "b": [b.name, b.dtype.name, [[v.real, v.imag] for v in bv.tolist()]],
            "sparse": [type(sp).__name__, sp.dtype.name, [float(spv[0].real), float(spv[0].imag)]]}


def scenario_grad_pass_through(tf):
    x = tf.constant([1.0, 4.0, 9.0])
    w = tf.Variable([2.0, 2.0, 2.0], name="w")
    f = tf.grad_pass_through(tf.sqrt)
    y = f(x * w)
    g = tf.gradients(tf.reduce_sum(y * 3.0), [x, w])

    def uses_var(t):
        return tf.round(t * w)
    y2 = tf.grad_pass_through(uses_var)(x)
    g2 = tf.gradients(tf.reduce_sum(y2), [x, w])
    with tf.Session() as s:
        s.run(w.initializer)
        vals = s.run([y, g[0], g[1], y2, g2[0]])
    return {"y": _r(vals[0]), "gx": _r(vals[1]), "gw": _r(vals[2]), "y2": _r(vals[3]),
            "g2x": _r(vals[4]), "g2w_none": g2[1] is None, "name": f.__name__}


def _graph_err(fn):
    # the first line of a graph-construction error
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return {"type": type(e).__name__, "msg": str(e).split("\n")[0]}
    return {"type": None, "msg": None}


def _run_err(fn, needle):
    # a run-time error: its type, and whether TF's message line is in it (TF's text wraps
    # it in "Graph execution error" and traceback lines that differ between the two)
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return {"type": type(e).__name__, "has": needle in str(e)}
    return {"type": None, "has": False}


def scenario_bitcast(tf):
    x = tf.constant([1.0, 2.0], name="x")
    cases = {
        "same": tf.bitcast(x, tf.int32),
        "narrow": tf.bitcast(x, tf.uint8),
        "wide": tf.bitcast(tf.constant([[1, 2], [3, 4]], tf.int8), tf.int16),
        "scalar_narrow": tf.bitcast(tf.constant(1.0), tf.int8),
        "complex": tf.bitcast(tf.constant([1 + 2j], tf.complex64), tf.float32),
        "to_f64": tf.bitcast(tf.constant([[1, 2]], tf.int32), tf.float64),
        "empty": tf.bitcast(tf.zeros([0, 2], tf.int8), tf.int16),
        "unknown_last": tf.bitcast(tf.placeholder(tf.int8, [None, None]), tf.int32),
    }
    p = tf.placeholder(tf.int8, [None, None])
    bad = tf.bitcast(p, tf.int16)
    with tf.Session() as s:
        vals = s.run({k: v for k, v in cases.items() if k != "unknown_last"})
        run_bad = _run_err(lambda: s.run(bad, {p: np.zeros((2, 3), np.int8)}),
                           "Cannot bitcast from 6 to 5")
    out = {k: [v.name, v.dtype.name, str(v.shape)] for k, v in cases.items()}
    out["values"] = {k: np.asarray(v).tolist() if v.dtype.kind != "c" else
                     np.asarray(v).view(np.float32).tolist() for k, v in vals.items()}
    out["errors"] = {
        "shape": _graph_err(lambda: tf.bitcast(tf.constant([1, 2, 3], tf.int8), tf.int32)),
        "scalar_wide": _graph_err(lambda: tf.bitcast(tf.constant(1, tf.int8), tf.int16)),
        "known_last": _graph_err(lambda: tf.bitcast(tf.placeholder(tf.int8, [None, 3]),
                                                    tf.int32)),
        "string": _graph_err(lambda: tf.bitcast(tf.constant(["a"]), tf.int32)),
        "to_bool": _graph_err(lambda: tf.bitcast(x, tf.bool)),
        "run": run_bad,
    }
    out["grad"] = _graph_err(lambda: tf.gradients(cases["same"], x))["type"]
    out["node_def"] = str(cases["same"].op.node_def)
    return out


def scenario_fingerprint(tf):
    m = tf.placeholder(tf.string, [])
    cases = {
        "int": tf.fingerprint(tf.constant([[1, 2], [3, 4]])),
        "float": tf.fingerprint(tf.constant([1.5, 2.5])),
        "str_rows": tf.fingerprint(tf.constant(["a", "bc"])),
        "str_matrix": tf.fingerprint(tf.constant([[["a"], ["bcd"]], [["x"], [""]]])),
        "empty_batch": tf.fingerprint(tf.zeros([0, 3])),
        "empty_rows": tf.fingerprint(tf.zeros([2, 0])),
        "bytes_3d": tf.fingerprint(tf.reshape(tf.range(24, dtype=tf.int64), [2, 3, 4])),
        "named": tf.fingerprint(tf.constant([7], tf.uint8), name="fp"),
    }
    dyn = tf.fingerprint(tf.constant([[1, 2]]), method=m)
    with tf.Session() as s:
        vals = s.run(cases)
        dyn_ok = s.run(dyn, {m: "farmhash64"}).tolist()
        dyn_bad = _run_err(lambda: s.run(dyn, {m: "x"}), "Unsupported fingerprint method: x")
    out = {k: [v.name, v.dtype.name, str(v.shape), vals[k].tolist()] for k, v in cases.items()}
    out["dynamic"] = [str(dyn.shape), dyn_ok, dyn_bad]
    out["errors"] = {
        "scalar": _graph_err(lambda: tf.fingerprint(tf.constant(1))),
        "method": _graph_err(lambda: tf.fingerprint(tf.constant([1]), method="x")),
        "method_rank": _graph_err(lambda: tf.fingerprint(tf.constant([1]),
                                                         method=tf.constant(["a"]))),
    }
    out["op_inputs"] = [t.name for t in cases["int"].op.inputs]
    return out


def scenario_guarantee_const_and_timestamp(tf):
    x = tf.constant([1.0, 2.0], name="x")
    g = tf.guarantee_const(x)
    t = tf.timestamp()
    t2 = tf.timestamp(name="when")
    with tf.Session() as s:
        gv, tv1 = s.run([g, t])
        tv2 = s.run(t)
    return {"g": [g.name, str(g.shape), gv.tolist()],
            "grad": _graph_err(lambda: tf.gradients(g, x))["type"],
            "t": [t.name, t.dtype.name, str(t.shape), t2.name, t.op.node_def.op],
            "plausible": bool(1.7e9 < tv1 < 4e9 and tv2 >= tv1),
            "t_grad": tf.gradients(t * 2.0, t)[0] is not None}


def scenario_add_check_numerics_ops(tf):
    x = tf.constant([1.0, 2.0], name="x")
    y = tf.log(x - 1.5, name="y")
    n = tf.constant([1, 2], name="ints")  # not checked: not a float
    z = tf.cast(n, tf.float64, name="z")
    g = tf.add_check_numerics_ops()
    checks = [o for o in tf.get_default_graph().get_operations() if o.type == "CheckNumerics"]
    with tf.Session() as s:
        err = _run_err(lambda: s.run(g), "y:0 : Tensor had NaN values")
        ok = s.run(z)
    return {"group": [g.name, g.type, [o.type for o in g.control_inputs]],
            "checks": [[o.name, o.get_attr("message").decode(),
                        [i.name for i in o.control_inputs], o.inputs[0].name] for o in checks],
            "run": err, "z": ok.tolist(), "y": y.name}


def scenario_framework_helpers(tf):
    import logging
    import warnings
    x = tf.constant(1.0)
    v = tf.Variable(1.0, name="v")
    sp = tf.SparseTensor([[0]], [1.0], [1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        unknown = tf.errors.error_code_from_exception_type(ValueError)
    return {
        "symbolic": [tf.is_symbolic_tensor(x), tf.is_symbolic_tensor(v),
                     tf.is_symbolic_tensor(sp), tf.is_symbolic_tensor(1.0),
                     tf.is_symbolic_tensor(np.ones(2)), tf.is_symbolic_tensor(x.op)],
        "outside_functions": tf.executing_eagerly_outside_functions(),
        "logger": [tf.get_logger().name, tf.get_logger() is logging.getLogger("tensorflow")],
        "codes": [tf.errors.error_code_from_exception_type(c) for c in (
            tf.errors.NotFoundError, tf.errors.InvalidArgumentError, tf.errors.UnknownError,
            tf.errors.DataLossError, tf.errors.OutOfRangeError)],
        "unknown": [type(unknown).__name__, str(unknown)],
        "from_code": tf.errors.exception_type_from_error_code(9).__name__,
        "op_error": [tf.OpError is tf.errors.OpError,
                     issubclass(tf.errors.NotFoundError, tf.OpError)],
        "flush": _err(tf.logging.flush)["type"],
        "join": [tf.io.gfile.join("a", "b/", "c"), tf.io.gfile.join("gs://a", "b"),
                 tf.io.gfile.join("a", "/b"), tf.io.gfile.join("a", "")],
    }


def scenario_op_scope_and_variable_op_scope(tf):
    x = tf.constant(1.0, name="x")
    with tf.op_scope([x], "opsc", "dflt") as a:
        c1 = tf.constant(1.0, name="c")
    with tf.op_scope([x], None, "dflt") as b:
        pass
    with tf.op_scope([x], None, "dflt") as b2:
        pass
    with tf.variable_op_scope([x], "vos", "dflt") as vs:
        v = tf.get_variable("v", [1])
        c2 = tf.constant(1.0, name="c")
    with tf.variable_op_scope([x], None, "dflt") as vs2:
        w = tf.get_variable("w", [1])
    with tf.variable_op_scope([x], "vos", reuse=True) as vs3:
        v_again = tf.get_variable("v", [1])
    with tf.variable_op_scope([x], "init", initializer=tf.constant_initializer(3.0)):
        u = tf.get_variable("u", [2])
    with tf.Session() as s:
        s.run(u.initializer)
        uv = s.run(u)
    return {"op_scope": [a, b, b2, c1.name], "vs": [vs.name, v.name, c2.name],
            "vs2": [vs2.name, w.name], "reuse": [vs3.name, v_again is v, vs3.reuse],
            "init": uv.tolist(),
            "none_none": _err(lambda: tf.variable_op_scope([x], None).__enter__())["type"]}


def scenario_required_space_to_batch_paddings(tf):
    p, c = tf.required_space_to_batch_paddings([5, 7], [2, 3], base_paddings=[[1, 1], [0, 2]])
    ph = tf.placeholder(tf.int32, [2])
    p2, c2 = tf.required_space_to_batch_paddings(ph, [2, 3])
    p3, c3 = tf.required_space_to_batch_paddings([4], [4], name="exact")
    e0 = tf.required_space_to_batch_paddings(tf.zeros([0], tf.int32), tf.zeros([0], tf.int32))
    with tf.Session() as s:
        v = s.run([p, c, p3, c3, e0[0]])
        v2 = s.run([p2, c2], {ph: [5, 8]})
    return {"names": [[t.name, t.op.type] for t in (p, c, p2, c2, p3, c3, e0[0])],
            "values": [x.tolist() for x in v], "fed": [x.tolist() for x in v2],
            "bad_block": _graph_err(lambda: tf.required_space_to_batch_paddings(
                [4, 4], [[2, 2]]))["type"],
            "bad_input": _graph_err(lambda: tf.required_space_to_batch_paddings(
                [4, 4, 4], [2, 2]))["type"],
            "unknown_block": _graph_err(lambda: tf.required_space_to_batch_paddings(
                [4], tf.placeholder(tf.int32, [None])))["type"]}


def scenario_with_space_to_batch(tf):
    x = tf.constant(np.arange(2 * 9 * 10 * 3, dtype=np.float32).reshape(2, 9, 10, 3) / 100)
    w = tf.constant(np.linspace(-1, 1, 3 * 3 * 3 * 4, dtype=np.float32).reshape(3, 3, 3, 4))

    def conv(inp, n, pad):
        return tf.nn.conv2d(inp, w, [1, 1, 1, 1], pad)

    y = tf.nn.with_space_to_batch(x, [2, 2], "SAME", conv, filter_shape=[3, 3])
    yv = tf.nn.with_space_to_batch(
        x, [2, 3], "VALID", lambda inp, n, pad: tf.nn.max_pool(inp, [1, 2, 2, 1],
                                                              [1, 1, 1, 1], pad))
    ones = tf.nn.with_space_to_batch(x, [1, 1], "SAME", conv, filter_shape=[3, 3])
    ph = tf.placeholder(tf.float32, [None, None, None, 3])
    yd = tf.nn.with_space_to_batch(ph, [2, 2], "SAME", conv, filter_shape=[3, 3])
    y1 = tf.nn.with_space_to_batch(tf.reshape(x, [2, 90, 3]), [3], "SAME",
                                   lambda inp, n, pad: tf.nn.conv1d(inp, w[0], 1, pad),
                                   filter_shape=[3])
    ys = tf.nn.with_space_to_batch(x, [2], "VALID", lambda inp, n, pad: inp * 2.0,
                                   spatial_dims=[2])
    ref = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME", dilations=[1, 2, 2, 1])
    g = tf.gradients(tf.reduce_sum(y * y), x)[0]
    with tf.Session() as s:
        vals = s.run([y, yv, ones, y1, ys, ref, g])
        vd = s.run(yd, {ph: s.run(x)})
    ops = [o for o in tf.get_default_graph().get_operations()]
    return {
        "shapes": [str(t.shape) for t in (y, yv, ones, yd, y1, ys)],
        "names": [t.name for t in (y, yv, ones, yd, y1, ys)],
        "values": [_r(v) for v in vals[:5]], "same_as_dilated": bool(
            np.allclose(vals[0], vals[5], atol=1e-4)),
        "grad": _r(vals[6]), "dynamic": _r(vd),
        "op_types": sorted({o.type for o in ops}),
        "first_ops": [o.name for o in ops[:24]],
        "errors": {
            "same_no_filter": _graph_err(lambda: tf.nn.with_space_to_batch(
                x, [2, 2], "SAME", conv)),
            "rate_rank": _graph_err(lambda: tf.nn.with_space_to_batch(
                x, [[2, 2]], "VALID", conv))["type"],
            "rate_bad": _graph_err(lambda: tf.nn.with_space_to_batch(
                x, [0, 2], "VALID", conv)),
            "dims": _graph_err(lambda: tf.nn.with_space_to_batch(
                x, [2, 2], "VALID", conv, spatial_dims=[2, 1])),
            "rank": _graph_err(lambda: tf.nn.with_space_to_batch(
                tf.zeros([2, 3]), [2, 2], "VALID", conv)),
            "padding": _graph_err(lambda: tf.nn.with_space_to_batch(
                x, [2, 2], "FULL", conv)),
        }}


def scenario_compute_average_loss(tf):
    per = tf.constant([1.0, 2.0, 3.0, 6.0], name="per")
    a = tf.nn.compute_average_loss(per)
    b = tf.nn.compute_average_loss(per, global_batch_size=8)
    c = tf.nn.compute_average_loss(per, sample_weight=[1.0, 0.0, 2.0, 0.5])
    d = tf.nn.compute_average_loss(tf.reshape(per, [2, 2]), sample_weight=[[1.0], [2.0]])
    e = tf.nn.compute_average_loss(per, sample_weight=tf.reshape([1.0, 2.0, 3.0, 4.0], [4, 1]))
    f64 = tf.nn.compute_average_loss(tf.constant([1.0, 2.0], tf.float64),
                                     sample_weight=tf.constant([2.0, 2.0], tf.float64))
    ph = tf.placeholder(tf.float32, [None])
    dyn = tf.nn.compute_average_loss(ph)
    # (before the weight of unknown rank: TF 2 builds its conds as functions, varstore as
    # Switch / Merge)
    op_types = sorted({o.type for o in tf.get_default_graph().get_operations()})
    ph_w = tf.placeholder(tf.float32)
    dyn_w = tf.nn.compute_average_loss(tf.constant([[1.0, 2.0]]), sample_weight=ph_w)
    r = tf.nn.scale_regularization_loss(tf.constant([0.5, 0.25]))
    with tf.Session() as s:
        vals = s.run([a, b, c, d, e, f64, r])
        dv = s.run(dyn, {ph: [2.0, 4.0]})
        empty = s.run(dyn, {ph: np.zeros([0], np.float32)})
        dwv = [s.run(dyn_w, {ph_w: w}) for w in (2.0, [[1.0, 3.0]], [[[1.0], [3.0]]])]
    return {"values": _r(vals), "dyn": _r([dv, empty]), "dyn_w": _r(dwv),
            "dtypes": [t.dtype.name for t in (a, f64, r)],
            "names": [t.name for t in (a, b, c, d, e, f64, dyn, r)],
            "scalar": _graph_err(lambda: tf.nn.compute_average_loss(tf.constant(1.0))),
            "float_batch": _graph_err(lambda: tf.nn.compute_average_loss(
                per, global_batch_size=2.0)),
            "op_types": op_types}


def scenario_batch_norm_with_global_normalization(tf):
    x = tf.constant(np.linspace(-2, 2, 24, dtype=np.float32).reshape(2, 3, 4))
    m = tf.constant([0.1, -0.2, 0.3, 0.0])
    v = tf.constant([1.0, 0.5, 2.0, 0.1])
    beta = tf.constant([0.0, 1.0, -1.0, 0.5])
    gamma = tf.constant([2.0, 0.5, 1.0, 3.0])
    y1 = tf.nn.batch_norm_with_global_normalization(x, m, v, beta, gamma, 0.001, True)
    y2 = tf.nn.batch_norm_with_global_normalization(input=x, mean=m, variance=v, beta=beta,
                                                     gamma=gamma, variance_epsilon=0.01,
                                                     scale_after_normalization=False,
                                                     name="bn")
    g = tf.gradients(tf.reduce_sum(y1 * y1), [x, m, v, beta, gamma])
    with tf.Session() as s:
        vals = s.run([y1, y2, *g])
    return {"values": [_r(v) for v in vals], "names": [y1.name, y2.name],
            "both": _err(lambda: tf.nn.batch_norm_with_global_normalization(
                x, m, v, beta, gamma, 0.1, True, input=x))}


def scenario_serialize_sparse(tf):
    sp = tf.SparseTensor([[0, 1], [2, 0]], [1.5, -2.0], [3, 4])
    s1 = tf.serialize_sparse(sp)
    batch = tf.SparseTensor([[0, 0, 1], [0, 1, 0], [2, 0, 0]], [1, 2, 3], [3, 2, 2])
    many = tf.serialize_many_sparse(batch, name="many")
    back = tf.deserialize_many_sparse(many, tf.int32)
    strs = tf.serialize_sparse(tf.SparseTensor([[0], [3]], ["x", ""], [5]))
    bools = tf.serialize_sparse(tf.SparseTensor([[1]], [True], [2]))
    f64 = tf.serialize_many_sparse(tf.SparseTensor([[1, 2]], np.array([0.25]), [2, 3]))
    empty = tf.serialize_many_sparse(tf.SparseTensor(tf.zeros([0, 2], tf.int64), tf.zeros([0]),
                                                     [2, 3]))
    pair = tf.io.deserialize_many_sparse(tf.stack([s1, s1]), tf.float32, rank=3)
    str_back = tf.deserialize_many_sparse(tf.stack([strs, strs]), tf.string)
    ph = tf.placeholder(tf.string, None)
    nested = tf.deserialize_many_sparse(ph, tf.float32)
    r3 = tf.serialize_sparse(tf.SparseTensor([[0, 1, 1]], [1.0], [2, 2, 2]))
    with tf.Session() as s:
        v1, vm, vs, vb, vf, ve = s.run([s1, many, strs, bools, f64, empty])
        b, p, sb = s.run([back, pair, str_back])
        nv = s.run(nested, {ph: np.stack([v1, v1])[None]})

        def sp_out(v):
            return [v.indices.tolist(), [x.decode() if isinstance(x, bytes) else x
                                         for x in v.values.tolist()], v.dense_shape.tolist()]
        run_errors = {
            "dtype": _run_err(lambda: s.run(tf.deserialize_many_sparse(
                tf.stack([s1, s1]), tf.int32)), "Requested SparseTensor of type int32 but "
                "SparseTensor[0].values.dtype() == float"),
            "garbage": _run_err(lambda: s.run(tf.deserialize_many_sparse(
                tf.constant([["a", "b", "c"]]), tf.int32)), "Could not parse serialized proto"),
            "ranks": _run_err(lambda: s.run(tf.deserialize_many_sparse(
                tf.stack([s1, r3]), tf.float32)), "Inconsistent shape across SparseTensors: "
                "rank prior to SparseTensor[1] was: 2 but rank of SparseTensor[1] is: 3"),
            "rank1": _run_err(lambda: s.run(tf.serialize_many_sparse(
                tf.SparseTensor([[0]], [1.0], [2]))), "Rank of input SparseTensor should be > 1"),
            "unsorted": _run_err(lambda: s.run(tf.serialize_many_sparse(
                tf.SparseTensor([[1, 0], [0, 0]], [1.0, 2.0], [2, 2]))), "is out of order"),
        }

    def hexes(a):
        return [x.hex() for x in np.asarray(a).reshape(-1).tolist()]
    return {
        "bytes": {"s1": hexes(v1), "many": hexes(vm), "strs": hexes(vs), "bools": hexes(vb),
                  "f64": hexes(vf), "empty": hexes(ve)},
        "back": sp_out(b), "pair": sp_out(p), "str_back": sp_out(sb), "nested": sp_out(nv),
        "shapes": [str(t.shape) for t in (s1, many, empty)],
        "static": [str(back.indices.shape), str(back.dense_shape.shape),
                   str(pair.indices.shape), str(pair.dense_shape.shape)],
        "names": [s1.name, many.name, back.indices.name, back.values.name],
        "errors": {
            "rank1": _graph_err(lambda: tf.deserialize_many_sparse(tf.constant(["a"]),
                                                                   tf.float32)),
            "cols": _graph_err(lambda: tf.deserialize_many_sparse(tf.constant([["a", "b"]]),
                                                                  tf.float32)),
            "dense": _graph_err(lambda: tf.serialize_sparse([1, 2])),
            "out_type": _graph_err(lambda: tf.serialize_many_sparse(sp, out_type=tf.int32)),
        },
        "run_errors": run_errors,
    }


def scenario_sparse_matmul(tf):
    a = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3) - 2.0)
    b = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4) / 4)
    cases = {
        "plain": tf.sparse_matmul(a, b, a_is_sparse=True),
        "tb": tf.sparse_matmul(a, tf.transpose(b), transpose_b=True, b_is_sparse=True),
        "ta": tf.sparse_matmul(tf.transpose(a), b, transpose_a=True),
        "both": tf.sparse_matmul(tf.transpose(a), tf.transpose(b), transpose_a=True,
                                 transpose_b=True, a_is_sparse=True, b_is_sparse=True),
        "via_matmul": tf.matmul(a, b, a_is_sparse=True),
        "via_matmul_int": tf.matmul(tf.constant([[1, 2]]), tf.constant([[3], [4]]),
                                    b_is_sparse=True),
    }
    grads = {k: tf.gradients(tf.reduce_sum(tf.nn.relu(v) * v), [a, b]) for k, v in
             cases.items() if k != "via_matmul_int"}
    with tf.Session() as s:
        vals = s.run(cases)
        gv = s.run(grads)
    return {
        "values": {k: _r(v) for k, v in vals.items()},
        "types": {k: [v.op.type, v.name, str(v.shape), v.dtype.name] for k, v in cases.items()},
        "grads": {k: [_r(x) for x in v] for k, v in gv.items()},
        "grad_ops": {k: [[g.op.type, g.name] for g in v] for k, v in grads.items()},
        "attrs": sorted(cases["plain"].op.node_def.attr.keys()),
        "errors": {
            "int_b": _graph_err(lambda: tf.sparse_matmul(a, tf.constant([[1, 2]], tf.int32))),
            "dims": _graph_err(lambda: tf.sparse_matmul(a, a)),
            "rank": _graph_err(lambda: tf.sparse_matmul(a, tf.zeros([3]))),
        }}


def scenario_matmul_gradient_attrs_and_unknown_rank(tf):
    a = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3))
    b = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4))
    m = tf.matmul(a, b)
    g = tf.gradients(m, [a, b])
    p = tf.placeholder(tf.float32)
    q = tf.constant(np.ones([3, 4], np.float32) * 2)
    u = tf.matmul(p, q)
    gu = tf.gradients(tf.reduce_sum(u), [p, q])
    x3 = tf.constant(np.ones([2, 2, 3], np.float32))
    bm = tf.matmul(x3, b)
    gb = tf.gradients(tf.reduce_sum(bm), [x3, b])
    with tf.Session() as s:
        uv, guv = s.run([u, gu], {p: np.ones([2, 3], np.float32)})
        gbv = s.run(gb)
    return {"grad_attrs": [[t.op.type, t.op.get_attr("grad_a"), t.op.get_attr("grad_b")]
                           for t in g],
            "unknown": [u.op.type, str(u.shape), uv.tolist(), [str(t.shape) for t in gu],
                        _r(guv[1])],
            "batch": [bm.op.type, [[t.op.type, str(t.shape)] for t in gb], _r(gbv[1])],
            "batch_grad_ops": sorted({o.type for o in tf.get_default_graph().get_operations()
                                      if o.name.startswith("gradients_2/")})}


def scenario_batch_scatter_update(tf):
    v = tf.Variable(np.zeros([2, 3, 4], np.float32), name="v")
    u = tf.batch_scatter_update(v, [[0, 2], [1, 0]], tf.ones([2, 2, 4]))
    rv = tf.get_variable("rv", [2, 3], use_resource=True, initializer=tf.zeros_initializer())
    u2 = tf.batch_scatter_update(rv, [[1], [2]], [[5.0], [6.0]], name="bsu")
    w = tf.Variable(np.zeros([2, 2, 3], np.int32), name="w")
    u3 = tf.batch_scatter_update(w, tf.constant([[[2], [0]], [[1], [1]]], tf.int64),
                                 tf.constant([[[7], [8]], [[9], [10]]], tf.int32))
    ops = [o for o in tf.get_default_graph().get_operations()]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        a = s.run(u)
        b = s.run(u2)
        c = s.run(u3)
        bad = _run_err(lambda: s.run(tf.batch_scatter_update(v, [[0, 5], [1, 0]],
                                                             tf.ones([2, 2, 4]))),
                       "does not index into param shape")
    return {"u": a[:, :, 0].tolist(), "u2": b.tolist(), "u3": c.tolist(),
            "names": [u.name, u2.name, u3.name, str(u.shape)],
            "ops": [[o.name, o.type] for o in ops if not o.name.startswith(("v/", "rv/", "w/"))
                    and o.name not in ("v", "rv", "w")],
            "bad": bad,
            "unknown": _graph_err(lambda: tf.batch_scatter_update(
                v, tf.placeholder(tf.int32), tf.ones([2, 2, 4])))}


def scenario_module(tf):
    class Dense(tf.Module):
        def __init__(self, n_in, n_out, name=None):
            super().__init__(name=name)
            with self.name_scope:
                self.w = tf.Variable(tf.ones([n_in, n_out]), name="w")
                self.b = tf.Variable(tf.zeros([n_out]), name="b")
                self.count = tf.Variable(0, trainable=False, name="count")

        @tf.Module.with_name_scope
        def __call__(self, x):
            return tf.nn.relu(tf.matmul(x, self.w) + self.b)

    class MLP(tf.Module):
        def __init__(self):
            super().__init__()
            self.layers = [Dense(3, 4), Dense(4, 2, name="out")]
            self.extra = {"b": Dense(2, 2, name="head"), "a": (self.layers[0],)}
            self.note = "text"

    m = MLP()
    y = m.layers[1](m.layers[0](tf.ones([1, 3])))
    again = Dense(1, 1)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        yv = s.run(y)
    return {
        "name": [m.name, m.layers[0].name, again.name, MLP().name],
        "scope": [m.name_scope.__enter__.__name__ is not None],
        "vars": [v.name for v in m.variables],
        "trainable": [v.name for v in m.trainable_variables],
        "non_trainable": [v.name for v in m.non_trainable_variables],
        "submodules": [sm.name for sm in m.submodules],
        # (not isinstance(x, tf.Variable): TF 2's compat.v1 Variable class is VariableV1, which
        # its ResourceVariables are not instances of)
        "paths": [[list(p), v.name] for p, v in m._flatten(predicate=lambda x: hasattr(
            x, "assign_add"), with_path=True)],
        "y": [y.name, yv.tolist()],
        "snake": [tf.Module.__subclasses__()[0].__name__ if False else None,
                  type("HTTPServerModule", (tf.Module,), {})().name,
                  type("ABC2D", (tf.Module,), {})().name],
        "bad": _err(lambda: tf.Module(name="not valid")),
    }


def scenario_run_metadata_trace(tf):
    import glob
    import tempfile
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(np.ones([3, 2], np.float32), name="w")
    y = tf.nn.relu(tf.matmul(x, w), name="y")
    rm = tf.RunMetadata()
    full = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
    logdir = tempfile.mkdtemp()
    with tf.Session() as s:
        s.run(w.initializer)
        out = s.run(y, {x: np.ones([2, 3])}, options=full, run_metadata=rm)
        traced = rm.SerializeToString()
        nodes = {n.node_name: n for d in rm.step_stats.dev_stats for n in d.node_stats}
        s.run(y, {x: np.ones([2, 3])}, options=full, run_metadata=rm)
        devices_again = len(rm.step_stats.dev_stats)
        s.run(y, {x: np.ones([2, 3])}, run_metadata=rm)
        untraced_size = rm.ByteSize()
        writer = tf.summary.FileWriter(logdir)
        back = tf.RunMetadata.FromString(traced)
        writer.add_run_metadata(back, "step1", global_step=3)
        dup = _err(lambda: writer.add_run_metadata(back, "step1"))
        writer.close()
    events = [e for f in glob.glob(logdir + "/events*")
              for e in tf.train.summary_iterator(f)]
    tagged = [e for e in events if e.HasField("tagged_run_metadata")]
    parsed = tf.RunMetadata.FromString(tagged[0].tagged_run_metadata.run_metadata)
    return {
        "out": out.tolist(),
        "devices": [d.device for d in tf.RunMetadata.FromString(traced).step_stats.dev_stats],
        "y": [nodes["y"].timeline_label, nodes["y"].all_start_micros > 1_700_000_000_000_000,
              nodes["y"].all_end_rel_micros >= nodes["y"].op_end_rel_micros >= 0,
              nodes["y"].all_start_nanos // 1000 == nodes["y"].all_start_micros],
        "has_matmul": "MatMul" in nodes, "devices_again": devices_again,
        "untraced_size": untraced_size,
        "event": [tagged[0].tagged_run_metadata.tag, tagged[0].step,
                  "y" in {n.node_name for d in parsed.step_stats.dev_stats
                          for n in d.node_stats}],
        "duplicate": dup,
        "type": type(rm).__name__,
    }


def scenario_type_specs(tf):
    a = tf.TensorSpec([None, 3], tf.float32, name="a")
    b = tf.TensorSpec(shape=(2, 3), dtype=tf.float32)
    c = tf.TensorSpec([None, 3], "int32")
    x = tf.placeholder(tf.float32, [5, 3], name="xx")
    sp = tf.SparseTensor([[0, 0]], [1.0], [2, 2])
    s1 = tf.SparseTensorSpec([2, 2], tf.float32)
    ds = tf.data.Dataset.from_tensor_slices((np.ones([4, 3], np.float32), np.arange(4)))
    it = tf.data.make_one_shot_iterator(ds.batch(2))
    return {
        "reprs": [repr(v) for v in (a, b, c, tf.TensorSpec(None), tf.TensorSpec([]), s1,
                                    tf.IndexedSlicesSpec([4, 3], tf.float32),
                                    tf.IndexedSlicesSpec())],
        "props": [str(a.shape), a.dtype.name, a.name, b.name],
        "eq": [a == tf.TensorSpec([None, 3], tf.float32, "a"), a == b, a != b,
               s1 == tf.SparseTensorSpec([2, 2]), s1 == tf.SparseTensorSpec([2, None])],
        "hash_ignores_name": hash(a) == hash(tf.TensorSpec([None, 3], tf.float32)),
        "compatible": [a.is_compatible_with(b), a.is_compatible_with(c),
                       b.is_compatible_with(a), a.is_compatible_with(x),
                       a.is_compatible_with([[1.0, 2.0, 3.0]]), s1.is_compatible_with(sp),
                       s1.is_compatible_with(a)],
        "from": [repr(tf.TensorSpec.from_tensor(x)), repr(tf.TensorSpec.from_tensor(x, "n")),
                 repr(tf.TensorSpec.from_spec(b, name="q")),
                 repr(tf.SparseTensorSpec.from_value(sp))],
        "supertype": [repr(b.most_specific_common_supertype([a])),
                      repr(tf.TensorSpec([2, 3], name="a").most_specific_common_supertype(
                          [a, tf.TensorSpec([4, 3], name="a")])),
                      repr(tf.TensorSpec([2, 3]).most_specific_common_supertype(
                          [tf.TensorSpec([2, 3, 1])])),
                      repr(s1.most_specific_common_supertype([tf.SparseTensorSpec([3, 2])]))],
        "compatible_type": [_err(lambda: a.most_specific_compatible_type(b)),
                            repr(b.most_specific_compatible_type(tf.TensorSpec([2, None])))],
        "subtype": [b.is_subtype_of(a), a.is_subtype_of(b),
                    tf.TensorSpec([2, 3]).is_subtype_of(tf.TensorSpec([None, 3])),
                    tf.TensorSpec([2, 3]).is_subtype_of(tf.TensorSpec(None)),
                    a.is_subtype_of(s1)],
        "from_value": [repr(tf.type_spec_from_value(x)), repr(tf.type_spec_from_value(sp)),
                       repr(tf.type_spec_from_value(np.ones([2], np.int32))),
                       repr(tf.type_spec_from_value([1.0, 2.0])),
                       _err(lambda: tf.type_spec_from_value(object()))["type"]],
        "element_spec": [repr(ds.element_spec), repr(ds.batch(2).element_spec),
                         repr(tf.data.experimental.get_structure(it)),
                         _err(lambda: tf.data.experimental.get_structure(3))],
        "is_type_spec": [isinstance(a, tf.TypeSpec), isinstance(s1, tf.TypeSpec),
                         a.value_type.__name__, s1.value_type.__name__],
        "from_tensor_bad": _err(lambda: tf.TensorSpec.from_tensor(sp))["type"],
    }


def scenario_test_helpers(tf):
    def build(extra=None, swap=False, dev="", ctrl=False):
        g = tf.Graph()
        with g.as_default():
            a = tf.constant(1.0, name="a")
            b = tf.constant(2.0, name="b")
            with tf.device(dev):
                c = tf.add(b, a, name="c") if swap else tf.add(a, b, name="c")
            if ctrl:
                with tf.control_dependencies([a.op]):
                    tf.identity(c, name="d")
            else:
                tf.identity(c, name="d")
            if extra:
                tf.constant(3.0, name=extra)
        return g.as_graph_def()

    def diff(x, y):
        try:
            tf.test.assert_equal_graph_def(x, y)
        except AssertionError as e:
            return str(e)
        return None

    gd = build()
    reordered = type(gd)()
    reordered.node.extend(reversed(list(gd.node)))

    class Box:
        value = 1

        @staticmethod
        def f():
            return "orig"

    box = Box()
    stubs = tf.test.StubOutForTesting()
    stubs.Set(Box, "value", 5)
    stubs.SmartSet(Box, "f", staticmethod(lambda: "new"))
    during = [Box.value, box.f()]
    stubs.CleanUp()
    after = [Box.value, box.f()]
    with tf.test.StubOutForTesting() as st:
        st.Set(np, "pi", 3)
        inside = np.pi
    restored = np.pi
    tf.debugging.set_log_device_placement(True)
    placement = tf.debugging.get_log_device_placement()
    tf.debugging.set_log_device_placement(False)
    filtering = [tf.debugging.is_traceback_filtering_enabled()]
    tf.debugging.disable_traceback_filtering()
    filtering.append(tf.debugging.is_traceback_filtering_enabled())
    tf.debugging.enable_traceback_filtering()
    filtering.append(tf.debugging.is_traceback_filtering_enabled())

    @tf.test.with_eager_op_as_function
    class T:
        pass

    return {
        "same": diff(gd, build()), "reordered": diff(reordered, gd),
        "swapped": diff(build(swap=True), gd), "extra": diff(build(extra="e"), gd),
        "missing": diff(gd, build(extra="e")), "device": diff(build(dev="/cpu:0"), gd),
        "control": diff(build(ctrl=True), gd), "control_rev": diff(gd, build(ctrl=True)),
        "not_graph_def": _err(lambda: tf.test.assert_equal_graph_def(gd, "x")),
        "stubs": [during, after, inside, restored == 3.141592653589793],
        "placement": placement, "filtering": filtering,
        "eager_op_decorator": T.__name__,
    }


def scenario_resource_loader(tf):
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    return {"data_dir": os.path.abspath(tf.resource_loader.get_data_files_path()) == here,
            "datafile": os.path.abspath(tf.resource_loader.get_path_to_datafile("x/y.txt"))
            == os.path.join(here, "x", "y.txt"),
            "readahead": tf.resource_loader.readahead_file_path("/tmp/a", "1M")}


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
