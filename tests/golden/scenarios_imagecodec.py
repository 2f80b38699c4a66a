"""Golden scenarios of the image codecs and box ops (``record_tf.py --set imagecodec``):
decoded pixels of the tiny fixtures in image_fixtures.py (every PNG colour type and depth,
GIF frames, BMP, JPEG 4:2:0/4:2:2/4:4:4/gray/progressive under each DCT, upsampling and
ratio setting), the bytes TF's encoders write, TF's errors for wrong or corrupt input,
crop_and_resize values and gradients, and the non-max suppressions."""

import importlib.util
import os
import zlib

import numpy as np

_spec = importlib.util.spec_from_file_location(
    "image_fixtures", os.path.join(os.path.dirname(os.path.abspath(__file__)), "image_fixtures.py"))
_fx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fx)
FX = _fx.FIXTURES


def _msg(e):
    text = e.message.split("\n\t [[")[0].split("\n")[-1] if hasattr(e, "message") else str(e)
    return [type(e).__name__, text]


def _digest(a):
    a = np.asarray(a)
    return {"shape": list(a.shape), "dtype": a.dtype.name,
            "crc": zlib.crc32(np.ascontiguousarray(a).tobytes()), "sum": float(a.sum())}


def _run_each(tf, fetches, feed_of):
    """Runs each fetch on its own (a failing one records TF's error)."""
    out = {}
    with tf.Session() as s:
        for key, (t, feed) in sorted(fetches.items()):
            try:
                out[key] = _digest(s.run(t, feed_of(feed)))
            except Exception as e:  # noqa: BLE001 - the error is the observation
                out[key] = _msg(e)
    return out


def scenario_png_matrix(tf):
    c = tf.placeholder(tf.string, [])
    ops = {}
    for ch in (0, 1, 2, 3, 4):
        for dt in ("uint8", "uint16"):
            ops[f"png{ch}{dt}"] = tf.image.decode_png(c, channels=ch, dtype=getattr(tf, dt))
        ops[f"img{ch}f"] = tf.image.decode_image(c, channels=ch, dtype=tf.float32)
    fetches = {f"{n}/{k}": (t, n) for n in FX if n.startswith("png") for k, t in ops.items()}
    out = _run_each(tf, fetches, lambda n: {c: FX[n]})
    out["shapes"] = {k: str(t.shape) for k, t in sorted(ops.items())}
    return out


def scenario_png_values(tf):
    fetch = {n: tf.image.decode_png(FX[n], channels=ch, dtype=tf.uint16 if n.endswith("16") else tf.uint8)
             for n, ch in (("png_pal4", 4), ("png_gray2_trns", 4), ("png_rgb16", 1), ("png_gray1", 3))}
    with tf.Session() as s:
        vals = s.run(fetch)
    return {k: np.asarray(v).tolist() for k, v in vals.items()}


def scenario_gif_bmp(tf):
    c = tf.placeholder(tf.string, [])
    ops = {"gif": tf.image.decode_gif(c), "png": tf.image.decode_png(c),
           "jpeg": tf.image.decode_jpeg(c, channels=3),
           "img": tf.image.decode_image(c), "img_flat": tf.image.decode_image(c, expand_animations=False),
           "img_u16": tf.image.decode_image(c, dtype=tf.uint16),
           "bmp": tf.image.decode_bmp(c), "bmp3": tf.image.decode_bmp(c, channels=3),
           "bmp4": tf.image.decode_bmp(c, channels=4), "bmp1": tf.image.decode_bmp(c, channels=1),
           "crop": tf.image.decode_and_crop_jpeg(c, [0, 0, 2, 2])}
    names = [n for n in FX if n.startswith(("gif", "bmp"))]
    # TF's DecodeImage with a non-uint8 dtype crashes on a top-down BMP: not recorded
    fetches = {f"{n}/{k}": (t, n) for n in names for k, t in ops.items()
               if not (n == "bmp32_topdown" and k == "img_u16")}
    out = _run_each(tf, fetches, lambda n: {c: FX[n]})
    with tf.Session() as s:
        out["anim_values"] = s.run(tf.image.decode_gif(FX["gif_anim"])).tolist()
        out["sub_values"] = s.run(tf.image.decode_gif(FX["gif_subframe"])).tolist()
        out["bmp_values"] = s.run(tf.image.decode_bmp(FX["bmp24"], channels=4)).tolist()
    out["shapes"] = {k: str(t.shape) for k, t in sorted(ops.items())}
    out["types"] = sorted({t.op.type for t in ops.values()})
    return out


