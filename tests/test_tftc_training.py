"""Differences found by running TensorFlow's own training/variable unit tests against
varstore; every expected value here was recorded from TF 2.21 (tf.compat.v1, graph mode)."""

import numpy as np
import pytest

import varstore as tf


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def test_minimize_callable_loss_graph_mode_uses_a_tape():
    # TF runs a callable loss under a GradientTape in graph mode too (momentum_test's
    # testMinimizeSparseResourceVariable); the variables default to the ones it read.
    v = tf.Variable([[1.0, 2.0]], use_resource=True, name="v")
    w = tf.Variable(3.0, name="w")

    def loss():
        x = tf.constant([[4.0], [5.0]])
        return tf.reduce_sum(tf.matmul(tf.nn.embedding_lookup([v], [0]), x) ** 2)

    opt = tf.train.MomentumOptimizer(1.0, 0.0)
    gv = opt.compute_gradients(loss)
    assert [(type(g).__name__, g.name, var.name) for g, var in gv] == [
        ("IndexedSlices", "gradient_tape/embedding_lookup/Reshape:0", "v:0")]
    gv2 = opt.compute_gradients(lambda: w * 2.0, var_list=[v, w])
    assert gv2[0][0] is None
    assert [var.name for _, var in gv2] == ["v:0", "w:0"]
    train = opt.minimize(loss)
    assert train.name == "Momentum"
    assert [i.name for i in train.control_inputs] == [
        "Momentum/update_v/ResourceSparseApplyMomentum"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(gv2[1][0]) == 2.0
        sess.run(train)
        np.testing.assert_allclose(sess.run(v), [[-111.0, -138.0]])


@pytest.mark.parametrize("make", [lambda: tf.constant([1, 2]), lambda: tf.constant(1),
                                  lambda: tf.placeholder(tf.float32),
                                  lambda: tf.Variable([0.0, 1.0])],
                         ids=["vector", "scalar", "unknown_shape", "variable"])
def test_iterating_a_graph_tensor_is_refused(make):
    # TF's graph-mode Tensor.__iter__ (variables_test's testIterableV1): any shape.
    t = make()
    with pytest.raises(TypeError, match=r"^Iterating over a symbolic `tf.Tensor` is not "
                                        r"allowed\. You can attempt"):
        iter(t)
    with pytest.raises(TypeError, match="Iterating over a symbolic"):
        _a, _b = t


def test_variable_to_proto_from_proto_and_variable_def():
    v = tf.Variable(3.0, name="v", trainable=False)
    d = v.to_proto()
    assert str(d) == (
        'variable_name: "v:0"\ninitializer_name: "v/Assign"\n'
        'snapshot_name: "v/Read/ReadVariableOp:0"\nis_resource: true\n'
        'initial_value_name: "v/Initializer/initial_value:0"\n')
    w = tf.Variable(variable_def=d)
    assert (w.name, w.trainable, w.initial_value.name, w.initializer.name) == (
        "v:0", False, "v/Initializer/initial_value:0", "v/Assign")
    assert tf.Variable.from_proto(d).name == "v:0"
    with pytest.raises(ValueError, match="^The variable_def and initial_value args to "
                                         "`tf.Variable` are mutually exclusive, but got both"):
        tf.Variable(1.0, variable_def=d)
    with tf.name_scope("outer"):
        u = tf.Variable([1.0], name="u")
    assert u.to_proto(export_scope="outer").variable_name == "u:0"
    assert u.to_proto(export_scope="zzz") is None


def test_save_slice_info_spec_round_trip_and_errors():
    info = tf.Variable.SaveSliceInfo(full_name="foo", full_shape=[2, 3, 4],
                                     var_offset=[0, 2, 0], var_shape=[1, 1, 3])
    back = tf.Variable.SaveSliceInfo.from_spec(info.spec)
    assert (info.spec, back.spec, back.full_name) == ("2 3 4 0,1:2,1:0,3", info.spec, None)
    assert str(info.to_proto()) == (
        'full_name: "foo"\nfull_shape: 2\nfull_shape: 3\nfull_shape: 4\nvar_offset: 0\n'
        'var_offset: 2\nvar_offset: 0\nvar_shape: 1\nvar_shape: 1\nvar_shape: 3\n')
    cases = {"0": "Spec string must contain space-separated full_shape info.",
             "a b": "Spec string full_shape must be a sequence of integers. Found 'a', "
                    "which is not an integer.",
             "0 0:0": "Spec string must contain comma-separated pairs of offsets and shapes.",
             "0 a,0:0:0": "Spec string var_offset must be an integer. Found 'a', which is "
                          "not an integer.",
             "0 0,a:0:0": "Spec string var_shape must be an integer. Found 'a', which is not "
                          "an integer."}
    for spec, message in cases.items():
        with pytest.raises(ValueError) as err:
            tf.Variable.SaveSliceInfo.from_spec(spec)
        assert str(err.value) == message


def test_resource_variable_of_unknown_shape_takes_any_assign():
    z = tf.Variable(np.zeros([1, 1]), shape=tf.TensorShape(None), name="z")
    grow = z.assign(np.ones([2, 3]))
    assert z.shape.rank is None
    assert z.read_value().shape.rank is None
    p = tf.placeholder_with_default(np.zeros([1, 2]), shape=[None, 2])
    assert tf.Variable(p).shape.as_list() == [None, 2]  # partial: fine for a resource var
    with pytest.raises(ValueError, match="initial_value must have a shape specified"):
        tf.Variable(p, use_resource=False)
    with tf.Session() as sess:
        sess.run(z.initializer)
        assert sess.run(z).shape == (1, 1)
        sess.run(grow)
        assert sess.run(z).tolist() == [[1.0] * 3] * 2


def test_variable_made_in_a_cond_branch_initializes_without_the_predicate():
    v0 = tf.Variable(0, name="v0")
    box = {}

    def then():
        box["v1"] = tf.Variable(1, name="v1")
        return box["v1"] + v0

    add = tf.cond(tf.less(v0, 10), then, lambda: v0 + 2)
    v1 = box["v1"]
    assert v1.initial_value.op.control_inputs == []
    with tf.Session() as sess:
        sess.run(v1.initializer)  # v0 is still uninitialized
        assert sess.run(v1) == 1
        with pytest.raises(tf.errors.FailedPreconditionError):
            sess.run(add)


@pytest.mark.parametrize("bounds", ["both", "max_only", "min_only"],
                         ids=["both", "max_only", "min_only"])
def test_clip_by_value_refuses_a_broadcasting_bound(bounds):
    # TF's clip_by_value asserts the result keeps t's shape (clip_ops_test's
    # testClipByValueBadShape): (2, 3, 1) against a (2,) bound
    x = tf.constant([-5.0, 2.0, 3.0, 4.0, 5.0, 6.0], shape=[2, 3, 1])
    clip = tf.constant([1.0, 2.0])
    lo, hi = {"both": (-clip, clip), "max_only": (1.0, clip), "min_only": (clip, 1.0)}[bounds]
    with pytest.raises(ValueError, match=r"^Shapes \(2, 3, 1\) and \(2, 3, 2\) are "
                                         r"incompatible$"):
        tf.clip_by_value(x, lo, hi)
    # a bound that broadcasts within t's shape is fine
    assert tf.clip_by_value(x, tf.constant([[[0.0]], [[1.0]]]), 3.0).shape.as_list() == [2, 3, 1]


def test_assign_moving_average_zero_debias_default():
    # TF's default zero_debias=True (moving_averages_test): biased/local_step variables in
    # the variable scope named after the variable, TF's node names and values.
    from varstore.train import moving_averages

    with tf.variable_scope("outer"):
        var = tf.Variable([10.0, 11.0], name="v")
        val = tf.placeholder(tf.float32, [2])
        before = {o.name for o in tf.get_default_graph().get_operations()}
        a = moving_averages.assign_moving_average(var, val, 0.25)
        a2 = moving_averages.assign_moving_average(var, val, 0.5)
    made = [o.name for o in tf.get_default_graph().get_operations() if o.name not in before]
    assert (a.name, a.op.type, a2.name) == ("outer/AssignMovingAvg", "AssignVariableOp",
                                            "outer/AssignMovingAvg_1")
    assert made[:8] == ["outer/AssignMovingAvg/decay", "outer/outer/v/biased/Initializer/zeros",
                        "outer/outer/v/biased", "outer/outer/v/biased/IsInitialized/"
                        "VarIsInitializedOp", "outer/outer/v/biased/Assign",
                        "outer/outer/v/biased/Read/ReadVariableOp",
                        "outer/outer/v/local_step/Initializer/zeros", "outer/outer/v/local_step"]
    assert "outer/AssignMovingAvg/Pow" in made and "outer/AssignMovingAvg/truediv" in made
    assert [v.name for v in tf.global_variables()] == [
        "outer/v:0", "outer/outer/v/biased:0", "outer/outer/v/local_step:0",
        "outer/outer/v/biased_1:0", "outer/outer/v/local_step_1:0"]
    assert [v.name for v in tf.trainable_variables()] == ["outer/v:0"]
    ema = tf.train.ExponentialMovingAverage(0.9, zero_debias=True)
    t = var * 2.0
    with tf.device("/cpu:0"):
        up = ema.apply([var, t])
    assert ema.average(t).name == "mul/ExponentialMovingAverage:0"
    assert ema.average(t).device == "/device:CPU:0"  # a tensor's average: the current device
    assert [v.name for v in tf.global_variables()][5:] == [
        "outer/v/ExponentialMovingAverage:0", "mul/ExponentialMovingAverage:0",
        "mul/ExponentialMovingAverage/biased:0", "mul/ExponentialMovingAverage/local_step:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(a, {val: [1.0, 2.0]}), [1.0, 2.0])
        np.testing.assert_allclose(sess.run(a, {val: [3.0, 5.0]}), [2.6, 4.4], rtol=1e-6)
        np.testing.assert_allclose(sess.run(a2, {val: [1.0, 2.0]}), [1.0, 2.0])
        sess.run(up)
        sess.run(up)
        np.testing.assert_allclose(sess.run(ema.average(t)), [2.0, 4.0], rtol=1e-6)
        np.testing.assert_allclose(sess.run(ema.average(var)), [8.29, 9.29], rtol=1e-6)


def test_learning_rate_decays_follow_tf_graphs():
    # natural_exp_decay is TF's ExponentialDecay of exp(-rate) (built in the caller's
    # scope); cosine_decay's result is the unnamed CosineDecay/Mul_3 (names recorded from TF)
    step = tf.placeholder(tf.int64, [], name="step")
    with tf.name_scope("o"):
        nat = tf.train.natural_exp_decay(0.1, step, 10, 0.5, staircase=True)
        cos = tf.train.cosine_decay(0.1, step, 100, alpha=0.1)
    assert [o.name for o in tf.get_default_graph().get_operations()][:12] == [
        "step", "o/Neg/x", "o/Neg", "o/Exp", "o/ExponentialDecay/initial_learning_rate",
        "o/ExponentialDecay/Cast/x", "o/ExponentialDecay/Cast", "o/ExponentialDecay/Cast_1",
        "o/ExponentialDecay/truediv", "o/ExponentialDecay/Floor", "o/ExponentialDecay/Pow",
        "o/ExponentialDecay"]
    assert (nat.name, cos.name) == ("o/ExponentialDecay:0", "o/CosineDecay/Mul_3:0")
    with tf.Session() as sess:
        got = [sess.run([nat, cos], {step: s}) for s in (0, 10, 33, 1000)]
    np.testing.assert_allclose(got, [[0.1, 0.1], [0.060653068, 0.09779754],
                                     [0.022313017, 0.07790686], [1.928752e-23, 0.010000001]],
                               rtol=1e-6)


def test_piecewise_constant_boundary_dtype_rule():
    step = tf.placeholder(tf.int64, [])
    with pytest.raises(ValueError, match=r"^Boundaries \(<dtype: 'float32'>\) must have the "
                                         r"same dtype as x \(<dtype: 'int64'>\)\.$"):
        tf.train.piecewise_constant(step, [10.0, 100.0], [1.0, 0.1, 0.01])
    lr = tf.train.piecewise_constant(step, [10, 100], [1.0, 0.1, 0.01])  # int32 -> int64
    with tf.Session() as sess:
        assert [float(sess.run(lr, {step: s})) for s in (10, 11, 101)] == pytest.approx(
            [1.0, 0.1, 0.01])


def test_slots_of_a_partitioned_variable_save_as_one_sliced_tensor(tmp_path):
    # TF's _create_slot_var gives a part's slot the part's slice of "<full>/<slot>", so a
    # TF checkpoint holds w/Adam [4, 2], not w/part_0/Adam (recorded from TF 2.21)
    w = tf.get_variable("w", [4, 2], initializer=tf.ones_initializer(),
                        partitioner=tf.fixed_size_partitioner(2))
    opt = tf.train.AdamOptimizer(0.1)
    train = opt.minimize(tf.reduce_sum(tf.convert_to_tensor(w) ** 2))
    slots = [opt.get_slot(p, "m") for p in w]
    assert [(s.name, s._save_slice_info.full_name, s._save_slice_info.spec) for s in slots] == [
        ("w/part_0/Adam:0", "w/Adam", "4 2 0,2:0,2"), ("w/part_1/Adam:0", "w/Adam", "4 2 2,2:0,2")]
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        path = saver.save(sess, str(tmp_path / "ck"))
    assert tf.train.list_variables(path) == [
        ("beta1_power", []), ("beta2_power", []), ("w", [4, 2]), ("w/Adam", [4, 2]),
        ("w/Adam_1", [4, 2])]


def test_zeros_slot_of_a_dynamic_shape():
    # TF's create_zeros_slot: zeros of the run-time shape when the static one is partial
    from varstore.train import slot_creator

    v = tf.placeholder_with_default(tf.constant([1.0, 2.0, 3.0]), shape=[None], name="const")
    with tf.control_dependencies(None):
        slot = slot_creator.create_zeros_slot(v, name="slot", dtype=tf.float64)
    # (const_1: TF uniquifies op names case-insensitively against the "Const" input)
    assert (slot.op.name, slot.dtype, slot.shape.as_list()) == ("const_1/slot", tf.float64,
                                                                [None])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(slot).tolist() == [0.0, 0.0, 0.0]


_HESSIAN_CASES = {
    # f(x) for x = [1, 2, 3]; hessians recorded from TF 2.21
    "slice": (lambda x: tf.reduce_sum(x[:, None] * x[:, None]),
              [[2.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 2.0]]),
    "slice2": (lambda x: tf.reduce_sum(x[1:] ** 3),
               [[0.0, 0.0, 0.0], [0.0, 12.0, 0.0], [0.0, 0.0, 18.0]]),
    "matmul": (lambda x: tf.reduce_sum(tf.matmul(x[None, :], x[:, None]) ** 2),
               [[64.0, 16.0, 24.0], [16.0, 88.0, 48.0], [24.0, 48.0, 128.0]]),
    "transpose": (lambda x: tf.reduce_sum(tf.transpose(x[None, :] * x[:, None]) * x),
                  [[16.0, 6.0, 8.0], [6.0, 20.0, 10.0], [8.0, 10.0, 24.0]]),
    "sqrt": (lambda x: tf.reduce_sum(tf.sqrt(x) ** 3),
             [[0.75, 0.0, 0.0], [0.0, 0.53, 0.0], [0.0, 0.0, 0.433]]),
    "reduce_prod": (lambda x: tf.reduce_prod(x * x),
                    [[72.0, 72.0, 48.0], [72.0, 18.0, 24.0], [48.0, 24.0, 8.0]]),
}


@pytest.mark.parametrize("case", sorted(_HESSIAN_CASES), ids=sorted(_HESSIAN_CASES))
def test_second_order_gradients(case):
    # StridedSliceGrad was NotDifferentiable (silent zeros); SqrtGrad and Cumprod (so
    # reduce_prod's gradient) had no gradient at all
    fn, expected = _HESSIAN_CASES[case]
    x = tf.constant([1.0, 2.0, 3.0])
    h = tf.hessians(fn(x), x)[0]
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(h), expected, rtol=1e-3, atol=1e-6)


def test_gradient_of_gradient_nodes_match_tf():
    x = tf.constant([1.0, 2.0, 3.0, 0.5])
    y = (tf.reduce_sum(tf.sqrt(x) * tf.rsqrt(x) + tf.reciprocal(x) + tf.cumprod(x))
         + tf.reduce_sum(x[1:3] ** 2))
    g = tf.gradients(y, x)[0]
    gg = tf.gradients(g, x)[0]
    names = [o.name for o in tf.get_default_graph().get_operations()
             if o.name.startswith("gradients_1/strided_slice_grad/")]
    assert names == ["gradients_1/strided_slice_grad/Shape",
                     "gradients_1/strided_slice_grad/StridedSliceGrad/shape",
                     "gradients_1/strided_slice_grad/StridedSliceGrad/begin",
                     "gradients_1/strided_slice_grad/StridedSliceGrad/end",
                     "gradients_1/strided_slice_grad/StridedSliceGrad/strides",
                     "gradients_1/strided_slice_grad/StridedSliceGrad"]
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(gg), [16.5, 12.25, 8.574073791503906, 27.0],
                                   rtol=1e-6)


