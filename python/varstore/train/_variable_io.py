"""The only place the checkpoint code touches variables and sessions.

Everything else in ``varstore.train`` reads and writes variables through these helpers, so
a change in how the runtime stores variables is adapted here and nowhere else.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Union

import numpy as np

from varstore.errors import FailedPreconditionError
from varstore.framework.graph import GraphKeys, get_default_graph
from varstore.framework.ops import Tensor
from varstore.framework.session import BaseSession
from varstore.ops import state_ops
from varstore.variables import Variable

__all__ = [
    "VarList",
    "is_variable",
    "mark_initialized",
    "resolve_saveables",
    "resolve_var_list",
    "session_values",
    "slices_of",
    "step_value",
    "var_dtype",
    "var_name",
    "var_shape",
    "var_target",
    "var_value",
    "var_written",
]

VarList = Union[None, Iterable[Variable], Mapping[str, Variable]]
Sliced = dict[str, list[Variable]]  # checkpoint name -> the parts saved as its slices


_SPACE = threading.local()  # .ctx: the RunContext whose values a Saver call uses


@contextlib.contextmanager
def session_values(sess: Any) -> Iterator[None]:
    """Inside the block the helpers read and write ``sess``'s values of the variables: TF
    gives every session its own, and a session opened beside a graph's first keeps them in
    its RunContext (state_ops)."""
    prev = getattr(_SPACE, "ctx", None)
    own = isinstance(sess, BaseSession) and not sess._ctx._shares_graph
    _SPACE.ctx = sess._ctx if own else None
    try:
        yield
    finally:
        _SPACE.ctx = prev


def _own_space() -> Any:
    return getattr(_SPACE, "ctx", None)


def is_variable(v: Any) -> bool:
    return isinstance(v, Variable)


def var_name(v: Variable) -> str:
    """The checkpoint key TF gives a variable: ``var.op.name`` (its name without ``:0``)."""
    return str(v._shared_name)


def var_dtype(v: Variable) -> Any:
    """The variable's varstore DType (``.name``, ``._np``): its base type, a ref
    variable's float32_ref being stored as float32."""
    return v.dtype.base_dtype


def var_shape(v: Variable) -> tuple[int, ...]:
    return tuple(int(d) for d in v.shape.as_list() if d is not None)


def var_value(v: Variable) -> np.ndarray:
    """A zero-copy, read-only view of the variable's current value (copy before keeping)."""
    ctx = _own_space()
    if ctx is not None:
        value = state_ops.current(ctx, v._id) if v._id in ctx.initialized else None
        if value is None:
            raise FailedPreconditionError(None, None,
                                          state_ops._uninit_message(v._graph, v._id))
        return value
    view: np.ndarray = v._view()
    return view


_TARGETS: dict[tuple[int, int], np.ndarray] = {}  # (graph id, variable id) -> array


def var_target(v: Variable) -> np.ndarray:
    """A writable array for the variable's next value (its own buffer when nobody holds the
    current value); call :func:`var_written` once it is filled."""
    ctx = _own_space()
    buf = state_ops.write_target(v._graph if ctx is None else ctx, v._id, var_shape(v),
                                 v.dtype._np)
    _TARGETS[(id(v._graph), v._id)] = buf
    return buf


def var_written(v: Variable) -> None:
    """Makes the array :func:`var_target` gave the variable's value."""
    buf = _TARGETS.pop((id(v._graph), v._id), None)
    if buf is not None:
        ctx = _own_space()
        state_ops.install(v._graph if ctx is None else ctx, v._id, buf)


def mark_initialized(sess: Any, variables: Iterable[Variable]) -> None:
    """After a restore, ``sess`` treats the restored variables as initialized (TF1's
    restore runs their assign ops, which initializes them)."""
    if isinstance(sess, BaseSession):
        sess._ctx.initialized.update(v._id for v in variables)


def step_value(global_step: Any) -> int:
    """``global_step`` as an int: an int, or a variable or tensor (its current value)."""
    if isinstance(global_step, Variable):
        return int(np.asarray(var_value(global_step)))
    if isinstance(global_step, Tensor):
        return int(np.asarray(global_step))
    return int(global_step)


def _global_variables() -> list[Variable]:
    return list(get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES))


