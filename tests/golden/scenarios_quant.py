"""Golden scenarios of fake quantization (``record_tf.py --set quant``): tf.quantization's
fake_quant ops, values bit for bit over dense sweeps, per channel, gradients and errors."""

import numpy as np


def _err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return {"type": type(e).__name__, "msg": str(e).split("\n")[0]}
    return {"type": None, "msg": None}


def _run_err(fn, needle):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return {"type": type(e).__name__, "has": needle in str(e)}
    return {"type": None, "has": False}


def _bits(a):
    # exact float32 values, as hex of their bits (NaN-safe)
    return np.asarray(a, np.float32).view(np.uint32).reshape(-1).tolist()


_RANGES = [(-6.0, 6.0, 8, False), (-1.3, 2.7, 8, False), (0.1, 3.3, 4, True),
           (-5.0, -1.0, 3, False), (-0.37, 0.91, 16, True), (0.0, 1.0, 2, False),
           (-2.5, 0.0, 5, True), (-0.001, 1000.0, 7, False)]


def _sweep():
    rng = np.random.default_rng(0)
    return np.concatenate([np.linspace(-8, 8, 4001), rng.normal(0, 3, 1000),
                           [np.nan, np.inf, -np.inf, 0.0, -0.0]]).astype(np.float32)


def scenario_fake_quant_args_and_vars(tf):
    x = _sweep()
    outs = {}
    for i, (mn, mx, nb, nr) in enumerate(_RANGES):
        outs[f"args_{i}"] = tf.quantization.fake_quant_with_min_max_args(x, mn, mx, nb, nr)
        outs[f"vars_{i}"] = tf.quantization.fake_quant_with_min_max_vars(x, mn, mx, nb, nr)
    with tf.Session() as s:
        vals = s.run(outs)
    return {k: _bits(v) for k, v in vals.items()}


def scenario_fake_quant_per_channel(tf):
    rng = np.random.default_rng(1)
    x4 = rng.normal(0, 2, (3, 5, 4, 3)).astype(np.float32)
    mn = np.array([-1.3, -6.0, 0.2], np.float32)
    mx = np.array([2.7, 6.0, 3.3], np.float32)
    outs = {}
    for name, x in (("r1", x4[0, 0, 0]), ("r2", x4.reshape(-1, 3)), ("r4", x4)):
        for nb, nr in ((8, False), (4, True)):
            outs[f"{name}_{nb}"] = tf.quantization.fake_quant_with_min_max_vars_per_channel(
                x, mn, mx, nb, nr)
    with tf.Session() as s:
        vals = s.run(outs)
        r3 = _bits(s.run(tf.fake_quant_with_min_max_vars_per_channel(x4[0], mn, mx)))
    return {"values": {k: _bits(v) for k, v in vals.items()},
            "shapes": {k: str(v.shape) for k, v in outs.items()}, "rank3": r3}


def scenario_fake_quant_gradients(tf):
    rng = np.random.default_rng(2)
    xt = tf.constant(rng.normal(0, 2, (3, 5, 4, 3)).astype(np.float32))
    mnt = tf.constant(np.array([-1.3, -6.0, 0.2], np.float32))
    mxt = tf.constant(np.array([2.7, 6.0, 3.3], np.float32))
    y = tf.fake_quant_with_min_max_vars_per_channel(xt, mnt, mxt)
    g = tf.gradients(tf.reduce_sum(y * y), [xt, mnt, mxt])
    lo, hi = tf.constant(-1.0), tf.constant(1.5)
    y2 = tf.fake_quant_with_min_max_vars(xt, lo, hi, num_bits=6)
    g2 = tf.gradients(tf.reduce_sum(y2 * y2), [xt, lo, hi])
    y3 = tf.fake_quant_with_min_max_args(xt, -1.0, 1.5, narrow_range=True)
    g3 = tf.gradients(tf.reduce_sum(y3 * y3), [xt])
    with tf.Session() as s:
        vals = s.run(g + g2 + g3)
    return {"values": [np.round(np.asarray(v, np.float64), 4).tolist() for v in vals],
            "ops": [[t.op.type, t.name, str(t.shape)] for t in g + g2 + g3],
            "attrs": [sorted(t.op.node_def.attr.keys()) for t in (y, y2, y3)],
            "args_attrs": [y3.op.get_attr("min"), y3.op.get_attr("max"),
                           y3.op.get_attr("num_bits"), y3.op.get_attr("narrow_range")]}


def scenario_fake_quant_errors(tf):
    xt = tf.constant(np.linspace(-2, 2, 12, dtype=np.float32).reshape(2, 2, 3))
    mn = np.array([-1.3, -6.0, 0.2], np.float32)
    mx = np.array([2.7, 6.0, 3.3], np.float32)
    with tf.Session() as s:
        run = {
            "args_order": _run_err(lambda: s.run(tf.fake_quant_with_min_max_args(xt, 1.0, 0.5)),
                                   "min has to be smaller than max, was: 1 >= 0.5"),
            "args_bits": _run_err(lambda: s.run(tf.fake_quant_with_min_max_args(
                xt, num_bits=1)), "num_bits must be between 2 and 16, inclusive"),
            "vars_bits": _run_err(lambda: s.run(tf.fake_quant_with_min_max_vars(
                xt, -1.0, 0.5, num_bits=17)), "num_bits must be between 2 and 16, inclusive"),
            "vars_reversed": np.asarray(s.run(tf.fake_quant_with_min_max_vars(
                xt, 1.0, 0.5))).reshape(-1).tolist(),
        }
    return {
        "run": run,
        "channels": _err(lambda: tf.fake_quant_with_min_max_vars_per_channel(
            xt, mn[:2], mx[:2])),
        "vars_rank": _err(lambda: tf.fake_quant_with_min_max_vars(xt, [1.0], 2.0)),
        "pc_rank": _err(lambda: tf.fake_quant_with_min_max_vars_per_channel(xt, 1.0, 2.0)),
        "pc_scalar": _err(lambda: tf.fake_quant_with_min_max_vars_per_channel(
            tf.constant(1.0), mn, mx)),
        "int_input": _err(lambda: tf.fake_quant_with_min_max_args(tf.constant([1, 2]))),
        "names": [tf.fake_quant_with_min_max_vars(xt, -1.0, 1.0).op.inputs[1].name,
                  tf.fake_quant_with_min_max_args(xt, name="fq").name],
    }


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
