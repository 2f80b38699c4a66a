"""TF's linalg_impl composites built from the linalg ops: expm (scaling and squaring with Pade
approximants, as Eigen's MatrixExponential), pinv and matrix_rank (through Svd), and lu_solve,
lu_reconstruct, lu_matrix_inverse (on tf.linalg.lu's packed factors). They differentiate
through their parts."""

from __future__ import annotations

from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_index, convert_to_tensor
from varstore.framework.op_def_library import check_same_graph
from varstore.framework.ops import Tensor, builders, scope_of
from varstore.ops.array_ops import expand_dims, reshape
from varstore.ops.linalg_decomp_ops import svd
from varstore.ops.linalg_diag_ops import eye, matrix_band_part, matrix_set_diag
from varstore.ops.linalg_ops import matrix_solve, matrix_triangular_solve
from varstore.ops.math_matmul_ops import matmul

__all__ = ["lu_matrix_inverse", "lu_reconstruct", "lu_solve", "matrix_exponential",
           "matrix_rank", "pinv"]

def _const(value: float, dtype: Any) -> Tensor:
    return convert_to_tensor(value, dtype=dtype)


# -- expm -----------------------------------------------------------------------------------------
def _identity_like(matrix: Tensor) -> Tensor:
    shape = builders.shape(matrix)
    return eye(shape[-2], batch_shape=shape[:-2], dtype=matrix._dtype)


def _powers(matrix: Tensor, count: int) -> list[Tensor]:
    """[A^2, A^4, A^6, A^8][:count] as TF builds them (A^6 = A^4 A^2, A^8 = A^6 A^2)."""
    m2 = matmul(matrix, matrix)
    out = [m2]
    if count > 1:
        out.append(matmul(m2, m2))
    for _ in range(count - 2):
        out.append(matmul(out[-1], m2))
    return out


