"""Variables: light Python wrappers over the C++ store's buffers.

A ``Variable`` holds only its graph and its id in the graph's store; its name, shape and
dtype live in C++, and ``np.asarray(v)`` is a zero-copy view of its 64-byte-aligned buffer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from varstore import _core
from varstore import dtypes as _dtypes
from varstore.graph import GraphKeys, get_default_graph
from varstore.tensor import Operation, Tensor, TensorShape, as_shape

if TYPE_CHECKING:
    from varstore.graph import Graph

__all__ = [
    "Variable",
    "all_variables",
    "global_variables",
    "local_variables",
    "model_variables",
    "trainable_variables",
]

_BITS = {GraphKeys.GLOBAL_VARIABLES: 1, GraphKeys.TRAINABLE_VARIABLES: 2,
         GraphKeys.LOCAL_VARIABLES: 4}


def _collection_bits(collections: Any) -> int:
    bits = 0
    for key in collections:
        bits |= _BITS.get(key, 0)
    return bits


def _python_default(arr: np.ndarray) -> np.ndarray:
    """TF's dtype for Python values: float -> float32, int -> int32 (int64 if needed)."""
    if arr.dtype == np.float64:
        return arr.astype(np.float32)
    if arr.dtype == np.int64 and (
            arr.size == 0 or (arr.min() >= -(2**31) and arr.max() < 2**31)):
        return arr.astype(np.int32)
    return arr


def _to_numpy(value: Any, dtype: _dtypes.DType | None = None) -> np.ndarray:
    """The NumPy value of an initial value (Tensor, Variable, array or Python value),
    converted like TF's convert_to_tensor, without creating any op."""
    if isinstance(value, Tensor):
        arr = value._value
        if dtype is not None and value.dtype != dtype:
            raise ValueError(
                f"Tensor conversion requested dtype {dtype.name} for Tensor with dtype "
                f"{value.dtype.name}: {value!r}"
            )
        return arr
    if isinstance(value, Variable):
        arr = value._view()
        if dtype is not None and value.dtype != dtype:
            raise ValueError(
                f"Tensor conversion requested dtype {dtype.name} for variable with dtype "
                f"{value.dtype.name}: {value!r}"
            )
        return arr
    if isinstance(value, (np.ndarray, np.generic)):
        arr = np.asarray(value)
        _dtypes._from_numpy(arr.dtype)  # TypeError for unsupported element types
    else:
        try:
            arr = np.asarray(value)
        except (ValueError, TypeError) as exc:
            raise TypeError(f"Cannot convert {value!r} to a tensor: {exc}") from None
        if arr.dtype == object or arr.dtype.kind in "USV":
            raise TypeError(f"Cannot convert {value!r} to a tensor of a numeric type")
        if dtype is None:
            arr = _python_default(arr)
    if (dtype is not None and dtype._np.kind in "iub" and arr.dtype.kind == "f"
            and not isinstance(value, (np.ndarray, np.generic))):
        # TF converts Python floats to an integer dtype never, not even 2.0.
        first = value
        while isinstance(first, (list, tuple)) and first:
            first = first[0]
        raise TypeError(
            f"Expected {dtype.name}, but got {first!r} of type '{type(first).__name__}'.")
    if dtype is not None and arr.dtype != dtype._np:
        target = dtype._np
        if (arr.dtype.kind == "f" and target.kind in "iub"
                and not np.all(np.equal(np.mod(arr, 1), 0))):
            raise TypeError(
                f"Expected {dtype.name}, but got {value!r} of type '{type(value).__name__}'."
            )
        arr = arr.astype(target)
    return arr


