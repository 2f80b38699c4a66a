"""tf.linalg decompositions and solvers: values against NumPy (float32 and float64, batch
dims), run-time errors, and gradients against float64 central finite differences.

Singular and eigen vectors are compared through sign-invariant quantities (reconstructions,
|u|, u * u): the kernels are LAPACK's, TF's are Eigen's, and either sign is a valid vector."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import varstore as tf

RNG = np.random.default_rng(11)


def _run(fetches: Any, feed: dict[Any, Any] | None = None) -> Any:
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def _numeric(f: Callable[[list[np.ndarray]], float], values: list[np.ndarray], i: int,
             eps: float = 1e-6) -> np.ndarray:
    grad = np.zeros_like(values[i])
    flat = grad.reshape(-1)
    for k in range(flat.size):
        plus = [v.copy() for v in values]
        minus = [v.copy() for v in values]
        plus[i].reshape(-1)[k] += eps
        minus[i].reshape(-1)[k] -= eps
        flat[k] = (f(plus) - f(minus)) / (2 * eps)
    return grad


def check_grad(build: Callable[..., Any], *values: np.ndarray, atol: float = 1e-6,
               rtol: float = 1e-5) -> None:
    """d loss / d inputs by tf.gradients equals central differences (float64), where loss is
    sum(w * build(x...)) or build's own scalar."""
    with tf.Graph().as_default():
        phs = [tf.placeholder(tf.float64, v.shape) for v in values]
        y = build(*phs)
        if y.shape.ndims:
            y = tf.reduce_sum(y * tf.constant(RNG.standard_normal(y.shape.as_list())))
        grads = tf.gradients(y, phs)
        with tf.Session() as sess:
            feed = dict(zip(phs, values))
            analytic = sess.run(grads, feed)

            def f(vals: list[np.ndarray]) -> float:
                return float(sess.run(y, dict(zip(phs, vals))))

            for i, g in enumerate(analytic):
                np.testing.assert_allclose(g, _numeric(f, list(values), i), atol=atol,
                                           rtol=rtol, err_msg=f"input {i}")


def _spd(*batch: int, n: int = 3) -> np.ndarray:
    m = RNG.standard_normal((*batch, n, n))
    return np.matmul(m, np.swapaxes(m, -1, -2)) + n * np.eye(n)


# -- Svd --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(3, 3), (4, 2), (2, 5), (2, 3, 4, 3)])
@pytest.mark.parametrize("full_matrices", [False, True])
def test_svd_matches_numpy(dtype: Any, shape: tuple[int, ...], full_matrices: bool) -> None:
    a = RNG.standard_normal(shape).astype(dtype)
    s, u, v = _run(tf.svd(tf.constant(a), full_matrices=full_matrices))
    want = np.linalg.svd(a, compute_uv=False)
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(s, want, rtol=tol * 10, atol=tol * 10)
    assert s.dtype == dtype and u.dtype == dtype
    m, n = shape[-2:]
    p = min(m, n)
    assert u.shape == (*shape[:-2], m, m if full_matrices else p)
    assert v.shape == (*shape[:-2], n, n if full_matrices else p)
    rec = np.matmul(u[..., :, :p] * s[..., None, :], np.swapaxes(v[..., :, :p], -1, -2))
    np.testing.assert_allclose(rec, a, atol=tol * 100)
    eye_u = np.matmul(np.swapaxes(u, -1, -2), u)
    np.testing.assert_allclose(eye_u, np.broadcast_to(np.eye(u.shape[-1]), eye_u.shape),
                               atol=tol * 100)


def test_svd_without_vectors_has_empty_u_and_v() -> None:
    s = tf.svd(tf.ones([2, 3]), compute_uv=False)
    assert s.shape.as_list() == [2] and s.op.outputs[1].shape.as_list() == [0]
    vals = _run([s, s.op.outputs[1], s.op.outputs[2]])
    np.testing.assert_allclose(vals[0], [np.sqrt(6.0), 0.0], atol=1e-6)
    assert vals[1].shape == (0,) and vals[2].shape == (0,)


