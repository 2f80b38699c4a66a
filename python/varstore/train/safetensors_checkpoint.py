"""Checkpoints in the safetensors format: ``save``, ``restore``, ``init_from_checkpoint``.

A checkpoint is one safetensors file (https://github.com/huggingface/safetensors): an 8-byte
little-endian header length, a JSON header ``{name: {"dtype", "shape", "data_offsets"},
"__metadata__": {...}}`` padded with spaces to a multiple of 8 bytes, then the raw
little-endian tensor data. The ``safetensors`` package, PyTorch and JAX read the files we
write, and we read theirs. Tensor names are the variables' op names (``scope/v``, without
``:0``), as in a TF1 checkpoint.

Saving writes ``<path>.tmp-<pid>``, fsyncs it, renames it over ``path`` and fsyncs the
directory, so a crash mid-save leaves the previous checkpoint intact. Restoring maps the
file, validates the whole header and checks every name, shape and dtype before it writes any
variable; each tensor is then copied once, straight from the mapping into the variable's
buffer.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, Union

import numpy as np

from varstore import _core
from varstore.errors import NotFoundError
from varstore.framework.graph import get_default_graph
from varstore.ops import state_ops
from varstore.variables import Variable

if TYPE_CHECKING:
    from varstore.framework.graph import Graph

__all__ = [
    "init_from_checkpoint",
    "inspect_main",
    "list_variables",
    "load_variable",
    "restore",
    "save",
]

PathLike = Union[str, "os.PathLike[str]"]
VarList = Union[None, Iterable[Variable], Mapping[str, Variable]]

# Largest JSON header we accept (the limit of the reference safetensors implementation).
_MAX_HEADER = 100_000_000
_METADATA_KEY = "__metadata__"

# varstore dtype name <-> safetensors dtype tag.
_TO_ST: dict[str, str] = {
    "float16": "F16",
    "float32": "F32",
    "float64": "F64",
    "int8": "I8",
    "int16": "I16",
    "int32": "I32",
    "int64": "I64",
    "uint8": "U8",
    "bool": "BOOL",
}
_FROM_ST: dict[str, str] = {tag: name for name, tag in _TO_ST.items()}
# Every safetensors dtype tag: (display name, bits per element). The ones varstore has no
# variables for are listed by ``inspect`` and refused by ``restore`` as a dtype mismatch.
_ST_DTYPES: dict[str, tuple[str, int]] = {
    **{tag: (name, np.dtype(name).itemsize * 8) for tag, name in _FROM_ST.items()},
    "BF16": ("bfloat16", 16),
    "U16": ("uint16", 16),
    "U32": ("uint32", 32),
    "U64": ("uint64", 64),
    "F8_E5M2": ("float8_e5m2", 8),
    "F8_E4M3": ("float8_e4m3fn", 8),
    "F8_E8M0": ("float8_e8m0fnu", 8),
    "F6_E2M3": ("float6_e2m3fn", 6),
    "F6_E3M2": ("float6_e3m2fn", 6),
    "F4": ("float4_e2m1fn", 4),
    "C64": ("complex64", 64),
}


class _Entry(NamedTuple):
    """One tensor of a checkpoint file, as its header describes it."""

    name: str
    tag: str  # safetensors dtype tag ("F32")
    shape: tuple[int, ...]
    begin: int  # offsets into the data section
    end: int

    @property
    def dtype_name(self) -> str:
        known = _ST_DTYPES.get(self.tag)
        return known[0] if known is not None else self.tag


class _Checkpoint:
    """A validated, memory-mapped checkpoint file."""

    def __init__(self, path: str, entries: dict[str, _Entry], metadata: dict[str, str],
                 data: np.ndarray) -> None:
        self.path = path
        self.entries = entries
        self.metadata = metadata
        self._data = data  # uint8 memmap of the data section (empty array if no data)

    def array(self, entry: _Entry) -> np.ndarray:
        """A read-only, zero-copy view of ``entry``'s data in the mapping."""
        name = _FROM_ST[entry.tag]
        dtype = np.dtype(name).newbyteorder("<") if name != "bool" else np.dtype(np.uint8)
        raw = self._data[entry.begin:entry.end]
        return raw.view(dtype).reshape(entry.shape)


