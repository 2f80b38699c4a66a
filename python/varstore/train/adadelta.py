"""``tf.train.AdadeltaOptimizer`` (TF's adadelta.py)."""

from __future__ import annotations

from typing import Any

from varstore.framework.constant_op import convert_to_tensor
from varstore.train.optimizer import BuiltinOptimizer

__all__ = ["AdadeltaOptimizer"]


class AdadeltaOptimizer(BuiltinOptimizer):
    """Slots ``<var>/Adadelta`` (accum) and ``<var>/Adadelta_1`` (accum_update), both zeros;
    op ``ResourceApplyAdadelta``: ``update = sqrt(accum_update + eps) / sqrt(accum + eps) * g``,
    ``var -= lr * update``."""

    def __init__(self, learning_rate: Any = 0.001, rho: Any = 0.95, epsilon: Any = 1e-8,
                 use_locking: bool = False, name: str = "Adadelta") -> None:
        super().__init__(use_locking, name)
        self._lr = learning_rate
        self._rho = rho
        self._epsilon = epsilon
        self._lr_t: Any = None
        self._rho_t: Any = None
        self._epsilon_t: Any = None

    def _create_slots(self, var_list: list[Any]) -> None:
        for v in var_list:
            self._zeros_slot(v, "accum", self._name)
            self._zeros_slot(v, "accum_update", self._name)

    def _prepare(self) -> None:
        c = self._call_if_callable
        self._lr_t = convert_to_tensor(c(self._lr), name="lr")
        self._rho_t = convert_to_tensor(c(self._rho), name="rho")
        self._epsilon_t = convert_to_tensor(c(self._epsilon), name="epsilon")

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        slots = (self.get_slot(var, "accum"), self.get_slot(var, "accum_update"))
        return self._apply("Adadelta", var, slots, (self._lr_t, self._rho_t, self._epsilon_t),
                           grad)
