"""ops: names, types, dtypes and errors as observed in TF 2.21 tf.compat.v1 graph mode."""

from __future__ import annotations

import os

import numpy as np
import pytest

import varstore as tf
from varstore import dtypes
from varstore.framework.graph import get_default_graph, name_scope, reset_default_graph


@pytest.fixture(autouse=True)
def _fresh_graph():
    reset_default_graph()
    yield
    reset_default_graph()


def test_constant_names_and_dtypes():
    assert tf.constant(1.0).op.name == "Const"
    t = tf.constant(1)
    assert (t.op.name, t.op.type, t.dtype) == ("Const_1", "Const", dtypes.int32)
    assert tf.constant(2**31).dtype == dtypes.int64
    assert tf.constant(np.array([1.0])).dtype == dtypes.float64
    assert tf.constant(np.array([1])).dtype == dtypes.int64
    assert tf.constant([1, 2.0]).dtype == dtypes.float32
    assert tf.constant(True).dtype == dtypes.bool
    assert tf.constant(1, dtype=dtypes.float32).dtype == dtypes.float32
    assert tf.constant(1.0, name="c").op.name == "c"
    assert tf.constant(1.0, name="c").op.name == "c_1"


def test_constant_shape_rules():
    np.testing.assert_array_equal(tf.constant(1.0, shape=[2, 3]).numpy(), np.ones((2, 3)))
    np.testing.assert_array_equal(tf.constant([1.0, 2.0], shape=[3]).numpy(), [1, 2, 2])
    assert tf.constant([1.0, 2, 3, 4, 5, 6], shape=[2, 3]).shape.as_list() == [2, 3]
    with pytest.raises(ValueError, match=r"^Too many elements provided. Takes at most 2, but got 3.$"):
        tf.constant([1.0, 2.0, 3.0], shape=[2])


def test_constant_errors():
    with pytest.raises(TypeError, match=r"^Expected int32, but got 1.5 of type 'float'.$"):
        tf.constant(1.5, dtype=dtypes.int32)
    with pytest.raises(TypeError, match=r"^Expected int32, but got 1.0 of type 'float'.$"):
        tf.constant(1.0, dtype=dtypes.int32)
    with pytest.raises(TypeError, match=r"^Expected any non-tensor type, but got a tensor instead.$"):
        tf.constant(tf.constant(1.0))
    # A failed constant does not use up its name.
    assert tf.constant(1.0).op.name == "Const_1"
    np.testing.assert_array_equal(tf.constant(np.array([1.5]), dtype=dtypes.int32).numpy(), [1])


def test_convert_to_tensor():
    f = tf.constant(1.0, name="f")
    assert tf.convert_to_tensor(f) is f
    with pytest.raises(ValueError, match=r"^Tensor conversion requested dtype int32 for Tensor with "
                       r"dtype float32: <tf.Tensor 'f:0' shape=\(\) dtype=float32>$"):
        tf.convert_to_tensor(f, dtype=dtypes.int32)
    assert tf.convert_to_tensor(1.0, name="xx").op.name == "xx"
    assert tf.convert_to_tensor([1, 2]).dtype == dtypes.int32
    assert tf.convert_to_tensor(1, preferred_dtype=dtypes.float32).dtype == dtypes.float32
    assert tf.convert_to_tensor(1.5, preferred_dtype=dtypes.int32).dtype == dtypes.float32
    assert tf.convert_to_tensor(True, dtype=dtypes.int32).dtype == dtypes.int32
    with pytest.raises(TypeError, match=r"^Expected bool, but got 1 of type 'int'.$"):
        tf.convert_to_tensor(1, dtype=dtypes.bool)


def test_operator_names_share_the_uniquifier_case_insensitively():
    f = tf.constant(1.0, name="f")
    assert (f + 1).op.name == "add"
    assert (1 + f).op.name == "add_1"
    t = tf.add(f, f)
    assert (t.op.name, t.op.type) == ("Add_2", "AddV2")
    assert (f - 1).op.type == "Sub"
    assert (f - 1).op.name == "sub_1"
    assert tf.subtract(f, f).op.name == "Sub_2"
    assert (f * 2).op.name == "mul"
    assert tf.multiply(f, f).op.name == "Mul_1"
    n = -f
    assert (n.op.name, n.op.type) == ("Neg", "Neg")
    with name_scope("s"):
        assert (f + f).op.name == "s/add"


