"""The Keras optimizers varstore's training ops can run (tf_keras' optimizers/legacy):
SGD (ResourceApplyGradientDescent; ResourceApplyKerasMomentum with momentum), Adam
(ResourceApplyAdam; ResourceApplyAdamWithAmsgrad with amsgrad), RMSprop (ResourceApplyRMSProp / ResourceApplyCenteredRMSProp with
momentum, plain assigns without), Adadelta (ResourceApplyAdadelta) and Ftrl
(ResourceApplyFtrl, ResourceApplyFtrlV2 with l2 shrinkage)."""

from __future__ import annotations

from typing import Any

from varstore.keras import _tf as tf
from varstore.keras._config import epsilon as _default_epsilon
from varstore.keras.optimizers.optimizer_v2 import OptimizerV2
from varstore.train.training_ops import apply_update

__all__ = ["SGD", "Adadelta", "Adam", "Ftrl", "RMSprop"]

_State = dict[Any, dict[str, Any]] | None


def _check_momentum(momentum: Any) -> bool:
    if isinstance(momentum, (int, float)) and (momentum < 0 or momentum > 1):
        raise ValueError(f"`momentum` must be between [0, 1]. Received: momentum={momentum} "
                         f"(of type {type(momentum)}).")
    return isinstance(momentum, tf.Tensor) or callable(momentum) or momentum > 0


class SGD(OptimizerV2):
    """``var -= lr * grad``."""

    def __init__(self, learning_rate: Any = 0.01, momentum: Any = 0.0, nesterov: bool = False,
                 name: str = "SGD", **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("decay", self._initial_decay)
        self._momentum = _check_momentum(momentum)
        self._set_hyper("momentum", momentum)
        self.nesterov = nesterov

    def _create_slots(self, var_list: list[Any]) -> None:
        if self._momentum:
            for var in var_list:
                self.add_slot(var, "momentum")

    def _prepare_local(self, var_device: str, var_dtype: Any, apply_state: Any) -> None:
        super()._prepare_local(var_device, var_dtype, apply_state)
        apply_state[(var_device, var_dtype)]["momentum"] = tf.identity(
            self._get_hyper("momentum", var_dtype))

    def _resource_apply_dense(self, grad: Any, var: Any, apply_state: _State = None) -> Any:
        c = self._coefficients(var, apply_state)
        if self._momentum:
            return apply_update("KerasMomentum", var, (self.get_slot(var, "momentum"),),
                                (c["lr_t"], c["momentum"]), grad,
                                use_locking=self._use_locking, use_nesterov=self.nesterov)
        return apply_update("GradientDescent", var, (), (c["lr_t"],), grad,
                            use_locking=self._use_locking)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(),
                "learning_rate": self._serialize_hyperparameter("learning_rate"),
                "decay": self._initial_decay,
                "momentum": self._serialize_hyperparameter("momentum"),
                "nesterov": self.nesterov}


class Adam(OptimizerV2):
    """Keras' Adam: ``beta^t`` computed from ``iterations + 1`` each step (no power
    variables), epsilon 1e-7."""

    def __init__(self, learning_rate: Any = 0.001, beta_1: Any = 0.9, beta_2: Any = 0.999,
                 epsilon: Any = 1e-7, amsgrad: bool = False, name: str = "Adam",
                 **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("decay", self._initial_decay)
        self._set_hyper("beta_1", beta_1)
        self._set_hyper("beta_2", beta_2)
        self.epsilon = epsilon or _default_epsilon()
        self.amsgrad = amsgrad

    def _create_slots(self, var_list: list[Any]) -> None:
        for var in var_list:
            self.add_slot(var, "m")
        for var in var_list:
            self.add_slot(var, "v")
        if self.amsgrad:
            for var in var_list:
                self.add_slot(var, "vhat")

    def _prepare_local(self, var_device: str, var_dtype: Any, apply_state: Any) -> None:
        super()._prepare_local(var_device, var_dtype, apply_state)
        state = apply_state[(var_device, var_dtype)]
        local_step = tf.cast(self.iterations + 1, var_dtype)
        beta_1_t = tf.identity(self._get_hyper("beta_1", var_dtype))
        beta_2_t = tf.identity(self._get_hyper("beta_2", var_dtype))
        beta_1_power = tf.pow(beta_1_t, local_step)
        beta_2_power = tf.pow(beta_2_t, local_step)
        lr = state["lr_t"] * (tf.sqrt(1 - beta_2_power) / (1 - beta_1_power))
        state.update({"lr": lr, "epsilon": tf.convert_to_tensor(self.epsilon, var_dtype),
                      "beta_1_t": beta_1_t, "beta_1_power": beta_1_power,
                      "one_minus_beta_1_t": 1 - beta_1_t, "beta_2_t": beta_2_t,
                      "beta_2_power": beta_2_power, "one_minus_beta_2_t": 1 - beta_2_t})

    def _resource_apply_dense(self, grad: Any, var: Any, apply_state: _State = None) -> Any:
        c = self._coefficients(var, apply_state)
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        if self.amsgrad:
            return apply_update("AdamWithAmsgrad", var, (m, v, self.get_slot(var, "vhat")),
                                (c["beta_1_power"], c["beta_2_power"], c["lr_t"],
                                 c["beta_1_t"], c["beta_2_t"], c["epsilon"]), grad,
                                use_locking=self._use_locking)
        return apply_update("Adam", var, (m, v),
                            (c["beta_1_power"], c["beta_2_power"], c["lr_t"], c["beta_1_t"],
                             c["beta_2_t"], c["epsilon"]), grad, use_locking=self._use_locking)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(),
                "learning_rate": self._serialize_hyperparameter("learning_rate"),
                "decay": self._initial_decay,
                "beta_1": self._serialize_hyperparameter("beta_1"),
                "beta_2": self._serialize_hyperparameter("beta_2"),
                "epsilon": self.epsilon, "amsgrad": self.amsgrad}


