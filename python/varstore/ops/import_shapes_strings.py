"""Static output shapes of imported string, lookup-table and reader ops (the importer's
rules beside import_shapes(_nn).py), as TF's shape functions give them."""

from __future__ import annotations

from varstore.framework.constant_op import constant_value
from varstore.framework.importer import register_shape
from varstore.ops import math_ops
from varstore.ops.import_shapes import Attrs, Dims, Inputs

_SAME = ("StringLength", "StringLower", "StringUpper", "StringStrip", "StringToNumber",
         "StringToHashBucket", "StringToHashBucketFast", "StringToHashBucketStrong",
         "EncodeBase64", "DecodeBase64", "DecodeCompressed", "StaticRegexReplace",
         "RegexReplace", "RegexFullMatch", "AsString")
_SCALAR = ("HashTableV2", "MutableHashTableV2", "MutableHashTableOfTensorsV2",
           "LookupTableSizeV2", "StringFormat", "TFRecordReaderV2", "TextLineReaderV2",
           "WholeFileReaderV2", "IdentityReaderV2", "FixedLengthRecordReaderV2",
           "ReaderNumRecordsProducedV2", "ReaderNumWorkUnitsCompletedV2",
           "ReaderSerializeStateV2")


@register_shape(*_SAME)
def _same(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return inputs[0]._shape


@register_shape(*_SCALAR)
def _scalar(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return ()


@register_shape("Substr")
def _substr(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return math_ops.broadcast_shape(name, op_type, inputs[0], inputs[1])


@register_shape("StringSplit", "StringSplitV2")
def _split(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    return [(None, 2), (None,), (2,)]


@register_shape("ReaderReadV2")
def _read(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    return [(), ()]


@register_shape("ReaderReadUpToV2", "LookupTableExportV2")
def _read_up_to(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    return [(None,), None] if op_type == "LookupTableExportV2" else [(None,), (None,)]


@register_shape("LookupTableFindV2")
def _find(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    # TF's handle data gives the value shape; without it, a scalar default means scalars
    keys, default = inputs[1]._shape, inputs[2]._shape
    if keys is None or default != ():
        return None
    return keys


@register_shape("ReduceJoin")
def _reduce_join(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    x, r = inputs[0]._shape, constant_value(inputs[1])
    if x is None or r is None:
        return None
    dims = {int(a) % len(x) for a in r.reshape(-1).tolist()} if x else set()
    keep = attrs.get("keep_dims", False)
    return tuple(1 if i in dims else d for i, d in enumerate(x) if keep or i not in dims)


@register_shape("UnsortedSegmentJoin")
def _segment_join(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    x, ids, n = inputs[0]._shape, inputs[1]._shape, constant_value(inputs[2])
    if x is None or ids is None:
        return None
    return (None if n is None else int(n), *x[len(ids):])