@pytest.mark.parametrize(
    ("left", "right", "message"),
    [
        ("f", "i", "Input 'y' of 'AddV2' Op has type int32 that does not match type float32 of argument 'x'."),
        ("i", "f", "Input 'y' of 'AddV2' Op has type float32 that does not match type int32 of argument 'x'."),
        ("i", 1.0, "Input 'y' of 'AddV2' Op has type float32 that does not match type int32 of argument 'x'."),
        ("i", 1.5, "Input 'y' of 'AddV2' Op has type float32 that does not match type int32 of argument 'x'."),
        (1.5, "i", "Expected int32, but got 1.5 of type 'float'."),
        (1.0, "i", "Expected int32, but got 1.0 of type 'float'."),
        ("i", [1.5], "Input 'y' of 'AddV2' Op has type float32 that does not match type int32 of argument 'x'."),
        ("f", "a", "Input 'y' of 'AddV2' Op has type string that does not match type float32 of argument 'x'."),
        ("a", "f", "Expected float32, but got a of type 'str'."),
    ],
    ids=["f+i", "i+f", "i+1.0", "i+1.5", "1.5+i", "1.0+i", "i+[1.5]", "f+str", "str+f"],
)
def test_add_dtype_errors(left, right, message):
    env = {"f": tf.constant(1.0, name="f"), "i": tf.constant(1, name="i")}
    a = env.get(left, left) if isinstance(left, str) and left in env else left
    b = env.get(right, right) if isinstance(right, str) and right in env else right
    with pytest.raises(TypeError) as info:
        _ = a + b
    assert str(info.value) == message
    # The failed op used up its name, as in TF.
    assert (env["f"] + 1).op.name == "add_1"


def test_none_and_unconvertible_operands():
    f = tf.constant(1.0, name="f")
    with pytest.raises(ValueError, match=r"^None values not supported.$"):
        _ = f + None
    with pytest.raises(ValueError, match=r"^None values not supported.$"):
        _ = None + f
    with pytest.raises(TypeError, match=r"^Failed to convert elements of \[1, 'a'\] to Tensor."):
        _ = f + [1, "a"]


@pytest.mark.parametrize(
    ("expr", "dtype"),
    [
        (lambda f, i: f + 1, "float32"),
        (lambda f, i: 1 + f, "float32"),
        (lambda f, i: f + np.array([1.0]), "float32"),
        (lambda f, i: np.array([1.0]) + f, "float32"),
        (lambda f, i: f + np.float64(1.0), "float32"),
        (lambda f, i: i + np.array([1]), "int32"),
        (lambda f, i: i + np.int64(1), "int32"),
        (lambda f, i: f + True, "float32"),
        (lambda f, i: i + True, "int32"),
        (lambda f, i: f + [1, 2], "float32"),
        (lambda f, i: np.array([1.5]) + i, "int32"),
        (lambda f, i: i + np.array([1.5]), "int32"),
    ],
    ids=["f+1", "1+f", "f+np64", "np64+f", "f+np.float64", "i+npint64", "i+np.int64", "f+True",
         "i+True", "f+list", "np1.5+i", "i+np1.5"],
)
def test_operand_dtype_rules(expr, dtype):
    t = expr(tf.constant(1.0, name="f"), tf.constant(1, name="i"))
    assert t.dtype.name == dtype
    assert t.numpy().dtype == np.dtype(dtype)


def test_truediv_rules():
    f = tf.constant(1.0, name="f")
    i = tf.constant(1, name="i")
    t = i / i
    assert (t.op.name, t.op.type, t.dtype) == ("truediv", "RealDiv", dtypes.float64)
    assert (f / 2).dtype == dtypes.float32
    assert (2 / f).op.name == "truediv_2"
    assert tf.divide(f, f).op.name == "truediv_3"
    assert tf.divide(f, f, name="d").op.name == "d"
    assert tf.truediv(i, i).dtype == dtypes.float64
    assert (tf.constant(1, dtypes.int16) / tf.constant(2, dtypes.int16)).dtype == dtypes.float32
    assert (tf.constant(1, dtypes.float16) / 2).dtype == dtypes.float16
    with pytest.raises(TypeError, match=r"^`x` and `y` must have the same dtype, got tf.float32 != tf.int32.$"):
        _ = f / i
    with pytest.raises(TypeError, match=r"^`x` and `y` must have the same dtype, got tf.int32 != tf.float32.$"):
        _ = i / 1.5
    with pytest.raises(TypeError, match=r"^Expected int32, but got 1.5 of type 'float'.$"):
        _ = 1.5 / i
    with pytest.raises(TypeError, match=r"^Invalid dtype tf.bool in __truediv__."):
        _ = tf.constant(True) / tf.constant(True)
    np.testing.assert_allclose((tf.constant([1, 3]) / 2).numpy(), [0.5, 1.5])


