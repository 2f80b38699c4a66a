"""tf.GradientTape in graph mode beyond the golden 'tape' set: what is recorded (only ops
built in the tape's context, on its thread, in its graph), and the tape's life cycle."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import varstore as tf


def test_only_ops_built_inside_the_context_are_recorded() -> None:
    with tf.Graph().as_default():
        x = tf.constant([1.0, 2.0])
        y_outside = x * 3.0
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        total = y + y_outside  # built after the context: not recorded
        assert tape.gradient(total, x) is None
        with tf.GradientTape() as tape2:
            tape2.watch(x)
            z = x * x + y_outside
        g = tape2.gradient(z, x)
        assert tf.Session().run(g).tolist() == [2.0, 4.0]


def test_another_thread_does_not_record_on_this_tape() -> None:
    g = tf.Graph()
    with g.as_default():
        x = tf.constant([1.0, 2.0])
        built: list[object] = []

        def other() -> None:
            with g.as_default():
                built.append(x * 5.0)

        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            t = threading.Thread(target=other)
            t.start()
            t.join()
            mine = x * 2.0
        assert tape.gradient(built[0], x) is None
        assert tf.Session().run(tape.gradient(mine, x)).tolist() == [2.0, 2.0]


def test_non_persistent_tape_is_used_once_and_can_be_entered_again() -> None:
    with tf.Graph().as_default():
        v = tf.Variable(np.float32(3.0), name="v")
        tape = tf.GradientTape()
        with tape:
            y = v * v
        g = tape.gradient(y, v)
        with pytest.raises(RuntimeError, match="non-persistent GradientTape"):
            tape.gradient(y, v)
        assert [w.name for w in tape.watched_variables()] == ["v:0"]
        with tape:  # a fresh recording
            y2 = v * 4.0
        g2 = tape.gradient(y2, v)
        with tf.Session() as s:
            s.run(v.initializer)
            assert s.run([g, g2]) == [6.0, 4.0]


def test_variables_not_read_in_the_tape_and_untrainable_ones_are_not_watched() -> None:
    with tf.Graph().as_default():
        v = tf.Variable(2.0, name="v")
        u = tf.Variable(2.0, name="u", trainable=False)
        read_before = v.read_value()
        with tf.GradientTape() as tape:
            y = read_before * u
        assert tape.watched_variables() == ()
        assert tape.gradient(y, [v, u]) == [None, None]
        with tf.GradientTape(watch_accessed_variables=False) as t2:
            t2.watch(u)
            y2 = u * v
        assert [w.name for w in t2.watched_variables()] == ["u:0"]
        gu, gv = t2.gradient(y2, [u, v])
        assert gv is None
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            assert s.run(gu) == 2.0


def test_watch_rejects_non_tensors_and_targets_must_be_given() -> None:
    with tf.Graph().as_default():
        with tf.GradientTape() as tape:
            with pytest.raises(ValueError, match="Passed in object 3 of type 'int'"):
                tape.watch(3)
            with pytest.raises(ValueError, match="Passed in object"):
                tape.watch([tf.constant(1.0), "a"])
        with pytest.raises(TypeError, match="Argument `target`"):
            tape.gradient(None, [])