def test_svd_of_nan_is_nan_and_rank_is_checked_at_run_time() -> None:
    s, u, _ = _run(tf.svd(tf.constant([[np.nan, 1.0], [2.0, 3.0]])))
    assert np.isnan(s).all() and np.isnan(u).all()
    p = tf.placeholder(tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Input tensor 0 must have rank"):
        _run(tf.svd(p), {p: np.ones(3)})


@pytest.mark.parametrize("shape,full", [((3, 3), False), ((4, 3), False), ((2, 4), False),
                                        ((4, 3), True), ((3, 4), True), ((2, 3, 2), False)])
def test_svd_gradient_of_sign_invariant_losses(shape: tuple[int, ...], full: bool) -> None:
    a = RNG.standard_normal(shape)

    def build(x: Any) -> Any:
        s, u, v = tf.svd(x, full_matrices=full)
        p = min(shape[-2:])
        return (tf.reduce_sum(s * np.arange(1.0, p + 1)) + tf.reduce_sum(u[..., :p] ** 2 * 0.3)
                + tf.reduce_sum(v[..., :p] ** 4))

    check_grad(build, a, atol=1e-5)
    check_grad(lambda x: tf.svd(x, compute_uv=False), a)


# -- SelfAdjointEigV2 -------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_eigh_matches_numpy_and_reads_the_lower_triangle(dtype: Any) -> None:
    sym = _spd(2, 3, n=4) - 4 * np.eye(4)
    a = (np.tril(sym) + np.triu(np.full((4, 4), 7.0), 1)).astype(dtype)
    e, v = _run(tf.linalg.eigh(tf.constant(a)))
    np.testing.assert_allclose(e, np.linalg.eigvalsh(sym), rtol=1e-4, atol=1e-4)
    rec = np.matmul(v * e[..., None, :], np.swapaxes(v, -1, -2))
    np.testing.assert_allclose(rec, sym, atol=1e-4)
    ev = _run(tf.linalg.eigvalsh(tf.constant(a)))
    np.testing.assert_allclose(ev, e, rtol=1e-5, atol=1e-5)
    assert e.dtype == dtype and e.shape == (2, 3, 4)


def test_eigh_gradients() -> None:
    a = _spd(n=4) + np.diag([0.0, 1.0, 2.5, 4.0])

    def build(x: Any) -> Any:
        e, v = tf.self_adjoint_eig(x)
        return tf.reduce_sum(e * [1.0, -2.0, 0.5, 3.0]) + tf.reduce_sum(v * v * np.arange(16.0).reshape(4, 4))

    check_grad(build, a, atol=1e-5)
    check_grad(lambda x: tf.self_adjoint_eigvals(x), _spd(2, n=3), atol=1e-5)


def test_eigh_of_nan_fails_as_tf() -> None:
    with pytest.raises(tf.errors.InvalidArgumentError, match="Self-adjoint eigen decomposition"):
        _run(tf.self_adjoint_eig(tf.constant([[np.nan, 0.0], [0.0, 1.0]])))


# -- Lu and its composites --------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_lu_factors_reconstruct_with_partial_pivoting(dtype: Any) -> None:
    x = RNG.standard_normal((2, 3, 5, 5)).astype(dtype)
    lu, p = _run(tf.linalg.lu(tf.constant(x)))
    lower = np.tril(lu, -1) + np.eye(5)
    upper = np.triu(lu)
    permuted = np.take_along_axis(x, p[..., None].astype(np.int64), axis=-2)
    np.testing.assert_allclose(np.matmul(lower, upper), permuted, atol=1e-4)
    # partial pivoting: every multiplier is at most 1 in magnitude
    assert np.abs(np.tril(lu, -1)).max() <= 1.0 + 1e-6
    assert p.dtype == np.int32
    lu_t = tf.constant(lu)
    rec, inv, sol = _run([tf.linalg.lu_reconstruct(lu_t, p), tf.linalg.lu_matrix_inverse(lu_t, p),
                          tf.linalg.lu_solve(lu_t, p, tf.constant(x[..., :2]))])
    np.testing.assert_allclose(rec, x, atol=1e-4)
    np.testing.assert_allclose(inv, np.linalg.inv(x), rtol=1e-3, atol=1e-3)
    np.testing.assert_allclose(sol, np.linalg.solve(x, x[..., :2]), rtol=1e-3, atol=1e-3)


def test_lu_singular_input_and_int64_permutation() -> None:
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Input is not invertible\."):
        _run(tf.linalg.lu(tf.constant([[1.0, 2.0], [2.0, 4.0]])))
    _, p = tf.linalg.lu(tf.eye(3), output_idx_type=tf.int64)
    assert p.dtype == tf.int64 and _run(p).tolist() == [0, 1, 2]
    with pytest.raises(LookupError, match="No gradient defined for operation"):
        x = tf.eye(2)
        tf.gradients(tf.linalg.lu(x)[0], x)


def test_lu_solve_gradients_through_the_factors() -> None:
    x = RNG.standard_normal((3, 3)) + 3 * np.eye(3)
    lu, p = _run(tf.linalg.lu(tf.constant(x)))
    rhs = RNG.standard_normal((3, 2))
    check_grad(lambda a, b: tf.linalg.lu_solve(a, tf.constant(p), b), lu, rhs)


# -- MatrixSquareRoot -------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sqrtm_squares_back(dtype: Any) -> None:
    spd = _spd(2, n=4).astype(dtype)
    # complex eigenvalue pairs (2x2 Schur blocks) and a Jordan block
    gen = np.array([[1.0, -2.0, 0.5, 0.0], [2.0, 1.0, 0.0, 0.3], [0.0, 0.0, 3.0, 1.0],
                    [0.0, 0.0, 0.0, 3.0]], dtype)
    rot = RNG.standard_normal((6, 6)) + 6 * np.eye(6)
    r_spd, r_gen, r_rot = _run([tf.linalg.sqrtm(tf.constant(spd)),
                                tf.matrix_square_root(tf.constant(gen)),
                                tf.matrix_square_root(tf.constant(rot.astype(dtype)))])
    tol = 1e-3 if dtype == np.float32 else 1e-9
    np.testing.assert_allclose(np.matmul(r_spd, r_spd), spd, rtol=tol, atol=tol)
    np.testing.assert_allclose(r_gen @ r_gen, gen, atol=tol)
    np.testing.assert_allclose(r_rot @ r_rot, rot, rtol=tol, atol=tol * 10)
    # the principal root of a symmetric positive definite matrix is symmetric positive definite
    np.testing.assert_allclose(r_spd, np.swapaxes(r_spd, -1, -2), atol=tol)
    assert (np.linalg.eigvalsh(r_spd.astype(np.float64)) > 0).all()
    assert r_spd.dtype == dtype


def test_sqrtm_without_a_real_root_is_nan_as_eigen() -> None:
    out = _run(tf.matrix_square_root(tf.constant([[[-1.0, 0.0], [0.0, 4.0]],
                                                  [[0.0, 1.0], [0.0, 0.0]]])))
    assert np.isnan(out[0]).all()
    assert np.isinf(out[1, 0, 1]) and np.isnan(out[1, 0, 0])


def test_sqrtm_gradient() -> None:
    check_grad(tf.matrix_square_root, _spd(2, n=3), atol=1e-5)
    check_grad(tf.matrix_square_root,
               np.array([[2.0, -1.0, 0.3], [1.0, 2.0, 0.1], [0.2, 0.0, 3.0]]), atol=1e-5)


# -- least squares ----------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_lstsq_matches_numpy(dtype: Any) -> None:
    a = RNG.standard_normal((2, 6, 3)).astype(dtype)
    b = RNG.standard_normal((2, 6, 2)).astype(dtype)
    wide = RNG.standard_normal((3, 5)).astype(dtype)
    wb = RNG.standard_normal((3, 1)).astype(dtype)
    x, xs, xw, xr = _run([tf.linalg.lstsq(a, b), tf.linalg.lstsq(a, b, fast=False),
                          tf.matrix_solve_ls(wide, wb),
                          tf.matrix_solve_ls(a, b, l2_regularizer=0.7)])
    want = np.stack([np.linalg.lstsq(a[i].astype(np.float64), b[i], rcond=None)[0]
                     for i in range(2)])
    tol = 1e-4 if dtype == np.float32 else 1e-10
    np.testing.assert_allclose(x, want, rtol=tol * 10, atol=tol)
    np.testing.assert_allclose(xs, want, rtol=tol * 10, atol=tol)
    np.testing.assert_allclose(xw, np.linalg.pinv(wide.astype(np.float64)) @ wb, atol=tol * 10)
    at = np.swapaxes(a, -1, -2).astype(np.float64)
    ridge = np.linalg.solve(at @ a + 0.7 * np.eye(3), at @ b)
    np.testing.assert_allclose(xr, ridge, rtol=tol * 10, atol=tol)


def test_lstsq_minimum_norm_for_rank_deficient_and_kernel_path() -> None:
    x = _run(tf.matrix_solve_ls(tf.constant([[1.0, 1.0], [1.0, 1.0], [1.0, 1.0]]),
                                tf.constant([[1.0], [2.0], [3.0]]), fast=False))
    np.testing.assert_allclose(x, [[1.0], [1.0]], atol=1e-5)
    big = RNG.standard_normal((700, 12, 4))
    rhs = RNG.standard_normal((700, 12, 1))
    t = tf.matrix_solve_ls(big, rhs)
    assert t.op.type == "MatrixSolveLs" and t.op.get_attr("fast") is True
    want = np.linalg.solve(np.swapaxes(big, -1, -2) @ big, np.swapaxes(big, -1, -2) @ rhs)
    np.testing.assert_allclose(_run(t), want, atol=1e-9)
    with pytest.raises(tf.errors.InvalidArgumentError, match="rank deficient"):
        _run(tf.matrix_solve_ls(np.zeros((700, 12, 4)), rhs))


def test_lstsq_with_dynamic_shape_builds_both_branches() -> None:
    p = tf.placeholder(tf.float64, [None, None])
    q = tf.placeholder(tf.float64, [None, 1])
    x = tf.matrix_solve_ls(p, q)
    tall = RNG.standard_normal((5, 2))
    wide = RNG.standard_normal((2, 5))
    rt = RNG.standard_normal((5, 1))
    rw = RNG.standard_normal((2, 1))
    np.testing.assert_allclose(_run(x, {p: tall, q: rt}),
                               np.linalg.lstsq(tall, rt, rcond=None)[0], atol=1e-10)
    np.testing.assert_allclose(_run(x, {p: wide, q: rw}), np.linalg.pinv(wide) @ rw,
                               atol=1e-10)


@pytest.mark.parametrize("shape", [(5, 3), (3, 5)])
def test_lstsq_gradients(shape: tuple[int, int]) -> None:
    a = RNG.standard_normal(shape)
    b = RNG.standard_normal((shape[0], 2))
    check_grad(lambda x, y: tf.matrix_solve_ls(x, y), a, b, atol=1e-5)
    check_grad(lambda x, y: tf.matrix_solve_ls(x, y, l2_regularizer=0.3), a, b, atol=1e-5)


def test_lstsq_kernel_gradient() -> None:
    a = RNG.standard_normal((700, 12, 4))
    b = RNG.standard_normal((700, 12, 1))
    at = tf.constant(a)
    bt = tf.constant(b)
    x = tf.matrix_solve_ls(at, bt, l2_regularizer=0.2)
    assert x.op.type == "MatrixSolveLs"
    ga, gb = _run(tf.gradients(tf.reduce_sum(x), [at, bt]))
    # the same problem through the composite (one matrix of the batch)
    a0 = tf.constant(a[:1])
    b0 = tf.constant(b[:1])
    x0 = tf.matrix_solve_ls(a0, b0, l2_regularizer=0.2)
    ga0, gb0 = _run(tf.gradients(tf.reduce_sum(x0), [a0, b0]))
    np.testing.assert_allclose(ga[:1], ga0, atol=1e-10)
    np.testing.assert_allclose(gb[:1], gb0, atol=1e-10)


def test_cholesky_solve() -> None:
    a = _spd(2, n=4)
    rhs = RNG.standard_normal((2, 4, 3))
    x = _run(tf.cholesky_solve(tf.cholesky(a), rhs))
    np.testing.assert_allclose(x, np.linalg.solve(a, rhs), atol=1e-10)
    # TF's Cholesky gradient is symmetrized: differentiate through a symmetric input
    check_grad(lambda c, b: tf.linalg.cholesky_solve(tf.cholesky((c + tf.transpose(c)) / 2), b),
               _spd(n=3), RNG.standard_normal((3, 2)), atol=1e-5)


# -- tridiagonal ------------------------------------------------------------------------------------
def _dense(diags: np.ndarray) -> np.ndarray:
    n = diags.shape[-1]
    out = np.zeros((*diags.shape[:-2], n, n))
    idx = np.arange(n)
    out[..., idx, idx] = diags[..., 1, :]
    out[..., idx[:-1], idx[1:]] = diags[..., 0, :-1]
    out[..., idx[1:], idx[:-1]] = diags[..., 2, 1:]
    return out


@pytest.mark.parametrize("kwargs", [{}, {"partial_pivoting": False},
                                    {"perturb_singular": True}])
def test_tridiagonal_solve_matches_dense(kwargs: dict[str, bool]) -> None:
    d = RNG.uniform(-1, 1, (2, 3, 6))
    d[:, 1] += 3.0
    rhs = RNG.standard_normal((2, 6, 2))
    x = _run(tf.linalg.tridiagonal_solve(d, rhs, **kwargs))
    np.testing.assert_allclose(x, np.linalg.solve(_dense(d), rhs), atol=1e-10)
    mm = _run(tf.linalg.tridiagonal_matmul(d, rhs))
    np.testing.assert_allclose(mm, _dense(d) @ rhs, atol=1e-12)


def test_tridiagonal_pivoting_and_singular_matrices() -> None:
    # a zero leading pivot needs a row exchange
    d = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 3.0], [0.0, 1.0, 1.0]])
    rhs = np.ones((3, 1))
    np.testing.assert_allclose(_run(tf.linalg.tridiagonal_solve(d, rhs)),
                               np.linalg.solve(_dense(d), rhs), atol=1e-12)
    assert np.isnan(_run(tf.linalg.tridiagonal_solve(d, rhs, partial_pivoting=False))).all()
    singular = np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 0.0], [0.0, 1.0, 1.0]])
    assert np.isnan(_run(tf.linalg.tridiagonal_solve(singular, rhs))).all()
    assert np.isfinite(_run(tf.linalg.tridiagonal_solve(singular, rhs,
                                                        perturb_singular=True))).all()


