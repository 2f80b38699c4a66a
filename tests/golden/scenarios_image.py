"""Golden scenarios of tf.image, the depthwise/separable/1-D convolutions, LRN, top_k and
the 1-D and separable layers (``record_tf.py --set image``): values, names, shapes, grads."""

import numpy as np


def _run(tf, fetches, feed=None):
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        vals = s.run(fetches, feed)
    return {k: np.asarray(v, np.float64).round(4).tolist() for k, v in vals.items()}


def _img(n=1, h=5, w=6, c=3, seed=0):
    return np.random.RandomState(seed).uniform(0, 1, (n, h, w, c)).astype(np.float32)


def scenario_resize(tf):
    x = tf.constant(_img())
    ops = {"bilinear": tf.image.resize_bilinear(x, [8, 9]),
           "bilinear_ac": tf.image.resize_bilinear(x, [3, 4], align_corners=True),
           "nearest": tf.image.resize_nearest_neighbor(x, [7, 4]),
           "bicubic": tf.image.resize_bicubic(x, [4, 8]),
           "area": tf.image.resize_area(x, [2, 3]),
           "images": tf.image.resize_images(x, [10, 12]),
           "images_nn": tf.image.resize_images(x, [3, 3], method=tf.image.ResizeMethod.NEAREST_NEIGHBOR)}
    fetch = dict(ops)
    w = tf.constant(np.random.RandomState(1).randn(1, 8, 9, 3).astype(np.float32))
    fetch["d_bilinear"] = tf.gradients(ops["bilinear"] * w, x)[0]
    fetch["d_nearest"] = tf.gradients(ops["nearest"], x)[0]
    out = _run(tf, fetch)
    out["shapes"] = {k: v.shape.as_list() for k, v in ops.items()}
    out["types"] = {k: v.op.type for k, v in ops.items()}
    return out


def scenario_geometry_and_colour(tf):
    x = tf.constant(_img(2, 4, 6, 3, seed=2))
    one = tf.constant(_img(1, 4, 6, 3, seed=3)[0])
    ops = {"flip_lr": tf.image.flip_left_right(one), "flip_ud": tf.image.flip_up_down(x),
           "rot90": tf.image.rot90(one, 1), "transpose": tf.image.transpose_image(one),
           "central": tf.image.central_crop(one, 0.5),
           "crop": tf.image.crop_to_bounding_box(x, 1, 2, 2, 3),
           "pad": tf.image.pad_to_bounding_box(one, 1, 1, 6, 8),
           "crop_or_pad": tf.image.resize_image_with_crop_or_pad(one, 3, 9),
           "gray": tf.image.rgb_to_grayscale(x), "rgb": tf.image.grayscale_to_rgb(tf.image.rgb_to_grayscale(one)),
           "bright": tf.image.adjust_brightness(one, 0.2), "contrast": tf.image.adjust_contrast(x, 1.5),
           "std": tf.image.per_image_standardization(one),
           "u8": tf.image.convert_image_dtype(one, tf.uint8),
           "f32": tf.image.convert_image_dtype(tf.constant([[[0, 128, 255]]], tf.uint8), tf.float32),
           "tv": tf.image.total_variation(x), "sobel": tf.image.sobel_edges(x[:, :, :, :1]),
           "psnr": tf.image.psnr(x, x * 0.9, max_val=1.0),
           "patches": tf.image.extract_image_patches(x, [1, 2, 2, 1], [1, 2, 2, 1], [1, 1, 1, 1], "VALID")}
    fetch = dict(ops)
    fetch["d_std"] = tf.gradients(ops["std"], one)[0]
    fetch["d_patches"] = tf.gradients(ops["patches"], x)[0]
    out = _run(tf, fetch)
    out["shapes"] = {k: v.shape.as_list() for k, v in ops.items()}
    try:
        tf.gradients(ops["contrast"], x)
    except LookupError as e:
        out["d_contrast"] = str(e).split(".")[0]
    return out


