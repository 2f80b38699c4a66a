"""Golden scenarios of tf.linalg decompositions and solvers (``record_tf.py --set linalg``):
values, static shapes, op types, errors and gradients.

Singular and eigen vectors are only defined up to a sign per column (TF's kernels are Eigen's,
varstore's LAPACK's through NumPy), so the scenarios compare what does not depend on it:
singular values and eigenvalues, reconstructions, |u| and |v|, and gradients of losses that
are invariant under those sign flips (sums over s, e, u * u, v * v)."""

import numpy as np


def _np(v, nd=4):
    a = np.asarray(v, np.float64).round(nd)
    if np.all(np.isfinite(a)):
        return a.tolist()
    # NaN never equals NaN: non-finite values are compared as their names
    return np.vectorize(lambda x: x if np.isfinite(x) else str(x), otypes=[object])(a).tolist()


def _run(tf, fetches, feed=None, nd=3):
    with tf.Session() as s:
        vals = s.run(fetches, feed)
    return {k: _np(v, nd) if not isinstance(v, list) else [_np(x, nd) for x in v]
            for k, v in vals.items()}


def _shape(t):
    return None if t.shape.ndims is None else t.shape.as_list()


def _err(f):
    try:
        f()
    except (ValueError, TypeError, NotImplementedError, LookupError) as e:
        return [type(e).__name__, str(e)]
    return None


def _message(text):
    """The first line of an op error's own message (TF prefixes where the node was defined)."""
    lines = text.split("\n\t [[")[0].split("\n")
    for i, line in enumerate(lines):
        if line.startswith("Node: '"):
            return lines[i + 1]
    return lines[0]


def _run_err(tf, t, feed=None):
    with tf.Session() as s:
        try:
            s.run(t, feed)
        except tf.errors.OpError as e:
            return [type(e).__name__, _message(e.message)]
    return None


def _graph_err(tf, build):
    """A run-time error in a graph of its own (an op without a kernel poisons its graph)."""
    with tf.Graph().as_default():
        err = _run_err(tf, build())
    # TF lists the attrs of a missing kernel in hash-map order: compared up to them
    return err and [err[0], err[1].split(" with these attrs")[0]]


def _rand(seed, *shape):
    return np.random.RandomState(seed).randn(*shape)


def _svd_grad(tf, x, full_matrices):
    return tf.gradients(tf.svd(x, full_matrices=full_matrices)[1], x)


def scenario_svd(tf):
    a_np = _rand(1, 2, 3, 4).astype(np.float32)
    a = tf.constant(a_np)
    b = tf.constant(_rand(2, 4, 3))
    s, u, v = tf.svd(a)
    sb, ub, vb = tf.linalg.svd(b, full_matrices=True)
    s_only = tf.svd(b, compute_uv=False, name="values")
    rec = tf.matmul(u, tf.matmul(tf.matrix_diag(s), v, adjoint_b=True))
    rec_b = tf.matmul(ub[:, :3], tf.matmul(tf.matrix_diag(sb), vb, adjoint_b=True))
    fetch = {"s": s, "abs_u": tf.abs(u), "abs_v": tf.abs(v), "rec": rec, "sb": sb,
             "rec_b": rec_b, "s_only": s_only, "abs_ub": tf.abs(ub[:, :3]), "abs_vb": tf.abs(vb),
             "orth_b": tf.matmul(ub, ub, transpose_a=True)}
    w = tf.constant(np.arange(1, 4, dtype=np.float32))
    loss = tf.reduce_sum(s * w) + tf.reduce_sum(u * u * 0.3) + tf.reduce_sum(tf.square(v[..., 0]))
    fetch["d_a"] = tf.gradients(loss, a)[0]
    loss_b = tf.reduce_sum(sb * sb) + tf.reduce_sum(ub[:, 0] ** 2 * np.arange(4.0))
    fetch["d_b"] = tf.gradients(loss_b, b)[0]
    fetch["d_s_only"] = tf.gradients(tf.reduce_sum(s_only), b)[0]
    wide = tf.constant(_rand(3, 2, 3))
    sw, uw, vw = tf.svd(wide, full_matrices=True)
    fetch["d_wide"] = tf.gradients(tf.reduce_sum(sw * [2.0, 1.0]) + tf.reduce_sum(vw[:, :2] ** 3 * 0.0)
                                   + tf.reduce_sum(uw * uw), wide)[0]
    out = _run(tf, fetch)
    out["names"] = [s.name, u.name, v.name, s_only.name, s_only.op.outputs[1].name]
    out["types"] = [s.op.type, s_only.op.type]
    out["attrs"] = [s_only.op.get_attr("compute_uv"), sb.op.get_attr("full_matrices")]
    p = tf.placeholder(tf.float32, [None, 3, None])
    ps = tf.svd(p)
    pf = tf.svd(tf.placeholder(tf.float32, [4, 6]), full_matrices=True)
    pz = tf.svd(tf.placeholder(tf.float32, [None, 0]))
    out["shapes"] = {"s": _shape(s), "u": _shape(u), "v": _shape(v), "ub": _shape(ub),
                     "vb": _shape(vb), "s_only": _shape(s_only),
                     "s_only_u": _shape(s_only.op.outputs[1]), "p": [_shape(t) for t in ps],
                     "pf": [_shape(t) for t in pf], "pz": [_shape(t) for t in pz],
                     "unknown": [_shape(t) for t in tf.svd(tf.placeholder(tf.float64))]}
    out["errors"] = [
        _err(lambda: tf.svd(tf.ones([3]))),
        _err(lambda: tf.svd(tf.ones([3, 3], tf.int32))),
        _err(lambda: _svd_grad(tf, tf.placeholder(tf.float32, [3, None]), False)),
        _err(lambda: _svd_grad(tf, tf.ones([5, 2]), True)),
        _graph_err(tf, lambda: tf.svd(tf.ones([3, 3], tf.float16))),
    ]
    return out


