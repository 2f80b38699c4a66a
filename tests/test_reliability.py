"""Reliability of the runtime (issue 14): scope state after misuse, threads, feeds and failed
runs. Expected behaviour is what TF 2.21 ``tf.compat.v1`` graph mode does (checked with
``disable_eager_execution()``)."""

from __future__ import annotations

import threading
from typing import Any, Callable

import numpy as np
import pytest

import varstore as tf

_IMPROPER = "Improper nesting of variable_scope."
_NESTED = ("Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared "
           "graph, exit the nesting and create a new graph.")


def _where() -> tuple[str, str]:
    return tf.get_variable_scope().name, tf.get_default_graph().get_name_scope()


def _next_scope() -> tuple[str, str]:
    with tf.variable_scope("c"):
        return tf.get_variable("w", [1]).name, tf.constant(1.0).name


# -- scope state survives misuse --------------------------------------------------------------
@pytest.mark.parametrize("form", ["name", "default_name"])
def test_variable_scope_exited_out_of_order_raises_and_can_be_exited_later(form: str) -> None:
    def make(name: str) -> Any:
        return (tf.variable_scope(name) if form == "name"
                else tf.variable_scope(None, default_name=name))

    a, b = make("a"), make("b")
    a.__enter__()
    b.__enter__()
    assert _where() == ("a/b", "a/b")
    # TF: the variable-scope part raises and keeps its state; the name scope is exited anyway
    for _ in range(2):
        with pytest.raises(RuntimeError, match=f"^{_IMPROPER}$"):
            a.__exit__(None, None, None)
        assert _where() == ("a/b", "")
    # still nested: the inner scope is open
    assert _next_scope() == ("a/b/c/w:0", "c/Const:0")
    with pytest.raises(AssertionError, match=r"^Do not use tf\.reset_default_graph"):
        tf.reset_default_graph()
    b.__exit__(None, None, None)
    assert _where() == ("a", "a")
    # a's graph context is already exited, so the graph is no longer nested (as in TF)
    tf.reset_default_graph()
    assert _where() == ("", "")
    assert _next_scope() == ("c/w:0", "c/Const:0")


def test_variable_scope_exited_late_restores_the_root_scope() -> None:
    a, b = tf.variable_scope("a"), tf.variable_scope("b")
    a.__enter__()
    b.__enter__()
    with pytest.raises(RuntimeError, match=f"^{_IMPROPER}$"):
        a.__exit__(None, None, None)
    b.__exit__(None, None, None)
    a.__exit__(None, None, None)  # now properly nested: TF accepts it
    # TF leaves the name scope b restored ('a'), as here
    assert _where() == ("", "a")
    tf.reset_default_graph()
    assert _where() == ("", "")
    assert _next_scope() == ("c/w:0", "c/Const:0")


def test_variable_scope_exited_twice_raises_the_second_time() -> None:
    a, b = tf.variable_scope("a"), tf.variable_scope("b")
    a.__enter__()
    b.__enter__()
    b.__exit__(None, None, None)
    with pytest.raises(RuntimeError, match=f"^{_IMPROPER}$"):
        b.__exit__(None, None, None)
    assert _where() == ("a", "a")
    a.__exit__(None, None, None)
    assert _where() == ("", "")
    tf.reset_default_graph()
    assert _next_scope() == ("c/w:0", "c/Const:0")


def test_mixed_variable_and_name_scopes_exited_out_of_order() -> None:
    v, n = tf.variable_scope("v"), tf.name_scope("n")
    v.__enter__()
    n.__enter__()
    v.__exit__(None, None, None)  # the variable scope is current: TF accepts it
    assert _where() == ("", "")
    n.__exit__(None, None, None)
    assert _where() == ("", "v")
    with pytest.raises(RuntimeError, match=f"^{_IMPROPER}$"):
        v.__exit__(None, None, None)
    tf.reset_default_graph()
    assert _where() == ("", "")
    assert _next_scope() == ("c/w:0", "c/Const:0")


def test_name_scopes_exited_out_of_order_restore_what_each_saw() -> None:
    n1, n2 = tf.name_scope("n1"), tf.name_scope("n2")
    n1.__enter__()
    n2.__enter__()
    n1.__exit__(None, None, None)
    assert _where() == ("", "")
    n2.__exit__(None, None, None)
    assert _where() == ("", "n1")
    assert tf.constant(1.0).name == "n1/Const:0"
    tf.reset_default_graph()
    assert _next_scope() == ("c/w:0", "c/Const:0")


