"""TF's lookup-table ops (gen_lookup_ops) and their per-session tables: HashTableV2 (a
static table, filled once by LookupTableImportV2 or InitializeTableFromTextFileV2),
MutableHashTableV2 / MutableHashTableOfTensorsV2, and the table ops LookupTableFindV2,
LookupTableSizeV2, LookupTableInsertV2, LookupTableRemoveV2, LookupTableExportV2.

A table lives in the session, as TF keeps it in the session's resource manager: shared by
``shared_name`` (or by node name with ``use_node_name_sharing``), private to its op
otherwise. The table op's output is the table itself. A static table looked up before its
initializer ran is TF's FailedPreconditionError "Table not initialized.". TF registers no
gradients for these ops."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import (
    FailedPreconditionError,
    InvalidArgumentError,
    NotFoundError,
    OutOfRangeError,
)
from varstore.framework.executor import RunContext
from varstore.framework.graph import get_default_graph
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    Tensor,
    make_op,
    register_kernel,
)
from varstore.ops.string_basic_ops import as_b, shape_text, strings_of

__all__ = ["Table", "find", "make_table_op", "table_op"]

Dims = tuple[int | None, ...] | None


class Table:
    """One session's table: a dict from keys (bytes or Python numbers) to values."""

    def __init__(self, key_dtype: _dtypes.DType, value_dtype: _dtypes.DType,
                 value_shape: tuple[int, ...], static: bool) -> None:
        self.key_dtype = key_dtype
        self.value_dtype = value_dtype
        self.value_shape = value_shape
        self.static = static
        self.initialized = not static
        self.data: dict[Any, Any] = {}
        self.lock = threading.Lock()

    def key(self, v: Any) -> Any:
        return as_b(v) if self.key_dtype is _dtypes.string else v.item()

    def keys_of(self, keys: np.ndarray) -> list[Any]:
        return [self.key(v) for v in np.asarray(keys, dtype=object if
                                                self.key_dtype is _dtypes.string
                                                else None).reshape(-1)]

    def rows(self, values: np.ndarray, n: int) -> list[Any]:
        arr = np.asarray(values)
        if self.value_shape:
            return list(arr.reshape((n, *self.value_shape)))
        if self.value_dtype is _dtypes.string:
            return [as_b(v) for v in arr.reshape(-1)]
        return list(arr.reshape(-1))

    def check_import(self, keys: np.ndarray, values: np.ndarray) -> int:
        keys = np.asarray(keys)
        expected = (*keys.shape, *self.value_shape)
        if tuple(np.shape(values)) != expected:
            raise InvalidArgumentError(None, None, "Expected shape "
                                       f"{shape_text(expected)} for value, got "
                                       f"{shape_text(np.shape(values))}")
        return int(keys.size)

    def output(self, found: list[Any], shape: tuple[int, ...]) -> np.ndarray:
        if self.value_dtype is _dtypes.string and not self.value_shape:
            return strings_of(shape, found)
        out = np.asarray(found, dtype=self.value_dtype.as_numpy_dtype)
        return out.reshape((*shape, *self.value_shape))


def _same(a: Any, b: Any) -> bool:
    return bool(np.array_equal(np.asarray(a), np.asarray(b)))


# -- table ops --------------------------------------------------------------------------------
def make_table_op(op_type: str, name: str, attrs: dict[str, Any],
                  inputs: list[Tensor] | None = None) -> Tensor:
    """A table-creating op (HashTableV2 ...), built free of control dependencies as TF's
    init_scope does; its output is the table's resource handle."""
    graph = get_default_graph()
    with graph.control_dependencies(None):
        full = graph._op_name(name, op_type)
        return make_op(graph, full, op_type, list(inputs or []), attrs,
                       [(_dtypes.resource, ())])._outputs[0]


def table_op(op_type: str, default: str, handle: Tensor, inputs: list[Tensor],
             attrs: dict[str, Any], outputs: list[tuple[_dtypes.DType, Dims]],
             name: str | None = None, check: Callable[[str], None] | None = None
             ) -> Operation:
    graph = get_default_graph()
    full = graph._op_name(name, default)
    if check is not None:
        check(full)
    return make_op(graph, full, op_type, [handle, *inputs], attrs, outputs)


def _value_shape(op: Operation) -> tuple[int, ...]:
    shape = op._attrs.get("value_shape")
    if shape is None:
        return ()
    dims = shape._dims if hasattr(shape, "_dims") else tuple(shape)
    return tuple(int(d) for d in dims)


