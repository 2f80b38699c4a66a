"""The step statistics of a traced ``Session.run`` (``RunOptions(trace_level=FULL_TRACE)``
with a ``run_metadata``): when and for how long each op's kernel ran, as TF's
``RunMetadata.step_stats`` records them for one CPU device. The op lines of the compiled
plan are timed through Python's line tracing, switched on for the traced run only, so
untraced runs pay nothing. A fused chain (conv2d + bias + relu) is one kernel: it is
reported under the chain's last op, as varstore runs it."""

from __future__ import annotations

import sys
import threading
import time
from types import FrameType, TracebackType
from typing import Any

from varstore.framework.executor import PLANS_BY_FILE
from varstore.framework.ops import Operation, input_name

__all__ = ["DEVICE", "StepTrace", "tracing_requested"]

DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"
_PREFIX = "<varstore-plan-"


class StepTrace:
    """A context manager that records (plan file, line, start, end) for each op line the
    plans run inside it, in this thread and in threads started within."""

    def __init__(self) -> None:
        self.spans: list[tuple[str, int, float, float]] = []
        self._old: Any = None

    def _local(self, frame: FrameType, event: str, arg: Any) -> Any:
        now = time.time()
        opened = self._open.get(id(frame))
        if opened is not None:
            self.spans.append((frame.f_code.co_filename, opened[0], opened[1], now))
            del self._open[id(frame)]
        if event == "line":
            self._open[id(frame)] = (frame.f_lineno, now)
        return self._local

    def _global(self, frame: FrameType, event: str, arg: Any) -> Any:
        if event == "call" and frame.f_code.co_filename.startswith(_PREFIX):
            return self._local
        return None

    def __enter__(self) -> StepTrace:  # noqa: PYI034 - not subclassed
        self._open: dict[int, tuple[int, float]] = {}
        self._old = sys.gettrace()
        sys.settrace(self._global)
        threading.settrace(self._global)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        sys.settrace(self._old)
        threading.settrace(None)

    def fill(self, run_metadata: Any) -> None:
        """Appends a DeviceStepStats of the traced ops to ``run_metadata.step_stats``: per
        op, its first start and the summed time of its lines."""
        per_op: dict[int, list[Any]] = {}
        order: list[Operation] = []
        for filename, line, start, end in self.spans:
            plan = PLANS_BY_FILE.get(filename)
            op = None if plan is None else plan._line_ops.get(line)
            if op is None:
                continue
            entry = per_op.get(id(op))
            if entry is None:
                per_op[id(op)] = [op, start, end - start]
                order.append(op)
            else:
                entry[2] += end - start
        dev = run_metadata.step_stats.dev_stats.add(device=DEVICE)
        for op in order:
            _, start, spent = per_op[id(op)]
            start_ns = int(start * 1e9)
            spent_ns = max(int(spent * 1e9), 0)
            inputs = ", ".join(input_name(t) for t in op._inputs)
            dev.node_stats.add(
                node_name=op._name, timeline_label=f"{op._name} = {op._type}({inputs})",
                all_start_micros=start_ns // 1000, scheduled_micros=start_ns // 1000,
                op_start_rel_micros=0, op_end_rel_micros=spent_ns // 1000,
                all_end_rel_micros=spent_ns // 1000, all_start_nanos=start_ns,
                scheduled_nanos=start_ns, op_start_rel_nanos=0, op_end_rel_nanos=spent_ns,
                all_end_rel_nanos=spent_ns, thread_id=0)


def tracing_requested(options: Any, run_metadata: Any) -> bool:
    """Whether a run is traced: a run_metadata to fill and a trace_level other than
    NO_TRACE, as TF's DirectSession decides."""
    return run_metadata is not None and bool(getattr(options, "trace_level", 0))
