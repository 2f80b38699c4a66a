"""Constants and conversion to tensors: ``tf.constant``, ``tf.convert_to_tensor`` and TF's
rules for Python and NumPy values (floats -> float32, ints -> int32, int64 when they do not
fit; no implicit promotion between tensors), plus the constant folding that static shape
inference needs (``constant_value``, ``constant_value_as_shape``)."""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework import ops as _ops
from varstore.framework.graph import get_default_graph
from varstore.framework.ops import Operation, Tensor, register_kernel
from varstore.framework.tensor_shape import Dimension, TensorShape, undimension

__all__ = [
    "constant",
    "constant_value",
    "constant_value_as_shape",
    "convert_to_tensor",
    "is_tensor",
    "register_tensor_conversion_function",
]

DType = _dtypes.DType
_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)
_F32_MAX = float(np.finfo(np.float32).max)


def _conversion_failed(value: Any) -> TypeError:
    return TypeError(
        f"Failed to convert elements of {value} to Tensor. Consider casting elements to a "
        "supported type. See https://www.tensorflow.org/api_docs/python/tf/dtypes for "
        "supported TF dtypes."
    )


_OK = object()


def _first_mismatch(value: Any, ok: Callable[[Any], bool]) -> Any:
    """TF's _AssertCompatible: the first element of a nested list that ``ok`` rejects."""
    if isinstance(value, (list, tuple)):
        for item in value:
            bad = _first_mismatch(item, ok)
            if bad is not _OK:
                return bad
        return _OK
    return _OK if ok(value) else value


def _ok_int(v: Any) -> bool:
    return isinstance(v, numbers.Integral)


def _ok_float(v: Any) -> bool:
    return isinstance(v, numbers.Real)


def _ok_bool(v: Any) -> bool:
    return isinstance(v, (bool, np.bool_))


def _ok_complex(v: Any) -> bool:
    return isinstance(v, numbers.Number)


def _ok_string(v: Any) -> bool:
    return isinstance(v, (str, bytes))


def _flatten(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple)):
        out: list[Any] = []
        for v in value:
            out.extend(_flatten(v))
        return out
    return [value]


def is_tensor_like(value: Any) -> bool:
    return isinstance(value, Tensor) or hasattr(type(value), "_as_tensor")


def _strings(value: Any) -> np.ndarray:
    """A nested list of str/bytes as TF's string tensor: an object array of bytes."""
    arr = np.array(value, dtype=object)
    flat = arr.reshape(-1)
    for i, v in enumerate(flat):
        if isinstance(v, str):
            flat[i] = v.encode()
        elif not isinstance(v, bytes):
            raise _conversion_failed(value)
    return arr


def python_natural(value: Any) -> tuple[np.ndarray, DType]:
    """Converts a Python scalar or nested list without a requested dtype, TF's way: floats
    become float32, ints int32 (int64 when they do not fit), strings string."""
    if value is None:
        raise ValueError("None values not supported.")
    t = type(value)
    if t is float:
        with np.errstate(over="ignore"):
            return np.array(value, dtype=np.float32), _dtypes.float32
    if t is bool:
        return np.array(value, dtype=np.bool_), _dtypes.bool
    if t is int:
        if _INT32_MIN <= value <= _INT32_MAX:
            return np.array(value, dtype=np.int32), _dtypes.int32
        if _INT64_MIN <= value <= _INT64_MAX:
            return np.array(value, dtype=np.int64), _dtypes.int64
        if 0 <= value < 2**64:  # TF's scalar rule: past int64, uint64 while it fits
            return np.array(value, dtype=np.uint64), _dtypes.uint64
        raise _conversion_failed(value)
    if isinstance(value, (str, bytes)):
        return _strings(value), _dtypes.string
    if t is complex:
        return np.array(value, dtype=np.complex128), _dtypes.complex128
    flat = _flatten(value) if isinstance(value, (list, tuple)) else None
    if flat is not None and any(is_tensor_like(v) for v in flat):
        raise TypeError("Expected any non-tensor type, but got a tensor instead.")
    if flat is not None and flat and all(isinstance(v, (str, bytes)) for v in flat):
        return _strings(value), _dtypes.string
    try:
        with np.errstate(over="ignore"):
            arr = np.array(value)
    except ValueError:
        raise
    except Exception:  # noqa: BLE001 - any other failure is TF's conversion TypeError
        raise _conversion_failed(value) from None
    kind = arr.dtype.kind
    if kind == "f":
        if isinstance(value, (list, tuple)):
            return arr.astype(np.float32), _dtypes.float32
        return arr, _dtypes._from_numpy(arr.dtype)
    if kind in "iu":
        if (isinstance(value, (list, tuple)) and arr.dtype == np.int64
                and (arr.size == 0 or (arr.min() >= _INT32_MIN and arr.max() <= _INT32_MAX))):
            return arr.astype(np.int32), _dtypes.int32
        return arr, _dtypes._from_numpy(arr.dtype)
    if kind == "b":
        return arr, _dtypes.bool
    if kind == "c":
        return arr.astype(np.complex128), _dtypes.complex128
    if kind in "US":
        return _strings(value), _dtypes.string
    raise _conversion_failed(value)