class RMSprop(OptimizerV2):
    """``rms = rho * rms + (1 - rho) * grad^2``; ``var -= lr * grad / (sqrt(rms) + eps)``
    (centered: minus the squared mean gradient); with momentum TF's RMSProp ops."""

    def __init__(self, learning_rate: Any = 0.001, rho: Any = 0.9, momentum: Any = 0.0,
                 epsilon: Any = 1e-7, centered: bool = False, name: str = "RMSprop",
                 **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("decay", self._initial_decay)
        self._set_hyper("rho", rho)
        self._momentum = _check_momentum(momentum)
        self._set_hyper("momentum", momentum)
        self.epsilon = epsilon or _default_epsilon()
        self.centered = centered

    def _create_slots(self, var_list: list[Any]) -> None:
        for var in var_list:
            self.add_slot(var, "rms")
        if self._momentum:
            for var in var_list:
                self.add_slot(var, "momentum")
        if self.centered:
            for var in var_list:
                self.add_slot(var, "mg")

    def _prepare_local(self, var_device: str, var_dtype: Any, apply_state: Any) -> None:
        super()._prepare_local(var_device, var_dtype, apply_state)
        state = apply_state[(var_device, var_dtype)]
        rho = tf.identity(self._get_hyper("rho", var_dtype))
        state.update({"neg_lr_t": -state["lr_t"],
                      "epsilon": tf.convert_to_tensor(self.epsilon, var_dtype), "rho": rho,
                      "momentum": tf.identity(self._get_hyper("momentum", var_dtype)),
                      "one_minus_rho": 1.0 - rho})

    def _resource_apply_dense(self, grad: Any, var: Any, apply_state: _State = None) -> Any:
        c = self._coefficients(var, apply_state)
        rms = self.get_slot(var, "rms")
        lock = self._use_locking
        if self._momentum:
            mom = self.get_slot(var, "momentum")
            scalars = (c["lr_t"], c["rho"], c["momentum"], c["epsilon"])
            if self.centered:
                return apply_update("CenteredRMSProp", var, (self.get_slot(var, "mg"), rms, mom),
                                    scalars, grad, use_locking=lock)
            return apply_update("RMSProp", var, (rms, mom), scalars, grad, use_locking=lock)
        rms_t = c["rho"] * rms + c["one_minus_rho"] * tf.square(grad)
        rms_t = tf.assign(rms, rms_t, use_locking=lock)
        denom_t = rms_t
        if self.centered:
            mg = self.get_slot(var, "mg")
            mg_t = tf.assign(mg, c["rho"] * mg + c["one_minus_rho"] * grad, use_locking=lock)
            denom_t = rms_t - tf.square(mg_t)
        var_t = var - c["lr_t"] * grad / (tf.sqrt(denom_t) + c["epsilon"])
        return tf.assign(var, var_t, use_locking=lock).op

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(),
                "learning_rate": self._serialize_hyperparameter("learning_rate"),
                "decay": self._initial_decay, "rho": self._serialize_hyperparameter("rho"),
                "momentum": self._serialize_hyperparameter("momentum"),
                "epsilon": self.epsilon, "centered": self.centered}


class Adadelta(OptimizerV2):
    """Slots ``accum_grad`` and ``accum_var``; op ResourceApplyAdadelta."""

    def __init__(self, learning_rate: Any = 0.001, rho: Any = 0.95, epsilon: Any = 1e-7,
                 name: str = "Adadelta", **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("decay", self._initial_decay)
        self._set_hyper("rho", rho)
        self.epsilon = epsilon or _default_epsilon()

    def _create_slots(self, var_list: list[Any]) -> None:
        for v in var_list:
            self.add_slot(v, "accum_grad")
        for v in var_list:
            self.add_slot(v, "accum_var")

    def _prepare_local(self, var_device: str, var_dtype: Any, apply_state: Any) -> None:
        super()._prepare_local(var_device, var_dtype, apply_state)
        apply_state[(var_device, var_dtype)].update({
            "epsilon": tf.convert_to_tensor(self.epsilon, var_dtype),
            "rho": tf.identity(self._get_hyper("rho", var_dtype))})

    def _resource_apply_dense(self, grad: Any, var: Any, apply_state: _State = None) -> Any:
        c = self._coefficients(var, apply_state)
        return apply_update("Adadelta", var, (self.get_slot(var, "accum_grad"),
                                              self.get_slot(var, "accum_var")),
                            (c["lr_t"], c["rho"], c["epsilon"]), grad,
                            use_locking=self._use_locking)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(),
                "learning_rate": self._serialize_hyperparameter("learning_rate"),
                "decay": self._initial_decay, "rho": self._serialize_hyperparameter("rho"),
                "epsilon": self.epsilon}


