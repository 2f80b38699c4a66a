"""The rarer tf.train pieces: AdagradDA's kernels against NumPy written from TF's C++,
Supervisor's service threads and stop paths, SessionManager's waits, device functions
nested with device strings, ClusterSpec / Server, checkpoint iteration, warm_start."""

from __future__ import annotations

import glob
import os
import threading
import time

import numpy as np
import pytest

import varstore as tf

pytest.importorskip("tensorboardX")


# -- AdagradDA ----------------------------------------------------------------------------
def _da_dense(var, ga, gg, g, lr, l1, l2, gs):
    ga = ga + g
    gg = gg + g * g
    den = l2 * (gs * lr) + np.sqrt(gg)
    if l1 > 0:
        return -lr * np.sign(ga) * np.maximum(np.abs(ga) - gs * l1, 0) / den, ga, gg
    return -lr * ga / den, ga, gg


@pytest.mark.parametrize("use_resource", [True, False])
def test_adagrad_da_dense_matches_tf_formula(use_resource):
    gs = tf.train.get_or_create_global_step()
    init = np.array([[0.5, -1.0], [2.0, 0.25]])
    w = tf.get_variable("w", initializer=tf.constant(init), use_resource=use_resource)
    g = tf.placeholder(tf.float64, [2, 2])
    opt = tf.train.AdagradDAOptimizer(0.2, gs, initial_gradient_squared_accumulator_value=0.3,
                                      l1_regularization_strength=0.01,
                                      l2_regularization_strength=0.05)
    train = opt.apply_gradients([(g, w)], global_step=gs)
    types = {o.type for o in tf.get_default_graph().get_operations()}
    assert ("ResourceApplyAdagradDA" if use_resource else "ApplyAdagradDA") in types
    ga, gg = np.zeros((2, 2)), np.full((2, 2), 0.3)
    rng = np.random.RandomState(3)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for step in range(1, 4):
            grad = rng.randn(2, 2)
            s.run(train, {g: grad})
            # the Python floats become float32 tensors first, then are cast (TF's too)
            f = [float(np.float32(x)) for x in (0.2, 0.01, 0.05)]
            want, ga, gg = _da_dense(None, ga, gg, grad, *f, float(step))
            np.testing.assert_allclose(s.run(w), want, rtol=1e-12)
        np.testing.assert_allclose(s.run(opt.get_slot(w, "gradient_accumulator")), ga)
        assert s.run(gs) == 3
    assert opt.get_slot_names() == ["gradient_accumulator", "gradient_squared_accumulator"]


def test_adagrad_da_sparse_repeated_indices_sum_first():
    gs = tf.train.get_or_create_global_step()
    e = tf.get_variable("e", initializer=tf.constant(np.ones((4, 3), np.float32)))
    opt = tf.train.AdagradDAOptimizer(0.5, gs)
    vals = tf.constant(np.arange(9, dtype=np.float32).reshape(3, 3))
    train = opt.apply_gradients([(tf.IndexedSlices(vals, tf.constant([2, 0, 2])), e)])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(train)
        out = s.run(e)
    # unique indices [2, 0]: row 2 sums rows 0 and 2 of vals, row 0 is row 1
    summed = np.array([3, 4, 5], np.float32), np.array([0 + 6, 1 + 7, 2 + 8], np.float32)
    for row, g in zip((0, 2), summed):
        # the sparse kernel's own arithmetic: (ga / gs) / (l2 + sqrt(gg) / (gs * lr))
        want = -(g / 1.0) / (0.0 + np.sqrt(np.float32(0.1) + g * g) / np.float32(0.5))
        np.testing.assert_allclose(out[row], want, rtol=1e-6)
    np.testing.assert_array_equal(out[[1, 3]], 1.0)  # untouched rows keep their values


def test_adagrad_da_arguments():
    gs = tf.train.get_or_create_global_step()
    with pytest.raises(ValueError, match="initial_gradient_squared_accumulator_value must be "
                                         "positive: -1"):
        tf.train.AdagradDAOptimizer(0.1, gs, initial_gradient_squared_accumulator_value=-1)
    w = tf.get_variable("w", [2])
    from varstore.train import training_ops

    with pytest.raises(ValueError, match="Shape must be rank 0 but is rank 1.*global_step"):
        training_ops.apply_update("AdagradDA", w, (w, w), (0.1, 0.0, 0.0, [1, 2]), [1.0, 2.0])
    op = training_ops.apply_update("AdagradDA", w, (w, w), (0.1, 0.0, 0.0, 3), [1.0, 2.0])
    assert op.inputs[-1].dtype == tf.int64


# -- Supervisor ---------------------------------------------------------------------------
def _model():
    gs = tf.train.get_or_create_global_step()
    w = tf.get_variable("w", initializer=tf.constant([1.0, -2.0]))
    loss = tf.reduce_sum(tf.square(w))
    tf.summary.scalar("loss", loss)
    return gs, w, tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=gs)