def test_reset_inside_a_variable_scope_raises_and_the_scope_stays_usable() -> None:
    q = tf.variable_scope("q")
    q.__enter__()
    with pytest.raises(AssertionError, match=r"^Do not use tf\.reset_default_graph"):
        tf.reset_default_graph()
    assert _where() == ("q", "q")
    q.__exit__(None, None, None)
    tf.reset_default_graph()
    assert _next_scope() == ("c/w:0", "c/Const:0")


def test_graph_as_default_exited_out_of_order_raises_and_keeps_the_stack() -> None:
    g1, g2 = tf.Graph(), tf.Graph()
    c1, c2 = g1.as_default(), g2.as_default()
    c1.__enter__()
    c2.__enter__()
    with pytest.raises(AssertionError, match=r"^Nesting violated for default stack of "):
        c1.__exit__(None, None, None)
    assert tf.get_default_graph() is g2
    c2.__exit__(None, None, None)
    assert tf.get_default_graph() is g1  # TF leaves g1 on the stack
    with pytest.raises(AssertionError, match=r"^Do not use tf\.reset_default_graph"):
        tf.reset_default_graph()
    assert _next_scope() == ("c/w:0", "c/Const:0")
    # cleanup for the next tests: the stack is this thread's
    from varstore.framework import graph as _graph

    _graph._default_stack().clear()


def test_exception_inside_scopes_leaves_the_root_scope() -> None:
    with pytest.raises(KeyError), tf.variable_scope("x"), tf.name_scope("y"):
        raise KeyError("boom")
    assert _where() == ("", "")
    tf.reset_default_graph()
    assert _next_scope() == ("c/w:0", "c/Const:0")


# -- threads ------------------------------------------------------------------------------------
def _run_threads(target: Callable[[int], Any], n: int, timeout: float = 10.0) -> list[Any]:
    results: list[Any] = [None] * n
    errors: list[BaseException] = []
    barrier = threading.Barrier(n)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = target(i)
        except BaseException as exc:  # noqa: BLE001 # pragma: no cover - only on failure
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
        assert not t.is_alive(), "a worker did not finish in time"
    if errors:
        raise errors[0]
    return results


def test_new_thread_has_its_own_default_graph() -> None:
    main = tf.get_default_graph()
    seen = _run_threads(lambda i: tf.get_default_graph(), 2)
    assert seen[0] is not main and seen[1] is not main and seen[0] is not seen[1]
    assert tf.get_default_graph() is main


def test_one_session_run_from_8_threads_with_own_feeds() -> None:
    x = tf.placeholder(tf.float32, [None, 4])
    w = tf.get_variable("w", [4, 3], initializer=tf.ones_initializer())
    y = tf.nn.relu(tf.matmul(x, w) - 1.0)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())

    def work(i: int) -> int:
        rng = np.random.default_rng(i)
        for _ in range(200):
            feed = rng.standard_normal((int(rng.integers(1, 6)), 4)).astype(np.float32)
            got = sess.run(y, {x: feed})
            want = np.maximum(feed.sum(1, keepdims=True).repeat(3, 1) - 1.0, 0)
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
        return 200

    assert sum(_run_threads(work, 8)) == 1600


def test_concurrent_assign_add_loses_no_update() -> None:
    v = tf.get_variable("counter", [3], initializer=tf.zeros_initializer())
    inc = v.assign_add(np.ones(3, np.float32))
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    n_threads, n = 8, 300

    def work(i: int) -> None:
        for _ in range(n):
            sess.run(inc.op)

    _run_threads(work, n_threads)
    np.testing.assert_array_equal(sess.run(v), np.full(3, n_threads * n, np.float32))


