"""``tf.ConfigProto`` and its sub-messages (TF's tensorflow/core/protobuf/config.proto) as
plain Python messages: TF's field names and defaults, protobuf's ValueError for an unknown
field, and the text format of ``str()``. Only ``intra_op_parallelism_threads`` has an effect
(``tf.Session`` sets the kernel thread count from it) and ``RunOptions.trace_level`` (a traced
run fills the RunMetadata proto's step stats, framework/step_stats_pb2.py); the other fields
are accepted and kept because TF1 programs pass them (varstore runs on one CPU device).
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = ["ConfigProto", "GPUOptions", "GraphOptions", "OptimizerOptions", "RunOptions"]


class _Message:
    _FIELDS: ClassVar[dict[str, Any]] = {}
    _MESSAGES: ClassVar[dict[str, type[_Message]]] = {}

    def __init__(self, **kwargs: Any) -> None:
        for k, default in self._FIELDS.items():
            if k in self._MESSAGES:
                object.__setattr__(self, k, self._MESSAGES[k]())
            else:
                object.__setattr__(self, k, default() if callable(default) else default)
        for k, v in kwargs.items():
            if k not in self._FIELDS:
                raise ValueError(f'Protocol message {type(self).__name__} has no "{k}" field.')
            object.__setattr__(self, k, v)

    def __setattr__(self, key: str, value: Any) -> None:
        if key not in self._FIELDS:
            raise AttributeError(f"Assignment not allowed (no field \"{key}\" in protocol "
                                 f"message object).")
        object.__setattr__(self, key, value)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(
            getattr(self, k) == getattr(other, k) for k in self._FIELDS)

    __hash__ = None  # type: ignore[assignment]

    def _lines(self, indent: str) -> list[str]:
        out: list[str] = []
        for k, default in self._FIELDS.items():
            v = getattr(self, k)
            if isinstance(v, _Message):
                inner = v._lines(indent + "  ")
                if inner:
                    out += [f"{indent}{k} {{", *inner, f"{indent}}}"]
            elif isinstance(v, dict):
                for key, val in v.items():
                    out += [f"{indent}{k} {{", f'{indent}  key: "{key}"',
                            f"{indent}  value: {val}", f"{indent}}}"]
            elif v != (default() if callable(default) else default):
                text = ("true" if v else "false") if isinstance(v, bool) else (
                    f'"{v}"' if isinstance(v, str) else repr(v))
                out.append(f"{indent}{k}: {text}")
        return out

    def __str__(self) -> str:
        lines = self._lines("")
        return "\n".join(lines) + "\n" if lines else ""

    def __repr__(self) -> str:
        return str(self)


class GPUOptions(_Message):
    _FIELDS: ClassVar[dict[str, Any]] = {
        "per_process_gpu_memory_fraction": 0.0, "allow_growth": False,
        "allocator_type": "", "deferred_deletion_bytes": 0, "visible_device_list": "",
        "polling_active_delay_usecs": 0, "polling_inactive_delay_msecs": 0,
        "force_gpu_compatible": False}


class OptimizerOptions(_Message):
    # enum values as TF's: L1 = 0, L0 = -1; DEFAULT/ON_1/OFF for global_jit_level
    L1 = 0
    L0 = -1
    DEFAULT = 0
    OFF = -1
    ON_1 = 1
    ON_2 = 2
    _FIELDS: ClassVar[dict[str, Any]] = {
        "do_common_subexpression_elimination": False, "do_constant_folding": False,
        "max_folded_constant_in_bytes": 0, "do_function_inlining": False, "opt_level": 0,
        "global_jit_level": 0, "cpu_global_jit": False}


class GraphOptions(_Message):
    _FIELDS: ClassVar[dict[str, Any]] = {
        "enable_recv_scheduling": False, "optimizer_options": None,
        "build_cost_model": 0, "build_cost_model_after": 0, "infer_shapes": False,
        "place_pruned_graph": False, "enable_bfloat16_sendrecv": False, "timeline_step": 0,
        "rewrite_options": None}
    _MESSAGES: ClassVar[dict[str, type[_Message]]] = {"optimizer_options": OptimizerOptions}


class ConfigProto(_Message):
    _FIELDS: ClassVar[dict[str, Any]] = {
        "device_count": dict, "intra_op_parallelism_threads": 0,
        "inter_op_parallelism_threads": 0, "use_per_session_threads": False,
        "session_inter_op_thread_pool": list, "placement_period": 0, "device_filters": list,
        "gpu_options": None, "allow_soft_placement": False, "log_device_placement": False,
        "graph_options": None, "operation_timeout_in_ms": 0, "rpc_options": None,
        "cluster_def": None, "isolate_session_state": False,
        "share_cluster_devices_in_session": False, "experimental": None}
    _MESSAGES: ClassVar[dict[str, type[_Message]]] = {"gpu_options": GPUOptions,
                                                      "graph_options": GraphOptions}


class RunOptions(_Message):
    NO_TRACE = 0
    SOFTWARE_TRACE = 1
    HARDWARE_TRACE = 2
    FULL_TRACE = 3
    _FIELDS: ClassVar[dict[str, Any]] = {
        "trace_level": 0, "timeout_in_ms": 0, "inter_op_thread_pool": 0,
        "output_partition_graphs": False, "debug_options": None,
        "report_tensor_allocations_upon_oom": False, "experimental": None}