def scenario_jpeg_matrix(tf):
    c = tf.placeholder(tf.string, [])
    ops = {}
    for ch in (0, 1, 3):
        for ratio in (1, 2, 4, 8):
            for dct in ("", "INTEGER_FAST", "INTEGER_ACCURATE"):
                for fancy in (True, False):
                    ops[f"{ch}_{ratio}_{dct}_{fancy}"] = tf.image.decode_jpeg(
                        c, channels=ch, ratio=ratio, dct_method=dct, fancy_upscaling=fancy)
    fetches = {}
    for n in FX:
        if not n.startswith("jpeg"):
            continue
        for k, t in ops.items():
            # ISLOW without fancy upsampling on a chroma-subsampled colour image: varstore
            # lacks it (Pillow has no such path); not recorded
            if ("ACCURATE" in k and k.endswith("False") and not k.startswith("1_")
                    and n in ("jpeg_420", "jpeg_422", "jpeg_progressive")):
                continue
            fetches[f"{n}/{k}"] = (t, n)
    out = _run_each(tf, fetches, lambda n: {c: FX[n]})
    shape = tf.image.extract_jpeg_shape(c)
    shape64 = tf.image.extract_jpeg_shape(c, output_type=tf.int64)
    with tf.Session() as s:
        out["extract"] = {n: s.run(shape, {c: FX[n]}).tolist() for n in FX if n.startswith("jpeg")}
        out["extract64"] = s.run(shape64, {c: FX["jpeg_gray"]}).tolist()
        out["gray_values"] = s.run(tf.image.decode_jpeg(FX["jpeg_gray"])).tolist()
        out["uint16"] = _digest(s.run(tf.image.decode_image(FX["jpeg_420"], dtype=tf.uint16)))
        out["float"] = _digest(s.run(tf.image.decode_image(FX["jpeg_444"], dtype=tf.float32)))
        out["crop"] = _digest(s.run(tf.image.decode_and_crop_jpeg(FX["jpeg_444"], [3, 5, 8, 9])))
        out["crop_gray"] = s.run(tf.image.decode_and_crop_jpeg(FX["jpeg_gray"], [2, 1, 3, 4])).tolist()
    out["types"] = sorted({shape.op.type, shape64.op.type})
    return out


def scenario_is_jpeg_and_names(tf):
    c = tf.placeholder(tf.string, [])
    j = tf.image.is_jpeg(c)
    img = tf.image.decode_image(c, channels=3, expand_animations=False)
    img2 = tf.image.decode_image(c, dtype=tf.float64)
    crop = tf.image.decode_and_crop_jpeg(c, [1, 2, 3, 4], channels=3)
    out = {"names": [j.name, img.name, img2.name, crop.name, tf.io.decode_png(c).name],
           "shapes": [str(t.shape) for t in (j, img, img2, crop)],
           "types": [op.type for op in tf.get_default_graph().get_operations()]}
    with tf.Session() as s:
        out["is_jpeg"] = [bool(s.run(j, {c: FX[n]})) for n in ("jpeg_420", "png_rgb8", "gif_single")]
        out["f64"] = _digest(s.run(img2, {c: FX["png_rgb16"]}))
    return out


