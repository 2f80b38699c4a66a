"""The sparse-update methods of ``tf.Variable`` (``scatter_add`` ... with an IndexedSlices,
``scatter_nd_*`` with indices and updates, ``batch_scatter_update``) and ``gather_nd``, as
TF's ResourceVariable and RefVariable define them: each is the matching ``tf.scatter_*``
op on the variable (a resource variable's result is its lazily read value, a ref
variable's the updated ref)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from varstore.framework.indexed_slices import IndexedSlices

__all__ = ["VariableScatterMethods"]


def _slices(sparse_delta: Any, ref: bool) -> IndexedSlices:
    if not isinstance(sparse_delta, IndexedSlices):
        if ref:  # (TF's RefVariable and ResourceVariable word it differently)
            raise TypeError(f"sparse_delta is not IndexedSlices: {sparse_delta}")
        raise TypeError("Argument `sparse_delta` must be a `tf.IndexedSlices`. Received arg: "
                        f"{sparse_delta}")
    return sparse_delta


class VariableScatterMethods:
    """Mixed into ``Variable`` (variables.py), which has ``_is_ref``."""

    if TYPE_CHECKING:
        @property
        def _is_ref(self) -> bool: ...

    def _scatter(self, kind: str, sparse_delta: Any, use_locking: bool,
                 name: str | None) -> Any:
        from varstore.ops import array_scatter_ops

        delta = _slices(sparse_delta, self._is_ref)
        fn = getattr(array_scatter_ops, "scatter_" + kind)
        return fn(self, delta.indices, delta.values, use_locking=use_locking, name=name)

    def scatter_sub(self, sparse_delta: Any, use_locking: bool = False,
                    name: str | None = None) -> Any:
        return self._scatter("sub", sparse_delta, use_locking, name)

    def scatter_add(self, sparse_delta: Any, use_locking: bool = False,
                    name: str | None = None) -> Any:
        return self._scatter("add", sparse_delta, use_locking, name)

    def scatter_max(self, sparse_delta: Any, use_locking: bool = False,
                    name: str | None = None) -> Any:
        return self._scatter("max", sparse_delta, use_locking, name)

    def scatter_min(self, sparse_delta: Any, use_locking: bool = False,
                    name: str | None = None) -> Any:
        return self._scatter("min", sparse_delta, use_locking, name)

    def scatter_mul(self, sparse_delta: Any, use_locking: bool = False,
                    name: str | None = None) -> Any:
        return self._scatter("mul", sparse_delta, use_locking, name)

    def scatter_div(self, sparse_delta: Any, use_locking: bool = False,
                    name: str | None = None) -> Any:
        return self._scatter("div", sparse_delta, use_locking, name)

    def scatter_update(self, sparse_delta: Any, use_locking: bool = False,
                       name: str | None = None) -> Any:
        return self._scatter("update", sparse_delta, use_locking, name)

    def batch_scatter_update(self, sparse_delta: Any, use_locking: bool = False,
                             name: str | None = None) -> Any:
        from varstore.ops import batch_scatter_ops

        delta = _slices(sparse_delta, self._is_ref)
        return batch_scatter_ops.batch_scatter_update(self, delta.indices, delta.values,
                                                      use_locking=use_locking, name=name)

    def _scatter_nd(self, kind: str, indices: Any, updates: Any, name: str | None) -> Any:
        from varstore.ops import array_scatter_ops

        fn = getattr(array_scatter_ops, "scatter_nd_" + kind)
        # (TF's RefVariable methods lock; the resource ops have no use_locking)
        return fn(self, indices, updates, use_locking=True, name=name)

    def scatter_nd_sub(self, indices: Any, updates: Any, name: str | None = None) -> Any:
        return self._scatter_nd("sub", indices, updates, name)

    def scatter_nd_add(self, indices: Any, updates: Any, name: str | None = None) -> Any:
        return self._scatter_nd("add", indices, updates, name)

    def scatter_nd_update(self, indices: Any, updates: Any, name: str | None = None) -> Any:
        return self._scatter_nd("update", indices, updates, name)

    def gather_nd(self, indices: Any, name: str | None = None) -> Any:
        """``params[indices]`` of the value (GatherNd of the read; TF's resource variable
        builds a ResourceGatherNd, which varstore does not have)."""
        if self._is_ref:
            raise AttributeError("gather_nd of a ref variable: TF's RefVariable lacks it")
        from varstore.ops import array_scatter_ops

        return array_scatter_ops.gather_nd(self, indices, name=name)
