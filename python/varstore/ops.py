"""Array and math ops with TF1 graph-mode names, types and dtype rules, computed eagerly.

Every public function names its op as ``tf.compat.v1`` in graph mode does (``Add``, ``add_1``,
``MatMul``, ``strided_slice`` ...) and applies TF's conversion rules: no implicit promotion
between tensors, Python numbers take the dtype of the tensor they meet (if they fit), NumPy
arrays are cast to it. Errors carry TF's wording. Ops that fail after TF has opened their
name scope still use up their name, as in TF.

Random ops cannot reproduce TF's Philox streams; with a graph-level seed
(``set_random_seed``) they are reproducible from run to run of the same program.
"""

from __future__ import annotations

import numbers
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.graph import get_default_graph
from varstore.tensor import Tensor, TensorShape

__all__ = [
    "add",
    "cast",
    "concat",
    "constant",
    "convert_to_tensor",
    "divide",
    "fill",
    "identity",
    "matmul",
    "maximum",
    "minimum",
    "multiply",
    "negative",
    "ones",
    "ones_like",
    "random_normal",
    "random_uniform",
    "reduce_max",
    "reduce_mean",
    "reduce_sum",
    "reshape",
    "set_random_seed",
    "shape",
    "square",
    "subtract",
    "transpose",
    "truediv",
    "truncated_normal",
    "zeros",
    "zeros_like",
]

_create = Tensor._create
DType = _dtypes.DType
_float32 = _dtypes.float32
_int32 = _dtypes.int32
_int64 = _dtypes.int64
_bool = _dtypes.bool
_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2**31 - 1

# TF's DataType enum names, as they appear in graph-construction error messages.
_DT_NAMES = {
    "float16": "DT_HALF", "float32": "DT_FLOAT", "float64": "DT_DOUBLE", "int32": "DT_INT32",
    "int64": "DT_INT64", "bool": "DT_BOOL", "int8": "DT_INT8", "uint8": "DT_UINT8",
    "int16": "DT_INT16",
}

# Allowed values of each op's type attribute, in the order TF lists them.
_ADD_SUB_TYPES = ("bfloat16, float16, float32, float64, uint8, int8, uint16, int16, int32, "
                  "int64, complex64, complex128, uint32, uint64")
_ADDV2_TYPES = ("bfloat16, float16, float32, float64, uint8, uint16, uint32, uint64, int8, "
                "int16, int32, int64, complex64, complex128")
_MATMUL_TYPES = ("bfloat16, float16, float32, float64, int32, int64, uint8, uint16, uint32, "
                 "uint64, complex64, complex128")
_NEG_TYPES = "bfloat16, float16, float32, float64, int8, int16, int32, int64, complex64, complex128"
_REDUCE_TYPES = ("float32, float64, int32, uint8, int16, int8, complex64, int64, qint8, quint8, "
                 "qint32, bfloat16, qint16, quint16, uint16, complex128, float16, uint32, uint64")
_TRUEDIV_EXPECTED = ("{tf.uint8, tf.int8, tf.uint16, tf.int16, tf.uint32, tf.int32, tf.uint64, "
                     "tf.int64, tf.bfloat16, tf.float16, tf.float32, tf.float64, tf.complex64, "
                     "tf.complex128}")
# __truediv__ casts integers before RealDiv; floats divide as they are.
_TRUEDIV_CAST = {"uint8": np.float32, "int8": np.float32, "int16": np.float32,
                 "int32": np.float64, "int64": np.float64}


# ---------------------------------------------------------------------------------------
# conversion
# ---------------------------------------------------------------------------------------
def _is_variable(value: Any) -> bool:
    return hasattr(type(value), "_as_tensor")


def _variable_value(var: Any) -> np.ndarray:
    """A snapshot of a variable's value without a visible op (TF reads a variable inside the
    consuming op's own name scope, e.g. ``Add/ReadVariableOp``)."""
    view = getattr(var, "_view", None)
    if view is not None:
        return view().copy()  # type: ignore[no-any-return]
    return np.array(var)


def _conversion_failed(value: Any) -> TypeError:
    return TypeError(
        f"Failed to convert elements of {value} to Tensor. Consider casting elements to a "
        "supported type. See https://www.tensorflow.org/api_docs/python/tf/dtypes for "
        "supported TF dtypes."
    )


def _first_mismatch(value: Any, ok: Any) -> Any:
    """TF's _AssertCompatible: the first element of a nested list that ``ok`` rejects."""
    if isinstance(value, (list, tuple)):
        for item in value:
            bad = _first_mismatch(item, ok)
            if bad is not _OK:
                return bad
        return _OK
    return _OK if ok(value) else value


_OK = object()


def _ok_int(v: Any) -> bool:
    return isinstance(v, numbers.Integral)


def _ok_float(v: Any) -> bool:
    return isinstance(v, numbers.Real)


def _ok_bool(v: Any) -> bool:
    return isinstance(v, (bool, np.bool_))


def _python_natural(value: Any) -> tuple[np.ndarray, str]:
    """Converts a Python scalar or nested list without a requested dtype, TF's way: floats
    become float32, ints int32 (int64 when they do not fit). Returns (array, dtype name);
    the name is TF's even for element types varstore cannot hold (e.g. 'string')."""
    if value is None:
        raise ValueError("None values not supported.")
    t = type(value)
    if t is float:
        with np.errstate(over="ignore"):
            return np.array(value, dtype=np.float32), "float32"
    if t is bool:
        return np.array(value, dtype=np.bool_), "bool"
    if t is int:
        if _INT32_MIN <= value <= _INT32_MAX:
            return np.array(value, dtype=np.int32), "int32"
        if _INT64_MIN <= value <= _INT64_MAX:
            return np.array(value, dtype=np.int64), "int64"
        if 0 <= value < 2**64:
            return np.array(value, dtype=np.uint64), "uint64"
        raise ValueError(f"Can't convert Python int {value} to a Tensor: it is too large.")
    if isinstance(value, (str, bytes)):
        return np.array(value), "string"
    try:
        arr = np.array(value)
    except ValueError:
        raise
    except Exception:  # noqa: BLE001 - any other failure is TF's conversion TypeError
        raise _conversion_failed(value) from None
    kind = arr.dtype.kind
    if kind == "f":
        if isinstance(value, (list, tuple)):
            return arr.astype(np.float32), "float32"
        return arr, arr.dtype.name
    if kind in "iu":
        if (
            isinstance(value, (list, tuple))
            and arr.dtype == np.int64
            and (arr.size == 0 or (arr.min() >= _INT32_MIN and arr.max() <= _INT32_MAX))
        ):
            return arr.astype(np.int32), "int32"
        return arr, arr.dtype.name
    if kind == "b":
        return arr, "bool"
    if kind in "US":
        if not all(isinstance(v, (str, bytes)) for v in _flatten(value)):
            raise _conversion_failed(value)
        return arr, "string"
    if kind == "O" and any(_is_tensor_like(v) for v in _flatten(value)):
        raise TypeError("Expected any non-tensor type, but got a tensor instead.")
    raise _conversion_failed(value)


def _flatten(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple)):
        out: list[Any] = []
        for v in value:
            out.extend(_flatten(v))
        return out
    return [value]


def _is_tensor_like(value: Any) -> bool:
    return isinstance(value, Tensor) or _is_variable(value)


