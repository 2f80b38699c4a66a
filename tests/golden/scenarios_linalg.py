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


def _op_types(tf, start):
    return [op.type for op in tf.get_default_graph().get_operations()[start:]]


def _n_ops(tf):
    return len(tf.get_default_graph().get_operations())


def scenario_matrix_solve_ls(tf):
    a_np = _rand(10, 5, 3).astype(np.float32)
    a = tf.constant(a_np)
    b = tf.constant(_rand(11, 5, 2).astype(np.float32))
    wide = tf.constant(_rand(12, 2, 4))
    wb = tf.constant(_rand(13, 2, 1))
    n0 = _n_ops(tf)
    x = tf.matrix_solve_ls(a, b)
    types = {"fast": _op_types(tf, n0)}
    n0 = _n_ops(tf)
    xr = tf.linalg.lstsq(a, b, l2_regularizer=0.5)
    types["l2"] = _op_types(tf, n0)
    xu = tf.matrix_solve_ls(wide, wb)
    xt = tf.matrix_solve_ls(wide, wb, l2_regularizer=tf.constant(0.25, tf.float64))
    n0 = _n_ops(tf)
    xs = tf.matrix_solve_ls(a, b, fast=False, name="slow")
    types["slow"] = _op_types(tf, n0)
    batch = tf.constant(_rand(14, 2, 4, 2))
    xb = tf.linalg.lstsq(batch, tf.constant(_rand(15, 2, 4, 3)), l2_regularizer=0.1)
    deficient = tf.constant([[1.0, 1.0], [1.0, 1.0], [1.0, 1.0]])
    xd = tf.matrix_solve_ls(deficient, tf.constant([[1.0], [2.0], [3.0]]), fast=False)
    fetch = {"x": x, "xr": xr, "xu": xu, "xt": xt, "xs": xs, "xb": xb, "xd": xd,
             "x_nan": tf.matrix_solve_ls(tf.zeros([3, 2]), tf.ones([3, 1]))}
    fetch["d_x"] = tf.gradients(tf.reduce_sum(x * x), [a, b])
    fetch["d_xr"] = tf.gradients(tf.reduce_sum(xr * 2.0), [a, b])
    fetch["d_xu"] = tf.gradients(tf.reduce_sum(xu ** 2), [wide, wb])
    fetch["d_xb"] = tf.gradients(tf.reduce_sum(xb), batch)[0]
    out = _run(tf, fetch)
    out["types"] = types
    out["names"] = [x.name, xr.name, xu.name, xs.name, xs.op.inputs[2].name,
                    xs.op.inputs[2].dtype.name, xs.op.get_attr("fast")]
    out["shapes"] = [_shape(t) for t in (x, xu, xs, xb)]
    p = tf.placeholder(tf.float32, [None, 3, None])
    out["shapes"].append(_shape(tf.matrix_solve_ls(p, tf.placeholder(tf.float32, [None, 3, 2]),
                                                   fast=False)))
    out["slow_grad"] = _err(lambda: tf.gradients(xs, a))
    # the batch is larger than the smaller matrix dimension and the tensor than TF's cache
    # guess: the MatrixSolveLs kernel even for fast=True, and its gradient
    big = tf.constant(_rand(16, 700, 12, 4))
    big_rhs = tf.constant(_rand(17, 700, 12, 1))
    xbig = tf.matrix_solve_ls(big, big_rhs)
    g_big = tf.gradients(tf.reduce_sum(xbig), [big, big_rhs])
    with tf.Session() as sess:
        vbig, gb = sess.run([xbig, g_big])
    out["big"] = [xbig.op.type, xbig.op.get_attr("fast"), _np(vbig[:3], 3), _np(gb[0][:2], 3),
                  _np(gb[1][:2], 3)]
    q = tf.placeholder(tf.float32)
    r = tf.placeholder(tf.float32)
    ls = tf.matrix_solve_ls(q, r, fast=False)
    out["errors"] = [
        _err(lambda: tf.matrix_solve_ls(tf.ones([3, 2]), tf.ones([4, 1]), fast=False)),
        _err(lambda: tf.matrix_solve_ls(tf.ones([3, 2]), tf.ones([3]), fast=False)),
        _err(lambda: tf.matrix_solve_ls(tf.ones([3, 2]), tf.ones([3, 1]), l2_regularizer=[1.0],
                                        fast=False)),
        _err(lambda: tf.matrix_solve_ls(tf.ones([2, 3, 2]), tf.ones([3, 3, 1]), fast=False)),
        _err(lambda: tf.matrix_solve_ls(tf.ones([2, 3, 2]), tf.ones([3, 1]), fast=False)),
        _err(lambda: tf.matrix_solve_ls(tf.ones([3, 2]), tf.ones([3, 1], tf.float64),
                                        fast=False)),
        _err(lambda: tf.matrix_solve_ls(tf.ones([3, 2], tf.int32), tf.ones([3, 1], tf.int32),
                                        fast=False)),
        _err(lambda: tf.matrix_solve_ls(tf.ones([3, 2]), tf.ones([4, 1]))),
        _run_err(tf, tf.matrix_solve_ls(tf.ones([3, 2]), tf.ones([3, 1]), l2_regularizer=-1.0,
                                        fast=False)),
        _run_err(tf, ls, {q: np.ones((3, 2)), r: np.ones((4, 1))}),
        _run_err(tf, ls, {q: np.ones((2, 3, 2)), r: np.ones((3, 3, 1))}),
        _run_err(tf, ls, {q: np.ones((3, 2)), r: np.ones(3)}),
        _run_err(tf, ls, {q: np.ones(3), r: np.ones((3, 1))}),
    ]
    # the fast kernel (a large batch) on a rank-deficient matrix
    big0 = tf.matrix_solve_ls(tf.zeros([700, 12, 4], tf.float64), tf.ones([700, 12, 1], tf.float64))
    wide0 = tf.matrix_solve_ls(tf.zeros([700, 4, 12], tf.float64), tf.ones([700, 4, 1], tf.float64))
    out["errors"] += [_run_err(tf, big0), _run_err(tf, wide0)]
    return out


