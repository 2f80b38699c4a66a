"""``tf.Print``, ``tf.print`` and ``tf.check_numerics`` (TF's ops/logging_ops.py and
numerics.py)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.executor import RunContext
from varstore.framework.graph import get_default_graph, name_scope
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    RegisterGradient,
    Tensor,
    make_op,
    register_kernel,
)
from varstore.ops.check_ops import _fmt, summarize_value

__all__ = ["Print", "add_check_numerics_ops", "check_numerics", "print_v2", "timestamp",
           "verify_tensor_all_finite"]


def Print(input_: Any, data: Any, message: str | None = None, first_n: int | None = None,
          summarize: int | None = None, name: str | None = None) -> Tensor:
    """An identity of ``input_`` that writes ``message`` and ``data``'s values to stderr
    each time it runs (the first ``first_n`` times when given)."""
    graph = get_default_graph()
    x = convert_to_tensor(input_)
    ts = [convert_to_tensor(d) for d in data]
    full = graph._op_name(name, "Print")
    op = make_op(graph, full, "Print", [x, *ts],
                 {"T": x.dtype, "U": [t.dtype for t in ts], "message": message or "",
                  "first_n": -1 if first_n is None else int(first_n),
                  "summarize": 3 if summarize is None else int(summarize)},
                 [(x.dtype, x._shape)])
    return op._outputs[0]


class _Count:
    __slots__ = ("n",)

    def __init__(self) -> None:
        self.n = 0


@register_kernel("Print", stateful=True)
def _print_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    count: _Count = ctx.op_state(op, _Count)
    first_n, summarize, message = (op._attrs["first_n"], op._attrs["summarize"],
                                   op._attrs["message"])

    def kernel(x: Any, *data: Any) -> Any:
        if first_n < 0 or count.n < first_n:
            count.n += 1
            sys.stderr.write(message + "".join(f"[{summarize_value(d, summarize)}]"
                                               for d in data) + "\n")
        return x

    return kernel


@RegisterGradient("Print")
def _print_grad(op: Operation, *grads: Any) -> list[Any]:
    return [grads[0]] + [None] * (len(op._inputs) - 1)


def print_v2(*inputs: Any, output_stream: Any = sys.stderr, summarize: int = 3,
             sep: str = " ", end: str = "\n", name: str | None = None) -> Operation:
    """``tf.print``: an op (no output) that prints its inputs when run; tensors print their
    values, other objects their str. Use it in ``control_dependencies`` or fetch it."""
    graph = get_default_graph()
    tensors: list[Tensor] = []
    template: list[Any] = []
    for item in inputs:
        if isinstance(item, Tensor) or hasattr(item, "_as_graph_element") or isinstance(
                item, np.ndarray):
            tensors.append(convert_to_tensor(item))
            template.append(None)
        else:
            template.append(str(item))
    stream = output_stream
    if isinstance(stream, str) and not stream.startswith("file://"):
        raise ValueError(f"Unsupported output stream, logging level, or file.{stream}. "
                         "Supported streams are sys.stdout, sys.stderr, tf.logging.info, "
                         "tf.logging.warning, tf.logging.error. File needs to be in the form "
                         "file://path/to/file.")
    full = graph._op_name(name, "PrintV2")
    return make_op(graph, full, "PrintV2", tensors,
                   {"summarize": summarize, "end": end, "output_stream":
                    stream if isinstance(stream, str) else getattr(stream, "name", "stderr")},
                   [], data=(template, stream, sep))


@register_kernel("PrintV2", stateful=True)
def _print_v2_kernel(op: Operation) -> Callable[..., Any]:
    template, stream, sep = op._data
    summarize, end = op._attrs["summarize"], op._attrs["end"]

    def kernel(*values: Any) -> None:
        it = iter(values)
        parts = [next(it) if t is None else t for t in template]
        text = sep.join(p if isinstance(p, str) else _fmt(p, summarize) for p in parts) + end
        if isinstance(stream, str):
            with open(stream[len("file://"):], "a", encoding="utf-8") as f:
                f.write(text)
        elif callable(stream) and not hasattr(stream, "write"):
            stream(text.rstrip("\n"))
        else:
            stream.write(text)

    return kernel


NotDifferentiable("PrintV2")


def check_numerics(tensor: Any, message: str, name: str | None = None) -> Tensor:
    """An identity that raises InvalidArgumentError when run on NaN or Inf values."""
    graph = get_default_graph()
    x = convert_to_tensor(tensor)
    if not x.dtype.is_floating:
        raise TypeError(f"Value passed to parameter 'tensor' has DataType {x.dtype.name} not "
                        "in list of allowed values: bfloat16, float16, float32, float64")
    full = graph._op_name(name, "CheckNumerics")
    op = make_op(graph, full, "CheckNumerics", [x], {"T": x.dtype, "message": message},
                 [(x.dtype, x._shape)])
    return op._outputs[0]


@register_kernel("CheckNumerics")
def _check_numerics_kernel(op: Operation) -> Callable[..., Any]:
    message = op._attrs["message"]

    def kernel(x: Any) -> Any:
        a = np.asarray(x)
        nan, inf = bool(np.isnan(a).any()), bool(np.isinf(a).any())
        if nan or inf:
            what = "Inf and NaN" if nan and inf else "NaN" if nan else "Inf"
            raise InvalidArgumentError(None, op, f"{message} : Tensor had {what} values")
        return x

    return kernel


@RegisterGradient("CheckNumerics")
def _check_numerics_grad(op: Operation, grad: Any) -> Any:
    # TF checks the gradient too.
    return check_numerics(grad, "Not a number (NaN) or infinity (Inf) values detected in "
                          f"gradient. {op._attrs['message']}")


def verify_tensor_all_finite(t: Any = None, msg: str | None = None, name: str | None = None,
                             x: Any = None, message: str | None = None) -> Tensor:
    """``tf.verify_tensor_all_finite``: check_numerics under the ``VerifyFinite`` scope."""
    t = x if t is None else t
    msg = message if msg is None else msg
    with name_scope(name, "VerifyFinite", [t]):
        tt = convert_to_tensor(t, name="t")
        return check_numerics(tt, message=msg or "")


_CHECKED = (_dtypes.float16, _dtypes.float32, _dtypes.float64)


def add_check_numerics_ops() -> Operation:
    """``tf.add_check_numerics_ops``: a CheckNumerics of every half/float/double output in the
    default graph (message ``"<op>:<i>"``), each after the one before, grouped. Ops in a
    cond branch are left out: TF 2 builds a cond as a function, so TF's walk never sees the
    ops inside, only the cond's outputs."""
    from varstore.ops.control_flow_ops import group

    graph = get_default_graph()
    checks: list[Any] = []
    for op in graph.get_operations():
        if op._ctx is not None:
            continue
        for out in op._outputs:
            if out._dtype in _CHECKED:
                with graph.control_dependencies(checks):
                    checks = [check_numerics(out, message=f"{op._name}:{out._index}")]
    return group(*checks)


def timestamp(name: str | None = None) -> Tensor:
    """``tf.timestamp``: the seconds since the epoch (float64) when the op runs."""
    graph = get_default_graph()
    op = make_op(graph, graph._op_name(name, "Timestamp"), "Timestamp", [], {},
                 [(_dtypes.float64, ())])
    return op._outputs[0]


@register_kernel("Timestamp", stateful=True)
def _timestamp_kernel(op: Operation) -> Callable[[], np.ndarray]:
    return lambda: np.array(time.time(), np.float64)


NotDifferentiable("Timestamp")
