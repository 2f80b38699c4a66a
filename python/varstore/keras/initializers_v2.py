"""The v2 Keras initializers (tf-keras' ``initializers/initializers.py``), which string
identifiers resolve to while v2 behaviour is on (TF 2.21's compat.v1 default).

Random ones draw with the stateless ops: the seed given, or one taken from Python's
``random`` when None (tf-keras' RandomGenerator in stateless mode), ``[seed, 0]``; a seeded
initializer gives the same values on every call, TF's values.
"""

from __future__ import annotations

import math
import random
from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant
from varstore.ops import (
    array_fill_ops,
    array_ops,
    linalg_diag_ops,
    linalg_ops,
    linalg_qr_ops,
    math_unary_ops,
    stateless_random_ops,
)
from varstore.ops.init_ops import _compute_fans

__all__ = ["Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity",
           "Initializer", "LecunNormal", "LecunUniform", "Ones", "Orthogonal", "RandomNormal",
           "RandomUniform", "TruncatedNormal", "VarianceScaling", "Zeros"]


def _dtype(dtype: Any) -> _dtypes.DType:
    from varstore.keras import backend

    return _dtypes.as_dtype(dtype or backend.floatx())


def _check_kwargs(name: str, kwargs: dict[str, Any]) -> None:
    for kwarg in kwargs:
        if kwarg not in ("partition_shape", "partition_offset", "layout"):
            raise TypeError(f"Unknown keyword arguments: {kwarg}. Allowed keyword arguments "
                            "are ['partition_shape', 'partition_offset', 'layout'].")


class Initializer:
    """``tf.keras.initializers.Initializer`` (v2): ``__call__(shape, dtype=None)``."""

    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> Any:
        raise NotImplementedError(f"Initializer subclasses must implement the `__call__()` "
                                  f"method. {type(self).__name__} does not")

    def get_config(self) -> dict[str, Any]:
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Any:
        config = dict(config)
        config.pop("dtype", None)
        return cls(**config)


class Zeros(Initializer):
    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> Any:
        _check_kwargs("Zeros", kwargs)
        return array_fill_ops.zeros(shape, _dtype(dtype))


class Ones(Initializer):
    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> Any:
        _check_kwargs("Ones", kwargs)
        return array_fill_ops.ones(shape, _dtype(dtype))


class Constant(Initializer):
    def __init__(self, value: Any = 0) -> None:
        self.value = value

    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> Any:
        _check_kwargs("Constant", kwargs)
        return constant(self.value, dtype=_dtype(dtype), shape=shape)

    def get_config(self) -> dict[str, Any]:
        return {"value": self.value}


class _Seeded(Initializer):
    """tf-keras' RandomGenerator(seed, rng_type='stateless'): the seed fixed at the first
    draw (Python's random when None), ``[seed, 0]`` for every draw."""

    seed: int | None
    _drawn_seed: int | None = None

    def _stateless_seed(self) -> list[int]:
        if self._drawn_seed is None:
            self._drawn_seed = (self.seed if self.seed is not None
                                else random.randint(1, int(1e9)))
        return [self._drawn_seed, 0]

    def _uniform(self, shape: Any, lo: float, hi: float, dtype: Any) -> Any:
        return stateless_random_ops.stateless_random_uniform(
            shape, self._stateless_seed(), minval=lo, maxval=hi, dtype=dtype)

    def _normal(self, shape: Any, mean: float, stddev: float, dtype: Any) -> Any:
        return stateless_random_ops.stateless_random_normal(
            shape, self._stateless_seed(), mean=mean, stddev=stddev, dtype=dtype)

    def _truncated(self, shape: Any, mean: float, stddev: float, dtype: Any) -> Any:
        return stateless_random_ops.stateless_truncated_normal(
            shape, self._stateless_seed(), mean=mean, stddev=stddev, dtype=dtype)


def _float(dtype: Any) -> _dtypes.DType:
    dt = _dtype(dtype)
    if not dt.is_floating:
        raise ValueError(f"Expected floating point type, got {dt}.")
    return dt


class RandomUniform(_Seeded):
    def __init__(self, minval: float = -0.05, maxval: float = 0.05,
                 seed: int | None = None) -> None:
        self.minval, self.maxval, self.seed = minval, maxval, seed

    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> Any:
        _check_kwargs("RandomUniform", kwargs)
        dt = _dtype(dtype)
        if not dt.is_floating and not dt.is_integer:
            raise ValueError(f"Expected float or integer dtype, got {dt}.")
        return self._uniform(shape, self.minval, self.maxval, dt)

    def get_config(self) -> dict[str, Any]:
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


class RandomNormal(_Seeded):
    def __init__(self, mean: float = 0.0, stddev: float = 0.05,
                 seed: int | None = None) -> None:
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> Any:
        _check_kwargs("RandomNormal", kwargs)
        return self._normal(shape, self.mean, self.stddev, _float(dtype))

    def get_config(self) -> dict[str, Any]:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class TruncatedNormal(RandomNormal):
    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> Any:
        _check_kwargs("TruncatedNormal", kwargs)
        return self._truncated(shape, self.mean, self.stddev, _float(dtype))


