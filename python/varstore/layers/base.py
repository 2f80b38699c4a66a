"""``tf.layers.Layer``: the TF1 legacy layer (tf-keras' ``legacy_tf_layers/base.py``).

A layer has two names. Its Keras name (``name``, or a per-graph unique ``dense_1``,
``dense_2`` ... taken at construction) appears in its error messages; its variable scope
(``name``, or a unique ``dense``, ``dense_1`` ... from the variable-scope counters) is fixed at
the first call, or at construction when a name is given, and holds its variables
(``dense/kernel``). Every call re-enters that scope and its original name scope, so a second
call of one instance reuses its variables and names its ops ``dense/MatMul_1``. Updates made
by a call (BatchNormalization's moving averages) go to the UPDATE_OPS collection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore._variable_ops import VariableAggregation, VariableSynchronization
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import GraphKeys, get_default_graph
from varstore.framework.ops import (
    Operation,
    OperatorNotAllowedInGraphError,
    Tensor,
    dynamic_layer_error,
)
from varstore.layers import input_spec as _input_spec
from varstore.layers.input_spec import InputSpec
from varstore.ops import array_ops, math_unary_ops
from varstore.ops.init_ops import layer_default_initializer, zeros_initializer
from varstore.ops.rnn_cell_impl import _snake_case
from varstore.util import nest
from varstore.variable_scope import VariableScope, get_variable, variable_scope

__all__ = ["InputSpec", "Layer"]


def static_shape(inputs: Any) -> tuple[int | None, ...] | None:
    """The static shape of a Tensor, Variable, array or nested list (None: unknown rank),
    without creating an op."""
    shape = getattr(inputs, "shape", None)
    if shape is None:
        return tuple(np.shape(inputs))
    if hasattr(shape, "as_list"):
        dims = shape.as_list() if getattr(shape, "ndims", 0) is not None else None
        return None if dims is None else tuple(dims)
    return tuple(shape)


def assert_input_compatibility(spec: Any, inputs: Any, layer_name: str) -> None:
    """tf-keras' input_spec.assert_input_compatibility; an input of unknown rank, which TF
    lets through to fail later inside the layer (or not), is refused here when the spec
    asks for a rank, saying so."""
    if spec is None:
        return
    if isinstance(spec, InputSpec) and static_shape(inputs) is None and (
            spec.ndim is not None or spec.min_ndim is not None):
        raise ValueError(f'Input 0 of layer "{layer_name}" is incompatible with the layer: '
                         "its rank is undefined, but the layer requires a defined rank.")
    _input_spec.assert_input_compatibility(spec, inputs, layer_name)


def unique_keras_name(base: str) -> str:
    """tf-keras' backend.unique_object_name (not zero-based): ``<base>_<n>``, n from 1 per
    graph; every unnamed layer takes one, whether its call succeeds or not."""
    graph = get_default_graph()
    uids: dict[str, int] = graph.__dict__.setdefault("_keras_uids", {})
    uids[base] = uids.get(base, 0) + 1
    return f"{base}_{uids[base]}"


def float_dtype(inputs: Any) -> Any:
    """The dtype a layer builds in: its input's, when that is a floating type (TF's legacy
    layers infer it from the first input), else float32."""
    dtype = getattr(inputs, "dtype", None)
    if dtype is None:
        arr = np.asarray(inputs)
        dtype = arr.dtype if arr.dtype.kind == "f" and isinstance(inputs, np.ndarray) \
            else np.float32
    try:
        dt = _dtypes.as_dtype(dtype)
    except TypeError:
        return _dtypes.float32
    return dt if dt.is_floating else _dtypes.float32


class SharedLayer:
    """The base of the mixins that tf.layers' and tf.keras' layers share (base_conv,
    base_pooling, normalization's BatchNormalizationBase): it declares for mypy the Layer
    API their methods use, which either side's Layer base (after the mixin in the class's
    bases) provides at run time, and ``_spec``, that side's InputSpec class."""

    _spec: Any

    if TYPE_CHECKING:
        input_spec: Any
        built: bool
        name: str
        _dtype: Any

        def add_weight(self, *args: Any, **kwargs: Any) -> Any: ...

        def add_update(self, *args: Any, **kwargs: Any) -> None: ...


