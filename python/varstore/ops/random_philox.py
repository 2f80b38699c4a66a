"""TF's Philox-4x32-10 streams and the distributions its stateful random kernels draw.

TF's RandomUniform, RandomStandardNormal, TruncatedNormal and RandomUniformInt keep one
``GuardedPhiloxRandom`` per kernel (per session and op), keyed by the op's ``seed`` and
counter-started by ``seed2``. Each run reserves ``256 * n`` 128-bit counters for an output of
``n`` elements and fills it from the start of that reservation, so the k-th run of a seeded op
gives the same values as TF's k-th run. This module reproduces that bit for bit: the Philox
blocks and the normal and truncated-normal samplers run in C++ (_core.kernels.philox_*, which
calls the C library's logf / sincosf / log / sincos in TF's order and types), the rest in NumPy.

References: tensorflow/core/lib/random/philox_random.h, random_distributions.h,
core/kernels/random_op_cpu.h, core/util/guarded_philox_random.h.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable
from typing import Literal

import numpy as np

from varstore._core import kernels as _kernels

__all__ = ["PhiloxStream", "SimplePhilox"]

_M0 = np.uint64(0xD2511F53)
_M1 = np.uint64(0xCD9E8D57)
_W0 = 0x9E3779B9
_W1 = 0xBB67AE85
_MASK32 = np.uint64(0xFFFFFFFF)
_U32 = np.uint64(32)
# Every output element reserves 256 counters (GuardedPhiloxRandom::ReserveRandomOutputs).
_RESERVED_PER_OUTPUT = 256
_FloatName = Literal["float32", "float64"]


def _philox(counters: np.ndarray, key: tuple[int, int]) -> np.ndarray:
    """Philox-4x32-10 of each row of ``counters`` ((n, 4) uint64 holding 32-bit words)."""
    c0, c1, c2, c3 = (counters[:, i].copy() for i in range(4))
    k0, k1 = key
    for r in range(10):
        p0 = _M0 * c0
        p1 = _M1 * c2
        hi0, lo0 = p0 >> _U32, p0 & _MASK32
        hi1, lo1 = p1 >> _U32, p1 & _MASK32
        c0 = hi1 ^ c1 ^ np.uint64(k0)
        c1 = lo1
        c2 = hi0 ^ c3 ^ np.uint64(k1)
        c3 = lo0
        if r < 9:
            k0 = (k0 + _W0) & 0xFFFFFFFF
            k1 = (k1 + _W1) & 0xFFFFFFFF
    return np.stack([c0, c1, c2, c3], axis=1).astype(np.uint32)


def _uint32_to_float(x: np.ndarray) -> np.ndarray:
    """[0, 1) floats from the 23 low bits, as TF's Uint32ToFloat: 1.mantissa - 1."""
    bits = (x & np.uint32(0x7FFFFF)) | np.uint32(0x3F800000)
    out: np.ndarray = bits.view(np.float32) - np.float32(1.0)
    return out


