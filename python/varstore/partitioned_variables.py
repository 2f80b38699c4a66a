"""Partitioned variables: the partitioners (TF's partitioned_variables.py), PartitionedVariable
(TF's variables.PartitionedVariable) and get_variable's partitioned path (TF's
_VariableStore._get_partitioned_variable).

A partitioned variable is ordinary variables ``<name>/part_<i>``, each a slice of the full
shape along one axis with its place in ``_save_slice_info``; gradients and optimizers see
only the parts, and the Saver writes them as slices of one checkpoint entry ``<name>``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any, Callable

from varstore import dtypes as _dtypes
from varstore._save_slice_info import SaveSliceInfo
from varstore._variable_store import (
    _absolute_name_scope,
    _get_single_variable,
    partitioned_of,
)
from varstore.framework.constant_op import convert_to_tensor, register_tensor_conversion_function
from varstore.framework.graph import Graph
from varstore.framework.ops import Tensor
from varstore.framework.tensor_shape import TensorShape, as_shape
from varstore.variables import Variable

__all__ = [
    "PartitionedVariable",
    "fixed_size_partitioner",
    "min_max_variable_partitioner",
    "variable_axis_size_partitioner",
]


def _dims(shape: Any) -> list[int]:
    """The dims of a (fully defined) shape; an unknown one fails as it does in TF's
    arithmetic (TypeError)."""
    return [int(d) for d in as_shape(shape).as_list()]  # type: ignore[arg-type]


def _element_size(dtype: Any, bytes_per_string_element: int) -> int:
    dt = _dtypes.as_dtype(dtype)
    if dt == _dtypes.string:
        return bytes_per_string_element
    return int(dt.size)


def variable_axis_size_partitioner(max_shard_bytes: int, axis: int = 0,
                                   bytes_per_string_element: int = 16,
                                   max_shards: int | None = None) -> Callable[..., list[int]]:
    """Shards along ``axis`` so that each shard holds at most ``max_shard_bytes`` (at least
    one slice per shard), at most ``max_shards`` shards."""
    if max_shard_bytes < 1 or bytes_per_string_element < 1:
        raise ValueError(
            "Both max_shard_bytes and bytes_per_string_element must be positive. "
            f"Currently, max_shard_bytes is {max_shard_bytes} and"
            f"bytes_per_string_element is {bytes_per_string_element}")
    if max_shards and max_shards < 1:
        raise ValueError("max_shards must be positive.")

    def _partitioner(shape: Any, dtype: Any) -> list[int]:
        if not isinstance(shape, TensorShape):
            raise ValueError(f"shape is not a TensorShape: {shape}")  # noqa: TRY004 - TF's type
        if not shape.is_fully_defined():
            raise ValueError(f"shape is not fully defined: {shape}")
        dims = _dims(shape)
        element_size = _element_size(dtype, bytes_per_string_element)
        partitions = [1] * len(dims)
        total = 1
        for d in dims:
            total *= d
        bytes_per_slice = 1.0 * (total / dims[axis]) * element_size
        slices_per_shard = max(1, math.floor(max_shard_bytes / bytes_per_slice))
        axis_shards = math.ceil(1.0 * dims[axis] / slices_per_shard)
        if max_shards:
            axis_shards = min(max_shards, axis_shards)
        partitions[axis] = axis_shards
        return partitions

    return _partitioner


def min_max_variable_partitioner(max_partitions: int = 1, axis: int = 0,
                                 min_slice_size: int = 256 << 10,
                                 bytes_per_string_element: int = 16
                                 ) -> Callable[..., list[int]]:
    """As many shards along ``axis`` as keep each at least ``min_slice_size`` bytes, at most
    ``max_partitions`` (and at most the axis length)."""

    def _partitioner(shape: Any, dtype: Any) -> list[int]:
        if axis >= len(as_shape(shape)):
            raise ValueError(f"Cannot partition variable along axis {axis} when shape is "
                             f"only {shape}")
        dims = _dims(shape)
        if axis >= len(dims):
            raise ValueError(f"Cannot partition variable along axis {axis} when shape is "
                             f"only {shape}")
        total = 1
        for d in dims:
            total *= d
        total_size_bytes = total * _element_size(dtype, bytes_per_string_element)
        partitions = total_size_bytes / min_slice_size
        partitions_list = [1] * len(dims)
        partitions_list[axis] = max(1, min(dims[axis], max_partitions,
                                           math.ceil(partitions)))
        return partitions_list

    return _partitioner


def fixed_size_partitioner(num_shards: int, axis: int = 0) -> Callable[..., list[int]]:
    """``num_shards`` shards along ``axis`` (fewer if the axis is shorter)."""

    def _partitioner(shape: Any, **unused_args: Any) -> list[int]:
        dims = _dims(shape)
        partitions_list = [1] * len(dims)
        partitions_list[axis] = min(num_shards, dims[axis])
        return partitions_list

    return _partitioner


class _PartitionInfo:
    """What a part's initializer is told (TF's _PartitionInfo): the full shape and the
    part's offset in it."""

    __slots__ = ("_full_shape", "_var_offset")

    def __init__(self, full_shape: list[int], var_offset: list[int]) -> None:
        # TF checks the offset here, so slicing an axis into more parts than it has
        # elements (a zero-length part at offset == dim) fails before any part is made.
        if not isinstance(full_shape, (list, tuple)):
            raise TypeError("`full_shape` must be a sequence (like tuple or list) instead of "
                            + type(full_shape).__name__)
        if not isinstance(var_offset, (list, tuple)):
            raise TypeError("`var_offset` must be a sequence (like tuple or list) instead of "
                            + type(var_offset).__name__)
        if len(var_offset) != len(full_shape):
            raise ValueError(f"Expected equal length, but `var_offset` is of length "
                             f"{len(var_offset)} while full_shape is of length "
                             f"{len(full_shape)}.")
        for offset, dim in zip(var_offset, full_shape):
            if offset < 0 or offset >= dim:
                raise ValueError(f"Expected 0 <= offset < shape but found offset={offset}, "
                                 f"shape={dim} for var_offset={var_offset}, "
                                 f"full_shape={full_shape}")
        self._full_shape = full_shape
        self._var_offset = var_offset

    @property
    def full_shape(self) -> list[int]:
        return self._full_shape

    @property
    def var_offset(self) -> list[int]:
        return self._var_offset

    def single_slice_dim(self, shape: Sequence[int]) -> int | None:
        """The one dimension a part of ``shape`` is sliced along (None: not sliced), with
        TF's checks."""
        if not isinstance(shape, (tuple, list)):
            raise TypeError("`shape` must be a sequence (like tuple or list) instead of "
                            + type(shape).__name__)
        full = self._full_shape
        if len(shape) != len(full):
            raise ValueError(f"Expected equal length, but received shape={shape} of length "
                             f"{len(shape)} while self.full_shape={full} is of length "
                             f"{len(full)}.")
        for i, (n, f) in enumerate(zip(shape, full)):
            if self._var_offset[i] + n > f:
                raise ValueError(f"With self.var_offset={self._var_offset}, a partition of "
                                 f"shape={shape} would exceed self.full_shape={full} in "
                                 f"dimension {i}.")
        slice_dim: int | None = None
        for i, (n, f) in enumerate(zip(shape, full)):
            if n == f:
                continue
            if slice_dim is not None:
                raise ValueError(f"Cannot use single_slice_dim() with shape={shape} and "
                                 f"self.full_shape={full} since slice dim could be either "
                                 f"dimension {i} or {slice_dim}.")
            slice_dim = i
        return slice_dim

    def single_offset(self, shape: Sequence[int]) -> int:
        dim = self.single_slice_dim(shape)
        return 0 if dim is None else self._var_offset[dim]


