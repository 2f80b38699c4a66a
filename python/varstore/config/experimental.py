"""``tf.config.experimental``: the device functions under their older names, memory growth
and statistics, device policy, execution mode and TF32."""

from __future__ import annotations

from typing import Any

from varstore.config._context import LogicalDeviceConfiguration
from varstore.config._devices import (
    get_device_details,
    get_memory_growth,
    get_memory_info,
    get_memory_usage,
    get_visible_devices,
    list_logical_devices,
    list_physical_devices,
    reset_memory_stats,
    set_memory_growth,
    set_visible_devices,
)
from varstore.config._devices import (
    get_logical_device_configuration as get_virtual_device_configuration,
)
from varstore.config._devices import (
    set_logical_device_configuration as set_virtual_device_configuration,
)
from varstore.config._runtime import (
    enable_tensor_float_32_execution,
    get_device_policy,
    get_synchronous_execution,
    set_device_policy,
    set_synchronous_execution,
    tensor_float_32_execution_enabled,
)

VirtualDeviceConfiguration = LogicalDeviceConfiguration

__all__ = [
    "VirtualDeviceConfiguration",
    "enable_tensor_float_32_execution",
    "get_device_details",
    "get_device_policy",
    "get_memory_growth",
    "get_memory_info",
    "get_memory_usage",
    "get_synchronous_execution",
    "get_virtual_device_configuration",
    "get_visible_devices",
    "list_logical_devices",
    "list_physical_devices",
    "reset_memory_stats",
    "set_device_policy",
    "set_memory_growth",
    "set_synchronous_execution",
    "set_virtual_device_configuration",
    "set_visible_devices",
    "tensor_float_32_execution_enabled",
]


def __getattr__(name: str) -> Any:
    """A tf.config.experimental symbol varstore does not implement (the MLIR bridge, cluster
    device filters): an AttributeError that says so."""
    raise AttributeError(f"module 'varstore.config.experimental' has no attribute {name!r}: "
                         f"varstore lacks tf.config.experimental.{name}")