def scenario_svd_edge_cases(tf):
    fetch = {"nan": tf.svd(tf.constant([[np.nan, 0.0], [0.0, 1.0]]))[0],
             "rank1": tf.svd(tf.ones([3, 2]), compute_uv=False),
             "batch0": tf.svd(tf.ones([0, 2, 2]))[0],
             "empty_full_u": tf.svd(tf.ones([2, 0]), full_matrices=True)[1]}
    out = _run(tf, fetch)
    p = tf.placeholder(tf.float32)
    out["rank_err"] = _run_err(tf, tf.svd(p)[0], {p: np.ones(3)})
    return out


def scenario_self_adjoint_eig(tf):
    m = _rand(4, 2, 4, 4)
    sym = m + np.swapaxes(m, -1, -2)
    # garbage above the diagonal: only the lower triangle is read
    a_np = (np.tril(sym) + np.triu(np.full((4, 4), 9.0), 1)).astype(np.float32)
    a = tf.constant(a_np)
    e, v = tf.self_adjoint_eig(a)
    e2, v2 = tf.linalg.eigh(tf.constant(sym[0]))
    ev = tf.self_adjoint_eigvals(a)
    ev2 = tf.linalg.eigvalsh(tf.constant(sym[1]), name="vals")
    rec = tf.matmul(v, tf.matmul(tf.matrix_diag(e), v, adjoint_b=True))
    fetch = {"e": e, "abs_v": tf.abs(v), "rec": rec, "e2": e2, "abs_v2": tf.abs(v2), "ev": ev,
             "ev2": ev2}
    w = tf.constant(np.arange(4, dtype=np.float32) + 1.0)
    loss = tf.reduce_sum(e * w) + tf.reduce_sum(v * v * tf.constant(_rand(5, 4, 4).astype(np.float32)))
    fetch["d_a"] = tf.gradients(loss, a)[0]
    fetch["d_vals"] = tf.gradients(tf.reduce_sum(ev * w), a)[0]
    x64 = tf.constant(sym[1])
    fetch["d_x64"] = tf.gradients(tf.reduce_sum(tf.linalg.eigvalsh(x64) ** 2), x64)[0]
    out = _run(tf, fetch)
    out["names"] = [e.name, v.name, ev.name, ev.op.outputs[1].name, ev2.name]
    out["types"] = [e.op.type, ev.op.type, ev.op.get_attr("compute_v")]
    p = tf.placeholder(tf.float32, [None, None, 3])
    out["shapes"] = {"e": _shape(e), "v": _shape(v), "ev_v": _shape(ev.op.outputs[1]),
                     "p": [_shape(t) for t in tf.self_adjoint_eig(p)],
                     "unknown": [_shape(t) for t in tf.self_adjoint_eig(tf.placeholder(tf.float32))]}
    out["errors"] = [
        _err(lambda: tf.self_adjoint_eig(tf.ones([3, 4]))),
        _err(lambda: tf.self_adjoint_eig(tf.ones([3]))),
        _err(lambda: tf.self_adjoint_eigvals(tf.ones([3, 3], tf.int64))),
        _run_err(tf, tf.self_adjoint_eig(tf.constant([[np.nan, 0.0], [0.0, 1.0]]))),
        _graph_err(tf, lambda: tf.self_adjoint_eig(tf.ones([2, 2], tf.float16))),
    ]
    q = tf.placeholder(tf.float32)
    out["errors"].append(_run_err(tf, tf.self_adjoint_eigvals(q), {q: np.ones((2, 3))}))
    return out