def _uint64_to_double(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    man = ((hi.astype(np.uint64) & np.uint64(0xFFFFF)) << _U32) | lo.astype(np.uint64)
    out: np.ndarray = (man | np.uint64(0x3FF0000000000000)).view(np.float64) - 1.0
    return out


class PhiloxStream:
    """One kernel's generator: a 64-bit key from ``seed`` and a 128-bit counter whose high
    half is ``seed2``. Both zero means an unseeded op: a fresh random key, as TF's New64."""

    __slots__ = ("_counter", "_key", "lock")

    def __init__(self, seed: int, seed2: int) -> None:
        if seed == 0 and seed2 == 0:
            seed = int.from_bytes(os.urandom(8), "little")
            seed2 = int.from_bytes(os.urandom(8), "little")
        seed &= (1 << 64) - 1
        seed2 &= (1 << 64) - 1
        self._key = (seed & 0xFFFFFFFF, seed >> 32)
        self._counter = seed2 << 64  # the 128-bit counter: words 2 and 3 hold seed2
        self.lock = threading.Lock()

    @classmethod
    def at(cls, key: int, counter: int) -> PhiloxStream:
        """A stream at an explicit 64-bit key and 128-bit counter (TF's stateless ops: the
        key and counter tensors of StatelessRandomGetKeyCounter, words low first)."""
        self = cls.__new__(cls)
        self._key = (key & 0xFFFFFFFF, (key >> 32) & 0xFFFFFFFF)
        self._counter = counter % (1 << 128)
        self.lock = threading.Lock()
        return self

    def _reserve(self, n: int) -> int:
        with self.lock:
            start = self._counter
            self._counter = (start + _RESERVED_PER_OUTPUT * n) % (1 << 128)
        return start

    def _key64(self) -> int:
        return self._key[0] | (self._key[1] << 32)

    def _blocks(self, start: int, offsets: np.ndarray) -> np.ndarray:
        """Philox outputs (len(offsets), 4) uint32 at counters ``start + offsets``."""
        out: np.ndarray = _kernels.philox_blocks(
            self._key64(), start & ((1 << 64) - 1), start >> 64,
            np.ascontiguousarray(offsets, np.uint64).reshape(-1))
        return out

    def _words(self, n: int, group_outputs: int) -> np.ndarray:
        """The uint32 words of ceil(n / group_outputs) groups, one Philox block per group."""
        groups = -(-n // group_outputs)
        start = self._reserve(n)
        return self._blocks(start, np.arange(groups, dtype=np.uint64)).reshape(groups, 4)

    def reserve_samples32(self, samples: int) -> SimplePhilox:
        """GuardedPhiloxRandom::ReserveSamples32: a reader of the words from the current
        counter on, the generator skipping ``ceil(samples / 4)`` counters past them. A reader
        that needs more words than it reserved goes on reading past the reservation, as TF's
        copy of the generator does."""
        with self.lock:
            start = self._counter
            self._counter = (start + (samples + 3) // 4) % (1 << 128)
        return SimplePhilox(self, start)

    def uniform(self, n: int, dtype: np.dtype) -> np.ndarray:
        """RandomUniform: [0, 1) values, 4 floats or 2 doubles per block."""
        if np.dtype(dtype) == np.float64:
            w = self._words(n, 2)
            out = np.stack([_uint64_to_double(w[:, 0], w[:, 1]),
                            _uint64_to_double(w[:, 2], w[:, 3])], axis=1)
            return out.reshape(-1)[:n]
        w = self._words(n, 4)
        out32 = _uint32_to_float(w.reshape(-1))[:n]
        if np.dtype(dtype) == np.float16:
            # TF's half: 10 mantissa bits of the first word, 1.mantissa - 1.
            bits = (w.reshape(-1)[:n] & np.uint32(0x3FF)).astype(np.uint16) | np.uint16(0x3C00)
            return bits.view(np.float16) - np.float16(1.0)  # type: ignore[no-any-return]
        return out32

    def normal(self, n: int, dtype: np.dtype) -> np.ndarray:
        """RandomStandardNormal: Box-Muller over word pairs (4 floats or 2 doubles a block;
        half is TF's float values rounded)."""
        return self._sample(_kernels.philox_normal, n, dtype)

    def truncated_normal(self, n: int, dtype: np.dtype) -> np.ndarray:
        """TruncatedNormal: each group of outputs reads single words from its own run of
        256 counters per output, keeping Box-Muller values with |x| < 2 (float and half:
        groups of 4 from word pairs; double: groups of 2 from word quadruples)."""
        return self._sample(_kernels.philox_truncated_normal, n, dtype)

    def _sample(self, kernel: Callable[[int, int, int, int, _FloatName], np.ndarray], n: int,
                dtype: np.dtype) -> np.ndarray:
        start = self._reserve(n)
        double = np.dtype(dtype) == np.float64
        name: _FloatName = "float64" if double else "float32"
        out = kernel(self._key64(), start & ((1 << 64) - 1), start >> 64, n, name)
        return out if double else out.astype(dtype, copy=False)

    def multinomial(self, logits: np.ndarray, num_samples: int) -> np.ndarray:
        """Multinomial's CPU kernel: per row an unnormalised CDF of exp(logit - max) over the
        finite logits, each sample ``upper_bound(cdf, RandDouble() * total)``. TF shards the
        rows (work_sharder.py); a shard's rows read one SimplePhilox stream in order, from
        ``start_row * (num_samples + 3) / 4`` blocks past the reservation."""
        from varstore.ops.work_sharder import shards

        batch, classes = logits.shape
        ceil4 = -(-num_samples // 4) * 4 * 2  # CPU draws doubles: two words a sample
        start = self._reserve(batch * ceil4)
        cost = int(50 * (num_samples * math.log(classes) / math.log(2) + classes))
        u = np.empty((batch, num_samples), np.float64)
        for lo, hi in shards(batch, cost):
            need = (hi - lo) * num_samples * 2  # words
            skip = lo * (num_samples + 3) // 4
            offs = np.arange(skip, skip + -(-need // 4), dtype=np.uint64)
            words = self._blocks(start, offs).reshape(-1)[:need]
            u[lo:hi] = _uint64_to_double(words[0::2], words[1::2]).reshape(hi - lo,
                                                                          num_samples)
        x = logits.astype(np.float64)
        finite = np.isfinite(x)
        mx = np.where(finite, x, -np.inf).max(axis=1, keepdims=True)
        mx = np.where(np.isfinite(mx), mx, np.finfo(np.float64).min)
        with np.errstate(over="ignore", invalid="ignore"):
            p = np.where(finite, np.exp(x - mx), 0.0)
        cdf = np.cumsum(p, axis=1)
        out = np.empty((batch, num_samples), np.int64)
        for b in range(batch):
            out[b] = np.searchsorted(cdf[b], u[b] * cdf[b, -1], side="right")
        return out

    def shuffle_permutation(self, size: int) -> np.ndarray:
        """RandomShuffle's permutation of ``size`` rows: TF's Fisher-Yates, swapping row i
        with row ``i + word % (size - i)``, the words read in order from ``ceil((size-1)/4)``
        reserved counters (ReserveSamples32)."""
        samples = size - 1
        with self.lock:
            start = self._counter
            self._counter = (start + (samples + 3) // 4) % (1 << 128)
        blocks = (samples + 3) // 4
        words = self._blocks(start, np.arange(blocks, dtype=np.uint64)).reshape(-1)[:samples]
        perm = np.arange(size, dtype=np.int64)
        for i, w in enumerate(words.tolist()):
            j = i + w % (size - i)
            perm[i], perm[j] = perm[j], perm[i]
        return perm

    def uniform_int(self, n: int, lo: int, hi: int, dtype: np.dtype) -> np.ndarray:
        """RandomUniformInt: ``lo + word % (hi - lo)``, one word (int32) or two (int64)."""
        rng = hi - lo
        if np.dtype(dtype) == np.int64:
            w = self._words(n, 2).astype(np.uint64)
            bits = np.stack([w[:, 0] | (w[:, 1] << _U32), w[:, 2] | (w[:, 3] << _U32)], axis=1)
            vals = bits.reshape(-1)[:n] % np.uint64(rng)
            out: np.ndarray = vals.astype(np.int64) + lo
            return out
        w = self._words(n, 4).reshape(-1)[:n]
        vals = w % np.uint32(rng)
        out32: np.ndarray = (vals.astype(np.int64) + lo).astype(dtype)
        return out32


class SimplePhilox:
    """TF's SimplePhilox over a copy of a PhiloxStream's generator (random/simple_philox.h):
    single 32-bit words, read in order from consecutive Philox blocks. Blocks are made in
    batches of ``_BATCH`` and held as Python ints, since its users draw word by word."""

    __slots__ = ("_next_block", "_pos", "_stream", "_words")
    _BATCH = 64

    def __init__(self, stream: PhiloxStream, start: int) -> None:
        self._stream = stream
        self._next_block = start
        self._words: list[int] = []
        self._pos = 0

    def rand32(self) -> int:
        if self._pos == len(self._words):
            blocks = self._stream._blocks(self._next_block,
                                          np.arange(self._BATCH, dtype=np.uint64))
            self._next_block = (self._next_block + self._BATCH) % (1 << 128)
            self._words = blocks.reshape(-1).tolist()
            self._pos = 0
        w = self._words[self._pos]
        self._pos += 1
        return w

    def rand64(self) -> int:
        lo = self.rand32()
        return lo | (self.rand32() << 32)

    def rand_float(self) -> np.float32:
        """[0, 1) from one word (Uint32ToFloat)."""
        bits = np.uint32((self.rand32() & 0x7FFFFF) | 0x3F800000)
        return bits.view(np.float32) - np.float32(1.0)  # type: ignore[no-any-return]

    def rand_double(self) -> float:
        """[0, 1) from two words, the first giving the 20 high mantissa bits
        (Uint64ToDouble)."""
        x0 = self.rand32()
        man = ((x0 & 0xFFFFF) << 32) | self.rand32()
        return float(np.uint64(man | 0x3FF0000000000000).view(np.float64)) - 1.0

    def uniform(self, n: int) -> int:
        """An exact uniform integer in [0, n) from 32-bit words (ExactUniformInt<uint32>)."""
        return _exact_uniform_int(n, 32, self.rand32)

    def uniform64(self, n: int) -> int:
        """An exact uniform integer in [0, n) from 64-bit draws (ExactUniformInt<uint64>)."""
        return _exact_uniform_int(n, 64, self.rand64)


def _exact_uniform_int(n: int, bits: int, draw: Callable[[], int]) -> int:
    """TF's ExactUniformInt: a power of two masks the draw; otherwise draws below
    ``(2**bits - 1) % n + 1`` are rejected and the rest taken mod n."""
    if n == 0:
        draw()  # TF consumes a value anyway
        return 0
    if n & (n - 1) == 0:
        return draw() & (n - 1)
    rem = ((1 << bits) - 1) % n + 1
    rnd = draw()
    while rnd < rem:
        rnd = draw()
    return rnd % n