class PartitionedVariable:
    """The parts of a partitioned variable, in offset order; converts to a tensor by
    concatenating them (``<name>/ConcatPartitions/concat``, then an Identity ``<name>``)."""

    def __init__(self, name: str, shape: TensorShape, dtype: _dtypes.DType,
                 variable_list: list[Variable], partitions: list[int]) -> None:
        if not isinstance(variable_list, (list, tuple)):
            raise TypeError(f"variable_list is not a list or tuple: {variable_list}")
        if not isinstance(partitions, (list, tuple)):
            raise TypeError(f"partitions is not a list or tuple: {partitions}")
        if not all(p >= 1 for p in partitions):
            raise ValueError(f"partition values must be positive: {partitions}")
        if not variable_list:
            raise ValueError("variable_list may not be empty")
        for v in variable_list:
            if not all(v._get_save_slice_info() is not None for v in variable_list):
                raise ValueError("All variables must have a save_slice_info available: "
                                 f"{[v.name for v in variable_list]}")
            if len(shape) != len(partitions):
                raise ValueError(f"len(shape) != len(partitions): {shape} vs. {partitions}")
            if v._get_save_slice_info().full_shape != shape:
                raise ValueError(f"All variables' full shapes must match shape: {shape}; but "
                                 f"full shapes were: {[v._get_save_slice_info().full_shape]}")
        self._variable_list = sorted(variable_list,
                                     key=lambda v: v._get_save_slice_info().var_offset)
        self._name = name
        self._shape = shape
        self._dtype = dtype
        self._partitions = list(partitions)

    def __iter__(self) -> Iterator[Variable]:
        return iter(self._variable_list)

    def __len__(self) -> int:
        axes = self._partition_axes()
        if len(axes) > 1:
            raise ValueError(f"Cannot get a length for {len(axes)} > 1 partition axes")
        return len(self._variable_list)

    def _partition_axes(self) -> list[int]:
        if all(p == 1 for p in self._partitions):
            return [0]
        return [i for i, p in enumerate(self._partitions) if p > 1]

    def _concat(self) -> Tensor:
        from varstore.ops.array_ops import identity
        from varstore.ops.array_stack_ops import concat

        graph = self._variable_list[0].graph
        if len(self._variable_list) == 1:
            with _absolute_name_scope(graph, ""):
                return identity(self._variable_list[0], name=self._name)
        axes = self._partition_axes()
        if len(axes) > 1:
            raise NotImplementedError(
                f"Cannot concatenate along more than one dimension: {axes}.  Multi-axis "
                "partition concat is not supported")
        with _absolute_name_scope(graph, self._name + "/ConcatPartitions"):
            concatenated = concat(self._variable_list, axes[0])
        with _absolute_name_scope(graph, ""):
            return identity(concatenated, name=self._name)

    def as_tensor(self) -> Tensor:
        """The full value: the parts concatenated (ops made outside any control
        dependencies)."""
        graph = self._variable_list[0].graph
        state = graph._thread
        saved, state.control_deps = state.control_deps, []
        try:
            return self._concat()
        finally:
            state.control_deps = saved

    def _as_tensor(self, as_ref: bool = False) -> Tensor:
        """The tensor-like protocol of varstore's ops (as for a Variable)."""
        if as_ref:
            raise NotImplementedError(
                "PartitionedVariable doesn't support being used as a reference.")
        return self.as_tensor()

    def _dtype_conversion_error(self, dtype: _dtypes.DType) -> ValueError:
        return ValueError(f"Incompatible type conversion requested to type '{dtype.name}' for "
                          f"variable of type '{self._dtype.name}'")

    @property
    def graph(self) -> Graph:
        return self._variable_list[0].graph

    @property
    def name(self) -> str:
        return self._name

    @property
    def dtype(self) -> _dtypes.DType:
        return self._dtype

    @property
    def shape(self) -> TensorShape:
        return self._shape

    def get_shape(self) -> TensorShape:
        return self._shape

    def _get_variable_list(self) -> list[Variable]:
        return self._variable_list

    def _get_partitions(self) -> list[int]:
        return self._partitions

    def _apply_assign_fn(self, assign_fn: Callable[[Variable, Any], Any], value: Any
                         ) -> list[Any]:
        axes = self._partition_axes()
        if len(axes) > 1:
            raise NotImplementedError(
                f"Cannot do assign action along more than one dimension: {axes}.  "
                "Multi-axis partition assign action is not supported ")
        if isinstance(value, list):
            if len(value) != len(self._variable_list):
                raise AssertionError  # TF's bare assert
            values = value
        elif isinstance(value, PartitionedVariable):
            values = list(value)
        else:
            from varstore.ops.array_split_ops import split

            sizes = [v.shape.as_list()[axes[0]] for v in self._variable_list]
            values = split(value, sizes, axis=axes[0])
        return [assign_fn(v, values[i]) for i, v in enumerate(self._variable_list)]

    def assign(self, value: Any, use_locking: bool = False, name: str | None = None,
               read_value: bool = True) -> list[Any]:
        out = self._apply_assign_fn(
            lambda v, x: v.assign(x, use_locking=use_locking, name=name,
                                  read_value=read_value), value)
        return out if read_value else [a.op if hasattr(a, "op") else a for a in out]

    def assign_add(self, value: Any, use_locking: bool = False, name: str | None = None,
                   read_value: bool = True) -> list[Any]:
        out = self._apply_assign_fn(
            lambda v, x: v.assign_add(x, use_locking=use_locking, name=name,
                                      read_value=read_value), value)
        return out if read_value else [a.op if hasattr(a, "op") else a for a in out]

    def assign_sub(self, value: Any, use_locking: bool = False, name: str | None = None,
                   read_value: bool = True) -> list[Any]:
        out = self._apply_assign_fn(
            lambda v, x: v.assign_sub(x, use_locking=use_locking, name=name,
                                      read_value=read_value), value)
        return out if read_value else [a.op if hasattr(a, "op") else a for a in out]

    def __repr__(self) -> str:
        return (f"<varstore.PartitionedVariable '{self._name}' shape={self._shape} "
                f"partitions={self._partitions}>")


