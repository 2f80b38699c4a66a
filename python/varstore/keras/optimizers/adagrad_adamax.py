"""tf_keras' legacy Adagrad (slot ``accumulator`` from ``initial_accumulator_value``, op
ResourceApplyAdagradV2) and Adamax (slots ``m`` and ``v``, op ResourceApplyAdaMax)."""

from __future__ import annotations

from typing import Any

from varstore.keras import _tf as tf
from varstore.keras._config import epsilon as _default_epsilon
from varstore.keras.optimizers.optimizer_v2 import OptimizerV2
from varstore.train.training_ops import apply_update

__all__ = ["Adagrad", "Adamax"]

_State = dict[Any, dict[str, Any]] | None


class Adagrad(OptimizerV2):
    """``accum += grad^2``; ``var -= lr * grad / (sqrt(accum) + epsilon)``."""

    def __init__(self, learning_rate: Any = 0.001, initial_accumulator_value: float = 0.1,
                 epsilon: Any = 1e-7, name: str = "Adagrad", **kwargs: Any) -> None:
        if initial_accumulator_value < 0.0:
            raise ValueError("initial_accumulator_value must be non-negative: "
                             f"{initial_accumulator_value}")
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("decay", self._initial_decay)
        self._initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon or _default_epsilon()

    def _create_slots(self, var_list: list[Any]) -> None:
        for var in var_list:
            self.add_slot(var, "accumulator", float(self._initial_accumulator_value))

    def _prepare_local(self, var_device: str, var_dtype: Any, apply_state: Any) -> None:
        super()._prepare_local(var_device, var_dtype, apply_state)
        state = apply_state[(var_device, var_dtype)]
        # TF builds these for its sparse path whether or not it runs (node names follow)
        state.update({"epsilon": tf.convert_to_tensor(self.epsilon, var_dtype),
                      "neg_lr_t": -state["lr_t"], "zero": tf.zeros((), dtype=tf.int64)})

    def _resource_apply_dense(self, grad: Any, var: Any, apply_state: _State = None) -> Any:
        c = self._coefficients(var, apply_state)
        return apply_update("AdagradV2", var, (self.get_slot(var, "accumulator"),),
                            (c["lr_t"], c["epsilon"]), grad, use_locking=self._use_locking)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(),
                "learning_rate": self._serialize_hyperparameter("learning_rate"),
                "decay": self._initial_decay,
                "initial_accumulator_value": self._initial_accumulator_value,
                "epsilon": self.epsilon}


class Adamax(OptimizerV2):
    """``m += (g - m)(1 - beta_1)``; ``v = max(beta_2 v, |g|)``;
    ``var -= lr / (1 - beta_1^t) * m / (v + epsilon)``."""

    def __init__(self, learning_rate: Any = 0.001, beta_1: Any = 0.9, beta_2: Any = 0.999,
                 epsilon: Any = 1e-7, name: str = "Adamax", **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("decay", self._initial_decay)
        self._set_hyper("beta_1", beta_1)
        self._set_hyper("beta_2", beta_2)
        self.epsilon = epsilon or _default_epsilon()

    def _create_slots(self, var_list: list[Any]) -> None:
        for var in var_list:
            self.add_slot(var, "m")
        for var in var_list:
            self.add_slot(var, "v")

    def _prepare_local(self, var_device: str, var_dtype: Any, apply_state: Any) -> None:
        super()._prepare_local(var_device, var_dtype, apply_state)
        state = apply_state[(var_device, var_dtype)]
        local_step = tf.cast(self.iterations + 1, var_dtype)
        beta_1_t = tf.identity(self._get_hyper("beta_1", var_dtype))
        beta_2_t = tf.identity(self._get_hyper("beta_2", var_dtype))
        beta_1_power = tf.pow(beta_1_t, local_step)
        lr_t = state["lr_t"]
        state.update({"neg_scaled_lr": -lr_t / (1 - beta_1_power),
                      "epsilon": tf.convert_to_tensor(self.epsilon, var_dtype),
                      "beta_1_t": beta_1_t, "beta_1_power": beta_1_power,
                      "one_minus_beta_1_t": 1 - beta_1_t, "beta_2_t": beta_2_t,
                      "zero": tf.zeros((), dtype=tf.int64)})

    def _resource_apply_dense(self, grad: Any, var: Any, apply_state: _State = None) -> Any:
        c = self._coefficients(var, apply_state)
        return apply_update("AdaMax", var, (self.get_slot(var, "m"), self.get_slot(var, "v")),
                            (c["beta_1_power"], c["lr_t"], c["beta_1_t"], c["beta_2_t"],
                             c["epsilon"]), grad, use_locking=self._use_locking)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(),
                "learning_rate": self._serialize_hyperparameter("learning_rate"),
                "decay": self._initial_decay,
                "beta_1": self._serialize_hyperparameter("beta_1"),
                "beta_2": self._serialize_hyperparameter("beta_2"),
                "epsilon": self.epsilon}
