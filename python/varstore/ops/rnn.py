"""TF's rnn.py: ``tf.nn.dynamic_rnn`` and ``bidirectional_dynamic_rnn`` (a ``tf.while_loop``
over time with TensorArrays for the inputs and outputs, the cell's weights made inside the loop
on its one call), and ``static_rnn`` / ``static_bidirectional_rnn`` (the cell unrolled over a
Python list of time steps, the weights made at step 0 and reused after).
"""

from __future__ import annotations

from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework import constant_op
from varstore.framework.constant_op import constant_value, convert_to_tensor
from varstore.framework.graph import get_default_graph
from varstore.framework.ops import Tensor
from varstore.framework.tensor_shape import (
    TensorShape,
    as_dimension,
    as_shape,
    dimension_at_index,
    dimension_value,
)
from varstore.ops.array_fill_ops import zeros
from varstore.ops.array_ops import identity, rank, transpose
from varstore.ops.array_ops import shape as _shape_of
from varstore.ops.array_stack_ops import concat, stack, unstack
from varstore.ops.array_transform_ops import reverse, reverse_sequence, where
from varstore.ops.check_ops import Assert
from varstore.ops.math_ops import (
    equal,
    greater_equal,
    logical_or,
    maximum,
    minimum,
)
from varstore.ops.math_reduce_ops import reduce_all, reduce_max, reduce_min
from varstore.ops.math_sequence_ops import range as math_range
from varstore.ops.math_unary_ops import cast, logical_not
from varstore.ops.rnn_cell_impl import assert_like_rnncell
from varstore.ops.rnn_cell_state import concat_shape
from varstore.ops.tensor_array_ops import TensorArray
from varstore.ops.while_v2 import while_loop
from varstore.util.nest import (
    assert_same_structure,
    flatten,
    is_nested,
    map_structure,
    pack_sequence_as,
)
from varstore.variable_scope import variable_scope

__all__ = [
    "bidirectional_dynamic_rnn",
    "dynamic_rnn",
    "raw_rnn",
    "static_bidirectional_rnn",
    "static_rnn",
    "static_state_saving_rnn",
]


def _cache_reads(varscope: Any) -> None:
    """TF's RNNs (outside a while loop) give their scope a caching device, each variable
    read once per op device: a ``Read/Identity`` after each resource read."""
    if varscope.caching_device is None:
        varscope.set_caching_device(lambda op: op.device)


def _transpose_batch_time(x: Any) -> Any:
    """TF's _transpose_batch_time: swaps axes 0 and 1 (rank >= 2), keeping static dims."""
    x = convert_to_tensor(x)
    static = x.get_shape()
    if static.rank is not None and static.rank < 2:
        return x
    perm = concat(([1, 0], math_range(2, rank(x))), axis=0)
    x_t = transpose(x, perm)
    if static.rank is not None:
        dims = static.as_list()
        x_t.set_shape([dims[1], dims[0], *dims[2:]])
    return x_t


def _best_effort_input_batch_size(flat_input: list[Any]) -> Any:
    for input_ in flat_input:
        shape = input_.get_shape()
        if shape.rank is None:
            continue
        if shape.rank < 2:
            raise ValueError(f"Input tensor should have rank >= 2. Received input={input_} "
                             f"of rank {shape.rank}")
        batch = shape.as_list()[1]
        if batch is not None:
            return batch
    return _shape_of(flat_input[0])[1]


def _infer_state_dtype(explicit_dtype: Any, state: Any) -> Any:
    if explicit_dtype is not None:
        return explicit_dtype
    if is_nested(state):
        dts = [e.dtype for e in flatten(state)]
        if not dts:
            raise ValueError("Unable to infer dtype from empty state.")
        if any(d != dts[0] for d in dts):
            raise ValueError("State has tensors of different inferred_dtypes. Unable to "
                             "infer a single representative dtype. Dtypes received: "
                             f"{dts}")
        return dts[0]
    return state.dtype