def scenario_cholesky_solve(tf):
    m = _rand(18, 2, 3, 3)
    spd = np.matmul(m, np.swapaxes(m, -1, -2)) + np.eye(3)
    a = tf.constant(spd)
    chol = tf.cholesky(a)
    rhs = tf.constant(_rand(19, 2, 3, 2))
    n0 = _n_ops(tf)
    x = tf.cholesky_solve(chol, rhs)
    types = _op_types(tf, n0)
    x2 = tf.linalg.cholesky_solve(tf.cholesky(tf.constant(spd[0], tf.float32)),
                                  tf.constant(_rand(20, 3, 1), tf.float32), name="cs")
    fetch = {"x": x, "ax": tf.matmul(a, x), "x2": x2}
    fetch["d"] = tf.gradients(tf.reduce_sum(x * x), [a, rhs])
    out = _run(tf, fetch)
    out["types"] = types
    out["names"] = [x.name, x2.name, _shape(x)]
    out["errors"] = [_err(lambda: tf.cholesky_solve(tf.ones([3, 3]), tf.ones([4, 1]))),
                     _err(lambda: tf.cholesky_solve(tf.ones([3, 3]), tf.ones([3, 1], tf.int32)))]
    return out


def scenario_tridiagonal(tf):
    rs = np.random.RandomState(21)
    diags_np = rs.uniform(-1, 1, (2, 3, 5))
    diags_np[:, 1] += 3.0
    diags = tf.constant(diags_np)
    rhs = tf.constant(rs.randn(2, 5, 2))
    x = tf.linalg.tridiagonal_solve(diags, rhs)
    x_nopiv = tf.linalg.tridiagonal_solve(diags, rhs, partial_pivoting=False)
    x_pert = tf.linalg.tridiagonal_solve(diags, rhs, perturb_singular=True)
    vec = tf.linalg.tridiagonal_solve(diags[0], rhs[0, :, 0])
    xt = tf.linalg.tridiagonal_solve(diags, tf.transpose(rhs, [0, 2, 1]), transpose_rhs=True)
    seq = tf.linalg.tridiagonal_solve([diags[0, 0, :-1], diags[0, 1], diags[0, 2, 1:]], rhs[0],
                                      diagonals_format="sequence")
    dense_np = np.diag(diags_np[0, 1]) + np.diag(diags_np[0, 0, :-1], 1) + np.diag(diags_np[0, 2, 1:], -1)
    dense_np[0, 3] = 100.0  # outside the three diagonals: not read
    dense = tf.constant(dense_np)
    mat = tf.linalg.tridiagonal_solve(dense, rhs[0], diagonals_format="matrix")
    mm = tf.linalg.tridiagonal_matmul(diags, rhs)
    mm_seq = tf.linalg.tridiagonal_matmul([diags[0, 0], diags[0, 1], diags[0, 2]], rhs[0],
                                          diagonals_format="sequence")
    mm_mat = tf.linalg.tridiagonal_matmul(dense, rhs[0], diagonals_format="matrix")
    singular = tf.constant([[1.0, 1.0, 0.0], [0.0, 0.0, 0.0], [0.0, 1.0, 1.0]])
    fetch = {"x": x, "x_nopiv": x_nopiv, "x_pert": x_pert, "vec": vec, "xt": xt, "seq": seq,
             "mat": mat, "mm": mm, "mm_seq": mm_seq, "mm_mat": mm_mat,
             "sing": tf.linalg.tridiagonal_solve(singular, tf.ones([3, 1])),
             "sing_thomas": tf.linalg.tridiagonal_solve(singular, tf.ones([3, 1]),
                                                        partial_pivoting=False),
             "sing_pert": tf.linalg.tridiagonal_solve(singular, tf.ones([3, 1]),
                                                      perturb_singular=True),
             "pivot": tf.linalg.tridiagonal_solve(tf.constant([[2.0, 1.0, 0.0], [1e-3, 1.0, 3.0],
                                                               [0.0, 4.0, 1.0]]), tf.ones([3, 1])),
             "scalar": tf.linalg.tridiagonal_solve(tf.constant([[0.0], [2.0], [0.0]]), tf.ones([1, 2])),
             "scalar0": tf.linalg.tridiagonal_solve(tf.zeros([3, 1]), tf.ones([1, 2]))}
    fetch["d_x"] = tf.gradients(tf.reduce_sum(x * x), [diags, rhs])
    fetch["d_mm"] = tf.gradients(tf.reduce_sum(mm * mm), [diags, rhs])
    fetch["d_mat"] = tf.gradients(tf.reduce_sum(mat * 1.5) + tf.reduce_sum(mm_mat), dense)[0]
    out = _run(tf, fetch)
    out["names"] = [t.name for t in (x, vec, xt, seq, mat, mm, mm_seq)]
    out["types"] = [x.op.type, mm.op.type, [i.op.type for i in mm.op.inputs],
                    x_pert.op.get_attr("perturb_singular"), x_nopiv.op.get_attr("partial_pivoting")]
    out["shapes"] = [_shape(t) for t in (x, vec, xt, seq, mat, mm)]
    q = tf.placeholder(tf.float32)
    out["errors"] = [
        _err(lambda: tf.linalg.tridiagonal_solve(tf.ones([2, 4]), tf.ones([4, 1]))),
        _err(lambda: tf.linalg.tridiagonal_solve(tf.ones([4]), tf.ones([4, 1]))),
        _err(lambda: tf.linalg.tridiagonal_solve(tf.ones([3, 4]), tf.ones([5, 1]))),
        _err(lambda: tf.linalg.tridiagonal_solve(tf.ones([2, 3, 4]), tf.ones([3, 4, 1]))),
        _err(lambda: tf.linalg.tridiagonal_solve(tf.ones([2, 3, 4]), tf.ones([2, 2, 3, 4, 1]))),
        _err(lambda: tf.linalg.tridiagonal_solve(tf.ones([3, 4]), tf.ones([4, 1]),
                                                 perturb_singular=True, partial_pivoting=False)),
        _err(lambda: tf.linalg.tridiagonal_solve(tf.ones([3, 4]), tf.ones([4, 1]),
                                                 diagonals_format="foo")),
        _err(lambda: tf.linalg.tridiagonal_solve([tf.ones([3]), tf.ones([4])], tf.ones([4, 1]),
                                                 diagonals_format="sequence")),
        _err(lambda: tf.linalg.tridiagonal_solve([tf.ones([2]), tf.ones([4]), tf.ones([3])],
                                                 tf.ones([4, 1]), diagonals_format="sequence")),
        _err(lambda: tf.linalg.tridiagonal_solve(tf.ones([3, 4]), tf.ones([4, 1], tf.float64))),
        _err(lambda: tf.linalg.tridiagonal_solve(tf.ones([3, 4], tf.int32), tf.ones([4, 1], tf.int32))),
        _err(lambda: tf.linalg.tridiagonal_solve(tf.ones([4, 5]), tf.ones([4, 1]),
                                                 diagonals_format="matrix")),
        _err(lambda: tf.linalg.tridiagonal_matmul(tf.ones([3, 4]), tf.ones([5, 1]))),
        _err(lambda: tf.linalg.tridiagonal_matmul(tf.ones([3, 4]), tf.ones([4, 1]),
                                                  diagonals_format="foo")),
        _err(lambda: tf.linalg.tridiagonal_matmul(tf.ones([4, 5]), tf.ones([4, 1]),
                                                  diagonals_format="matrix")),
        _err(lambda: tf.linalg.tridiagonal_matmul([tf.ones([2, 4]), tf.ones([4]), tf.ones([4])],
                                                  tf.ones([4, 1]), diagonals_format="sequence")),
        _err(lambda: tf.linalg.tridiagonal_matmul(tf.ones([3, 4], tf.int32), tf.ones([4, 1], tf.int32))),
        _run_err(tf, tf.linalg.tridiagonal_solve(q, tf.ones([4, 1])), {q: np.ones((2, 4))}),
        _run_err(tf, tf.linalg.tridiagonal_solve(tf.ones([3, 4]), q), {q: np.ones((5, 1))}),
        _run_err(tf, tf.linalg.tridiagonal_matmul(q, tf.ones([4, 1])), {q: np.ones((3, 5))}),
    ]
    return out


