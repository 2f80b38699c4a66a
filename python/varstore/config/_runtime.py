"""tf.config's runtime settings: thread pools (varstore's kernel thread count), soft
placement, graph-optimizer options, device policy, execution mode and TF32.

varstore has no XLA and no Grappler: ``set_jit`` and ``set_experimental_options`` are
recorded and read back as TF does, and change nothing else; the docstrings say so.
"""

from __future__ import annotations

from typing import Any

from varstore.config._context import context

__all__ = [
    "enable_tensor_float_32_execution",
    "experimental_functions_run_eagerly",
    "experimental_run_functions_eagerly",
    "functions_run_eagerly",
    "get_device_policy",
    "get_experimental_options",
    "get_inter_op_parallelism_threads",
    "get_intra_op_parallelism_threads",
    "get_jit",
    "get_soft_device_placement",
    "get_synchronous_execution",
    "run_functions_eagerly",
    "set_device_policy",
    "set_experimental_options",
    "set_inter_op_parallelism_threads",
    "set_intra_op_parallelism_threads",
    "set_jit",
    "set_soft_device_placement",
    "set_synchronous_execution",
    "tensor_float_32_execution_enabled",
]


def get_intra_op_parallelism_threads() -> int:
    return context.intra_op_threads


def set_intra_op_parallelism_threads(num_threads: int) -> None:
    """Sets the threads one op may use: varstore's kernel thread count (0: its default)."""
    with context.lock:
        if context.intra_op_threads == num_threads:
            return
        if context.initialized:
            raise RuntimeError("Intra op parallelism cannot be modified after initialization.")
        context.intra_op_threads = int(num_threads)
    if num_threads > 0:
        from varstore import kernels

        kernels.set_num_threads(int(num_threads))


def get_inter_op_parallelism_threads() -> int:
    return context.inter_op_threads


def set_inter_op_parallelism_threads(num_threads: int) -> None:
    """Recorded as TF records it; varstore runs independent ops one after another, so the
    value is read back by ``get_inter_op_parallelism_threads`` and changes nothing else."""
    with context.lock:
        if context.inter_op_threads == num_threads:
            return
        if context.initialized:
            raise RuntimeError("Inter op parallelism cannot be modified after initialization.")
        context.inter_op_threads = int(num_threads)


def get_soft_device_placement() -> bool:
    return context.soft_device_placement


def set_soft_device_placement(enabled: bool) -> None:
    """Every op runs on varstore's CPU, so placement is always satisfied either way."""
    context.soft_device_placement = bool(enabled)


def get_jit() -> str:
    """TF's reading of the XLA setting: 'autoclustering' after ``set_jit(True)``, else ''."""
    return context.jit


def set_jit(enabled: Any) -> None:
    """Recorded only: varstore has no XLA compiler (TF without XLA devices behaves alike)."""
    if enabled is True or enabled == "autoclustering":
        context.jit = "autoclustering"
    elif enabled is False:
        context.jit = ""


_OPTIMIZER_DEFAULTS = {"disable_model_pruning": False, "disable_meta_optimizer": False}
_OPTIMIZER_KEYS = frozenset({
    "layout_optimizer", "constant_folding", "shape_optimization", "remapping",
    "arithmetic_optimization", "dependency_optimization", "loop_optimization",
    "function_optimization", "debug_stripper", "disable_model_pruning",
    "scoped_allocator_optimization", "pin_to_host_optimization",
    "implementation_selector", "auto_mixed_precision", "disable_meta_optimizer",
    "disable_meta_optimizer_timeout", "min_graph_nodes", "auto_parallel",
})


def get_experimental_options() -> dict[str, Any]:
    """The Grappler options set so far, as TF reports them (varstore has no Grappler)."""
    return {**context.optimizer_options, **_OPTIMIZER_DEFAULTS,
            **{k: v for k, v in context.optimizer_options.items()
               if k in _OPTIMIZER_DEFAULTS}}


def set_experimental_options(options: dict[str, Any]) -> None:
    """Recorded only (TF's Grappler rewrites; varstore executes the graph as built).
    Unknown keys are ignored, as TF ignores them."""
    context.optimizer_options.update(
        {k: v for k, v in options.items() if k in _OPTIMIZER_KEYS})


_POLICIES = ("explicit", "warn", "silent", "silent_for_int32")


def get_device_policy() -> str:
    return context.device_policy


def set_device_policy(device_policy: str | None) -> None:
    if device_policy is None:
        context.device_policy = "silent"
        return
    if device_policy not in _POLICIES:
        raise ValueError(
            f"Invalid argument `device_policy`: {device_policy!r}. Please refer to "
            "https://www.tensorflow.org/api_docs/python/tf/config/experimental/"
            "set_device_policy for valid `device_policy` arguments.")
    context.device_policy = device_policy


def get_synchronous_execution() -> bool:
    return context.synchronous


def set_synchronous_execution(enable: bool) -> None:
    """varstore's session runs are synchronous; the eager async mode TF means here does not
    exist in graph mode, so the value is recorded and read back."""
    context.synchronous = bool(enable)


def tensor_float_32_execution_enabled() -> bool:
    return context.tf32


def enable_tensor_float_32_execution(enabled: bool) -> None:
    """TF32 is a GPU math mode; CPU kernels compute in full fp32 either way."""
    context.tf32 = bool(enabled)


def functions_run_eagerly() -> bool:
    return context.run_functions_eagerly


def run_functions_eagerly(run_eagerly: bool) -> None:
    """For tf.function, which TF1 graph programs do not use; recorded and read back."""
    context.run_functions_eagerly = bool(run_eagerly)


def experimental_run_functions_eagerly(run_eagerly: bool) -> None:
    run_functions_eagerly(run_eagerly)


def experimental_functions_run_eagerly() -> bool:
    return functions_run_eagerly()