def scenario_decode_errors(tf):
    c = tf.placeholder(tf.string, [])
    png = FX["png_rgb8"]
    cases = {"empty": (tf.image.decode_png(c), b""),
             "unknown": (tf.image.decode_image(c), b"hello world"),
             "png_trunc": (tf.image.decode_png(c), png[:len(png) - 30]),
             "png_header": (tf.image.decode_png(c), png[:20]),
             "jpeg_trunc": (tf.image.decode_jpeg(c), FX["jpeg_420"][:200]),
             "jpeg_garbage": (tf.image.decode_jpeg(c), b"\xff\xd8\xff" + b"\x00" * 40),
             "jpeg4": (tf.image.decode_jpeg(c, channels=4), FX["jpeg_444"]),
             "ratio": (tf.image.decode_jpeg(c, ratio=3), FX["jpeg_444"]),
             "dct": (tf.image.decode_jpeg(c, dct_method="FLOAT"), FX["jpeg_444"]),
             "gif_ch": (tf.image.decode_image(c, channels=1), FX["gif_single"]),
             "anim_png": (tf.image.decode_png(c), FX["gif_anim"]),
             "bmp_short": (tf.image.decode_bmp(c), FX["bmp24"][:20]),
             "bmp_trunc": (tf.image.decode_bmp(c), FX["bmp24"][:-10]),
             "crop_out": (tf.image.decode_and_crop_jpeg(c, [30, 40, 20, 20]), FX["jpeg_444"]),
             "shape_png": (tf.image.extract_jpeg_shape(c), b"\xff\xd8\xff\xe0junk")}
    out = {}
    with tf.Session() as s:
        for k, (t, data) in sorted(cases.items()):
            try:
                out[k] = _digest(s.run(t, {c: data}))
            except Exception as e:  # noqa: BLE001 - the error is the observation
                out[k] = _msg(e)
    for k, fn in {"rank": lambda: tf.image.decode_png(tf.constant(["a", "b"])),
                  "enc_rank": lambda: tf.image.encode_jpeg(tf.zeros([2, 3], tf.uint8)),
                  "png_rank": lambda: tf.image.encode_png(tf.zeros([2, 3], tf.uint8)),
                  "png_dtype": lambda: tf.image.encode_png(tf.zeros([2, 3, 1], tf.float32))}.items():
        try:
            fn()
            out[k] = "ok"
        except Exception as e:  # noqa: BLE001 - the error is the observation
            out[k] = [type(e).__name__, str(e)]
    return out


def _images():
    rng = np.random.default_rng(5)
    y, x = np.mgrid[0:21, 0:30]
    sm = np.stack([(x * 8) % 256, (y * 12) % 256, (x + y) * 4 % 256], -1).astype(np.uint8)
    return {"rgb": sm, "noise": rng.integers(0, 256, (9, 14, 3)).astype(np.uint8),
            "gray": sm[..., :1].copy(), "rgba": np.concatenate([sm, sm[..., :1]], -1),
            "ga16": rng.integers(0, 65536, (5, 6, 2)).astype(np.uint16),
            "big": rng.integers(0, 256, (70, 90, 3)).astype(np.uint8)}


def scenario_encode_bytes(tf):
    imgs = _images()
    f = {}
    for k, v in imgs.items():
        for c in (-1, 0, 1, 6, 9):
            f[f"png/{k}/{c}"] = tf.image.encode_png(tf.constant(v), compression=c)
    for k in ("rgb", "noise", "gray", "big"):
        kws = {"default": {}, "q50": {"quality": 50}, "q100": {"quality": 100},
               "no_chroma": {"chroma_downsampling": False}, "progressive": {"progressive": True},
               "optimize": {"optimize_size": True},
               "cm": {"density_unit": "cm", "x_density": 10, "y_density": 20},
               "xmp": {"xmp_metadata": "<x:xmpmeta/>"},
               "fmt": {"format": "rgb" if k != "gray" else "grayscale"}}
        for name, kw in kws.items():
            f[f"jpeg/{k}/{name}"] = tf.image.encode_jpeg(tf.constant(imgs[k]), **kw)
    batch = tf.image.encode_png(tf.constant(np.stack([imgs["rgb"]] * 2)))
    with tf.Session() as s:
        vals = s.run(f)
        b = s.run(batch)
        rt = s.run(tf.image.decode_png(tf.image.encode_png(tf.constant(imgs["ga16"]))))
    out = {k: zlib.crc32(v) for k, v in vals.items()}
    out["small_hex"] = vals["png/ga16/9"].hex()
    out["batch"] = [list(b.shape), [zlib.crc32(x) for x in b]]
    out["roundtrip_equal"] = bool(np.array_equal(rt, imgs["ga16"]))
    out["shape"] = str(batch.shape)
    return out


