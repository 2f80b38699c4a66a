"""``tf.nn.rnn_cell``: the TF1 RNN cells (BasicRNNCell, GRUCell, BasicLSTMCell, LSTMCell),
MultiRNNCell and LSTMStateTuple; the wrappers are in rnn_cell_wrappers.py.

The scoping follows TF1's legacy layers exactly, since checkpoints depend on it: a cell
captures its variable scope on its first call (``<current scope>/<snake_case class name>``,
made unique like any ``default_name``), creates its weights there once (``build``) and
reuses them on every later call; its ops always go into the name scope of that first call
(so the second time step of ``static_rnn`` makes ``.../basic_lstm_cell/MatMul_1``). A cell
that is not a layer (MultiRNNCell, the wrappers) re-enters the caller's variable scope, which
opens a name scope of the same name: hence TF's ``rnn/rnn/multi_rnn_cell/...`` op names.
"""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Callable, Sequence
from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant, constant_value, convert_to_tensor
from varstore.framework.graph import get_default_graph
from varstore.framework.ops import OperatorNotAllowedInGraphError, Tensor, dynamic_layer_error
from varstore.framework.tensor_shape import dimension_value
from varstore.ops.array_ops import shape as _shape_of
from varstore.ops.array_slicing_ops import slice as _slice
from varstore.ops.array_split_ops import split
from varstore.ops.array_stack_ops import concat
from varstore.ops.init_ops import constant_initializer, layer_default_initializer, zeros_initializer
from varstore.ops.math_matmul_ops import matmul
from varstore.ops.math_ops import add, multiply
from varstore.ops.math_reduce_ops import clip_by_value
from varstore.ops.math_unary_ops import sigmoid, tanh
from varstore.ops.nn_ops import bias_add
from varstore.ops.rnn_cell_state import zero_state_tensors
from varstore.partitioned_variables import PartitionedVariable, fixed_size_partitioner
from varstore.util.nest import flatten, is_nested
from varstore.variable_scope import VariableScope, get_variable, get_variable_scope, variable_scope

__all__ = [
    "BasicLSTMCell",
    "BasicRNNCell",
    "GRUCell",
    "LSTMCell",
    "LSTMStateTuple",
    "LayerRNNCell",
    "MultiRNNCell",
    "RNNCell",
    "assert_like_rnncell",
]

_WEIGHTS = "kernel"
_BIAS = "bias"

_LSTMStateTuple = namedtuple("_LSTMStateTuple", ("c", "h"))  # noqa: PYI024 (TF's base)


class LSTMStateTuple(_LSTMStateTuple):
    """``(c, h)``: the state of an LSTM cell with ``state_is_tuple=True``."""

    __slots__ = ()

    @property
    def dtype(self) -> Any:
        c, h = self
        if c.dtype != h.dtype:
            raise TypeError(f"Inconsistent dtypes for internal state: {c.dtype} vs {h.dtype}")
        return c.dtype


def _snake_case(name: str) -> str:
    # TF's base_layer.to_snake_case: BasicLSTMCell -> basic_lstm_cell
    s = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    s = re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()
    return "private" + s if s[0] == "_" else s


def assert_like_rnncell(cell_name: str, cell: Any) -> None:
    """TF's check that ``cell`` quacks like an RNNCell (same TypeError text)."""
    conditions = [hasattr(cell, "output_size"), hasattr(cell, "state_size"),
                  hasattr(cell, "get_initial_state") or hasattr(cell, "zero_state"),
                  callable(cell)]
    errors = ["'output_size' property is missing", "'state_size' property is missing",
              "either 'zero_state' or 'get_initial_state' method is required",
              "is not callable"]
    if not all(conditions):
        missing = [e for e, ok in zip(errors, conditions) if not ok]
        raise TypeError(f"The argument {cell_name!r} ({cell}) is not an RNNCell: "
                        f"{', '.join(missing)}.")


def _check_float(dtype: Any) -> None:
    if dtype is None:
        return
    dt = _dtypes.as_dtype(dtype)
    if not (dt.is_floating or dt.is_complex):
        raise ValueError(f"RNN cell only supports floating point inputs, but received dtype: "
                         f"{dt}")