def scenario_lu(tf):
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 10.0]])
    batch = tf.constant(_rand(6, 2, 4, 4))
    lu, p = tf.linalg.lu(x)
    lub, pb = tf.linalg.lu(batch, output_idx_type=tf.int64)
    with tf.Session() as s:
        vals = s.run({"lu": lu, "p": p, "lub": lub, "pb": pb})
    out = {"lu": _np(vals["lu"]), "p": vals["p"].tolist(), "lub": _np(vals["lub"]),
           "pb": vals["pb"].tolist(), "p_dtypes": [p.dtype.name, pb.dtype.name]}
    out["names"] = [lu.name, p.name, lub.op.type]
    out["shapes"] = [_shape(t) for t in (lu, p, *tf.linalg.lu(tf.placeholder(tf.float32, [None, 3, None])))]
    out["errors"] = [
        _err(lambda: tf.linalg.lu(tf.ones([3, 4]))),
        _err(lambda: tf.linalg.lu(tf.ones([3]))),
        _err(lambda: tf.linalg.lu(tf.ones([2, 2], tf.int32))),
        _run_err(tf, tf.linalg.lu(tf.constant([[1.0, 2.0], [2.0, 4.0]]))),
        _err(lambda: tf.gradients(tf.linalg.lu(x)[0], x)),
    ]
    return out


def scenario_matrix_square_root(tf):
    m = _rand(7, 2, 3, 3)
    spd = (np.matmul(m, np.swapaxes(m, -1, -2)) + 3.0 * np.eye(3)).astype(np.float32)
    a = tf.constant(spd)
    # complex eigenvalues (a rotation-like block) and a defective (Jordan) block
    gen = tf.constant([[1.0, -2.0, 0.5, 0.0], [2.0, 1.0, 0.0, 0.3], [0.0, 0.0, 3.0, 1.0],
                       [0.0, 0.0, 0.0, 3.0]], tf.float64)
    r = tf.matrix_square_root(a)
    rg = tf.linalg.sqrtm(gen, name="root")
    odd = [[[-1.0, 0.0], [0.0, 4.0]], [[4.0, 1.0], [0.0, -1.0]], [[0.0, 1.0], [0.0, 0.0]],
           [[0.0, -1.0], [1.0, 0.0]], [[2.0, 1.0], [1.0, 2.0]]]
    fetch = {"r": r, "rr": tf.matmul(r, r), "rg": rg, "rgrg": tf.matmul(rg, rg),
             "odd": tf.matrix_square_root(tf.constant(odd)),
             "zeros": tf.matrix_square_root(tf.zeros([3, 3])),
             "jordan": tf.matrix_square_root(tf.constant([[1.0, 2.0, 0.0], [0.0, 1.0, 0.0],
                                                          [0.0, 0.0, 4.0]])),
             "empty": tf.matrix_square_root(tf.zeros([2, 0, 0]))}
    w = tf.constant(_rand(8, 2, 3, 3).astype(np.float32))
    fetch["d_a"] = tf.gradients(tf.reduce_sum(r * w), a)[0]
    fetch["d_gen"] = tf.gradients(tf.reduce_sum(rg * tf.constant(_rand(9, 4, 4))), gen)[0]
    out = _run(tf, fetch)
    out["names"] = [r.name, rg.name, r.op.type]
    p = tf.placeholder(tf.float32, [None, 3, None])
    out["shapes"] = [_shape(r), _shape(tf.matrix_square_root(p)),
                     _shape(tf.matrix_square_root(tf.placeholder(tf.float32)))]
    q = tf.placeholder(tf.float32)
    out["errors"] = [
        _err(lambda: tf.matrix_square_root(tf.ones([3, 4]))),
        _err(lambda: tf.matrix_square_root(tf.ones([3]))),
        _err(lambda: tf.linalg.sqrtm(tf.ones([2, 2], tf.int32))),
        _run_err(tf, tf.matrix_square_root(q), {q: np.ones((2, 3))}),
        _run_err(tf, tf.matrix_square_root(q), {q: np.ones(3)}),
        _graph_err(tf, lambda: tf.matrix_square_root(tf.ones([2, 2], tf.float16))),
    ]
    return out


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