def _conversion(value: Any, dtype: Any = None, name: Any = None, as_ref: bool = False
                ) -> Tensor:
    if dtype is not None and not _dtypes.as_dtype(dtype).is_compatible_with(value.dtype):
        raise value._dtype_conversion_error(_dtypes.as_dtype(dtype))
    return value._as_tensor(as_ref)  # type: ignore[no-any-return]


register_tensor_conversion_function(PartitionedVariable, _conversion)


# -- get_variable's partitioned path ---------------------------------------------------------
def call_partitioner(partitioner: Any, shape: TensorShape, dtype: _dtypes.DType) -> list[int]:
    """The partitioner's answer for a new variable, checked as TF does: one axis sliced."""
    if not shape.is_fully_defined():
        raise ValueError("Shape of a new partitioned variable must be fully defined, but "
                         f"instead was {shape}.")
    if (shape.ndims or 0) < 1:
        raise ValueError(f"A partitioned Variable must have rank at least 1, shape: {shape}")
    slicing = partitioner(shape=shape, dtype=dtype)
    if not isinstance(slicing, Sequence):
        raise ValueError(  # noqa: TRY004 - TF's type
            f"Partitioner must return a sequence, but saw: {slicing}")
    if len(slicing) != shape.ndims:
        raise ValueError("Partitioner returned a partition list that does not match the "
                         f"Variable's rank: {slicing} vs. {shape}")
    if any(p < 1 for p in slicing):
        raise ValueError(f"Partitioner returned zero partitions for some axes: {slicing}")
    if sum(p > 1 for p in slicing) > 1:
        raise ValueError("Can only slice a variable along one dimension: "
                         f"shape: {shape}, partitioning: {slicing}")
    return list(slicing)