@pytest.mark.parametrize("mode", ["REFLECT", "SYMMETRIC"], ids=["reflect", "symmetric"])
def test_mirror_pad_gradient(mode):
    # TF's MirrorPadGrad (was: LookupError, no gradient for MirrorPad); values from TF 2.21
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4))
    y = tf.pad(x, [[1, 2], [2, 1]], mode=mode)
    w = tf.constant(np.arange(6 * 7, dtype=np.float32).reshape(6, 7))
    g = tf.gradients(tf.reduce_sum(y * w), x)[0]
    gg = tf.gradients(tf.reduce_sum(g * g), w)[0]  # MirrorPadGrad's gradient: a MirrorPad
    assert (g.name, g.op.type, g.shape.as_list()) == (
        "gradients/MirrorPad_grad/MirrorPadGrad:0", "MirrorPadGrad", [3, 4])
    expected = {"REFLECT": ([[46.0, 92.0, 146.0, 52.0], [48.0, 96.0, 156.0, 57.0],
                             [23.0, 46.0, 73.0, 26.0]], 8190.0),
                "SYMMETRIC": ([[20.0, 20.0, 15.0, 36.0], [104.0, 104.0, 57.0, 120.0],
                               [104.0, 104.0, 57.0, 120.0]], 6372.0)}[mode]
    with tf.Session() as sess:
        assert sess.run(g).tolist() == expected[0]
        assert float(sess.run(gg).sum()) == expected[1]


