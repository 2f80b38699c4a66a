"""``tf.as_string`` (``tf.dtypes.as_string``): op ``AsString``, each element formatted as TF's
kernel does with printf's "%<fill>*.*<conv>" (d/u for integers, f, e or g for floats and for
each part of a complex "(re,im)", s for strings padded to a width; booleans are "true" /
"false"). The attribute checks are TF's InvalidArgument errors, raised when the op runs as in
TF (they are the kernel's). TF registers no gradient for AsString."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.op_def_library import check_allowed, check_same_graph, first_input
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    Tensor,
    builders,
    make_op,
    register_kernel,
    scope_of,
)

__all__ = ["as_string"]

_TYPES = ("bfloat16, bool, complex128, complex64, float32, float64, float16, int16, int32, "
          "int64, int8, string, uint16, uint32, uint64, uint8, variant")
_TF_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def as_string(input: Any, precision: int = -1, scientific: bool = False, shortest: bool = False,
              width: int = -1, fill: str = "", name: str | None = None) -> Tensor:
    """``tf.as_string``: op ``AsString``, a string tensor of input's shape."""
    graph = check_same_graph(input)
    full = graph._op_name(name, "AsString")
    with scope_of(graph, full):
        t = first_input(input, "input")
    check_allowed(t._dtype, _TYPES, "T")
    attrs = {"T": t._dtype, "precision": int(precision), "scientific": bool(scientific),
             "shortest": bool(shortest), "width": int(width), "fill": str(fill)}
    return make_op(graph, full, "AsString", [t], attrs,
                   [(_dtypes.string, t._shape)])._outputs[0]


def _format(op: Operation) -> tuple[str | None, int, int]:
    """The kernel's format (None: pass strings through / booleans), its width and precision;
    InvalidArgumentError for attributes TF's kernel refuses."""
    a = op._attrs
    dt: _dtypes.DType = a["T"]
    precision, width, fill = a["precision"], a["width"], a["fill"]
    scientific, shortest = a["scientific"], a["shortest"]
    type_name = _TF_NAMES.get(dt.name, dt.name)
    if dt is not _dtypes.string and not dt.is_floating and not dt.is_complex:
        if scientific or shortest:
            raise InvalidArgumentError(None, None, "scientific and shortest format not "
                                       f"supported for datatype {type_name}")
        if precision >= 0:
            raise InvalidArgumentError(None, None,
                                       f"precision not supported for datatype {type_name}")
    if len(fill) > 1:
        raise InvalidArgumentError(None, None, "Fill string must be one or fewer characters")
    if scientific and shortest:
        raise InvalidArgumentError(None, None,
                                   "Cannot select both scientific and shortest notation")
    if fill and fill not in " +-0#":
        raise InvalidArgumentError(None, None, f'Fill argument not supported: "{fill}"')
    width = max(width, 0)
    if dt is _dtypes.bool or (dt is _dtypes.string and width <= 0):
        return None, width, precision
    if dt is _dtypes.string:
        conv = "s"
    elif dt.is_integer:
        conv = "d"
    else:
        conv = "g" if shortest else "e" if scientific else "f"
    # printf takes a negative precision as none given (Python's % refuses it)
    return (f"%{fill}{width}.{precision}{conv}" if precision >= 0 else
            f"%{fill}{width}{conv}"), width, precision


@register_kernel("AsString")
def _as_string_kernel(op: Operation) -> Callable[..., Any]:
    dt: _dtypes.DType = op._attrs["T"]

    def kernel(x: np.ndarray) -> np.ndarray:
        fmt, _, _ = _format(op)
        if dt is _dtypes.bool:
            return np.asarray(np.vectorize(lambda v: b"true" if v else b"false",
                                           otypes=[object])(x))
        if fmt is None:
            return np.asarray(x)
        if dt is _dtypes.string:
            def one(v: Any) -> bytes:
                text = v.decode("latin-1") if isinstance(v, bytes) else str(v)
                return (fmt % text).encode("latin-1")
        elif dt.is_complex:
            blank_c = fmt.replace("%0", "%", 1)

            def one(v: Any) -> bytes:
                parts = [(fmt if np.isfinite(p) else blank_c) % p for p in (v.real, v.imag)]
                return f"({parts[0]},{parts[1]})".encode()
        elif dt.is_integer:
            def one(v: Any) -> bytes:
                return (fmt % int(v)).encode()
        else:
            blank = fmt.replace("%0", "%", 1)

            def one(v: Any) -> bytes:
                # half and bfloat16 are formatted through float, as TF's kernel does; printf
                # pads nan and inf with blanks even with the 0 flag (Python's % with zeros)
                f = float(v)
                return ((fmt if np.isfinite(f) else blank) % f).encode()
        out = np.empty(x.shape, dtype=object)
        flat = out.reshape(-1)
        for i, v in enumerate(np.asarray(x).reshape(-1)):
            flat[i] = one(v)
        return out
    return kernel


NotDifferentiable("AsString")


builders.register(globals(), __all__)
