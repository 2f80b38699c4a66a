"""The queues behind TF1's queue ops: per-session resources that block as TF's do
(tensorflow/core/kernels/queue_base.cc, fifo_queue.cc, padding_fifo_queue.cc,
random_shuffle_queue_op.cc, priority_queue.cc).

A queue keeps its elements (tuples of ndarrays) and two FIFO lists of *attempts*: pending
enqueues (and closes) and pending dequeues. An op that runs adds its attempt and flushes:
the attempts at the head of each list run in turn until none progresses (TF's
FlushUnlocked), so requests are served in arrival order, an enqueue_many fills the queue as
room appears and a dequeue_many takes elements as they come. The thread that added an
attempt waits on the queue's condition until the attempt completes, its run's deadline
passes (DeadlineExceededError "Timed out waiting for notification"; a dequeue_many abandoned
so loses what it had taken, as in TF) or its session closes (CancelledError "Enqueue
operation was cancelled" / "Dequeue operation was cancelled").
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from varstore.errors import (
    CancelledError,
    DeadlineExceededError,
    InternalError,
    InvalidArgumentError,
    OpError,
    OutOfRangeError,
)
from varstore.framework.executor import run_deadline
from varstore.framework.tensor_shape import shape_str
from varstore.ops.random_philox import _philox

__all__ = ["FIFOQueue", "PaddingFIFOQueue", "PriorityQueue", "Queue", "RandomShuffleQueue",
           "private_name"]

_NO_PROGRESS, _PROGRESS, _COMPLETE = 0, 1, 2
_UNBOUNDED = 2**31 - 1  # QueueBase::kUnbounded: a capacity < 0
Dims = tuple[int | None, ...]
Element = tuple[np.ndarray, ...]

# TF's process-wide GenerateUniqueId: a queue without a shared_name is '_<id>_<node name>',
# the id taken when the queue op first runs in a session.
_unique_ids = itertools.count()


def private_name(node_name: str) -> str:
    return f"_{next(_unique_ids)}_{node_name}"


class _Attempt:
    """One pending request: ``run(attempt)`` tries to make progress under the lock."""

    __slots__ = ("done", "error", "requested", "result", "run", "taken")

    def __init__(self, requested: int, run: Callable[[_Attempt], int]) -> None:
        self.requested = requested
        self.run = run
        self.done = False
        self.error: OpError | None = None
        self.result: Any = None
        self.taken: list[Element] = []  # a dequeue_many's elements so far


class Queue:
    """TF's QueueBase over a FIFO store (FIFOQueue)."""

    type_name = "FIFOQueue"   # TF's class, as a shared queue's mismatch names it
    kind = "FIFOQueue"        # the class named by enqueue/dequeue messages
    many_kind = "FIFOQueue"   # ... and by dequeue_many's
    unspecified = ("FIFOQueue's DequeueMany and DequeueUpTo require the components to have "
                   "specified shapes.")

    def __init__(self, name: str, capacity: int, dtypes: Sequence[np.dtype[Any]],
                 shapes: Sequence[Dims] | None) -> None:
        self.name = name
        self.capacity = capacity if capacity >= 0 else _UNBOUNDED
        self.dtypes = list(dtypes)
        self.shapes = None if not shapes else [tuple(s) for s in shapes]
        self._closed = False
        self._cancelled = False  # the session closed
        self._cond = threading.Condition(threading.Lock())
        self._enqueues: deque[_Attempt] = deque()
        self._dequeues: deque[_Attempt] = deque()
        self._items: deque[Element] = deque()

    # -- the store (overridden by each kind) ----------------------------------------------
    def _size(self) -> int:
        return len(self._items)

    def _push(self, element: Element) -> None:
        self._items.append(element)

    def _pop(self) -> Element:
        return self._items.popleft()

    def _restore(self, taken: list[Element]) -> None:
        """A failed dequeue_many puts back what it took, at the front."""
        self._items.extendleft(reversed(taken))

    def _available(self, size: int) -> int:
        return size

    def _assemble(self, taken: list[Element]) -> Element:
        return tuple(np.stack([e[i] for e in taken]) for i in range(len(self.dtypes)))

    def _empty_batch(self) -> Element:
        shapes = self.shapes or [()] * len(self.dtypes)
        return tuple(np.zeros((0, *(d or 0 for d in s)), dt)
                     for s, dt in zip(shapes, self.dtypes))

    # -- element checks (the kernels' ValidateTuple / ValidateManyTuple) ------------------
    def _fits(self, want: Dims, got: tuple[int, ...]) -> bool:
        return want == got

    def validate(self, comps: Sequence[np.ndarray]) -> None:
        if self.shapes is None:
            return
        for i, (c, want) in enumerate(zip(comps, self.shapes)):
            if not self._fits(want, c.shape):
                raise InvalidArgumentError(None, None, f"Shape mismatch in tuple component {i}. "
                                           f"Expected {shape_str(want)}, got {shape_str(c.shape)}")

    def validate_many(self, comps: Sequence[np.ndarray]) -> int:
        for i, c in enumerate(comps):
            if c.ndim == 0:  # TF reads a size a scalar does not have; varstore says so
                raise InvalidArgumentError(None, None, f"Shape mismatch in tuple component {i}. "
                                           "Expected a batch of elements (rank >= 1), got []")
        batch = int(comps[0].shape[0])
        if self.shapes is not None:
            for i, (c, want) in enumerate(zip(comps, self.shapes)):
                expected = (batch, *want)
                if not self._fits(expected, c.shape):
                    raise InvalidArgumentError(
                        None, None, f"Shape mismatch in tuple component {i}. Expected "
                        f"{shape_str(expected)}, got {shape_str(c.shape)}")
        else:
            for i, c in enumerate(comps[1:], 1):
                if c.shape[0] != batch:
                    raise InvalidArgumentError(
                        None, None, "All input tensors must have the same size in the 0th "
                        f"dimension. Component {i} has {c.shape[0]}, and should have {batch}")
        return batch

    # -- the attempt machinery -------------------------------------------------------------
    def _flush(self) -> None:
        changed = False
        while True:
            progress = self._try(self._enqueues)
            progress = self._try(self._dequeues) or progress
            if not progress:
                break
            changed = True
        if changed:
            self._cond.notify_all()

    @staticmethod
    def _try(attempts: deque[_Attempt]) -> bool:
        progress = False
        while attempts:
            a = attempts[0]
            try:
                r = a.run(a)
            except OpError as exc:
                a.error, r = exc, _COMPLETE
            except Exception as exc:  # noqa: BLE001 - handed to the thread that waits on it
                a.error, r = InternalError(None, None, str(exc)), _COMPLETE
            if r == _NO_PROGRESS:
                break
            progress = True
            if r == _PROGRESS:
                break
            a.done = True
            attempts.popleft()
        return progress

    def _abandon(self, attempts: deque[_Attempt], attempt: _Attempt) -> None:
        attempt.done = True
        if attempt in attempts:
            attempts.remove(attempt)
            self._flush()  # the requests behind it may proceed now

    def _submit(self, attempts: deque[_Attempt], attempt: _Attempt, op: Any,
                action: str) -> Any:
        deadline = run_deadline()
        with self._cond:
            if self._cancelled:
                raise CancelledError(None, None, f"{action} operation was cancelled")
            attempts.append(attempt)
            try:
                self._flush()
                while not attempt.done:
                    if deadline is None:
                        self._cond.wait()
                        continue
                    left = deadline - time.monotonic()
                    if left <= 0:
                        self._abandon(attempts, attempt)
                        raise DeadlineExceededError(None, op,
                                                    "Timed out waiting for notification")
                    self._cond.wait(left)
            except BaseException:
                self._abandon(attempts, attempt)
                raise
        if attempt.error is not None:
            raise attempt.error
        return attempt.result

    def session_closed(self) -> None:
        """Session.close: every pending request ends with CancelledError."""
        with self._cond:
            self._cancelled = True
            for attempts, action in ((self._enqueues, "Enqueue"), (self._dequeues, "Dequeue")):
                for a in attempts:
                    a.error = CancelledError(None, None, f"{action} operation was cancelled")
                    a.done = True
                attempts.clear()
            self._cond.notify_all()

    def _closed_error(self) -> CancelledError:
        return CancelledError(None, None, f"{self.kind} '{self.name}' is closed.")

    def _insufficient(self, kind: str, requested: int, size: int) -> OutOfRangeError:
        return OutOfRangeError(None, None, f"{kind} '{self.name}' is closed and has insufficient "
                               f"elements (requested {requested}, current size {size})")

    # -- the ops ---------------------------------------------------------------------------
    def enqueue(self, op: Any, comps: Sequence[np.ndarray]) -> None:
        self.validate(comps)
        # private copies, in the queue's dtypes (a string slice is bytes: kept an object)
        element = tuple(np.array(c, dtype=dt) for c, dt in zip(comps, self.dtypes))

        def run(a: _Attempt) -> int:
            if self._closed:
                a.error = self._closed_error()
                return _COMPLETE
            if self._size() < self.capacity:
                self._push(element)
                return _COMPLETE
            return _NO_PROGRESS

        self._submit(self._enqueues, _Attempt(1, run), op, "Enqueue")

    def enqueue_many(self, op: Any, comps: Sequence[np.ndarray]) -> None:
        batch = self.validate_many(comps)
        if batch == 0:
            return  # TF completes an empty batch at once, closed queue or not

        def run(a: _Attempt) -> int:
            if self._closed:
                a.error = self._closed_error()
                return _COMPLETE
            result = _NO_PROGRESS
            while self._size() < self.capacity:
                result = _PROGRESS
                i = batch - a.requested
                self._push(tuple(np.array(c[i], dtype=dt) for c, dt in zip(comps, self.dtypes)))
                a.requested -= 1
                if a.requested == 0:
                    return _COMPLETE
            return result

        self._submit(self._enqueues, _Attempt(batch, run), op, "Enqueue")

    def dequeue(self, op: Any) -> Element:
        def run(a: _Attempt) -> int:
            size = self._size()
            if self._closed and size == 0:
                a.error = self._insufficient(self.kind, 1, 0)
                return _COMPLETE
            if self._available(size) > 0:
                a.result = self._pop()
                return _COMPLETE
            return _NO_PROGRESS

        return self._submit(self._dequeues, _Attempt(1, run), op, "Dequeue")  # type: ignore[no-any-return]

    def dequeue_many(self, op: Any, n: int, allow_small_batch: bool) -> Element:
        if self.shapes is None:
            raise InvalidArgumentError(None, None, self.unspecified)
        if n == 0:
            return self._empty_batch()

        def run(a: _Attempt) -> int:
            size = self._size()
            if self._closed and size < a.requested:
                if a.taken:
                    self._restore(a.taken)
                    a.taken = []
                if allow_small_batch and self._size() > 0:
                    size = self._size()  # all that is left
                    a.requested = size
                else:
                    if allow_small_batch and self._enqueues:
                        return _PROGRESS  # pending enqueues may still add elements
                    a.error = self._insufficient(self.many_kind, a.requested, size)
                    return _COMPLETE
            result = _NO_PROGRESS
            size = self._available(size)
            while size > 0:
                result = _PROGRESS
                a.taken.append(self._pop())
                a.requested -= 1
                if a.requested == 0:
                    a.result = self._assemble(a.taken)
                    return _COMPLETE
                size -= 1
            return result

        return self._submit(self._dequeues, _Attempt(n, run), op, "Dequeue")  # type: ignore[no-any-return]

    def close(self, op: Any, cancel_pending_enqueues: bool) -> None:
        if cancel_pending_enqueues:
            with self._cond:
                self._closed = True
                for a in self._enqueues:
                    a.error = CancelledError(None, None, "Enqueue operation was cancelled")
                    a.done = True
                self._enqueues.clear()
                self._flush()
                self._cond.notify_all()
            return

        def run(a: _Attempt) -> int:
            # a close waits behind the pending enqueues, as an enqueue of nothing
            if self._closed:
                a.error = CancelledError(None, None, f"Queue '{self.name}' is already closed.")
            else:
                self._closed = True
            return _COMPLETE

        self._submit(self._enqueues, _Attempt(0, run), op, "Enqueue")

    def size(self) -> int:
        with self._cond:
            return self._size()

    def is_closed(self) -> bool:
        with self._cond:
            return self._closed