def dynamic_rnn(cell: Any, inputs: Any, sequence_length: Any = None, initial_state: Any = None,
                dtype: Any = None, parallel_iterations: int | None = None,
                swap_memory: bool = False, time_major: bool = False,
                scope: Any = None) -> tuple[Any, Any]:
    """``tf.nn.dynamic_rnn``: (outputs, final state), the cell run by a while loop."""
    assert_like_rnncell("cell", cell)
    with variable_scope(scope or "rnn") as varscope:
        _cache_reads(varscope)
        flat_input = [convert_to_tensor(x) for x in flatten(inputs)]
        if not time_major:
            flat_input = [_transpose_batch_time(x) for x in flat_input]
        parallel_iterations = parallel_iterations or 32
        if sequence_length is not None:
            sequence_length = cast(sequence_length, _dtypes.int32)
            if sequence_length.get_shape().rank not in (None, 1):
                raise ValueError("Argument sequence_length must be a vector of length "
                                 f"batch_size. Received sequence_length={sequence_length} "
                                 f"of shape: {sequence_length.get_shape()}")
            sequence_length = identity(sequence_length, name="sequence_length")
        batch_size = _best_effort_input_batch_size(flat_input)
        if initial_state is not None:
            state = initial_state
        else:
            if not dtype:
                raise ValueError("If no initial_state is provided, argument `dtype` must be "
                                 "specified")
            if getattr(cell, "get_initial_state", None) is not None:
                state = cell.get_initial_state(inputs=None, batch_size=batch_size, dtype=dtype)
            else:
                state = cell.zero_state(batch_size, dtype)
        if sequence_length is not None:
            # TF checks at run time that there is one length per batch entry
            with get_default_graph().control_dependencies(
                    [_assert_has_shape(sequence_length, [batch_size])]):
                sequence_length = identity(sequence_length, name="CheckSeqLen")
        packed = pack_sequence_as(inputs, flat_input)
        outputs, final_state = _dynamic_rnn_loop(cell, packed, state, parallel_iterations,
                                                 sequence_length, dtype)
        if not time_major:
            outputs = pack_sequence_as(outputs, [_transpose_batch_time(o)
                                                 for o in flatten(outputs)])
        return outputs, final_state


def _assert_has_shape(x: Any, shape: list[Any]) -> Any:
    x_shape = _shape_of(x)
    packed_shape = stack(shape)
    return Assert(reduce_all(equal(x_shape, packed_shape)),
                  [f"Expected shape for Tensor {x.name} is ", packed_shape,
                   " but saw shape: ", x_shape])