def test_mirror_pad_gradient_of_fed_paddings():
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4))
    p = tf.placeholder(tf.int32, [2, 2])
    g = tf.gradients(tf.reduce_sum(tf.pad(x, p, mode="REFLECT") ** 2), x)[0]
    assert g.shape.as_list() == [3, 4]  # tf.gradients sets each gradient to x's shape
    with tf.Session() as sess:
        assert sess.run(g, {p: [[0, 2], [3, 0]]}).tolist() == [
            [0.0, 8.0, 16.0, 24.0], [16.0, 40.0, 48.0, 56.0], [16.0, 36.0, 40.0, 44.0]]


def test_activation_second_order_gradients():
    # Relu6Grad / SeluGrad had no gradient (LookupError); values recorded from TF 2.21
    x = tf.constant([-1.0, 0.5, 2.0, 7.0])
    got = {}
    with tf.Session() as sess:
        for name, fn in (("relu6", lambda: tf.nn.relu6(x * x)),
                         ("selu", lambda: tf.nn.selu(x * x - 1.0))):
            g = tf.gradients(tf.reduce_sum(fn() ** 2), x)[0]
            gg = tf.gradients(tf.reduce_sum(g ** 2), x)[0]
            got[name] = sess.run(gg)
    np.testing.assert_allclose(got["relu6"], [-96.0, 3.0, 3072.0, 0.0], rtol=1e-6)
    np.testing.assert_allclose(got["selu"], [0.0, 9.9928, 2574.0117, 1913192.625], rtol=1e-4)