def _event_kinds(logdir):
    kinds = []
    for f in sorted(glob.glob(os.path.join(logdir, "events.out.tfevents*"))):
        for e in tf.train.summary_iterator(f):
            kinds.append(e.WhichOneof("what"))
            if kinds[-1] == "summary":
                kinds[-1] = "summary:" + ",".join(v.tag for v in e.summary.value)
    return kinds


def test_supervisor_service_threads_write_summaries_and_checkpoints(tmp_path):
    gs, w, train = _model()
    sv = tf.train.Supervisor(logdir=str(tmp_path), save_summaries_secs=0.05,
                             save_model_secs=0.05)
    with sv.managed_session() as sess:
        deadline = time.time() + 5
        while time.time() < deadline and not glob.glob(str(tmp_path / "model.ckpt-*.index")):
            sess.run(train)
            time.sleep(0.02)
        time.sleep(0.15)
    kinds = _event_kinds(str(tmp_path))
    assert "summary:loss" in kinds and "summary:global_step/sec" in kinds
    assert kinds.count("session_log") >= 3  # START, CHECKPOINT..., STOP
    assert tf.train.latest_checkpoint(str(tmp_path)) is not None
    assert os.path.isfile(tmp_path / "graph.pbtxt")


def test_supervisor_out_of_range_is_a_clean_stop():
    q = tf.FIFOQueue(3, tf.float32)
    enq = q.enqueue_many([[1.0, 2.0]])
    close = q.close()
    x = q.dequeue()
    sv = tf.train.Supervisor(logdir=None)
    got = []
    with sv.managed_session() as sess:
        sess.run(enq)
        sess.run(close)
        while not sv.should_stop():
            got.append(float(sess.run(x)))
    assert got == [1.0, 2.0]
    assert sv.should_stop()


def test_supervisor_non_chief_waits_and_times_out():
    tf.Variable([1.0], name="v")
    sv = tf.train.Supervisor(is_chief=False, recovery_wait_secs=0.01)
    with pytest.raises(tf.errors.DeadlineExceededError, match="not ready after waiting 0"):
        sv.prepare_or_wait_for_session(max_wait_secs=0.05)
    with pytest.raises(RuntimeError, match="Only chief supervisor"):
        sv.start_standard_services(None)


def test_supervisor_requires_devices_for_replicas():
    tf.disable_resource_variables()
    try:
        tf.Variable([1.0], name="v")
        with pytest.raises(ValueError, match="all Variables must have their device set"):
            tf.train.Supervisor(is_chief=False)
    finally:
        tf.enable_resource_variables()


def test_supervisor_loop_and_stop_reraises():
    tf.Variable([1.0], name="v")
    sv = tf.train.Supervisor()
    calls = []
    with sv.managed_session():
        looper = sv.loop(0.01, lambda: calls.append(1))
        time.sleep(0.1)
        sv.request_stop()
        looper.join(2)
    assert calls
    sv2 = tf.train.Supervisor(graph=tf.get_default_graph())
    assert sv2.PrepareSession == sv2.prepare_or_wait_for_session


