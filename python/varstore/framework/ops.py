"""Graph nodes: Operation and Tensor, how ops are made, and the op registry.

An op type is defined once, in its family module under ``varstore.ops``: a builder function
(TF's name, arguments, checks, attributes, static shape and dtype), a kernel factory
registered with :func:`register_kernel` and a gradient registered with
:class:`RegisterGradient`, side by side. Nothing else dispatches on op-type strings.

A kernel factory takes the Operation and returns a callable that maps the input arrays to
the output array (one output), a tuple of arrays (several) or None (none). It runs when a
Session builds a plan, so per-op argument decoding happens once, not on every run.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.device import canonical_device
from varstore.framework.op_errors import _DT_NAMES, dt_enum, input_name, node_error
from varstore.framework.op_registry import (  # the registry, re-exported (see __all__)
    NoGradient,
    NotDifferentiable,
    RegisterGradient,
    get_gradient_function,
    is_stateful,
    kernel_factory,
    no_gradient,
    ref_inputs,
    register_kernel,
)
from varstore.framework.tensor_shape import TensorShape, as_shape, merge

if TYPE_CHECKING:
    from varstore.framework.graph import Graph

__all__ = [
    "_DT_NAMES",
    "NoGradient",
    "NotDifferentiable",
    "Operation",
    "RegisterGradient",
    "Tensor",
    "dt_enum",
    "get_gradient_function",
    "input_name",
    "is_stateful",
    "kernel_factory",
    "no_gradient",
    "node_error",
    "ref_inputs",
    "register_kernel",
]

Shape = "tuple[int | None, ...] | None"


class Operation:
    """A node of the graph: its name, type, inputs, control inputs, attributes and outputs."""

    # "__dict__": TF's Operation takes any attribute a program sets on it (8 bytes an op; the
    # dict itself is made on first use).
    __slots__ = ("__dict__", "__weakref__", "_attrs", "_control_inputs", "_ctx", "_data",
                 "_device", "_graph", "_id", "_inputs", "_name", "_outputs", "_type")

    _graph_element_kind = "operation"

    def __init__(self, graph: Graph, name: str, op_type: str, inputs: Sequence[Tensor],
                 attrs: dict[str, Any] | None, control_inputs: Sequence[Operation] = ()
                 ) -> None:
        self._graph = graph
        self._name = name
        self._type = op_type
        self._inputs = list(inputs)
        self._control_inputs = list(control_inputs)
        self._attrs = attrs if attrs is not None else {}
        self._outputs: list[Tensor] = []
        self._data: Any = None  # what the kernel needs beyond attrs (a Const's value ...)
        self._device = ""
        self._ctx: Any = None  # the cond branch it was built in
        self._id = 0

    # -- TF's properties ------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @property
    def type(self) -> str:
        return self._type

    @property
    def graph(self) -> Graph:
        return self._graph

    @property
    def inputs(self) -> tuple[Tensor, ...]:
        return tuple(self._inputs)

    @property
    def control_inputs(self) -> list[Operation]:
        return list(self._control_inputs)

    @property
    def outputs(self) -> list[Tensor]:
        return list(self._outputs)

    def values(self) -> tuple[Tensor, ...]:
        return tuple(self._outputs)

    @property
    def device(self) -> str:
        return self._device

    def _set_device(self, device: Any) -> None:
        self._device = "" if device is None else str(device)

    @property
    def node_def(self) -> Any:
        """TF's NodeDef of this op (a proto, as GraphDef holds it)."""
        from varstore.framework import graph_def

        return graph_def.node_def(self)

    @property
    def op_def(self) -> Any:
        """TF's OpDef of this op's type (a proto; None for a type TF lacks)."""
        from varstore.framework import op_def_registry

        return op_def_registry.get(self._type)

    @property
    def traceback(self) -> list[Any]:
        return []

    def colocation_groups(self) -> list[bytes]:
        """The ``loc:@<op>`` groups of the ``_class`` attr (colocate_with), else this op's
        own, as TF's."""
        groups = self._attrs.get("_class")
        if groups:
            found = [g if isinstance(g, bytes) else str(g).encode("utf-8", "surrogateescape")
                     for g in groups]
            found = [g for g in found if g.startswith(b"loc:@")]
            if found:
                return found
        return [b"loc:@" + self._name.encode()]

    def get_attr(self, name: str) -> Any:
        """The attr as TF returns it: its AttrValue's field (bytes for strings, a
        TensorShapeProto, a TensorProto, a DType, lists as lists); varstore's own
        Python-object attrs (a loop's sub-graphs) as they are."""
        try:
            value = self._attrs[name]
        except KeyError:
            raise ValueError(f"Operation '{self._name}' has no attr named '{name}'.") from None
        from varstore.framework import graph_def

        return graph_def.attr_value(value)

    def _set_attr(self, name: str, value: Any) -> None:
        self._attrs[name] = value

    def _add_control_input(self, op: Operation) -> None:
        if op not in self._control_inputs:
            self._control_inputs.append(op)

    def _add_control_inputs(self, ops: Sequence[Operation]) -> None:
        for op in ops:
            self._add_control_input(op)

    def run(self, feed_dict: Any = None, session: Any = None) -> None:
        """Runs this op in ``session`` (default: the default session)."""
        _run_in_session(self, feed_dict, session)

    def __repr__(self) -> str:
        return f"<tf.Operation '{self._name}' type={self._type}>"

    def __str__(self) -> str:
        return str(self.node_def)


