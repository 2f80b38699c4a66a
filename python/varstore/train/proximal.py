"""``tf.train.ProximalGradientDescentOptimizer`` and ``ProximalAdagradOptimizer`` (TF's
proximal_gradient_descent.py and proximal_adagrad.py): the step is followed by TF's
proximal shrinkage (soft threshold by lr*l1, then a 1/(1 + lr*l2) scale)."""

from __future__ import annotations

from typing import Any

from varstore.framework.constant_op import convert_to_tensor
from varstore.ops import init_ops
from varstore.train.optimizer import BuiltinOptimizer

__all__ = ["ProximalAdagradOptimizer", "ProximalGradientDescentOptimizer"]


class _Regularized(BuiltinOptimizer):
    def __init__(self, learning_rate: Any, l1: Any, l2: Any, use_locking: bool,
                 name: str) -> None:
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._l1_regularization_strength = l1
        self._l2_regularization_strength = l2
        self._learning_rate_tensor: Any = None
        self._l1_regularization_strength_tensor: Any = None
        self._l2_regularization_strength_tensor: Any = None

    def _prepare(self) -> None:
        self._learning_rate_tensor = convert_to_tensor(self._learning_rate,
                                                       name="learning_rate")
        self._l1_regularization_strength_tensor = convert_to_tensor(
            self._l1_regularization_strength, name="l1_regularization_strength")
        self._l2_regularization_strength_tensor = convert_to_tensor(
            self._l2_regularization_strength, name="l2_regularization_strength")

    def _scalars(self) -> tuple[Any, Any, Any]:
        return (self._learning_rate_tensor, self._l1_regularization_strength_tensor,
                self._l2_regularization_strength_tensor)


class ProximalGradientDescentOptimizer(_Regularized):
    """No slots; op ``ResourceApplyProximalGradientDescent``."""

    def __init__(self, learning_rate: Any, l1_regularization_strength: Any = 0.0,
                 l2_regularization_strength: Any = 0.0, use_locking: bool = False,
                 name: str = "ProximalGradientDescent") -> None:
        super().__init__(learning_rate, l1_regularization_strength,
                         l2_regularization_strength, use_locking, name)

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        return self._apply("ProximalGradientDescent", var, (), self._scalars(), grad)


class ProximalAdagradOptimizer(_Regularized):
    """Slot ``<var>/ProximalAdagrad`` starting at ``initial_accumulator_value``; op
    ``ResourceApplyProximalAdagrad``."""

    def __init__(self, learning_rate: Any, initial_accumulator_value: float = 0.1,
                 l1_regularization_strength: Any = 0.0, l2_regularization_strength: Any = 0.0,
                 use_locking: bool = False, name: str = "ProximalAdagrad") -> None:
        if initial_accumulator_value <= 0.0:
            raise ValueError("initial_accumulator_value must be positive: "
                             f"{initial_accumulator_value}")
        super().__init__(learning_rate, l1_regularization_strength,
                         l2_regularization_strength, use_locking, name)
        self._initial_accumulator_value = initial_accumulator_value

    def _create_slots(self, var_list: list[Any]) -> None:
        for v in var_list:
            dt = v.dtype.base_dtype
            init = init_ops.constant_initializer(self._initial_accumulator_value, dtype=dt)
            self._get_or_make_slot_with_initializer(v, init, v.shape, dt, "accumulator",
                                                    self._name)

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        acc = self.get_slot(var, "accumulator")
        return self._apply("ProximalAdagrad", var, (acc,), self._scalars(), grad)
