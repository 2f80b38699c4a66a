"""The top-level ``tf.*`` names of TF1's queues (TF's data_flow_ops).

``varstore/__init__.py`` star-imports this module; ``__all__`` is what it re-exports."""

from varstore.ops.file_io_ops import matching_files
from varstore.ops.queue_ops import (
    FIFOQueue,
    PaddingFIFOQueue,
    PriorityQueue,
    QueueBase,
    RandomShuffleQueue,
)

__all__ = [
    "FIFOQueue",
    "PaddingFIFOQueue",
    "PriorityQueue",
    "QueueBase",
    "RandomShuffleQueue",
    "matching_files",
]