def test_tridiagonal_formats_agree() -> None:
    d = RNG.uniform(-1, 1, (3, 5))
    d[1] += 3.0
    rhs = RNG.standard_normal((5, 2))
    dense = _dense(d)
    compact = tf.linalg.tridiagonal_solve(d, rhs)
    seq = tf.linalg.tridiagonal_solve([d[0, :-1], d[1], d[2, 1:]], rhs,
                                      diagonals_format="sequence")
    mat = tf.linalg.tridiagonal_solve(dense, rhs, diagonals_format="matrix")
    vec = tf.linalg.tridiagonal_solve(d, rhs[:, 0])
    tr = tf.linalg.tridiagonal_solve(d, rhs.T, transpose_rhs=True)
    vals = _run([compact, seq, mat, vec, tr])
    for v in vals[1:3] + vals[4:]:
        np.testing.assert_allclose(v, vals[0], atol=1e-12)
    np.testing.assert_allclose(vals[3], vals[0][:, 0], atol=1e-12)
    mm = _run([tf.linalg.tridiagonal_matmul(dense, rhs, diagonals_format="matrix"),
               tf.linalg.tridiagonal_matmul([d[0], d[1], d[2]], rhs,
                                            diagonals_format="sequence")])
    for v in mm:
        np.testing.assert_allclose(v, dense @ rhs, atol=1e-12)


