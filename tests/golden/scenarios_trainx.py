"""Golden scenarios of the rarer tf.train pieces (``record_tf.py --set trainx``):
AdagradDA step for step (dense and sparse, ref and resource), Supervisor / SessionManager
flows, checkpoint iteration, replica_device_setter's device strings, ClusterSpec."""

import os
import tempfile

import numpy as np


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}


def _r(x):
    if isinstance(x, (list, tuple)):
        return [_r(y) for y in x]
    return np.asarray(x, np.float64).round(6).tolist()


def _adagrad_da(tf, use_resource, dtype):
    rng = np.random.RandomState(0)
    grads = rng.randn(4, 6, 3)
    gs = tf.train.get_or_create_global_step()
    w = tf.get_variable("w", initializer=tf.constant(rng.randn(6, 3), dtype=dtype),
                        use_resource=use_resource)
    v = tf.get_variable("v", initializer=tf.constant(rng.randn(6), dtype=dtype),
                        use_resource=use_resource)
    e = tf.get_variable("e", initializer=tf.constant(rng.randn(6, 3), dtype=dtype),
                        use_resource=use_resource)
    gp = tf.placeholder(dtype, [6, 3])
    opt = tf.train.AdagradDAOptimizer(0.3, gs, l1_regularization_strength=0.01,
                                      l2_regularization_strength=0.02)
    opt2 = tf.train.AdagradDAOptimizer(0.1, gs, initial_gradient_squared_accumulator_value=0.5,
                                       l1_regularization_strength=0.05,
                                       l2_regularization_strength=0.1, name="D2")
    opt3 = tf.train.AdagradDAOptimizer(0.2, gs, name="D3")
    # the sparse gradient of v repeats row 1: the optimizer sums it first
    t1 = opt.apply_gradients([(gp, w), (tf.IndexedSlices(gp[:3, 0], tf.constant([1, 4, 1])),
                                        v)], global_step=gs)
    t2 = opt2.apply_gradients([(tf.IndexedSlices(gp[:2], tf.constant([0, 5])), e)])
    t3 = opt3.apply_gradients([(tf.IndexedSlices(gp[2:4], tf.constant([3, 1])), e)])
    out = {"steps": []}
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for i in range(4):
            # one after the other: AdagradDA reads the global step, which t1 increments
            s.run(t1, {gp: grads[i]})
            s.run(t2, {gp: grads[i]})
            s.run(t3, {gp: grads[i]})
            out["steps"].append(_r(s.run([w, v, e])))
        out["slots"] = _r(s.run([opt.get_slot(w, "gradient_accumulator"),
                                 opt.get_slot(v, "gradient_squared_accumulator")]))
    out["slot_names"] = sorted(x.op.name for x in opt.variables() + opt2.variables())
    out["get_slot_names"] = opt.get_slot_names()
    graph = tf.get_default_graph()
    out["update_ops"] = sorted([o.name, o.type] for o in graph.get_operations()
                               if "update_" in o.name)
    return out


def scenario_adagrad_da_resource_float32(tf):
    return _adagrad_da(tf, True, tf.float32)


def scenario_adagrad_da_ref_float64(tf):
    return _adagrad_da(tf, False, tf.float64)


def scenario_adagrad_da_minimize_and_errors(tf):
    gs = tf.train.get_or_create_global_step()
    x = tf.get_variable("x", initializer=tf.constant([1.0, -2.0, 0.5]))
    emb = tf.get_variable("emb", initializer=tf.constant(np.arange(8.0, dtype=np.float32)
                                                         .reshape(4, 2) / 3))
    loss = tf.reduce_sum(tf.square(x - 0.3)) + tf.reduce_sum(
        tf.sin(tf.nn.embedding_lookup(emb, [0, 2, 2])))
    train = tf.train.AdagradDAOptimizer(0.5, gs, l1_regularization_strength=0.001).minimize(
        loss, global_step=gs)
    out = {"vals": []}
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for _ in range(3):
            s.run(train)
            out["vals"].append(_r(s.run([x, emb, loss])))
        out["step"] = int(s.run(gs))
    try:
        tf.train.AdagradDAOptimizer(0.1, gs, initial_gradient_squared_accumulator_value=0.0)
    except ValueError as e:
        out["error"] = str(e)
    return out