def _run_in_session(fetch: Any, feed_dict: Any, session: Any) -> Any:
    run = _SESSION_HOOKS.get("run")
    assert run is not None, "varstore.framework.session is not loaded"
    return run(fetch, feed_dict, session)


# Set by varstore.framework.session (it imports this module, not the other way round).
_SESSION_HOOKS: dict[str, Callable[..., Any]] = {}


# The binary operators, installed by math_ops (name -> f(x, y, reverse)); the unary ones and
# __getitem__ take the operand alone.
OPERATORS: dict[str, Callable[..., Any]] = {}


class OperatorNotAllowedInGraphError(TypeError):
    """TF's errors_impl.OperatorNotAllowedInGraphError (not exported by tf.compat.v1.errors):
    a Python operation a symbolic tensor cannot take in graph mode."""


def dynamic_layer_error(e: OperatorNotAllowedInGraphError) -> TypeError:
    """tf-keras' base_layer_v1 rewords Python control flow on a symbolic tensor inside a
    layer's call (tf.layers, the rnn cells)."""
    return TypeError("You are attempting to use Python control flow in a layer that was not "
                     "declared to be dynamic. Pass `dynamic=True` to the class constructor.\n"
                     f'Encountered error:\n"""\n{e}\n"""')


def _disallow(task: str) -> NoReturn:
    raise OperatorNotAllowedInGraphError(
        f"{task} is not allowed. You can attempt the following resolutions to the problem: "
        "If you are running in Graph mode, use Eager execution mode or decorate this function "
        "with @tf.function. If you are using AutoGraph, you can try decorating this function "
        "with @tf.function. If that does not work, then you may be using an unsupported "
        "feature or your source code may not be visible to AutoGraph. See "
        "https://github.com/tensorflow/tensorflow/blob/master/tensorflow/python/autograph/"
        "g3doc/reference/limitations.md#access-to-source-code for more information.")


