"""Differences found by running TensorFlow's own control-flow and sparse unit tests against
varstore; every expected value here was recorded from TF 2.21 (tf.compat.v1, graph mode)."""

import numpy as np
import pytest

import varstore as tf


def _sparse_placeholder():
    return tf.SparseTensor(tf.placeholder(tf.int64), tf.placeholder(tf.float64),
                           tf.placeholder(tf.int64))


def _first_line(err):
    return str(err.value).split("\n")[0]


def test_shape_size_rank_of_sparse_tensor_use_dense_shape():
    # sparse_reshape_op_test's testWorksWellWithTfShape: tf.shape of a SparseTensor is its
    # dense_shape cast to int32 (a Cast node even for int64), tf.size the Prod of it,
    # tf.rank a Size node of it.
    p = _sparse_placeholder()
    q = tf.SparseTensor([[0, 1]], [1.0], [2, 3])
    got = [tf.shape(p), tf.shape(p, out_type=tf.int64), tf.size(p), tf.rank(p),
           tf.shape(q), tf.size(q), tf.rank(q), tf.size(q, out_type=tf.int64)]
    assert [(t.name, t.dtype.name, t.shape.as_list() if t.shape.ndims is not None else None)
            for t in got] == [
        ("Shape/Cast:0", "int32", None), ("Shape_1/Cast:0", "int64", None),
        ("Size:0", "int32", None), ("Rank:0", "int32", []),
        ("Shape_2/Cast:0", "int32", [2]), ("Size_1:0", "int32", []),
        ("Rank_1:0", "int32", []), ("Size_2:0", "int64", [])]
    ops = [(o.name, o.type) for o in tf.get_default_graph().get_operations()]
    assert ("Size", "Prod") in ops and ("Rank", "Size") in ops and ("Size/Cast", "Cast") in ops
    with tf.Session() as sess:
        out = sess.run(got[4:7])
        assert [v.tolist() for v in out] == [[2, 3], 6, 2]
        vals = sess.run(got[:4], {p: tf.SparseTensorValue([[0, 0, 1]], [1.0], [4, 5, 6])})
        assert [np.asarray(v).tolist() for v in vals] == [[4, 5, 6], [4, 5, 6], 120, 3]


def test_shape_of_sparse_tensor_value():
    v = tf.SparseTensorValue(np.array([[0, 0]], np.int64), np.array([1.0]),
                             np.array([3, 7], np.int64))
    with tf.Session() as sess:
        assert sess.run(tf.shape(v)).tolist() == [3, 7]


def test_sparse_reshape_unknown_new_shape_is_still_a_vector():
    # testFeedPartialShapes: SparseReshape's shape fn takes WithRank(new_shape, 1)
    sp = _sparse_placeholder()
    sp.indices.set_shape([5, None])
    out = tf.sparse.reshape(sp, tf.placeholder(tf.int64))
    assert out.indices.shape.as_list() == [5, None]
    assert out.dense_shape.shape.as_list() == [None]


def test_sparse_dense_add_invalid_index_message():
    dense = tf.zeros([2, 2, 3], tf.int32)
    s = tf.sparse.add(tf.SparseTensorValue([[0, 1, 0], [1, 2, 5]], [0, 1], [2, 2, 3]), dense)
    s2 = tf.sparse.add(tf.SparseTensorValue([[-1, 0]], [0], [2, 2]), tf.zeros([2, 2], tf.int32))
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as err:
            sess.run(s)
        assert _first_line(err) == ("Sparse tensor has an invalid index on dimension 1: "
                                    "a_indices(1,1) = 2, dense tensor shape: 2 2 3")
        with pytest.raises(tf.errors.InvalidArgumentError) as err:
            sess.run(s2)
        assert _first_line(err) == ("Sparse tensor has an invalid index on dimension 0: "
                                    "a_indices(0,0) = -1, dense tensor shape: 2 2")


def test_sparse_dense_matmul_half_accumulates_in_float32():
    # testBasic(float16): TF's SumType<half> is float, so 2048 + 1 + 1 is 2050, not 2048
    sp = tf.SparseTensor([[0, 0], [0, 1], [0, 2]], np.array([1, 1, 1], np.float16), [1, 3])
    r = tf.sparse.sparse_dense_matmul(sp, np.array([[2048], [1], [1]], np.float16))
    with tf.Session() as sess:
        out = sess.run(r)
    assert out.dtype == np.float16 and out.tolist() == [[2050.0]]