def test_tridiagonal_gradients() -> None:
    d = RNG.uniform(-1, 1, (2, 3, 4))
    d[:, 1] += 3.0
    d[:, 0, -1] = d[:, 2, 0] = 0.0  # the ignored corners get no gradient
    rhs = RNG.standard_normal((2, 4, 2))
    check_grad(lambda a, b: tf.linalg.tridiagonal_solve(a, b), d, rhs)
    check_grad(lambda a, b: tf.linalg.tridiagonal_matmul(a, b), d, rhs)
    dense = _dense(d[0])
    check_grad(lambda a, b: tf.linalg.tridiagonal_solve(a, b, diagonals_format="matrix"),
               dense, rhs[0])


# -- expm, pinv, matrix_rank ------------------------------------------------------------------------
def _expm_reference(a: np.ndarray) -> np.ndarray:
    """exp(A) by scaling, a long Taylor series and squaring (float64)."""
    norm = np.abs(a).sum(axis=-2).max()
    k = max(0, int(np.ceil(np.log2(norm + 1e-300))) + 1)
    x = a / 2.0 ** k
    out = np.eye(a.shape[-1])
    term = np.eye(a.shape[-1])
    for i in range(1, 30):
        term = term @ x / i
        out = out + term
    for _ in range(k):
        out = out @ out
    return out