def scenario_depthwise_separable_conv1d(tf):
    rs = np.random.RandomState(4)
    x = tf.constant(rs.randn(2, 7, 7, 3).astype(np.float32))
    dw = tf.constant(rs.randn(3, 3, 3, 2).astype(np.float32))
    pw = tf.constant(rs.randn(1, 1, 6, 4).astype(np.float32))
    x1 = tf.constant(rs.randn(2, 9, 3).astype(np.float32))
    k1 = tf.constant(rs.randn(3, 3, 5).astype(np.float32))
    ops = {"dw_same": tf.nn.depthwise_conv2d(x, dw, [1, 1, 1, 1], "SAME"),
           "dw_s2": tf.nn.depthwise_conv2d(x, dw, [1, 2, 2, 1], "VALID"),
           "dw_rate": tf.nn.depthwise_conv2d(x, dw, [1, 1, 1, 1], "SAME", rate=[2, 2]),
           "sep": tf.nn.separable_conv2d(x, dw, pw, [1, 1, 1, 1], "VALID"),
           "conv1d": tf.nn.conv1d(x1, k1, 2, "SAME"),
           "atrous": tf.nn.atrous_conv2d(x, tf.constant(rs.randn(2, 2, 3, 2).astype(np.float32)), 2, "SAME"),
           "lrn": tf.nn.local_response_normalization(x, depth_radius=1, bias=1.0, alpha=0.5, beta=0.75),
           "pool": tf.nn.pool(x, [2, 2], "AVG", "SAME", strides=[2, 2])}
    fetch = dict(ops)
    for k in ("dw_same", "dw_s2", "sep", "lrn", "atrous"):
        fetch["d_%s_x" % k] = tf.gradients(ops[k], x)[0]
    fetch["d_dw"] = tf.gradients(ops["dw_same"], dw)[0]
    fetch["d_sep_pw"] = tf.gradients(ops["sep"], pw)[0]
    fetch["d_conv1d"] = tf.gradients(ops["conv1d"], [x1, k1])
    vals, idx = tf.nn.top_k(tf.constant([[3., 1., 4., 1.5], [9., 2., 6., 5.]]), k=2)
    fetch["topk"] = vals
    fetch["topk_i"] = idx
    fetch["in_top_k"] = tf.nn.in_top_k(tf.constant([[0.1, 0.9], [0.8, 0.2]]), tf.constant([1, 1]), 1)
    out = _run(tf, {k: v for k, v in fetch.items() if k != "d_conv1d"})
    with tf.Session() as s:
        out["d_conv1d"] = [np.round(v, 4).tolist() for v in s.run(fetch["d_conv1d"])]
    out["shapes"] = {k: v.shape.as_list() for k, v in ops.items()}
    # TF wraps a dilated depthwise conv in SpaceToBatchND/BatchToSpaceND; varstore sets the
    # op's dilations instead (same values), so its output op type is left out here.
    out["types"] = {k: v.op.type for k, v in ops.items() if k not in ("dw_rate", "atrous")}
    return out


def scenario_nn_extras(tf):
    x = tf.constant([[-1.5, 0.5, 2.0], [0.3, -0.2, 1.0]])
    w = tf.constant([[1., 2.], [0.5, -1.], [0.2, 0.1]])
    b = tf.constant([0.1, -0.3])
    m, v = tf.nn.moments(x, [0])
    cnt, s1, s2, _ = tf.nn.sufficient_statistics(x, [0])
    nm, nv = tf.nn.normalize_moments(cnt, s1, s2, None)
    ops = {"crelu": tf.nn.crelu(x), "swish": tf.nn.swish(x), "xwb": tf.nn.xw_plus_b(x, w, b),
           "relu_layer": tf.nn.relu_layer(x, w, b), "nm": nm, "nv": nv, "m": m, "v": v,
           "lpl": tf.nn.log_poisson_loss(tf.constant([1., 2., 0.]), x[0], compute_full_loss=True)}
    fetch = dict(ops)
    fetch["d_swish"] = tf.gradients(ops["swish"], x)[0]
    fetch["d_crelu"] = tf.gradients(ops["crelu"], x)[0]
    out = _run(tf, fetch)
    out["shapes"] = {k: v.shape.as_list() for k, v in ops.items()}
    return out


