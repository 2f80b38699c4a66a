"""TF's _VariableStore.get_variable: the distribution-argument checks, the custom getter
and the choice between one variable and a partitioned one, for a full variable name."""

from __future__ import annotations

from typing import Any

from varstore import _core
from varstore import dtypes as _dtypes
from varstore._variable_ops import validate_synchronization_aggregation_trainable
from varstore._variable_store import _accepts, _get_single_variable, partitioned_of
from varstore.framework.graph import Graph
from varstore.partitioned_variables import get_partitioned_variable

__all__: list[str] = []


def _store_get_variable(
    graph: Graph,
    name: str,
    shape: Any,
    dtype: Any,
    initializer: Any,
    regularizer: Any,
    reuse: Any,
    trainable: Any,
    collections: Any,
    validate_shape: bool,
    custom_getter: Any,
    constraint: Any,
    use_resource: Any = None,
    caching_device: Any = None,
    partitioner: Any = None,
    synchronization: Any = None,
    aggregation: Any = None,
) -> Any:
    if custom_getter is not None and not callable(custom_getter):
        raise ValueError(f"Passed a custom_getter which is not callable: {custom_getter}")
    synchronization, aggregation, trainable = validate_synchronization_aggregation_trainable(
        synchronization, aggregation, trainable, name)

    def true_getter(
        name: str,
        shape: Any = None,
        dtype: Any = _dtypes.float32,
        initializer: Any = None,
        regularizer: Any = None,
        reuse: Any = None,
        trainable: Any = None,
        collections: Any = None,
        caching_device: Any = None,
        partitioner: Any = None,
        validate_shape: bool = True,
        use_resource: Any = None,
        constraint: Any = None,
        synchronization: Any = None,
        aggregation: Any = None,
    ) -> Any:
        is_scalar = shape is not None and isinstance(shape, (list, tuple)) and not shape
        if partitioner is not None and not is_scalar:
            if not callable(partitioner):
                raise ValueError(f"Partitioner must be callable, but received: {partitioner}")
            return get_partitioned_variable(
                graph, name, partitioner, shape, _dtypes.as_dtype(dtype), initializer,
                regularizer, reuse, trainable, collections, caching_device, validate_shape,
                use_resource, constraint, synchronization, aggregation)
        # A partitioned variable is reused without its partitioner too.
        if reuse is True and partitioner is None and name in partitioned_of(graph):
            return get_partitioned_variable(
                graph, name, None, shape, _dtypes.as_dtype(dtype), initializer, regularizer,
                reuse, trainable, collections, caching_device, validate_shape, use_resource,
                constraint, synchronization, aggregation)
        if _core.store.find(graph._store, f"{name}/part_0") >= 0:
            raise ValueError(
                "No partitioner was provided, but a partitioned version of the variable was "
                f"found: {name}/part_0. Perhaps a variable of the same name was already "
                "created with partitioning?")
        return _get_single_variable(graph, name, shape, dtype, initializer, regularizer, reuse,
                                    trainable, collections, constraint, validate_shape,
                                    use_resource, caching_device, None,
                                    _or_auto(synchronization), _or_none(aggregation))

    if custom_getter is None:
        return true_getter(name, shape, dtype, initializer, regularizer, reuse, trainable,
                           collections, caching_device, partitioner, validate_shape,
                           use_resource, constraint, synchronization, aggregation)
    kwargs: dict[str, Any] = {
        "getter": true_getter,
        "name": name,
        "shape": shape,
        "dtype": dtype,
        "initializer": initializer,
        "regularizer": regularizer,
        "reuse": reuse,
        "trainable": trainable,
        "collections": collections,
        "caching_device": caching_device,
        "partitioner": partitioner,
        "validate_shape": validate_shape,
        "use_resource": use_resource,
        "synchronization": synchronization,
        "aggregation": aggregation,
    }
    if _accepts(custom_getter, "constraint"):
        kwargs["constraint"] = constraint
    return custom_getter(**kwargs)


def _or_auto(synchronization: Any) -> Any:
    return validate_synchronization_aggregation_trainable(synchronization, None, True, "")[0]


def _or_none(aggregation: Any) -> Any:
    return validate_synchronization_aggregation_trainable(None, aggregation, True, "")[1]
