"""Golden scenarios of the spectral ops and tf.signal / tf.spectral / tf.audio
(``record_tf.py --set signal``): FFT values and static shapes, the RFFT / IRFFT gradients,
framing, STFT and its inverse, windows, the mel matrix, MFCCs, DCTs, MDCT and WAV bytes."""

import numpy as np


def _v(a):
    a = np.asarray(a)
    if a.dtype.kind == "c":
        return {"re": _v(a.real), "im": _v(a.imag)}
    if a.dtype.kind in "iub":
        return a.tolist()
    return np.asarray(a, np.float64).round(5).tolist()


def _run(tf, fetches, feed=None):
    with tf.Session() as s:
        vals = s.run(fetches, feed)
    return {k: _v(v) for k, v in vals.items()}


def _shapes(d):
    return {k: v.shape.as_list() if v.shape.ndims is not None else None for k, v in d.items()}


def _err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the error is the observation
        text = e.message if hasattr(e, "message") else str(e)
        return [type(e).__name__, text.split("\n")[0]]
    return None


def _signal(n=32, rows=2):
    t = np.arange(n * rows, dtype=np.float64)
    return (np.sin(t * 0.3) + np.cos(t * 0.05) + 0.1 * np.sin(t * 1.7)).reshape(rows, n)


def scenario_complex_ffts(tf):
    re = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 7.0
    c = tf.complex(tf.constant(re), tf.constant(np.cos(re)))
    c128 = tf.cast(c, tf.complex128)
    ops = {"fft": tf.signal.fft(c), "ifft": tf.signal.ifft(c), "fft2d": tf.signal.fft2d(c),
           "ifft2d": tf.signal.ifft2d(c), "fft3d": tf.signal.fft3d(c),
           "ifft3d": tf.signal.ifft3d(c), "fft128": tf.fft(c128),
           "spectral_ifft2d": tf.spectral.ifft2d(c128)}
    out = _run(tf, ops)
    out["shapes"] = _shapes(ops)
    out["names"] = {k: [v.op.name, v.op.type, v.dtype.name] for k, v in ops.items()}
    return out


def scenario_real_ffts(tf):
    x = tf.constant(_signal(12, 3).astype(np.float32).reshape(3, 12)[:, :5])
    x3 = tf.constant(_signal(24, 1).reshape(2, 3, 4))
    ops = {"rfft": tf.signal.rfft(x), "rfft_pad": tf.signal.rfft(x, [8]),
           "rfft_crop": tf.signal.rfft(x, [3]), "rfft2d": tf.signal.rfft2d(x),
           "rfft2d_len": tf.signal.rfft2d(x, [4, 6]), "rfft3d": tf.signal.rfft3d(x3),
           "spectral_rfft": tf.spectral.rfft(x3, [5])}
    ops["irfft"] = tf.signal.irfft(ops["rfft"])
    ops["irfft_len"] = tf.signal.irfft(ops["rfft"], [5])
    ops["irfft_pad"] = tf.signal.irfft(ops["rfft"], [9])
    ops["irfft2d"] = tf.signal.irfft2d(ops["rfft2d_len"], [4, 6])
    ops["irfft3d"] = tf.signal.irfft3d(ops["rfft3d"], [2, 3, 4])
    out = _run(tf, ops)
    out["shapes"] = _shapes(ops)
    out["names"] = {k: [v.op.name, v.op.type, v.dtype.name] for k, v in ops.items()}
    out["fft_length_input"] = ops["rfft_pad"].op.inputs[1].op.name
    p = tf.placeholder(tf.float32, [None, None])
    dyn = tf.signal.rfft(p, [6])
    idyn = tf.signal.irfft(tf.signal.rfft(p))
    out["dynamic_shapes"] = [dyn.shape.as_list(), idyn.shape.as_list()]
    with tf.Session() as s:
        dv, iv = s.run([dyn, idyn], {p: np.ones((2, 4), np.float32)})
    out["dynamic"] = [_v(dv), _v(iv)]
    return out