def resolve_var_list(var_list: VarList) -> dict[str, Variable]:
    """The checkpoint name of each variable, by TF1 Saver's ``var_list`` rules: None (every
    global variable now), a list (keyed by op name) or a dict from name to variable."""
    if var_list is None:
        var_list = _global_variables()
    out: dict[str, Variable] = {}
    if isinstance(var_list, Mapping):
        for name, v in var_list.items():
            if not isinstance(name, str) or not name:
                raise TypeError(f"checkpoint names must be non-empty strings, got {name!r}")
            if not isinstance(v, Variable):
                raise TypeError("names_to_saveables must be a dict mapping string names to "
                                f"Tensors/Variables. Not a variable: {v}")
            out[name] = v
        # TF walks the names in sorted order and refuses a variable met twice
        seen: set[tuple[int, int]] = set()
        for name in sorted(out):
            key = (id(out[name].graph), out[name]._id)
            if key in seen:
                raise ValueError(f"The same saveable will be restored with two names: {name}")
            seen.add(key)
        return out
    if isinstance(var_list, (str, bytes)) or not isinstance(var_list, Iterable):
        raise TypeError(f"Variables to save should be passed in a dict or a list. Got {var_list}")
    for v in var_list:
        if not isinstance(v, Variable):
            raise TypeError(f"Variable to save is not a Variable: {v}")
        name = var_name(v)
        if name in out:
            raise ValueError(f"At least two variables have the same name: {name}")
        out[name] = v
    return out


def slices_of(parts: Iterable[Any]) -> list[Variable]:
    """``parts`` checked to be the slices of one partitioned variable (TF's checks)."""
    return _slices("", parts)


def _slices(name: str, parts: Iterable[Any]) -> list[Variable]:
    """The parts of one sliced checkpoint entry, checked as TF's saveable_objects_for_op
    checks a list or PartitionedVariable."""
    out: list[Variable] = []
    full_name = None
    for v in parts:
        if not isinstance(v, Variable):
            raise ValueError(f"Slices must all be Variables: {v}")  # noqa: TRY004 - TF's type
        info = v._get_save_slice_info()
        if not info:
            raise ValueError(f"Slices must all be slices: {v}")
        if full_name is None:
            full_name = info.full_name
        elif full_name != info.full_name:
            raise ValueError(f"Slices must all be from the same tensor: {full_name} != "
                             f"{info.full_name}")
        out.append(v)
    return out


def resolve_saveables(var_list: Any) -> tuple[dict[str, Variable], Sliced]:
    """TF1 Saver's ``var_list`` rules with partitioned variables (TF's op_list_to_dict):
    the whole variables by checkpoint name, and the sliced entries (a PartitionedVariable,
    or parts of one found in a list or in the global variables, are saved as slices of one
    entry named by the full variable, or by the dict key)."""
    from varstore.partitioned_variables import PartitionedVariable

    if var_list is None:
        var_list = _global_variables()
    whole: dict[str, Variable] = {}
    sliced: Sliced = {}
    if isinstance(var_list, Mapping):
        plain: dict[str, Any] = {}
        for name, v in var_list.items():
            if isinstance(v, (PartitionedVariable, list, tuple)):
                if not isinstance(name, str):
                    raise TypeError("names_to_saveables must be a dict mapping string names "
                                    f"to trackable operations. Name is not a string: {name}")
                sliced[name] = _slices(name, v)
            else:
                plain[name] = v
        return resolve_var_list(plain), sliced
    # (a PartitionedVariable iterates over its parts, but TF wants it inside a list)
    if isinstance(var_list, (str, bytes, PartitionedVariable)) or not isinstance(
            var_list, Iterable):
        shown = var_list.decode() if isinstance(var_list, bytes) else var_list
        raise TypeError(f"Variables to save should be passed in a dict or a list. Got {shown}")
    rest: list[Any] = []
    for v in var_list:
        if isinstance(v, PartitionedVariable):
            if v.name in sliced:
                raise ValueError(f"At least two variables have the same name: {v.name}")
            sliced[v.name] = _slices(v.name, v)
        elif isinstance(v, Variable) and v._get_save_slice_info():
            sliced.setdefault(v._get_save_slice_info().full_name, []).append(v)
        else:
            rest.append(v)
    whole = resolve_var_list(rest)
    for name in sliced:
        if name in whole:
            raise ValueError(f"Mixing slices and non-slices with the same name: {name}")
    return whole, sliced
