"""TensorArray / TensorList, functional ops and RNN behaviours found by running TF's own unit
tests (tensor_array_ops_test, map_fn_test, rnn_test, rnn_cell_test ...) against varstore.
Expected values and messages are TF 2.21's (tf.compat.v1, graph mode, control flow v2)."""

import numpy as np
import pytest

import varstore as tf


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()


def _run(fetch, feed=None):
    with tf.Session() as s:
        return s.run(fetch, feed)


# --- TensorArray (list ops) ------------------------------------------------------------

def test_second_order_gradient_through_a_tensor_array_write_and_read():
    x = tf.constant(4.0)
    ta = tf.TensorArray(tf.float32, size=1, infer_shape=False)
    r0 = ta.write(0, x).read(0)
    g1 = tf.gradients([r0 * r0], [x])
    g2 = tf.gradients([g1], [x])
    assert g2[0] is not None
    assert _run(g2) == [2.0]


def test_second_order_gradient_through_unstack_and_stack():
    x = tf.constant([1.0, 2.0, 3.0])
    ta = tf.TensorArray(tf.float32, size=3).unstack(x)
    y = tf.reduce_sum(ta.stack() ** 3)
    g1 = tf.gradients(y, x)[0]
    g2 = tf.gradients(g1, x)[0]
    np.testing.assert_allclose(_run(g2), [6.0, 12.0, 18.0])


def test_read_of_an_unset_item_takes_the_shape_of_the_items_set():
    val = tf.placeholder(tf.float32)
    ta = tf.TensorArray(tf.float32, size=3)
    np.testing.assert_array_equal(_run(ta.write(1, val).read(0), {val: [[4.0, 5.0]]}),
                                  [[0.0, 0.0]])


def test_read_of_an_unset_item_errors_as_tf():
    ta = tf.TensorArray(tf.float32, size=3, infer_shape=False)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Trying to read an uninitialized tensor but element_shape is "
                             r"not fully defined: <unknown> and no list element is set\."):
        _run(ta.read(0))
    tf.reset_default_graph()
    v, w = tf.placeholder(tf.float32), tf.placeholder(tf.float32)
    ta = tf.TensorArray(tf.float32, size=3, infer_shape=False)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"PartialTensorShape: Incompatible shapes during merge: \[2\] "
                             r"vs\. \[1\]"):
        _run(ta.write(1, v).write(2, w).read(0), {v: [1.0, 2.0], w: [1.0]})


def test_concat_errors_name_the_item_and_the_ranks():
    ta = tf.TensorArray(tf.float32, size=3, infer_shape=False)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Concat saw a scalar shape at index 1 but requires at least "
                             r"vectors\."):
        _run(ta.write(0, [3.0]).write(1, 4.0).write(2, [3.0]).concat())
    ta = tf.TensorArray(tf.float32, size=3, infer_shape=False)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"PartialTensorShape: Incompatible ranks during merge: 0 vs\. 1"):
        _run(ta.write(0, [3.0]).write(1, [4.0]).write(2, [[3.0]]).concat())


def test_split_checks_lengths_and_value_rank():
    ta = tf.TensorArray(tf.float32, size=3)
    lengths = tf.placeholder(tf.int64)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Expected lengths to be a vector, received shape: \[\]"):
        _run(ta.split([1.0, 2.0, 3.0], lengths).flow, {lengths: 1})
    ta = tf.TensorArray(tf.float32, size=1)
    with pytest.raises(ValueError, match=r"Shape must be at least rank 1 but is rank 0 for "
                       r"'\{\{node TensorArraySplit_1/TensorListSplit\}\} = TensorListSplit"
                       r"\[element_dtype=DT_FLOAT, shape_type=DT_INT32\]"):
        ta.split(1.0, [1])


def test_gradient_of_a_tensor_array_read_inside_a_cond_inside_a_while_loop():
    # TF's testGradSerialTwoLoops: acc[i] = 2 * acc[i-1] read in a cond branch
    x = tf.constant(2.0, name="x")
    acc = tf.TensorArray(tf.float32, size=100, clear_after_read=False,
                         element_shape=tf.TensorShape([]))

    def body(i, acc):
        x1 = tf.cond(tf.equal(i, 0), lambda: x, lambda: tf.multiply(acc.read(i - 1), 2.0))
        return i + 1, acc.write(i, x1)

    i1, acc1 = tf.while_loop(lambda i, acc: i < 5, body, [tf.constant(0), acc])
    _, acc2 = tf.while_loop(lambda i, acc: i < 100,
                            lambda i, acc: (i + 1, acc.write(i, tf.constant(0.0))), [i1, acc1])
    r = acc2.stack()
    grad = tf.gradients(r, [x])[0]
    total, g = _run([tf.reduce_sum(r), grad])
    assert total == 62.0 and g == 31.0


