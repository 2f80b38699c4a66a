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
from varstore import variable_scope as vs
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import GraphKeys, get_default_graph
from varstore.ops import control_flow_ops, init_ops, math_ops, math_unary_ops, state_ops
from varstore.train import slot_creator

__all__ = ["ExponentialMovingAverage", "assign_moving_average"]

_FLOAT_NAMES = ("bfloat16", "float16", "float32", "float64")


def _is_variable(v: Any) -> bool:
    return hasattr(type(v), "_as_tensor") and hasattr(v, "_id")


def assign_moving_average(variable: Any, value: Any, decay: Any, zero_debias: bool = True,
                          name: str | None = None) -> Any:
    """``variable -= (variable - value) * (1 - decay)`` (op ``AssignMovingAvg``); with
    ``zero_debias`` (TF's default) the average is kept in ``<var>/biased`` and ``variable``
    gets it divided by ``1 - decay ** steps``, as TF's _zero_debias."""
    graph = get_default_graph()
    with graph.name_scope(name or "AssignMovingAvg") as scope:
        d = convert_to_tensor(1.0 - decay, name="decay")
        dt = variable.dtype.base_dtype
        if d.dtype != dt:
            d = math_unary_ops.cast(d, dt)
        if zero_debias:
            return _zero_debias(graph, variable, value, d)
        delta = (variable - value) * d  # (operators, as TF's: ops sub_<n> and mul)
        # through tf.assign_sub, as TF: a resource variable's op keeps its default name
        # (AssignMovingAvg/AssignSubVariableOp), a ref one is named by the scope
        return state_ops.assign_sub(variable, delta, name=scope)


def _zero_debias(graph: Any, unbiased_var: Any, value: Any, decay: Any) -> Any:
    """TF's _zero_debias: ``biased`` and ``local_step`` variables in the variable scope
    named after ``unbiased_var`` (made unique unless reusing), colocated with it."""
    with vs.variable_scope(unbiased_var.name[:-len(":0")],
                           values=[unbiased_var, value, decay]):

        def unique(name: str) -> str:
            scope = vs.get_variable_scope()
            if scope.reuse:
                return name
            taken = {x.op.name for x in scope.global_variables()}
            full = scope.name + "/" + name
            if full not in taken:
                return name
            idx = 1
            while f"{full}_{idx}" in taken:
                idx += 1
            return f"{name}_{idx}"

        with graph.colocate_with(unbiased_var):
            biased_var = vs.get_variable(unique("biased"), shape=unbiased_var.get_shape(),
                                         dtype=unbiased_var.dtype,
                                         initializer=init_ops.zeros_initializer(),
                                         trainable=False)
            local_step = vs.get_variable(unique("local_step"), shape=[],
                                         dtype=unbiased_var.dtype,
                                         initializer=init_ops.zeros_initializer(),
                                         trainable=False)
    # TF's operators (and so its node names: sub, mul, sub_1, Pow, sub_2, truediv)
    update_biased = state_ops.assign_sub(biased_var, (biased_var - value) * decay)
    update_local_step = local_step.assign_add(1)
    bias_factor = 1 - math_ops.pow(1.0 - decay, update_local_step)
    return state_ops.assign(unbiased_var, update_biased / bias_factor,
                            name=graph.get_name_scope() + "/")


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
        debiased: set[int] = set()  # only a tensor's average is debiased, as in TF
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
                    # a tensor's average takes the current device (TF colocates only
                    # with a variable)
                    avg = slot_creator.create_zeros_slot(var, self._name,
                                                         colocate_with_primary=False)
                    if self._zero_debias:
                        debiased.add(id(avg))
            self._averages[id(var)] = (var, avg)
        with graph.name_scope(self._name) as scope:
            decay = convert_to_tensor(self._decay, dtype=_dtypes.float32, name="decay")
            if self._num_updates is not None:
                n = math_unary_ops.cast(self._num_updates, _dtypes.float32, name="num_updates")
                # (operators, as TF's: ops add, add_1, truediv)
                decay = math_ops.minimum(decay, (1.0 + n) / (10.0 + n))
            updates = [assign_moving_average(self._averages[id(v)][1], v, decay,
                                             zero_debias=id(self._averages[id(v)][1])
                                             in debiased) for v in var_list]
            return control_flow_ops.group(*updates, name=scope)

    def average(self, var: Any) -> Any:
        entry = self._averages.get(id(var))
        return None if entry is None else entry[1]

    def average_name(self, var: Any) -> str:
        entry = self._averages.get(id(var))
        if entry is not None:
            return str(entry[1].op.name)
        # the name apply() would give: under the current name scope, made unique (TF's
        # unique_name with mark_as_used=False, so asking does not take the name)
        return get_default_graph().unique_name(f"{var.op.name}/{self._name}",
                                               mark_as_used=False)

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

