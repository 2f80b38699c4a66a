"""Checkpoints in the safetensors format: ``save``, ``restore``, ``list_variables``.

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
from typing import Any, NamedTuple, Union

import numpy as np

from varstore.errors import NotFoundError
from varstore.train import _variable_io as _vio
from varstore.train.bundle_writer import fsync_dir
from varstore.variables import Variable

__all__ = ["list_variables", "restore", "save", "write_tensors"]

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
def _resolve(var_list: VarList) -> dict[str, Variable]:
    """The checkpoint name of each variable (TF1 Saver's ``var_list`` rules)."""
    out = _vio.resolve_var_list(var_list)
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
    arrays: list[tuple[str, str, tuple[int, ...], np.ndarray]] = []
    for name, v in named.items():
        arr = _vio.var_value(v)
        if arr.dtype.name not in _TO_ST:
            raise TypeError(f"variable {name} has dtype {arr.dtype.name}, which safetensors "
                            "checkpoints do not support")
        arrays.append((name, _TO_ST[arr.dtype.name], tuple(arr.shape), arr))
    return write_tensors(p, arrays, meta)


def write_tensors(path: str, tensors: list[tuple[str, str, tuple[int, ...], np.ndarray]],
                  metadata: Mapping[str, str]) -> str:
    """Writes (name, safetensors dtype tag, shape, array) tensors to the file ``path``,
    atomically; an array's bytes are taken as they are (a little-endian host's order)."""
    p = path
    arrays = list(tensors)
    # Widest elements first, then by name: every tensor stays aligned to its element size
    # (the order the safetensors package writes).
    arrays.sort(key=lambda t: (-_ST_DTYPES[t[1]][1], t[0]))
    header: dict[str, Any] = {_METADATA_KEY: dict(metadata)}
    offset = 0
    for name, tag, shape, arr in arrays:
        header[name] = {
            "dtype": tag,
            "shape": list(shape),
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
            for *_, arr in arrays:
                _write_array(f, arr)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(directory)
    return p


def _write_array(f: Any, arr: np.ndarray) -> None:
    if arr.size == 0:
        return
    out = np.ascontiguousarray(arr)
    if out.dtype.byteorder == ">" or (out.dtype.byteorder == "=" and sys.byteorder == "big"):
        out = out.astype(out.dtype.newbyteorder("<"))
    f.write(out.reshape(-1).view(np.uint8).data)


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
        want_shape = _vio.var_shape(v)
        want_dtype = _vio.var_dtype(v).name
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
    """Copies each tensor once from the mapping into its variable's buffer."""
    for v, entry in plan:
        dst = _vio.var_target(v)
        src = ckpt.array(entry)
        if entry.tag == "BOOL":
            np.not_equal(src, 0, out=dst)  # any non-zero byte is True
        else:
            np.copyto(dst, src)
        _vio.var_written(v)


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


def _checkpoint_file(path: PathLike) -> str:
    """``path``, or the latest checkpoint in it if it is a directory."""
    p = os.fspath(path)
    if os.path.isdir(p):
        from varstore.train.checkpoint_management import latest_checkpoint

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