def _events(tf, logdir):
    out = []
    for name in sorted(os.listdir(logdir)):
        if name.startswith("events.out.tfevents"):
            for e in tf.train.summary_iterator(os.path.join(logdir, name)):
                what = e.WhichOneof("what")
                item = [what, int(e.step)]
                if what == "session_log":
                    item.append(int(e.session_log.status))
                elif what == "summary":
                    item.append([[v.tag, round(float(v.simple_value), 5)]
                                 for v in e.summary.value])
                out.append(item)
    return out


def _model(tf):
    gs = tf.train.get_or_create_global_step()
    w = tf.get_variable("w", initializer=tf.constant([1.0, -2.0, 0.5]))
    loss = tf.reduce_sum(tf.square(w))
    tf.summary.scalar("loss", loss)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=gs)
    return gs, w, loss, train


def scenario_supervisor_managed_session(tf):
    out = {}
    with tempfile.TemporaryDirectory() as d:
        gs, w, loss, train = _model(tf)
        sv = tf.train.Supervisor(logdir=d, save_model_secs=0, save_summaries_secs=0)
        graph = tf.get_default_graph()
        out["collections"] = sorted(graph.get_all_collection_keys())
        out["pieces"] = [sv.global_step.name, sv.summary_op.name, sv.init_op.name,
                         sv.ready_op.name, type(sv.saver).__name__,
                         os.path.basename(sv.save_path), graph.finalized, sv.is_chief,
                         sv.ready_for_local_init_op]
        with sv.managed_session() as sess:
            for _ in range(3):
                sess.run(train)
            sv.summary_computed(sess, sess.run(sv.summary_op))
            sv.saver.save(sess, sv.save_path, global_step=gs)
            out["w"] = _r(sess.run(w))
            out["should_stop"] = sv.should_stop()
        out["should_stop_after"] = sv.should_stop()
        out["files"] = sorted(f for f in os.listdir(d) if not f.startswith("events"))
        out["events"] = _events(tf, d)
        state = tf.train.get_checkpoint_state(d)
        out["state"] = [os.path.basename(state.model_checkpoint_path),
                        [os.path.basename(p) for p in state.all_model_checkpoint_paths]]
        # a second Supervisor on the same logdir restores the checkpoint
        tf.reset_default_graph()
        gs, w, loss, train = _model(tf)
        sv = tf.train.Supervisor(logdir=d, save_model_secs=0, save_summaries_secs=0,
                                 summary_writer=None)
        with sv.managed_session() as sess:
            out["restored"] = [_r(sess.run(w)), int(sess.run(gs))]
            sv.request_stop()
            out["requested"] = sv.should_stop()

        # basic_train_loop: a step function that asks to stop at its third call
        calls = []

        def step(sess):
            calls.append(int(sess.run(train.outputs[0] if train.outputs else gs)))
            if len(calls) == 3:
                sv.request_stop()

        tf.train.basic_train_loop(sv, step)
        out["loop_calls"] = len(calls)
        try:
            with sv.managed_session():
                raise ValueError("boom")
        except ValueError as e:
            out["reraised"] = str(e)
    return out


def scenario_supervisor_init_feed_and_fn(tf):
    out = {}
    p = tf.placeholder(tf.float32, [2])
    v = tf.Variable(p, name="fed")
    u = tf.Variable([0.0, 0.0], name="by_fn")
    sv = tf.train.Supervisor(init_feed_dict={p: [3.0, 4.0]},
                             init_op=tf.variables_initializer([v]),
                             init_fn=lambda sess: sess.run(u.initializer))
    out["logdir_services"] = [sv.save_path, sv.summary_writer is None, sv.summary_op]
    with sv.managed_session() as sess:
        out["vals"] = _r(sess.run([v, u]))
        out["threads"] = sv.start_standard_services(sess)
    tf.reset_default_graph()
    tf.Variable([1.0], name="x")
    try:
        sv = tf.train.Supervisor(init_op=None, local_init_op=None)
        with sv.managed_session():
            pass
    except RuntimeError as e:
        out["no_init"] = str(e)
    tf.reset_default_graph()
    tf.Variable([1.0], name="y")
    try:
        sv = tf.train.Supervisor(init_op=tf.no_op(), local_init_op=None)
        with sv.managed_session():
            pass
    except RuntimeError as e:
        out["not_ready"] = str(e)
    return out


