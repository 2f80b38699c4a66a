"""``tf.lookup`` as TF1 builds it (TF's lookup_ops): StaticHashTable (V1: its initializer
goes to TABLE_INITIALIZERS), StaticVocabularyTable (out-of-vocabulary keys hashed into
buckets with StringToHashBucketFast, TF's Fingerprint64), KeyValueTensorInitializer
(LookupTableImportV2), TextFileInitializer / TextFileIndex (InitializeTableFromTextFileV2),
experimental.MutableHashTable (insert, lookup, remove, export, size), and
``tf.tables_initializer``. Node names and scopes are TF's; the ops and per-session tables
are lookup_table_ops'. Tables are not written by tf.train.Saver (TF saves a
MutableHashTable through SAVEABLE_OBJECTS, which varstore's Saver does not read)."""

from __future__ import annotations

import uuid
from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import get_collection, get_default_graph, name_scope
from varstore.framework.graph_keys import GraphKeys
from varstore.framework.ops import Operation, Tensor, builders, dt_enum, node_error
from varstore.framework.sparse_tensor import SparseTensor
from varstore.ops.control_flow_ops import group, no_op
from varstore.ops.lookup_table_ops import make_table_op, table_op

__all__ = ["KeyValueTensorInitializer", "LookupInterface",
           "MutableHashTable", "StaticHashTable", "StaticVocabularyTable", "TextFileIndex",
           "TextFileInitializer", "initialize_all_tables", "tables_initializer"]


def tables_initializer(name: str = "init_all_tables") -> Operation:
    """``tf.tables_initializer``: group(*TABLE_INITIALIZERS), else ``no_op(name)``."""
    initializers = get_collection(GraphKeys.TABLE_INITIALIZERS)
    if initializers:
        return group(*initializers, name=name)
    return no_op(name=name)


def initialize_all_tables(name: str = "init_all_tables") -> Operation:
    """TF1's deprecated spelling of :func:`tables_initializer`."""
    return tables_initializer(name)


def check_table_dtypes(table: Any, key_dtype: _dtypes.DType, value_dtype: _dtypes.DType
                       ) -> None:
    if key_dtype != table.key_dtype:
        raise TypeError(f"Invalid key dtype for table, expected {table.key_dtype} but got "
                        f"{key_dtype}.")
    if value_dtype != table.value_dtype:
        raise TypeError(f"Invalid value dtype for table, expected {table.value_dtype} but "
                        f"got {value_dtype}.")


class LookupInterface:
    """A lookup table from key_dtype to value_dtype."""

    def __init__(self, key_dtype: Any, value_dtype: Any) -> None:
        self._key_dtype = _dtypes.as_dtype(key_dtype)
        self._value_dtype = _dtypes.as_dtype(value_dtype)

    @property
    def key_dtype(self) -> _dtypes.DType:
        return self._key_dtype

    @property
    def value_dtype(self) -> _dtypes.DType:
        return self._value_dtype

    @property
    def name(self) -> Any:
        raise NotImplementedError

    def size(self, name: str | None = None) -> Tensor:
        raise NotImplementedError

    def lookup(self, keys: Any, name: str | None = None) -> Any:
        raise NotImplementedError

    def __getitem__(self, keys: Any) -> Any:
        return self.lookup(keys)

    def _keys(self, keys: Any) -> Any:
        if not isinstance(keys, (Tensor, SparseTensor)):
            keys = convert_to_tensor(keys, dtype=self._key_dtype)
        if keys.dtype != self._key_dtype:
            raise TypeError(f"Dtype of argument `keys` must be {self._key_dtype}, received: "
                            f"{keys.dtype}")
        return keys


def _size_op(handle: Tensor) -> Tensor:
    return table_op("LookupTableSizeV2", "LookupTableSizeV2", handle, [], {},
                    [(_dtypes.int64, ())])._outputs[0]


def _find_op(handle: Tensor, keys: Tensor, default: Tensor, key_dtype: _dtypes.DType,
             value_dtype: _dtypes.DType, value_shape: tuple[int | None, ...] | None
             ) -> Tensor:
    shape = None if keys._shape is None or value_shape is None else \
        (*keys._shape, *value_shape)
    return table_op("LookupTableFindV2", "LookupTableFindV2", handle, [keys, default],
                    {"Tin": key_dtype, "Tout": value_dtype},
                    [(value_dtype, shape)])._outputs[0]


