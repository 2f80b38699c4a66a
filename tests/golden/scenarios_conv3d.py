"""Golden scenarios of the 3-D (and remaining 1-D / 2-D) convolution and pooling surface
(``record_tf.py --set conv3d``): tf.nn.conv3d and its backprops, conv3d_transpose,
max_pool3d / avg_pool3d and their gradients (grad of grad included), conv1d_transpose,
conv_transpose, atrous_conv2d_transpose, max_pool_v2 / avg_pool_v2, max_pool_with_argmax,
dilation2d / erosion2d; the tf.layers Conv3D, Conv3DTranspose, MaxPooling3D,
AveragePooling3D and SeparableConv1D; and a small 3-D convnet trained with gradient descent.

Values are fed through placeholders (TF's grappler would otherwise fold constant inputs
with other kernels); every float is rounded. TF is recorded in its default CPU build
(oneDNN), which runs NCDHW and dilated 3-D convolutions.
"""

import numpy as np


def _r(a, nd=6):
    a = np.asarray(a)
    if a.dtype.kind in "fc":
        return np.round(a.astype(np.float64), nd).tolist()
    return a.tolist()


def _rand(shape, seed, lo=-1.0, hi=1.0):
    return np.random.RandomState(seed).uniform(lo, hi, shape).astype(np.float32)


def _err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - whatever is raised is recorded
        return [type(e).__name__, str(e).split("\n")[0]]
    return None


def _run_err(tf, fetch, feed=None):
    """The run-time error of one fetch: its type and first message line."""
    try:
        with tf.Session() as s:
            s.run(fetch, feed)
    except tf.errors.OpError as e:
        # TF: "Graph execution error:\n\nDetected at node ...\n<message>\n\t [[node]]"
        return [type(e).__name__, e.message.split("\n\t [[")[0].split("\n")[-1]]
    return None


def _shape(t):
    return t.shape.as_list() if t.shape.ndims is not None else None


def _text(v):
    return v.decode() if isinstance(v, bytes) else v


def _grads(tf, y, xs, seed):
    """d sum(y * c) / d xs for a fixed random c."""
    c = tf.constant(_rand(_shape(y), seed).astype(y.dtype.as_numpy_dtype))
    return tf.gradients(tf.reduce_sum(y * c), xs)


# -- conv3d -----------------------------------------------------------------------------------------
def scenario_conv3d_values_and_grads(tf):
    xv, wv = _rand([2, 5, 6, 7, 3], 1), _rand([2, 3, 2, 3, 4], 2)
    x = tf.placeholder(tf.float32, [2, 5, 6, 7, 3], name="x")
    w = tf.placeholder(tf.float32, [2, 3, 2, 3, 4], name="w")
    xc = tf.placeholder(tf.float32, [2, 3, 5, 6, 7], name="xc")
    cases = {
        "same": tf.nn.conv3d(x, w, [1, 1, 1, 1, 1], "SAME"),
        "valid": tf.nn.conv3d(x, w, [1, 1, 1, 1, 1], "VALID", name="v"),
        "strided": tf.nn.conv3d(x, w, [1, 2, 1, 3, 1], "SAME"),
        "strided_valid": tf.nn.conv3d(x, filters=w, strides=[1, 2, 2, 2, 1], padding="VALID"),
        "dilated": tf.nn.conv3d(x, w, [1, 1, 1, 1, 1], "SAME", dilations=[1, 2, 1, 2, 1]),
        # (TF's oneDNN backprops fail on VALID with unequal height and width dilations)
        "dilated_valid": tf.nn.conv3d(x, w, [1, 1, 1, 1, 1], "VALID",
                                      dilations=[1, 2, 2, 2, 1]),
        "ncdhw": tf.nn.conv3d(xc, w, [1, 1, 1, 2, 1], "SAME", data_format="NCDHW"),
    }
    feed = {x: xv, w: wv, xc: np.transpose(xv, (0, 4, 1, 2, 3))}
    fetch = {k: v for k, v in cases.items()}
    for i, (k, y) in enumerate(cases.items()):
        src = xc if k == "ncdhw" else x
        fetch["d_" + k] = _grads(tf, y, [src, w], 10 + i)
    with tf.Session() as s:
        vals = s.run(fetch, feed)
    out = {k: [_r(np.sum(v)), _r(np.ravel(v)[:12])] for k, v in vals.items()
           if not k.startswith("d_")}
    out.update({k: [[_r(np.sum(g)), _r(np.ravel(g)[:8])] for g in v]
                for k, v in vals.items() if k.startswith("d_")})
    out["static"] = {k: [v.name, _shape(v)] for k, v in cases.items()}
    out["grad_ops"] = sorted({g.op.type for k in cases for g in fetch["d_" + k]})
    op = cases["ncdhw"].op
    out["attrs"] = {a: _text(op.get_attr(a)) for a in ("strides", "dilations", "padding",
                                                        "data_format")}
    return out


def scenario_conv3d_float64_and_second_order(tf):
    xv, wv = _rand([1, 4, 5, 4, 2], 3).astype(np.float64), _rand([2, 2, 3, 2, 3], 4)
    x = tf.placeholder(tf.float64, [1, 4, 5, 4, 2])
    w = tf.placeholder(tf.float64, [2, 2, 3, 2, 3])
    y = tf.nn.conv3d(x, w, [1, 1, 2, 1, 1], "SAME")
    gx, gw = _grads(tf, y, [x, w], 5)
    # second order: through Conv3DBackpropInputV2 and Conv3DBackpropFilterV2
    hx = tf.gradients(tf.reduce_sum(gx * gx), [x, w])
    hw = tf.gradients(tf.reduce_sum(gw * gw), [x, w])
    out0 = {"none": [[h is None for h in hx], [h is None for h in hw]]}
    hx = [h for h in hx if h is not None]
    hw = [h for h in hw if h is not None]
    with tf.Session() as s:
        vals = s.run({"y": y, "gx": gx, "gw": gw, "hx": hx, "hw": hw}, {x: xv, w: wv})
    out = {k: _r(np.ravel(v)[:10]) for k, v in vals.items() if k in ("y", "gx", "gw")}
    out["hx"] = [_r(np.ravel(g)[:6]) for g in vals["hx"]]
    out["hw"] = [_r(np.ravel(g)[:6]) for g in vals["hw"]]
    out.update(out0)
    out["types"] = [str(y.dtype.name), gx.op.type, gw.op.type, sorted(h.op.type for h in hx),
                    sorted(h.op.type for h in hw)]
    return out


def scenario_conv3d_static_shapes(tf):
    p = tf.placeholder
    w = tf.ones([2, 3, 2, 3, 4])
    cases = {
        "unknown_dims": tf.nn.conv3d(p(tf.float32, [None, 5, None, 7, 3]), w, [1] * 5, "VALID"),
        "unknown_rank": tf.nn.conv3d(p(tf.float32), w, [1] * 5, "VALID"),
        "unknown_filter": tf.nn.conv3d(p(tf.float32, [2, 5, 6, 7, 3]), p(tf.float32),
                                       [1] * 5, "SAME"),
        "same_stride": tf.nn.conv3d(p(tf.float32, [None, 5, 6, 7, 3]), w, [1, 2, 3, 4, 1],
                                    "SAME"),
        # TF's shape function swaps the height and width dilations
        "dilation_h": tf.nn.conv3d(p(tf.float32, [1, 5, 8, 9, 3]), w, [1] * 5, "VALID",
                                   dilations=[1, 1, 2, 1, 1]),
        "dilation_w": tf.nn.conv3d(p(tf.float32, [1, 5, 8, 9, 3]), w, [1] * 5, "VALID",
                                   dilations=[1, 1, 1, 3, 1]),
        "ncdhw": tf.nn.conv3d(p(tf.float32, [1, 3, 5, 8, 9]), w, [1, 1, 1, 1, 2], "VALID",
                              data_format="NCDHW", dilations=[1, 1, 2, 1, 1]),
        "grouped": tf.nn.conv3d(p(tf.float32, [1, 4, 4, 4, 6]), w, [1] * 5, "SAME"),
        "half": tf.nn.conv3d(p(tf.float16, [1, 4, 4, 4, 3]), tf.ones([1, 1, 1, 3, 2],
                                                                    tf.float16), [1] * 5,
                             "SAME"),
        "numpy": tf.nn.conv3d(np.ones([1, 2, 2, 2, 3], np.float32),
                              np.ones([1, 1, 1, 3, 2], np.float64), [1] * 5, "SAME"),
    }
    out = {k: [v.name, _shape(v), v.dtype.name] for k, v in cases.items()}
    out["numpy_inputs"] = [t.name for t in cases["numpy"].op.inputs]
    return out