def scenario_session_manager_flows(tf):
    out = {}
    with tempfile.TemporaryDirectory() as d:
        w = tf.Variable([1.0, 2.0], name="w")
        lv = tf.Variable([5.0], name="lv", collections=[tf.GraphKeys.LOCAL_VARIABLES])
        saver = tf.train.Saver([w])
        ready = tf.report_uninitialized_variables()
        ready_local = tf.report_uninitialized_variables(tf.global_variables())
        sm = tf.train.SessionManager(ready_op=ready, ready_for_local_init_op=ready_local,
                                     local_init_op=tf.local_variables_initializer(),
                                     recovery_wait_secs=0.01)
        sess, ok = sm.recover_session("", saver=saver, checkpoint_dir=d)
        out["recover_empty"] = ok
        sess.close()
        sess = sm.prepare_session("", init_op=tf.global_variables_initializer(), saver=saver,
                                  checkpoint_dir=d)
        sess.run(w.assign([7.0, 8.0]))
        out["prepared"] = _r(sess.run([w, lv]))
        path = saver.save(sess, os.path.join(d, "model"), global_step=4)
        sess.close()
        out["path"] = os.path.basename(path)
        sess, ok = sm.recover_session("", saver=saver, checkpoint_dir=d)
        out["recovered"] = [ok, _r(sess.run([w, lv]))]
        sess.close()
        sess, ok = sm.recover_session("", saver=saver, checkpoint_filename_with_path=path)
        out["recovered_file"] = ok
        sess.close()
        sess = sm.prepare_session("", saver=saver, checkpoint_dir=d)
        out["prepared_from_ckpt"] = _r(sess.run(w))
        sess.close()
        try:
            sm.wait_for_session("", max_wait_secs=0.02)
        except tf.errors.DeadlineExceededError as e:
            out["wait"] = [type(e).__name__, e.message]
        try:
            sm.prepare_session("", saver=saver, checkpoint_dir=d,
                               checkpoint_filename_with_path=path)
        except ValueError as e:
            out["both"] = str(e)
        try:
            tf.train.SessionManager(ready_for_local_init_op=ready)
        except ValueError as e:
            out["no_local_init"] = str(e).startswith("If you pass a ready_for_local_init_op")
        # a ready model from the start: wait_for_session returns at once
        sm2 = tf.train.SessionManager(ready_op=tf.constant([], tf.string))
        out["wait_ready"] = sm2.wait_for_session("") is not None
    return out


def scenario_checkpoint_utilities(tf):
    out = {}
    with tempfile.TemporaryDirectory() as d:
        v = tf.Variable([1.0], name="v")
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(v.initializer)
            p1 = saver.save(sess, os.path.join(d, "m"), global_step=1)
            p2 = saver.save(sess, os.path.join(d, "m"), global_step=2)
        out["mtimes"] = len(tf.train.get_checkpoint_mtimes([p1, p2, os.path.join(d, "nope")]))
        got = list(tf.train.checkpoints_iterator(d, timeout=0))
        out["iterated"] = [os.path.basename(p) for p in got]
        calls = []

        def timeout_fn():
            calls.append(1)
            return len(calls) >= 2

        got = list(tf.train.checkpoints_iterator(d, timeout=0, timeout_fn=timeout_fn))
        out["iterated_fn"] = [[os.path.basename(p) for p in got], len(calls)]
    st = tf.train.generate_checkpoint_state_proto("rel/dir", "rel/dir/m-2",
                                                  ["rel/dir/m-1"])
    out["state_rel"] = [st.model_checkpoint_path, list(st.all_model_checkpoint_paths)]
    st = tf.train.generate_checkpoint_state_proto("/abs/dir", "/abs/dir/m-2")
    out["state_abs"] = [st.model_checkpoint_path, list(st.all_model_checkpoint_paths)]
    try:
        tf.train.generate_checkpoint_state_proto("d", "d/m-2", ["d/m-1"],
                                                 all_model_checkpoint_timestamps=[1.0])
    except ValueError as e:
        out["ts_error"] = str(e)
    return out