def scenario_encode_errors(tf):
    c = tf.placeholder(tf.uint8)
    cases = {"ch2": (tf.image.encode_jpeg(c), np.zeros((2, 2, 2), np.uint8)),
             "fmt": (tf.image.encode_jpeg(c, format="grayscale"), np.zeros((2, 2, 3), np.uint8)),
             "quality": (tf.image.encode_jpeg(c, quality=101), np.zeros((2, 2, 3), np.uint8)),
             "png_ch": (tf.image.encode_png(c), np.zeros((2, 2, 5), np.uint8)),
             "vq": (tf.image.adjust_jpeg_quality(tf.placeholder_with_default(
                 np.zeros((2, 2, 3), np.uint8), [2, 2, 3]), 120), None)}
    out = {}
    with tf.Session() as s:
        for k, (t, v) in sorted(cases.items()):
            try:
                out[k] = _digest(s.run(t, {c: v} if v is not None else None))
            except Exception as e:  # noqa: BLE001 - the error is the observation
                out[k] = _msg(e)
    for k, fn in {"unit": lambda: tf.image.encode_jpeg(c, density_unit="mm"),
                  "unknown_shape": lambda: tf.image.adjust_jpeg_quality(c, 50),
                  "format": lambda: tf.image.encode_jpeg(c, format="bgr"),
                  "method": lambda: tf.image.crop_and_resize(
                      tf.zeros([1, 2, 2, 1]), [[0, 0, 1, 1]], [0], [2, 2], method="cubic")}.items():
        try:
            fn()
            out[k] = "ok"
        except Exception as e:  # noqa: BLE001 - the error is the observation
            out[k] = [type(e).__name__, str(e)]
    return out


def scenario_adjust_jpeg_quality(tf):
    imgs = _images()
    x = tf.constant(imgs["rgb"].astype(np.float32) / 255.0)
    a = tf.image.adjust_jpeg_quality(x, 40)
    u = tf.image.adjust_jpeg_quality(tf.constant(imgs["gray"]), tf.constant(75))
    r = tf.image.random_jpeg_quality(tf.constant(imgs["noise"]), 70, 71, seed=3)
    out = {"names": [a.name, u.name, r.name], "shapes": [str(a.shape), str(u.shape)],
           # the codec ops (saturate_cast's clamp is not this set's subject)
           "types": sorted({op.type for op in tf.get_default_graph().get_operations()}
                           & {"EncodeJpegVariableQuality", "DecodeJpeg", "RandomUniformInt"})}
    with tf.Session() as s:
        av, uv, rv = s.run([a, u, r])
    out["a"] = np.asarray(av, np.float64).round(5).tolist()[:3]
    out["u"] = _digest(uv)
    out["r"] = _digest(rv)
    return out


