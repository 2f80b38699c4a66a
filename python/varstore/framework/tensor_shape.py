"""TensorShape and Dimension: static, possibly partly unknown shapes (``tf.TensorShape``).

Shapes are kept as a tuple of ``int | None`` (None: an unknown dimension), or None for an
unknown rank. Indexing a shape returns ints and None (TF 2's behaviour, which
``tf.compat.v1`` graph mode keeps); after ``tf.disable_v2_behavior()`` or
``tf.disable_v2_tensorshape()`` it returns ``Dimension`` objects with ``.value``, as TF 1.x
programs expect (``x.get_shape()[1].value``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from typing import Any, overload

import numpy as np

__all__ = [
    "Dimension",
    "TensorShape",
    "as_dimension",
    "as_shape",
    "dimension_at_index",
    "dimension_value",
    "disable_v2_tensorshape",
    "enable_v2_tensorshape",
    "undimension",
    "unknown_shape",
]

Dims = "tuple[int | None, ...] | None"

# TF's _TENSORSHAPE_V2_OVERRIDE: True = dims are ints/None, False = Dimension objects.
_V2 = [True]


def _v2_for_caller() -> bool:
    """Whether the code indexing a shape gets ints: always in TF2's mode; after
    disable_v2_tensorshape only varstore's own modules do (they read shapes as ints and
    None, as TF's own code does through dimension_value), while the program gets TF1's
    Dimension objects."""
    if _V2[0]:
        return True
    name = sys._getframe(2).f_globals.get("__name__", "")
    return isinstance(name, str) and name.startswith("varstore.")


def enable_v2_tensorshape() -> None:
    _V2[0] = True


def disable_v2_tensorshape() -> None:
    _V2[0] = False


def _as_dim(value: Any) -> int | None:
    """TF's as_dimension value check: an int >= 0 or None; TypeError/ValueError otherwise."""
    if value is None:
        return None
    if type(value) is int:
        if value < 0:
            raise ValueError(f"Dimension {value} must be >= 0")
        return value
    if isinstance(value, Dimension):
        return value._value
    if isinstance(value, (bool, np.bool_)) or not hasattr(value, "__index__"):
        raise TypeError(
            "Dimension value must be integer or None or have an __index__ method, got value "
            f"'{value!r}' with type '{type(value)!r}'"
        )
    dim = int(value.__index__())
    if dim < 0:
        raise ValueError(f"Dimension {dim} must be >= 0")
    return dim


def undimension(value: Any) -> Any:
    """``value`` with each Dimension (TF1's shape[i] after disable_v2_tensorshape) replaced
    by its int or None, in nested lists and tuples too; anything else as it is. TF's
    conversions accept Dimensions wherever an int goes (a shape list, an index, a count)."""
    if type(value) is Dimension:
        return value._value
    if isinstance(value, (list, tuple)) and any(
            type(v) is Dimension or isinstance(v, (list, tuple)) for v in value):
        return type(value)(undimension(v) for v in value)
    return value