def _natural(value: Any) -> np.ndarray:
    """A non-tensor value converted without a requested dtype (TypeError if varstore cannot
    hold its element type)."""
    if isinstance(value, np.ndarray):
        arr = value
    elif isinstance(value, np.generic):
        arr = np.asarray(value)
    else:
        arr, name = _python_natural(value)
        if name in ("string", "uint64"):
            raise TypeError(f"varstore tensors cannot hold {name} values: {value!r}")
        return arr
    if arr.dtype not in _dtypes._BY_NUMPY:
        raise TypeError(f"varstore tensors cannot hold NumPy dtype {arr.dtype}: {value!r}")
    return arr


def _natural_dtype_name(value: Any) -> str:
    """The dtype name TF infers for a non-tensor value (its conversion errors propagate)."""
    if isinstance(value, (np.ndarray, np.generic)):
        return str(value.dtype.name)
    if isinstance(value, Tensor):
        return value._dtype.name
    if _is_variable(value):
        return str(value.dtype.name)
    return _python_natural(value)[1]


_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)
_F32_MAX = float(np.finfo(np.float32).max)


def _strict(value: Any, dtype: DType) -> np.ndarray:
    """A non-tensor value converted to exactly ``dtype`` (TF's convert_to_tensor(dtype=...)):
    TypeError 'Expected int32, but got 1.5 of type 'float'.' when a Python element does not
    fit; NumPy arrays are cast."""
    np_dtype = dtype._np
    if type(value) is float and (np_dtype is _F64 or (np_dtype is _F32 and -_F32_MAX <= value
                                                       <= _F32_MAX)):
        return np.array(value, dtype=np_dtype)  # the common case: no check, no overflow
    if isinstance(value, np.ndarray):
        return value if value.dtype == np_dtype else value.astype(np_dtype)
    if isinstance(value, np.generic):
        return np.asarray(value, dtype=np_dtype)
    if value is None:
        raise ValueError("None values not supported.")
    kind = np_dtype.kind
    ok = _ok_float if kind == "f" else (_ok_bool if kind == "b" else _ok_int)
    bad = _first_mismatch(value, ok)
    if bad is not _OK:
        if isinstance(bad, (Tensor,)) or _is_variable(bad):
            raise TypeError("Expected any non-tensor type, but got a tensor instead.")
        raise TypeError(f"Expected {dtype.name}, but got {bad} of type '{type(bad).__name__}'.")
    try:
        with np.errstate(over="ignore"):
            return np.array(value, dtype=np_dtype)
    except OverflowError:
        with np.errstate(all="ignore"):
            return np.array(value).astype(np_dtype)
    except ValueError:
        raise
    except Exception:  # noqa: BLE001 - any other failure is TF's conversion TypeError
        raise _conversion_failed(value) from None


def _value_of(value: Any) -> tuple[np.ndarray, DType]:
    """(array, dtype) of a Tensor or Variable input, read without a visible op."""
    if isinstance(value, Tensor):
        return value._value, value._dtype
    return _variable_value(value), value.dtype


def _input_name(value: Any, op_name: str, arg: str) -> str:
    """How TF's error messages name an op input."""
    if isinstance(value, Tensor):
        return value._op._name if value._index == 0 else value.name
    if _is_variable(value):
        return f"{op_name}/ReadVariableOp"
    return f"{op_name}/{arg}"


def _first_input(value: Any) -> tuple[np.ndarray, DType]:
    """The first input of an op whose type attribute is inferred from it."""
    if isinstance(value, Tensor):
        return value._value, value._dtype
    if _is_variable(value):
        return _variable_value(value), value.dtype
    arr = _natural(value)
    return arr, _dtypes._BY_NUMPY[arr.dtype]


def _typed_input(value: Any, dtype: DType, op_type: str, arg: str, first_arg: str
                 ) -> np.ndarray:
    """An op input that must have the type attribute ``dtype`` already fixed by an earlier
    input (TF's op_def_library rule)."""
    if isinstance(value, Tensor):
        if value._dtype is dtype:
            return value._value
        observed = value._dtype.name
    elif _is_variable(value):
        if value.dtype == dtype:
            return _variable_value(value)
        observed = value.dtype.name
    else:
        try:
            return _strict(value, dtype)
        except (TypeError, ValueError) as exc:
            if op_type in _CONVERTS_WITH_DTYPE and isinstance(exc, TypeError):
                # These ops convert a Python value with the first input's dtype (no hint).
                raise TypeError(
                    f"Expected {dtype.name} passed to parameter '{arg}' of op '{op_type}', got "
                    f"{value!r} of type '{type(value).__name__}' instead. Error: {exc}"
                ) from None
            observed = _natural_dtype_name(value)  # its own conversion errors propagate
    raise TypeError(f"Input '{arg}' of '{op_type}' Op has type {observed} that does not match "
                    f"type {dtype.name} of argument '{first_arg}'.")


# Ops whose Python-value inputs TF converts with the op's type attribute directly (AddV2 and
# MatMul first convert with a dtype hint, so they report a type mismatch instead).
_CONVERTS_WITH_DTYPE = frozenset({"Mul", "Sub"})


def _shape_str(shape: tuple[int, ...]) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def _node_error(message: str, node: str, op_type: str, attrs: str, inputs: Sequence[str],
                shapes: Sequence[tuple[int, ...]], extra: str = "") -> ValueError:
    """TF's shape-inference error: '<message> for '{{node n}} = Op[attrs](inputs)' with input
    shapes: [2,3], [3,2].'"""
    return ValueError(
        f"{message} for '{{{{node {node}}}}} = {op_type}[{attrs}]({', '.join(inputs)})' "
        f"with input shapes: {', '.join(_shape_str(s) for s in shapes)}{extra}."
    )


def _dt(dtype: DType) -> str:
    return _DT_NAMES.get(dtype.name, "DT_" + dtype.name.upper())


def _check_allowed(dtype: DType, allowed: str, param: str) -> None:
    if dtype.name not in allowed.split(", "):
        raise TypeError(f"Value passed to parameter '{param}' has DataType {dtype.name} not in "
                        f"list of allowed values: {allowed}")


def _check_graphs(first: Any, second: Any) -> None:
    """TF's _get_graph_from_inputs: op inputs must come from one graph."""
    if (isinstance(first, Tensor) and isinstance(second, Tensor)
            and first._op._graph is not second._op._graph):
        raise ValueError(f"{second} must be from the same graph as {first} (graphs are "
                         f"{second._op._graph!r} and {first._op._graph!r}).")


def _as_array(result: Any) -> np.ndarray:
    return result if type(result) is np.ndarray else np.asarray(result)


def convert_to_tensor(value: Any, dtype: Any = None, name: str | None = None,
                      preferred_dtype: Any = None, dtype_hint: Any = None) -> Tensor:
    """``tf.convert_to_tensor``: a Tensor is returned as is (ValueError if ``dtype`` differs);
    a variable is read (a ``ReadVariableOp`` in the current name scope); anything else
    becomes a ``Const`` op named ``name`` or ``Const``."""
    if isinstance(value, Tensor):
        if dtype is not None:
            dt = _dtypes.as_dtype(dtype)
            if dt != value._dtype:
                raise ValueError(f"Tensor conversion requested dtype {dt.name} for Tensor with "
                                 f"dtype {value._dtype.name}: {value!r}")
        return value
    if _is_variable(value):
        if dtype is not None:
            dt = _dtypes.as_dtype(dtype)
            if dt != value.dtype:
                raise ValueError(f"Tensor conversion requested dtype {dt.name} for Tensor with "
                                 f"dtype {value.dtype.name}: {value._as_tensor()!r}")
        return value._as_tensor()  # type: ignore[no-any-return]
    if dtype is not None:
        dt = _dtypes.as_dtype(dtype)
        arr = _strict(value, dt)
    else:
        hint = preferred_dtype if preferred_dtype is not None else dtype_hint
        hinted: np.ndarray | None = None
        if hint is not None:
            hint_dt = _dtypes.as_dtype(hint)
            try:
                hinted = _strict(value, hint_dt)
            except (TypeError, ValueError):
                hinted = None
        arr = hinted if hinted is not None else _natural(value)
        dt = _dtypes._BY_NUMPY[arr.dtype]
    graph = get_default_graph()
    return _create("Const", graph._op_name(name, "Const"), arr, graph, dt)