def _known_dimension(d: Dimension) -> int:
    """A Dimension operand's int (TF's _dimension_tensor_conversion_function)."""
    if d.value is None:
        raise ValueError(f"Cannot convert unknown Dimension {d} to a Tensor.")
    return d.value


def natural(value: Any) -> tuple[np.ndarray, DType]:
    """A non-tensor value converted without a requested dtype."""
    if isinstance(value, (np.ndarray, np.generic)) and value.dtype.kind in "USO":
        # TF's string tensors hold bytes: NumPy's unicode (and object) arrays are encoded,
        # so a '<U1' array compares with b"" as TF's does
        if value.dtype.kind == "O":
            for v in value.reshape(-1).tolist():
                if not isinstance(v, (str, bytes)):
                    raise TypeError(f"Expected binary or unicode string, got {v!r}")
        return _strings(value.tolist()), _dtypes.string
    if isinstance(value, np.ndarray):
        return value, _dtypes._from_numpy(value.dtype)
    if type(value) is Dimension:
        return natural(_known_dimension(value))
    if isinstance(value, np.generic):
        arr = np.asarray(value)
        return arr, _dtypes._from_numpy(arr.dtype)
    return python_natural(value)


def strict(value: Any, dtype: DType) -> np.ndarray:
    """A non-tensor value converted to exactly ``dtype`` (TF's convert_to_tensor(dtype=...)):
    TypeError 'Expected int32, but got 1.5 of type 'float'.' when a Python element does not
    fit; NumPy arrays are cast."""
    if type(value) is Dimension:
        value = _known_dimension(value)
    np_dtype = dtype._np
    if type(value) is float and (np_dtype is _F64 or (np_dtype is _F32 and -_F32_MAX <= value
                                                       <= _F32_MAX)):
        return np.array(value, dtype=np_dtype)  # the common case: no check, no overflow
    if dtype is _dtypes.string:
        if isinstance(value, np.ndarray) and value.dtype.kind in "OSU":
            return _strings(value.tolist())
        bad = _first_mismatch(value, _ok_string)
        if bad is not _OK:
            raise TypeError(f"Expected string, but got {bad} of type '{type(bad).__name__}'.")
        return _strings(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "OSU":
            raise TypeError(f"Expected {dtype.name}, but got {value!r} of type 'ndarray'.")
        return value if value.dtype == np_dtype else value.astype(np_dtype)
    if isinstance(value, np.generic):
        return np.asarray(value, dtype=np_dtype)
    if value is None:
        raise ValueError("None values not supported.")
    kind = np_dtype.kind
    ok = {"f": _ok_float, "b": _ok_bool, "c": _ok_complex}.get(kind, _ok_int)
    bad = _first_mismatch(value, ok)
    if bad is not _OK:
        if is_tensor_like(bad):
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


# -- the Const op ---------------------------------------------------------------------------
def make_const(graph: Any, full: str, arr: np.ndarray, dt: DType) -> Tensor:
    """A ``Const`` node named ``full`` (already unique) holding ``arr`` (not copied: callers
    pass arrays they own; the value is made read-only)."""
    if arr.flags.writeable and arr.base is None:
        arr.flags.writeable = False
    elif arr.flags.writeable:
        arr = arr.copy()
        arr.flags.writeable = False
    op = _ops.make_op(graph, full, "Const", (), {"dtype": dt, "value": arr}, [(dt, arr.shape)],
                      data=arr)
    return op._outputs[0]


@register_kernel("Const")
def _const_kernel(op: Operation) -> Callable[[], np.ndarray]:
    value = op._data
    return lambda: value


def _check_shape_arg(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, TensorShape):
        if not shape.is_fully_defined():
            raise ValueError(f"Cannot convert a partially known TensorShape {shape} to a Tensor.")
        return tuple(shape.as_list())  # type: ignore[arg-type]
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        return (int(shape),)
    if isinstance(shape, np.ndarray):
        shape = shape.tolist()
    if isinstance(shape, Tensor):
        value = constant_value(shape)
        if value is None:
            raise TypeError("Expected a constant shape for tf.constant, got a tensor")
        shape = value.tolist()
    if not isinstance(shape, (list, tuple)):
        raise TypeError(f"Expected list for 'shape' argument, got {shape!r}")
    out = []
    for d in undimension(shape):
        if d is None:
            raise ValueError(f"Cannot convert a partially known TensorShape {TensorShape(shape)} "
                             "to a Tensor.")
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)):
            raise TypeError(f"Expected int32, but got {d!r} of type '{type(d).__name__}'.")
        out.append(int(d))
    return tuple(out)


