"""Unit tests of the image codecs and box ops (TF's behaviour is in the 'imagecodec' golden
set): round trips, the JPEG fancy-upsampling rebuild against Pillow's own paths, errors,
crop_and_resize's gradient against finite differences, NMS rules."""

import importlib.util
import os

import numpy as np
import pytest

import varstore as tf
from varstore.ops import _jpeg_codec, _png_codec

_spec = importlib.util.spec_from_file_location(
    "image_fixtures", os.path.join(os.path.dirname(__file__), "golden", "image_fixtures.py"))
_fx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fx)
FX = _fx.FIXTURES


def _run(t, feed=None):
    with tf.Session() as s:
        return s.run(t, feed)


@pytest.mark.parametrize("shape,dtype", [((5, 7, 1), np.uint8), ((4, 3, 2), np.uint16),
                                         ((6, 5, 3), np.uint8), ((3, 9, 4), np.uint16),
                                         ((40, 60, 3), np.uint8)])
def test_png_round_trip(shape, dtype):
    rng = np.random.default_rng(0)
    img = rng.integers(0, np.iinfo(dtype).max, shape).astype(dtype)
    for level in (-1, 0, 9):
        data = _run(tf.image.encode_png(img, compression=level))
        out = _run(tf.image.decode_png(data, dtype=tf.as_dtype(dtype)))
        np.testing.assert_array_equal(out, img)


def test_png_batch_and_shapes():
    img = np.zeros((2, 3, 4, 5, 3), np.uint8)
    enc = tf.image.encode_png(img)
    assert enc.shape.as_list() == [2, 3]
    assert _run(enc).shape == (2, 3)
    with pytest.raises(ValueError, match="Shape must be at least rank 3"):
        tf.image.encode_png(np.zeros((2, 3), np.uint8))
    c = tf.placeholder(tf.string, [])
    assert tf.image.decode_png(c, channels=3).shape.as_list() == [None, None, 3]
    assert tf.image.decode_gif(c).shape.as_list() == [None, None, None, 3]
    assert tf.image.decode_image(c).shape.ndims is None
    assert tf.image.decode_image(c, expand_animations=False).shape.as_list() == [None] * 3


def test_png_16_to_8_and_synthesized_16():
    img = (np.arange(24, dtype=np.uint16).reshape(2, 4, 3) * 2731)
    data = _png_codec.encode(img, 6)
    np.testing.assert_array_equal(_png_codec.decode(data, 0, 8), img >> 8)
    img8 = np.arange(24, dtype=np.uint8).reshape(2, 4, 3)
    np.testing.assert_array_equal(_png_codec.decode(_png_codec.encode(img8, 6), 0, 16),
                                  img8.astype(np.uint16) * 257)


def test_decode_errors():
    c = tf.placeholder(tf.string, [])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Input is empty"):
        _run(tf.image.decode_png(c), {c: b""})
    with pytest.raises(tf.errors.InvalidArgumentError, match="Unknown image file format"):
        _run(tf.image.decode_image(c), {c: b"nope"})
    with pytest.raises(tf.errors.InvalidArgumentError, match="using DecodeBmp op"):
        _run(tf.image.decode_bmp(c), {c: FX["png_rgb8"]})
    with pytest.raises(tf.errors.InvalidArgumentError, match="JPEG does not support 4"):
        _run(tf.image.decode_jpeg(c, channels=4), {c: FX["jpeg_444"]})
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid PNG data"):
        png = FX["png_rgb8"]
        _run(tf.image.decode_png(c), {c: png[:-30]})
    with pytest.raises(tf.errors.InvalidArgumentError, match="lacks WebP"):
        _run(tf.image.decode_image(c), {c: b"RIFF\0\0\0\0WEBPVP8 "})


