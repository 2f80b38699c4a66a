"""``tf.keras.layers.Layer`` in TF1 graph mode (tf-keras' ``engine/base_layer_v1.py``).

A layer's name is unique per graph (``dense``, ``dense_1`` ... by snake-cased class name)
and independent of variable scopes; every call opens a name scope of that name (made unique
by the graph: a second call of ``dense`` runs under ``dense_1``). Weights are made at the
first call (``build``) as resource variables named by that name scope; variable scopes'
``reuse`` plays no part: a layer object is shared by calling it again. Weight regularizers
are callables evaluated each time ``losses`` is read; updates stay on the layer
(``layer.updates``), not in UPDATE_OPS. A ``training`` argument left None takes the calling
layer's, and the layer's own ``call`` reads ``tf.keras.backend.learning_phase()`` when it
is still None.
"""

from __future__ import annotations

import contextlib
import inspect
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.graph import get_default_graph
from varstore.framework.mode import tf2_enabled
from varstore.framework.ops import Tensor
from varstore.framework.tensor_shape import TensorShape
from varstore.keras import backend, constraints, initializers, regularizers
from varstore.keras._tensor_attrs import get_attr, set_attr
from varstore.keras.engine import node as _node
from varstore.keras.engine.input_spec import assert_input_compatibility
from varstore.layers import base as _layers_base
from varstore.ops import math_unary_ops
from varstore.util import nest

__all__ = ["Layer"]

_ALLOWED_KWARGS = {"input_dim", "input_shape", "batch_input_shape", "batch_size", "weights",
                   "activity_regularizer", "autocast", "implementation"}


class _CallContext(threading.local):
    def __init__(self) -> None:
        self.training: list[Any] = []


_CONTEXT = _CallContext()


@contextlib.contextmanager
def _entered(training: Any) -> Iterator[None]:
    _CONTEXT.training.append(training)
    try:
        yield
    finally:
        _CONTEXT.training.pop()


def _collect_masks(inputs: Any) -> Any:
    """The ``_keras_mask`` of each input in the inputs' structure, or None if none has one."""
    flat = _node.flatten(inputs)
    masks = [get_attr(x, "_keras_mask") for x in flat]
    if all(m is None for m in masks):
        return None
    if len(flat) == 1 and not isinstance(inputs, (list, tuple, dict)):
        return masks[0]
    return nest.pack_sequence_as(inputs, masks)


def _parent_training() -> Any:
    return _CONTEXT.training[-1] if _CONTEXT.training else None


def shape_tuple(x: Any) -> tuple[int | None, ...] | None:
    shape = x.shape
    if hasattr(shape, "as_list"):
        return None if shape.ndims is None else tuple(shape.as_list())
    return tuple(shape)


# tf-keras' layers whose build is Layer's default: they keep no build shape (no
# build_config in their serialized form), as recorded from tf-keras 2.21
_DEFAULT_BUILD = frozenset({
    "AbstractRNNCell", "Activation", "ActivityRegularization", "AveragePooling1D",
    "AveragePooling2D", "AveragePooling3D", "Cropping1D", "Cropping2D", "Cropping3D", "ELU",
    "Flatten", "Identity", "InputLayer", "Lambda", "Layer", "LeakyReLU", "Masking",
    "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "Permute", "ReLU", "RepeatVector",
    "Reshape", "Softmax", "ThresholdedReLU", "UpSampling1D", "UpSampling2D", "UpSampling3D",
    "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D"})


def _records_build_shape(layer: Any) -> bool:
    cls = type(layer)
    if cls.__module__.startswith("varstore."):
        return all(c.__name__ not in _DEFAULT_BUILD for c in cls.__mro__
                   if c.__module__.startswith("varstore.keras.layers"))
    return cls.build is not Layer.build  # a user layer: one that defines build


def _shape_config(shapes: Any) -> Any:
    if isinstance(shapes, list):
        return [_shape_config(x) for x in shapes]
    if isinstance(shapes, TensorShape) and shapes.ndims is not None:
        return tuple(shapes.as_list())
    return None


def _shapes(inputs: Any) -> Any:
    if isinstance(inputs, (list, tuple)):
        return [_shapes(x) for x in inputs]
    return TensorShape(shape_tuple(inputs)) if hasattr(inputs, "shape") else None