def test_test_case_evaluate_fetches_sparse_tensors():
    # TF's TestCase.evaluate gives a SparseTensorValue for a SparseTensor (every TF sparse
    # test reads .indices / .values of it)
    class _T(tf.test.TestCase):
        def runTest(self):
            sp = tf.SparseTensor([[0, 1]], [2.0], [2, 3])
            out = self.evaluate({"a": sp, "b": tf.constant(1)})
            assert isinstance(out["a"], tf.SparseTensorValue)
            assert out["a"].indices.tolist() == [[0, 1]]
            assert out["a"].dense_shape.tolist() == [2, 3] and out["b"] == 1
    t = _T()
    t.setUp()
    try:
        t.runTest()
    finally:
        t.tearDown()


def test_sparse_merge_dynamic_dense_shape_keeps_vocab_size():
    # sparse_ops_test's testShouldSetLastDimensionInDynamicShape: constant_value_as_shape of
    # a StridedSlice of a length-2 vector is (None,), so the merged shape is (None, 5)
    dyn = tf.placeholder_with_default(tf.constant([2, 2], dtype=tf.int64), shape=[2])
    ids = tf.SparseTensor(indices=[[0, 0], [0, 1]], values=[1, 3], dense_shape=dyn)
    vals = tf.SparseTensor(indices=[[0, 0], [0, 1]], values=[0.4, 0.7], dense_shape=dyn)
    merged = tf.sparse.merge(sp_ids=ids, sp_values=vals, vocab_size=5)
    assert merged.get_shape().as_list() == [None, 5]
    assert tf.SparseTensor([[0]], [1.0], dyn[1:]).get_shape().as_list() == [None]


@pytest.mark.parametrize("build,node", [
    (lambda sp: tf.sparse.softmax(sp).values, "SparseSoftmax/SparseSoftmax"),
    (lambda sp: tf.sparse.reduce_max(sp, 0), "SparseReduceMax"),
    (lambda sp: tf.sparse.reduce_sum(sp, 0), "SparseReduceSum"),
    (lambda sp: tf.sparse.reduce_max_sparse(sp, 0).values, "SparseReduceMaxSparse"),
], ids=["softmax", "reduce_max", "reduce_sum", "reduce_max_sparse"])
def test_sparse_kernels_reject_overflowing_dense_shape(build, node):
    # testIntegerOverflow: TF's BuildTensorShape refuses a 2**32 x 2**31 dense shape (varstore
    # allocated a 2**31-element output)
    out = build(tf.SparseTensor([[1, 1], [3, 4]], [1.0, 3.0], [2**32, 2**31]))
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as err:
        sess.run(out)
    assert _first_line(err) == ("Encountered overflow when multiplying 4294967296 with "
                                "2147483648, result: -9223372036854775808")
    assert node in str(err.value)


def test_sparse_softmax_rejects_negative_dense_shape():
    out = tf.sparse.softmax(tf.SparseTensor([[1, 1]], [2.0], [-1, 1])).values
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as err:
        sess.run(out)
    assert _first_line(err) == "Expected shape dimensions to be non-negative, got -1"


def test_sparse_segment_sparse_gradient_is_indexed_slices():
    # segment_reduction_ops_test's testSparseGradient: TF's _SparseSegmentReduceGradV2
    x = tf.constant(np.arange(40, dtype=np.float64).reshape(10, 4))
    s = tf.sparse.segment_mean(x, [8, 3, 0, 3], [0, 1, 2, 2], sparse_gradient=True)
    g = tf.gradients(s, x)[0]
    assert isinstance(g, tf.IndexedSlices)
    assert (g.values.name, g.indices.name, g.dense_shape.name) == (
        "gradients/SparseSegmentMean_grad/SparseSegmentMeanGradV2:0",
        "gradients/SparseSegmentMean_grad/SparseSegmentMeanGradV2:1",
        "gradients/SparseSegmentMean_grad/Shape:0")
    with tf.Session() as sess:
        v = sess.run(g)
    assert v.values.tolist() == [[0.5] * 4, [1.5] * 4, [1.0] * 4]
    assert v.indices.tolist() == [0, 3, 8] and v.dense_shape.tolist() == [10, 4]


def _seg_grad(kind, grad, idx, seg, dim0, v2):
    # the gradient ops' kernels, reached through varstore's builder (TF's gen_math_ops ops)
    from varstore.ops import sparse_segment_ops
    cv = tf.convert_to_tensor
    outs = sparse_segment_ops._grad_op(kind, cv(grad), cv(idx, tf.int32), cv(seg, tf.int32),
                                       cv(dim0, tf.int32), v2)
    return outs if v2 else outs[0]