class _TableInitializerBase:
    def __init__(self, key_dtype: Any, value_dtype: Any) -> None:
        self._key_dtype = _dtypes.as_dtype(key_dtype)
        self._value_dtype = _dtypes.as_dtype(value_dtype)

    @property
    def key_dtype(self) -> _dtypes.DType:
        return self._key_dtype

    @property
    def value_dtype(self) -> _dtypes.DType:
        return self._value_dtype

    @property
    def _shared_name(self) -> str:
        return ""

    def initialize(self, table: Any) -> Operation:
        raise NotImplementedError


class KeyValueTensorInitializer(_TableInitializerBase):
    """Fills a table from a keys tensor and a values tensor (op LookupTableImportV2)."""

    def __init__(self, keys: Any, values: Any, key_dtype: Any = None, value_dtype: Any = None,
                 name: str | None = None) -> None:
        graph = get_default_graph()
        with graph.control_dependencies(None):
            self._keys = convert_to_tensor(keys, dtype=key_dtype, name="keys")
            self._values = convert_to_tensor(values, dtype=value_dtype, name="values")
        self._name = name if name is not None else "key_value_init"
        super().__init__(self._keys.dtype, self._values.dtype)

    def initialize(self, table: Any) -> Operation:
        check_table_dtypes(table, self._keys.dtype, self._values.dtype)
        with name_scope(self._name, values=(table.resource_handle, self._keys, self._values)):
            attrs = {"Tin": self._keys.dtype, "Tout": self._values.dtype}
            ins = [table.resource_handle, self._keys, self._values]

            def check(full: str) -> None:
                # TF's shape function: one value per key (scalar values)
                ks, vs = self._keys._shape, self._values._shape
                if ks and vs and ks[0] is not None and vs[0] is not None and ks[0] != vs[0]:
                    text = f"Tin={dt_enum(attrs['Tin'])}, Tout={dt_enum(attrs['Tout'])}"
                    raise node_error(f"Dimensions must be equal, but are {ks[0]} and {vs[0]}",
                                     full, "LookupTableImportV2", text, ins)

            op = table_op("LookupTableImportV2", "LookupTableImportV2", table.resource_handle,
                          [self._keys, self._values], attrs, [], check=check)
        get_default_graph().add_to_collection(GraphKeys.TABLE_INITIALIZERS, op)
        return op


class TextFileIndex:
    """The special column indices of TextFileInitializer."""

    WHOLE_LINE = -2
    LINE_NUMBER = -1


