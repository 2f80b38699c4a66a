"""What the proto modules declared in varstore (meta_graph_pb2, io/example_pb2) share."""

from __future__ import annotations

from typing import Any

__all__ = ["declare_file", "message_class_getter"]


def message_class_getter(pool: Any) -> Any:
    """protobuf's message-class factory for descriptors of ``pool``: GetMessageClass, or
    before protobuf 4.22 (which tensorboardX allows) MessageFactory.GetPrototype."""
    from google.protobuf import message_factory  # type: ignore[import-untyped,unused-ignore]

    get_class = getattr(message_factory, "GetMessageClass", None)
    if get_class is None:
        get_class = message_factory.MessageFactory(pool).GetPrototype
    return get_class


def declare_file(file_name: str, dependencies: list[str],
                 messages: dict[str, list[tuple[str, int, str, str, Any]]],
                 map_entries: set[str], oneofs: dict[str, tuple[str, set[str]]],
                 enums: dict[str, list[str]], exported: list[str]) -> dict[str, Any]:
    """The message classes of a .proto file declared in Python, in package ``varstore`` of
    protobuf's default pool (added once): ``messages`` maps a (dotted, for nesting) message
    name to its fields (name, number, type, "r"epeated / "o"ptional, type name or None)."""
    from google.protobuf import (  # type: ignore[import-untyped,unused-ignore]
        descriptor_pb2,
        descriptor_pool,
    )

    pool = descriptor_pool.Default()
    try:
        pool.FindFileByName(file_name)
    except KeyError:
        fdp = descriptor_pb2.FileDescriptorProto(name=file_name, package="varstore",
                                                 syntax="proto3")
        fdp.dependency.extend(dependencies)
        F = descriptor_pb2.FieldDescriptorProto
        types = {"string": F.TYPE_STRING, "bytes": F.TYPE_BYTES, "bool": F.TYPE_BOOL,
                 "int32": F.TYPE_INT32, "int64": F.TYPE_INT64, "uint32": F.TYPE_UINT32,
                 "float": F.TYPE_FLOAT, "double": F.TYPE_DOUBLE, "enum": F.TYPE_ENUM,
                 "message": F.TYPE_MESSAGE}
        made: dict[str, Any] = {}

        def message(path: str) -> Any:
            if path in made:
                return made[path]
            parent, _, leaf = path.rpartition(".")
            box = message(parent).nested_type if parent else fdp.message_type
            msg = box.add(name=leaf)
            made[path] = msg
            return msg

        for path in sorted(messages, key=lambda p: p.count(".")):
            msg = message(path)
            if path in map_entries:
                msg.options.map_entry = True
            oneof = oneofs.get(path)
            if oneof is not None:
                msg.oneof_decl.add(name=oneof[0])
            for name, number, kind, label, type_name in messages[path]:
                field = msg.field.add(name=name, number=number, type=types[kind],
                                      label=F.LABEL_REPEATED if label == "r"
                                      else F.LABEL_OPTIONAL)
                if type_name:
                    field.type_name = type_name
                if oneof is not None and name in oneof[1]:
                    field.oneof_index = 0
        for path, values in enums.items():
            parent, _, leaf = path.rpartition(".")
            box = message(parent).enum_type if parent else fdp.enum_type
            enum = box.add(name=leaf)
            for number, value in enumerate(values):
                enum.value.add(name=value, number=number)
        pool.AddSerializedFile(fdp.SerializeToString())
    get_class = message_class_getter(pool)
    return {name: get_class(pool.FindMessageTypeByName("varstore." + name))
            for name in exported}