def scenario_diag_bands(tf):
    x = tf.constant(np.arange(20.0).reshape(4, 5))
    a = tf.matrix_diag_part(x, k=(-1, 2), padding_value=9, align="LEFT_RIGHT")
    b = tf.linalg.diag_part(x, k=(-2, 1))
    c = tf.matrix_diag(a, k=(-1, 2), align="LEFT_RIGHT")
    d = tf.linalg.diag(a, k=(-1, 2), align="LEFT_RIGHT", num_rows=5)
    e = tf.matrix_set_diag(tf.zeros([4, 5], tf.float64), a, k=(-1, 2), align="LEFT_RIGHT")
    f = tf.matrix_diag_part(x, k=(1, 2))
    g = tf.matrix_diag_part(tf.placeholder(tf.float64, [None, 4, None]), k=(1, 2))
    fetch = {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f,
             "d_a": tf.gradients(tf.reduce_sum(a * a), x)[0],
             "d_c": tf.gradients(tf.reduce_sum(c * c), a)[0],
             "d_e": tf.gradients(tf.reduce_sum(e * e), a)[0]}
    out = _run(tf, fetch)
    out["shapes"] = [_shape(t) for t in (a, b, c, d, e, f, g)]
    out["errors"] = [_err(lambda k=k: tf.matrix_diag_part(x, k=k)) for k in
                     [(-4, 0), (0, 5), (5, 6), (-6, -5), -4, 5, (2, 1), (1, 2, 3)]]
    out["ok"] = [_shape(tf.matrix_diag_part(x, k=k)) for k in [(-3, 0), (0, 4), (4, 4), 4]]
    return out


