"""tf.while_loop beyond the golden set: stateful bodies run on every iteration, control
dependencies, errors inside the body, loops inside conds, and TensorArray misuse."""

import numpy as np
import pytest

import varstore as tf


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()


def test_random_draws_are_new_on_every_iteration_and_run():
    def body(i, acc):
        return i + 1, acc.write(i, tf.random_uniform([]))

    _, ta = tf.while_loop(lambda i, acc: i < 5, body,
                          [0, tf.TensorArray(tf.float32, size=5)])
    out = ta.stack()
    op = tf.get_default_graph().get_operation_by_name("while")
    assert op.type == "While"  # a stateful body, as TF marks it
    with tf.Session() as s:
        a, b = s.run(out), s.run(out)
    assert len(set(a.tolist())) == 5
    assert not np.array_equal(a, b)


def test_assign_add_in_the_body_runs_once_per_iteration():
    v = tf.Variable(0.0)

    def body(i):
        with tf.control_dependencies([tf.assign_add(v, 2.0)]):
            return i + 1

    n = tf.while_loop(lambda i: i < 4, body, [0])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        assert s.run(n) == 4
        assert s.run(v) == 8.0
        s.run(n)
        assert s.run(v) == 16.0


def test_outer_control_dependency_gates_the_loop_not_each_iteration():
    v = tf.Variable(1.0)
    inc = tf.assign_add(v, 1.0)

    def body(x):
        with tf.control_dependencies([inc]):
            return x + 1.0

    out = tf.while_loop(lambda x: x < 3.0, body, [tf.constant(0.0)])
    assert inc.op in tf.get_default_graph().get_operation_by_name("while").control_inputs
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        assert s.run(out) == 3.0
        assert s.run(v) == 2.0  # once per run, as TF


def test_error_inside_the_body_names_the_op_and_changes_nothing():
    v = tf.Variable([1.0, 2.0])
    idx = tf.placeholder(tf.int32, [])

    def body(i, x):
        return i + 1, x + tf.gather(v, idx)

    out = tf.while_loop(lambda i, x: i < 3, body, [0, tf.constant(0.0)])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        assert s.run(out, {idx: 1})[1] == 6.0
        with pytest.raises(tf.errors.InvalidArgumentError, match="Gather"):
            s.run(out, {idx: 7})
        assert s.run(v).tolist() == [1.0, 2.0]
        assert s.run(out, {idx: 0})[1] == 3.0


def test_unfed_placeholder_read_by_the_body_is_reported():
    x = tf.placeholder(tf.float32, [2], name="x")
    out = tf.while_loop(lambda i, a: i < 2, lambda i, a: (i + 1, a + x), [0, tf.zeros([2])])
    with tf.Session() as s, pytest.raises(tf.errors.InvalidArgumentError,
                                          match="must feed a value for placeholder tensor 'x'"):
        s.run(out)


def test_loop_inside_a_cond_and_its_gradient():
    p = tf.placeholder(tf.bool, [])
    w = tf.Variable(2.0)

    def power():
        return tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, x * w),
                             [0, tf.constant(1.0)])[1]

    y = tf.cond(p, power, lambda: w + 1.0)
    g = tf.gradients(y, w)[0]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        assert s.run([y, g], {p: True}) == [8.0, 12.0]
        assert s.run([y, g], {p: False}) == [3.0, 1.0]


def test_gradient_of_a_loop_that_runs_no_iteration():
    w = tf.Variable([1.0, 2.0])
    n = tf.placeholder(tf.int32, [])
    out = tf.while_loop(lambda i, x: i < n, lambda i, x: (i + 1, x * w),
                        [0, tf.ones([2])])[1]
    gw, = tf.gradients(tf.reduce_sum(out), w)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        assert s.run(gw, {n: 0}).tolist() == [0.0, 0.0]
        assert s.run(gw, {n: 2}).tolist() == [2.0, 4.0]


def test_second_derivative_through_a_loop_is_refused_by_name():
    w = tf.Variable(2.0)
    out = tf.while_loop(lambda i, x: i < 2, lambda i, x: (i + 1, x * w), [0, tf.constant(1.0)])
    g = tf.gradients(out[1], w)[0]
    with pytest.raises(LookupError, match="while loop"):
        tf.gradients(g, w)


def test_tensor_array_errors():
    with pytest.raises(ValueError, match="Argument `size` must be provided"):
        tf.TensorArray(tf.float32)
    ta = tf.TensorArray(tf.float32, size=2)
    ta = ta.write(0, [1.0, 2.0])
    with pytest.raises(ValueError, match="Inconsistent shapes"):
        ta.write(1, [1.0, 2.0, 3.0])
    out = ta.write(3, [0.0, 0.0]).stack()
    with tf.Session() as s, pytest.raises(tf.errors.InvalidArgumentError,
                                          match="element 3 in a list with 2 elements"):
        s.run(out)


def test_unwritten_elements_stack_as_zeros():
    ta = tf.TensorArray(tf.float32, size=3, element_shape=[2]).write(1, [5.0, 6.0])
    with tf.Session() as s:
        assert s.run(ta.stack()).tolist() == [[0.0, 0.0], [5.0, 6.0], [0.0, 0.0]]
        assert s.run(ta.read(2)).tolist() == [0.0, 0.0]


def test_back_prop_false_stops_the_gradient():
    w = tf.Variable(2.0)
    out = tf.while_loop(lambda i, x: i < 2, lambda i, x: (i + 1, x * w), [0, tf.constant(1.0)],
                        back_prop=False)
    assert tf.gradients(out[1], w) == [None]