def test_gradient_of_a_tensor_array_read_in_a_cond():
    x = tf.constant([1.0, 2.0])
    p = tf.placeholder(tf.bool)
    ta = tf.TensorArray(tf.float32, size=2).unstack(x)
    y = tf.cond(p, lambda: ta.read(1) * 3.0, lambda: tf.constant(0.0))
    g = tf.gradients(y, x)[0]
    np.testing.assert_array_equal(_run(g, {p: True}), [0.0, 3.0])
    np.testing.assert_array_equal(_run(g, {p: False}), [0.0, 0.0])


@pytest.mark.parametrize("build,message", [
    (lambda: tf.TensorArray(tf.float32, size=0, infer_shape=False).stack(),
     (r"Tried to stack elements of an empty list with non-fully-defined element_shape: "
      r"<unknown>")),
    (lambda: tf.TensorArray(tf.float32, size=0, element_shape=[None, 3]).stack(),
     (r"Tried to stack elements of an empty list with non-fully-defined element_shape: "
      r"\[\?,3\]")),
    (lambda: tf.TensorArray(tf.float32, size=3, infer_shape=False).stack(),
     (r"Tried to stack list which only contains uninitialized tensors and has a "
      r"non-fully-defined element_shape: <unknown>")),
    (lambda: tf.TensorArray(tf.float32, size=0, infer_shape=False).concat(),
     (r"All except the first dimension must be fully defined when concating an empty tensor "
      r"list. element_shape: <unknown>")),
    (lambda: tf.TensorArray(tf.float32, size=0, infer_shape=False).gather([]),
     r"Tried to gather 0-elements from a list with non-fully-defined shape: <unknown>"),
])
def test_empty_or_unset_lists_with_unknown_element_shape_fail_as_tf(build, message):
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        _run(build())


def test_empty_lists_with_a_known_element_shape_stack_and_concat():
    ta = tf.TensorArray(tf.float32, size=0, element_shape=[2, 3])
    assert _run(ta.stack()).shape == (0, 2, 3)
    ta = tf.TensorArray(tf.float32, size=0, infer_shape=True).unstack(tf.zeros([0, 3, 5]))
    assert _run(ta.stack()).shape == (0, 3, 5)
    assert _run(ta.concat()).shape == (0, 5)


# --- RNN cells and dynamic_rnn ---------------------------------------------------------

def test_get_initial_state_checks_batch_size_and_dtype_against_the_inputs():
    cell = tf.nn.rnn_cell.BasicRNNCell(5)
    inputs = tf.placeholder(tf.float32, shape=(None, 4, 1))
    with pytest.raises(ValueError, match=r"batch size from input tensor is different from the "
                       r"input param. Input tensor batch: None, batch_size: 50"):
        cell.get_initial_state(inputs=inputs, batch_size=50)
    with pytest.raises(ValueError, match=r"dtype from input tensor is different from the input "
                       r"param. Input tensor dtype: <dtype: 'float32'>, dtype: <dtype: 'int16'>"):
        cell.get_initial_state(inputs=inputs, dtype=tf.int16)
    static = tf.placeholder(tf.float32, shape=(3, 4, 1))
    assert cell.get_initial_state(inputs=static, batch_size=3).shape.as_list() == [3, 5]
    with pytest.raises(ValueError, match="Input tensor batch: 3, batch_size: 4"):
        cell.get_initial_state(inputs=static, batch_size=4)
    with pytest.raises(ValueError, match="Input tensor batch: 3, batch_size: Tensor"):
        cell.get_initial_state(inputs=static, batch_size=tf.placeholder(tf.int32, []))


def test_cell_build_called_directly_makes_the_weights_in_the_cells_scope():
    cell = tf.nn.rnn_cell.GRUCell(3)
    cell.build(tf.TensorShape((5, 7)))
    names = ["gru_cell/gates/kernel:0", "gru_cell/gates/bias:0", "gru_cell/candidate/kernel:0",
             "gru_cell/candidate/bias:0"]
    assert [v.name for v in cell.variables] == names
    out, _ = cell(tf.zeros([5, 7]), cell.get_initial_state(batch_size=5, dtype=tf.float32))
    assert out.shape.as_list() == [5, 3]
    assert [v.name for v in tf.global_variables()] == names
    with tf.variable_scope("outer"):
        lstm = tf.nn.rnn_cell.LSTMCell(3)
        lstm.build(tf.TensorShape((5, 7)))
    assert [v.name for v in lstm.variables] == ["outer/lstm_cell/kernel:0",
                                                "outer/lstm_cell/bias:0"]


