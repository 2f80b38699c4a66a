"""``tf.data.Dataset`` in graph mode (TF's data/ops/dataset_ops.py, compat.v1 flavour).

The class gathers its families: the sources (dataset_sources.py), the structural
transformations (dataset_transforms.py) and those by traced functions
(dataset_functional.py), over the shared machinery of dataset_base.py (structures, the op
each dataset is, traced functions: see there).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from varstore.framework.graph import get_default_graph
from varstore.framework.ops import Tensor, make_op, register_kernel
from varstore.ops.dataset_base import (
    _DATASET_CLASS,
    _Spec,
    flatten,
    pack_as,
)
from varstore.ops.dataset_base import make_dataset as _make_dataset
from varstore.ops.dataset_functional import FunctionalMethods
from varstore.ops.dataset_sources import SourceMethods
from varstore.ops.dataset_transforms import TransformMethods, cardinality_of

__all__ = ["Dataset", "cardinality", "flatten", "pack_as"]
__all__ += ["_Spec", "_make_dataset"]  # for readers.py and iterator_ops.py


class Dataset(SourceMethods, TransformMethods, FunctionalMethods):
    """A pipeline of elements (TF1's ``tf.compat.v1.data.Dataset``)."""

    def apply(self, transformation_func: Callable[[Dataset], Dataset]) -> Dataset:
        out = transformation_func(self)
        if not isinstance(out, Dataset):
            raise TypeError("`transformation_func` must return a `tf.data.Dataset` object. "
                            f"Got {type(out)}.")
        return out

    def map_with_legacy_function(self, map_func: Callable[..., Any],
                                 num_parallel_calls: Any = None,
                                 deterministic: Any = None) -> Dataset:
        """As map (TF's legacy Defun tracing gives the same elements)."""
        return self.map(map_func, num_parallel_calls, deterministic)

    def filter_with_legacy_function(self, predicate: Callable[..., Any]) -> Dataset:
        return self.filter(predicate)

    def as_numpy_iterator(self) -> Any:
        raise RuntimeError("`tf.data.Dataset.as_numpy_iterator()` is only supported in eager "
                           "mode.")

    def cardinality(self) -> Tensor:
        return cardinality(self)

    def make_one_shot_iterator(self) -> Any:
        from varstore.ops.iterator_ops import make_one_shot_iterator
        return make_one_shot_iterator(self)

    def make_initializable_iterator(self, shared_name: str | None = None) -> Any:
        from varstore.ops.iterator_ops import make_initializable_iterator
        return make_initializable_iterator(self, shared_name)

    def __iter__(self) -> Iterator[Any]:
        raise RuntimeError("`tf.data.Dataset` only supports Python-style iteration in eager "
                           "mode or within tf.function.")

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"'Dataset' object has no attribute {name!r}: varstore lacks "
                             f"tf.data.Dataset.{name}")


_DATASET_CLASS.append(Dataset)


def cardinality(dataset: Dataset) -> Tensor:
    """``tf.data.experimental.cardinality``: a DatasetCardinality int64 scalar; -1 for an
    infinite dataset, -2 when unknown (TF's INFINITE / UNKNOWN_CARDINALITY)."""
    from varstore import dtypes as _dtypes
    graph = get_default_graph()
    full = graph._op_name(None, "DatasetCardinality")
    op = make_op(graph, full, "DatasetCardinality", [dataset._variant_tensor], {},
                 [(_dtypes.int64, ())])
    return op._outputs[0]


@register_kernel("DatasetCardinality", stateful=True)
def _cardinality_kernel(op: Any) -> Callable[..., Any]:
    import numpy as np
    return lambda src: np.asarray(cardinality_of(src), np.int64)