def scenario_conv3d_errors(tf):
    x = tf.ones([2, 5, 6, 7, 3])
    w = tf.ones([2, 3, 2, 3, 4])
    c = tf.nn.conv3d
    cases = {
        "strides_int": lambda: c(x, w, 1, "SAME"),
        "strides_none": lambda: c(x, w, None, "SAME"),
        "strides_short": lambda: c(x, w, [1, 1, 1], "SAME"),
        "strides_long": lambda: c(x, w, [1] * 6, "SAME"),
        "padding_none": lambda: c(x, w, [1] * 5, None),
        "padding_bad": lambda: c(x, w, [1] * 5, "FOO"),
        "padding_explicit": lambda: c(x, w, [1] * 5, "EXPLICIT"),
        "padding_list": lambda: c(x, w, [1] * 5, [[0, 0], [1, 1], [1, 1], [1, 1], [0, 0]]),
        "data_format": lambda: c(x, w, [1] * 5, "SAME", data_format="NHWC"),
        "dilations_int": lambda: c(x, w, [1] * 5, "SAME", dilations=2),
        "dilations_short": lambda: c(x, w, [1] * 5, "SAME", dilations=[1] * 4),
        "order": lambda: c(x, w, [1] * 4, "FOO", data_format="X"),
        "int_input": lambda: c(tf.ones([1, 2, 2, 2, 3], tf.int32), w, [1] * 4, "SAME"),
        "filter_dtype": lambda: c(x, tf.ones([1, 1, 1, 3, 2], tf.float64), [1] * 5, "SAME"),
        "both_filters": lambda: c(x, w, [1] * 5, "SAME", filters=w),
        "rank_input": lambda: c(tf.ones([5, 6, 7, 3]), w, [1] * 5, "SAME"),
        "rank_filter": lambda: c(x, tf.ones([3, 2, 3, 4]), [1] * 5, "SAME"),
        "depth": lambda: c(x, tf.ones([2, 3, 2, 2, 4]), [1] * 5, "SAME"),
        "filter_depth_0": lambda: c(x, tf.ones([1, 1, 1, 0, 4]), [1] * 5, "SAME"),
        "groups_out": lambda: c(tf.ones([1, 4, 4, 4, 4]), tf.ones([1, 1, 1, 2, 3]), [1] * 5,
                                "SAME"),
        "negative": lambda: c(tf.ones([2, 1, 6, 7, 3]), w, [1] * 5, "VALID"),
        "negative_dilated": lambda: c(x, w, [1] * 5, "VALID", dilations=[1, 3, 1, 1, 1]),
        "stride_0": lambda: c(x, w, [1, 0, 1, 1, 1], "VALID"),
        "dilation_0": lambda: c(x, w, [1, 1, 1, 1, 1], "VALID", dilations=[1, 0, 1, 1, 1]),
    }
    out = {k: _err(f) for k, f in cases.items()}
    out["after"] = c(x, w, [1] * 5, "SAME").name
    return out


def scenario_conv3d_runtime_errors(tf):
    x = tf.placeholder(tf.float32, [2, 5, 6, 7, 3])
    xv = _rand([2, 5, 6, 7, 3], 1)
    w = tf.ones([2, 3, 2, 3, 4])
    c = tf.nn.conv3d
    cases = {
        "batch_stride": c(x, w, [2, 1, 1, 1, 1], "VALID"),
        "channel_stride": c(x, w, [1, 1, 1, 1, 2], "VALID"),
        "batch_dilation": c(x, w, [1] * 5, "VALID", dilations=[2, 1, 1, 1, 1]),
        "empty_filter": c(x, tf.ones([0, 1, 1, 3, 4]), [1] * 5, "SAME"),
        "zero_out": c(x, tf.ones([1, 1, 1, 3, 0]), [1] * 5, "SAME"),
        "grouped": c(tf.placeholder_with_default(tf.ones([1, 2, 2, 2, 6]), [1, 2, 2, 2, 6]), w,
                     [1] * 5, "SAME"),
    }
    # (an empty batch: oneDNN returns the input itself, shape [0, 5, 6, 7, 3]; varstore and
    # TF's Eigen kernel give [0, 5, 6, 7, 4], tests/test_conv3d.py)
    return {k: _run_err(tf, v, {x: xv}) for k, v in cases.items()}


def scenario_conv3d_backprops(tf):
    xv, dyval = _rand([2, 4, 5, 6, 3], 6), _rand([2, 2, 3, 3, 4], 7)
    wv = _rand([2, 3, 2, 3, 4], 8)
    x = tf.placeholder(tf.float32, [2, 4, 5, 6, 3])
    dy = tf.placeholder(tf.float32, [2, 2, 3, 3, 4])
    w = tf.placeholder(tf.float32, [2, 3, 2, 3, 4])
    bf = tf.nn.conv3d_backprop_filter_v2(x, [2, 3, 2, 3, 4], dy, [1, 2, 2, 2, 1], "SAME")
    bf1 = tf.nn.conv3d_backprop_filter(x, tf.constant([2, 3, 2, 3, 4]), dy, [1, 2, 2, 2, 1],
                                       "SAME", name="bf")
    dyv = tf.placeholder(tf.float32, [2, 3, 2, 3, 4])
    bfv = tf.nn.conv3d_backprop_filter_v2(x, [2, 3, 2, 3, 4], dyv, [1, 1, 2, 2, 1], "VALID")
    tr = tf.nn.conv3d_transpose(dy, w, [2, 4, 5, 6, 3], [1, 2, 2, 2, 1], "SAME")
    feed = {x: xv, dy: dyval, w: wv, dyv: _rand([2, 3, 2, 3, 4], 10)}
    g = tf.gradients(tf.reduce_sum(bf * tf.constant(_rand([2, 3, 2, 3, 4], 9))), [x, dy])
    with tf.Session() as s:
        vals = s.run({"bf": bf, "bf1": bf1, "bfv": bfv, "tr": tr, "g": g}, feed)
    out = {k: [_r(np.sum(vals[k])), _r(np.ravel(vals[k])[:10])] for k in ("bf", "bf1", "bfv",
                                                                           "tr")}
    out["g"] = [_r(np.ravel(a)[:8]) for a in vals["g"]]
    out["ops"] = [[t.name, t.op.type, _shape(t)] for t in (bf, bf1, bfv, tr)]
    out["g_ops"] = [t.op.type for t in g]
    out["inputs"] = [i.name for i in bf.op.inputs]
    p = tf.placeholder
    bi = tf.nn.conv3d_transpose
    out["shapes"] = {
        "sizes_placeholder": _shape(bi(dy, tf.ones([2, 2, 2, 3, 4]), p(tf.int32, [5]), 1)),
        "sizes_unknown_len": _shape(bi(dy, tf.ones([2, 2, 2, 3, 4]), p(tf.int32), 1)),
        "filter_sizes_placeholder": _shape(tf.nn.conv3d_backprop_filter_v2(
            x, p(tf.int32, [5]), dy, [1] * 5, "SAME")),
        "int64_sizes": _shape(bi(dy, tf.ones([2, 2, 2, 3, 4]), tf.constant([2, 4, 6, 6, 3],
                                                                          tf.int64), 2)),
    }
    errs = {
        "sizes_len4": lambda: bi(dy, tf.ones([2, 2, 2, 3, 4]), [2, 4, 6, 6], 1),
        "sizes_rank2": lambda: bi(dy, tf.ones([2, 2, 2, 3, 4]), [[2, 4, 6, 6, 3]], 1),
        "sizes_float": lambda: bi(dy, tf.ones([2, 2, 2, 3, 4]), [2.0, 4, 6, 6, 3], 1),
        "filter_sizes_int64": lambda: tf.nn.conv3d_backprop_filter_v2(
            x, tf.constant([2, 3, 2, 3, 4], tf.int64), dy, [1] * 5, "SAME"),
        "filter_sizes_len4": lambda: tf.nn.conv3d_backprop_filter_v2(
            x, [2, 3, 2, 3], dy, [1] * 5, "SAME"),
        "explicit": lambda: tf.nn.conv3d_backprop_filter_v2(x, [2, 3, 2, 3, 4], dy, [1] * 5,
                                                            "EXPLICIT"),
        "transpose_strides": lambda: bi(dy, tf.ones([2, 2, 2, 3, 4]), [2, 4, 6, 6, 3],
                                        [1, 1]),
        "transpose_both": lambda: bi(dy, tf.ones([2, 2, 2, 3, 4]), [2, 4, 6, 6, 3], 1,
                                     filters=w),
    }
    out["errors"] = {k: _err(f) for k, f in errs.items()}
    return out