def test_decode_image_dispatch_and_dtypes():
    c = tf.placeholder(tf.string, [])
    img = tf.image.decode_image(c, dtype=tf.float32)
    png = _run(img, {c: FX["png_rgb16"]})
    raw = _run(tf.image.decode_png(FX["png_rgb16"], dtype=tf.uint16))
    np.testing.assert_allclose(png, raw.astype(np.float32) * np.float32(1 / 65535))
    gif = _run(img, {c: FX["gif_anim"]})
    assert gif.shape[0] == 3 and gif.dtype == np.float32
    jpg16 = _run(tf.image.decode_image(FX["jpeg_444"], dtype=tf.uint16))
    jpg8 = _run(tf.image.decode_jpeg(FX["jpeg_444"]))
    np.testing.assert_array_equal(jpg16, jpg8.astype(np.uint16) * 256)
    # any format but BMP through decode_png / decode_jpeg (TF's DecodeImageV2Op)
    np.testing.assert_array_equal(_run(tf.image.decode_png(FX["jpeg_444"])), jpg8)


def test_jpeg_fancy_rebuild_matches_pillow_on_444():
    # without chroma subsampling the rebuilt IFAST path and Pillow's draft path are the same
    # decode; on 4:2:0 the rebuild differs from box upsampling
    data = FX["jpeg_444"]
    a = _jpeg_codec.decode(data, 3, 1, True, "", False)
    b = _jpeg_codec.decode(data, 3, 1, False, "", False)
    np.testing.assert_array_equal(a, b)
    f = _jpeg_codec.decode(FX["jpeg_420"], 3, 1, True, "", False)
    box = _jpeg_codec.decode(FX["jpeg_420"], 3, 1, False, "", False)
    assert f.shape == box.shape and not np.array_equal(f, box)
    with pytest.raises(ValueError, match="lacks dct_method='INTEGER_ACCURATE'"):
        _jpeg_codec.decode(FX["jpeg_420"], 3, 1, False, "INTEGER_ACCURATE", False)


def test_jpeg_encode_round_trip_and_shape():
    y, x = np.mgrid[0:16, 0:24]
    img = np.stack([x * 10, y * 15, x * 5 + y * 5], -1).astype(np.uint8)
    data = _run(tf.image.encode_jpeg(img, quality=100, chroma_downsampling=False))
    assert _run(tf.image.is_jpeg(data))
    assert not _run(tf.image.is_jpeg(FX["png_rgb8"]))
    out = _run(tf.image.decode_jpeg(data))
    assert np.abs(out.astype(int) - img).mean() < 3
    assert _run(tf.image.extract_jpeg_shape(data)).tolist() == [16, 24, 3]
    crop = _run(tf.image.decode_and_crop_jpeg(data, [2, 3, 5, 7]))
    np.testing.assert_array_equal(crop, out[2:7, 3:10])
    with pytest.raises(ValueError, match="density_unit"):
        tf.image.encode_jpeg(img, density_unit="mm")
    with pytest.raises(tf.errors.InvalidArgumentError, match="image must have 1 or 3 channels"):
        _run(tf.image.encode_jpeg(np.zeros((2, 2, 2), np.uint8)))


def test_adjust_jpeg_quality():
    x = np.linspace(0, 1, 2 * 3 * 3, dtype=np.float32).reshape(2, 3, 3)
    out = _run(tf.image.adjust_jpeg_quality(x, 90))
    assert out.shape == x.shape and out.dtype == np.float32
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"quality must be in \[0,100\]"):
        _run(tf.image.adjust_jpeg_quality(x, 101))
    with pytest.raises(ValueError, match="must be less than"):
        tf.image.random_jpeg_quality(x, 50, 50)


def test_substr():
    s = tf.constant([b"hello", b"ab"])
    assert _run(tf.substr(s, 1, 3)).tolist() == [b"ell", b"b"]
    assert _run(tf.substr(s, -2, 5)).tolist() == [b"lo", b"ab"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="pos 3 out of range"):
        _run(tf.substr(s, 3, 1))