def scenario_layers_1d_separable(tf):
    rs = np.random.RandomState(5)
    x1 = tf.constant(rs.randn(2, 10, 3).astype(np.float32))
    x2 = tf.constant(rs.randn(2, 8, 8, 3).astype(np.float32))
    init = tf.glorot_uniform_initializer(seed=1)
    c1 = tf.layers.conv1d(x1, 4, 3, padding="same", kernel_initializer=init, bias_initializer=tf.constant_initializer(0.1))
    p1 = tf.layers.max_pooling1d(c1, 2, 2)
    a1 = tf.layers.average_pooling1d(c1, 3, 2, padding="same")
    sc = tf.layers.separable_conv2d(x2, 5, 3, depth_multiplier=2, depthwise_initializer=init,
                                    pointwise_initializer=init, activation=tf.nn.relu)
    loss = tf.reduce_sum(p1) + tf.reduce_sum(a1) + tf.reduce_sum(sc)
    grads = tf.gradients(loss, tf.trainable_variables())
    out = _run(tf, {"c1": c1, "p1": p1, "a1": a1, "sc": sc})
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out["grads"] = [np.round(g, 3).tolist() for g in s.run(grads)]
    out["vars"] = [(v.name, v.shape.as_list()) for v in tf.global_variables()]
    out["names"] = [t.name for t in (c1, p1, a1, sc)]
    return out


def scenario_colour(tf):
    rs = np.random.RandomState(7)
    img = rs.uniform(0, 1, (2, 4, 5, 3)).astype(np.float32)
    img[0, 0, 0] = [0.5, 0.5, 0.5]      # grey: zero range
    img[0, 0, 1] = [0.7, 0.7, 0.2]      # ties
    img[0, 0, 2] = [0.0, 0.0, 0.0]
    img[0, 0, 3] = [0.2, 0.9, 0.9]
    x = tf.constant(img)
    u8 = tf.constant((img * 255).astype(np.uint8))
    hsv = tf.image.rgb_to_hsv(x)
    ops = {"hsv": hsv, "back": tf.image.hsv_to_rgb(hsv),
           "hue": tf.image.adjust_hue(x, 0.2), "hue_neg": tf.image.adjust_hue(x, -0.45),
           "hue_u8": tf.image.adjust_hue(u8, 0.1),
           "sat": tf.image.adjust_saturation(x, 1.7), "sat0": tf.image.adjust_saturation(x, 0.3),
           "sat_u8": tf.image.adjust_saturation(u8, 2.0),
           "gamma": tf.image.adjust_gamma(x, 2.2, 0.9), "gamma_u8": tf.image.adjust_gamma(u8, 0.5),
           "yuv": tf.image.rgb_to_yuv(x), "yuv_back": tf.image.yuv_to_rgb(tf.image.rgb_to_yuv(x)),
           "yiq": tf.image.rgb_to_yiq(x), "yiq_back": tf.image.yiq_to_rgb(x),
           "rhue": tf.image.random_hue(x, 0.3, seed=3), "rsat": tf.image.random_saturation(x, 0.5, 1.5, seed=4)}
    w = tf.constant(rs.randn(2, 4, 5, 3).astype(np.float32))
    fetch = dict(ops)
    fetch["d_hsv"] = tf.gradients(hsv * w, x)[0]
    fetch["d_gamma"] = tf.gradients(ops["gamma"], x)[0]
    with tf.Session() as s:
        vals = s.run(fetch)
    out = {k: np.asarray(v, np.float64).round(4).tolist() for k, v in vals.items()}
    out["names"] = {k: v.name for k, v in ops.items() if not k.startswith("r")}
    out["dtypes"] = {k: v.dtype.name for k, v in ops.items()}
    for k, t in (("hue", ops["hue"]), ("sat", ops["sat"]), ("back", ops["back"])):
        try:
            tf.gradients(t, x)
            out["grad_" + k] = "ok"
        except LookupError as e:
            out["grad_" + k] = str(e).split(".")[0]
    for k, f in (("rhue", lambda: tf.image.random_hue(x, 0.6)),
                 ("rsat", lambda: tf.image.random_saturation(x, 1.0, 0.5)),
                 ("shape", lambda: tf.image.rgb_to_hsv(tf.zeros([2, 2, 4])))):
        try:
            f()
        except ValueError as e:
            out["err_" + k] = str(e).split("\n")[0]
    return out


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
