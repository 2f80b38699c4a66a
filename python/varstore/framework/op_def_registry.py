"""TF's OpDefs of the op types varstore runs (``op_defs.pb``, recorded from TensorFlow by
``tests/golden/record_op_defs.py``), and what the importer computes from them: a node's
input and output types, attr defaults, and TF's text for an OpDef in error messages.

An OpDef names each input and output: a fixed type, a type attr (``T``), ``N`` copies of one
(``number_attr``) or a list of types (``type_list_attr``); and each attr: its type, default,
minimum and allowed values. A GraphDef node lists its attrs; the signature follows from them.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from varstore import dtypes as _dtypes

__all__ = ["attr_problem", "get", "in_out_types", "op_types", "summarize_attr_value", "summarize_op_def"]

_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "op_defs.pb")
_lock = threading.Lock()
_table: dict[str, Any] | None = None


def _load() -> dict[str, Any]:
    global _table
    with _lock:
        if _table is None:
            from varstore.framework.meta_graph_pb2 import OpList

            with open(_PATH, "rb") as f:
                ops = OpList.FromString(f.read()).op
            _table = {op.name: op for op in ops}
    return _table


def get(op_type: str) -> Any:
    """The OpDef of ``op_type`` (a proto; do not modify), or None when varstore has none."""
    table = _table if _table is not None else _load()
    return table.get(op_type)


def op_types() -> list[str]:
    return sorted(_table if _table is not None else _load())


# -- DataType names, as TF's DataTypeString and EnumName_DataType spell them -------------------
_TYPE_STRING = {1: "float", 2: "double", 3: "int32", 4: "uint8", 5: "int16", 6: "int8",
                7: "string", 8: "complex64", 9: "int64", 10: "bool", 11: "qint8",
                12: "quint8", 13: "qint32", 14: "bfloat16", 15: "qint16", 16: "quint16",
                17: "uint16", 18: "complex128", 19: "half", 20: "resource", 21: "variant",
                22: "uint32", 23: "uint64", 24: "float8_e5m2", 25: "float8_e4m3fn",
                26: "int4", 27: "uint4"}
_ENUM_NAME = {1: "FLOAT", 2: "DOUBLE", 3: "INT32", 4: "UINT8", 5: "INT16", 6: "INT8",
              7: "STRING", 8: "COMPLEX64", 9: "INT64", 10: "BOOL", 11: "QINT8", 12: "QUINT8",
              13: "QINT32", 14: "BFLOAT16", 15: "QINT16", 16: "QUINT16", 17: "UINT16",
              18: "COMPLEX128", 19: "HALF", 20: "RESOURCE", 21: "VARIANT", 22: "UINT32",
              23: "UINT64", 24: "FLOAT8_E5M2", 25: "FLOAT8_E4M3FN", 26: "INT4", 27: "UINT4"}


def type_string(enum: int) -> str:
    """TF's DataTypeString: 'float', 'int32', 'float_ref' ..."""
    if enum > 100:
        return type_string(enum - 100) + "_ref"
    return _TYPE_STRING.get(enum, f"unknown dtype enum ({enum})")


def enum_name(enum: int) -> str:
    if enum > 100:
        return enum_name(enum - 100) + "_REF"
    return "DT_" + _ENUM_NAME.get(enum, str(enum))


# -- TF's SummarizeAttrValue / SummarizeOpDef (core/framework/{attr_value,op_def}_util.cc) ------
def _shape_text(shape: Any) -> str:
    if shape.unknown_rank:
        return "<unknown>"
    return "[" + ",".join("?" if d.size < 0 else str(d.size) for d in shape.dim) + "]"


def _float_text(f: float) -> str:
    """TF's FloatToBuffer: 6 significant digits when they round-trip the float32, else 9."""
    import numpy as np

    text = f"{f:.6g}"
    return text if np.float32(text) == np.float32(f) else f"{f:.9g}"


def _escape(b: bytes) -> str:
    out = []
    for ch in b:
        c = chr(ch)
        if c in "\\\"'":
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif c == "\r":
            out.append("\\r")
        elif 32 <= ch < 127:
            out.append(c)
        else:
            out.append(f"\\{ch:03o}")
    return "".join(out)


def summarize_attr_value(value: Any) -> str:
    kind = value.WhichOneof("value")
    if kind == "s":
        return '"' + _escape(value.s) + '"'
    if kind == "i":
        return str(value.i)
    if kind == "f":
        return _float_text(value.f)
    if kind == "b":
        return "true" if value.b else "false"
    if kind == "type":
        return enum_name(value.type)
    if kind == "shape":
        return _shape_text(value.shape)
    if kind == "tensor":
        return f"<Tensor of dtype {type_string(value.tensor.dtype)}>"
    if kind == "placeholder":
        return "$" + str(value.placeholder)
    if kind == "func":
        return str(value.func.name)
    if kind == "list":
        lst = value.list
        items: list[str] = []
        items += ['"' + _escape(s) + '"' for s in lst.s]
        items += [str(i) for i in lst.i]
        items += [_float_text(f) for f in lst.f]
        items += ["true" if b else "false" for b in lst.b]
        items += [enum_name(t) for t in lst.type]
        items += [_shape_text(s) for s in lst.shape]
        items += [f"<Tensor of dtype {type_string(t.dtype)}>" for t in lst.tensor]
        items += [f.name for f in lst.func]
        return "[" + ", ".join(items) + "]"
    return "<Unknown AttrValue type>"


