"""Type specifications (TF's framework/type_spec.py, tensor.py, sparse_tensor.py,
indexed_slices.py): ``tf.TensorSpec``, ``tf.SparseTensorSpec``, ``tf.IndexedSlicesSpec`` and
``tf.type_spec_from_value`` describe a value's dtype and static shape without holding it, as
``Dataset.element_spec`` reports its elements. Comparison, compatibility and the common
supertype follow TF 2's rules (a TensorSpec's name takes part in equality and in the
supertype; hashing leaves it out)."""

from __future__ import annotations

from typing import Any

from varstore import dtypes as _dtypes
from varstore import tf_logging
from varstore.framework.indexed_slices import IndexedSlices
from varstore.framework.ops import Tensor
from varstore.framework.sparse_tensor import SparseTensor
from varstore.framework.tensor_shape import TensorShape, as_shape

__all__ = ["IndexedSlicesSpec", "SparseTensorSpec", "TensorSpec", "TypeSpec",
           "type_spec_from_value"]


def _shape_subtype(a: TensorShape, b: TensorShape) -> bool:
    """TensorShape.is_subtype_of: ``b`` unknown, or the same rank with each of ``b``'s dims
    unknown or equal."""
    if b.ndims is None:
        return True
    if a.ndims is None or a.ndims != b.ndims:
        return False
    return all(y is None or x == y for x, y in zip(a.as_list(), b.as_list()))


def _shape_supertype(a: TensorShape, b: TensorShape) -> TensorShape:
    # TensorShape.most_specific_common_supertype: equal dims stay, others become unknown
    if a.ndims is None or b.ndims is None or a.ndims != b.ndims:
        return TensorShape(None)
    return TensorShape([x if x == y else None for x, y in zip(a.as_list(), b.as_list())])


_WARNED: list[bool] = []


class TypeSpec:
    """The base of the specs: what kind of value (``value_type``) and of which type."""

    __slots__ = ()

    @property
    def value_type(self) -> type:
        raise NotImplementedError

    def most_specific_common_supertype(self, others: Any) -> Any:
        raise NotImplementedError

    def most_specific_compatible_type(self, other: Any) -> Any:
        """Deprecated in TF 2: the common supertype of the two, or ValueError."""
        if not _WARNED:
            # TF's deprecation decorator warns on the first call only
            _WARNED.append(True)
            tf_logging.warning("Use most_specific_common_supertype instead.")
        result = self.most_specific_common_supertype([other])
        if result is None:
            raise ValueError(f"No TypeSpec is compatible with both {self} and {other}")
        return result


class _ShapedSpec(TypeSpec):
    __slots__ = ("_dtype", "_shape")

    def __init__(self, shape: Any, dtype: Any) -> None:
        self._shape = TensorShape(shape) if shape is None else as_shape(shape)
        self._dtype = _dtypes.as_dtype(dtype)

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def dtype(self) -> Any:
        return self._dtype

    def is_compatible_with(self, spec_or_value: Any) -> bool:
        other = spec_or_value
        if isinstance(other, self.value_type):
            other = type_spec_from_value(other)
        return (type(other) is type(self) and self._dtype == other._dtype
                and self._shape.is_compatible_with(other._shape))


class TensorSpec(_ShapedSpec):
    """``tf.TensorSpec(shape, dtype=tf.float32, name=None)``: a dense Tensor's type."""

    __slots__ = ("_name",)

    def __init__(self, shape: Any, dtype: Any = _dtypes.float32, name: str | None = None
                 ) -> None:
        super().__init__(shape, dtype)
        self._name = name

    @property
    def name(self) -> str | None:
        return self._name

    @property
    def value_type(self) -> type:
        return Tensor

    @classmethod
    def from_spec(cls, spec: Any, name: str | None = None) -> TensorSpec:
        return cls(spec.shape, spec.dtype, name or getattr(spec, "name", None))

    @classmethod
    def from_tensor(cls, tensor: Any, name: str | None = None) -> TensorSpec:
        """The spec of a Tensor, named after its op unless ``name`` is given."""
        if not isinstance(tensor, Tensor):
            raise ValueError(  # noqa: TRY004 - TF's type
                f"`tensor` should be a tf.Tensor, but got type {type(tensor)}.")
        return cls(tensor.get_shape(), tensor.dtype, name or tensor.op.name)

    def is_compatible_with(self, spec_or_tensor: Any) -> bool:
        # TF's DenseSpec: a spec or a Tensor with a compatible dtype and shape (the name aside)
        return (isinstance(spec_or_tensor, (TensorSpec, Tensor))
                and self._dtype == spec_or_tensor.dtype
                and self._shape.is_compatible_with(spec_or_tensor.shape))

    def is_subtype_of(self, other: Any) -> bool:
        if not isinstance(other, TensorSpec):
            return False
        return ((not self._name or self._name == other._name)
                and _shape_subtype(self._shape, other._shape) and self._dtype == other._dtype)

    def most_specific_common_supertype(self, others: Any) -> TensorSpec | None:
        shape = self._shape
        for other in others:
            if (type(other) is not type(self) or other._name != self._name
                    or other._dtype != self._dtype):
                return None
            shape = _shape_supertype(shape, other._shape)
        return TensorSpec(shape, self._dtype, self._name)

    def __repr__(self) -> str:
        return (f"TensorSpec(shape={self._shape}, dtype={self._dtype!r}, "
                f"name={self._name!r})")

    def __eq__(self, other: object) -> bool:
        return (type(other) is type(self) and self._shape == other._shape
                and self._dtype == other._dtype and self._name == other._name)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((self._shape, self._dtype))