def _dynamic_rnn_loop(cell: Any, inputs: Any, initial_state: Any, parallel_iterations: int,
                      sequence_length: Any, dtype: Any) -> tuple[Any, Any]:
    state = initial_state
    flat_input = flatten(inputs)
    flat_output_size = flatten(cell.output_size)
    time_steps = _shape_of(flat_input[0])[0]
    batch_size = _best_effort_input_batch_size(flat_input)
    got = [x.get_shape().with_rank_at_least(3) for x in flat_input]
    const_time_steps, const_batch_size = got[0].as_list()[:2]
    for shape in got:
        if not shape[2:].is_fully_defined():
            raise ValueError("Input size (depth of inputs) must be accessible via shape "
                             "inference, but saw value None.")
        if shape.as_list()[0] != const_time_steps:
            raise ValueError("Time steps is not the same for all the elements in the input "
                             "in a batch.")
        if shape.as_list()[1] != const_batch_size:
            raise ValueError("Batch_size is not the same for all the elements in the input.")
    out_dtype = _infer_state_dtype(dtype, state)

    def zero_out(size: Any) -> Any:
        shape_t, static = concat_shape(batch_size, size)
        z = zeros(shape_t, dtype=out_dtype)
        z.set_shape([const_batch_size, *static[1:]])
        return z

    flat_zero_output = [zero_out(s) for s in flat_output_size]
    if sequence_length is not None:
        min_sequence_length = reduce_min(sequence_length)
        max_sequence_length = reduce_max(sequence_length)
        del min_sequence_length  # TF builds it for the conditionals it then skips
    else:
        max_sequence_length = time_steps
    time = constant_op.constant(0, dtype=_dtypes.int32, name="time")

    def size_shape(size: Any) -> list[Any]:
        # an output_size entry: an int, a list of dims or a TensorShape (TF's
        # _maybe_tensor_shape_from_tensor)
        if isinstance(size, TensorShape):
            return list(size.as_list())
        return [size] if not is_nested(size) else list(size)

    output_ta = tuple(TensorArray(out_dtype, size=time_steps,
                                  element_shape=[const_batch_size, *size_shape(s)])
                      for s in flat_output_size)
    input_ta = tuple(TensorArray(x.dtype, size=time_steps,
                                 element_shape=x.get_shape()[1:]).unstack(x)
                     for x in flat_input)
    # a TensorArray in the state (TF accepts one) keeps no static shape to restore
    state_shapes = [s.get_shape() if isinstance(s, Tensor) else None for s in flatten(state)]

    def time_step(time: Any, output_ta_t: Any, state: Any) -> Any:
        input_t = [ta.read(time) for ta in input_ta]
        for x, shape in zip(input_t, got):
            x.set_shape(shape[1:])
        packed = pack_sequence_as(inputs, input_t)
        output, new_state = cell(packed, state)
        if sequence_length is not None:
            zero_output = pack_sequence_as(cell.output_size, flat_zero_output)
            output, new_state = _rnn_step(time, sequence_length, zero_output, state,
                                          output, new_state)
        for s, shape in zip(flatten(new_state), state_shapes):
            if shape is not None and isinstance(s, Tensor):
                s.set_shape(shape)
        output_ta_t = tuple(ta.write(time, out) for ta, out in zip(output_ta_t,
                                                                      flatten(output)))
        return time + 1, output_ta_t, new_state

    loop_bound = minimum(time_steps, maximum(1, max_sequence_length))
    _, output_final_ta, final_state = while_loop(
        lambda time, *_: time < loop_bound, time_step, (time, output_ta, state),
        parallel_iterations=parallel_iterations, maximum_iterations=time_steps)
    final_outputs = [ta.stack() for ta in output_final_ta]
    for output, size in zip(final_outputs, flat_output_size):
        # TF's static _concat([time, batch], size) here builds the size's (unused) Const
        if TensorShape(size_shape(size)).is_fully_defined():
            constant_op.constant(size_shape(size), dtype=_dtypes.int32)
        output.set_shape([const_time_steps, const_batch_size, *size_shape(size)])
    return pack_sequence_as(cell.output_size, final_outputs), final_state


def bidirectional_dynamic_rnn(cell_fw: Any, cell_bw: Any, inputs: Any,
                              sequence_length: Any = None, initial_state_fw: Any = None,
                              initial_state_bw: Any = None, dtype: Any = None,
                              parallel_iterations: int | None = None,
                              swap_memory: bool = False, time_major: bool = False,
                              scope: Any = None) -> tuple[Any, Any]:
    """``tf.nn.bidirectional_dynamic_rnn``: ((outputs fw, bw), (state fw, bw)). The backward
    cell reads each sequence from its last valid step: the inputs, and its outputs after,
    are reversed up to ``sequence_length`` (tf.reverse_sequence), or whole without it."""
    assert_like_rnncell("cell_fw", cell_fw)
    assert_like_rnncell("cell_bw", cell_bw)
    time_axis, batch_axis = (0, 1) if time_major else (1, 0)

    def _reverse(x: Any) -> Any:
        if sequence_length is not None:
            return reverse_sequence(x, sequence_length, seq_axis=time_axis,
                                    batch_axis=batch_axis)
        return reverse(x, axis=[time_axis])

    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            output_fw, state_fw = dynamic_rnn(cell_fw, inputs, sequence_length,
                                              initial_state_fw, dtype, parallel_iterations,
                                              swap_memory, time_major, scope=fw_scope)
        with variable_scope("bw") as bw_scope:
            inputs_rev = pack_sequence_as(inputs, [_reverse(x) for x in flatten(inputs)])
            tmp, state_bw = dynamic_rnn(cell_bw, inputs_rev, sequence_length,
                                        initial_state_bw, dtype, parallel_iterations,
                                        swap_memory, time_major, scope=bw_scope)
    output_bw = pack_sequence_as(tmp, [_reverse(x) for x in flatten(tmp)])
    return (output_fw, output_bw), (state_fw, state_bw)