def scenario_conv3d_backprop_runtime_errors(tf):
    # (oneDNN, TF's default CPU kernels, fails a mismatched out_backprop with an internal
    # AbortedError; tests/test_conv3d.py checks varstore's messages for those)
    dy = tf.placeholder(tf.float32, [None] * 5)
    w = tf.ones([2, 3, 2, 3, 4])
    bi = tf.nn.conv3d_transpose
    ok = np.ones([2, 5, 6, 7, 4], np.float32)
    cases = {
        "batch_stride": (bi(dy, tf.transpose(w, [0, 1, 2, 4, 3]), [2, 5, 6, 7, 4],
                            [2, 1, 1, 1, 1]), ok[..., :3]),
        "out_channels": (bi(dy, tf.transpose(w, [0, 1, 2, 4, 3]), [2, 5, 6, 7, 5], 1),
                         ok[..., :3]),
    }
    return {k: _run_err(tf, t, {dy: v}) for k, (t, v) in cases.items()}


def scenario_conv3d_transpose_shapes_values(tf):
    xv = _rand([2, 3, 4, 5, 3], 11)
    wv = _rand([2, 3, 2, 4, 3], 12)
    x = tf.placeholder(tf.float32, [2, 3, 4, 5, 3])
    w = tf.placeholder(tf.float32, [2, 3, 2, 4, 3])
    xc = tf.placeholder(tf.float32, [2, 3, 3, 4, 5])
    cases = {
        "same1": tf.nn.conv3d_transpose(x, w, [2, 3, 4, 5, 4], [1, 1, 1, 1, 1]),
        "same2": tf.nn.conv3d_transpose(x, w, [2, 6, 8, 10, 4], 2, name="up"),
        "valid": tf.nn.conv3d_transpose(value=x, filter=w, output_shape=[2, 4, 6, 6, 4],
                                        strides=1, padding="VALID"),
        "valid_strided": tf.nn.conv3d_transpose(x, w, (2, 6, 9, 10, 4), [2, 2, 2],
                                                padding="VALID"),
        "input_filters": tf.nn.conv3d_transpose(None, output_shape=tf.constant(
            [2, 3, 8, 5, 4]), strides=[1, 1, 2, 1, 1], input=x, filters=w),
        "ncdhw": tf.nn.conv3d_transpose(xc, w, [2, 4, 6, 8, 10], 2, data_format="NCDHW"),
        "dilated": tf.nn.conv3d_transpose(x, w, [2, 3, 4, 5, 4], 1, dilations=[1, 2, 1, 2, 1]),
    }
    feed = {x: xv, w: wv, xc: np.transpose(xv, (0, 4, 1, 2, 3))}
    fetch = dict(cases)
    for i, (k, y) in enumerate(cases.items()):
        fetch["d_" + k] = _grads(tf, y, [xc if k == "ncdhw" else x, w], 20 + i)
    with tf.Session() as s:
        vals = s.run(fetch, feed)
    out = {k: [_r(np.sum(v)), _r(np.ravel(v)[:10])] for k, v in vals.items()
           if not k.startswith("d_")}
    out.update({k: [_r(np.ravel(g)[:6]) for g in v] for k, v in vals.items()
                if k.startswith("d_")})
    out["static"] = {k: [v.name, v.op.type, _shape(v)] for k, v in cases.items()}
    out["inputs"] = [i.name for i in cases["same1"].op.inputs]
    return out


# -- 3-D pooling ------------------------------------------------------------------------------------
def scenario_pool3d_values_and_grads(tf):
    xv = _rand([2, 5, 6, 7, 3], 13)
    x = tf.placeholder(tf.float32, [2, 5, 6, 7, 3])
    xc = tf.placeholder(tf.float32, [2, 3, 5, 6, 7])
    cases = {
        "max_same": tf.nn.max_pool3d(x, 2, 2, "SAME"),
        "max_valid": tf.nn.max_pool3d(x, [1, 3, 2, 2, 1], [1, 1, 2, 3, 1], "VALID", name="mp"),
        "max_overlap": tf.nn.max_pool3d(x, [2, 3, 3], [1, 2, 1], "SAME"),
        "max_ncdhw": tf.nn.max_pool3d(xc, [2, 2, 3], 2, "SAME", data_format="NCDHW"),
        "avg_same": tf.nn.avg_pool3d(x, 3, 2, "SAME"),
        "avg_valid": tf.nn.avg_pool3d(x, [1, 2, 3, 2, 1], [1, 2, 1, 2, 1], "VALID"),
        "avg_overlap": tf.nn.avg_pool3d(x, [3, 2, 3], 1, "SAME", name="ap"),
        "avg_ncdhw": tf.nn.avg_pool3d(xc, [1, 1, 2, 2, 2], [1, 1, 1, 2, 2], "VALID",
                                      data_format="NCDHW"),
    }
    feed = {x: xv, xc: np.transpose(xv, (0, 4, 1, 2, 3))}
    fetch = dict(cases)
    for i, (k, y) in enumerate(cases.items()):
        fetch["d_" + k] = _grads(tf, y, xc if "ncdhw" in k else x, 30 + i)[0]
    with tf.Session() as s:
        vals = s.run(fetch, feed)
    out = {k: [_r(np.sum(v)), _r(np.ravel(v)[:12])] for k, v in vals.items()}
    out["static"] = {k: [v.name, _shape(v)] for k, v in cases.items()}
    out["grad_ops"] = {k: fetch["d_" + k].op.type for k in cases}
    out["attrs"] = {k: [v.op.get_attr("ksize"), v.op.get_attr("strides"),
                        _text(v.op.get_attr("data_format"))] for k, v in cases.items()}
    return out


def scenario_pool3d_second_order(tf):
    xv = _rand([1, 4, 4, 5, 2], 14)
    x = tf.placeholder(tf.float32, [1, 4, 4, 5, 2])
    out = {}
    for kind, pool in (("max", tf.nn.max_pool3d), ("avg", tf.nn.avg_pool3d)):
        y = pool(x, [1, 2, 3, 2, 1], [1, 2, 2, 1, 1], "SAME")
        dy = tf.placeholder_with_default(tf.constant(_rand(_shape(y), 15)), _shape(y))
        g = tf.gradients(y, x, grad_ys=dy)[0]
        gg = tf.gradients(g, dy, grad_ys=tf.constant(_rand([1, 4, 4, 5, 2], 16)))[0]
        ggg = tf.gradients(gg, dy if kind == "avg" else x)[0]
        fetch = {"g": g, "gg": gg}
        if kind == "max":
            # MaxPool3DGradGrad's gradient with respect to its grad input: MaxPool3DGrad
            g3 = tf.gradients(gg, [x, dy], grad_ys=tf.constant(_rand(_shape(gg), 17)))
            inner = gg.op.inputs[2]
            g4 = tf.gradients(gg, inner, grad_ys=tf.constant(_rand(_shape(gg), 18)))[0]
            fetch["g4"] = g4
            out[kind + "_g3"] = [None if t is None else t.op.type for t in g3]
            out[kind + "_g4_op"] = g4.op.type
        with tf.Session() as s:
            vals = s.run(fetch, {x: xv})
        out[kind] = {k: _r(np.ravel(v)[:12]) for k, v in vals.items()}
        out[kind + "_ops"] = [g.op.type, gg.op.type, None if ggg is None else ggg.op.type]
    return out


def scenario_pool3d_special_values(tf):
    x = tf.placeholder(tf.float32, [1, 2, 2, 2, 1])
    mp = tf.nn.max_pool3d(x, 2, 2, "VALID")
    ap = tf.nn.avg_pool3d(x, 2, 2, "VALID")
    g = tf.gradients(mp, x)[0]
    ms = tf.nn.max_pool3d(x, 3, 2, "SAME")
    gs = tf.gradients(ms, x)[0]
    cases = {"ties": np.zeros(8), "ninf": np.full(8, -np.inf), "nan_all": np.full(8, np.nan),
             "neg": -np.arange(8.0) - 5.0, "two_max": np.array([1, 5, 5, 2, 0, 5, 1, 1.0])}
    for pos in (0, 3, 7):
        v = np.arange(8.0)
        v[pos] = np.nan
        cases[f"nan_at_{pos}"] = v
    out = {}
    with tf.Session() as s:
        for k, v in cases.items():
            r = s.run([mp, ap, g, ms, gs], {x: v.reshape(1, 2, 2, 2, 1).astype(np.float32)})
            out[k] = [[None if np.isnan(a) else (str(a) if np.isinf(a) else round(float(a), 4))
                       for a in np.ravel(t)] for t in r]
    return out


