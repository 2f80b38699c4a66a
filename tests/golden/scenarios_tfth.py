"""Golden scenarios found by running TensorFlow's own convolution and pooling unit tests
(conv_ops, pooling_ops, pooling_ops_3d, conv2d_transpose, depthwise, atrous, conv_ops_3d, pool)
against varstore (``record_tf.py --set tfth``): SpaceToBatchND / BatchToSpaceND shape errors
and overflow checks; tf.raw_ops MaxPoolV2 and its gradients; the raw pooling ops' shape
functions; the pooling gradient kernels' checks and NaN routing; conv2d / convolution over
several batch dims; explicit paddings for the depthwise and separable convs; avg_pool's zero
window."""

import numpy as np
from golden_helpers import error, fixed, run_error, scenarios_of, values


# -- SpaceToBatchND / BatchToSpaceND -----------------------------------------------------------
def scenario_space_batch_shape_errors(tf):
    z = tf.zeros
    out = {
        "s2b_indivisible": error(lambda: tf.space_to_batch_nd(z([1, 3, 3, 1]), [2, 2],
                                                              [[0, 0], [0, 0]])),
        "b2s_indivisible": error(lambda: tf.batch_to_space_nd(z([3, 3, 3, 1]), [2, 2],
                                                              [[0, 0], [0, 0]])),
        "s2b_negative_pad": error(lambda: tf.space_to_batch_nd(z([1, 4, 4, 1]), [2, 2],
                                                               [[0, -2], [0, 0]])),
        "b2s_negative_crop": error(lambda: tf.batch_to_space_nd(z([4, 2, 2, 1]), [2, 2],
                                                                [[0, -1], [0, 0]])),
        "b2s_crop_too_big": error(lambda: tf.batch_to_space_nd(z([4, 1, 1, 1]), [2, 2],
                                                               [[0, 3], [0, 0]])),
        "s2b_block_zero": error(lambda: tf.space_to_batch_nd(z([1, 4, 4, 1]), [0, 2],
                                                             [[0, 0], [0, 0]])),
        # the rate overflows the batch dim in shape inference (TF's atrous_conv2d_test)
        "atrous_transpose_overflow": error(lambda: tf.nn.atrous_conv2d_transpose(
            value=np.ones((10, 1, 1, 1)), filters=np.ones((1, 1, 1, 1)), rate=1356819205,
            padding="SAME", output_shape=[1, 1, 1, 1])),
    }
    out["s2b_rank"] = error(lambda: tf.space_to_batch_nd(z([4, 4]), [2, 2], [[0, 0], [0, 0]]))
    out["s2b_pads_shape"] = error(lambda: tf.space_to_batch_nd(z([1, 4, 4, 1]), [2, 2],
                                                               [[0, 0, 0], [0, 0, 0]]))
    out["s2b_block_rank"] = error(lambda: tf.space_to_batch_nd(z([1, 4, 4, 1]), [[2, 2]],
                                                               [[0, 0], [0, 0]]))
    out["s2b_block_size"] = error(lambda: tf.space_to_batch_nd(
        z([1, 4, 4, 1]), tf.placeholder(tf.int32, [None]), [[0, 0], [0, 0]]))
    out["b2s_crops_shape"] = error(lambda: tf.batch_to_space_nd(z([4, 2, 2, 1]), [2, 2],
                                                                [[0, 0, 0], [0, 0, 0]]))
    ph = tf.placeholder(tf.float32, [2, None, 6, 3])
    blk = tf.placeholder(tf.int32, [2])
    pads = tf.placeholder(tf.int32, [2, 2])
    out["known_block_unknown_pads"] = str(tf.space_to_batch_nd(ph, [2, 3], pads).shape)
    out["unknown_block_known_pads"] = str(tf.space_to_batch_nd(ph, blk, [[0, 0], [0, 0]]).shape)
    out["b2s_known_block"] = str(tf.batch_to_space_nd(tf.zeros([12, 2, 2, 3]), [2, 3], pads).shape)
    out["s2b_partial"] = str(tf.space_to_batch_nd(ph, [2, 3], [[0, 1], [0, 0]]).shape)
    return out