class TextFileInitializer(_TableInitializerBase):
    """Fills a table from a text file, one entry per line (op
    InitializeTableFromTextFileV2): key and value are a column split by ``delimiter``, the
    whole line (TextFileIndex.WHOLE_LINE) or the line number (LINE_NUMBER)."""

    def __init__(self, filename: Any, key_dtype: Any, key_index: int, value_dtype: Any,
                 value_index: int, vocab_size: int | None = None, delimiter: str = "\t",
                 name: str | None = None, value_index_offset: int = 0) -> None:
        if not isinstance(filename, Tensor) and not filename:
            raise ValueError("`filename` argument required for tf.lookup.TextFileInitializer")
        self._filename_arg = filename
        key_dtype = _dtypes.as_dtype(key_dtype)
        value_dtype = _dtypes.as_dtype(value_dtype)
        for what, index, dt in (("key", key_index, key_dtype),
                                ("value", value_index, value_dtype)):
            if index < -2:
                raise ValueError(f"`{what}_index` should be >= -2, received: {index}"
                                 + ("." if what == "key" else ""))
            if index == TextFileIndex.LINE_NUMBER and dt != _dtypes.int64:
                raise ValueError(f"`{what}_dtype` must be int64 "
                                 f"{'if' if what == 'key' else 'for'} `{what}_index` is "
                                 f"{TextFileIndex.LINE_NUMBER}, received: {dt}"
                                 if what == "key" else
                                 f"`{what}_dtype` must be int64 for `{what}_index` "
                                 f"{TextFileIndex.LINE_NUMBER}, received: {dt}")
            if index == TextFileIndex.WHOLE_LINE and not dt.is_integer and \
                    dt != _dtypes.string:
                raise ValueError(f"`{what}_dtype` should be either integer or string for "
                                 f"`{what}_index` {TextFileIndex.WHOLE_LINE}, received: {dt}")
        if vocab_size is not None and vocab_size <= 0:
            raise ValueError(f"`vocab_size` should be > 0, received: {vocab_size}")
        self._key_index, self._value_index = key_index, value_index
        self._vocab_size, self._delimiter, self._name = vocab_size, delimiter, name
        self._offset = value_index_offset
        if isinstance(filename, Tensor):
            self._filename = filename
        else:
            # TF's Asset: the path as a Const made in init_scope
            with get_default_graph().control_dependencies(None):
                self._filename = convert_to_tensor(filename, dtype=_dtypes.string,
                                                   name="asset_path")
        super().__init__(key_dtype, value_dtype)

    def initialize(self, table: Any) -> Operation:
        check_table_dtypes(table, self.key_dtype, self.value_dtype)
        with name_scope(self._name, "text_file_init", (table.resource_handle,)):
            op = table_op("InitializeTableFromTextFileV2", "InitializeTableFromTextFileV2",
                          table.resource_handle, [self._filename],
                          {"key_index": int(self._key_index),
                           "value_index": int(self._value_index),
                           "vocab_size": -1 if self._vocab_size is None
                           else int(self._vocab_size),
                           "delimiter": self._delimiter, "offset": int(self._offset)}, [])
        graph = get_default_graph()
        graph.add_to_collection(GraphKeys.TABLE_INITIALIZERS, op)
        if self._filename.op.type == "Const":
            graph.add_to_collection(GraphKeys.ASSET_FILEPATHS, self._filename)
        return op

    @property
    def _shared_name(self) -> str:
        parts = [str(self._filename_arg)]
        if self._vocab_size:
            parts.append(str(int(self._vocab_size)))
        parts += [str(self._key_index), str(self._value_index)]
        if self._offset:
            parts.append(str(self._offset))
        return "hash_table_" + "_".join(parts)


class StaticHashTable(LookupInterface):
    """TF1's tf.lookup.StaticHashTable: an immutable table filled by its initializer,
    which runs with tf.tables_initializer() (or ``table.initializer``)."""

    def __init__(self, initializer: Any, default_value: Any, name: str | None = None,
                 experimental_is_anonymous: bool = False) -> None:
        if experimental_is_anonymous:
            raise NotImplementedError("tf.lookup.StaticHashTable(experimental_is_anonymous="
                                      "True): varstore lacks AnonymousHashTable")
        self._initializer = initializer
        self._shared_name = initializer._shared_name or f"hash_table_{uuid.uuid4()}"
        self._name = name or "hash_table"
        super().__init__(initializer.key_dtype, initializer.value_dtype)
        self._default_value = convert_to_tensor(default_value, dtype=self._value_dtype)
        if self._default_value._shape not in (None, ()):
            from varstore.framework.tensor_shape import TensorShape
            raise ValueError(f"Shapes {TensorShape(self._default_value._shape)} and () are "
                             "not compatible")
        self._resource_handle = make_table_op(
            "HashTableV2", self._name,
            {"container": "", "shared_name": self._shared_name,
             "use_node_name_sharing": False, "key_dtype": self._key_dtype,
             "value_dtype": self._value_dtype})
        self._table_name = self._resource_handle.op.name.split("/")[-1]
        self._init_op = self._initializer.initialize(self)

    @property
    def name(self) -> str:
        return self._table_name

    @property
    def resource_handle(self) -> Tensor:
        return self._resource_handle

    @property
    def initializer(self) -> Operation:
        op: Operation = self._init_op
        return op

    init = initializer

    @property
    def default_value(self) -> Tensor:
        return self._default_value

    def size(self, name: str | None = None) -> Tensor:
        with name_scope(name, f"{self.name}_Size", [self._resource_handle]):
            return _size_op(self._resource_handle)

    def lookup(self, keys: Any, name: str | None = None) -> Any:
        keys = self._keys(keys)
        key_tensor = keys.values if isinstance(keys, SparseTensor) else keys
        with name_scope(name, f"{self.name}_Lookup",
                        (self._resource_handle, key_tensor, self._default_value)):
            values = _find_op(self._resource_handle, key_tensor, self._default_value,
                              self._key_dtype, self._value_dtype, ())
        if isinstance(keys, SparseTensor):
            return SparseTensor(keys.indices, values, keys.dense_shape)
        return values

    def export(self, name: str | None = None) -> tuple[Tensor, Tensor]:
        with name_scope(name, f"{self.name}_Export", [self._resource_handle]):
            op = table_op("LookupTableExportV2", "LookupTableExportV2", self._resource_handle,
                          [], {"Tkeys": self._key_dtype, "Tvalues": self._value_dtype},
                          [(self._key_dtype, None), (self._value_dtype, None)])
        return op._outputs[0], op._outputs[1]


