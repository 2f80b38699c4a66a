"""The process-wide device and runtime configuration behind ``tf.config`` (TF keeps it in
the eager context, tensorflow/python/eager/context.py).

varstore runs on one CPU device, so the device lists are TF's on a machine without GPUs.
As in TF, the device layout and the thread pools freeze once the runtime is initialized,
which ``list_logical_devices`` and ``get_memory_info`` do; until then they can be changed.
"""

from __future__ import annotations

import threading
from typing import Any, NamedTuple

__all__ = ["LogicalDevice", "LogicalDeviceConfiguration", "PhysicalDevice", "context"]

class PhysicalDevice(NamedTuple):
    """A physical device of the machine (TF's context.PhysicalDevice)."""

    name: str
    device_type: str


class LogicalDevice(NamedTuple):
    """A device the runtime places ops on (TF's context.LogicalDevice)."""

    name: str
    device_type: str


class LogicalDeviceConfiguration(NamedTuple):
    """How one physical device is split into logical devices (TF's class of this name)."""

    memory_limit: Any = None
    experimental_priority: Any = None
    experimental_device_ordinal: Any = None


_CPU = PhysicalDevice("/physical_device:CPU:0", "CPU")


class _Context:
    """The state TF's eager context holds for tf.config, for varstore's one CPU."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.initialized = False
        self.visible: list[Any] = [_CPU]
        self.virtual: dict[Any, list[LogicalDeviceConfiguration]] = {}
        self.intra_op_threads = 0
        self.inter_op_threads = 0
        self.soft_device_placement = False  # TF1 graph mode's default
        self.jit = ""
        self.optimizer_options: dict[str, bool] = {}
        self.device_policy = "silent"
        self.synchronous = True
        self.tf32 = True
        self.run_functions_eagerly = False
        self.mlir_bridge: bool | None = None

    @property
    def physical_devices(self) -> list[Any]:
        return [_CPU]

    def ensure_initialized(self) -> None:
        self.initialized = True

    def logical_devices(self) -> list[Any]:
        self.ensure_initialized()
        out = []
        index = 0
        for dev in self.visible:
            for _ in self.virtual.get(dev, [LogicalDeviceConfiguration()]):
                out.append(LogicalDevice(f"/device:{dev.device_type}:{index}", dev.device_type))
                index += 1
        return out


context = _Context()
