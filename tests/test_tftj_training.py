"""Differences found by running TensorFlow's own optimizer / state-op / initializer unit
tests against varstore; every expected value here was recorded from TF 2.21
(tf.compat.v1, graph mode)."""

import re
import threading

import numpy as np
import pytest

import varstore as tf


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def test_ema_average_name_respects_the_current_scope():
    # moving_averages_test's testAverageVariablesNamesRespectScope: before apply(), the
    # name is the one apply() will give, i.e. under the current name scope.
    with tf.variable_scope("scope1"):
        v0 = tf.Variable(10.0, name="v0")
        v2 = tf.Variable(20.0, name="v2", trainable=False)
        t = v0 + v0
    with tf.variable_scope("scope2"):
        ema = tf.train.ExponentialMovingAverage(0.25, zero_debias=True, name="foo")
        assert ema.average_name(v0) == "scope2/scope1/v0/foo"
        assert ema.average_name(t) == "scope2/scope1/add/foo"
        # asking does not take the name
        assert ema.average_name(v0) == "scope2/scope1/v0/foo"
        ema.apply([v0, t])
        assert ema.average(v0).op.name == "scope2/scope1/v0/foo"
        assert ema.average(t).op.name == "scope2/scope1/add/foo"
        assert sorted(ema.variables_to_restore()) == [
            "scope1/v2", "scope2/scope1/add/foo", "scope2/scope1/v0/foo",
            "scope2/scope2/scope1/add/foo/biased", "scope2/scope2/scope1/add/foo/local_step"]
    del v2
    # outside any scope, a taken name is made unique as TF's unique_name does
    tf.reset_default_graph()
    v = tf.Variable(1.0, name="v")
    tf.constant(0.0, name="v/ExponentialMovingAverage")
    assert tf.train.ExponentialMovingAverage(0.5).average_name(v) == \
        "v/ExponentialMovingAverage_1"


@pytest.mark.parametrize("op", ["assign_add", "assign_sub"])
def test_uninitialized_ref_variable_update_message(op):
    # dense_update_ops_test's testInitRequiredAssignAdd / Sub
    p = tf.Variable(np.ones([3], np.float32), use_resource=False, name="pv")
    a = getattr(tf, op)(p, [2.0, 2.0, 2.0])
    with tf.Session() as sess, pytest.raises(tf.errors.FailedPreconditionError,
                       match="Attempting to use uninitialized value pv"):
        sess.run(a)


@pytest.mark.parametrize("op", ["assign_add", "assign_sub", "scatter_add"])
def test_uninitialized_resource_variable_update_is_not_found(op):
    # TF's resource kernels look the variable up in the 'localhost' container: NotFound,
    # worded by whether the container exists yet (some resource variable initialised).
    p = tf.Variable(np.ones([3], np.float32), use_resource=True, name="pv")
    q = tf.Variable(1.0, use_resource=True, name="q")
    if op == "scatter_add":
        a = tf.scatter_add(p, [0], [2.0])
    else:
        a = getattr(tf, op)(p, [2.0, 2.0, 2.0])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.NotFoundError,
                           match=r"Container localhost does not exist\. \(Could not find "
                                 r"resource: localhost/pv\)"):
            sess.run(a)
        sess.run(q.initializer)
        with pytest.raises(tf.errors.NotFoundError,
                           match="Resource localhost/pv/N10tensorflow3VarE does not exist"):
            sess.run(a)


def test_switch_to_thread_local_keeps_scopes_per_thread():
    # dense_update_ops_no_tsan_test calls it before building ops from several threads
    g = tf.get_default_graph()
    g.switch_to_thread_local()
    names = []

    def build():
        with g.as_default(), tf.name_scope("t"):
            names.append(tf.constant(1.0).name)

    with tf.name_scope("main"):
        th = threading.Thread(target=build)
        th.start()
        th.join()
        names.append(tf.constant(1.0).name)
    assert names == ["t/Const:0", "main/Const:0"]


