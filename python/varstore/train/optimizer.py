"""``tf.train.Optimizer``: the TF1 base class (TF's training/optimizer.py).

``minimize`` = ``compute_gradients`` (tf.gradients w.r.t. the variables, gated per op as
GATE_OP asks) + ``apply_gradients`` (slots made once per variable under TF's names, the
update ops ``<Opt>/update_<var>/ResourceApply<X>``, ``_finish``, and the global step's
``AssignAddVariableOp`` named after the optimizer). The graph that results has TF's names,
so checkpoints of the slots line up with TF1's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from varstore import variable_scope as vs
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import GraphKeys, get_default_graph
from varstore.framework.indexed_slices import IndexedSlices, convert_to_tensor_or_indexed_slices
from varstore.framework.ops import Operation, Tensor
from varstore.ops import (
    array_ops,
    array_sort_ops,
    control_flow_ops,
    gradients_impl,
    math_sequence_ops,
    math_unary_ops,
)
from varstore.ops.backprop import GradientTape
from varstore.train import slot_creator, training_ops
from varstore.util import nest
from varstore.variables import Variable

__all__ = ["Optimizer"]

# TF's v1 Optimizer._valid_dtypes (no complex), in the order TF's message lists that set
_VALID_DTYPES = ("float32", "float64", "float16", "bfloat16")


def _is_variable(v: Any) -> bool:
    return hasattr(type(v), "_as_tensor") and hasattr(v, "_id")


def _check_var(v: Any, updating: bool) -> None:
    """TF's ``_get_processor`` rules: a Tensor may take a gradient but not an update."""
    if _is_variable(v):
        return
    if isinstance(v, Tensor):
        if updating:
            raise NotImplementedError(f"('Trying to update a Tensor ', {v!r})")
        return
    if not hasattr(v, "op"):
        # TF reads ``v.op`` first, so anything else fails with Python's own message
        raise AttributeError(f"'{type(v).__name__}' object has no attribute 'op'")
    raise NotImplementedError(f"('Trying to optimize unsupported type ', {v!r})")


def _callable_loss_gradients(loss: Any, var_list: Any, grad_loss: Any
                             ) -> list[tuple[Any, Any]]:
    """TF's callable-loss branch, graph mode included: ``loss()`` runs under a GradientTape,
    the variables default to the ones it read, and the gradients (``gradient_tape/...``)
    wait for the loss."""
    with GradientTape() as tape:
        if var_list is not None:
            tape.watch(var_list)
        loss_value = loss()
    if var_list is None:
        var_list = tape.watched_variables()
    with get_default_graph().control_dependencies([loss_value]):
        grads = tape.gradient(loss_value, var_list, grad_loss)
    return list(zip(grads, var_list))


def _var_key(var: Any) -> tuple[int, str]:
    # TF keys slots by (graph, op name); the graph's id keeps the key hashable and small.
    return (id(var.graph), var.op.name)


def _tf_repr(dt: Any) -> str:
    return f"tf.{dt.name}"