# -- the cells -----------------------------------------------------------------------------
class RNNCell:
    """``tf.nn.rnn_cell.RNNCell``: subclasses define ``state_size``, ``output_size`` and
    ``call(inputs, state) -> (output, new_state)``; ``build(input_shape)`` makes weights."""

    _is_layer = False

    def __init__(self, trainable: bool = True, name: str | None = None, dtype: Any = None,
                 _reuse: Any = None, **kwargs: Any) -> None:
        if kwargs:
            raise TypeError(f"Keyword argument not understood: {min(kwargs)!r}")
        self.trainable = trainable
        self._base_name = name if name else _snake_case(type(self).__name__)
        self._name = self._base_name
        self._dtype = None if dtype is None else _dtypes.as_dtype(dtype)
        self._reuse = _reuse
        self._scope: VariableScope | None = None
        self._rnncell_scope: VariableScope | None = None
        self._name_scope_str: str | None = None
        self.built = False
        self._trainable_weights: list[Any] = []
        self._non_trainable_weights: list[Any] = []
        self._partitioned_weights: list[Any] = []  # LSTMCell(num_unit_shards=...)

    # properties every cell has
    @property
    def name(self) -> str:
        return self._name

    @property
    def dtype(self) -> Any:
        return self._dtype

    @property
    def state_size(self) -> Any:
        raise NotImplementedError("Abstract method")

    @property
    def output_size(self) -> Any:
        raise NotImplementedError("Abstract method")

    @property
    def trainable_weights(self) -> list[Any]:
        return self._trainable_weights + self._partitioned_weights if self.trainable else []

    @property
    def non_trainable_weights(self) -> list[Any]:
        return list(self._non_trainable_weights)

    @property
    def weights(self) -> list[Any]:
        return self.trainable_weights + self.non_trainable_weights

    def get_config(self) -> dict[str, Any]:
        # TF's config carries the Keras-uniquified layer name and serialized initializers
        raise NotImplementedError(f"varstore lacks tf.nn.rnn_cell.{type(self).__name__}"
                                  ".get_config")

    # the aliases go through the properties, so a subclass's override (MultiRNNCell) holds
    @property
    def trainable_variables(self) -> list[Any]:
        return self.trainable_weights

    @property
    def non_trainable_variables(self) -> list[Any]:
        return self.non_trainable_weights

    @property
    def variables(self) -> list[Any]:
        return self.weights

    def build(self, input_shape: Any) -> None:
        self.built = True

    def call(self, inputs: Any, state: Any) -> tuple[Any, Any]:
        raise NotImplementedError("Abstract method")

    # calling
    def _rnn_get_variable(self, getter: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        variable = getter(*args, **kwargs)
        trainable = kwargs.get("trainable", True) is not False
        bucket = self._trainable_weights if trainable else self._non_trainable_weights
        if all(variable is not v for v in bucket):
            bucket.append(variable)
        return variable

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple[Any, Any]:
        if self._is_layer:
            return self._layer_call(inputs, state, scope)
        if scope is not None:
            with variable_scope(scope, custom_getter=self._rnn_get_variable) as sc:
                return self._layer_call(inputs, state, sc)
        if self._rnncell_scope is None:
            self._rnncell_scope = get_variable_scope()
        with variable_scope(self._rnncell_scope, custom_getter=self._rnn_get_variable):
            return self._layer_call(inputs, state, None)

    def _set_scope(self, scope: Any) -> None:
        if self._scope is None:
            if self._reuse:
                with variable_scope(scope if scope is not None else self._base_name) as sc:
                    self._scope = sc
            else:
                with variable_scope(scope, default_name=self._base_name) as sc:
                    self._scope = sc

    def _layer_call(self, inputs: Any, state: Any, scope: Any) -> tuple[Any, Any]:
        """TF1's legacy Layer.__call__: the captured scope, build once, then ``call``."""
        self._set_scope(scope)
        assert self._scope is not None
        reuse = True if self.built else self._reuse
        with variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False) as sc:
            self._current_scope = sc
            with get_default_graph().name_scope(sc.original_name_scope or None):
                if not self.built:
                    first = flatten(inputs)[0]
                    if self._dtype is None and isinstance(first, Tensor):
                        self._dtype = first.dtype
                    shape = first.get_shape() if isinstance(first, Tensor) else None
                    self.build(shape)
                    self.built = True
                try:
                    return self.call(inputs, state)
                except OperatorNotAllowedInGraphError as e:
                    raise dynamic_layer_error(e) from e

    def add_weight(self, name: str, shape: Any, initializer: Any = None,
                   dtype: Any = None, trainable: bool = True, partitioner: Any = None) -> Any:
        """A weight in the cell's scope (``get_variable``; reused once built)."""
        dt = dtype or self._dtype or _dtypes.float32
        # build() called directly (before any call): TF's add_weight first captures the
        # cell's scope, as __call__ would
        self._set_scope(None)
        assert self._scope is not None
        reuse = True if self.built else self._reuse
        with variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False) as sc, \
                get_default_graph().name_scope(sc.original_name_scope or None):
            v = get_variable(name, shape=shape, dtype=dt,
                             initializer=layer_default_initializer(initializer, dt, sc),
                             trainable=trainable and self.trainable, partitioner=partitioner)
        if isinstance(v, PartitionedVariable):
            # the parts of a partitioned weight come after the other weights, as TF lists them
            parts = [p for p in v if all(p is not w for w in self._partitioned_weights)]
            self._partitioned_weights.extend(parts)
            return v
        if trainable:
            # a custom getter may have made it non-trainable: TF files it by the collection
            listed = get_default_graph().get_collection("trainable_variables")
            trainable = any(v is w for w in listed)
        bucket = self._trainable_weights if trainable else self._non_trainable_weights
        if all(v is not w for w in bucket):
            bucket.append(v)
        return v

    def get_initial_state(self, inputs: Any = None, batch_size: Any = None,
                          dtype: Any = None) -> Any:
        if inputs is not None:
            inputs = convert_to_tensor(inputs, name="inputs")
            first = dimension_value(inputs.get_shape()[0])
            if batch_size is not None:
                # TF checks an explicit batch size against the inputs' static one (a tensor
                # by its constant value, None when it has none)
                static = constant_value(batch_size) if isinstance(batch_size, Tensor) \
                    else batch_size
                if first != static:
                    raise ValueError("batch size from input tensor is different from the "
                                     f"input param. Input tensor batch: {first}, "
                                     f"batch_size: {batch_size}")
            if dtype is not None and inputs.dtype != dtype:
                raise ValueError("dtype from input tensor is different from the input param. "
                                 f"Input tensor dtype: {inputs.dtype}, dtype: {dtype}")
            batch_size = first if first is not None else _shape_of(inputs)[0]
            dtype = inputs.dtype
        if batch_size is None or dtype is None:
            raise ValueError("batch_size and dtype cannot be None while constructing initial "
                             f"state: batch_size={batch_size}, dtype={dtype}")
        return self.zero_state(batch_size, dtype)

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        """Zero-filled state tensor(s) of shape ``[batch_size, s]`` per ``state_size``."""
        with get_default_graph().name_scope(type(self).__name__ + "ZeroState"):
            return zero_state_tensors(self.state_size, batch_size, dtype)


