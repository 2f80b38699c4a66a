"""``tf.train.AdagradDAOptimizer`` (TF's adagrad_da.py): Adagrad dual averaging, with the
closed-form update of rows a mini-batch did not touch.

Slots ``<var>/AdagradDA`` (gradient_accumulator, zeros) and ``<var>/AdagradDA_1``
(gradient_squared_accumulator, ``initial_gradient_squared_accumulator_value``); the update
op ``(Resource)(Sparse)ApplyAdagradDA`` gets the global step plus one, as TF's.
"""

from __future__ import annotations

from typing import Any

from varstore.framework.constant_op import constant, convert_to_tensor
from varstore.framework.ops import Tensor
from varstore.ops import array_ops
from varstore.ops.math_unary_ops import cast
from varstore.train import training_ops
from varstore.train.optimizer import BuiltinOptimizer

__all__ = ["AdagradDAOptimizer"]


class AdagradDAOptimizer(BuiltinOptimizer):
    """Adagrad Dual Averaging for sparse linear models (``global_step`` is required)."""

    def __init__(self, learning_rate: Any, global_step: Any,
                 initial_gradient_squared_accumulator_value: float = 0.1,
                 l1_regularization_strength: Any = 0.0,
                 l2_regularization_strength: Any = 0.0, use_locking: bool = False,
                 name: str = "AdagradDA") -> None:
        if initial_gradient_squared_accumulator_value <= 0.0:
            raise ValueError("initial_gradient_squared_accumulator_value must be positive: "
                             f"{initial_gradient_squared_accumulator_value}")
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_gradient_squared_accumulator_value = (
            initial_gradient_squared_accumulator_value)
        self._learning_rate_tensor: Any = None
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength
        self._global_step = global_step
        self._global_step_on_worker: Any = None

    def _create_slots(self, var_list: list[Any]) -> None:
        for v in var_list:
            dt = v.dtype.base_dtype
            with v.graph.colocate_with(v):
                g_val = constant(0.0, shape=v.get_shape(), dtype=dt)
                gg_val = constant(self._initial_gradient_squared_accumulator_value,
                                  shape=v.get_shape(), dtype=dt)
            self._get_or_make_slot(v, g_val, "gradient_accumulator", self._name)
            self._get_or_make_slot(v, gg_val, "gradient_squared_accumulator", self._name)

    def _prepare(self) -> None:
        self._learning_rate_tensor = convert_to_tensor(self._learning_rate,
                                                       name="learning_rate")
        # TF: the step plus one, so the first update divides by 1, not 0
        self._global_step_on_worker = array_ops.identity(self._global_step) + 1

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        return self._update(grad, var, None)

    def _apply_sparse(self, grad: Any, var: Any) -> Any:
        return self._update(grad.values, var, grad.indices)

    def _update(self, grad: Any, var: Any, indices: Any) -> Any:
        g_acc = self.get_slot(var, "gradient_accumulator")
        gg_acc = self.get_slot(var, "gradient_squared_accumulator")
        global_step = array_ops.identity(self._global_step_on_worker)
        dt = var.dtype.base_dtype
        scalars = (cast(self._learning_rate_tensor, dt),
                   cast(self._l1_regularization_strength, dt),
                   cast(self._l2_regularization_strength, dt), global_step)
        out = training_ops.apply_update("AdagradDA", var, (g_acc, gg_acc), scalars, grad,
                                        None, self._use_locking, indices=indices)
        return out.op if isinstance(out, Tensor) else out