class SparseTensorSpec(_ShapedSpec):
    """``tf.SparseTensorSpec(shape=None, dtype=tf.float32)``: a SparseTensor's type."""

    __slots__ = ()

    def __init__(self, shape: Any = None, dtype: Any = _dtypes.float32) -> None:
        super().__init__(shape, dtype)

    @property
    def value_type(self) -> type:
        return SparseTensor

    @classmethod
    def from_value(cls, value: Any) -> SparseTensorSpec:
        return cls(value.get_shape(), value.dtype)

    def most_specific_common_supertype(self, others: Any) -> SparseTensorSpec | None:
        shape = self._shape
        for other in others:
            if type(other) is not type(self) or other._dtype != self._dtype:
                return None
            shape = _shape_supertype(shape, other._shape)
        return SparseTensorSpec(shape, self._dtype)

    def __repr__(self) -> str:
        return f"SparseTensorSpec({self._shape!r}, {self._dtype!r})"

    def __eq__(self, other: object) -> bool:
        return (type(other) is type(self) and self._shape == other._shape
                and self._dtype == other._dtype)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._shape, self._dtype))


class IndexedSlicesSpec(_ShapedSpec):
    """``tf.IndexedSlicesSpec(shape=None, dtype=tf.float32, indices_dtype=tf.int64,
    dense_shape_dtype=None, indices_shape=None)``: an IndexedSlices' type."""

    __slots__ = ("_dense_shape_dtype", "_indices_dtype", "_indices_shape")

    def __init__(self, shape: Any = None, dtype: Any = _dtypes.float32,
                 indices_dtype: Any = _dtypes.int64, dense_shape_dtype: Any = None,
                 indices_shape: Any = None) -> None:
        super().__init__(shape, dtype)
        self._indices_dtype = _dtypes.as_dtype(indices_dtype)
        self._dense_shape_dtype = (None if dense_shape_dtype is None
                                   else _dtypes.as_dtype(dense_shape_dtype))
        self._indices_shape = as_shape(indices_shape).with_rank(1) if indices_shape is not None \
            else TensorShape([None])

    @property
    def value_type(self) -> type:
        return IndexedSlices

    def _key(self) -> tuple[Any, ...]:
        return (self._shape, self._dtype, self._indices_dtype, self._dense_shape_dtype,
                self._indices_shape)

    def most_specific_common_supertype(self, others: Any) -> IndexedSlicesSpec | None:
        for other in others:
            if type(other) is not type(self) or other._key()[1:4] != self._key()[1:4]:
                return None
        shape, ishape = self._shape, self._indices_shape
        for other in others:
            shape = _shape_supertype(shape, other._shape)
            ishape = _shape_supertype(ishape, other._indices_shape)
        return IndexedSlicesSpec(shape, self._dtype, self._indices_dtype,
                                 self._dense_shape_dtype, ishape)

    def __repr__(self) -> str:
        return (f"IndexedSlicesSpec({self._shape!r}, {self._dtype!r}, {self._indices_dtype!r}, "
                f"{self._dense_shape_dtype!r}, {self._indices_shape!r})")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self._key())


def type_spec_from_value(value: Any) -> TypeSpec:
    """``tf.type_spec_from_value``: the spec of a Tensor, SparseTensor or IndexedSlices, or of
    what a Python or NumPy value converts to (a Const, as TF converts it)."""
    if isinstance(value, Tensor):
        return TensorSpec(value.get_shape(), value.dtype)
    if isinstance(value, SparseTensor):
        return SparseTensorSpec.from_value(value)
    if isinstance(value, IndexedSlices):
        dense = value.dense_shape
        return IndexedSlicesSpec(value.values.get_shape(), value.dtype, value.indices.dtype,
                                 None if dense is None else dense.dtype,
                                 value.indices.get_shape())
    if isinstance(value, TypeSpec):
        raise TypeError(f"Could not build a TypeSpec for {value} of unsupported type "
                        f"{type(value)}.")
    from varstore.framework.constant_op import convert_to_tensor

    try:
        tensor = convert_to_tensor(value)
    except (TypeError, ValueError):
        raise TypeError(f"Could not build a TypeSpec for {value} of unsupported type "
                        f"{type(value)}.") from None
    return TensorSpec(tensor.get_shape(), tensor.dtype)