def test_read_racing_assign_sees_old_or_new_never_a_mix() -> None:
    size = 1 << 16
    v = tf.get_variable("big", [size], initializer=tf.zeros_initializer())
    value = tf.placeholder(tf.float32, [size])
    assign = v.assign(value)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    stop = threading.Event()
    fills = [np.full(size, float(k), np.float32) for k in range(4)]

    def write(_: int) -> None:
        k = 0
        while not stop.is_set():
            sess.run(assign.op, {value: fills[k % 4]})
            k += 1

    def read(i: int) -> int:
        try:
            for r in range(300):
                kind = (i + r) % 3
                if kind == 0:
                    got = np.array(np.asarray(v), copy=True)
                elif kind == 1:
                    got = v.numpy()
                else:
                    got = sess.run(v)
                assert got.min() == got.max(), "a read saw a mix of two assignments"
        finally:
            stop.set()
        return 300

    writer = threading.Thread(target=write, args=(0,))
    writer.start()
    try:
        assert sum(_run_threads(read, 3)) == 900
    finally:
        stop.set()
        writer.join(timeout=10)
    assert not writer.is_alive()


# -- feeds and failed runs ------------------------------------------------------------------
def test_wrong_feeds_raise_tf_errors_and_the_session_keeps_working() -> None:
    pf = tf.placeholder(tf.float32, [None, 3], name="pf")
    y = pf * 2.0
    v = tf.get_variable("v", [2], initializer=tf.ones_initializer())
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    bad: list[tuple[Any, type[BaseException], str]] = [
        (np.ones((2, 2), np.float32), ValueError,
         r"^Cannot feed value of shape \(2, 2\) for Tensor pf:0, which has shape \(None, 3\)$"),
        (np.ones(3, np.float32), ValueError, r"^Cannot feed value of shape \(3,\)"),
        ([[1.0, 2.0, 3.0], [1.0]], ValueError, "inhomogeneous"),
        ([["a", "b", "c"]], ValueError, "could not convert string to float"),
        (np.array([[object(), 1, 2]], dtype=object), TypeError,
         r"float\(\) argument must be a string or a real number, not 'object'"),
        ({"a": 1}, TypeError, "not 'dict'"),
        (None, ValueError, r"^Cannot feed value of shape \(\)"),
    ]
    for feed, exc, pattern in bad:
        with pytest.raises(exc, match=pattern):
            sess.run(y, {pf: feed})
        np.testing.assert_array_equal(sess.run(y, {pf: np.ones((1, 3), np.float32)}),
                                      np.full((1, 3), 2.0, np.float32))
        np.testing.assert_array_equal(sess.run(v), np.ones(2, np.float32))


def test_float_feed_into_int_placeholder_is_cast_as_tf() -> None:
    pi = tf.placeholder(tf.int32, [None, 2])
    sess = tf.Session()
    np.testing.assert_array_equal(sess.run(pi * 2, {pi: [[1.5, 2.0]]}), [[2, 4]])
    np.testing.assert_array_equal(sess.run(pi * 2, {pi: np.array([[True, False]])}), [[2, 0]])


def test_kernel_failing_mid_run_names_the_op_and_changes_nothing() -> None:
    pu = tf.placeholder(tf.float32, None, name="pu")
    pf = tf.placeholder(tf.float32, [None, 3], name="pf")
    v = tf.get_variable("v", [2], initializer=tf.ones_initializer())
    mm = tf.matmul(tf.reshape(pu, [2, -1]), pf, name="mm")
    update = tf.assign(v, tf.reshape(pu, [2], name="to2") * 3.0)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Matrix size-incompatible: In\[0\]: \[2,2\], In\[1\]: \[3,3\]"
                       r"(.|\n)*\{\{node mm\}\}") as info:
        sess.run(mm, {pu: np.ones(4, np.float32), pf: np.ones((3, 3), np.float32)})
    assert info.value.op is not None and info.value.op.name == "mm"
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Input to reshape is a tensor with 3 values, but the requested "
                       r"shape has 2(.|\n)*\{\{node to2\}\}"):
        sess.run(update, {pu: np.ones(3, np.float32)})
    np.testing.assert_array_equal(sess.run(v), np.ones(2, np.float32))
    # the same plans run again with good feeds
    assert sess.run(mm, {pu: np.ones(6, np.float32), pf: np.ones((3, 3), np.float32)}).shape \
        == (2, 3)
    sess.run(update, {pu: np.full(2, 2.0, np.float32)})
    np.testing.assert_array_equal(sess.run(v), np.full(2, 6.0, np.float32))