@pytest.mark.parametrize("scale", [1e-3, 0.1, 0.6, 1.5, 4.0, 20.0])
def test_expm_matches_a_taylor_reference(scale: float) -> None:
    a = RNG.standard_normal((4, 4)) * scale
    got64 = _run(tf.linalg.expm(tf.constant(a)))
    got32 = _run(tf.linalg.expm(tf.constant(a.astype(np.float32))))
    want = _expm_reference(a)
    np.testing.assert_allclose(got64, want, rtol=1e-9, atol=1e-12 * np.abs(want).max())
    np.testing.assert_allclose(got32, want, rtol=2e-4, atol=2e-5 * np.abs(want).max())


def test_expm_batches_dynamic_shapes_and_gradient() -> None:
    a = RNG.standard_normal((2, 3, 3))
    p = tf.placeholder(tf.float64, [None, 3, 3])
    got = _run(tf.linalg.expm(p), {p: a})
    np.testing.assert_allclose(got, np.stack([_expm_reference(m) for m in a]), rtol=1e-9)
    check_grad(tf.linalg.expm, a * 1.5, atol=1e-5)


def test_pinv_and_matrix_rank_match_numpy() -> None:
    a = RNG.standard_normal((2, 5, 3))
    deficient = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])
    pa, pd, ra, rd = _run([tf.linalg.pinv(a), tf.linalg.pinv(deficient),
                           tf.linalg.matrix_rank(a), tf.linalg.matrix_rank(deficient)])
    np.testing.assert_allclose(pa, np.linalg.pinv(a), atol=1e-10)
    np.testing.assert_allclose(pd, np.linalg.pinv(deficient), atol=1e-8)
    assert ra.tolist() == [3, 3] and int(rd) == 2
    check_grad(tf.linalg.pinv, RNG.standard_normal((3, 2)), atol=1e-5)


