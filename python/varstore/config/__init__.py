"""``tf.config`` (TF's tensorflow/python/framework/config.py): the devices varstore runs on
(one CPU, as TF lists them on a machine without GPUs), their logical split, thread pools,
and the runtime settings TF1 programs set before building a graph, such as
``for gpu in tf.config.experimental.list_physical_devices('GPU'): set_memory_growth(...)``.
"""

from __future__ import annotations

from typing import Any

from varstore.config import experimental, optimizer, threading
from varstore.config._context import LogicalDevice, LogicalDeviceConfiguration, PhysicalDevice
from varstore.config._devices import (
    get_logical_device_configuration,
    get_visible_devices,
    list_logical_devices,
    list_physical_devices,
    set_logical_device_configuration,
    set_visible_devices,
)
from varstore.config._runtime import (
    experimental_functions_run_eagerly,
    experimental_run_functions_eagerly,
    functions_run_eagerly,
    get_soft_device_placement,
    run_functions_eagerly,
    set_soft_device_placement,
)

__all__ = [
    "LogicalDevice",
    "LogicalDeviceConfiguration",
    "PhysicalDevice",
    "experimental",
    "experimental_functions_run_eagerly",
    "experimental_run_functions_eagerly",
    "functions_run_eagerly",
    "get_logical_device_configuration",
    "get_soft_device_placement",
    "get_visible_devices",
    "list_logical_devices",
    "list_physical_devices",
    "optimizer",
    "run_functions_eagerly",
    "set_logical_device_configuration",
    "set_soft_device_placement",
    "set_visible_devices",
    "threading",
]


def __getattr__(name: str) -> Any:
    """A tf.config symbol varstore does not implement (connecting to a cluster): an
    AttributeError that says so."""
    raise AttributeError(f"module 'varstore.config' has no attribute {name!r}: varstore lacks "
                         f"tf.config.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