class StaticVocabularyTable(LookupInterface):
    """TF1's tf.lookup.StaticVocabularyTable: ids from a StaticHashTable (default -1), keys
    it lacks hashed into ``num_oov_buckets`` buckets after the vocabulary
    (Fingerprint64(key) % num_oov_buckets + size)."""

    def __init__(self, initializer: Any, num_oov_buckets: int, lookup_key_dtype: Any = None,
                 name: str | None = None, experimental_is_anonymous: bool = False) -> None:
        if num_oov_buckets <= 0:
            raise ValueError("`num_oov_buckets` must be > 0; use StaticHashTable.")
        if name:
            name = name.rstrip("/")
        self._table: StaticHashTable | None
        if initializer:
            if lookup_key_dtype is None:
                lookup_key_dtype = initializer.key_dtype
            lookup_key_dtype = _dtypes.as_dtype(lookup_key_dtype)
            if initializer.key_dtype not in (_dtypes.int64, _dtypes.string):
                raise TypeError("Invalid `key_dtype`, expected one of (tf.int64, tf.string), "
                                f"but got {initializer.key_dtype}.")
            if initializer.key_dtype.is_integer != lookup_key_dtype.is_integer:
                raise TypeError("Invalid `key_dtype`, expected "
                                f"{'integer' if lookup_key_dtype.is_integer else 'non-integer'}"
                                f" but got {initializer.key_dtype}.")
            if initializer.value_dtype != _dtypes.int64:
                raise TypeError(f"Invalid `value_dtype`, expected {_dtypes.int64} but got "
                                f"{initializer.value_dtype}.")
            self._table = StaticHashTable(initializer, default_value=-1,
                                          experimental_is_anonymous=experimental_is_anonymous)
            name = name or self._table.name
        else:
            lookup_key_dtype = _dtypes.string
            self._table = None
            name = name or "hash_bucket"
        lookup_key_dtype = _dtypes.as_dtype(lookup_key_dtype)
        if not lookup_key_dtype.is_integer and lookup_key_dtype != _dtypes.string:
            raise TypeError("Invalid `key_dtype`, expected integer or string, got "
                            f"{lookup_key_dtype}")
        self._num_oov_buckets = num_oov_buckets
        self._table_name = name.split("/")[-1] if name is not None else None
        super().__init__(lookup_key_dtype, _dtypes.int64)

    @property
    def name(self) -> str | None:
        return self._table_name

    @property
    def resource_handle(self) -> Tensor | None:
        return None if self._table is None else self._table.resource_handle

    @property
    def initializer(self) -> Operation:
        if self._table is not None:
            return self._table.initializer
        with name_scope(None, "init"):
            return no_op()

    def size(self, name: str | None = None) -> Tensor:
        with name_scope(name, f"{self.name}_Size"):
            if self._table is not None:
                tsize = self._table.size()
            else:
                tsize = convert_to_tensor(0, dtype=_dtypes.int64)
            return tsize + self._num_oov_buckets

    def lookup(self, keys: Any, name: str | None = None) -> Any:
        keys = self._keys(keys)
        values = keys.values if isinstance(keys, SparseTensor) else keys
        if self._table is not None and self._table.key_dtype == _dtypes.int64:
            values = builders.cast(values, _dtypes.int64)
        with name_scope(name, f"{self.name}_Lookup"):
            strings = values if values.dtype == _dtypes.string else builders.as_string(values)
            buckets = builders.string_to_hash_bucket_fast(
                strings, num_buckets=self._num_oov_buckets, name="hash_bucket")
            if self._table is not None:
                ids = self._table.lookup(values)
                buckets = builders.add(buckets, self._table.size())
                known = builders.not_equal(ids, self._table.default_value)
                ids = builders.where_v2(known, ids, buckets)
            else:
                ids = buckets
        if isinstance(keys, SparseTensor):
            return SparseTensor(keys.indices, ids, keys.dense_shape)
        return ids


