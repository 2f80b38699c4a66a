"""``tf.train.GradientDescentOptimizer`` and ``MomentumOptimizer`` (TF's
gradient_descent.py and momentum.py)."""

from __future__ import annotations

from typing import Any

from varstore.framework.constant_op import convert_to_tensor
from varstore.ops import array_scatter_ops
from varstore.train.optimizer import BuiltinOptimizer, _cast

__all__ = ["GradientDescentOptimizer", "MomentumOptimizer"]


class GradientDescentOptimizer(BuiltinOptimizer):
    """``var -= learning_rate * grad`` (op ``ResourceApplyGradientDescent``)."""

    def __init__(self, learning_rate: Any, use_locking: bool = False,
                 name: str = "GradientDescent") -> None:
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._learning_rate_tensor: Any = None

    def _prepare(self) -> None:
        lr = self._call_if_callable(self._learning_rate)
        self._learning_rate_tensor = convert_to_tensor(lr, name="learning_rate")

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        return self._apply("GradientDescent", var, (), (self._learning_rate_tensor,), grad)

    def _apply_sparse_duplicate_indices(self, grad: Any, var: Any) -> Any:
        """Rows scattered straight in, repeats and all (TF: ScatterSub of values * lr on a
        ref variable, ResourceScatterAdd of -values * lr on a resource one)."""
        lr = _cast(self._learning_rate_tensor, var.dtype.base_dtype)
        if var._is_ref:
            return array_scatter_ops.scatter_sub(var, grad.indices, grad.values * lr,
                                                 use_locking=self._use_locking)
        return array_scatter_ops.scatter_add(var, grad.indices, -grad.values * lr).op


class MomentumOptimizer(BuiltinOptimizer):
    """``accum = accum * momentum + grad; var -= lr * accum`` (Nesterov:
    ``var -= grad * lr + accum * momentum * lr``); slot ``<var>/Momentum``."""

    def __init__(self, learning_rate: Any, momentum: Any, use_locking: bool = False,
                 name: str = "Momentum", use_nesterov: bool = False) -> None:
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._momentum = momentum
        self._use_nesterov = use_nesterov
        self._learning_rate_tensor: Any = None
        self._momentum_tensor: Any = None

    def _create_slots(self, var_list: list[Any]) -> None:
        for v in var_list:
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self) -> None:
        self._learning_rate_tensor = convert_to_tensor(
            self._call_if_callable(self._learning_rate), name="learning_rate")
        self._momentum_tensor = convert_to_tensor(self._call_if_callable(self._momentum),
                                                  name="momentum")

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        mom = self.get_slot(var, "momentum")
        return self._apply("Momentum", var, (mom,),
                           (self._learning_rate_tensor, self._momentum_tensor), grad,
                           use_nesterov=self._use_nesterov)