class TensorOperators:
    """The arithmetic operators of Tensor and Variable (math_ops provides their ops)."""

    __slots__ = ()

    def __add__(self, other: Any) -> Tensor:
        return OPERATORS["add"](self, other, False)  # type: ignore[no-any-return]

    def __radd__(self, other: Any) -> Tensor:
        return OPERATORS["add"](self, other, True)  # type: ignore[no-any-return]

    def __sub__(self, other: Any) -> Tensor:
        return OPERATORS["sub"](self, other, False)  # type: ignore[no-any-return]

    def __rsub__(self, other: Any) -> Tensor:
        return OPERATORS["sub"](self, other, True)  # type: ignore[no-any-return]

    def __mul__(self, other: Any) -> Tensor:
        return OPERATORS["mul"](self, other, False)  # type: ignore[no-any-return]

    def __rmul__(self, other: Any) -> Tensor:
        return OPERATORS["mul"](self, other, True)  # type: ignore[no-any-return]

    def __truediv__(self, other: Any) -> Tensor:
        return OPERATORS["truediv"](self, other, False)  # type: ignore[no-any-return]

    def __rtruediv__(self, other: Any) -> Tensor:
        return OPERATORS["truediv"](self, other, True)  # type: ignore[no-any-return]

    def __floordiv__(self, other: Any) -> Tensor:
        return OPERATORS["floordiv"](self, other, False)  # type: ignore[no-any-return]

    def __rfloordiv__(self, other: Any) -> Tensor:
        return OPERATORS["floordiv"](self, other, True)  # type: ignore[no-any-return]

    def __mod__(self, other: Any) -> Tensor:
        return OPERATORS["mod"](self, other, False)  # type: ignore[no-any-return]

    def __rmod__(self, other: Any) -> Tensor:
        return OPERATORS["mod"](self, other, True)  # type: ignore[no-any-return]

    def __pow__(self, other: Any) -> Tensor:
        return OPERATORS["pow"](self, other, False)  # type: ignore[no-any-return]

    def __rpow__(self, other: Any) -> Tensor:
        return OPERATORS["pow"](self, other, True)  # type: ignore[no-any-return]

    def __matmul__(self, other: Any) -> Tensor:
        return OPERATORS["matmul"](self, other, False)  # type: ignore[no-any-return]

    def __rmatmul__(self, other: Any) -> Tensor:
        return OPERATORS["matmul"](self, other, True)  # type: ignore[no-any-return]

    def __and__(self, other: Any) -> Tensor:
        return OPERATORS["and"](self, other, False)  # type: ignore[no-any-return]

    def __rand__(self, other: Any) -> Tensor:
        return OPERATORS["and"](self, other, True)  # type: ignore[no-any-return]

    def __or__(self, other: Any) -> Tensor:
        return OPERATORS["or"](self, other, False)  # type: ignore[no-any-return]

    def __ror__(self, other: Any) -> Tensor:
        return OPERATORS["or"](self, other, True)  # type: ignore[no-any-return]

    def __xor__(self, other: Any) -> Tensor:
        return OPERATORS["xor"](self, other, False)  # type: ignore[no-any-return]

    def __rxor__(self, other: Any) -> Tensor:
        return OPERATORS["xor"](self, other, True)  # type: ignore[no-any-return]

    def __lt__(self, other: Any) -> Tensor:
        return OPERATORS["Less"](self, other, False)  # type: ignore[no-any-return]

    def __le__(self, other: Any) -> Tensor:
        return OPERATORS["LessEqual"](self, other, False)  # type: ignore[no-any-return]

    def __gt__(self, other: Any) -> Tensor:
        return OPERATORS["Greater"](self, other, False)  # type: ignore[no-any-return]

    def __ge__(self, other: Any) -> Tensor:
        return OPERATORS["GreaterEqual"](self, other, False)  # type: ignore[no-any-return]

    def __neg__(self) -> Tensor:
        return OPERATORS["neg"](self)  # type: ignore[no-any-return]

    def __abs__(self) -> Tensor:
        return OPERATORS["abs"](self)  # type: ignore[no-any-return]

    def __invert__(self) -> Tensor:
        return OPERATORS["invert"](self)  # type: ignore[no-any-return]

    def __getitem__(self, key: Any) -> Tensor:
        return OPERATORS["getitem"](self, key)  # type: ignore[no-any-return]


# The op types whose first output is a ref (OpDef output_arg is_ref; checked against
# op_defs.pb by the tests): a ref variable, and the ops that update one in place.
REF_OUTPUT_OPS = frozenset({
    "VariableV2", "Assign", "AssignAdd", "AssignSub", "StridedSliceAssign",
    "ScatterAdd", "ScatterDiv", "ScatterMax", "ScatterMin", "ScatterMul", "ScatterSub",
    "ScatterUpdate", "ScatterNdAdd", "ScatterNdSub", "ScatterNdUpdate",
    "ApplyAdaMax", "ApplyAdadelta", "ApplyAdagrad", "ApplyAdagradDA", "ApplyAdagradV2",
    "ApplyAdam", "ApplyCenteredRMSProp", "ApplyFtrl", "ApplyFtrlV2", "ApplyGradientDescent",
    "ApplyMomentum", "ApplyProximalAdagrad", "ApplyProximalGradientDescent", "ApplyRMSProp",
    "SparseApplyAdadelta", "SparseApplyAdagrad", "SparseApplyAdagradDA",
    "SparseApplyCenteredRMSProp", "SparseApplyFtrl", "SparseApplyFtrlV2",
    "SparseApplyMomentum", "SparseApplyProximalAdagrad", "SparseApplyProximalGradientDescent",
    "SparseApplyRMSProp",
})