def _rnn_step(time: int, sequence_length: Any, zero_output: Any, state: Any,
              new_output: Any, new_state: Any) -> tuple[Any, Any]:
    """TF's _rnn_step: past a batch entry's length its output is zero and its state is
    carried over (TF also skips whole steps with a cond; the values are the same)."""
    copy_cond = greater_equal(time, sequence_length)

    def copy_one_through(old: Any, new: Any) -> Any:
        # TF's _copy_one_through: a TensorArray or a scalar is passed through
        if isinstance(old, TensorArray) or old.get_shape().rank == 0:
            return new
        out = where(copy_cond, old, new)
        out.set_shape(new.get_shape())
        return out

    flat_out = [copy_one_through(z, n) for z, n in zip(flatten(zero_output),
                                                        flatten(new_output))]
    flat_state = [copy_one_through(s, n) for s, n in zip(flatten(state), flatten(new_state))]
    return (pack_sequence_as(new_output, flat_out), pack_sequence_as(new_state, flat_state))


def static_rnn(cell: Any, inputs: Any, initial_state: Any = None, dtype: Any = None,
               sequence_length: Any = None, scope: Any = None) -> tuple[list[Any], Any]:
    """``tf.nn.static_rnn``: (outputs per time step, final state)."""
    assert_like_rnncell("cell", cell)
    if not is_nested(inputs):
        raise TypeError(f"Argument `inputs` must be a sequence. Received: {inputs}")
    if not inputs:
        raise ValueError("Argument `inputs` must not be empty.")
    outputs: list[Any] = []
    with variable_scope(scope or "rnn") as varscope:
        _cache_reads(varscope)
        first_input = inputs
        while is_nested(first_input):
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
                shape_t, static = concat_shape(batch_size, size)
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


def static_state_saving_rnn(cell: Any, inputs: Any, state_saver: Any, state_name: Any,
                            sequence_length: Any = None,
                            scope: Any = None) -> tuple[list[Any], Any]:
    """``tf.nn.static_state_saving_rnn``: static_rnn from the states ``state_saver.state(name)``
    gives, handing the final ones to ``state_saver.save_state``; the last output and the
    state returned are Identities that run after the saves."""
    nested = is_nested(cell.state_size)
    if nested != is_nested(state_name):
        raise ValueError("Argument `state_name` should be the same type as `cell.state_size`. "
                         f"Received: state_name={state_name!s}, "
                         f"cell.state_size={cell.state_size!s}.")
    names = flatten(state_name)
    if nested:
        sizes = flatten(cell.state_size)
        if len(names) != len(sizes):
            raise ValueError("Number of elements in argument `state_name` and `cell.state_size` "
                             f"are mismatched. Received state_name={state_name} with "
                             f"{len(names)} elements and cell.state_size={cell.state_size} "
                             f"with {len(sizes)} elements.")
        initial = pack_sequence_as(cell.state_size, [state_saver.state(n) for n in names])
    else:
        initial = state_saver.state(state_name)
    outputs, state = static_rnn(cell, inputs, initial_state=initial,
                                sequence_length=sequence_length, scope=scope)
    saves = [state_saver.save_state(n, s) for n, s in zip(names, flatten(state))]
    with get_default_graph().control_dependencies(saves):
        last = outputs[-1]
        outputs[-1] = pack_sequence_as(last, [identity(o) for o in flatten(last)])
        state = pack_sequence_as(state, [identity(x) for x in flatten(state)])
    return outputs, state


