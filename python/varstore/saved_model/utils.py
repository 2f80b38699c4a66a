"""``tf.saved_model.utils``: TensorInfo protos of graph tensors and back (TF's
saved_model/utils_impl.py)."""

from __future__ import annotations

from typing import Any

from varstore._variable_def import prepend_name_scope
from varstore.framework.graph import Graph, get_default_graph

__all__ = ["build_tensor_info", "get_tensor_from_tensor_info"]


def _pb() -> Any:
    from varstore.framework import meta_graph_pb2

    return meta_graph_pb2


def build_tensor_info(tensor: Any) -> Any:
    """The TensorInfo of a Tensor, SparseTensor or variable: its name (a SparseTensor's
    three component names), dtype and static shape."""
    from varstore.framework.mode import executing_eagerly

    if executing_eagerly():
        raise RuntimeError("`build_tensor_info` is not supported in eager execution.")
    return build_tensor_info_internal(tensor)


def build_tensor_info_internal(tensor: Any) -> Any:
    from varstore import dtypes
    from varstore.framework.graph_def import _shape_proto
    from varstore.framework.indexed_slices import IndexedSlices
    from varstore.framework.sparse_tensor import SparseTensor

    if isinstance(tensor, IndexedSlices):
        # TF encodes a composite tensor by its TypeSpec (struct.proto), which varstore lacks
        raise NotImplementedError("varstore lacks composite TensorInfos (a TypeSpec "
                                  "encoding): build_tensor_info of a tf.IndexedSlices")

    # (a TF1 ref variable's dtype is its _ref type: DT_FLOAT_REF ...)
    enum = dtypes.as_dtype(tensor.dtype).as_datatype_enum
    info = _pb().TensorInfo(dtype=enum)
    _shape_proto(tensor.get_shape(), info.tensor_shape)
    if isinstance(tensor, SparseTensor):
        info.coo_sparse.values_tensor_name = tensor.values.name
        info.coo_sparse.indices_tensor_name = tensor.indices.name
        info.coo_sparse.dense_shape_tensor_name = tensor.dense_shape.name
    else:
        info.name = tensor.name
    return info


def build_tensor_info_from_op(op: Any) -> Any:
    """An Operation's TensorInfo (TF's: the op's name, DT_INVALID, an unknown shape), as the
    builder records an init or train op in a SignatureDef."""
    from varstore.framework.graph_def import _shape_proto
    from varstore.framework.mode import executing_eagerly

    if executing_eagerly():
        raise RuntimeError("`build_tensor_info_from_op` is not supported in eager execution.")
    info = _pb().TensorInfo(dtype=0, name=op.name)
    _shape_proto(None, info.tensor_shape)
    return info


def get_tensor_from_tensor_info(tensor_info: Any, graph: Graph | None = None,
                                import_scope: str | None = None) -> Any:
    """The Tensor (or SparseTensor) a TensorInfo names in ``graph`` (the default graph),
    under ``import_scope``."""
    graph = graph or get_default_graph()

    def tensor(name: str) -> Any:
        return graph.get_tensor_by_name(prepend_name_scope(name, import_scope))

    encoding = tensor_info.WhichOneof("encoding")
    if encoding == "name":
        return tensor(tensor_info.name)
    if encoding == "coo_sparse":
        from varstore.framework.sparse_tensor import SparseTensor

        coo = tensor_info.coo_sparse
        return SparseTensor(tensor(coo.indices_tensor_name), tensor(coo.values_tensor_name),
                            tensor(coo.dense_shape_tensor_name))
    if encoding == "composite_tensor":
        raise NotImplementedError("varstore lacks composite tensors (tf.RaggedTensor ...): "
                                  "cannot get the tensor of a composite_tensor TensorInfo")
    raise ValueError(f"Invalid TensorInfo.encoding: {encoding}. Expected `coo_sparse`, "
                     "`composite_tensor`, or `name` for a dense tensor.")


def get_element_from_tensor_info(tensor_info: Any, graph: Graph | None = None,
                                 import_scope: str | None = None) -> Any:
    """The Tensor or Operation a TensorInfo's name names."""
    graph = graph or get_default_graph()
    return graph.as_graph_element(prepend_name_scope(tensor_info.name, import_scope))
