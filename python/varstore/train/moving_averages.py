"""``tf.train.ExponentialMovingAverage`` and ``assign_moving_average`` (TF's
training/moving_averages.py).

``apply`` makes a shadow variable ``<var>/ExponentialMovingAverage`` per variable (started
at the variable's initial value) or per tensor (started at zeros), and returns the group of
``shadow -= (shadow - value) * (1 - decay)`` updates. With ``num_updates`` the decay is
``min(decay, (1 + n) / (10 + n))``.
"""

from __future__ import annotations

from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import GraphKeys, get_default_graph
from varstore.ops import control_flow_ops, math_ops, math_unary_ops
from varstore.train import slot_creator

__all__ = ["ExponentialMovingAverage", "assign_moving_average"]

_FLOAT_NAMES = ("bfloat16", "float16", "float32", "float64")


def _is_variable(v: Any) -> bool:
    return hasattr(type(v), "_as_tensor") and hasattr(v, "_id")


def assign_moving_average(variable: Any, value: Any, decay: Any, zero_debias: bool = True,
                          name: str | None = None) -> Any:
    """``variable -= (variable - value) * (1 - decay)`` (op ``AssignMovingAvg``)."""
    if zero_debias:
        raise NotImplementedError("varstore lacks assign_moving_average(zero_debias=True); "
                                  "pass zero_debias=False")
    graph = get_default_graph()
    with graph.name_scope(name or "AssignMovingAvg") as scope:
        d = convert_to_tensor(1.0 - decay, name="decay")
        dt = variable.dtype.base_dtype
        if d.dtype != dt:
            d = math_unary_ops.cast(d, dt)
        delta = math_ops.multiply(math_ops.subtract(variable, value), d)
        return variable.assign_sub(delta, name=scope)


class ExponentialMovingAverage:
    """Shadow variables that track moving averages of variables or tensors."""

    def __init__(self, decay: Any, num_updates: Any = None, zero_debias: bool = False,
                 name: str = "ExponentialMovingAverage") -> None:
        self._decay = decay
        self._num_updates = num_updates
        self._zero_debias = zero_debias
        self._name = name
        self._averages: dict[int, tuple[Any, Any]] = {}  # id(var) -> (var, average)

    @property
    def name(self) -> str:
        return self._name

    def apply(self, var_list: Any = None) -> Any:
        graph = get_default_graph()
        if var_list is None:
            var_list = graph.get_collection(GraphKeys.TRAINABLE_VARIABLES)
        var_list = list(var_list)
        for var in var_list:
            if var.dtype.base_dtype.name not in _FLOAT_NAMES:
                raise TypeError(f"The variables must be half, float, or double: {var.name}")
            if id(var) in self._averages:
                continue
            with graph.control_dependencies(None):
                if _is_variable(var):
                    avg = slot_creator.create_slot(var, var.initialized_value(), self._name)
                    graph.add_to_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, var)
                else:
                    if self._zero_debias:
                        raise NotImplementedError(
                            "varstore lacks ExponentialMovingAverage(zero_debias=True) for "
                            "tensors")
                    avg = slot_creator.create_zeros_slot(var, self._name)
            self._averages[id(var)] = (var, avg)
        with graph.name_scope(self._name) as scope:
            decay = convert_to_tensor(self._decay, dtype=_dtypes.float32, name="decay")
            if self._num_updates is not None:
                n = math_unary_ops.cast(self._num_updates, _dtypes.float32, name="num_updates")
                decay = math_ops.minimum(decay, math_ops.truediv(math_ops.add(1.0, n),
                                                                 math_ops.add(10.0, n)))
            updates = [assign_moving_average(self._averages[id(v)][1], v, decay,
                                             zero_debias=False) for v in var_list]
            return control_flow_ops.group(*updates, name=scope)

    def average(self, var: Any) -> Any:
        entry = self._averages.get(id(var))
        return None if entry is None else entry[1]

    def average_name(self, var: Any) -> str:
        entry = self._averages.get(id(var))
        if entry is not None:
            return str(entry[1].op.name)
        return f"{var.op.name}/{self._name}"

    def variables_to_restore(self, moving_avg_variables: Any = None) -> dict[str, Any]:
        """The Saver var_list that restores each average into its variable."""
        graph = get_default_graph()
        if moving_avg_variables is None:
            moving_avg_variables = (graph.get_collection(GraphKeys.TRAINABLE_VARIABLES)
                                    + graph.get_collection(
                                        GraphKeys.MOVING_AVERAGE_VARIABLES))
        name_map: dict[str, Any] = {}
        seen: dict[int, Any] = {id(v): v for v in moving_avg_variables}
        for v in seen.values():
            name_map[self.average_name(v)] = v
        names = {v.name for v in seen.values()}
        for v in graph.get_collection(GraphKeys.GLOBAL_VARIABLES):
            if v.name not in names and v.op.name not in name_map:
                name_map[v.op.name] = v
        return name_map

