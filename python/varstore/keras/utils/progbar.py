"""tf-keras' ``Progbar`` (utils/generic_utils.py), the ``verbose=1`` display: on Linux
tf-keras always takes the dynamic display (``"posix" in sys.modules``), so each update
rewrites the line with backspaces and a carriage return; updates closer than ``interval``
seconds apart are skipped unless final, as TF's."""

from __future__ import annotations

import sys
import time
from typing import Any

import numpy as np

__all__ = ["Progbar"]


def format_time(t: float, unit: str) -> str:
    if t >= 1 or t == 0:
        return f" {t:.0f}s/{unit}"
    if t >= 1e-3:
        return f" {t * 1000.0:.0f}ms/{unit}"
    return f" {t * 1000000.0:.0f}us/{unit}"


class Progbar:
    """``tf.keras.utils.Progbar(target, width=30, verbose=1, interval=0.05, ...)``."""

    def __init__(self, target: int | None, width: int = 30, verbose: int = 1,
                 interval: float = 0.05, stateful_metrics: Any = None,
                 unit_name: str = "step") -> None:
        if verbose not in (0, 1):
            raise NotImplementedError(f"varstore lacks tf.keras.utils.Progbar(verbose="
                                      f"{verbose})")
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = set(stateful_metrics or ())
        self._total_width = 0
        self._seen_so_far = 0
        self._values: dict[str, list[Any]] = {}
        self._values_order: list[str] = []
        self._start = time.time()
        self._last_update = 0.0
        self._time_after_first_step: float | None = None

    def update(self, current: int, values: Any = None, finalize: bool | None = None) -> None:
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for k, v in values or []:
            if k not in self._values_order:
                self._values_order.append(k)
            if k not in self.stateful_metrics:
                base = max(current - self._seen_so_far, 1)
                if k not in self._values:
                    self._values[k] = [v * base, base]
                else:
                    self._values[k][0] += v * base
                    self._values[k][1] += base
            else:
                self._values[k] = [v, 1]
        self._seen_so_far = current
        now = time.time()
        info = f" - {now - self._start:.0f}s"
        if self.verbose != 1:
            self._last_update = now
            return
        if now - self._last_update < self.interval and not finalize:
            return
        prev_total_width = self._total_width
        message = "\b" * prev_total_width + "\r"
        if self.target is not None:
            numdigits = int(np.log10(self.target)) + 1
            bar = f"{current:{numdigits}d}/{self.target} ["
            prog_width = int(self.width * float(current) / self.target)
            if prog_width > 0:
                bar += "=" * (prog_width - 1) + (">" if current < self.target else "=")
            bar += "." * (self.width - prog_width) + "]"
        else:
            bar = f"{current:7d}/Unknown"
        self._total_width = len(bar)
        message += bar
        time_per_unit = self._estimate_step_duration(current, now)
        if self.target is None or finalize:
            info += format_time(time_per_unit, self.unit_name)
        else:
            eta = time_per_unit * (self.target - current)
            if eta > 3600:
                eta_format = f"{int(eta // 3600)}:{int((eta % 3600) // 60):02d}:{int(eta % 60):02d}"
            elif eta > 60:
                eta_format = f"{int(eta // 60)}:{int(eta % 60):02d}"
            else:
                eta_format = f"{int(eta)}s"
            info = f" - ETA: {eta_format}"
        for k in self._values_order:
            avg = np.mean(self._values[k][0] / max(1, self._values[k][1]))
            info += f" - {k}:" + (f" {avg:.4f}" if abs(avg) > 1e-3 else f" {avg:.4e}")
        self._total_width += len(info)
        if prev_total_width > self._total_width:
            info += " " * (prev_total_width - self._total_width)
        if finalize:
            info += "\n"
        sys.stdout.write(message + info)
        sys.stdout.flush()
        self._last_update = now

    def add(self, n: int, values: Any = None) -> None:
        self.update(self._seen_so_far + n, values)

    def _estimate_step_duration(self, current: int, now: float) -> float:
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            per = (now - self._time_after_first_step) / (current - 1)
        else:
            per = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per
