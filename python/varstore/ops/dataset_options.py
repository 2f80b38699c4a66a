"""``tf.data.Options`` and its groups (TF's data/ops/options.py over data/util/options.py):
type-checked properties with TF's defaults, merged by ``with_options``. varstore runs every
pipeline in the caller's thread without graph rewrites, so the options change nothing a
program can observe; they are kept and read back as TF's are."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

__all__ = ["AutoShardPolicy", "AutotuneAlgorithm", "AutotuneOptions", "DistributeOptions",
           "ExternalStatePolicy", "OptimizationOptions", "Options", "ServiceOptions",
           "ThreadingOptions"]


class AutotuneAlgorithm(enum.Enum):
    DEFAULT = 0
    HILL_CLIMB = 1
    GRADIENT_DESCENT = 2
    MAX_PARALLELISM = 3
    STAGE_BASED = 4


class AutoShardPolicy(enum.IntEnum):
    OFF = -1
    AUTO = 0
    FILE = 1
    DATA = 2
    HINT = 3


class ExternalStatePolicy(enum.Enum):
    WARN = 0
    IGNORE = 1
    FAIL = 2


def _option(name: str, ty: Any, default: Callable[[], Any] = lambda: None) -> Any:
    def get(self: OptionsBase) -> Any:
        if name not in self._options:
            self._options[name] = default()
        return self._options[name]

    def set_(self: OptionsBase, value: Any) -> None:
        if not isinstance(value, ty):
            raise TypeError(f'Property "{name}" must be of type {ty}, got: {value} (type: '
                            f"{type(value)})")
        self._options[name] = value

    return property(get, set_)


class OptionsBase:
    _options: dict[str, Any]

    def __init__(self) -> None:
        object.__setattr__(self, "_options", {})
        object.__setattr__(self, "_mutable", True)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, self.__class__):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n)
                   for n in set(self._options) | set(other._options))

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = None  # type: ignore[assignment]

    def __setattr__(self, name: str, value: Any) -> None:
        if not self.__dict__.get("_mutable", True):
            raise ValueError("Mutating `tf.data.Options()` returned by "
                             "`tf.data.Dataset.options()` has no effect. Use "
                             "`tf.data.Dataset.with_options(options)` to set or update "
                             "dataset options.")
        if hasattr(self, name):
            object.__setattr__(self, name, value)
        else:
            raise AttributeError(f"Cannot set the property {name} on {type(self).__name__}.")

    def _set_mutable(self, mutable: bool) -> None:
        object.__setattr__(self, "_mutable", mutable)

    def merge(self, options: Any) -> Any:
        return merge_options(self, options)


def merge_options(*options_list: Any) -> Any:
    """TF's merge_options: later settings win, nested groups merge recursively."""
    if not options_list:
        raise ValueError("At least one options should be provided")
    result_type = type(options_list[0])
    for o in options_list:
        if not isinstance(o, result_type):
            raise TypeError(f"Could not merge incompatible options of type {type(o)} and "
                            f"{result_type}.")
    result = result_type()
    for o in options_list:
        for name, value in o._options.items():
            if value is None:
                continue
            if isinstance(value, OptionsBase):
                merged = merge_options(getattr(result, name), value)
                result._options[name] = merged
            else:
                result._options[name] = value
    return result


class AutotuneOptions(OptionsBase):
    enabled = _option("enabled", bool)
    cpu_budget = _option("cpu_budget", int)
    ram_budget = _option("ram_budget", int)
    autotune_algorithm = _option("autotune_algorithm", AutotuneAlgorithm)
    initial_parallelism = _option("initial_parallelism", int)
    min_parallelism = _option("min_parallelism", int)


class DistributeOptions(OptionsBase):
    auto_shard_policy = _option("auto_shard_policy", AutoShardPolicy,
                                lambda: AutoShardPolicy.AUTO)
    num_devices = _option("num_devices", int)


class OptimizationOptions(OptionsBase):
    apply_default_optimizations = _option("apply_default_optimizations", bool)
    filter_fusion = _option("filter_fusion", bool)
    filter_parallelization = _option("filter_parallelization", bool)
    inject_prefetch = _option("inject_prefetch", bool)
    seq_interleave_prefetch = _option("seq_interleave_prefetch", bool)
    map_and_batch_fusion = _option("map_and_batch_fusion", bool)
    map_and_filter_fusion = _option("map_and_filter_fusion", bool)
    map_fusion = _option("map_fusion", bool)
    map_parallelization = _option("map_parallelization", bool)
    noop_elimination = _option("noop_elimination", bool)
    parallel_batch = _option("parallel_batch", bool)
    shuffle_and_repeat_fusion = _option("shuffle_and_repeat_fusion", bool)


class ServiceOptions(OptionsBase):
    pinned = _option("pinned", bool)


class ThreadingOptions(OptionsBase):
    max_intra_op_parallelism = _option("max_intra_op_parallelism", int)
    private_threadpool_size = _option("private_threadpool_size", int)


class Options(OptionsBase):
    autotune = _option("autotune", AutotuneOptions, AutotuneOptions)
    deterministic = _option("deterministic", bool)
    experimental_distribute = _option("experimental_distribute", DistributeOptions,
                                      DistributeOptions)
    experimental_external_state_policy = _option("experimental_external_state_policy",
                                                 ExternalStatePolicy)
    experimental_optimization = _option("experimental_optimization", OptimizationOptions,
                                        OptimizationOptions)
    experimental_slack = _option("experimental_slack", bool)
    experimental_symbolic_checkpoint = _option("experimental_symbolic_checkpoint", bool)
    experimental_service = _option("experimental_service", ServiceOptions, ServiceOptions)
    experimental_warm_start = _option("experimental_warm_start", bool)
    dataset_name = _option("dataset_name", str)
    framework_type = _option("framework_type", list)
    threading = _option("threading", ThreadingOptions, ThreadingOptions)

    # TF's deprecated aliases: the same settings under their old names
    @property
    def experimental_threading(self) -> Any:
        return self.threading

    @experimental_threading.setter
    def experimental_threading(self, value: Any) -> None:
        self.threading = value

    @property
    def experimental_deterministic(self) -> Any:
        return self.deterministic

    @experimental_deterministic.setter
    def experimental_deterministic(self, value: Any) -> None:
        self.deterministic = value