def scenario_replica_device_setter_devices(tf):
    cluster = tf.train.ClusterSpec({"ps": ["ps0:2222", "ps1:2222"],
                                    "worker": ["w0:2222", "w1:2222", "w2:2222"]})
    out = {"cluster": [repr(cluster), cluster.as_dict(), cluster.jobs,
                       cluster.num_tasks("worker"), cluster.task_address("ps", 1),
                       str(cluster.as_cluster_def())]}
    c2 = tf.train.ClusterSpec({"ps": {1: "a", 3: "b"}})
    out["sparse"] = [repr(c2), c2.job_tasks("ps"), c2.task_indices("ps"),
                     c2 == {"ps": {1: "a", 3: "b"}}, bool(tf.train.ClusterSpec({})),
                     repr(tf.train.ClusterSpec(cluster.as_cluster_def())),
                     repr(tf.train.ClusterSpec(c2))]
    devices = []
    for res in (True, False):
        g = tf.Graph()
        with g.as_default():
            with tf.device(tf.train.replica_device_setter(
                    cluster=cluster, worker_device="/job:worker/task:1")):
                a = tf.get_variable("a", [2], use_resource=res)
                b = tf.Variable([1.0, 2.0], name="b", use_resource=res)
                c = tf.get_variable("c", [2], use_resource=res)
                with tf.device("/cpu:0"):
                    tf.get_variable("d", [2], use_resource=res)
                    m = tf.multiply(a, b, name="m")
                with tf.device("/job:ps/task:0"):
                    tf.get_variable("e", [2], use_resource=res)
                s = tf.add(m, c, name="s")
            with tf.device(tf.train.replica_device_setter(ps_tasks=3, merge_devices=False)):
                with tf.device("/gpu:1"):
                    tf.get_variable("f", [2], use_resource=res)
                tf.identity(s, name="h")
                tf.get_variable("k", [2], use_resource=res)
            with tf.device(tf.train.replica_device_setter(
                    ps_tasks=2, ps_device="/job:param", worker_device="/job:w/task:0",
                    ps_strategy=lambda op: 1)):
                tf.Variable(1.0, name="p")
                tf.constant(2.0, name="q")
            # only ops TF does not colocate with a variable (varstore's colocate_with
            # does not move devices)
            devices.append(sorted([o.name, o.type, o.device] for o in g.get_operations()
                                  if "/" not in o.name))
    out["devices"] = devices
    out["none"] = [tf.train.replica_device_setter() is None,
                   tf.train.replica_device_setter(cluster={"worker": ["a"]}) is None]
    errs = []
    for bad in ({"ps": 3}, 5):
        try:
            tf.train.ClusterSpec(bad)
        except TypeError as e:
            errs.append(str(e))
    for f in (lambda: cluster.num_tasks("x"), lambda: cluster.task_address("ps", 7)):
        try:
            f()
        except ValueError as e:
            errs.append(str(e))
    try:
        tf.train.replica_device_setter(ps_tasks=1, ps_strategy=3)
    except TypeError as e:
        errs.append(str(e))
    out["errors"] = errs
    return out


def scenario_warm_start_values(tf):
    out = {}
    with tempfile.TemporaryDirectory() as d:
        with tf.Graph().as_default():
            tf.get_variable("s/a", initializer=tf.constant([1.0, 2.0]))
            tf.get_variable("s/b", initializer=tf.constant(
                np.arange(12.0, dtype=np.float32).reshape(6, 2)),
                partitioner=tf.fixed_size_partitioner(2))
            tf.get_variable("c", initializer=tf.constant([5.0]))
            tf.get_variable("old_name", initializer=tf.constant([9.0, 8.0]))
            with tf.Session() as s:
                s.run(tf.global_variables_initializer())
                path = tf.train.Saver().save(s, os.path.join(d, "m"))

        def run(fn):
            with tf.Graph().as_default():
                z = tf.zeros_initializer()
                a = tf.get_variable("s/a", [2], initializer=z)
                b = tf.get_variable("s/b", [6, 2], initializer=z,
                                    partitioner=tf.fixed_size_partitioner(3))
                c = tf.get_variable("c", [1], initializer=z)
                n = tf.get_variable("new_name", [2], initializer=z)
                bt = tf.convert_to_tensor(b)
                try:
                    fn(a, b, c, n)
                except (ValueError, TypeError) as e:
                    return type(e).__name__
                with tf.Session() as s:
                    s.run(tf.global_variables_initializer())
                    return [_r(s.run(x)) for x in (a, bt, c, n)]

        out["scope"] = run(lambda a, b, c, n: tf.train.warm_start(d, vars_to_warm_start="s/"))
        out["names"] = run(lambda a, b, c, n: tf.train.warm_start(path,
                                                                  vars_to_warm_start=["c"]))
        out["objects"] = run(lambda a, b, c, n: tf.train.warm_start(d,
                                                                    vars_to_warm_start=[a, c]))
        out["default"] = run(lambda a, b, c, n: tf.train.warm_start(
            d, vars_to_warm_start="s/a", var_name_to_prev_var_name={}))
        out["renamed"] = run(lambda a, b, c, n: tf.train.warm_start(
            d, vars_to_warm_start="new_name",
            var_name_to_prev_var_name={"new_name": "old_name"}))
        out["unused_rename"] = run(lambda a, b, c, n: tf.train.warm_start(
            d, vars_to_warm_start="s/a", var_name_to_prev_var_name={"zzz": "old_name"}))
        out["mixed"] = run(lambda a, b, c, n: tf.train.warm_start(d,
                                                                  vars_to_warm_start=[a, "c"]))
        out["bad_type"] = run(lambda a, b, c, n: tf.train.warm_start(d, vars_to_warm_start=3))
        out["missing"] = run(lambda a, b, c, n: tf.train.warm_start(
            d, vars_to_warm_start="new_name"))
    v = tf.train.VocabInfo("new.txt", 5, 1, "old.txt")
    out["vocab_info"] = [repr(v), v.axis, v.old_vocab_size, list(v._fields)]
    try:
        tf.train.VocabInfo("a", 1, 0, "b", axis=2)
    except ValueError as e:
        out["axis_error"] = str(e)
    return out


