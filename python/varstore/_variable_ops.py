"""A variable's graph nodes and the settings every variable creation reads: resource or ref
variables, the distribution enums and their checks, and the variable creator scopes.

Below variables.py (tf.Variable) and _variable_store.py (get_variable): both build a new
variable's nodes with ``make_variable_ops`` and pass its arguments through the creators.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import threading
import weakref
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Callable

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import GraphKeys, get_default_graph
from varstore.framework.ops import Operation, Tensor, make_op, scope_of
from varstore.framework.tensor_shape import TensorShape, compatible
from varstore.ops import state_ops

if TYPE_CHECKING:
    from varstore.framework.graph import Graph

__all__ = [
    "VariableAggregation",
    "VariableSynchronization",
    "disable_resource_variables",
    "enable_resource_variables",
    "resource_variables_enabled",
    "variable_creator_scope",
]

_BITS = {GraphKeys.GLOBAL_VARIABLES: 1, GraphKeys.TRAINABLE_VARIABLES: 2,
         GraphKeys.LOCAL_VARIABLES: 4}
_USE_RESOURCE = [True]  # TF 2's default; tf.disable_resource_variables() turns it off


def enable_resource_variables() -> None:
    _USE_RESOURCE[0] = True


def disable_resource_variables() -> None:
    _USE_RESOURCE[0] = False


def resource_variables_enabled() -> bool:
    return _USE_RESOURCE[0]


class _IntEnum(int, enum.Enum):
    """An enum whose members are also ints, so that get_variable (a C function) can state
    TF's defaults in its text signature (inspect evaluates int-valued names only); str() and
    repr() are Enum's, as TF's."""

    __str__ = enum.Enum.__str__
    __format__ = enum.Enum.__format__


class VariableSynchronization(_IntEnum):
    """``tf.VariableSynchronization``: when a distributed variable is aggregated (recorded;
    varstore runs on one device)."""

    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


class VariableAggregation(_IntEnum):
    """``tf.VariableAggregation`` (TF1's, with the ONLY_FIRST_TOWER alias)."""

    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3
    ONLY_FIRST_TOWER = 3


class VariableAggregationV2(_IntEnum):
    """TF 2's ``tf.VariableAggregation`` (no ONLY_FIRST_TOWER): what TF turns an
    ``aggregation`` given by value (``aggregation=1``) into."""

    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3


def validate_synchronization_aggregation_trainable(
        synchronization: Any, aggregation: Any, trainable: Any, name: Any
) -> tuple[VariableSynchronization, VariableAggregation | VariableAggregationV2, bool]:
    """TF's check of the distribution arguments: each must be a member's value, and an
    ON_READ variable is not trainable unless asked (TF 2.21 accepts ON_READ with
    trainable=True in graph mode)."""
    agg: VariableAggregation | VariableAggregationV2
    if aggregation is None:
        agg = VariableAggregation.NONE
    elif isinstance(aggregation, (VariableAggregation, VariableAggregationV2)):
        agg = aggregation
    else:
        try:
            agg = VariableAggregationV2(aggregation)
        except ValueError:
            raise ValueError(f"Invalid variable aggregation mode: {aggregation} for "
                             f"variable: {name}") from None
    if synchronization is None:
        sync = VariableSynchronization.AUTO
    else:
        try:
            sync = VariableSynchronization(synchronization)
        except ValueError:
            raise ValueError(f"Invalid variable synchronization mode: {synchronization} for "
                             f"variable: {name}") from None
    if trainable is None:
        trainable = sync is not VariableSynchronization.ON_READ
    return sync, agg, bool(trainable)


# -- variable creator scopes -----------------------------------------------------------------
class _CreatorStacks(threading.local):
    """Per thread, each graph's stack of variable creators (TF keeps it in the graph, per
    thread)."""

    def __init__(self) -> None:
        self.by_graph: weakref.WeakKeyDictionary[Any, list[Any]] = weakref.WeakKeyDictionary()


_CREATORS = _CreatorStacks()


def creator_stack(graph: Graph) -> list[Any]:
    """The active creators of ``graph`` in this thread, outermost first (empty: none)."""
    return _CREATORS.by_graph.get(graph) or _NO_CREATORS


_NO_CREATORS: list[Any] = []


@contextlib.contextmanager
def variable_creator_scope(variable_creator: Any) -> Iterator[None]:
    """``tf.variable_creator_scope``: inside, creating a variable (tf.Variable, or a new
    variable of get_variable) calls ``variable_creator(next_creator, **kwargs)``, the
    innermost creator first; ``next_creator`` is the next one out, and the last creates."""
    graph = get_default_graph()
    stacks = _CREATORS.by_graph
    stack = stacks.get(graph)
    if stack is None:
        stack = stacks[graph] = []
    stack.append(variable_creator)
    depth = len(stack)
    try:
        yield
    finally:
        # (The stack is this thread's: only a misnested exit finds another on top.)
        if len(stack) != depth or stack[-1] is not variable_creator:
            # TF raises and leaves the stack alone (the inner scope still exits cleanly)
            raise RuntimeError("Exiting variable_creator_scope without proper nesting.")
        stack.pop()


def run_creators(graph: Graph, bottom: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
    """Calls the creator chain of ``graph`` with ``kwargs``; ``bottom`` makes the variable."""
    getter = bottom
    for creator in creator_stack(graph):  # outermost first: the innermost ends up on top
        getter = functools.partial(_call_creator, creator, getter)
    return getter(**kwargs)


def _call_creator(creator: Any, next_creator: Any, **kwargs: Any) -> Any:
    return creator(next_creator, **kwargs)


def collection_bits(collections: Any) -> int:
    bits = 0
    for key in collections:
        bits |= _BITS.get(key, 0)
    return bits


class _Group:
    """The colocation group of a variable not made yet (TF's ``_attr_scope`` of
    ``_class: loc:@<name>``): stands in the colocation stack for the op to be."""

    __slots__ = ("_groups",)
    _device = ""

    def __init__(self, name: str) -> None:
        self._groups = [b"loc:@" + name.encode("utf-8", "surrogateescape")]

    def colocation_groups(self) -> list[bytes]:
        return self._groups


def convert_initial_value(graph: Graph, name: str, initial_value: Any, dtype: Any,
                          resource: bool) -> Tensor:
    """A variable's initial value as TF converts it: a callable called inside
    ``<name>/Initializer``, a value converted there (resource) or under ``<name>`` (ref),
    both with the device cleared and colocated as TF's variables do (an open colocate_with
    block, else the variable's own group for a resource variable or a value from a
    function; see make_variable_ops)."""
    state = graph._thread
    outer = state.colocate
    from_fn = callable(initial_value)
    if not outer and (resource or from_fn):
        state.colocate = (_Group(name),)
    try:
        if from_fn:
            with scope_of(graph, name + "/Initializer"), graph.device(None):
                return convert_to_tensor(initial_value(), dtype=dtype, name="initial_value")
        where = name + "/Initializer" if resource else name
        with scope_of(graph, where), graph.device(None if resource else ""):
            return convert_to_tensor(initial_value, dtype=dtype, name="initial_value")
    finally:
        state.colocate = outer


class VarOps:
    """The graph nodes of one variable."""

    __slots__ = (
        "aggregation",
        "caching_device",
        "constraint",
        "dtype",
        "element",
        "handle",
        "initial",
        "initializer",
        "is_ref",
        "save_slice_info",
        "shape",
        "synchronization",
    )

    def __init__(self, handle: Tensor, initializer: Operation | None, initial: Tensor | None,
                 element: Tensor, is_ref: bool, dtype: _dtypes.DType,
                 shape: tuple[int | None, ...] | None) -> None:
        self.handle = handle
        self.initializer = initializer
        self.initial = initial
        self.element = element  # what fetching the variable reads (Read/ReadVariableOp, read)
        self.is_ref = is_ref
        self.dtype = dtype
        self.shape = shape
        self.constraint: Any = None
        self.caching_device: Any = None
        self.save_slice_info: Any = None  # a part of a partitioned variable: its place
        self.synchronization = VariableSynchronization.AUTO
        self.aggregation: VariableAggregation | VariableAggregationV2 = VariableAggregation.NONE


def make_variable_ops(graph: Graph, vid: int, name: str, dtype: _dtypes.DType,
                      shape: tuple[int | None, ...] | None, initial_value: Any,
                      use_resource: bool | None, validate_shape: bool = True,
                      from_fn: bool = True, caching_device: Any = None,
                      explicit_shape: bool = False) -> VarOps:
    """Builds a variable's nodes under its exact name ``name``: the initial value (a callable
    is called inside ``<name>/Initializer``; a value becomes ``initial_value``), the handle,
    its initializer and its read (with a ``caching_device``, TF's cached read: an Identity of
it on that device, ``<name>/Read/Identity`` or the ref variable's ``read``). Records them in
``graph._var_ops``."""
    resource = _USE_RESOURCE[0] if use_resource is None else bool(use_resource)
    if not name:  # get_variable("") at the root: TF names the variable ":0"
        name = graph.unique_name("Variable")
    state = graph._thread
    saved_deps = state.control_deps
    saved_ctx = state.cond_ctx
    state.control_deps = []  # TF makes variables inside init_scope: no outer dependencies
    state.cond_ctx = None
    # Colocation (the _class attr), as TF's variables set it: an open colocate_with block
    # wins; otherwise the initializer's ops (and a resource variable's value and handle,
    # a ref variable's handle when its value comes from a function) are colocated with
    # the variable to be (TF's _attr_scope), and a ref variable's Assign and read with it.
    outer = state.colocate
    own = outer if outer else (_Group(name),)
    try:
        with scope_of(graph, name):
            # TF makes the "Initializer" ops with the device cleared (colocated instead)
            from_fn = callable(initial_value)
            if isinstance(initial_value, Tensor):
                init = initial_value
            else:
                init = convert_initial_value(graph, name, initial_value, dtype, resource)
            state.colocate = own if resource or from_fn else outer
            if init._dtype is not dtype:
                raise ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor "
                                 f"with dtype {init._dtype.name}: {init!r}")
            if (validate_shape and shape is not None and init._shape is not None
                    and not compatible(shape, init._shape)):
                raise ValueError(
                    "In this `tf.Variable` creation, the initial value's shape "
                    f"({TensorShape._of(init._shape)}) is not compatible with the explicitly "
                    f"supplied `shape` argument ({TensorShape._of(shape)}).")
            # an explicit tf.TensorShape(None) keeps the rank unknown (shape is None)
            var_shape = shape if shape is not None or explicit_shape else init._shape
            if resource:
                handle = state_ops.var_handle_op(graph, name, dtype, var_shape, vid)
                state.colocate = outer
                with scope_of(graph, name + "/IsInitialized"):
                    make_op(graph, name + "/IsInitialized/VarIsInitializedOp",
                            "VarIsInitializedOp", [handle], {}, [(_dtypes.bool, ())])
                # TF's initializer leaves validate_shape at its default (false): the
                # initial value's shape was checked when the variable was made
                state.colocate = None  # (TF colocates no resource variable's Assign)
                init_op = make_op(graph, name + "/Assign", "AssignVariableOp", [handle, init],
                                  {"dtype": dtype, "validate_shape": False}, [])
                state.colocate = outer
                with scope_of(graph, name + "/Read"):
                    element = state_ops.read_variable_op(handle, dtype, var_shape,
                                                         name="ReadVariableOp")
                    if caching_device is not None:
                        with graph.device(caching_device):
                            element = make_op(graph, name + "/Read/Identity", "Identity",
                                              [element], {"T": dtype},
                                              [(dtype, var_shape)])._outputs[0]
            else:
                handle = state_ops.variable_v2(graph, name, dtype, var_shape, vid)
                state.colocate = (*(outer or ()), handle._op)
                init_op = make_op(graph, name + "/Assign", "Assign", [handle, init],
                                  {"T": dtype, "use_locking": True,
                                   "validate_shape": validate_shape},
                                  [(dtype, var_shape)])
                with graph.device(caching_device) if caching_device is not None \
                        else contextlib.nullcontext():
                    element = make_op(graph, name + "/read", "Identity", [handle],
                                      {"T": dtype}, [(dtype, var_shape)])._outputs[0]
    finally:
        state.control_deps = saved_deps
        state.cond_ctx = saved_ctx
        state.colocate = outer
    ops = VarOps(handle, init_op, init, element, not resource, dtype, var_shape)
    ops.caching_device = caching_device
    graph._var_ops[vid] = ops
    return ops
