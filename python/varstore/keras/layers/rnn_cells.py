"""tf-keras' recurrent cells as TF 2.21's v1 Keras namespace exports them: SimpleRNNCell,
LSTMCell and GRUCell (the v1 ones: ``hard_sigmoid`` recurrent activation, implementation 1,
GRU's ``reset_after=False``), AbstractRNNCell and StackedRNNCells.

A cell's ``call(inputs, states, training)`` is one time step; its weights are made when the
RNN layer builds it, under the cell's name scope (``lstm/lstm_cell/kernel``). Dropout masks
are drawn once per RNN call (at the step before the loop) and reused by every step, as
tf-keras' DropoutRNNCellMixin caches them.
"""

from __future__ import annotations

import inspect
from typing import Any

from varstore.framework.graph import get_default_graph
from varstore.framework.tensor_shape import TensorShape
from varstore.keras import activations, backend, constraints, initializers, regularizers
from varstore.keras.backend_math import concatenate, dot, switch
from varstore.keras.backend_nn import bias_add
from varstore.keras.engine.base_layer import Layer
from varstore.keras.utils.generic_utils import serialize_optional as _ser
from varstore.ops import array_fill_ops, array_ops, array_split_ops, array_stack_ops, nn_impl
from varstore.util import nest

__all__ = ["AbstractRNNCell", "GRUCell", "LSTMCell", "ListWrapper", "SimpleRNNCell",
           "StackedRNNCells", "build_cell", "deserialize_layer", "is_builtin", "is_multiple_state",
           "serialize_layer",
           "zero_state"]


class ListWrapper(list[Any]):
    """A list a Keras layer holds as an attribute: TF's tracking wraps it, and messages and
    reprs show ``ListWrapper([...])``."""

    def __repr__(self) -> str:
        return f"ListWrapper({list.__repr__(self)})"


def is_multiple_state(state_size: Any) -> bool:
    return hasattr(state_size, "__len__") and not isinstance(state_size, TensorShape)


def zero_state(batch_size: Any, state_size: Any, dtype: Any) -> Any:
    """tf-keras' generate_zero_filled_state: ``zeros([batch] + size)`` per state."""
    if batch_size is None or dtype is None:
        raise ValueError("batch_size and dtype cannot be None while constructing initial "
                         f"state. Received: batch_size={batch_size}, dtype={dtype}")

    def create_zeros(size: Any) -> Any:
        return array_fill_ops.zeros([batch_size, *TensorShape(size).as_list()], dtype=dtype)

    if nest.is_nested(state_size):
        return nest.map_structure(create_zeros, state_size)
    return create_zeros(state_size)


def _cell_zero_state(cell: Any, inputs: Any, batch_size: Any, dtype: Any) -> Any:
    if inputs is not None:
        batch_size = array_ops.shape(inputs)[0]
        dtype = inputs.dtype
    return zero_state(batch_size, cell.state_size, dtype)


def _in_train_phase(x: Any, alt: Any, training: Any) -> Any:
    """tf-keras' backend.in_train_phase: ``x()`` in training (the learning phase when
    ``training`` is None), ``alt`` otherwise; a tensor phase builds a cond."""
    if training is None:
        training = backend.learning_phase()
    if training is True or (isinstance(training, int) and training == 1):
        return x()
    if training is False or (isinstance(training, int) and training == 0):
        return alt
    return switch(training, x, alt)


def build_cell(cell: Any, input_shape: Any) -> None:
    """Builds a cell under its name scope, keeping the shape for its ``build_config``."""
    with backend.name_scope(cell.name):
        cell.build(TensorShape(input_shape))
        cell.built = True
    if is_builtin(cell):  # TF's base build() records it; a user build() seldom calls it
        cell._build_input_shape = tuple(TensorShape(input_shape).as_list())


def is_builtin(layer: Any) -> bool:
    """tf-keras' is_builtin_layer: one of the library's own classes."""
    return type(layer).__module__.startswith("varstore.")


