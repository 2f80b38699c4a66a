"""Device strings as TF parses, canonicalises and merges them (``tf.DeviceSpec``).

varstore runs everything on the one CPU, but programs read ``op.device`` back and nest
``tf.device`` blocks (``/job:worker`` around ``/cpu:0``), so the strings must come out as
TF writes them: ``"/cpu:0"`` is recorded as ``"/device:CPU:0"``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["LOCAL_CPU", "DeviceSpec", "canonical_device", "is_local_cpu", "merge_devices"]

# the device types TF recognises in the short form ("cpu:0", "/GPU:1"): device_spec.py's
# _VALID_DEVICE_TYPES (no pluggable devices here); others need "/device:TYPE:i"
_SHORT_TYPES = frozenset({"CPU", "GPU", "TPU", "CUSTOM", "EPU"})

# the one device a local varstore session has, as TF names it in placement errors
LOCAL_CPU = "/job:localhost/replica:0/task:0/device:CPU:0"


class DeviceSpec:
    """``tf.DeviceSpec`` (the v1 class): job, replica, task, device type and index."""

    __slots__ = ("device_index", "device_type", "job", "replica", "task")

    def __init__(self, job: str | None = None, replica: int | None = None,
                 task: int | None = None, device_type: str | None = None,
                 device_index: int | None = None) -> None:
        self.job = job
        self.replica = None if replica is None else int(replica)
        self.task = None if task is None else int(task)
        self.device_type = device_type
        self.device_index = None if device_index is None else int(device_index)

    @classmethod
    def from_string(cls, spec: str) -> DeviceSpec:
        self = cls()
        for part in (spec or "").split("/"):
            y = part.split(":")
            n = len(y)
            if n == 2 and y[0] == "job":
                self.job = y[1]
            elif n == 2 and y[0] == "replica":
                self.replica = int(y[1])
            elif n == 2 and y[0] == "task":
                self.task = int(y[1])
            elif n in (1, 2) and y[0].upper() in _SHORT_TYPES:
                self._set_type(spec, y[0].upper(), y[1] if n == 2 else "*")
            elif n == 3 and y[0] == "device":
                self._set_type(spec, y[1], y[2])
            elif y[0] != "":  # an empty part means "any device"
                raise ValueError(f"Unknown attribute '{y[0]}' is encountered while parsing "
                                 f"the device spec: '{spec}'.")
        return self

    def _set_type(self, spec: str, device_type: str, index: str) -> None:
        if self.device_type is not None:
            raise ValueError("Multiple device types are not allowed while parsing the "
                             f"device spec: {spec}.")
        self.device_type = device_type
        if index != "*":
            self.device_index = int(index)

    def merge_from(self, dev: DeviceSpec) -> None:
        """Fields set in ``dev`` override this spec's (TF: the inner block wins)."""
        for field in self.__slots__:
            value = getattr(dev, field)
            if value is not None:
                setattr(self, field, value)

    def make_merged_spec(self, dev: DeviceSpec) -> DeviceSpec:
        out = DeviceSpec(self.job, self.replica, self.task, self.device_type, self.device_index)
        out.merge_from(dev)
        return out

    def to_string(self) -> str:
        out = ""
        if self.job is not None:
            out += "/job:" + self.job
        if self.replica is not None:
            out += f"/replica:{self.replica}"
        if self.task is not None:
            out += f"/task:{self.task}"
        if self.device_type is not None:
            index = "*" if self.device_index is None else str(self.device_index)
            out += f"/device:{self.device_type}:{index}"
        return out

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DeviceSpec) and self.to_string() == other.to_string()

    def __hash__(self) -> int:
        return hash(self.to_string())

    def __repr__(self) -> str:
        return f"<DeviceSpec {self.to_string()!r}>"


def canonical_device(spec: Any) -> str:
    """``spec`` (a string or DeviceSpec) as TF records it on an op."""
    if isinstance(spec, DeviceSpec):
        return spec.to_string()
    return DeviceSpec.from_string(str(spec)).to_string()


def merge_devices(outer: str, inner: str) -> str:
    """The device of an op made in a ``tf.device(inner)`` block nested in ``outer``."""
    if not outer:
        return canonical_device(inner)
    merged = DeviceSpec.from_string(outer)
    merged.merge_from(DeviceSpec.from_string(inner))
    return merged.to_string()


def is_local_cpu(device: str, soft: bool = False) -> bool:
    """Whether an op's (canonical) device names the local CPU, which is all a varstore
    session has: job localhost, replica 0, task 0, CPU 0, each field as given or unset.
    Soft placement (ConfigProto.allow_soft_placement) relaxes the device type and index
    only: another job or task still has no device here."""
    if not device:
        return True
    spec = DeviceSpec.from_string(device)
    local = spec.job in (None, "localhost") and spec.replica in (None, 0) \
        and spec.task in (None, 0)
    return local and (soft or ((spec.device_type is None or spec.device_type.upper() == "CPU")
                               and spec.device_index in (None, 0)))