class Dimension:
    """One dimension of a shape (TF 1.x's ``tf.Dimension``): ``.value`` is an int or None."""

    __slots__ = ("_value",)

    def __init__(self, value: Any) -> None:
        self._value = _as_dim(value)

    @property
    def value(self) -> int | None:
        return self._value

    def __repr__(self) -> str:
        return f"Dimension({self._value!r})"

    def __str__(self) -> str:
        return "?" if self._value is None else str(self._value)

    def __int__(self) -> int:
        if self._value is None:
            raise TypeError("int() argument must be a string, a bytes-like object or a number, "
                            "not 'NoneType'")
        return self._value

    def __index__(self) -> int:
        return self.__int__()

    def __hash__(self) -> int:
        return hash(self._value)

    def _other(self, other: Any) -> int | None:
        return as_dimension(other)._value

    def __eq__(self, other: object) -> Any:
        try:
            o = self._other(other)
        except (TypeError, ValueError):
            return NotImplemented
        if self._value is None or o is None:
            return None
        return self._value == o

    def __ne__(self, other: object) -> Any:
        try:
            o = self._other(other)
        except (TypeError, ValueError):
            return NotImplemented
        if self._value is None or o is None:
            return None
        return self._value != o

    def _arith(self, other: Any, fn: Any) -> Dimension:
        o = self._other(other)
        if self._value is None or o is None:
            return Dimension(None)
        return Dimension(fn(self._value, o))

    def __add__(self, other: Any) -> Dimension:
        return self._arith(other, lambda a, b: a + b)

    __radd__ = __add__

    def __sub__(self, other: Any) -> Dimension:
        return self._arith(other, lambda a, b: a - b)

    def __rsub__(self, other: Any) -> Dimension:
        return self._arith(other, lambda a, b: b - a)

    def __mul__(self, other: Any) -> Dimension:
        return self._arith(other, lambda a, b: a * b)

    __rmul__ = __mul__

    def __floordiv__(self, other: Any) -> Dimension:
        return self._arith(other, lambda a, b: a // b)

    def __rfloordiv__(self, other: Any) -> Dimension:
        return self._arith(other, lambda a, b: b // a)

    def __mod__(self, other: Any) -> Dimension:
        return self._arith(other, lambda a, b: a % b)

    def _cmp(self, other: Any, fn: Any) -> bool | None:
        o = self._other(other)
        if self._value is None or o is None:
            return None
        return bool(fn(self._value, o))

    def __lt__(self, other: Any) -> bool | None:
        return self._cmp(other, lambda a, b: a < b)

    def __le__(self, other: Any) -> bool | None:
        return self._cmp(other, lambda a, b: a <= b)

    def __gt__(self, other: Any) -> bool | None:
        return self._cmp(other, lambda a, b: a > b)

    def __ge__(self, other: Any) -> bool | None:
        return self._cmp(other, lambda a, b: a >= b)

    def is_compatible_with(self, other: Any) -> bool:
        o = self._other(other)
        return self._value is None or o is None or self._value == o

    def assert_is_compatible_with(self, other: Any) -> None:
        if not self.is_compatible_with(other):
            raise ValueError(f"Dimensions {self} and {as_dimension(other)} are not compatible")

    def merge_with(self, other: Any) -> Dimension:
        o = self._other(other)
        self.assert_is_compatible_with(other)
        return Dimension(self._value if self._value is not None else o)


def as_dimension(value: Any) -> Dimension:
    return value if isinstance(value, Dimension) else Dimension(value)


def _parse_dims(dims: Any) -> tuple[int | None, ...] | None:
    if dims is None:
        return None
    if isinstance(dims, TensorShape):
        return dims._dims
    if isinstance(dims, (str, bytes)):
        first = dims[:1]
        raise TypeError(
            f"Failed to convert '{dims!r}' to a shape: '{first!r}'could not be converted to "
            "a dimension. A shape should either be single dimension (e.g. 10), or an "
            "iterable of dimensions (e.g. [1, 10, None])."
        )
    if isinstance(dims, (Sequence, np.ndarray)):
        return tuple(_as_dim(d) for d in dims)
    if hasattr(dims, "__iter__") and not hasattr(dims, "__index__"):
        return tuple(_as_dim(d) for d in dims)
    return (_as_dim(dims),)


class TensorShape:
    """The (possibly partially known) shape of a tensor, as ``tf.TensorShape``."""

    __slots__ = ("_dims",)

    def __init__(self, dims: Any) -> None:
        self._dims: tuple[int | None, ...] | None = _parse_dims(dims)

    @classmethod
    def _of(cls, dims: tuple[int | None, ...] | None) -> TensorShape:
        """A shape from an already checked tuple (no validation)."""
        shape = cls.__new__(cls)
        shape._dims = dims
        return shape

    _known = _of

    @property
    def dims(self) -> list[Any] | None:
        """Dimension objects in either mode (TF's deprecated ``dims``; ``as_list()`` gives
        ints)."""
        if self._dims is None:
            return None
        return [Dimension(d) for d in self._dims]

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

    def as_proto(self) -> Any:
        return self._dims

    def is_fully_defined(self) -> bool:
        return self._dims is not None and None not in self._dims

    def assert_is_fully_defined(self) -> None:
        if not self.is_fully_defined():
            raise ValueError(f"Shape {self} is not fully defined")

    def num_elements(self) -> int | None:
        if not self.is_fully_defined():
            return None
        assert self._dims is not None
        n = 1
        for d in self._dims:
            n *= d  # type: ignore[operator]
        return n

    def is_compatible_with(self, other: Any) -> bool:
        other = as_shape(other)
        return compatible(self._dims, other._dims)

    def assert_is_compatible_with(self, other: Any) -> None:
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {as_shape(other)} are incompatible")

    def assert_has_rank(self, rank: int) -> None:
        if self._dims is not None and len(self._dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")

    def assert_same_rank(self, other: Any) -> None:
        other = as_shape(other)
        if (self._dims is not None and other._dims is not None
                and len(self._dims) != len(other._dims)):
            raise ValueError(f"Shapes {self} and {other} must have the same rank")

    def with_rank(self, rank: int) -> TensorShape:
        try:
            return self.merge_with(unknown_shape(rank=rank))
        except ValueError:
            raise ValueError(f"Shape {self} must have rank {rank}") from None

    def with_rank_at_least(self, rank: int) -> TensorShape:
        if self._dims is not None and len(self._dims) < rank:
            raise ValueError(f"Shape {self} must have rank at least {rank}")
        return self

    def with_rank_at_most(self, rank: int) -> TensorShape:
        if self._dims is not None and len(self._dims) > rank:
            raise ValueError(f"Shape {self} must have rank at most {rank}")
        return self

    def merge_with(self, other: Any) -> TensorShape:
        shape = as_shape(other)
        merged = merge(self._dims, shape._dims)
        if merged is _INCOMPATIBLE:
            raise ValueError(f"Shapes {self} and {shape} are not compatible")
        return TensorShape._of(merged)

    def concatenate(self, other: Any) -> TensorShape:
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return TensorShape(None)
        return TensorShape._of(self._dims + other._dims)

    def most_specific_compatible_shape(self, other: Any) -> TensorShape:
        other = as_shape(other)
        if self._dims is None or other._dims is None or len(self._dims) != len(other._dims):
            return TensorShape(None)
        return TensorShape._of(tuple(a if a == b else None
                                     for a, b in zip(self._dims, other._dims)))

    def __len__(self) -> int:
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __bool__(self) -> bool:
        return self._dims is not None

    __nonzero__ = __bool__

    def __iter__(self) -> Iterator[Any]:
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        if _v2_for_caller():
            return iter(self._dims)
        return iter([Dimension(d) for d in self._dims])

    @overload
    def __getitem__(self, key: int) -> Any: ...
    @overload
    def __getitem__(self, key: slice) -> TensorShape: ...
    def __getitem__(self, key: int | slice) -> Any:
        if self._dims is None:
            if isinstance(key, slice):
                return TensorShape(None)
            return None if _v2_for_caller() else Dimension(None)
        if isinstance(key, slice):
            return TensorShape._of(self._dims[key])
        d = self._dims[key]
        return d if _v2_for_caller() else Dimension(d)

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

    def __add__(self, other: Any) -> TensorShape:
        return self.concatenate(other)

    def __radd__(self, other: Any) -> TensorShape:
        return as_shape(other).concatenate(self)

    def __str__(self) -> str:
        if self._dims is None:
            return "<unknown>"
        q = "None" if _V2[0] else "?"
        inner = ", ".join(q if d is None else str(d) for d in self._dims)
        return f"({inner},)" if len(self._dims) == 1 else f"({inner})"

    def __repr__(self) -> str:
        if self._dims is None:
            return "TensorShape(None)"
        if _V2[0]:
            return f"TensorShape({list(self._dims)})"
        return f"TensorShape({[Dimension(d) for d in self._dims]})"

    def __reduce__(self) -> tuple[Any, ...]:
        return TensorShape, (self._dims,)


def as_shape(shape: Any) -> TensorShape:
    """Converts a list, tuple, int, None or TensorShape to a TensorShape."""
    if isinstance(shape, TensorShape):
        return shape
    return TensorShape(shape)


def unknown_shape(rank: int | None = None, **kwargs: Any) -> TensorShape:
    if rank is None and "ndims" in kwargs:
        rank = kwargs.pop("ndims")
    if rank is None:
        return TensorShape(None)
    return TensorShape._of((None,) * rank)


def dimension_value(dimension: Any) -> int | None:
    if isinstance(dimension, Dimension):
        return dimension.value
    return None if dimension is None else int(dimension)


def dimension_at_index(shape: Any, index: int) -> Dimension:
    shape = as_shape(shape)
    if shape._dims is None:
        return Dimension(None)
    return Dimension(shape._dims[index])


# -- tuple-level helpers used by shape inference (no TensorShape objects on the hot path) ----
_INCOMPATIBLE: Any = object()


def compatible(a: tuple[int | None, ...] | None, b: tuple[int | None, ...] | None) -> bool:
    if a is None or b is None:
        return True
    if len(a) != len(b):
        return False
    return all(not (x is not None and y is not None and x != y) for x, y in zip(a, b))


def merge(a: tuple[int | None, ...] | None, b: tuple[int | None, ...] | None) -> Any:
    """The most specific shape compatible with both, or _INCOMPATIBLE."""
    if a is None:
        return b
    if b is None:
        return a
    if not compatible(a, b):
        return _INCOMPATIBLE
    return tuple(x if x is not None else y for x, y in zip(a, b))


def merge_error(a: Any, b: Any) -> str:
    """TF's text for two shapes that do not merge (shape_inference.cc Merge)."""
    if a is not None and b is not None and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x is not None and y is not None and x != y:
                return (f"Dimension {i} in both shapes must be equal, but are {x} and {y}. "
                        f"Shapes are {shape_str(a)} and {shape_str(b)}.")
    return (f"Shapes must be equal rank, but are {len(a) if a is not None else '?'} and "
            f"{len(b) if b is not None else '?'}")


def shape_str(dims: tuple[int | None, ...] | None) -> str:
    """TF's shape text in error messages: [2,?,3] (or ? for an unknown rank)."""
    if dims is None:
        return "?"
    return "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"