def test_grad_ys_follow_tf_default_grad_ys():
    # TF's _DefaultGradYs: grad_y_<i> conversion, the real/integer type rule, an Identity
    # grad_ys_<i>; a wrong dtype fails in the op that uses it (TF's errors, recorded)
    x = tf.constant([1.0, 2.0])
    y = x * 2.0
    with pytest.raises(TypeError, match=r"^Input 'y' of 'Mul' Op has type float32 that does "
                                        r"not match type float64 of argument 'x'\.$"):
        tf.gradients(y, x, grad_ys=tf.constant([1.0, 2.0], dtype=tf.float64))
    with pytest.raises(ValueError, match=r"^Length mismatch\. Passed 2 grad_ys for 1 ys$"):
        tf.gradients(y, x, grad_ys=[3.0, 4.0])
    with pytest.raises(TypeError, match=r"^Gradient type bool generated for real or "
                                        r"integer-valued tensor Tensor\(\"mul:0\", shape=\(2,\), "
                                        r"dtype=float32\) with type float32 must be real or "
                                        r"integer$"):
        tf.gradients(y, x, grad_ys=tf.constant([True, False]))
    with pytest.raises(ValueError, match=r"^Incompatible shapes between op input and "
                                         r"calculated input gradient\. Forward operation: mul\. "
                                         r"Input index: 0\. Original input shape: \(2,\)\. "
                                         r"Calculated input gradient shape: \(\)$"):
        tf.gradients(y, x, grad_ys=5.0)
    g = tf.gradients(y, x, grad_ys=tf.constant([3.0, 4.0], name="gy"))[0]
    assert [o.name for o in tf.get_default_graph().get_operations() if "grad_y" in o.name] == [
        "gradients/grad_ys_0", "gradients_3/grad_y_0", "gradients_3/grad_ys_0",
        "gradients_4/grad_ys_0"]  # (each failed call still took its scope, as in TF)
    assert tf.get_default_graph().get_operation_by_name("gradients_4/grad_ys_0").type == \
        "Identity"
    with tf.Session() as sess:
        assert sess.run(g).tolist() == [6.0, 8.0]


