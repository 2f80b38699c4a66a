"""tf.config's device functions (TF's tensorflow/python/framework/config.py) over varstore's
one CPU device, with TF's checks and messages."""

from __future__ import annotations

import re
from typing import Any

from varstore.config._context import LogicalDeviceConfiguration, PhysicalDevice, context

__all__ = [
    "get_device_details",
    "get_logical_device_configuration",
    "get_memory_growth",
    "get_memory_info",
    "get_memory_usage",
    "get_visible_devices",
    "list_logical_devices",
    "list_physical_devices",
    "reset_memory_stats",
    "set_logical_device_configuration",
    "set_memory_growth",
    "set_visible_devices",
]


def list_physical_devices(device_type: str | None = None) -> list[Any]:
    """The machine's devices of ``device_type`` (case sensitive, as in TF): one CPU."""
    return [d for d in context.physical_devices
            if device_type is None or d.device_type == device_type]


def list_logical_devices(device_type: str | None = None) -> list[Any]:
    """The devices ops are placed on; initializes the runtime, as TF's does."""
    return [d for d in context.logical_devices()
            if device_type is None or d.device_type == device_type]


def get_visible_devices(device_type: str | None = None) -> list[Any]:
    return [d for d in context.visible if device_type is None or d.device_type == device_type]


def set_visible_devices(devices: Any, device_type: str | None = None) -> None:
    """Restricts the runtime to ``devices`` (of ``device_type``); frozen once initialized."""
    if not isinstance(devices, list):
        devices = [devices]
    for d in devices:
        if d not in context.physical_devices:
            raise ValueError(f"Unrecognized device: {d!r}")
        if device_type is not None and d.device_type != device_type:
            raise ValueError(f"Unrecognized device: {d!r}")
    kept = [d for d in context.visible
            if device_type is not None and d.device_type != device_type]
    visible = kept + [d for d in devices if d not in kept]
    with context.lock:
        if visible == context.visible:
            return
        if context.initialized:
            raise RuntimeError("Visible devices cannot be modified after being initialized")
        context.visible = visible


def _check_physical(device: Any) -> None:
    if device not in context.physical_devices:
        raise ValueError(f"Unrecognized device: {device!r}")


def get_memory_growth(device: Any) -> bool:
    """Whether ``device`` grows its memory; TF keys this by GPU, so a CPU raises KeyError."""
    _check_physical(device)
    raise KeyError(device)


def set_memory_growth(device: Any, enable: bool) -> None:
    _check_physical(device)
    raise ValueError("Cannot set memory growth on non-GPU and non-Pluggable devices")


def get_logical_device_configuration(device: Any) -> list[Any] | None:
    _check_physical(device)
    return context.virtual.get(device)


def set_logical_device_configuration(device: Any, logical_devices: Any) -> None:
    """Splits the CPU into several logical CPUs (``/device:CPU:0..n-1``) as TF does; memory
    limits are GPU-only in TF and refused here with TF's message."""
    _check_physical(device)
    configs = None if logical_devices is None else list(logical_devices)
    for c in configs or []:
        if not isinstance(c, LogicalDeviceConfiguration):
            raise ValueError(f"Unrecognized logical device configuration: {c!r}")  # noqa: TRY004 (TF's type)
        if device.device_type == "CPU" and c.memory_limit is not None:
            raise ValueError("Setting memory limit on CPU virtual devices is currently not "
                             "supported")
    with context.lock:
        if context.virtual.get(device) == configs:
            return
        if context.initialized:
            raise RuntimeError("Virtual devices cannot be modified after being initialized")
        if configs is None:
            context.virtual.pop(device, None)
        else:
            context.virtual[device] = configs


_DEVICE_RE = re.compile(r"^(?:/device:|/job:[^/]+(?:/replica:\d+)?(?:/task:\d+)?/device:)?"
                        r"([A-Za-z_]+):(\d+)$")


def _logical(device: str) -> Any:
    m = _DEVICE_RE.match(device)
    if not m:
        raise ValueError(f"Failed parsing device name: {device!r}. Note a valid device string "
                         'should at least contain a device type and a device index, like '
                         '"GPU:0".')
    wanted = f"/device:{m.group(1)}:{int(m.group(2))}"
    for d in context.logical_devices():
        if d.name == wanted:
            return d
    raise ValueError(f"No matching devices found for {device!r}")


def get_memory_info(device: str) -> dict[str, int]:
    """``{'current', 'peak'}`` bytes; TF does not track CPU allocations, so both are 0 for
    the CPU (as TF reports them), and other devices raise TF's ValueError."""
    _logical(device)
    return {"current": 0, "peak": 0}


def get_memory_usage(device: str) -> int:
    """Deprecated in TF for ``get_memory_info(device)['current']``."""
    return get_memory_info(device)["current"]


def reset_memory_stats(device: str) -> None:
    _logical(device)


def get_device_details(device: Any) -> dict[str, Any]:
    """TF's details dict: GPU-only keys, so empty for the CPU."""
    if not isinstance(device, PhysicalDevice):
        raise ValueError(  # noqa: TRY004 (TF raises ValueError)
            f"device must be a tf.config.PhysicalDevice, but got: {device}")
    _check_physical(device)
    return {}
