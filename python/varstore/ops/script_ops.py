"""``tf.py_func`` and ``tf.numpy_function`` (TF's ops/script_ops.py): a Python function run
on the inputs' NumPy values when the op runs. Stateful unless told otherwise, no gradient,
an exception in the function becomes TF's error (UnknownError, or the OpError it raised)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore import errors
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import get_default_graph
from varstore.framework.ops import NotDifferentiable, Operation, make_op, register_kernel

__all__ = ["numpy_function", "py_func"]


def py_func(func: Callable[..., Any], inp: Sequence[Any], Tout: Any,
            stateful: bool = True, name: str | None = None) -> Any:
    if not callable(func):
        raise ValueError(  # noqa: TRY004 - TF's type
            f"Expected func to be callable, got func of type {type(func)}.")
    graph = get_default_graph()
    ts = [convert_to_tensor(x) for x in inp]
    single = not isinstance(Tout, (list, tuple))
    touts = [_dtypes.as_dtype(t) for t in ([Tout] if single else Tout)]
    op_type = "PyFunc" if stateful else "PyFuncStateless"
    full = graph._op_name(name, "PyFunc")
    op = make_op(graph, full, op_type, ts, {"Tin": [t.dtype for t in ts], "Tout": touts,
                                            "token": full},
                 [(t, None) for t in touts], data=(func, touts, single))
    if single:
        return op._outputs[0]
    return list(op._outputs)


def numpy_function(func: Callable[..., Any], inp: Sequence[Any], Tout: Any,
                   stateful: bool = True, name: str | None = None) -> Any:
    return py_func(func, inp, Tout, stateful=stateful, name=name)


def _py_func_kernel(op: Operation) -> Callable[..., Any]:
    func, touts, single = op._data

    def kernel(*args: Any) -> Any:
        try:
            ret = func(*args)
        except errors.OpError:
            raise
        except (ValueError, TypeError) as e:
            raise errors.InvalidArgumentError(None, op, f"{type(e).__name__}: {e}") from e
        except StopIteration as e:
            raise errors.OutOfRangeError(None, op, f"StopIteration: {e}") from e
        except (MemoryError, NotImplementedError) as e:
            cls = errors.ResourceExhaustedError if isinstance(e, MemoryError) \
                else errors.UnimplementedError
            raise cls(None, op, f"{type(e).__name__}: {e}") from e
        except Exception as e:
            raise errors.UnknownError(None, op, f"{type(e).__name__}: {e}") from e
        rets = [ret] if single or not isinstance(ret, (list, tuple)) else list(ret)
        if len(rets) != len(touts):
            raise errors.InvalidArgumentError(
                None, op, f"pyfunc returned {len(rets)} values, but expects to see "
                f"{len(touts)} values.")
        # TF's FuncRegistry converts each result with np.asarray(value, dtype=Tout).
        out = [np.asarray(r, dtype=dt._np if dt != _dtypes.string else object)
               for r, dt in zip(rets, touts)]
        return out[0] if len(out) == 1 else tuple(out)

    return kernel


register_kernel("PyFunc", stateful=True)(_py_func_kernel)
register_kernel("PyFuncStateless")(_py_func_kernel)
NotDifferentiable("PyFunc")
NotDifferentiable("PyFuncStateless")