def test_cond_branch_checks_follow_tf2_graph_mode():
    # TF 2.21 builds cond_v2 in graph mode: its errors, and no singleton unpacking
    c = tf.constant
    with pytest.raises(TypeError, match=r"^true_fn and false_fn arguments to tf\.cond must "
                                        r"have the same number, type, and overall structure "
                                        r"of return values\.\n\ntrue_fn output: (?s:.)*have "
                                        r"different types$"):
        tf.cond(c(True), lambda: c(1), lambda: c(2.0))
    with pytest.raises(AssertionError, match=r"^\[2, 1\]$"):
        tf.cond(c(True), lambda: (c(1), c(2)), lambda: c(3))
    with pytest.raises(TypeError, match="The two dictionaries don't have the same set of keys"):
        tf.cond(c(True), lambda: {"a": c(1)}, lambda: {"b": c(3)})  # was: silently {"a": ...}
    with pytest.raises(TypeError, match="don't have the same sequence type"):
        tf.cond(c(True), lambda: (c(1), c(2)), lambda: [c(3), c(4)])
    with pytest.raises(TypeError) as err:
        tf.cond(True, lambda: c(1), lambda: c(2))
    assert err.value.args == ("pred must not be a Python bool", True)
    out = tf.cond(c(True), lambda: [c(1)], lambda: [c(2)])
    assert isinstance(out, list) and len(out) == 1
    with tf.Session() as sess:
        assert sess.run(out) == [1]


