"""TF's MetaGraphDef, SaverDef, CollectionDef, VariableDef, OpDef, SignatureDef, TensorInfo,
AssetFileDef and SavedModel protos, wire-compatible with tensorflow/core/protobuf/
{meta_graph,saver,saved_model}.proto and core/framework/{variable,op_def}.proto.

tensorboardX ships TF's graph, node, attr, tensor and type protos (the GraphDef varstore
already writes) but not these; they are declared here over its messages, field for field
with TF's numbers and types, so a ``.meta`` file parses and serializes as TF's does. Fields
varstore never reads or writes (a MetaGraphDef's object_graph_def, a composite TensorInfo's
type_spec, an ArgDef's handle data and full type) are not declared: parsing keeps
them as unknown fields and serializing writes them back unchanged. The package is
``varstore``, not ``tensorflow``, so that a process that also imports TensorFlow registers
no symbol twice in protobuf's default pool.
"""

from __future__ import annotations

from typing import Any

from varstore.framework._protobuf import declare_file

__all__ = [
    "AssetFileDef",
    "CollectionDef",
    "MetaGraphDef",
    "OpDef",
    "OpList",
    "SaveSliceInfoDef",
    "SavedModel",
    "SaverDef",
    "SignatureDef",
    "TensorInfo",
    "VariableDef",
]

_FILE = "varstore/meta_graph.proto"
_TBX = "tensorboardX/proto/"

