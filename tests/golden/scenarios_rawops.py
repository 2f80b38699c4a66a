"""Golden scenarios of ``tf.raw_ops``: ops built by keyword from their OpDef, as TF's
op_def_library builds them: node and input-constant names, dtypes inferred from the inputs
or the attrs' defaults, static shapes, values, namedtuple outputs, gradients through raw
ops, and TF's errors for positional, missing, unexpected, mistyped and disallowed arguments.

Conventions as ``scenarios.py``: ``scenario_<name>(tf)`` returns JSON-able data; TF's results
are recorded by ``record_tf.py --set rawops``.
"""

import numpy as np
from golden_helpers import error, scenarios_of
from golden_helpers import values as _v


def _desc(tf, out):
    if isinstance(out, tf.Operation):
        return ["op", out.name, out.type]
    if isinstance(out, (list, tuple)):
        return [type(out).__name__, list(getattr(out, "_fields", [])),
                [_desc(tf, o) for o in out]]
    return [out.name, out.dtype.name, out.shape.as_list() if out.shape.ndims is not None
            else None]


def _flat(out):
    if isinstance(out, (list, tuple)):
        return [t for o in out for t in _flat(o)]
    return [out]


def _build_and_run(tf, cases):
    built = {}
    res = {}
    for label, fn in cases:
        try:
            built[label] = fn()
            res[label] = _desc(tf, built[label])
        except Exception as e:  # noqa: BLE001
            res[label] = {"type": type(e).__name__, "msg": str(e).split("\n")[0]}
    fetch = {k: _flat(v) for k, v in built.items() if not isinstance(v, tf.Operation)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run(fetch)
    res["values"] = {k: [_v(a) for a in v] for k, v in sorted(values.items())}
    res["ops"] = [o.name for o in tf.get_default_graph().get_operations()]
    return res


def scenario_raw_math_array_nn(tf):
    r = tf.raw_ops
    x = tf.constant([[1.0, -2.0, 3.0], [0.5, 4.0, -1.5]])
    cases = [
        ("add", lambda: r.AddV2(x=x, y=3.0)),
        ("add_int", lambda: r.AddV2(x=[1, 2], y=3)),
        ("mul_named", lambda: r.Mul(x=x, y=x, name="prod")),
        ("matmul", lambda: r.MatMul(a=x, b=tf.ones([3, 2]), transpose_b=False)),
        ("matmul_t", lambda: r.MatMul(a=x, b=x, transpose_b=True)),
        ("topk", lambda: r.TopKV2(input=x, k=2)),
        ("concat", lambda: r.ConcatV2(values=[x, x * 2.0], axis=1)),
        ("split", lambda: r.Split(axis=0, value=x, num_split=2)),
        ("splitv", lambda: r.SplitV(value=x, size_splits=[1, 2], axis=1, num_split=2)),
        ("argmax", lambda: r.ArgMax(input=x, dimension=1)),
        ("argmax32", lambda: r.ArgMax(input=x, dimension=1, output_type=tf.int32)),
        ("relu", lambda: r.Relu(features=x)),
        ("pack", lambda: r.Pack(values=[1.0, 2.0, 3.0], axis=0)),
        ("unpack", lambda: r.Unpack(value=x, num=2)),
        ("shape", lambda: r.Shape(input=x, out_type=tf.int64)),
        ("fill", lambda: r.Fill(dims=[2, 2], value=1.5)),
        ("cast", lambda: r.Cast(x=x, DstT=tf.int32)),
        ("cast_str", lambda: r.Cast(x=[1.5], DstT="int64")),
        ("reshape", lambda: r.Reshape(tensor=x, shape=[3, -1])),
        ("transpose", lambda: r.Transpose(x=x, perm=[1, 0])),
        ("conv", lambda: r.Conv2D(input=tf.reshape(tf.range(16.0), [1, 4, 4, 1]),
                                  filter=tf.ones([2, 2, 1, 1]), strides=[1, 1, 1, 1],
                                  padding="SAME")),
        ("biasadd", lambda: r.BiasAdd(value=x, bias=[1.0, 2.0, 3.0])),
        ("unique", lambda: r.Unique(x=[3, 1, 3, 2])),
        ("identityn", lambda: r.IdentityN(input=[tf.constant(1), tf.constant(2.0)])),
        ("sum", lambda: r.Sum(input=x, axis=1, keep_dims=True)),
        ("sum_all", lambda: r.Sum(input=x, axis=[0, 1])),
        ("mean", lambda: r.Mean(input=x, axis=0)),
        ("strided", lambda: r.StridedSlice(input=x, begin=[0, 1], end=[2, 3],
                                           strides=[1, 1], shrink_axis_mask=0)),
        ("gather", lambda: r.GatherV2(params=x, indices=[1, 0, 1], axis=0)),
        ("select", lambda: r.SelectV2(condition=[True, False, True], t=x, e=-x)),
        ("xent", lambda: r.SoftmaxCrossEntropyWithLogits(features=x, labels=tf.ones([2, 3]) / 3)),
        ("sxent", lambda: r.SparseSoftmaxCrossEntropyWithLogits(features=x, labels=[0, 2])),
        ("range", lambda: r.Range(start=0, limit=5, delta=2)),
        ("onehot", lambda: r.OneHot(indices=[0, 2], depth=3, on_value=1.0, off_value=0.0)),
        ("pad", lambda: r.Pad(input=x, paddings=[[1, 0], [0, 1]])),
        ("tile", lambda: r.Tile(input=x, multiples=[1, 2])),
        ("expand", lambda: r.ExpandDims(input=x, axis=0)),
        ("squeeze", lambda: r.Squeeze(input=[[1.0], [2.0]], axis=[1])),
        ("where", lambda: r.Where(input=[[True, False], [False, True]])),
        ("equal", lambda: r.Equal(x=x, y=1.0)),
        ("logical", lambda: r.LogicalAnd(x=[True, False], y=[True, True])),
        ("softmax", lambda: r.Softmax(logits=x)),
        ("sigmoid", lambda: r.Sigmoid(x=x)),
        ("maxpool", lambda: r.MaxPool(input=tf.reshape(tf.range(16.0), [1, 4, 4, 1]),
                                      ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1],
                                      padding="VALID")),
        ("const_proto", lambda: r.Const(value=tf.make_tensor_proto(np.array([1, 2], np.int32)),
                                        dtype=tf.int32)),
        ("noop", lambda: r.NoOp()),
        ("placeholder_default", lambda: r.PlaceholderWithDefault(input=[1.0, 2.0], shape=[2])),
    ]
    return _build_and_run(tf, cases)