def test_cond_v1_checks_after_disable_control_flow_v2():
    c = tf.constant
    tf.disable_control_flow_v2()
    try:
        with pytest.raises(ValueError, match=r"^Incompatible return values of `true_fn` and "
                                             r"`false_fn`: The two structures don't have the "
                                             r"same nested structure"):
            tf.cond(c(True), lambda: {"a": c(1)}, lambda: {"b": c(3)})
        with pytest.raises(ValueError, match=r"^Outputs of true_fn and false_fn must have the "
                                             r"same type: int32, float32$"):
            tf.cond(c(True), lambda: c(1), lambda: c(2.0))
        out = tf.cond(c(True), lambda: [c(1)], lambda: [c(2)])  # TF1 unpacks it
        assert isinstance(out, tf.Tensor)
    finally:
        tf.enable_control_flow_v2()


def test_while_loop_structure_and_dtype_errors():
    c = tf.constant
    with pytest.raises(ValueError, match=r"^The two structures don't have the same nested "
                                         r"structure\.\n\nFirst structure: type=dict"):
        # loop_vars is a list of one dict; the body returns the dict itself (TF refuses)
        tf.while_loop(lambda d: d["i"] < 3, lambda d: {"i": d["i"] + 1}, [{"i": c(0)}])
    with pytest.raises(TypeError, match=r"^Loop var Const_1:0 enters the loop with type "
                                        r"<dtype: 'int32'> but has type <dtype: 'float32'> "
                                        r"after 1 iteration\. Const_1:0 type should remain "
                                        r"constant\.$"):
        tf.while_loop(lambda i: i < 3, lambda i: tf.cast(i, tf.float32) + 1.0, [c(0)])