def _pade(matrix: Tensor, b: list[float]) -> tuple[Tensor, Tensor]:
    """Pade approximants of order 3, 5, 7 and 9 (TF's _matrix_exp_pade3..9, ported from
    Eigen): U = A (sum of odd terms), V = sum of even terms."""
    bs = [_const(x, matrix._dtype) for x in b]
    ident = _identity_like(matrix)
    powers = _powers(matrix, len(b) // 2)
    tmp: Tensor = powers[-1]
    for k in range(len(powers) - 1, 0, -1):
        tmp = tmp + bs[2 * k + 1] * powers[k - 1]
    tmp = tmp + bs[1] * ident
    matrix_u = matmul(matrix, tmp)
    matrix_v: Tensor = bs[-1] * powers[-1]
    for k in range(len(powers) - 1, 0, -1):
        matrix_v = matrix_v + bs[2 * k] * powers[k - 1]
    matrix_v = matrix_v + bs[0] * ident
    return matrix_u, matrix_v


_PADE3 = [120.0, 60.0, 12.0]
_PADE5 = [30240.0, 15120.0, 3360.0, 420.0, 30.0]
_PADE7 = [17297280.0, 8648640.0, 1995840.0, 277200.0, 25200.0, 1512.0, 56.0]
_PADE9 = [17643225600.0, 8821612800.0, 2075673600.0, 302702400.0, 30270240.0, 2162160.0,
          110880.0, 3960.0, 90.0]
_PADE13 = [64764752532480000.0, 32382376266240000.0, 7771770303897600.0,
           1187353796428800.0, 129060195264000.0, 10559470521600.0, 670442572800.0,
           33522128640.0, 1323241920.0, 40840800.0, 960960.0, 16380.0, 182.0]


def _pade13(matrix: Tensor) -> tuple[Tensor, Tensor]:
    b = [_const(x, matrix._dtype) for x in _PADE13]
    ident = _identity_like(matrix)
    m2, m4, m6 = _powers(matrix, 3)
    tmp_u = (matmul(m6, m6 + b[11] * m4 + b[9] * m2) + b[7] * m6 + b[5] * m4 + b[3] * m2
             + b[1] * ident)
    matrix_u = matmul(matrix, tmp_u)
    tmp_v = b[12] * m6 + b[10] * m4 + b[8] * m2
    matrix_v = matmul(m6, tmp_v) + b[6] * m6 + b[4] * m4 + b[2] * m2 + b[0] * ident
    return matrix_u, matrix_v


def matrix_exponential(input: Any, name: str | None = None) -> Tensor:
    """``tf.linalg.expm``: exp of each innermost square matrix under ``matrix_exponential``
    (Higham's scaling and squaring: a Pade approximant picked by the 1-norm, solved, then
    squared in a while loop)."""
    graph = check_same_graph(input)
    full = graph._op_name(name, "matrix_exponential")
    with scope_of(graph, full):
        matrix = convert_to_tensor(input, name="input")
        s = matrix._shape
        if s is not None and len(s) >= 2 and s[-2:] == (0, 0):
            return matrix
        batch_static = None if s is None else s[:-2]
        batch_shape: Any = batch_static
        if batch_static is None or None in batch_static:
            batch_shape = builders.shape(matrix)[:-2]
        # one batch dimension makes the where statements simpler
        matrix = reshape(matrix, builders.concat(([-1], builders.shape(matrix)[-2:]), axis=0))
        l1_norm = builders.reduce_max(
            builders.reduce_sum(builders.abs(matrix),
                                axis=builders.size(builders.shape(matrix)) - 2),
            axis=-1)[..., None, None]
        dt = l1_norm._dtype

        def nest_where(vals: tuple[float, ...], cases: tuple[Tensor, ...]) -> Tensor:
            if len(vals) == 1:
                return builders.where_v2(  # type: ignore[no-any-return]
                    builders.less(l1_norm, _const(vals[0], dt)), cases[0], cases[1])
            return builders.where_v2(  # type: ignore[no-any-return]
                builders.less(l1_norm, _const(vals[0], dt)), cases[0],
                nest_where(vals[1:], cases[1:]))

        def squarings_for(maxnorm: float) -> Tensor:
            return builders.maximum(  # type: ignore[no-any-return]
                builders.floor(builders.log(l1_norm / _const(maxnorm, dt))
                               / builders.log(_const(2.0, dt))), 0)

        def scaled(sq: Tensor) -> Tensor:
            out: Tensor = matrix / builders.cast(builders.pow(_const(2.0, dt), sq), matrix._dtype)
            return out

        if matrix._dtype in (_dtypes.float16, _dtypes.float32):
            squarings = squarings_for(3.925724783138660)
            u3, v3 = _pade(matrix, _PADE3)
            u5, v5 = _pade(matrix, _PADE5)
            u7, v7 = _pade(scaled(squarings), _PADE7)
            conds: tuple[float, ...] = (4.258730016922831e-001, 1.880152677804762e+000)
            u = nest_where(conds, (u3, u5, u7))
            v = nest_where(conds, (v3, v5, v7))
        elif matrix._dtype is _dtypes.float64:
            squarings = squarings_for(5.371920351148152)
            u3, v3 = _pade(matrix, _PADE3)
            u5, v5 = _pade(matrix, _PADE5)
            u7, v7 = _pade(matrix, _PADE7)
            u9, v9 = _pade(matrix, _PADE9)
            u13, v13 = _pade13(scaled(squarings))
            conds = (1.495585217958292e-002, 2.539398330063230e-001, 9.504178996162932e-001,
                     2.097847961257068e+000)
            u = nest_where(conds, (u3, u5, u7, u9, u13))
            v = nest_where(conds, (v3, v5, v7, v9, v13))
        else:
            raise ValueError(f"tf.linalg.expm does not support matrices of type "
                             f"<dtype: '{matrix._dtype.name}'>")
        is_finite = builders.is_finite(builders.reduce_max(l1_norm))
        nan = _const(np.nan, matrix._dtype)
        result = builders.cond(is_finite, lambda: matrix_solve(-u + v, u + v),
                               lambda: builders.fill(builders.shape(matrix), nan))
        max_squarings = builders.reduce_max(squarings)
        i = _const(0.0, dt)

        def c(i: Tensor, _: Tensor) -> Tensor:
            return builders.cond(  # type: ignore[no-any-return]
                is_finite, lambda: builders.less(i, max_squarings),
                lambda: convert_to_tensor(False))

        def b(i: Tensor, r: Tensor) -> tuple[Tensor, Tensor]:
            return i + 1, builders.where_v2(builders.less(i, squarings), matmul(r, r), r)

        from varstore.ops.while_v2 import while_loop

        _, result = while_loop(c, b, [i, result])
        if s is None or None in s:
            return reshape(result, builders.concat(
                (batch_shape, builders.shape(result)[-2:]), axis=0))
        rs = result._shape
        assert batch_static is not None and rs is not None
        return reshape(result, [*batch_static, *rs[-2:]])


# -- pinv, matrix_rank ----------------------------------------------------------------------------
def _maybe_validate_matrix(a: Tensor, validate_args: bool) -> list[Any]:
    """TF: a float matrix (rank >= 2), checked now or, unknown, by an assertion."""
    if not a._dtype.is_floating:
        raise TypeError(f"Input `a` must have `float`-like `dtype` (saw {a._dtype.name}).")
    if a._shape is not None:
        if len(a._shape) < 2:
            raise ValueError(f"Input `a` must have at least 2 dimensions (saw: "
                             f"{len(a._shape)}).")
        return []
    if validate_args:
        return [builders.assert_rank_at_least(
            a, rank=2, message="Input `a` must have at least 2 dimensions.")]
    return []


def _validated(a: Tensor, assertions: list[Any]) -> Tensor:
    if not assertions:
        return a
    with a._op._graph.control_dependencies(assertions):
        return builders.identity(a)  # type: ignore[no-any-return]


def pinv(a: Any, rcond: Any = None, validate_args: bool = False,
         name: str | None = None) -> Tensor:
    """``tf.linalg.pinv``: the Moore-Penrose pseudo-inverse through the SVD, singular values
    below rcond * the largest dropped (rcond defaults to 10 * max(rows, cols) * eps)."""
    graph = check_same_graph(a, rcond)
    full = graph._op_name(None, name or "pinv")
    with scope_of(graph, full):
        x = convert_to_tensor(a, name="a")
        x = _validated(x, _maybe_validate_matrix(x, validate_args))
        np_dtype = x._dtype._np
        if rcond is None:
            s = x._shape
            rows: Any = s[-2] if s is not None and s[-2] is not None else \
                builders.shape(x)[-2]
            cols: Any = s[-1] if s is not None and s[-1] is not None else \
                builders.shape(x)[-1]
            if isinstance(rows, int) and isinstance(cols, int):
                max_rows_cols: Any = float(max(rows, cols))
            else:
                max_rows_cols = builders.cast(builders.maximum(rows, cols), x._dtype)
            rcond = 10.0 * max_rows_cols * np.finfo(np_dtype).eps
        rc = convert_to_tensor(rcond, dtype=x._dtype, name="rcond")
        singular_values, left, right = svd(x, full_matrices=False, compute_uv=True)
        cutoff = rc * builders.reduce_max(singular_values, axis=-1)
        singular_values = builders.where_v2(singular_values > expand_dims(cutoff, -1),
                                            singular_values, np.array(np.inf, np_dtype))
        a_pinv = matmul(right / expand_dims(singular_values, -2), left, adjoint_b=True)
        if x._shape is not None:
            a_pinv.set_shape((*x._shape[:-2], x._shape[-1], x._shape[-2]))
        return a_pinv


def matrix_rank(a: Any, tol: Any = None, validate_args: bool = False,
                name: str | None = None) -> Tensor:
    """``tf.linalg.matrix_rank``: the number of singular values above tol (by default
    eps * max(rows, cols) * the largest), int32."""
    graph = check_same_graph(a, tol)
    full = graph._op_name(None, name or "matrix_rank")
    with scope_of(graph, full):
        x = convert_to_tensor(a, dtype_hint=_dtypes.float32, name="a")
        x = _validated(x, _maybe_validate_matrix(x, validate_args))
        s = svd(x, compute_uv=False)
        if tol is None:
            dims = x._shape
            m: Any
            if dims is not None and None not in dims[-2:]:
                m = np.max(np.array(dims[-2:], np.int64))
            else:
                m = builders.reduce_max(builders.shape(x)[-2:])
            eps = np.finfo(x._dtype._np).eps
            tol = (eps * builders.cast(m, x._dtype)
                   * builders.reduce_max(s, axis=-1, keepdims=True))
        return builders.reduce_sum(  # type: ignore[no-any-return]
            builders.cast(s > tol, _dtypes.int32), axis=-1)


# -- lu_solve, lu_reconstruct, lu_matrix_inverse --------------------------------------------------
def _lu_reconstruct_assertions(lower_upper: Tensor, perm: Tensor,
                               validate_args: bool) -> list[Any]:
    assertions: list[Any] = []
    ls, ps = lower_upper._shape, perm._shape
    message = "Input `lower_upper` must have at least 2 dimensions."
    if ls is not None and len(ls) < 2:
        raise ValueError(message)
    if ls is None and validate_args:
        assertions.append(builders.assert_rank_at_least(lower_upper, rank=2, message=message))
    message = "`rank(lower_upper)` must equal `rank(perm) + 1`"
    if ls is not None and ps is not None:
        if len(ls) != len(ps) + 1:
            raise ValueError(message)
    elif validate_args:
        assertions.append(builders.assert_rank(lower_upper, rank=builders.rank(perm) + 1,
                                               message=message))
    message = "`lower_upper` must be square."
    if ls is not None and None not in ls[:-2]:
        if ls[-2] != ls[-1]:
            raise ValueError(message)
    elif validate_args:
        m, n = builders.split(builders.shape(lower_upper)[-2:], num_or_size_splits=2)
        assertions.append(builders.assert_equal(m, n, message=message))
    return assertions


def _lu_solve_assertions(lower_upper: Tensor, perm: Tensor, rhs: Tensor,
                         validate_args: bool) -> list[Any]:
    assertions = _lu_reconstruct_assertions(lower_upper, perm, validate_args)
    message = "Input `rhs` must have at least 2 dimensions."
    rs, ls = rhs._shape, lower_upper._shape
    if rs is not None:
        if len(rs) < 2:
            raise ValueError(message)
    elif validate_args:
        assertions.append(builders.assert_rank_at_least(rhs, rank=2, message=message))
    message = "`lower_upper.shape[-1]` must equal `rhs.shape[-1]`."
    lu_last = None if ls is None else ls[-1]
    rhs_rows = None if rs is None else rs[-2]
    if lu_last is not None and rhs_rows is not None:
        if lu_last != rhs_rows:
            raise ValueError(message)
    elif validate_args:
        assertions.append(builders.assert_equal(builders.shape(lower_upper)[-1],
                                                builders.shape(rhs)[-2], message=message))
    return assertions


def _with_deps(assertions: list[Any], tensors: list[Tensor]) -> list[Tensor]:
    if not assertions:
        return tensors
    with tensors[0]._op._graph.control_dependencies(assertions):
        return [builders.identity(t) for t in tensors]


def _lower_factor(lower_upper: Tensor) -> Tensor:
    """L: the strict lower triangle of the packed factors with a unit diagonal."""
    return matrix_set_diag(matrix_band_part(lower_upper, num_lower=-1, num_upper=0),
                           builders.ones(builders.shape(lower_upper)[:-1],
                                         dtype=lower_upper._dtype))


def lu_solve(lower_upper: Any, perm: Any, rhs: Any, validate_args: bool = False,
             name: str | None = None) -> Tensor:
    """``tf.linalg.lu_solve``: X with A X = rhs from A's LU factors (lu, p) = tf.linalg.lu(A):
    rhs permuted by p, then the two triangular solves."""
    graph = check_same_graph(lower_upper, perm, rhs)
    full = graph._op_name(None, name or "lu_solve")
    with scope_of(graph, full):
        lu_ = convert_to_tensor(lower_upper, dtype_hint=_dtypes.float32, name="lower_upper")
        p = convert_index(perm, name="perm")
        b = convert_to_tensor(rhs, dtype_hint=lu_._dtype, name="rhs")
        lu_, p, b = _with_deps(_lu_solve_assertions(lu_, p, b, validate_args), [lu_, p, b])
        if b._shape is not None and len(b._shape) == 2 and p._shape is not None and \
                len(p._shape) == 1:
            permuted_rhs = builders.gather(b, p, axis=-2)
        else:
            rhs_shape = builders.shape(b)
            broadcast_batch_shape = builders.broadcast_dynamic_shape(
                rhs_shape[:-2], builders.shape(p)[:-1])
            d, m = rhs_shape[-2], rhs_shape[-1]
            rhs_broadcast_shape = builders.concat([broadcast_batch_shape, [d, m]], axis=0)
            broadcast_rhs = builders.broadcast_to(b, rhs_broadcast_shape)
            broadcast_rhs = reshape(broadcast_rhs, [-1, d, m])
            broadcast_perm = builders.broadcast_to(p, rhs_broadcast_shape[:-1])
            broadcast_perm = reshape(broadcast_perm, [-1, d])
            broadcast_batch_size = builders.reduce_prod(broadcast_batch_shape)
            broadcast_batch_indices = builders.broadcast_to(
                builders.range(broadcast_batch_size)[:, None], [broadcast_batch_size, d])
            broadcast_perm = builders.stack([broadcast_batch_indices, broadcast_perm], axis=-1)
            permuted_rhs = builders.gather_nd(broadcast_rhs, broadcast_perm)
            permuted_rhs = reshape(permuted_rhs, rhs_broadcast_shape)
        lower = _lower_factor(lu_)
        # the upper solve reads only the upper triangle of the packed factors
        return matrix_triangular_solve(lu_, matrix_triangular_solve(lower, permuted_rhs),
                                       lower=False)


def lu_matrix_inverse(lower_upper: Any, perm: Any, validate_args: bool = False,
                      name: str | None = None) -> Tensor:
    """``tf.linalg.lu_matrix_inverse``: A^-1 from A's LU factors (lu_solve of the
    identity)."""
    graph = check_same_graph(lower_upper, perm)
    full = graph._op_name(None, name or "lu_matrix_inverse")
    with scope_of(graph, full):
        lu_ = convert_to_tensor(lower_upper, dtype_hint=_dtypes.float32, name="lower_upper")
        p = convert_index(perm, name="perm")
        lu_, p = _with_deps(_lu_reconstruct_assertions(lu_, p, validate_args), [lu_, p])
        shape = builders.shape(lu_)
        return lu_solve(lu_, p, rhs=eye(shape[-1], batch_shape=shape[:-2], dtype=lu_._dtype),
                        validate_args=False)


def lu_reconstruct(lower_upper: Any, perm: Any, validate_args: bool = False,
                   name: str | None = None) -> Tensor:
    """``tf.linalg.lu_reconstruct``: A = P^-1 L U from tf.linalg.lu's (lu, p)."""
    graph = check_same_graph(lower_upper, perm)
    full = graph._op_name(None, name or "lu_reconstruct")
    with scope_of(graph, full):
        lu_ = convert_to_tensor(lower_upper, dtype_hint=_dtypes.float32, name="lower_upper")
        p = convert_index(perm, name="perm")
        lu_, p = _with_deps(_lu_reconstruct_assertions(lu_, p, validate_args), [lu_, p])
        shape = builders.shape(lu_)
        lower = matrix_set_diag(matrix_band_part(lu_, num_lower=-1, num_upper=0),
                                builders.ones(shape[:-1], dtype=lu_._dtype))
        upper = matrix_band_part(lu_, num_lower=0, num_upper=-1)
        x = matmul(lower, upper)
        if lu_._shape is None or len(lu_._shape) != 2:
            batch_size = builders.reduce_prod(shape[:-2])
            d = shape[-1]
            x = reshape(x, [batch_size, d, d])
            p = reshape(p, [batch_size, d])
            from varstore.ops.functional_ops import map_fn

            p = map_fn(builders.invert_permutation, p)
            batch_indices = builders.broadcast_to(builders.range(batch_size)[:, None],
                                                  [batch_size, d])
            x = builders.gather_nd(x, builders.stack([batch_indices, p], axis=-1))
            x = reshape(x, shape)
        else:
            x = builders.gather(x, builders.invert_permutation(p))
        x.set_shape(lu_._shape)
        return x


builders.register(globals(), __all__)