def _check_shape_arg(shape: Any, what: str = "shape") -> tuple[int, ...]:
    if isinstance(shape, Tensor):
        shape = shape._value.tolist()
    if isinstance(shape, TensorShape):
        if not shape.is_fully_defined():
            raise ValueError(f"Cannot convert a partially known TensorShape {shape} to a Tensor.")
        return tuple(shape.as_list())  # type: ignore[arg-type]
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        return (int(shape),)
    if isinstance(shape, np.ndarray):
        shape = shape.tolist()
    if not isinstance(shape, (list, tuple)):
        raise TypeError(f"Expected int32, but got {shape!r} of type '{type(shape).__name__}'.")
    dims = []
    for d in shape:
        if isinstance(d, Tensor):
            d = d._value.item()
        if isinstance(d, (bool, np.bool_)) or not isinstance(d, (numbers.Integral,)):
            if d is None:
                raise ValueError(f"Cannot convert a partially known TensorShape "
                                 f"{TensorShape(None if shape is None else [None])} to a Tensor.")
            raise TypeError(f"Expected int32, but got {d!r} of type '{type(d).__name__}'.")
        dims.append(int(d))
    return tuple(dims)


def _shape_operand(shape: Any, param: str) -> tuple[int, ...]:
    """A shape passed as an op input (Reshape's ``shape``, a random op's ``shape``): a list
    of Python floats or strings converts to a float32 / string tensor, which the op's
    int32/int64 type attribute rejects."""
    if isinstance(shape, Tensor):
        observed = shape._dtype.name
    elif isinstance(shape, (list, tuple, float, str)) and not any(
            _is_tensor_like(v) for v in _flatten(shape)):
        try:
            observed = _python_natural(shape)[1]
        except (TypeError, ValueError):
            observed = "int32"  # left to _check_shape_arg's own error
    else:
        observed = "int32"
    if observed not in ("int32", "int64", "bool"):
        raise TypeError(f"Value passed to parameter '{param}' has DataType {observed} not in "
                        "list of allowed values: int32, int64")
    return _check_shape_arg(shape)


def _check_shape_values(dims: Sequence[int]) -> None:
    """TF's MakeShapeFromShapeTensor: -1 is an unknown dimension, anything below is an
    error (the first such value is reported)."""
    for d in dims:
        if d < -1:
            raise ValueError(f"Invalid value in tensor used for shape: {d}")


# DataTypeString names, as TF's kernels print them.
_KERNEL_TYPE_NAMES = {"float16": "half", "float32": "float", "float64": "double"}
_memory_limit: list[int] = []


def _max_bytes() -> int:
    """The largest buffer varstore attempts: physical memory (and NumPy's own limit)."""
    if not _memory_limit:
        limit = int(np.iinfo(np.intp).max)
        try:
            import os

            phys = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
            if phys > 0:
                limit = min(limit, int(phys))
        except (AttributeError, OSError, ValueError):
            pass
        _memory_limit.append(limit)
    return _memory_limit[0]


def _check_alloc(dims: Sequence[int], dtype: DType) -> None:
    """An output TF only allocates when the graph runs: MemoryError with TF's OOM wording
    when it cannot fit in memory, instead of a NumPy failure or an interpreter crash."""
    n = 1
    for d in dims:
        n *= int(d)
    if n * np.dtype(dtype._np).itemsize > _max_bytes():
        raise MemoryError(
            f"OOM when allocating tensor with shape[{','.join(str(d) for d in dims)}] and "
            f"type {_KERNEL_TYPE_NAMES.get(dtype.name, dtype.name)}")


def _check_run_dims(dims: Sequence[int], dtype: DType) -> None:
    """What a random op's kernel checks at run time: every dimension known and >= 0, and
    the output allocatable."""
    for d in dims:
        if d < 0:
            raise ValueError(f"Dimension {d} must be >= 0")
    _check_alloc(dims, dtype)


def constant(value: Any, dtype: Any = None, shape: Any = None, name: str = "Const",
             verify_shape: bool = False) -> Tensor:
    """``tf.compat.v1.constant``: a ``Const`` op. With ``shape``, a scalar is broadcast, a
    value with as many elements is reshaped, a shorter one is padded with its last element
    (TF1's rule); more elements than the shape holds is a ValueError."""
    if isinstance(value, Tensor) or _is_variable(value):
        raise TypeError("Expected any non-tensor type, but got a tensor instead.")
    if dtype is not None:
        dt = _dtypes.as_dtype(dtype)
        arr = _strict(value, dt)
    else:
        arr = _natural(value)
        dt = _dtypes._BY_NUMPY[arr.dtype]
    if shape is not None:
        dims = _check_shape_arg(shape)
        n = int(np.prod(dims, dtype=np.int64))
        if arr.shape != dims:
            if arr.size == 1:
                arr = np.full(dims, arr.reshape(()), dtype=arr.dtype)
            elif verify_shape:
                raise TypeError(f"Expected Tensor's shape: {dims}, got {arr.shape}.")
            elif arr.size == n:
                arr = arr.reshape(dims)
            elif arr.size > n:
                raise ValueError(f"Too many elements provided. Takes at most {n}, but got "
                                 f"{arr.size}.")
            else:
                flat = arr.reshape(-1)
                pad = np.full(n - flat.size, flat[-1] if flat.size else 0, dtype=arr.dtype)
                arr = np.concatenate([flat, pad]).reshape(dims)
    graph = get_default_graph()
    return _create("Const", graph._op_name(name, "Const"), arr, graph, dt)


# ---------------------------------------------------------------------------------------
# filled tensors
# ---------------------------------------------------------------------------------------
def _filled(kind: str, shape: Any, dtype: Any, name: str | None, fill_value: int
            ) -> Tensor:
    dt = _dtypes.as_dtype(dtype)
    graph = get_default_graph()
    full = graph._op_name(name, kind)
    dims = _check_shape_arg(shape)
    _check_shape_values(dims)
    n = 1
    for d in dims:
        n *= d
    if any(d < 0 for d in dims):
        raise ValueError(
            f"Fill dimensions must be >= 0 for '{{{{node {full}}}}} = Fill[T={_dt(dt)}, "
            f"index_type=DT_INT32]({full}/Const, {full}/Const_1)' with input shapes: "
            f"[{len(dims)}], [] and with input tensors computed as partial shapes: input[0] = "
            f"[{','.join('?' if d < 0 else str(d) for d in dims)}]."
        )
    _check_alloc(dims, dt)
    arr = np.zeros(dims, dt._np) if fill_value == 0 else np.ones(dims, dt._np)
    # TF emits a Const below 1000 elements and a Fill op otherwise (_constant_if_small).
    return _create("Const" if n < 1000 else "Fill", full, arr, graph, dt)


def zeros(shape: Any, dtype: Any = _float32, name: str | None = None) -> Tensor:
    """``tf.zeros``: op ``zeros`` of type ``Const`` (below 1000 elements) or ``Fill``."""
    return _filled("zeros", shape, dtype, name, 0)


def ones(shape: Any, dtype: Any = _float32, name: str | None = None) -> Tensor:
    """``tf.ones``: op ``ones`` of type ``Const`` (below 1000 elements) or ``Fill``."""
    return _filled("ones", shape, dtype, name, 1)