def test_saver_refuses_one_variable_under_two_names():
    v = tf.Variable(1.0, name="v")
    with pytest.raises(ValueError, match=r"^The same saveable will be restored with two "
                                         r"names: b$"):
        tf.train.Saver({"b": v, "a": v})  # (TF names the second in sorted order)
    with pytest.raises(ValueError, match=r"^At least two variables have the same name: v$"):
        tf.train.Saver([v, v])


def test_get_global_step_with_two_in_the_collection_is_none():
    # TF logs 'Multiple tensors in global_step collection.' and answers None
    tf.Variable(0, name="a", collections=[tf.GraphKeys.GLOBAL_STEP])
    tf.Variable(0, name="b", collections=[tf.GraphKeys.GLOBAL_STEP])
    assert tf.train.get_global_step() is None
    assert tf.train.get_or_create_global_step().name == "global_step:0"


def test_tf_assign_on_a_ref_variable_is_tf_gen_op():
    # TF's state_ops.assign: a ref variable takes gen_state_ops.assign (validate_shape
    # honoured, use_locking default True, op_def_library's dtype TypeError)
    v = tf.Variable([1.0, 2.0], use_resource=False, name="v")
    grow = tf.assign(v, [1.0, 2.0, 3.0], validate_shape=False)
    assert grow.op.get_attr("use_locking") is True
    assert v.assign([3.0, 4.0]).op.get_attr("use_locking") is False
    with pytest.raises(TypeError, match=r"^Input 'value' of 'Assign' Op has type int32 that "
                                        r"does not match type float32 of argument 'ref'\.$"):
        tf.assign(v, tf.constant([1, 2]))
    with pytest.raises(ValueError, match=r"use_locking=true, validate_shape=true\]"):
        tf.assign(v, [1.0, 2.0, 3.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(grow).tolist() == [1.0, 2.0, 3.0]
        assert sess.run(v).tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("resource", [True, False], ids=["resource", "ref"])
def test_sliced_variable_assign(resource):
    # TF's _SliceHelperVar: v[...] has .assign (ResourceStridedSliceAssign / StridedSliceAssign
    # over the slice's own begin/end/strides); names and values recorded from TF 2.21
    v = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], use_resource=resource, name="v")
    a = v[:, 1:].assign([[7.0, 8.0], [9.0, 10.0]], name="sa")
    b = v[0, ::2].assign(tf.constant([0.5, 0.25]))
    op_type = "ResourceStridedSliceAssign" if resource else "StridedSliceAssign"
    assert a.op.type == op_type
    assert [i.name for i in a.op.inputs][:4] == [
        "v:0", "strided_slice/stack:0", "strided_slice/stack_1:0", "strided_slice/stack_2:0"]
    assert b.op.name == "strided_slice_1/_assign"
    with pytest.raises(AttributeError):
        tf.constant([1.0])[0].assign(2.0)  # only a variable's slice assigns
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(a).tolist() == [[1.0, 7.0, 8.0], [4.0, 9.0, 10.0]]
        assert sess.run(b).tolist() == [[0.5, 7.0, 0.25], [4.0, 9.0, 10.0]]


def test_gradients_do_not_flow_along_integer_paths():
    # TF's _MarkReachedOps follows trainable outputs only (values recorded from TF 2.21)
    x = tf.constant([1, 2])
    f = tf.constant([1.0, 2.0])
    assert tf.gradients(x * 2, x) == [None]
    assert tf.gradients(tf.cast(x, tf.float32) * f, x) == [None]
    assert tf.gradients(tf.reduce_sum(tf.gather(f, x)), [f, x])[1] is None
    assert tf.gradients(tf.cast(tf.cast(f, tf.int32), tf.float32) * 2.0, f) == [None]