def scenario_pool3d_errors(tf):
    x = tf.ones([2, 5, 6, 7, 3])
    mp, ap = tf.nn.max_pool3d, tf.nn.avg_pool3d
    cases = {
        "ksize_len2": lambda: mp(x, [2, 2], 1, "SAME"),
        "padding_bad": lambda: mp(x, 2, 2, "FOO"),
        "padding_list": lambda: ap(x, 2, 2, [[0, 0], [1, 1], [1, 1], [1, 1], [0, 0]]),
        "data_format": lambda: mp(x, 2, 2, "SAME", data_format="NHWC"),
        "data_format_avg": lambda: ap(x, 2, 2, "SAME", data_format="NCHW"),
        "int_input": lambda: mp(tf.ones([1, 2, 2, 2, 1], tf.int32), 2, 2, "SAME"),
        "double_max": lambda: mp(tf.ones([1, 2, 2, 2, 1], tf.float64), 2, 2, "SAME"),
        "rank": lambda: mp(tf.ones([5, 6, 7, 3]), 2, 2, "SAME"),
        "negative": lambda: mp(x, [1, 9, 1, 1, 1], 1, "VALID"),
        "stride_0": lambda: ap(x, 1, [1, 0, 1, 1, 1], "VALID"),
        "ksize_long": lambda: mp(x, [1] * 6, 1, "VALID"),
    }
    out = {k: _err(f) for k, f in cases.items()}
    p = tf.placeholder(tf.float32, [2, 5, 6, 7, 3])
    v = np.ones([2, 5, 6, 7, 3], np.float32)
    runtime = {
        "ksize_0": mp(p, [1, 0, 1, 1, 1], 1, "VALID"),
        "pool_depth": mp(p, [1, 1, 1, 1, 2], [1, 1, 1, 1, 2], "SAME"),
        "pool_batch": ap(p, [2, 1, 1, 1, 1], 1, "SAME"),
    }
    out.update({k: _run_err(tf, t, {p: v}) for k, t in runtime.items()})
    out["static"] = {
        "unknown": _shape(mp(tf.placeholder(tf.float32, [None, 6, None, 7, 3]), 2, 2, "VALID")),
        "unknown_rank": _shape(ap(tf.placeholder(tf.float32), 2, 2, "VALID")),
        "ksize_0": _shape(mp(x, [1, 0, 1, 1, 1], 1, "VALID")),
        "double_avg": _shape(ap(tf.ones([1, 2, 2, 2, 1], tf.float64), 2, 2, "SAME")),
        "none_windows": _shape(ap(x, None, None, "VALID")),
    }
    return out


def scenario_max_pool2d_second_order(tf):
    x = tf.placeholder(tf.float32, [1, 4, 5, 2])
    xc = tf.placeholder(tf.float32, [1, 2, 4, 5])
    out = {}
    for k, (src, fmt) in {"nhwc": (x, "NHWC"), "nchw_graph": (xc, "NCHW")}.items():
        y = tf.nn.max_pool(src, [1, 2, 3, 1] if fmt == "NHWC" else [1, 1, 2, 3],
                           [1, 2, 2, 1] if fmt == "NHWC" else [1, 1, 2, 2], "SAME",
                           data_format=fmt)
        dy = tf.placeholder_with_default(tf.constant(_rand(_shape(y), 90)), _shape(y))
        g = tf.gradients(y, src, grad_ys=dy)[0]
        gg = tf.gradients(g, dy, grad_ys=tf.constant(_rand(_shape(src), 91)))[0]
        g3 = tf.gradients(gg, gg.op.inputs[2], grad_ys=tf.constant(_rand(_shape(gg), 92)))[0]
        out[k + "_ops"] = [g.op.type, gg.op.type, g3.op.type, _shape(gg),
                           [i.name for i in gg.op.inputs[:2]]]
        if fmt == "NHWC":  # (TF's CPU MaxPool kernels do not run NCHW)
            ties = np.zeros([1, 4, 5, 2], np.float32)
            ties[0, 1, 1, 0] = 1.0
            with tf.Session() as s:
                for name, v in (("random", _rand([1, 4, 5, 2], 93)), ("ties", ties)):
                    r = s.run([g, gg, g3], {x: v})
                    out[name] = [_r(np.ravel(a)) for a in r]
    e = tf.nn.max_pool(x, 2, 2, [[0, 0], [1, 0], [0, 1], [0, 0]])
    ge = tf.gradients(e, x)[0]
    out["explicit_second_order"] = _err(lambda: tf.gradients(ge, x))
    return out


# -- 1-D / N-D transposes and the v2 pool aliases ---------------------------------------------------
def _graph_ops(tf, types):
    return sorted([o.name, o.type] for o in tf.get_default_graph().get_operations()
                  if o.type in types)


def scenario_conv1d_and_conv_transpose(tf):
    xv, wv = _rand([2, 5, 3], 40), _rand([3, 4, 3], 41)
    x = tf.placeholder(tf.float32, [2, 5, 3], name="x")
    w = tf.placeholder(tf.float32, [3, 4, 3], name="w")
    x2 = tf.placeholder(tf.float32, [2, 4, 5, 3], name="x2")
    w2 = tf.placeholder(tf.float32, [3, 3, 2, 3], name="w2")
    x3 = tf.placeholder(tf.float32, [1, 2, 3, 4, 3], name="x3")
    w3 = tf.placeholder(tf.float32, [2, 2, 2, 2, 3], name="w3")
    cases = {
        "c1t": tf.nn.conv1d_transpose(x, w, [2, 10, 4], 2),
        "c1t_valid": tf.nn.conv1d_transpose(x, w, [2, 11, 4], [1, 2, 1], "VALID", name="up"),
        "c1t_ncw": tf.nn.conv1d_transpose(tf.transpose(x, [0, 2, 1]), w, [2, 4, 5], 1,
                                          data_format="NCW"),
        "c1t_tensor": tf.nn.conv1d_transpose(x, w, tf.constant([2, 10, 4]), 2),
        "c1t_dilated": tf.nn.conv1d_transpose(x, w, [2, 5, 4], 1, dilations=2),
        "ct1": tf.nn.conv_transpose(x, w, [2, 10, 4], 2),
        "ct2": tf.nn.conv_transpose(x2, w2, [2, 8, 10, 2], 2, name="q"),
        "ct3": tf.nn.conv_transpose(x3, w3, [1, 4, 6, 8, 2], [2, 2, 2]),
        "ct3_tensor": tf.nn.conv_transpose(x3, w3, tf.constant([1, 4, 6, 8, 2]), 2,
                                           padding="VALID"),
    }
    feed = {x: xv, w: wv, x2: _rand([2, 4, 5, 3], 42), w2: _rand([3, 3, 2, 3], 43),
            x3: _rand([1, 2, 3, 4, 3], 44), w3: _rand([2, 2, 2, 2, 3], 45)}
    fetch = dict(cases)
    fetch["d_c1t"] = _grads(tf, cases["c1t"], [x, w], 46)
    fetch["d_ct3"] = _grads(tf, cases["ct3"], [x3, w3], 47)
    with tf.Session() as s:
        vals = s.run(fetch, feed)
    out = {k: [_r(np.sum(v)), _r(np.ravel(v)[:8])] for k, v in vals.items()
           if not k.startswith("d_")}
    out.update({k: [_r(np.ravel(g)[:6]) for g in v] for k, v in vals.items()
                if k.startswith("d_")})
    out["static"] = {k: [v.name, v.op.type, _shape(v)] for k, v in cases.items()}
    out["ops"] = _graph_ops(tf, ("Conv2DBackpropInput", "Conv3DBackpropInputV2", "ExpandDims",
                                 "Squeeze", "ConcatV2"))
    out["placeholder_shape"] = _shape(tf.nn.conv1d_transpose(
        x, w, tf.placeholder(tf.int32, [3]), 2))
    c1, ct = tf.nn.conv1d_transpose, tf.nn.conv_transpose
    out["errors"] = {
        "c1t_format": _err(lambda: c1(x, w, [2, 10, 4], 2, data_format="NHWC")),
        "c1t_strides": _err(lambda: c1(x, w, [2, 10, 4], [1, 2])),
        "ct_len2": _err(lambda: ct(x, w, [2, 10], 2)),
        "ct_len6": _err(lambda: ct(x, w, [2, 10, 1, 1, 1, 1], 2)),
        "ct_int": _err(lambda: ct(x, w, 5, 2)),
    }
    return out