class FIFOQueue(Queue):
    pass


class PaddingFIFOQueue(Queue):
    """A FIFOQueue whose shapes may have unknown dimensions: dequeue_many pads each
    component with zeros (b"" for strings) to the largest element of the batch."""

    type_name = many_kind = "PaddingFIFOQueue"

    def _fits(self, want: Dims, got: tuple[int, ...]) -> bool:
        return len(want) == len(got) and all(w is None or w == g for w, g in zip(want, got))

    def _assemble(self, taken: list[Element]) -> Element:
        out = []
        assert self.shapes is not None
        for i, (shape, dt) in enumerate(zip(self.shapes, self.dtypes)):
            parts = [e[i] for e in taken]
            if None not in shape:
                out.append(np.stack(parts))
                continue
            dims = tuple(d if d is not None else max(p.shape[j] for p in parts)
                         for j, d in enumerate(shape))
            batch = np.full((len(parts), *dims), b"" if dt == object else 0, dtype=dt)
            for k, p in enumerate(parts):
                where: tuple[Any, ...] = (k, *(slice(0, d) for d in p.shape))
                batch[where] = p
            out.append(batch)
        return tuple(out)


class _PhiloxSampler:
    """TF's SingleSampleAdapter<PhiloxRandom(seed, seed2)>: successive 32-bit draws, four
    per 128-bit counter, the counter starting at seed2 << 64 (computed 64 counters ahead)."""

    _CHUNK = 64

    def __init__(self, seed: int, seed2: int) -> None:
        seed &= 2**64 - 1
        seed2 &= 2**64 - 1
        self._key = (seed & 0xFFFFFFFF, seed >> 32)
        self._counter = seed2 << 64
        self._buf: list[int] = []
        self._pos = 0

    def __call__(self) -> int:
        if self._pos == len(self._buf):
            c = np.array([(self._counter + k) % 2**128 for k in range(self._CHUNK)], dtype=object)
            words = np.stack([(c >> s) & 0xFFFFFFFF for s in (0, 32, 64, 96)], axis=1)
            self._counter = (self._counter + self._CHUNK) % 2**128
            self._buf = _philox(words.astype(np.uint64), self._key).reshape(-1).tolist()
            self._pos = 0
        v = self._buf[self._pos]
        self._pos += 1
        return int(v)


