"""Ref dtypes (``float32_ref``): the op table behind ``Tensor.dtype`` agrees with TF's
OpDefs, ref dtypes pickle and hash apart from their bases, and a ref-variable graph saves
and restores through its base types. Values TF gives are in the golden set ``refdt``."""

import pickle

import numpy as np
import pytest

import varstore as tf
from varstore.framework import op_def_registry
from varstore.framework.ops import REF_OUTPUT_OPS


def test_ref_output_table_matches_the_op_defs():
    # every op type varstore has whose OpDef's first output is a ref, and no other
    from_defs = {t for t in op_def_registry.op_types()
                 if op_def_registry.get(t).output_arg
                 and op_def_registry.get(t).output_arg[0].is_ref}
    assert from_defs == set(REF_OUTPUT_OPS)


def test_ref_dtypes_pickle_hash_and_enum_round_trip():
    f = tf.float32._as_ref
    assert pickle.loads(pickle.dumps(f)) is f
    assert len({f, tf.float32}) == 2
    assert tf.as_dtype(f.as_datatype_enum) is f
    assert tf.as_dtype(f.name) is f
    assert f.base_dtype is tf.float32 and f._as_ref is f


def test_ref_variable_checkpoint_round_trip(tmp_path):
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable(np.arange(4, dtype=np.float32), name="v", use_resource=False)
        assert v.dtype == tf.float32._as_ref
        saver = tf.train.Saver()
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            s.run(tf.assign_add(v, np.ones(4, np.float32)))
            path = saver.save(s, str(tmp_path / "m"))
    reader = tf.train.load_checkpoint(path)
    assert reader.get_variable_to_dtype_map()["v"] == tf.float32
    np.testing.assert_array_equal(reader.get_tensor("v"), np.arange(1, 5, dtype=np.float32))
    with tf.Graph().as_default():
        w = tf.get_variable("v", [4], use_resource=False)
        with tf.Session() as s:
            tf.train.Saver().restore(s, path)
            np.testing.assert_array_equal(s.run(w), np.arange(1, 5, dtype=np.float32))


def test_assigns_chain_through_ref_tensors() -> None:
    # TF's gen ops take a ref tensor as their target: an update's output, v._ref(); the
    # chained update runs after the one it takes (a data edge). Values from TF 2.21.
    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0], name="v", use_resource=False)
        a = tf.assign(v, [3.0, 4.0])
        b = tf.assign_add(a, [1.0, 1.0], name="b")
        c = tf.assign_sub(b, [0.5, 0.5])
        d = tf.assign(v._ref(), [9.0, 9.0], name="d")
        e = tf.assign_add(tf.scatter_update(v, [0], [5.0]), [1.0, 1.0])
        assert [t.op.inputs[0].name for t in (b, c, d)] == ["Assign:0", "b:0", "v:0"]
        assert {t.dtype for t in (a, b, c, d, e)} == {tf.float32._as_ref}
        with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal"):
            tf.assign_add(a, [1.0, 1.0, 1.0])
        with pytest.raises(AttributeError, match="object has no attribute 'assign'"):
            tf.assign(tf.constant([1.0]), [2.0])
        with tf.Session() as s:
            s.run(v.initializer)
            np.testing.assert_array_equal(s.run(c), [3.5, 4.5])
            np.testing.assert_array_equal(s.run(e), [6.0, 5.5])
            np.testing.assert_array_equal(s.run(d), [9.0, 9.0])