def static_bidirectional_rnn(cell_fw: Any, cell_bw: Any, inputs: Any,
                             initial_state_fw: Any = None, initial_state_bw: Any = None,
                             dtype: Any = None, sequence_length: Any = None,
                             scope: Any = None) -> tuple[list[Any], Any, Any]:
    """``tf.nn.static_bidirectional_rnn``: (outputs fw|bw concatenated, fw state, bw
    state); the backward cell gets the steps reversed up to ``sequence_length``."""
    assert_like_rnncell("cell_fw", cell_fw)
    assert_like_rnncell("cell_bw", cell_bw)
    if not is_nested(inputs):
        raise TypeError(f"Argument `inputs` must be a sequence. Received: {inputs}")
    if not inputs:
        raise ValueError("Argument `inputs` must not be empty.")
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            output_fw, state_fw = static_rnn(cell_fw, inputs, initial_state_fw, dtype,
                                             sequence_length, scope=fw_scope)
        with variable_scope("bw") as bw_scope:
            tmp, state_bw = static_rnn(cell_bw, _reverse_seq(inputs, sequence_length),
                                       initial_state_bw, dtype, sequence_length,
                                       scope=bw_scope)
    output_bw = _reverse_seq(tmp, sequence_length)
    flat = [concat([fw, bw], 1) for fw, bw in zip(flatten(output_fw), flatten(output_bw))]
    return pack_sequence_as(output_fw, flat), state_fw, state_bw


def _reverse_seq(input_seq: list[Any], lengths: Any) -> list[Any]:
    """TF's _reverse_seq: the time steps (a Python list) reversed up to ``lengths``, by
    stacking them, tf.reverse_sequence on axis 0 and unstacking."""
    if lengths is None:
        return list(reversed(input_seq))
    flat_seq = [flatten(x) for x in input_seq]
    flat_results: list[list[Any]] = [[] for _ in input_seq]
    for sequence in zip(*flat_seq):
        input_shape = TensorShape(None) if sequence[0].get_shape().rank is None else \
            TensorShape([None] * sequence[0].get_shape().rank)
        for x in sequence:
            input_shape.assert_is_compatible_with(x.get_shape())
            x.set_shape(input_shape)
        joined = stack(list(sequence))
        result = unstack(reverse_sequence(joined, lengths, 0, 1))
        for r, flat_result in zip(result, flat_results):
            r.set_shape(input_shape)
            flat_result.append(r)
    return [pack_sequence_as(x, r) for x, r in zip(input_seq, flat_results)]


def _emit_shape(size: Any) -> TensorShape:
    # TF's _maybe_tensor_shape_from_tensor: a size tensor's constant value, else the size
    if isinstance(size, Tensor):
        return as_shape(constant_value(size))
    return as_shape(size)