class RandomShuffleQueue(Queue):
    """Dequeues a uniformly drawn element (TF's draw: Philox(seed, seed2) % size, the hole
    filled by the last element); an open queue keeps min_after_dequeue elements."""

    type_name = kind = many_kind = "RandomShuffleQueue"
    unspecified = ("RandomShuffleQueue's DequeueMany and DequeueUpTo require the components "
                   "to have specified shapes.")

    def __init__(self, name: str, capacity: int, dtypes: Sequence[np.dtype[Any]],
                 shapes: Sequence[Dims] | None, min_after_dequeue: int, seed: int,
                 seed2: int) -> None:
        super().__init__(name, capacity, dtypes, shapes)
        self.min_after_dequeue = min_after_dequeue
        if seed == 0 and seed2 == 0:  # both unset: a random stream
            rng = random.SystemRandom()
            seed, seed2 = rng.getrandbits(64), rng.getrandbits(64)
        self._draw = _PhiloxSampler(seed, seed2)
        self._list: list[Element] = []

    def _size(self) -> int:
        return len(self._list)

    def _push(self, element: Element) -> None:
        self._list.append(element)

    def _pop(self) -> Element:
        items = self._list
        i = self._draw() % len(items)
        element = items[i]
        items[i] = items[-1]
        items.pop()
        return element

    def _restore(self, taken: list[Element]) -> None:
        self._list.extend(reversed(taken))

    def _available(self, size: int) -> int:
        return size if self._closed else size - self.min_after_dequeue