class Layer:
    """The base of every ``tf.layers`` class: ``build(input_shape)`` makes the weights
    (``add_weight``), ``call(inputs, ...)`` the ops; ``__call__``/``apply`` wrap both in the
    layer's scope."""

    input_spec: InputSpec | None = None

    def __init__(self, trainable: bool = True, name: str | None = None, dtype: Any = None,
                 activity_regularizer: Any = None, _scope: Any = None, _reuse: Any = None,
                 **kwargs: Any) -> None:
        if kwargs:
            raise TypeError(f"Keyword argument not understood: {min(kwargs)!r}")
        self.trainable = trainable
        self.built = False
        self._dtype = None if dtype is None else _dtypes.as_dtype(dtype)
        self._activity_regularizer = activity_regularizer
        self._reuse = _reuse
        self._trainable_weights: list[Any] = []
        self._non_trainable_weights: list[Any] = []
        self._updates: list[Any] = []
        self._losses: list[Any] = []
        self._conditional: dict[int, bool] = {}  # id of an update or loss -> on the inputs?
        self._call_inputs: Any = None  # while __call__ runs: its inputs
        # (weight name, variable, regularizer) of each weight this layer created with one:
        # ``losses`` builds their losses again on each access, as Keras' callable losses do
        self._weight_regularizers: list[tuple[str, Any, Any]] = []
        self._name = name if name else unique_keras_name(_snake_case(type(self).__name__))
        self._base_name = name if name else _snake_case(type(self).__name__)
        self._scope: VariableScope | None = None
        self._current_scope: VariableScope | None = None
        if _scope:
            with variable_scope(_scope) as captured:
                self._scope = captured

    # -- properties --------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @property
    def dtype(self) -> Any:
        return self._dtype

    @property
    def scope_name(self) -> str:
        if self._scope is None:
            raise ValueError(f'No name available for layer scope because the layer "'
                             f'{self._name}" has not been used yet. The scope name  is '
                             "determined the first time the layer instance is called. You must "
                             "therefore call the layer before querying `scope_name`.")
        return str(self._scope.name)

    @property
    def trainable_weights(self) -> list[Any]:
        return list(self._trainable_weights) if self.trainable else []

    @property
    def non_trainable_weights(self) -> list[Any]:
        if self.trainable:
            return list(self._non_trainable_weights)
        return self._trainable_weights + self._non_trainable_weights

    @property
    def weights(self) -> list[Any]:
        return self.trainable_weights + self.non_trainable_weights

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    @property
    def updates(self) -> list[Any]:
        return list(self._updates)

    @property
    def losses(self) -> list[Any]:
        """The activity losses, then each weight regularizer's loss, built anew (under
        ``<weight>/Regularizer`` in the current name scope) as TF's graph-mode Layer does."""
        out = list(self._losses)
        for name, v, regularizer in self._weight_regularizers:
            for part in _parts(v):
                with get_default_graph().name_scope(name + "/Regularizer"):
                    loss = regularizer(part)
                if loss is not None:
                    out.append(loss)
        return out

    @property
    def activity_regularizer(self) -> Any:
        return self._activity_regularizer

    @activity_regularizer.setter
    def activity_regularizer(self, regularizer: Any) -> None:
        self._activity_regularizer = regularizer

    # -- the protocol subclasses implement ---------------------------------------------------
    def build(self, input_shape: Any) -> None:
        self.built = True

    def call(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        return inputs

    def add_weight(self, name: str, shape: Any, dtype: Any = None, initializer: Any = None,
                   regularizer: Any = None, trainable: bool | None = None,
                   constraint: Any = None, use_resource: Any = None,
                   synchronization: Any = VariableSynchronization.AUTO,
                   aggregation: Any = VariableAggregation.NONE, partitioner: Any = None,
                   **kwargs: Any) -> Any:
        """A variable in the layer's scope (get_variable: created once, reused when built
        or when the layer was made with reuse). A regularizer's loss goes to
        REGULARIZATION_LOSSES when the variable is created. An ON_READ variable is not
        trainable, as in TF."""
        for kwarg in kwargs:
            if kwarg != "experimental_autocast":
                raise TypeError("Unknown keyword argument:", kwarg)
        if synchronization == VariableSynchronization.ON_READ:
            if trainable:
                raise ValueError("Synchronization value can be set to "
                                 "VariableSynchronization.ON_READ only for non-trainable "
                                 "variables. You have specified trainable=True and "
                                 "synchronization=VariableSynchronization.ON_READ.")
            trainable = False
        self._set_scope(None)
        assert self._scope is not None
        trainable = True if trainable is None else trainable
        dt = dtype or self._dtype or _dtypes.float32
        reuse = True if self.built else self._reuse
        graph = get_default_graph()
        existing = len(graph.get_collection_ref(GraphKeys.GLOBAL_VARIABLES))
        with variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False) as sc, \
                graph.name_scope(sc.original_name_scope or None):
            self._current_scope = sc
            v = get_variable(name, shape=shape, dtype=dt,
                             initializer=layer_default_initializer(initializer, dt, sc),
                             regularizer=regularizer, trainable=trainable and self.trainable,
                             constraint=constraint, partitioner=partitioner,
                             use_resource=use_resource, synchronization=synchronization,
                             aggregation=aggregation)
        if regularizer is not None and \
                len(graph.get_collection_ref(GraphKeys.GLOBAL_VARIABLES)) > existing:
            # TF regularizes only a weight the layer made, not one it reused
            self._weight_regularizers.append((name, v, regularizer))
        bucket = self._trainable_weights if trainable else self._non_trainable_weights
        if all(v is not w for w in bucket):
            bucket.append(v)
        return v

    def compute_output_shape(self, input_shape: Any) -> Any:
        raise NotImplementedError("Please run in eager mode or implement the "
                                  "compute_output_shape method on your layer "
                                  f"({type(self).__name__}).")

    def add_update(self, update: Any) -> None:
        """An update the layer made (an op, a tensor or a callable making one), kept as its
        op; ``__call__`` adds it to UPDATE_OPS. As TF's, it is conditional when reachable
        from the inputs of the call making it."""
        if callable(update) and not hasattr(update, "op"):
            update = update()
        op = _update_op(update)
        self._updates.append(op)
        self._conditional[id(op)] = _reaches(self._call_inputs, op)

    def add_loss(self, losses: Any, inputs: Any = None) -> None:
        """Losses (tensors, or callables that make one), added to REGULARIZATION_LOSSES;
        ``inputs`` not None marks them conditional on the layer's inputs."""
        for loss in losses if isinstance(losses, (list, tuple)) else [losses]:
            if callable(loss):
                loss = loss()
            if loss is None:
                continue
            loss = convert_to_tensor(loss)
            self._losses.append(loss)
            self._conditional[id(loss)] = inputs is not None
            get_default_graph().add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)

    def get_updates_for(self, inputs: Any) -> list[Any]:
        """The unconditional updates (``inputs`` None), else the conditional ones that
        ``inputs`` reach."""
        return self._for(self.updates, inputs, lambda u: _update_op(u))

    def get_losses_for(self, inputs: Any) -> list[Any]:
        """The unconditional losses (``inputs`` None; weight regularizers are), else the
        conditional ones that ``inputs`` reach."""
        return self._for(self.losses, inputs, lambda t: t)

    def _for(self, items: list[Any], inputs: Any, node: Callable[[Any], Any]) -> list[Any]:
        if inputs is None:
            return [x for x in items if not self._conditional.get(id(x), False)]
        return [x for x in items if self._conditional.get(id(x), False)
                and _reaches(inputs, node(x))]

    def count_params(self) -> int:
        return count_params(self)

    # -- calling ------------------------------------------------------------------------------
    def _set_scope(self, scope: Any) -> None:
        if self._scope is None:
            if self._reuse:
                with variable_scope(scope if scope is not None else self._base_name) as sc:
                    self._scope = sc
            else:
                with variable_scope(scope, default_name=self._base_name) as sc:
                    self._scope = sc

    def apply(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        return self(inputs, *args, **kwargs)

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        self._set_scope(kwargs.pop("scope", None))
        assert self._scope is not None
        reuse = True if self.built else self._reuse
        graph = get_default_graph()
        first_update = len(self._updates)
        with variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False) as sc:
            self._current_scope = sc
            with graph.name_scope(sc.original_name_scope or None):
                assert_input_compatibility(self.input_spec, inputs, self._name)
                if not self.built:
                    if self._dtype is None:
                        self._dtype = float_dtype(inputs)
                    self.build(static_shape(inputs))
                    self.built = True
                self._call_inputs = inputs
                try:
                    outputs = self.call(inputs, *args, **kwargs)
                    if self._activity_regularizer is not None:
                        self._activity_loss(outputs)
                except OperatorNotAllowedInGraphError as e:
                    raise dynamic_layer_error(e) from e
                finally:
                    self._call_inputs = None
        for update in self._updates[first_update:]:
            op = _update_op(update)
            collection = graph.get_collection_ref(GraphKeys.UPDATE_OPS)
            if all(op is not u for u in collection):
                collection.append(op)
        return outputs

    def _activity_loss(self, outputs: Any) -> None:
        """tf-keras' activity regularization: the regularizer of each output divided by
        the batch size, under ``ActivityRegularizer/``."""
        with get_default_graph().name_scope("ActivityRegularizer"):
            for out in outputs if isinstance(outputs, (list, tuple)) else [outputs]:
                loss = convert_to_tensor(self._activity_regularizer(out))
                batch = math_unary_ops.cast(array_ops.shape(out)[0], loss.dtype)
                self.add_loss(loss / batch, inputs=True)


