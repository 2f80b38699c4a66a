"""The C++ store behind get_variable: zero-copy buffers, rollback, scoped listing."""

from __future__ import annotations

import numpy as np
import pytest

import varstore as tf
from varstore import _core


def test_asarray_is_a_zero_copy_view_of_the_store_buffer() -> None:
    v = tf.get_variable("v", [3, 4], initializer=tf.zeros_initializer())
    view = np.asarray(v)
    assert view.shape == (3, 4)
    assert view.dtype == np.float32
    assert view.ctypes.data % 64 == 0  # 48 bytes: 64-byte aligned (16 / 32 only up to 32)
    assert view.ctypes.data == v._store.array(v._id).ctypes.data  # the store's own buffer
    assert np.shares_memory(np.asarray(v), view)
    with pytest.raises(ValueError, match="read-only"):
        view[0, 0] = 1.0  # writes go through assign ops
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(v.assign(np.full((3, 4), 7.0)))
    # Copy-on-write, as TF's reads: an array handed out keeps the value it had.
    assert view[1, 2] == 0.0
    assert np.asarray(v)[1, 2] == 7.0


def test_assign_writes_in_place_when_no_one_holds_the_value() -> None:
    v = tf.get_variable("v", [2], initializer=tf.ones_initializer())
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(v.assign([5.0, 6.0]))
        before = np.asarray(v).ctypes.data
        sess.run(v.assign(np.array([3.0, 4.0])))
        assert np.asarray(v).ctypes.data == before
        np.testing.assert_array_equal(sess.run(v), [3.0, 4.0])
    with pytest.raises(ValueError, match=r"Shape mismatch.*\(2,\).*\(3,\)"):
        v.assign([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(np.asarray(v), [3.0, 4.0])


@pytest.mark.parametrize(
    ("dtype", "fill", "expected"),
    [
        (tf.float32, tf.ones_initializer(), 1.0),
        (tf.float16, tf.constant_initializer(2.5), 2.5),
        (tf.float64, tf.constant_initializer(-1.25), -1.25),
        (tf.int32, tf.constant_initializer(3), 3),
        (tf.int64, tf.zeros_initializer(), 0),
        (tf.bool, tf.ones_initializer(), True),
    ],
    ids=["f32-ones", "f16-const", "f64-const", "i32-const", "i64-zeros", "bool-ones"],
)
def test_constant_fills_in_cpp_for_every_dtype(dtype: tf.DType, fill: object,
                                               expected: object) -> None:
    v = tf.get_variable("v", [5], dtype=dtype, initializer=fill)
    arr = np.asarray(v)
    assert arr.dtype == dtype.as_numpy_dtype
    assert (arr == expected).all()


def test_failed_initializer_adds_no_variable_but_takes_the_name_as_tf() -> None:
    def bad(shape: list[int], dtype: object = None, partition_info: object = None) -> None:
        raise RuntimeError("initializer failed")

    with pytest.raises(RuntimeError, match="initializer failed"):
        tf.get_variable("v", [2], initializer=bad)
    assert tf.global_variables() == []
    assert tf.trainable_variables() == []
    v = tf.get_variable("v", [2])
    assert v.name == "v_1:0"  # TF's graph keeps the failed variable's name used
    with tf.variable_scope("", reuse=True):
        assert tf.get_variable("v", [2]) is v  # stored under the name asked for: "v"
    assert tf.global_variables() == [v]


def test_initializer_of_wrong_shape_is_a_value_error_naming_both_shapes() -> None:
    with pytest.raises(ValueError, match=r"initial value's shape \(\(3,\)\).*`shape` argument \(\(2,\)\)"):
        tf.get_variable("w", [2], initializer=lambda shape, dtype=None, partition_info=None:
                        np.zeros(3, np.float32))
    assert tf.global_variables() == []


def test_huge_shape_is_a_value_error_and_changes_nothing() -> None:
    with pytest.raises((ValueError, MemoryError)):
        tf.get_variable("huge", [2**40, 2**30], initializer=tf.zeros_initializer())
    assert tf.global_variables() == []
    assert tf.get_variable("huge", [1]).name == "huge_1:0"


def test_scoped_listing_matches_re_match_semantics() -> None:
    for block in ("block_7", "block_70", "block_8"):
        with tf.variable_scope("model"), tf.variable_scope(block):
            tf.get_variable("w", [1])
    tf.get_variable("model/block_7x", [1])
    names = lambda scope: [v.name for v in tf.global_variables(scope)]  # noqa: E731
    assert names("model/block_7/") == ["model/block_7/w:0"]
    assert names("model/block_7") == ["model/block_7/w:0", "model/block_70/w:0",
                                      "model/block_7x:0"]
    assert names("model/block_[78]/") == ["model/block_7/w:0", "model/block_8/w:0"]
    assert names(".*70") == ["model/block_70/w:0"]
    assert names("block") == []
    assert names("") == [v.name for v in tf.global_variables()]


def test_listing_after_hand_edited_collection_sees_the_edit() -> None:
    a = tf.get_variable("s/a", [1])
    tf.get_variable("s/b", [1])
    tf.get_collection_ref(tf.GraphKeys.GLOBAL_VARIABLES).remove(a)
    assert [v.name for v in tf.global_variables("s/")] == ["s/b:0"]


def test_variable_scope_counters_reset_when_parent_exits() -> None:
    names = []
    for _ in range(2):
        with tf.variable_scope("m"):
            for _ in range(2):
                with tf.variable_scope(None, default_name="layer") as s:
                    names.append((s.name, s.original_name_scope))
    assert names == [("m/layer", "m/layer/"), ("m/layer_1", "m/layer_1/"),
                     ("m/layer", "m_1/layer/"), ("m/layer_1", "m_1/layer_1/")]


def test_reentering_by_object_restores_counters_on_exit() -> None:
    with tf.variable_scope("a") as a:
        pass
    with tf.variable_scope(a):
        with tf.variable_scope(None, default_name="x") as s:
            assert s.name == "a/x"
    with tf.variable_scope(a):
        with tf.variable_scope(None, default_name="x") as s:
            assert s.name == "a/x"


def test_store_rejects_bad_ids_and_reuse_codes() -> None:
    store = _core.store.VariableStore()
    with pytest.raises(ValueError, match="invalid variable id"):
        store.shape(5)
    with pytest.raises(TypeError, match="reuse"):
        _core.store.get_or_create(store, "v", (1,), 1, 7, True, 1, 0, 0.0)
    with pytest.raises(TypeError, match="dtype"):
        _core.store.get_or_create(store, "v", (1,), 99, 0, True, 1, 0, 0.0)
    assert len(store) == 0


def test_graphs_have_independent_stores() -> None:
    g1, g2 = tf.Graph(), tf.Graph()
    with g1.as_default():
        v1 = tf.get_variable("v", [1])
    with g2.as_default():
        v2 = tf.get_variable("v", [2])
    assert v1.name == v2.name == "v:0"
    assert v1.shape.as_list() == [1]
    assert v2.shape.as_list() == [2]
    with g1.as_default():
        assert tf.global_variables() == [v1]


@pytest.mark.parametrize(
    "call",
    [
        lambda: tf.get_variable("w", [2, 3]),
        lambda: tf.get_variable("w", shape=[2, 3]),
        lambda: tf.get_variable("w", [2, 3], initializer=tf.zeros_initializer()),
        lambda: tf.get_variable("w", (2, 3)),
        lambda: tf.get_variable("w", [2, None]),
        lambda: tf.get_variable("w"),
        lambda: tf.get_variable("w", [2, 3], dtype=tf.float32, trainable=True),
    ],
    ids=["positional", "keyword", "initializer", "tuple", "partial", "no-shape", "dtype"],
)
def test_reuse_lookup_returns_the_same_object_on_every_path(call: object) -> None:
    with tf.variable_scope("s"):
        w = tf.get_variable("w", [2, 3])
    with tf.variable_scope("s", reuse=True):
        assert call() is w  # type: ignore[operator]


def test_reuse_lookup_errors_come_from_the_full_rules() -> None:
    with tf.variable_scope("s"):
        tf.get_variable("w", [2, 3])
        tf.get_variable("i", [1], dtype=tf.int32)
    with tf.variable_scope("s", reuse=True):
        with pytest.raises(ValueError, match=r"specified shape \(3, 2\) and found shape \(2, 3\)"):
            tf.get_variable("w", [3, 2])
        with pytest.raises(ValueError, match="specified dtype float32 and found dtype int32"):
            tf.get_variable("i", [1])
        with pytest.raises(ValueError, match="Variable s/nope does not exist"):
            tf.get_variable("nope", [1])
        with pytest.raises(ValueError, match="If initializer is a constant, do not specify"):
            tf.get_variable("w", [2, 3], initializer=np.zeros((2, 3), np.float32))
    with tf.variable_scope("s"), pytest.raises(ValueError, match="already exists"):
        tf.get_variable("w", [2, 3])
