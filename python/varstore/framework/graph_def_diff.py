"""``tf.test.assert_equal_graph_def`` (TF's util/equal_graph_def.cc): two GraphDefs are
equal when they hold the same nodes by name (in any order), each with the same op, device,
data inputs in order ("t" and "t:0" alike), control inputs as a set and attributes (those
starting with "_" ignored). The first difference is reported in TF's words."""

from __future__ import annotations

import re
from typing import Any

from varstore.framework.op_def_registry import summarize_attr_value, type_string

__all__ = ["assert_equal_graph_def", "equal_graph_def"]

_SHARDED_SAVE_OP_PATTERN = re.compile(rb"_temp_[0-9a-z]{32}/part")
_TABLE_SHARED_NAME_PATTERN = re.compile(rb"hash_table_[0-9a-z\-]+")


def _summarize(node: Any) -> str:
    # SummarizeNodeDef: "{{node name}} = Op[attrs](inputs)", the attrs sorted by name
    attrs = ", ".join(f"{k}={_value(node.attr[k])}" for k in sorted(node.attr))
    return f"{{{{node {node.name}}}}} = {node.op}[{attrs}]({', '.join(node.input)})"


def _value(v: Any) -> str:
    """SummarizeAttrValue: OpDef's summary, a tensor as Tensor::DebugString(3)."""
    if v.WhichOneof("value") == "tensor":
        return _tensor_text(v.tensor)
    return summarize_attr_value(v)


def _tensor_text(proto: Any) -> str:
    from varstore.framework.proto_values import make_ndarray
    from varstore.ops.check_ops import summarize_value

    arr = make_ndarray(proto)
    shape = "[" + ",".join(str(d) for d in arr.shape) + "]"
    return (f"Tensor<type: {type_string(proto.dtype)} shape: {shape} values: "
            f"{summarize_value(arr, 3)}>")


def _attr_equal(a: Any, b: Any) -> bool:
    # AreAttrValuesEqual: tensors by value (their fields may encode one value differently)
    if a.WhichOneof("value") == "tensor" and b.WhichOneof("value") == "tensor":
        from varstore.framework.proto_values import make_ndarray

        x, y = make_ndarray(a.tensor), make_ndarray(b.tensor)
        return bool(a.tensor.dtype == b.tensor.dtype and x.shape == y.shape
                    and x.tobytes() == y.tobytes()) if x.dtype != object else (
            a.tensor.dtype == b.tensor.dtype and x.tolist() == y.tolist())
    return bool(a == b)


def _node_diff(actual: Any, expected: Any) -> str | None:
    name = actual.name
    if actual.name != expected.name:
        return f"Actual node name '{actual.name}' is not expected '{expected.name}'"
    if actual.op != expected.op:
        return f"Node named '{name}' has op '{actual.op}' that is not expected '{expected.op}'"
    if actual.device != expected.device:
        return (f"Node named '{name}' has device '{actual.device}' that is not expected "
                f"'{expected.device}'")
    if len(actual.input) != len(expected.input):
        return (f"Node named '{name}' has inputs '{', '.join(actual.input)}' that don't match "
                f"expected '{', '.join(expected.input)}'")
    first_control = len(actual.input)
    for i, a in enumerate(actual.input):
        if a.startswith("^"):
            first_control = i
            break
        e = expected.input[i]
        if a != e and a != e + ":0" and a + ":0" != e:
            return (f"Node named '{name}' has input {i} '{a}' that doesn't match expected "
                    f"'{e}'")
    actual_control = set(actual.input[first_control:])
    for e in expected.input[first_control:]:
        if e not in actual_control:
            return f"Node named '{name}' missing expected control input '{e}'"
        actual_control.discard(e)
    if actual_control:
        return f"Node named '{name}' has unexpected control input '{min(actual_control)}'"
    actual_attrs = {k for k in actual.attr if not k.startswith("_")}
    for key in expected.attr:
        if key.startswith("_"):
            continue
        if key not in actual_attrs:
            return (f"Node named '{name}' missing expected attr '{key}' with value: "
                    f"{_value(expected.attr[key])}")
        actual_attrs.discard(key)
        if not _attr_equal(actual.attr[key], expected.attr[key]):
            return (f"Node named '{name}' has attr '{key}' with value: "
                    f"{_value(actual.attr[key])} that does not match expected: "
                    f"{_value(expected.attr[key])}")
    if actual_attrs:
        key = min(actual_attrs)
        return (f"Node named '{name}' has unexpected attr '{key}' with value: "
                f"{_value(actual.attr[key])}")
    return None


def equal_graph_def(actual: Any, expected: Any) -> str | None:
    """The first difference between the two GraphDefs' nodes, or None (versions are not
    compared, as in TF)."""
    index = {n.name: n for n in actual.node}
    for node in expected.node:
        found = index.pop(node.name, None)
        if found is None:
            return f"Did not find expected node '{_summarize(node)}'"
        diff = _node_diff(found, node)
        if diff is not None:
            return diff
    if index:
        return f"Found unexpected node '{_summarize(next(iter(index.values())))}'"
    return None


def _strip(graph_def: Any, checkpoint_v2: bool, hash_table_shared_name: bool) -> Any:
    out = type(graph_def)()
    out.CopyFrom(graph_def)
    for node in out.node:
        if checkpoint_v2:
            # a sharded save's temporary file name is random: TF drops the attr holding it
            for key in [k for k in node.attr if len(node.attr[k].tensor.string_val) == 1
                        and _SHARDED_SAVE_OP_PATTERN.match(node.attr[k].tensor.string_val[0])]:
                del node.attr[key]
        if (hash_table_shared_name and node.op == "HashTableV2" and "shared_name" in node.attr
                and _TABLE_SHARED_NAME_PATTERN.match(node.attr["shared_name"].s)):
            del node.attr["shared_name"]
    return out


def assert_equal_graph_def(actual: Any, expected: Any, checkpoint_v2: bool = False,
                           hash_table_shared_name: bool = False) -> None:
    """AssertionError with the first difference unless the GraphDefs are equal."""
    from tensorboardX.proto import graph_pb2  # type: ignore[import-untyped,unused-ignore]

    if not isinstance(actual, graph_pb2.GraphDef):
        raise TypeError(f"Expected tf.GraphDef for actual, got {type(actual).__name__}")
    if not isinstance(expected, graph_pb2.GraphDef):
        raise TypeError(f"Expected tf.GraphDef for expected, got {type(expected).__name__}")
    if checkpoint_v2 or hash_table_shared_name:
        actual = _strip(actual, checkpoint_v2, hash_table_shared_name)
        expected = _strip(expected, checkpoint_v2, hash_table_shared_name)
    diff = equal_graph_def(actual, expected)
    if diff:
        raise AssertionError(diff)