def zeros_like(tensor: Any, dtype: Any = None, name: str | None = None,
               optimize: bool = True) -> Tensor:
    """``tf.zeros_like``: op ``zeros_like`` (a ``Const``, or ``Fill`` from 1000 elements)."""
    arr, dt = _first_input(tensor)
    if dtype is not None:
        dt = _dtypes.as_dtype(dtype)
    return _filled("zeros_like", arr.shape, dt, name, 0)


def ones_like(tensor: Any, dtype: Any = None, name: str | None = None,
              optimize: bool = True) -> Tensor:
    """``tf.ones_like``: op ``ones_like`` of type ``Fill``."""
    arr, dt = _first_input(tensor)
    if dtype is not None:
        dt = _dtypes.as_dtype(dtype)
    graph = get_default_graph()
    full = graph._op_name(name, "ones_like")
    return _create("Fill", full, np.ones(arr.shape, dt._np), graph, dt)


def fill(dims: Any, value: Any, name: str | None = None) -> Tensor:
    """``tf.fill``: op ``Fill``."""
    graph = get_default_graph()
    full = graph._op_name(name, "Fill")
    shape_ = _check_shape_arg(dims)
    arr, dt = _first_input(value)
    attrs = f"T={_dt(dt)}, index_type=DT_INT32"
    names = (f"{full}/dims", f"{full}/value")
    shapes = ((len(shape_),), arr.shape)
    if arr.ndim != 0:
        raise _node_error(f"Shape must be rank 0 but is rank {arr.ndim}", full, "Fill", attrs,
                          names, shapes)
    _check_shape_values(shape_)
    if any(d < 0 for d in shape_):
        raise _node_error("Fill dimensions must be >= 0", full, "Fill", attrs, names, shapes,
                          " and with input tensors computed as partial shapes: input[0] = ["
                          + ",".join("?" if d < 0 else str(d) for d in shape_) + "]")
    _check_alloc(shape_, dt)
    return _create("Fill", full, np.full(shape_, arr, dtype=arr.dtype), graph, dt)


# ---------------------------------------------------------------------------------------
# random ops
# ---------------------------------------------------------------------------------------
def set_random_seed(seed: int | None) -> None:
    """``tf.compat.v1.set_random_seed``: the default graph's seed."""
    get_default_graph().seed = seed


class _Entropy(threading.local):
    """Unseeded random ops draw from one generator per thread, seeded once from the OS (a
    fresh generator per op costs ~15 us of entropy gathering); reseeded in a forked child, so
    that parent and child do not repeat each other's values."""

    def __init__(self) -> None:
        self.rng = np.random.default_rng()


_entropy = _Entropy()


def _reseed_after_fork() -> None:
    global _entropy
    _entropy = _Entropy()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reseed_after_fork)


def _rng(seed: int | None) -> np.random.Generator:
    """A generator following TF's get_seed: (graph seed, op seed), where the op seed is the
    graph's counter when only the graph seed is set, and the graph seed is
    DEFAULT_GRAPH_SEED when only the op seed is set; fresh entropy when neither is."""
    graph = get_default_graph()
    global_seed = graph.seed
    if global_seed is not None:
        if seed is None:
            seed = graph._last_id
            graph._last_id += 1
        return np.random.default_rng((int(global_seed) % _MAXINT32, int(seed) % _MAXINT32))
    if seed is not None:
        return np.random.default_rng((DEFAULT_GRAPH_SEED, int(seed) % _MAXINT32))
    return _entropy.rng


def _truncated(rng: np.random.Generator, dims: tuple[int, ...]) -> np.ndarray:
    """Standard normal samples with every value in [-2, 2] (rejection, as TF)."""
    out = rng.standard_normal(dims)
    flat = out.reshape(-1)
    bad = np.flatnonzero(np.abs(flat) > 2.0)
    while bad.size:
        flat[bad] = rng.standard_normal(bad.size)
        bad = bad[np.abs(flat[bad]) > 2.0]
    return out


_RANDOM_FLOATS = ("float16", "float32", "float64")


def _normal_numpy(kind: str, dims: tuple[int, ...], mean: Any, stddev: Any, dt: DType,
                  seed: int | None, rng: np.random.Generator | None = None) -> np.ndarray:
    mean_a = _strict(mean, dt) if not isinstance(mean, Tensor) else mean._value
    std_a = _strict(stddev, dt) if not isinstance(stddev, Tensor) else stddev._value
    if dt.name not in _RANDOM_FLOATS:
        raise TypeError(f"Value passed to parameter 'dtype' has DataType {dt.name} not in list "
                        "of allowed values: float16, bfloat16, float32, float64")
    _check_run_dims(dims, dt)
    rng = _rng(seed) if rng is None else rng
    base = rng.standard_normal(dims) if kind == "normal" else _truncated(rng, dims)
    with np.errstate(all="ignore"):
        out: np.ndarray = (base * std_a + mean_a).astype(dt._np, copy=False)
    return out


def random_normal(shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = _float32,
                  seed: int | None = None, name: str | None = None) -> Tensor:
    """``tf.random_normal``: op ``random_normal`` of type ``AddV2``."""
    dt = _dtypes.as_dtype(dtype)
    graph = get_default_graph()
    full = graph._op_name(name, "random_normal")
    dims = _shape_operand(shape, "shape")
    _check_shape_values(dims)
    return _random_op("AddV2", full, graph, dt, seed,
                      lambda rng: _normal_numpy("normal", dims, mean, stddev, dt, seed, rng))


def truncated_normal(shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = _float32,
                     seed: int | None = None, name: str | None = None) -> Tensor:
    """``tf.truncated_normal``: op ``truncated_normal`` of type ``AddV2``; samples beyond two
    standard deviations are redrawn."""
    dt = _dtypes.as_dtype(dtype)
    graph = get_default_graph()
    full = graph._op_name(name, "truncated_normal")
    dims = _shape_operand(shape, "shape")
    _check_shape_values(dims)
    return _random_op("AddV2", full, graph, dt, seed,
                      lambda rng: _normal_numpy("truncated", dims, mean, stddev, dt, seed, rng))


_UNIFORM_ACCEPTED = ("(tf.float16, tf.bfloat16, tf.float32, tf.float64, tf.int32, tf.int64)")


def _uniform_numpy(dims: tuple[int, ...], minval: Any, maxval: Any, dt: DType,
                   seed: int | None, rng: np.random.Generator | None = None) -> np.ndarray:
    lo = _strict(minval, dt) if not isinstance(minval, Tensor) else minval._value
    hi = _strict(maxval, dt) if not isinstance(maxval, Tensor) else maxval._value
    if dt.is_integer and not lo < hi:
        raise ValueError(f"Need minval < maxval: {lo} >= {hi}")
    _check_run_dims(dims, dt)
    rng = _rng(seed) if rng is None else rng
    if dt.is_integer:
        ints: np.ndarray = rng.integers(lo, hi, size=dims, dtype=dt._np)
        return ints
    base = rng.random(dims, dtype=np.float64)
    with np.errstate(all="ignore"):
        out: np.ndarray = (base * (hi.astype(np.float64) - lo) + lo).astype(dt._np, copy=False)
        # Rounding to a narrower float can reach maxval itself; TF's range is [minval, maxval).
        below = np.nextafter(np.asarray(hi, dtype=dt._np), np.asarray(lo, dtype=dt._np))
        clamped: np.ndarray = np.asarray(
            np.where(np.asarray(lo < hi), np.minimum(out, below), out), dtype=dt._np)
    return clamped


