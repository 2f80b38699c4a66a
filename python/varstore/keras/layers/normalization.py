"""tf-keras' BatchNormalization (``batch_normalization_v1``, the v1 Keras namespace's): the
graph tf.layers' BatchNormalization builds (in TF one is a subclass of the other), so its
rules, build and fused / composed paths are layers/normalization.py's BatchNormalizationBase;
the Keras differences are here: a
``training`` left None reads the learning phase, and the moving-statistic updates stay in
``layer.updates`` (not UPDATE_OPS; a frozen layer's are left out of it).
"""

from __future__ import annotations

from typing import Any

from varstore.keras import backend, constraints, initializers, regularizers
from varstore.keras.engine.base_layer import Layer
from varstore.keras.engine.input_spec import InputSpec
from varstore.keras.utils.generic_utils import serialize_optional as _ser
from varstore.layers import normalization as _legacy

__all__ = ["BatchNormalization"]


class BatchNormalization(_legacy.BatchNormalizationBase, Layer):
    """Normalises over every axis but ``axis``: the batch's statistics in training (and
    moving averages updated with ``momentum``), the moving ones in inference."""

    _api = "tf.keras.layers"
    _spec = InputSpec

    def __init__(self, axis: Any = -1, momentum: float = 0.99, epsilon: float = 1e-3,
                 center: bool = True, scale: bool = True, beta_initializer: Any = "zeros",
                 gamma_initializer: Any = "ones", moving_mean_initializer: Any = "zeros",
                 moving_variance_initializer: Any = "ones", beta_regularizer: Any = None,
                 gamma_regularizer: Any = None, beta_constraint: Any = None,
                 gamma_constraint: Any = None, renorm: bool = False,
                 renorm_clipping: Any = None, renorm_momentum: float = 0.99,
                 fused: bool | None = None, trainable: bool = True,
                 virtual_batch_size: int | None = None, adjustment: Any = None,
                 name: str | None = None, **kwargs: Any) -> None:
        super().__init__(name=name, trainable=trainable, **kwargs)
        self._bn_args(axis, momentum, epsilon, center, scale, renorm, renorm_clipping,
                      renorm_momentum, virtual_batch_size, adjustment, fused)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True

    def call(self, inputs: Any, training: Any = None) -> Any:
        if training is None:
            training = backend.learning_phase()
        if isinstance(training, int):
            training = bool(training)
        # batch_normalization_v1 (_USE_V2_BEHAVIOR False): a frozen layer still trains on
        # the batch and builds its updates (which ``updates`` then leaves out)
        if self.fused:
            return self._fused(inputs, training)
        return self._composed(inputs, training)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum,
                "epsilon": self.epsilon, "center": self.center, "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "moving_mean_initializer":
                    initializers.serialize(self.moving_mean_initializer),
                "moving_variance_initializer":
                    initializers.serialize(self.moving_variance_initializer),
                "beta_regularizer": _ser(regularizers, self.beta_regularizer),
                "gamma_regularizer": _ser(regularizers, self.gamma_regularizer),
                "beta_constraint": _ser(constraints, self.beta_constraint),
                "gamma_constraint": _ser(constraints, self.gamma_constraint),
                **({"renorm": True, "renorm_clipping": dict(self.renorm_clipping),
                    "renorm_momentum": self.renorm_momentum} if self.renorm else {}),
                **({"virtual_batch_size": self.virtual_batch_size}
                   if self.virtual_batch_size is not None else {})}
