"""``tf.io.decode_csv`` (TF's DecodeCSV op, core/kernels/decode_csv_op.cc): each string
record split into fields by TF's rules (RFC-4180 quotes when ``use_quote_delim``: a quoted
field may hold delimiters, ``""`` is a quote), a field per ``record_defaults`` entry (or per
``select_cols`` column), an empty or ``na_value`` field taking its default (no default: it is
required). The field splitter and converters are shared with CsvDataset (readers_csv.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.op_def_library import check_same_graph, first_input
from varstore.framework.ops import NotDifferentiable, Operation, make_op, register_kernel, scope_of

__all__ = ["decode_csv"]

CSV_TYPES = (_dtypes.float32, _dtypes.float64, _dtypes.int32, _dtypes.int64, _dtypes.string)
_INT = re.compile(rb"\s*[+-]?[0-9]+\s*\Z")
_INT_LIMITS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def check_select_cols(select_cols: Any, n_defaults: int) -> list[int]:
    if select_cols is None:
        return []
    cols = [int(c) for c in select_cols]
    if any(cols[i] >= cols[i + 1] for i in range(len(cols) - 1)):
        raise ValueError("select_cols is not strictly increasing.")
    if cols and cols[0] < 0:
        raise ValueError("select_cols contains negative values.")
    if len(cols) != n_defaults:
        raise ValueError("Length of select_cols and record_defaults do not match.")
    return cols


def decode_csv(records: Any, record_defaults: Any, field_delim: str = ",",
               use_quote_delim: bool = True, name: str | None = None, na_value: str = "",
               select_cols: Any = None) -> list[Any]:
    """One tensor per field, each of the records' shape."""
    cols = check_select_cols(select_cols, len(record_defaults))
    graph = check_same_graph(records, *record_defaults)
    full = graph._op_name(name, "DecodeCSV")
    with scope_of(graph, full):
        recs = first_input(records, "records", _dtypes.string)
        defaults = []
        for i, d in enumerate(record_defaults):
            t = convert_to_tensor(d, name=f"record_defaults_{i}")
            if t.dtype not in CSV_TYPES:
                raise TypeError(f"Value passed to parameter 'record_defaults' has DataType "
                                f"{t.dtype.name} not in list of allowed values: float32, "
                                "float64, int32, int64, string")
            nd = t.get_shape().ndims
            if nd is not None and nd > 1:
                raise ValueError(f"Shape must be at most rank 1 but is rank "
                                 f"{nd} for '{full}' (op: 'DecodeCSV') "
                                 f"with input shapes: record_defaults_{i}: {t.get_shape()}")
            defaults.append(t)
    shape = tuple(recs.get_shape().as_list()) if recs.get_shape().ndims is not None else None
    op = make_op(graph, full, "DecodeCSV", [recs, *defaults],
                 {"OUT_TYPE": [t.dtype for t in defaults], "field_delim": field_delim,
                  "use_quote_delim": bool(use_quote_delim), "na_value": na_value,
                  "select_cols": cols},
                 [(t.dtype, shape) for t in defaults])
    return list(op._outputs)


def split_fields(record: bytes, delim: int, quote: bool) -> list[bytes]:
    """TF's ExtractFields: the fields of one record (errors as TF's)."""
    fields: list[bytes] = []
    n = len(record)
    i = 0
    while i < n:
        c = record[i]
        if quote and c == 0x22:
            i += 1
            field = bytearray()
            while i < n - 1 and (record[i] != 0x22 or record[i + 1] != delim):
                if record[i] != 0x22:
                    field.append(record[i])
                    i += 1
                    continue
                if record[i + 1] != 0x22:
                    raise InvalidArgumentError(None, None, "Quote inside a string has to be "
                                               "escaped by another quote")
                field.append(0x22)
                i += 2
            if not (i < n and record[i] == 0x22 and (i == n - 1 or record[i + 1] == delim)):
                raise InvalidArgumentError(None, None, "Quoted field has to end with quote "
                                           "followed by delim or end")
            i += 2
            fields.append(bytes(field))
            continue
        j = i
        while j < n and record[j] != delim:
            if (quote and record[j] == 0x22) or record[j] in (0x0A, 0x0D):
                raise InvalidArgumentError(None, None, "Unquoted fields cannot have "
                                           "quotes/CRLFs inside")
            j += 1
        fields.append(record[i:j])
        i = j + 1
    if n and record[n - 1] == delim:
        fields.append(b"")
    return fields