class Ftrl(OptimizerV2):
    """Slots ``accumulator`` (``initial_accumulator_value``) and ``linear``; ``beta`` adds
    ``beta / (2 lr)`` to the l2 strength."""

    def __init__(self, learning_rate: Any = 0.001, learning_rate_power: Any = -0.5,
                 initial_accumulator_value: Any = 0.1, l1_regularization_strength: Any = 0.0,
                 l2_regularization_strength: Any = 0.0, name: str = "Ftrl",
                 l2_shrinkage_regularization_strength: Any = 0.0, beta: Any = 0.0,
                 **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        positive = "needs to be positive or zero."
        checks = (("initial_accumulator_value", initial_accumulator_value,
                   initial_accumulator_value < 0.0, positive),
                  ("learning_rate_power", learning_rate_power, learning_rate_power > 0.0,
                   "needs to be negative or zero."),
                  ("l1_regularization_strength", l1_regularization_strength,
                   l1_regularization_strength < 0.0, positive),
                  ("l2_regularization_strength", l2_regularization_strength,
                   l2_regularization_strength < 0.0, positive),
                  ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength,
                   l2_shrinkage_regularization_strength < 0.0, positive))
        for arg, value, bad, need in checks:
            if bad:
                raise ValueError(f"`{arg}` {need} Received: {arg}={value}.")
        self._set_hyper("learning_rate", learning_rate)
        self._set_hyper("decay", self._initial_decay)
        self._set_hyper("learning_rate_power", learning_rate_power)
        self._set_hyper("l1_regularization_strength", l1_regularization_strength)
        self._set_hyper("l2_regularization_strength", l2_regularization_strength)
        self._set_hyper("beta", beta)
        self._initial_accumulator_value = initial_accumulator_value
        self._l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength

    def _create_slots(self, var_list: list[Any]) -> None:
        for var in var_list:
            self.add_slot(var, "accumulator", float(self._initial_accumulator_value))
            self.add_slot(var, "linear")

    def _prepare_local(self, var_device: str, var_dtype: Any, apply_state: Any) -> None:
        super()._prepare_local(var_device, var_dtype, apply_state)
        apply_state[(var_device, var_dtype)].update({
            "learning_rate_power": tf.identity(self._get_hyper("learning_rate_power",
                                                               var_dtype)),
            "l1_regularization_strength": tf.identity(self._get_hyper(
                "l1_regularization_strength", var_dtype)),
            "l2_regularization_strength": tf.identity(self._get_hyper(
                "l2_regularization_strength", var_dtype)),
            "beta": tf.identity(self._get_hyper("beta", var_dtype)),
            "l2_shrinkage_regularization_strength": tf.cast(
                self._l2_shrinkage_regularization_strength, var_dtype)})

    def _resource_apply_dense(self, grad: Any, var: Any, apply_state: _State = None) -> Any:
        c = self._coefficients(var, apply_state)
        l2 = c["l2_regularization_strength"] + c["beta"] / (2.0 * c["lr_t"])
        slots = (self.get_slot(var, "accumulator"), self.get_slot(var, "linear"))
        if self._l2_shrinkage_regularization_strength <= 0.0:
            return apply_update("Ftrl", var, slots, (c["lr_t"], c["l1_regularization_strength"],
                                                     l2, c["learning_rate_power"]), grad,
                                use_locking=self._use_locking)
        return apply_update("FtrlV2", var, slots,
                            (c["lr_t"], c["l1_regularization_strength"], l2,
                             c["l2_shrinkage_regularization_strength"],
                             c["learning_rate_power"]), grad, use_locking=self._use_locking)

    def get_config(self) -> dict[str, Any]:
        h = self._serialize_hyperparameter
        return {**super().get_config(), "learning_rate": h("learning_rate"),
                "decay": self._initial_decay,
                "initial_accumulator_value": self._initial_accumulator_value,
                "learning_rate_power": h("learning_rate_power"),
                "l1_regularization_strength": h("l1_regularization_strength"),
                "l2_regularization_strength": h("l2_regularization_strength"),
                "beta": h("beta"),
                "l2_shrinkage_regularization_strength":
                    self._l2_shrinkage_regularization_strength}
