"""Variables: a light Python wrapper (graph, store id) over a variable of the C++ store, with
the graph nodes TF1 makes for it.

A resource variable (TF 2's default, which ``tf.compat.v1`` graph mode keeps) is the ops
``<name>/Initializer/...``, ``<name>`` (VarHandleOp), ``<name>/IsInitialized/
VarIsInitializedOp``, ``<name>/Assign`` (its initializer) and ``<name>/Read/ReadVariableOp``;
after ``tf.disable_resource_variables()`` (or ``disable_v2_behavior()``) it is TF1's ref
variable: ``<name>`` (VariableV2), ``<name>/Assign`` and ``<name>/read``. The value lives in
the graph for the graph's first open session (see ops/state_ops.py), so ``np.asarray(v)``
reads it without a session; a session opened beside that one has values of its own, as
every TF session does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from varstore import _core
from varstore import dtypes as _dtypes
from varstore._save_slice_info import SaveSliceInfo
from varstore._variable_lists import (
    all_variables,
    assert_variables_initialized,
    global_variables,
    global_variables_initializer,
    initialize_all_variables,
    initialize_local_variables,
    initialize_variables,
    local_variables,
    local_variables_initializer,
    model_variables,
    moving_average_variables,
    report_uninitialized_variables,
    trainable_variables,
    variables_initializer,
)
from varstore._variable_meta import _VariableMeta
from varstore._variable_ops import (
    _USE_RESOURCE,
    VariableAggregation,
    VariableAggregationV2,
    VariableSynchronization,
    VarOps,
    collection_bits,
    convert_initial_value,
    disable_resource_variables,
    enable_resource_variables,
    make_variable_ops,
    resource_variables_enabled,
    validate_synchronization_aggregation_trainable,
    variable_creator_scope,
)
from varstore._variable_scatter import VariableScatterMethods
from varstore.framework import ops as _ops
from varstore.framework.constant_op import register_tensor_conversion_function
from varstore.framework.graph import GraphKeys, get_default_graph
from varstore.framework.ops import Operation, Tensor, TensorOperators, make_op, scope_of
from varstore.framework.tensor_shape import TensorShape, as_shape
from varstore.ops import control_flow_ops, state_ops, strided_slice_assign_ops

if TYPE_CHECKING:
    from varstore.framework.graph import Graph

__all__ = [
    "Variable", "VariableAggregation", "VariableSynchronization", "all_variables",
    "assert_variables_initialized", "disable_resource_variables", "enable_resource_variables",
    "global_variables", "global_variables_initializer", "initialize_all_variables",
    "initialize_local_variables", "initialize_variables", "local_variables",
    "local_variables_initializer", "model_variables", "moving_average_variables",
    "report_uninitialized_variables", "resource_variables_enabled", "trainable_variables",
    "variable_creator_scope", "variables_initializer",
]


class Variable(_core.store.VariableBase, TensorOperators, VariableScatterMethods,
               metaclass=_VariableMeta):
    """``tf.Variable``: a named, mutable tensor held by the graph's C++ store.

    ``get_variable`` returns the same object every time it finds a variable, as TF does.
    """

    # Graph, store and id live in _core.store.VariableBase; "__dict__" because TF's variables
    # take any attribute a program sets on them (tflib marks its parameters ``v.param = True``).
    __slots__ = ("__dict__",)
    _creator_root = True  # tf.Variable(...) itself goes through the creators, not subclasses

    __array_priority__ = 100
    _control_dep_via_op = True  # control_dependencies([v]) gates on v.op, as in TF

    def __init__(
        self,
        initial_value: Any = None,
        trainable: bool | None = None,
        collections: Any = None,
        validate_shape: bool = True,
        caching_device: Any = None,
        name: str | None = None,
        variable_def: Any = None,
        dtype: Any = None,
        expected_shape: Any = None,
        import_scope: Any = None,
        constraint: Any = None,
        use_resource: Any = None,
        synchronization: Any = None,
        aggregation: Any = None,
        shape: Any = None,
    ) -> None:
        if initial_value is None:
            raise ValueError("The `initial_value` arg to `tf.Variable` must be specified "
                             "except when you are not providing a `variable_def`. You "
                             "provided neither.")
        if constraint is not None and not callable(constraint):
            raise ValueError("Argument `constraint` must be None or a callable. "
                             f"a callable. Got a {type(constraint)}:  {constraint}")
        graph = get_default_graph()
        sync, agg, trainable = validate_synchronization_aggregation_trainable(
            synchronization, aggregation, trainable, name)
        if collections is None:
            collections = [GraphKeys.GLOBAL_VARIABLES]
        if not isinstance(collections, (list, tuple, set)):
            raise ValueError(  # noqa: TRY004 - TF raises ValueError here
                "collections argument to Variable constructor must be a list, tuple, or set. "
                f"Got {collections} of type {type(collections)}"
            )
        collections = list(collections)
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections.append(GraphKeys.TRAINABLE_VARIABLES)
        # TF converts the initial value inside init_scope: free of the enclosing control
        # dependencies and cond branch (a variable made in a branch initializes alone)
        state = graph._thread
        saved = state.control_deps, state.cond_ctx
        state.control_deps, state.cond_ctx = [], None
        try:
            with graph.name_scope("Variable" if name is None else name) as scope:
                graph_name = scope[:-1]
                dt = None if dtype is None else _dtypes.as_dtype(dtype).base_dtype
                # An empty name (TF's ":0" variable): its nodes need a name of their own.
                node_name = graph_name or graph.unique_name("Variable")
                resource = _USE_RESOURCE[0] if use_resource is None else bool(use_resource)
                init = convert_initial_value(graph, node_name, initial_value, dt, resource)
        finally:
            state.control_deps, state.cond_ctx = saved
        var_shape = init._shape
        if shape is not None:
            want = as_shape(shape)
            if not want.is_compatible_with(TensorShape._of(var_shape)):
                raise ValueError(
                    f"In this `tf.Variable` creation, the initial value's shape "
                    f"({TensorShape._of(var_shape)}) is not compatible with the explicitly "
                    f"supplied `shape` argument ({want})."
                )
            var_shape = want._dims
        # TF's RefVariable needs a fully defined initial value to validate against; a
        # resource variable takes a partial (or an explicit unknown) shape as it is.
        if validate_shape and not resource and (init._shape is None or None in init._shape):
            raise ValueError(f"initial_value must have a shape specified: {init}")
        var_dtype = init._dtype
        if var_dtype._code >= _dtypes._FIRST_OPAQUE:
            raise TypeError(unsupported_dtype(var_dtype))
        store_shape = tuple(0 if d is None else d for d in (var_shape or ()))
        vid = graph._store.add_variable(
            graph_name, store_shape, var_dtype._code, bool(trainable),
            collection_bits(collections)
        )
        self._graph = graph
        self._store = graph._store
        self._id = vid
        ops = make_variable_ops(graph, vid, node_name, var_dtype, var_shape, init,
                                use_resource, validate_shape, caching_device=caching_device,
                                explicit_shape=shape is not None)
        ops.constraint = constraint
        ops.synchronization, ops.aggregation = sync, agg
        variables = graph._variables
        while len(variables) <= vid:
            variables.append(None)
        variables[vid] = self
        graph._add_variable_to_collections(collections, self)
        if constraint is not None:
            graph._constraints[vid] = constraint
        graph._initial_names[vid] = init._op._name

    @classmethod
    def _wrap(cls, graph: Graph, vid: int) -> Variable:
        self = cls.__new__(cls)
        self._graph = graph
        self._store = graph._store
        self._id = vid
        return self

    # -- the nodes ------------------------------------------------------------------------
    @property
    def _ops(self) -> VarOps:
        return self._graph._var_ops[self._id]  # type: ignore[no-any-return]

    @property
    def _is_ref(self) -> bool:
        return self._ops.is_ref

    def _dtype_conversion_error(self, dtype: _dtypes.DType) -> ValueError:
        """TF's error for convert_to_tensor(variable, dtype=<another dtype>)."""
        if self._ops.is_ref:
            return ValueError(f"Incompatible type conversion requested to type '{dtype.name}' "
                              f"for variable of type '{self.dtype.name}'")
        return ValueError(f"Incompatible type conversion requested to type {dtype.name} for "
                          f"`tf.Variable of type {self.dtype.name}. (Variable: {self!r})")

    @property
    def _handle(self) -> Tensor:
        return self._ops.handle

    def _ref_tensor(self) -> Tensor:
        return self._ops.handle

    def _handle_name(self) -> str:
        return self._ops.handle._op._name

    def _shape_tuple(self) -> tuple[int | None, ...] | None:
        return self._ops.shape

    # -- TF1 properties -------------------------------------------------------------------
    @property
    def name(self) -> str:
        return f"{self._store.graph_name(self._id)}:0"

    @property
    def _shared_name(self) -> str:
        return str(self._store.graph_name(self._id))

    @property
    def op(self) -> Operation:
        return self._ops.handle._op

    @property
    def handle(self) -> Tensor:
        return self._ops.handle

    @property
    def dtype(self) -> _dtypes.DType:
        # a RefVariable's dtype is the ref (float32_ref), as TF's; varstore's own code uses
        # the base type (_ops.dtype)
        ops = self._ops
        return ops.dtype._ref if ops.is_ref else ops.dtype

    @property
    def _ref(self) -> Callable[[], Tensor]:
        """``RefVariable._ref()``: the VariableV2 output (a float32_ref tensor). Resource
        variables have no ``_ref``, as TF's."""
        if not self._ops.is_ref:
            raise AttributeError("'ResourceVariable' object has no attribute '_ref'")
        handle = self._ops.handle
        return lambda: handle

    @property
    def shape(self) -> TensorShape:
        return TensorShape._of(self._ops.shape)

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def trainable(self) -> bool:
        return bool(self._store.trainable(self._id))

    @property
    def graph(self) -> Graph:
        return self._graph

    @property
    def device(self) -> str:
        return self._ops.handle._op._device

    @property
    def caching_device(self) -> Any:
        return self._ops.caching_device

    @property
    def constraint(self) -> Any:
        return self._graph._constraints.get(self._id)

    @property
    def initializer(self) -> Operation:
        init = self._ops.initializer
        assert init is not None
        return init

    @property
    def initial_value(self) -> Tensor:
        init = self._ops.initial
        assert init is not None
        return init

    @property
    def synchronization(self) -> VariableSynchronization:
        return self._ops.synchronization

    @property
    def aggregation(self) -> VariableAggregation | VariableAggregationV2:
        return self._ops.aggregation

    @property
    def _caching_device(self) -> Any:
        return self._ops.caching_device

    # -- VariableDef protos and partitioned parts -------------------------------------------
    SaveSliceInfo = SaveSliceInfo

    def to_proto(self, export_scope: str | None = None) -> Any:
        """The VariableDef naming this variable's nodes (None outside ``export_scope``)."""
        from varstore._variable_def import variable_to_proto

        return variable_to_proto(self, export_scope)

    @staticmethod
    def from_proto(variable_def: Any, import_scope: str | None = None) -> Variable:
        """The variable whose nodes (in the default graph) ``variable_def`` names."""
        from varstore._variable_def import variable_from_proto

        return variable_from_proto(get_default_graph(), variable_def, import_scope)

    @property
    def _save_slice_info(self) -> Any:
        return self._ops.save_slice_info

    def _get_save_slice_info(self) -> Any:
        return self._ops.save_slice_info

    def _set_save_slice_info(self, save_slice_info: Any) -> None:
        self._ops.save_slice_info = save_slice_info

    def _as_graph_element(self) -> Tensor:
        return self._ops.element

    def _as_feed_key(self) -> Tensor:
        return self._ops.element

    # -- reading --------------------------------------------------------------------------
    def _as_tensor(self, as_ref: bool = False) -> Tensor:
        """Reading the variable as an op input: a ReadVariableOp in the current name scope
        (resource variables), or the ref tensor's ``read`` snapshot (ref variables)."""
        ops = self._ops
        if ops.is_ref:
            return ops.handle if as_ref else ops.element
        if ops.caching_device is not None:
            return ops.element  # TF reads the cached copy (<name>/Read/Identity)
        return state_ops.read_variable_op(ops.handle, ops.dtype, ops.shape)

    def value(self) -> Tensor:
        return self._as_tensor()

    def sparse_read(self, indices: Any, name: str | None = None) -> Tensor:
        """Rows ``indices`` of a resource variable (ResourceGather; its gradient is an
        IndexedSlices). TF1's ref variables have no sparse read."""
        if self._ops.is_ref:
            raise NotImplementedError("sparse_read of a ref variable: TF's RefVariable "
                                      "lacks it")
        from varstore.ops import resource_variable_ops  # the op families import this module

        return resource_variable_ops.resource_gather(self, indices, name=name)

    def read_value(self) -> Tensor:
        ops = self._ops
        if ops.is_ref:
            graph = self._graph
            return _ops.make_op(graph, graph._op_name("read", "read"), "Identity",
                                [ops.handle], {"T": ops.dtype},
                                [(ops.dtype, ops.shape)])._outputs[0]
        graph = self._graph
        full = graph._op_name("Read", "Read")
        with scope_of(graph, full):
            v = state_ops.read_variable_op(ops.handle, ops.dtype, ops.shape)
        from varstore.ops.array_ops import identity

        return identity(v)

    def is_initialized(self, name: str | None = None) -> Tensor:
        ops = self._ops
        graph = self._graph
        op_type = "IsVariableInitialized" if ops.is_ref else "VarIsInitializedOp"
        full = graph._op_name(name, op_type)
        attrs = {"dtype": ops.dtype} if ops.is_ref else {}  # (VarIsInitializedOp has none)
        return make_op(graph, full, op_type, [ops.handle], attrs,
                       [(_dtypes.bool, ())])._outputs[0]

    def initialized_value(self) -> Tensor:
        """The value once initialised: a cond that runs the initial value when this
        session has not initialised the variable (TF1's ``initialized_value``)."""
        state = self._graph._thread
        saved, state.control_deps = state.control_deps, []
        try:
            return control_flow_ops.cond(self.is_initialized(), self.read_value,  # type: ignore[no-any-return]
                                         lambda: self.initial_value)
        finally:
            state.control_deps = saved

    # -- writing --------------------------------------------------------------------------
    def assign(self, value: Any, use_locking: Any = None, name: str | None = None,
               read_value: bool = True) -> Any:
        """An op that sets the variable to ``value`` when run (its result reads the new
        value)."""
        out = state_ops.assign_op(self, value, "AssignVariableOp", "AssignVariableOp", name,
                                  True)
        return self._after(out, read_value)

    def assign_add(self, delta: Any, use_locking: Any = None, name: str | None = None,
                   read_value: bool = True) -> Any:
        out = state_ops.assign_op(self, delta, "AssignAddVariableOp", "AssignAddVariableOp",
                                  name, True)
        return self._after(out, read_value)

    def assign_sub(self, delta: Any, use_locking: Any = None, name: str | None = None,
                   read_value: bool = True) -> Any:
        out = state_ops.assign_op(self, delta, "AssignSubVariableOp", "AssignSubVariableOp",
                                  name, True)
        return self._after(out, read_value)

    def _after(self, out: Any, read_value: bool) -> Any:
        if isinstance(out, Tensor):  # a ref variable's assign returns the new value
            return out
        if not read_value:
            return out
        from varstore._variable_unread import _UnreadVariable  # (it subclasses Variable)

        return _UnreadVariable._of(self, out)

    def load(self, value: Any, session: Any = None) -> None:
        """Sets the value in ``session`` by running the initializer with ``value`` fed."""
        from varstore.framework.session import get_default_session

        if session is None:
            session = get_default_session()
            if session is None:
                raise ValueError("Either session argument should be provided or default "
                                 "session should be established")
        init = self.initializer
        session.run(init, {init._inputs[1]: value})

    def _set_initial_value(self, value: Tensor) -> None:
        """Makes ``value`` (init_from_checkpoint's RestoreV2 output) the variable's initial
        value and its initializer an assignment of it, as TF's restore of one variable:
        Identity + AssignVariableOp for a resource variable, Assign for a ref one."""
        ops, graph = self._ops, self._graph
        value.set_shape(ops.shape)
        if ops.is_ref:
            ops.initializer = make_op(
                graph, graph._op_name("Assign", "Assign"), "Assign", [ops.handle, value],
                {"T": ops.dtype, "use_locking": True, "validate_shape": True},
                [(ops.dtype, ops.shape)])
        else:
            same = make_op(graph, graph._op_name("Identity", "Identity"), "Identity", [value],
                           {"T": ops.dtype}, [(ops.dtype, ops.shape)])._outputs[0]
            ops.initializer = make_op(
                graph, graph._op_name("AssignVariableOp", "AssignVariableOp"),
                "AssignVariableOp", [ops.handle, same], {"dtype": ops.dtype}, [])
        ops.initial = value

    # -- values without a session (conveniences beyond TF1) ---------------------------------
    def _value_array(self) -> np.ndarray:
        from varstore.framework.session import eager_session

        return np.asarray(eager_session(self._graph).run(self._ops.element))

    def _view(self) -> np.ndarray:
        value = state_ops.current(self._graph, self._id)
        if value is None:
            value = self._value_array()
        return value

    def numpy(self) -> np.ndarray:
        return np.array(self._view(), copy=True)

    def eval(self, session: Any = None) -> np.ndarray:
        return self._ops.element.eval(session=session)  # type: ignore[no-any-return]

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """A read-only, zero-copy view of the variable's current value."""
        view: np.ndarray = self._view().view()
        view.flags.writeable = False
        if dtype is not None and np.dtype(dtype) != view.dtype:
            return view.astype(dtype)
        if copy:
            return view.copy()  # type: ignore[no-any-return]
        return view

    def set_shape(self, shape: Any) -> None:
        if not self.shape.is_compatible_with(shape):
            raise ValueError(f"Variable {self._shared_name} has shape {self.shape}, not "
                             f"compatible with {as_shape(shape)}")

    def _repr_dtype(self) -> str:
        # a ref variable's value is a ref (TF prints RefVariables as dtype=float32_ref)
        return self.dtype.name

    def count_up_to(self, limit: int) -> Tensor:
        """``Variable.count_up_to``: op (Resource)CountUpTo, as tf.count_up_to."""
        return state_ops.count_up_to(self, limit)

    def __repr__(self) -> str:
        return f"<tf.Variable '{self.name}' shape={self.shape} dtype={self._repr_dtype()}>"

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    def __bool__(self) -> bool:
        return self._as_tensor().__bool__()

    def __iter__(self) -> Any:
        return iter(self._as_tensor())

    def __getitem__(self, key: Any) -> Tensor:
        # TF's _SliceHelperVar: the slice can assign into the variable (v[1:3].assign(x))
        return strided_slice_assign_ops.sliced_variable(self, super().__getitem__(key))

    def experimental_ref(self) -> Any:
        return self

    ref = experimental_ref


def _variable_conversion(value: Any, dtype: Any = None, name: Any = None,
                         as_ref: bool = False) -> Tensor:
    return value._as_tensor(as_ref)  # type: ignore[no-any-return]


register_tensor_conversion_function(Variable, _variable_conversion)


def unsupported_dtype(dtype: _dtypes.DType) -> str:
    """Why a variable cannot have this dtype: the C++ store holds fixed-size elements."""
    return (f"varstore's variables cannot hold {dtype.name} values (tf.{dtype.name}): the C++ "
            "variable store holds fixed-size numeric and bool elements only")