def scenario_atrous_conv2d_transpose(tf):
    xv, wv = _rand([2, 5, 6, 3], 50), _rand([3, 3, 4, 3], 51)
    x = tf.placeholder(tf.float32, [2, 5, 6, 3])
    w = tf.placeholder(tf.float32, [3, 3, 4, 3])
    act = tf.nn.atrous_conv2d_transpose
    cases = {
        "same2": act(x, w, [2, 5, 6, 4], 2, "SAME"),
        "valid2": act(x, w, [2, 9, 10, 4], 2, "VALID"),
        "same3": act(x, w, (2, 5, 6, 4), 3, "SAME", name="a3"),
        "rate1": act(x, w, [2, 5, 6, 4], 1, "SAME"),
        "tensor_shape": act(x, w, tf.constant([2, 5, 6, 4]), 2, "SAME"),
    }
    fetch = dict(cases)
    fetch["d_same2"] = _grads(tf, cases["same2"], [x, w], 52)
    fetch["d_valid2"] = _grads(tf, cases["valid2"], [x, w], 53)
    with tf.Session() as s:
        vals = s.run(fetch, {x: xv, w: wv})
    out = {k: [_r(np.sum(v)), _r(np.ravel(v)[:8])] for k, v in vals.items()
           if not k.startswith("d_")}
    out.update({k: [_r(np.ravel(g)[:6]) for g in v] for k, v in vals.items()
                if k.startswith("d_")})
    out["static"] = {k: [v.name, v.op.type, _shape(v)] for k, v in cases.items()}
    out["ops"] = _graph_ops(tf, ("SpaceToBatchND", "BatchToSpaceND", "Conv2DBackpropInput"))
    out["errors"] = {
        "rate0": _err(lambda: act(x, w, [2, 5, 6, 4], 0, "SAME")),
        "channels": _err(lambda: act(x, tf.ones([3, 3, 4, 2]), [2, 5, 6, 4], 2, "SAME")),
        "out_len": _err(lambda: act(x, w, [2, 5, 6], 2, "SAME")),
        "out_channels": _err(lambda: act(x, w, [2, 5, 6, 5], 2, "SAME")),
        "padding": _err(lambda: act(x, w, [2, 5, 6, 4], 2, "FOO")),
    }
    return out


def scenario_pool_v2_aliases(tf):
    x1 = tf.placeholder(tf.float32, [2, 5, 3])
    x2 = tf.placeholder(tf.float32, [2, 5, 6, 3])
    x3 = tf.placeholder(tf.float32, [1, 4, 4, 5, 2])
    cases = {
        "max1": tf.nn.max_pool_v2(x1, 2, 2, "SAME"),
        "max2": tf.nn.max_pool_v2(x2, [2, 3], [1, 2], "VALID"),
        "max3": tf.nn.max_pool_v2(x3, 2, 2, "SAME"),
        "avg1": tf.nn.avg_pool_v2(x1, 3, 1, "VALID", name="a1"),
        "avg2": tf.nn.avg_pool_v2(x2, 2, 2, "SAME"),
        "avg3": tf.nn.avg_pool_v2(x3, [1, 2, 2, 2, 1], 1, "VALID", name="a3"),
        "max2_nchw": tf.nn.max_pool_v2(x2, 2, 2, "SAME", data_format="NCHW"),
    }
    feed = {x1: _rand([2, 5, 3], 60), x2: _rand([2, 5, 6, 3], 61), x3: _rand([1, 4, 4, 5, 2], 62)}
    with tf.Session() as s:
        vals = s.run({k: v for k, v in cases.items() if "nchw" not in k}, feed)
    out = {k: [_r(np.sum(v)), _r(np.ravel(v)[:8])] for k, v in vals.items()}
    out["static"] = {k: [v.name, v.op.type, _shape(v)] for k, v in cases.items()}
    out["ops"] = _graph_ops(tf, ("MaxPool", "AvgPool", "MaxPool3D", "AvgPool3D"))
    out["errors"] = {
        "rank2": _err(lambda: tf.nn.max_pool_v2(tf.ones([4, 2]), 2, 2, "SAME")),
        "rank6": _err(lambda: tf.nn.avg_pool_v2(tf.ones([1] * 6), 2, 2, "SAME")),
        "unknown": _err(lambda: tf.nn.max_pool_v2(tf.placeholder(tf.float32), 2, 2, "SAME")),
        "explicit3": _err(lambda: tf.nn.max_pool_v2(
            x3, 2, 2, [[0, 0], [1, 1], [1, 1], [1, 1], [0, 0]])),
        "ksize_len": _err(lambda: tf.nn.avg_pool_v2(x3, [2, 2], 2, "SAME")),
    }
    return out


def scenario_max_pool_explicit_padding(tf):
    xv = _rand([2, 5, 6, 3], 63)
    x = tf.placeholder(tf.float32, [2, 5, 6, 3])
    x1 = tf.placeholder(tf.float32, [2, 7, 3])
    cases = {
        "max_pool": tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], [[0, 0], [1, 1], [0, 1], [0, 0]]),
        "max_pool2d": tf.nn.max_pool2d(x, 2, 2, [[0, 0], [1, 0], [1, 1], [0, 0]]),
        "v2": tf.nn.max_pool_v2(x, 3, 1, [[0, 0], [2, 1], [1, 1], [0, 0]]),
        "v1d": tf.nn.max_pool1d(x1, 3, 2, [[0, 0], [2, 1], [0, 0]]),
        "v2_1d": tf.nn.max_pool_v2(x1, 2, 1, [[0, 0], [1, 0], [0, 0]]),
    }
    feed = {x: xv, x1: _rand([2, 7, 3], 64)}
    fetch = dict(cases)
    for i, (k, y) in enumerate(cases.items()):
        fetch["d_" + k] = _grads(tf, y, x1 if "1d" in k else x, 65 + i)[0]
    with tf.Session() as s:
        vals = s.run(fetch, feed)
    out = {k: [_r(np.sum(v)), _r(np.ravel(v)[:12])] for k, v in vals.items()}
    out["static"] = {k: [v.name, _shape(v)] for k, v in cases.items()}
    pools = [o for o in tf.get_default_graph().get_operations() if o.type == "MaxPool"]
    out["attrs"] = [[o.name, _text(o.get_attr("padding")), o.get_attr("explicit_paddings")]
                    for o in pools]
    grads = [o for o in tf.get_default_graph().get_operations() if o.type == "MaxPoolGrad"]
    out["grad_attrs"] = [o.get_attr("explicit_paddings") for o in grads]
    mp = tf.nn.max_pool
    out["errors"] = {
        "negative": _err(lambda: mp(x, 2, 2, [[0, 0], [-1, 0], [0, 0], [0, 0]])),
        "batch": _err(lambda: mp(x, 2, 2, [[1, 0], [0, 0], [0, 0], [0, 0]])),
        "depth": _err(lambda: mp(x, 2, 2, [[0, 0], [0, 0], [0, 0], [0, 1]])),
        "len3": _err(lambda: mp(x, 2, 2, [[0, 0], [0, 0], [0, 0]])),
        "flat": _err(lambda: mp(x, 2, 2, [0, 0, 1, 1, 1, 1, 0, 0])),
        "pair3": _err(lambda: mp(x, 2, 2, [[0, 0], [1, 1, 1], [0, 0], [0, 0]])),
        "EXPLICIT": _err(lambda: mp(x, 2, 2, "EXPLICIT")),
        "avg_list": _err(lambda: tf.nn.avg_pool(x, 2, 2, [[0, 0], [1, 1], [0, 1], [0, 0]])),
        "1d_len4": _err(lambda: tf.nn.max_pool1d(x1, 2, 2, [[0, 0], [1, 1], [0, 0], [0, 0]])),
        "negative_size": _err(lambda: mp(tf.ones([1, 1, 1, 1]), 3, 1, [[0, 0], [1, 0], [0, 0],
                                                                        [0, 0]])),
    }
    big = mp(x, 2, 2, [[0, 0], [3, 0], [0, 0], [0, 0]])
    out["big_static"] = _shape(big)
    out["big_run"] = _run_err(tf, big, {x: xv})
    out["right_run"] = _run_err(tf, mp(x, 2, 2, [[0, 0], [0, 0], [0, 2], [0, 0]]), {x: xv})
    return out


