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


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
