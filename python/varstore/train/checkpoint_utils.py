"""TF's checkpoint_utils on either checkpoint format: ``load_checkpoint``,
``load_variable``, ``list_variables``, ``init_from_checkpoint``, and the restore that
``Saver.restore`` runs.

A restore never changes a variable unless every one of them can be restored: it checks every
name, dtype and shape, then every tensor's bytes (CRC-32C for TF checkpoints), and only then
copies each tensor once, straight from the mapped file into the variable's buffer.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

import numpy as np

from varstore.errors import InvalidArgumentError, NotFoundError
from varstore.train import _variable_io as vio
from varstore.train import checkpoint_management
from varstore.train.checkpoint_reader import CheckpointReader, TensorSource, open_checkpoint
from varstore.variables import Variable

__all__ = [
    "checkpoints_iterator",
    "init_from_checkpoint",
    "list_variables",
    "load_checkpoint",
    "load_variable",
    "restore_slices",
    "restore_variables",
    "wait_for_new_checkpoint",
]

_log = logging.getLogger("tensorflow")


def load_checkpoint(ckpt_dir_or_file: str | os.PathLike[str]) -> CheckpointReader:
    """A CheckpointReader for the checkpoint (or the latest one in the directory)."""
    return CheckpointReader(ckpt_dir_or_file)


def load_variable(ckpt_dir_or_file: str | os.PathLike[str], name: str) -> Any:
    """The value of tensor ``name`` (a trailing ``:0`` is ignored, as TF does)."""
    name = name.removesuffix(":0")
    with CheckpointReader(ckpt_dir_or_file) as reader:
        return reader.get_tensor(name)


def list_variables(ckpt_dir_or_file: str | os.PathLike[str]) -> list[tuple[str, list[int]]]:
    """``(name, shape)`` of every tensor in the checkpoint, sorted by name."""
    with CheckpointReader(ckpt_dir_or_file) as reader:
        shapes = reader.get_variable_to_shape_map()
    return [(name, shapes[name]) for name in sorted(shapes)]


# -- restore ----------------------------------------------------------------------------------
def _shape_str(shape: Iterable[int | None]) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _names(names: list[str], limit: int = 10) -> str:
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        shown += f", ... ({len(names) - limit} more)"
    return shown


def _count_of(shape: Iterable[int]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


def _mismatch(source: TensorSource, name: str, v: Variable, reshape: bool = False
              ) -> str | None:
    t = source.tf_type(name)
    want = vio.var_dtype(v).name
    if t.name != want:
        return (f"tensor_name = {name}; expected dtype {want} does not equal original dtype "
                f"{t.name}")
    shape = source.shape(name)
    if reshape and _count_of(shape) == _count_of(vio.var_shape(v)):
        return None  # Saver(reshape=True): the same elements in another shape
    if shape != vio.var_shape(v):
        return (f"Assign requires shapes of both tensors to match. lhs shape= "
                f"{_shape_str(vio.var_shape(v))} rhs shape= {_shape_str(shape)} (tensor "
                f"{name})")
    return None


def restore_variables(source: TensorSource, named: Mapping[str, Variable], *,
                      strict: bool = False,
                      mismatch_error: Callable[[str], Exception] | None = None,
                      reshape: bool = False) -> list[Variable]:
    """Restores ``named`` (checkpoint name -> variable) from ``source``: checks all, then
    writes all. A missing name raises NotFoundError; a dtype or shape mismatch
    ``mismatch_error(message)`` (InvalidArgumentError by default, as TF); a corrupt tensor
    DataLossError; with ``strict`` a tensor no variable restores is a mismatch too."""
    def fail(msg: str) -> Exception:
        if mismatch_error is not None:
            return mismatch_error(msg)
        return InvalidArgumentError(None, None, msg)

    present = set(source.names())
    missing = [n for n in named if n not in present]
    problems = [p for n, v in named.items() if n in present
                for p in [_mismatch(source, n, v, reshape)] if p is not None]
    if strict:
        extra = sorted(present - set(named))
        if extra:
            problems.append(f"unexpected {_count(len(extra), 'tensor')} in the checkpoint that "
                            f"no variable restores: {_names(extra)} (pass strict=False to "
                            "ignore them)")
    if missing:
        available = sorted(present)
        keys = "Key" if len(missing) == 1 else "Keys"
        has = f"{_count(len(available), 'tensor')}: {_names(available)}" if available else \
            "no tensors"
        msg = f"{keys} {_names(missing)} not found in checkpoint {source.path} (it has {has})"
        if problems:
            msg += "; also: " + "; ".join(problems)
        raise NotFoundError(None, None, f"{msg}. Nothing was restored.")
    if problems:  # (the Saver adds TF's "Restoring from checkpoint failed. ..." preamble)
        raise fail("; ".join(problems) + f" (checkpoint {source.path}). Nothing was restored.")
    _verify_then_copy(source, list(named.items()))
    return list(named.values())


def restore_slices(source: TensorSource, sliced: Mapping[str, list[Variable]]
                   ) -> Callable[[], list[Variable]]:
    """Checks that ``source`` holds each sliced entry (checkpoint name -> parts) with the
    parts' full shape and dtype, whole or in any slices (as TF's RestoreV2 reads a slice),
    and returns the function that then writes each part's slice of it."""
    present = set(source.names())
    missing = sorted(n for n in sliced if n not in present)
    if missing:
        raise NotFoundError(None, None, f"Key {_names(missing)} not found in checkpoint "
                            f"{source.path}. Nothing was restored.")
    for name, parts in sliced.items():
        info = parts[0]._get_save_slice_info()
        want = tuple(int(d) for d in info.full_shape)
        t, shape = source.tf_type(name), source.shape(name)
        dtype = vio.var_dtype(parts[0]).name
        if t.name != dtype:
            raise InvalidArgumentError(None, None, f"tensor_name = {name}; expected dtype "
                                       f"{dtype} does not equal original dtype {t.name}")
        if shape != want:  # (Saver(reshape=True) does not reshape slices either)
            raise InvalidArgumentError(
                None, None, f"tensor_name = {name}; shape in shape_and_slice spec "
                f"{_shape_str(want)} does not match the shape stored in checkpoint: "
                f"{_shape_str(shape)}")
        source.verify(name)

    def write() -> list[Variable]:
        done: list[Variable] = []
        for name, parts in sliced.items():
            full = source.read(name)
            for part in parts:
                info = part._get_save_slice_info()
                box = tuple(slice(int(o), int(o) + int(n))
                            for o, n in zip(info.var_offset, info.var_shape))
                vio.var_target(part)[...] = full[box]
                vio.var_written(part)
                done.append(part)
        return done

    return write


