"""Golden scenarios of TF1's ref dtypes: a RefVariable's ``float32_ref`` and the ref outputs
of VariableV2, Assign and the other in-place update ops; which ops read a ref as its base
type (arithmetic, identity, gradients, slots of partitioned variables); the DType
properties of ref types; and that nothing of this changes values.

Ref variables are asked for with ``use_resource=False`` (the recording mode has resource
variables on). Conventions as ``scenarios.py``; recorded by ``record_tf.py --set refdt``.
"""

import numpy as np
from golden_helpers import error, scenarios_of, values


def _dt(x):
    return x.dtype.name


def scenario_ref_variable_dtypes(tf):
    v = tf.Variable([1.0, 2.0], name="v", use_resource=False)
    w = tf.get_variable("w", [2], use_resource=False,
                        initializer=tf.constant_initializer(0.5))
    i = tf.Variable(3, name="i", use_resource=False)
    r = tf.Variable([1.0], name="r")  # resource
    out = {
        "v": [_dt(v), v.dtype.base_dtype.name, v.dtype == tf.float32,
              v.dtype.is_floating, v.dtype.as_datatype_enum],
        "w": _dt(w), "i": [_dt(i), i.dtype.is_integer, i.dtype.as_datatype_enum],
        "r": [_dt(r), r.dtype == tf.float32],
        "op_output": [v.op.type, _dt(v.op.outputs[0]), v.op.outputs[0].name],
        "value": [_dt(v.value()), v.value().name],
        "read_value": _dt(v.read_value()),
        "initial_value": _dt(v.initial_value),
        "initialized_value": _dt(v.initialized_value()),
        "converted": [_dt(tf.convert_to_tensor(v)), tf.convert_to_tensor(v).name],
        "converted_f32": _dt(tf.convert_to_tensor(v, dtype=tf.float32)),
        "ref": [_dt(v._ref()), v._ref().name],
        "ref_to_f32": _dt(tf.convert_to_tensor(v._ref(), dtype=tf.float32)),
        "resource_has_ref": hasattr(r, "_ref"),
        "repr": repr(v),
        "attr": [v.op.get_attr("dtype").name],
    }
    return out


def scenario_ref_update_outputs(tf):
    v = tf.Variable([1.0, 2.0, 3.0], name="v", use_resource=False)
    a = tf.assign(v, [3.0, 4.0, 5.0])
    aa = tf.assign_add(v, [1.0, 1.0, 1.0])
    s = tf.assign_sub(v, [0.5, 0.5, 0.5])
    m = v.assign([1.0, 1.0, 1.0])
    su = tf.scatter_update(v, [0], [9.0])
    sa = tf.scatter_add(v, [1], [2.0])
    c = tf.Variable(0, name="c", use_resource=False)
    cu = c.count_up_to(5)
    ini = tf.is_variable_initialized(v)
    out = {
        "assign": [_dt(a), a.name, _dt(a.op.inputs[0]), a.op.inputs[0].name,
                   a.op.get_attr("T").name],
        "assign_add": [_dt(aa), aa.op.type], "assign_sub": [_dt(s), s.op.type],
        "method": [_dt(m), m.op.type],
        "scatter_update": [_dt(su), su.op.type, su.op.get_attr("T").name],
        "scatter_add": _dt(sa),
        "count_up_to": [_dt(cu), _dt(cu.op.inputs[0]), cu.op.get_attr("T").name],
        "is_initialized": [_dt(ini), _dt(ini.op.inputs[0]), ini.op.get_attr("dtype").name],
        "arith": [_dt(a * 2.0), _dt(v._ref() + 1.0), _dt(tf.identity(v._ref())),
                  _dt(tf.reshape(v._ref(), [3, 1])), _dt(tf.gather(v._ref(), [0])),
                  _dt(tf.stack([v, v._ref(), a])), _dt(tf.zeros_like(v._ref()))],
    }
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out["values"] = [values(sess.run(a)), values(sess.run(aa)), values(sess.run(s)),
                         values(sess.run(v._ref())), values(sess.run(su)),
                         values(sess.run(sa)), int(sess.run(cu)), bool(sess.run(ini))]
    return out