def scenario_space_batch_run_overflow(tf):
    # the output's element count overflows int64 at run time, an InvalidArgumentError
    op = tf.nn.atrous_conv2d(value=np.ones((1, 1, 1, 5)), filters=np.ones((1, 1, 5, 1)),
                             rate=2147483647, padding="SAME")
    with tf.Session() as s:
        return {"shape": str(op.shape), "run": run_error(lambda: s.run(op))}




# -- pooling --------------------------------------------------------------------------------
def tf_const_4x4():
    return np.arange(16.0, dtype=np.float32).reshape(1, 4, 4, 1)


def scenario_max_pool_v2_raw(tf):
    """MaxPoolV2 (ksize / strides as inputs): static shapes, feeds, gradients and errors."""
    R = tf.raw_ops
    x = tf.constant(tf_const_4x4())
    ph = tf.placeholder(tf.int32, [4])
    out = {
        "const_shape": str(R.MaxPoolV2(input=x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1],
                                       padding="SAME").shape),
        "fed_shape": str(R.MaxPoolV2(input=x, ksize=ph, strides=[1, 2, 2, 1],
                                     padding="SAME").shape),
        "depth_shape": str(R.MaxPoolV2(input=tf.zeros([1, 3, 3, 4]), ksize=[1, 1, 1, 2],
                                       strides=[1, 1, 1, 2], padding="VALID").shape),
        "ksize3": error(lambda: R.MaxPoolV2(input=x, ksize=[1, 2, 2], strides=[1, 2, 2, 1],
                                            padding="SAME")),
        "ksize5_fed": error(lambda: R.MaxPoolV2(input=x, ksize=tf.placeholder(tf.int32, [5]),
                                                strides=[1, 2, 2, 1], padding="SAME")),
        "explicit": error(lambda: R.MaxPoolV2(input=x, ksize=[1, 2, 2, 1],
                                              strides=[1, 2, 2, 1], padding="EXPLICIT")),
        "rank3": error(lambda: R.MaxPoolV2(input=tf.ones([1, 4, 4]), ksize=[1, 2, 2, 1],
                                           strides=[1, 2, 2, 1], padding="SAME")),
    }
    y = R.MaxPoolV2(input=x, ksize=[1, 2, 2, 1], strides=[1, 1, 1, 1], padding="VALID",
                    name="mpv2")
    g = tf.gradients(y * y, x)[0]
    gg = tf.gradients(g * g, x)[0]
    out["grad_shapes"] = [str(g.shape), str(gg.shape)]
    out["grad_ops"] = sorted(op.type + ":" + op.name for op in tf.get_default_graph()
                             .get_operations() if "Pool" in op.type and "grad" in op.name)
    fed = R.MaxPoolV2(input=x, ksize=ph, strides=[1, 1, 1, 1], padding="VALID")
    gfed = R.MaxPoolGradV2(orig_input=x, orig_output=fed, grad=fed, ksize=ph,
                           strides=[1, 1, 1, 1], padding="VALID")
    out["grad_v2_shape"] = str(gfed.shape)
    out["gg_v2_fed_shape"] = str(R.MaxPoolGradGradV2(
        orig_input=x, orig_output=y, grad=x, ksize=ph, strides=[1, 1, 1, 1],
        padding="VALID").shape)
    out["gg_v2_bad"] = error(lambda: R.MaxPoolGradGradV2(
        orig_input=x, orig_output=x, grad=x, ksize=[1, 2, 2, 1], strides=[1, 1, 1, 1],
        padding="VALID"))
    with tf.Session() as s:
        out["values"] = [values(v) for v in s.run([y, g, gg])]
        out["fed"] = values(s.run(fed, {ph: [1, 2, 3, 1]}))
        out["fed_grad"] = values(s.run(gfed, {ph: [1, 3, 2, 1]}))
        out["fed_empty"] = list(s.run(fed, {ph: [1, 5, 3, 1]}).shape)
        out["fed_batch"] = run_error(lambda: s.run(fed, {ph: [2, 2, 3, 1]}))
    return out