class Variable(_core.store.VariableBase):
    """``tf.Variable``: a named, mutable tensor held by the graph's C++ store.

    ``get_variable`` returns the same object every time it finds a variable, as TF does.
    """

    __slots__ = ()  # graph, store and id live in _core.store.VariableBase (64 bytes in all)

    __array_priority__ = 100

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
        if trainable is None:
            trainable = True
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
        with graph.name_scope("Variable" if name is None else name) as scope:
            graph_name = scope[:-1]
            if name and name[-1] == "/":
                graph._exact_names.add(graph_name)  # an exact name: not in the uniquifier
            dt = None if dtype is None else _dtypes.as_dtype(dtype)
            if callable(initial_value):
                with graph.name_scope("Initializer"):
                    initial_value = initial_value()
            value = _to_numpy(initial_value, dt)
            initial_name = (initial_value.op.name if isinstance(initial_value, Tensor)
                            else f"{graph_name}/Initializer/initial_value")
        if shape is not None:
            want = as_shape(shape)
            if not want.is_compatible_with(value.shape):
                raise ValueError(
                    f"Variable {graph_name}: initial value of shape {TensorShape(value.shape)} "
                    f"is not compatible with shape {want}"
                )
        var_dtype = _dtypes._from_numpy(value.dtype)
        vid = graph._store.add_variable(
            graph_name, tuple(value.shape), var_dtype._code, bool(trainable),
            _collection_bits(collections)
        )
        self._graph = graph
        self._store = graph._store
        self._id = vid
        self._store.array(vid)[...] = value
        variables = graph._variables
        while len(variables) <= vid:
            variables.append(None)
        variables[vid] = self
        graph._add_variable_to_collections(collections, self)
        graph._initial_names[vid] = initial_name
        if constraint is not None:
            graph._constraints[vid] = constraint

    @classmethod
    def _wrap(cls, graph: Graph, vid: int) -> Variable:
        self = cls.__new__(cls)
        self._graph = graph
        self._store = graph._store
        self._id = vid
        return self

    # -- TF1 properties -------------------------------------------------------------------
    @property
    def name(self) -> str:
        return f"{self._store.graph_name(self._id)}:0"

    @property
    def _shared_name(self) -> str:
        return str(self._store.graph_name(self._id))

    @property
    def op(self) -> Operation:
        return Operation(self._store.graph_name(self._id), "VarHandleOp", self._graph)

    @property
    def dtype(self) -> _dtypes.DType:
        return _dtypes._from_code(self._store.dtype(self._id))

    @property
    def shape(self) -> TensorShape:
        return TensorShape._known(self._store.shape(self._id))

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
        return ""

    @property
    def constraint(self) -> Any:
        return self._graph._constraints.get(self._id)

    @property
    def initializer(self) -> Operation:
        from varstore.compat import _InitOp

        op = _InitOp(f"{self._store.graph_name(self._id)}/Assign", "AssignVariableOp",
                     self._graph)
        op._var_ids = [self._id]
        return op

    @property
    def initial_value(self) -> Tensor:
        """The tensor the variable was initialised from, named as TF names it (its current
        value: values are eager here)."""
        from varstore.variable_scope import _INIT_KIND_OPS

        graph = self._graph
        name = graph._initial_names.get(self._id)
        if name is None:
            kinds = graph._init_kinds
            op = _INIT_KIND_OPS[kinds[self._id]] if self._id < len(kinds) else ""
            if not op:
                op = "random_uniform" if self.dtype.is_floating else "zeros"
            name = f"{self._store.graph_name(self._id)}/Initializer/{op}"
        return Tensor._create("Identity", name, self._view().copy(), graph, self.dtype)

    # -- values ---------------------------------------------------------------------------
    def _view(self) -> np.ndarray:
        """Zero-copy view of the variable's buffer in the C++ store."""
        view: np.ndarray = self._store.array(self._id)
        return view

    def numpy(self) -> np.ndarray:
        copy: np.ndarray = self._view().copy()
        return copy

    def eval(self, session: Any = None) -> np.ndarray:
        return self.numpy()

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """A read-only, zero-copy view of the store's buffer (write with ``assign``)."""
        view: np.ndarray = self._view()
        if dtype is not None and np.dtype(dtype) != view.dtype:
            converted: np.ndarray = view.astype(dtype)
            return converted
        if copy:
            copied: np.ndarray = view.copy()
            return copied
        view.flags.writeable = False
        return view

    def _as_tensor(self) -> Tensor:
        """Reading the variable: a ReadVariableOp in the current name scope, as TF's
        resource variables do when they are used as an op input."""
        graph = self._graph
        return Tensor._create("ReadVariableOp", graph.unique_name("ReadVariableOp"),
                              self._view().copy(), graph, self.dtype)

    def value(self) -> Tensor:
        return self._as_tensor()

    def read_value(self) -> Tensor:
        graph = self._graph
        return Tensor._create("Identity", graph.unique_name("Identity"), self._view().copy(),
                              graph, self.dtype)

    def assign(self, value: Any, use_locking: Any = None, name: Any = None,
               read_value: bool = True) -> Variable:
        """Writes ``value`` into the variable's buffer in place (shape must match)."""
        arr = _to_numpy(value, self.dtype)
        view = self._view()
        if arr.shape != view.shape:
            raise ValueError(
                f"Cannot assign value of shape {TensorShape(arr.shape)} to variable "
                f"{self._shared_name} of shape {self.shape}"
            )
        view[...] = arr
        self._store.bump_version(self._id)
        return self

    def assign_add(self, delta: Any, use_locking: Any = None, name: Any = None,
                   read_value: bool = True) -> Variable:
        view = self._view()
        return self.assign(view + _to_numpy(delta, self.dtype))

    def assign_sub(self, delta: Any, use_locking: Any = None, name: Any = None,
                   read_value: bool = True) -> Variable:
        view = self._view()
        return self.assign(view - _to_numpy(delta, self.dtype))

    def load(self, value: Any, session: Any = None) -> None:
        self.assign(value)

    def set_shape(self, shape: Any) -> None:
        if not self.shape.is_compatible_with(shape):
            raise ValueError(f"Variable {self._shared_name} has shape {self.shape}, not "
                             f"compatible with {as_shape(shape)}")

    def __repr__(self) -> str:
        return f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}>"

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    def __bool__(self) -> bool:
        return self._as_tensor().__bool__()

    def __getitem__(self, key: Any) -> Tensor:
        return self._as_tensor()[key]

    def __len__(self) -> int:
        return len(self._as_tensor())

    # Operators read the variable first (a ReadVariableOp), as TF does.
    def __add__(self, other: Any) -> Tensor:
        return self._as_tensor().__add__(other)

    def __radd__(self, other: Any) -> Tensor:
        return self._as_tensor().__radd__(other)

    def __sub__(self, other: Any) -> Tensor:
        return self._as_tensor().__sub__(other)

    def __rsub__(self, other: Any) -> Tensor:
        return self._as_tensor().__rsub__(other)

    def __mul__(self, other: Any) -> Tensor:
        return self._as_tensor().__mul__(other)

    def __rmul__(self, other: Any) -> Tensor:
        return self._as_tensor().__rmul__(other)

    def __truediv__(self, other: Any) -> Tensor:
        return self._as_tensor().__truediv__(other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return self._as_tensor().__rtruediv__(other)

    def __matmul__(self, other: Any) -> Tensor:
        return self._as_tensor().__matmul__(other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return self._as_tensor().__rmatmul__(other)

    def __neg__(self) -> Tensor:
        return self._as_tensor().__neg__()


def _scoped(key: str, scope: str | None) -> list[Any]:
    return get_default_graph().get_collection(key, scope)


def global_variables(scope: str | None = None) -> list[Any]:
    return _scoped(GraphKeys.GLOBAL_VARIABLES, scope)


def all_variables() -> list[Any]:
    return global_variables()


def trainable_variables(scope: str | None = None) -> list[Any]:
    return _scoped(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope: str | None = None) -> list[Any]:
    return _scoped(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope: str | None = None) -> list[Any]:
    return _scoped(GraphKeys.MODEL_VARIABLES, scope)