_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()
_PARALLEL_BYTES = 16 << 20  # below this, threads cost more than they save


def _forget_pool() -> None:
    """In a forked child the parent's worker threads do not exist: start a new pool."""
    global _POOL, _POOL_LOCK
    _POOL = None
    _POOL_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def _pool() -> ThreadPoolExecutor:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1),
                                       thread_name_prefix="varstore-restore")
        return _POOL


def _in_shape(target: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    if target.shape == shape:
        return target
    view: np.ndarray = target.view()
    view.shape = shape  # a view or an error: never a copy that the restore would lose
    return view


def _verify_then_copy(source: TensorSource, plan: list[tuple[str, Variable]]) -> None:
    """Checks every tensor's bytes (CRCs), then copies each into its variable. Both passes
    spread the tensors over a few threads (the CRC and the copies release the GIL)."""
    total = 0
    for name, _ in plan:
        t = source.tf_type(name)
        count = 1
        for d in source.shape(name):
            count *= d
        total += count * max(t.itemsize, 1)
    # (A target of another shape, Saver(reshape=True), is written through a view in the
    # checkpoint's shape.)
    targets = [(name, _in_shape(vio.var_target(v), source.shape(name))) for name, v in plan]
    if len(plan) > 1 and total >= _PARALLEL_BYTES and (os.cpu_count() or 1) > 1:
        pool = _pool()
        list(pool.map(source.verify, [name for name, _ in plan]))  # every byte checked first
        list(pool.map(lambda nt: source.copy_into(nt[0], nt[1]), targets))
    else:
        for name, _ in plan:  # every byte checked before the first variable changes
            source.verify(name)
        for name, dst in targets:
            source.copy_into(name, dst)
    for _, v in plan:
        vio.var_written(v)


# -- init_from_checkpoint ---------------------------------------------------------------------
def _store_variables() -> dict[str, Variable]:
    """The variables ``get_variable`` created (TF's ``_VariableStore._vars``), by name."""
    from varstore import _core
    from varstore.framework.graph import get_default_graph

    graph = get_default_graph()
    store = graph._store
    module_find = getattr(_core.store, "find", None)

    def find(name: str) -> int:
        if module_find is not None:
            return int(module_find(store, name))
        return int(getattr(store, "find")(name))  # noqa: B009 - older builds: a method

    return {vio.var_name(v): v for v in graph._variables if find(vio.var_name(v)) == v._id}


def init_from_checkpoint(ckpt_dir_or_file: str | os.PathLike[str],
                         assignment_map: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> None:
    """Initializes variables from a checkpoint (either format), with TF1's assignment-map
    rules:

    * ``'ckpt_scope/': 'scope/'`` loads every variable under ``scope/`` from the tensor with
      the same name under ``ckpt_scope/``;
    * ``'ckpt_scope/name': 'scope/var'`` loads the variable named ``scope/var``;
    * ``'ckpt_name': variable`` loads the given variable object;
    * ``'/': 'scope/'`` loads every variable under ``scope/`` from the checkpoint's root.

    Names refer to variables created by ``get_variable``. ``assignment_map`` is a dict or a
    list of pairs. As TF1, each variable's initializer becomes a restore of its tensor
    (``checkpoint_initializer``, a RestoreV2); varstore's variables hold their values from
    creation, so the values are loaded now as well. Every mapping is checked, and every
    tensor's bytes, before any variable is written.
    """
    where = os.fspath(ckpt_dir_or_file)
    source = open_checkpoint(ckpt_dir_or_file)
    try:
        planned = _plan_assignments(source, where, assignment_map)
        plan = [(t, v) for t, v in planned if not isinstance(v, list)]
        # one restore per entry: two partitioned variables may load the same tensor
        writes = [restore_slices(source, {t: v}) for t, v in planned if isinstance(v, list)]
        _verify_then_copy(source, plan)  # (every entry was checked before this first write)
        for write in writes:
            write()
        prefix = source.path
    finally:
        source.close()
    for tensor_name, target in planned:
        for v in target if isinstance(target, list) else [target]:
            spec = v._get_save_slice_info().spec if isinstance(target, list) else ""
            _set_checkpoint_initializer(v, prefix, tensor_name, spec)


def _set_checkpoint_initializer(v: Variable, prefix: str, tensor_name: str, spec: str) -> None:
    """TF's: the variable's initializer becomes a restore of ``tensor_name`` (a RestoreV2
    on the CPU), so running it reads the checkpoint again and the graph holds no values."""
    from varstore.framework.graph import get_default_graph
    from varstore.ops.io_ops import restore_v2

    graph = get_default_graph()
    with graph.device(v.device), graph.device("/cpu:0"):
        restore = restore_v2(prefix, [tensor_name], [spec], [vio.var_dtype(v)],
                             name="checkpoint_initializer")[0]
    v._set_initial_value(restore)


def _collect_partitioned_variable(name: str, store_vars: Mapping[str, Variable]
                                  ) -> list[Variable] | None:
    """The parts ``<name>/part_<i>`` of a partitioned variable, or None (TF's helper)."""
    if name + "/part_0" not in store_vars:
        return None
    parts: list[Variable] = []
    while f"{name}/part_{len(parts)}" in store_vars:
        parts.append(store_vars[f"{name}/part_{len(parts)}"])
    return parts


def _plan_assignments(source: TensorSource, where: str,
                      assignment_map: Mapping[str, Any] | Iterable[tuple[str, Any]]
                      ) -> list[tuple[str, Variable | list[Variable]]]:
    """(checkpoint tensor, variable or the parts of a partitioned one) to load, checked."""
    present = set(source.names())
    pairs = list(assignment_map.items()) if isinstance(assignment_map, Mapping) else [
        tuple(p) for p in assignment_map
    ]
    store_vars = _store_variables()
    plan: list[tuple[str, Variable | list[Variable]]] = []

    def check(var: Variable, tensor: str) -> None:
        shape = source.shape(tensor)
        if not var.shape.is_compatible_with(list(shape)):
            raise ValueError(f"Shape of variable {var.name} ({_shape_str(vio.var_shape(var))})"
                             f" doesn't match with shape of tensor {tensor} "
                             f"({_shape_str(shape)}) from checkpoint reader.")
        have = source.tf_type(tensor).name
        if vio.var_dtype(var).name != have:
            raise ValueError(f"Dtype of variable {var.name} ({vio.var_dtype(var).name}) "
                             f"doesn't match with dtype of tensor {tensor} ({have}) from "
                             "checkpoint reader.")

    for tensor_name, current in sorted(pairs, key=lambda pair: pair[0]):
        var: Variable | list[Variable] | None
        if isinstance(current, list) and current and all(vio.is_variable(v) for v in current):
            var = current  # the parts of a partitioned variable (as TF takes them)
        elif vio.is_variable(current):
            var = current
        elif isinstance(current, str):
            var = store_vars.get(current)
            if var is None:
                var = _collect_partitioned_variable(current, store_vars)
        else:
            raise TypeError(f"init_from_checkpoint: the value for {tensor_name!r} must be a "
                            f"variable or a variable or scope name, got {current!r}")
        if var is not None:
            if tensor_name not in present:
                raise ValueError(f"Tensor {tensor_name} is not found in {where} checkpoint "
                                 f"(it has {_names(sorted(present))})")
            if isinstance(var, list):
                plan.append((tensor_name, vio.slices_of(var)))
                continue
            check(var, tensor_name)
            plan.append((tensor_name, var))
            continue
        assert isinstance(current, str)
        scopes = current[:current.rindex("/")] if "/" in current else ""
        if not tensor_name.endswith("/"):
            raise ValueError(f"Assignment map with scope only name {scopes} should map to scope "
                             f"only {tensor_name}. Should be 'scope/': 'other_scope/'.")
        scope_variables = set()
        for var_name in store_vars:
            if not scopes or var_name.startswith(scopes + "/"):
                if "/part_" in var_name:  # a part: its partitioned variable's name
                    var_name = var_name[:var_name.index("/part_")]
                scope_variables.add(var_name)
        for var_name in sorted(scope_variables):
            full = var_name[len(scopes):]
            if current != "/":
                full = full[1:]
            if tensor_name != "/":
                full = tensor_name + full
            full = full.removesuffix("/")
            if full not in present:
                raise ValueError(f"Tensor {full} ({var_name[len(scopes) + 1:]} in "
                                 f"{tensor_name}) is not found in {where} checkpoint")
            v = store_vars.get(var_name)
            if v is None:
                found = _collect_partitioned_variable(var_name, store_vars)
                assert found is not None
                plan.append((full, vio.slices_of(found)))
                continue
            check(v, full)
            plan.append((full, v))
    return plan


def wait_for_new_checkpoint(checkpoint_dir: str | os.PathLike[str],
                            last_checkpoint: str | None = None,
                            seconds_to_sleep: float = 1, timeout: float | None = None
                            ) -> str | None:
    """The latest checkpoint of ``checkpoint_dir`` once it differs from
    ``last_checkpoint``, polling every ``seconds_to_sleep``; None after ``timeout``."""
    _log.info("Waiting for new checkpoint at %s", checkpoint_dir)
    stop_time = time.time() + timeout if timeout is not None else None
    while True:
        path = checkpoint_management.latest_checkpoint(checkpoint_dir)
        if path is None or path == last_checkpoint:
            if stop_time is not None and time.time() + seconds_to_sleep > stop_time:
                return None
            time.sleep(seconds_to_sleep)
        else:
            _log.info("Found new checkpoint at %s", path)
            return path


def checkpoints_iterator(checkpoint_dir: str | os.PathLike[str], min_interval_secs: float = 0,
                         timeout: float | None = None,
                         timeout_fn: Callable[[], bool] | None = None) -> Iterator[str]:
    """Yields each new latest checkpoint of ``checkpoint_dir`` as it appears (TF's
    generator: after ``timeout`` it ends, unless ``timeout_fn`` returns False)."""
    checkpoint_path = None
    while True:
        new_path = wait_for_new_checkpoint(checkpoint_dir, checkpoint_path, timeout=timeout)
        if new_path:
            start = time.time()
            checkpoint_path = new_path
            yield checkpoint_path
            time_to_next_eval = start + min_interval_secs - time.time()
            if time_to_next_eval > 0:
                time.sleep(time_to_next_eval)
        elif timeout_fn is None:
            _log.info("Timed-out waiting for a checkpoint (without timeout_fn).")
            return
        if timeout_fn is not None and timeout_fn():
            _log.info("Done. No new checkpoints will be generated.")
            return