def scenario_ref_dtype_as_argument(tf):
    # a RefVariable's dtype passed where a dtype is expected means its base type
    v = tf.Variable([1.0, 2.0], name="v", use_resource=False)
    R = v.dtype
    out = {
        "zeros": _dt(tf.zeros([2], dtype=R)), "ones": _dt(tf.ones([2], R)),
        "cast": _dt(tf.cast([1, 2], R)), "constant": _dt(tf.constant(1.0, dtype=R)),
        "placeholder": _dt(tf.placeholder(R, [2])),
        "get_variable": _dt(tf.get_variable("g", [2], dtype=R, use_resource=False)),
        "ones_like": _dt(tf.ones_like(v, dtype=R)),
        "zeros_like": _dt(tf.zeros_like(v)),
        "with_default": _dt(tf.placeholder_with_default(v, [2])),
    }
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out["cast_value"] = values(sess.run(tf.cast([1, 2], R)))
    return out


def scenario_ref_dtype_properties(tf):
    f = tf.float32._as_ref
    c = tf.complex64._as_ref
    out = {
        "names": [f.name, repr(f), str(f), tf.int64._as_ref.name, tf.bool._as_ref.name,
                  tf.string._as_ref.name],
        "base": [f.base_dtype.name, c.base_dtype.name, tf.float32.base_dtype.name],
        "is_ref": [tf.float32._is_ref_dtype, f._is_ref_dtype],
        "ref_of_ref": f._as_ref.name,
        "real": [c.real_dtype.name, f.real_dtype.name],
        "kinds": [f.is_floating, tf.int32._as_ref.is_integer, tf.bool._as_ref.is_bool,
                  c.is_complex, tf.uint8._as_ref.is_unsigned, f.is_numpy_compatible],
        "sizes": [f.size, tf.float64._as_ref.size],
        "limits": [float(f.min), float(f.max), int(tf.int8._as_ref.max)],
        "numpy": [np.dtype(f.as_numpy_dtype).name, np.dtype(tf.int16._as_ref.as_numpy_dtype).name],
        "enums": [f.as_datatype_enum, tf.int64._as_ref.as_datatype_enum,
                  tf.string._as_ref.as_datatype_enum],
        "equality": [f == tf.float32, f != tf.float32, f == tf.float32._as_ref,
                     f == "float32_ref", tf.float32 == "float32_ref"],
        "compatible": [f.is_compatible_with(tf.float32), tf.float32.is_compatible_with(f),
                       f.is_compatible_with(f), tf.int32.is_compatible_with(f)],
        "as_dtype": [tf.as_dtype("float32_ref").name, tf.as_dtype(109).name,
                     tf.as_dtype(101).name, tf.as_dtype(f).name,
                     tf.dtypes.as_dtype("string_ref").name],
        "bad": error(lambda: tf.as_dtype("float33_ref")),
    }
    return out


def scenario_ref_variables_in_training(tf):
    # slots, beta accumulators and the global step of a ref-variable graph are ref
    # variables too; the training values are those of resource variables
    with tf.variable_scope("m", use_resource=False):
        w = tf.get_variable("w", [2, 2], initializer=tf.constant_initializer(
            np.array([[0.5, -0.2], [0.1, 0.3]], np.float32)))
        p = tf.get_variable("p", [4, 2], partitioner=tf.fixed_size_partitioner(2),
                            initializer=tf.constant_initializer(0.25))
        step = tf.train.get_or_create_global_step()
    x = tf.constant([[1.0, 2.0], [3.0, -1.0]])
    pv = tf.convert_to_tensor(p)
    loss = tf.reduce_sum(tf.square(tf.matmul(x, w))) + tf.reduce_sum(pv * pv)
    opt = tf.train.AdamOptimizer(0.1)
    train = opt.minimize(loss, global_step=step)
    ema = tf.train.ExponentialMovingAverage(0.9)
    with tf.control_dependencies([train]):
        avg = ema.apply([w])
    g = tf.gradients(loss, w)[0]
    parts = list(p)
    out = {
        "w": _dt(w), "p": _dt(p), "parts": [_dt(q) for q in parts],
        "step": _dt(step), "slot": _dt(opt.get_slot(w, "m")),
        "beta": [_dt(b) for b in opt._get_beta_accumulators()],
        "ema": _dt(ema.average(w)), "grad": _dt(g),
        "train_type": train.type,
    }
    with tf.Session() as sess:
        sess.run(w.initializer)  # (the average's initializer reads w: TF1 needs it first)
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(avg)
        out["after"] = [values(sess.run(w)), values(sess.run(ema.average(w))),
                        int(sess.run(step)), values(sess.run(opt.get_slot(w, "v")))]
    return out


def all_scenarios():
    return scenarios_of(globals())
