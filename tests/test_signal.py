"""tf.signal / tf.spectral / tf.audio beyond the 'signal' goldens: the FFT kernels against
NumPy, the gradients against finite differences (the RFFT / IRFFT formulas), identities of
the composites (perfect reconstruction, DCT inverses), import round trips and the WAV codec
on edge cases."""

from __future__ import annotations

import numpy as np
import pytest

import varstore as tf
from varstore import errors


def _run(*fetches, feed=None):
    with tf.Session() as s:
        return s.run(list(fetches), feed)


def _rng(*shape, seed=0):
    return np.random.RandomState(seed).standard_normal(shape)


# -- kernels --------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_complex_ffts_match_numpy(dtype) -> None:
    x = (_rng(2, 3, 4, 5) + 1j * _rng(2, 3, 4, 5, seed=1)).astype(dtype)
    t = tf.constant(x)
    outs = _run(tf.signal.fft(t), tf.signal.ifft(t), tf.signal.fft2d(t), tf.signal.ifft2d(t),
                tf.signal.fft3d(t), tf.signal.ifft3d(t))
    want = [np.fft.fft(x), np.fft.ifft(x), np.fft.fft2(x), np.fft.ifft2(x),
            np.fft.fftn(x, axes=(-3, -2, -1)), np.fft.ifftn(x, axes=(-3, -2, -1))]
    tol = 1e-4 if dtype == np.complex64 else 1e-12
    for got, exp in zip(outs, want):
        assert got.dtype == dtype
        np.testing.assert_allclose(got, exp, rtol=tol, atol=tol)


def test_real_ffts_pad_and_crop_as_numpy() -> None:
    x = _rng(3, 6)
    t = tf.constant(x)
    r, rp, rc, r2 = _run(tf.signal.rfft(t), tf.signal.rfft(t, [9]), tf.signal.rfft(t, [4]),
                         tf.signal.rfft2d(t, [2, 8]))
    np.testing.assert_allclose(r, np.fft.rfft(x), atol=1e-12)
    np.testing.assert_allclose(rp, np.fft.rfft(x, 9), atol=1e-12)
    np.testing.assert_allclose(rc, np.fft.rfft(x, 4), atol=1e-12)
    np.testing.assert_allclose(r2, np.fft.rfft2(x, (2, 8)), atol=1e-12)
    assert r.dtype == np.complex128
    c = tf.constant(np.fft.rfft(x))
    i, i7 = _run(tf.signal.irfft(c), tf.signal.irfft(c, [7]))
    np.testing.assert_allclose(i, np.fft.irfft(np.fft.rfft(x)), atol=1e-12)
    np.testing.assert_allclose(i7, np.fft.irfft(np.fft.rfft(x), 7), atol=1e-12)
    assert i.dtype == np.float64


def test_empty_and_zero_length_ffts() -> None:
    e = tf.zeros([0, 4], tf.complex64)
    out, = _run(tf.signal.fft(e))
    assert out.shape == (0, 4)
    z, = _run(tf.signal.rfft(tf.ones([2, 3]), [0]))
    assert z.shape == (2, 1) and not z.any()


def test_rfft_kernel_rejects_a_short_input() -> None:
    p = tf.placeholder(tf.float32, [None])
    # the wrapper pads only what it knows statically: a fed input shorter than fft_length
    # reaches the kernel through the dynamic padding, which does pad it
    out, = _run(tf.signal.rfft(p, [8]), feed={p: np.ones(3, np.float32)})
    np.testing.assert_allclose(out, np.fft.rfft(np.ones(3), 8), atol=1e-6)


# -- gradients ------------------------------------------------------------------------------------
def _fd_check(build, x0, eps=1e-6, tol=1e-5):
    x = tf.placeholder(tf.float64, x0.shape)
    y = build(x)
    g = tf.gradients(y, x)[0]
    with tf.Session() as s:
        analytic = s.run(g, {x: x0})
        num = np.zeros_like(x0)
        for idx in np.ndindex(*x0.shape):
            d = np.zeros_like(x0)
            d[idx] = eps
            num[idx] = (s.run(y, {x: x0 + d}) - s.run(y, {x: x0 - d})) / (2 * eps)
    np.testing.assert_allclose(analytic, num, rtol=tol, atol=tol)