# The op types with ref inputs (OpDef input_arg is_ref; checked against op_defs.pb by the
# tests), by input index: TF's op_def_library colocates such an op with those inputs.
REF_INPUT_OPS: dict[str, tuple[int, ...]] = {
    "Assign": (0,), "AssignAdd": (0,), "AssignSub": (0,), "CountUpTo": (0,),
    "IsVariableInitialized": (0,), "StridedSliceAssign": (0,),
    "ScatterAdd": (0,), "ScatterDiv": (0,), "ScatterMax": (0,), "ScatterMin": (0,),
    "ScatterMul": (0,), "ScatterSub": (0,), "ScatterUpdate": (0,), "ScatterNdAdd": (0,),
    "ScatterNdSub": (0,), "ScatterNdUpdate": (0,),
    "ApplyGradientDescent": (0,), "ApplyProximalGradientDescent": (0,),
    "SparseApplyProximalGradientDescent": (0,),
    "ApplyAdagrad": (0, 1), "ApplyAdagradV2": (0, 1), "ApplyMomentum": (0, 1),
    "ApplyProximalAdagrad": (0, 1), "SparseApplyAdagrad": (0, 1),
    "SparseApplyMomentum": (0, 1), "SparseApplyProximalAdagrad": (0, 1),
    "ApplyAdaMax": (0, 1, 2), "ApplyAdadelta": (0, 1, 2), "ApplyAdagradDA": (0, 1, 2),
    "ApplyAdam": (0, 1, 2), "ApplyFtrl": (0, 1, 2), "ApplyFtrlV2": (0, 1, 2),
    "ApplyRMSProp": (0, 1, 2), "SparseApplyAdadelta": (0, 1, 2),
    "SparseApplyAdagradDA": (0, 1, 2), "SparseApplyFtrl": (0, 1, 2),
    "SparseApplyFtrlV2": (0, 1, 2), "SparseApplyRMSProp": (0, 1, 2),
    "ApplyCenteredRMSProp": (0, 1, 2, 3), "SparseApplyCenteredRMSProp": (0, 1, 2, 3),
}

# tensor -> the assign function of the variable slice it is (see Tensor.__getattr__)
SLICE_ASSIGN: weakref.WeakKeyDictionary[Any, Callable[..., Any]] = weakref.WeakKeyDictionary()


