"""The recurrent half of ``tf.keras.backend``: tf-keras' ``backend.rnn``.

``rnn`` iterates a step function over the time axis: a ``tf.while_loop`` over TensorArrays
(the inputs unstacked, the outputs written per step), or a Python loop over the unstacked
inputs with ``unroll=True``. As TF's, the loop version calls the step once before the loop
on the first time step (for the output structure and dtype): those ops stay in the graph,
unused, and the layer's output names count them (``lstm/strided_slice_3``). A mask keeps,
where it is False, the previous output and states.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from varstore.framework.mode import tf2_enabled
from varstore.keras import _tf as tf
from varstore.keras.backend_math import reverse, zeros_like
from varstore.util import nest

__all__ = ["rnn"]


def _swap_batch_timestep(x: Any) -> Any:
    axes = list(range(len(x.shape)))
    axes[0], axes[1] = 1, 0
    return tf.transpose(x, axes)


def _expand_mask(mask_t: Any, input_t: Any, fixed_dim: int = 1) -> Any:
    """The mask (batch,) tiled to the output's shape, so ``where`` selects per element."""
    if nest.is_nested(mask_t):
        raise ValueError(f"mask_t is expected to be tensor, but got {mask_t}")
    if nest.is_nested(input_t):
        raise ValueError(f"input_t is expected to be tensor, but got {input_t}")
    rank_diff = len(input_t.shape) - len(mask_t.shape)
    for _ in range(rank_diff):
        mask_t = tf.expand_dims(mask_t, -1)
    multiples = [1] * fixed_dim + input_t.shape.as_list()[fixed_dim:]
    return tf.tile(mask_t, multiples)


def _unrolled(step_function: Callable[..., Any], inputs: Any, initial_states: Sequence[Any],
              go_backwards: bool, mask: Any, constants: list[Any], time_steps: Any,
              zero_output_for_mask: bool, return_all_outputs: bool) -> tuple[Any, Any, Any]:
    if not time_steps:
        raise ValueError("Unrolling requires a fixed number of timesteps.")
    states: Any = tuple(initial_states)
    successive_states: list[Any] = []
    successive_outputs: list[Any] = []

    def process(input_t: Any) -> list[Any]:
        steps = list(tf.unstack(input_t))
        if go_backwards:
            steps.reverse()
        return steps

    processed = ([process(t) for t in nest.flatten(inputs)] if nest.is_nested(inputs)
                 else [process(inputs)])

    def input_at(time: int) -> Any:
        return nest.pack_sequence_as(inputs, [t[time] for t in processed])

    if mask is not None:
        mask_list = list(tf.unstack(mask))
        if go_backwards:
            mask_list.reverse()
        for i in range(time_steps):
            output, new_states = step_function(input_at(i), tuple(states) + tuple(constants))
            tiled = _expand_mask(mask_list[i], output)
            prev_output = (zeros_like(output) if not successive_outputs
                           else successive_outputs[-1])
            output = tf.where_v2(tiled, output, prev_output)
            flat_states = nest.flatten(states)
            flat_new = nest.flatten(new_states)
            masks = tuple(_expand_mask(mask_list[i], s) for s in flat_states)
            final = tuple(tf.where_v2(m, s, ps)
                          for m, s, ps in zip(masks, flat_new, flat_states, strict=True))
            states = nest.pack_sequence_as(states, list(final))
            if not return_all_outputs:
                successive_outputs.clear()
                successive_states.clear()
            successive_outputs.append(output)
            successive_states.append(states)
        last_output = successive_outputs[-1]
        new_states = successive_states[-1]
        outputs = tf.stack(successive_outputs)
        if zero_output_for_mask:
            last_output = tf.where_v2(_expand_mask(mask_list[-1], last_output),
                                      last_output, zeros_like(last_output))
            outputs = tf.where_v2(_expand_mask(mask, outputs, fixed_dim=2), outputs,
                                  zeros_like(outputs))
        return last_output, outputs, new_states
    for i in range(time_steps):
        output, states = step_function(input_at(i), tuple(states) + tuple(constants))
        if not return_all_outputs:
            successive_outputs.clear()
            successive_states.clear()
        successive_outputs.append(output)
        successive_states.append(states)
    return successive_outputs[-1], tf.stack(successive_outputs), successive_states[-1]