class Optimizer:
    """Base class of the TF1 optimizers. Subclasses define ``_create_slots``, ``_prepare``,
    ``_apply_dense`` (the update op of one variable) and may override ``_finish``."""

    GATE_NONE = 0
    GATE_OP = 1
    GATE_GRAPH = 2

    def __init__(self, use_locking: bool, name: str,
                 use_own_namescope_for_non_slot_vars: bool = False) -> None:
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._use_own_namescope_for_non_slot_vars = use_own_namescope_for_non_slot_vars
        if use_own_namescope_for_non_slot_vars:
            # TF opens the optimizer's own (uniquified) variable scope now, and later puts
            # its non-slot variables there from the root name scope
            with vs.variable_scope(None, default_name=name) as scope:
                self._non_slot_variable_scope = scope
        self._slots: dict[str, dict[tuple[int, str], Any]] = {}
        self._non_slot_dict: dict[tuple[str, int], Any] = {}

    def get_name(self) -> str:
        return self._name

    # -- the public protocol --------------------------------------------------------------
    def minimize(self, loss: Any, global_step: Any = None, var_list: Any = None,
                 gate_gradients: int = GATE_OP, aggregation_method: Any = None,
                 colocate_gradients_with_ops: bool = False, name: str | None = None,
                 grad_loss: Any = None) -> Operation:
        """Adds the ops that update ``var_list`` (default: the trainable variables) to
        minimise ``loss``, and increments ``global_step`` if given."""
        grads_and_vars = self.compute_gradients(
            loss, var_list=var_list, gate_gradients=gate_gradients,
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops, grad_loss=grad_loss)
        vars_with_grad = [v for g, v in grads_and_vars if g is not None]
        if not vars_with_grad:
            raise ValueError(
                "No gradients provided for any variable, check your graph for ops that do "
                "not support gradients, between variables "
                f"{[str(v) for _, v in grads_and_vars]} and loss {loss}.")
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(self, loss: Any, var_list: Any = None,
                          gate_gradients: int = GATE_OP, aggregation_method: Any = None,
                          colocate_gradients_with_ops: bool = False, grad_loss: Any = None
                          ) -> list[tuple[Any, Any]]:
        """``[(gradient or None, variable)]`` of ``loss`` for each variable."""
        if callable(loss):
            return _callable_loss_gradients(loss, var_list, grad_loss)
        if gate_gradients not in (Optimizer.GATE_NONE, Optimizer.GATE_OP,
                                  Optimizer.GATE_GRAPH):
            raise ValueError("gate_gradients must be one of: Optimizer.GATE_NONE, "
                             f"Optimizer.GATE_OP, Optimizer.GATE_GRAPH.  Not {gate_gradients}")
        loss_t = convert_to_tensor(loss)
        self._assert_valid_dtypes([loss_t])
        if grad_loss is not None:
            self._assert_valid_dtypes([convert_to_tensor(grad_loss)])
        if var_list is None:
            graph = get_default_graph()
            var_list = (graph.get_collection(GraphKeys.TRAINABLE_VARIABLES)
                        + graph.get_collection(GraphKeys.TRAINABLE_RESOURCE_VARIABLES))
        else:
            var_list = nest.flatten(var_list)  # dicts and dict views too, as TF's nest
        var_list = [v for v in var_list]
        for v in var_list:
            _check_var(v, updating=False)
        if not var_list:
            raise ValueError("No variables to optimize.")
        grads = gradients_impl.gradients(
            loss_t, var_list, grad_ys=grad_loss,
            gate_gradients=gate_gradients == Optimizer.GATE_OP,
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops)
        if gate_gradients == Optimizer.GATE_GRAPH:
            grads = control_flow_ops.tuple(grads)
        grads_and_vars = list(zip(grads, var_list))
        self._assert_valid_dtypes([v for g, v in grads_and_vars if g is not None])
        return grads_and_vars

    def apply_gradients(self, grads_and_vars: Any, global_step: Any = None,
                        name: str | None = None,
                        skip_gradients_aggregation: bool = False) -> Operation:
        """The op that applies ``grads_and_vars`` (then increments ``global_step``).
        ``skip_gradients_aggregation`` only matters to TF under a distribution strategy,
        which varstore has none of: the gradients are applied as given either way."""
        del skip_gradients_aggregation
        grads_and_vars = tuple(grads_and_vars)
        if not grads_and_vars:
            raise ValueError("No variables provided.")
        converted: list[tuple[Any, Any]] = []
        for pair in grads_and_vars:
            try:
                g, v = pair
            except (TypeError, ValueError):
                raise TypeError(f"grads_and_vars must hold (gradient, variable) pairs, got "
                                f"{pair!r}") from None
            if g is not None:
                try:
                    g = convert_to_tensor_or_indexed_slices(g)
                except (TypeError, ValueError):
                    raise TypeError("Gradient must be convertible to a Tensor or "
                                    f"IndexedSlices, or None: {g}") from None
            _check_var(v, updating=True)
            converted.append((g, v))
        var_list = [v for g, v in converted if g is not None]
        if not var_list:
            raise ValueError("No gradients provided for any variable: "
                             f"{[str(v) for _, v in converted]}.")
        graph = get_default_graph()
        with graph.control_dependencies(None):  # TF makes slots inside init_scope
            self._create_slots(var_list)
        update_ops: list[Any] = []
        with graph.name_scope(name or self._name) as scope:
            self._prepare()
            for g, v in converted:
                if g is None:
                    continue
                # TF colocates all of a variable's update ops with it
                with graph.name_scope("update_" + v.op.name), graph.colocate_with(v):
                    update_ops.append(self._update_op(g, v))
            if global_step is None:
                apply_updates = self._finish(update_ops, scope)
            else:
                with graph.control_dependencies([self._finish(update_ops, "update")]), \
                        graph.colocate_with(global_step):
                    one = convert_to_tensor(1, dtype=global_step.dtype.base_dtype)
                    apply_updates = global_step.assign_add(one, name=scope, read_value=False)
        if isinstance(apply_updates, Tensor):
            apply_updates = apply_updates.op
        train_ops = graph.get_collection_ref(GraphKeys.TRAIN_OP)
        if apply_updates not in train_ops:
            train_ops.append(apply_updates)
        return apply_updates

    def _update_op(self, grad: Any, var: Any) -> Any:
        # TF's processors: a ref variable takes _apply_dense / _apply_sparse_duplicate_indices,
        # a resource one _resource_apply_dense / _resource_apply_sparse_duplicate_indices
        # (values, variable, indices) -- what a subclass overrides is what runs
        if isinstance(grad, IndexedSlices):
            if var.constraint is not None:
                raise RuntimeError("Cannot use a constraint function on a sparse variable.")
            if var._is_ref:
                return self._apply_sparse_duplicate_indices(grad, var)
            return self._resource_apply_sparse_duplicate_indices(grad.values, var,
                                                                 grad.indices)
        op = self._apply_dense(grad, var) if var._is_ref else self._resource_apply_dense(grad,
                                                                                        var)
        constraint = var.constraint
        if constraint is None:
            return op
        with get_default_graph().control_dependencies([op]):
            return var.assign(constraint(var))

    # -- slots ----------------------------------------------------------------------------
    def get_slot_names(self) -> list[str]:
        return sorted(self._slots)

    def get_slot(self, var: Any, name: str) -> Any:
        named = self._slots.get(name)
        if not named:
            return None
        return named.get(_var_key(var))

    def variables(self) -> list[Any]:
        """The optimizer's variables in the default graph (slots and beta powers), by name."""
        graph = get_default_graph()
        out = [v for (_, gid), v in self._non_slot_dict.items() if gid == id(graph)]
        for slots in self._slots.values():
            out.extend(v for v in slots.values() if v.graph is graph)
        return sorted(out, key=lambda v: v.name)

    def _slot_dict(self, slot_name: str) -> dict[tuple[int, str], Any]:
        return self._slots.setdefault(slot_name, {})

    def _zeros_slot(self, var: Any, slot_name: str, op_name: str) -> Any:
        named = self._slot_dict(slot_name)
        key = _var_key(var)
        if key not in named:
            named[key] = slot_creator.create_zeros_slot(var, op_name)
        return named[key]

    def _get_or_make_slot(self, var: Any, val: Any, slot_name: str, op_name: str) -> Any:
        """The slot ``slot_name`` of ``var`` initialised from the tensor ``val``."""
        named = self._slot_dict(slot_name)
        key = _var_key(var)
        if key not in named:
            named[key] = slot_creator.create_slot(var, val, op_name)
        return named[key]

    def _get_or_make_slot_with_initializer(self, var: Any, initializer: Any, shape: Any,
                                           dtype: Any, slot_name: str, op_name: str) -> Any:
        named = self._slot_dict(slot_name)
        key = _var_key(var)
        if key not in named:
            named[key] = slot_creator.create_slot_with_initializer(var, initializer, shape,
                                                                   dtype, op_name)
        return named[key]

    def _create_non_slot_variable(self, initial_value: Any, name: str, colocate_with: Any
                                  ) -> Any:
        key = (name, id(colocate_with.graph))
        v = self._non_slot_dict.get(key)
        if v is None:
            with colocate_with.graph.colocate_with(colocate_with):
                if self._use_own_namescope_for_non_slot_vars:
                    with colocate_with.graph.name_scope(None), vs.variable_scope(
                            self._non_slot_variable_scope):
                        v = vs.get_variable(name, initializer=initial_value,
                                            trainable=False,
                                            use_resource=not colocate_with._is_ref)
                else:
                    v = Variable(initial_value, name=name, trainable=False,
                                 use_resource=not colocate_with._is_ref)
            self._non_slot_dict[key] = v
        return v

    def _get_non_slot_variable(self, name: str, graph: Any = None) -> Any:
        g = get_default_graph() if graph is None else graph
        return self._non_slot_dict.get((name, id(g)))

    def _non_slot_variables(self) -> list[Any]:
        return list(self._non_slot_dict.values())

    # -- what subclasses define (TF's four update entry points: ref / resource x dense /
    # sparse; the base versions raise NotImplementedError naming the missing one) -------
    def _create_slots(self, var_list: list[Any]) -> None:
        pass

    def _prepare(self) -> None:
        pass

    def _apply_dense(self, grad: Tensor, var: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__}._apply_dense")

    def _apply_sparse_duplicate_indices(self, grad: IndexedSlices, var: Any) -> Any:
        """The sparse update with each row's gradients summed first (TF's default)."""
        summed, unique = _deduplicate_indexed_slices(grad.values, grad.indices)
        return self._apply_sparse(IndexedSlices(summed, unique, grad.dense_shape), var)

    def _apply_sparse(self, grad: IndexedSlices, var: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__}._apply_sparse")

    def _resource_apply_dense(self, grad: Tensor, handle: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__}._resource_apply_dense")

    def _resource_apply_sparse_duplicate_indices(self, grad: Tensor, handle: Any,
                                                 indices: Tensor) -> Any:
        """The resource sparse update with each row's gradients summed first."""
        summed, unique = _deduplicate_indexed_slices(grad, indices)
        return self._resource_apply_sparse(summed, handle, unique)

    def _resource_apply_sparse(self, grad: Tensor, handle: Any, indices: Tensor) -> Any:
        raise NotImplementedError(f"{type(self).__name__}._resource_apply_sparse")

    def _finish(self, update_ops: list[Any], name_scope: str) -> Operation:
        return control_flow_ops.group(*update_ops, name=name_scope)

    # -- helpers --------------------------------------------------------------------------
    def _assert_valid_dtypes(self, tensors: Sequence[Any]) -> None:
        for t in tensors:
            dt = t.dtype.base_dtype
            if dt.name not in _VALID_DTYPES:
                valid = ", ".join(f"tf.{n}" for n in _VALID_DTYPES)
                raise ValueError(f"Invalid type {_tf_repr(dt)} for {t.name}, expected: "
                                 f"[{valid}].")

    @staticmethod
    def _call_if_callable(param: Any) -> Any:
        return param() if callable(param) else param

    def _apply(self, rule: str, var: Any, slots: Sequence[Any], scalars: Sequence[Any],
               grad: Any, **flags: bool) -> Any:
        """The update op of ``var`` by ``rule``: scalars cast to the variable's dtype (TF's
        math_ops.cast, which returns a tensor of that dtype unchanged). An IndexedSlices
        ``grad`` updates its rows alone (the sparse op of the rule)."""
        dt = var.dtype.base_dtype
        cast = [_cast(s, dt) for s in scalars]
        indices = None
        if isinstance(grad, IndexedSlices):
            if rule not in training_ops.SPARSE_RULES:
                raise NotImplementedError(f"varstore lacks a sparse form of {rule}")
            grad, indices = grad.values, grad.indices
        out = training_ops.apply_update(rule, var, slots, cast, grad, None,
                                        self._use_locking, indices=indices, **flags)
        return out.op if isinstance(out, Tensor) else out