def _run(t, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(t, feed)


def test_scatter_nd_into_an_empty_shape():
    # scatter_nd_ops_test's testEmptyOutputShape1-3
    z = np.zeros([2, 2, 2], np.int32)
    with pytest.raises(ValueError, match=r"^Indices and updates specified for empty input for "
                       r"'\{\{node ScatterNd\}\} = ScatterNd\[T=DT_INT32, Tindices=DT_INT32, "
                       r"bad_indices_policy=\"\"\]\(ScatterNd/indices, ScatterNd/updates, "
                       r"Const\)' with input shapes: \[2,2,2\], \[2,2,2\], \[3\] and with input "
                       r"tensors computed as partial shapes: input\[2\] = \[0,3,2\]\.$"):
        tf.scatter_nd(z, z, tf.constant([0, 3, 2]))
    with pytest.raises(ValueError, match=r"^Indices and updates specified for empty input for "
                       r"'\{\{node TensorScatterUpdate\}\}"):
        tf.tensor_scatter_nd_update(tf.zeros([0, 3, 2], tf.int32), z, z)
    pi = tf.placeholder(tf.int32)
    pu = tf.placeholder(tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Indices and updates specified for empty output\.  indices "
                             r"shape: \[2,2,2\]"):
        _run(tf.scatter_nd(pi, pu, tf.constant([0, 3, 2])), {pi: z, pu: z})
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Indices and updates specified for empty output shape"):
        _run(tf.tensor_scatter_nd_update(tf.zeros([0, 3, 2], tf.int32), pi, pu),
             {pi: z, pu: z})
    # index depth 0 into an empty shape: an empty result, no error
    r = tf.scatter_nd(np.zeros([0], np.int32), np.zeros([0], np.int32), tf.constant([0]))
    assert r.shape.as_list() == [0]
    assert _run(r).shape == (0,)
    r = tf.scatter_nd(np.zeros([0, 1], np.int32), np.zeros([0, 3], np.int32),
                      tf.constant([0, 3]))
    assert _run(r).shape == (0, 3)


def test_scatter_nd_rank_checks():
    with pytest.raises(ValueError, match=r"^Shape must be at least rank 1 but is rank 0 for "
                       r"'\{\{node ScatterNd\}\} = .* with input shapes: \[1,1\], \[\], \[1\]\.$"):
        tf.scatter_nd([[0]], 5.0, [3])
    with pytest.raises(ValueError, match=r"^Shape must be at least rank 1 but is rank 0 for "
                       r"'\{\{node ScatterNd_1\}\} = .* with input shapes: \[\], \[1\], \[1\]\.$"):
        tf.scatter_nd(0, [5.0], [3])
    with pytest.raises(ValueError, match=r"^Shape must be at least rank 1 but is rank 0 for "
                       r"'\{\{node TensorScatterUpdate\}\} = .*with input shapes: \[\], "
                       r"\[1,1\], \[1\]\.$"):
        tf.tensor_scatter_nd_update(tf.constant(0.0), [[0]], [0.22])
    with pytest.raises(ValueError, match=r"with input shapes: \[3\], \[\], \[1\]\.$"):
        tf.tensor_scatter_nd_update(tf.zeros([3]), 0, [5.0])
    # scalar updates pass the shape function; TF's kernel refuses them
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Updates shape must have rank at least one\. Found:\[\]"):
        _run(tf.tensor_scatter_nd_update(tf.zeros([3]), [[0]], 5.0))


@pytest.mark.parametrize("use_resource", [False, True])
@pytest.mark.parametrize("fn", ["scatter_nd_update", "scatter_nd_add"])
def test_variable_scatter_nd_on_a_scalar(use_resource, fn):
    # scatter_nd_ops_test's testResVarInvalidOutputShape
    v = tf.Variable(0.0, use_resource=use_resource)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Output must be at least 1-D, got shape: \[\]"):
        _run(getattr(tf, fn)(v, [[0]], [0.22]))


def test_scatter_nd_strings_concatenate_duplicates():
    # scatter_nd_ops_test's ScatterNdTest.testString
    r = tf.scatter_nd([[4], [3], [3], [7]], tf.constant(["a", "b", "b", "c"]), [8])
    assert _run(r).tolist() == [b"", b"", b"", b"bb", b"a", b"", b"", b"c"]
    r = tf.scatter_nd([[4], [3], [1], [7]], tf.constant(["four", "three", "one", "seven"]),
                      [8])
    assert _run(r).tolist() == [b"", b"one", b"", b"three", b"four", b"", b"", b"seven"]


@pytest.mark.parametrize("dt", [tf.float32, tf.float64])
def test_orthogonal_and_identity_initializers_in_float64(dt):
    # init_ops_test's OrthogonalInitializerTest / IdentityInitializerTest.testGain: the
    # Python gain takes the tensor's dtype (TF's `gain * q`, ops mul_1 / mul_2)
    x = tf.initializers.orthogonal(gain=3.0, dtype=dt, seed=1)([10, 9, 8])
    y = tf.initializers.identity(gain=0.9, dtype=dt)([10, 5])
    assert (x.name, x.dtype, y.name, y.dtype) == ("mul_1:0", dt, "mul_2:0", dt)
    xv, yv = _run([x, y])
    flat = xv.reshape(90, 8) / 3.0
    np.testing.assert_allclose(flat.T @ flat, np.eye(8), atol=1e-5)
    np.testing.assert_allclose(yv, np.eye(10, 5) * 0.9)


def test_range_casts_tensor_arguments_to_dtype():
    # init_ops_test's RangeTest.testMixedDType
    r = tf.range(tf.constant(4, dtype=tf.int32), dtype=tf.int64)
    assert r.dtype == tf.int64
    assert [i.name for i in r.op.inputs] == ["range/start:0", "range/Cast:0", "range/delta:0"]
    assert _run(r).tolist() == [0, 1, 2, 3]
    f = tf.range(tf.constant(0, tf.int64), tf.constant(3.0))
    assert f.dtype == tf.float32
    assert _run(f).tolist() == [0.0, 1.0, 2.0]


@pytest.mark.parametrize("use_resource", [False, True])
def test_apply_gradients_shape_mismatch_is_tf_shape_inference_error(use_resource):
    v = tf.Variable([1.0, 2.0], use_resource=use_resource)
    kind = "Resource" if use_resource else ""
    shown = "[]" if use_resource else "[2]"
    with pytest.raises(ValueError, match=re.escape(
            "Dimension 0 in both shapes must be equal, but are 2 and 3. Shapes are [2] and [3]. "
            f"for '{{{{node GradientDescent/update_Variable/{kind}ApplyGradientDescent}}}} = "
            f"{kind}ApplyGradientDescent[T=DT_FLOAT, use_locking=false](Variable, "
            f"GradientDescent/learning_rate, Const)' with input shapes: {shown}, [], [3].")):
        tf.train.GradientDescentOptimizer(0.1).apply_gradients([(tf.constant([1.0, 2.0, 3.0]),
                                                                 v)])


def test_sparse_apply_shape_mismatch_names_the_rows():
    v = tf.Variable([[1.0, 2.0]], use_resource=False)
    g = tf.IndexedSlices(tf.constant([[1.0, 2.0, 3.0]]), tf.constant([0]))
    with pytest.raises(ValueError, match=re.escape(
            "Dimension 1 in both shapes must be equal, but are 2 and 3. Shapes are [1,2] and "
            "[?,3]. for '{{node Adagrad/update_Variable/SparseApplyAdagrad}} = "
            "SparseApplyAdagrad[T=DT_FLOAT, Tindices=DT_INT32, update_slots=true, "
            "use_locking=false](Variable, Variable/Adagrad, Adagrad/learning_rate, "
            "Adagrad/update_Variable/UnsortedSegmentSum, Adagrad/update_Variable/Unique)'")):
        tf.train.AdagradOptimizer(0.1).apply_gradients([(g, v)])
    tf.reset_default_graph()
    v = tf.Variable([1.0, 2.0], use_resource=False)
    with pytest.raises(ValueError, match=re.escape(
            "Shapes must be equal rank, but are 1 and 2 for '{{node "
            "Momentum/update_Variable/ApplyMomentum}} = ApplyMomentum[T=DT_FLOAT, "
            "use_locking=false, use_nesterov=false](Variable, Variable/Momentum, "
            "Momentum/learning_rate, Const, Momentum/momentum)' with input shapes: [2], [2], [], "
            "[1,2], [].")):
        tf.train.MomentumOptimizer(0.1, 0.9).apply_gradients([(tf.constant([[1.0, 2.0]]), v)])


def test_v1_optimizers_take_real_floats_only():
    v = tf.Variable(1.0)
    with pytest.raises(ValueError, match=re.escape(
            "Invalid type tf.int32 for Cast:0, expected: [tf.float32, tf.float64, tf.float16, "
            "tf.bfloat16].")):
        tf.train.AdamOptimizer(0.1).minimize(tf.cast(v, tf.int32))
    c = tf.Variable(tf.constant([1 + 2j], tf.complex64), name="c")
    with pytest.raises(ValueError, match=r"^Invalid type tf.complex64 for "):
        tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(c * c), var_list=[c])


