"""TF's RunMetadata and the StepStats inside it (tensorflow/core/protobuf/config.proto,
core/framework/step_stats.proto), wire-compatible with TF's: what ``Session.run`` fills when
``RunOptions.trace_level`` asks for a trace, what ``FileWriter.add_run_metadata`` stores and
TF's timeline tools read. Fields varstore never fills (memory statistics, the cost graph's
contents) are not declared; parsing keeps them as unknown fields."""

from __future__ import annotations

from typing import Any

from varstore.framework._protobuf import declare_file

__all__ = ["CostGraphDef", "DeviceStepStats", "NodeExecStats", "RunMetadata", "StepStats"]

_GRAPH = ".tensorboardX.GraphDef"
_MESSAGES: dict[str, list[tuple[str, int, str, str, Any]]] = {
    "NodeExecStats": [
        ("node_name", 1, "string", "o", None), ("all_start_micros", 2, "int64", "o", None),
        ("op_start_rel_micros", 3, "int64", "o", None),
        ("op_end_rel_micros", 4, "int64", "o", None),
        ("all_end_rel_micros", 5, "int64", "o", None),
        ("timeline_label", 8, "string", "o", None), ("scheduled_micros", 9, "int64", "o", None),
        ("thread_id", 10, "uint32", "o", None), ("all_start_nanos", 13, "int64", "o", None),
        ("op_start_rel_nanos", 14, "int64", "o", None),
        ("op_end_rel_nanos", 15, "int64", "o", None),
        ("all_end_rel_nanos", 16, "int64", "o", None), ("scheduled_nanos", 17, "int64", "o", None),
    ],
    "DeviceStepStats": [
        ("device", 1, "string", "o", None),
        ("node_stats", 2, "message", "r", ".varstore.NodeExecStats"),
        ("thread_names", 3, "message", "r", ".varstore.DeviceStepStats.ThreadNamesEntry"),
    ],
    "DeviceStepStats.ThreadNamesEntry": [
        ("key", 1, "uint32", "o", None), ("value", 2, "string", "o", None),
    ],
    "StepStats": [("dev_stats", 1, "message", "r", ".varstore.DeviceStepStats")],
    "CostGraphDef": [],
    "RunMetadata": [
        ("step_stats", 1, "message", "o", ".varstore.StepStats"),
        ("cost_graph", 2, "message", "o", ".varstore.CostGraphDef"),
        ("partition_graphs", 3, "message", "r", _GRAPH),
        ("function_graphs", 4, "message", "r", ".varstore.RunMetadata.FunctionGraphs"),
    ],
    "RunMetadata.FunctionGraphs": [
        ("partition_graphs", 1, "message", "r", _GRAPH),
        ("pre_optimization_graph", 2, "message", "o", _GRAPH),
        ("post_optimization_graph", 3, "message", "o", _GRAPH),
    ],
}


def _classes() -> dict[str, Any]:
    from tensorboardX.proto import graph_pb2  # noqa: F401 - registers GraphDef's file

    return declare_file("varstore/step_stats.proto", ["tensorboardX/proto/graph.proto"],
                        _MESSAGES, {"DeviceStepStats.ThreadNamesEntry"}, {}, {}, __all__)


_CLASSES = _classes()
CostGraphDef: Any = _CLASSES["CostGraphDef"]
DeviceStepStats: Any = _CLASSES["DeviceStepStats"]
NodeExecStats: Any = _CLASSES["NodeExecStats"]
RunMetadata: Any = _CLASSES["RunMetadata"]
StepStats: Any = _CLASSES["StepStats"]
