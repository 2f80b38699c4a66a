"""Golden scenarios of Keras training in TF1 graph mode (TF_USE_LEGACY_KERAS=1): the Keras
optimizers step by step (Adagrad, Adamax, SGD momentum / nesterov, Adam amsgrad) and
``Model.compile`` / ``fit`` / ``evaluate`` / ``predict`` / ``*_on_batch`` from fixed weights.

Same conventions as ``scenarios.py``: ``scenario_<name>(tf)`` returns JSON-able data; TF's
results are recorded by ``record_tf.py --set kerasfit`` into ``tf1_expected_kerasfit.json``.
Weights are set from fixed NumPy arrays after building (unseeded initializers differ), NumPy's
global RNG is seeded where fit shuffles, printed output is captured with its timings cut.
"""


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


def _steps(tf, make_opt, n=3):
    w = tf.Variable([1.0, -2.0, 0.5], name="w")
    b = tf.Variable([[0.25, -0.75]], name="b")
    opt = make_opt()
    op = opt.minimize(lambda: tf.reduce_sum(w * w * w) + tf.reduce_sum(tf.sin(b) * 3.0),
                      var_list=[w, b])
    steps = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(n):
            sess.run(op)
            steps.append([_v(sess.run(w)), _v(sess.run(b))])
    ops = sorted({o.type for o in tf.get_default_graph().get_operations()
                  if o.type.startswith("ResourceApply")})
    return {"steps": steps, "variables": [v.name for v in opt.variables()],
            "update": op.name, "apply_ops": ops, "config": {
                k: (float(v) if isinstance(v, (float, np.floating)) else v)
                for k, v in opt.get_config().items()}}


def scenario_optimizer_adagrad(tf):
    return _steps(tf, lambda: tf.keras.optimizers.Adagrad(0.2, initial_accumulator_value=0.5))


def scenario_optimizer_adagrad_defaults(tf):
    return _steps(tf, tf.keras.optimizers.Adagrad, n=2)


def scenario_optimizer_adamax(tf):
    return _steps(tf, lambda: tf.keras.optimizers.Adamax(0.1, beta_1=0.8, beta_2=0.9))


def scenario_optimizer_sgd_momentum(tf):
    return _steps(tf, lambda: tf.keras.optimizers.SGD(0.1, momentum=0.9))


def scenario_optimizer_sgd_nesterov(tf):
    return _steps(tf, lambda: tf.keras.optimizers.SGD(0.05, momentum=0.5, nesterov=True), n=4)


def scenario_optimizer_adam_amsgrad(tf):
    return _steps(tf, lambda: tf.keras.optimizers.Adam(0.1, amsgrad=True), n=4)


def scenario_optimizer_new_errors(tf):
    return {"adagrad_accum": _err(lambda: tf.keras.optimizers.Adagrad(
                initial_accumulator_value=-1.0)),
            "sgd_momentum": _err(lambda: tf.keras.optimizers.SGD(momentum=1.5)),
            "by_name": [type(tf.keras.optimizers.get(n)).__name__
                        for n in ("adagrad", "adamax", "Adagrad")]}


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in sorted(globals().items())
            if k.startswith("scenario_")}
