"""TF's range samplers (core/kernels/range_sampler.cc), the kernels of the candidate samplers.

Each sampler draws values in [0, range) from a SimplePhilox reader (random_philox.py) exactly
as TF's C++ does, word for word: the uniform sampler's ``Uniform64``, the log-uniform
sampler's ``exp(RandDouble() * log1p(range)) - 1``, the fixed unigram sampler's Walker alias
table (random/distribution_sampler.cc) and the learned unigram sampler's WeightedPicker
(random/weighted_picker.cc). So seeded ops give TF's candidates.

The expected counts are TF's float arithmetic too: TF computes them in single precision with
the C library's ``log1pf`` / ``expm1f`` / ``powf``, whose results differ from NumPy's float32
functions in the last bit for many inputs, so they are called through ctypes (NumPy's are a
fallback where no C math library can be loaded). The doubles of the log-uniform sampler use
Python's ``math`` functions, which are the C library's too.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
from collections.abc import Callable, Sequence

import numpy as np

from varstore.ops.random_philox import SimplePhilox

__all__ = [
    "AllSampler",
    "FixedUnigramSampler",
    "LogUniformSampler",
    "RangeSampler",
    "UniformSampler",
    "UnigramSampler",
]

_KINT32MAX = 2**31 - 1
_F32 = np.float32
FloatFn = Callable[[float], float]


def _libm_float_functions() -> tuple[FloatFn, FloatFn, Callable[[float, float], float]] | None:
    """The C library's log1pf, expm1f and powf (TF's std::log1p / expm1 / pow of floats)."""
    name = ctypes.util.find_library("m")
    if name is None:
        return None
    try:
        libm = ctypes.CDLL(name)
        fns = libm.log1pf, libm.expm1f, libm.powf
    except (OSError, AttributeError):
        return None
    for f in fns:
        f.restype = ctypes.c_float
    fns[0].argtypes = fns[1].argtypes = [ctypes.c_float]
    fns[2].argtypes = [ctypes.c_float, ctypes.c_float]
    return fns[0], fns[1], fns[2]


_LIBM = _libm_float_functions()


def _log1pf(x: np.float32) -> np.float32:
    if _LIBM is None:
        return np.log1p(x, dtype=_F32)  # type: ignore[no-any-return]
    out: np.float32 = np.float32(_LIBM[0](float(x)))
    return out


def _expm1f(x: np.float32) -> np.float32:
    if _LIBM is None:
        return np.expm1(x, dtype=_F32)  # type: ignore[no-any-return]
    out: np.float32 = np.float32(_LIBM[1](float(x)))
    return out


def _powf(x: np.float32, y: np.float32) -> np.float32:
    if _LIBM is None:
        return np.power(x, y, dtype=_F32)  # type: ignore[no-any-return]
    out: np.float32 = np.float32(_LIBM[2](float(x), float(y)))
    return out


def expected_counts(p: np.ndarray, batch_size: int, num_tries: int) -> np.ndarray:
    """TF's ExpectedCountHelper over float32 probabilities: ``p * batch_size`` when every try
    was kept (always so without ``unique``), else ``1 - (1 - p) ** num_tries`` as
    ``-expm1f(num_tries * log1pf(-p))``."""
    p = np.asarray(p, _F32)
    if num_tries == batch_size:
        out: np.ndarray = p * _F32(batch_size)
        return out
    tries = _F32(num_tries)
    cache: dict[float, np.float32] = {}
    flat = p.reshape(-1)
    res = np.empty(flat.shape, _F32)
    for i, v in enumerate(flat.tolist()):
        r = cache.get(v)
        if r is None:
            r = cache[v] = -_expm1f(tries * _log1pf(-_F32(v)))
        res[i] = r
    return res.reshape(p.shape)


class RangeSampler:
    """A sampler of integers in [0, range): ``sample`` one value, ``probability`` of values
    (float32, TF's ``Probability``), and TF's SampleBatchGetExpectedCount."""

    needs_updates = False

    def __init__(self, range_: int) -> None:
        self.range = int(range_)

    def sample(self, rnd: SimplePhilox) -> int:
        raise NotImplementedError

    def probability(self, values: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def update(self, values: np.ndarray) -> None:
        raise NotImplementedError("Update not supported for this sampler type.")

    def sample_batch(self, rnd: SimplePhilox, unique: bool, batch_size: int,
                     extras: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(batch, its expected counts, the extras' expected counts). With ``unique`` a value
        already in the batch is drawn again, and ``num_tries`` counts every draw."""
        batch = np.empty(batch_size, np.int64)
        if unique:
            used: set[int] = set()
            num_picked = num_tries = 0
            while num_picked < batch_size:
                num_tries += 1
                value = self.sample(rnd)
                if value not in used:
                    used.add(value)
                    batch[num_picked] = value
                    num_picked += 1
        else:
            for i in range(batch_size):
                batch[i] = self.sample(rnd)
            num_tries = batch_size
        return (batch, expected_counts(self.probability(batch), batch_size, num_tries),
                expected_counts(self.probability(extras), batch_size, num_tries))


class AllSampler(RangeSampler):
    """Every value of the range, in order, each with expected count 1 (no draws)."""

    def sample_batch(self, rnd: SimplePhilox, unique: bool, batch_size: int,
                     extras: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return (np.arange(batch_size, dtype=np.int64), np.ones(batch_size, _F32),
                np.ones(extras.shape, _F32))


class UniformSampler(RangeSampler):
    def __init__(self, range_: int) -> None:
        super().__init__(range_)
        self._inv_range = _F32(1.0 / self.range)  # a double quotient stored as float

    def sample(self, rnd: SimplePhilox) -> int:
        return rnd.uniform64(self.range)

    def probability(self, values: np.ndarray) -> np.ndarray:
        return np.full(np.shape(values), self._inv_range, _F32)


class LogUniformSampler(RangeSampler):
    """P(v) = log((v + 2) / (v + 1)) / log(range + 1), in doubles rounded to float."""

    def __init__(self, range_: int) -> None:
        super().__init__(range_)
        self._log_range = math.log1p(self.range)

    def sample(self, rnd: SimplePhilox) -> int:
        value = int(math.exp(rnd.rand_double() * self._log_range)) - 1
        return value % self.range  # TF's guard against roundoff past the range

    def probability(self, values: np.ndarray) -> np.ndarray:
        flat = np.asarray(values).reshape(-1).tolist()
        out = [math.log((v + 2.0) / (v + 1.0)) / self._log_range for v in flat]
        return np.asarray(out, np.float64).astype(_F32).reshape(np.shape(values))


class UnigramSampler(RangeSampler):
    """The learned unigram sampler: TF's WeightedPicker over integer weights, all 1 at the
    start, each true class adding 1 after every batch (``update``). Picking the leaf of a
    uniform position in [0, total) is a search of the weights' running sums."""

    needs_updates = True

    def __init__(self, range_: int) -> None:
        super().__init__(range_)
        self._weights = np.ones(self.range, np.int64)
        self._cumsum = np.cumsum(self._weights)
        self._total = self.range

    def sample(self, rnd: SimplePhilox) -> int:
        position = rnd.uniform(self._total)  # WeightedPicker's UnbiasedUniform
        return int(np.searchsorted(self._cumsum, position, side="right"))

    def probability(self, values: np.ndarray) -> np.ndarray:
        w = self._weights[np.asarray(values, np.int64)].astype(_F32)
        out: np.ndarray = w / _F32(self._total)
        return out

    def update(self, values: np.ndarray) -> None:
        flat = np.asarray(values, np.int64).reshape(-1)
        num_updates = min(flat.size, _KINT32MAX - self._total)
        if num_updates <= 0:
            return
        np.add.at(self._weights, flat[:num_updates], 1)
        self._total += num_updates
        self._cumsum = np.cumsum(self._weights)


class _DistributionSampler:
    """TF's DistributionSampler: Walker's alias table of float weights. A sample is a float
    and a 32-bit uniform bucket; the bucket's own value if the float is below its
    probability, else its alias."""

    def __init__(self, weights: Sequence[np.float32]) -> None:
        n = len(weights)
        total = 0.0
        for w in weights:
            total += float(w)
        alt = [-1] * n
        # (weights[i] * n) is a float product, divided by the double sum.
        with np.errstate(invalid="ignore", divide="ignore"):
            pr = [float(_F32(w) * _F32(n)) / total if total else math.nan for w in weights]
        high = [i for i in range(n) if not pr[i] < 1.0]
        low = [i for i in range(n) if pr[i] < 1.0]
        while high and low:
            lo_i = low.pop()
            hi_i = high.pop()
            alt[lo_i] = hi_i
            remaining = pr[hi_i] - (1.0 - pr[lo_i])
            pr[hi_i] = remaining
            (low if remaining < 1.0 else high).append(hi_i)
        prob = [_F32(p) for p in pr]
        for idx in high + low:  # leftovers of rounding: certain, their own alias
            prob[idx] = _F32(1.0)
            alt[idx] = idx
        self.num = n
        self.prob = prob
        self.alt = alt

    def sample(self, rnd: SimplePhilox) -> int:
        r = rnd.rand_float()
        idx = rnd.uniform(self.num)
        return idx if r < self.prob[idx] else self.alt[idx]

    def reachable(self) -> int:
        """How many distinct values a sample can give."""
        vals = {i for i in range(self.num) if self.prob[i] > 0}
        vals.update(self.alt[i] for i in range(self.num) if self.prob[i] < 1)
        return len(vals)


class FixedUnigramSampler(RangeSampler):
    """Fixed unigram weights (a list, or the last field of each line of a CSV vocabulary),
    raised to ``distortion``, after ``num_reserved_ids`` ids of weight 0; with ``num_shards``
    only the ids ``i % num_shards == shard`` are kept. As in TF, the ids of the weights are
    counted from the number of reserved ids kept, not from ``num_reserved_ids``."""

    def __init__(self, range_: int, distortion: float, num_reserved_ids: int,
                 num_shards: int, shard: int, unigrams: Sequence[float],
                 vocab_file: str | None) -> None:
        super().__init__(range_)
        self._num_shards = int(num_shards)
        self._shard = int(shard)
        dist = _F32(distortion)
        weights: list[np.float32] = [_F32(0.0) for word_id in range(int(num_reserved_ids))
                                     if word_id % self._num_shards == self._shard]
        total = _F32(0.0)
        values = unigrams if vocab_file is None else _read_vocab(vocab_file)
        word_id = len(weights)
        for w in values:
            if word_id % self._num_shards == self._shard:
                wf = _powf(_F32(w), dist)
                total = _F32(total + wf)
                weights.append(wf)
            word_id += 1
        if self.range != len(weights):
            raise ValueError(f"range is {self.range} must be equal to weights size  "
                             f"{len(weights)}")
        self._weights = np.asarray(weights, _F32)
        self._total = total
        self._dist = _DistributionSampler(weights)

    def sample(self, rnd: SimplePhilox) -> int:
        return self._dist.sample(rnd)

    def probability(self, values: np.ndarray) -> np.ndarray:
        out: np.ndarray = self._weights[np.asarray(values, np.int64)] / self._total
        return out

    def distinct_values(self) -> int:
        return self._dist.reachable()


def _read_vocab(path: str) -> list[np.float32]:
    """The weights of a CSV vocabulary file: the last comma-separated field of every
    non-empty line."""
    try:
        with open(path, "rb") as f:
            data = f.read().decode("utf-8", "surrogateescape")
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}; No such file or directory") from None
    lines = data.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline ending the last line starts no new one
    out: list[np.float32] = []
    for raw in lines:
        line = raw.removesuffix("\r")
        if not line:
            continue  # TF skips empty lines (they take no id)
        field = line.split(",")[-1].strip()
        try:
            out.append(_F32(float(field)))
        except ValueError:
            raise ValueError(f"Wrong vocabulary format at line: {line}") from None
    return out
