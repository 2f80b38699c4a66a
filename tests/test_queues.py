"""Queues, queue runners and queue-based input pipelines: blocking (always bounded here: every
run that may block has a RunOptions timeout, every thread a join timeout), close and cancel
semantics, per-session state, errors, thread safety, and full pipelines that train until the
input ends with OutOfRangeError."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import varstore as tf

JOIN = 30.0
LONG = tf.RunOptions(timeout_in_ms=30_000)  # a bound for runs that should not block long


def _start(fn: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    """Runs ``fn`` in a daemon thread; its result or exception lands in the list."""
    out: list[Any] = []

    def run() -> None:
        try:
            out.append(fn())
        except BaseException as e:  # noqa: BLE001 - handed to the test
            out.append(e)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t, out


def _wait_for(pred: Callable[[], bool]) -> None:
    deadline = time.monotonic() + JOIN
    while not pred():
        assert time.monotonic() < deadline, "condition never held"
        time.sleep(0.002)


def _joined(t: threading.Thread) -> None:
    t.join(JOIN)
    assert not t.is_alive(), "thread did not finish"


# -- blocking ---------------------------------------------------------------------------------
def test_dequeue_on_empty_queue_blocks_until_an_enqueue() -> None:
    q = tf.FIFOQueue(3, tf.int32, shapes=[[]])
    d, e = q.dequeue(), q.enqueue(7)
    with tf.Session() as s:
        t, out = _start(lambda: s.run(d, options=LONG))
        time.sleep(0.05)
        assert t.is_alive() and not out  # blocked
        s.run(e)
        _joined(t)
        assert out == [7]


def test_dequeue_blocked_on_open_queue_ends_with_out_of_range_when_closed() -> None:
    q = tf.FIFOQueue(3, tf.int32, shapes=[[]])
    d = q.dequeue()
    with tf.Session() as s:
        t, out = _start(lambda: s.run(d, options=LONG))
        time.sleep(0.05)
        s.run(q.close())
        _joined(t)
    assert isinstance(out[0], tf.errors.OutOfRangeError)
    assert "is closed and has insufficient elements (requested 1, current size 0)" in \
        out[0].message
    assert out[0].op is d.op


def test_enqueue_on_full_queue_blocks_until_a_dequeue() -> None:
    q = tf.FIFOQueue(1, tf.int32, shapes=[[]])
    e, d = q.enqueue(1), q.dequeue()
    with tf.Session() as s:
        s.run(e)
        t, out = _start(lambda: s.run(e, options=LONG))
        time.sleep(0.05)
        assert t.is_alive()
        assert s.run(d) == 1
        _joined(t)
        assert out == [None]
        assert s.run(q.size()) == 1


def test_run_timeout_is_deadline_exceeded_and_bounded() -> None:
    q = tf.FIFOQueue(3, tf.int32, shapes=[[]])
    d = q.dequeue()
    with tf.Session() as s:
        start = time.monotonic()
        with pytest.raises(tf.errors.DeadlineExceededError,
                           match="^Timed out waiting for notification$"):
            s.run(d, options=tf.RunOptions(timeout_in_ms=50))
        assert 0.04 < time.monotonic() - start < 5
        # the abandoned request is gone: a later enqueue feeds a later dequeue
        s.run(q.enqueue(3))
        assert s.run(d, options=LONG) == 3


def test_operation_timeout_in_ms_applies_to_every_run_and_callable() -> None:
    q = tf.FIFOQueue(3, tf.int32, shapes=[[]])
    d = q.dequeue()
    with tf.Session(config=tf.ConfigProto(operation_timeout_in_ms=50)) as s:
        with pytest.raises(tf.errors.DeadlineExceededError):
            s.run(d)
        with pytest.raises(tf.errors.DeadlineExceededError):
            s.make_callable(d)()


def test_timed_out_dequeue_many_loses_what_it_took_as_in_tf() -> None:
    q = tf.FIFOQueue(5, tf.int32, shapes=[[]])
    with tf.Session() as s:
        s.run(q.enqueue_many([[1, 2]]))
        with pytest.raises(tf.errors.DeadlineExceededError):
            s.run(q.dequeue_many(3), options=tf.RunOptions(timeout_in_ms=50))
        assert s.run(q.size()) == 0


def test_session_close_cancels_blocked_runs() -> None:
    q = tf.FIFOQueue(1, tf.int32, shapes=[[]])
    full = tf.FIFOQueue(2, tf.int32, shapes=[[]])
    d, e = q.dequeue_many(2), q.enqueue(1)
    em = full.enqueue_many([[1, 2, 3]])
    s = tf.Session()
    s.run(e)
    t1, out1 = _start(lambda: s.run(d, options=LONG))
    _wait_for(lambda: s.run(q.size()) == 0)  # holding the element, waiting for another
    t2, out2 = _start(lambda: s.run(em, options=LONG))
    _wait_for(lambda: s.run(full.size()) == 2)  # enqueued what fitted, waiting for room
    s.close()
    _joined(t1)
    _joined(t2)
    assert isinstance(out1[0], tf.errors.CancelledError)
    assert out1[0].message.startswith("Dequeue operation was cancelled")
    assert isinstance(out2[0], tf.errors.CancelledError)
    assert out2[0].message.startswith("Enqueue operation was cancelled")
    with pytest.raises(RuntimeError, match="Attempted to use a closed Session."):
        s.run(d)


# -- close semantics ------------------------------------------------------------------------
def test_close_then_drain_then_out_of_range() -> None:
    q = tf.FIFOQueue(5, tf.int32, shapes=[[]])
    with tf.Session() as s:
        s.run(q.enqueue_many([[1, 2, 3]]))
        s.run(q.close())
        assert s.run(q.is_closed())
        with pytest.raises(tf.errors.CancelledError, match="is closed."):
            s.run(q.enqueue(4))
        with pytest.raises(tf.errors.OutOfRangeError, match=r"\(requested 5, current size 3\)"):
            s.run(q.dequeue_many(5))
        assert s.run(q.dequeue_up_to(5)).tolist() == [1, 2, 3]
        with pytest.raises(tf.errors.OutOfRangeError):
            s.run(q.dequeue_up_to(5))
        with pytest.raises(tf.errors.CancelledError, match="is already closed."):
            s.run(q.close())
        s.run(q.close(cancel_pending_enqueues=True))  # no error when already closed


def test_close_waits_behind_pending_enqueues_and_cancel_fails_them() -> None:
    q = tf.FIFOQueue(2, tf.int32, shapes=[[]])
    size = q.size()
    em = q.enqueue_many([[1, 2, 3, 4]])
    close = q.close()
    with tf.Session() as s:
        t, out = _start(lambda: s.run(em, options=LONG))
        _wait_for(lambda: s.run(size) == 2)  # it enqueued what fitted
        tc, outc = _start(lambda: s.run(close, options=LONG))
        time.sleep(0.05)
        assert not s.run(q.is_closed()) and not outc
        assert s.run(q.dequeue_many(2)).tolist() == [1, 2]
        _joined(t)
        _joined(tc)
        assert out == [None] and outc == [None] and s.run(q.is_closed())
        assert s.run(q.dequeue_up_to(9)).tolist() == [3, 4]
    with tf.Session() as s:
        t, out = _start(lambda: s.run(em, options=LONG))
        _wait_for(lambda: s.run(size) == 2)
        s.run(q.close(cancel_pending_enqueues=True))
        _joined(t)
        assert isinstance(out[0], tf.errors.CancelledError)
        assert out[0].message.startswith("Enqueue operation was cancelled")
        assert s.run(size) == 2


def test_each_session_has_its_own_queue() -> None:
    q = tf.FIFOQueue(5, tf.int32, shapes=[[]])
    with tf.Session() as a, tf.Session() as b:
        a.run(q.enqueue_many([[1, 2]]))
        assert a.run(q.size()) == 2 and b.run(q.size()) == 0


# -- the queue kinds ------------------------------------------------------------------------
def test_random_shuffle_queue_keeps_min_after_dequeue_until_closed() -> None:
    q = tf.RandomShuffleQueue(10, 3, tf.int32, shapes=[[]], seed=7)
    with tf.Session() as s:
        s.run(q.enqueue_many([list(range(5))]))
        got = [s.run(q.dequeue()), s.run(q.dequeue())]
        with pytest.raises(tf.errors.DeadlineExceededError):
            s.run(q.dequeue(), options=tf.RunOptions(timeout_in_ms=30))
        s.run(q.close())
        got += s.run(q.dequeue_up_to(10)).tolist()
    assert got == [2, 3, 1, 0, 4]  # TF's Philox draws for seed 7
    assert sorted(got) == list(range(5))


def test_random_shuffle_queue_without_seeds_draws_every_element_once() -> None:
    q = tf.RandomShuffleQueue(100, 0, tf.int32, shapes=[[]])
    with tf.Session() as s:
        s.run(q.enqueue_many([list(range(50))]))
        assert sorted(s.run(q.dequeue_many(50)).tolist()) == list(range(50))


def test_priority_queue_orders_by_priority_then_as_tf_breaks_ties() -> None:
    q = tf.PriorityQueue(10, [tf.string], shapes=[[]])
    with tf.Session() as s:
        s.run(q.enqueue_many([[3, 1, 2, 1], [b"c", b"a", b"b", b"a2"]]))
        p, v = s.run(q.dequeue_many(4))
    assert p.tolist() == [1, 1, 2, 3] and v.tolist() == [b"a", b"a2", b"b", b"c"]


def test_padding_fifo_queue_pads_each_batch_to_its_longest() -> None:
    q = tf.PaddingFIFOQueue(5, [tf.int32, tf.string], shapes=[[None], [None]])
    with tf.Session() as s:
        s.run(q.enqueue(([1], [b"x"])))
        s.run(q.enqueue(([1, 2, 3], [b"x", b"y"])))
        a, b = s.run(q.dequeue_many(2))
    assert a.tolist() == [[1, 0, 0], [1, 2, 3]]
    assert b.tolist() == [[b"x", b""], [b"x", b"y"]]


def test_names_give_dicts_and_from_list_picks_a_queue_when_run() -> None:
    q = tf.FIFOQueue(4, [tf.int32, tf.float32], shapes=[[2], []], names=["a", "b"])
    q1 = tf.FIFOQueue(3, tf.int32, shapes=[[]])
    q2 = tf.FIFOQueue(3, tf.int32, shapes=[[]])
    i = tf.placeholder(tf.int32, [])
    chosen = tf.QueueBase.from_list(i, [q1, q2])
    with tf.Session() as s:
        s.run(q.enqueue({"a": [1, 2], "b": 0.5}))
        got = s.run(q.dequeue())
        s.run(chosen.enqueue(5), {i: 1})
        sizes = s.run([q1.size(), q2.size()])
    assert sorted(got) == ["a", "b"] and got["a"].tolist() == [1, 2]
    assert sizes == [0, 1]


def test_run_time_and_build_time_errors() -> None:
    q = tf.FIFOQueue(3, tf.int32, shapes=[[]])
    with pytest.raises(ValueError, match=r"Shapes \(2,\) and \(\) are incompatible"):
        q.enqueue([[1, 2]])
    with pytest.raises(ValueError, match="Input 'n' must be >= 0, but is -1"):
        q.dequeue_many(-1)
    with pytest.raises(ValueError, match="You must enqueue a dictionary"):
        tf.FIFOQueue(3, [tf.int32], names=["a"]).enqueue(1)
    p = tf.placeholder(tf.int32)
    unshaped = tf.FIFOQueue(3, tf.int32)
    with tf.Session() as s:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Shape mismatch in tuple component 0. Expected \[\], got \[2\]"):
            s.run(q.enqueue(p), {p: [1, 2]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="require the components"):
            s.run(unshaped.dequeue_many(1))
        with pytest.raises(tf.errors.InvalidArgumentError, match="must be < capacity 3"):
            s.run(tf.RandomShuffleQueue(3, 3, tf.int32).size())


def test_many_producers_and_consumers_deliver_each_element_exactly_once() -> None:
    q = tf.FIFOQueue(7, tf.int32, shapes=[[]])
    v = tf.placeholder(tf.int32, [None])
    em, dm = q.enqueue_many([v]), q.dequeue_many(5)
    n_prod, per = 4, 50
    with tf.Session() as s:
        producers = [_start(lambda k=k: [s.run(em, {v: np.arange(per) + 1000 * k},
                                               options=LONG) for _ in range(1)])
                     for k in range(n_prod)]
        consumers = [_start(lambda: [s.run(dm, options=LONG).tolist() for _ in range(20)])
                     for _ in range(2)]
        for t, _ in producers + consumers:
            _joined(t)
        for _, out in producers + consumers:
            assert not isinstance(out[0], BaseException), out[0]
    got = sorted(x for _, out in consumers for batch in out[0] for x in batch)
    assert got == sorted(1000 * k + i for k in range(n_prod) for i in range(per))


# -- queue runners and pipelines ------------------------------------------------------------
def test_producer_shuffle_batch_train_loop_ends_on_out_of_range() -> None:
    rng = np.random.RandomState(0)
    xs = rng.randn(40, 3).astype(np.float32)
    w_true = np.array([[1.0], [-2.0], [0.5]], np.float32)
    ys = xs @ w_true
    x, y = tf.train.slice_input_producer([xs, ys], num_epochs=5, shuffle=True, seed=1)
    bx, by = tf.train.shuffle_batch([x, y], batch_size=8, capacity=30, min_after_dequeue=10,
                                    seed=2, num_threads=2)
    w = tf.get_variable("w", [3, 1], initializer=tf.zeros_initializer())
    loss = tf.reduce_mean(tf.square(tf.matmul(bx, w) - by))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    losses = []
    with tf.Session() as s:
        s.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=s, coord=coord)
        assert len(threads) == 5  # 1 + 2 enqueue threads, one closer per queue
        try:
            while not coord.should_stop():
                _, l = s.run([train, loss], options=LONG)
                losses.append(float(l))
        except tf.errors.OutOfRangeError:
            coord.request_stop()
        coord.join(threads, stop_grace_period_secs=JOIN)
        assert not any(t.is_alive() for t in threads)
        w_learnt = s.run(w)
    assert len(losses) == 40 * 5 // 8  # every full batch, then OutOfRangeError
    assert losses[-1] < 0.05 * losses[0]
    np.testing.assert_allclose(w_learnt, w_true, atol=0.1)


def test_queue_runner_reports_errors_to_the_coordinator() -> None:
    q = tf.FIFOQueue(3, tf.float32, shapes=[[]])
    bad = tf.placeholder_with_default(tf.constant([1.0, 2.0]), None)
    qr = tf.train.QueueRunner(q, [q.enqueue(bad)])  # a vector into a queue of scalars
    tf.train.add_queue_runner(qr)
    assert tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS) == [qr]
    with tf.Session() as s:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(s, coord)
        with pytest.raises(tf.errors.InvalidArgumentError, match="Shape mismatch"):
            coord.join(threads, stop_grace_period_secs=JOIN)
        assert not any(t.is_alive() for t in threads)


def test_queue_runner_without_coordinator_keeps_its_exceptions() -> None:
    q = tf.FIFOQueue(3, tf.float32, shapes=[[]])
    bad = tf.placeholder_with_default(tf.constant([1.0, 2.0]), None)
    qr = tf.train.QueueRunner(q, [q.enqueue(bad)])
    with tf.Session() as s:
        threads = qr.create_threads(s, start=False)
        # the thread re-raises (as TF's): run its body here to catch it
        with pytest.raises(tf.errors.InvalidArgumentError):
            qr._run(s, qr.enqueue_ops[0])
        assert len(threads) == 1 and not threads[0].is_alive()
        assert [type(e) for e in qr.exceptions_raised] == [tf.errors.InvalidArgumentError]


def test_the_last_runner_thread_closes_the_queue_when_the_input_ends() -> None:
    r = tf.train.range_input_producer(4, num_epochs=1, shuffle=False, capacity=2)
    d = r.dequeue()
    with tf.Session() as s:
        s.run(tf.local_variables_initializer())
        threads = tf.train.start_queue_runners(s)  # no coordinator
        got = [s.run(d, options=LONG) for _ in range(4)]
        with pytest.raises(tf.errors.OutOfRangeError):
            s.run(d, options=LONG)
        for t in threads:
            _joined(t)
    assert got == [0, 1, 2, 3]


def test_monitored_training_session_runs_the_queue_runners_and_stops_them() -> None:
    r = tf.train.range_input_producer(7, num_epochs=2, shuffle=False).dequeue()
    b = tf.train.batch([r], 3, allow_smaller_final_batch=True)
    got = []
    with tf.train.MonitoredTrainingSession() as sess:
        while not sess.should_stop():
            got.extend(sess.run(b, options=LONG).tolist())
    assert got == list(range(7)) * 2
    runner_threads = [t for t in threading.enumerate() if t.name.startswith("QueueRunnerThread")]
    deadline = time.monotonic() + JOIN
    while any(t.is_alive() for t in runner_threads) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not any(t.is_alive() for t in runner_threads)


def test_start_queue_runners_needs_a_session() -> None:
    with pytest.raises(ValueError, match="No default session is registered"):
        tf.train.start_queue_runners()
    with pytest.raises(TypeError, match="sess must be a `tf.Session` object"):
        tf.train.start_queue_runners(sess=object())


# -- the coordinator ------------------------------------------------------------------------
def test_coordinator_reports_the_first_error_before_the_stop_only() -> None:
    coord = tf.train.Coordinator()
    coord.request_stop(tf.errors.OutOfRangeError(None, None, "end"))  # a clean stop
    coord.join()
    coord.clear_stop()
    try:
        raise ValueError("first")
    except ValueError as e:
        coord.request_stop(e)
    coord.request_stop(ValueError("second"))  # after the stop: dropped, as in TF
    with pytest.raises(ValueError, match="first"):
        coord.join()
    with pytest.raises(ValueError, match="late"):
        coord.request_stop(ValueError("late"))  # after join: raised here


def test_count_up_to_counts_and_stops() -> None:
    v = tf.Variable(0, dtype=tf.int64)
    c = v.count_up_to(2)
    assert c.op.type == "ResourceCountUpTo"
    with tf.Session() as s:
        s.run(v.initializer)
        assert [s.run(c), s.run(c)] == [0, 1]
        with pytest.raises(tf.errors.OutOfRangeError, match="Reached limit of 2"):
            s.run(c)
    tf.disable_resource_variables()
    try:
        r = tf.Variable(0)
        cr = tf.count_up_to(r, 1)
        assert cr.op.type == "CountUpTo"
        with tf.Session() as s:
            s.run(r.initializer)
            assert s.run(cr) == 0
            with pytest.raises(tf.errors.OutOfRangeError):
                s.run(cr)
    finally:
        tf.enable_resource_variables()