def test_bool_arithmetic_errors():
    b = tf.constant(True)
    with pytest.raises(TypeError, match=r"^Value passed to parameter 'x' has DataType bool not in list"):
        _ = b + b
    with pytest.raises(TypeError, match=r"^Value passed to parameter 'x' has DataType bool not in list"):
        _ = -b


def test_function_forms_first_argument_fixes_the_type():
    f = tf.constant(1.0, name="f")
    i = tf.constant(1, name="i")
    assert tf.add(1, 2).dtype == dtypes.int32
    assert tf.add(1.0, 2).dtype == dtypes.float32
    assert tf.add(f, 1).dtype == dtypes.float32
    with pytest.raises(TypeError, match=r"^Input 'y' of 'AddV2' Op has type float32 that does not "
                       r"match type int32 of argument 'x'.$"):
        tf.add(1, f)
    with pytest.raises(TypeError, match=r"^Input 'y' of 'AddV2' Op has type float32 that does not "
                       r"match type int32 of argument 'x'.$"):
        tf.add(i, 1.5)


def test_broadcast_error_message():
    a = tf.ones([2, 3])
    b = tf.ones([3, 2])
    with pytest.raises(ValueError) as info:
        _ = a + b
    assert str(info.value) == (
        "Dimensions must be equal, but are 2 and 3 for '{{node add}} = AddV2[T=DT_FLOAT](ones, "
        "ones_1)' with input shapes: [2,3], [3,2].")


def test_matmul():
    m = tf.constant([[1.0, 2.0]], name="m")
    t = m @ tf.transpose(m)
    assert (t.op.name, t.op.type) == ("matmul", "MatMul")
    t2 = tf.matmul(m, m, transpose_b=True)
    assert t2.op.name == "MatMul_1"  # the uniquifier ignores case: "matmul" is taken
    np.testing.assert_allclose(t2.numpy(), [[5.0]])
    assert (m @ [[1.0], [2.0]]).op.name == "matmul_2"
    assert ([[1.0], [2.0]] @ m).shape.as_list() == [2, 2]
    assert (m @ np.ones((2, 1))).dtype == dtypes.float32
    b = tf.matmul(tf.ones([3, 2, 4]), tf.ones([4, 5]))
    assert (b.op.name, b.op.type, b.shape.as_list()) == ("MatMul_5", "BatchMatMulV2", [3, 2, 5])
    with pytest.raises(ValueError) as info:
        tf.matmul(m, m)
    assert str(info.value) == (
        "Dimensions must be equal, but are 2 and 1 for '{{node MatMul_6}} = MatMul[T=DT_FLOAT, "
        "grad_a=false, grad_b=false, transpose_a=false, transpose_b=false](m, m)' with input "
        "shapes: [1,2], [1,2].")
    with pytest.raises(TypeError, match=r"^Input 'b' of 'MatMul' Op has type int32 that does not "
                       r"match type float32 of argument 'a'.$"):
        tf.matmul(m, tf.constant([[1], [2]]))
    with pytest.raises(ValueError, match=r"^Shape must be rank 2 but is rank 0 for '\{\{node MatMul_8\}\}"
                       r" = MatMul\[.*\]\(m, MatMul_8/b\)' with input shapes: \[1,2\], \[\].$"):
        tf.matmul(m, 2.0)
    assert tf.matmul(tf.constant([[1]]), tf.constant([[2]])).dtype == dtypes.int32


def test_zeros_ones_fill():
    z = tf.zeros([2, 3])
    assert (z.op.name, z.op.type, z.dtype) == ("zeros", "Const", dtypes.float32)
    assert tf.zeros([1000, 1000]).op.type == "Fill"
    assert tf.zeros([2], dtypes.int32).dtype == dtypes.int32
    assert tf.ones([2]).op.name == "ones"
    assert tf.zeros_like(z).op.name == "zeros_like"
    ol = tf.ones_like(z)
    assert (ol.op.name, ol.op.type) == ("ones_like", "Fill")
    f = tf.fill([2, 2], 3.0)
    assert (f.op.name, f.op.type) == ("Fill", "Fill")
    np.testing.assert_array_equal(f.numpy(), np.full((2, 2), 3.0, np.float32))