class Tensor(TensorOperators):
    """A symbolic output of an Operation: its graph, dtype and static shape. Values exist only
    when a Session runs it (``np.asarray(t)`` runs it with no feeds, as a convenience)."""

    # "__dict__": programs and libraries set attributes on tensors as on TF's (tflib's
    # ``param``, Keras' ``_keras_mask``).
    __slots__ = ("__dict__", "__weakref__", "_consumers", "_dtype", "_index", "_op", "_shape")

    _graph_element_kind = "tensor"
    # NumPy must defer to our operators (ndarray + Tensor -> Tensor.__radd__).
    __array_priority__ = 100

    def __init__(self, op: Operation, index: int, dtype: _dtypes.DType,
                 shape: tuple[int | None, ...] | None) -> None:
        self._op = op
        self._index = index
        self._dtype = dtype
        self._shape = shape
        self._consumers: list[Operation] | None = None

    # -- TF1 properties -------------------------------------------------------------------
    @property
    def name(self) -> str:
        return f"{self._op._name}:{self._index}"

    @property
    def op(self) -> Operation:
        return self._op

    @property
    def dtype(self) -> _dtypes.DType:
        # A ref output (VariableV2's, Assign's ...) reports TF's ref dtype (float32_ref);
        # varstore's own code reads the base dtype, _dtype.
        if self._index == 0 and self._op._type in REF_OUTPUT_OPS:
            return self._dtype._ref
        return self._dtype

    @property
    def graph(self) -> Graph:
        return self._op._graph

    @property
    def value_index(self) -> int:
        return self._index

    @property
    def device(self) -> str:
        return self._op._device

    @property
    def shape(self) -> TensorShape:
        return TensorShape._of(self._shape)

    def get_shape(self) -> TensorShape:
        return TensorShape._of(self._shape)

    def set_shape(self, shape: Any) -> None:
        """Refines the static shape (TF's set_shape: ValueError if incompatible)."""
        want = as_shape(shape)
        merged = merge(self._shape, want._dims)
        if merged is not None and not isinstance(merged, tuple):
            raise ValueError(f"Tensor's shape {self.shape} is not compatible with supplied "
                             f"shape {want}.")
        self._shape = merged

    @property
    def ndim(self) -> int:
        if self._shape is None:
            raise ValueError("Cannot take the rank of a tensor with unknown rank.")
        return len(self._shape)

    def consumers(self) -> list[Operation]:
        return list(self._consumers) if self._consumers else []

    def _as_graph_element(self) -> Tensor:
        return self

    # -- values ---------------------------------------------------------------------------
    def eval(self, feed_dict: Any = None, session: Any = None) -> Any:
        """The value of this tensor in ``session`` (default: the default session)."""
        return _run_in_session(self, feed_dict, session)

    def numpy(self) -> np.ndarray:
        """Convenience beyond TF1: the value with the variables' current values, no feeds."""
        return np.array(_SESSION_HOOKS["eager"](self))

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        value = np.asarray(_SESSION_HOOKS["eager"](self))
        if dtype is not None and np.dtype(dtype) != value.dtype:
            return value.astype(dtype)
        return value.copy() if copy else value

    def __bool__(self) -> bool:
        _disallow("Using a symbolic `tf.Tensor` as a Python `bool`")
        return False  # unreachable: _disallow raises

    def __len__(self) -> int:
        raise TypeError(f"len is not well defined for a symbolic Tensor ({self.name}). Please "
                        "call `x.shape` rather than `len(x)` for shape information.")

    def __getattr__(self, name: str) -> Any:
        # A variable's slice (v[1:3], TF's _SliceHelperVar) carries ``assign``: the slices
        # are registered in SLICE_ASSIGN by ops/strided_slice_assign_ops.py
        if name == "assign":
            fn = SLICE_ASSIGN.get(self)
            if fn is not None:
                return fn
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __iter__(self) -> Iterator[Tensor]:
        # TF 2's graph mode (compat.v1 included) refuses to iterate a symbolic tensor, even
        # one of known length (TF 1.x yielded its rows)
        _disallow("Iterating over a symbolic `tf.Tensor`")

    def __repr__(self) -> str:
        return f"<tf.Tensor '{self.name}' shape={self.shape} dtype={self._dtype.name}>"

    def __str__(self) -> str:
        # TF's text: no shape when the rank is unknown, the device when there is one
        shape = "" if self._shape is None else f", shape={self.shape}"
        device = self._op._device
        return (f'Tensor("{self.name}"{shape}, dtype={self._dtype.name}'
                f'{f", device={device}" if device else ""})')

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    def __copy__(self) -> Tensor:
        return self

    def __deepcopy__(self, memo: Any) -> Tensor:
        return self


# ---------------------------------------------------------------------------------------
# making ops
# ---------------------------------------------------------------------------------------
class _NameScopeAt:
    """Sets the thread's name stack to exactly ``full`` (the scope of an op being built: TF
    converts an op's inputs inside ``name_scope(<op name>)``, e.g. ``add/y``)."""

    __slots__ = ("_full", "_old", "_state")

    def __init__(self, graph: Graph, full: str) -> None:
        self._state = graph._thread
        self._full = full

    def __enter__(self) -> str:
        state = self._state
        self._old = state.name_stack
        state.name_stack = self._full
        return self._full + "/"

    def __exit__(self, *exc: object) -> None:
        self._state.name_stack = self._old


def scope_of(graph: Graph, full: str) -> _NameScopeAt:
    return _NameScopeAt(graph, full)


def _control_inputs_for(graph: Graph, inputs: Sequence[Tensor]) -> list[Operation]:
    """The control inputs a new op gets from the open control_dependencies blocks: each
    block's ops, unless one of the op's inputs was itself made inside that block."""
    blocks = graph._thread.control_deps
    if not blocks:
        return []
    input_ops = [t._op for t in inputs]
    out: list[Operation] = []
    for block in blocks:
        if any(op._id in block.seen for op in input_ops):
            continue
        for c in block.control_inputs:
            if c not in out and c not in input_ops:
                out.append(c)
    return out