def _before(a: tuple[int, Element], b: tuple[int, Element]) -> bool:
    return a[0] > b[0]  # ComparePriorityTensorPair: the smallest priority is the top


def _sift_up(h: list[tuple[int, Element]], hole: int, top: int,
             value: tuple[int, Element]) -> None:
    parent = (hole - 1) // 2
    while hole > top and _before(h[parent], value):
        h[hole] = h[parent]
        hole = parent
        parent = (hole - 1) // 2
    h[hole] = value


def _heap_pop(h: list[tuple[int, Element]]) -> tuple[int, Element]:
    """libstdc++'s pop_heap + pop_back (so ties leave in TF's order)."""
    top = h[0]
    n = len(h) - 1
    if n > 0:
        value = h[n]
        h[n] = top
        hole = second = 0
        while second < (n - 1) // 2:
            second = 2 * (second + 1)
            if _before(h[second], h[second - 1]):
                second -= 1
            h[hole] = h[second]
            hole = second
        if n % 2 == 0 and second == (n - 2) // 2:
            second = 2 * (second + 1)
            h[hole] = h[second - 1]
            hole = second - 1
        _sift_up(h, hole, 0, value)
    h.pop()
    return top


class PriorityQueue(Queue):
    """Dequeues the smallest int64 priority (component 0) first, in a binary heap laid out
    as libstdc++'s std::priority_queue lays it out, so equal priorities leave in TF's order.
    dequeue_many waits until it can take the whole batch at once."""

    type_name = kind = many_kind = "PriorityQueue"
    unspecified = "PriorityQueue's DequeueMany requires the components to have specified shapes."

    def __init__(self, name: str, capacity: int, dtypes: Sequence[np.dtype[Any]],
                 shapes: Sequence[Dims] | None) -> None:
        super().__init__(name, capacity, dtypes, shapes)
        self._heap: list[tuple[int, Element]] = []

    def _size(self) -> int:
        return len(self._heap)

    def _push(self, element: Element) -> None:
        p = element[0]
        if p.ndim != 0:
            raise InvalidArgumentError(None, None, "Expected the priority element to be a "
                                       f"scalar, but received shape: {shape_str(p.shape)}")
        h = self._heap
        h.append((int(p), element))
        _sift_up(h, len(h) - 1, 0, h[-1])

    def _pop(self) -> Element:
        return _heap_pop(self._heap)[1]

    def dequeue_many(self, op: Any, n: int, allow_small_batch: bool) -> Element:
        if self.shapes is None:
            raise InvalidArgumentError(None, None, self.unspecified)
        if n == 0:
            return self._empty_batch()

        def run(a: _Attempt) -> int:
            s = self._size()
            if self._closed and (s == 0 or (not allow_small_batch and s < a.requested)):
                a.error = self._insufficient(self.many_kind, a.requested, s)
                return _COMPLETE
            if s < a.requested and (s == 0 or not (self._closed and allow_small_batch)):
                return _NO_PROGRESS  # sorted batches: wait until the whole batch is there
            result = _NO_PROGRESS
            while s > 0:
                result = _PROGRESS
                a.taken.append(self._pop())
                a.requested -= 1
                if a.requested == 0:
                    a.result = self._assemble(a.taken)
                    return _COMPLETE
                s -= 1
            return result

        return self._submit(self._dequeues, _Attempt(n, run), op, "Dequeue")  # type: ignore[no-any-return]