# (field name, number, type, label, type name or None); label "r" = repeated, "o" = optional
_MESSAGES: dict[str, list[tuple[str, int, str, str, Any]]] = {
    "OpDef.ArgDef": [
        ("name", 1, "string", "o", None), ("description", 2, "string", "o", None),
        ("type", 3, "enum", "o", ".tensorboardX.DataType"),
        ("type_attr", 4, "string", "o", None), ("number_attr", 5, "string", "o", None),
        ("type_list_attr", 6, "string", "o", None), ("is_ref", 16, "bool", "o", None),
    ],
    "OpDef.AttrDef": [
        ("name", 1, "string", "o", None), ("type", 2, "string", "o", None),
        ("default_value", 3, "message", "o", ".tensorboardX.AttrValue"),
        ("description", 4, "string", "o", None), ("has_minimum", 5, "bool", "o", None),
        ("minimum", 6, "int64", "o", None),
        ("allowed_values", 7, "message", "o", ".tensorboardX.AttrValue"),
    ],
    "OpDef": [
        ("name", 1, "string", "o", None),
        ("input_arg", 2, "message", "r", ".varstore.OpDef.ArgDef"),
        ("output_arg", 3, "message", "r", ".varstore.OpDef.ArgDef"),
        ("control_output", 20, "string", "r", None),
        ("attr", 4, "message", "r", ".varstore.OpDef.AttrDef"),
        ("deprecation", 8, "message", "o", ".varstore.OpDeprecation"),
        ("summary", 5, "string", "o", None), ("description", 6, "string", "o", None),
        ("is_commutative", 18, "bool", "o", None), ("is_aggregate", 16, "bool", "o", None),
        ("is_stateful", 17, "bool", "o", None),
        ("allows_uninitialized_input", 19, "bool", "o", None),
        ("is_distributed_communication", 21, "bool", "o", None),
    ],
    "OpDeprecation": [("version", 1, "int32", "o", None),
                      ("explanation", 2, "string", "o", None)],
    "OpList": [("op", 1, "message", "r", ".varstore.OpDef")],
    "SaverDef": [
        ("filename_tensor_name", 1, "string", "o", None),
        ("save_tensor_name", 2, "string", "o", None),
        ("restore_op_name", 3, "string", "o", None), ("max_to_keep", 4, "int32", "o", None),
        ("sharded", 5, "bool", "o", None),
        ("keep_checkpoint_every_n_hours", 6, "float", "o", None),
        ("version", 7, "enum", "o", ".varstore.SaverDef.CheckpointFormatVersion"),
    ],
    "SaveSliceInfoDef": [
        ("full_name", 1, "string", "o", None), ("full_shape", 2, "int64", "r", None),
        ("var_offset", 3, "int64", "r", None), ("var_shape", 4, "int64", "r", None),
    ],
    "VariableDef": [
        ("variable_name", 1, "string", "o", None),
        ("initial_value_name", 6, "string", "o", None),
        ("initializer_name", 2, "string", "o", None),
        ("snapshot_name", 3, "string", "o", None),
        ("save_slice_info_def", 4, "message", "o", ".varstore.SaveSliceInfoDef"),
        ("is_resource", 5, "bool", "o", None), ("trainable", 7, "bool", "o", None),
        ("synchronization", 8, "enum", "o", ".varstore.VariableSynchronization"),
        ("aggregation", 9, "enum", "o", ".varstore.VariableAggregation"),
    ],
    "CollectionDef.NodeList": [("value", 1, "string", "r", None)],
    "CollectionDef.BytesList": [("value", 1, "bytes", "r", None)],
    "CollectionDef.Int64List": [("value", 1, "int64", "r", None)],
    "CollectionDef.FloatList": [("value", 1, "float", "r", None)],
    "CollectionDef.AnyList": [("value", 1, "message", "r", ".google.protobuf.Any")],
    "CollectionDef": [
        ("node_list", 1, "message", "o", ".varstore.CollectionDef.NodeList"),
        ("bytes_list", 2, "message", "o", ".varstore.CollectionDef.BytesList"),
        ("int64_list", 3, "message", "o", ".varstore.CollectionDef.Int64List"),
        ("float_list", 4, "message", "o", ".varstore.CollectionDef.FloatList"),
        ("any_list", 5, "message", "o", ".varstore.CollectionDef.AnyList"),
    ],
    "MetaGraphDef.MetaInfoDef.FunctionAliasesEntry": [
        ("key", 1, "string", "o", None), ("value", 2, "string", "o", None)],
    "MetaGraphDef.MetaInfoDef": [
        ("meta_graph_version", 1, "string", "o", None),
        ("stripped_op_list", 2, "message", "o", ".varstore.OpList"),
        ("any_info", 3, "message", "o", ".google.protobuf.Any"),
        ("tags", 4, "string", "r", None), ("tensorflow_version", 5, "string", "o", None),
        ("tensorflow_git_version", 6, "string", "o", None),
        ("stripped_default_attrs", 7, "bool", "o", None),
        ("function_aliases", 8, "message", "r",
         ".varstore.MetaGraphDef.MetaInfoDef.FunctionAliasesEntry"),
    ],
    "MetaGraphDef.CollectionDefEntry": [
        ("key", 1, "string", "o", None),
        ("value", 2, "message", "o", ".varstore.CollectionDef")],
    "MetaGraphDef.SignatureDefEntry": [
        ("key", 1, "string", "o", None),
        ("value", 2, "message", "o", ".varstore.SignatureDef")],
    "MetaGraphDef": [
        ("meta_info_def", 1, "message", "o", ".varstore.MetaGraphDef.MetaInfoDef"),
        ("graph_def", 2, "message", "o", ".tensorboardX.GraphDef"),
        ("saver_def", 3, "message", "o", ".varstore.SaverDef"),
        ("collection_def", 4, "message", "r", ".varstore.MetaGraphDef.CollectionDefEntry"),
        ("signature_def", 5, "message", "r", ".varstore.MetaGraphDef.SignatureDefEntry"),
        ("asset_file_def", 6, "message", "r", ".varstore.AssetFileDef"),
    ],
    "TensorInfo.CooSparse": [
        ("values_tensor_name", 1, "string", "o", None),
        ("indices_tensor_name", 2, "string", "o", None),
        ("dense_shape_tensor_name", 3, "string", "o", None),
    ],
    "TensorInfo.CompositeTensor": [
        ("components", 2, "message", "r", ".varstore.TensorInfo")],
    "TensorInfo": [
        ("name", 1, "string", "o", None),
        ("coo_sparse", 4, "message", "o", ".varstore.TensorInfo.CooSparse"),
        ("composite_tensor", 5, "message", "o", ".varstore.TensorInfo.CompositeTensor"),
        ("dtype", 2, "enum", "o", ".tensorboardX.DataType"),
        ("tensor_shape", 3, "message", "o", ".tensorboardX.TensorShapeProto"),
    ],
    "SignatureDef.InputsEntry": [
        ("key", 1, "string", "o", None), ("value", 2, "message", "o", ".varstore.TensorInfo")],
    "SignatureDef.OutputsEntry": [
        ("key", 1, "string", "o", None), ("value", 2, "message", "o", ".varstore.TensorInfo")],
    "SignatureDef.DefaultsEntry": [
        ("key", 1, "string", "o", None),
        ("value", 2, "message", "o", ".tensorboardX.TensorProto")],
    "SignatureDef": [
        ("inputs", 1, "message", "r", ".varstore.SignatureDef.InputsEntry"),
        ("outputs", 2, "message", "r", ".varstore.SignatureDef.OutputsEntry"),
        ("method_name", 3, "string", "o", None),
        ("defaults", 4, "message", "r", ".varstore.SignatureDef.DefaultsEntry"),
    ],
    "AssetFileDef": [
        ("tensor_info", 1, "message", "o", ".varstore.TensorInfo"),
        ("filename", 2, "string", "o", None),
    ],
    "SavedModel": [
        ("saved_model_schema_version", 1, "int64", "o", None),
        ("meta_graphs", 2, "message", "r", ".varstore.MetaGraphDef"),
    ],
}
_MAP_ENTRIES = {"MetaGraphDef.MetaInfoDef.FunctionAliasesEntry",
                "MetaGraphDef.CollectionDefEntry", "MetaGraphDef.SignatureDefEntry",
                "SignatureDef.InputsEntry", "SignatureDef.OutputsEntry",
                "SignatureDef.DefaultsEntry"}