def scenario_fft_gradients(tf):
    x = tf.constant(_signal(6, 3).astype(np.float32))
    c = tf.complex(x, tf.sin(x))
    w = tf.constant(np.linspace(-1.0, 2.0, 18).reshape(3, 6).astype(np.float32))
    wc = tf.complex(w, w * w)

    def loss(t):
        return tf.reduce_sum(tf.real(t) * w[:, :t.shape[-1]]) + \
            tf.reduce_sum(tf.imag(t) * w[:, :t.shape[-1]] * 0.5)

    grads = {"fft": tf.gradients(loss(tf.signal.fft(c)), c)[0],
             "ifft": tf.gradients(loss(tf.signal.ifft(c)), c)[0],
             "fft2d": tf.gradients(loss(tf.signal.fft2d(c * wc)), c)[0],
             "ifft2d": tf.gradients(loss(tf.signal.ifft2d(c)), c)[0],
             "rfft": tf.gradients(loss(tf.signal.rfft(x)), x)[0],
             "rfft_odd": tf.gradients(loss(tf.signal.rfft(x[:, :5])), x)[0],
             "rfft_pad": tf.gradients(loss(tf.signal.rfft(x, [9])), x)[0],
             "rfft2d": tf.gradients(loss(tf.signal.rfft2d(x)), x)[0],
             "rfft2d_odd": tf.gradients(loss(tf.signal.rfft2d(x[:, :5])), x)[0],
             "irfft": tf.gradients(tf.reduce_sum(tf.signal.irfft(c[:, :4]) * w[:, :6]), c)[0],
             "irfft_odd": tf.gradients(tf.reduce_sum(tf.signal.irfft(c[:, :4], [7]) * w[:, :1]),
                                       c)[0],
             "irfft2d": tf.gradients(tf.reduce_sum(tf.signal.irfft2d(c[:, :4]) * w), c)[0],
             "irfft2d_odd": tf.gradients(tf.reduce_sum(tf.signal.irfft2d(c[:, :3], [3, 5])
                                                       * w[:, :5]), c)[0]}
    out = _run(tf, grads)
    out["types"] = {k: v.op.type for k, v in grads.items()}
    out["rfft3d_grad"] = _err(lambda: tf.gradients(
        tf.reduce_sum(tf.abs(tf.signal.rfft3d(tf.reshape(x, [3, 2, 3])))), x))
    return out


def scenario_frame_and_overlap_add(tf):
    x = tf.constant(_signal(20).astype(np.float32))
    ops = {"frame": tf.signal.frame(x, 6, 4), "frame_pad": tf.signal.frame(x, 6, 4, pad_end=True,
                                                                         pad_value=-2.0),
           "frame_axis0": tf.signal.frame(tf.transpose(x), 5, 3, axis=0),
           "frame_3": tf.signal.frame(tf.reshape(x, [2, 4, 5]), 3, 1, axis=-2),
           "frame_long": tf.signal.frame(x, 30, 4)}
    ops["ola"] = tf.signal.overlap_and_add(ops["frame"], 4)
    ops["ola_fast"] = tf.signal.overlap_and_add(ops["frame"], 6)
    ops["ola_3"] = tf.signal.overlap_and_add(tf.reshape(ops["frame"], [2, 1, 4, 6]), 2)
    fetch = dict(ops)
    fetch["d_frame"] = tf.gradients(tf.reduce_sum(ops["frame"] * ops["frame"]), x)[0]
    fetch["d_ola"] = tf.gradients(tf.reduce_sum(ops["ola"] * tf.range(18.0)), x)[0]
    out = _run(tf, fetch)
    out["shapes"] = _shapes(ops)
    out["types"] = {k: v.op.type for k, v in ops.items()}
    p = tf.placeholder(tf.float32, [2, None])
    out["dynamic_shapes"] = [tf.signal.frame(p, 4, 2).shape.as_list(),
                             tf.signal.frame(p, 4, 2, pad_end=True).shape.as_list(),
                             tf.signal.overlap_and_add(tf.signal.frame(p, 4, 2), 2).shape.as_list()]
    return out