def _table_kernel(op: Operation, ctx: RunContext, static: bool) -> Callable[..., Any]:
    a = op._attrs
    shape = _value_shape(op)

    def make() -> Table:
        return Table(a["key_dtype"], a["value_dtype"], shape, static)

    shared = a.get("shared_name", "") or ""
    if isinstance(shared, bytes):
        shared = shared.decode()
    if not shared and a.get("use_node_name_sharing", False):
        shared = op._name
    container = a.get("container", "") or ""

    def check(t: Table) -> None:
        if t.key_dtype is not a["key_dtype"] or t.value_dtype is not a["value_dtype"]:
            raise InvalidArgumentError(None, None, f"Trying to share a table with key dtype "
                                       f"{t.key_dtype.name} and value dtype "
                                       f"{t.value_dtype.name} as one with key dtype "
                                       f"{a['key_dtype'].name} and value dtype "
                                       f"{a['value_dtype'].name}")

    key = ("lookup_table", (container, shared) if shared else op._id)
    return lambda *inputs: ctx.resource(key, make, check)


# the (key, value) dtypes TF registers HashTableV2's CPU kernel for
_HASH_TABLE_TYPES = {("string", v) for v in ("string", "int64", "int32", "float32", "float64",
                                             "bool")} | \
    {("int64", v) for v in ("string", "int64", "int32", "float32", "float64")} | \
    {("int32", v) for v in ("string", "int32", "float32", "float64")}


@register_kernel("HashTableV2", stateful=True)
def _hash_table_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    a = op._attrs
    if (a["key_dtype"].name, a["value_dtype"].name) not in _HASH_TABLE_TYPES:
        from varstore.ops.linalg_decomp_ops import no_cpu_kernel
        raise no_cpu_kernel(op, {k: v for k, v in a.items() if not k.startswith("_")})
    return _table_kernel(op, ctx, static=True)


@register_kernel("MutableHashTableV2", stateful=True)
def _mutable_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    return _table_kernel(op, ctx, static=False)


@register_kernel("MutableHashTableOfTensorsV2", stateful=True)
def _mutable_tensors_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    return _table_kernel(op, ctx, static=False)


def _table(handle: Any) -> Table:
    if isinstance(handle, np.ndarray):
        handle = handle.item()
    if not isinstance(handle, Table):
        raise InvalidArgumentError(None, None, "The handle is not a lookup table")
    return handle


def _insert_static(t: Table, keys: list[Any], rows: list[Any]) -> None:
    for k, v in zip(keys, rows):
        old = t.data.get(k, _MISSING)
        if old is _MISSING:
            t.data[k] = v
        elif not _same(old, v):
            raise FailedPreconditionError(None, None, "HashTable has different value for "
                                          f"same key. Key {_show(k)} has {_show(old)} and "
                                          f"trying to add value {_show(v)}")


_MISSING = object()


def _show(v: Any) -> str:
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)


@register_kernel("LookupTableImportV2", stateful=True)
def _import_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    def kernel(handle: Any, keys: np.ndarray, values: np.ndarray) -> None:
        t = _table(handle)
        n = t.check_import(keys, values)
        ks, rows = t.keys_of(keys), t.rows(values, n)
        with t.lock:
            if not t.static:
                t.data = dict(zip(ks, rows))
                return
            if t.initialized:
                # TF's InitializableLookupTable: re-importing the same entries is a no-op
                same = len(t.data) == len(set(ks)) and all(
                    k in t.data and _same(t.data[k], v) for k, v in zip(ks, rows))
                if not same:
                    raise FailedPreconditionError(None, None, "Table was already initialized "
                                                  "with different data.")
                return
            data_before = dict(t.data)
            try:
                _insert_static(t, ks, rows)
            except FailedPreconditionError:
                t.data = data_before
                raise
            t.initialized = True
    return kernel


def _parse_field(text: bytes, dt: _dtypes.DType, line: int) -> Any:
    if dt is _dtypes.string:
        return text
    try:
        if dt.is_integer:
            return int(text)
        return float(text)
    except ValueError:
        raise InvalidArgumentError(None, None, f"Field {text.decode('utf-8', 'replace')} in "
                                   f"line {line} is not a valid {dt.name}.") from None


