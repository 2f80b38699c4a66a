"""``tf.data.experimental.CsvDataset`` (TF's CSVDatasetV2 op) and ``make_csv_dataset``
(TF's data/experimental/ops/readers.py): the records of CSV files as tuples of scalars, and
TF's composite that lists the files, reads the header for column names, infers column
types from the first rows, and shuffles, repeats, batches and maps the records to dicts.

Records are lines, except that a quoted field may hold newlines; the fields are split and
converted as DecodeCSV's (parsing_csv_ops.py), an error naming the file and record.
"""

from __future__ import annotations

import collections
import csv
import glob
import gzip
from collections.abc import Iterator
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import constant, constant_value, convert_to_tensor
from varstore.framework.ops import Tensor
from varstore.ops.dataset_base import (
    AUTOTUNE,
    _Spec,
    int64_input,
    make_dataset,
    register_dataset_kernels,
)
from varstore.ops.parsing_csv_ops import CSV_TYPES, convert_field, select, split_fields
from varstore.ops.readers import _DEFAULT_BUFFER, _compression, _filenames, _kind, _names, _read

__all__ = ["CsvDataset", "make_csv_dataset"]


def _records(data: bytes, quote: bool) -> Iterator[bytes]:
    """The records of a CSV file: lines ("\\n" or "\\r\\n"), newlines inside quotes kept."""
    start, i, n, quoted = 0, 0, len(data), False
    while i < n:
        c = data[i]
        if quote and c == 0x22:
            quoted = not quoted
        elif c == 0x0A and not quoted:
            end = i - 1 if i > start and data[i - 1] == 0x0D else i
            yield data[start:end]
            start = i + 1
        i += 1
    if start < n:
        yield data[start:n].removesuffix(b"\r")


class _Csv:
    def __init__(self, files: Any, kind: Any, defaults: list[Any], header: Any, delim: Any,
                 quote: Any, na: Any, select_cols: Any, exclude_cols: Any) -> None:
        self.files, self.kind = _names(files), _kind(kind)
        self.defaults = [np.asarray(d) for d in defaults]
        self.header, self.quote = bool(header), bool(quote)
        d = _bytes(delim)
        if len(d) != 1:
            raise InvalidArgumentError(None, None, "field_delim should be only 1 char")
        self.delim, self.na = d[0], _bytes(na)
        self.cols = [int(c) for c in np.asarray(select_cols).reshape(-1)]
        if np.asarray(exclude_cols).size:
            raise InvalidArgumentError(None, None, "varstore lacks CsvDataset(exclude_cols)")
        if self.cols and any(a >= b for a, b in zip(self.cols, self.cols[1:])):
            raise InvalidArgumentError(None, None, "select_cols should be increasing")
        if self.cols and len(self.cols) != len(self.defaults):
            raise InvalidArgumentError(None, None, "Expected len(select_cols) == "
                                       "len(record_defaults)")
        for i, dv in enumerate(self.defaults):
            if dv.size > 1:
                raise InvalidArgumentError(None, None, f"There should only be 1 default per "
                                           f"field but field {i} has {dv.size}")
        self.types = [_dtypes.as_dtype(dv.dtype) if dv.dtype != object else _dtypes.string
                      for dv in self.defaults]

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        for f in self.files:
            records = _records(_read(f, self.kind), self.quote)
            if self.header:
                next(records, None)
            for rec in records:
                # TF's CSVDataset messages name no record number
                where = "record"
                fields = split_fields(rec, self.delim, self.quote)
                if not self.cols and len(fields) > len(self.types):
                    raise InvalidArgumentError(None, None, f"Expect {len(self.types)} fields "
                                               "but have more in record")
                fields = select(fields, self.cols, len(self.types), where)
                yield tuple(np.asarray(convert_field(text, t, d, k, where, self.na),
                                       dtype=t._np if t != _dtypes.string else object)
                            for k, (text, t, d) in enumerate(zip(fields, self.types,
                                                                 self.defaults)))


def _bytes(v: Any) -> bytes:
    item = np.asarray(v).reshape(()).item()
    return item if isinstance(item, bytes) else str(item).encode()


def _defaults(record_defaults: Any) -> list[Tensor]:
    out = []
    for i, x in enumerate(record_defaults):
        if not isinstance(x, Tensor) and isinstance(x, _dtypes.DType):
            if x not in CSV_TYPES:
                raise TypeError(f"Value passed to parameter 'record_defaults' has DataType "
                                f"{x.name} not in list of allowed values: float32, float64, "
                                "int32, int64, string")
            x = constant([], dtype=x)
        t = convert_to_tensor(x, name=f"record_defaults_{i}")
        if t.dtype not in CSV_TYPES:
            raise TypeError(f"Value passed to parameter 'record_defaults' has DataType "
                            f"{t.dtype.name} not in list of allowed values: float32, "
                            "float64, int32, int64, string")
        out.append(t)
    return out


