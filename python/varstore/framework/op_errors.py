"""How graph-construction errors name nodes and types, as TF's shape-inference messages do
(``<message> for '{{node n}} = Op[attrs](inputs)' with input shapes: ...``); ops.py
re-exports these."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from varstore import dtypes as _dtypes
from varstore.framework.tensor_shape import shape_str

if TYPE_CHECKING:
    from varstore.framework.ops import Tensor

__all__ = ["dt_enum", "input_name", "node_error"]


def node_error(message: str, op_name: str, op_type: str, attrs: str,
               inputs: Sequence[Tensor], extra: str = "") -> ValueError:
    """TF's shape-inference error: '<message> for '{{node n}} = Op[attrs](inputs)' with input
    shapes: [2,3], [3,2].'"""
    names = ", ".join(input_name(t) for t in inputs)
    shapes = ", ".join(shape_str(t._shape) for t in inputs)
    return ValueError(
        f"{message} for '{{{{node {op_name}}}}} = {op_type}[{attrs}]({names})' "
        f"with input shapes: {shapes}{extra}."
    )


def input_name(t: Tensor) -> str:
    """How a NodeDef names an input tensor: the op name for output 0, else 'op:i'."""
    return t._op._name if t._index == 0 else f"{t._op._name}:{t._index}"


_DT_NAMES = {
    "float16": "DT_HALF", "float32": "DT_FLOAT", "float64": "DT_DOUBLE", "int32": "DT_INT32",
    "int64": "DT_INT64", "bool": "DT_BOOL", "int8": "DT_INT8", "uint8": "DT_UINT8",
    "int16": "DT_INT16", "uint16": "DT_UINT16", "uint32": "DT_UINT32", "uint64": "DT_UINT64",
    "string": "DT_STRING", "complex64": "DT_COMPLEX64", "complex128": "DT_COMPLEX128",
    "bfloat16": "DT_BFLOAT16", "resource": "DT_RESOURCE",
}


def dt_enum(dtype: _dtypes.DType) -> str:
    """TF's DataType enum name (DT_FLOAT ...), as graph-construction errors print a type
    attr (a base type: a ref input's attr is its base)."""
    name = dtype._base.name
    return _DT_NAMES.get(name, "DT_" + name.upper())