@pytest.mark.parametrize("use_resource", [False, True])
def test_integer_scatter_div_truncates_toward_zero(use_resource):
    v = tf.Variable(np.array([7, -7, 9, -9, 8], np.int32), use_resource=use_resource)
    r = tf.scatter_div(v, [0, 1, 2, 3, 3, 4], [2, 2, -4, 2, 2, -3])
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(r)
        assert sess.run(v).tolist() == [3, -3, -2, -2, -2]


@pytest.mark.parametrize("fn, attr", [
    (lambda t: tf.assign(t, 2.0), "assign"),
    (lambda t: tf.assign_add(t, 2.0), "assign_add"),
    (lambda t: tf.assign_sub(t, 2.0), "assign_sub"),
    (lambda t: tf.scatter_add(t, [0], [2.0]), "_lazy_read"),
    (lambda t: tf.scatter_nd_update(t, [[0]], [2.0]), "_lazy_read"),
    (lambda t: tf.is_variable_initialized(t), "is_initialized"),
])
def test_state_ops_on_a_plain_tensor_raise_attribute_error(fn, attr):
    # TF calls the variable's method on whatever it gets: a tensor lacks it
    with pytest.raises(AttributeError, match=f"object has no attribute '{attr}'$"):
        fn(tf.constant([1.0]))


