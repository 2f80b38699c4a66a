"""The FFT op types, as TF's gen_spectral_ops and signal/fft_ops.py: FFT / IFFT / FFT2D / IFFT2D /
FFT3D / IFFT3D over complex64/complex128 (op name = the gen op's default), and the real
transforms RFFT / IRFFT {,2D,3D} behind TF's wrappers (a ``rfft`` name scope, fft_length
inferred from the static shape, the input zero-padded up to fft_length; the kernels crop), with
TF's gradients (the RFFT ones add back the terms Hermitian symmetry drops; TF registers none
for RFFT3D / IRFFT3D). fftshift / ifftshift are TF's Roll composites."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import (
    constant_value,
    constant_value_as_shape,
    convert_to_tensor,
)
from varstore.framework.graph import name_scope
from varstore.framework.op_def_library import check_allowed, check_same_graph, hinted_input
from varstore.framework.ops import (
    Operation,
    RegisterGradient,
    Tensor,
    dt_enum,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.ops.array_fill_ops import ones, zeros, zeros_like
from varstore.ops.array_ops import expand_dims, rank, reshape, shape, transpose
from varstore.ops.array_slicing_ops import gather
from varstore.ops.array_sort_ops import roll
from varstore.ops.array_stack_ops import concat, stack, unstack
from varstore.ops.array_transform_ops import pad, tile, where
from varstore.ops.math_complex_ops import conj, real
from varstore.ops.math_matmul_ops import matmul
from varstore.ops.math_ops import floormod, less, maximum
from varstore.ops.math_reduce_ops import reduce_prod
from varstore.ops.math_sequence_ops import range as _range
from varstore.ops.math_unary_ops import cast, exp, reciprocal

__all__ = [
    "fft",
    "fft2d",
    "fft3d",
    "fftshift",
    "ifft",
    "ifft2d",
    "ifft3d",
    "ifftshift",
    "irfft",
    "irfft2d",
    "irfft3d",
    "rfft",
    "rfft2d",
    "rfft3d",
]

_COMPLEX = "complex64, complex128"
_REAL = "float32, float64"
_COMPLEX_OF = {"float32": _dtypes.complex64, "float64": _dtypes.complex128}
_RANK = {"FFT": 1, "IFFT": 1, "FFT2D": 2, "IFFT2D": 2, "FFT3D": 3, "IFFT3D": 3,
         "RFFT": 1, "IRFFT": 1, "RFFT2D": 2, "IRFFT2D": 2, "RFFT3D": 3, "IRFFT3D": 3}


def _check_rank(x: Tensor, need: int, full: str, op_type: str, attrs: str,
                inputs: list[Tensor]) -> None:
    if x._shape is not None and len(x._shape) < need:
        raise node_error(f"Shape must be at least rank {need} but is rank {len(x._shape)}",
                         full, op_type, attrs, inputs)


def math_mod(x: Any, y: Any, name: str | None = None) -> Tensor:
    """TF's internal math_ops.mod (not tf.mod): FloorMod under a ``mod`` name scope."""
    with name_scope(name, "mod", [x, y]) as scope:
        return floormod(x, y, name=scope)


# -- complex-to-complex ops ---------------------------------------------------------------------
def _complex_fft(op_type: str, input: Any, name: str | None) -> Tensor:
    graph = check_same_graph(input)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        x = hinted_input(input, _dtypes.complex64, "input")
    check_allowed(x._dtype, _COMPLEX, "input")
    _check_rank(x, _RANK[op_type], full, op_type, f"Tcomplex={dt_enum(x._dtype)}", [x])
    return make_op(graph, full, op_type, [x], {"Tcomplex": x._dtype},
                   [(x._dtype, x._shape)])._outputs[0]


def fft(input: Any, name: str | None = None) -> Tensor:
    """``tf.signal.fft``: op ``FFT`` over the inner-most dimension."""
    return _complex_fft("FFT", input, name)


def ifft(input: Any, name: str | None = None) -> Tensor:
    """``tf.signal.ifft``: op ``IFFT`` over the inner-most dimension."""
    return _complex_fft("IFFT", input, name)


def fft2d(input: Any, name: str | None = None) -> Tensor:
    """``tf.signal.fft2d``: op ``FFT2D`` over the inner-most 2 dimensions."""
    return _complex_fft("FFT2D", input, name)


