"""tf-keras' GaussianNoise and GaussianDropout: ``x + N(0, stddev)`` and ``x * N(1,
sqrt(rate / (1 - rate)))`` drawn with RandomStandardNormal in training (the learning phase
when ``training`` is None), the input itself otherwise."""

from __future__ import annotations

from typing import Any

import numpy as np

from varstore.keras import backend
from varstore.keras.engine.base_layer import Layer
from varstore.ops import array_ops, control_flow_ops, random_ops

__all__ = ["GaussianDropout", "GaussianNoise"]


class _Noise(Layer):
    def __init__(self, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self.seed = seed
        self._legacy_seed = seed

    def _normal(self, inputs: Any, mean: float, stddev: float) -> Any:
        """tf-keras' RandomGenerator.random_normal in its legacy mode: the seed, then the
        seed + 1 ... per draw."""
        seed = self._legacy_seed
        if seed is not None:
            self._legacy_seed = seed + 1
        return random_ops.random_normal(array_ops.shape(inputs), mean=mean, stddev=stddev,
                                        dtype=inputs.dtype, seed=seed)

    def _in_train_phase(self, noised: Any, inputs: Any, training: Any) -> Any:
        """tf-keras' backend.in_train_phase."""
        if training is None:
            training = backend.learning_phase()
        if training is True or training == 1:
            return noised()
        if training is False or (isinstance(training, int) and training == 0):
            return inputs
        return control_flow_ops.smart_cond(training, noised, lambda: inputs)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape


class GaussianNoise(_Noise):
    def __init__(self, stddev: float, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(seed=seed, **kwargs)
        self.stddev = stddev

    def call(self, inputs: Any, training: Any = None) -> Any:
        return self._in_train_phase(
            lambda: inputs + self._normal(inputs, 0.0, self.stddev), inputs, training)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}


class GaussianDropout(_Noise):
    def __init__(self, rate: float, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(seed=seed, **kwargs)
        self.rate = rate

    def call(self, inputs: Any, training: Any = None) -> Any:
        if 0 < self.rate < 1:
            stddev = float(np.sqrt(self.rate / (1.0 - self.rate)))
            return self._in_train_phase(
                lambda: inputs * self._normal(inputs, 1.0, stddev), inputs, training)
        return inputs

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