def raw_rnn(cell: Any, loop_fn: Any, parallel_iterations: int | None = None,
            swap_memory: bool = False, scope: Any = None) -> tuple[Any, Any, Any]:
    """``tf.nn.raw_rnn``: ``cell`` stepped in a while loop that ``loop_fn(time, output,
    state, loop_state)`` drives, returning ``(finished, next_input, next_state, emit,
    next_loop_state)`` (at time 0 with output, state and loop_state None: the initial
    state, the emit structure and the initial loop state). Emits go to TensorArrays; the
    outputs and state of finished batch entries are held (zeros / the last state)."""
    assert_like_rnncell("cell", cell)
    if not callable(loop_fn):
        raise TypeError(f"Argument `loop_fn` must be a callable. Received: {loop_fn}.")
    parallel_iterations = parallel_iterations or 32
    with variable_scope(scope or "rnn") as varscope:
        _cache_reads(varscope)
        time = constant_op.constant(0, dtype=_dtypes.int32)
        (elements_finished, next_input, initial_state, emit_structure,
         init_loop_state) = loop_fn(time, None, None, None)
        flat_input = flatten(next_input)
        loop_state = (init_loop_state if init_loop_state is not None
                      else constant_op.constant(0, dtype=_dtypes.int32))
        input_shape = [x.get_shape() for x in flat_input]
        static_batch = dimension_at_index(input_shape[0], 0)
        for shape_i in input_shape:
            static_batch.assert_is_compatible_with(dimension_at_index(shape_i, 0))
        const_batch_size = dimension_value(static_batch)
        batch_size: Any = const_batch_size
        if batch_size is None:
            batch_size = _shape_of(flat_input[0])[0]
        assert_same_structure(initial_state, cell.state_size)
        flat_state = [convert_to_tensor(s) for s in flatten(initial_state)]
        state = pack_sequence_as(initial_state, flat_state)
        if emit_structure is not None:
            flat_emit = flatten(emit_structure)
            flat_emit_size = [e.shape if e.shape.is_fully_defined() else _shape_of(e)
                              for e in flat_emit]
            flat_emit_dtypes = [e.dtype for e in flat_emit]
        else:
            emit_structure = cell.output_size
            flat_emit_size = flatten(emit_structure)
            flat_emit_dtypes = [flat_state[0].dtype] * len(flat_emit_size)
        flat_emit_ta = [
            TensorArray(dtype=dt, dynamic_size=True, size=0, name=f"rnn_output_{i}",
                        element_shape=TensorShape([const_batch_size]).concatenate(
                            _emit_shape(size)))
            for i, (dt, size) in enumerate(zip(flat_emit_dtypes, flat_emit_size))]
        emit_ta = pack_sequence_as(emit_structure, flat_emit_ta)
        flat_zero_emit = [zeros(concat_shape(batch_size, size)[0], dt)
                          for size, dt in zip(flat_emit_size, flat_emit_dtypes)]
        zero_emit = pack_sequence_as(emit_structure, flat_zero_emit)

        def condition(unused_time: Any, finished: Any, *_: Any) -> Any:
            return logical_not(reduce_all(finished))

        def body(time: Any, finished: Any, current_input: Any, emit_ta: Any, state: Any,
                 loop_state: Any) -> Any:
            next_output, cell_state = cell(current_input, state)
            assert_same_structure(state, cell_state)
            assert_same_structure(cell.output_size, next_output)
            next_time = time + 1
            (next_finished, next_input, next_state, emit_output,
             next_loop_state) = loop_fn(next_time, next_output, cell_state, loop_state)
            assert_same_structure(state, next_state)
            assert_same_structure(current_input, next_input)
            assert_same_structure(emit_ta, emit_output)
            loop_state = loop_state if next_loop_state is None else next_loop_state

            def copy_some_through(current: Any, candidate: Any) -> Any:
                # finished entries keep their value; scalars and TensorArrays pass through
                def copy_fn(cur: Any, cand: Any) -> Any:
                    if isinstance(cur, TensorArray) or cur.shape.rank == 0:
                        return cand
                    return where(finished, cur, cand)
                return map_structure(copy_fn, current, candidate)

            emit_output = copy_some_through(zero_emit, emit_output)
            next_state = copy_some_through(state, next_state)
            emit_ta = map_structure(lambda ta, emit: ta.write(time, emit), emit_ta,
                                    emit_output)
            finished = logical_or(finished, next_finished)
            return next_time, finished, next_input, emit_ta, next_state, loop_state

        returned = while_loop(condition, body,
                              loop_vars=[time, elements_finished, next_input, emit_ta, state,
                                         loop_state],
                              parallel_iterations=parallel_iterations,
                              swap_memory=swap_memory)
        emit_ta, final_state, final_loop_state = returned[-3:]
        if init_loop_state is None:
            final_loop_state = None
        return emit_ta, final_state, final_loop_state