# Keras' activations.get, initializers.get, regularizers.get, constraints.get (layers cannot
# import keras: keras imports layers)
Resolvers = tuple[Callable[[Any], Any], Callable[[Any], Any], Callable[[Any], Any],
                  Callable[[Any], Any]]


class WeightArgs(SharedLayer):
    """The weight arguments of Dense and the convolutions (tf-keras' __init__s), a mixin
    of both sides' layers."""

    activation: Any
    use_bias: bool
    kernel_initializer: Any
    bias_initializer: Any
    kernel_regularizer: Any
    bias_regularizer: Any
    kernel_constraint: Any
    bias_constraint: Any
    kernel: Any
    bias: Any

    def _weight_args(self, activation: Any, use_bias: bool, kernel_initializer: Any,
                     bias_initializer: Any, kernel_regularizer: Any, bias_regularizer: Any,
                     kernel_constraint: Any, bias_constraint: Any,
                     resolve: Resolvers | None = None) -> None:
        """Through ``resolve`` (the Keras layers'), or as given (tf.layers', a None kernel
        initializer left to get_variable's glorot_uniform, a None bias initializer
        zeros)."""
        if resolve is None:
            if bias_initializer is None:
                bias_initializer = zeros_initializer()
            resolve = (_same, _same, _same, _same)
        act, init, reg, cons = resolve
        self.activation = act(activation)
        self.use_bias = use_bias
        self.kernel_initializer = init(kernel_initializer)
        self.bias_initializer = init(bias_initializer)
        self.kernel_regularizer = reg(kernel_regularizer)
        self.bias_regularizer = reg(bias_regularizer)
        self.kernel_constraint = cons(kernel_constraint)
        self.bias_constraint = cons(bias_constraint)


