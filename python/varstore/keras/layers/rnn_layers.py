"""tf-keras' ``RNN`` layer and the v1 SimpleRNN, LSTM and GRU over it (``base_rnn.py``,
``lstm_v1.py``, ``gru_v1.py``, ``simple_rnn.py``).

An RNN layer builds its cell under the cell's name scope (``lstm/lstm_cell/kernel``), makes
zero initial states from the input's batch size unless ``initial_state`` is given, and runs
``backend.rnn`` over the time axis. The output is the last step's (``return_sequences``:
every step's), then the final states with ``return_state``.
"""

from __future__ import annotations

from typing import Any

from varstore.framework.tensor_shape import TensorShape
from varstore.keras import backend, regularizers
from varstore.keras._tensor_attrs import get_attr
from varstore.keras.backend_rnn import rnn
from varstore.keras.engine.base_layer import Layer
from varstore.keras.engine.input_spec import InputSpec
from varstore.keras.layers.rnn_cells import (
    GRUCell,
    ListWrapper,
    LSTMCell,
    SimpleRNNCell,
    StackedRNNCells,
    _DropoutCell,
    _has_arg,
    build_cell,
    deserialize_layer,
    is_multiple_state,
    serialize_layer,
    zero_state,
)
from varstore.ops import array_ops
from varstore.util import nest

__all__ = ["GRU", "LSTM", "RNN", "SimpleRNN"]


def _standardize_args(inputs: Any, initial_state: Any, constants: Any,
                      num_constants: int) -> tuple[Any, Any, Any]:
    """tf-keras' rnn_utils.standardize_args: a list input is [inputs, *states, *consts]."""
    if isinstance(inputs, list):
        if num_constants:
            constants = inputs[-num_constants:]
            inputs = inputs[:-num_constants]
        if len(inputs) > 1:
            initial_state = inputs[1:]
            inputs = inputs[:1]
        inputs = tuple(inputs) if len(inputs) > 1 else inputs[0]

    def to_list_or_none(x: Any) -> Any:
        if x is None or isinstance(x, list):
            return x
        if isinstance(x, tuple):
            return list(x)
        return [x]

    return inputs, to_list_or_none(initial_state), to_list_or_none(constants)


def _implicit_mask(inputs: Any) -> Any:
    """The mask a previous layer left on the input (tf-keras' ``_keras_mask``)."""
    return get_attr(nest.flatten(inputs)[0], "_keras_mask")