def serialize_layer(layer: Any) -> dict[str, Any]:
    """tf-keras' serialize_keras_object of a built-in layer (a built one has its input
    shape as ``build_config``)."""
    cls = type(layer)
    if is_builtin(layer):
        out: dict[str, Any] = {"module": "keras.layers", "class_name": cls.__name__,
                               "config": layer.get_config(), "registered_name": None}
    else:  # a user class: its module, registered under its name
        out = {"module": cls.__module__, "class_name": cls.__name__,
               "config": layer.get_config(), "registered_name": cls.__name__}
    shape = getattr(layer, "_build_input_shape", None)
    if layer.built and shape is not None:
        out["build_config"] = {"input_shape": shape}
    return out


def _builtin_layer_class(name: str) -> Any:
    """varstore's own Layer subclass of that name (tf-keras' layer registry, walked)."""
    todo: list[type] = [Layer]
    while todo:
        cls = todo.pop()
        if cls.__name__ == name and cls.__module__.startswith("varstore.keras."):
            return cls
        todo.extend(cls.__subclasses__())
    return None


def deserialize_layer(config: dict[str, Any], custom_objects: Any = None) -> Any:
    """A layer (or cell) from its serialized form: ``custom_objects`` first, then
    varstore's own classes by name."""
    name = config["class_name"]
    cls: Any = (custom_objects or {}).get(name) or _builtin_layer_class(name)
    if cls is None:
        raise ValueError(f"Unknown layer: '{name}'. Please ensure you are using a "
                         "`keras.utils.custom_object_scope` and that this object is "
                         "included in the scope. See https://www.tensorflow.org/guide/keras/"
                         "save_and_serialize#registering_the_custom_object for details.")
    inner = dict(config.get("config", {}))
    if "custom_objects" in inspect.signature(cls.from_config).parameters:
        return cls.from_config(inner, custom_objects=custom_objects)
    return cls.from_config(inner)