def scenario_crop_and_resize(tf):
    rng = np.random.default_rng(3)
    img = tf.constant(rng.normal(size=(2, 6, 7, 3)).astype(np.float32))
    boxes = tf.constant([[0.1, 0.2, 0.8, 0.9], [-0.2, 0.0, 1.2, 0.7], [0.5, 0.5, 0.5, 0.5],
                         [0.9, 0.8, 0.1, 0.2]], tf.float32)
    bi = tf.constant([0, 1, 1, 0])
    fetch, shapes, types = {}, {}, set()
    for m in ("bilinear", "nearest"):
        for cs in ([3, 4], [1, 1], [5, 2]):
            c = tf.image.crop_and_resize(img, boxes, bi, cs, method=m, extrapolation_value=-1.5)
            w = tf.constant(rng.normal(size=(4, cs[0], cs[1], 3)).astype(np.float32))
            gi, gb = tf.gradients(tf.reduce_sum(c * w), [img, boxes])
            key = f"{m}_{cs[0]}x{cs[1]}"
            fetch[key], fetch["di_" + key], fetch["db_" + key] = c, gi, gb
            shapes[key] = [str(c.shape), str(gi.shape), str(gb.shape)]
            types |= {c.op.type, gi.op.type, gb.op.type}
    u8 = tf.image.crop_and_resize(tf.constant(rng.integers(0, 255, (1, 4, 4, 1)).astype(np.uint8)),
                                  [[0.0, 0.0, 1.0, 1.0]], box_ind=[0], crop_size=[3, 3])
    fetch["uint8"] = u8
    fetch["db_uint8"] = tf.gradients(u8, u8.op.inputs[1])[0]
    with tf.Session() as s:
        vals = s.run(fetch)
    out = {k: np.asarray(v, np.float64).round(4).tolist() for k, v in vals.items()}
    out["shapes"] = shapes
    out["types"] = sorted(types)
    out["names"] = [c.name, gi.name, gb.name]
    return out


def scenario_nms(tf):
    rng = np.random.default_rng(11)
    nb = tf.constant(rng.uniform(0, 1, (14, 4)).astype(np.float32))
    ns = tf.constant(rng.uniform(0, 1, 14).astype(np.float32))
    ties = tf.constant([0.5, 0.9, 0.5, 0.9, 0.2], tf.float32)
    tb = tf.constant([[0, 0, 1, 1], [2, 2, 3, 3], [4, 4, 5, 5], [6, 6, 7, 7], [0, 0, 1, 1]],
                     tf.float32)
    ops = {"v3": tf.image.non_max_suppression(nb, ns, 7, 0.3),
           "v3_score": tf.image.non_max_suppression(nb, ns, 10, 0.5, 0.4),
           "v3_zero": tf.image.non_max_suppression(nb, ns, 0),
           "v3_ties": tf.image.non_max_suppression(tb, ties, 5, 0.5),
           "v5_soft": tf.image.non_max_suppression_with_scores(nb, ns, 8, 0.6, 0.1, 0.5),
           "v5_hard": tf.image.non_max_suppression_with_scores(nb, ns, 8, 0.2),
           "v5_soft1": tf.image.non_max_suppression_with_scores(nb, ns, 20, 1.0, 0.0, 0.3),
           "ov": tf.image.non_max_suppression_overlaps(
               tf.constant(rng.uniform(0, 1, (14, 14)).astype(np.float32)), ns, 6, 0.5, 0.2)}
    with tf.Session() as s:
        vals = s.run(ops)
        try:
            s.run(tf.image.non_max_suppression(nb, ns, 3, 1.5))
            bad = "ok"
        except Exception as e:  # noqa: BLE001 - the error is the observation
            bad = _msg(e)
    out = {k: (np.asarray(v[0]).tolist(), np.asarray(v[1], np.float64).round(5).tolist())
           if isinstance(v, tuple) else np.asarray(v).tolist() for k, v in vals.items()}
    out["bad_iou"] = bad
    out["types"] = {k: (v[0] if isinstance(v, tuple) else v).op.type for k, v in ops.items()}
    out["names"] = {k: (v[0] if isinstance(v, tuple) else v).name for k, v in ops.items()}
    out["shapes"] = {k: str((v[0] if isinstance(v, tuple) else v).shape) for k, v in ops.items()}
    return out