def scenario_replica_device_setter_optimizer_slots(tf):
    # slots and Adam's beta powers are colocated with their variables (TF's slot_creator
    # and _create_non_slot_variable); colocate_with sets the device blocks aside
    out = {}
    for res in (True, False):
        for name in ("adam", "momentum", "adagrad_da"):
            g = tf.Graph()
            with g.as_default():
                with tf.device(tf.train.replica_device_setter(ps_tasks=3)):
                    gs = tf.train.get_or_create_global_step()
                    a = tf.get_variable("a", [2], use_resource=res)
                    b = tf.get_variable("b", [2], use_resource=res)
                    loss = tf.reduce_sum(a * b)
                    opt = {"adam": lambda: tf.train.AdamOptimizer(0.1),
                           "momentum": lambda: tf.train.MomentumOptimizer(0.1, 0.9),
                           "adagrad_da": lambda: tf.train.AdagradDAOptimizer(0.1, gs)}[name]()
                    opt.minimize(loss, global_step=gs)
                out[f"{name}_{res}"] = sorted(
                    [op.name, op.device] for op in g.get_operations()
                    if op.type in ("VarHandleOp", "VariableV2"))
    with tf.Graph().as_default():
        with tf.device("/job:w"):
            x = tf.constant(1.0, name="x")
            with tf.device("/job:ps"):
                y = tf.constant(2.0, name="y")
            with tf.colocate_with(y):
                z = tf.add(x, 1.0, name="z")
                with tf.device("/job:other"):
                    q = tf.identity(x, name="q")
                with tf.colocate_with(x):
                    r = tf.identity(x, name="r")
            with tf.colocate_with(None, ignore_existing=True):
                s = tf.identity(x, name="s")
        out["colocate"] = [[t.op.name, t.op.device] for t in (x, y, z, q, r, s)]
        try:
            with tf.colocate_with(None):
                pass
        except ValueError as e:
            out["reset_error"] = str(e)
    return out


def scenario_worker_session_creator_and_step_waiter(tf):
    out = {}
    gs = tf.train.get_or_create_global_step()
    lv = tf.Variable(1.5, collections=[tf.GraphKeys.LOCAL_VARIABLES], name="lv")
    set_step = gs.assign(3)
    none = tf.constant([], tf.string)
    sc = tf.train.Scaffold(ready_op=none, ready_for_local_init_op=none)
    creator = tf.train.WorkerSessionCreator(scaffold=sc, max_wait_secs=1)
    with tf.train.MonitoredSession(session_creator=creator) as sess:
        out["local"] = float(sess.run(lv))
    sc2 = tf.train.Scaffold(init_fn=lambda scaffold, sess: sess.run(set_step))
    with tf.train.MonitoredSession(
            session_creator=tf.train.ChiefSessionCreator(scaffold=sc2),
            hooks=[tf.train.GlobalStepWaiterHook(2)]) as sess:
        out["step"] = int(sess.run(gs))
    # the default worker scaffold waits for the chief's global variables: in one process
    # nobody initializes them, so the wait ends with DeadlineExceededError (TF's too)
    try:
        tf.train.MonitoredSession(session_creator=tf.train.WorkerSessionCreator(
            max_wait_secs=0.05))
    except tf.errors.DeadlineExceededError as e:
        out["worker_wait"] = e.message
    out["protos"] = [type(tf.train.ClusterDef()).__name__, type(tf.train.JobDef()).__name__]
    return out