class RNN(Layer):
    """``RNN(cell)``: a list of cells is a StackedRNNCells."""

    def __init__(self, cell: Any, return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, unroll: bool = False,
                 time_major: bool = False, **kwargs: Any) -> None:
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if "call" not in dir(cell):
            raise ValueError("Argument `cell` should have a `call` method. The RNN was "
                             f"passed: cell={cell}")
        if "state_size" not in dir(cell):
            raise ValueError("The RNN cell should have a `state_size` attribute (tuple of "
                             "integers, one integer per RNN state). Received: "
                             f"cell={cell}")
        if stateful:
            raise NotImplementedError(f"varstore lacks tf.keras.layers.{type(self).__name__}"
                                      "(stateful=True)")
        self.zero_output_for_mask = kwargs.pop("zero_output_for_mask", False)
        num_constants = kwargs.pop("num_constants", 0)
        if "input_shape" not in kwargs and ("input_dim" in kwargs
                                            or "input_length" in kwargs):
            kwargs["input_shape"] = (kwargs.pop("input_length", None),
                                     kwargs.pop("input_dim", None))
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.time_major = time_major
        self.supports_masking = True
        self.input_spec = None
        self.state_spec: Any = None
        self._states: Any = None
        self.constants_spec: Any = None
        self._num_constants = num_constants

    @property
    def states(self) -> Any:
        if self._states is None:
            state = nest.map_structure(lambda _: None, self.cell.state_size)
            return state if nest.is_nested(self.cell.state_size) else [state]
        return self._states

    @states.setter
    def states(self, states: Any) -> None:
        self._states = states

    def _state_sizes(self) -> list[Any]:
        size = self.cell.state_size
        return list(size) if is_multiple_state(size) else [size]

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The input's mask on the sequence output; none on the last output or the states."""
        if isinstance(mask, list):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(self._state_sizes())
        return output_mask

    def compute_output_shape(self, input_shape: Any) -> Any:
        if isinstance(input_shape, list):
            input_shape = input_shape[0]
        try:
            shape = TensorShape(input_shape)
        except (ValueError, TypeError):
            shape = nest.flatten(input_shape)[0]
        dims = shape.as_list()
        batch, time_step = dims[0], dims[1]
        if self.time_major:
            batch, time_step = time_step, batch
        state_size = self._state_sizes()

        def output_shape_of(size: Any) -> TensorShape:
            output_dim = TensorShape(size).as_list()
            if not self.return_sequences:
                return TensorShape([batch, *output_dim])
            if self.time_major:
                return TensorShape([time_step, batch, *output_dim])
            return TensorShape([batch, time_step, *output_dim])

        if getattr(self.cell, "output_size", None) is not None:
            flat = nest.flatten(nest.map_structure(output_shape_of, self.cell.output_size))
            output_shape: Any = flat[0] if len(flat) == 1 else flat
        else:
            output_shape = output_shape_of(state_size[0])
        if not self.return_state:
            return output_shape
        state_shapes = [TensorShape([batch, *TensorShape(s).as_list()])
                        for s in nest.flatten(state_size)]
        heads = output_shape if isinstance(output_shape, list) else [output_shape]
        return heads + state_shapes

    def build(self, input_shape: Any) -> None:
        if isinstance(input_shape, list):
            input_shape = input_shape[0]
        dims = list(TensorShape(input_shape).as_list())
        batch_index, time_index = (1, 0) if self.time_major else (0, 1)
        spec_dims = list(dims)
        spec_dims[batch_index] = None
        spec_dims[time_index] = None
        spec = InputSpec(shape=tuple(spec_dims))
        if self.input_spec is not None:
            self.input_spec[0] = spec
        else:
            self.input_spec = [spec]
        step_shape = dims[1:] if self.time_major else [dims[0], *dims[2:]]
        if isinstance(self.cell, Layer) and not self.cell.built:
            build_cell(self.cell, step_shape)
        state_size = self._state_sizes()
        if self.state_spec is None:
            self.state_spec = ListWrapper(nest.map_structure(
                lambda d: InputSpec(shape=(None, *TensorShape(d).as_list())), state_size))
        self._validate_state_spec(state_size, self.state_spec)
        self.built = True

    @staticmethod
    def _validate_state_spec(cell_state_sizes: Any, init_state_specs: Any) -> None:
        error = ValueError("An `initial_state` was passed that is not compatible with "
                           f"`cell.state_size`. Received `state_spec`={init_state_specs}; "
                           f"however `cell.state_size` is {cell_state_sizes}")
        sizes = nest.flatten(cell_state_sizes)
        specs = nest.flatten(init_state_specs)
        if len(sizes) != len(specs):
            raise error
        for spec, size in zip(specs, sizes, strict=True):
            if not TensorShape(spec.shape[1:]).is_compatible_with(TensorShape(size)):
                raise error

    def get_initial_state(self, inputs: Any) -> list[Any]:
        fn = getattr(self.cell, "get_initial_state", None)
        if nest.is_nested(inputs):
            inputs = nest.flatten(inputs)[0]
        input_shape = array_ops.shape(inputs)
        batch_size = input_shape[1] if self.time_major else input_shape[0]
        if fn:
            init_state = fn(inputs=None, batch_size=batch_size, dtype=inputs.dtype)
        else:
            init_state = zero_state(batch_size, self.cell.state_size, inputs.dtype)
        if not nest.is_nested(init_state):
            init_state = [init_state]
        return list(init_state)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        inputs = args[0] if args else kwargs.pop("inputs")
        initial_state = kwargs.pop("initial_state", None)
        constants = kwargs.pop("constants", None)
        inputs, initial_state, constants = _standardize_args(
            inputs, initial_state, constants, self._num_constants)
        if "mask" not in kwargs:
            mask = _implicit_mask(inputs)
            if mask is not None:
                kwargs["mask"] = mask
        if initial_state is None and constants is None:
            return super().__call__(inputs, *args[1:], **kwargs)
        additional_inputs: list[Any] = []
        additional_specs: list[Any] = []
        if initial_state is not None:
            additional_inputs += initial_state
            self.state_spec = ListWrapper(
                [InputSpec(shape=backend.int_shape(s)) for s in initial_state])
            additional_specs += self.state_spec
        if constants is not None:
            additional_inputs += constants
            self.constants_spec = [InputSpec(shape=backend.int_shape(c)) for c in constants]
            self._num_constants = len(constants)
            additional_specs += self.constants_spec
        flat = nest.flatten(additional_inputs)
        is_keras = backend.is_keras_tensor(flat[0]) if flat else True
        for tensor in flat:
            if backend.is_keras_tensor(tensor) != is_keras:
                raise ValueError(
                    "The initial state or constants of an RNN layer cannot be specified via "
                    "a mix of TF-Keras tensors and non-Keras tensors (a \"Keras tensor\" is "
                    "a tensor that was returned by a TF-Keras layer  or by `Input` during "
                    "Functional model construction). Received: "
                    f"initial_state={initial_state}, constants={constants}")
        if not is_keras:
            if initial_state is not None:
                kwargs["initial_state"] = initial_state
            if constants is not None:
                kwargs["constants"] = constants
            return super().__call__(inputs, *args[1:], **kwargs)
        full_input = [inputs, *additional_inputs]
        own = (self.input_spec if self.built
               else [None] * len(nest.flatten(inputs)))
        self.input_spec = list(own) + additional_specs
        try:
            return super().__call__(full_input, *args[1:], **kwargs)
        finally:
            self.input_spec = self.input_spec[:-len(additional_specs)]

    def _process_inputs(self, inputs: Any, initial_state: Any,
                        constants: Any) -> tuple[Any, Any, Any]:
        if isinstance(inputs, list):
            if not self._num_constants:
                initial_state = inputs[1:]
            else:
                initial_state = inputs[1:-self._num_constants]
                constants = inputs[-self._num_constants:]
            if len(initial_state) == 0:
                initial_state = None
            inputs = inputs[0]
        if initial_state is None:
            initial_state = self.get_initial_state(inputs)
        if len(initial_state) != len(self.states):
            raise ValueError(f"Layer has {len(self.states)} states but was passed "
                             f"{len(initial_state)} initial states. Received: "
                             f"initial_state={initial_state}")
        return inputs, initial_state, constants

    def call(self, inputs: Any, mask: Any = None, training: Any = None,
             initial_state: Any = None, constants: Any = None) -> Any:
        inputs, initial_state, constants = self._process_inputs(inputs, initial_state,
                                                                constants)
        cells = self.cell.cells if isinstance(self.cell, StackedRNNCells) else [self.cell]
        for cell in [self.cell, *cells]:
            if isinstance(cell, _DropoutCell):
                cell.reset_dropout_mask()
                cell.reset_recurrent_dropout_mask()
        if mask is not None:
            mask = nest.flatten(mask)[0]
        input_shape = backend.int_shape(nest.flatten(inputs)[0]) or (None, None)
        timesteps = input_shape[0] if self.time_major else input_shape[1]
        if self.unroll and timesteps is None:
            raise ValueError(
                "Cannot unroll a RNN if the time dimension is undefined. \n- If using a "
                "Sequential model, specify the time dimension by passing an `input_shape` "
                "or `batch_input_shape` argument to your first layer. If your first layer "
                "is an Embedding, you can also use the `input_length` argument.\n- If "
                "using the functional API, specify the time dimension by passing a `shape` "
                "or `batch_shape` argument to your Input layer.")
        kwargs: dict[str, Any] = {}
        if _has_arg(self.cell.call, "training"):
            kwargs["training"] = training
        num_constants = self._num_constants
        if constants:
            if not _has_arg(self.cell.call, "constants"):
                raise ValueError(f"RNN cell {self.cell} does not support constants. "
                                 f"Received: constants={constants}")

            def step(inputs: Any, states: Any) -> tuple[Any, Any]:
                consts = states[-num_constants:]
                states = states[:-num_constants]
                output, new_states = self.cell(inputs, states, constants=consts, **kwargs)
                return output, new_states if nest.is_nested(new_states) else [new_states]
        else:
            def step(inputs: Any, states: Any) -> tuple[Any, Any]:
                output, new_states = self.cell(inputs, states, **kwargs)
                return output, new_states if nest.is_nested(new_states) else [new_states]

        last_output, outputs, states = rnn(
            step, inputs, initial_state, constants=constants, go_backwards=self.go_backwards,
            mask=mask, unroll=self.unroll, input_length=timesteps, time_major=self.time_major,
            zero_output_for_mask=self.zero_output_for_mask,
            return_all_outputs=self.return_sequences)
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            states = list(states) if isinstance(states, (list, tuple)) else [states]
            return [*(output if isinstance(output, list) else [output]), *states]
        return output

    def reset_states(self, states: Any = None) -> None:
        raise AttributeError("Layer must be stateful.")

    def _base_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {
            "return_sequences": self.return_sequences, "return_state": self.return_state,
            "go_backwards": self.go_backwards, "stateful": self.stateful,
            "unroll": self.unroll, "time_major": self.time_major}
        if self._num_constants:
            config["num_constants"] = self._num_constants
        if self.zero_output_for_mask:
            config["zero_output_for_mask"] = self.zero_output_for_mask
        return {**super().get_config(), **config}

    def get_config(self) -> dict[str, Any]:
        return {**self._base_config(), "cell": serialize_layer(self.cell)}

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Any:
        config = dict(config)
        cell = deserialize_layer(config.pop("cell"), custom_objects)
        num_constants = config.pop("num_constants", 0)
        layer = cls(cell, **config)
        layer._num_constants = num_constants
        return layer