def scenario_raw_variables_and_gradients(tf):
    r = tf.raw_ops
    v = tf.Variable([1.0, 2.0], name="v")
    assign = r.AssignAddVariableOp(resource=v.handle, value=[1.0, 1.0])
    read = r.ReadVariableOp(resource=v.handle, dtype=tf.float32)
    x = tf.constant([[1.0, -2.0], [3.0, 0.5]])
    w = tf.constant([[0.5, 1.0], [-1.0, 2.0]])
    y = r.Relu(features=r.MatMul(a=x, b=w))
    loss = r.Sum(input=r.Square(x=y), axis=[0, 1])
    grads = tf.gradients(loss, [x, w])
    s = r.Sigmoid(x=x)
    gs = tf.gradients(tf.reduce_sum(s * s), x)
    res = {"assign": _desc(tf, assign), "read": _desc(tf, read),
           "grads": [g.name for g in grads], "loss": _desc(tf, loss)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(assign)
        res["values"] = [_v(a) for a in sess.run([read, loss, *grads, *gs])]
    return res


def _first(fn):
    return error(fn, first_line=True)


def scenario_raw_errors(tf):
    r = tf.raw_ops
    x = tf.constant(1.0)
    return {
        "positional": _first(lambda: r.AddV2(x, x)),
        "mismatch": _first(lambda: r.AddV2(x=x, y=tf.constant(2))),
        "missing": _first(lambda: r.AddV2(x=x)),
        "unexpected": _first(lambda: r.AddV2(x=x, y=2.0, z=3)),
        "inferred_attr": _first(lambda: r.AddV2(x=x, y=2.0, T=tf.float32)),
        "disallowed_type": _first(lambda: r.Relu(features=tf.constant([True]))),
        "list_mismatch": _first(lambda: r.Pack(values=[tf.constant(1), 2.5])),
        "bad_dtype_attr": _first(lambda: r.Cast(x=[1.7], DstT="nope")),
        "bad_padding": _first(lambda: r.Conv2D(input=tf.ones([1, 4, 4, 1]),
                                             filter=tf.ones([2, 2, 1, 1]),
                                             strides=[1, 1, 1, 1], padding="FOO")),
        "strides_not_list": _first(lambda: r.Conv2D(input=tf.ones([1, 4, 4, 1]),
                                                  filter=tf.ones([2, 2, 1, 1]), strides=1,
                                                  padding="SAME")),
        "bad_bool": _first(lambda: r.TopKV2(input=tf.ones([3]), k=2, sorted="yes")),
        "const_ndarray": _first(lambda: r.Const(value=np.array([1, 2], np.int32),
                                              dtype=tf.int32)),
        "not_list": _first(lambda: r.ConcatV2(values=x, axis=0)),
        "empty_pack": _first(lambda: r.Pack(values=[])),
        "shape_error": _first(lambda: r.MatMul(a=tf.ones([2, 3]), b=tf.ones([2, 3]))),
    }


def all_scenarios():
    return scenarios_of(globals())
