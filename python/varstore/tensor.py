"""Tensor, Operation and TensorShape: eager NumPy values that carry TF1 graph-mode names."""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Union, overload

import numpy as np

from varstore import dtypes as _dtypes

if TYPE_CHECKING:
    from varstore.graph import Graph

__all__ = ["Operation", "Tensor", "TensorShape", "as_shape", "dimension_value"]


def _as_dim(value: Any) -> int | None:
    """TF's as_dimension: an int >= 0 or None; TypeError/ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not hasattr(value, "__index__"):
        raise TypeError(
            "Dimension value must be integer or None or have an __index__ method, got value "
            f"'{value!r}' with type '{type(value)!r}'"
        )
    dim = int(value.__index__())
    if dim < 0:
        raise ValueError(f"Dimension {dim} must be >= 0")
    return dim


class TensorShape:
    """The (possibly partially known) shape of a tensor, as ``tf.TensorShape``."""

    __slots__ = ("_dims",)

    def __init__(self, dims: Any) -> None:
        if dims is None:
            self._dims: tuple[int | None, ...] | None = None
        elif isinstance(dims, TensorShape):
            self._dims = dims._dims
        elif isinstance(dims, (str, bytes)):
            first = dims[:1]
            raise TypeError(
                f"Failed to convert '{dims!r}' to a shape: '{first!r}'could not be converted to "
                "a dimension. A shape should either be single dimension (e.g. 10), or an "
                "iterable of dimensions (e.g. [1, 10, None])."
            )
        elif isinstance(dims, (Sequence, np.ndarray)):
            self._dims = tuple(_as_dim(d) for d in dims)
        else:
            self._dims = (_as_dim(dims),)

    @classmethod
    def _known(cls, dims: tuple[int, ...]) -> TensorShape:
        shape = cls.__new__(cls)
        shape._dims = dims
        return shape

    @property
    def dims(self) -> list[int | None] | None:
        return None if self._dims is None else list(self._dims)

    @property
    def ndims(self) -> int | None:
        return None if self._dims is None else len(self._dims)

    @property
    def rank(self) -> int | None:
        return self.ndims

    def as_list(self) -> list[int | None]:
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    def is_fully_defined(self) -> bool:
        return self._dims is not None and all(d is not None for d in self._dims)

    def num_elements(self) -> int | None:
        if not self.is_fully_defined():
            return None
        assert self._dims is not None
        n = 1
        for d in self._dims:
            assert d is not None
            n *= d
        return n

    def is_compatible_with(self, other: Any) -> bool:
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return True
        if len(self._dims) != len(other._dims):
            return False
        return all(a is None or b is None or a == b for a, b in zip(self._dims, other._dims))

    def assert_is_compatible_with(self, other: Any) -> None:
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {as_shape(other)} are incompatible")

    def merge_with(self, other: Any) -> TensorShape:
        shape = as_shape(other)
        if self._dims is None:
            return shape
        if shape._dims is None:
            return self
        self.assert_is_compatible_with(shape)
        return TensorShape([a if a is not None else b for a, b in zip(self._dims, shape._dims)])

    def concatenate(self, other: Any) -> TensorShape:
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return TensorShape(None)
        return TensorShape(self._dims + other._dims)

    def __len__(self) -> int:
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __bool__(self) -> bool:
        return self._dims is not None

    def __iter__(self) -> Iterator[int | None]:
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(self._dims)

    @overload
    def __getitem__(self, key: int) -> int | None: ...
    @overload
    def __getitem__(self, key: slice) -> TensorShape: ...
    def __getitem__(self, key: int | slice) -> int | TensorShape | None:
        if self._dims is None:
            if isinstance(key, slice):
                return TensorShape(None)
            return None
        if isinstance(key, slice):
            return TensorShape(self._dims[key])
        return self._dims[key]

    def __eq__(self, other: object) -> bool:
        try:
            other_shape = as_shape(other)
        except (TypeError, ValueError):
            return NotImplemented
        return self._dims == other_shape._dims

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self) -> int:
        return hash(self._dims)

    def __str__(self) -> str:
        if self._dims is None:
            return "<unknown>"
        inner = ", ".join("None" if d is None else str(d) for d in self._dims)
        return f"({inner},)" if len(self._dims) == 1 else f"({inner})"

    def __repr__(self) -> str:
        if self._dims is None:
            return "TensorShape(None)"
        return f"TensorShape({list(self._dims)})"


def as_shape(shape: Any) -> TensorShape:
    """Converts a list, tuple, int, None or TensorShape to a TensorShape."""
    if isinstance(shape, TensorShape):
        return shape
    return TensorShape(shape)


def dimension_value(dimension: Any) -> int | None:
    return None if dimension is None else int(dimension)


class Operation:
    """The op that produced a tensor: its graph-mode name and type."""

    __slots__ = ("_graph", "_name", "_outputs", "_type")

    def __init__(self, name: str, op_type: str, graph: Graph) -> None:
        self._name = name
        self._type = op_type
        self._graph = graph
        # Weak: a tensor owns its op, not the other way round. A strong cycle would keep
        # every result buffer alive until the cyclic GC ran (fresh pages, page faults).
        self._outputs: list[weakref.ref[Tensor]] = []

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
    def outputs(self) -> list[Tensor]:
        return [t for t in (ref() for ref in self._outputs) if t is not None]

    def values(self) -> tuple[Tensor, ...]:
        return tuple(self.outputs)

    @property
    def device(self) -> str:
        return ""

    def __repr__(self) -> str:
        return f"<tf.Operation '{self._name}' type={self._type}>"


TensorLike = Union["Tensor", np.ndarray, float, int, bool, Sequence[Any]]


class Tensor:
    """An eager tensor: a NumPy value plus the name and op TF1 graph mode would give it."""

    __slots__ = ("__weakref__", "_dtype", "_index", "_op", "_pending", "_resample", "_val")

    # NumPy must defer to our operators (ndarray + Tensor -> Tensor.__radd__).
    __array_priority__ = 100

    def __init__(self, op: Operation, value: np.ndarray | None, dtype: _dtypes.DType,
                 index: int = 0, pending: Any = None) -> None:
        self._op = op
        self._val = value
        self._dtype = dtype
        self._index = index
        # A deferred computation (e.g. conv2d waiting to fuse a following bias_add/relu):
        # an object with .shape and .compute() -> ndarray, run on first use of the value.
        self._pending = pending
        # For random ops: draw number k (a Session re-runs a random op at every run, as TF).
        self._resample: Any = None

    @property
    def _value(self) -> np.ndarray:
        val = self._val
        if val is None:
            pending = self._pending
            if pending is None:  # another thread has just computed it
                return self._val  # type: ignore[return-value]
            val = pending.compute()
            self._val = val  # set before clearing _pending (see above)
            self._pending = None
        return val

    @classmethod
    def _create(cls, op_type: str, op_name: str, value: np.ndarray, graph: Graph,
                dtype: _dtypes.DType | None = None) -> Tensor:
        """Makes the single output of a new op named ``op_name`` (already unique)."""
        if dtype is None:
            dtype = _dtypes._from_numpy(value.dtype)
        op = Operation(op_name, op_type, graph)
        tensor = cls(op, value, dtype)
        op._outputs.append(weakref.ref(tensor))
        return tensor

    # -- TF1 properties -------------------------------------------------------------------
    @property
    def name(self) -> str:
        return f"{self._op._name}:{self._index}"

    @property
    def op(self) -> Operation:
        return self._op

    @property
    def dtype(self) -> _dtypes.DType:
        return self._dtype

    @property
    def graph(self) -> Graph:
        return self._op._graph

    @property
    def value_index(self) -> int:
        return self._index

    @property
    def device(self) -> str:
        return ""

    @property
    def shape(self) -> TensorShape:
        val = self._val
        return TensorShape._known(val.shape if val is not None else self._pending.shape)

    def get_shape(self) -> TensorShape:
        return self.shape

    def set_shape(self, shape: Any) -> None:
        if not self.shape.is_compatible_with(shape):
            raise ValueError(f"Tensor's shape {self.shape} is not compatible with supplied "
                             f"shape {as_shape(shape)}.")

    @property
    def ndim(self) -> int:
        return len(self.shape)

    # -- values ---------------------------------------------------------------------------
    def numpy(self) -> np.ndarray:
        return self._value

    def eval(self, feed_dict: Any = None, session: Any = None) -> np.ndarray:
        return self._value

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        if dtype is None or np.dtype(dtype) == self._value.dtype:
            return self._value.copy() if copy else self._value
        return self._value.astype(dtype)

    def __bool__(self) -> bool:
        raise TypeError(
            "Using a symbolic `tf.Tensor` as a Python `bool` is not allowed. You can attempt "
            "the following resolutions to the problem: If you are running in Graph mode, use "
            "Eager execution mode or decorate this function with @tf.function."
        )

    def __len__(self) -> int:
        if self._value.ndim == 0:
            raise TypeError("len is not well defined for a rank-0 tensor")
        return int(self._value.shape[0])

    def __iter__(self) -> Iterator[Tensor]:
        from varstore import ops

        if self._value.ndim == 0:
            raise TypeError("Cannot iterate over a scalar tensor.")
        for i in range(self._value.shape[0]):
            yield ops._getitem(self, i)

    def __getitem__(self, key: Any) -> Tensor:
        from varstore import ops

        return ops._getitem(self, key)

    def __repr__(self) -> str:
        return f"<tf.Tensor '{self.name}' shape={self.shape} dtype={self._dtype.name}>"

    def __str__(self) -> str:
        return f'Tensor("{self.name}", shape={self.shape}, dtype={self._dtype.name})'

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    # -- operators (TF1 op names: add, sub, mul, truediv, MatMul, Neg ...) -----------------
    def __add__(self, other: Any) -> Tensor:
        from varstore import ops

        return ops._binary_operator("add", self, other, False)

    def __radd__(self, other: Any) -> Tensor:
        from varstore import ops

        return ops._binary_operator("add", self, other, True)

    def __sub__(self, other: Any) -> Tensor:
        from varstore import ops

        return ops._binary_operator("sub", self, other, False)

    def __rsub__(self, other: Any) -> Tensor:
        from varstore import ops

        return ops._binary_operator("sub", self, other, True)

    def __mul__(self, other: Any) -> Tensor:
        from varstore import ops

        return ops._binary_operator("mul", self, other, False)

    def __rmul__(self, other: Any) -> Tensor:
        from varstore import ops

        return ops._binary_operator("mul", self, other, True)

    def __truediv__(self, other: Any) -> Tensor:
        from varstore import ops

        return ops._binary_operator("truediv", self, other, False)

    def __rtruediv__(self, other: Any) -> Tensor:
        from varstore import ops

        return ops._binary_operator("truediv", self, other, True)

    def __matmul__(self, other: Any) -> Tensor:
        from varstore import ops

        return ops._binary_operator("matmul", self, other, False)

    def __rmatmul__(self, other: Any) -> Tensor:
        from varstore import ops

        return ops._binary_operator("matmul", self, other, True)

    def __neg__(self) -> Tensor:
        from varstore import ops

        return ops._unary_operator("Neg", self)
