"""The checkpoint ops a TF Saver puts in its graph: SaveV2, RestoreV2, MergeV2Checkpoints,
ShardedFilename and ShardedFilespec (the string ops its sharded save uses, StringJoin and
StaticRegexFullMatch, are string_basic_ops' and string_regex_ops').

varstore's own Saver writes and reads checkpoints directly (train/saver.py) and builds these
nodes only so that its MetaGraph has TF's save and restore subgraph; their kernels run when
a Saver is made from a SaverDef (an imported MetaGraph): ``sess.run(restore_op_name,
{filename_tensor_name: path})``, as TF's Saver does. The files are TF's V2 checkpoints
(tensor bundles), written and read by train/bundle_writer.py and train/bundle_reader.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError, NotFoundError
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import get_default_graph
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    Tensor,
    builders,
    make_op,
    register_kernel,
    scope_of,
)

__all__ = [
    "merge_v2_checkpoints",
    "restore_v2",
    "save_v2",
    "sharded_filename",
]

_string = _dtypes.string


def _text(value: Any) -> str:
    if isinstance(value, np.ndarray):
        value = value.reshape(-1)[0] if value.size == 1 else value.item()
    return value.decode() if isinstance(value, bytes) else str(value)


def _texts(value: Any) -> list[str]:
    return [_text(v) for v in np.asarray(value, dtype=object).reshape(-1)]


def _string_input(value: Any, name: str) -> Tensor:
    return value if isinstance(value, Tensor) else convert_to_tensor(value, _string, name=name)


# -- SaveV2 / RestoreV2 ---------------------------------------------------------------------------
def save_v2(prefix: Any, tensor_names: Any, shape_and_slices: Any, tensors: Sequence[Any],
            name: str | None = None) -> Operation:
    """TF's gen_io_ops.save_v2: writes ``tensors`` under ``tensor_names`` at ``prefix``."""
    graph = get_default_graph()
    full = graph._op_name(name, "SaveV2")
    with scope_of(graph, full):
        p = _string_input(prefix, "prefix")
        names = _string_input(tensor_names, "tensor_names")
        slices = _string_input(shape_and_slices, "shape_and_slices")
        ts = [t if isinstance(t, Tensor) else convert_to_tensor(t) for t in tensors]
    return make_op(graph, full, "SaveV2", [p, names, slices, *ts],
                   {"dtypes": [t._dtype for t in ts]}, [])


def restore_v2(prefix: Any, tensor_names: Any, shape_and_slices: Any,
               dtypes: Sequence[_dtypes.DType], name: str | None = None) -> list[Tensor]:
    """TF's gen_io_ops.restore_v2: one output per name, of the matching dtype."""
    graph = get_default_graph()
    full = graph._op_name(name, "RestoreV2")
    with scope_of(graph, full):
        p = _string_input(prefix, "prefix")
        names = _string_input(tensor_names, "tensor_names")
        slices = _string_input(shape_and_slices, "shape_and_slices")
    dts = [_dtypes.as_dtype(d) for d in dtypes]
    op = make_op(graph, full, "RestoreV2", [p, names, slices], {"dtypes": dts},
                 [(d, None) for d in dts])
    return list(op._outputs)


def _slice_spec(spec: str) -> tuple[tuple[int, ...], tuple[tuple[int, int], ...]] | None:
    """TF's "full_shape off,len:off,len" shape-and-slice string ('-' is a whole dimension);
    None for the empty spec (the whole tensor)."""
    if not spec:
        return None
    parts = spec.split(" ")
    full = tuple(int(d) for d in parts[:-1])
    extents = []
    for dim, text in zip(full, parts[-1].split(":")):
        if text == "-":
            extents.append((0, dim))
        else:
            start, length = text.split(",")
            extents.append((int(start), int(length)))
    return full, tuple(extents)


@register_kernel("SaveV2", stateful=True)
def _save_v2_kernel(op: Operation) -> Callable[..., None]:
    def save(prefix: Any, names: Any, specs: Any, *tensors: np.ndarray) -> None:
        from varstore.train.bundle_writer import BundleWriter

        keys, slices = _texts(names), _texts(specs)
        if len(keys) != len(tensors) or len(slices) != len(tensors):
            raise InvalidArgumentError(
                None, op, f"Expected {len(tensors)} tensor names and shape_and_slices, got "
                f"{len(keys)} and {len(slices)}")
        with BundleWriter(_text(prefix)) as writer:
            for key, spec, value in zip(keys, slices, tensors):
                parsed = _slice_spec(spec)
                if parsed is None:
                    writer.add(key, value)
                else:
                    writer.add_slice(key, parsed[0], parsed[1], value)
            writer.finish()

    return save


