"""Gradient graphs op for op: the gradient ops [name, type, inputs, attribute names] TF builds
for small graphs per op family, on fully known, partially known and unknown shapes."""


def _grad_ops(tf):
    return [[o.name, o.type, [i.name for i in o.inputs],
             sorted(a for a in o.node_def.attr if not a.startswith("_"))]
            for o in tf.get_default_graph().get_operations() if o.name.startswith("gradients/")]


def _placeholders(tf):
    return (tf.placeholder(tf.float32, [2, 3], name="a"),
            tf.placeholder(tf.float32, [None, 3], name="b"),
            tf.placeholder(tf.float32, None, name="c"))


def _unary(tf, fns):
    ts = _placeholders(tf)
    tf.gradients([f(t) for f in fns for t in ts], list(ts))
    return {"ops": _grad_ops(tf)}


def scenario_unary_exp_log(tf):
    return _unary(tf, [tf.log, tf.log1p, tf.exp, tf.expm1, tf.sqrt, tf.rsqrt, tf.square,
                       tf.abs, tf.negative, tf.reciprocal, tf.sign])


def scenario_unary_trig(tf):
    return _unary(tf, [tf.sin, tf.cos, tf.tan, tf.asin, tf.acos, tf.atan, tf.sinh, tf.cosh])


def scenario_unary_special(tf):
    return _unary(tf, [tf.erf, tf.erfc, tf.lgamma, tf.digamma, tf.floor, tf.ceil, tf.round])


def scenario_activations(tf):
    return _unary(tf, [tf.sigmoid, tf.tanh, tf.nn.softplus, tf.nn.softsign, tf.nn.relu,
                       tf.nn.relu6, tf.nn.elu, tf.nn.selu, tf.nn.leaky_relu, tf.identity])


def scenario_softmax(tf):
    a, b, _ = _placeholders(tf)
    tf.gradients([tf.nn.softmax(a), tf.nn.log_softmax(a), tf.nn.softmax(b),
                  tf.nn.log_softmax(b)], [a, b])
    return {"ops": _grad_ops(tf)}


def scenario_bias_pool_conv(tf):
    a = tf.placeholder(tf.float32, [2, 6, 6, 3], name="a")
    b = tf.placeholder(tf.float32, [None, 6, 6, 3], name="b")
    bias = tf.constant([1.0, 2.0, 3.0])
    w = tf.constant([[[[1.0] * 4] * 3] * 3] * 3)
    dw = tf.constant([[[[1.0] * 2] * 3] * 3] * 3)
    ys = [tf.nn.bias_add(a, bias), tf.nn.bias_add(b, bias),
          tf.nn.max_pool(b, 2, 2, "SAME"), tf.nn.avg_pool(b, 2, 2, "VALID"),
          tf.nn.max_pool(a, 2, 2, "VALID"), tf.nn.avg_pool(a, 3, 1, "SAME"),
          tf.nn.conv2d(b, w, 1, "SAME"), tf.nn.conv2d(a, w, 2, "VALID"),
          tf.nn.depthwise_conv2d(a, dw, [1, 1, 1, 1], "SAME"),
          tf.nn.depthwise_conv2d(b, dw, [1, 1, 1, 1], "VALID")]
    tf.gradients(ys, [a, b, bias, w, dw])
    return {"ops": _grad_ops(tf)}


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