def scenario_patches(tf):
    rng = np.random.default_rng(0)
    v = tf.constant(rng.normal(size=(2, 4, 5, 6, 2)).astype(np.float32))
    im = tf.constant(rng.normal(size=(2, 7, 6, 3)).astype(np.float32))
    fetch, shapes = {}, {}
    for pad in ("VALID", "SAME"):
        p = tf.extract_volume_patches(v, [1, 2, 3, 2, 1], [1, 1, 2, 3, 1], pad)
        q = tf.extract_image_patches(im, [1, 3, 2, 1], [1, 2, 1, 1], [1, 1, 2, 1], pad)
        for key, t, src in (("vol_" + pad, p, v), ("img_" + pad, q, im)):
            w = tf.constant(rng.normal(size=t.shape.as_list()).astype(np.float32))
            fetch[key] = t
            fetch["d_" + key] = tf.gradients(tf.reduce_sum(t * w), src)[0]
            shapes[key] = str(t.shape)
    with tf.Session() as s:
        vals = s.run(fetch)
    out = {k: np.asarray(x, np.float64).round(4).tolist() for k, x in vals.items()}
    out["shapes"] = shapes
    out["types"] = sorted({fetch[k].op.type for k in fetch if not k.startswith("d_")})
    out["name"] = fetch["vol_SAME"].name
    with tf.Session() as s:
        for k, (ks, st) in {"run_k": ([2, 2, 2, 2, 1], [1] * 5),
                            "run_s": ([1, 2, 2, 2, 1], [2, 1, 1, 1, 1])}.items():
            try:
                s.run(tf.extract_volume_patches(v, ks, st, "VALID"))
                out[k] = "ok"
            except Exception as e:  # noqa: BLE001 - the error is the observation
                out[k] = _msg(e)
    for k, fn in {"rank": lambda: tf.extract_volume_patches(im, [1, 2, 2, 2, 1], [1] * 5, "VALID"),
                  "batch_k": lambda: tf.extract_volume_patches(v, [2, 2, 2, 2, 1], [1] * 5,
                                                               "VALID")}.items():
        try:
            fn()
            out[k] = "ok"
        except Exception as e:  # noqa: BLE001 - the error is the observation
            out[k] = [type(e).__name__, str(e)]
    return out


def scenario_draw_bounding_boxes(tf):
    rng = np.random.default_rng(4)
    boxes = tf.constant([[[0.1, 0.2, 0.6, 0.9], [-0.3, 0.5, 0.4, 1.4], [0.7, 0.1, 0.2, 0.5],
                          [0.0, 0.0, 1.0, 1.0]] + [[0.2, 0.2, 0.5, 0.5]] * 8,
                         [[0.5, 0.5, 0.5, 0.5]] + [[0.3, 0.1, 0.8, 0.7]] * 11], tf.float32)
    out, fetch = {}, {}
    for depth in (1, 3, 4):
        img = tf.constant(rng.uniform(0, 0.5, (2, 9, 11, depth)).astype(np.float32))
        fetch[f"default{depth}"] = tf.image.draw_bounding_boxes(img, boxes)
        fetch[f"colors{depth}"] = tf.image.draw_bounding_boxes(
            img, boxes, colors=np.linspace(0.2, 0.9, 3 * 5).reshape(3, 5).astype(np.float32))
    fetch["half"] = tf.image.draw_bounding_boxes(tf.zeros([2, 5, 6, 3], tf.float16), boxes)
    with tf.Session() as s:
        vals = s.run(fetch)
        try:
            s.run(tf.image.draw_bounding_boxes(tf.zeros([2, 5, 6, 4]), boxes, colors=[[1.0, 0, 0]]))
            out["few_colors"] = "ok"
        except Exception as e:  # noqa: BLE001 - the error is the observation
            out["few_colors"] = _msg(e)
    out.update({k: np.asarray(v, np.float64).round(5).tolist() for k, v in vals.items()})
    out["types"] = sorted({t.op.type for t in fetch.values()})
    out["names"] = sorted(t.name for t in fetch.values())[:3]
    return out