def convert_field(text: bytes, dtype: Any, default: Any, f: int, where: str,
                  na_value: bytes) -> Any:
    """One field's value: its default when empty or NA (none: required), else parsed as
    TF's safe_strto32/64, safe_strtof/d."""
    if not text or text == na_value:
        if default.size == 0:
            raise InvalidArgumentError(None, None, f"Field {f} is required but missing in "
                                       f"{where}!")
        return default.reshape(-1)[0]
    name = dtype.name
    if dtype == _dtypes.string:
        return text
    if name in _INT_LIMITS:
        lo, hi = _INT_LIMITS[name]
        if _INT.match(text) and lo <= int(text) <= hi:
            return int(text)
        raise InvalidArgumentError(None, None, f"Field {f} in {where} is not a valid {name}: "
                                   f"{text.decode(errors='replace')}")
    try:
        if b"_" in text:
            raise ValueError(text)
        value = float(text)
    except ValueError:
        raise InvalidArgumentError(None, None, f"Field {f} in {where} is not a valid "
                                   f"{'float' if name == 'float32' else 'double'}: "
                                   f"{text.decode(errors='replace')}") from None
    return value


def select(fields: list[bytes], cols: Sequence[int], n_out: int, where: str) -> list[bytes]:
    if cols:
        picked = [fields[c] for c in cols if c < len(fields)]
        if len(picked) != n_out:
            raise InvalidArgumentError(None, None, f"Expect {n_out} fields but have "
                                       f"{len(picked)} in {where}")
        return picked
    if len(fields) != n_out:
        raise InvalidArgumentError(None, None, f"Expect {n_out} fields but have "
                                   f"{len(fields)} in {where}")
    return fields


@register_kernel("DecodeCSV")
def _decode_csv_kernel(op: Operation) -> Callable[..., Any]:
    types = list(op._attrs["OUT_TYPE"])
    delim_s: str = op._attrs["field_delim"]
    quote = bool(op._attrs["use_quote_delim"])
    na = op._attrs["na_value"].encode() if isinstance(op._attrs["na_value"], str) else bytes(
        op._attrs["na_value"])
    cols = list(op._attrs.get("select_cols") or [])

    def kernel(records: Any, *defaults: Any) -> Any:
        if len(delim_s) != 1:
            raise InvalidArgumentError(None, op, "field_delim should be only 1 char")
        delim = delim_s.encode()[0]
        for i, d in enumerate(defaults):
            if np.asarray(d).size > 1:
                raise InvalidArgumentError(None, op, f"There should only be 1 default per "
                                           f"field but field {i} has {np.asarray(d).size}")
        recs = np.asarray(records, dtype=object)
        outs = [np.empty(recs.shape, dtype=t._np if t != _dtypes.string else object)
                for t in types]
        flat = [o.reshape(-1) for o in outs]
        for i, r in enumerate(recs.reshape(-1)):
            rec = r if isinstance(r, bytes) else str(r).encode()
            where = f"record {i}"
            try:
                fields = select(split_fields(rec, delim, quote), cols, len(types), where)
                for f, (text, t) in enumerate(zip(fields, types)):
                    flat[f][i] = convert_field(text, t, np.asarray(defaults[f]), f, where, na)
            except InvalidArgumentError as e:
                raise InvalidArgumentError(None, op, e.message) from None
        return tuple(outs) if len(outs) != 1 else outs[0]

    return kernel


NotDifferentiable("DecodeCSV")