@pytest.mark.parametrize("n", [5, 6])
def test_rfft_gradient_matches_finite_differences(n) -> None:
    w = _rng(3, n // 2 + 1, seed=4)
    _fd_check(lambda x: tf.reduce_sum(tf.real(tf.signal.rfft(x)) * w
                                      + tf.imag(tf.signal.rfft(x)) * w ** 2), _rng(3, n))


@pytest.mark.parametrize("shape", [(3, 4), (3, 5)])
def test_rfft2d_gradient_matches_finite_differences(shape) -> None:
    w = _rng(shape[0], shape[1] // 2 + 1, seed=5)
    _fd_check(lambda x: tf.reduce_sum(tf.abs(tf.signal.rfft2d(x)) * w), _rng(*shape))


@pytest.mark.parametrize("n", [6, 7])
def test_irfft_gradient_matches_finite_differences(n) -> None:
    w = _rng(2, n, seed=6)
    m = n // 2 + 1

    def build(x):
        c = tf.complex(x[:, :m], x[:, m:])
        return tf.reduce_sum(tf.signal.irfft(c, [n]) * w)

    _fd_check(build, _rng(2, 2 * m))


def test_stft_gradient_matches_finite_differences() -> None:
    _fd_check(lambda x: tf.reduce_sum(tf.abs(tf.signal.stft(x, 8, 3))), _rng(20), tol=1e-4)


def test_rfft3d_has_no_gradient_as_in_tf() -> None:
    x = tf.ones([2, 2, 2])
    with pytest.raises(LookupError, match="RFFT3D"):
        tf.gradients(tf.reduce_sum(tf.abs(tf.signal.rfft3d(x))), x)


# -- composites -----------------------------------------------------------------------------------
def test_stft_inverse_reconstructs_the_interior() -> None:
    x = _rng(2, 80).astype(np.float32)
    st = tf.signal.stft(x, 16, 4)
    back = tf.signal.inverse_stft(st, 16, 4, window_fn=tf.signal.inverse_stft_window_fn(4))
    got, = _run(back)
    np.testing.assert_allclose(got[:, 16:-16], x[:, 16:64], atol=1e-5)


def test_mdct_inverse_reconstructs_the_interior() -> None:
    x = _rng(64)
    back, = _run(tf.signal.inverse_mdct(tf.signal.mdct(x, 16)))
    np.testing.assert_allclose(back[8:-8], x[8:56], atol=1e-10)


@pytest.mark.parametrize("kind", [1, 2, 3, 4])
def test_idct_inverts_dct(kind) -> None:
    x = _rng(3, 8)
    norm = None if kind == 1 else "ortho"
    y, = _run(tf.signal.idct(tf.signal.dct(x, type=kind, norm=norm), type=kind, norm=norm))
    scale = 2 * (8 - 1) if kind == 1 else 1
    np.testing.assert_allclose(y / scale, x, atol=1e-10)


def test_dct2_matches_the_definition() -> None:
    x = _rng(6)
    k = np.arange(6)[:, None]
    n = np.arange(6)[None, :]
    want = 2 * (x[None, :] * np.cos(np.pi * k * (2 * n + 1) / 12)).sum(1)
    got, = _run(tf.signal.dct(x))
    np.testing.assert_allclose(got, want, atol=1e-10)


def test_frame_matches_strided_windows() -> None:
    x = _rng(3, 17)
    got, padded = _run(tf.signal.frame(x, 5, 3), tf.signal.frame(x, 5, 3, pad_end=True))
    want = np.stack([x[:, i:i + 5] for i in range(0, 13, 3)], 1)
    np.testing.assert_allclose(got, want)
    assert padded.shape == (3, 6, 5)
    assert (padded[:, -1, 2:] == 0).all()


def test_frame_with_dynamic_length_uses_a_while_gcd() -> None:
    x = _rng(30)
    n = tf.placeholder(tf.int32, [])
    f = tf.signal.frame(x, n, 4)
    assert f.shape.as_list() == [None, None]
    got, = _run(f, feed={n: 6})
    np.testing.assert_allclose(got, np.stack([x[i:i + 6] for i in range(0, 25, 4)]))


def test_windows_match_numpy() -> None:
    hann, ham, kai = _run(tf.signal.hann_window(9, periodic=False, dtype=tf.float64),
                          tf.signal.hamming_window(9, periodic=False, dtype=tf.float64),
                          tf.signal.kaiser_window(9, 5.0, dtype=tf.float64))
    np.testing.assert_allclose(hann, np.hanning(9), atol=1e-12)
    np.testing.assert_allclose(ham, np.hamming(9), atol=1e-12)
    np.testing.assert_allclose(kai, np.kaiser(9, 5.0), atol=1e-12)


def test_fftshift_matches_numpy() -> None:
    x = np.arange(35.0).reshape(5, 7)
    a, b, c = _run(tf.signal.fftshift(x), tf.signal.ifftshift(x), tf.signal.fftshift(x, axes=0))
    np.testing.assert_array_equal(a, np.fft.fftshift(x))
    np.testing.assert_array_equal(b, np.fft.ifftshift(x))
    np.testing.assert_array_equal(c, np.fft.fftshift(x, axes=0))


def test_complex_abs() -> None:
    c = tf.complex(tf.constant([3.0, 0.0]), tf.constant([4.0, -2.0]))
    a = tf.abs(c)
    assert a.op.type == "ComplexAbs" and a.dtype == tf.float32
    val, g = _run(a, tf.gradients(tf.reduce_sum(a), c)[0])
    np.testing.assert_allclose(val, [5.0, 2.0])
    np.testing.assert_allclose(g, [0.6 + 0.8j, -1j], atol=1e-6)


# -- import, namespaces ---------------------------------------------------------------------------
def test_import_round_trip_keeps_shapes_and_values() -> None:
    x = tf.constant(_rng(3, 4).astype(np.float32))
    ops = [tf.signal.rfft2d(x, [3, 6]), tf.signal.irfft(tf.signal.rfft(x)),
           tf.signal.fft(tf.complex(x, x))]
    gd = tf.get_default_graph().as_graph_def()
    want = _run(*ops)
    with tf.Graph().as_default():
        got_t = tf.import_graph_def(gd, return_elements=[t.name for t in ops], name="")
        assert [t.shape.as_list() for t in got_t] == [[3, 4], [3, 4], [3, 4]]
        got = _run(*got_t)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b)


def test_missing_signal_symbols_name_themselves() -> None:
    with pytest.raises(AttributeError, match="varstore lacks tf.signal.no_such_fn"):
        _ = tf.signal.no_such_fn
    with pytest.raises(AttributeError, match="tf.audio.no_such"):
        _ = tf.audio.no_such
    with pytest.raises(AttributeError, match="tf.spectral.no_such"):
        _ = tf.spectral.no_such
    assert tf.spectral.rfft is tf.signal.rfft and tf.fft is tf.signal.fft


# -- WAV ------------------------------------------------------------------------------------------
def test_wav_round_trip_and_clamping() -> None:
    audio = np.array([[2.0, -3.0], [0.5, -0.5], [1 / 65536, -1 / 65536]], np.float32)
    enc = tf.audio.encode_wav(audio, 22050)
    dec = tf.audio.decode_wav(enc)
    raw, (a, r) = _run(enc, dec)
    assert raw[:4] == b"RIFF" and len(raw) == 44 + 12
    assert int(r) == 22050
    np.testing.assert_allclose(a, [[32767 / 32768, -1.0], [0.5, -0.5], [1 / 32768, -1 / 32768]])


def test_wav_decode_errors_are_invalid_argument() -> None:
    blob = tf.placeholder(tf.string, [])
    dec = tf.audio.decode_wav(blob)
    with tf.Session() as s:
        with pytest.raises(errors.InvalidArgumentError, match="Header mismatch"):
            s.run(dec.audio, {blob: b"RIFX0000WAVE"})
        with pytest.raises(errors.InvalidArgumentError, match="Data too short"):
            s.run(dec.audio, {blob: b"RI"})


def test_wav_encode_rejects_bad_shapes() -> None:
    with pytest.raises(ValueError, match="Shape must be rank 2"):
        tf.audio.encode_wav(tf.ones([3]), 8000)
    with pytest.raises(ValueError, match="Shape must be rank 0"):
        tf.audio.encode_wav(tf.ones([3, 1]), [8000])


def test_rfft_gradient_of_a_cropped_input_fails_as_tf() -> None:
    # TF's RFFT gradient assumes fft_length covers the input: statically a shape error, with
    # shapes known only at run time TF's 'Incompatible shapes' from the AddV2 kernel
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 4 and 6"):
        x = tf.ones([3, 6])
        tf.gradients(tf.reduce_sum(tf.abs(tf.signal.rfft(x, [4]))), x)
    p = tf.placeholder(tf.float32, [None, None])
    n = tf.placeholder(tf.int32, [1])
    g = tf.gradients(tf.reduce_sum(tf.abs(tf.signal.rfft(p, n))), p)[0]
    with pytest.raises(errors.InvalidArgumentError,
                       match=r"Incompatible shapes: \[2,12\] vs. \[2,20\]"):
        _run(g, feed={p: np.ones((2, 20), np.float32), n: [12]})