def scenario_expm(tf):
    small = tf.constant([[0.0, 1.0], [-1.0, 0.0]])
    a32 = tf.constant((_rand(22, 2, 3, 3) * 0.9).astype(np.float32))
    a64 = tf.constant(_rand(23, 3, 3) * 2.5)
    tiny = tf.constant([[1e-3, 2e-3], [0.0, -1e-3]], tf.float64)
    mid = tf.constant([[0.1, 0.05], [0.02, -0.1]], tf.float64)
    e32, e64 = tf.linalg.expm(a32), tf.linalg.expm(a64, name="exp64")
    fetch = {"small": tf.linalg.expm(small), "e32": e32, "e64": e64,
             "tiny": tf.linalg.expm(tiny), "mid": tf.linalg.expm(mid),
             "big": tf.linalg.expm(tf.constant([[3.0, -9.0], [4.0, 2.0]], tf.float64)),
             "empty": tf.linalg.expm(tf.zeros([0, 0])),
             "inf": tf.linalg.expm(tf.constant([[np.inf, 0.0], [0.0, 1.0]]))}
    fetch["d32"] = tf.gradients(tf.reduce_sum(e32 * e32), a32)[0]
    fetch["d64"] = tf.gradients(tf.reduce_sum(e64), a64)[0]
    out = _run(tf, fetch, nd=3)
    out["names"] = [e32.name.split("/")[0], e64.name.split("/")[0], _shape(e32), _shape(e64),
                    _shape(tf.linalg.expm(tf.placeholder(tf.float32, [None, 2, 2])))]
    p = tf.placeholder(tf.float64, [None, 2, 2])
    with tf.Session() as sess:
        out["dynamic"] = _np(sess.run(tf.linalg.expm(p), {p: np.stack([np.eye(2), 2 * np.eye(2)])}))
    out["errors"] = [_err(lambda: tf.linalg.expm(tf.ones([2, 2], tf.int32)))]
    return out


