"""Differences found by running TensorFlow's own element-wise math and matmul unit tests
against varstore; every expected value here was recorded from TF 2.21 (tf.compat.v1, graph
mode)."""

import numpy as np
import pytest

import varstore as tf


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


_A = np.array([[1 + 2j, 3 - 1j], [0.5j, -2 + 1j], [1, 1j]], np.complex64)
_B = np.array([[2 - 1j, 1 + 1j], [1j, 3], [-1, 2 + 2j]], np.complex64)


def test_matmul_transpose_of_unknown_rank_complex_is_not_conjugated():
    # matmul_op_test (placeholders): BatchMatMulV2 has only adjoints, so TF conjugates a
    # transposed operand first and lets adj_x / adj_y conjugate it back
    a = tf.placeholder(tf.complex64)
    b = tf.placeholder(tf.complex64)
    r1 = tf.matmul(a, b, transpose_a=True)
    r2 = tf.matmul(b, a, transpose_b=True)
    assert [o.type for o in tf.get_default_graph().get_operations()] == [
        "Placeholder", "Placeholder", "Conj", "BatchMatMulV2", "Conj", "BatchMatMulV2"]
    with tf.Session() as s:
        v1, v2 = s.run([r1, r2], {a: _A, b: _B})
    np.testing.assert_allclose(v1, [[2.5 + 3j, 1 + 6.5j], [4 - 8j, -4 + 7j]], rtol=1e-6)
    np.testing.assert_allclose(v2, [[8 + 5j, -2.5, 1], [7 - 2j, -6.5 + 3j, 4j],
                                    [7 + 2j, -6 - 2.5j, -3 + 2j]], rtol=1e-6)