def _same(value: Any) -> Any:
    return value


def apply_once(cls: type[Layer], args: dict[str, Any]) -> Any:
    """A tf.layers function (``tf.layers.dense`` ...): ``cls`` made from the function's own
    arguments (its ``locals()``, taken first thing) and applied once to ``inputs``, as
    legacy_tf_layers' functions do: with ``reuse`` the layer's variable scope is ``name``
    (``_scope=name, _reuse=reuse``); ``training`` goes to the call."""
    kwargs = dict(args)
    inputs = kwargs.pop("inputs")
    call_kwargs = {"training": kwargs.pop("training")} if "training" in kwargs else {}
    if "reuse" in kwargs:
        kwargs.update(_scope=kwargs.get("name"), _reuse=kwargs.pop("reuse"))
    return cls(**kwargs)(inputs, **call_kwargs)


def count_params(layer: Any) -> int:
    """Layer.count_params (tf.layers and tf.keras): the weights' element count; TF's
    ValueError before the layer is built."""
    if not layer.built:
        raise ValueError(f"You tried to call `count_params` on {layer.name}, but the "
                         "layer isn't built. You can build it manually via: "
                         f"`{layer.name}.build(batch_input_shape)`.")
    return int(sum(int(np.prod(w.shape.as_list())) for w in layer.weights))


def _reaches(inputs: Any, target: Any) -> bool:
    """Whether ``target`` (an op or tensor) is reachable from ``inputs`` through consumers
    (tf_utils.get_reachable_from_inputs)."""
    if inputs is None:
        return False
    queue = [x for x in nest.flatten(inputs) if x is not None]
    seen: set[int] = set()
    while queue:
        x = queue.pop()
        if x is target:
            return True
        if id(x) in seen:
            continue
        seen.add(id(x))
        if isinstance(x, Operation):
            queue.extend(x.outputs)
            queue.extend(getattr(x, "_control_outputs", []))
        elif isinstance(x, Tensor):
            queue.extend(x.consumers())
        elif hasattr(x, "op"):
            queue.append(x.op)
    return False


def _parts(v: Any) -> list[Any]:
    """A partitioned variable's parts (each regularized on its own, as TF's split
    variables are), else the variable."""
    parts = getattr(v, "_get_variable_list", None)
    return list(parts()) if callable(parts) else [v]


def _update_op(update: Any) -> Any:
    """TF collects an update's op (base_layer_v1's process_update): an assign's node, or
    the producer of a tensor (the output of a cond made for a fed ``training``)."""
    op = getattr(update, "op", None)
    return update if op is None else op