def scenario_pool_raw_shape_checks(tf):
    """tf.raw_ops MaxPool / AvgPool / MaxPoolWithArgmax run TF's shape functions."""
    R = tf.raw_ops
    x = tf.ones([1, 3, 3, 1])
    return {
        "neg_pad": error(lambda: R.MaxPool(input=x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1],
                                           padding="EXPLICIT",
                                           explicit_paddings=[0, 0, -1, -1, -1, -1, 0, 0])),
        "batch_pad": error(lambda: R.MaxPool(input=x, ksize=[1, 2, 2, 1],
                                             strides=[1, 2, 2, 1], padding="EXPLICIT",
                                             explicit_paddings=[1, 1, 1, 1, 1, 1, 0, 0])),
        "rank": error(lambda: R.MaxPool(input=tf.ones([1, 3, 3]), ksize=[1, 2, 2, 1],
                                        strides=[1, 2, 2, 1], padding="VALID")),
        "max_neg_dim": error(lambda: R.MaxPool(input=x, ksize=[1, 4, 2, 1],
                                               strides=[1, 2, 2, 1], padding="VALID")),
        "avg_neg_dim": error(lambda: R.AvgPool(value=x, ksize=[1, 4, 2, 1],
                                               strides=[1, 2, 2, 1], padding="VALID")),
        "max_depth": str(R.MaxPool(input=tf.ones([1, 3, 3, 4]), ksize=[1, 1, 1, 2],
                                   strides=[1, 1, 1, 2], padding="VALID").shape),
        "avg_depth": str(R.AvgPool(value=tf.ones([1, 3, 3, 4]), ksize=[1, 1, 1, 2],
                                   strides=[1, 1, 1, 2], padding="VALID").shape),
        "ksize_int32": error(lambda: R.AvgPool(value=np.ones([1, 1, 1, 1]),
                                               ksize=[1, 9223372036854775807, 1, 1],
                                               strides=[1, 1, 1, 1], padding="SAME")),
        "strides_int32": error(lambda: R.MaxPool(input=np.ones([1, 1, 1, 1]),
                                                 ksize=[1, 1, 1, 1],
                                                 strides=[1, -2**31 - 1, 1, 1],
                                                 padding="SAME")),
        "nn_ksize_int32": error(lambda: tf.nn.avg_pool(np.ones([1, 1, 1, 1]),
                                                       ksize=[1, 2**31, 1, 1],
                                                       strides=[1, 1, 1, 1], padding="SAME")),
        "argmax_ksize": error(lambda: R.MaxPoolWithArgmax(
            input=[[[[1, 1, 1]]]], ksize=[1, -2**31, 4, 1], strides=[1, 1000, 1, 7],
            padding="SAME")),
        "argmax_shape": [str(t.shape) for t in R.MaxPoolWithArgmax(
            input=tf.ones([2, 5, 5, 3]), ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1],
            padding="SAME")],
        "vect_c_explicit": error(lambda: tf.nn.max_pool(
            tf.placeholder(tf.float32, [1, 3, 3, 1]), ksize=[1, 2, 2, 1],
            strides=[1, 2, 2, 1], padding=[[0, 0], [0, 1], [0, 1], [0, 0]],
            data_format="NCHW_VECT_C")),
    }


