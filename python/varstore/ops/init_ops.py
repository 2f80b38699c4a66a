"""TF1 initializers (``tf.compat.v1.*_initializer``).

Calling one builds the ops TF builds (``zeros``/``ones``/``Const``/``random_normal``/
``truncated_normal``/``random_uniform``). ``_fill`` is the constant every element gets
(zeros, ones, a scalar constant) or None: the variable store fills such a variable at
creation (its value for ``np.asarray(v)`` before any session runs its initializer).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant
from varstore.framework.ops import Tensor
from varstore.ops import (
    array_fill_ops,
    array_ops,
    array_slicing_ops,
    linalg_diag_ops,
    linalg_ops,
    linalg_qr_ops,
    math_unary_ops,
    random_ops,
)

__all__ = [
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "Identity",
    "Initializer",
    "Ones",
    "Orthogonal",
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "UniformUnitScaling",
    "VarianceScaling",
    "Zeros",
    "constant_initializer",
    "glorot_normal_initializer",
    "glorot_uniform_initializer",
    "he_normal",
    "he_uniform",
    "identity_initializer",
    "lecun_normal",
    "lecun_uniform",
    "ones_initializer",
    "orthogonal_initializer",
    "random_normal_initializer",
    "random_uniform_initializer",
    "truncated_normal_initializer",
    "uniform_unit_scaling_initializer",
    "variance_scaling_initializer",
    "zeros_initializer",
]

_TRUNC_STDDEV = 0.87962566103423978  # stddev of the standard normal truncated to [-2, 2]


def _assert_float_dtype(dtype: _dtypes.DType) -> _dtypes.DType:
    if not dtype.is_floating:
        raise ValueError(f"Argument `dtype` is expected to be floating point. Received: "
                         f"{dtype}.")
    return dtype


def _dims(shape: Any) -> tuple[int, ...]:
    return tuple(int(d) for d in shape)


class Initializer:
    """Base class: ``__call__(shape, dtype=None, partition_info=None)`` returns a Tensor."""

    _fill: float | None = None
    dtype: _dtypes.DType

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} does not define __call__")


    def get_config(self) -> dict[str, Any]:
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Initializer:
        config = dict(config)
        if "dtype" in config:
            config["dtype"] = _dtypes.as_dtype(config["dtype"])
        return cls(**config)


class Zeros(Initializer):
    """``tf.zeros_initializer``: op ``zeros`` (a ``Const``, or ``Fill`` from 1000 elements)."""

    _fill = 0.0
    _kind_code = 1  # variable_scope._INIT_KINDS["Zeros"]: read by get_variable's C path

    def __init__(self, dtype: Any = _dtypes.float32) -> None:
        self.dtype = _dtypes.as_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        return array_fill_ops.zeros(shape, self.dtype if dtype is None else _dtypes.as_dtype(dtype))


    def get_config(self) -> dict[str, Any]:
        return {"dtype": self.dtype.name}


class Ones(Initializer):
    """``tf.ones_initializer``: op ``ones``."""

    _fill = 1.0
    _kind_code = 2  # variable_scope._INIT_KINDS["Ones"]

    def __init__(self, dtype: Any = _dtypes.float32) -> None:
        self.dtype = _dtypes.as_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        return array_fill_ops.ones(shape, self.dtype if dtype is None else _dtypes.as_dtype(dtype))


    def get_config(self) -> dict[str, Any]:
        return {"dtype": self.dtype.name}


class Constant(Initializer):
    """``tf.constant_initializer(value)``: op ``Const``; a scalar fills the shape, a list with
    as many elements is reshaped, a shorter one is padded with its last element (TF1)."""

    _kind_code = 3  # variable_scope._INIT_KINDS["Constant"]

    def __init__(self, value: Any = 0, dtype: Any = _dtypes.float32,
                 verify_shape: bool = False) -> None:
        if not (np.isscalar(value) or isinstance(value, (list, tuple, np.ndarray))):
            raise TypeError(
                f"Invalid type for initial value={value} of type: {type(value).__name__}. "
                "Expected Python scalar, list or tuple of values, or numpy.ndarray.")
        self.value = value
        self.dtype = _dtypes.as_dtype(dtype)
        self._verify_shape = verify_shape
        scalar = np.isscalar(value) or (isinstance(value, np.ndarray) and value.size == 1)
        self._fill = None
        if scalar and not isinstance(value, (str, bytes)):
            try:
                self._fill = float(np.asarray(value).reshape(()))
            except (TypeError, ValueError):
                self._fill = None

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None,
                 verify_shape: Any = None) -> Tensor:
        dt = self.dtype if dtype is None else _dtypes.as_dtype(dtype)
        verify = self._verify_shape if verify_shape is None else verify_shape
        return constant(self.value, dtype=dt, shape=shape, verify_shape=verify)


    def get_config(self) -> dict[str, Any]:
        return {"value": self.value, "dtype": self.dtype.name}


class RandomUniform(Initializer):
    """``tf.random_uniform_initializer(minval=0.0, maxval=None)``: op ``random_uniform``
    (maxval None means 1 for floats; integer dtypes need maxval)."""

    def __init__(self, minval: Any = 0.0, maxval: Any = None, seed: int | None = None,
                 dtype: Any = _dtypes.float32) -> None:
        self.minval = minval
        self.maxval = maxval
        self.seed = seed
        self.dtype = _dtypes.as_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        dt = self.dtype if dtype is None else _dtypes.as_dtype(dtype)
        return random_ops.random_uniform(shape, self.minval, self.maxval, dt, seed=self.seed)


    def get_config(self) -> dict[str, Any]:
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed,
                "dtype": self.dtype.name}


class RandomNormal(Initializer):
    """``tf.random_normal_initializer``: op ``random_normal``; float dtypes only."""

    _kind = "normal"
    _op = staticmethod(random_ops.random_normal)

    def __init__(self, mean: Any = 0.0, stddev: Any = 1.0, seed: int | None = None,
                 dtype: Any = _dtypes.float32) -> None:
        self.mean = mean
        self.stddev = stddev
        self.seed = seed
        self.dtype = _assert_float_dtype(_dtypes.as_dtype(dtype))

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        dt = self.dtype if dtype is None else _dtypes.as_dtype(dtype)
        return self._op(shape, self.mean, self.stddev, dt, seed=self.seed)


    def get_config(self) -> dict[str, Any]:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed,
                "dtype": self.dtype.name}


class TruncatedNormal(RandomNormal):
    """``tf.truncated_normal_initializer``: op ``truncated_normal``."""

    _kind = "truncated"
    _op = staticmethod(random_ops.truncated_normal)


def _compute_fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """TF's fans: scalars 1/1, vectors n/n, matrices rows/cols, conv kernels
    receptive field x in-channels / receptive field x out-channels."""
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = 1
    for d in shape[:-2]:
        receptive *= d
    return shape[-2] * receptive, shape[-1] * receptive


class VarianceScaling(Initializer):
    """``tf.variance_scaling_initializer``: scale / fan; 'truncated_normal' (and the old
    'normal') draws a normal truncated at two stddevs with stddev sqrt(scale) / .8796...;
    'untruncated_normal' stddev sqrt(scale); 'uniform' limits +-sqrt(3 scale)."""

    def __init__(self, scale: float = 1.0, mode: str = "fan_in",
                 distribution: str = "truncated_normal", seed: int | None = None,
                 dtype: Any = _dtypes.float32) -> None:
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be a positive float. Received: {scale}")
        if mode not in {"fan_in", "fan_out", "fan_avg"}:
            raise ValueError("Argument `mode` should be one of ('fan_in', 'fan_out', "
                             f"'fan_avg'). Received: {mode}")
        distribution = distribution.lower()
        if distribution not in {"normal", "uniform", "truncated_normal", "untruncated_normal"}:
            raise ValueError("Argument `distribution` should be one of ('normal', uniform', "
                             f"'truncated_normal', 'untruncated_normal'). Received: "
                             f"{distribution}")
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.seed = seed
        self.dtype = _assert_float_dtype(_dtypes.as_dtype(dtype))

    def _params(self, shape: Any, partition_info: Any = None) -> tuple[str, float]:
        scale_shape = _dims(shape)
        if partition_info is not None:
            scale_shape = _dims(partition_info.full_shape)
        fan_in, fan_out = _compute_fans(scale_shape)
        scale = self.scale
        if self.mode == "fan_in":
            scale /= max(1.0, fan_in)
        elif self.mode == "fan_out":
            scale /= max(1.0, fan_out)
        else:
            scale /= max(1.0, (fan_in + fan_out) / 2.0)
        if self.distribution in ("normal", "truncated_normal"):
            return "truncated", math.sqrt(scale) / _TRUNC_STDDEV
        if self.distribution == "untruncated_normal":
            return "normal", math.sqrt(scale)
        return "uniform", math.sqrt(3.0 * scale)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        dt = self.dtype if dtype is None else _dtypes.as_dtype(dtype)
        kind, param = self._params(shape, partition_info)
        if kind == "truncated":
            return random_ops.truncated_normal(shape, 0.0, param, dt, seed=self.seed)
        if kind == "normal":
            return random_ops.random_normal(shape, 0.0, param, dt, seed=self.seed)
        return random_ops.random_uniform(shape, -param, param, dt, seed=self.seed)


    def get_config(self) -> dict[str, Any]:
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed, "dtype": self.dtype.name}


class GlorotUniform(VarianceScaling):
    """``tf.glorot_uniform_initializer``: uniform in +-sqrt(6 / (fan_in + fan_out)). As in
    TF 2.21 the ``dtype`` argument is accepted and ignored (float32 default)."""

    def __init__(self, seed: int | None = None, dtype: Any = _dtypes.float32) -> None:
        super().__init__(scale=1.0, mode="fan_avg", distribution="uniform", seed=seed)

    def get_config(self) -> dict[str, Any]:
        return {"seed": self.seed, "dtype": self.dtype.name}


class GlorotNormal(VarianceScaling):
    """``tf.glorot_normal_initializer``: truncated normal, stddev sqrt(2 / (fan_in +
    fan_out)) after truncation."""

    def __init__(self, seed: int | None = None, dtype: Any = _dtypes.float32) -> None:
        super().__init__(scale=1.0, mode="fan_avg", distribution="truncated_normal", seed=seed)

    def get_config(self) -> dict[str, Any]:
        return {"seed": self.seed, "dtype": self.dtype.name}


class UniformUnitScaling(Initializer):
    """``tf.uniform_unit_scaling_initializer``: uniform in +-sqrt(3 / input_size) * factor,
    input_size the product of all dims but the last (of the full shape when partitioned)."""

    def __init__(self, factor: float = 1.0, seed: int | None = None,
                 dtype: Any = _dtypes.float32) -> None:
        self.factor = factor
        self.seed = seed
        self.dtype = _assert_float_dtype(_dtypes.as_dtype(dtype))

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        dt = self.dtype if dtype is None else _dtypes.as_dtype(dtype)
        scale_shape = _dims(shape if partition_info is None else partition_info.full_shape)
        input_size = 1.0
        for d in scale_shape[:-1]:
            input_size *= float(d)
        max_val = math.sqrt(3 / max(input_size, 1.0)) * self.factor
        return random_ops.random_uniform(shape, -max_val, max_val, dt, seed=self.seed)

    def get_config(self) -> dict[str, Any]:
        return {"factor": self.factor, "seed": self.seed, "dtype": self.dtype.name}


class Orthogonal(Initializer):
    """``tf.orthogonal_initializer``: Q of the QR of a normal (rows x cols) matrix, signs
    fixed by diag(R), transposed when rows < cols, times ``gain``; shapes past 2-D flatten all
    but the last dim (TF's graph: RandomStandardNormal, Qr, DiagPart, Sign)."""

    def __init__(self, gain: float = 1.0, seed: int | None = None,
                 dtype: Any = _dtypes.float32) -> None:
        self.gain = gain
        self.dtype = _assert_float_dtype(_dtypes.as_dtype(dtype))
        self.seed = seed

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        dt = self.dtype if dtype is None else _dtypes.as_dtype(dtype)
        dims = _dims(shape)
        if len(dims) < 2:
            raise ValueError("The tensor to initialize, specified by argument `shape` must be "
                             f"at least two-dimensional. Received shape={shape}")
        num_rows = int(np.prod(dims[:-1]))
        num_cols = int(dims[-1])
        flat = (num_cols, num_rows) if num_rows < num_cols else (num_rows, num_cols)
        a = random_ops.random_normal(flat, dtype=dt, seed=self.seed)
        q, r = linalg_qr_ops.qr(a, full_matrices=False)
        # operators, as TF's (names mul, mul_1; a Python gain takes q's dtype)
        q = q * math_unary_ops.sign(linalg_diag_ops.diag_part(r))
        if num_rows < num_cols:
            q = linalg_ops.matrix_transpose(q)
        return self.gain * array_ops.reshape(q, shape)

    def get_config(self) -> dict[str, Any]:
        return {"gain": self.gain, "seed": self.seed, "dtype": self.dtype.name}


class Identity(Initializer):
    """``tf.initializers.identity``: ``gain`` times the 2-D identity (sliced to the part
    when partitioned)."""

    def __init__(self, gain: float = 1.0, dtype: Any = _dtypes.float32) -> None:
        self.gain = gain
        self.dtype = _assert_float_dtype(_dtypes.as_dtype(dtype))

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        full_shape = _dims(shape if partition_info is None else partition_info.full_shape)
        if len(full_shape) != 2:
            raise ValueError("The tensor to initialize, specified by argument `shape` must be "
                             f"at least two-dimensional. Received shape={shape}")
        dt = self.dtype if dtype is None else _dtypes.as_dtype(dtype)
        init = linalg_diag_ops.eye(*full_shape, dtype=dt)
        if partition_info is not None:
            init = array_slicing_ops.slice(init, list(partition_info.var_offset), list(shape))
        return self.gain * init  # TF's operator: op mul

    def get_config(self) -> dict[str, Any]:
        return {"gain": self.gain, "dtype": self.dtype.name}


def lecun_normal(seed: int | None = None) -> VarianceScaling:
    """``tf.initializers.lecun_normal``: truncated normal, scale 1 / fan_in."""
    return VarianceScaling(scale=1.0, mode="fan_in", distribution="truncated_normal", seed=seed)


def lecun_uniform(seed: int | None = None) -> VarianceScaling:
    return VarianceScaling(scale=1.0, mode="fan_in", distribution="uniform", seed=seed)


def he_normal(seed: int | None = None) -> VarianceScaling:
    """``tf.initializers.he_normal``: truncated normal, scale 2 / fan_in."""
    return VarianceScaling(scale=2.0, mode="fan_in", distribution="truncated_normal", seed=seed)


def he_uniform(seed: int | None = None) -> VarianceScaling:
    return VarianceScaling(scale=2.0, mode="fan_in", distribution="uniform", seed=seed)


zeros_initializer = Zeros
ones_initializer = Ones
constant_initializer = Constant
random_uniform_initializer = RandomUniform
random_normal_initializer = RandomNormal
truncated_normal_initializer = TruncatedNormal
variance_scaling_initializer = VarianceScaling
glorot_uniform_initializer = GlorotUniform
glorot_normal_initializer = GlorotNormal
orthogonal_initializer = Orthogonal
identity_initializer = Identity
uniform_unit_scaling_initializer = UniformUnitScaling


def layer_default_initializer(initializer: Any, dtype: Any, scope: Any) -> Any:
    """The initializer a tf-keras legacy layer (tf.layers, the RNN cells) passes to
    get_variable (legacy_tf_layers/base.py, base_layer_v1.add_weight): the one given, else
    the variable scope's, else for a float Keras' ``glorot_uniform`` (while TF2 behaviour
    is on, its stateless v2 class: ``Initializer/stateless_random_uniform``; after
    disable_v2_behavior, init_ops' own), else None (get_variable's zeros for integers and
    bools)."""
    if initializer is None:
        initializer = getattr(scope, "initializer", None)
    if initializer is None and _dtypes.as_dtype(dtype).is_floating:
        # keras sits above ops: imported here, when a layer makes its first weight
        from varstore.keras import initializers as _keras_initializers

        initializer = _keras_initializers.get("glorot_uniform")
    return initializer