class AbstractRNNCell(Layer):
    """The base of user cells: ``call``, ``state_size`` and ``output_size`` to define."""

    def call(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    @property
    def state_size(self) -> Any:
        raise NotImplementedError

    @property
    def output_size(self) -> Any:
        raise NotImplementedError

    def get_initial_state(self, inputs: Any = None, batch_size: Any = None,
                          dtype: Any = None) -> Any:
        return _cell_zero_state(self, inputs, batch_size, dtype)


class _DropoutCell(Layer):
    """tf-keras' DropoutRNNCellMixin over BaseRandomLayer: masks ``dropout(ones_like(x))``
    drawn with the legacy seed (the cell's ``seed``, then + 1 per draw)."""

    dropout: float
    recurrent_dropout: float

    def __init__(self, seed: int | None = None, **kwargs: Any) -> None:
        kwargs.pop("force_generator", None)
        kwargs.pop("rng_type", None)
        super().__init__(**kwargs)
        self._legacy_seed = seed
        self._masks: dict[tuple[str, int], Any] = {}

    def reset_dropout_mask(self) -> None:
        self._masks = {k: v for k, v in self._masks.items() if k[0] != "dropout"}

    def reset_recurrent_dropout_mask(self) -> None:
        self._masks = {k: v for k, v in self._masks.items() if k[0] != "recurrent"}

    def _seed(self) -> int | None:
        seed = self._legacy_seed
        if seed is not None:
            self._legacy_seed = seed + 1
        return seed

    def _mask(self, key: str, rate: float, inputs: Any, training: Any, count: int) -> Any:
        if rate == 0:
            return None
        # TF's ContextValueCache keys the masks by graph, and a loop body is a graph of its
        # own: the body draws its masks anew (at every iteration), the step before the loop
        # has its own (unused) ones; an unrolled RNN shares one mask across its steps.
        ctx = get_default_graph()._current_control_flow_context()
        cache_key = (key, id(ctx))
        if cache_key not in self._masks:
            ones = array_fill_ops.ones_like(inputs)

            def dropped() -> Any:
                return nn_impl.dropout(ones, rate=rate, seed=self._seed())

            masks = [_in_train_phase(dropped, ones, training) for _ in range(count)]
            self._masks[cache_key] = masks if count > 1 else masks[0]
        return self._masks[cache_key]

    def get_dropout_mask_for_cell(self, inputs: Any, training: Any, count: int = 1) -> Any:
        return self._mask("dropout", self.dropout, inputs, training, count)

    def get_recurrent_dropout_mask_for_cell(self, inputs: Any, training: Any,
                                            count: int = 1) -> Any:
        return self._mask("recurrent", self.recurrent_dropout, inputs, training, count)

    def get_initial_state(self, inputs: Any = None, batch_size: Any = None,
                          dtype: Any = None) -> Any:
        return _cell_zero_state(self, inputs, batch_size, dtype)


class _GatedCell(_DropoutCell):
    """What the three cells share: units, activations, initializers, regularizers,
    constraints and dropout rates, and their config."""

    _gates = 1

    def __init__(self, units: Any, activation: Any = "tanh",
                 recurrent_activation: Any = None, use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, recurrent_regularizer: Any = None,
                 bias_regularizer: Any = None, kernel_constraint: Any = None,
                 recurrent_constraint: Any = None, bias_constraint: Any = None,
                 dropout: float = 0.0, recurrent_dropout: float = 0.0,
                 **kwargs: Any) -> None:
        if units <= 0:
            raise ValueError("Received an invalid value for argument `units`, expected a "
                             f"positive integer, got {units}.")
        if kwargs.pop("enable_caching_device", False):
            raise NotImplementedError(f"varstore lacks tf.keras.layers.{type(self).__name__}"
                                      "(enable_caching_device=True)")
        implementation = kwargs.pop("implementation", 1)
        super().__init__(**kwargs)
        self.units = int(units)
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = min(1.0, max(0.0, dropout))
        self.recurrent_dropout = min(1.0, max(0.0, recurrent_dropout))
        # TF's cells fall back to implementation 1 when recurrent dropout is on
        self.implementation = 1 if self.recurrent_dropout != 0 else implementation
        self.state_size: Any = self.units
        self.output_size = self.units

    def _kernels(self, input_shape: Any, bias_initializer: Any = None,
                 bias_shape: Any = None) -> None:
        input_dim = TensorShape(input_shape).as_list()[-1]
        n = self.units * self._gates
        self.kernel = self.add_weight(shape=(input_dim, n), name="kernel",
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(shape=(self.units, n), name="recurrent_kernel",
                                                initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint)
        self.bias = (self.add_weight(shape=bias_shape or (n,), name="bias",
                                     initializer=bias_initializer or self.bias_initializer,
                                     regularizer=self.bias_regularizer,
                                     constraint=self.bias_constraint)
                     if self.use_bias else None)
        self.built = True

    def get_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {"units": self.units,
                                  "activation": activations.serialize(self.activation)}
        if self._gates > 1:
            config["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        config.update({
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer)})
        config.update(self._extra_config())
        config.update({
            "kernel_regularizer": _ser(regularizers, self.kernel_regularizer),
            "recurrent_regularizer": _ser(regularizers, self.recurrent_regularizer),
            "bias_regularizer": _ser(regularizers, self.bias_regularizer),
            "kernel_constraint": _ser(constraints, self.kernel_constraint),
            "recurrent_constraint": _ser(constraints, self.recurrent_constraint),
            "bias_constraint": _ser(constraints, self.bias_constraint),
            "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout})
        if self._gates > 1:
            config["implementation"] = self.implementation
        config.update(self._tail_config())
        return {**super().get_config(), **config}

    def _extra_config(self) -> dict[str, Any]:
        return {}

    def _tail_config(self) -> dict[str, Any]:
        return {}


class SimpleRNNCell(_GatedCell):
    """``h = activation(x @ kernel + bias + h_prev @ recurrent_kernel)``."""

    def __init__(self, units: Any, activation: Any = "tanh", use_bias: bool = True,
                 **kwargs: Any) -> None:
        kwargs.pop("implementation", None)
        super().__init__(units, activation=activation, use_bias=use_bias, **kwargs)

    def build(self, input_shape: Any) -> None:
        self._kernels(input_shape)

    def call(self, inputs: Any, states: Any, training: Any = None) -> Any:
        prev_output = states[0] if nest.is_nested(states) else states
        dp_mask = self.get_dropout_mask_for_cell(inputs, training)
        rec_dp_mask = self.get_recurrent_dropout_mask_for_cell(prev_output, training)
        h = dot(inputs * dp_mask if dp_mask is not None else inputs, self.kernel)
        if self.bias is not None:
            h = bias_add(h, self.bias)
        if rec_dp_mask is not None:
            prev_output = prev_output * rec_dp_mask
        output = h + dot(prev_output, self.recurrent_kernel)
        if self.activation is not None:
            output = self.activation(output)
        return output, [output] if nest.is_nested(states) else output


class LSTMCell(_GatedCell):
    """Gates i, f, c, o in the kernels' columns; ``unit_forget_bias`` starts the forget
    gate's bias at 1. Implementation 1 (v1's default) splits the kernel per gate, 2 makes
    one matmul."""

    _gates = 4

    def __init__(self, units: Any, activation: Any = "tanh",
                 recurrent_activation: Any = "hard_sigmoid", use_bias: bool = True,
                 unit_forget_bias: bool = True, **kwargs: Any) -> None:
        super().__init__(units, activation=activation,
                         recurrent_activation=recurrent_activation, use_bias=use_bias,
                         **kwargs)
        self.unit_forget_bias = unit_forget_bias
        self.state_size = ListWrapper([self.units, self.units])

    def build(self, input_shape: Any) -> None:
        init = None
        if self.use_bias and self.unit_forget_bias:
            base = self.bias_initializer
            units = self.units

            def init(_: Any, *args: Any, **kwargs: Any) -> Any:
                return concatenate([base((units,), *args, **kwargs),
                                    initializers.get("ones")((units,), *args, **kwargs),
                                    base((units * 2,), *args, **kwargs)])

        self._kernels(input_shape, bias_initializer=init)

    def _carry_and_output(self, x: Any, h_tm1: Any, c_tm1: Any) -> tuple[Any, Any]:
        n = self.units
        rk = self.recurrent_kernel
        x_i, x_f, x_c, x_o = x
        h_i, h_f, h_c, h_o = h_tm1
        i = self.recurrent_activation(x_i + dot(h_i, rk[:, :n]))
        f = self.recurrent_activation(x_f + dot(h_f, rk[:, n:n * 2]))
        c = f * c_tm1 + i * self.activation(x_c + dot(h_c, rk[:, n * 2:n * 3]))
        o = self.recurrent_activation(x_o + dot(h_o, rk[:, n * 3:]))
        return c, o

    def call(self, inputs: Any, states: Any, training: Any = None) -> Any:
        h_tm1, c_tm1 = states[0], states[1]
        dp_mask = self.get_dropout_mask_for_cell(inputs, training, count=4)
        rec_dp_mask = self.get_recurrent_dropout_mask_for_cell(h_tm1, training, count=4)
        if self.implementation == 1:
            xs = ([inputs * m for m in dp_mask] if 0 < self.dropout < 1.0
                  else [inputs] * 4)
            kernels = array_split_ops.split(self.kernel, num_or_size_splits=4, axis=1)
            x = [dot(xi, k) for xi, k in zip(xs, kernels, strict=True)]
            if self.use_bias:
                biases = array_split_ops.split(self.bias, num_or_size_splits=4, axis=0)
                x = [bias_add(xi, b) for xi, b in zip(x, biases, strict=True)]
            hs = ([h_tm1 * m for m in rec_dp_mask] if 0 < self.recurrent_dropout < 1.0
                  else [h_tm1] * 4)
            c, o = self._carry_and_output(tuple(x), tuple(hs), c_tm1)
        else:
            if 0.0 < self.dropout < 1.0:
                inputs = inputs * dp_mask[0]
            z = dot(inputs, self.kernel)
            z += dot(h_tm1, self.recurrent_kernel)
            if self.use_bias:
                z = bias_add(z, self.bias)
            z0, z1, z2, z3 = array_split_ops.split(z, num_or_size_splits=4, axis=1)
            i = self.recurrent_activation(z0)
            f = self.recurrent_activation(z1)
            c = f * c_tm1 + i * self.activation(z2)
            o = self.recurrent_activation(z3)
        h = o * self.activation(c)
        return h, [h, c]

    def _extra_config(self) -> dict[str, Any]:
        return {"unit_forget_bias": self.unit_forget_bias}


class GRUCell(_GatedCell):
    """Gates z, r, h in the kernels' columns; v1's ``reset_after=False`` applies the reset
    gate before the recurrent matmul (one bias vector), ``True`` after it (two rows)."""

    _gates = 3

    def __init__(self, units: Any, activation: Any = "tanh",
                 recurrent_activation: Any = "hard_sigmoid", use_bias: bool = True,
                 reset_after: bool = False, **kwargs: Any) -> None:
        super().__init__(units, activation=activation,
                         recurrent_activation=recurrent_activation, use_bias=use_bias,
                         **kwargs)
        self.reset_after = reset_after

    def build(self, input_shape: Any) -> None:
        n = 3 * self.units
        self._kernels(input_shape, bias_shape=(2, n) if self.reset_after else (n,))

    def call(self, inputs: Any, states: Any, training: Any = None) -> Any:
        n = self.units
        h_tm1 = states[0] if nest.is_nested(states) else states
        dp_mask = self.get_dropout_mask_for_cell(inputs, training, count=3)
        rec_dp_mask = self.get_recurrent_dropout_mask_for_cell(h_tm1, training, count=3)
        input_bias: Any = None
        recurrent_bias: Any = None
        if self.use_bias:
            if not self.reset_after:
                input_bias = self.bias
            else:
                input_bias, recurrent_bias = array_stack_ops.unstack(self.bias)
        k, rk = self.kernel, self.recurrent_kernel
        if self.implementation == 1:
            x_in = ([inputs * m for m in dp_mask] if 0.0 < self.dropout < 1.0
                    else [inputs] * 3)
            x_z = dot(x_in[0], k[:, :n])
            x_r = dot(x_in[1], k[:, n:n * 2])
            x_h = dot(x_in[2], k[:, n * 2:])
            if self.use_bias:
                x_z = bias_add(x_z, input_bias[:n])
                x_r = bias_add(x_r, input_bias[n:n * 2])
                x_h = bias_add(x_h, input_bias[n * 2:])
            hs = ([h_tm1 * m for m in rec_dp_mask] if 0.0 < self.recurrent_dropout < 1.0
                  else [h_tm1] * 3)
            recurrent_z = dot(hs[0], rk[:, :n])
            recurrent_r = dot(hs[1], rk[:, n:n * 2])
            if self.reset_after and self.use_bias:
                recurrent_z = bias_add(recurrent_z, recurrent_bias[:n])
                recurrent_r = bias_add(recurrent_r, recurrent_bias[n:n * 2])
            z = self.recurrent_activation(x_z + recurrent_z)
            r = self.recurrent_activation(x_r + recurrent_r)
            if self.reset_after:
                recurrent_h = dot(hs[2], rk[:, n * 2:])
                if self.use_bias:
                    recurrent_h = bias_add(recurrent_h, recurrent_bias[n * 2:])
                recurrent_h = r * recurrent_h
            else:
                recurrent_h = dot(r * hs[2], rk[:, n * 2:])
        else:
            if 0.0 < self.dropout < 1.0:
                inputs = inputs * dp_mask[0]
            matrix_x = dot(inputs, k)
            if self.use_bias:
                matrix_x = bias_add(matrix_x, input_bias)
            x_z, x_r, x_h = array_split_ops.split(matrix_x, 3, axis=-1)
            if self.reset_after:
                matrix_inner = dot(h_tm1, rk)
                if self.use_bias:
                    matrix_inner = bias_add(matrix_inner, recurrent_bias)
            else:
                matrix_inner = dot(h_tm1, rk[:, :2 * n])
            recurrent_z, recurrent_r, recurrent_h = array_split_ops.split(
                matrix_inner, [n, n, -1], axis=-1)
            z = self.recurrent_activation(x_z + recurrent_z)
            r = self.recurrent_activation(x_r + recurrent_r)
            recurrent_h = (r * recurrent_h if self.reset_after
                           else dot(r * h_tm1, rk[:, 2 * n:]))
        hh = self.activation(x_h + recurrent_h)
        h = z * h_tm1 + (1 - z) * hh
        return h, [h] if nest.is_nested(states) else h

    def _tail_config(self) -> dict[str, Any]:
        return {"reset_after": self.reset_after}


class StackedRNNCells(Layer):
    """Cells run one after the other in a step: each one's output is the next one's
    input; the states are the cells' states in order."""

    def __init__(self, cells: Any, **kwargs: Any) -> None:
        for cell in cells:
            if "call" not in dir(cell):
                raise ValueError("All cells must have a `call` method. Received cell without "
                                 f"a `call` method: {cell}")
            if "state_size" not in dir(cell):
                raise ValueError("All cells must have a `state_size` attribute. Received "
                                 f"cell without a `state_size`: {cell}")
        if kwargs.pop("reverse_state_order", False):
            raise NotImplementedError("varstore lacks tf.keras.layers.StackedRNNCells("
                                      "reverse_state_order=True)")
        super().__init__(**kwargs)
        self.cells = list(cells)

    @property
    def state_size(self) -> tuple[Any, ...]:
        return tuple(c.state_size for c in self.cells)

    @property
    def output_size(self) -> Any:
        last = self.cells[-1]
        if getattr(last, "output_size", None) is not None:
            return last.output_size
        if is_multiple_state(last.state_size):
            return last.state_size[0]
        return last.state_size

    def get_initial_state(self, inputs: Any = None, batch_size: Any = None,
                          dtype: Any = None) -> tuple[Any, ...]:
        states = []
        for cell in self.cells:
            fn = getattr(cell, "get_initial_state", None)
            states.append(fn(inputs=inputs, batch_size=batch_size, dtype=dtype) if fn
                          else _cell_zero_state(cell, inputs, batch_size, dtype))
        return tuple(states)

    def call(self, inputs: Any, states: Any, constants: Any = None, training: Any = None,
             **kwargs: Any) -> Any:
        nested = nest.pack_sequence_as(self.state_size, nest.flatten(states))
        new_nested = []
        for cell, cell_states in zip(self.cells, nested, strict=True):
            cell_states = cell_states if nest.is_nested(cell_states) else [cell_states]
            call_kwargs = dict(kwargs)
            if _has_arg(cell.call, "training"):
                call_kwargs["training"] = training
            if _has_arg(cell.call, "constants"):
                call_kwargs["constants"] = constants
            inputs, cell_states = cell(inputs, cell_states, **call_kwargs)
            new_nested.append(cell_states)
        return inputs, nest.pack_sequence_as(self.state_size, nest.flatten(new_nested))

    def build(self, input_shape: Any) -> None:
        if isinstance(input_shape, list):
            input_shape = input_shape[0]
        shape = TensorShape(input_shape).as_list()
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                build_cell(cell, shape)
            if getattr(cell, "output_size", None) is not None:
                output_dim = cell.output_size
            elif is_multiple_state(cell.state_size):
                output_dim = cell.state_size[0]
            else:
                output_dim = cell.state_size
            shape = [shape[0], *TensorShape(output_dim).as_list()]
        self.built = True

    def get_config(self) -> dict[str, Any]:
        cells = [serialize_layer(c) for c in self.cells]
        return {**super().get_config(), "cells": cells}

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Any:
        config = dict(config)
        cells = [deserialize_layer(c, custom_objects) for c in config.pop("cells")]
        return cls(cells, **config)


def _has_arg(fn: Any, name: str) -> bool:
    try:
        return name in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
