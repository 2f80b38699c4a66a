"""``tf.keras.optimizers.Nadam`` (tf_keras' legacy nadam.py): Adam with Nesterov momentum
whose schedule ``momentum_cache`` is a weight; the update is plain assigns (no fused op)."""

from __future__ import annotations

from typing import Any

from varstore.keras import _tf as tf
from varstore.keras._config import epsilon as _default_epsilon
from varstore.keras.optimizers.optimizer_v2 import OptimizerV2
from varstore.keras.optimizers.schedules import LearningRateSchedule

__all__ = ["Nadam"]


class Nadam(OptimizerV2):
    """``schedule_decay`` (0.004) becomes the decay of the momentum schedule."""

    def __init__(self, learning_rate: Any = 0.001, beta_1: Any = 0.9, beta_2: Any = 0.999,
                 epsilon: Any = 1e-7, name: str = "Nadam", **kwargs: Any) -> None:
        kwargs["decay"] = kwargs.pop("schedule_decay", 0.004)
        learning_rate = kwargs.get("lr", learning_rate)
        if isinstance(learning_rate, LearningRateSchedule):
            raise ValueError(  # noqa: TRY004 - TF raises ValueError
                "The Nadam optimizer does not support tf.keras.optimizers."
                "LearningRateSchedules as the learning rate.")
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("decay", self._initial_decay)
        self._set_hyper("beta_1", beta_1)
        self._set_hyper("beta_2", beta_2)
        self.epsilon = epsilon or _default_epsilon()
        self._m_cache: Any = None
        self._m_cache_read: Any = None

    def _create_slots(self, var_list: list[Any]) -> None:
        var_dtype = var_list[0].dtype.base_dtype
        if self._m_cache is None:
            self._m_cache = self.add_weight("momentum_cache", shape=[], dtype=var_dtype,
                                            initializer="ones", trainable=False)
            self._weights.append(self._m_cache)
        for var in var_list:
            self.add_slot(var, "m")
        for var in var_list:
            self.add_slot(var, "v")

    def _prepare(self, var_list: Any) -> dict[Any, dict[str, Any]]:
        self._m_cache_read = tf.identity(self._m_cache)
        return super()._prepare(var_list)

    def _prepare_local(self, var_device: str, var_dtype: Any, apply_state: Any) -> None:
        lr_t = tf.identity(self._get_hyper("learning_rate", var_dtype))
        beta_1_t = tf.identity(self._get_hyper("beta_1", var_dtype))
        beta_2_t = tf.identity(self._get_hyper("beta_2", var_dtype))
        local_step = tf.cast(self.iterations + 1, var_dtype)
        next_step = tf.cast(self.iterations + 2, var_dtype)
        decay_base = tf.cast(0.96, var_dtype)
        m_t = beta_1_t * (1.0 - 0.5 * (tf.pow(decay_base, self._initial_decay * local_step)))
        m_t_1 = beta_1_t * (1.0 - 0.5 * (tf.pow(decay_base, self._initial_decay * next_step)))
        m_schedule_new = tf.cast(self._m_cache_read, var_dtype) * m_t
        if var_dtype == self._m_cache.dtype.base_dtype:
            m_schedule_new = tf.identity(tf.assign(self._m_cache, m_schedule_new,
                                                   use_locking=self._use_locking))
        m_schedule_next = m_schedule_new * m_t_1
        apply_state[(var_device, var_dtype)] = {
            "lr_t": lr_t, "neg_lr_t": -lr_t,
            "epsilon": tf.convert_to_tensor(self.epsilon, var_dtype),
            "beta_1_t": beta_1_t, "beta_2_t": beta_2_t, "m_t": m_t, "m_t_1": m_t_1,
            "one_minus_beta_1_t": 1 - beta_1_t, "one_minus_beta_2_t": 1 - beta_2_t,
            "one_minus_m_t": 1.0 - m_t, "one_minus_m_schedule_new": 1.0 - m_schedule_new,
            "one_minus_m_schedule_next": 1.0 - m_schedule_next,
            "v_t_prime_denominator": 1.0 - tf.pow(beta_2_t, local_step)}

    def _resource_apply_dense(self, grad: Any, var: Any,
                              apply_state: dict[Any, dict[str, Any]] | None = None) -> Any:
        c = self._coefficients(var, apply_state)
        lock = self._use_locking
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        g_prime = grad / c["one_minus_m_schedule_new"]
        m_t = tf.assign(m, c["beta_1_t"] * m + c["one_minus_beta_1_t"] * grad, use_locking=lock)
        m_t_prime = m_t / c["one_minus_m_schedule_next"]
        v_t = tf.assign(v, c["beta_2_t"] * v + c["one_minus_beta_2_t"] * tf.square(grad),
                        use_locking=lock)
        v_t_prime = v_t / c["v_t_prime_denominator"]
        m_t_bar = c["one_minus_m_t"] * g_prime + c["m_t_1"] * m_t_prime
        var_t = var - c["lr_t"] * m_t_bar / (tf.sqrt(v_t_prime) + c["epsilon"])
        return tf.assign(var, var_t, use_locking=lock).op

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(),
                "learning_rate": self._serialize_hyperparameter("learning_rate"),
                "decay": self._initial_decay,
                "beta_1": self._serialize_hyperparameter("beta_1"),
                "beta_2": self._serialize_hyperparameter("beta_2"), "epsilon": self.epsilon}
