"""What the proto modules declared in varstore (meta_graph_pb2, io/example_pb2) share."""

from __future__ import annotations

from typing import Any

__all__ = ["message_class_getter"]


def message_class_getter(pool: Any) -> Any:
    """protobuf's message-class factory for descriptors of ``pool``: GetMessageClass, or
    before protobuf 4.22 (which tensorboardX allows) MessageFactory.GetPrototype."""
    from google.protobuf import message_factory  # type: ignore[import-untyped,unused-ignore]

    get_class = getattr(message_factory, "GetMessageClass", None)
    if get_class is None:
        get_class = message_factory.MessageFactory(pool).GetPrototype
    return get_class