def scenario_pool_grad_kernel_checks(tf):
    """AvgPoolGrad's shape function and TF 2.21's CPU kernel checks; MaxPoolGrad's input
    shape checks; MaxPoolGradGrad's shape merges."""
    R = tf.raw_ops
    o = tf.ones((1, 1, 1, 1))
    out = {
        "avg_neg_shape": error(lambda: R.AvgPoolGrad(
            orig_input_shape=tf.constant(-536870912, shape=[4]), grad=np.ones([1, 5, 7, 1]),
            ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")),
        "avg_rank3_shape": error(lambda: R.AvgPoolGrad(
            orig_input_shape=tf.constant([1, 2, 3]), grad=np.ones([1, 5, 7, 1]),
            ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")),
        "avg_unknown_dim": str(R.AvgPoolGrad(
            orig_input_shape=tf.constant([1, -1, 3, 3]), grad=np.ones([1, 5, 7, 1]),
            ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID").shape),
        "avg_fed_shape": str(R.AvgPoolGrad(
            orig_input_shape=tf.placeholder(tf.int32, [4]), grad=np.ones([1, 2, 2, 1]),
            ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID").shape),
        "gg_out": error(lambda: R.MaxPoolGradGrad(
            orig_input=o, orig_output=tf.ones((1, 1, 1, 2)), grad=o, ksize=[1, 1, 1, 1],
            strides=[1, 1, 1, 1], padding="VALID")),
        "gg_grad": error(lambda: R.MaxPoolGradGrad(
            orig_input=o, orig_output=o, grad=tf.ones((1, 1, 1, 2)), ksize=[1, 1, 1, 1],
            strides=[1, 1, 1, 1], padding="VALID")),
    }
    zero = R.AvgPoolGrad(orig_input_shape=[1, 2, 1, 1],
                         grad=np.full([1, 2, 0, 1], 0.1, np.float32), ksize=[1, 1, 2, 1],
                         strides=[1, 1, 1, 1], padding="VALID")
    oob = R.AvgPoolGrad(orig_input_shape=[1, 1, 3, 1],
                        grad=np.arange(9.0).reshape(3, 1, 3, 1).astype(np.float32),
                        ksize=[1, 1, 1, 1], strides=[1, 1, 1, 2], padding="VALID")
    stride = R.AvgPoolGrad(orig_input_shape=[11, 9, 78, 9], grad=np.ones([16, 16, 16, 16]),
                           ksize=[1, 40, 128, 1], strides=[1, 128, 128, 30], padding="SAME")
    bad_out = R.MaxPoolGrad(orig_input=o, orig_output=tf.ones((1, 1, 1, 2)), grad=o,
                            ksize=[1, 1, 1, 1], strides=[1, 1, 1, 1], padding="VALID")
    bad_grad = R.MaxPoolGrad(orig_input=o, orig_output=o, grad=tf.ones((1, 1, 1, 2)),
                             ksize=[1, 1, 1, 1], strides=[1, 1, 1, 1], padding="VALID")
    avg_batch = tf.nn.avg_pool(tf.ones([1, 2, 2, 1]), ksize=[1, 1, 1, 1],
                               strides=[2, 1, 1, 1], padding="SAME")
    with tf.Session() as s:
        out["avg_zero"] = values(s.run(zero))
        out["avg_oob"] = run_error(lambda: s.run(oob))
        out["avg_stride"] = run_error(lambda: s.run(stride))
        out["max_bad_out"] = run_error(lambda: s.run(bad_out))
        out["max_bad_grad"] = run_error(lambda: s.run(bad_grad))
        out["avg_batch"] = run_error(lambda: s.run(avg_batch))
    return out


def scenario_max_pool_grad_nan(tf):
    """MaxPoolGrad recomputes each window's argmax from the input: an all-NaN window sends
    its gradient to its first element (TF's CPU kernel)."""
    nan = float("nan")
    x = tf.constant(np.full([1, 4, 4, 1], nan, np.float32))
    y = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 1, 1, 1], "VALID")
    dy = tf.constant(np.array([nan, 12, 13, 15, nan, 17, 19, 20, nan],
                              np.float32).reshape(1, 3, 3, 1))
    g = tf.raw_ops.MaxPoolGrad(orig_input=x, orig_output=y, grad=dy, ksize=[1, 2, 2, 1],
                               strides=[1, 1, 1, 1], padding="VALID")
    mixed = tf.constant(np.array([1, nan, 3, 2, nan, nan, 5, 4, 0, 6, nan, 1, 2, 2, 2, 2],
                                 np.float32).reshape(1, 4, 4, 1))
    gm = tf.gradients(tf.nn.max_pool(mixed, [1, 3, 3, 1], [1, 1, 1, 1], "SAME"), mixed)[0]
    with tf.Session() as s:
        got, got_mixed = s.run([g, gm])
    return {"nan": [str(v) for v in got.ravel()], "mixed": values(got_mixed)}


# -- conv2d ---------------------------------------------------------------------------------
def scenario_conv2d_batch_dims_and_sizes(tf):
    """conv2d / convolution over several batch dims (squeeze_batch_dims), backprop input
    from spatial-only input_sizes, and a backprop input whose out_backprop is empty (the
    window is longer than the input by less than a stride)."""
    x = (np.arange(2 * 5 * 2 * 3 * 3, dtype=np.float32).reshape(2, 5, 2, 3, 3) % 7) * 0.25
    f = fixed([1, 2, 3, 2], 1)
    c = tf.nn.conv2d(x, f, strides=[1, 1], padding="SAME")
    ph = tf.placeholder(tf.float32, [None, 5, 2, 3, 3])
    c_ph = tf.nn.conv2d(ph, f, strides=[1, 1], padding="VALID", name="fed")
    conv = tf.nn.convolution(x, f, strides=[1, 1], padding="VALID")
    bp = tf.nn.conv2d_backprop_input([2, 2], fixed([2, 2, 1, 2], 2), fixed([1, 1, 1, 2], 3),
                                     [1, 1, 1, 1], "VALID")
    degenerate = tf.nn.conv2d_backprop_input([3, 1, 1, 2], fixed([1, 3, 2, 3], 4),
                                             tf.zeros([3, 1, 0, 3]), [1, 1, 2, 1], "VALID")
    out = {
        "shapes": [str(t.shape) for t in (c, c_ph, conv, bp, degenerate)],
        "ops": [o.type + ":" + o.name for o in tf.get_default_graph().get_operations()
                if o.name.startswith(("squeeze_batch_dims", "fed"))],
    }
    with tf.Session() as s:
        out["values"] = [values(v) for v in s.run([c, conv, bp, degenerate])]
        out["fed"] = values(s.run(c_ph, {ph: x}))
    return out


def scenario_conv_explicit_padding(tf):
    """Explicit [before, after] paddings: depthwise / separable convs and their gradients,
    conv2d's padding-list checks, and the backprops' run-time CheckValidPadding."""
    x = tf.constant(fixed([1, 4, 5, 2], 6))
    w = tf.constant(fixed([2, 3, 2, 2], 7))
    pw = tf.constant(fixed([1, 1, 4, 3], 8))
    pad = [[0, 0], [1, 2], [2, 1], [0, 0]]
    dw = tf.nn.depthwise_conv2d(x, w, strides=[1, 1, 1, 1], padding=pad)
    dwn = tf.nn.depthwise_conv2d_native(x, w, strides=[1, 2, 2, 1], padding=pad, name="dwn")
    uneven = tf.nn.depthwise_conv2d_native(x, w, strides=[1, 2, 1, 1], padding=pad)
    uneven_grads = tf.gradients(uneven, [x, w])
    sep = tf.nn.separable_conv2d(x, w, pw, strides=[1, 1, 1, 1], padding=pad)
    grads = tf.gradients(tf.reduce_sum(dwn * dwn) + tf.reduce_sum(sep), [x, w, pw])
    ones = tf.ones([1, 4, 4, 1])
    out = {
        "shapes": [str(t.shape) for t in (dw, dwn, sep)],
        "dwn_attrs": [dwn.op.get_attr("padding").decode() if isinstance(
            dwn.op.get_attr("padding"), bytes) else dwn.op.get_attr("padding"),
            list(dwn.op.get_attr("explicit_paddings"))],
        "grad_ops": sorted(op.type for op in tf.get_default_graph().get_operations()
                           if op.type.startswith("DepthwiseConv2dNativeBackprop")),
        "dw_neg": error(lambda: tf.nn.depthwise_conv2d_native(
            x, w, strides=[1, 1, 1, 1], padding=[[0, 0], [-1, 0], [0, 0], [0, 0]])),
        "dw_batch": error(lambda: tf.nn.depthwise_conv2d_native(
            x, w, strides=[1, 1, 1, 1], padding=[[1, 0], [0, 0], [0, 0], [0, 0]])),
        "conv_flat": error(lambda: tf.nn.conv2d(ones, tf.ones([2, 2, 1, 1]), [1, 1, 1, 1],
                                                padding=[0, 0, 0, 0])),
        "conv_single": error(lambda: tf.nn.conv2d(ones, tf.ones([2, 2, 1, 1]), [1, 1, 1, 1],
                                                  padding=[[0], [0], [0], [0]])),
        "conv_three": error(lambda: tf.nn.conv2d(ones, tf.ones([2, 2, 1, 1]), [1, 1, 1, 1],
                                                 padding=[[0, 0], [0, 0], [0, 0]])),
        "bpi_flat": error(lambda: tf.nn.conv2d_backprop_input(
            [1, 4, 4, 1], tf.ones([2, 2, 1, 1]), tf.ones([1, 3, 3, 1]), [1, 1, 1, 1],
            padding=[0, 0, 0, 0])),
    }
    bpi = tf.nn.conv2d_backprop_input([32, 20, 20, 3], np.ones([18, 18, 3, 2]),
                                      np.ones([32, 3, 2, 2]), strides=[1, 1, 1, 1],
                                      padding=[[0, 0], [-1, 0], [0, 0], [0, 0]])
    bpf = tf.nn.conv2d_backprop_filter(np.ones([32, 20, 20, 3]), [18, 18, 3, 2],
                                       np.ones([32, 3, 2, 2]), strides=[1, 1, 1, 1],
                                       padding=[[0, 0], [-1, 0], [0, 0], [0, 0]])
    out["bp_shapes"] = [str(bpi.shape), str(bpf.shape)]
    with tf.Session() as s:
        out["values"] = [values(v) for v in s.run([dw, dwn, sep])]
        out["grads"] = [values(v) for v in s.run(grads)]
        out["uneven"] = values(s.run(uneven))
        out["uneven_grad_x"] = run_error(lambda: s.run(uneven_grads[0]))
        out["uneven_grad_w"] = run_error(lambda: s.run(uneven_grads[1]))
        out["bpi_neg"] = run_error(lambda: s.run(bpi))
        out["bpf_neg"] = run_error(lambda: s.run(bpf))
    return out


def scenario_conv3d_batch_dims(tf):
    """nn.convolution with a 5-D filter over an input with two batch dims (TF's
    _conv3d_expanded_batch: squeeze_batch_dims around the Conv3D)."""
    x = tf.constant((np.arange(2 * 5 * 2 * 3 * 1 * 3, dtype=np.float32)
                     .reshape(2, 5, 2, 3, 1, 3) % 5) * 0.5)
    f = tf.constant(fixed([1, 2, 1, 3, 2], 9))
    c = tf.nn.convolution(x, f, strides=[1, 1, 1], padding="SAME")
    ops = [o.type + ":" + o.name for o in tf.get_default_graph().get_operations()
           if o.name.startswith("convolution/")]
    with tf.Session() as s:
        return {"shape": str(c.shape), "ops": ops, "value": values(s.run(c))}


def scenario_avg_pool_zero_window(tf):
    """avg_pool builds a node for a zero window (only max_pool refuses it in Python); its
    kernel refuses it when run."""
    out = {"max": error(lambda: tf.nn.max_pool(tf.ones([1, 4, 4, 1]), [1, 0, 2, 1], 1,
                                                "VALID"))}
    pools = [tf.nn.avg_pool(tf.ones([1, 4, 4, 1]), k, 1, "VALID")
             for k in ([1, 0, 2, 1], [1, 2, 0, 1])]
    out["shapes"] = [str(p.shape) for p in pools]
    with tf.Session() as s:
        out["run"] = [run_error(lambda p=p: s.run(p)) for p in pools]
    return out


def scenario_pool_data_format(tf):
    """The pools' data_format attr is checked against the op's allowed values (MaxPool also
    takes NCHW_VECT_C, whose input is rank 5)."""
    x = tf.ones([1, 6, 6, 2])
    return {
        "max": error(lambda: tf.nn.max_pool(x, 2, 2, "SAME", data_format="NHCW")),
        "max2d": error(lambda: tf.nn.max_pool2d(x, 2, 2, "SAME", data_format="NHCW")),
        "avg": error(lambda: tf.nn.avg_pool(x, 2, 2, "SAME", data_format="NHCW")),
        "avg_vect_c": error(lambda: tf.nn.avg_pool(x, 2, 2, "SAME", data_format="NCHW_VECT_C")),
        "max_vect_c_rank4": error(lambda: tf.nn.max_pool(x, 2, 2, "SAME",
                                                         data_format="NCHW_VECT_C")),
        "nchw": [str(tf.nn.max_pool(x, 2, 2, "SAME", data_format="NCHW").shape),
                 str(tf.nn.avg_pool(x, 2, 2, "VALID", data_format="NCHW").shape)],
    }


def scenario_depthwise_batch_stride(tf):
    """The depthwise kernels refuse strides over the batch or depth when they are built."""
    x = tf.ones([1, 5, 5, 2])
    w = tf.ones([2, 2, 2, 1])
    fwd = tf.nn.depthwise_conv2d_native(x, w, [2, 1, 1, 1], "SAME")
    bpi = tf.nn.depthwise_conv2d_native_backprop_input([1, 5, 5, 2], w, tf.ones([1, 5, 5, 2]),
                                                       [1, 1, 1, 2], "SAME")
    with tf.Session() as s:
        return {"shape": str(fwd.shape), "fwd": run_error(lambda: s.run(fwd)),
                "bpi": run_error(lambda: s.run(bpi))}


def all_scenarios():
    return scenarios_of(globals())