# -- SessionManager -----------------------------------------------------------------------
def test_session_manager_wait_runs_the_local_init_op():
    v = tf.Variable([3.0], name="v", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    sm = tf.train.SessionManager(ready_op=tf.report_uninitialized_variables(),
                                 local_init_op=v.initializer, recovery_wait_secs=0.02)
    sess = sm.wait_for_session("", max_wait_secs=1)
    assert sess.run(v).tolist() == [3.0]
    sess.close()


# -- devices, clusters --------------------------------------------------------------------
def test_device_function_nested_with_strings():
    with tf.device("/job:outer/task:3"):
        with tf.device(lambda op: "/device:GPU:1" if op.type == "Const" else "/cpu:0"):
            c = tf.constant(1.0, name="c")
            with tf.device("/replica:2"):
                d = c + 1.0
    # TF's stack: "/replica:2" first, then the function's string replaces it, then the
    # outer block fills the unset fields
    assert c.op.device == "/job:outer/task:3/device:GPU:1"
    assert d.op.device == "/job:outer/task:3/device:CPU:0"
    setter = tf.train.replica_device_setter(ps_tasks=2)
    with tf.device(setter):
        with tf.device("/cpu:0"):
            v = tf.get_variable("v", [1])
            u = tf.get_variable("u", [1])
            m = v * 2.0
    assert [v.op.device, u.op.device] == ["/job:ps/task:0/device:CPU:0",
                                          "/job:ps/task:1/device:CPU:0"]
    assert m.op.device == "/job:worker/device:CPU:0"


def test_cluster_spec_and_server():
    c = tf.train.ClusterSpec({"ps": ["a:1"], "worker": {0: "b:1", 2: "c:1"}})
    assert c.as_dict() == {"ps": ["a:1"], "worker": {0: "b:1", 2: "c:1"}}
    assert c.job_tasks("worker") == ["b:1", None, "c:1"]
    data = c.as_cluster_def().SerializeToString()
    again = type(c.as_cluster_def()).FromString(data)
    assert tf.train.ClusterSpec(again).as_dict() == c.as_dict()
    with pytest.raises(ValueError, match="No task with index 1 in job 'worker'"):
        c.task_address("worker", 1)
    with pytest.raises(tf.errors.UnimplementedError, match="no distributed runtime"):
        tf.train.Server(c, job_name="ps", task_index=0)
    with pytest.raises(tf.errors.UnimplementedError, match="no distributed runtime"):
        tf.train.Server.create_local_server()


def test_sync_replicas_optimizer_is_named_missing():
    with pytest.raises(AttributeError, match="varstore lacks tf.train.SyncReplicasOptimizer"):
        tf.train.SyncReplicasOptimizer  # noqa: B018


# -- checkpoints, events, warm start ------------------------------------------------------
def test_checkpoints_iterator_sees_a_later_checkpoint(tmp_path):
    v = tf.Variable([1.0], name="v")
    saver = tf.train.Saver()
    sess = tf.Session()
    sess.run(v.initializer)
    first = saver.save(sess, str(tmp_path / "m"), global_step=1)

    def later():
        time.sleep(0.3)
        saver.save(sess, str(tmp_path / "m"), global_step=2)

    t = threading.Thread(target=later)
    t.start()
    seen = []
    for p in tf.train.checkpoints_iterator(str(tmp_path), timeout=3):
        seen.append(os.path.basename(p))
        if len(seen) == 2:
            break
    t.join()
    sess.close()
    assert seen[:2] == ["m-1", "m-2"]
    assert len(tf.train.get_checkpoint_mtimes([first])) == 1


def test_file_writer_reopen_writes_again(tmp_path):
    w = tf.summary.FileWriter(str(tmp_path))
    w.add_summary(tf.Session().run(tf.summary.scalar("a", tf.constant(1.0))), 1)
    w.close()
    w.reopen()  # tensorboardX's own reopen fails after its close
    w.add_summary(tf.Session().run(tf.summary.scalar("b", tf.constant(2.0))), 2)
    w.close()
    assert "summary:b" in _event_kinds(str(tmp_path))


def test_warm_start_vocab_info_is_named_missing(tmp_path):
    v = tf.get_variable("emb", [3, 2])
    with tf.Session() as s:
        s.run(v.initializer)
        tf.train.Saver().save(s, str(tmp_path / "m"))
    info = tf.train.VocabInfo("new.txt", 3, 0, "old.txt")
    with pytest.raises(NotImplementedError, match="GenerateVocabRemapping"):
        tf.train.warm_start(str(tmp_path), var_name_to_vocab_info={"emb": info})


def test_global_step_waiter_hook_and_worker_session_creator():
    gs = tf.train.get_or_create_global_step()
    lv = tf.Variable(1.0, collections=[tf.GraphKeys.LOCAL_VARIABLES], name="lv")
    set_step = gs.assign(3)
    none = tf.constant([], tf.string)
    sc = tf.train.Scaffold(ready_op=none, ready_for_local_init_op=none)
    creator = tf.train.WorkerSessionCreator(scaffold=sc, max_wait_secs=1)
    with tf.train.MonitoredSession(session_creator=creator) as sess:
        assert sess.run(lv) == 1.0
        sess.run(set_step)
    # the init fn puts the step at 3: a hook waiting for step 2 lets the first run through
    hook = tf.train.GlobalStepWaiterHook(2)
    sc2 = tf.train.Scaffold(init_fn=lambda scaffold, sess: sess.run(set_step))
    with tf.train.MonitoredSession(session_creator=tf.train.ChiefSessionCreator(scaffold=sc2),
                                   hooks=[hook]) as sess:
        assert sess.run(gs) == 3
    with pytest.raises(RuntimeError, match="Global step should be created"):
        with tf.Graph().as_default():
            tf.train.GlobalStepWaiterHook(1).begin()


def test_assert_variables_initialized_fails_until_initialized() -> None:
    with tf.Graph().as_default():
        v = tf.Variable([1, 2], name="v")
        w = tf.Variable([3, 4], name="w")
        inited = tf.assert_variables_initialized()
        with tf.Session() as s:
            with pytest.raises(tf.errors.FailedPreconditionError, match="variable v"):
                s.run(inited)
            s.run(v.initializer)
            with pytest.raises(tf.errors.FailedPreconditionError, match="variable w"):
                s.run(inited)
            s.run(w.initializer)
            assert s.run(inited).tolist() == [1, 1]