def scenario_pinv_matrix_rank(tf):
    a = tf.constant(_rand(24, 4, 3).astype(np.float32))
    deficient = tf.constant([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]], tf.float64)
    batch = tf.constant(_rand(25, 2, 2, 5))
    n0 = _n_ops(tf)
    pa = tf.linalg.pinv(a)
    types = _op_types(tf, n0)
    pd = tf.linalg.pinv(deficient, name="pinv_d")
    pb = tf.linalg.pinv(batch, rcond=0.5)
    n0 = _n_ops(tf)
    ra = tf.linalg.matrix_rank(a)
    rank_types = _op_types(tf, n0)
    rd = tf.linalg.matrix_rank(deficient)
    rt = tf.linalg.matrix_rank(deficient, tol=1e-10)
    rb = tf.linalg.matrix_rank(batch)
    fetch = {"pa": pa, "pd": pd, "pb": pb, "apa": tf.matmul(a, tf.matmul(pa, a)),
             "d_pa": tf.gradients(tf.reduce_sum(pa * pa), a)[0],
             "d_pb": tf.gradients(tf.reduce_sum(pb), batch)[0]}
    out = _run(tf, fetch)
    with tf.Session() as sess:
        out["ranks"] = [v.tolist() for v in sess.run([ra, rd, rt, rb])]
    out["types"] = [types, rank_types]
    out["names"] = [pa.name, pd.name, ra.name, ra.dtype.name, _shape(pa), _shape(pb), _shape(rb),
                    _shape(tf.linalg.pinv(tf.placeholder(tf.float32, [None, 2, None])))]
    out["errors"] = [_err(lambda: tf.linalg.pinv(tf.ones([3]))),
                     _err(lambda: tf.linalg.pinv(tf.ones([3, 3], tf.int32))),
                     _err(lambda: tf.linalg.matrix_rank(tf.ones([3]))),
                     _err(lambda: tf.linalg.matrix_rank(tf.ones([2, 2], tf.int64)))]
    return out


def scenario_lu_composites(tf):
    x_np = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 10.0]])
    x = tf.constant(x_np)
    lu, p = tf.linalg.lu(x)
    batch_np = _rand(26, 2, 3, 3)
    xb = tf.constant(batch_np)
    lub, pb = tf.linalg.lu(xb)
    rhs = tf.constant(_rand(27, 3, 2))
    n0 = _n_ops(tf)
    sol = tf.linalg.lu_solve(lu, p, rhs)
    solve_types = _op_types(tf, n0)
    n0 = _n_ops(tf)
    rec = tf.linalg.lu_reconstruct(lu, p)
    rec_types = _op_types(tf, n0)
    inv = tf.linalg.lu_matrix_inverse(lu, p)
    solb = tf.linalg.lu_solve(lub, pb, tf.constant(_rand(28, 2, 3, 1)))
    recb = tf.linalg.lu_reconstruct(lub, pb)
    invb = tf.linalg.lu_matrix_inverse(lub, pb, name="inv_b")
    fetch = {"sol": sol, "rec": rec, "inv": inv, "solb": solb, "recb": recb, "invb": invb,
             "d_sol": tf.gradients(tf.reduce_sum(sol), [lu, rhs]),
             "d_inv": tf.gradients(tf.reduce_sum(invb * invb), lub)[0]}
    out = _run(tf, fetch)
    out["types"] = [solve_types, rec_types]
    out["names"] = [sol.name, rec.name, inv.name, invb.name, recb.name, _shape(sol),
                    _shape(rec), _shape(inv), _shape(solb), _shape(recb), _shape(invb)]
    out["errors"] = [
        _err(lambda: tf.linalg.lu_reconstruct(tf.ones([3]), tf.constant([0, 1, 2]))),
        _err(lambda: tf.linalg.lu_reconstruct(tf.ones([2, 3, 3]), tf.constant([0, 1, 2]))),
        _err(lambda: tf.linalg.lu_reconstruct(tf.ones([3, 4]), tf.constant([0, 1, 2]))),
        _err(lambda: tf.linalg.lu_solve(lu, p, tf.ones([3], tf.float64))),
        _err(lambda: tf.linalg.lu_solve(lu, p, tf.ones([4, 1], tf.float64))),
        _err(lambda: tf.linalg.lu_matrix_inverse(tf.ones([3, 4]), tf.constant([0, 1, 2]))),
    ]
    return out