def random_uniform(shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = _float32,
                   seed: int | None = None, name: str | None = None) -> Tensor:
    """``tf.random_uniform``. Op names as TF: for the default ``minval=0, maxval=1`` (Python
    ints) the raw ``random_uniform/RandomUniform``; for ``minval=0`` and another maxval the
    ``random_uniform/mul`` (Mul); otherwise ``random_uniform`` (AddV2); integer dtypes give
    ``random_uniform`` of type ``RandomUniformInt``."""
    dt = _dtypes.as_dtype(dtype)
    if dt.name not in ("float16", "float32", "float64", "int32", "int64"):
        raise ValueError(f"Argument `dtype` got invalid value {dt!r}. Accepted dtypes are "
                         f"{_UNIFORM_ACCEPTED}.")
    if maxval is None:
        if dt.is_integer:
            raise ValueError(f"Must specify maxval for integer dtype {dt!r}")
        maxval = 1
    graph = get_default_graph()
    full = graph._op_name(name, "random_uniform")
    dims = _shape_operand(shape, "shape")
    _check_shape_values(dims)
    minval_is_zero = type(minval) is int and minval == 0
    maxval_is_one = type(maxval) is int and maxval == 1
    if dt.is_integer:
        op_type, op_name = "RandomUniformInt", full
    elif minval_is_zero and maxval_is_one:
        op_type, op_name = "RandomUniform", f"{full}/RandomUniform"
    elif minval_is_zero:
        op_type, op_name = "Mul", f"{full}/mul"
    else:
        op_type, op_name = "AddV2", full
    return _random_op(op_type, op_name, graph, dt, seed,
                      lambda rng: _uniform_numpy(dims, minval, maxval, dt, seed, rng))


def _random_op(op_type: str, full: str, graph: Any, dt: DType, seed: int | None,
               draw: Callable[[np.random.Generator], np.ndarray]) -> Tensor:
    """A random op's tensor: its value is draw 0; a Session runs draw k at its k-th run of
    the op (TF re-runs random ops at every Session.run; a new Session starts again)."""
    rng = _rng(seed)
    tensor = _create(op_type, full, draw(rng), graph, dt)
    base = int(rng.integers(2**63))  # later draws continue from the op's own stream
    tensor._resample = lambda k: draw(np.random.default_rng((base, k)))
    return tensor


# ---------------------------------------------------------------------------------------
# binary math
# ---------------------------------------------------------------------------------------
def _broadcast_error(full: str, op_type: str, dt: DType, names: Sequence[str],
                     sx: tuple[int, ...], sy: tuple[int, ...]) -> ValueError:
    rank = max(len(sx), len(sy))
    px = (1,) * (rank - len(sx)) + sx
    py = (1,) * (rank - len(sy)) + sy
    for a, b in zip(px, py):
        if a != b and a != 1 and b != 1:
            return _node_error(f"Dimensions must be equal, but are {a} and {b}", full, op_type,
                               f"T={_dt(dt)}", names, (sx, sy))
    return _node_error("Incompatible shapes", full, op_type, f"T={_dt(dt)}", names, (sx, sy))


_UFUNCS = {"AddV2": np.add, "Sub": np.subtract, "Mul": np.multiply, "RealDiv": np.true_divide,
           "Maximum": np.maximum, "Minimum": np.minimum}
_ALLOWED = {"AddV2": _ADDV2_TYPES, "Sub": _ADD_SUB_TYPES, "Mul": None, "RealDiv": None,
            "Maximum": ("bfloat16, float16, float32, float64, int8, uint8, int16, uint16, "
                        "int32, uint32, int64, uint64"),
            "Minimum": ("bfloat16, float16, float32, float64, int8, uint8, int16, uint16, "
                        "int32, uint32, int64, uint64")}


def _elementwise(op_type: str, full: str, xa: np.ndarray, ya: np.ndarray, dt: DType,
                 names: Sequence[str], graph: Any) -> Tensor:
    allowed = _ALLOWED[op_type]
    if allowed is not None and dt is _bool:
        _check_allowed(dt, allowed, "x")
    sx, sy = xa.shape, ya.shape
    if sx != sy:
        try:
            np.broadcast_shapes(sx, sy)
        except ValueError:
            raise _broadcast_error(full, op_type, dt, names, sx, sy) from None
    with np.errstate(all="ignore"):
        if op_type == "Mul" and dt is _bool:
            # TF multiplies booleans through int casts; the result is op "<name>/Cast_2".
            return _create("Cast", f"{full}/Cast_2", np.logical_and(xa, ya), graph, dt)
        out = _UFUNCS[op_type](xa, ya)
    if out.dtype != dt._np:
        out = out.astype(dt._np)
    return _create(op_type, full, _as_array(out), graph, dt)


def _binary_function(op_type: str, default: str, x: Any, y: Any, name: str | None) -> Tensor:
    """A function form (tf.add, tf.subtract ...): name, x fixes the type, y must match."""
    _check_graphs(x, y)
    graph = get_default_graph()
    if op_type == "AddV2" and isinstance(x, Tensor) and x._val is None:
        from varstore.nn import _fused_bias_add

        fused = _fused_bias_add(x, y, graph, name, default, "AddV2")
        if fused is not None:
            return fused
    full = graph._op_name(name, default)
    xa, dt = _first_input(x)
    ya = _typed_input(y, dt, op_type, "y", "x")
    names = (_input_name(x, full, "x"), _input_name(y, full, "y"))
    return _elementwise(op_type, full, xa, ya, dt, names, graph)


