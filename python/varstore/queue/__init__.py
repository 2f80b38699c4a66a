"""``tf.queue``: TF1's queues (``tf.queue.FIFOQueue`` ...), the same classes as ``tf.FIFOQueue``."""

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
]