@pytest.mark.parametrize("name, expected", [
    ("truediv", ([0.6 + 0.2j, 1 + 1j], [-0.2 + 0.6j, -1.6 + 2.2j])),
    ("div_no_nan", ([0.6 + 0.2j, 1 + 1j], [-0.2 + 0.6j, -1.6 + 2.2j])),
    ("pow", ([12.503969 + 17.360863j, -7.3867026e-03 - 0.02213117j],
             [0.12686253 - 29.283236j, 0.01722829 + 0.14155732j])),
])
def test_complex_binary_gradients_use_the_conjugates(name, expected):
    # cwise_ops_binary_test testComplex64Basic / testComplexPowGrad: RealDiv, DivNoNan and Pow
    # take their complex gradients against conj(x), conj(y) (and conj(z) for Pow)
    fn = {"truediv": tf.truediv, "div_no_nan": tf.math.divide_no_nan, "pow": tf.pow}[name]
    x = tf.constant([1 + 2j, -3 + 0.5j], tf.complex64)
    y = tf.constant([2 - 1j, 0.5 + 1.5j], tf.complex64)
    g = tf.constant([1 + 1j, 2 - 1j], tf.complex64)
    gx, gy = tf.gradients(fn(x, y), [x, y], grad_ys=g)
    with tf.Session() as s:
        vx, vy = s.run([gx, gy])
    np.testing.assert_allclose(vx, expected[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(vy, expected[1], rtol=1e-5, atol=1e-6)


# TF 2.21: gradients of f at x = [1+2j, -3+0.5j] with grad_ys [1+1j, 2-1j]
_UNARY_GRADS = {
    "square": [complex(6, -2), complex(-13, 4)],
    "sqrt": [complex(0.1086434, 0.460221), complex(0.3330227, 0.5478078)],
    "rsqrt": [complex(0.1623597, -0.1355016), complex(0.1376186, 0.1596662)],
    "reciprocal": [complex(0.28, -0.04000001), complex(-0.1694668, 0.1723886)],
    "exp": [complex(1.340522, -3.602931), complex(0.06351533, -0.09143065)],
    "expm1": [complex(1.340522, -3.602931), complex(0.06351533, -0.09143065)],
    "log": [complex(-0.2, 0.6), complex(-0.5945946, 0.4324324)],
    "log1p": [complex(0, 0.5), complex(-0.8235294, 0.7058824)],
    "sinh": [complex(0.4264592, -1.710755), complex(22.47324, 0.7704449)],
    "cosh": [complex(0.914063, -1.892175), complex(-22.40972, -0.8618765)],
    "tanh": [complex(0.2661015, -0.8701045), complex(0.002455703, -0.02197416)],
    "asin": [complex(0.549342, 0.227545), complex(0.4683807, 0.6182851)],
    "acos": [complex(-0.549342, -0.227545), complex(-0.4683807, -0.6182851)],
    "atan": [complex(-0.3, 0.1), complex(0.1585586, -0.1513514)],
    "asinh": [complex(-0.153645, 0.650851), complex(0.572673, -0.4027265)],
    "acosh": [complex(-0.2275449, 0.549342), complex(-0.618285, 0.4683807)],
    "atanh": [complex(0.25, 0), complex(-0.1809955, 0.199095)],
    "sigmoid": [complex(-0.2798294, 0.5616071), complex(0.06205253, -0.08113989)],
    "sin": [complex(-1.019175, 5.08462), complex(-2.306219, 0.9692673)],
    "cos": [complex(-5.12538, -1.206178), complex(-0.1976193, -1.190891)],
    "tan": [complex(0.0399633, -0.09728886), complex(1.479309, -1.001668)],
    "sign": [complex(0.1788855, -0.08944267), complex(-0.03554571, -0.2132744)],
}
# TF 2.21: z = <Op>Grad(x, y) at y = [0.5-1j, 2+1.5j], then dz/dx, dz/dy with the same grad_ys
_GRAD_GRADS = {
    "SigmoidGrad": [[complex(0, -5), complex(-28.75, -10.625)], [complex(-5.5, -3.5), complex(22.5, -32.5)], [complex(2, 6), complex(-27, 4.75)]],
    "TanhGrad": [[complex(-2, -6), complex(-20, -5.625)], [complex(-5, -5), complex(20, -27.5)], [complex(0, 8), complex(-18.5, 1.75)]],
    "SqrtGrad": [[complex(0.25, -0), complex(-0.3648649, -0.1891892)], [complex(-0.15, -0.05), complex(-0.2154858, -0.2118335)], [complex(0.3, -0.1), complex(-0.3513514, 0.1081081)]],
    "RsqrtGrad": [[complex(1.75, -6), complex(14.71875, 31.9375)], [complex(6.75, -9.75), complex(-10.3125, -76.875)], [complex(4.5, 6.5), complex(18.0625, -25.75)]],
    "ReciprocalGrad": [[complex(5.5, -1), complex(-13, -19.125)], [complex(7, 1), complex(10, 32.5)], [complex(7, -1), complex(-14.5, 14.75)]],
}

_X = [1 + 2j, -3 + 0.5j]
_G = [1 + 1j, 2 - 1j]


@pytest.mark.parametrize("name", sorted(_UNARY_GRADS))
def test_complex_unary_gradients_use_the_conjugates(name):
    # cwise_ops_unary_test testComplex64Basic: TF takes each complex gradient against conj(x)
    # (or conj(y)); tf.sign of a complex tensor is x / |x|, whose gradient is not zero
    x = tf.constant(_X, tf.complex64)
    (gx,) = tf.gradients(getattr(tf.math, name)(x), x, grad_ys=tf.constant(_G, tf.complex64))
    with tf.Session() as s:
        np.testing.assert_allclose(s.run(gx), _UNARY_GRADS[name], rtol=2e-5, atol=1e-6)


@pytest.mark.parametrize("op_type", sorted(_GRAD_GRADS))
def test_complex_grad_op_kernels_and_their_gradients(op_type):
    # cwise_ops_unary_test testGradGrad: SqrtGrad / RsqrtGrad / ReciprocalGrad kernels conjugate
    # y; SigmoidGrad / TanhGrad gradients conjugate both inputs
    from varstore.ops.math_unary_ops import _grad_op
    x = tf.constant(_X, tf.complex64)
    y = tf.constant([0.5 - 1j, 2 + 1.5j], tf.complex64)
    z = _grad_op(op_type, x, y)
    grads = tf.gradients(z, [x, y], grad_ys=tf.constant(_G, tf.complex64))
    with tf.Session() as s:
        for got, want in zip(s.run([z, *grads]), _GRAD_GRADS[op_type]):
            np.testing.assert_allclose(got, want, rtol=2e-5, atol=1e-6)


def test_sign_of_complex_is_x_over_its_magnitude():
    a = tf.sign([1.0, -2.0])
    b = tf.sign([3 + 4j, 0j], name="sg")
    assert [(o.name, o.type) for o in tf.get_default_graph().get_operations()] == [
        ("Const", "Const"), ("Sign", "Sign"), ("Const_1", "Const"), ("ComplexAbs", "ComplexAbs"),
        ("Cast", "Cast"), ("sg", "DivNoNan")]
    with tf.Session() as s:
        va, vb = s.run([a, b])
    np.testing.assert_array_equal(va, [1, -1])
    np.testing.assert_allclose(vb, [0.6 + 0.8j, 0])


# TF 2.21's names for f(sp), f(sp, name="nm"), f(x=sp): the dense attempt that fails on the
# SparseTensor has already taken the name (tf.sign converts first, so it takes none)
_SPARSE_NAMES = {
    "abs": ("Abs_1", "nm_1", "Abs_3"), "negative": ("Neg_1", "nm_1", "Neg_3"),
    "asinh": ("Asinh_1", "nm_1", "Asinh_3"), "sin": ("Sin_1", "nm_1", "Sin_3"),
    "tan": ("Tan_1", "nm_1", "Tan_3"), "atan": ("Atan_1", "nm_1", "Atan_3"),
    "asin": ("Asin_1", "nm_1", "Asin_3"), "atanh": ("Atanh_1", "nm_1", "Atanh_3"),
    "sign": ("Sign", "nm", "Sign_1"), "square": ("Square_1", "nm_1", "Square_3"),
    "sqrt": ("Sqrt_1", "nm_1", "Sqrt_3"), "erf": ("Erf_1", "nm_1", "Erf_3"),
    "tanh": ("Tanh_1", "nm_1", "Tanh_3"),
    "bessel_i0e": ("bessel_i0e_1/BesselI0e", "nm_1/BesselI0e", "bessel_i0e_3/BesselI0e"),
    "bessel_i1e": ("bessel_i1e_1/BesselI1e", "nm_1/BesselI1e", "bessel_i1e_3/BesselI1e"),
}


@pytest.mark.parametrize("name", sorted(_SPARSE_NAMES))
def test_unary_ops_map_over_sparse_values(name):
    # cwise_ops_unary_test _compareBothSparse: TF's sparse_ops._UNARY_OPS dispatch
    sp = tf.SparseTensor([[0, 1], [1, 0]], tf.constant([0.5, -0.25]), [2, 2])
    f = getattr(tf.math, name) if hasattr(tf.math, name) else getattr(tf.math.special, name)
    r1, r2, r3 = f(sp), f(sp, name="nm"), f(x=sp)
    assert all(isinstance(r, tf.SparseTensor) for r in (r1, r2, r3))
    assert tuple(r.values.op.name for r in (r1, r2, r3)) == _SPARSE_NAMES[name]
    assert r1.indices is sp.indices and r1.dense_shape is sp.dense_shape
    with tf.Session() as s:
        got = s.run(r1.values)
        want = s.run(f(tf.constant([0.5, -0.25])))
    np.testing.assert_allclose(got, want)


def test_sparse_map_only_for_tfs_listed_ops():
    sp = tf.SparseTensor([[0, 1]], tf.constant([0.5]), [2, 2])
    with pytest.raises(TypeError):
        tf.exp(sp)
    with tf.Session() as s:
        np.testing.assert_allclose(s.run(tf.abs(sp).values), [0.5])
        np.testing.assert_allclose(s.run(tf.math.sign(sp).values), [1.0])


def test_bincount_counts_take_the_weights_type():
    # bincount_op_test test_random_with_weights: TF's counts have the weights' dtype (dtype
    # only types an unweighted call), and the graph is TF's bincount_ops one
    r1 = tf.math.bincount([1, 1, 3], weights=np.array([0.5, 0.25, 2.0]))
    r2 = tf.math.bincount(tf.constant([[1, 2], [0, 5]], tf.int64), minlength=3, maxlength=5,
                          weights=[[1.0, 2], [3, 4]])
    assert (r1.dtype, r1.shape.as_list(), r2.dtype, r2.shape.as_list()) == (
        tf.float64, [4], tf.float32, [5])
    names = [(o.name, o.type) for o in tf.get_default_graph().get_operations()
             if o.name.startswith("bincount_1/")]
    assert names == [
        ("bincount_1/weights", "Const"), ("bincount_1/Size", "Const"),
        ("bincount_1/Greater/y", "Const"), ("bincount_1/Greater", "Greater"),
        ("bincount_1/Cast", "Cast"), ("bincount_1/Const", "Const"), ("bincount_1/Max", "Max"),
        ("bincount_1/add/y", "Const"), ("bincount_1/add", "AddV2"), ("bincount_1/mul", "Mul"),
        ("bincount_1/minlength", "Const"), ("bincount_1/Maximum", "Maximum"),
        ("bincount_1/maxlength", "Const"), ("bincount_1/Minimum", "Minimum"),
        ("bincount_1/Reshape/shape", "Const"), ("bincount_1/Reshape", "Reshape"),
        ("bincount_1/Reshape_1/shape", "Const"), ("bincount_1/Reshape_1", "Reshape"),
        ("bincount_1/DenseBincount", "DenseBincount")]
    assert r2.op.inputs[1].op.name == "bincount_1/Minimum"
    with tf.Session() as s:
        v1, v2 = s.run([r1, r2])
    np.testing.assert_array_equal(v1, [0, 0.75, 0, 2])
    np.testing.assert_array_equal(v2, [3, 1, 2, 0, 0])


def test_bincount_casts_a_float_arr_and_checks_weight_types():
    r = tf.math.bincount([2.7, 1.2])
    assert [o.type for o in tf.get_default_graph().get_operations()][:2] == ["Const", "Cast"]
    assert r.shape.as_list() == [3]
    with pytest.raises(TypeError, match="Value passed to parameter 'weights' has DataType int8"):
        tf.math.bincount([1, 2], weights=np.array([1, 2], np.int8))
    with tf.Session() as s:
        np.testing.assert_array_equal(s.run(r), [0, 1, 1])


@pytest.mark.parametrize("dtype, tail", [(np.float32, " 0 0"), (np.float64, ""),
                                         (np.complex64, ""), (np.int32, ""), (np.float16, "")])
def test_batch_matmul_size_message_flags_only_for_float32(dtype, tail):
    # matmul_op_test MatMulInfixOperatorTest: TF 2.21's float32 BatchMatMul kernel (oneDNN)
    # ends the message with the adjoint flags, the other types' kernel does not
    a = tf.placeholder(dtype)
    b = tf.placeholder(dtype)
    r = tf.matmul(a, b)
    with tf.Session() as s, pytest.raises(tf.errors.InvalidArgumentError) as info:
        s.run(r, {a: np.ones((2, 3), dtype), b: np.ones((2, 3), dtype)})
    assert str(info.value).splitlines()[0] == (
        "Matrix size-incompatible: In[0]: [2,3], In[1]: [2,3]" + tail)


# TF 2.21's TypeErrors (op_def_library checks against each OpDef's allowed types)
_TYPE_ERRORS = [
    ('abs', 'b', "Value passed to parameter 'x' has DataType bool not in list of allowed values: bfloat16, float16, float32, float64, int8, int16, int32, int64"),
    ('sign', 'b', "Value passed to parameter 'x' has DataType bool not in list of allowed values: bfloat16, float16, float32, float64, int8, int16, int32, int64, complex64, complex128"),
    ('multiply', 'b b', "Value passed to parameter 'x' has DataType bool not in list of allowed values: bfloat16, float16, float32, float64, uint8, int8, uint16, int16, int32, uint32, uint64, int64, complex64, complex128"),
    ('pow', 'b b', "Value passed to parameter 'x' has DataType bool not in list of allowed values: bfloat16, float32, float16, float64, int8, int16, int32, int64, complex64, complex128"),
    ('mod', 'c c', "Value passed to parameter 'x' has DataType complex128 not in list of allowed values: int8, int16, int32, int64, uint8, uint16, uint32, uint64, bfloat16, float16, float32, float64"),
    ('floordiv', 'b b', "Value passed to parameter 'x' has DataType bool not in list of allowed values: bfloat16, float16, float32, float64, uint8, int8, uint16, int16, int32, uint32, uint64, int64, complex64, complex128"),
    ('maximum', 'c c', "Value passed to parameter 'x' has DataType complex128 not in list of allowed values: bfloat16, float16, float32, float64, int8, uint8, int16, uint16, int32, uint32, int64, uint64"),
    ('math.erf', 'i', "Value passed to parameter 'x' has DataType int32 not in list of allowed values: bfloat16, float16, float32, float64"),
    ('floor', 'i', "Value passed to parameter 'x' has DataType int32 not in list of allowed values: bfloat16, float16, float32, float64"),
    ('logical_and', 'i i', "Input 'x' of 'LogicalAnd' Op has type int32 that does not match expected type of bool."),
    ('squared_difference', 'b b', "Value passed to parameter 'x' has DataType bool not in list of allowed values: bfloat16, float16, float32, float64, int32, int64, complex64, complex128"),
    ('math.xlogy', 'i i', "Value passed to parameter 'x' has DataType int32 not in list of allowed values: float16, bfloat16, float32, float64, complex64, complex128"),
    ('cumsum', 'b', "Value passed to parameter 'x' has DataType bool not in list of allowed values: float32, float64, int32, uint8, int16, int8, complex64, int64, qint8, quint8, qint32, bfloat16, qint16, quint16, uint16, complex128, float16, uint32, uint64"),
    ('argmax', 'c', "Value passed to parameter 'input' has DataType complex128 not in list of allowed values: float32, float64, int32, uint8, int16, int8, int64, bfloat16, uint16, float16, uint32, uint64, qint8, quint8, qint32, qint16, quint16, bool"),
    ('argmax', 's_', "Value passed to parameter 'input' has DataType string not in list of allowed values: float32, float64, int32, uint8, int16, int8, int64, bfloat16, uint16, float16, uint32, uint64, qint8, quint8, qint32, qint16, quint16, bool"),
]


@pytest.mark.parametrize("fn, args, message", _TYPE_ERRORS)
def test_math_ops_check_their_opdef_types(fn, args, message):
    # cwise_ops tests' dtype lists: ops outside their OpDef's types fail as TF does
    env = {"i": tf.constant([1, 2]), "b": tf.constant([True, False]),
           "c": tf.constant([1 + 1j]), "s_": tf.constant(["a", "b"])}
    f = tf
    for part in fn.split("."):
        f = getattr(f, part)
    with pytest.raises(TypeError) as info:
        f(*[env[a] for a in args.split()])
    assert str(info.value).splitlines()[0] == message


def test_string_add_is_tfs_add_op_and_add_n_rejects_strings():
    s = tf.constant(["a"])
    r1, r2, r3 = s + s, "x" + s, tf.add(s, "y")
    assert [(r.op.type, r.name) for r in (r1, r2, r3)] == [
        ("Add", "add:0"), ("Add", "add_1:0"), ("Add", "Add_2:0")]
    with pytest.raises(TypeError, match="parameter 'inputs' has DataType string not in list"):
        tf.add_n([s, s])
    with tf.Session() as sess:
        assert sess.run(r2).tolist() == [b"xa"]


@pytest.mark.parametrize("build, op_type, enum", [
    (lambda: tf.math.reciprocal(tf.constant([1, 2])), "Reciprocal", "DT_INT32"),
    (lambda: tf.math.floordiv(tf.constant([1j]), tf.constant([1j])), "FloorDiv", "DT_COMPLEX128"),
    (lambda: tf.math.rint(tf.constant([1.5], tf.float16)), "Rint", "DT_HALF"),
])
def test_types_without_a_cpu_kernel_fail_when_run(build, op_type, enum):
    # TF 2.21 builds these (the OpDef allows the type) and fails in the session: its CPU
    # kernels do not cover it
    r = build()
    assert r.op.type == op_type
    with tf.Session() as s, pytest.raises(tf.errors.InvalidArgumentError) as info:
        s.run(r)
    assert str(info.value).startswith(
        f"No OpKernel was registered to support Op '{op_type}' used by {{{{node {r.op.name}}}}} "
        f"with these attrs: [T={enum}]")