def test_crop_and_resize_gradients_finite_difference():
    rng = np.random.default_rng(2)
    img_v = rng.normal(size=(1, 5, 6, 2)).astype(np.float64)
    # no sampling position on a pixel centre (the bilinear slope jumps there)
    boxes_v = np.array([[0.1, 0.15, 0.7, 0.83], [0.2, 0.05, 0.9, 0.63]], np.float32)
    img = tf.placeholder(tf.float64, img_v.shape)
    boxes = tf.placeholder(tf.float32, boxes_v.shape)
    out = tf.image.crop_and_resize(img, boxes, [0, 0], [3, 4])
    w = rng.normal(size=(2, 3, 4, 2)).astype(np.float32)
    loss = tf.reduce_sum(out * w)
    gi, gb = tf.gradients(loss, [img, boxes])
    assert gi.op.type == "CropAndResizeGradImage" and gb.op.type == "CropAndResizeGradBoxes"
    with tf.Session() as s:
        feed = {img: img_v, boxes: boxes_v}
        gi_v, gb_v = s.run([gi, gb], feed)
        eps = 1e-3
        num = np.zeros_like(img_v)
        for idx in np.ndindex(*img_v.shape):
            p, m = img_v.copy(), img_v.copy()
            p[idx] += eps
            m[idx] -= eps
            num[idx] = (s.run(loss, {img: p, boxes: boxes_v})
                        - s.run(loss, {img: m, boxes: boxes_v})) / (2 * eps)
        np.testing.assert_allclose(gi_v, num, atol=1e-3)
        bnum = np.zeros_like(boxes_v)
        for idx in np.ndindex(*boxes_v.shape):
            p, m = boxes_v.copy(), boxes_v.copy()
            p[idx] += 1e-3
            m[idx] -= 1e-3
            bnum[idx] = (s.run(loss, {img: img_v, boxes: p})
                         - s.run(loss, {img: img_v, boxes: m})) / 2e-3
        np.testing.assert_allclose(gb_v, bnum, atol=2e-2)


def test_crop_and_resize_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="box_index has values outside"):
        _run(tf.image.crop_and_resize(np.zeros((1, 3, 3, 1), np.float32), [[0, 0, 1, 1]], [1],
                                      [2, 2]))
    with pytest.raises(ValueError, match="Attr 'method'"):
        tf.image.crop_and_resize(np.zeros((1, 3, 3, 1), np.float32), [[0, 0, 1, 1]], [0],
                                 [2, 2], method="cubic")


def test_nms_rules():
    boxes = np.array([[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, -0.1, 1, 0.9], [0, 10, 1, 11],
                      [0, 10.1, 1, 11.1], [0, 100, 1, 101]], np.float32)
    scores = np.array([0.9, 0.75, 0.6, 0.95, 0.5, 0.3], np.float32)
    sel = tf.image.non_max_suppression(boxes, scores, 3, 0.5)
    assert sel.op.type == "NonMaxSuppressionV3"
    assert _run(sel).tolist() == [3, 0, 5]
    assert _run(tf.image.non_max_suppression(boxes, scores, 6, 0.5, 0.4)).tolist() == [3, 0]
    idx, sc = tf.image.non_max_suppression_with_scores(boxes, scores, 6, 1.0, 0.0, 0.5)
    i, s = _run([idx, sc])
    assert i.tolist()[:2] == [3, 0] and s[0] == np.float32(0.95) and (np.diff(s) <= 0).all()
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"iou_threshold must be in \[0, 1\]"):
        _run(tf.image.non_max_suppression(boxes, scores, 3, 1.5))
    assert "non_max_suppression_padded" not in dir(tf.image)
    with pytest.raises(AttributeError, match="lacks tf.image.non_max_suppression_padded"):
        tf.image.non_max_suppression_padded  # noqa: B018


def test_sample_distorted_bounding_box_seeded_and_valid():
    boxes = np.array([[[0.1, 0.2, 0.5, 0.6]]], np.float32)
    begin, size, bbox = tf.image.sample_distorted_bounding_box([60, 80, 3], boxes, seed=4,
                                                               min_object_covered=0.3)
    assert begin.op.type == "SampleDistortedBoundingBoxV2"
    assert begin.name == "sample_distorted_bounding_box/SampleDistortedBoundingBoxV2:0"
    with tf.Session() as s:
        runs = [s.run([begin, size, bbox]) for _ in range(6)]
    with tf.Session() as s:
        again = [s.run([begin, size, bbox]) for _ in range(6)]
    for (b, z, box), (b2, z2, box2) in zip(runs, again):
        np.testing.assert_array_equal(b, b2)  # a session restarts the op's stream
        np.testing.assert_array_equal(box, box2)
        assert z[2] == -1 and b[2] == 0
        assert 0 <= b[0] and b[0] + z[0] <= 60 and 0 <= b[1] and b[1] + z[1] <= 80
        np.testing.assert_allclose(box[0, 0], [b[0] / 60, b[1] / 80, (b[0] + z[0]) / 60,
                                               (b[1] + z[1]) / 80], rtol=1e-6)
    assert len({tuple(r[0]) for r in runs}) > 1
    with pytest.raises(tf.errors.InvalidArgumentError, match="No bounding boxes provided"):
        _run(tf.image.sample_distorted_bounding_box([5, 5, 3], np.zeros((1, 0, 4), np.float32)))