def constant(value: Any, dtype: Any = None, shape: Any = None, name: str = "Const",
             verify_shape: bool = False) -> Tensor:
    """``tf.compat.v1.constant``: a ``Const`` op. With ``shape``, a scalar is broadcast, a
    value with as many elements is reshaped, a shorter one is padded with its last element
    (TF1's rule); more elements than the shape holds is a ValueError."""
    if is_tensor_like(value):
        raise TypeError("Expected any non-tensor type, but got a tensor instead.")
    if dtype is not None:
        dt = _dtypes.as_dtype(dtype)
        arr = strict(value, dt)
    else:
        arr, dt = natural(value)
    if shape is not None:
        # A np.matrix stays 2-D under reshape; TF reshapes its values like any array's.
        arr = np.asarray(arr)
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
    if isinstance(value, np.ndarray) and arr is value:
        arr = value.copy()  # the user may change their array later (and make_const freezes)
    graph = get_default_graph()
    return make_const(graph, graph._op_name(name, "Const"), arr, dt)



def convert_index(value: Any, name: str | None = None, default: Any = _dtypes.int32,
                  allowed: tuple[str, ...] = ("int16", "int32", "int64")) -> Tensor:
    """An op input typed by an attribute with an allowed list (an axis, a shape, indices...),
    converted by TF's op_def_library rule: with a ``default`` for the attribute, the value's
    own dtype when it is allowed (an int64 NumPy array stays int64, a Python int past int32
    is int64), else the default as a preference; with none (``default=None``: Slice's begin,
    the segment ids, GatherV2's indices), the value's own dtype (the caller checks it)."""
    if default is None:
        return convert_to_tensor(value, name=name)
    if (isinstance(value, (Tensor, Dimension, TensorShape)) or is_tensor_like(value)
            or _contains_tensor(value)):
        return convert_to_tensor(value, dtype_hint=default, name=name)
    try:
        dt = natural(undimension(value) if isinstance(value, (list, tuple)) else value)[1]
    except (TypeError, ValueError):
        dt = None
    if dt is not None and dt.name in allowed:
        return convert_to_tensor(value, dtype=dt, name=name)
    return convert_to_tensor(value, dtype_hint=default, name=name)

# -- conversion -----------------------------------------------------------------------------
# (base type, function(value, dtype, name, as_ref) -> Tensor), in registration order; TF's
# tensor_conversion_registry with priorities.
_CONVERSIONS: list[tuple[int, type, Callable[..., Any]]] = []