# -- band diagonals, gathers, eye -------------------------------------------------------------------
def test_diag_part_band_and_its_inverse() -> None:
    x = RNG.standard_normal((2, 4, 5))
    band = tf.matrix_diag_part(x, k=(-1, 2), align="LEFT_RIGHT")
    back = tf.matrix_diag(band, k=(-1, 2), align="LEFT_RIGHT", num_rows=4, num_cols=5)
    b, m = _run([band, back])
    assert b.shape == (2, 4, 4)
    np.testing.assert_allclose(b[:, 1, :4], np.diagonal(x, 1, -2, -1))
    np.testing.assert_allclose(b[:, 3, 1:], np.diagonal(x, -1, -2, -1))
    i, j = np.indices((4, 5))
    keep = (j - i <= 2) & (i - j <= 1)
    np.testing.assert_allclose(m, np.where(keep, x, 0.0))
    check_grad(lambda t: tf.matrix_diag_part(t, k=(-2, 1)), x)
    check_grad(lambda t: tf.matrix_diag(t, k=(0, 1), align="RIGHT_RIGHT"),
               RNG.standard_normal((2, 3)))
    check_grad(lambda t, d: tf.matrix_set_diag(t, d, k=(-1, 0)), RNG.standard_normal((3, 3)),
               RNG.standard_normal((2, 3)))


@pytest.mark.parametrize("axis", [1, -1, 2])
def test_gather_gradient_along_inner_axes(axis: int) -> None:
    params = RNG.standard_normal((2, 3, 4))
    idx = np.array([[2, 0], [2, 1]]) if axis != 1 else np.array([1, 1, 0])
    check_grad(lambda p: tf.gather(p, idx, axis=axis), params)


def test_eye_takes_tensor_sizes() -> None:
    x = tf.ones([2, 3, 3])
    s = tf.shape(x)
    e = tf.eye(s[-1], batch_shape=s[:-2])
    assert e.op.type == "MatrixDiagV3" and e.shape.as_list() == [2, 3, 3]
    r = tf.placeholder(tf.int32, [])
    rect = tf.eye(r, num_columns=4, dtype=tf.float64)
    np.testing.assert_allclose(_run(rect, {r: 2}), np.eye(2, 4))
    with pytest.raises(TypeError, match="must be positive integer values"):
        tf.eye(2.5)


def test_cholesky_gradient_with_unknown_shapes() -> None:
    a = _spd(2, n=3)
    p = tf.placeholder(tf.float64, [None, None, None])
    x = tf.constant(a)
    dynamic = tf.gradients(tf.reduce_sum(tf.cholesky(p) ** 2), p)[0]
    static = tf.gradients(tf.reduce_sum(tf.cholesky(x) ** 2), x)[0]
    np.testing.assert_allclose(_run(dynamic, {p: a}), _run(static), atol=1e-12)


def test_spectral_norm() -> None:
    a = RNG.standard_normal((4, 3, 5))
    n = tf.norm(a, ord=2, axis=[0, 2])
    np.testing.assert_allclose(_run(n), np.linalg.norm(a, 2, axis=(0, 2)), rtol=1e-10)
    check_grad(lambda t: tf.reduce_sum(tf.norm(t, ord=2, axis=[-2, -1]) * [1.0, -2.0, 0.5, 3.0]),
               a, atol=1e-5)