# TF's oneofs: message -> (oneof name, its fields)
_ONEOFS = {"CollectionDef": ("kind", {"node_list", "bytes_list", "int64_list", "float_list",
                                      "any_list"}),
           "TensorInfo": ("encoding", {"name", "coo_sparse", "composite_tensor"})}
_ENUMS = {
    "SaverDef.CheckpointFormatVersion": ["LEGACY", "V1", "V2"],
    "VariableSynchronization": ["VARIABLE_SYNCHRONIZATION_AUTO",
                                "VARIABLE_SYNCHRONIZATION_NONE",
                                "VARIABLE_SYNCHRONIZATION_ON_WRITE",
                                "VARIABLE_SYNCHRONIZATION_ON_READ"],
    "VariableAggregation": ["VARIABLE_AGGREGATION_NONE", "VARIABLE_AGGREGATION_SUM",
                            "VARIABLE_AGGREGATION_MEAN",
                            "VARIABLE_AGGREGATION_ONLY_FIRST_REPLICA"],
}


def _classes() -> dict[str, Any]:
    from google.protobuf import any_pb2  # type: ignore[import-untyped,unused-ignore]  # noqa: F401
    from tensorboardX.proto import (  # noqa: F401
        attr_value_pb2,
        graph_pb2,
        tensor_pb2,
        tensor_shape_pb2,
        types_pb2,
    )

    return declare_file(_FILE, [_TBX + "graph.proto", _TBX + "attr_value.proto",
                                _TBX + "types.proto", _TBX + "tensor_shape.proto",
                                _TBX + "tensor.proto", "google/protobuf/any.proto"],
                        _MESSAGES, _MAP_ENTRIES, _ONEOFS, _ENUMS, __all__)


_CLASSES = _classes()
AssetFileDef: Any = _CLASSES["AssetFileDef"]
CollectionDef: Any = _CLASSES["CollectionDef"]
MetaGraphDef: Any = _CLASSES["MetaGraphDef"]
OpDef: Any = _CLASSES["OpDef"]
OpList: Any = _CLASSES["OpList"]
SaveSliceInfoDef: Any = _CLASSES["SaveSliceInfoDef"]
SavedModel: Any = _CLASSES["SavedModel"]
SaverDef: Any = _CLASSES["SaverDef"]
SignatureDef: Any = _CLASSES["SignatureDef"]
TensorInfo: Any = _CLASSES["TensorInfo"]
VariableDef: Any = _CLASSES["VariableDef"]