@pytest.mark.parametrize("kind,v2,want", [
    ("Sum", False, "Index 10 out of range [0, 10)."),
    ("Mean", False, "Segment id 1 out of range [0, 1)."),
    ("SqrtN", False, "Segment id 1 out of range [0, 1)."),
    ("Mean", True, "Index 10 out of range [0, 10)."),
], ids=["sum", "mean", "sqrt_n", "mean_v2"])
def test_sparse_segment_grad_check_order(kind, v2, want):
    # TF's V1 mean / sqrt_n kernels check every segment id in their scaling loop first;
    # sum and the V2 ops check entry by entry, index before segment id
    out = _seg_grad(kind, np.ones((1, 2), np.float32), [10, 3, 0, 9], [0, 1, 2, 0], 10, v2)
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as err:
        sess.run(out)
    assert _first_line(err) == want


def test_sparse_segment_grad_weights_count_every_occurrence():
    # TF's scaling counts each id over all the entries (1/2 for id 0 here, not 1/1 per run)
    x = np.arange(6, dtype=np.float32).reshape(3, 2)
    mean = _seg_grad("Mean", x, [1, 3, 0], [0, 1, 0], 5, False)
    sqrt_n = _seg_grad("SqrtN", x, [1, 3, 0], [0, 1, 0], 5, False)
    empty = _seg_grad("Sum", x, [0], [0], 0, False)
    with tf.Session() as sess:
        m, q, e = sess.run([mean, sqrt_n, empty])
    assert m.tolist() == [[0.0, 0.5], [0.0, 0.5], [0.0, 0.0], [2.0, 3.0], [0.0, 0.0]]
    assert np.allclose(q[0], [0.0, 0.70710677]) and e.shape == (0, 2)


def test_sparse_segment_output_size_checks():
    x = tf.constant(np.ones((10, 4), np.float32))
    big = tf.sparse.segment_sum(x, tf.constant([2**62 - 1], tf.int64), [2**62 - 1])
    kint = tf.sparse.segment_sum(x, [1], tf.constant([2**40], tf.int64))
    trunc = tf.sparse.segment_sum(x, [1], tf.constant([2], tf.int64),
                                  num_segments=tf.constant(2**40, tf.int64))
    with tf.Session() as sess:
        for t, want in [
                (big, ("Encountered overflow when multiplying 4611686018427387904 with 4, "
                       "result: -1")),
                (kint, "Last segment id must be < kintmax, got 1099511627776 limit 2147483647"),
                (trunc, "segment ids must be < num_segments")]:
            with pytest.raises(tf.errors.InvalidArgumentError) as err:
                sess.run(t)
            assert _first_line(err) == want


def test_cond_inside_control_dependencies_gates_constant_branches():
    # control_flow_ops_test's CaseTest.testCase_withDefault: tf.case(exclusive=True) builds
    # its conds under control_dependencies([assert]); a branch's Const then had only the
    # outer control input, no pivot, so both branches ran and Merge took the false one
    x = tf.placeholder(tf.int32, [])
    dep = tf.no_op()
    with tf.control_dependencies([dep]):
        out = tf.cond(tf.equal(x, 1), lambda: tf.constant(2), lambda: tf.constant(6))
    conds = [(tf.equal(x, 1), lambda: tf.constant(2)), (tf.equal(x, 2), lambda: tf.constant(4))]
    case = tf.case(conds, lambda: tf.constant(6), exclusive=True)
    with tf.Session() as sess:
        assert [sess.run(out, {x: v}) for v in (1, 3)] == [2, 6]
        assert [sess.run(case, {x: v}) for v in (1, 2, 3)] == [2, 4, 6]


def test_while_loop_gradient_of_a_gathered_capture():
    # control_flow_ops_test's testIndexedSlicesWithShapeGradientInWhileLoop: the capture's
    # gradient from a gather in the body is an IndexedSlices; TF's backward loop gives a
    # dense tensor (varstore failed on IndexedSlices._dtype)
    inputs = tf.placeholder(tf.float32, [4])
    ta = tf.TensorArray(tf.float32, size=4)

    def body(i, ta):
        return i + 1, ta.write(i, tf.gather(inputs, i) * tf.cast(i + 1, tf.float32))

    _, out = tf.while_loop(lambda i, _: i < 4, body, [tf.constant(0), ta])
    r = tf.gradients(tf.reduce_sum(out.stack()), inputs)[0]
    assert isinstance(r, tf.Tensor)
    with tf.Session() as sess:
        assert sess.run(r, {inputs: [1, 2, 3, 4]}).tolist() == [1.0, 2.0, 3.0, 4.0]