class MutableHashTable(LookupInterface):
    """tf.lookup.experimental.MutableHashTable: a table updated by ``insert`` / ``remove``
    (MutableHashTableV2; MutableHashTableOfTensorsV2 for non-scalar values)."""

    def __init__(self, key_dtype: Any, value_dtype: Any, default_value: Any,
                 name: str = "MutableHashTable", checkpoint: bool = True,
                 experimental_is_anonymous: bool = False) -> None:
        if experimental_is_anonymous:
            raise NotImplementedError("tf.lookup.experimental.MutableHashTable("
                                      "experimental_is_anonymous=True): varstore lacks "
                                      "AnonymousMutableHashTable")
        super().__init__(key_dtype, value_dtype)
        self._default_value = convert_to_tensor(default_value, dtype=self._value_dtype)
        self._value_shape = self._default_value._shape
        self._checkpoint = checkpoint
        self._name = name
        attrs: dict[str, Any] = {"container": "", "shared_name": "",
                                 "use_node_name_sharing": bool(checkpoint),
                                 "key_dtype": self._key_dtype,
                                 "value_dtype": self._value_dtype}
        if self._value_shape == ():
            op_type = "MutableHashTableV2"
        else:
            if self._value_shape is None or None in self._value_shape:
                raise ValueError("MutableHashTable's default_value needs a fully defined "
                                 "shape")
            from varstore.framework.tensor_shape import TensorShape
            op_type = "MutableHashTableOfTensorsV2"
            attrs["value_shape"] = TensorShape(self._value_shape)
        self._resource_handle = make_table_op(op_type, name, attrs)
        self._table_name = self._resource_handle.op.name.split("/")[-1]
        if checkpoint:
            # TF's _Saveable exports the table at construction (its save specs)
            self.export()

    @property
    def name(self) -> str:
        return self._table_name

    @property
    def resource_handle(self) -> Tensor:
        return self._resource_handle

    def size(self, name: str | None = None) -> Tensor:
        with name_scope(name, f"{self.name}_Size", [self._resource_handle]):
            return _size_op(self._resource_handle)

    def remove(self, keys: Any, name: str | None = None) -> Operation:
        if not isinstance(keys, Tensor) or keys.dtype != self._key_dtype:
            got = keys.dtype if isinstance(keys, Tensor) else type(keys).__name__
            raise TypeError(f"Dtype of argument `keys` must be {self._key_dtype}, received: "
                            f"{got}")
        with name_scope(name, f"{self.name}_lookup_table_remove",
                        (self._resource_handle, keys, self._default_value)):
            return table_op("LookupTableRemoveV2", "LookupTableRemoveV2",
                            self._resource_handle, [keys], {"Tin": self._key_dtype}, [])

    def lookup(self, keys: Any, dynamic_default_values: Any = None,  # type: ignore[override]
               name: str | None = None) -> Tensor:
        with name_scope(name, f"{self.name}_lookup_table_find",
                        (self._resource_handle, keys, self._default_value)):
            k = convert_to_tensor(keys, dtype=self._key_dtype, name="keys")
            default = self._default_value if dynamic_default_values is None else \
                convert_to_tensor(dynamic_default_values, dtype=self._value_dtype)
            return _find_op(self._resource_handle, k, default, self._key_dtype,
                            self._value_dtype, self._value_shape)

    def insert(self, keys: Any, values: Any, name: str | None = None) -> Operation:
        with name_scope(name, f"{self.name}_lookup_table_insert",
                        [self._resource_handle, keys, values]):
            k = convert_to_tensor(keys, self._key_dtype, name="keys")
            v = convert_to_tensor(values, self._value_dtype, name="values")
            return table_op("LookupTableInsertV2", "LookupTableInsertV2",
                            self._resource_handle, [k, v],
                            {"Tin": self._key_dtype, "Tout": self._value_dtype}, [])

    def export(self, name: str | None = None) -> tuple[Tensor, Tensor]:
        with name_scope(name, f"{self.name}_lookup_table_export_values",
                        [self._resource_handle]):
            op = table_op("LookupTableExportV2", "LookupTableExportV2", self._resource_handle,
                          [], {"Tkeys": self._key_dtype, "Tvalues": self._value_dtype},
                          [(self._key_dtype, None), (self._value_dtype, None)])
        return op._outputs[0], op._outputs[1]