def test_raw_sparse_apply_ops_keep_the_variable_shape():
    # training_ops_test's testSparseApply*: the ref output has the variable's shape
    v = tf.Variable(np.ones([3, 2], np.float32), use_resource=False)
    a = tf.Variable(np.ones([3, 2], np.float32), use_resource=False)
    lin = tf.Variable(np.zeros([3, 2], np.float32), use_resource=False)
    g = tf.constant([[1.0, 2.0]])
    i = tf.constant([2])
    ada = tf.raw_ops.SparseApplyAdagrad(var=v.op.outputs[0], accum=a.op.outputs[0], lr=0.5, grad=g,
                                        indices=i)
    ftrl = tf.raw_ops.SparseApplyFtrl(var=v.op.outputs[0], accum=a.op.outputs[0], linear=lin.op.outputs[0],
                                      grad=g, indices=i, lr=0.5, l1=0.0, l2=0.0,
                                      lr_power=-0.5)
    assert ada.shape.as_list() == [3, 2] and ftrl.shape.as_list() == [3, 2]
    out = _run(ada)
    np.testing.assert_allclose(out[2], [1 - 0.5 / np.sqrt(2.0), 1 - 1.0 / np.sqrt(5.0)],
                               rtol=1e-6)


@pytest.mark.parametrize("use_resource", [False, True])
def test_tf_assign_add_sub_names_and_ema_update_ops(use_resource):
    # TF's tf.assign_add / tf.assign_sub give a resource variable neither name nor
    # use_locking (ref.assign_add(value)); assign_moving_average goes through them
    v = tf.Variable(1.0, use_resource=use_resource, name="v")
    a = tf.assign_add(v, 1.0, name="foo")
    b = tf.assign_sub(v, 1.0, name="bar", use_locking=True)
    c = tf.assign(v, 2.0, name="baz")
    with tf.name_scope("outer"):
        d = tf.train.ExponentialMovingAverage(0.5).apply([v])
    if use_resource:
        assert [a.op.name, b.op.name, c.op.name] == [
            "AssignAddVariableOp", "AssignSubVariableOp", "baz"]
        assert [i.name for i in d.control_inputs] == [
            "outer/ExponentialMovingAverage/AssignMovingAvg/AssignSubVariableOp"]
    else:
        assert [a.name, b.name, c.name] == ["foo:0", "bar:0", "baz:0"]
        assert [i.name for i in d.control_inputs] == [
            "outer/ExponentialMovingAverage/AssignMovingAvg"]


def test_piecewise_constant_is_tf_case_as_in_tf():
    # TF 2.21's v1 piecewise_constant: conversions before the scope, then
    # PiecewiseConstantDecay's exclusive tf.case
    gs = tf.train.get_or_create_global_step()
    lr = tf.train.piecewise_constant(gs, [10, 20], [1.0, 0.5, 0.1])
    assert lr.name == "PiecewiseConstant/case/cond/Identity:0"
    names = [o.name for o in tf.get_default_graph().get_operations()]
    i = names.index("Const")
    assert names[i:i + 20] == [
        "Const", "Const_1", "Const_2", "Const_3", "Const_4", "ReadVariableOp", "Cast", "Cast_1",
        "PiecewiseConstant/ReadVariableOp", "PiecewiseConstant/LessEqual",
        "PiecewiseConstant/Greater", "PiecewiseConstant/Greater_1",
        "PiecewiseConstant/LessEqual_1", "PiecewiseConstant/and",
        "PiecewiseConstant/case/preds_c", "PiecewiseConstant/case/Cast",
        "PiecewiseConstant/case/Const", "PiecewiseConstant/case/num_true_conds",
        "PiecewiseConstant/case/n_true_conds", "PiecewiseConstant/case/LessEqual"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = []
        for step in (0, 10, 11, 20, 21):
            sess.run(gs.assign(step))
            got.append(float(sess.run(lr)))
    assert got == pytest.approx([1.0, 1.0, 0.5, 0.5, 0.1])
    with pytest.raises(ValueError, match=r"^The length of boundaries should be 1 less than the "
                                         r"length of values$"):
        tf.train.piecewise_constant(gs, [10, 20], [1.0, 0.5])


def test_tf_train_has_no_assign_moving_average():
    # TF 2.21's tf.compat.v1.train exports ExponentialMovingAverage only
    assert not hasattr(tf.train, "assign_moving_average")
    assert hasattr(tf.train, "ExponentialMovingAverage")


class _ResourceOnly(tf.train.Optimizer):
    """A TF2-era custom v1 optimizer: resource entry points only."""

    def __init__(self):
        super().__init__(False, "ResourceOnly")

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "acc", self._name)

    def _resource_apply_dense(self, grad, handle):
        acc = self.get_slot(handle, "acc").assign_add(grad * grad)
        return handle.assign_sub(0.1 * grad / (tf.sqrt(acc) + 1.0))

    def _resource_apply_sparse(self, grad, handle, indices):
        return handle.scatter_sub(tf.IndexedSlices(0.5 * grad, indices)) if hasattr(
            handle, "scatter_sub") else tf.scatter_sub(handle, indices, 0.5 * grad)