def scenario_stft_and_inverse(tf):
    x = tf.constant(_signal(64).astype(np.float32))
    ops = {"stft": tf.signal.stft(x, 16, 4),
           "stft_len": tf.signal.stft(x, 12, 5, fft_length=20, pad_end=True,
                                      window_fn=tf.signal.hamming_window),
           "stft_nowin": tf.signal.stft(x, 10, 6, window_fn=None)}
    ops["istft"] = tf.signal.inverse_stft(
        ops["stft"], 16, 4, window_fn=tf.signal.inverse_stft_window_fn(4))
    ops["istft_len"] = tf.signal.inverse_stft(ops["stft_len"], 12, 5, fft_length=20)
    ops["istft_crop"] = tf.signal.inverse_stft(ops["stft_nowin"], 10, 6, window_fn=None)
    mag = tf.abs(ops["stft"])
    fetch = dict(ops)
    fetch["mag"] = mag
    fetch["d_stft"] = tf.gradients(tf.reduce_sum(mag), x)[0]
    fetch["d_istft"] = tf.gradients(tf.reduce_sum(ops["istft"] * ops["istft"]), x)[0]
    fetch["d_istft_stfts"] = tf.gradients(tf.reduce_sum(ops["istft_len"] * tf.range(72.0)),
                                          ops["stft_len"])[0]
    out = _run(tf, fetch)
    out["shapes"] = _shapes(ops)
    out["names"] = {k: v.op.name for k, v in ops.items()}
    return out


def scenario_windows(tf):
    ops = {"hann": tf.signal.hann_window(7), "hann_sym": tf.signal.hann_window(8, periodic=False),
           "hann_1": tf.signal.hann_window(1), "hamming": tf.signal.hamming_window(6, dtype=tf.float64),
           "hamming_sym": tf.signal.hamming_window(5, periodic=False),
           "kaiser": tf.signal.kaiser_window(7, 4.0), "kaiser_even": tf.signal.kaiser_window(8),
           "kaiser_1": tf.signal.kaiser_window(1),
           "kbd": tf.signal.kaiser_bessel_derived_window(8, 3.0),
           "vorbis": tf.signal.vorbis_window(8, dtype=tf.float64)}
    n = tf.placeholder(tf.int32, [])
    dyn = {"hann_dyn": tf.signal.hann_window(n), "vorbis_dyn": tf.signal.vorbis_window(n)}
    with tf.Session() as s:
        out = {k: _v(v) for k, v in s.run(ops).items()}
        out["dyn"] = {k: _v(v) for k, v in s.run(dyn, {n: 6}).items()}
        out["dyn_1"] = _v(s.run(dyn["hann_dyn"], {n: 1}))
    out["shapes"] = _shapes({**ops, **dyn})
    out["errors"] = [_err(lambda: tf.signal.hann_window(4, dtype=tf.int32)),
                     _err(lambda: tf.signal.kaiser_window(4, dtype=tf.int32)),
                     _err(lambda: tf.signal.hann_window([4, 5]))]
    return out


def scenario_mel_and_mfcc(tf):
    x = tf.constant(_signal(64).astype(np.float32))
    mel = tf.signal.linear_to_mel_weight_matrix(6, 9, 8000, 100.0, 3900.0)
    mel2 = tf.signal.linear_to_mel_weight_matrix(dtype=tf.float64)
    st = tf.abs(tf.signal.stft(x, 16, 4))
    lm = tf.log(tf.tensordot(st, mel, 1) + 1e-3)
    mf = tf.signal.mfccs_from_log_mel_spectrograms(lm)
    fetch = {"mel": mel, "mel2_sum": tf.reduce_sum(mel2, 0), "lm": lm, "mfcc": mf,
             "d_mfcc": tf.gradients(tf.reduce_sum(mf[..., :3]), x)[0]}
    out = _run(tf, fetch)
    out["shapes"] = _shapes({"mel": mel, "mel2": mel2, "mfcc": mf})
    out["names"] = [mel.op.name, mel.op.type]
    out["errors"] = [
        _err(lambda: tf.signal.linear_to_mel_weight_matrix(0)),
        _err(lambda: tf.signal.linear_to_mel_weight_matrix(lower_edge_hertz=-1.0)),
        _err(lambda: tf.signal.linear_to_mel_weight_matrix(lower_edge_hertz=500.0,
                                                           upper_edge_hertz=400.0)),
        _err(lambda: tf.signal.linear_to_mel_weight_matrix(upper_edge_hertz=5000.0)),
        _err(lambda: tf.signal.linear_to_mel_weight_matrix(dtype=tf.int32))]
    return out