def _looped(step_function: Callable[..., Any], inputs: Any, initial_states: Sequence[Any],
            go_backwards: bool, mask: Any, constants: list[Any], zero_output_for_mask: bool,
            return_all_outputs: bool, time_steps_t: Any) -> tuple[Any, Any, Any]:
    flat_inputs = nest.flatten(inputs)
    states = tuple(initial_states)
    input_ta = tuple(
        tf.TensorArray(dtype=x.dtype, size=time_steps_t, tensor_array_name=f"input_ta_{i}")
        for i, x in enumerate(flat_inputs))
    input_ta = tuple(ta.unstack(x if not go_backwards else reverse(x, 0))
                     for ta, x in zip(input_ta, flat_inputs, strict=True))
    input_time_zero = nest.pack_sequence_as(inputs, [x[0] for x in flat_inputs])
    # TF's: one step outside the loop gives the outputs' structure, dtypes and shapes
    output_time_zero, _ = step_function(input_time_zero,
                                        tuple(initial_states) + tuple(constants))
    output_ta_size = time_steps_t if return_all_outputs else 1
    output_ta = tuple(
        tf.TensorArray(dtype=out.dtype, size=output_ta_size, element_shape=out.shape,
                       tensor_array_name=f"output_ta_{i}")
        for i, out in enumerate(nest.flatten(output_time_zero)))
    time = tf.constant(0, dtype="int32", name="time")

    def cond(time: Any, *_: Any) -> Any:
        return time < time_steps_t

    def read(time: Any) -> Any:
        return nest.pack_sequence_as(inputs, [ta.read(time) for ta in input_ta])

    def fix_state_shapes(flat_state: list[Any], flat_new_state: list[Any]) -> None:
        for state, new_state in zip(flat_state, flat_new_state, strict=True):
            if tf.is_tensor(new_state):
                new_state.set_shape(state.shape)

    if mask is not None:
        if go_backwards:
            mask = reverse(mask, 0)
        mask_ta = tf.TensorArray(dtype=tf.bool, size=time_steps_t,
                                 tensor_array_name="mask_ta").unstack(mask)
        flat_zero_output = tuple(tf.zeros_like(o) for o in nest.flatten(output_time_zero))

        def masked(mask_t: Any, flat_out: Sequence[Any], flat_alt: Sequence[Any]) -> tuple[
                Any, ...]:
            tiled = tuple(_expand_mask(mask_t, o, fixed_dim=len(mask_t.shape))
                          for o in flat_out)
            return tuple(tf.where_v2(m, o, a)
                         for m, o, a in zip(tiled, flat_out, flat_alt, strict=True))

        def masked_step(time: Any, output_ta_t: Any, prev_output: Any, *states: Any) -> Any:
            mask_t = mask_ta.read(time)
            output, new_states = step_function(read(time), tuple(states) + tuple(constants))
            flat_alt = (flat_zero_output if zero_output_for_mask
                        else nest.flatten(prev_output))
            flat_new_output = masked(mask_t, nest.flatten(output), flat_alt)
            flat_state = nest.flatten(states)
            flat_new_state = nest.flatten(new_states)
            fix_state_shapes(flat_state, flat_new_state)
            new_states = nest.pack_sequence_as(
                new_states, list(masked(mask_t, flat_new_state, flat_state)))
            index = time if return_all_outputs else 0
            output_ta_t = tuple(ta.write(index, out)
                                for ta, out in zip(output_ta_t, flat_new_output, strict=True))
            return (time + 1, output_ta_t, tuple(flat_new_output), *tuple(new_states))

        final = tf.while_loop(cond, masked_step, (time, output_ta, flat_zero_output, *states),
                              parallel_iterations=32, swap_memory=True)
        new_states = final[3:]
    else:
        def step(time: Any, output_ta_t: Any, *states: Any) -> Any:
            output, new_states = step_function(read(time), tuple(states) + tuple(constants))
            flat_state = nest.flatten(states)
            flat_new_state = nest.flatten(new_states)
            fix_state_shapes(flat_state, flat_new_state)
            index = time if return_all_outputs else 0
            output_ta_t = tuple(ta.write(index, out) for ta, out in
                                zip(output_ta_t, nest.flatten(output), strict=True))
            new_states = nest.pack_sequence_as(list(initial_states), flat_new_state)
            return (time + 1, output_ta_t, *tuple(new_states))

        final = tf.while_loop(cond, step, (time, output_ta, *states),
                              parallel_iterations=32, swap_memory=True)
        new_states = final[2:]
    outputs = tuple(o.stack() for o in final[1])
    last_output = tuple(o[-1] for o in outputs)
    return (nest.pack_sequence_as(output_time_zero, list(last_output)),
            nest.pack_sequence_as(output_time_zero, list(outputs)), new_states)


def rnn(step_function: Callable[..., Any], inputs: Any, initial_states: Sequence[Any],
        go_backwards: bool = False, mask: Any = None, constants: Any = None,
        unroll: bool = False, input_length: Any = None, time_major: bool = False,
        zero_output_for_mask: bool = False, return_all_outputs: bool = True) -> tuple[
            Any, Any, Any]:
    """tf-keras' ``backend.rnn``: ``(last_output, outputs, new_states)``; ``step_function(
    input_t, states) -> (output_t, new_states)``. Without ``return_all_outputs`` the loop
    keeps only the last output (a TensorArray of one element), under v2 behaviour only: TF1
    behaviour keeps every step's."""
    del input_length  # only ragged inputs read it
    if not tf2_enabled():
        return_all_outputs = True
    if not time_major:
        inputs = nest.map_structure(_swap_batch_timestep, inputs)
    flat_inputs = nest.flatten(inputs)
    time_steps = flat_inputs[0].shape.as_list()[0] if flat_inputs[0].shape.ndims else None
    batch = flat_inputs[0].shape.as_list()[1] if flat_inputs[0].shape.ndims else None
    time_steps_t = tf.shape(flat_inputs[0])[0]  # built by TF's unrolled RNN too, unused
    for x in flat_inputs:
        x.shape.with_rank_at_least(3)
    if mask is not None:
        if mask.dtype != tf.bool:
            mask = tf.cast(mask, tf.bool)
        if len(mask.shape) == 2:
            mask = tf.expand_dims(mask, -1)
        if not time_major:
            mask = _swap_batch_timestep(mask)
    constants = [] if constants is None else list(constants)
    if unroll:
        last_output, outputs, new_states = _unrolled(
            step_function, inputs, initial_states, go_backwards, mask, constants,
            time_steps, zero_output_for_mask, return_all_outputs)
    else:
        last_output, outputs, new_states = _looped(
            step_function, inputs, initial_states, go_backwards, mask, constants,
            zero_output_for_mask, return_all_outputs, time_steps_t)

    def set_shape(output: Any) -> Any:
        if tf.is_tensor(output):
            shape = output.shape.as_list()
            shape[0] = time_steps if return_all_outputs else 1
            shape[1] = batch
            output.set_shape(shape)
        return output

    outputs = nest.map_structure(set_shape, outputs)
    if not time_major:
        outputs = nest.map_structure(_swap_batch_timestep, outputs)
    return last_output, outputs, new_states