def scenario_logdet_slogdet_adjoint(tf):
    m = _rand(29, 2, 3, 3)
    spd = tf.constant(np.matmul(m, np.swapaxes(m, -1, -2)) + np.eye(3))
    gen = tf.constant(_rand(30, 3, 3).astype(np.float32))
    ld = tf.linalg.logdet(spd)
    sign, lad = tf.linalg.slogdet(gen)
    adj = tf.linalg.adjoint(gen)
    fetch = {"ld": ld, "sign": sign, "lad": lad, "adj": adj,
             "d_ld": tf.gradients(tf.reduce_sum(ld), spd)[0],
             "d_lad": tf.gradients(lad, gen)[0],
             "d_inv_adj": tf.gradients(tf.reduce_sum(tf.matrix_inverse(gen, adjoint=True) ** 2),
                                       gen)[0],
             "d_inv": tf.gradients(tf.reduce_sum(tf.matrix_inverse(gen) ** 2), gen)[0]}
    out = _run(tf, fetch)
    out["names"] = [ld.name, sign.name, lad.name, adj.name, sign.op.type, _shape(ld)]
    return out


def scenario_spectral_norm(tf):
    x = tf.constant(_rand(31, 5, 3, 4).astype(np.float32))
    y = tf.constant(_rand(32, 3, 4))
    n = tf.norm(x, ord=2, axis=[-2, -1])
    nk = tf.norm(x, ord=2, axis=[0, 2], keepdims=True)
    ny = tf.linalg.norm(y, ord=2, axis=(0, 1), name="spec")
    fetch = {"n": n, "nk": nk, "ny": ny, "d_n": tf.gradients(tf.reduce_sum(n), x)[0],
             "d_ny": tf.gradients(ny, y)[0]}
    out = _run(tf, fetch)
    out["names"] = [n.name, ny.name, _shape(n), _shape(nk), _shape(ny)]
    return out


def scenario_cross_matvec_normalize(tf):
    a = tf.constant(_rand(33, 2, 3).astype(np.float32))
    b = tf.constant(_rand(34, 2, 3).astype(np.float32))
    c = tf.cross(a, b)
    ci = tf.linalg.cross(tf.constant([1, 2, 3]), tf.constant([4, 5, 6]))
    m = tf.constant(_rand(35, 2, 4, 3))
    v = tf.constant(_rand(36, 2, 3))
    mv = tf.linalg.matvec(m, v)
    mvt = tf.linalg.matvec(m, tf.constant(_rand(37, 2, 4)), adjoint_a=True, name="mvt")
    nz, nn = tf.linalg.normalize(m, axis=1)
    nz2, nn2 = tf.linalg.normalize(m, ord=2, axis=[-2, -1])
    fetch = {"c": c, "ci": ci, "mv": mv, "mvt": mvt, "nz": nz, "nn": nn, "nz2": nz2,
             "nn2": nn2, "d_c": tf.gradients(tf.reduce_sum(c * c), [a, b]),
             "d_mv": tf.gradients(tf.reduce_sum(mv), [m, v]),
             "d_nz": tf.gradients(tf.reduce_sum(nz * 2.0), m)[0]}
    out = _run(tf, fetch)
    out["names"] = [t.name for t in (c, ci, mv, mvt, nz, nn, nz2, nn2)]
    out["shapes"] = [_shape(t) for t in (c, mv, mvt, nz, nn, nz2, nn2)]
    p = tf.placeholder(tf.float32)
    pc = tf.cross(p, p)
    out["errors"] = [
        _err(lambda: tf.cross(tf.ones([2, 3]), tf.ones([2, 4]))),
        _err(lambda: tf.cross(tf.ones([2, 4]), tf.ones([2, 4]))),
        _err(lambda: tf.cross(tf.ones([]), tf.ones([]))),
        _err(lambda: tf.cross(tf.ones([3], tf.bool), tf.ones([3], tf.bool))),
        _run_err(tf, pc, {p: np.ones((2, 4))}),
        _run_err(tf, pc, {p: np.ones(())}),
        _err(lambda: tf.linalg.matvec(m, v, transpose_a=True, adjoint_a=True)),
    ]
    return out


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