def scenario_sample_distorted_bounding_box(tf):
    boxes = tf.constant([[[0.1, 0.2, 0.5, 0.6], [0.3, 0.3, 0.9, 0.8]]], tf.float32)
    ops = [tf.image.sample_distorted_bounding_box([240, 320, 3], boxes, seed=7),
           tf.image.sample_distorted_bounding_box(
               tf.constant([100, 50, 3], tf.int64), boxes, seed=1, seed2=5,
               min_object_covered=0.5, aspect_ratio_range=[0.5, 2.0], area_range=[0.1, 0.9],
               max_attempts=20),
           tf.image.sample_distorted_bounding_box(
               [31, 17, 1], tf.zeros([1, 0, 4]), seed=3, use_image_if_no_bounding_boxes=True,
               area_range=[0.08, 1.0]),
           tf.image.sample_distorted_bounding_box([64, 64, 3], boxes, seed=2,
                                                  min_object_covered=0.99, max_attempts=3),
           tf.image.sample_distorted_bounding_box([299, 299, 3], boxes, seed=11,
                                                  min_object_covered=0.0, area_range=[0.5, 1.0])]
    out = {"names": [o[0].name for o in ops], "shapes": [[str(t.shape) for t in o] for o in ops],
           "types": sorted({o[0].op.type for o in ops})}
    with tf.Session() as s:
        out["runs"] = [[[np.asarray(a, np.float64).round(6).tolist() for a in s.run(o)]
                        for o in ops] for _ in range(5)]
        for k, (size, bx, kw) in {
                "no_boxes": ([10, 10, 3], tf.zeros([1, 0, 4]), {}),
                "bad_coord": ([10, 10, 3], [[[0.0, 0.0, 1.5, 1.0]]], {}),
                "area": ([10, 10, 3], boxes, {"area_range": [0.0, 1.0]})}.items():
            try:
                s.run(tf.image.sample_distorted_bounding_box(size, bx, seed=1, **kw))
                out[k] = "ok"
            except Exception as e:  # noqa: BLE001 - the error is the observation
                out[k] = _msg(e)
    return out


def scenario_ssim_and_resize_with_pad(tf):
    rng = np.random.default_rng(0)
    a = rng.uniform(0, 1, (2, 23, 27, 3)).astype(np.float32)
    b = np.clip(a + rng.normal(0, 0.1, a.shape), 0, 1).astype(np.float32)
    big = rng.uniform(0, 1, (1, 181, 177, 1)).astype(np.float32)
    big2 = np.clip(big + 0.05, 0, 1).astype(np.float32)
    f = {"ssim": tf.image.ssim(a, b, 1.0),
         "ssim_map": tf.image.ssim(a, b, 1.0, return_index_map=True),
         "ssim_u8": tf.image.ssim((a * 255).astype(np.uint8), (b * 255).astype(np.uint8), 255,
                                  filter_size=7),
         "ms": tf.image.ssim_multiscale(big, big2, 1.0),
         "ms3": tf.image.ssim_multiscale(big[:, :100, :90], big2[:, :100, :90], 1.0,
                                         power_factors=[0.3, 0.3, 0.4], filter_size=5),
         "pad": tf.image.resize_image_with_pad(a[0], 31, 17),
         "pad4": tf.image.resize_image_with_pad(
             a, 10, 40, method=tf.image.ResizeMethod.NEAREST_NEIGHBOR)}
    x = tf.constant(a)
    f["d_ssim"] = tf.gradients(tf.image.ssim(x, b, 1.0), x)[0]
    with tf.Session() as s:
        vals = s.run(f)
    out = {k: np.asarray(v, np.float64).round(4).tolist() for k, v in vals.items()
           if k not in ("pad", "pad4", "ssim_map", "d_ssim")}
    for k in ("pad", "pad4", "ssim_map", "d_ssim"):
        out[k] = {"sum": round(float(np.sum(vals[k])), 3), "shape": list(vals[k].shape),
                  "first": np.asarray(vals[k], np.float64).reshape(-1)[:20].round(4).tolist()}
    out["names"] = {k: v.name for k, v in f.items() if k != "d_ssim"}
    out["shapes"] = {k: str(v.shape) for k, v in f.items()}
    return out


