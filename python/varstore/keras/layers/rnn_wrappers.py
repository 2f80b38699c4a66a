"""tf-keras' layer wrappers: ``Wrapper``, ``Bidirectional`` (a forward and a backward copy
of an RNN layer, remade from its config, merged by concat / sum / mul / ave or returned as a
pair) and ``TimeDistributed`` (a layer applied to every time step: one call on the input
reshaped to (batch * time, ...), or a loop over time for a user layer when the batch size is
known).
"""

from __future__ import annotations

import copy
import inspect
from typing import Any

from varstore.framework.tensor_shape import TensorShape
from varstore.keras import backend
from varstore.keras.backend_math import concatenate, reverse
from varstore.keras.backend_rnn import rnn
from varstore.keras.engine.base_layer import Layer
from varstore.keras.engine.input_spec import InputSpec
from varstore.keras.layers.rnn_cells import (
    _has_arg,
    deserialize_layer,
    is_builtin,
    serialize_layer,
)
from varstore.keras.layers.rnn_layers import _standardize_args
from varstore.ops import array_ops
from varstore.util import nest

__all__ = ["Bidirectional", "TimeDistributed", "Wrapper"]


class Wrapper(Layer):
    """A layer around another one (``self.layer``), built with it."""

    _track_wrapped = True

    def __init__(self, layer: Any, **kwargs: Any) -> None:
        if not isinstance(layer, Layer):
            raise ValueError(  # noqa: TRY004 - TF's type
                f"Layer {layer} supplied to wrapper is not a supported layer "
                             "type. Please ensure wrapped layer is a valid TF-Keras layer.")
        super().__init__(**kwargs)
        if self._track_wrapped:
            self.layer = layer
        else:
            object.__setattr__(self, "layer", layer)

    def build(self, input_shape: Any) -> None:
        if not self.layer.built:
            self.layer.build(input_shape)
            self.layer.built = True
            if is_builtin(self.layer):
                self.layer._build_input_shape = _shape_tuple(input_shape)
        self.built = True

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "layer": serialize_layer(self.layer)}

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Any:
        config = copy.deepcopy(config)
        num_constants = config.pop("num_constants", 0)
        config["layer"] = deserialize_layer(config["layer"], custom_objects)
        if config.get("backward_layer") is not None:
            config["backward_layer"] = deserialize_layer(config["backward_layer"],
                                                         custom_objects)
        layer = cls(**config)
        if num_constants:
            layer._num_constants = num_constants
        return layer


def _shape_tuple(shape: Any) -> Any:
    try:
        return tuple(TensorShape(shape).as_list())
    except (TypeError, ValueError):
        return shape


