"""``tf.nn.static_rnn`` and ``tf.nn.static_bidirectional_rnn``: an RNN cell unrolled over a
Python list of time steps, the weights made at step 0 and reused after (TF's rnn.py).

``dynamic_rnn`` and ``bidirectional_dynamic_rnn`` need ``tf.while_loop``, which varstore
lacks: they raise, naming it, rather than unroll silently into a different graph.
"""

from __future__ import annotations

from typing import Any, NoReturn

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.tensor_shape import as_dimension, dimension_value
from varstore.ops.array_fill_ops import zeros
from varstore.ops.array_ops import shape as _shape_of
from varstore.ops.array_stack_ops import concat
from varstore.ops.array_transform_ops import where
from varstore.ops.math_ops import greater_equal
from varstore.ops.math_reduce_ops import reduce_max, reduce_min
from varstore.ops.math_unary_ops import cast
from varstore.ops.rnn_cell_impl import (
    _concat_shape,
    _is_nested,
    assert_like_rnncell,
    flatten,
    pack_sequence_as,
)
from varstore.variable_scope import variable_scope

__all__ = [
    "bidirectional_dynamic_rnn",
    "dynamic_rnn",
    "static_bidirectional_rnn",
    "static_rnn",
]


def _lacks(name: str) -> NoReturn:
    raise NotImplementedError(
        f"varstore lacks tf.nn.{name}: it needs tf.while_loop, which varstore does not "
        "implement; unroll with tf.nn.static_rnn over tf.unstack(inputs, axis=1) instead")


def dynamic_rnn(cell: Any, inputs: Any, *args: Any, **kwargs: Any) -> NoReturn:
    """``tf.nn.dynamic_rnn``: not implemented (no tf.while_loop); raises."""
    _lacks("dynamic_rnn")


def bidirectional_dynamic_rnn(*args: Any, **kwargs: Any) -> NoReturn:
    """``tf.nn.bidirectional_dynamic_rnn``: not implemented (no tf.while_loop); raises."""
    _lacks("bidirectional_dynamic_rnn")


def _rnn_step(time: int, sequence_length: Any, zero_output: Any, state: Any,
              new_output: Any, new_state: Any) -> tuple[Any, Any]:
    """TF's _rnn_step: past a batch entry's length its output is zero and its state is
    carried over (TF also skips whole steps with a cond; the values are the same)."""
    copy_cond = greater_equal(time, sequence_length)
    flat_out = [where(copy_cond, z, n) for z, n in zip(flatten(zero_output),
                                                      flatten(new_output))]
    flat_state = [where(copy_cond, s, n) for s, n in zip(flatten(state), flatten(new_state))]
    for t, n in zip(flat_out + flat_state, flatten(new_output) + flatten(new_state)):
        t.set_shape(n.get_shape())
    return (pack_sequence_as(new_output, flat_out), pack_sequence_as(new_state, flat_state))