def test_random_ops_names():
    rn = tf.random_normal([2])
    assert (rn.op.name, rn.op.type) == ("random_normal", "AddV2")
    ru = tf.random_uniform([2])
    assert (ru.op.name, ru.op.type) == ("random_uniform/RandomUniform", "RandomUniform")
    ri = tf.random_uniform([2], maxval=10, dtype=dtypes.int32)
    assert (ri.op.name, ri.op.type) == ("random_uniform_1", "RandomUniformInt")
    ru2 = tf.random_uniform([2], -1.0, 1.0)
    assert (ru2.op.name, ru2.op.type) == ("random_uniform_2", "AddV2")
    tn = tf.truncated_normal([3, 4])
    assert (tn.op.name, tn.op.type) == ("truncated_normal", "AddV2")
    assert np.all(np.abs(tn.numpy()) <= 2.0)
    with pytest.raises(ValueError, match=r"^Must specify maxval for integer dtype tf.int32$"):
        tf.random_uniform([2], dtype=dtypes.int32)
    with pytest.raises(TypeError, match=r"^Expected int32, but got 0.0 of type 'float'.$"):
        tf.random_normal([2], dtype=dtypes.int32)


def test_random_seeds_are_reproducible():
    def run():
        reset_default_graph()
        tf.set_random_seed(5)
        return tf.random_normal([4]).numpy(), tf.random_uniform([4]).numpy()

    a1, b1 = run()
    a2, b2 = run()
    np.testing.assert_array_equal(a1, a2)
    np.testing.assert_array_equal(b1, b2)
    assert not np.array_equal(a1, b1)
    reset_default_graph()
    x = tf.random_normal([4], seed=3).numpy()
    reset_default_graph()
    np.testing.assert_array_equal(x, tf.random_normal([4], seed=3).numpy())
    assert get_default_graph().seed is None


def test_reshape_identity_transpose_concat_shape_cast():
    m = tf.ones([2, 3], name="m")
    assert tf.identity(m).op.name == "Identity"
    r = tf.reshape(m, [3, 2])
    assert (r.op.name, r.op.type) == ("Reshape", "Reshape")
    assert tf.reshape(m, [-1]).shape.as_list() == [6]
    with pytest.raises(ValueError) as info:
        tf.reshape(m, [4])
    assert str(info.value) == (
        "Cannot reshape a tensor with 6 elements to shape [4] (4 elements) for '{{node "
        "Reshape_2}} = Reshape[T=DT_FLOAT, Tshape=DT_INT32](m, Reshape_2/shape)' with input "
        "shapes: [2,3], [1] and with input tensors computed as partial shapes: input[1] = [4].")
    t = tf.transpose(m)
    assert (t.op.name, t.op.type, t.shape.as_list()) == ("transpose", "Transpose", [3, 2])
    c = tf.concat([m, m], 0)
    assert (c.op.name, c.op.type, c.shape.as_list()) == ("concat", "ConcatV2", [4, 3])
    c1 = tf.concat([m], 0)
    assert (c1.op.name, c1.op.type) == ("concat_1/concat", "Identity")
    with pytest.raises(TypeError, match=r"^Tensors in list passed to 'values' of 'ConcatV2' Op have "
                       r"types \[float32, int32\] that don't all match.$"):
        tf.concat([m, tf.ones([2, 3], dtypes.int32)], 0)
    s = tf.shape(m)
    assert (s.op.name, s.op.type, s.dtype) == ("Shape", "Const", dtypes.int32)
    assert tf.shape(m, out_type=dtypes.int64).dtype == dtypes.int64
    c = tf.cast(m, dtypes.int32)
    assert (c.op.name, c.op.type) == ("Cast", "Cast")
    assert tf.cast(m, dtypes.float32) is m
    assert tf.cast(tf.constant(-1.7), dtypes.int32).numpy() == -1
    assert tf.maximum(m, 0.0).op.name == "Maximum"
    assert tf.minimum(m, 0.0).op.name == "Minimum"
    assert tf.square(tf.constant(3.0)).numpy() == 9.0
    assert tf.negative(m).op.name == "Neg"


