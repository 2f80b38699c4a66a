"""MonitoredSession failure paths: an error in a run propagates without the hooks' end(),
the graph is unfinalized again, a NaN loss stops training, OutOfRangeError ends the loop."""

from __future__ import annotations

import glob

import numpy as np
import pytest

import varstore as tf


def test_error_in_run_propagates_and_unfinalizes():
    x = tf.placeholder(tf.float32, name="x_in")
    y = x + 1.0
    ended = []

    class Hook(tf.train.SessionRunHook):
        def end(self, session):
            ended.append(True)

    with pytest.raises(tf.errors.InvalidArgumentError, match="x_in"):
        with tf.train.MonitoredSession(hooks=[Hook()]) as sess:
            sess.run(y)
    assert ended == []
    assert not tf.get_default_graph().finalized
    tf.constant(1.0)  # the graph takes ops again


def test_nan_loss_raises():
    loss = tf.constant(np.nan)
    gs = tf.train.get_or_create_global_step()
    step = tf.assign_add(gs, 1)
    with pytest.raises(tf.train.NanLossDuringTrainingError):
        with tf.train.MonitoredTrainingSession(hooks=[tf.train.NanTensorHook(loss)]) as sess:
            sess.run([loss, step])


def test_out_of_range_ends_the_loop_cleanly():
    v = tf.get_variable("v", [], initializer=tf.zeros_initializer())
    inc = tf.assign_add(v, 1.0)

    def stop_after_three():
        raise tf.errors.OutOfRangeError(None, None, "End of sequence")

    done = []
    with tf.train.SingularMonitoredSession() as sess:
        while not sess.should_stop():
            if sess.run(inc) >= 3.0:
                try:
                    stop_after_three()
                except tf.errors.OutOfRangeError:
                    done.append(True)
                    raise
    assert done == [True]


def test_run_after_stop_and_feed_conflicts():
    a = tf.placeholder(tf.float32)

    class Feeder(tf.train.SessionRunHook):
        def before_run(self, run_context):
            return tf.train.SessionRunArgs(None, {a: 1.0})

    b = a * 2.0
    with tf.train.MonitoredSession(hooks=[Feeder()]) as sess:
        assert sess.run(b) == 2.0
        with pytest.raises(RuntimeError, match="fed by a SessionRunHook and user"):
            sess.run(a, {a: 3.0})


def test_summaries_and_graph_written(tmp_path):
    loss = tf.placeholder_with_default(2.0, [])
    tf.summary.scalar("loss", loss)
    gs = tf.train.get_or_create_global_step()
    step = tf.assign_add(gs, 1)
    with tf.train.MonitoredTrainingSession(checkpoint_dir=str(tmp_path),
                                           save_summaries_steps=1,
                                           hooks=[tf.train.StopAtStepHook(3)]) as sess:
        while not sess.should_stop():
            sess.run(step)
    from varstore.summary.writer import FileWriterCache
    FileWriterCache.get(str(tmp_path)).flush()
    assert glob.glob(str(tmp_path / "events.out.tfevents.*"))
    assert (tmp_path / "graph.pbtxt").exists()
    assert tf.train.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-3")
    FileWriterCache.clear()