def add(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.add``: op ``Add`` of type ``AddV2``."""
    return _binary_function("AddV2", "Add", x, y, name)


def subtract(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.subtract``: op ``Sub``."""
    return _binary_function("Sub", "Sub", x, y, name)


def multiply(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.multiply``: op ``Mul``."""
    return _binary_function("Mul", "Mul", x, y, name)


def maximum(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.maximum``: op ``Maximum``."""
    return _binary_function("Maximum", "Maximum", x, y, name)


def minimum(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.minimum``: op ``Minimum``."""
    return _binary_function("Minimum", "Minimum", x, y, name)


def _truediv_arrays(full: str, xa: np.ndarray, xdt: DType, ya: np.ndarray, ydt: DType,
                    names: Sequence[str], graph: Any) -> Tensor:
    if xdt is not ydt:
        raise TypeError(f"`x` and `y` must have the same dtype, got {xdt!r} != {ydt!r}.")
    if xdt is _bool:
        raise TypeError(f"Invalid dtype {xdt!r} in __truediv__. Expected one of "
                        f"{_TRUEDIV_EXPECTED}.")
    cast_to = _TRUEDIV_CAST.get(xdt.name)
    dt = xdt
    if cast_to is not None:
        xa = xa.astype(cast_to)
        ya = ya.astype(cast_to)
        dt = _dtypes._BY_NUMPY[np.dtype(cast_to)]
        names = (f"{full}/Cast", f"{full}/Cast_1")
    return _elementwise("RealDiv", full, xa, ya, dt, names, graph)


def truediv(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.truediv``: op ``truediv`` of type ``RealDiv``; integers are cast first (int32 and
    int64 to float64, smaller ones to float32); the two dtypes must be equal."""
    _check_graphs(x, y)
    graph = get_default_graph()
    full = graph._op_name(name, "truediv")
    xa, xdt = _first_input(x)
    ya, ydt = _hinted(y, xdt)
    names = (_input_name(x, full, "x"), _input_name(y, full, "y"))
    return _truediv_arrays(full, xa, xdt, ya, ydt, names, graph)


def divide(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.divide``: ``x / y`` (op ``truediv``), or op ``name`` when given."""
    return truediv(x, y, name)


def _hinted(value: Any, hint: DType) -> tuple[np.ndarray, DType]:
    """convert_to_tensor(value, dtype_hint=hint) without creating an op."""
    if isinstance(value, Tensor):
        return value._value, value._dtype
    if _is_variable(value):
        return _variable_value(value), value.dtype
    try:
        return _strict(value, hint), hint
    except (TypeError, ValueError):
        arr = _natural(value)
        return arr, _dtypes._BY_NUMPY[arr.dtype]


_OPERATOR_TYPES = {"add": "AddV2", "sub": "Sub", "mul": "Mul"}


def _binary_operator(op_name: str, tensor: Tensor, other: Any, reverse: bool) -> Tensor:
    """``tensor <op> other`` (or ``other <op> tensor`` when ``reverse``): op ``add``/``sub``/
    ``mul``/``truediv``/``matmul`` under the current name scope, with TF's operator rules:
    forward, ``other`` is converted with the tensor's dtype when it fits and a mismatch is
    'Input 'y' of 'AddV2' Op has type ...'; reversed, ``other`` must convert to the tensor's
    dtype exactly ('Expected int32, but got 1.5 of type 'float'.')."""
    if isinstance(other, Tensor):
        _check_graphs(other, tensor) if reverse else _check_graphs(tensor, other)
    graph = get_default_graph()
    if op_name == "add" and tensor._val is None:
        from varstore.nn import _fused_bias_add

        fused = _fused_bias_add(tensor, other, graph, None, "add", "AddV2")
        if fused is not None:
            return fused
    full = graph._op_name(None, op_name)
    dt = tensor._dtype
    if op_name == "matmul":
        if reverse:
            xa = other._value if isinstance(other, Tensor) else (
                _variable_value(other) if _is_variable(other) else _strict(other, dt))
            return _matmul_arrays(full, xa, tensor._value, dt, False, False,
                                  (_input_name(other, full, "x"), _input_name(tensor, full, "y")),
                                  graph)
        ya = _typed_input(other, dt, "MatMul", "b", "a")
        return _matmul_arrays(full, tensor._value, ya, dt, False, False,
                              (_input_name(tensor, full, "a"), _input_name(other, full, "b")),
                              graph)
    if op_name == "truediv":
        if reverse:
            xa = _reverse_operand(other, dt)
            names = (f"{full}/x", _input_name(tensor, full, "y"))
            return _truediv_arrays(full, xa, dt, tensor._value, dt, names, graph)
        ya, ydt = _hinted(other, dt)
        names = (_input_name(tensor, full, "x"), _input_name(other, full, "y"))
        return _truediv_arrays(full, tensor._value, dt, ya, ydt, names, graph)
    op_type = _OPERATOR_TYPES[op_name]
    if reverse:
        xa = _reverse_operand(other, dt)
        names = (_input_name(other, full, "x"), _input_name(tensor, full, "y"))
        return _elementwise(op_type, full, xa, tensor._value, dt, names, graph)
    ya = _typed_input(other, dt, op_type, "y", "x")
    names = (_input_name(tensor, full, "x"), _input_name(other, full, "y"))
    return _elementwise(op_type, full, tensor._value, ya, dt, names, graph)


def _reverse_operand(value: Any, dt: DType) -> np.ndarray:
    """convert_to_tensor(value, dtype=dt) for the left operand of a reflected operator."""
    if isinstance(value, Tensor) or _is_variable(value):
        arr, vdt = _value_of(value)
        if vdt != dt:
            raise ValueError(f"Tensor conversion requested dtype {dt.name} for Tensor with "
                             f"dtype {vdt.name}: {value!r}")
        return arr
    return _strict(value, dt)


def _unary_operator(op_type: str, tensor: Tensor) -> Tensor:
    """``-tensor``: op ``Neg`` in the current name scope."""
    return _unary(op_type, tensor, None, op_type, _NEG_TYPES)


def _unary(op_type: str, x: Any, name: str | None, default: str, allowed: str | None,
           param: str = "x") -> Tensor:
    graph = get_default_graph()
    full = graph._op_name(name, default)
    xa, dt = _first_input(x)
    if allowed is not None and dt.name not in allowed.split(", "):
        _check_allowed(dt, allowed, param)
    with np.errstate(all="ignore"):
        out = _UNARY[op_type](xa)
    if out.dtype != dt._np:
        out = out.astype(dt._np)
    return _create(op_type, full, _as_array(out), graph, dt)


_UNARY = {"Neg": np.negative, "Square": np.square}


def negative(x: Any, name: str | None = None) -> Tensor:
    """``tf.negative``: op ``Neg``."""
    return _unary("Neg", x, name, "Neg", _NEG_TYPES)


def square(x: Any, name: str | None = None) -> Tensor:
    """``tf.square``: op ``Square``."""
    return _unary("Square", x, name, "Square",
                  "bfloat16, float16, float32, float64, int8, int16, int32, int64, uint8, "
                  "uint16, uint32, uint64, complex64, complex128")


# ---------------------------------------------------------------------------------------
# matmul
# ---------------------------------------------------------------------------------------
def _matmul_arrays(full: str, a: np.ndarray, b: np.ndarray, dt: DType, ta: bool, tb: bool,
                   names: Sequence[str], graph: Any) -> Tensor:
    _check_allowed(dt, _MATMUL_TYPES, "a") if dt.name not in _MATMUL_TYPES else None
    batch = a.ndim > 2 or b.ndim > 2
    if not batch:
        attrs = (f"T={_dt(dt)}, grad_a=false, grad_b=false, transpose_a={str(ta).lower()}, "
                 f"transpose_b={str(tb).lower()}")
        for arr in (a, b):
            if arr.ndim != 2:
                raise _node_error(f"Shape must be rank 2 but is rank {arr.ndim}", full, "MatMul",
                                  attrs, names, (a.shape, b.shape))
        ka = a.shape[0] if ta else a.shape[1]
        kb = b.shape[1] if tb else b.shape[0]
        if ka != kb:
            raise _node_error(f"Dimensions must be equal, but are {ka} and {kb}", full,
                              "MatMul", attrs, names, (a.shape, b.shape))
        op_type = "MatMul"
    else:
        attrs = (f"T={_dt(dt)}, adj_x={str(ta).lower()}, adj_y={str(tb).lower()}, "
                 "grad_x=false, grad_y=false")
        for arr in (a, b):
            if arr.ndim < 2:
                raise _node_error(f"Shape must be at least rank 2 but is rank {arr.ndim}", full,
                                  "BatchMatMulV2", attrs, names, (a.shape, b.shape))
        ka = a.shape[-2] if ta else a.shape[-1]
        kb = b.shape[-1] if tb else b.shape[-2]
        if ka != kb:
            raise _node_error(f"Dimensions must be equal, but are {ka} and {kb}", full,
                              "BatchMatMulV2", attrs, names, (a.shape, b.shape))
        ba, bb = a.shape[:-2], b.shape[:-2]
        try:
            np.broadcast_shapes(ba, bb)
        except ValueError:
            rank = max(len(ba), len(bb))
            pa = (1,) * (rank - len(ba)) + ba
            pb = (1,) * (rank - len(bb)) + bb
            da, db = next((p, q) for p, q in zip(pa, pb) if p != q and p != 1 and q != 1)
            raise _node_error(f"Dimensions must be equal, but are {da} and {db}", full,
                              "BatchMatMulV2", attrs, names, (a.shape, b.shape)) from None
        op_type = "BatchMatMulV2"
    if ta:
        a = np.swapaxes(a, -1, -2)
    if tb:
        b = np.swapaxes(b, -1, -2)
    out = np.matmul(a, b)
    if out.dtype != dt._np:
        out = out.astype(dt._np)
    return _create(op_type, full, out, graph, dt)


def matmul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False,
           adjoint_a: bool = False, adjoint_b: bool = False, a_is_sparse: bool = False,
           b_is_sparse: bool = False, output_type: Any = None, grad_a: bool = False,
           grad_b: bool = False, name: str | None = None) -> Tensor:
    """``tf.matmul``: op ``MatMul`` (``BatchMatMulV2`` for rank > 2 operands)."""
    if transpose_a and adjoint_a:
        raise ValueError("Only one of transpose_a and adjoint_a can be True.")
    if transpose_b and adjoint_b:
        raise ValueError("Only one of transpose_b and adjoint_b can be True.")
    _check_graphs(a, b)
    graph = get_default_graph()
    full = graph._op_name(name, "MatMul")
    aa, dt = _first_input(a)
    ba = _typed_input(b, dt, "MatMul", "b", "a")
    names = (_input_name(a, full, "a"), _input_name(b, full, "b"))
    return _matmul_arrays(full, aa, ba, dt, bool(transpose_a or adjoint_a),
                          bool(transpose_b or adjoint_b), names, graph)


# ---------------------------------------------------------------------------------------
# shape and layout
# ---------------------------------------------------------------------------------------
def identity(input: Any, name: str | None = None) -> Tensor:  # TF's argument name
    """``tf.identity``: op ``Identity``."""
    graph = get_default_graph()
    full = graph._op_name(name, "Identity")
    arr, dt = _first_input(input)
    return _create("Identity", full, arr, graph, dt)


def reshape(tensor: Any, shape: Any, name: str | None = None) -> Tensor:
    """``tf.reshape``: op ``Reshape``; one -1 dimension is inferred."""
    graph = get_default_graph()
    full = graph._op_name(name, "Reshape")
    arr, dt = _first_input(tensor)
    dims = _shape_operand(shape, "shape")
    size = arr.size
    wide = (isinstance(shape, Tensor) and shape._dtype is _int64) or any(
        not _INT32_MIN <= d <= _INT32_MAX for d in dims)
    attrs = f"T={_dt(dt)}, Tshape={'DT_INT64' if wide else 'DT_INT32'}"
    names = (_input_name(tensor, full, "tensor"), _input_name(shape, full, "shape"))
    _check_shape_values(dims)
    unknown = [i for i, d in enumerate(dims) if d == -1]
    if len(unknown) > 1:
        raise ValueError(f"Only one input size may be -1, not both {unknown[0]} and "
                         f"{unknown[1]}")
    known = 1
    for d in dims:
        if d != -1:
            known *= d
    partial = "[" + ",".join("?" if d == -1 else str(d) for d in dims) + "]"
    extra = f" and with input tensors computed as partial shapes: input[1] = {partial}"
    shapes = (arr.shape, (len(dims),))
    if unknown and known != 0 and size % known:
        raise _node_error(f"Dimension size must be evenly divisible by {known} but is {size}",
                          full, "Reshape", attrs, names, shapes, extra)
    if (unknown and known == 0) or (not unknown and known != size):
        raise _node_error(f"Cannot reshape a tensor with {size} elements to shape {partial} "
                          f"({known} elements)", full, "Reshape", attrs, names, shapes, extra)
    return _create("Reshape", full, arr.reshape(dims), graph, dt)


def transpose(a: Any, perm: Any = None, name: str = "transpose", conjugate: bool = False
              ) -> Tensor:
    """``tf.transpose``: op ``transpose`` of type ``Transpose`` (reverses axes by default)."""
    graph = get_default_graph()
    full = graph._op_name(name, "transpose")
    arr, dt = _first_input(a)
    if perm is None:
        axes = tuple(range(arr.ndim - 1, -1, -1))
    else:
        axes = _check_shape_arg(perm)
        if sorted(axes) != list(range(arr.ndim)):
            raise ValueError(f"{list(axes)} is not a permutation of the dimensions of a tensor "
                             f"of rank {arr.ndim}")
    return _create("Transpose", full, np.ascontiguousarray(arr.transpose(axes)), graph, dt)


def concat(values: Any, axis: Any, name: str = "concat") -> Tensor:
    """``tf.concat``: op ``concat`` (``ConcatV2``); one value gives ``concat/concat``
    (``Identity``)."""
    graph = get_default_graph()
    full = graph._op_name(name, "concat")
    axis_input = axis
    if isinstance(axis, Tensor):
        axis = axis._value.item()
    if not isinstance(values, (list, tuple)):
        values = [values]
    if len(values) == 1:
        arr, dt = _first_input(values[0])
        return _create("Identity", f"{full}/concat", arr, graph, dt)
    arrays = []
    dtypes_ = []
    for v in values:
        arr, dt = _first_input(v)
        arrays.append(arr)
        dtypes_.append(dt)
    if any(d is not dtypes_[0] for d in dtypes_):
        raise TypeError("Tensors in list passed to 'values' of 'ConcatV2' Op have types "
                        f"[{', '.join(d.name for d in dtypes_)}] that don't all match.")
    axis_type = _natural_dtype_name(axis_input)
    if axis_type not in ("int32", "int64"):
        raise TypeError(f"Value passed to parameter 'axis' has DataType {axis_type} not in "
                        "list of allowed values: int32, int64")
    dt = dtypes_[0]
    names = [_input_name(v, full, f"values_{i}") for i, v in enumerate(values)]
    names.append(_input_name(axis_input, full, "axis"))
    attrs = f"N={len(values)}, T={_dt(dt)}, Tidx={_dt(_dtypes.as_dtype(axis_type))}"
    shapes = [a.shape for a in arrays] + [()]
    rank = arrays[0].ndim
    for a in arrays[1:]:
        if a.ndim != rank:
            raise _node_error(f"Shape must be rank {rank} but is rank {a.ndim}", full,
                              "ConcatV2", attrs, names, shapes)
    if rank == 0:
        raise _node_error("Can't concatenate scalars (use tf.stack instead)", full, "ConcatV2",
                          attrs, names, shapes)
    ax = int(axis)
    extra = f" and with computed input tensors: input[{len(values)}] = <{ax}>"
    min_rank = -ax if ax < 0 else ax + 1
    if rank < min_rank:
        raise _node_error(f"Shape must be at least rank {min_rank} but is rank {rank}", full,
                          "ConcatV2", attrs, names, shapes, extra)
    ax %= rank
    # TF's ConcatShapeHelper merges each input, from the second-to-last back to the first,
    # into the last one's shape without the concat dimension (before it, then after it).
    last = arrays[-1].shape
    for a in reversed(arrays[:-1]):
        for part, ref in ((a.shape[:ax], last[:ax]), (a.shape[ax + 1:], last[ax + 1:])):
            for i, (got, want) in enumerate(zip(part, ref)):
                if got != want:
                    raise _node_error(
                        f"Dimension {i} in both shapes must be equal, but are {got} and {want}. "
                        f"Shapes are {_shape_str(part)} and {_shape_str(ref)}.", full,
                        "ConcatV2", attrs, names, shapes, extra)
    return _create("ConcatV2", full, np.concatenate(arrays, axis=ax), graph, dt)


def shape(input: Any, name: str | None = None, out_type: Any = None  # TF's argument names
          ) -> Tensor:
    """``tf.shape``: op ``Shape``; TF folds a static shape into a ``Const``."""
    graph = get_default_graph()
    full = graph._op_name(name, "Shape")
    arr, _ = _first_input(input)
    dt = _int32 if out_type is None else _dtypes.as_dtype(out_type)
    return _create("Const", full, np.array(arr.shape, dtype=dt._np), graph, dt)


def cast(x: Any, dtype: Any, name: str | None = None) -> Tensor:
    """``tf.cast``: op ``Cast``; a tensor of that dtype already is returned unchanged.
    Floats to integers truncate toward zero."""
    dt = _dtypes.as_dtype(dtype)
    if isinstance(x, Tensor) and x._dtype is dt:
        return x
    graph = get_default_graph()
    full = graph._op_name(name, "Cast")
    if isinstance(x, Tensor) or _is_variable(x):
        arr, _ = _value_of(x)
    else:
        arr = _natural(x)
        if arr.dtype == dt._np:
            # TF converts the value inside the Cast scope and returns it: "Cast/x".
            return _create("Const", f"{full}/x", arr, graph, dt)
    with np.errstate(all="ignore"):
        out = arr.astype(dt._np)
    return _create("Cast", full, _as_array(out), graph, dt)


# ---------------------------------------------------------------------------------------
# reductions
# ---------------------------------------------------------------------------------------
def _reduce(op_type: str, input_tensor: Any, axis: Any, keepdims: Any, name: str | None,
            reduction_indices: Any, keep_dims: Any) -> Tensor:
    if axis is not None and reduction_indices is not None:
        raise ValueError("Cannot specify both 'reduction_indices' and 'axis'.")
    if reduction_indices is not None:
        axis = reduction_indices
    if keepdims is not None and keep_dims is not None:
        raise ValueError("Cannot specify both 'keep_dims' and 'keepdims'.")
    if keep_dims is not None:
        keepdims = keep_dims
    keep = bool(keepdims)
    graph = get_default_graph()
    if axis is None:
        # TF builds the reduction indices (a Const) in the current scope, before the op.
        graph.unique_name("Const")
        index_name = None
    else:
        index_name = "reduction_indices"
    full = graph._op_name(name, op_type)
    arr, dt = _first_input(input_tensor)
    _check_allowed(dt, _REDUCE_TYPES, "input") if dt.name not in _REDUCE_TYPES else None
    if isinstance(axis, Tensor):
        axis = axis._value.tolist()
    if axis is None:
        axes: tuple[int, ...] = tuple(range(arr.ndim))
    elif isinstance(axis, (list, tuple, np.ndarray)):
        axes = tuple(int(a) for a in axis)
    else:
        axes = (int(axis),)
    rank = arr.ndim
    for a in axes:
        if not -rank <= a < rank:
            inputs = (_input_name(input_tensor, full, "input"),
                      f"{full}/{index_name}" if index_name else "Const")
            shown = str(a) if not isinstance(axis, (list, tuple, np.ndarray)) else \
                " ".join(str(v) for v in axes)
            raise _node_error(
                f"Invalid reduction dimension {a} for input with {rank} dimensions.", full,
                op_type, f"T={_dt(dt)}, Tidx=DT_INT32, keep_dims={str(keep).lower()}", inputs,
                (arr.shape, () if not isinstance(axis, (list, tuple, np.ndarray))
                 else (len(axes),)),
                f" and with computed input tensors: input[1] = <{shown}>")
    axes = tuple(sorted({a % rank for a in axes})) if rank else ()
    with np.errstate(all="ignore"):
        if op_type == "Sum":
            out = np.sum(arr, axis=axes, keepdims=keep, dtype=arr.dtype)
        elif op_type == "Mean":
            if dt.is_integer:
                n = 1
                for a in axes:
                    n *= arr.shape[a]
                total = np.sum(arr, axis=axes, keepdims=keep, dtype=np.int64)
                out = (np.trunc(total / n) if n else total).astype(arr.dtype)
            else:
                out = np.mean(arr, axis=axes, keepdims=keep, dtype=arr.dtype)
        elif op_type == "Max":
            if arr.size == 0:
                shape_ = [1 if (i in axes) else s for i, s in enumerate(arr.shape)] if keep \
                    else [s for i, s in enumerate(arr.shape) if i not in axes]
                out = np.full(shape_, dt.min, dtype=arr.dtype)
            else:
                out = np.max(arr, axis=axes, keepdims=keep)
        else:  # pragma: no cover
            raise AssertionError(op_type)
    if out.dtype != dt._np:
        out = out.astype(dt._np)
    return _create(op_type, full, _as_array(out), graph, dt)


def reduce_sum(input_tensor: Any, axis: Any = None, keepdims: Any = None,
               name: str | None = None, reduction_indices: Any = None,
               keep_dims: Any = None) -> Tensor:
    """``tf.reduce_sum``: op ``Sum``; without ``axis`` TF adds a ``Const`` (the indices) in
    the current name scope first."""
    return _reduce("Sum", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_mean(input_tensor: Any, axis: Any = None, keepdims: Any = None,
                name: str | None = None, reduction_indices: Any = None,
                keep_dims: Any = None) -> Tensor:
    """``tf.reduce_mean``: op ``Mean`` (integer inputs divide with truncation)."""
    return _reduce("Mean", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_max(input_tensor: Any, axis: Any = None, keepdims: Any = None,
               name: str | None = None, reduction_indices: Any = None,
               keep_dims: Any = None) -> Tensor:
    """``tf.reduce_max``: op ``Max``."""
    return _reduce("Max", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


# ---------------------------------------------------------------------------------------
# indexing
# ---------------------------------------------------------------------------------------
def _getitem(tensor: Tensor, key: Any) -> Tensor:
    """``tensor[key]``: op ``strided_slice`` (``StridedSlice``). A scalar tensor index makes
    TF add an ``add`` op (begin + 1) in the current name scope, which is emulated."""
    graph = get_default_graph()
    if not isinstance(key, tuple):
        key = (key,)
    np_key: list[Any] = []  # ints, slices, Ellipsis and None (newaxis)
    for k in key:
        if isinstance(k, Tensor) or _is_variable(k):
            arr, kdt = _value_of(k)
            if not kdt.is_integer:
                raise TypeError(
                    "Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and "
                    f"scalar tf.int32/tf.int64 tensors are valid indices, got {k!r}")
            graph.unique_name("add")
            np_key.append(int(arr))
        elif isinstance(k, slice):
            parts = []
            for p in (k.start, k.stop, k.step):
                if isinstance(p, Tensor):
                    p = int(p._value)
                parts.append(p)
            if parts[2] == 0:
                raise ValueError("slice step cannot be zero")
            np_key.append(slice(*parts))
        elif k is Ellipsis or k is None:
            np_key.append(k)
        elif isinstance(k, (int, np.integer)) and not isinstance(k, bool):
            np_key.append(int(k))
        else:
            raise TypeError(
                "Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
                f"tf.int32/tf.int64 tensors are valid indices, got {k!r}")
    full = graph._op_name(None, "strided_slice")
    arr = tensor._value
    # Bounds check of integer indices (TF checks them when the shape is static).
    dim = 0
    n_real = sum(1 for k in np_key if k is not None and k is not Ellipsis)
    for k in np_key:
        if k is Ellipsis:
            dim += arr.ndim - n_real
            continue
        if k is None:
            continue
        if isinstance(k, int):
            if dim >= arr.ndim:
                raise ValueError(f"Index out of range using input dim {dim}; input has only "
                                 f"{arr.ndim} dims for '{{{{node {full}}}}}'")
            size = arr.shape[dim]
            if not -size <= k < size:
                raise ValueError(f"slice index {k} of dimension {dim} out of bounds. for "
                                 f"'{{{{node {full}}}}} = StridedSlice'")
        dim += 1
    out = arr[tuple(np_key)]
    return _create("StridedSlice", full, _as_array(out), graph, tensor._dtype)
