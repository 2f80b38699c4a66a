"""``tf.linalg``: TF1's linear-algebra namespace over varstore.ops.linalg_* and matmul."""

from __future__ import annotations

from varstore.ops.linalg_decomp_ops import lu, svd
from varstore.ops.linalg_decomp_ops import self_adjoint_eig as eigh
from varstore.ops.linalg_decomp_ops import self_adjoint_eigvals as eigvalsh
from varstore.ops.linalg_diag_ops import diag as tensor_diag
from varstore.ops.linalg_diag_ops import diag_part as tensor_diag_part
from varstore.ops.linalg_diag_ops import (
    eye,
    matrix_band_part,
    matrix_diag,
    matrix_diag_part,
    matrix_set_diag,
    trace,
)
from varstore.ops.linalg_einsum_ops import einsum
from varstore.ops.linalg_impl import (
    lu_matrix_inverse,
    lu_reconstruct,
    lu_solve,
    matrix_rank,
    pinv,
)
from varstore.ops.linalg_impl import matrix_exponential as expm
from varstore.ops.linalg_ops import (
    adjoint,
    cholesky,
    logdet,
    matrix_transpose,
    norm,
    slogdet,
)
from varstore.ops.linalg_ops import matrix_determinant as det
from varstore.ops.linalg_ops import matrix_inverse as inv
from varstore.ops.linalg_ops import matrix_solve as solve
from varstore.ops.linalg_ops import matrix_triangular_solve as triangular_solve
from varstore.ops.linalg_qr_ops import qr
from varstore.ops.linalg_solve_ops import cholesky_solve
from varstore.ops.linalg_solve_ops import matrix_solve_ls as lstsq
from varstore.ops.linalg_sqrtm_ops import matrix_square_root as sqrtm
from varstore.ops.linalg_tridiag_ops import tridiagonal_matmul, tridiagonal_solve
from varstore.ops.linalg_vector_ops import cross, matvec, normalize
from varstore.ops.math_matmul_ops import matmul, tensordot
from varstore.ops.math_reduce_ops import global_norm
from varstore.ops.nn_impl import l2_normalize

band_part = matrix_band_part
diag = matrix_diag
diag_part = matrix_diag_part
set_diag = matrix_set_diag
# tf.linalg.transpose is matrix_transpose (the two innermost dims), not tf.transpose
transpose = matrix_transpose

__all__ = [
    "adjoint",
    "band_part",
    "cholesky",
    "cholesky_solve",
    "cross",
    "det",
    "diag",
    "diag_part",
    "eigh",
    "eigvalsh",
    "einsum",
    "expm",
    "eye",
    "global_norm",
    "inv",
    "l2_normalize",
    "logdet",
    "lstsq",
    "lu",
    "lu_matrix_inverse",
    "lu_reconstruct",
    "lu_solve",
    "matmul",
    "matrix_rank",
    "matrix_transpose",
    "matvec",
    "norm",
    "normalize",
    "pinv",
    "qr",
    "set_diag",
    "slogdet",
    "solve",
    "sqrtm",
    "svd",
    "tensor_diag",
    "tensor_diag_part",
    "tensordot",
    "trace",
    "transpose",
    "triangular_solve",
    "tridiagonal_matmul",
    "tridiagonal_solve",
]


def __getattr__(name: str) -> object:
    """A tf.linalg symbol varstore does not implement: an AttributeError that says so."""
    raise AttributeError(f"module 'varstore.linalg' has no attribute {name!r}: varstore "
                         f"lacks tf.linalg.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