def ifft2d(input: Any, name: str | None = None) -> Tensor:
    """``tf.signal.ifft2d``: op ``IFFT2D`` over the inner-most 2 dimensions."""
    return _complex_fft("IFFT2D", input, name)


def fft3d(input: Any, name: str | None = None) -> Tensor:
    """``tf.signal.fft3d``: op ``FFT3D`` over the inner-most 3 dimensions."""
    return _complex_fft("FFT3D", input, name)


def ifft3d(input: Any, name: str | None = None) -> Tensor:
    """``tf.signal.ifft3d``: op ``IFFT3D`` over the inner-most 3 dimensions."""
    return _complex_fft("IFFT3D", input, name)


# -- real ops: the gen op, then TF's wrappers ---------------------------------------------------
def _real_fft_op(op_type: str, x: Tensor, fft_length: Any, out_dtype: _dtypes.DType,
                 name: str) -> Tensor:
    graph = check_same_graph(x, fft_length)
    full = graph._op_name(name, op_type)
    forward = not op_type.startswith("I")
    with scope_of(graph, full):
        n = convert_to_tensor(fft_length, dtype=_dtypes.int32, name="fft_length")
    fft_rank = _RANK[op_type]
    if forward:
        attrs = {"Treal": x._dtype, "Tcomplex": out_dtype}
    else:
        attrs = {"Treal": out_dtype, "Tcomplex": x._dtype}
    text = f"Treal={dt_enum(attrs['Treal'])}, Tcomplex={dt_enum(attrs['Tcomplex'])}"
    _check_rank(x, fft_rank, full, op_type, text, [x, n])
    if n._shape is not None and len(n._shape) != 1:
        raise node_error(f"Shape must be rank 1 but is rank {len(n._shape)}", full, op_type,
                         text, [x, n])
    if n._shape is not None and n._shape[0] is not None and n._shape[0] != fft_rank:
        raise node_error(f"Dimension must be {fft_rank} but is {n._shape[0]}", full, op_type,
                         text, [x, n])
    out_shape: tuple[int | None, ...] | None = None
    if x._shape is not None:
        lengths = constant_value(n)
        dims: list[int | None] = list(x._shape)
        for i in range(fft_rank):
            dims[len(dims) - fft_rank + i] = None if lengths is None else int(lengths[i])
        if lengths is not None and forward:
            dims[-1] = int(lengths[-1]) // 2 + 1
        out_shape = tuple(dims)
    return make_op(graph, full, op_type, [x, n], attrs, [(out_dtype, out_shape)])._outputs[0]


def _infer_fft_length_for_rfft(x: Tensor, fft_rank: int) -> Tensor:
    dims = x._shape[-fft_rank:] if x._shape is not None else None
    if dims is None or any(d is None for d in dims):
        return shape(x)[-fft_rank:]
    return convert_to_tensor(list(dims), _dtypes.int32)


def _infer_fft_length_for_irfft(x: Tensor, fft_rank: int) -> Tensor:
    dims = x._shape[-fft_rank:] if x._shape is not None else None
    if dims is None or any(d is None for d in dims):
        lengths = unstack(shape(x)[-fft_rank:])
        lengths[-1] = maximum(0, 2 * (lengths[-1] - 1))
        return stack(lengths)
    static = [int(d) for d in dims]  # type: ignore[arg-type]
    if static:
        static[-1] = max(0, 2 * (static[-1] - 1))
    return convert_to_tensor(static, _dtypes.int32)