def test_cond_and_case_return_tensor_arrays():
    # control_flow_ops_test's DataTypesTest.test_tensor_arrays: a branch may return a
    # TensorArray (its flow goes through the Merge)
    def mk(v):
        ta = tf.TensorArray(tf.float32, size=2, clear_after_read=False)
        return ta.write(0, tf.fill([2], v)).write(1, tf.fill([2], v + 1))

    ta1, ta2 = mk(1.0), mk(5.0)
    c = tf.placeholder(tf.bool)
    out = tf.cond(c, lambda: ta1, lambda: ta2)
    out2 = tf.case([(c, lambda: ta1)], lambda: ta2)
    assert isinstance(out, tf.TensorArray) and out.element_shape.as_list() == [2]
    with tf.Session() as sess:
        assert sess.run(out.stack(), {c: True}).tolist() == [[1.0, 1.0], [2.0, 2.0]]
        assert sess.run(out.stack(), {c: False}).tolist() == [[5.0, 5.0], [6.0, 6.0]]
        assert sess.run(out2.read(1), {c: False}).tolist() == [6.0, 6.0]


def test_group_over_several_devices_builds_a_noop_per_device():
    # control_flow_ops_test's GroupTestCase.testGroup_MultiDevice (TF 2.21's node names)
    g = tf.Graph()
    with g.as_default():
        with g.device("/task:0"):
            a = tf.constant(0, name="a")
            b = tf.constant(0, name="b")
        with g.device("/task:1"):
            c = tf.constant(0, name="c")
        with g.device("/task:2"):
            root = tf.group(a.op, b.op, c.op, name="root")
        tf.group(a.op, b.op, name="one")
    got = [(o.name, o.device, [x.name for x in o.control_inputs])
           for o in g.get_operations() if o.type == "NoOp"]
    assert got == [("root/NoOp", "/task:0", ["a", "b"]), ("root/NoOp_1", "/task:1", ["c"]),
                   ("root", "/task:2", ["root/NoOp", "root/NoOp_1"]),
                   ("one", "/task:0", ["a", "b"])]
    assert root.name == "root"


def test_assert_proto_equals_parses_text_format():
    class _T(tf.test.TestCase):
        def runTest(self):
            g = tf.Graph()
            with g.as_default():
                tf.constant(0, name="a")
            gd = g.as_graph_def()
            node = type(gd.node[0])(name="a", op="Const")
            self.assertProtoEquals('name: "a" op: "Const"', node)
            with pytest.raises(AssertionError):
                self.assertProtoEquals('name: "b" op: "Const"', node)
    t = _T()
    t.setUp()
    try:
        t.runTest()
    finally:
        t.tearDown()


def test_cond_and_case_return_sparse_tensors():
    # control_flow_ops_test's DataTypesTest.test_sparse_tensors: TF 2.21 returns the
    # branches' SparseTensors, shaped as both agree
    c = tf.placeholder(tf.bool)
    t = lambda: [tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[1, 2], dense_shape=[3, 4])]
    f = lambda: [tf.SparseTensor(indices=[[0, 0], [2, 1]], values=[3, 4], dense_shape=[3, 4])]
    out = tf.cond(c, t, f)
    out2 = tf.case([(c, t)], f)
    out3 = tf.cond(c, lambda: tf.SparseTensor([[0, 0]], [1.0], [3, 4]),
                   lambda: tf.SparseTensor([[0, 1]], [2.0], [3, 5]))
    assert out[0].shape.as_list() == [3, 4] and out2[0].shape.as_list() == [3, 4]
    assert out3.shape.as_list() == [3, None]
    with tf.Session() as sess:
        v = sess.run(out, {c: True})[0]
        assert v.indices.tolist() == [[0, 0], [1, 2]] and v.values.tolist() == [1, 2]
        assert sess.run(out2, {c: False})[0].values.tolist() == [3, 4]
        v3 = sess.run(out3, {c: False})
        assert v3.indices.tolist() == [[0, 1]] and v3.dense_shape.tolist() == [3, 5]


def test_cond_returns_indexed_slices_with_matched_index_types():
    # control_flow_ops_py_test's testCondIndexedSlices / ...DifferentTypes: the branches'
    # IndexedSlices come back as one; int32 indices meet int64 ones as int64
    values = tf.constant([10])
    i32 = tf.constant([0], dtype=tf.int32)
    i64 = tf.constant([0], dtype=tf.int64)
    pred = tf.less(1, 2)
    r = tf.cond(pred, lambda: tf.IndexedSlices(values + 1, i32),
                lambda: tf.IndexedSlices(values - 1, i64))
    r2 = tf.cond(tf.less(2, 1), lambda: tf.IndexedSlices(values + 1, i32),
                 lambda: tf.IndexedSlices(values - 1, i32))
    assert isinstance(r, tf.IndexedSlices) and r.indices.dtype == tf.int64
    with tf.Session() as sess:
        v, i, v2 = sess.run([r.values, r.indices, r2.values])
    assert v.tolist() == [11] and i.tolist() == [0] and v2.tolist() == [9]