@register_kernel("RestoreV2", stateful=True)
def _restore_v2_kernel(op: Operation) -> Callable[..., Any]:
    dtypes = op._attrs["dtypes"]

    def restore(prefix: Any, names: Any, specs: Any) -> Any:
        from varstore.train.checkpoint_reader import open_checkpoint

        path = _text(prefix)
        keys, slices = _texts(names), _texts(specs)
        try:
            source = open_checkpoint(path)
        except (OSError, ValueError) as exc:
            raise NotFoundError(None, op, f"Unsuccessful TensorSliceReader constructor: "
                                f"Failed to find any matching files for {path}") from exc
        out = []
        try:
            present = set(source.names())
            for key, spec, dt in zip(keys, slices, dtypes):
                if key not in present:
                    raise NotFoundError(None, op, f"Key {key} not found in checkpoint")
                stored = source.tf_type(key).name
                if stored != dt.name:
                    raise InvalidArgumentError(
                        None, op, f"tensor_name = {key}; expected dtype {dt.name} does not "
                        f"equal original dtype {stored}")
                value = source.read(key)
                parsed = _slice_spec(spec)
                if parsed is not None:
                    value = value[tuple(slice(s, s + n) for s, n in parsed[1])]
                out.append(np.array(value, copy=True))
        finally:
            source.close()
        return out[0] if len(out) == 1 else tuple(out)  # (one output: the array itself)

    return restore


# -- sharded saves ----------------------------------------------------------------------------------
def merge_v2_checkpoints(checkpoint_prefixes: Any, destination_prefix: Any,
                         delete_old_dirs: bool = True, allow_missing_files: bool = False,
                         name: str | None = None) -> Operation:
    graph = get_default_graph()
    full = graph._op_name(name, "MergeV2Checkpoints")
    with scope_of(graph, full):
        src = _string_input(checkpoint_prefixes, "checkpoint_prefixes")
        dst = _string_input(destination_prefix, "destination_prefix")
    return make_op(graph, full, "MergeV2Checkpoints", [src, dst],
                   {"delete_old_dirs": bool(delete_old_dirs),
                    "allow_missing_files": bool(allow_missing_files)}, [])


@register_kernel("MergeV2Checkpoints", stateful=True)
def _merge_kernel(op: Operation) -> Callable[..., None]:
    delete = bool(op._attrs.get("delete_old_dirs", True))

    def merge(prefixes: Any, destination: Any) -> None:
        from varstore.train.bundle_writer import merge_bundles

        merge_bundles(_texts(prefixes), _text(destination), delete_old_dirs=delete)

    return merge


def sharded_filename(basename: Any, shard: Any, num_shards: Any,
                     name: str | None = None) -> Tensor:
    graph = get_default_graph()
    full = graph._op_name(name, "ShardedFilename")
    with scope_of(graph, full):
        b = _string_input(basename, "basename")
        s = shard if isinstance(shard, Tensor) else convert_to_tensor(shard, _dtypes.int32,
                                                                       name="shard")
        n = num_shards if isinstance(num_shards, Tensor) else convert_to_tensor(
            num_shards, _dtypes.int32, name="num_shards")
    return make_op(graph, full, "ShardedFilename", [b, s, n], {}, [(_string, ())])._outputs[0]


@register_kernel("ShardedFilename")
def _sharded_filename_kernel(op: Operation) -> Callable[..., np.ndarray]:
    def filename(base: Any, shard: Any, num: Any) -> np.ndarray:
        return np.array(f"{_text(base)}-{int(shard):05d}-of-{int(num):05d}".encode(),
                        dtype=object)

    return filename


@register_kernel("ShardedFilespec")
def _sharded_filespec_kernel(op: Operation) -> Callable[..., np.ndarray]:
    def filespec(base: Any, num: Any) -> np.ndarray:
        return np.array(f"{_text(base)}-?????-of-{int(num):05d}".encode(), dtype=object)

    return filespec


for _t in ("SaveV2", "RestoreV2", "MergeV2Checkpoints", "ShardedFilename", "ShardedFilespec"):
    NotDifferentiable(_t)

builders.register(globals(), __all__)