def static_rnn(cell: Any, inputs: Any, initial_state: Any = None, dtype: Any = None,
               sequence_length: Any = None, scope: Any = None) -> tuple[list[Any], Any]:
    """``tf.nn.static_rnn``: (outputs per time step, final state)."""
    assert_like_rnncell("cell", cell)
    if not _is_nested(inputs):
        raise TypeError(f"Argument `inputs` must be a sequence. Received: {inputs}")
    if not inputs:
        raise ValueError("Argument `inputs` must not be empty.")
    outputs: list[Any] = []
    with variable_scope(scope or "rnn") as varscope:
        first_input = inputs
        while _is_nested(first_input):
            first_input = first_input[0]
        first_shape = first_input.get_shape()
        if first_shape.rank != 1:
            fixed_batch_size = as_dimension(dimension_value(first_shape.with_rank_at_least(2)[0]))
            for flat_input in flatten(inputs):
                input_shape = flat_input.get_shape().with_rank_at_least(2)
                fixed_batch_size.assert_is_compatible_with(dimension_value(input_shape[0]))
                for i, size in enumerate(input_shape[1:].as_list()):
                    if dimension_value(size) is None:
                        raise ValueError(f"Input size (dimension {i} of input {flat_input}) "
                                         "must be accessible via shape inference, but saw "
                                         "value None.")
        else:
            fixed_batch_size = as_dimension(dimension_value(first_shape.with_rank_at_least(1)[0]))
        batch_size: Any = dimension_value(fixed_batch_size)
        if not batch_size:
            batch_size = _shape_of(first_input)[0]
        if initial_state is not None:
            state = initial_state
        else:
            if not dtype:
                raise ValueError("If no initial_state is provided, argument `dtype` must be "
                                 "specified")
            if getattr(cell, "get_initial_state", None) is not None:
                state = cell.get_initial_state(inputs=None, batch_size=batch_size,
                                               dtype=dtype)
            else:
                state = cell.zero_state(batch_size, dtype)
        zero_output: Any = None
        if sequence_length is not None:
            sequence_length = convert_to_tensor(sequence_length, name="sequence_length")
            if sequence_length.get_shape().rank not in (None, 1):
                raise ValueError("Argument `sequence_length` must be a vector of length "
                                 f"{batch_size}. Received sequence_length={sequence_length}.")
            out_dtype = dtype or flatten(state)[0].dtype

            def zero_out(size: Any) -> Any:
                shape_t, static = _concat_shape(batch_size, size)
                z = zeros(shape_t, dtype=out_dtype)
                z.set_shape([dimension_value(fixed_batch_size), *static[1:]])
                return z

            zero_output = pack_sequence_as(
                cell.output_size, [zero_out(s) for s in flatten(cell.output_size)])
            sequence_length = cast(sequence_length, _dtypes.int32)
            reduce_min(sequence_length)  # TF builds both bounds for its step conds
            reduce_max(sequence_length)
        for time, input_ in enumerate(inputs):
            if time > 0:
                varscope.reuse_variables()
            output, new_state = cell(input_, state)
            if sequence_length is not None:
                output, new_state = _rnn_step(time, sequence_length, zero_output, state,
                                              output, new_state)
            state = new_state
            outputs.append(output)
        return outputs, state


def static_bidirectional_rnn(cell_fw: Any, cell_bw: Any, inputs: Any,
                             initial_state_fw: Any = None, initial_state_bw: Any = None,
                             dtype: Any = None, sequence_length: Any = None,
                             scope: Any = None) -> tuple[list[Any], Any, Any]:
    """``tf.nn.static_bidirectional_rnn``: (outputs fw|bw concatenated, fw state, bw state).
    With ``sequence_length`` the backward pass needs tf.reverse_sequence, which varstore
    lacks: that raises."""
    assert_like_rnncell("cell_fw", cell_fw)
    assert_like_rnncell("cell_bw", cell_bw)
    if not _is_nested(inputs):
        raise TypeError(f"Argument `inputs` must be a sequence. Received: {inputs}")
    if not inputs:
        raise ValueError("Argument `inputs` must not be empty.")
    if sequence_length is not None:
        raise NotImplementedError("varstore lacks tf.reverse_sequence, which "
                                  "tf.nn.static_bidirectional_rnn(sequence_length=...) needs")
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            output_fw, state_fw = static_rnn(cell_fw, inputs, initial_state_fw, dtype,
                                             scope=fw_scope)
        with variable_scope("bw") as bw_scope:
            tmp, state_bw = static_rnn(cell_bw, list(reversed(inputs)), initial_state_bw,
                                       dtype, scope=bw_scope)
    output_bw = list(reversed(tmp))
    flat = [concat([fw, bw], 1) for fw, bw in zip(flatten(output_fw), flatten(output_bw))]
    return pack_sequence_as(output_fw, flat), state_fw, state_bw