def _maybe_pad_for_rfft(x: Tensor, fft_rank: int, fft_length: Tensor,
                        is_reverse: bool = False) -> Tensor:
    """TF's _maybe_pad_for_rfft: zeros appended to the inner-most ``fft_rank`` dimensions
    shorter than ``fft_length`` (statically when both shapes are known)."""
    fft_shape = constant_value_as_shape(fft_length)
    if x._shape is not None and any(d == 0 for d in x._shape):
        return x
    if fft_shape is not None and all(d is not None for d in fft_shape) \
            and x._shape is not None:
        input_fft_shape = x._shape[-len(fft_shape):] if fft_shape else ()
        if all(d is not None for d in input_fft_shape):
            target = list(fft_shape)
            if is_reverse:
                target[-1] = target[-1] // 2 + 1  # type: ignore[operator]
            paddings = [[0, max(int(f) - int(d), 0)]  # type: ignore[arg-type]
                        for f, d in zip(target, input_fft_shape)]
            if any(p > 0 for _, p in paddings):
                outer = [[0, 0]] * max(len(x._shape) - len(fft_shape), 0)
                return pad(x, outer + paddings)
            return x
    input_rank = rank(x)
    input_fft_shape_t = shape(x)[-fft_rank:]
    outer_dims = maximum(0, input_rank - fft_rank)
    outer_paddings = zeros([outer_dims], fft_length._dtype)
    if is_reverse:
        fft_length = concat([fft_length[:-1], fft_length[-1:] // 2 + 1], 0)
    fft_paddings = maximum(0, fft_length - input_fft_shape_t)
    dyn = concat([outer_paddings, fft_paddings], 0)
    return pad(x, stack([zeros_like(dyn), dyn], axis=1))


def _rfft_wrapper(op_type: str, default_name: str) -> Callable[..., Tensor]:
    fft_rank = _RANK[op_type]

    def _rfft(input_tensor: Any, fft_length: Any = None, name: str | None = None) -> Tensor:
        with name_scope(name, default_name, [input_tensor, fft_length]) as scope:
            x = convert_to_tensor(input_tensor, preferred_dtype=_dtypes.float32)
            if x._dtype.name not in _COMPLEX_OF:
                raise ValueError(f"RFFT requires tf.float32 or tf.float64 inputs, got: {x}")
            complex_dtype = _COMPLEX_OF[x._dtype.name]
            x.shape.with_rank_at_least(fft_rank)
            if fft_length is None:
                n = _infer_fft_length_for_rfft(x, fft_rank)
            else:
                n = convert_to_tensor(fft_length, _dtypes.int32)
            x = _maybe_pad_for_rfft(x, fft_rank, n)
            static = constant_value(n)
            return _real_fft_op(op_type, x, n if static is None else static, complex_dtype,
                                scope)

    _rfft.__name__ = default_name
    _rfft.__doc__ = f"``tf.signal.{default_name}``: op ``{op_type}`` (TF's wrapper: fft_length " \
        "inferred from the static shape, the input zero-padded up to it)."
    return _rfft


def _irfft_wrapper(op_type: str, default_name: str) -> Callable[..., Tensor]:
    fft_rank = _RANK[op_type]

    def _irfft(input_tensor: Any, fft_length: Any = None, name: str | None = None) -> Tensor:
        with name_scope(name, default_name, [input_tensor, fft_length]) as scope:
            x = convert_to_tensor(input_tensor, preferred_dtype=_dtypes.complex64)
            x.shape.with_rank_at_least(fft_rank)
            if x._dtype.name not in ("complex64", "complex128"):
                raise ValueError(f"IRFFT requires tf.complex64 or tf.complex128 inputs, got: {x}")
            real_dtype = x._dtype.real_dtype
            if fft_length is None:
                n = _infer_fft_length_for_irfft(x, fft_rank)
            else:
                n = convert_to_tensor(fft_length, _dtypes.int32)
            x = _maybe_pad_for_rfft(x, fft_rank, n, is_reverse=True)
            static = constant_value(n)
            return _real_fft_op(op_type, x, n if static is None else static, real_dtype, scope)

    _irfft.__name__ = default_name
    _irfft.__doc__ = f"``tf.signal.{default_name}``: op ``{op_type}`` (TF's wrapper: " \
        "fft_length 2 * (n - 1) by default, the input zero-padded up to it)."
    return _irfft


rfft = _rfft_wrapper("RFFT", "rfft")
irfft = _irfft_wrapper("IRFFT", "irfft")
rfft2d = _rfft_wrapper("RFFT2D", "rfft2d")
irfft2d = _irfft_wrapper("IRFFT2D", "irfft2d")
rfft3d = _rfft_wrapper("RFFT3D", "rfft3d")
irfft3d = _irfft_wrapper("IRFFT3D", "irfft3d")


# -- kernels ------------------------------------------------------------------------------------
def _complex_kernel(op: Operation) -> Callable[..., Any]:
    fft_rank = _RANK[op._type]
    inverse = op._type.startswith("I")
    dt = op._attrs["Tcomplex"]._np
    axes = tuple(range(-fft_rank, 0))

    def kernel(x: np.ndarray) -> np.ndarray:
        if x.size == 0:
            return np.zeros(x.shape, dt)
        out = np.fft.ifftn(x, axes=axes) if inverse else np.fft.fftn(x, axes=axes)
        return np.asarray(out, dt)

    return kernel


def _real_kernel(op: Operation) -> Callable[..., Any]:
    fft_rank = _RANK[op._type]
    forward = not op._type.startswith("I")
    out_dt = (op._attrs["Tcomplex"] if forward else op._attrs["Treal"])._np

    def kernel(x: np.ndarray, fft_length: np.ndarray) -> np.ndarray:
        lengths = [int(v) for v in np.reshape(fft_length, -1)]
        if len(lengths) != fft_rank:
            raise ValueError(f"fft_length must be length {fft_rank} vector, got "
                             f"{len(lengths)}")
        crop: list[slice] = [slice(None)] * (x.ndim - fft_rank)
        for i, n in enumerate(lengths):
            dim = x.ndim - fft_rank + i
            need = n // 2 + 1 if (not forward and i == fft_rank - 1) else n
            if x.shape[dim] < need:
                raise ValueError(f"Input dimension {dim} must have length of at least {need} "
                                 f"but got: {x.shape[dim]}")
            crop.append(slice(0, need))
        out_shape = list(x.shape[:x.ndim - fft_rank]) + lengths
        if forward:
            out_shape[-1] = lengths[-1] // 2 + 1
        if x.size == 0 or 0 in lengths:
            return np.zeros(out_shape, out_dt)
        xc = x[tuple(crop)]
        axes = tuple(range(-fft_rank, 0))
        if forward:
            return np.asarray(np.fft.rfftn(xc, s=lengths, axes=axes), out_dt)
        return np.asarray(np.fft.irfftn(xc, s=lengths, axes=axes), out_dt)

    return kernel


for _t in ("FFT", "IFFT", "FFT2D", "IFFT2D", "FFT3D", "IFFT3D"):
    register_kernel(_t)(_complex_kernel)
for _t in ("RFFT", "IRFFT", "RFFT2D", "IRFFT2D", "RFFT3D", "IRFFT3D"):
    register_kernel(_t)(_real_kernel)


# -- gradients (signal/fft_ops.py) --------------------------------------------------------------
def _fft_size_for_grad(grad: Tensor, fft_rank: int) -> Tensor:
    return reduce_prod(shape(grad)[-fft_rank:])


_FORWARD: dict[str, Callable[..., Tensor]] = {"FFT": fft, "FFT2D": fft2d, "FFT3D": fft3d}
_INVERSE: dict[str, Callable[..., Tensor]] = {"IFFT": ifft, "IFFT2D": ifft2d,
                                              "IFFT3D": ifft3d}


def _register_complex_grads() -> None:
    for fwd, inv in (("FFT", "IFFT"), ("FFT2D", "IFFT2D"), ("FFT3D", "IFFT3D")):
        fft_rank = _RANK[fwd]
        fwd_fn, inv_fn = _FORWARD[fwd], _INVERSE[inv]

        def fft_grad(_: Operation, grad: Tensor, r: int = fft_rank,
                     f: Callable[..., Tensor] = inv_fn) -> Tensor:
            size = cast(_fft_size_for_grad(grad, r), grad._dtype)
            return f(grad) * size

        def ifft_grad(_: Operation, grad: Tensor, r: int = fft_rank,
                      f: Callable[..., Tensor] = fwd_fn) -> Tensor:
            rsize = cast(1. / cast(_fft_size_for_grad(grad, r), grad._dtype.real_dtype),
                         grad._dtype)
            return f(grad) * rsize

        RegisterGradient(fwd)(fft_grad)
        RegisterGradient(inv)(ifft_grad)


_register_complex_grads()


def _rfft_grad_helper(fft_rank: int, irfft_fn: Callable[..., Tensor]
                      ) -> Callable[[Operation, Tensor], list[Any]]:
    def _grad(op: Operation, grad: Tensor) -> list[Any]:
        fft_length = op._inputs[1]
        complex_dtype = grad._dtype
        real_dtype = complex_dtype.real_dtype
        input_shape = shape(op._inputs[0])
        is_even = cast(1 - (fft_length[-1] % 2), complex_dtype)

        def _tile_for_broadcasting(matrix: Tensor, t: Tensor) -> Tensor:
            expanded = reshape(matrix, concat([ones([rank(t) - 2], _dtypes.int32),
                                               shape(matrix)], 0))
            return tile(expanded, concat([shape(t)[:-2], [1, 1]], 0))

        def _mask_matrix(length: Tensor) -> Tensor:
            a = tile(expand_dims(_range(length), 0), (length, 1))
            b = transpose(a, [1, 0])
            return exp(-2j * np.pi * cast(a * b, complex_dtype) / cast(length, complex_dtype))

        def _ymask(length: Tensor) -> Tensor:
            return cast(1 - 2 * (_range(length) % 2), complex_dtype)

        y0 = grad[..., 0:1]
        if fft_rank == 1:
            ym = grad[..., -1:]
            extra_terms = y0 + is_even * ym * _ymask(input_shape[-1])
        else:
            base_mask = _mask_matrix(input_shape[-2])
            tiled_mask = _tile_for_broadcasting(base_mask, y0)
            y0_term = matmul(tiled_mask, conj(y0))
            extra_terms = y0_term
            ym = grad[..., -1:]
            ym_term = matmul(tiled_mask, conj(ym))
            inner_dim = input_shape[-1]
            ym_term = tile(ym_term, concat([ones([rank(grad) - 1], _dtypes.int32),
                                            [inner_dim]], 0)) * _ymask(inner_dim)
            extra_terms += is_even * ym_term
        input_size = cast(_fft_size_for_grad(op._inputs[0], fft_rank), real_dtype)
        the_irfft = irfft_fn(grad, fft_length)
        return [0.5 * (the_irfft * input_size + real(extra_terms)), None]

    return _grad


def _irfft_grad_helper(fft_rank: int, rfft_fn: Callable[..., Tensor]
                       ) -> Callable[[Operation, Tensor], list[Any]]:
    def _grad(op: Operation, grad: Tensor) -> list[Any]:
        fft_length: Any = op._inputs[1]
        static = constant_value(fft_length)
        if static is not None:
            fft_length = static
        real_dtype = grad._dtype
        complex_dtype = _COMPLEX_OF[real_dtype.name]
        is_odd = math_mod(fft_length[-1], 2)
        input_last_dimension = shape(op._inputs[0])[-1]
        mask = concat([[1.0], 2.0 * ones([input_last_dimension - 2 + is_odd], real_dtype),
                       ones([1 - is_odd], real_dtype)], 0)
        rsize = reciprocal(cast(_fft_size_for_grad(grad, fft_rank), real_dtype))
        the_rfft = rfft_fn(grad, fft_length)
        return [the_rfft * cast(rsize * mask, complex_dtype), None]

    return _grad


RegisterGradient("RFFT")(_rfft_grad_helper(1, irfft))
RegisterGradient("IRFFT")(_irfft_grad_helper(1, rfft))
RegisterGradient("RFFT2D")(_rfft_grad_helper(2, irfft2d))
RegisterGradient("IRFFT2D")(_irfft_grad_helper(2, rfft2d))


# -- fftshift / ifftshift -----------------------------------------------------------------------
def _shift(x: Any, axes: Any, name: str | None, default: str, sign: int) -> Tensor:
    with name_scope(name, default) as scope:
        t = convert_to_tensor(x)
        if axes is None:
            if t._shape is None:
                raise TypeError("'NoneType' object cannot be interpreted as an integer")
            axes = tuple(range(len(t._shape)))
            shift = shape(t) // 2
        elif isinstance(axes, int):
            shift = shape(t)[axes] // 2
        else:
            r = rank(t)
            axes = where(less(axes, 0), axes + r, axes)
            shift = gather(shape(t), axes) // 2
        if sign < 0:
            shift = -shift
        return roll(t, shift, axes, scope)


def fftshift(x: Any, axes: Any = None, name: str | None = None) -> Tensor:
    """``tf.signal.fftshift``: the zero frequency moved to the centre (a ``Roll`` by half of
    each axis)."""
    return _shift(x, axes, name, "fftshift", 1)


def ifftshift(x: Any, axes: Any = None, name: str | None = None) -> Tensor:
    """``tf.signal.ifftshift``: fftshift's inverse (a ``Roll`` by minus half of each axis)."""
    return _shift(x, axes, name, "ifftshift", -1)
