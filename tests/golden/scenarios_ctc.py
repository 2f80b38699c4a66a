"""Golden scenarios of TF1's CTC family (``record_tf.py --set ctc``): ctc_loss values and
gradients (options, batch-major, float64, ignored items), its errors, the greedy and beam
search decoders, and a tiny BiLSTM + dense + ctc_loss model trained a few steps."""

import numpy as np


def _v(x):
    if isinstance(x, (bytes, str)):
        return x
    a = np.asarray(x)
    if a.dtype.kind in "iub":
        return a.tolist()
    return np.asarray(a, np.float64).round(5).tolist()


def _err(fn):
    """Type and message of the exception ``fn`` raises (None, None if none)."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        msg = getattr(e, "message", None)
        return {"type": type(e).__name__, "msg": msg if msg is not None else str(e)}
    return {"type": None, "msg": None}


def _run_err(tf, fetch):
    def go():
        with tf.Session() as s:
            s.run(fetch)
    r = _err(go)
    # the kernel's message: TF 2's graph-execution message carries it after "Node: '...'"
    lines = (r["msg"] or "").split("\n")
    for i, line in enumerate(lines[:-1]):
        if line.startswith("Node: "):
            return {"type": r["type"], "msg": lines[i + 1]}
    return {"type": r["type"], "msg": lines[0]}


def _logits(t=5, b=2, c=4, seed=0):
    return np.random.RandomState(seed).randn(t, b, c).astype(np.float32)


def _labels(tf, rows):
    idx = [[b, i] for b, r in enumerate(rows) for i in range(len(r))]
    vals = [v for r in rows for v in r]
    width = max(len(r) for r in rows)
    return tf.SparseTensor(np.array(idx, np.int64).reshape(-1, 2), np.array(vals, np.int32),
                           [len(rows), width])


def _sv(v):
    return {"indices": _v(v.indices), "values": _v(v.values), "shape": _v(v.dense_shape)}


def scenario_loss_and_grad(tf):
    x = tf.constant(_logits(6, 3, 5))
    lab = _labels(tf, [[0, 1, 1], [2], [3, 0]])
    out = {}
    for name, kw in (("plain", {}), ("collapse", {"preprocess_collapse_repeated": True}),
                     ("nomerge", {"ctc_merge_repeated": False}),
                     ("both", {"preprocess_collapse_repeated": True, "ctc_merge_repeated": False})):
        loss = tf.nn.ctc_loss(lab, x, [6, 4, 5], **kw)
        grad = tf.gradients(tf.reduce_sum(loss * [1.0, 2.0, 0.5]), x)[0]
        with tf.Session() as s:
            lv, gv = s.run([loss, grad])
        out[name] = {"loss": _v(lv), "grad": _v(gv)}
    loss = tf.nn.ctc_loss(lab, x, [6, 4, 5])
    out["types"] = [loss.op.type, [o.shape.as_list() for o in loss.op.outputs]]
    g = tf.gradients(loss, x)[0]
    out["grad_op"] = [g.op.type, sorted(i.op.type for i in g.op.inputs)]
    out["name"] = loss.name
    out["second"] = _err(lambda: tf.gradients(g, x))
    return out


def scenario_batch_major_float64_half(tf):
    xn = _logits(4, 2, 3, seed=1)
    lab = _labels(tf, [[0, 1], [1]])
    xb = tf.constant(np.transpose(xn, (1, 0, 2)))
    lb = tf.nn.ctc_loss(lab, xb, [4, 3], time_major=False)
    x64 = tf.constant(xn.astype(np.float64))
    l64 = tf.nn.ctc_loss(lab, x64, [4, 3])
    x16 = tf.constant(xn.astype(np.float16))
    l16 = tf.nn.ctc_loss(lab, x16, [4, 3])
    types = sorted({o.type for o in tf.get_default_graph().get_operations()})
    g64 = tf.gradients(l64, x64)[0]
    gb = tf.gradients(lb, xb)[0]
    with tf.Session() as s:
        r = s.run({"lb": lb, "gb": gb, "l64": l64, "g64": g64, "l16": l16})
    out = {k: _v(v) for k, v in r.items()}
    out["dtypes"] = [lb.dtype.name, l64.dtype.name, l16.dtype.name]
    out["types"] = types
    return out


def scenario_ignore_longer_and_placeholder(tf):
    x = tf.placeholder(tf.float32, [None, None, 4])
    sl = tf.placeholder(tf.int32, [None])
    lab = _labels(tf, [[0, 1, 2], [1], [2, 2]])
    loss = tf.nn.ctc_loss(lab, x, sl, ignore_longer_outputs_than_inputs=True)
    g = tf.gradients(loss, x)[0]
    with tf.Session() as s:
        lv, gv = s.run([loss, g], {x: _logits(3, 3, 4, seed=2), sl: [2, 0, 3]})
    return {"loss": _v(lv), "grad": _v(gv), "shape": loss.shape.as_list(),
            "gshape": loss.op.outputs[1].shape.as_list()}


def scenario_loss_errors(tf):
    x = tf.constant(_logits(4, 2, 5))
    out = {}
    cases = {
        "seq_long": ([[0], [1]], [5, 4]), "seq_neg": ([[0], [1]], [-1, 4]),
        "too_short": ([[0, 1, 2], [1]], [2, 4]), "empty": ([[0]], [4, 4]),
        "seq_zero": ([[0], [1]], [0, 4]), "after_blank": ([[4, 1], [1]], [4, 4]),
        "negative": ([[-1, 1], [1]], [4, 4]),
    }
    for k, (rows, sl) in cases.items():
        if k == "empty":
            lab = tf.SparseTensor(np.array([[0, 0]], np.int64), np.array([1], np.int32), [2, 1])
        else:
            lab = _labels(tf, rows)
        out[k] = _run_err(tf, tf.nn.ctc_loss(lab, x, sl))
    bad = tf.SparseTensor(np.array([[0, 1], [0, 0], [1, 0]], np.int64),
                          np.array([2, 1, 1], np.int32), [2, 2])
    out["order"] = _run_err(tf, tf.nn.ctc_loss(bad, x, [4, 4]))
    out["dense_labels"] = _err(lambda: tf.nn.ctc_loss(tf.constant([[1]]), x, [4, 4]))
    out["batch_mismatch"] = _err(lambda: tf.nn.ctc_loss(_labels(tf, [[0]]), x, [4, 4, 4]))
    out["rank"] = _err(lambda: tf.nn.ctc_loss(_labels(tf, [[0]]), tf.constant([[1.0]]), [1]))
    return out


def scenario_greedy_decoder(tf):
    xn = _logits(5, 3, 4, seed=3)
    xn[1, 0] = xn[0, 0]  # a repeat for merge_repeated
    x = tf.constant(xn)
    out = {}
    for name, kw in (("merge", {}), ("nomerge", {"merge_repeated": False}),
                     ("blank0", {"blank_index": 0}), ("blank_neg", {"blank_index": -2})):
        (dec,), lp = tf.nn.ctc_greedy_decoder(x, [5, 3, 0], **kw)
        with tf.Session() as s:
            dv, lv = s.run([dec, lp])
        out[name] = {"decoded": _sv(dv), "log_prob": _v(lv)}
    (dec,), lp = tf.nn.ctc_greedy_decoder(x, [5, 3, 0])
    out["shapes"] = [dec.indices.shape.as_list(), dec.values.shape.as_list(),
                     dec.dense_shape.shape.as_list(), lp.shape.as_list(), dec.values.dtype.name]
    out["type"] = lp.op.type
    out["seq_long"] = _run_err(tf, tf.nn.ctc_greedy_decoder(x, [6, 3, 0])[1])
    out["blank_bad"] = _run_err(tf, tf.nn.ctc_greedy_decoder(x, [5, 3, 0], blank_index=4)[1])
    return out


def scenario_beam_search_decoder(tf):
    out = {}
    for seed, (t, b, c) in enumerate(((5, 2, 4), (6, 3, 3), (4, 1, 5))):
        xn = _logits(t, b, c, seed=10 + seed) * 2.0
        x = tf.constant(xn)
        sl = [t] + [max(1, t - 1 - i) for i in range(b - 1)]
        for bw, tp, merge in ((1, 1, True), (3, 2, True), (4, 3, False), (8, 4, True)):
            dec, lp = tf.nn.ctc_beam_search_decoder(x, sl, beam_width=bw, top_paths=tp,
                                                    merge_repeated=merge)
            with tf.Session() as s:
                dv, lv = s.run([dec, lp])
            out[f"{seed}_{bw}_{tp}_{merge}"] = {"decoded": [_sv(d) for d in dv],
                                                "log_prob": _v(lv)}
    x = tf.placeholder(tf.float32, [None, 2, 4])
    dec, lp = tf.nn.ctc_beam_search_decoder(x, [3, 3], beam_width=3, top_paths=2)
    out["shapes"] = [[d.indices.shape.as_list() for d in dec], lp.shape.as_list(), lp.op.type]
    dec2, lp2 = tf.nn.ctc_beam_search_decoder_v2(tf.constant(_logits(5, 2, 4)), [5, 4],
                                                 beam_width=5, top_paths=2)
    with tf.Session() as s:
        dv, lv = s.run([dec2, lp2])
    out["v2"] = {"decoded": [_sv(d) for d in dv], "log_prob": _v(lv)}
    xc = tf.constant(_logits(4, 2, 5))
    out["too_many"] = _run_err(tf, tf.nn.ctc_beam_search_decoder(xc, [4, 4], beam_width=2,
                                                                 top_paths=3)[1])
    out["zero_width"] = _err(lambda: tf.nn.ctc_beam_search_decoder(xc, [4, 4], beam_width=0))
    return out


def scenario_beam_search_pruning(tf):
    """Narrow beams on longer random inputs: which prefixes TF's beam drops and keeps."""
    out = {}
    for seed in range(6):
        rng = np.random.RandomState(100 + seed)
        t, c = 7 + seed % 3, 3 + seed % 4
        x = tf.constant((rng.randn(t, 2, c) * (1.0 + seed % 2)).astype(np.float32))
        for bw, tp in ((2, 2), (3, 1), (5, 5)):
            dec, lp = tf.nn.ctc_beam_search_decoder(x, [t, t - 2], beam_width=bw, top_paths=tp,
                                                    merge_repeated=bool(seed % 2))
            with tf.Session() as s:
                dv, lv = s.run([dec, lp])
            out[f"{seed}_{bw}_{tp}"] = {"decoded": [_sv(d) for d in dv], "log_prob": _v(lv)}
    x64 = tf.constant(np.random.RandomState(7).randn(5, 1, 4))
    dec, lp = tf.nn.ctc_beam_search_decoder(x64, [5], beam_width=4, top_paths=2)
    with tf.Session() as s:
        dv, lv = s.run([dec, lp])
    out["f64"] = {"decoded": [_sv(d) for d in dv], "log_prob": _v(lv), "dtype": lp.dtype.name}
    few = tf.constant(np.zeros((1, 1, 2), np.float32))
    out["few_leaves"] = _run_err(tf, tf.nn.ctc_beam_search_decoder(few, [1], beam_width=5,
                                                                   top_paths=3)[1])
    return out