class VarianceScaling(_Seeded):
    def __init__(self, scale: float = 1.0, mode: str = "fan_in",
                 distribution: str = "truncated_normal", seed: int | None = None) -> None:
        if scale <= 0.0:
            raise ValueError(f"`scale` must be positive float. Received: scale={scale}.")
        allowed_modes = {"fan_in", "fan_out", "fan_avg"}
        if mode not in allowed_modes:
            raise ValueError(f"Invalid `mode` argument: {mode}. Please use one of the "
                             f"{allowed_modes}.")
        distribution = distribution.lower()
        if distribution == "normal":  # tf-keras' compatibility with the old name
            distribution = "truncated_normal"
        allowed = {"uniform", "truncated_normal", "untruncated_normal"}
        if distribution not in allowed:
            raise ValueError(f"Invalid `distribution` argument: {distribution}.Allowed "
                             f"distributions: {allowed}.")
        self.scale, self.mode, self.distribution, self.seed = scale, mode, distribution, seed

    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> Any:
        _check_kwargs(type(self).__name__, kwargs)
        dt = _float(dtype)
        scale = self.scale
        fan_in, fan_out = _compute_fans(tuple(int(d) for d in shape))
        if self.mode == "fan_in":
            scale /= max(1.0, fan_in)
        elif self.mode == "fan_out":
            scale /= max(1.0, fan_out)
        else:
            scale /= max(1.0, (fan_in + fan_out) / 2.0)
        if self.distribution == "truncated_normal":
            # the stddev of a unit normal truncated at +-2 (scipy's truncnorm)
            return self._truncated(shape, 0.0, math.sqrt(scale) / 0.87962566103423978, dt)
        if self.distribution == "untruncated_normal":
            return self._normal(shape, 0.0, math.sqrt(scale), dt)
        limit = math.sqrt(3.0 * scale)
        return self._uniform(shape, -limit, limit, dt)

    def get_config(self) -> dict[str, Any]:
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed}


class _Preset(VarianceScaling):
    _preset: tuple[float, str, str] = (1.0, "fan_in", "truncated_normal")

    def __init__(self, seed: int | None = None) -> None:
        scale, mode, distribution = self._preset
        super().__init__(scale=scale, mode=mode, distribution=distribution, seed=seed)

    def get_config(self) -> dict[str, Any]:
        return {"seed": self.seed}


class GlorotUniform(_Preset):
    _preset = (1.0, "fan_avg", "uniform")


class GlorotNormal(_Preset):
    _preset = (1.0, "fan_avg", "truncated_normal")


class LecunNormal(_Preset):
    _preset = (1.0, "fan_in", "truncated_normal")


class LecunUniform(_Preset):
    _preset = (1.0, "fan_in", "uniform")


class HeNormal(_Preset):
    _preset = (2.0, "fan_in", "truncated_normal")


class HeUniform(_Preset):
    _preset = (2.0, "fan_in", "uniform")


class Identity(Initializer):
    def __init__(self, gain: float = 1.0) -> None:
        self.gain = gain

    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> Any:
        _check_kwargs("Identity", kwargs)
        dims = tuple(shape)
        if len(dims) != 2:
            raise ValueError("Identity matrix initializer can only be used for 2D matrices. "
                             f"Received: shape={dims} of rank {len(dims)}.")
        return self.gain * linalg_diag_ops.eye(*dims, dtype=_float(dtype))

    def get_config(self) -> dict[str, Any]:
        return {"gain": self.gain}


class Orthogonal(_Seeded):
    """Q of the QR of a stateless normal (max(rows, cols) x min(rows, cols)) matrix, signs
    fixed by diag(R), transposed when rows < cols, times ``gain`` (the recurrent kernels'
    default; TF's graph: StatelessRandomNormalV2, Qr, DiagPart, Sign)."""

    def __init__(self, gain: float = 1.0, seed: int | None = None) -> None:
        self.gain, self.seed = gain, seed

    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> Any:
        for kwarg in kwargs:
            if kwarg != "layout":
                raise TypeError(f"Unknown keyword arguments: {kwarg}. Allowed keyword "
                                "arguments are ['layout'].")
        dt = _float(dtype)
        dims = tuple(int(d) for d in shape)
        if len(dims) < 2:
            raise ValueError("The tensor to initialize must be at least two-dimensional. "
                             f"Received: shape={tuple(shape)} of rank {len(dims)}.")
        num_rows = math.prod(dims[:-1])
        num_cols = dims[-1]
        flat = (max(num_cols, num_rows), min(num_cols, num_rows))
        a = self._normal(flat, 0.0, 1.0, dt)
        q, r = linalg_qr_ops.qr(a, full_matrices=False)
        q = q * math_unary_ops.sign(linalg_diag_ops.diag_part(r))  # "mul", as TF's *=
        if num_rows < num_cols:
            q = linalg_ops.matrix_transpose(q)
        return self.gain * array_ops.reshape(q, dims)

    def get_config(self) -> dict[str, Any]:
        return {"gain": self.gain, "seed": self.seed}