def CsvDataset(filenames: Any, record_defaults: Any, compression_type: Any = None,
               buffer_size: Any = None, header: bool = False, field_delim: str = ",",
               use_quote_delim: bool = True, na_value: str = "", select_cols: Any = None,
               exclude_cols: Any = None) -> Any:
    """``tf.data.experimental.CsvDataset``: one tuple of scalars per CSV record; a default
    that is a dtype (an empty tensor) makes its column required."""
    f = _filenames(filenames)
    c = _compression(compression_type)
    defaults = _defaults(record_defaults)
    b = int64_input(_DEFAULT_BUFFER if buffer_size is None else buffer_size, "buffer_size")
    h = constant(header, dtype=_dtypes.bool, name="header")
    fd = constant(field_delim, dtype=_dtypes.string, name="field_delim")
    q = constant(use_quote_delim, dtype=_dtypes.bool, name="use_quote_delim")
    na = constant(na_value, dtype=_dtypes.string, name="na_value")
    sc = constant([] if select_cols is None else list(select_cols), dtype=_dtypes.int64,
                  name="select_cols")
    ec = constant([] if exclude_cols is None else list(exclude_cols), dtype=_dtypes.int64,
                  name="exclude_cols")
    n = len(defaults)

    def source(files: Any, kind: Any, *rest: Any) -> _Csv:
        ds = list(rest[:n])
        _size, hh, dd, qq, nn, ss, ee = rest[n:]
        return _Csv(files, kind, ds, hh, dd, qq, nn, ss, ee)

    structure = tuple(_Spec(t.dtype, []) for t in defaults)
    return make_dataset("CSVDatasetV2", [f, c, *defaults, b, h, fd, q, na, sc, ec], source,
                        structure)


register_dataset_kernels("CSVDatasetV2")


# -- make_csv_dataset ------------------------------------------------------------------------
def _file_names(file_pattern: Any) -> list[str]:
    if isinstance(file_pattern, list):
        if not file_pattern:
            raise ValueError("Argument `file_pattern` should not be empty.")
        names = [n for p in file_pattern for n in glob.glob(p)]
    else:
        names = glob.glob(file_pattern)
    if not names:
        raise ValueError(f"No files match `file_pattern` {file_pattern}.")
    return sorted(names)


def _valid(text: str, dtype: Any) -> bool:
    try:
        if dtype == _dtypes.int32:
            return bool(np.int32(text) == np.int64(text))
        if dtype == _dtypes.int64:
            np.int64(text)
            return True
        return bool(np.dtype(dtype._np).type(text) < np.inf)
    except (ValueError, OverflowError):
        return False


def _infer_type(text: str, na_value: str, prev: Any) -> Any:
    """TF's _infer_type: the least permissive of int32, int64, float32, float64, string that
    holds the value and every earlier one of the column."""
    if text in ("", na_value):
        return prev
    order = [_dtypes.int32, _dtypes.int64, _dtypes.float32, _dtypes.float64, _dtypes.string]
    for i, t in enumerate(order):
        if (t == _dtypes.string or _valid(text, t)) and (prev is None or prev in order[:i + 1]):
            return t
    return _dtypes.string


def _open(name: str, compression: Any) -> Any:
    kind = "" if compression is None else constant_value(convert_to_tensor(compression))
    kind = kind.decode() if isinstance(kind, bytes) else kind
    if kind == "GZIP":
        return gzip.open(name, "rt", encoding="utf-8")
    if kind == "ZLIB":
        raise ValueError(f"`compression_type` {compression} is not supported for probing "
                         "columns.")
    if kind not in ("", None):
        raise ValueError(f"Received unknown `compression_type` {compression}. Expected: "
                         "GZIP, ZLIB or  (empty string).")
    return open(name, encoding="utf-8", newline="")


def _reader(f: Any, delim: str, quote: bool) -> Any:
    return csv.reader(f, delimiter=delim, quoting=csv.QUOTE_MINIMAL if quote else
                      csv.QUOTE_NONE)


def _column_names(files: list[str], delim: str, quote: bool, compression: Any) -> list[str]:
    names: list[str] | None = None
    for name in files:
        with _open(name, compression) as f:
            row = next(_reader(f, delim, quote), None)
        if row is None:
            raise ValueError(f"Failed when reading the header line of {name}. Is it an "
                             "empty file?")
        if names is None:
            names = row
        elif row != names:
            raise ValueError("All input CSV files should have the same column names in the "
                             f"header row. File {name} has different column names.")
    assert names is not None
    return names


def _column_defaults(files: list[str], num_cols: int, delim: str, quote: bool, na: str,
                     header: bool, rows: int | None, select_columns: Any,
                     compression: Any) -> list[Tensor]:
    cols = list(range(num_cols)) if select_columns is None else select_columns
    types: list[Any] = [None] * len(cols)
    seen = 0
    for name in files:
        with _open(name, compression) as f:
            rdr = _reader(f, delim, quote)
            row_num = 1
            if header:
                next(rdr, None)
                row_num += 1
            for row in rdr:
                if rows is not None and seen >= rows:
                    break
                if len(row) != num_cols:
                    raise ValueError(f"Problem inferring types: CSV row {row_num} has "
                                     f"{len(row)} number of fields. Expected: {num_cols}.")
                row_num += 1
                seen += 1
                for j, c in enumerate(cols):
                    types[j] = _infer_type(row[c], na, types[j])
        if rows is not None and seen >= rows:
            break
    return [constant([0 if (t or _dtypes.string) != _dtypes.string else ""],
                     dtype=t or _dtypes.string) for t in types]