def scenario_combined_nms(tf):
    rng = np.random.default_rng(9)
    b1 = rng.uniform(-0.1, 1.1, (2, 10, 1, 4)).astype(np.float32)
    sc = rng.uniform(0, 1, (2, 10, 3)).astype(np.float32)
    b3 = rng.uniform(0, 1, (2, 10, 3, 4)).astype(np.float32)
    f = {"a": tf.image.combined_non_max_suppression(b1, sc, 4, 7, 0.5, 0.2),
         "b": tf.image.combined_non_max_suppression(b3, sc, 2, 20, 0.3, pad_per_class=True),
         "c": tf.image.combined_non_max_suppression(b1, sc, 5, 6, 0.6, clip_boxes=False),
         "d": tf.image.combined_non_max_suppression(b3, sc, 20, 100, 0.5, 0.9)}
    out = {"names": {k: [t.name for t in v] for k, v in f.items()},
           "shapes": {k: [str(t.shape) for t in v] for k, v in f.items()}}
    with tf.Session() as s:
        vals = s.run({k: list(v) for k, v in f.items()})
    out["values"] = {k: [np.asarray(x, np.float64).round(5).tolist() for x in v]
                     for k, v in vals.items()}
    return out


def scenario_decode_and_crop_windows(tf):
    rng = np.random.default_rng(1)
    c = tf.placeholder(tf.string, [])
    w = tf.placeholder(tf.int32, [4])
    ops = {(r, dct): tf.image.decode_and_crop_jpeg(c, w, ratio=r, dct_method=dct)
           for r in (1, 2) for dct in ("", "INTEGER_ACCURATE")}
    out = {}
    with tf.Session() as s:
        for n in ("jpeg_420", "jpeg_422", "jpeg_444", "jpeg_gray"):
            for (r, dct), t in ops.items():
                if dct and n in ("jpeg_420", "jpeg_422"):
                    continue  # ISLOW crops of subsampled images differ at the window edges
                h0, w0 = {"jpeg_422": (29, 43), "jpeg_gray": (19, 23)}.get(n, (37, 53))
                hh, ww = -(-h0 // r), -(-w0 // r)
                for _ in range(8):
                    y, x = int(rng.integers(0, hh)), int(rng.integers(0, ww))
                    h, wd = int(rng.integers(1, hh - y + 1)), int(rng.integers(2, ww + 2))
                    key = f"{n}/{r}/{dct}/{y},{x},{h},{wd}"
                    try:
                        out[key] = _digest(s.run(t, {c: FX[n], w: [y, x, h, wd]}))
                    except Exception as e:  # noqa: BLE001 - the error is the observation
                        out[key] = _msg(e)
    return out


def scenario_extract_glimpse(tf):
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, (3, 9, 11, 2)).astype(np.float32)
    off = np.array([[0.1, -0.2], [0.5, 0.5], [-0.9, 0.95]], np.float32)
    offu = np.array([[1.5, 2.7], [4.2, 3.9], [0.0, 0.0]], np.float32)
    f = {}
    for c in (True, False):
        for n in (True, False):
            f[f"{c}_{n}"] = tf.image.extract_glimpse(x, [4, 5], off if n else offu,
                                                    centered=c, normalized=n)
    with tf.Session() as s:
        vals = s.run(f)
        again = s.run(f)
    # outside the image TF fills unseeded noise, drawn afresh each run: only the copied
    # pixels are compared (image values that come out the same in two runs; a noise value
    # equal to an image value in both runs is all but impossible)
    out = {k: np.where(np.isin(v, x) & (v == again[k]), v, -1).round(5).tolist()
           for k, v in vals.items()}
    out["shapes"] = {k: str(v.shape) for k, v in f.items()}
    out["types"] = sorted({v.op.type for v in f.values()})
    return out


def all_scenarios():
    return {name[len("scenario_"):]: fn for name, fn in globals().items()
            if name.startswith("scenario_")}