def test_cond_gradient_of_a_sparse_read_variable():
    # control_flow_ops_py_test's testCondGrad_ResourceVarSparseRead / testCondGrad_MultiGather:
    # a variable sparse-read in one branch got no gradient at all (None)
    var = tf.Variable(np.ones((4, 2), dtype=np.float32), use_resource=True)
    x1 = tf.constant(np.ones((3, 3), dtype=np.float32))
    x2 = tf.constant(2.0)

    def true_fn():
        return var.sparse_read([1, 2]), tf.gather(x1, [2]) * x2, x2 * [1., 1., 1.]

    def false_fn():
        return np.zeros((2, 2), dtype=np.float32), tf.gather(x1, [2]) * x2, tf.gather(x1, [2])

    r = tf.cond(tf.constant(True), true_fn, false_fn)
    grads = tf.gradients(r, [var, x1, x2])
    assert [type(g).__name__ for g in grads] == ["IndexedSlices", "IndexedSlices", "Tensor"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        gv, gx1, gx2 = sess.run(grads)

    def dense(v):
        out = np.zeros(v.dense_shape, v.values.dtype)
        np.add.at(out, v.indices, v.values)
        return out.tolist()

    assert gv.indices.tolist() == [1, 2] and dense(gv) == [[0, 0], [1, 1], [1, 1], [0, 0]]
    assert dense(gx1) == [[0, 0, 0], [0, 0, 0], [2, 2, 2]] and gx2 == 6.0


def test_tuple_and_with_dependencies_take_indexed_slices():
    # control_flow_ops_py_test's TupleTest.testIndexedSlices (TF 2.21's node names)
    a = tf.IndexedSlices(tf.constant([[1., 2.]]), tf.constant([1]), tf.constant([3, 2]))
    s1, s2 = tf.tuple([a, tf.constant(5.0)])
    assert isinstance(s1, tf.IndexedSlices)
    assert (s1.values.name, s1.indices.name, s2.name) == (
        "tuple/control_dependency:0", "Const_1:0", "tuple/control_dependency_1:0")
    with tf.Session() as sess:
        assert sess.run(s1.values).tolist() == [[1.0, 2.0]]


def test_while_loop_over_sparse_tensor_and_indexed_slices():
    # control_flow_ops_py_test's testWhileShapeInferenceSparseTensor / ...IndexedSlices:
    # composite loop variables (varstore could not convert them); values recorded from TF
    x = tf.SparseTensor(tf.constant([[0], [3]], tf.int64), tf.constant([2.0, 4.0]),
                        tf.constant([10], tf.int64))
    i = tf.constant(0)

    def b2(i, x):
        return [i + 1, tf.sparse.add(x, tf.SparseTensor(tf.cast(tf.fill([1, 1], i), tf.int64),
                                                        tf.fill([1], 1.0), x.dense_shape))]

    _, r = tf.while_loop(lambda i, _: i < 5, b2, [i, x])
    s = tf.IndexedSlices(tf.constant([[2.0, 4.0], [3.0, 5.0]]), tf.constant([0, 3]),
                         tf.constant([10, 2]))
    _, r2 = tf.while_loop(lambda i, _: i < 3, lambda i, s: [
        i + 1, tf.IndexedSlices(s.values * 2.0, s.indices, s.dense_shape)], [i, s])
    _, r3 = tf.while_loop(lambda i, _: i < 1, lambda i, x: [i + 1, x], [i, x],
                          [i.get_shape(), tf.TensorShape([None])])
    assert isinstance(r, tf.SparseTensor) and r.indices.shape.as_list() == [None, 1]
    assert isinstance(r2, tf.IndexedSlices) and r2.values.shape.as_list() == [2, 2]
    assert r3.indices.shape.as_list() == [None, None] and r3.dense_shape.shape.as_list() == [None]
    with tf.Session() as sess:
        v, v2 = sess.run([r, r2])
    assert v.indices.tolist() == [[0], [1], [2], [3], [4]]
    assert v.values.tolist() == [3.0, 1.0, 1.0, 5.0, 1.0] and v.dense_shape.tolist() == [10]
    assert v2.values.tolist() == [[16.0, 32.0], [24.0, 40.0]] and v2.indices.tolist() == [0, 3]