class _ScalarStateCell(tf.nn.rnn_cell.RNNCell):
    @property
    def output_size(self):
        return 1

    @property
    def state_size(self):
        return tf.TensorShape([])

    def zero_state(self, batch_size, dtype):
        return tf.zeros([], dtype=tf.int32)

    def call(self, inputs, state):
        return inputs, state + 1


class _ShapeOutputCell(_ScalarStateCell):
    @property
    def output_size(self):
        return tf.TensorShape(1), tf.TensorShape(2)

    def call(self, inputs, state):
        return (inputs, tf.concat((inputs, inputs), axis=-1)), state + 1


class _TensorArrayStateCell(_ScalarStateCell):
    @property
    def state_size(self):
        return (tf.TensorShape([]), ())

    def zero_state(self, batch_size, dtype):
        return (tf.zeros([], dtype=tf.int32),
                tf.TensorArray(dtype=dtype, size=0, dynamic_size=True))

    def call(self, inputs, state):
        return inputs, (state[0] + 1, state[1].write(state[0], inputs))


_SEQ = [[[1.0], [2.0], [3.0], [4.0]]]


def test_dynamic_rnn_passes_a_scalar_state_through_with_sequence_length():
    x = tf.placeholder(tf.float32, shape=(1, 4, 1))
    outputs, state = tf.nn.dynamic_rnn(_ScalarStateCell(), x, dtype=tf.float32,
                                       sequence_length=[4])
    assert state.shape.as_list() == []
    out, st = _run([outputs, state], {x: _SEQ})
    np.testing.assert_array_equal(out, _SEQ)
    assert st.shape == () and st == 4


def test_dynamic_rnn_output_size_of_tensor_shapes():
    x = tf.placeholder(tf.float32, shape=(1, 4, 1))
    outputs, state = tf.nn.dynamic_rnn(_ShapeOutputCell(), x, dtype=tf.float32,
                                       sequence_length=[4])
    assert [o.shape.as_list() for o in outputs] == [[1, 4, 1], [1, 4, 2]]
    out, st = _run([outputs, state], {x: _SEQ})
    np.testing.assert_array_equal(out[1], [[[1, 1], [2, 2], [3, 3], [4, 4]]])
    assert st == 4


def test_dynamic_rnn_with_a_tensor_array_in_the_state():
    x = tf.placeholder(tf.float32, shape=(1, 4, 1))
    outputs, state = tf.nn.dynamic_rnn(_TensorArrayStateCell(), x, dtype=tf.float32,
                                       sequence_length=[4])
    out, n, stacked = _run([outputs, state[0], state[1].stack()], {x: _SEQ})
    np.testing.assert_array_equal(out, _SEQ)
    assert n == 4
    np.testing.assert_array_equal(stacked, [[[1.0]], [[2.0]], [[3.0]], [[4.0]]])


def test_lstm_cell_shards_make_partitioned_weights():
    x = tf.placeholder(tf.float32, (2, 5))
    cell = tf.nn.rnn_cell.LSTMCell(3, use_peepholes=True, num_proj=4, num_unit_shards=2,
                                   num_proj_shards=3, initializer=tf.constant_initializer(0.01),
                                   state_is_tuple=False)
    out, st = cell(x, cell.zero_state(2, tf.float32))
    assert [(v.name, v.shape.as_list()) for v in tf.global_variables()] == [
        ("lstm_cell/kernel/part_0:0", [5, 12]), ("lstm_cell/kernel/part_1:0", [4, 12]),
        ("lstm_cell/bias:0", [12]), ("lstm_cell/w_f_diag:0", [3]),
        ("lstm_cell/w_i_diag:0", [3]), ("lstm_cell/w_o_diag:0", [3]),
        ("lstm_cell/projection/kernel/part_0:0", [1, 4]),
        ("lstm_cell/projection/kernel/part_1:0", [1, 4]),
        ("lstm_cell/projection/kernel/part_2:0", [1, 4])]
    # the parts of partitioned weights come last, as TF lists them
    assert [v.name for v in cell.variables] == [
        "lstm_cell/bias:0", "lstm_cell/w_f_diag:0", "lstm_cell/w_i_diag:0",
        "lstm_cell/w_o_diag:0", "lstm_cell/kernel/part_0:0", "lstm_cell/kernel/part_1:0",
        "lstm_cell/projection/kernel/part_0:0", "lstm_cell/projection/kernel/part_1:0",
        "lstm_cell/projection/kernel/part_2:0"]
    assert out.shape.as_list() == [2, 4] and st.shape.as_list() == [2, 7]
    grads = tf.gradients(tf.reduce_sum(out), tf.trainable_variables())
    assert all(g is not None for g in grads)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        np.testing.assert_allclose(s.run(out, {x: np.ones((2, 5))}), np.full((2, 4), 0.000394),
                                   atol=5e-7)