class Layer:
    """The base of every Keras layer: ``build(input_shape)`` makes the weights
    (``add_weight``), ``call(inputs, ...)`` the ops; ``__call__`` wraps both."""

    def __init__(self, trainable: bool = True, name: str | None = None, dtype: Any = None,
                 dynamic: bool = False, **kwargs: Any) -> None:
        for kwarg in kwargs:
            if kwarg not in _ALLOWED_KWARGS:
                raise TypeError("Keyword argument not understood:", kwarg)
        if name is not None and not isinstance(name, str):
            raise TypeError(f"Expected `name` argument to be a string, but got: {name}")
        self._tracked_layers: list[Layer] = []
        self._trainable = trainable
        self.built = False
        self._input_spec: Any = None
        self._trainable_weights: list[Any] = []
        self._non_trainable_weights: list[Any] = []
        self._updates: list[Any] = []
        self._losses: list[Any] = []
        self._callable_losses: list[Any] = []
        self._inbound_nodes: list[_node.Node] = []
        self._name = name or backend.unique_object_name(
            backend.snake_case(type(self).__name__), zero_based=True)
        if dtype is None and tf2_enabled():
            dtype = backend.floatx()  # v2 dtype behaviour; TF1's infers from the input
        self._dtype = None if dtype is None else _dtypes.as_dtype(dtype).base_dtype
        self._autocast = kwargs.get("autocast", tf2_enabled())
        self._activity_regularizer = regularizers.get(kwargs.get("activity_regularizer"))
        self._initial_weights = kwargs.get("weights")
        self.dynamic = dynamic
        self.supports_masking = False
        if "input_dim" in kwargs and "input_shape" not in kwargs:
            kwargs["input_shape"] = (kwargs["input_dim"],)
        if "input_shape" in kwargs or "batch_input_shape" in kwargs:
            if "batch_input_shape" in kwargs:
                batch_input_shape = tuple(kwargs["batch_input_shape"])
            else:
                batch_input_shape = (kwargs.get("batch_size"), *tuple(kwargs["input_shape"]))
            self._batch_input_shape: tuple[Any, ...] | None = batch_input_shape
        else:
            self._batch_input_shape = None

    def __setattr__(self, name: str, value: Any) -> None:
        # Sub-layers assigned as attributes (alone or in a list) are tracked, as
        # tf-keras' tracking does: their weights, losses and updates are the layer's too.
        if not name.startswith("_tracked"):
            tracked = self.__dict__.get("_tracked_layers")
            if tracked is not None:
                values = value if isinstance(value, (list, tuple)) else [value]
                for v in values:
                    if isinstance(v, Layer) and v is not self and \
                            all(v is not t for t in tracked):
                        tracked.append(v)
        object.__setattr__(self, name, value)

    # -- properties --------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @property
    def dtype(self) -> Any:
        return None if self._dtype is None else self._dtype.name

    @property
    def input_spec(self) -> Any:
        return self._input_spec

    @input_spec.setter
    def input_spec(self, value: Any) -> None:
        self._input_spec = value

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        for layer in self._flatten_layers():
            layer._trainable = bool(value)

    def _flatten_layers(self, include_self: bool = True) -> list[Layer]:
        """This layer and its tracked sub-layers, depth first, each once."""
        seen: list[Layer] = []

        def walk(layer: Layer) -> None:
            if any(layer is s for s in seen):
                return
            seen.append(layer)
            for sub in layer.__dict__.get("_tracked_layers", []):
                walk(sub)

        walk(self)
        return seen if include_self else seen[1:]

    @staticmethod
    def _dedup(weights: list[Any]) -> list[Any]:
        out: list[Any] = []
        for w in weights:
            if all(w is not o for o in out):
                out.append(w)
        return out

    @property
    def trainable_weights(self) -> list[Any]:
        if not self.trainable:
            return []
        children = [w for layer in self._flatten_layers(False)
                    for w in layer.__dict__.get("_trainable_weights", [])
                    if layer.trainable]
        return self._dedup(self._trainable_weights + children)

    @property
    def non_trainable_weights(self) -> list[Any]:
        own = (self._non_trainable_weights if self.trainable
               else self._trainable_weights + self._non_trainable_weights)
        children = []
        for layer in self._flatten_layers(False):
            if layer.trainable:
                children.extend(layer._non_trainable_weights)
            else:
                children.extend(layer._trainable_weights + layer._non_trainable_weights)
        return self._dedup(own + children)

    @property
    def weights(self) -> list[Any]:
        return self._dedup(self.trainable_weights + self.non_trainable_weights)

    @property
    def trainable_variables(self) -> list[Any]:
        return self.trainable_weights

    @property
    def non_trainable_variables(self) -> list[Any]:
        return self.non_trainable_weights

    @property
    def variables(self) -> list[Any]:
        return self.weights

    @property
    def updates(self) -> list[Any]:
        out: list[Any] = []
        for layer in self._flatten_layers():
            if not layer.trainable and not getattr(layer, "stateful", False):
                continue
            for u in layer._updates:
                out.append(u() if callable(u) and not isinstance(u, Tensor)
                           and not hasattr(u, "type") else u)
        return out

    @property
    def losses(self) -> list[Any]:
        """The tensors ``add_loss`` got, then each weight regularizer evaluated anew (its
        ops under ``<weight>/Regularizer``), layer by layer."""
        out: list[Any] = []
        for layer in self._flatten_layers():
            out.extend(layer._losses)
            for fn in layer._callable_losses:
                loss = fn()
                if loss is not None:
                    out.append(loss)
        return out

    @property
    def inbound_nodes(self) -> list[_node.Node]:
        return self._inbound_nodes

    def _single_node(self, what: str) -> _node.Node:
        if not self._inbound_nodes:
            raise AttributeError(f"Layer {self.name} is not connected, no input to return.")
        if len(self._inbound_nodes) > 1:
            raise AttributeError(f"Layer {self.name} has multiple inbound nodes, hence the "
                                 f"notion of \"layer {what}\" is ill-defined. Use "
                                 f"`get_{what}_at(node_index)` instead.")
        return self._inbound_nodes[0]

    @property
    def input(self) -> Any:
        return self._single_node("input").inputs

    @property
    def output(self) -> Any:
        return self._single_node("output").outputs

    def _shape_of(self, what: str, values: Any) -> Any:
        if isinstance(values, (list, tuple)):
            return [shape_tuple(v) for v in values]
        return shape_tuple(values)

    @property
    def input_shape(self) -> Any:
        if not self._inbound_nodes:
            raise AttributeError(f'The layer "{self.name}" has never been called and thus '
                                 "has no defined input shape. Note that the `input_shape` "
                                 "property is only available for Functional and Sequential "
                                 "models.")
        shapes = {str(self._shape_of("input", n.inputs)) for n in self._inbound_nodes}
        if len(shapes) > 1:
            raise AttributeError(f'The layer "{self.name}" has multiple inbound nodes, with '
                                 "different input shapes. Hence the notion of \"input "
                                 "shape\" is ill-defined for the layer. Use "
                                 "`get_input_shape_at(node_index)` instead.")
        return self._shape_of("input", self._inbound_nodes[0].inputs)

    @property
    def output_shape(self) -> Any:
        if not self._inbound_nodes:
            raise AttributeError("The layer has never been called and thus has no defined "
                                 "output shape.")
        shapes = {str(self._shape_of("output", n.outputs)) for n in self._inbound_nodes}
        if len(shapes) > 1:
            raise AttributeError(f'The layer "{self.name}" has multiple inbound nodes, with '
                                 "different output shapes. Hence the notion of \"output "
                                 "shape\" is ill-defined for the layer. Use "
                                 "`get_output_shape_at(node_index)` instead.")
        return self._shape_of("output", self._inbound_nodes[0].outputs)

    # -- the protocol subclasses implement ---------------------------------------------------
    def build(self, input_shape: Any) -> None:
        self.built = True

    def call(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        return inputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        raise NotImplementedError(f"Please run in eager mode or implement the "
                                  f"compute_output_shape method on your layer "
                                  f"({type(self).__name__}).")

    def get_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {"name": self.name, "trainable": self.trainable}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = self._batch_input_shape
        config["dtype"] = self.dtype
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Any:
        return cls(**config)

    def count_params(self) -> int:
        return _layers_base.count_params(self)

    def add_weight(self, name: str | None = None, shape: Any = None, dtype: Any = None,
                   initializer: Any = None, regularizer: Any = None,
                   trainable: bool | None = None, constraint: Any = None,
                   partitioner: Any = None, use_resource: Any = None,
                   synchronization: Any = None, aggregation: Any = None,
                   **kwargs: Any) -> Any:
        """tf-keras' add_weight + make_variable: a resource variable ``name`` in the current
        name scope, its initial value ``initializer(shape, dtype)`` under
        ``<name>/Initializer``; the default initializer is glorot_uniform for floats, zeros
        for integers and bools."""
        from varstore.variables import Variable

        for kwarg in kwargs:
            if kwarg not in ("getter", "collections", "experimental_autocast",
                             "caching_device"):
                raise TypeError("Unknown keyword argument:", kwarg)
        if partitioner is not None:
            raise NotImplementedError("varstore lacks tf.keras.layers.Layer.add_weight("
                                      "partitioner=...)")
        shape = () if shape is None else shape
        dt = _dtypes.as_dtype(dtype or self.dtype or backend.floatx())
        trainable = True if trainable is None else trainable
        init = initializers.get(initializer)
        if init is None:
            if dt.is_floating:
                init = initializers.get("glorot_uniform")
            elif dt.is_integer or dt.is_unsigned or dt.is_bool:
                init = initializers.get("zeros")
            else:
                raise ValueError(f"An initializer for variable {name} of type "
                                 f"{dt.base_dtype} is required for layer {self.name}. "
                                 f"Received: {initializer}.")
        dims = tuple(TensorShape(shape).as_list())
        # a frozen layer's weights still go to TRAINABLE_VARIABLES (tf-keras' v1 layers
        # pass ``trainable`` alone; tf.layers' pass ``trainable and self.trainable``)
        variable = Variable(initial_value=lambda: init(dims, dtype=dt), name=name,
                            trainable=trainable, dtype=dt,
                            constraint=constraints.get(constraint), use_resource=True,
                            shape=TensorShape(dims))
        backend.track_variable(variable)
        reg = regularizers.get(regularizer)
        if reg is not None:
            # the variable's full name (tf-keras' name_in_scope): dense/kernel/Regularizer
            loss_name = variable.name[:variable.name.find(":")]

            def loss_for_variable(v: Any = variable) -> Any:
                with get_default_graph().name_scope(f"{loss_name}/Regularizer"):
                    return reg(v)

            self._callable_losses.append(loss_for_variable)
        (self._trainable_weights if trainable else self._non_trainable_weights).append(
            variable)
        return variable

    def add_update(self, updates: Any, inputs: Any = None) -> None:
        """An update op (or a list, or a callable making one) the layer keeps in
        ``updates``; nothing goes to UPDATE_OPS."""
        for u in updates if isinstance(updates, (list, tuple)) else [updates]:
            op = getattr(u, "op", None)
            self._updates.append(u if op is None else op)

    def add_loss(self, losses: Any, inputs: Any = None) -> None:
        from varstore.framework.constant_op import convert_to_tensor

        for loss in losses if isinstance(losses, (list, tuple)) else [losses]:
            if callable(loss):
                self._callable_losses.append(loss)
            elif loss is not None:
                self._losses.append(convert_to_tensor(loss, dtype=backend.floatx()))

    def get_updates_for(self, inputs: Any) -> list[Any]:
        raise NotImplementedError("varstore lacks tf.keras.layers.Layer.get_updates_for: "
                                  "run `updates` (each call's are in order)")

    def get_losses_for(self, inputs: Any) -> list[Any]:
        raise NotImplementedError("varstore lacks tf.keras.layers.Layer.get_losses_for: "
                                  "use `losses`")

    def get_weights(self) -> list[Any]:
        return backend.batch_get_value(self.weights)

    def set_weights(self, weights: Any) -> None:
        params = self.weights
        if len(params) != len(weights):
            raise ValueError(f'You called `set_weights(weights)` on layer "{self.name}" with '
                             f"a weight list of length {len(weights)}, but the layer was "
                             f"expecting {len(params)} weights. Provided weights: "
                             f"{str(weights)[:50]}...")
        tuples = []
        for param, value in zip(params, weights, strict=True):
            ref = tuple(param.shape.as_list())
            got = tuple(np.shape(value))
            if ref != got:
                raise ValueError(f"Layer weight shape {ref} not compatible with provided "
                                 f"weight shape {got}")
            tuples.append((param, value))
        backend.batch_set_value(tuples)

    # -- calling ------------------------------------------------------------------------------
    def _name_scope(self) -> str:
        return self.name

    def _expects(self, arg: str) -> bool:
        try:
            params = inspect.signature(self.call).parameters
        except (TypeError, ValueError):
            return False
        return arg in params or any(p.kind is p.VAR_KEYWORD for p in params.values())

    def _maybe_build(self, inputs: Any) -> None:
        if self.built:
            return
        first = _node.flatten(inputs)[0]
        if self._dtype is None and hasattr(first, "dtype"):
            self._dtype = _dtypes.as_dtype(first.dtype).base_dtype
        shapes = _shapes(inputs)
        self.build(shapes)
        self.built = True
        if _records_build_shape(self):
            self._build_input_shape = _shape_config(shapes)  # the config's build_config
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def _maybe_cast(self, inputs: Any) -> Any:
        dt = self._dtype
        if not self._autocast or dt is None or not dt.is_floating:
            return inputs

        def cast(x: Any) -> Any:
            if isinstance(x, Tensor) and x.dtype.is_floating and x.dtype.base_dtype != dt:
                return math_unary_ops.cast(x, dt)
            return x

        if isinstance(inputs, (list, tuple)):
            return type(inputs)(cast(x) for x in inputs)
        return cast(inputs)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if args:
            inputs, rest = args[0], args[1:]
        elif "inputs" in kwargs:
            inputs, rest = kwargs.pop("inputs"), ()
        else:
            raise TypeError(f"__call__() missing 1 required positional argument: 'inputs' "
                            f"(layer {self.name})")
        expects_training = self._expects("training")
        training = kwargs.get("training")
        if "training" in kwargs and not expects_training:
            kwargs.pop("training")
        # the node records what the caller passed, not a training value the calling layer
        # handed down (tf-keras drops that one from the node)
        call_kwargs = dict(kwargs)
        if training is None:
            training = _parent_training()
            if expects_training and training is not None:
                kwargs["training"] = (math_unary_ops.cast(training, _dtypes.bool)
                                      if isinstance(training, Tensor) else bool(training))
        from varstore.framework.constant_op import convert_to_tensor

        if not isinstance(inputs, (list, tuple, dict)) and not hasattr(inputs, "shape"):
            inputs = convert_to_tensor(inputs)
        assert_input_compatibility(self.input_spec, inputs, self.name)
        input_masks = _collect_masks(inputs)
        if input_masks is not None and "mask" not in kwargs and not rest \
                and self._expects("mask"):
            kwargs["mask"] = input_masks  # tf-keras hands a previous layer's mask on
        graph = get_default_graph()
        with graph.name_scope(self._name_scope()):
            self._maybe_build(inputs)
            cast_inputs = self._maybe_cast(inputs)
            with _entered(training):
                outputs = self.call(cast_inputs, *rest, **kwargs)
            if outputs is None:
                raise ValueError("A layer's `call` method should return a Tensor or a list "
                                 f"of Tensors, not None (layer: {self.name}).")
            self._set_mask_metadata(inputs, outputs, input_masks)
            if any(_node.history_of(x) is not None for x in _node.flatten(inputs)):
                node = _node.Node(self, inputs, tuple(rest), call_kwargs, outputs)
                self._inbound_nodes.append(node)
                _node.record(node)
            if self._activity_regularizer is not None:
                self._activity_loss(outputs)
        return outputs

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The output mask: the input's for a layer that supports masking, else none."""
        if not self.supports_masking:
            if any(m is not None for m in _node.flatten(mask)):
                raise TypeError(f"Layer {self.name} does not support masking, but was passed "
                                f"an input_mask: {mask}")
            return None
        return mask

    compute_mask._is_default = True  # type: ignore[attr-defined]

    def _set_mask_metadata(self, inputs: Any, outputs: Any, previous_mask: Any) -> None:
        """tf-keras' base_layer_v1 rule: each output's ``_keras_mask``, from compute_mask when
        the layer supports masking or computes masks itself, unless call set it already."""
        flat_outputs = _node.flatten(outputs)
        if all(get_attr(x, "_keras_mask") is not None for x in flat_outputs):
            return
        if not (self.supports_masking
                or not getattr(self.compute_mask, "_is_default", False)):
            return
        output_masks = self.compute_mask(inputs, previous_mask)
        if output_masks is None:
            return
        for out, m in zip(flat_outputs, _node.flatten(output_masks)):
            if m is not None and isinstance(out, Tensor):
                set_attr(out, "_keras_mask", m)

    def _activity_loss(self, outputs: Any) -> None:
        """tf-keras' activity regularization: the regularizer of each output divided by
        the batch size, under ``ActivityRegularizer/``."""
        from varstore.framework.constant_op import convert_to_tensor
        from varstore.ops import array_ops

        with get_default_graph().name_scope("ActivityRegularizer"):
            for out in _node.flatten(outputs):
                loss = convert_to_tensor(self._activity_regularizer(out))
                batch = math_unary_ops.cast(array_ops.shape(out)[0], loss.dtype)
                self._losses.append(loss / batch)

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__} object name={self.name!r}>"