# -- max_pool_with_argmax ----------------------------------------------------------------------------
def scenario_max_pool_with_argmax(tf):
    xv = _rand([2, 5, 6, 3], 70)
    x = tf.placeholder(tf.float32, [2, 5, 6, 3])
    mpa = tf.nn.max_pool_with_argmax
    cases = {
        "same": mpa(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME"),
        "valid_batch": mpa(x, [1, 3, 2, 1], [1, 2, 1, 1], "VALID", include_batch_in_index=True),
        "overlap": mpa(x, [1, 3, 3, 1], [1, 1, 2, 1], "SAME", Targmax=tf.int64, name="mp"),
        "int32": mpa(x, [1, 3, 3, 1], [1, 1, 2, 1], "SAME", Targmax=tf.int32),
        "out_dtype": mpa(x, (1, 2, 3, 1), (1, 1, 2, 1), "SAME", output_dtype=tf.int32,
                         include_batch_in_index=True),
        "channel_stride": mpa(x, [1, 2, 2, 1], [1, 2, 2, 2], "VALID"),
    }
    fetch = {k: list(v) for k, v in cases.items()}
    for i, k in enumerate(("same", "valid_batch", "overlap")):
        fetch["d_" + k] = _grads(tf, cases[k][0], x, 71 + i)[0]
    with tf.Session() as s:
        vals = s.run(fetch, {x: xv})
    out = {k: [_r(np.ravel(v[0])[:10]), _r(np.ravel(v[1])[:16]), list(v[1].shape)]
           for k, v in vals.items() if not k.startswith("d_")}
    out.update({k: [_r(np.sum(v)), _r(np.ravel(v)[:16])] for k, v in vals.items()
                if k.startswith("d_")})
    out["static"] = {k: [[t.name, _shape(t), t.dtype.name] for t in v] for k, v in cases.items()}
    r = cases["same"]
    out["result_type"] = [type(r).__name__, list(r._fields), r.output.name, r.argmax.name]
    g = fetch["d_same"]
    out["grad_op"] = [g.op.type, [i.name for i in g.op.inputs],
                      g.op.get_attr("include_batch_in_index")]
    # the argmax output alone: the gradient of the max output is zeros
    out["d_argmax_op"] = tf.gradients(cases["same"][1], x)[0].op.type

    try:
        tf.gradients(tf.gradients(cases["same"][0], x)[0], x)
        out["second_order"] = None
    except LookupError as e:
        out["second_order"] = str(e).split(".")[0]
    special = tf.placeholder(tf.float32, [1, 2, 2, 1])
    sp = mpa(special, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    with tf.Session() as s:
        for k, v in (("ties", [0, 0, 0, 0]), ("ninf", [-np.inf] * 4), ("nan_first",
                     [np.nan, 1, 3, np.nan]), ("nan_later", [1, np.nan, 3, 2]),
                     ("later_max", [1, 4, 3, 4])):
            r = s.run(list(sp), {special: np.array(v, np.float32).reshape(1, 2, 2, 1)})
            val = float(r[0].ravel()[0])
            out["special_" + k] = [None if np.isnan(val) else str(val) if np.isinf(val)
                                   else val, int(r[1].ravel()[0])]
    # TF's CPU kernel of the gradient takes int64 indices only (last: in TF, a node without
    # a kernel fails every later run of the graph)
    try:
        with tf.Session() as s:
            s.run(tf.gradients(cases["int32"][0], x)[0], {x: xv})
        out["int32_grad"] = None
    except tf.errors.OpError as e:
        line = next(v for v in e.message.split("\n") if v.startswith("No OpKernel"))
        out["int32_grad"] = [type(e).__name__, line.split(" with these attrs")[0]]
    return out


def scenario_max_pool_with_argmax_errors(tf):
    x = tf.ones([2, 5, 6, 3])
    mpa = tf.nn.max_pool_with_argmax
    cases = {
        "ksize_int": lambda: mpa(x, 2, 2, "SAME"),
        "nchw": lambda: mpa(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME", data_format="NCHW"),
        "both": lambda: mpa(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME", Targmax=tf.int32,
                            output_dtype=tf.int64),
        "targmax": lambda: mpa(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME", Targmax=tf.float32),
        "rank": lambda: mpa(tf.ones([5, 6, 3]), [1, 2, 2, 1], [1, 2, 2, 1], "SAME"),
        "ksize_0": lambda: mpa(x, [1, 0, 2, 1], [1, 2, 2, 1], "SAME"),
        "ksize_len3": lambda: mpa(x, [1, 2, 2], [1, 2, 2, 1], "SAME"),
        "ksize_len5": lambda: mpa(x, [1, 2, 2, 1, 1], [1, 2, 2, 1], "SAME"),
        "padding": lambda: mpa(x, [1, 2, 2, 1], [1, 2, 2, 1], "EXPLICIT"),
        "negative": lambda: mpa(x, [1, 7, 2, 1], [1, 2, 2, 1], "VALID"),
        "bool": lambda: mpa(tf.cast(x, tf.bool), [1, 2, 2, 1], [1, 2, 2, 1], "SAME"),
    }
    out = {k: _err(f) for k, f in cases.items()}
    p = tf.placeholder(tf.float32, [2, 5, 6, 3])
    v = np.ones([2, 5, 6, 3], np.float32)
    out["depth_and_space"] = _run_err(tf, mpa(p, [1, 2, 2, 2], [1, 2, 2, 1], "SAME")[0], {p: v})
    out["batch"] = _run_err(tf, mpa(p, [2, 2, 2, 1], [1, 2, 2, 1], "SAME")[0], {p: v})
    out["static"] = {
        "unknown": [_shape(t) for t in mpa(tf.placeholder(tf.float32, [None, 5, None, 4]),
                                           [1, 2, 2, 1], [1, 2, 2, 1], "VALID")],
        "depth_window": [_shape(t) for t in mpa(tf.ones([2, 5, 6, 4]), [1, 1, 1, 2],
                                                [1, 1, 1, 2], "VALID")],
        "int8": [t.dtype.name for t in mpa(tf.ones([2, 5, 6, 4], tf.int8), [1, 2, 2, 1],
                                            [1, 2, 2, 1], "VALID")],
    }
    return out


# -- dilation2d / erosion2d ---------------------------------------------------------------------------
def scenario_dilation_erosion(tf):
    xv, fv = _rand([2, 6, 7, 3], 80), _rand([2, 3, 3], 81)
    x = tf.placeholder(tf.float32, [2, 6, 7, 3])
    f = tf.placeholder(tf.float32, [2, 3, 3])
    cases = {
        "same": tf.nn.dilation2d(x, f, [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
        "valid_strided": tf.nn.dilation2d(x, f, [1, 2, 1, 1], [1, 1, 2, 1], "VALID"),
        "rates": tf.nn.dilation2d(x, filters=f, strides=[1, 1, 2, 1], dilations=[1, 2, 2, 1],
                                  padding="SAME", name="d"),
        "erosion": tf.nn.erosion2d(x, f, [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
        "erosion_valid": tf.nn.erosion2d(x, f, [1, 2, 2, 1], [1, 2, 1, 1], "VALID", name="e"),
    }
    fetch = dict(cases)
    for i, (k, y) in enumerate(cases.items()):
        fetch["d_" + k] = _grads(tf, y, [x, f], 82 + i)
    with tf.Session() as s:
        vals = s.run(fetch, {x: xv, f: fv})
    out = {k: [_r(np.sum(v)), _r(np.ravel(v)[:10])] for k, v in vals.items()
           if not k.startswith("d_")}
    out.update({k: [[_r(np.sum(g)), _r(np.ravel(g)[:10])] for g in v] for k, v in vals.items()
                if k.startswith("d_")})
    out["static"] = {k: [v.name, v.op.type, _shape(v)] for k, v in cases.items()}
    out["grad_ops"] = [g.op.type for g in fetch["d_same"]]
    out["erosion_ops"] = sorted([o.name, o.type] for o in tf.get_default_graph().get_operations()
                                if o.name.startswith("erosion2d") and o.type != "Const")
    xi = tf.placeholder(tf.int32, [1, 3, 3, 1])
    fi = tf.constant(np.array([[[1], [2]], [[0], [-1]]], np.int32))
    di = tf.nn.dilation2d(xi, fi, [1, 1, 1, 1], [1, 1, 1, 1], "SAME")
    special = tf.placeholder(tf.float32, [1, 2, 2, 1])
    ds = tf.nn.dilation2d(special, tf.zeros([2, 2, 1]), [1, 1, 1, 1], [1, 1, 1, 1], "VALID")
    dss = tf.nn.dilation2d(special, tf.ones([3, 3, 1]), [1, 1, 1, 1], [1, 1, 1, 1], "SAME")
    gsp = tf.gradients(ds, special)[0]
    gss = tf.gradients(dss, special)[0]
    with tf.Session() as s:
        out["int"] = _r(s.run(di, {xi: np.arange(9).reshape(1, 3, 3, 1)}))
        for k, v in (("ties", [0, 0, 0, 0]), ("nan", [np.nan, 1, 3, np.nan]),
                     ("ninf", [-np.inf] * 4), ("pad_same", [-100.0] * 4)):
            r = s.run([ds, gsp, dss, gss], {special: np.array(v, np.float32).reshape(1, 2, 2,
                                                                                     1)})
            out["special_" + k] = [_r(np.ravel(a)) for a in r]
    try:
        tf.gradients(fetch["d_same"][0], x)
        out["second_order"] = None
    except LookupError as e:
        out["second_order"] = str(e).split(".")[0]
    return out


def scenario_dilation_errors(tf):
    x = tf.ones([2, 6, 7, 3])
    f = tf.ones([2, 3, 3])
    d = tf.nn.dilation2d
    cases = {
        "both_filters": lambda: d(x, f, [1] * 4, [1] * 4, "SAME", filters=f),
        "both_rates": lambda: d(x, f, [1] * 4, [1] * 4, "SAME", dilations=[1] * 4),
        "strides_short": lambda: d(x, f, [1, 1], [1] * 4, "SAME"),
        "strides_int": lambda: d(x, f, 1, [1] * 4, "SAME"),
        "channels": lambda: d(x, tf.ones([2, 3, 2]), [1] * 4, [1] * 4, "SAME"),
        "filter_rank": lambda: d(x, tf.ones([3, 3]), [1] * 4, [1] * 4, "SAME"),
        "input_rank": lambda: d(tf.ones([6, 7, 3]), f, [1] * 4, [1] * 4, "SAME"),
        "negative": lambda: d(x, tf.ones([9, 3, 3]), [1] * 4, [1] * 4, "VALID"),
        "explicit": lambda: d(x, f, [1] * 4, [1] * 4, "EXPLICIT"),
        "stride_0": lambda: d(x, f, [1, 0, 1, 1], [1] * 4, "SAME"),
        "bool": lambda: d(tf.cast(x, tf.bool), tf.cast(f, tf.bool), [1] * 4, [1] * 4, "SAME"),
        "strides_long": lambda: d(x, f, [1] * 5, [1] * 4, "SAME"),
    }
    out = {k: _err(fn) for k, fn in cases.items()}
    p = tf.placeholder(tf.float32, [2, 6, 7, 3])
    v = np.ones([2, 6, 7, 3], np.float32)
    out["batch_stride"] = _run_err(tf, d(p, f, [2, 1, 1, 1], [1] * 4, "SAME"), {p: v})
    out["channel_rate"] = _run_err(tf, d(p, f, [1] * 4, [1, 1, 1, 2], "SAME"), {p: v})
    out["static"] = {
        "zero_rows": _shape(d(x, tf.ones([7, 3, 3]), [1] * 4, [1] * 4, "VALID")),
        "zero_strided": _shape(d(x, tf.ones([9, 3, 3]), [1, 2, 1, 1], [1] * 4, "VALID")),
        "unknown": _shape(d(tf.placeholder(tf.float32, [None, 6, None, 3]), f, [1] * 4,
                            [1] * 4, "VALID")),
        "unknown_rank": _shape(d(tf.placeholder(tf.float32), f, [1] * 4, [1] * 4, "VALID")),
        "rate_0": _shape(d(x, f, [1] * 4, [1, 0, 1, 1], "SAME")),
    }
    return out


# -- tf.layers ------------------------------------------------------------------------------------
def _fixed(shape, k):
    n = int(np.prod(shape)) if shape else 1
    return (0.5 * np.sin(np.arange(n) * 0.37 + k)).reshape(shape).astype(np.float32)


def _set_weights(tf, sess):
    sess.run(tf.global_variables_initializer())
    for k, v in enumerate(tf.global_variables()):
        sess.run(v.assign(_fixed(v.shape.as_list(), k)))


def _out(t):
    return [t.name, _shape(t)]


def _vars(tf, key=None):
    vs = tf.global_variables() if key is None else tf.get_collection(key)
    return [[v.name, v.shape.as_list()] for v in vs]


def scenario_layers_conv3d(tf):
    x = tf.placeholder(tf.float32, [None, 4, 5, 6, 2], name="x")
    xc = tf.placeholder(tf.float32, [None, 2, 4, 5, 6], name="xc")
    layer = tf.layers.Conv3D(3, 2, padding="same", activation=tf.nn.relu)
    outs = [
        layer(x), layer(x),
        tf.layers.conv3d(x, 2, (2, 3, 2), strides=(1, 2, 2), name="strided"),
        tf.layers.conv3d(x, 2, 3, dilation_rate=(2, 1, 2), padding="same", use_bias=False),
        tf.layers.conv3d(x, 4, 1, kernel_initializer=tf.ones_initializer(),
                         bias_initializer=tf.constant_initializer(0.5)),
        tf.layers.conv3d(xc, 3, 2, data_format="channels_first", name="cf"),
        tf.layers.conv3d(x, 2, 2, name="shared"),
        tf.layers.conv3d(x, 2, 2, name="shared", reuse=True),
    ]
    # TF builds a dilated convolution around SpaceToBatchND (its output is
    # .../BatchToSpaceND), varstore one Conv3D with dilations: only its shape is compared
    res = {"outs": [_out(t) if i != 3 else _shape(t) for i, t in enumerate(outs)],
           "vars": _vars(tf),
           "trainable": _vars(tf, tf.GraphKeys.TRAINABLE_VARIABLES), "scope": layer.scope_name,
           "ops": sorted([o.name, o.type] for o in tf.get_default_graph().get_operations()
                         if o.type in ("Conv3D", "BiasAdd", "Relu"))}
    feed = {x: _fixed([2, 4, 5, 6, 2], 1), xc: np.transpose(_fixed([2, 4, 5, 6, 2], 1),
                                                            (0, 4, 1, 2, 3))}
    with tf.Session() as sess:
        _set_weights(tf, sess)
        r = sess.run(outs, feed)
        g = sess.run(tf.gradients(tf.reduce_sum(outs[2] * outs[2]) + tf.reduce_sum(outs[0]),
                                  [x, layer.kernel, tf.global_variables()[2]]), feed)
    res["values"] = [[_r(np.sum(a)), _r(np.ravel(a)[:8])] for a in r]
    res["grads"] = [None if a is None else _r(np.ravel(a)[:8]) for a in g]
    return res


def scenario_layers_conv3d_transpose(tf):
    x = tf.placeholder(tf.float32, [None, 2, 3, 4, 3], name="x")
    xs = tf.placeholder(tf.float32, [2, 3, 2, 2, 2], name="xs")
    outs = [
        tf.layers.conv3d_transpose(x, 4, 2, strides=2, padding="same"),
        tf.layers.conv3d_transpose(x, 2, (2, 3, 2), strides=(1, 2, 3), padding="valid"),
        tf.layers.conv3d_transpose(xs, 3, 3, use_bias=False, activation=tf.nn.relu,
                                   name="up"),
        tf.layers.conv3d_transpose(xs, 2, 1),
        tf.layers.conv3d_transpose(tf.transpose(xs, [0, 4, 1, 2, 3]), 2, 2, strides=2,
                                   data_format="channels_first"),
    ]
    layer = tf.layers.Conv3DTranspose(2, 2, strides=(2, 1, 1))
    outs.append(layer(x))
    res = {"outs": [_out(t) for t in outs], "vars": _vars(tf),
           "ops": sorted([o.name, o.type] for o in tf.get_default_graph().get_operations()
                         if o.name.startswith("conv3d_transpose/") and o.type != "Const"
                         and "/Initializer/" not in o.name)}
    with tf.Session() as sess:
        _set_weights(tf, sess)
        r = sess.run(outs, {x: _fixed([1, 2, 3, 4, 3], 2), xs: _fixed([2, 3, 2, 2, 2], 3)})
    res["values"] = [[_r(np.sum(a)), _r(np.ravel(a)[:8]), list(a.shape)] for a in r]
    return res


def scenario_layers_pooling3d(tf):
    x = tf.placeholder(tf.float32, [None, 4, 5, 6, 2], name="x")
    outs = [
        tf.layers.max_pooling3d(x, 2, 2),
        tf.layers.max_pooling3d(x, (2, 3, 2), (1, 2, 2), padding="same", name="mp"),
        tf.layers.average_pooling3d(x, 2, 1),
        tf.layers.average_pooling3d(x, 3, 2, padding="same"),
        tf.layers.MaxPooling3D(2, (2, 1, 3))(x),
        tf.layers.AveragePooling3D((1, 2, 2), 2, name="ap")(x),
        tf.layers.max_pooling3d(tf.transpose(x, [0, 4, 1, 2, 3]), 2, 2,
                                data_format="channels_first"),
        tf.layers.average_pooling3d(tf.transpose(x, [0, 4, 1, 2, 3]), 2, 1, padding="same",
                                    data_format="channels_first"),
    ]
    res = {"outs": [_out(t) for t in outs],
           "ops": sorted([o.name, o.type] for o in tf.get_default_graph().get_operations()
                         if o.type in ("MaxPool3D", "AvgPool3D", "Transpose"))}
    xv = _fixed([2, 4, 5, 6, 2], 4)
    with tf.Session() as sess:
        r = sess.run(outs, {x: xv})
        g = sess.run(tf.gradients(tf.reduce_sum(outs[1]) + tf.reduce_sum(outs[3] * outs[3]), x),
                     {x: xv})
    res["values"] = [[_r(np.sum(a)), _r(np.ravel(a)[:8])] for a in r]
    res["grad"] = _r(np.ravel(g[0])[:16])
    return res


def scenario_layers_separable_conv1d(tf):
    x = tf.placeholder(tf.float32, [None, 9, 3], name="x")
    layer = tf.layers.SeparableConv1D(4, 3, depth_multiplier=2, activation=tf.nn.relu)
    outs = [
        layer(x),
        tf.layers.separable_conv1d(x, 2, 3, padding="same", use_bias=False),
        tf.layers.separable_conv1d(x, 3, 2, strides=2, name="s2"),
        tf.layers.separable_conv1d(x, 2, 3, dilation_rate=2, padding="causal"),
        tf.layers.separable_conv1d(x, 2, 2, depthwise_initializer=tf.ones_initializer(),
                                   pointwise_initializer=tf.constant_initializer(0.25)),
        tf.layers.separable_conv1d(tf.transpose(x, [0, 2, 1]), 2, 3,
                                   data_format="channels_first"),
        layer(x),
    ]
    res = {"outs": [_out(t) for t in outs], "vars": _vars(tf),
           "ops": sorted([o.name, o.type] for o in tf.get_default_graph().get_operations()
                         if o.name.startswith("separable_conv1d/") and o.type != "Const"
                         and "/Initializer/" not in o.name)}
    with tf.Session() as sess:
        _set_weights(tf, sess)
        xv = _fixed([2, 9, 3], 5)
        r = sess.run(outs, {x: xv})
        g = sess.run(tf.gradients(tf.reduce_sum(outs[0] * outs[3][:, :7, :1]),
                                  [x, layer.depthwise_kernel, layer.pointwise_kernel]), {x: xv})
    res["values"] = [[_r(np.sum(a)), _r(np.ravel(a)[:8])] for a in r]
    res["grads"] = [_r(np.ravel(a)[:8]) for a in g]
    return res


def scenario_layers_errors(tf):
    p = tf.placeholder
    cases = {
        "conv3d_rank4": lambda: tf.layers.conv3d(tf.zeros([2, 3, 3, 3]), 2, 2),
        "conv3d_channels_none": lambda: tf.layers.conv3d(p(tf.float32, [None, 3, 3, 3, None]),
                                                         2, 2),
        "conv3d_filters": lambda: tf.layers.conv3d(tf.zeros([1, 3, 3, 3, 1]), 0, 2),
        "conv3d_kernel": lambda: tf.layers.conv3d(tf.zeros([1, 3, 3, 3, 1]), 2, (2, 2)),
        "conv3d_padding": lambda: tf.layers.conv3d(tf.zeros([1, 3, 3, 3, 1]), 2, 2,
                                                   padding="full"),
        "conv3d_causal": lambda: tf.layers.conv3d(tf.zeros([1, 3, 3, 3, 1]), 2, 2,
                                                  padding="causal"),
        "conv3d_strides0": lambda: tf.layers.Conv3D(2, 2, strides=(1, 0, 1)),
        "conv3d_dilation_strides": lambda: tf.layers.Conv3D(2, 2, strides=2, dilation_rate=2),
        "conv3d_data_format": lambda: tf.layers.Conv3D(2, 2, data_format="ndhwc"),
        "transpose_rank4": lambda: tf.layers.conv3d_transpose(tf.zeros([2, 3, 3, 3]), 2, 2),
        "transpose_channels_none": lambda: tf.layers.conv3d_transpose(
            p(tf.float32, [None, 3, 3, 3, None]), 2, 2),
        "pool_rank4": lambda: tf.layers.max_pooling3d(tf.zeros([2, 3, 3, 3]), 2, 2),
        "pool_strides_none": lambda: tf.layers.MaxPooling3D(2, None),
        "pool_size": lambda: tf.layers.average_pooling3d(tf.zeros([1, 3, 3, 3, 1]), (2, 2), 2),
        "pool_padding": lambda: tf.layers.average_pooling3d(tf.zeros([1, 3, 3, 3, 1]), 2, 2,
                                                            padding="full"),
        "sep_rank4": lambda: tf.layers.separable_conv1d(tf.zeros([2, 3, 3, 3]), 2, 2),
        "sep_channels_none": lambda: tf.layers.separable_conv1d(p(tf.float32, [None, 5, None]),
                                                                2, 2),
        "sep_kernel": lambda: tf.layers.SeparableConv1D(2, (2, 2)),
    }
    res = {k: _err(f) for k, f in cases.items()}
    c = tf.layers.Conv3D(2, 2)
    c(tf.zeros([1, 3, 3, 3, 2]))
    res["second_call_channels"] = _err(lambda: c(tf.zeros([1, 3, 3, 3, 4])))
    res["after"] = tf.layers.conv3d(tf.zeros([1, 3, 3, 3, 1]), 2, 2).name
    return res


# -- a small 3-D convnet, trained ----------------------------------------------------------------
def scenario_convnet3d_gradient_descent(tf):
    x = tf.placeholder(tf.float32, [None, 4, 6, 6, 2], name="x")
    y = tf.placeholder(tf.float32, [None, 3], name="y")
    h = tf.layers.conv3d(x, 4, 3, padding="same", activation=tf.nn.relu,
                         kernel_initializer=tf.constant_initializer(
                             _fixed([3, 3, 3, 2, 4], 1) * 0.6),
                         bias_initializer=tf.constant_initializer(0.1))
    h = tf.layers.max_pooling3d(h, 2, 2)
    h = tf.layers.conv3d(h, 3, (1, 2, 2), activation=tf.nn.tanh,
                         kernel_initializer=tf.constant_initializer(
                             _fixed([1, 2, 2, 4, 3], 2) * 1.5))
    h = tf.layers.average_pooling3d(h, (2, 2, 2), 1, padding="same")
    flat = tf.layers.flatten(h)
    logits = tf.layers.dense(flat, 3, kernel_initializer=tf.constant_initializer(
        _fixed([int(flat.shape[1]), 3], 3) * 4.0))
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    res = {"outs": [_out(t) for t in (h, flat, logits)],
           "vars": _vars(tf, tf.GraphKeys.TRAINABLE_VARIABLES)}
    xv = _fixed([3, 4, 6, 6, 2], 7) * 2.0
    yv = np.eye(3, dtype=np.float32)[[0, 2, 1]]
    feed = {x: xv, y: yv}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        losses = []
        for _ in range(6):
            lv, _ = sess.run([loss, train], feed)
            losses.append(_r(lv))
        losses.append(_r(sess.run(loss, feed)))
        res["losses"] = losses
        res["weights"] = [_r(np.ravel(sess.run(v))[:6]) for v in tf.trainable_variables()]
        res["logits"] = _r(sess.run(logits, feed))
    return res


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
