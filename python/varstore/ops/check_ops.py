"""Assertions (TF's ops/check_ops.py and control_flow_assert.py): ``tf.Assert`` and the
``tf.assert_*`` / ``tf.debugging.assert_*`` family.

When both sides are constants TF decides at build time: a failing check raises
InvalidArgumentError there, a passing one returns a no-op. Otherwise an ``Assert`` op checks
when run and raises InvalidArgumentError with TF's message (``assertion failed: [msg]
[Condition x == y did not hold element-wise:] [x (x:0) = ] [1 2] ...``). TF 2.21 wraps the
Assert in a cond v2 guard (``.../Assert/AssertGuard``); varstore's op is the plain TF1
``Assert`` under ``<name>/Assert``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import constant_value, convert_to_tensor
from varstore.framework.graph import get_default_graph, name_scope
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    RegisterGradient,
    Tensor,
    make_op,
    node_error,
    register_kernel,
)
from varstore.framework.tensor_shape import TensorShape, merge_error, shape_str
from varstore.ops import math_ops, math_unary_ops
from varstore.ops.control_flow_ops import no_op
from varstore.ops.math_reduce_ops import reduce_all

__all__ = [
    "Assert",
    "assert_equal",
    "assert_greater",
    "assert_greater_equal",
    "assert_integer",
    "assert_less",
    "assert_less_equal",
    "assert_near",
    "assert_negative",
    "assert_non_negative",
    "assert_non_positive",
    "assert_none_equal",
    "assert_positive",
    "assert_proper_iterable",
    "assert_rank",
    "assert_rank_at_least",
    "assert_rank_in",
    "assert_same_float_dtype",
    "assert_scalar",
    "assert_type",
    "ensure_shape",
    "is_numeric_tensor",
    "summarize_value",
]


def _fmt(value: Any, summarize: int | None) -> str:
    """A tensor's values as TF's Assert prints them: ``[1 2 3...]``."""
    a = np.asarray(value)
    if a.dtype.kind in "SO":
        items = [v.decode() if isinstance(v, bytes) else str(v) for v in a.reshape(-1)]
        if a.ndim == 0:
            return items[0]
    else:
        items = [f"{v:g}" if isinstance(v, float) else str(v) for v in a.reshape(-1).tolist()]
        if a.ndim == 0:
            return items[0]
    n = 3 if summarize is None else summarize
    shown = items if n < 0 or len(items) <= n else [*items[:n], "..."]
    return "[" + " ".join(shown).replace(" ...", "...") + "]"


def _escape(item: Any) -> str:
    # absl::Utf8SafeCEscape, as TF prints a string element: quotes, backslashes and control
    # bytes escaped, UTF-8 kept
    raw = item if isinstance(item, bytes) else str(item).encode()
    out = []
    for b in raw:
        c = chr(b)
        if c in _C_ESCAPES:
            out.append(_C_ESCAPES[c])
        elif b < 0x20 or b == 0x7F:
            out.append(f"\\{b:03o}")
        else:
            out.append(c)
    return bytes("".join(out), "latin-1").decode("utf-8", "replace")


_C_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "'": "\\'",
              "\\": "\\\\"}


def _element(v: Any, dtype: np.dtype[Any]) -> str:
    # strings::StrCat of one element: floats in the shortest of %.6g / %.9g (%.15g / %.17g
    # for doubles) that reads back, as TF's FloatToBuffer / DoubleToBuffer
    if dtype.kind in "SOU":
        return _escape(v)
    if dtype.kind == "f":
        digits = (6, 9) if dtype.itemsize <= 4 else (15, 17)
        text = f"{float(v):.{digits[0]}g}"
        if dtype.type(float(text)) != dtype.type(v) and not np.isnan(v):
            text = f"{float(v):.{digits[1]}g}"
        return {"inf": "inf", "-inf": "-inf", "nan": "nan"}.get(text, text)
    if dtype.kind == "b":
        return "1" if v else "0"
    return str(int(v))


def summarize_value(value: Any, max_entries: int) -> str:
    """TF's Tensor::SummarizeValue (print_v2 false), as tf.Assert and tf.Print show a
    tensor: nested brackets over the first ``max_entries`` elements, then '...'."""
    a = np.asarray(value)
    flat = a.reshape(-1)
    n = flat.size
    limit = n if max_entries < 0 else min(max_entries, n)
    if a.ndim == 0:
        return _element(flat[0], a.dtype) if n else ""
    parts: list[str] = []
    index = 0

    def one_dim(dim: int) -> None:
        nonlocal index
        if index >= limit:
            return
        count = a.shape[dim]
        if dim == a.ndim - 1:
            for i in range(count):
                if index >= limit:
                    if dim != 0:
                        parts.append("...")
                    return
                if i > 0:
                    parts.append(" ")
                parts.append(_element(flat[index], a.dtype))
                index += 1
            return
        for _ in range(count):
            opened = index < limit
            if opened:
                parts.append("[")
            one_dim(dim + 1)
            if index < limit or opened:
                parts.append("]")

    one_dim(0)
    if n > limit:
        parts.append("...")
    return "".join(parts)


def Assert(condition: Any, data: Sequence[Any], summarize: int | None = None,
           name: str | None = None) -> Operation:
    """An op that raises InvalidArgumentError when run with ``condition`` false, the message
    made of ``data`` (strings and tensors)."""
    with name_scope(name, "Assert", [condition, *list(data)]) as scope:
        cond = convert_to_tensor(condition, name="Condition")
        if cond.dtype != _dtypes.bool:
            raise TypeError(f"Condition must be a boolean tensor, got {cond.dtype.name}")
        ts = [convert_to_tensor(d) for d in data]
        del scope
        graph = get_default_graph()
        return make_op(graph, graph._op_name("Assert", "Assert"), "Assert", [cond, *ts],
                       {"summarize": 3 if summarize is None else summarize,
                        "T": [t.dtype for t in ts]}, [])


@register_kernel("Assert", stateful=True)
def _assert_kernel(op: Operation) -> Callable[..., Any]:
    summarize = op._attrs["summarize"]

    def kernel(cond: Any, *data: Any) -> None:
        if not bool(np.all(cond)):
            # strings and scalars in brackets; arrays print their own: [1 2]
            body = " ".join(f"[{summarize_value(d, summarize)}]" for d in data)
            raise InvalidArgumentError(None, op, f"assertion failed: {body}")

    return kernel


NotDifferentiable("Assert")


def _static(t: Tensor) -> np.ndarray | None:
    return constant_value(t)


def _static_text(d: Any) -> str:
    if isinstance(d, Tensor):
        v = _static(d)
        return str(d) if v is None else str(v)
    return str(d)


def _binary(default: str, fn: Callable[[Any, Any], Any], np_fn: Callable[[Any, Any], Any],
            symbol: str) -> Callable[..., Any]:
    def check(x: Any, y: Any, data: Any = None, summarize: int | None = None,
              message: str | None = None, name: str | None = None) -> Any:
        with name_scope(name, default, [x, y, data]):
            xt = convert_to_tensor(x, name="x")
            yt = convert_to_tensor(y, name="y", dtype=xt.dtype)
            cond_text = f"Condition x {symbol} y did not hold element-wise:"
            xv, yv = _static(xt), _static(yt)
            if xv is not None and yv is not None:
                if not bool(np.all(np_fn(xv, yv))):
                    if data is None:
                        parts = [message] if message else []
                        parts += [cond_text, f"x ({xt.name}) = ", str(xv), f"y ({yt.name}) = ",
                                  str(yv)]
                    else:
                        # TF's _assert_static: the given data, tensors shown by their value
                        items = [message, *data] if message else list(data)
                        parts = [_static_text(d) for d in items]
                    raise InvalidArgumentError(None, None, "\n".join(parts))
                return no_op(name="statically_determined_true")
            if data is None:
                data = [message] if message else []
                data = [*data, cond_text, f"x ({xt.name}) = ", xt, f"y ({yt.name}) = ", yt]
            elif message:
                data = [message, *data]
            condition = reduce_all(fn(xt, yt))
            return Assert(condition, data, summarize=summarize)
    check.__name__ = check.__qualname__ = default
    check.__doc__ = f"``tf.{default}``: x {symbol} y element-wise, or InvalidArgumentError."
    return check


assert_equal = _binary("assert_equal", math_ops.equal, np.equal, "==")
assert_none_equal = _binary("assert_none_equal", math_ops.not_equal, np.not_equal, "!=")
assert_less = _binary("assert_less", math_ops.less, np.less, "<")
assert_less_equal = _binary("assert_less_equal", math_ops.less_equal, np.less_equal, "<=")
assert_greater = _binary("assert_greater", math_ops.greater, np.greater, ">")
assert_greater_equal = _binary("assert_greater_equal", math_ops.greater_equal,
                               np.greater_equal, ">=")


def _sign(default: str, inner: Callable[..., Any], zero_first: bool, text: str
          ) -> Callable[..., Any]:
    def check(x: Any, data: Any = None, summarize: int | None = None,
              message: str | None = None, name: str | None = None) -> Any:
        # TF's _message_prefix: a message gets ".  " appended; none leads as '' (printed []).
        prefix = f"{message}.  " if message else ""
        with name_scope(name, default, [x, data]):
            xt = convert_to_tensor(x, name="x")
            if data is None:
                cond_text = f"Condition x {text} did not hold element-wise:"
                x_text = f"x ({xt.name}) = "
                # TF's assert_non_positive lacks a comma there: the two strings are one item
                data = ([prefix, cond_text + x_text, xt] if text == "<= 0" else
                        [prefix, cond_text, x_text, xt])
            # TF converts the zero in this scope (``<default>/Const``), not the inner one's
            zero = convert_to_tensor(np.zeros((), xt.dtype.as_numpy_dtype))
            a, b = (zero, xt) if zero_first else (xt, zero)
            return inner(a, b, data=data, summarize=summarize)
    check.__name__ = check.__qualname__ = default
    return check


assert_positive = _sign("assert_positive", assert_less, True, "> 0")
assert_non_negative = _sign("assert_non_negative", assert_less_equal, True, ">= 0")
assert_negative = _sign("assert_negative", assert_less, False, "< 0")
assert_non_positive = _sign("assert_non_positive", assert_less_equal, False, "<= 0")


def assert_rank(x: Any, rank: int, data: Any = None, summarize: int | None = None,
                message: str | None = None, name: str | None = None) -> Any:
    """Static rank check (ValueError, as TF); an unknown rank is checked when run."""
    with name_scope(name, "assert_rank", [x, rank]):
        xt = convert_to_tensor(x)
        nd = xt.get_shape().ndims
        if nd is not None:
            if nd != int(rank):
                prefix = f"{message}.  " if message else ""
                raise ValueError(f"{prefix}Tensor {xt.name} must have rank {int(rank)}.  "
                                 f"Received rank {nd}, shape {xt.get_shape()}")
            return no_op(name="static_checks_determined_all_ok")
        from varstore.ops.array_ops import rank as _rank
        cond = math_ops.equal(_rank(xt), int(rank))
        msg = data if data is not None else [message or "", f"Tensor {xt.name} must have rank",
                                             int(rank), "Received shape: ", xt]
        return Assert(cond, msg, summarize=summarize)


def assert_rank_at_least(x: Any, rank: int, data: Any = None, summarize: int | None = None,
                         message: str | None = None, name: str | None = None) -> Any:
    with name_scope(name, "assert_rank_at_least", [x, rank]):
        xt = convert_to_tensor(x)
        nd = xt.get_shape().ndims
        if nd is not None:
            if nd < int(rank):
                prefix = f"{message}.  " if message else ""
                raise ValueError(f"{prefix}Tensor {xt.name} must have rank at least "
                                 f"{int(rank)}.  Received rank {nd}, shape {xt.get_shape()}")
            return no_op(name="static_checks_determined_all_ok")
        from varstore.ops.array_ops import rank as _rank
        cond = math_ops.greater_equal(_rank(xt), int(rank))
        return Assert(cond, data if data is not None else [message or "", xt.name],
                      summarize=summarize)


def assert_type(tensor: Any, tf_type: Any, message: str | None = None,
                name: str | None = None) -> Any:
    """TypeError when ``tensor`` is not of ``tf_type`` (decided at build time, as TF)."""
    tf_type = _dtypes.as_dtype(tf_type)
    with name_scope(name, "assert_type", [tensor]):
        t = convert_to_tensor(tensor)
        if t.dtype.base_dtype != tf_type.base_dtype:
            prefix = f"{message}" if message else ""
            raise TypeError(f"{prefix}{t.name} must be of type {tf_type!r}; got {t.dtype!r}")
        return no_op(name="statically_determined_correct_type")


def _prefix(message: str | None) -> str:
    return f"{message}.  " if message else ""


def assert_scalar(tensor: Any, name: str | None = None, message: str | None = None) -> Tensor:
    """The tensor itself when its static shape is a scalar, else ValueError (TF decides this
    when building and converts the tensor under the scope's name)."""
    with name_scope(name, "assert_scalar", [tensor]) as scope:
        t = convert_to_tensor(tensor, name=scope)
        shape = t.get_shape()
        if shape.ndims != 0:
            raise ValueError(f"{_prefix(message)}Expected scalar shape for {t.name}, saw shape: "
                             f"{shape}.")
        return t


def assert_integer(x: Any, message: str | None = None, name: str | None = None) -> Operation:
    """TypeError unless ``x`` has an integer dtype; a no-op otherwise (static, as TF)."""
    with name_scope(name, "assert_integer", [x]):
        t = convert_to_tensor(x, name="x")
        if not t.dtype.is_integer:
            raise TypeError(f'{_prefix(message)}Expected "x" to be integer type.  Found: '
                            f"{t.name} of dtype {t.dtype}")
        return no_op(name="statically_determined_was_integer")


def assert_near(x: Any, y: Any, rtol: Any = None, atol: Any = None, data: Any = None,
                summarize: int | None = None, message: str | None = None,
                name: str | None = None) -> Operation:
    """|x - y| < atol + rtol * |y| element-wise, checked when run (TF builds no static
    shortcut here); the tolerances default to 10 eps of x's dtype."""
    with name_scope(name, "assert_near", [x, y, rtol, atol, data]):
        xt = convert_to_tensor(x, name="x")
        yt = convert_to_tensor(y, name="y", dtype=xt.dtype)
        eps = np.finfo(xt.dtype.as_numpy_dtype).eps
        rt = convert_to_tensor(10 * eps if rtol is None else rtol, name="rtol", dtype=xt.dtype)
        at = convert_to_tensor(10 * eps if atol is None else atol, name="atol", dtype=xt.dtype)
        if data is None:
            # TF formats the tolerance tensors themselves into the text
            data = [_prefix(message), f"x and y not equal to tolerance rtol = {rt}, atol = {at}",
                    f"x ({xt.name}) = ", xt, f"y ({yt.name}) = ", yt]
        tol = at + rt * math_unary_ops.abs(yt)
        diff = math_unary_ops.abs(xt - yt)
        return Assert(reduce_all(math_ops.less(diff, tol)), data, summarize=summarize)


def assert_rank_in(x: Any, ranks: Sequence[Any], data: Any = None, summarize: int | None = None,
                   message: str | None = None, name: str | None = None) -> Operation:
    """x's rank is one of ``ranks``: ValueError when known statically, else an Assert."""
    with name_scope(name, "assert_rank_in", (x, *tuple(ranks), *tuple(data or []))):
        xt = convert_to_tensor(x, name="x")
        rts = [convert_to_tensor(r, name="rank") for r in ranks]
        for r in rts:
            assert_type(r, _dtypes.int32)
        prefix = _prefix(message)
        if data is None:
            from varstore.ops.array_ops import shape as _shape
            data = [prefix, f"Tensor {xt.name} must have rank in", *rts, "Received shape: ",
                    _shape(xt)]
        statics = [_static(r) for r in rts]
        if all(v is not None for v in statics):
            if any(np.ndim(v) != 0 for v in statics if v is not None):
                raise ValueError("Rank must be a scalar.")
            nd = xt.get_shape().ndims
            if nd is not None:
                wanted = tuple(int(v) for v in statics)  # type: ignore[arg-type]
                if nd not in wanted:
                    raise ValueError(f"{prefix}Tensor {xt.name} must have rank in {wanted}.  "
                                     f"Received rank {nd}, shape {xt.get_shape()}")
                return no_op(name="static_checks_determined_all_ok")
        from varstore.ops.array_ops import rank as _rank
        actual = _rank(xt)
        if not rts:
            cond = convert_to_tensor(False)
        else:
            cond = math_ops.equal(rts[0], actual)
            for r in rts[1:]:
                cond = math_ops.logical_or(cond, math_ops.equal(r, actual))
        return Assert(cond, data, summarize=summarize)


def assert_same_float_dtype(tensors: Any = None, dtype: Any = None) -> _dtypes.DType:
    """The one floating dtype of ``tensors`` (and ``dtype``), float32 when there is none;
    ValueError on a mismatch or a non-floating dtype."""
    if tensors:
        expected = _dtypes.as_dtype(dtype) if dtype else None
        first: str | None = None
        for item in tensors:
            if item is None:
                continue
            t = item.dtype.base_dtype
            if expected is None:
                expected, first = t, getattr(item, "name", str(item))
            elif expected != t:
                # TF names the first tensor only when the expected type came from it
                as_first = f" as {first}" if first and not dtype else ""
                raise ValueError(f"{getattr(item, 'name', str(item))}, type={t}, must be of "
                                 f"the same type ({expected}){as_first}.")
        dtype = expected
    if not dtype:
        return _dtypes.float32
    result: _dtypes.DType = _dtypes.as_dtype(dtype)
    if not result.is_floating:
        raise ValueError(f"Expected floating point type, got {result}.")
    return result


def assert_proper_iterable(values: Any) -> None:
    """TypeError for a Tensor, an ndarray or a string passed where a list is meant."""
    if isinstance(values, (Tensor, np.ndarray, bytes, str)):
        raise TypeError(f'Expected argument "values" to be a "proper" iterable.  Found: '
                        f"{type(values)}")
    if not hasattr(values, "__iter__"):
        raise TypeError(f'Expected argument "values" to be iterable.  Found: {type(values)}')


_NUMERIC = ("float16", "float32", "float64", "bfloat16", "int8", "int16", "int32", "int64",
            "uint8", "uint16", "uint32", "uint64", "complex64", "complex128", "qint8",
            "qint16", "qint32", "quint8", "quint16")


def is_numeric_tensor(tensor: Any) -> bool:
    return isinstance(tensor, Tensor) and tensor.dtype.name in _NUMERIC


def ensure_shape(x: Any, shape: Any, name: str | None = None) -> Tensor:
    """``tf.ensure_shape``: x, with its static shape merged with ``shape``; op EnsureShape
    checks the run-time shape (InvalidArgumentError on a mismatch)."""
    want = shape if isinstance(shape, TensorShape) else TensorShape(shape)
    graph = get_default_graph()
    full = graph._op_name(name, "EnsureShape")
    xt = convert_to_tensor(x, name="input")
    dims = None if want.ndims is None else tuple(want.as_list())
    have = xt._shape
    attrs = {"T": xt.dtype, "shape": want}
    merged = have
    if dims is not None:
        if have is not None and (len(have) != len(dims) or any(
                a is not None and b is not None and a != b for a, b in zip(dims, have))):
            from varstore.framework.ops import dt_enum
            raise node_error(merge_error(dims, have), full, "EnsureShape",
                             f"T={dt_enum(xt.dtype)}, shape={shape_str(dims)}", [xt])
        merged = dims if have is None else tuple(a if a is not None else b
                                                 for a, b in zip(dims, have))
    return make_op(graph, full, "EnsureShape", [xt], attrs, [(xt.dtype, merged)])._outputs[0]


@register_kernel("EnsureShape")
def _ensure_shape_kernel(op: Operation) -> Callable[..., Any]:
    want = op._attrs["shape"]
    dims = None if want.ndims is None else want.as_list()
    source = op._inputs[0]._op._name

    def kernel(x: Any) -> Any:
        got = np.shape(x)
        if dims is not None and (len(got) != len(dims) or any(
                d is not None and d != g for d, g in zip(dims, got))):
            raise InvalidArgumentError(
                None, op, f"Shape of tensor {source} {shape_str(got)} is not compatible with "
                          f"expected shape {shape_str(tuple(dims))}.")
        return x

    return kernel


@RegisterGradient("EnsureShape")
def _ensure_shape_grad(op: Operation, grad: Tensor) -> Tensor:
    del op  # the gradient passes through, as TF's
    return grad
