"""``tf.train.FtrlOptimizer`` (TF's ftrl.py): FTRL-Proximal, with TF's l2 shrinkage
(``ResourceApplyFtrlV2``) and ``beta`` folded into the l2 strength as TF folds it."""

from __future__ import annotations

from typing import Any

from varstore.framework.constant_op import convert_to_tensor
from varstore.ops import init_ops
from varstore.ops.math_ops import maximum
from varstore.train.optimizer import BuiltinOptimizer

__all__ = ["FtrlOptimizer"]


class FtrlOptimizer(BuiltinOptimizer):
    """Slots ``<var>/Ftrl`` (accum, starting at ``initial_accumulator_value``) and
    ``<var>/Ftrl_1`` (linear, zeros), or under ``accum_name`` / ``linear_name``."""

    def __init__(self, learning_rate: Any, learning_rate_power: float = -0.5,
                 initial_accumulator_value: float = 0.1,
                 l1_regularization_strength: float = 0.0,
                 l2_regularization_strength: float = 0.0, use_locking: bool = False,
                 name: str = "Ftrl", accum_name: str | None = None,
                 linear_name: str | None = None,
                 l2_shrinkage_regularization_strength: float = 0.0,
                 beta: float | None = None) -> None:
        super().__init__(use_locking, name)
        for value, what, sign in (
                (initial_accumulator_value, "initial_accumulator_value", "positive or zero"),
                (-learning_rate_power, "learning_rate_power", "negative or zero"),
                (l1_regularization_strength, "l1_regularization_strength", "positive or zero"),
                (l2_regularization_strength, "l2_regularization_strength", "positive or zero"),
                (l2_shrinkage_regularization_strength, "l2_shrinkage_regularization_strength",
                 "positive or zero")):
            if value < 0.0:
                shown = -value if what == "learning_rate_power" else value
                raise ValueError(f"{what} {shown:f} needs to be {sign}")
        self._learning_rate = learning_rate
        self._learning_rate_power = learning_rate_power
        self._initial_accumulator_value = initial_accumulator_value
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength
        self._beta = 0.0 if beta is None else beta
        self._l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self._accum_name = accum_name
        self._linear_name = linear_name
        self._learning_rate_tensor: Any = None
        self._learning_rate_power_tensor: Any = None
        self._l1_regularization_strength_tensor: Any = None
        self._adjusted_l2_regularization_strength_tensor: Any = None
        self._l2_shrinkage_regularization_strength_tensor: Any = None

    def _create_slots(self, var_list: list[Any]) -> None:
        for v in var_list:
            dt = v.dtype.base_dtype
            init = init_ops.constant_initializer(self._initial_accumulator_value, dtype=dt)
            self._get_or_make_slot_with_initializer(v, init, v.shape, dt, "accum",
                                                    self._accum_name or self._name)
            self._zeros_slot(v, "linear", self._linear_name or self._name)

    def _prepare(self) -> None:
        self._learning_rate_tensor = convert_to_tensor(self._learning_rate,
                                                       name="learning_rate")
        self._l1_regularization_strength_tensor = convert_to_tensor(
            self._l1_regularization_strength, name="l1_regularization_strength")
        # TF: l2 + beta / (2 * max(lr, 1e-36)), built as graph ops.
        self._adjusted_l2_regularization_strength_tensor = convert_to_tensor(
            self._l2_regularization_strength
            + self._beta / (2.0 * maximum(self._learning_rate, 1e-36)),
            name="adjusted_l2_regularization_strength")
        self._l2_shrinkage_regularization_strength_tensor = convert_to_tensor(
            self._l2_shrinkage_regularization_strength,
            name="l2_shrinkage_regularization_strength")
        self._learning_rate_power_tensor = convert_to_tensor(self._learning_rate_power,
                                                             name="learning_rate_power")

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        slots = (self.get_slot(var, "accum"), self.get_slot(var, "linear"))
        lr = self._learning_rate_tensor
        l1 = self._l1_regularization_strength_tensor
        l2 = self._adjusted_l2_regularization_strength_tensor
        power = self._learning_rate_power_tensor
        if self._l2_shrinkage_regularization_strength <= 0.0:
            return self._apply("Ftrl", var, slots, (lr, l1, l2, power), grad)
        shrink = self._l2_shrinkage_regularization_strength_tensor
        return self._apply("FtrlV2", var, slots, (lr, l1, l2, shrink, power), grad)