def test_reductions():
    m = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], name="m")
    s = tf.reduce_sum(m)
    assert (s.op.name, s.op.type, float(s.numpy())) == ("Sum", "Sum", 21.0)
    # TF added the reduction indices as a Const in the current scope.
    assert tf.constant(0.0).op.name == "Const_1"
    assert tf.reduce_sum(m, 1).numpy().tolist() == [6.0, 15.0]
    assert tf.reduce_sum(m, axis=[0, 1], keepdims=True).shape.as_list() == [1, 1]
    assert tf.reduce_sum(m, reduction_indices=1).shape.as_list() == [2]
    assert tf.reduce_sum(m, 1, keep_dims=True).shape.as_list() == [2, 1]
    with pytest.raises(ValueError, match=r"^Cannot specify both 'reduction_indices' and 'axis'.$"):
        tf.reduce_sum(m, axis=1, reduction_indices=1)
    with pytest.raises(ValueError, match=r"^Invalid reduction dimension 2 for input with 2 dimensions."):
        tf.reduce_sum(m, 2)
    mean = tf.reduce_mean(m)
    assert (mean.op.name, float(mean.numpy())) == ("Mean", 3.5)
    assert tf.reduce_mean(tf.constant([1, 2])).numpy() == 1
    assert tf.reduce_mean(tf.constant([1, 2])).dtype == dtypes.int32
    assert tf.reduce_max(m).op.name == "Max"
    assert tf.reduce_sum(tf.constant([1, 2], dtypes.int32)).dtype == dtypes.int32
    with pytest.raises(TypeError, match=r"^Value passed to parameter 'input' has DataType bool"):
        tf.reduce_sum(tf.constant([True]))


def test_getitem():
    m = tf.ones([2, 3], name="m")
    s = m[0]
    assert (s.op.name, s.op.type, s.shape.as_list()) == ("strided_slice", "StridedSlice", [3])
    assert m[:, 1].shape.as_list() == [2]
    assert m[0, 1:2].shape.as_list() == [1]
    assert m[..., None].shape.as_list() == [2, 3, 1]
    with pytest.raises(ValueError, match=r"^slice index 5 of dimension 0 out of bounds."):
        _ = m[5]
    t = m[tf.constant(0)]
    assert t.op.name == "strided_slice_5"
    # TF adds a visible "add" op (begin + 1) for a tensor index.
    assert (m + 1).op.name == "add_1"


def test_result_dtypes_stay_float32():
    f = tf.constant([1.0, 2.0])
    for t in (f + 1, f * 2.5, f - 1e300, f / 3, tf.reduce_mean(f), -f):
        assert t.numpy().dtype == np.float32
    z = f / 0.0
    assert np.isinf(z.numpy()).all()


def test_variables_are_read_inside_the_op_scope():
    from varstore.variable_scope import get_variable

    v = get_variable("v", [2])
    assert tf.add(v, 1.0).op.name == "Add"
    assert tf.constant(1.0).op.name == "Const"
    assert (tf.constant([1.0, 2.0]) + v).op.name == "add_1"
    assert tf.identity(v).op.name == "Identity"
    # convert_to_tensor reads the variable in the current scope.
    assert tf.convert_to_tensor(v).op.name == "ReadVariableOp"


def test_cast_of_python_values():
    assert tf.cast(1.0, dtypes.float32).op.name == "Cast/x"
    assert tf.cast(1.0, dtypes.int32).op.name == "Cast_1"
    assert tf.cast(tf.constant(1.0), dtypes.int32).op.name == "Cast_2"