class Bidirectional(Wrapper):
    """``forward_<name>`` and ``backward_<name>`` (go_backwards flipped), their outputs
    merged; with ``return_state`` the forward states, then the backward ones. The wrapped
    layer itself is not tracked: the weights are the two copies'."""

    _track_wrapped = False

    def __init__(self, layer: Any, merge_mode: Any = "concat", weights: Any = None,
                 backward_layer: Any = None, **kwargs: Any) -> None:
        if not isinstance(layer, Layer):
            raise ValueError(  # noqa: TRY004 - TF's type
                "Please initialize `Bidirectional` layer with a "
                             f"`tf.keras.layers.Layer` instance. Received: {layer}")
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(
                "`backward_layer` need to be a `tf.keras.layers.Layer` "
                             f"instance. Received: {backward_layer}")
        if merge_mode not in ["sum", "mul", "ave", "concat", None]:
            raise ValueError(f"Invalid merge mode. Received: {merge_mode}. Merge mode should "
                             'be one of {"sum", "mul", "ave", "concat", None}')
        if weights:
            raise NotImplementedError("varstore lacks tf.keras.layers.Bidirectional("
                                      "weights=...): call set_weights after building")
        super().__init__(layer, **kwargs)
        self.forward_layer = self._recreate(layer)
        if backward_layer is None:
            self.backward_layer = self._recreate(layer, go_backwards=True)
        else:
            self.backward_layer = backward_layer
            self._backward_layer_config = serialize_layer(backward_layer)
        self.forward_layer._name = "forward_" + self.forward_layer.name
        self.backward_layer._name = "backward_" + self.backward_layer.name
        self._verify_layer_config()
        for sub in (self.forward_layer, self.backward_layer):
            if getattr(sub, "zero_output_for_mask", None) is not None:
                sub.zero_output_for_mask = sub.return_sequences
        self.merge_mode = merge_mode
        wrapped: Any = layer
        self.stateful = wrapped.stateful
        self.return_sequences = wrapped.return_sequences
        self.return_state = wrapped.return_state
        self.supports_masking = True
        self._trainable = kwargs.get("trainable", layer.trainable)
        self._num_constants = 0
        self.input_spec = layer.input_spec

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """tf-keras' rule: the mask on a sequence output (one per direction unmerged)."""
        if isinstance(mask, list):
            mask = mask[0]
        if self.return_sequences:
            output_mask = mask if self.merge_mode else [mask, mask]
        else:
            output_mask = None if self.merge_mode else [None, None]
        if self.return_state:
            states = self.forward_layer.states
            return (output_mask if isinstance(output_mask, list) else [output_mask]) + \
                [None] * (2 * len(states))
        return output_mask

    @staticmethod
    def _recreate(layer: Any, go_backwards: bool = False) -> Any:
        config = layer.get_config()
        if go_backwards:
            config["go_backwards"] = not config["go_backwards"]
        params = inspect.signature(layer.__class__.from_config).parameters
        if "custom_objects" in params:
            custom: dict[str, Any] = {}
            cell = getattr(layer, "cell", None)
            if cell is not None:
                custom[cell.__class__.__name__] = cell.__class__
                for c in getattr(cell, "cells", []):
                    custom[c.__class__.__name__] = c.__class__
            return layer.__class__.from_config(config, custom_objects=custom)
        return layer.__class__.from_config(config)

    def _verify_layer_config(self) -> None:
        fwd, bwd = self.forward_layer, self.backward_layer
        if fwd.go_backwards == bwd.go_backwards:
            raise ValueError("Forward layer and backward layer should have different "
                             "`go_backwards` value.forward_layer.go_backwards = "
                             f"{fwd.go_backwards},backward_layer.go_backwards = "
                             f"{bwd.go_backwards}")
        for a in ("stateful", "return_sequences", "return_state"):
            fv, bv = getattr(fwd, a), getattr(bwd, a)
            if fv != bv:
                raise ValueError("Forward layer and backward layer are expected to have the "
                                 f'same value for attribute "{a}", got "{fv}" for forward '
                                 f'layer and "{bv}" for backward layer')

    def compute_output_shape(self, input_shape: Any) -> Any:
        output_shape = self.forward_layer.compute_output_shape(input_shape)
        state_shape: list[Any] = []
        if self.return_state:
            state_shape = [TensorShape(s) for s in output_shape[1:]]
            output_shape = TensorShape(output_shape[0])
        else:
            output_shape = TensorShape(output_shape)
        if self.merge_mode == "concat":
            dims = output_shape.as_list()
            dims[-1] = None if dims[-1] is None else dims[-1] * 2
            output_shape = TensorShape(dims)
        elif self.merge_mode is None:
            output_shape = [output_shape, copy.copy(output_shape)]
        if self.return_state:
            if self.merge_mode is None:
                return output_shape + state_shape + copy.copy(state_shape)
            return [output_shape, *state_shape, *copy.copy(state_shape)]
        return output_shape

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        inputs = args[0] if args else kwargs.pop("inputs")
        initial_state = kwargs.pop("initial_state", None)
        constants = kwargs.pop("constants", None)
        inputs, initial_state, constants = _standardize_args(
            inputs, initial_state, constants, self._num_constants)
        if isinstance(inputs, list):
            if len(inputs) > 1:
                initial_state = inputs[1:]
            inputs = inputs[0]
        if constants is not None:
            raise NotImplementedError("varstore lacks tf.keras.layers.Bidirectional("
                                      "constants=...)")
        if initial_state is None:
            return super().__call__(inputs, **kwargs)
        num_states = len(initial_state)
        if num_states % 2 > 0:
            raise ValueError("When passing `initial_state` to a Bidirectional RNN, the state "
                             "should be a list containing the states of the underlying "
                             f"RNNs. Received: {initial_state}")
        specs = [InputSpec(shape=backend.int_shape(s)) for s in initial_state]
        self.forward_layer.state_spec = specs[:num_states // 2]
        self.backward_layer.state_spec = specs[num_states // 2:]
        flat = nest.flatten(initial_state)
        is_keras = backend.is_keras_tensor(flat[0])
        for tensor in flat:
            if backend.is_keras_tensor(tensor) != is_keras:
                raise ValueError("The initial state of a Bidirectional layer cannot be "
                                 "specified with a mix of TF-Keras tensors and non-Keras "
                                 'tensors (a "Keras tensor" is a tensor that was returned by '
                                 "a TF-Keras layer, or by `Input`)")
        if not is_keras:
            return super().__call__(inputs, initial_state=initial_state, **kwargs)
        original = self.input_spec
        self.input_spec = [None] * len(nest.flatten(inputs)) + specs
        try:
            return super().__call__([inputs, *initial_state], **kwargs)
        finally:
            self.input_spec = original

    def call(self, inputs: Any, training: Any = None, mask: Any = None,
             initial_state: Any = None, constants: Any = None) -> Any:
        kwargs: dict[str, Any] = {}
        if _has_arg(self.layer.call, "training"):
            kwargs["training"] = training
        if _has_arg(self.layer.call, "mask") and mask is not None:
            kwargs["mask"] = mask
        forward_state = backward_state = None
        if _has_arg(self.layer.call, "initial_state"):
            if isinstance(inputs, list) and len(inputs) > 1:
                pivot = (len(inputs) - self._num_constants) // 2 + 1
                forward_state = inputs[1:pivot]
                backward_state = inputs[pivot:]
                inputs = inputs[0]
            elif initial_state is not None:
                half = len(initial_state) // 2
                forward_state = initial_state[:half]
                backward_state = initial_state[half:]
            y = self.forward_layer(inputs, initial_state=forward_state, **kwargs)
            y_rev = self.backward_layer(inputs, initial_state=backward_state, **kwargs)
        else:
            y = self.forward_layer(inputs, **kwargs)
            y_rev = self.backward_layer(inputs, **kwargs)
        states: list[Any] = []
        if self.return_state:
            states = list(y[1:]) + list(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            time_dim = 0 if getattr(self.forward_layer, "time_major", False) else 1
            y_rev = reverse(y_rev, time_dim)
        if self.merge_mode == "concat":
            output: Any = concatenate([y, y_rev])
        elif self.merge_mode == "sum":
            output = y + y_rev
        elif self.merge_mode == "ave":
            output = (y + y_rev) / 2
        elif self.merge_mode == "mul":
            output = y * y_rev
        else:
            output = [y, y_rev]
        if self.return_state:
            return output + states if self.merge_mode is None else [output, *states]
        return output

    def reset_states(self, states: Any = None) -> None:
        raise AttributeError("Layer must be stateful.")

    def build(self, input_shape: Any) -> None:
        with backend.name_scope(self.forward_layer.name):
            self.forward_layer.build(input_shape)
            self.forward_layer.built = True
        with backend.name_scope(self.backward_layer.name):
            self.backward_layer.build(input_shape)
            self.backward_layer.built = True
        self.built = True

    def get_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {"merge_mode": self.merge_mode}
        if self._num_constants:
            config["num_constants"] = self._num_constants
        if hasattr(self, "_backward_layer_config"):
            config["backward_layer"] = self._backward_layer_config
        return {**super().get_config(), **config}


class TimeDistributed(Wrapper):
    """``layer`` applied to every slice along axis 1."""

    def __init__(self, layer: Any, **kwargs: Any) -> None:
        if not isinstance(layer, Layer):
            raise ValueError(  # noqa: TRY004 - TF's type
                "Please initialize `TimeDistributed` layer with a "
                             f"`tf.keras.layers.Layer` instance. Received: {layer}")
        super().__init__(layer, **kwargs)
        self.supports_masking = True
        # tf-keras' is_builtin_layer: its own layers always take the reshape path
        self._always_use_reshape = is_builtin(layer) and not getattr(layer, "stateful",
                                                                     False)

    @staticmethod
    def _get_shape_tuple(init_tuple: tuple[Any, ...], tensor: Any,
                         start_idx: int) -> tuple[Any, ...]:
        int_shape: list[Any] = list(backend.int_shape(tensor) or ())[start_idx:]
        if not any(s is None for s in int_shape):
            return init_tuple + tuple(int_shape)
        shape = array_ops.shape(tensor)
        for i, s in enumerate(int_shape):
            if s is None:
                int_shape[i] = shape[start_idx + i]
        return init_tuple + tuple(int_shape)

    @staticmethod
    def _remove_timesteps(dims: Any) -> TensorShape:
        d = TensorShape(dims).as_list()
        return TensorShape([d[0], *d[2:]])

    def build(self, input_shape: Any) -> None:
        shape = TensorShape(input_shape)
        if shape.ndims is None or shape.ndims < 3:
            raise ValueError("`TimeDistributed` Layer should be passed an `input_shape ` "
                             f"with at least 3 dimensions, received: {input_shape}")
        self.input_spec = InputSpec(shape=[None, None, *shape.as_list()[2:]])
        super().build(self._remove_timesteps(shape))

    def compute_output_shape(self, input_shape: Any) -> Any:
        shape = TensorShape(input_shape)
        child = TensorShape(self.layer.compute_output_shape(self._remove_timesteps(shape)))
        dims = child.as_list()
        return TensorShape([dims[0], shape.as_list()[1], *dims[1:]])

    def call(self, inputs: Any, training: Any = None, mask: Any = None) -> Any:
        kwargs: dict[str, Any] = {}
        if _has_arg(self.layer.call, "training"):
            kwargs["training"] = training
        if isinstance(inputs, (list, tuple)):
            raise NotImplementedError("varstore lacks tf.keras.layers.TimeDistributed over "
                                      "several inputs")
        dims: list[Any] = list(backend.int_shape(inputs) or ())
        batch_size = dims[0]
        if batch_size and not self._always_use_reshape:
            def step(x: Any, _: Any) -> tuple[Any, list[Any]]:
                return self.layer(x, **kwargs), []

            _, outputs, _ = rnn(step, inputs, initial_states=[], input_length=dims[1],
                                mask=mask, unroll=False)
            return outputs
        input_length: Any = dims[1]
        if not input_length:
            input_length = array_ops.shape(inputs)[1]
        inner_shape = self._get_shape_tuple((-1,), inputs, 2)
        x = array_ops.reshape(inputs, inner_shape)
        if _has_arg(self.layer.call, "mask") and mask is not None:
            kwargs["mask"] = array_ops.reshape(mask, self._get_shape_tuple((-1,), mask, 2))
        y = self.layer(x, **kwargs)
        out_shape = self._get_shape_tuple((batch_size if batch_size else -1, input_length),
                                          y, 1)
        y = array_ops.reshape(y, out_shape)
        # TF's base layer then asks compute_mask for the output's mask, which reshapes the
        # input again (unused when the inner layer makes no mask): the op is in TF's graph
        array_ops.reshape(inputs, self._get_shape_tuple((-1,), inputs, 2))
        return y