class _DenseOnly(tf.train.Optimizer):
    def __init__(self):
        super().__init__(False, "DenseOnly")

    def _apply_dense(self, grad, var):
        return tf.assign_sub(var, 0.1 * grad)


@pytest.mark.parametrize("use_resource", [False, True])
@pytest.mark.parametrize("sparse", [False, True])
def test_custom_optimizer_entry_points_follow_tf(use_resource, sparse):
    # TF's processors: ref -> _apply_dense / _apply_sparse, resource ->
    # _resource_apply_dense / _resource_apply_sparse (duplicate indices summed first);
    # the base class's own versions raise NotImplementedError
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]], use_resource=use_resource, name="v")
    loss = (tf.reduce_sum(tf.gather(v, [0, 0]) ** 2) if sparse else tf.reduce_sum(v ** 2))
    for opt, works in ((_ResourceOnly(), use_resource), (_DenseOnly(), not use_resource
                                                                and not sparse)):
        if not works:
            with pytest.raises(NotImplementedError):
                opt.minimize(loss)
            continue
        train = opt.minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train)
            got = sess.run(v)
        if isinstance(opt, _DenseOnly):
            np.testing.assert_allclose(got, [[0.8, 1.6], [2.4, 3.2]], rtol=1e-6)
        elif sparse:
            # row 0's two gradients (2 * 1, 2 * 2 each) summed: [4, 8] * 0.5
            np.testing.assert_allclose(got, [[-1.0, -2.0], [3.0, 4.0]], rtol=1e-6)
        else:
            g = np.array([[2.0, 4.0], [6.0, 8.0]])
            want = np.array([[1.0, 2.0], [3.0, 4.0]]) - 0.1 * g / (np.abs(g) + 1.0)
            np.testing.assert_allclose(got, want, rtol=1e-5)
        tf.reset_default_graph()
        v = tf.Variable([[1.0, 2.0], [3.0, 4.0]], use_resource=use_resource, name="v")
        loss = (tf.reduce_sum(tf.gather(v, [0, 0]) ** 2) if sparse
                else tf.reduce_sum(v ** 2))


def test_adam_own_namescope_for_non_slot_vars():
    v = tf.Variable([1.0], name="v")
    with tf.name_scope("outer"):
        o = tf.train.AdamOptimizer(0.1, use_own_namescope_for_non_slot_vars=True)
        t = o.minimize(v * 2.0)
        o2 = tf.train.AdamOptimizer(0.1, use_own_namescope_for_non_slot_vars=True)
        t2 = o2.minimize(v * 3.0)
    assert sorted(x.name for x in tf.global_variables()) == [
        "Adam/beta1_power:0", "Adam/beta2_power:0", "Adam_1/beta1_power:0",
        "Adam_1/beta2_power:0", "v/Adam:0", "v/Adam_1:0", "v/Adam_2:0", "v/Adam_3:0", "v:0"]
    # the constructor's variable scope took outer/Adam, so the train ops come after it
    assert (t.name, t2.name) == ("outer/Adam_1", "outer/Adam_3")
    # skip_gradients_aggregation is accepted (it only matters under a distribution strategy)
    t3 = tf.train.GradientDescentOptimizer(0.5).apply_gradients(
        [(tf.constant([1.0]), v)], skip_gradients_aggregation=True)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(t)
        sess.run(t3)
        assert sess.run(v).tolist() == pytest.approx([0.4])
