"""tf.raw_ops: every listed op type builds a keyword-only function with TF's keywords, and
what varstore cannot build is an AttributeError naming it. (Values, names and errors are
checked against TF in the golden set ``rawops``.)"""

from __future__ import annotations

import inspect
import json
import os

import numpy as np
import pytest

import varstore as tf
from varstore.framework import raw_op_builder

with open(os.path.join(os.path.dirname(raw_op_builder.__file__), "raw_op_args.json"),
          encoding="utf-8") as _f:
    ARGS = json.load(_f)


def test_every_listed_raw_op_has_tfs_keywords() -> None:
    names = dir(tf.raw_ops)
    assert len(names) > 500 and "AddV2" in names and "While" not in names
    for name in names:
        fn = getattr(tf.raw_ops, name)
        params = list(inspect.signature(fn).parameters)
        if name in ARGS:
            assert params == ARGS[name][0], name
        assert params[-1] == "name", name
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY
                   for p in inspect.signature(fn).parameters.values())


@pytest.mark.parametrize("name", ["While", "PyFunc", "MapDataset", "NotAnOp", "_private"])
def test_unbuildable_raw_ops_name_themselves(name: str) -> None:
    with pytest.raises(AttributeError, match=rf"varstore lacks tf\.raw_ops\.{name}"):
        getattr(tf.raw_ops, name)


def test_renamed_keyword_and_namedtuple_output() -> None:
    with tf.Graph().as_default():
        parts = tf.raw_ops.Split(axis=1, value=tf.reshape(tf.range(6.0), [2, 3]), num_split=3)
        top = tf.raw_ops.TopKV2(input=[3.0, 1.0, 2.0], k=2)
        assert [p.shape.as_list() for p in parts] == [[2, 1]] * 3
        assert top._fields == ("values", "indices")
        with tf.Session() as sess:
            got = sess.run([parts, top])
        np.testing.assert_array_equal(got[0][2], [[2.0], [5.0]])
        np.testing.assert_array_equal(got[1].indices, [0, 2])


def test_raw_op_respects_control_dependencies_and_name_scope() -> None:
    with tf.Graph().as_default():
        a = tf.constant(1.0)
        x = tf.constant(2.0)
        with tf.name_scope("outer"), tf.control_dependencies([a]):
            b = tf.raw_ops.Neg(x=x)
            c = tf.raw_ops.Neg(x=3.0)
        assert b.name == "outer/Neg:0" and c.name == "outer/Neg_1:0"
        assert b.op.control_inputs == [a.op]
        # (the Const made inside the block carries the dependency, as in TF)
        assert c.op.inputs[0].name == "outer/Neg_1/x:0" and c.op.control_inputs == []
        assert c.op.inputs[0].op.control_inputs == [a.op]