class _Saver:
    def state(self, name):
        return tf.zeros([2, 3])

    def save_state(self, name, state):
        return tf.identity(state)


def test_static_state_saving_rnn():
    x = [tf.zeros([2, 4])] * 2
    cell = tf.nn.rnn_cell.BasicRNNCell(3)
    outputs, state = tf.nn.static_state_saving_rnn(cell, x, _Saver(), "st")
    assert outputs[-1].name == "Identity_1:0" and state.name == "Identity_2:0"
    assert outputs[0].name == "rnn/basic_rnn_cell/Tanh:0"
    assert [op.name for op in outputs[-1].op.control_inputs] == ["Identity"]
    with pytest.raises(ValueError, match=r"Argument `state_name` should be the same type as "
                       r"`cell.state_size`. Received: state_name=\('a', 'b'\), "
                       r"cell.state_size=3."):
        tf.nn.static_state_saving_rnn(cell, x, _Saver(), ("a", "b"))
    multi = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicRNNCell(3),
                                         tf.nn.rnn_cell.BasicRNNCell(3)])
    with pytest.raises(ValueError, match=r"Number of elements in argument `state_name` and "
                       r"`cell.state_size` are mismatched. Received state_name=\('a', 'b', 'c'\) "
                       r"with 3 elements and cell.state_size=\(3, 3\) with 2 elements."):
        tf.nn.static_state_saving_rnn(multi, x, _Saver(), ("a", "b", "c"))


def test_a_custom_getter_that_makes_weights_non_trainable_files_them_so():
    def not_trainable(getter, *args, **kwargs):
        kwargs["trainable"] = False
        return getter(*args, **kwargs)

    with tf.variable_scope("root", custom_getter=not_trainable):
        cell = tf.nn.rnn_cell.BasicRNNCell(2)
        cell(tf.zeros([1, 2]), tf.zeros([1, 2]))
    assert cell.trainable_variables == []
    assert [v.name for v in cell.non_trainable_variables] == [
        "root/basic_rnn_cell/kernel:0", "root/basic_rnn_cell/bias:0"]


def test_multi_rnn_cell_variable_aliases_list_the_inner_cells_weights():
    multi = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(2) for _ in range(2)])
    multi(tf.zeros([1, 2]), multi.zero_state(1, tf.float32))
    names = [v.name for v in multi.trainable_variables]
    assert len(names) == 8 and names[0] == "multi_rnn_cell/cell_0/gru_cell/gates/kernel:0"
    assert [v.name for v in multi.variables] == names
    assert multi.non_trainable_variables == []


def test_variational_dropout_wrapper_draws_its_masks_once_as_tf():
    tf.set_random_seed(3)
    cell = tf.nn.rnn_cell.DropoutWrapper(
        tf.nn.rnn_cell.LSTMCell(3, initializer=tf.constant_initializer(0.5)),
        input_keep_prob=0.7, output_keep_prob=0.6, state_keep_prob=0.8,
        variational_recurrent=True, input_size=3, dtype=tf.float32, seed=5)
    names = [o.name for o in tf.get_default_graph().get_operations()]
    noise = [f"concat{s}/values_0" for s in ("", "_1", "_2", "_3")]
    assert names[:3] == ["DropoutWrapperInit/Const", "DropoutWrapperInit/Const_1",
                         "DropoutWrapperInit/Const_2"]
    assert [n for n in names if n.endswith("/values_0")] == noise
    assert names[-1] == "random_uniform_3/RandomUniform"
    x = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 4, 3) / 10)
    out, st = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        o, c = s.run([out, st])
    # recorded from TF 2.21 (same graph seed, op seeds and Philox stream)
    np.testing.assert_array_equal(o, np.zeros((2, 4, 3), np.float32))
    np.testing.assert_allclose(c.c, [[2.0461] * 3, [3.7449] * 3], atol=1e-4)
    np.testing.assert_allclose(c.h, [[1.1315] * 3, [1.2401] * 3], atol=1e-4)