def _iter_slices(full_shape: list[int], num_slices: int, slice_dim: int
                 ) -> Iterator[tuple[list[int], list[int]]]:
    """(offset, shape) of each part: the first ``len % n`` parts one longer."""
    excess = full_shape[slice_dim] % num_slices
    offset = [0] * len(full_shape)
    min_len = full_shape[slice_dim] // num_slices
    for i in range(num_slices):
        shape = full_shape[:]
        shape[slice_dim] = min_len + bool(i < excess)
        yield offset[:], shape
        offset[slice_dim] += shape[slice_dim]


def get_partitioned_variable(
    graph: Graph, name: str, partitioner: Any, shape: Any, dtype: _dtypes.DType,
    initializer: Any, regularizer: Any, reuse: Any, trainable: Any, collections: Any,
    caching_device: Any, validate_shape: bool, use_resource: Any, constraint: Any,
    synchronization: Any, aggregation: Any,
) -> PartitionedVariable:
    """TF's _VariableStore._get_partitioned_variable: finds (checking shape, dtype and
    partitions) or creates the parts ``<name>/part_<i>``."""
    from varstore import _core
    from varstore.ops.array_slicing_ops import slice as slice_op

    store = graph._store

    def exists(n: str) -> bool:
        return bool(_core.store.find(store, n) >= 0)

    from_tensor = isinstance(initializer, (Tensor, Variable))
    if exists(name):
        raise ValueError(
            "A partitioner was provided, but an unpartitioned version of the variable was "
            f"found: {name}.  Perhaps a variable of the same name was already created "
            "without partitioning?")
    full_shape = as_shape(shape)
    if from_tensor:
        full_shape = full_shape.merge_with(initializer.get_shape())
    partitions = None
    if not reuse or partitioner:
        partitions = call_partitioner(partitioner, full_shape, dtype)
    known = partitioned_of(graph)
    existing = known.get(name)
    if existing is not None:
        if not reuse:
            raise ValueError(
                f"Partitioned variable with name {name} already exists. Did you mean to set "
                "reuse=True or reuse=tf.AUTO_REUSE in VarScope?")
        if not full_shape.is_compatible_with(existing.get_shape()):
            raise ValueError(
                f"Trying to reuse partitioned variable {name}, but specified shape "
                f"{full_shape} and found shape {existing.get_shape()}.")
        if not dtype.is_compatible_with(existing.dtype):
            raise ValueError(
                f"Trying to reuse partitioned variable {name}, but specified dtype "
                f"{dtype.name} and found dtype {existing.dtype.name}.")
        if partitions is not None and existing._get_partitions() != partitions:
            raise ValueError(
                f"Trying to reuse partitioned variable {name}, but specified partitions "
                f"{partitions} and found partitions {existing._get_partitions()}.")
        return existing  # type: ignore[no-any-return]
    if reuse is True:
        raise ValueError(
            f"PartitionedVariable {name} does not exist, or was not created with "
            "tf.get_variable(). Did you mean to set reuse=False or reuse=tf.AUTO_REUSE in "
            "VarScope?")
    assert partitions is not None
    slice_dim, num_slices = 0, 1
    for dim, n in enumerate(partitions):
        if n > 1:
            slice_dim, num_slices = dim, n
            break
    if exists(f"{name}/part_0"):
        if not exists(f"{name}/part_{num_slices - 1}"):
            raise ValueError(
                "Partitioner returned a different partitioning than what was already "
                f"found.  Partitioner returned {num_slices} shards, and shard {name}/part_0 "
                f"was found, but {name}/part_{num_slices - 1} was not.")
        if exists(f"{name}/part_{num_slices}"):
            raise ValueError(
                "Partitioner returned a different partitioning than what was already "
                f"found.  Partitioner returned {num_slices} shards, and shard {name}/part_0 "
                f"was found, but so was the extra shard {name}/part_{num_slices}.")
    dims = _dims(full_shape)
    parts = []
    for i, (var_offset, var_shape) in enumerate(_iter_slices(dims, num_slices, slice_dim)):
        info = _PartitionInfo(dims, var_offset)
        part_name = f"{name}/part_{i}"
        init: Any
        with _absolute_name_scope(graph, ""), \
                graph.name_scope(part_name + "/PartitionedInitializer"):
            if initializer is None or (callable(initializer) and not from_tensor):
                init, init_shape = initializer, var_shape  # called per part, with `info`
            elif from_tensor:
                init = slice_op(initializer, var_offset, var_shape)
                dtype = init.dtype
                init_shape = None
            else:
                init = slice_op(convert_to_tensor(initializer, dtype=dtype), var_offset,
                                var_shape)
                init_shape = None
        with _absolute_name_scope(graph, ""):
            var = _get_single_variable(
                graph, part_name, init_shape, dtype, init, regularizer, reuse, trainable,
                collections, constraint, validate_shape, use_resource, caching_device,
                info, synchronization, aggregation)
        if isinstance(var, Variable):
            var._set_save_slice_info(SaveSliceInfo(name, dims, var_offset, var_shape))
        parts.append(var)
    result = PartitionedVariable(name, full_shape, dtype, parts, partitions)
    known[name] = result
    return result