def make_op(
    graph: Graph,
    full_name: str,
    op_type: str,
    inputs: Sequence[Tensor],
    attrs: dict[str, Any] | None,
    outputs: Sequence[tuple[_dtypes.DType, tuple[int | None, ...] | None]],
    data: Any = None,
    control_inputs: Sequence[Operation] | None = None,
) -> Operation:
    """Records a new node named ``full_name`` (already unique: Graph._op_name) with its
    output tensors. Inputs must be Tensors of ``graph``; inputs from outside the cond branch
    being built are routed through its Switch, as TF does."""
    if graph._finalized:
        raise RuntimeError("Graph is finalized and cannot be modified.")
    state = graph._thread
    ctx = state.cond_ctx
    for t in inputs:
        if t._op._graph is not graph:
            # a tf.data function's graph captures the outer tensors it uses (TF's captures)
            hook = graph.__dict__.get("_capture_hook")
            if hook is None:
                raise ValueError(f"Tensor {t} must be from the same graph as the op "
                                 f"{full_name!r} (graphs are {t._op._graph!r} and {graph!r}).")
            inputs = [hook(x) if x._op._graph is not graph else x for x in inputs]
            break
    if ctx is not None:
        inputs = [ctx.capture(t) for t in inputs]
    overrides = graph._gradient_overrides
    if overrides and op_type in overrides:
        # TF records the override on the op when it is created (the `_gradient_op_type` attr),
        # so it holds after the gradient_override_map block has exited.
        attrs = dict(attrs or {})
        attrs["_gradient_op_type"] = overrides[op_type]
    colocated = state.colocate
    ref_in = REF_INPUT_OPS.get(op_type)
    if ref_in is not None:
        # TF's op_def_library colocates an op with its ref inputs (an assign with its
        # variable), inside the open colocate_with blocks
        targets = [inputs[i]._op for i in ref_in if i < len(inputs)
                   and inputs[i]._index == 0 and inputs[i]._op._type in REF_OUTPUT_OPS]
        if targets:
            colocated = (*(colocated or ()), *targets)
    if colocated:
        # TF's _create_op_helper: the union of the colocated ops' groups, sorted
        groups = sorted({g for c in colocated for g in c.colocation_groups()})
        attrs = dict(attrs or {})
        attrs["_class"] = [g.decode("utf-8", "surrogateescape") for g in groups]
    if attrs:
        for value in attrs.values():
            if type(value) is _dtypes.DType and value._base is not value:
                # a type attr is a base type: TF's op_def_library reads a RefVariable's
                # float32_ref (var.dtype) as float32
                attrs = {k: v._base if type(v) is _dtypes.DType else v
                         for k, v in attrs.items()}
                break
    op = Operation(graph, full_name, op_type, inputs, attrs)
    op._data = data
    if state.control_deps:
        op._control_inputs = _control_inputs_for(graph, inputs)
    if control_inputs:
        for c in control_inputs:
            if c not in op._control_inputs:
                op._control_inputs.append(c)
    if ctx is not None:
        op._ctx = ctx
        ctx.add_op(op)
    device = state.device
    if device:
        # a device function returns a string or DeviceSpec; recorded canonical, as TF does
        op._device = device if isinstance(device, str) else canonical_device(device(op) or "")
    if colocated:
        for c in reversed(colocated):  # TF: colocation wins over the device blocks
            if c._device:
                op._device = c._device
                break
    # tensors hold base dtypes: a ref dtype passed in (a RefVariable's float32_ref as a dtype
    # argument) means its base, as TF's op_def_library reads type attrs (see Tensor.dtype)
    op._outputs = [Tensor(op, i, dt._base, shape) for i, (dt, shape) in enumerate(outputs)]
    with graph._lock:
        if full_name in graph._nodes_by_name:
            raise ValueError(f"Duplicate node name in graph: '{full_name}'")
        op._id = len(graph._ops) + 1
        graph._ops.append(op)
        graph._nodes_by_name[full_name] = op
    for t in inputs:
        consumers = t._consumers
        if consumers is None:
            t._consumers = [op]
        else:
            consumers.append(op)
    for block in state.control_deps:
        block.seen.add(op._id)
    if state.tapes:
        for tape in state.tapes:
            tape.record(op)
    return op


class _Builders:
    """Op builders by name, filled in by each op family when it is imported. A gradient or a
    fusion rule that needs an op of a family its own module cannot import without a cycle
    (Concat's gradient needs ``split``, ``Sum``'s needs ``tile``) builds it through here;
    every family is loaded by ``varstore.ops`` before any graph is differentiated."""

    def register(self, namespace: dict[str, Any], names: Sequence[str]) -> None:
        for name in names:
            setattr(self, name, namespace[name])

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"no op builder named {name!r} is loaded (import varstore.ops)")


builders: Any = _Builders()

# The tensors tf.zeros / zeros_like made (TF's _is_zeros_tensor tag): the fused
# cross-entropy gradients skip their second-order term for a zero incoming gradient.
ZEROS_TENSORS: weakref.WeakSet[Tensor] = weakref.WeakSet()