@register_kernel("InitializeTableFromTextFileV2", stateful=True)
def _text_file_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    a = op._attrs
    key_index, value_index = a["key_index"], a["value_index"]
    vocab_size, offset = a.get("vocab_size", -1), a.get("offset", 0)
    delim = as_b(a.get("delimiter", "\t"))

    def field(line: bytes, n: int, index: int, dt: _dtypes.DType, path: str) -> Any:
        if index == -2:
            return _parse_field(line, dt, n)
        if index == -1:
            return n + offset
        cols = line.split(delim)
        if index >= len(cols):
            raise InvalidArgumentError(None, None, f"Invalid number of columns in {path} line "
                                       f"{n} ({_show(line)}) : expected {index + 1} got "
                                       f"{len(cols)}")
        return _parse_field(cols[index], dt, n)

    def kernel(handle: Any, filename: np.ndarray) -> None:
        t = _table(handle)
        path = as_b(np.asarray(filename).item()).decode()
        try:
            with open(path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            raise NotFoundError(None, None, f"{path}; No such file or directory") from None
        if not data:
            # TF's line iterator on an empty file
            raise OutOfRangeError(None, None, "Read less bytes than requested")
        lines = data.split(b"\n")
        if lines[-1] == b"":
            lines.pop()
        pos = 0
        for i, ln in enumerate(lines):
            pos += len(ln) + 1
            if not ln and (vocab_size <= 0 or i < vocab_size):
                raise InvalidArgumentError(None, None, f"Invalid content in {path}: empty "
                                           f"line found at position {pos}.")
        lines = [ln[:-1] if ln.endswith(b"\r") else ln for ln in lines]
        if vocab_size > 0:
            if len(lines) < vocab_size:
                raise InvalidArgumentError(None, None, f"Invalid vocab_size in {path}: "
                                           f"expected {vocab_size} but got {len(lines)}")
            lines = lines[:vocab_size]
        ks = [field(ln, i, key_index, t.key_dtype, path) for i, ln in enumerate(lines)]
        vs = [field(ln, i, value_index, t.value_dtype, path) for i, ln in enumerate(lines)]
        with t.lock:
            if t.static and t.initialized:
                return  # TF's initializer of an initialized table does nothing
            if not t.static:
                t.data.update(zip(ks, vs))
                return
            before = dict(t.data)
            try:
                _insert_static(t, ks, vs)
            except FailedPreconditionError:
                t.data = before
                raise
            t.initialized = True
    return kernel


def find(t: Table, keys: np.ndarray, default: np.ndarray) -> np.ndarray:
    if not t.initialized:
        raise FailedPreconditionError(None, None, "Table not initialized.")
    ks = t.keys_of(keys)
    dflt = np.asarray(default)
    if dflt.shape != tuple(t.value_shape):
        # dynamic default values: one per key
        rows = t.rows(dflt, len(ks))
        with t.lock:
            found = [t.data.get(k, rows[i]) for i, k in enumerate(ks)]
        return t.output(found, tuple(np.shape(keys)))
    base = as_b(dflt.item()) if t.value_dtype is _dtypes.string and not t.value_shape \
        else (dflt if t.value_shape else dflt.item())
    with t.lock:
        found = [t.data.get(k, base) for k in ks]
    return t.output(found, tuple(np.shape(keys)))


@register_kernel("LookupTableFindV2", stateful=True)
def _find_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    return lambda handle, keys, default: find(_table(handle), keys, default)


@register_kernel("LookupTableSizeV2", stateful=True)
def _size_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    return lambda handle: np.int64(len(_table(handle).data))


@register_kernel("LookupTableInsertV2", stateful=True)
def _insert_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    def kernel(handle: Any, keys: np.ndarray, values: np.ndarray) -> None:
        t = _table(handle)
        if t.static:
            raise InvalidArgumentError(None, None, "Insert not supported by this table")
        n = t.check_import(keys, values)
        with t.lock:
            t.data.update(zip(t.keys_of(keys), t.rows(values, n)))
    return kernel


@register_kernel("LookupTableRemoveV2", stateful=True)
def _remove_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    def kernel(handle: Any, keys: np.ndarray) -> None:
        t = _table(handle)
        if t.static:
            raise InvalidArgumentError(None, None, "Remove not supported by this table")
        with t.lock:
            for k in t.keys_of(keys):
                t.data.pop(k, None)
    return kernel


@register_kernel("LookupTableExportV2", stateful=True)
def _export_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    def kernel(handle: Any) -> tuple[np.ndarray, np.ndarray]:
        t = _table(handle)
        with t.lock:
            items = list(t.data.items())
        n = len(items)
        if t.key_dtype is _dtypes.string:
            keys = strings_of((n,), [k for k, _ in items])
        else:
            keys = np.asarray([k for k, _ in items], dtype=t.key_dtype.as_numpy_dtype)
        return keys, t.output([v for _, v in items], (n,))
    return kernel


for _t in ("HashTableV2", "MutableHashTableV2", "MutableHashTableOfTensorsV2",
           "LookupTableImportV2", "InitializeTableFromTextFileV2", "LookupTableFindV2",
           "LookupTableSizeV2", "LookupTableInsertV2", "LookupTableRemoveV2",
           "LookupTableExportV2"):
    NotDifferentiable(_t)