class _CellAttr:
    """A property reading the cell's attribute (LSTM.units is LSTM.cell.units)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        return getattr(obj.cell, self.name)


class _CellRNN(RNN):
    """SimpleRNN, LSTM and GRU: the RNN of one cell made from the layer's arguments."""

    _cell_class: type = SimpleRNNCell
    _cell_name = "simple_rnn_cell"

    units = _CellAttr()
    activation = _CellAttr()
    use_bias = _CellAttr()
    kernel_initializer = _CellAttr()
    recurrent_initializer = _CellAttr()
    bias_initializer = _CellAttr()
    kernel_regularizer = _CellAttr()
    recurrent_regularizer = _CellAttr()
    bias_regularizer = _CellAttr()
    kernel_constraint = _CellAttr()
    recurrent_constraint = _CellAttr()
    bias_constraint = _CellAttr()
    dropout = _CellAttr()
    recurrent_dropout = _CellAttr()

    def __init__(self, units: Any, activity_regularizer: Any = None,
                 return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, unroll: bool = False,
                 **kwargs: Any) -> None:
        cell_args = {k: kwargs.pop(k) for k in list(kwargs) if k in _CELL_ARGS}
        cell = self._cell_class(units, dtype=kwargs.get("dtype"),
                                trainable=kwargs.get("trainable", True),
                                name=self._cell_name, **cell_args)
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         **kwargs)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self.input_spec = [InputSpec(ndim=3)]

    def call(self, inputs: Any, mask: Any = None, training: Any = None,
             initial_state: Any = None, constants: Any = None) -> Any:
        return super().call(inputs, mask=mask, training=training,
                            initial_state=initial_state)

    def get_config(self) -> dict[str, Any]:
        cell_config = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            cell_config.pop(key, None)
        config: dict[str, Any] = {}
        for key, value in cell_config.items():
            config[key] = value
            if key == "bias_regularizer":
                config["activity_regularizer"] = (
                    None if self._activity_regularizer is None
                    else regularizers.serialize(self._activity_regularizer))
        return {**self._base_config(), **config}

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Any:
        config = dict(config)
        if config.get("implementation") == 0:
            config["implementation"] = 1
        return cls(**config)


_CELL_ARGS = ("activation", "recurrent_activation", "use_bias", "kernel_initializer",
              "recurrent_initializer", "bias_initializer", "unit_forget_bias",
              "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
              "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
              "recurrent_dropout", "implementation", "reset_after", "enable_caching_device")


class SimpleRNN(_CellRNN):
    """A fully connected RNN: ``h = tanh(x W + h U + b)``."""

    _cell_class = SimpleRNNCell
    _cell_name = "simple_rnn_cell"


class LSTM(_CellRNN):
    """The v1 LSTM (``hard_sigmoid`` gates, implementation 1)."""

    _cell_class = LSTMCell
    _cell_name = "lstm_cell"
    recurrent_activation = _CellAttr()
    unit_forget_bias = _CellAttr()
    implementation = _CellAttr()


class GRU(_CellRNN):
    """The v1 GRU (``hard_sigmoid`` gates, ``reset_after=False``, implementation 1)."""

    _cell_class = GRUCell
    _cell_name = "gru_cell"
    recurrent_activation = _CellAttr()
    implementation = _CellAttr()
    reset_after = _CellAttr()