def scenario_dct(tf):
    x = tf.constant(_signal(10).astype(np.float32))
    ops = {}
    for k in (1, 2, 3, 4):
        ops[f"dct{k}"] = tf.signal.dct(x, type=k)
        ops[f"idct{k}"] = tf.signal.idct(x, type=k)
    for k in (2, 3, 4):
        ops[f"dct{k}_ortho"] = tf.signal.dct(x, type=k, norm="ortho")
    ops["dct_n_pad"] = tf.signal.dct(x, n=13)
    ops["dct_n_crop"] = tf.signal.dct(x, n=6, norm="ortho")
    ops["spectral_dct"] = tf.spectral.dct(tf.cast(x, tf.float64), type=3)
    ops["roundtrip"] = tf.signal.idct(tf.signal.dct(x, norm="ortho"), norm="ortho")
    fetch = dict(ops)
    fetch["d_dct2"] = tf.gradients(tf.reduce_sum(ops["dct2"] * tf.range(10.0)), x)[0]
    fetch["d_dct4_ortho"] = tf.gradients(tf.reduce_sum(ops["dct4_ortho"] ** 2), x)[0]
    out = _run(tf, fetch)
    out["shapes"] = _shapes(ops)
    out["errors"] = [_err(lambda: tf.signal.dct(x, type=5)),
                     _err(lambda: tf.signal.dct(x, type=1, norm="ortho")),
                     _err(lambda: tf.signal.dct(x, axis=0)),
                     _err(lambda: tf.signal.dct(x, n=0)),
                     _err(lambda: tf.signal.dct(x, norm="other")),
                     _err(lambda: tf.signal.dct(x[:, :1], type=1))]
    return out


def scenario_mdct(tf):
    x = tf.constant(_signal(32).astype(np.float32))
    ops = {"mdct": tf.signal.mdct(x, 8), "mdct_ortho": tf.signal.mdct(x, 8, norm="ortho",
                                                                      window_fn=None),
           "mdct_kbd": tf.signal.mdct(x, 12, pad_end=True,
                                      window_fn=tf.signal.kaiser_bessel_derived_window)}
    ops["imdct"] = tf.signal.inverse_mdct(ops["mdct"])
    ops["imdct_ortho"] = tf.signal.inverse_mdct(ops["mdct_ortho"], norm="ortho", window_fn=None)
    fetch = dict(ops)
    fetch["d_mdct"] = tf.gradients(tf.reduce_sum(ops["imdct"] * tf.range(32.0)), x)[0]
    out = _run(tf, fetch)
    out["shapes"] = _shapes(ops)
    out["errors"] = [_err(lambda: tf.signal.mdct(x, 10))]
    return out


def scenario_shifts(tf):
    x = tf.constant(np.arange(15.0).reshape(3, 5))
    ops = {"fftshift": tf.signal.fftshift(x), "ifftshift": tf.signal.ifftshift(x),
           "fftshift_1": tf.signal.fftshift(x, axes=1), "ifftshift_neg": tf.signal.ifftshift(
               x, axes=[-1]), "fftshift_list": tf.signal.fftshift(x, axes=[0, 1])}
    out = _run(tf, ops)
    out["names"] = {k: [v.op.name, v.op.type] for k, v in ops.items()}
    out["d"] = _run(tf, {"g": tf.gradients(tf.reduce_sum(ops["fftshift"] * x), x)[0]})
    return out