def test_variational_dropout_wrapper_argument_errors():
    gru = tf.nn.rnn_cell.GRUCell(2)
    with pytest.raises(ValueError, match="When variational_recurrent=True, dtype must be "
                       "provided"):
        tf.nn.rnn_cell.DropoutWrapper(gru, input_keep_prob=0.5, variational_recurrent=True)
    with pytest.raises(ValueError, match=r"When variational_recurrent=True and input_keep_prob "
                       r"< 1\.0 or is unknown, input_size must be provided"):
        tf.nn.rnn_cell.DropoutWrapper(gru, input_keep_prob=0.5, variational_recurrent=True,
                                      dtype=tf.float32)


# --- functional ops --------------------------------------------------------------------

def test_map_fn_over_the_rows_of_a_sparse_tensor():
    st = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [2, 1]], tf.constant([1.0, 2.0, 3.0, 4.0]),
                         [3, 2])
    sums = tf.map_fn(lambda row: tf.sparse.reduce_sum(row), st, dtype=tf.float32)
    dense = tf.map_fn(lambda row: tf.sparse.to_dense(row), st, dtype=tf.float32)
    doubled = tf.map_fn(lambda row: row * 2.0, st)
    assert isinstance(doubled, tf.SparseTensor)
    # TF's DeserializeSparse result knows no static shapes
    assert doubled.indices.shape.as_list() == [None, None]
    assert doubled.values.shape.as_list() == [None]
    assert dense.shape.as_list()[1:] == [2]
    s, d, sp = _run([sums, dense, doubled])
    np.testing.assert_array_equal(s, [3.0, 3.0, 4.0])
    np.testing.assert_array_equal(d, [[1.0, 2.0], [3.0, 0.0], [0.0, 4.0]])
    np.testing.assert_array_equal(sp.indices, [[0, 0], [0, 1], [1, 0], [2, 1]])
    np.testing.assert_array_equal(sp.values, [2.0, 4.0, 6.0, 8.0])
    np.testing.assert_array_equal(sp.dense_shape, [3, 2])


def test_map_fn_over_a_sparse_tensor_with_a_row_left_empty():
    st = tf.SparseTensor([[0, 0], [2, 1]], tf.constant([1, 2]), [3, 3])
    out = tf.map_fn(lambda row: row, st)
    v = _run(out)
    np.testing.assert_array_equal(v.indices, [[0, 0], [2, 1]])
    np.testing.assert_array_equal(v.values, [1, 2])
    np.testing.assert_array_equal(v.dense_shape, [3, 3])


@pytest.mark.parametrize("axis,message", [
    (-3, r"ScanOp: Expected scan axis in the range \[-2, 2\), but got -1"),
    (2, r"ScanOp: Expected scan axis in the range \[-2, 2\), but got 2"),
    ([0], r"ScanOp: axis must be a scalar, not \[1\]"),
])
def test_cumsum_axis_errors_as_tf(axis, message):
    x = tf.constant(np.zeros([2, 5], np.float32))
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        _run(tf.cumsum(x, axis))


def test_exclusive_cumulative_ops_of_an_empty_axis():
    for fn in (tf.cumsum, tf.cumprod):
        for reverse in (False, True):
            out = _run(fn(np.zeros([0, 3], np.float32), 0, exclusive=True, reverse=reverse))
            assert out.shape == (0, 3)


def test_tensor_array_write_of_another_dtype_fails_when_it_runs():
    # TF 2.21 converts with the array's dtype only preferred, logs an error, and the
    # TensorListSetItem fails at run time
    ta = tf.TensorArray(tf.float32, size=2)
    w = ta.write(0, tf.constant([1.0], tf.float64))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Invalid data types; op elements double but list elements float"):
        _run(w.flow)
    w = tf.TensorArray(tf.float32, size=2).write(0, "wrong_type_scalar")
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Invalid data types; op elements string but list elements float"):
        _run(w.flow)
    # a Python or NumPy value converts to the array's dtype
    ta = tf.TensorArray(tf.float32, size=2)
    assert _run(ta.write(0, np.array([1.5, 2.5])).write(1, [3, 4]).stack()).dtype == np.float32