def scenario_bilstm_ctc_training(tf):
    out = {}
    for opt_name in ("sgd", "adam"):
        tf.reset_default_graph()
        xn = np.random.RandomState(5).randn(2, 6, 3).astype(np.float32)  # batch-major
        x = tf.constant(xn)
        lab = _labels(tf, [[0, 1, 1], [2, 0]])
        with tf.variable_scope("m", initializer=tf.constant_initializer(0.1)):
            fw = tf.nn.rnn_cell.LSTMCell(3)
            bw = tf.nn.rnn_cell.LSTMCell(3)
            (of, ob), _ = tf.nn.bidirectional_dynamic_rnn(fw, bw, x, sequence_length=[6, 5],
                                                          dtype=tf.float32)
            h = tf.concat([of, ob], 2)
            k = np.linspace(-0.5, 0.5, 6 * 4).reshape(6, 4).astype(np.float32)
            logits = tf.layers.dense(h, 4, kernel_initializer=tf.constant_initializer(k),
                                     bias_initializer=tf.constant_initializer(0.05))
        loss = tf.reduce_mean(tf.nn.ctc_loss(lab, logits, [6, 5], time_major=False))
        opt = (tf.train.GradientDescentOptimizer(0.5) if opt_name == "sgd"
               else tf.train.AdamOptimizer(0.05))
        train = opt.minimize(loss)
        dec, lp = tf.nn.ctc_greedy_decoder(tf.transpose(logits, [1, 0, 2]), [6, 5])
        steps = []
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            for _ in range(3):
                lv, _ = s.run([loss, train])
                steps.append(_v(lv))
            final = s.run(loss)
            dv = s.run(dec[0])
            weights = {v.op.name: _v(s.run(v)) for v in tf.trainable_variables()}
        out[opt_name] = {"losses": steps, "final": _v(final), "decoded": _sv(dv),
                         "weights": weights}
    return out


def scenario_collapse_and_unique_labels(tf):
    labels = tf.constant([[1, 1, 2, 2, 3], [4, 4, 4, 0, 0], [5, 6, 6, 5, 5]])
    coll, lens = tf.nn.collapse_repeated(labels, [5, 3, 4])
    ph = tf.placeholder(tf.int32, [None, None])
    coll_p, lens_p = tf.nn.collapse_repeated(ph, tf.constant([2, 1], tf.int64))
    uniq, idx = tf.nn.ctc_unique_labels(labels)
    with tf.Session() as s:
        r = s.run({"coll": coll, "lens": lens, "uniq": uniq, "idx": idx, "coll_p": coll_p,
                   "lens_p": lens_p}, {ph: [[3, 3, 1], [2, 2, 2]]})
    out = {k: _v(v) for k, v in r.items()}
    out["meta"] = [lens.dtype.name, coll_p.shape.as_list(),
                   lens_p.dtype.name, uniq.dtype.name, idx.dtype.name, uniq.shape.as_list(),
                   coll.name, uniq.name]
    return out


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