def test_inputs_from_two_graphs():
    from varstore.framework.graph import Graph

    g1, g2 = Graph(), Graph()
    with g1.as_default():
        c1 = tf.constant(1.0)
    with g2.as_default():
        c2 = tf.constant(1.0)
    with g1.as_default():
        with pytest.raises(ValueError, match=r'^Tensor\("Const:0", shape=\(\), dtype=float32\) must be '
                           r'from the same graph as Tensor\("Const:0", shape=\(\), dtype=float32\) '
                           r"\(graphs are "):
            tf.add(c1, c2)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_unseeded_random_values_differ_in_a_forked_child() -> None:
    """Unseeded random ops share one generator per thread (seeded from the OS once); a forked
    child reseeds it, so parent and child do not draw the same values."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        value = np.asarray(tf.Session().run(tf.random_normal([8])), np.float32)
        os.write(write, value.tobytes())
        os._exit(0)
    os.waitpid(pid, 0)
    child = np.frombuffer(os.read(read, 32), np.float32)
    parent = np.asarray(tf.Session().run(tf.random_normal([8])), np.float32)
    assert child.shape == (8,) and not np.array_equal(child, parent)
    a, b = tf.random_normal([8]), tf.random_normal([8])  # two ops: two different draws
    assert not np.array_equal(tf.Session().run(a), tf.Session().run(b))


def _op_list() -> list[tuple[str, str]]:
    return [(o.name, o.type) for o in get_default_graph().get_operations()]


def test_fill_of_a_shape_tensor_and_stack_autopacking_as_tf() -> None:
    # Observed in TF 2.21: a shape tensor is always filled (a scalar one reshaped first), and
    # tf.stack autopacks a list holding tensors (Consts <i> of the first tensor's dtype; a
    # nested list takes the name scope <i>).
    reset_default_graph()
    t = tf.ones(tf.constant(3))
    assert _op_list() == [("Const", "Const"), ("ones/Reshape/shape", "Const"),
                          ("ones/Reshape", "Reshape"), ("ones/Const", "Const"),
                          ("ones", "Fill")]
    assert tf.Session().run(t).tolist() == [1.0, 1.0, 1.0]
    reset_default_graph()
    tf.zeros(tf.constant([2, 3]))
    assert _op_list()[-1] == ("zeros", "Fill")
    reset_default_graph()
    s = tf.stack([tf.constant(1.0), 2])
    assert _op_list() == [("Const", "Const"), ("stack/1", "Const"), ("stack", "Pack")]
    assert tf.Session().run(s).tolist() == [1.0, 2.0]
    reset_default_graph()
    tf.stack([tf.constant([1]), [2]])
    assert _op_list() == [("Const", "Const"), ("stack/1_1", "Const"), ("stack", "Pack")]
    reset_default_graph()
    c = tf.concat([[-1, 2], tf.shape(tf.zeros([4, 5]))[1:2]], 0)
    assert tf.reshape(tf.zeros([4, 5]), c).shape.as_list() == [2, 2, 5]


def test_programs_can_set_attributes_on_graph_objects() -> None:
    # TF's Variable, Tensor and Operation take attributes a program sets (tflib, igul222's
    # improved WGAN, marks its parameters with ``v.param = True``).
    v = tf.Variable(1.0)
    v.param = True
    t = tf.constant(1.0) + 1.0
    t.note = "x"
    t.op.tag = 3
    r = tf.get_variable("attr_v", [1])
    r.param = True
    assert (v.param, t.note, t.op.tag, r.param) == (True, "x", 3, True)


def test_found_by_tf_random_ops_test() -> None:
    # Behaviours recorded from TF 2.21 (TF's random_ops_test and constant conversion).
    with pytest.raises(ValueError, match=r"^minval must be a scalar; got a tensor of shape "
                       r"\[2\] for '\{\{node random_uniform\}\} = RandomUniformInt\[T=DT_INT32, "
                       r"Tout=DT_INT32, seed=0, seed2=0\]\(random_uniform/shape, "
                       r"random_uniform/min, random_uniform/max\)' with input shapes: "
                       r"\[1\], \[2\], \[\]\.$"):
        tf.random_uniform([1000], minval=[1, 2], maxval=3, dtype=tf.int32)
    with pytest.raises(ValueError, match="^maxval must be a scalar"):
        tf.random_uniform([10], minval=1, maxval=[2, 3], dtype=tf.int64)
    with tf.Session() as sess:
        # the bounds are checked only when there is something to draw
        assert sess.run(tf.random_uniform([2, 0], minval=5, maxval=1, dtype=tf.int64)).shape \
            == (2, 0)
        with pytest.raises(tf.errors.InvalidArgumentError, match="Need minval < maxval, got "
                           "0 >= 0"):
            sess.run(tf.random_uniform([1], minval=0, maxval=0, dtype=tf.int32))
    # a size past int32 takes an int64 shape (TF's TensorShape conversion), not a wrapped 0
    assert tf.zeros([2**33, 1]).shape.as_list() == [8589934592, 1]
    assert tf.zeros([2**33, 1]).op.inputs[0].dtype == tf.int64
    assert tf.constant(2**63).dtype == tf.uint64
    with pytest.raises(TypeError, match="Failed to convert elements of 18446744073709551616"):
        tf.constant(2**64)
