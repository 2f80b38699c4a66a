"""``tf.train.RMSPropOptimizer`` and ``AdagradOptimizer`` (TF's rmsprop.py, adagrad.py).

RMSProp keeps epsilon inside the square root: ``mom = mom * momentum + lr * g /
sqrt(ms + epsilon)``; its ``rms`` slot starts at ones, as TF1's does.
"""

from __future__ import annotations

from typing import Any

from varstore.framework.constant_op import convert_to_tensor
from varstore.ops import init_ops
from varstore.train.optimizer import BuiltinOptimizer

__all__ = ["AdagradOptimizer", "RMSPropOptimizer"]


class RMSPropOptimizer(BuiltinOptimizer):
    """Slots ``<var>/RMSProp`` (rms), ``<var>/RMSProp_1`` (mg, when centered) and the next
    one (momentum); op ``ResourceApplyRMSProp`` or ``ResourceApplyCenteredRMSProp``."""

    def __init__(self, learning_rate: Any, decay: Any = 0.9, momentum: Any = 0.0,
                 epsilon: Any = 1e-10, use_locking: bool = False, centered: bool = False,
                 name: str = "RMSProp") -> None:
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._decay = decay
        self._momentum = momentum
        self._epsilon = epsilon
        self._centered = centered
        self._learning_rate_tensor: Any = None
        self._decay_tensor: Any = None
        self._momentum_tensor: Any = None
        self._epsilon_tensor: Any = None

    def _create_slots(self, var_list: list[Any]) -> None:
        for v in var_list:
            dt = v.dtype.base_dtype
            self._get_or_make_slot_with_initializer(v, init_ops.ones_initializer(dtype=dt),
                                                    v.shape, dt, "rms", self._name)
            if self._centered:
                self._zeros_slot(v, "mg", self._name)
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self) -> None:
        c = self._call_if_callable
        self._learning_rate_tensor = convert_to_tensor(c(self._learning_rate),
                                                       name="learning_rate")
        self._decay_tensor = convert_to_tensor(c(self._decay), name="decay")
        self._momentum_tensor = convert_to_tensor(c(self._momentum), name="momentum")
        self._epsilon_tensor = convert_to_tensor(c(self._epsilon), name="epsilon")

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        rms = self.get_slot(var, "rms")
        mom = self.get_slot(var, "momentum")
        scalars = (self._learning_rate_tensor, self._decay_tensor, self._momentum_tensor,
                   self._epsilon_tensor)
        if self._centered:
            mg = self.get_slot(var, "mg")
            return self._apply("CenteredRMSProp", var, (mg, rms, mom), scalars, grad)
        return self._apply("RMSProp", var, (rms, mom), scalars, grad)


class AdagradOptimizer(BuiltinOptimizer):
    """``accum += g^2; var -= lr * g / sqrt(accum)``; slot ``<var>/Adagrad`` starting at
    ``initial_accumulator_value``."""

    def __init__(self, learning_rate: Any, initial_accumulator_value: float = 0.1,
                 use_locking: bool = False, name: str = "Adagrad") -> None:
        if initial_accumulator_value <= 0.0:
            raise ValueError("initial_accumulator_value must be positive: "
                             f"{initial_accumulator_value}")
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value
        self._learning_rate_tensor: Any = None

    def _create_slots(self, var_list: list[Any]) -> None:
        for v in var_list:
            dt = v.dtype.base_dtype
            init = init_ops.constant_initializer(self._initial_accumulator_value, dtype=dt)
            self._get_or_make_slot_with_initializer(v, init, v.shape, dt, "accumulator",
                                                    self._name)

    def _prepare(self) -> None:
        self._learning_rate_tensor = convert_to_tensor(
            self._call_if_callable(self._learning_rate), name="learning_rate")

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        acc = self.get_slot(var, "accumulator")
        return self._apply("Adagrad", var, (acc,), (self._learning_rate_tensor,), grad)