def _bad(path: str, problem: str) -> ValueError:
    return ValueError(f"{path} is not a valid safetensors checkpoint: {problem}")


def _open(path: PathLike) -> _Checkpoint:
    """Maps ``path`` and validates its header: every entry's dtype, shape and offsets, and
    that no two tensors overlap. Raises ValueError naming the problem."""
    p = os.fspath(path)
    if not os.path.exists(p):
        raise ValueError(f"The passed save_path is not a valid checkpoint: {p} (no such file)")
    if os.path.isdir(p):
        raise ValueError(f"The passed save_path is not a valid checkpoint: {p} is a directory")
    size = os.path.getsize(p)
    if size < 8:
        raise _bad(p, f"the file has {size} bytes, less than the 8-byte header length")
    mapped: np.ndarray = np.memmap(p, dtype=np.uint8, mode="r")
    size = int(mapped.size)
    n = int.from_bytes(bytes(mapped[:8]), "little")
    if n > _MAX_HEADER:
        raise _bad(p, f"header length {n} is larger than the limit of {_MAX_HEADER} bytes "
                      "(truncated or not a safetensors file)")
    if 8 + n > size:
        raise _bad(p, f"header length {n} runs past the end of the {size}-byte file "
                      "(truncated or not a safetensors file)")
    try:
        text = bytes(mapped[8:8 + n]).decode("utf-8")
        header = json.loads(text, object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise _bad(p, f"the header is not valid JSON ({first})") from None
    if not isinstance(header, dict):
        raise _bad(p, "the header is not a JSON object")
    data_size = size - 8 - n
    metadata: dict[str, str] = {}
    entries: dict[str, _Entry] = {}
    for name, info in header.items():
        if name == _METADATA_KEY:
            if not isinstance(info, dict) or not all(
                isinstance(v, str) for v in info.values()
            ):
                raise _bad(p, "__metadata__ must map strings to strings")
            metadata = dict(info)
            continue
        entries[name] = _parse_entry(p, name, info, data_size)
    by_offset = sorted(entries.values(), key=lambda e: (e.begin, e.end))
    for prev, cur in zip(by_offset, by_offset[1:]):
        if cur.begin < prev.end:
            raise _bad(p, f"tensors {prev.name!r} [{prev.begin}, {prev.end}) and {cur.name!r} "
                          f"[{cur.begin}, {cur.end}) overlap")
    data = mapped[8 + n:]
    return _Checkpoint(p, entries, metadata, data)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _parse_entry(path: str, name: str, info: Any, data_size: int) -> _Entry:
    if not isinstance(info, dict):
        raise _bad(path, f"the entry of tensor {name!r} is not a JSON object")
    tag = info.get("dtype")
    shape = info.get("shape")
    offsets = info.get("data_offsets")
    if not isinstance(tag, str):
        raise _bad(path, f"tensor {name!r} has no dtype string")
    if not isinstance(shape, list) or not all(
        type(d) is int and d >= 0 for d in shape
    ):
        raise _bad(path, f"tensor {name!r} has an invalid shape {shape!r}")
    if (
        not isinstance(offsets, list)
        or len(offsets) != 2
        or not all(type(o) is int for o in offsets)
        or not 0 <= offsets[0] <= offsets[1]
    ):
        raise _bad(path, f"tensor {name!r} has invalid data_offsets {offsets!r}")
    begin, end = offsets
    if end > data_size:
        raise _bad(path, f"tensor {name!r} data_offsets [{begin}, {end}] run past the end of "
                         f"the {data_size}-byte data section (truncated file?)")
    count = 1
    for d in shape:
        count *= d
    known = _ST_DTYPES.get(tag)
    if known is not None:
        bits = count * known[1]
        want = (bits + 7) // 8
        if end - begin != want:
            raise _bad(path, f"tensor {name!r} has {end - begin} bytes of data, but shape "
                             f"{shape} of {known[0]} needs {want}")
    return _Entry(name, tag, tuple(shape), begin, end)


# -- which variables --------------------------------------------------------------------------
def _name_of(v: Variable) -> str:
    return str(v.op.name)


def _resolve(var_list: VarList, graph: Graph | None = None) -> dict[str, Variable]:
    """The checkpoint name of each variable (TF1 Saver's ``var_list`` rules)."""
    if var_list is None:
        g = graph if graph is not None else get_default_graph()
        from varstore.framework.graph import GraphKeys

        var_list = list(g.get_collection(GraphKeys.GLOBAL_VARIABLES))
    if isinstance(var_list, Mapping):
        out: dict[str, Variable] = {}
        for name, v in var_list.items():
            if not isinstance(name, str) or not name:
                raise TypeError(f"checkpoint names must be non-empty strings, got {name!r}")
            if not isinstance(v, Variable):
                raise TypeError(f"Variable to save is not a Variable: {v!r} (for {name!r})")
            out[name] = v
    else:
        if isinstance(var_list, (str, bytes)):
            raise TypeError(f"var_list must be a list or dict of variables, got {var_list!r}")
        out = {}
        for v in var_list:
            if not isinstance(v, Variable):
                raise TypeError(f"Variable to save is not a Variable: {v!r}")
            name = _name_of(v)
            if name in out:
                raise ValueError(f"At least two variables have the same name: {name}")
            out[name] = v
    if _METADATA_KEY in out:
        raise ValueError(f"{_METADATA_KEY!r} is reserved by safetensors; it cannot name a "
                         "variable in a checkpoint")
    return out


# -- save -------------------------------------------------------------------------------------
def save(path: PathLike, var_list: VarList = None,
         metadata: Mapping[str, str] | None = None) -> str:
    """Writes the variables to the safetensors file ``path`` and returns ``path``.

    ``var_list``: None (all global variables of the default graph), a list of variables
    (saved under their op names, ``v.name`` without ``:0``) or a dict from checkpoint name
    to variable. ``metadata`` (str -> str) goes into the header's ``__metadata__``.
    The file is replaced atomically: a crash mid-save leaves the previous file intact.
    """
    p = os.fspath(path)
    named = _resolve(var_list)
    meta: dict[str, str] = {"format": "np"}
    if metadata is not None:
        for key, value in metadata.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise TypeError(f"checkpoint metadata must map str to str, got {key!r}: "
                                f"{value!r}")
            meta[key] = value
    arrays: list[tuple[str, Variable, np.ndarray]] = []
    for name, v in named.items():
        arr = v._view()
        if arr.dtype.name not in _TO_ST:
            raise TypeError(f"variable {name} has dtype {arr.dtype.name}, which safetensors "
                            "checkpoints do not support")
        arrays.append((name, v, arr))
    # Widest elements first, then by name: every tensor stays aligned to its element size
    # (the order the safetensors package writes).
    arrays.sort(key=lambda t: (-t[2].dtype.itemsize, t[0]))
    header: dict[str, Any] = {_METADATA_KEY: meta}
    offset = 0
    for name, _, arr in arrays:
        header[name] = {
            "dtype": _TO_ST[arr.dtype.name],
            "shape": list(arr.shape),
            "data_offsets": [offset, offset + arr.nbytes],
        }
        offset += arr.nbytes
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    directory = os.path.dirname(os.path.abspath(p))
    if not os.path.isdir(directory):
        raise ValueError(f"Parent directory of {p} doesn't exist, can't save.")
    tmp = f"{p}.tmp-{os.getpid()}"
    try:
        with open(tmp, "wb") as f:
            f.write(len(text).to_bytes(8, "little"))
            f.write(text)
            for _, _, arr in arrays:
                _write_array(f, arr)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(directory)
    return p


def _write_array(f: Any, arr: np.ndarray) -> None:
    if arr.size == 0:
        return
    out = np.ascontiguousarray(arr)
    if out.dtype.byteorder == ">" or (out.dtype.byteorder == "=" and sys.byteorder == "big"):
        out = out.astype(out.dtype.newbyteorder("<"))
    f.write(out.reshape(-1).view(np.uint8).data)


def _fsync_dir(directory: str) -> None:
    """Makes a rename durable (not supported on every platform and file system)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# -- restore ----------------------------------------------------------------------------------
def _shape_str(shape: Iterable[int | None]) -> str:
    return "[" + ", ".join(str(d) for d in shape) + "]"


def _plan(ckpt: _Checkpoint, named: Mapping[str, Variable],
          strict: bool) -> list[tuple[Variable, _Entry]]:
    """Checks every variable against the file; raises ONE error naming all problems."""
    missing: list[str] = []
    problems: list[str] = []
    plan: list[tuple[Variable, _Entry]] = []
    for name, v in named.items():
        entry = ckpt.entries.get(name)
        if entry is None:
            missing.append(name)
            continue
        want_shape = tuple(v.shape.as_list())
        want_dtype = v.dtype.name
        if entry.dtype_name != want_dtype:
            problems.append(f"tensor_name = {name}; expected dtype {want_dtype} does not equal "
                            f"original dtype {entry.dtype_name}")
        elif entry.shape != want_shape:
            problems.append(f"variable {name} has shape {_shape_str(want_shape)} but the "
                            f"checkpoint's tensor {name} has shape {_shape_str(entry.shape)}")
        else:
            plan.append((v, entry))
    if strict:
        extra = sorted(set(ckpt.entries) - set(named))
        if extra:
            problems.append(f"unexpected {_count(len(extra), 'tensor')} in the checkpoint "
                            f"that no variable restores: {_names(extra)} (pass strict=False "
                            "to ignore them)")
    if missing:
        available = sorted(ckpt.entries)
        keys = "Key" if len(missing) == 1 else "Keys"
        has = f"{_count(len(available), 'tensor')}: {_names(available)}" if available else "no tensors"
        msg = f"{keys} {_names(missing)} not found in checkpoint {ckpt.path} (it has {has})"
        if problems:
            msg += "; also: " + "; ".join(problems)
        raise NotFoundError(None, None, f"Restoring from checkpoint failed: {msg}. Nothing "
                                        "was restored.")
    if problems:
        raise ValueError(f"Restoring from checkpoint {ckpt.path} failed: " + "; ".join(problems)
                         + ". Nothing was restored.")
    return plan


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _names(names: list[str], limit: int = 10) -> str:
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        shown += f", ... ({len(names) - limit} more)"
    return shown


def _copy_in(ckpt: _Checkpoint, plan: list[tuple[Variable, _Entry]]) -> None:
    """Sets each variable from its tensor in the mapping (in place when nobody holds the
    variable's current value)."""
    for v, entry in plan:
        src = ckpt.array(entry)
        if entry.tag == "BOOL":
            src = np.not_equal(src, 0)  # any non-zero byte is True
        state_ops.write(v._graph, v._id, src, v.dtype._np)


def restore(path: PathLike, var_list: VarList = None, *,
            strict: bool = True) -> list[Variable]:
    """Loads the variables from the safetensors file ``path`` and returns them.

    ``var_list`` as for :func:`save`. Every name, shape and dtype is checked before any
    variable is written, so on error nothing changes. A variable missing from the file
    raises ``varstore.errors.NotFoundError``; a corrupted file or a shape or dtype mismatch
    raises ``ValueError``; with ``strict`` (the default) so does a tensor in the file that no
    variable restores (``train.Saver`` ignores those, as TF1 does).
    """
    named = _resolve(var_list)
    ckpt = _open(path)
    plan = _plan(ckpt, named, strict)
    _copy_in(ckpt, plan)
    return [v for v, _ in plan]


def load_variable(path: PathLike, name: str) -> np.ndarray:
    """The value of tensor ``name`` in checkpoint ``path`` (a copy), as
    ``tf.train.load_variable``."""
    ckpt = _open(_checkpoint_file(path))
    entry = ckpt.entries.get(name)
    if entry is None:
        raise NotFoundError(None, None, f"Key {name} not found in checkpoint {ckpt.path}")
    if entry.tag not in _FROM_ST:
        raise ValueError(f"tensor {name} in {ckpt.path} has dtype {entry.dtype_name}, which "
                         "varstore cannot load")
    src = ckpt.array(entry)
    out: np.ndarray
    if entry.tag == "BOOL":
        out = np.not_equal(src, 0)
    else:
        out = np.array(src, dtype=np.dtype(_FROM_ST[entry.tag]))
    return out


def _checkpoint_file(path: PathLike) -> str:
    """``path``, or the latest checkpoint in it if it is a directory."""
    p = os.fspath(path)
    if os.path.isdir(p):
        from varstore.train.saver import latest_checkpoint

        latest = latest_checkpoint(p)
        if latest is None:
            raise ValueError(f"no checkpoint found in directory {p} (it has no 'checkpoint' "
                             "state file naming an existing checkpoint)")
        return latest
    return p


def list_variables(path: PathLike) -> list[tuple[str, list[int], str, int]]:
    """(name, shape, dtype name, bytes) of every tensor in the checkpoint ``path`` (a file,
    or a directory with a ``checkpoint`` state file), sorted by name."""
    ckpt = _open(_checkpoint_file(path))
    return [(e.name, list(e.shape), e.dtype_name, e.end - e.begin)
            for e in sorted(ckpt.entries.values(), key=lambda e: e.name)]


def _human(nbytes: int) -> str:
    size = float(nbytes)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def inspect_main(path: str) -> int:
    """``python -m varstore inspect PATH``: prints the checkpoint's tensors as a table
    (name, shape, dtype, bytes) and a total line; returns 0. Raises ValueError or OSError
    with a one-line message for a missing or invalid file."""
    rows = list_variables(path)
    name_w = max([len("name"), *(len(r[0]) for r in rows)])
    shape_w = max([len("shape"), *(len(_shape_str(r[1])) for r in rows)])
    dtype_w = max([len("dtype"), *(len(r[2]) for r in rows)])
    bytes_w = max([len("bytes"), *(len(f"{r[3]:,}") for r in rows)])
    header = (f"{'name':<{name_w}}  {'shape':<{shape_w}}  {'dtype':<{dtype_w}}  "
              f"{'bytes':>{bytes_w}}")
    print(header)
    print("-" * len(header))
    params = 0
    total = 0
    for name, shape, dtype, nbytes in rows:
        count = 1
        for d in shape:
            count *= d
        params += count
        total += nbytes
        print(f"{name:<{name_w}}  {_shape_str(shape):<{shape_w}}  {dtype:<{dtype_w}}  "
              f"{nbytes:>{bytes_w},}")
    print("-" * len(header))
    print(f"{_count(len(rows), 'tensor')}, "
          f"{params:,} parameters, {total:,} bytes ({_human(total)})")
    return 0


# -- init_from_checkpoint ---------------------------------------------------------------------
def _store_variables(graph: Graph) -> dict[str, Variable]:
    """The variables ``get_variable`` created (TF's ``_VariableStore._vars``), by name."""
    store = graph._store
    module_find = getattr(_core.store, "find", None)

    def find(name: str) -> int:
        if module_find is not None:
            return int(module_find(store, name))
        return int(getattr(store, "find")(name))  # noqa: B009 - older builds: a method

    return {v._shared_name: v for v in graph._variables if find(v._shared_name) == v._id}


def init_from_checkpoint(ckpt_dir_or_file: PathLike,
                         assignment_map: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> None:
    """Initializes variables from a checkpoint, with TF1's assignment-map rules:

    * ``'ckpt_scope/': 'scope/'`` loads every variable under ``scope/`` from the tensor with
      the same name under ``ckpt_scope/``;
    * ``'ckpt_scope/name': 'scope/var'`` loads the variable named ``scope/var``;
    * ``'ckpt_name': variable`` loads the given variable object;
    * ``'/': 'scope/'`` loads every variable under ``scope/`` from the checkpoint's root.

    Names refer to variables created by ``get_variable``. ``assignment_map`` is a dict or a
    list of pairs. As TF1, it replaces the variables' initializers (running one loads the
    checkpoint's value); the values are also loaded now, for reads without a session. Every
    mapping is checked before any variable is written.
    """
    where = os.fspath(ckpt_dir_or_file)
    ckpt = _open(_checkpoint_file(ckpt_dir_or_file))
    pairs = list(assignment_map.items()) if isinstance(assignment_map, Mapping) else [
        tuple(p) for p in assignment_map
    ]
    graph = get_default_graph()
    store_vars = _store_variables(graph)
    plan: list[tuple[str, Variable]] = []  # (tensor name, variable)

    def check_shape(var: Variable, tensor: str) -> None:
        entry = ckpt.entries[tensor]
        if not var.shape.is_compatible_with(list(entry.shape)):
            raise ValueError(f"Shape of variable {var.name} ({_shape_str(var.shape.as_list())})"
                             f" doesn't match with shape of tensor {tensor} "
                             f"({_shape_str(entry.shape)}) from checkpoint reader.")
        if var.dtype.name != entry.dtype_name:
            raise ValueError(f"Dtype of variable {var.name} ({var.dtype.name}) doesn't match "
                             f"with dtype of tensor {tensor} ({entry.dtype_name}) from "
                             "checkpoint reader.")

    for tensor_name, current in sorted(pairs, key=lambda pair: pair[0]):
        if isinstance(current, (list, tuple)) and current and all(
            isinstance(v, Variable) for v in current
        ):
            raise ValueError(f"init_from_checkpoint: {tensor_name!r} maps to a list of "
                             "variables (a partitioned variable); varstore has no partitioned "
                             "variables")
        var: Variable | None
        if isinstance(current, Variable):
            var = current
        elif isinstance(current, str):
            var = store_vars.get(current)
        else:
            raise TypeError(f"init_from_checkpoint: the value for {tensor_name!r} must be a "
                            f"variable or a variable or scope name, got {current!r}")
        if var is not None:
            if tensor_name not in ckpt.entries:
                raise ValueError(f"Tensor {tensor_name} is not found in {where} checkpoint "
                                 f"(it has {_names(sorted(ckpt.entries))})")
            check_shape(var, tensor_name)
            plan.append((tensor_name, var))
            continue
        assert isinstance(current, str)
        scopes = current[:current.rindex("/")] if "/" in current else ""
        if not tensor_name.endswith("/"):
            raise ValueError(f"Assignment map with scope only name {scopes} should map to scope "
                             f"only {tensor_name}. Should be 'scope/': 'other_scope/'.")
        for var_name in sorted(store_vars):
            if scopes and not var_name.startswith(scopes + "/"):
                continue
            full = var_name[len(scopes):]
            if current != "/":
                full = full[1:]
            if tensor_name != "/":
                full = tensor_name + full
            full = full.removesuffix("/")
            if full not in ckpt.entries:
                raise ValueError(f"Tensor {full} ({var_name[len(scopes) + 1:]} in "
                                 f"{tensor_name}) is not found in {where} checkpoint")
            v = store_vars[var_name]
            check_shape(v, full)
            plan.append((full, v))

    _copy_in(ckpt, [(v, ckpt.entries[t]) for t, v in plan])
    for _, v in plan:  # running the initializer loads the checkpoint value, as in TF
        v._set_initial_value(np.array(v._view(), copy=True), "checkpoint_initializer")