class LayerRNNCell(RNNCell):
    """An RNNCell that makes its weights in ``build`` (every concrete cell here)."""

    _is_layer = True


def _weights_check(input_shape: Any) -> int:
    dims = None if input_shape is None else input_shape.as_list()
    if not dims or dims[-1] is None:
        raise ValueError(f"Expected inputs.shape[-1] to be known, received shape: "
                         f"{input_shape}")
    return int(dims[-1])


def _activation(activation: Any) -> Callable[..., Any]:
    if activation is None:
        return tanh
    if isinstance(activation, str):
        raise TypeError(f"varstore lacks activations given by name ({activation!r}): pass "
                         "the function, e.g. tf.nn.relu")
    return activation  # type: ignore[no-any-return]


class BasicRNNCell(LayerRNNCell):
    """``tf.nn.rnn_cell.BasicRNNCell``: output = new_state = act(W [x, h] + b)."""

    def __init__(self, num_units: int, activation: Any = None, reuse: Any = None,
                 name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        _check_float(self._dtype)
        self._num_units = num_units
        self._activation = _activation(activation)

    @property
    def state_size(self) -> int:
        return self._num_units

    @property
    def output_size(self) -> int:
        return self._num_units

    def build(self, input_shape: Any) -> None:
        depth = _weights_check(input_shape)
        self._kernel = self.add_weight(_WEIGHTS, [depth + self._num_units, self._num_units])
        self._bias = self.add_weight(_BIAS, [self._num_units],
                                     initializer=zeros_initializer(dtype=self._dtype or _dtypes.float32))
        self.built = True

    def call(self, inputs: Any, state: Any) -> tuple[Any, Any]:
        _check_float(inputs.dtype)
        gate_inputs = matmul(concat([inputs, state], 1), self._kernel)
        gate_inputs = bias_add(gate_inputs, self._bias)
        output = self._activation(gate_inputs)
        return output, output


class GRUCell(LayerRNNCell):
    """``tf.nn.rnn_cell.GRUCell`` (Cho et al. 2014), weights ``gates/*`` and
    ``candidate/*``."""

    def __init__(self, num_units: int, activation: Any = None, reuse: Any = None,
                 kernel_initializer: Any = None, bias_initializer: Any = None,
                 name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        _check_float(self._dtype)
        self._num_units = num_units
        self._activation = _activation(activation)
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    @property
    def state_size(self) -> int:
        return self._num_units

    @property
    def output_size(self) -> int:
        return self._num_units

    def build(self, input_shape: Any) -> None:
        depth = _weights_check(input_shape)
        n = self._num_units
        bias_init = self._bias_initializer
        self._gate_kernel = self.add_weight(f"gates/{_WEIGHTS}", [depth + n, 2 * n],
                                            initializer=self._kernel_initializer)
        self._gate_bias = self.add_weight(
            f"gates/{_BIAS}", [2 * n],
            initializer=bias_init if bias_init is not None
            else constant_initializer(1.0, dtype=self._dtype or _dtypes.float32))
        self._candidate_kernel = self.add_weight(f"candidate/{_WEIGHTS}", [depth + n, n],
                                                 initializer=self._kernel_initializer)
        self._candidate_bias = self.add_weight(
            f"candidate/{_BIAS}", [n],
            initializer=bias_init if bias_init is not None
            else zeros_initializer(dtype=self._dtype or _dtypes.float32))
        self.built = True

    def call(self, inputs: Any, state: Any) -> tuple[Any, Any]:
        _check_float(inputs.dtype)
        gate_inputs = matmul(concat([inputs, state], 1), self._gate_kernel)
        gate_inputs = bias_add(gate_inputs, self._gate_bias)
        value = sigmoid(gate_inputs)
        r, u = split(value=value, num_or_size_splits=2, axis=1)
        r_state = r * state
        candidate = matmul(concat([inputs, r_state], 1), self._candidate_kernel)
        candidate = bias_add(candidate, self._candidate_bias)
        c = self._activation(candidate)
        new_h = u * state + (1 - u) * c
        return new_h, new_h


class BasicLSTMCell(LayerRNNCell):
    """``tf.nn.rnn_cell.BasicLSTMCell``: gates i, j, f, o from one kernel; ``forget_bias``
    is added to f; the state is ``LSTMStateTuple(c, h)`` or their concatenation."""

    def __init__(self, num_units: int, forget_bias: float = 1.0, state_is_tuple: bool = True,
                 activation: Any = None, reuse: Any = None, name: str | None = None,
                 dtype: Any = None, **kwargs: Any) -> None:
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        _check_float(self._dtype)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = _activation(activation)

    @property
    def state_size(self) -> Any:
        n = self._num_units
        return LSTMStateTuple(n, n) if self._state_is_tuple else 2 * n

    @property
    def output_size(self) -> int:
        return self._num_units

    def build(self, input_shape: Any) -> None:
        depth = _weights_check(input_shape)
        n = self._num_units
        self._kernel = self.add_weight(_WEIGHTS, [depth + n, 4 * n])
        self._bias = self.add_weight(_BIAS, [4 * n],
                                     initializer=zeros_initializer(dtype=self._dtype or _dtypes.float32))
        self.built = True

    def call(self, inputs: Any, state: Any) -> tuple[Any, Any]:
        _check_float(inputs.dtype)
        one = constant(1, dtype=_dtypes.int32)
        if self._state_is_tuple:
            c, h = state
        else:
            c, h = split(value=state, num_or_size_splits=2, axis=one)
        i, j, f, o = _lstm_gates(inputs, h, self._kernel, self._bias, one)
        forget_bias_tensor = constant(self._forget_bias, dtype=f.dtype)
        act = self._activation
        new_c = add(multiply(c, sigmoid(add(f, forget_bias_tensor))),
                    multiply(sigmoid(i), act(j)))
        new_h = multiply(act(new_c), sigmoid(o))
        new_state = LSTMStateTuple(new_c, new_h) if self._state_is_tuple \
            else concat([new_c, new_h], 1)
        return new_h, new_state


def _lstm_gates(inputs: Any, h: Any, kernel: Any, bias: Any, axis: Any) -> list[Any]:
    """The four LSTM gate pre-activations (i, j, f, o) from [inputs, h] (both LSTM cells;
    BasicLSTMCell passes its split axis as a Const tensor, as TF's does)."""
    gates = bias_add(matmul(concat([inputs, h], 1), kernel), bias)
    return split(value=gates, num_or_size_splits=4, axis=axis)


def _shards(num: Any) -> Any:
    return None if num is None else fixed_size_partitioner(num)


class LSTMCell(LayerRNNCell):
    """``tf.nn.rnn_cell.LSTMCell``: BasicLSTMCell plus optional peepholes (``w_f_diag``,
    ``w_i_diag``, ``w_o_diag``), cell/projection clipping and a projection
    (``projection/kernel``); ``num_unit_shards`` / ``num_proj_shards`` make the kernel and
    the projection partitioned variables (``kernel/part_0`` ...)."""

    def __init__(self, num_units: int, use_peepholes: bool = False, cell_clip: Any = None,
                 initializer: Any = None, num_proj: int | None = None, proj_clip: Any = None,
                 num_unit_shards: Any = None, num_proj_shards: Any = None,
                 forget_bias: float = 1.0, state_is_tuple: bool = True, activation: Any = None,
                 reuse: Any = None, name: str | None = None, dtype: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        _check_float(self._dtype)
        self._num_unit_shards = num_unit_shards
        self._num_proj_shards = num_proj_shards
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = _activation(activation)
        h = num_proj if num_proj else num_units
        self._state_size: Any = LSTMStateTuple(num_units, h) if state_is_tuple \
            else num_units + h
        self._output_size = h

    @property
    def state_size(self) -> Any:
        return self._state_size

    @property
    def output_size(self) -> int:
        return self._output_size

    def build(self, input_shape: Any) -> None:
        depth = _weights_check(input_shape)
        n = self._num_units
        h_depth = n if self._num_proj is None else self._num_proj
        init = self._initializer
        self._kernel = self.add_weight(_WEIGHTS, [depth + h_depth, 4 * n], initializer=init,
                                       partitioner=_shards(self._num_unit_shards))
        self._bias = self.add_weight(_BIAS, [4 * n],
                                     initializer=zeros_initializer(dtype=self._dtype or _dtypes.float32))
        if self._use_peepholes:
            self._w_f_diag = self.add_weight("w_f_diag", [n], initializer=init)
            self._w_i_diag = self.add_weight("w_i_diag", [n], initializer=init)
            self._w_o_diag = self.add_weight("w_o_diag", [n], initializer=init)
        if self._num_proj is not None:
            self._proj_kernel = self.add_weight(f"projection/{_WEIGHTS}", [n, self._num_proj],
                                                initializer=init,
                                                partitioner=_shards(self._num_proj_shards))
        self.built = True

    def call(self, inputs: Any, state: Any) -> tuple[Any, Any]:
        _check_float(inputs.dtype)
        n = self._num_units
        num_proj = n if self._num_proj is None else self._num_proj
        if self._state_is_tuple:
            c_prev, m_prev = state
        else:
            c_prev = _slice(state, [0, 0], [-1, n])
            m_prev = _slice(state, [0, n], [-1, num_proj])
        i, j, f, o = _lstm_gates(inputs, m_prev, self._kernel, self._bias, 1)
        act = self._activation
        if self._use_peepholes:
            c = (sigmoid(f + self._forget_bias + self._w_f_diag * c_prev) * c_prev
                 + sigmoid(i + self._w_i_diag * c_prev) * act(j))
        else:
            c = sigmoid(f + self._forget_bias) * c_prev + sigmoid(i) * act(j)
        if self._cell_clip is not None:
            c = clip_by_value(c, -self._cell_clip, self._cell_clip)
        m = sigmoid(o + self._w_o_diag * c) * act(c) if self._use_peepholes else sigmoid(o) * act(c)
        if self._num_proj is not None:
            m = matmul(m, self._proj_kernel)
            if self._proj_clip is not None:
                m = clip_by_value(m, -self._proj_clip, self._proj_clip)
        new_state = LSTMStateTuple(c, m) if self._state_is_tuple else concat([c, m], 1)
        return m, new_state


class MultiRNNCell(RNNCell):
    """``tf.nn.rnn_cell.MultiRNNCell``: cells stacked; cell i's weights under ``cell_<i>``."""

    def __init__(self, cells: Sequence[Any], state_is_tuple: bool = True) -> None:
        super().__init__()
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        if not is_nested(cells):
            raise TypeError(f"cells must be a list or tuple, but received: {cells}.")
        self._cells = list(cells)
        self._state_is_tuple = state_is_tuple
        if not state_is_tuple and any(is_nested(c.state_size) for c in self._cells):
            raise ValueError("Some cells return tuples of states, but the flag state_is_tuple "
                             "is not set. State sizes are: "
                             f"{[c.state_size for c in self._cells]}")

    @property
    def state_size(self) -> Any:
        if self._state_is_tuple:
            return tuple(cell.state_size for cell in self._cells)
        return sum(cell.state_size for cell in self._cells)

    @property
    def output_size(self) -> Any:
        return self._cells[-1].output_size

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        with get_default_graph().name_scope(type(self).__name__ + "ZeroState"):
            if self._state_is_tuple:
                return tuple(cell.zero_state(batch_size, dtype) for cell in self._cells)
            return zero_state_tensors(self.state_size, batch_size, dtype)

    @property
    def trainable_weights(self) -> list[Any]:
        if not self.trainable:
            return []
        return [w for cell in self._cells for w in getattr(cell, "trainable_weights", [])]

    @property
    def non_trainable_weights(self) -> list[Any]:
        return [w for cell in self._cells for w in getattr(cell, "non_trainable_weights", [])]

    def call(self, inputs: Any, state: Any) -> tuple[Any, Any]:
        pos = 0
        cur_inp = inputs
        new_states = []
        for i, cell in enumerate(self._cells):
            with variable_scope(f"cell_{i}"):
                if self._state_is_tuple:
                    if not is_nested(state):
                        raise ValueError(f"Expected state to be a tuple of length "
                                         f"{len(self.state_size)}, but received: {state}")
                    cur_state = state[i]
                else:
                    cur_state = _slice(state, [0, pos], [-1, cell.state_size])
                    pos += cell.state_size
                cur_inp, new_state = cell(cur_inp, cur_state)
                new_states.append(new_state)
        out_states = tuple(new_states) if self._state_is_tuple else concat(new_states, 1)
        return cur_inp, out_states