def _sorted_col_indices(select_columns: Any, column_names: list[str]) -> list[int]:
    index = {n: i for i, n in enumerate(column_names)}
    out = []
    for v in select_columns:
        if isinstance(v, int):
            if v < 0 or v >= len(column_names):
                raise ValueError(f"Column index {v} specified in `select_columns` should be "
                                 f"> 0  and <= {len(column_names)}, which is the number of "
                                 "columns.")
            out.append(v)
        elif v not in index:
            raise ValueError(f"Column {v} specified in `select_columns` must be of one of "
                             f"the columns: {index.keys()}.")
        else:
            out.append(index[v])
    result = sorted(set(out))
    if len(result) != len(select_columns):
        # TF lists the duplicates of the de-duplicated indices (so, always none)
        dups = {a for a, b in zip(result, result[1:]) if a == b}
        raise ValueError(f"The `select_columns` argument contains duplicate columns: {dups}.")
    return result


def make_csv_dataset(file_pattern: Any, batch_size: int, column_names: Any = None,
                     column_defaults: Any = None, label_name: str | None = None,
                     select_columns: Any = None, field_delim: str = ",",
                     use_quote_delim: bool = True, na_value: str = "", header: bool = True,
                     num_epochs: int | None = None, shuffle: bool = True,
                     shuffle_buffer_size: int = 10000, shuffle_seed: int | None = None,
                     prefetch_buffer_size: Any = None, num_parallel_reads: Any = None,
                     sloppy: bool = False, num_rows_for_inference: int | None = 100,
                     compression_type: Any = None, ignore_errors: bool = False) -> Any:
    """TF's make_csv_dataset: batches of (features dict[, label]) from CSV files."""
    from varstore.ops.dataset_experimental import parallel_interleave
    from varstore.ops.dataset_sources import SourceMethods
    if num_parallel_reads is None:
        num_parallel_reads = 1
    if prefetch_buffer_size is None:
        prefetch_buffer_size = AUTOTUNE
    if num_parallel_reads == AUTOTUNE:
        raise NotImplementedError("varstore lacks make_csv_dataset(num_parallel_reads="
                                  "AUTOTUNE)")
    filenames = _file_names(file_pattern)
    dataset = SourceMethods.from_tensor_slices(filenames)
    if shuffle:
        dataset = dataset.shuffle(len(filenames), shuffle_seed)
    if column_names is None:
        if not header:
            raise ValueError("Expected `column_names` or `header` arguments. Neither is "
                             "provided.")
        column_names = _column_names(filenames, field_delim, use_quote_delim, compression_type)
    column_names = list(column_names)
    if len(column_names) != len(set(column_names)):
        s = sorted(column_names)
        raise ValueError("Either `column_names` argument or CSV header row contains "
                         f"duplicate column names: { {a for a, b in zip(s, s[1:]) if a == b} }.")
    if select_columns is not None:
        select_columns = _sorted_col_indices(select_columns, column_names)
    if column_defaults is not None:
        column_defaults = [constant([], dtype=x) if isinstance(x, _dtypes.DType) else x
                           for x in column_defaults]
    else:
        column_defaults = _column_defaults(filenames, len(column_names), field_delim,
                                           use_quote_delim, na_value, header,
                                           num_rows_for_inference, select_columns,
                                           compression_type)
    if select_columns is not None and len(column_defaults) != len(select_columns):
        raise ValueError("If specified, `column_defaults` and `select_columns` must have the "
                         f"same length: `column_defaults` has length {len(column_defaults)}, "
                         f"`select_columns` has length {len(select_columns)}.")
    if select_columns is not None and len(column_names) > len(select_columns):
        column_names = [column_names[i] for i in select_columns]
    if label_name is not None and label_name not in column_names:
        raise ValueError(f"`label_name` provided must be one of the columns: {column_names}. "
                         f"Received: {label_name}.")
    def filename_to_dataset(filename: Any) -> Any:
        ds = CsvDataset(filename, column_defaults, compression_type=compression_type,
                        header=header, field_delim=field_delim,
                        use_quote_delim=use_quote_delim, na_value=na_value,
                        select_cols=select_columns)
        return ds.ignore_errors() if ignore_errors else ds

    def map_fn(*columns: Any) -> Any:
        features = collections.OrderedDict(zip(column_names, columns))
        if label_name is not None:
            label = features.pop(label_name)
            return features, label
        return features

    dataset = dataset.apply(parallel_interleave(filename_to_dataset, num_parallel_reads,
                                                sloppy=sloppy))
    if shuffle:
        dataset = dataset.shuffle(shuffle_buffer_size, shuffle_seed)
    if num_epochs != 1:
        dataset = dataset.repeat(num_epochs)
    dataset = dataset.batch(batch_size, drop_remainder=num_epochs is None)
    dataset = dataset.map(map_fn)
    return dataset.prefetch(prefetch_buffer_size)
