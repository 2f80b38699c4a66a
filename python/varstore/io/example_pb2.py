"""TF's ``tf.train.Example`` protos (tensorflow/core/example/feature.proto and example.proto)
as protobuf message classes, without TensorFlow.

No installed package ships them (tensorboardX has the Summary and Event protos only), so the
two .proto files are described here field by field and built by protobuf itself (a
FileDescriptorProto in a private descriptor pool, the pool keeping them clear of TF's own
``tensorflow.*`` registrations if TF is imported too): parsing, serialization and text format
are protobuf's, byte-compatible with TF's."""

from __future__ import annotations

from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool

from varstore.framework._protobuf import message_class_getter

__all__ = ["BytesList", "Example", "Feature", "FeatureList", "FeatureLists", "Features",
           "FloatList", "Int64List", "SequenceExample"]

_F = descriptor_pb2.FieldDescriptorProto


def _message(file: Any, name: str, fields: list[tuple[str, int, int, int, str]],
             oneof: str | None = None) -> Any:
    msg = file.message_type.add(name=name)
    if oneof:
        msg.oneof_decl.add(name=oneof)
    for fname, number, label, ftype, type_name in fields:
        f = msg.field.add(name=fname, number=number, label=label, type=ftype,
                          json_name=fname)
        if type_name:
            f.type_name = type_name
        if oneof:
            f.oneof_index = 0
    return msg


def _map_entry(msg: Any, entry: str, field: str, value_type: str) -> None:
    e = msg.nested_type.add(name=entry)
    e.options.map_entry = True
    e.field.add(name="key", number=1, label=_F.LABEL_OPTIONAL, type=_F.TYPE_STRING,
                json_name="key")
    e.field.add(name="value", number=2, label=_F.LABEL_OPTIONAL, type=_F.TYPE_MESSAGE,
                type_name=value_type, json_name="value")
    msg.field.add(name=field, number=1, label=_F.LABEL_REPEATED, type=_F.TYPE_MESSAGE,
                  type_name=f".tensorflow.{msg.name}.{entry}",
                  json_name="featureList" if field == "feature_list" else field)


def _build() -> dict[str, Any]:
    rep, opt = _F.LABEL_REPEATED, _F.LABEL_OPTIONAL
    feature = descriptor_pb2.FileDescriptorProto(
        name="tensorflow/core/example/feature.proto", package="tensorflow", syntax="proto3")
    _message(feature, "BytesList", [("value", 1, rep, _F.TYPE_BYTES, "")])
    # proto3 packs repeated scalars by default, as TF's [packed = true]
    _message(feature, "FloatList", [("value", 1, rep, _F.TYPE_FLOAT, "")])
    _message(feature, "Int64List", [("value", 1, rep, _F.TYPE_INT64, "")])
    _message(feature, "Feature", [
        ("bytes_list", 1, opt, _F.TYPE_MESSAGE, ".tensorflow.BytesList"),
        ("float_list", 2, opt, _F.TYPE_MESSAGE, ".tensorflow.FloatList"),
        ("int64_list", 3, opt, _F.TYPE_MESSAGE, ".tensorflow.Int64List")], oneof="kind")
    _map_entry(feature.message_type.add(name="Features"), "FeatureEntry", "feature",
               ".tensorflow.Feature")
    _message(feature, "FeatureList", [("feature", 1, rep, _F.TYPE_MESSAGE,
                                       ".tensorflow.Feature")])
    _map_entry(feature.message_type.add(name="FeatureLists"), "FeatureListEntry",
               "feature_list", ".tensorflow.FeatureList")
    example = descriptor_pb2.FileDescriptorProto(
        name="tensorflow/core/example/example.proto", package="tensorflow", syntax="proto3",
        dependency=[feature.name])
    _message(example, "Example", [("features", 1, opt, _F.TYPE_MESSAGE,
                                   ".tensorflow.Features")])
    _message(example, "SequenceExample", [
        ("context", 1, opt, _F.TYPE_MESSAGE, ".tensorflow.Features"),
        ("feature_lists", 2, opt, _F.TYPE_MESSAGE, ".tensorflow.FeatureLists")])
    pool = descriptor_pool.DescriptorPool()
    pool.Add(feature)
    pool.Add(example)
    get_class = message_class_getter(pool)
    return {n: get_class(pool.FindMessageTypeByName(f"tensorflow.{n}")) for n in __all__}


_classes = _build()
BytesList: Any = _classes["BytesList"]
Example: Any = _classes["Example"]
Feature: Any = _classes["Feature"]
FeatureList: Any = _classes["FeatureList"]
FeatureLists: Any = _classes["FeatureLists"]
Features: Any = _classes["Features"]
FloatList: Any = _classes["FloatList"]
Int64List: Any = _classes["Int64List"]
SequenceExample: Any = _classes["SequenceExample"]