def _summarize_args(args: Any) -> str:
    parts = []
    for arg in args:
        text = arg.name + ":"
        if arg.is_ref:
            text += "Ref("
        if arg.number_attr:
            text += arg.number_attr + "*"
        text += type_string(arg.type) if arg.type else arg.type_attr  # (no type list: TF's)
        if arg.is_ref:
            text += ")"
        parts.append(text)
    return ", ".join(parts)


def summarize_op_def(op_def: Any) -> str:
    """TF's SummarizeOpDef: 'Op<name=Neg; signature=x:T -> y:T; attr=T:type,allowed=[...]>'."""
    text = (f"Op<name={op_def.name}; signature={_summarize_args(op_def.input_arg)} -> "
            f"{_summarize_args(op_def.output_arg)}")
    for attr in op_def.attr:
        text += f"; attr={attr.name}:{attr.type}"
        if attr.HasField("default_value"):
            text += ",default=" + summarize_attr_value(attr.default_value)
        if attr.has_minimum:
            text += f",min={attr.minimum}"
        if attr.HasField("allowed_values"):
            text += ",allowed=" + summarize_attr_value(attr.allowed_values)
    for flag in ("is_commutative", "is_aggregate", "is_stateful", "allows_uninitialized_input",
                 "is_distributed_communication"):
        if getattr(op_def, flag):
            text += f"; {flag}=true"
    return text + ">"


# -- a node's signature --------------------------------------------------------------------
class SignatureError(ValueError):
    """An attr the signature needs is missing or of the wrong kind."""


def _arg_types(arg: Any, attrs: Any) -> list[int]:
    """The DataType enums of one input or output arg of a node with proto ``attrs``."""
    if arg.type_list_attr:
        return [int(t) for t in attrs[arg.type_list_attr].list.type]
    one = int(arg.type) if arg.type else int(attrs[arg.type_attr].type)
    if arg.is_ref:
        one += 100
    if arg.number_attr:
        return [one] * int(attrs[arg.number_attr].i)
    return [one]


def in_out_types(op_def: Any, attrs: Any) -> tuple[list[int], list[int]]:
    """TF's InOutTypesForNode: the DataType enums of a node's inputs and outputs (ref types
    are enum + 100)."""
    try:
        ins = [t for arg in op_def.input_arg for t in _arg_types(arg, attrs)]
        outs = [t for arg in op_def.output_arg for t in _arg_types(arg, attrs)]
    except KeyError as exc:
        raise SignatureError(str(exc)) from None
    return ins, outs


def dtype_of(enum: int) -> _dtypes.DType:
    """The varstore DType of a DataType enum (a ref type is its base type)."""
    return _dtypes.as_dtype(enum - 100 if enum > 100 else enum)


# -- TF's ValidateAttrValue ------------------------------------------------------------------
_KIND_NAMES = {"s": "string", "i": "int", "f": "float", "b": "bool", "type": "type",
               "shape": "shape", "tensor": "tensor", "func": "func"}


def _value_type(value: Any) -> str:
    kind = value.WhichOneof("value")
    if kind != "list":
        return _KIND_NAMES.get(kind or "", "")
    lst = value.list
    for field, text in (("s", "string"), ("i", "int"), ("f", "float"), ("b", "bool"),
                        ("type", "type"), ("shape", "shape"), ("tensor", "tensor"),
                        ("func", "func")):
        if len(getattr(lst, field)):
            return f"list({text})"
    return "list"


def attr_problem(value: Any, attr_def: Any) -> str | None:
    """TF's ValidateAttrValue for one attr: None when the value fits its AttrDef."""
    want = attr_def.type
    got = _value_type(value)
    if not (got == want or (got == "list" and want.startswith("list("))):
        return (f"AttrValue had value with type '{got}' when '{want}' expected\n\t for attr "
                f"'{attr_def.name}'")
    if attr_def.has_minimum:
        if want.startswith("list("):
            size = _list_size(value)
            if size < attr_def.minimum:
                return (f"Length for attr '{attr_def.name}' of {size} must be at least "
                        f"minimum {attr_def.minimum}")
        elif want == "int" and value.i < attr_def.minimum:
            return (f"Value for attr '{attr_def.name}' of {value.i} must be at least minimum "
                    f"{attr_def.minimum}")
    if attr_def.HasField("allowed_values"):
        allowed = attr_def.allowed_values.list
        if want in ("type", "list(type)"):
            types = [value.type] if want == "type" else list(value.list.type)
            for t in types:
                if t not in allowed.type:
                    names = ", ".join(type_string(a) for a in allowed.type)
                    return (f"Value for attr '{attr_def.name}' of {type_string(t)} "
                            f"is not in the list of allowed values: {names}")
        elif want in ("string", "list(string)"):
            items = [value.s] if want == "string" else list(value.list.s)
            for s in items:
                if s not in allowed.s:
                    names = ", ".join(f'"{a.decode()}"' for a in allowed.s)
                    return (f"Value for attr '{attr_def.name}' of \"{s.decode()}\" is not in "
                            f"the list of allowed values: {names}")
    return None


def _list_size(value: Any) -> int:
    lst = value.list
    return max(len(lst.s), len(lst.i), len(lst.f), len(lst.b), len(lst.type), len(lst.shape),
               len(lst.tensor), len(lst.func))