def scenario_wav(tf):
    audio = np.array([[0.0, 0.5], [-0.5, 1.0], [-1.0, 1.5], [1.5 / 32768, -2.5 / 32768],
                      [0.3, -0.7], [0.123456, -0.999]], np.float32)
    enc = tf.audio.encode_wav(tf.constant(audio), 16000)
    enc1 = tf.audio.encode_wav(tf.constant(audio[:, :1]), tf.constant(44100))
    dec = tf.audio.decode_wav(enc)
    up = tf.audio.decode_wav(enc1, desired_channels=3, desired_samples=8)
    down = tf.audio.decode_wav(enc, desired_channels=1, desired_samples=2)
    with tf.Session() as s:
        e, e1, d, u, dn = s.run([enc, enc1, dec, up, down])
    out = {"wav": e.hex(), "wav_mono": e1.hex(), "decoded": _v(d.audio), "rate": int(d.sample_rate),
           "up": _v(u.audio), "up_rate": int(u.sample_rate), "down": _v(dn.audio)}
    out["shapes"] = _shapes({"enc": enc, "audio": dec.audio, "rate": dec.sample_rate,
                             "up": up.audio, "down": down.audio})
    out["names"] = [enc.op.name, enc.op.type, dec.audio.op.name, dec.audio.op.type,
                    type(dec).__name__]
    blob = tf.placeholder(tf.string, [])
    decoded = tf.audio.decode_wav(blob).audio
    junk = e[:12] + b"JUNK\x04\x00\x00\x00abcd" + e[12:]
    extra = e + b"LIST\x02\x00\x00\x00zz"
    bad = {"riff": b"RIFX" + e[4:], "field": e[:12] + b"abcd" + e[16:], "short": e[:30],
           "format": e[:20] + b"\x03\x00" + e[22:], "bits": e[:34] + b"\x08\x00" + e[36:],
           "nodata": e[:36]}
    with tf.Session() as s:
        out["junk"] = _v(s.run(decoded, {blob: junk}))
        out["extra_chunk"] = _v(s.run(decoded, {blob: extra}))
        errors = {}
        for k, b in bad.items():
            try:
                s.run(decoded, {blob: b})
                errors[k] = None
            except Exception as ex:  # noqa: BLE001 - the error is the observation
                # TF's run-time message: its last line before the node
                errors[k] = [type(ex).__name__,
                             ex.message.split("\n\t [[")[0].split("\n")[-1]]
    out["errors"] = errors
    return out


def scenario_errors(tf):
    f = tf.constant([1.0, 2.0])
    c = tf.complex(f, f)
    return {"fft_float": _err(lambda: tf.signal.fft(f)),
            "fft_scalar": _err(lambda: tf.signal.fft(tf.complex(1.0, 2.0))),
            "rfft_int": _err(lambda: tf.signal.rfft(tf.constant([1, 2]))),
            "rfft_complex": _err(lambda: tf.signal.rfft(c)),
            "irfft_float": _err(lambda: tf.signal.irfft(f)),
            "rfft2d_rank": _err(lambda: tf.signal.rfft2d(f)),
            "frame_scalar": _err(lambda: tf.signal.frame(tf.constant(1.0), 2, 1)),
            "ola_rank": _err(lambda: tf.signal.overlap_and_add(f, 1)),
            "ola_float_step": _err(lambda: tf.signal.overlap_and_add(tf.ones([2, 3]), 1.0)),
            "encode_rank": _err(lambda: tf.audio.encode_wav(f, 8000)),
            "decode_rank": _err(lambda: tf.audio.decode_wav(tf.constant(["a", "b"])))}


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}


def scenario_graph_structure(tf):
    x = tf.placeholder(tf.float32, [2, 40], name="x")
    st = tf.signal.stft(x, 12, 5, pad_end=True)
    back = tf.signal.inverse_stft(st, 12, 5, fft_length=16)
    d = tf.signal.dct(tf.signal.frame(x, 8, 8), type=3, norm="ortho")
    r = tf.signal.irfft2d(tf.signal.rfft2d(tf.reshape(x, [2, 5, 8]), [4, 8]))
    ops = [[o.name, o.type] for o in tf.get_default_graph().get_operations()]
    return {"ops": ops, "shapes": _shapes({"st": st, "back": back, "d": d, "r": r})}


def scenario_audio_summary(tf):
    clips = tf.constant(_signal(12, 4).reshape(2, 12, 2).astype(np.float32) * 0.5)
    s1 = tf.summary.audio("snd", clips, 8000.5, max_outputs=1)
    s2 = tf.summary.audio("snd", clips[:, :, 0], 16000, family="fam")
    with tf.name_scope("outer"):
        s3 = tf.summary.audio("clip", clips, tf.constant(22050.0), max_outputs=5)
    with tf.Session() as s:
        b = s.run([s1, s2, s3])
    return {"bytes": [v.hex() for v in b],
            "names": [[t.op.name, t.op.type] for t in (s1, s2, s3)],
            "collection": [t.name for t in tf.get_collection(tf.GraphKeys.SUMMARIES)],
            "ops": [[o.name, o.type] for o in tf.get_default_graph().get_operations()]}
