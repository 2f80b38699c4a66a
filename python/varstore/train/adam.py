"""``tf.train.AdamOptimizer`` (TF's training/adam.py): TF1's epsilon-hat form.

``lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)`` with ``beta1^t`` and ``beta2^t`` kept in
the non-slot variables ``beta1_power`` and ``beta2_power`` (made once per graph, beside the
first variable by name) and advanced in ``_finish`` after every update op has run.
"""

from __future__ import annotations

from typing import Any

from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import get_default_graph
from varstore.ops import array_scatter_ops, control_flow_ops, math_unary_ops, state_ops
from varstore.train.optimizer import BuiltinOptimizer, _cast

__all__ = ["AdamOptimizer"]


class AdamOptimizer(BuiltinOptimizer):
    """Slots ``<var>/Adam`` (m) and ``<var>/Adam_1`` (v); op ``ResourceApplyAdam``."""

    def __init__(self, learning_rate: Any = 0.001, beta1: Any = 0.9, beta2: Any = 0.999,
                 epsilon: Any = 1e-8, use_locking: bool = False, name: str = "Adam",
                 use_own_namescope_for_non_slot_vars: bool = False) -> None:
        super().__init__(use_locking, name, use_own_namescope_for_non_slot_vars)
        self._lr = learning_rate
        self._beta1 = beta1
        self._beta2 = beta2
        self._epsilon = epsilon
        self._lr_t: Any = None
        self._beta1_t: Any = None
        self._beta2_t: Any = None
        self._epsilon_t: Any = None

    def _get_beta_accumulators(self) -> tuple[Any, Any]:
        graph = get_default_graph()
        return (self._get_non_slot_variable("beta1_power", graph=graph),
                self._get_non_slot_variable("beta2_power", graph=graph))

    def _create_slots(self, var_list: list[Any]) -> None:
        first_var = min(var_list, key=lambda x: x.name)
        self._create_non_slot_variable(initial_value=self._beta1, name="beta1_power",
                                       colocate_with=first_var)
        self._create_non_slot_variable(initial_value=self._beta2, name="beta2_power",
                                       colocate_with=first_var)
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _prepare(self) -> None:
        self._lr_t = convert_to_tensor(self._call_if_callable(self._lr), name="learning_rate")
        self._beta1_t = convert_to_tensor(self._call_if_callable(self._beta1), name="beta1")
        self._beta2_t = convert_to_tensor(self._call_if_callable(self._beta2), name="beta2")
        self._epsilon_t = convert_to_tensor(self._call_if_callable(self._epsilon),
                                            name="epsilon")

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        m = self.get_slot(var, "m")
        v = self.get_slot(var, "v")
        beta1_power, beta2_power = self._get_beta_accumulators()
        return self._apply("Adam", var, (m, v),
                           (beta1_power, beta2_power, self._lr_t, self._beta1_t,
                            self._beta2_t, self._epsilon_t), grad)

    def _apply_sparse(self, grad: Any, var: Any) -> Any:
        """TF's _apply_sparse_shared: m and v decay everywhere (an Assign), the rows'
        gradient terms are scattered in, then the whole variable steps (AssignSub)."""
        graph = get_default_graph()
        dt = var.dtype.base_dtype
        beta1_power, beta2_power = (_cast(b, dt) for b in self._get_beta_accumulators())
        lr_t, beta1_t, beta2_t, epsilon_t = (_cast(t, dt) for t in (
            self._lr_t, self._beta1_t, self._beta2_t, self._epsilon_t))
        lr = lr_t * math_unary_ops.sqrt(1 - beta2_power) / (1 - beta1_power)
        values, indices = grad.values, grad.indices
        lock = self._use_locking

        def scatter_add(x: Any, v: Any) -> Any:
            if var._is_ref:
                return array_scatter_ops.scatter_add(x, indices, v, use_locking=lock)
            with graph.control_dependencies([array_scatter_ops.scatter_add(x, indices, v)]):
                return x.value()

        m = self.get_slot(var, "m")
        m_scaled_g_values = values * (1 - beta1_t)
        m_t = state_ops.assign(m, m * beta1_t, use_locking=lock)
        with graph.control_dependencies([m_t]):
            m_t = scatter_add(m, m_scaled_g_values)
        v = self.get_slot(var, "v")
        v_scaled_g_values = (values * values) * (1 - beta2_t)
        v_t = state_ops.assign(v, v * beta2_t, use_locking=lock)
        with graph.control_dependencies([v_t]):
            v_t = scatter_add(v, v_scaled_g_values)
        v_sqrt = math_unary_ops.sqrt(v_t)
        var_update = state_ops.assign_sub(var, lr * m_t / (v_sqrt + epsilon_t),
                                          use_locking=lock)
        return control_flow_ops.group(var_update, m_t, v_t)

    def _finish(self, update_ops: list[Any], name_scope: str) -> Any:
        graph = get_default_graph()
        with graph.control_dependencies(update_ops):
            beta1_power, beta2_power = self._get_beta_accumulators()
            with graph.colocate_with(beta1_power):  # (TF's: with the accumulators)
                update_beta1 = beta1_power.assign(beta1_power * self._beta1_t,
                                                  use_locking=self._use_locking)
                update_beta2 = beta2_power.assign(beta2_power * self._beta2_t,
                                                  use_locking=self._use_locking)
        return control_flow_ops.group(*update_ops, update_beta1, update_beta2,
                                      name=name_scope)