def test_draw_bounding_boxes_and_volume_patches():
    img = np.zeros((1, 5, 6, 3), np.float32)
    out = _run(tf.image.draw_bounding_boxes(img, [[[0.0, 0.0, 1.0, 1.0]]]))
    assert out[0, 0, 0].tolist() == [1, 1, 0] and out[0, 2, 2].tolist() == [0, 0, 0]
    x = np.arange(2 * 3 * 4 * 5 * 2, dtype=np.float32).reshape(2, 3, 4, 5, 2)
    p = tf.extract_volume_patches(x, [1, 2, 2, 3, 1], [1, 1, 2, 2, 1], "VALID")
    assert p.shape.as_list() == [2, 2, 2, 2, 24]
    got = _run(p)
    np.testing.assert_array_equal(got[0, 0, 0, 0], x[0, 0:2, 0:2, 0:3].reshape(-1))
    g = tf.gradients(tf.reduce_sum(p), p.op.inputs[0])[0]
    counts = _run(g)
    assert counts.sum() == got.size


def test_ssim_identical_and_resize_with_pad():
    rng = np.random.default_rng(3)
    a = rng.uniform(0, 1, (1, 16, 16, 3)).astype(np.float32)
    np.testing.assert_allclose(_run(tf.image.ssim(a, a, 1.0)), [1.0], rtol=1e-5)
    np.testing.assert_allclose(_run(tf.image.ssim_multiscale(
        np.repeat(np.repeat(a, 12, 1), 12, 2), np.repeat(np.repeat(a, 12, 1), 12, 2), 1.0)),
        [1.0], rtol=1e-4)
    with pytest.raises(ValueError, match="are incompatible"):
        tf.image.ssim(a, a[:, :8], 1.0)
    out = _run(tf.image.resize_image_with_pad(np.ones((4, 8, 1), np.float32), 8, 8))
    assert out.shape == (8, 8, 1)
    np.testing.assert_array_equal(out[:2], 0)
    np.testing.assert_array_equal(out[2:6], 1)


def test_png_numpy_decoder_equals_pillow_path(monkeypatch):
    names = [n for n in FX if n.startswith("png") and ("8" in n or n.startswith("png_ga8"))]
    with_pillow = {(n, c): _png_codec.decode(FX[n], c, 8) for n in names for c in (0, 1, 3, 4)}
    monkeypatch.setattr(_png_codec, "_pillow_samples", lambda *a: None)
    rng = np.random.default_rng(4)
    big = rng.integers(0, 256, (33, 41, 3)).astype(np.uint8)
    np.testing.assert_array_equal(_png_codec.decode(_png_codec.encode(big, 6), 0, 8), big)
    for (n, c), want in with_pillow.items():
        np.testing.assert_array_equal(_png_codec.decode(FX[n], c, 8), want, err_msg=n)


def test_without_pillow_png_decodes_and_jpeg_names_the_package(monkeypatch):
    import sys
    for mod in [m for m in sys.modules if m == "PIL" or m.startswith("PIL.")]:
        monkeypatch.delitem(sys.modules, mod)
    monkeypatch.setitem(sys.modules, "PIL", None)
    out = _run(tf.image.decode_png(FX["png_rgb8"]))
    assert out.shape == (6, 5, 3)
    with pytest.raises(Exception, match="Pillow"):
        _run(tf.image.decode_jpeg(FX["jpeg_444"]))
