"""``tf.custom_gradient`` as TF's custom_gradient.py builds it in graph mode: ``f(*args)``
returns ``(y, grad_fn)``; the results, the arguments and the variables ``f`` uses all pass
through one ``IdentityN`` op whose gradient is overridden (gradient_override_map) by a
function registered under a fresh name, ``CustomGradient-<uid>``, which calls ``grad_fn``.
"""

from __future__ import annotations

import functools
import inspect
import itertools
from collections.abc import Callable
from typing import Any

from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import get_default_graph
from varstore.framework.ops import Operation, RegisterGradient, Tensor
from varstore.ops.array_ops import identity_n
from varstore.util.nest import flatten, pack_sequence_as

__all__ = ["custom_gradient", "grad_pass_through"]

_uid = itertools.count(1)  # TF's ops.uid(): unique in the process, so names never clash
_VAR_OP_TYPES = ("VariableV2", "VarHandleOp")


def _variable_by_name(graph: Any, op_name: str) -> Any:
    """TF's get_variable_by_name: the trainable global variable of that op, None if it is
    not trainable."""
    found = [v for v in graph.get_collection("variables")
             if getattr(getattr(v, "op", None), "name", None) == op_name]
    if not found:
        raise ValueError(f"Unsuccessful at finding variable {op_name}.")
    trainable = [v for v in found if getattr(v, "trainable", False)]
    if len(trainable) > 1:
        raise ValueError(f"Unsuccessful at finding trainable variable {op_name}. Number of "
                         f"candidates: {len(trainable)}. Candidates: {trainable}")
    return trainable[0] if trainable else None


def _dependent_variable_ops(inputs: list[Tensor], outputs: list[Tensor]) -> list[Operation]:
    """The variable ops the results depend on, walking back from them and stopping at the
    arguments (TF's _get_dependent_variables)."""
    stop = {id(t) for t in inputs}
    seen: set[int] = set()
    found: list[Operation] = []
    stack = [t._op for t in outputs if isinstance(t, Tensor) and id(t) not in stop]
    while stack:
        op = stack.pop()
        if id(op) in seen:
            continue
        seen.add(id(op))
        if op._type in _VAR_OP_TYPES:
            found.append(op)
        stack.extend(t._op for t in op._inputs if id(t) not in stop)
    return found


def _read_variable_ops(ops: list[Operation]) -> list[Operation]:
    """The variables read by ops made while ``f`` ran (what TF's VariableWatcher sees)."""
    found = []
    for op in ops:
        if op._type == "ReadVariableOp" and op._inputs:
            src = op._inputs[0]._op
            while src._type == "Identity" and src._inputs:
                src = src._inputs[0]._op
            if src._type in _VAR_OP_TYPES:
                found.append(src)
    return found


def _graph_mode_decorator(f: Callable[..., Any], args: tuple[Any, ...],
                          kwargs: dict[str, Any]) -> Any:
    if kwargs:
        raise ValueError("The custom_gradient decorator currently supports keywords "
                         "arguments only when eager execution is enabled.")
    name = f"CustomGradient-{next(_uid)}"
    args = tuple(pack_sequence_as(a, [convert_to_tensor(x) for x in flatten(a)])
                 for a in args)
    graph = get_default_graph()
    first_new = len(graph._ops)
    result, grad_fn = f(*args)
    flat_args = flatten(list(args))
    flat_result = flatten(result)
    n_result = len(flat_result)
    var_ops = _dependent_variable_ops(flat_args, flat_result) + \
        _read_variable_ops(graph._ops[first_new:])
    by_name: dict[str, Any] = {}
    for op in var_ops:
        if op._name not in by_name:
            v = _variable_by_name(graph, op._name)
            if v is not None:
                by_name[op._name] = v
    variables = sorted(by_name.values(), key=lambda v: v.name)
    spec = inspect.getfullargspec(grad_fn)
    takes_variables = ("variables" in spec.args or "variables" in spec.kwonlyargs
                       or spec.varkw is not None)
    if variables and not takes_variables:
        raise TypeError("@tf.custom_gradient grad_fn must accept keyword argument "
                        f"'variables', since function uses variables: {variables}")

    def tape_grad_fn(*result_grads: Any) -> list[Any]:
        grads = list(result_grads[:n_result])
        if variables:
            input_grads, variable_grads = grad_fn(*grads, variables=variables)
            if len(variable_grads) != len(variables):
                raise ValueError("Must return gradient for each variable from "
                                 "@custom_gradient grad_fn.")
        else:
            input_grads = grad_fn(*grads)
            variable_grads = []
        # one gradient per IdentityN input: none for the results themselves
        return [None] * n_result + flatten(input_grads) + list(variable_grads)

    @RegisterGradient(name)
    def _internal_grad_fn(unused_op: Operation, *result_grads: Any) -> list[Any]:
        return tape_grad_fn(*result_grads)

    with graph.gradient_override_map({"IdentityN": name}):
        all_tensors = identity_n(flat_result + flat_args + variables)
    return pack_sequence_as(result, all_tensors[:n_result]) if isinstance(
        result, (list, tuple)) else all_tensors[0]


class _Bind:
    """Calls ``_graph_mode_decorator(f, args, kwargs)``; bound to an instance when ``f`` is a
    method, so ``self`` is not taken for an argument (TF's Bind)."""

    def __init__(self, f: Callable[..., Any]) -> None:
        self._f = f
        functools.update_wrapper(self, f)

    def __get__(self, instance: Any, owner: Any) -> Any:
        if instance is None:
            return self
        return _Bind(self._f.__get__(instance, owner))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _graph_mode_decorator(self._f, args, kwargs)


def custom_gradient(f: Callable[..., Any] | None = None) -> Any:
    """``@tf.custom_gradient``: ``f(*args)`` returns ``(y, grad_fn)``; the decorated
    function returns ``y``, and tf.gradients through it calls ``grad_fn(*dys)`` (with
    ``variables=`` the variables ``f`` used, when it used some, then returning
    ``(input grads, variable grads)``)."""
    if f is None:
        return lambda fn: custom_gradient(f=fn)
    return _Bind(f)


def grad_pass_through(f: Callable[..., Any]) -> Callable[..., Any]:
    """``tf.grad_pass_through``: ``f``'s values with an identity's gradient (each argument
    gets the output gradient unchanged; the variables ``f`` reads get none), TF's
    custom_gradient over ``f``."""

    @custom_gradient
    def _grad_pass_through_op(*args: Any, **kwargs: Any) -> Any:
        def grad(*grads: Any, **gkw: Any) -> Any:
            variables = gkw.get("variables")
            if variables is not None:
                return grads, [None] * len(variables)
            return grads
        return f(*args, **kwargs), grad

    return functools.wraps(f)(_grad_pass_through_op)
