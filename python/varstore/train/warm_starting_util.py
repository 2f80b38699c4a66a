"""``tf.train.warm_start`` and ``tf.train.VocabInfo`` (TF's warm_starting_util.py): the
chosen variables (a scope regex, names or Variable objects; partitioned variables as one)
are initialized from a checkpoint, optionally under their previous names, through
``init_from_checkpoint``.

varstore lacks vocabulary remapping (TF's GenerateVocabRemapping / LoadAndRemapMatrix
ops): a ``var_name_to_vocab_info`` entry raises NotImplementedError naming it.
"""

from __future__ import annotations

import collections
import logging
import os
from typing import TYPE_CHECKING, Any

from varstore.framework.graph import GraphKeys, get_collection
from varstore.train import _variable_io as vio
from varstore.train import checkpoint_utils
from varstore.train.checkpoint_reader import open_checkpoint

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["VocabInfo", "warm_start"]

_log = logging.getLogger("tensorflow")

# a namedtuple, as TF's: typing.NamedTuple cannot take the validating __new__
_VocabInfoBase = collections.namedtuple(  # noqa: PYI024
    "_VocabInfoBase", ["new_vocab", "new_vocab_size", "num_oov_buckets", "old_vocab",
                       "old_vocab_size", "backup_initializer", "axis"])


class VocabInfo(_VocabInfoBase):
    """How to remap a vocabulary-indexed variable when warm-starting (TF's namedtuple)."""

    __slots__ = ()

    def __new__(cls, new_vocab: Any, new_vocab_size: int, num_oov_buckets: int,
                old_vocab: Any, old_vocab_size: int = -1, backup_initializer: Any = None,
                axis: int = 0) -> Self:
        if axis not in (0, 1):
            raise ValueError("The only supported values for the axis argument are 0 and 1.  "
                             f"Provided axis: {axis}")
        return super().__new__(cls, new_vocab, new_vocab_size, num_oov_buckets, old_vocab,
                               old_vocab_size, backup_initializer, axis)


VocabInfo.__name__ = VocabInfo.__qualname__ = "VocabInfo"


def _infer_var_name(var: list[Any]) -> str:
    # TF's saveable_object_util.op_list_to_dict: a part is saved under its full name
    names = set()
    for v in var:
        info = v._get_save_slice_info()
        names.add(info.full_name if info is not None else vio.var_name(v))
    if len(names) > 1:
        raise TypeError(f"`var` = {var} passed as arg violates the constraints.  "
                        f"name_to_var_dict = {sorted(names)}")
    return names.pop()


def _get_grouped_variables(vars_to_warm_start: Any) -> dict[str, list[Any]]:
    if isinstance(vars_to_warm_start, str) or vars_to_warm_start is None:
        _log.info("Warm-starting variables only in TRAINABLE_VARIABLES.")
        list_of_vars = get_collection(GraphKeys.TRAINABLE_VARIABLES, scope=vars_to_warm_start)
    elif isinstance(vars_to_warm_start, list):
        if all(isinstance(v, str) for v in vars_to_warm_start):
            list_of_vars = []
            for v in vars_to_warm_start:
                list_of_vars += get_collection(GraphKeys.GLOBAL_VARIABLES, scope=v)
        elif all(vio.is_variable(v) for v in vars_to_warm_start):
            list_of_vars = vars_to_warm_start
        else:
            raise ValueError("If `vars_to_warm_start` is a list, it must be all `Variable` or "
                             f"all `str`.  Given types are "
                             f"{[type(v) for v in vars_to_warm_start]}")
    else:
        raise ValueError("`vars_to_warm_start must be a `list` or `str`.  Given type is "
                         f"{type(vars_to_warm_start)}")
    grouped: dict[str, list[Any]] = {}
    for v in list_of_vars:
        parts = v if isinstance(v, list) else [v]
        grouped.setdefault(_infer_var_name(parts), []).append(v)
    return grouped


def _get_object_checkpoint_renames(path: Any, variable_names: Any) -> dict[str, str]:
    # TF maps names through an object-based checkpoint's object graph; a name-based one
    # (what Saver writes) has none
    source = open_checkpoint(path)
    try:
        has_graph = "_CHECKPOINTABLE_OBJECT_GRAPH" in set(source.names())
    finally:
        source.close()
    if has_graph:
        raise NotImplementedError(
            "varstore lacks warm-starting from an object-based (tf.train.Checkpoint) "
            "checkpoint without var_name_to_prev_var_name")
    return {}


def warm_start(ckpt_to_initialize_from: str | os.PathLike[str],
               vars_to_warm_start: Any = ".*", var_name_to_vocab_info: Any = None,
               var_name_to_prev_var_name: Any = None) -> None:
    """Initializes ``vars_to_warm_start`` from the checkpoint (TF's rules: a string is a
    scope regex over TRAINABLE_VARIABLES, a list of strings over GLOBAL_VARIABLES, or a
    list of Variables; every rename must be used)."""
    _log.info("Warm-starting from: %s", ckpt_to_initialize_from)
    grouped = _get_grouped_variables(vars_to_warm_start)
    if var_name_to_vocab_info is None:
        var_name_to_vocab_info = {}
    if not var_name_to_prev_var_name:
        var_name_to_prev_var_name = _get_object_checkpoint_renames(ckpt_to_initialize_from,
                                                                   grouped.keys())
    count = 0
    prev_used: set[str] = set()
    vocab_used: set[str] = set()
    vocabless: dict[str, Any] = {}
    for var_name, variable in grouped.items():
        prev_var_name = var_name_to_prev_var_name.get(var_name)
        if prev_var_name:
            prev_used.add(var_name)
        if var_name_to_vocab_info.get(var_name):
            raise NotImplementedError(
                "varstore lacks vocabulary remapping in tf.train.warm_start (TF's "
                f"GenerateVocabRemapping / LoadAndRemapMatrix ops): VocabInfo for {var_name}")
        if vars_to_warm_start:
            count += 1
            var: Any = variable[0] if len(variable) == 1 else variable
            if vio.is_variable(var):
                current = _infer_var_name([var])
            elif isinstance(var, list) and all(vio.is_variable(v) for v in var):
                current = _infer_var_name(var)
            else:
                raise TypeError("var MUST be one of the following: a Variable, list of "
                                "Variable or PartitionedVariable, but is "
                                f"{type(var)}")
            prev_tensor_name = prev_var_name or current
            if prev_tensor_name in vocabless:
                # one checkpoint tensor for two variables: TF loads the first batch now
                checkpoint_utils.init_from_checkpoint(ckpt_to_initialize_from, vocabless)
                vocabless.clear()
            vocabless[prev_tensor_name] = var
    if vocabless:
        checkpoint_utils.init_from_checkpoint(ckpt_to_initialize_from, vocabless)
    prev_not_used = set(var_name_to_prev_var_name.keys()) - prev_used
    vocab_not_used = set(var_name_to_vocab_info.keys()) - vocab_used
    _log.info("Warm-started %d variables.", count)
    if prev_not_used:
        raise ValueError("You provided the following variables in var_name_to_prev_var_name "
                         f"that were not used: {prev_not_used}.  Perhaps you misspelled "
                         "them?  Here is the list of viable variable names: "
                         f"{grouped.keys()}")
    if vocab_not_used:
        raise ValueError("You provided the following variables in var_name_to_vocab_info "
                         f"that were not used: {vocab_not_used}.  Perhaps you misspelled "
                         f"them?  Here is the list of viable variable names: "
                         f"{grouped.keys()}")