def _deduplicate_indexed_slices(values: Any, indices: Any) -> tuple[Tensor, Tensor]:
    """Each index once, its values summed (TF's optimizer._deduplicate_indexed_slices)."""
    unique, positions = array_sort_ops.unique(indices)
    summed = math_sequence_ops.unsorted_segment_sum(values, positions,
                                                    array_ops.shape(unique)[0])
    return summed, unique


def _cast(x: Any, dt: Any) -> Any:
    if _is_variable(x):
        if x.dtype.base_dtype == dt:
            return x
        return math_unary_ops.cast(x, dt)
    if isinstance(x, Tensor) and x.dtype != dt:
        return math_unary_ops.cast(x, dt)
    return x


class BuiltinOptimizer(Optimizer):
    """varstore's own optimizers: one ``_apply_dense`` builds the (Resource)(Sparse)Apply<X>
    op for either kind of variable and either form of gradient (``_apply`` picks the sparse
    op for an IndexedSlices), so TF's resource and sparse entry points lead back to it."""

    def _apply_sparse(self, grad: IndexedSlices, var: Any) -> Any:
        return self._apply_dense(grad, var)  # type: ignore[arg-type]

    def _resource_apply_dense(self, grad: Tensor, handle: Any) -> Any:
        return self._apply_dense(grad, handle)

    def _resource_apply_sparse_duplicate_indices(self, grad: Tensor, handle: Any,
                                                 indices: Tensor) -> Any:
        # through the ref path, so a subclass's _apply_sparse_duplicate_indices (SGD's
        # scatter) serves resource variables too
        return self._apply_sparse_duplicate_indices(IndexedSlices(grad, indices), handle)

    def _resource_apply_sparse(self, grad: Tensor, handle: Any, indices: Tensor) -> Any:
        return self._apply_sparse(IndexedSlices(grad, indices), handle)