def register_tensor_conversion_function(base_type: Any, conversion_func: Callable[..., Any],
                                        priority: int = 100) -> None:
    if not callable(conversion_func):
        raise TypeError("conversion_func must be callable.")
    types = base_type if isinstance(base_type, tuple) else (base_type,)
    for t in types:
        _CONVERSIONS.append((priority, t, conversion_func))
    _CONVERSIONS.sort(key=lambda e: e[0])


# Set by array_ops: packs a list containing tensors into one tensor (TF's autopacking).
_AUTOPACK: list[Callable[..., Tensor]] = []


def _contains_tensor(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return any(_contains_tensor(v) for v in value)
    return is_tensor_like(value)


def convert_to_tensor(value: Any, dtype: Any = None, name: str | None = None,
                      preferred_dtype: Any = None, dtype_hint: Any = None,
                      as_ref: bool = False) -> Tensor:
    """``tf.convert_to_tensor``: a Tensor is returned as is (ValueError if ``dtype`` differs);
    a variable is read (a ``ReadVariableOp`` in the current name scope); a list holding
    tensors is packed; anything else becomes a ``Const`` op named ``name`` or ``Const``.
    A ref ``dtype`` (float32_ref) means its base type, which ref tensors convert to."""
    if dtype is not None:
        dtype = _dtypes.as_dtype(dtype)._base
    if isinstance(value, Tensor):
        if dtype is not None:
            dt = dtype
            if dt is not value._dtype:
                # (TF prefixes the error with the conversion's name, when it has one)
                msg = (f"Tensor conversion requested dtype {dt.name} for Tensor with dtype "
                       f"{value._dtype.name}: {value!r}")
                raise ValueError(msg if name is None else f"{name}: {msg}")
        return value
    as_tensor = getattr(type(value), "_as_tensor", None)
    if as_tensor is not None:
        if dtype is not None:
            dt = dtype
            if dt is not value.dtype._base:
                # (Variables word this error their own way, as TF's do.)
                own = getattr(value, "_dtype_conversion_error", None)
                if own is not None:
                    raise own(dt)
                raise ValueError(f"Tensor conversion requested dtype {dt.name} for Tensor with "
                                 f"dtype {value.dtype.name}: {value!r}")
        return value._as_tensor(as_ref)  # type: ignore[no-any-return]
    if type(value) is Dimension:
        # TF's _dimension_tensor_conversion_function
        return constant(_known_dimension(value), dtype=dtype or _dtypes.int32,
                        name=name or "shape_as_tensor")
    if type(value) is list or type(value) is tuple:
        value = undimension(value)
    for _, base, fn in _CONVERSIONS:
        if isinstance(value, base):
            out = fn(value, dtype=None if dtype is None else _dtypes.as_dtype(dtype), name=name,
                     as_ref=as_ref)
            if out is not NotImplemented:
                return out  # type: ignore[no-any-return]
    if isinstance(value, (list, tuple)) and _contains_tensor(value):
        return _AUTOPACK[0](value, dtype, name)
    if isinstance(value, TensorShape):
        dims = _check_shape_arg(value)
        value = list(dims)
        if dtype is None:
            dtype = _dtypes.int32 if all(d < 2**31 for d in dims) else _dtypes.int64
    if dtype is not None:
        dt = _dtypes.as_dtype(dtype)
        arr = strict(value, dt)
    else:
        hint = preferred_dtype if preferred_dtype is not None else dtype_hint
        hinted: np.ndarray | None = None
        if hint is not None:
            dt = _dtypes.as_dtype(hint)
            try:
                hinted = strict(value, dt)
            except (TypeError, ValueError):
                hinted = None
        if hinted is not None:
            arr = hinted
        else:
            arr, dt = natural(value)
    if isinstance(value, np.ndarray) and arr is value:
        arr = value.copy()
    graph = get_default_graph()
    return make_const(graph, graph._op_name(name, "Const"), arr, dt)


def convert_n_to_tensor(values: Any, dtype: Any = None, name: str | None = None) -> list[Tensor]:
    return [convert_to_tensor(v, dtype=dtype, name=None if name is None else f"{name}_{i}")
            for i, v in enumerate(values)]


def is_tensor(x: Any) -> bool:
    return isinstance(x, Tensor) or hasattr(type(x), "_as_tensor")


# -- constant folding for static shapes -----------------------------------------------------
# op type -> function(op) -> ndarray | None; filled by the op families (Shape, Pack, Cast...).
CONSTANT_FOLDERS: dict[str, Callable[[Tensor], Any]] = {}


def constant_value(tensor: Any, partial: bool = False) -> np.ndarray | None:
    """The value of ``tensor`` if it is known at graph-construction time (TF's
    tensor_util.constant_value), else None."""
    if isinstance(tensor, np.ndarray):
        return tensor
    if not isinstance(tensor, Tensor):
        try:
            return natural(tensor)[0]
        except (TypeError, ValueError):
            return None
    op = tensor._op
    if op._type == "Const":
        return op._data  # type: ignore[no-any-return]
    folder = CONSTANT_FOLDERS.get(op._type)
    if folder is None:
        return None
    try:
        out = folder(tensor)
    except (TypeError, ValueError, IndexError):
        return None
    return out  # type: ignore[no-any-return]


# The small stateless ops TF's C++ shape inference evaluates when a shape function reads an
# input's value (EvaluateConstantTensor), beyond what constant_value folds.
_EVALUATED = frozenset({"Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual",
                        "SelectV2", "Pack", "AddV2", "Sub", "Mul", "Maximum", "Minimum",
                        "Identity", "Cast", "StridedSlice", "ConcatV2", "Reshape", "Slice",
                        "RealDiv", "Neg", "FloorDiv", "FloorMod", "Fill"})


def evaluate_constant(tensor: Tensor, _depth: int = 0) -> np.ndarray | None:
    """The value a TF shape function sees for an op input (InferenceContext::input_tensor):
    constant_value, else a small subgraph of those ops over known values, run through
    their kernels."""
    value = constant_value(tensor)
    if value is not None or _depth > 16:
        return value
    op = tensor._op
    factory = _ops.kernel_factory(op._type)
    if op._type not in _EVALUATED or factory is None or op._ctx is not None:
        return None
    inputs = []
    for t in op._inputs:
        v = evaluate_constant(t, _depth + 1)
        if v is None or np.asarray(v).size > 64:
            return None
        inputs.append(np.asarray(v))
    if op._type == "Fill" and np.prod(inputs[0]) > 64:
        return None  # only small values are evaluated
    try:
        out = factory(op)(*inputs)
    except (TypeError, ValueError, IndexError, ArithmeticError):
        return None
    if isinstance(out, (tuple, list)):
        out = out[tensor._index]
    return np.asarray(out)


# op type -> function(tensor) -> tuple of dims (None unknown) | None; for shape arguments.
SHAPE_FOLDERS: dict[str, Callable[[Tensor], Any]] = {}


def inferred_shape(tensor: Tensor) -> tuple[int | None, ...] | None:
    """The partial shape a TF shape function makes of a shape tensor
    (MakeShapeFromShapeTensor): its evaluated value, a ConcatV2's parts each so inferred,
    else constant_value_as_shape."""
    value = evaluate_constant(tensor)
    if value is not None and value.ndim == 1:
        return tuple(None if int(d) < 0 else int(d) for d in value)
    if tensor._op._type == "ConcatV2":
        out: list[int | None] = []
        for part in tensor._op._inputs[:-1]:
            dims = inferred_shape(part)
            if dims is None:
                return constant_value_as_shape(tensor)
            out.extend(dims)
        return tuple(out)
    return constant_value_as_shape(tensor)


def constant_value_as_shape(tensor: Tensor) -> tuple[int | None, ...] | None:
    """The (partial) shape a shape tensor holds at graph-construction time: TF's
    tensor_util.constant_value_as_shape. -1 entries are unknown dimensions."""
    value = constant_value(tensor)
    if value is not None:
        if value.ndim == 0:
            return None
        return tuple(None if int(d) < 0 else int(d) for d in value.reshape(-1))
    folder = SHAPE_FOLDERS.get(tensor._op._type)
    if folder is not None:
        try:
            return folder(tensor)  # type: ignore[no-any-return]
        except (TypeError, ValueError, IndexError):
            pass
    shape = tensor._shape
    if shape is not None and len(shape) == 1 and shape[0] is not None:
        return (None,) * shape[0]
    return None
