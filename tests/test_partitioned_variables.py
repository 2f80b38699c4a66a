"""Partitioned variables beyond the golden set (tests/golden/scenarios_varapi.py): the Saver
writes TF's checkpoint byte for byte, restores across partitionings, and checks its
var_list as TF does; cases ported from TF's partitioned_variables_test.py and
variable_scope_test.py (tensorflow/python/kernel_tests/variables/, written from memory,
with the expectations probed in TF 2.21's compat.v1 graph mode)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import varstore as tf
from varstore.errors import InvalidArgumentError, NotFoundError

FIXTURES = Path(__file__).parent / "fixtures" / "tf_checkpoints"


def _part_of(full: np.ndarray) -> Any:
    def init(shape: Any, dtype: Any = None, partition_info: Any = None) -> Any:
        at = partition_info.var_offset if partition_info is not None else [0] * len(shape)
        return tf.constant(full[tuple(slice(o, o + n) for o, n in zip(at, shape))])

    return init


def test_saver_writes_tfs_partitioned_checkpoint_byte_for_byte(tmp_path: Path) -> None:
    # The program of tests/fixtures/make_tf_checkpoints.py's make_partitioned.
    rng = np.random.default_rng(11)
    emb = rng.standard_normal((10, 3)).astype(np.float32)
    ker = rng.standard_normal((4, 6)).astype(np.float32)
    tf.get_variable("emb", [10, 3], partitioner=tf.fixed_size_partitioner(3),
                    initializer=_part_of(emb))
    with tf.variable_scope("dense"):
        tf.get_variable("kernel", [4, 6], partitioner=tf.fixed_size_partitioner(2, axis=1),
                        initializer=_part_of(ker))
    tf.get_variable("plain", [2], initializer=tf.ones_initializer())
    saver = tf.train.Saver(save_relative_paths=True)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = saver.save(sess, str(tmp_path / "model.ckpt"), write_meta_graph=False)
    for suffix in (".index", ".data-00000-of-00001"):
        assert (Path(path + suffix)).read_bytes() == \
            (FIXTURES / "partitioned" / ("model.ckpt" + suffix)).read_bytes(), suffix


def test_tf_partitioned_checkpoint_restores_into_parts() -> None:
    p = tf.get_variable("emb", [10, 3], partitioner=tf.fixed_size_partitioner(2))
    with tf.variable_scope("dense"):
        k = tf.get_variable("kernel", [4, 6], partitioner=tf.fixed_size_partitioner(3, axis=1))
    prefix = str(FIXTURES / "partitioned" / "model.ckpt")
    with tf.Session() as sess:
        tf.train.Saver([p, k]).restore(sess, prefix)
        full_emb, full_k = sess.run([tf.convert_to_tensor(p), tf.convert_to_tensor(k)])
    np.testing.assert_array_equal(full_emb, tf.train.load_variable(prefix, "emb"))
    np.testing.assert_array_equal(full_k, tf.train.load_variable(prefix, "dense/kernel"))


def test_restore_checks_before_writing(tmp_path: Path) -> None:
    p = tf.get_variable("emb", [4, 2], initializer=tf.ones_initializer(),
                        partitioner=tf.fixed_size_partitioner(2))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver().save(sess, str(tmp_path / "m.ckpt"))
    tf.reset_default_graph()
    q = tf.get_variable("emb", [5, 2], partitioner=tf.fixed_size_partitioner(2))
    with pytest.raises(InvalidArgumentError, match="emb"):
        tf.train.Saver([q]).restore(None, path)
    r = tf.get_variable("other", [4, 2], partitioner=tf.fixed_size_partitioner(2))
    with pytest.raises(NotFoundError, match="other"):
        tf.train.Saver([r]).restore(None, path)


def test_saver_var_list_rules() -> None:
    p = tf.get_variable("emb", [4, 2], partitioner=tf.fixed_size_partitioner(2))
    q = tf.get_variable("other", [4, 2], partitioner=tf.fixed_size_partitioner(2))
    v = tf.get_variable("v", [2])
    with pytest.raises(ValueError, match="At least two variables have the same name: emb"):
        tf.train.Saver([p, p])
    with pytest.raises(ValueError, match="Slices must all be from the same tensor: emb != other"):
        tf.train.Saver({"x": [*p, *q]})
    with pytest.raises(ValueError, match="Slices must all be slices"):
        tf.train.Saver({"x": [v]})
    with pytest.raises(ValueError, match="bundle"):
        tf.train.Saver([p], format="safetensors")
    # the parts in a list are grouped under the full name, as TF groups them
    assert sorted(tf.train.Saver([*p, v])._sliced) == ["emb"]


def test_saver_dict_key_names_the_sliced_entry(tmp_path: Path) -> None:
    p = tf.get_variable("emb", [4, 2], initializer=tf.ones_initializer(),
                        partitioner=tf.fixed_size_partitioner(2))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver({"renamed": p}).save(sess, str(tmp_path / "m.ckpt"))
    assert tf.train.list_variables(path) == [("renamed", [4, 2])]
    np.testing.assert_array_equal(tf.train.load_variable(path, "renamed"), np.ones((4, 2)))


# -- ported from partitioned_variables_test.py ---------------------------------------------
@pytest.mark.parametrize(("max_bytes", "want"), [(1, 10), (40, 5), (48, 4), (1 << 20, 1)])
def test_variable_axis_size_partitioner(max_bytes: int, want: int) -> None:
    # testVariableAxisSizePartitioner: [10, 4] float32 is 16 bytes a row
    with tf.variable_scope("root", partitioner=tf.variable_axis_size_partitioner(max_bytes)):
        p = tf.get_variable("v", [10, 4])
    assert len(list(p)) == want
    assert sum(v.shape.as_list()[0] for v in p) == 10


def test_min_max_variable_partitioner_respects_min_slice_size() -> None:
    # testMinMaxVariablePartitioner: 1024 float32 rows of 4 in at least 2 KiB slices
    part = tf.min_max_variable_partitioner(max_partitions=100, min_slice_size=2 << 10)
    assert part(shape=tf.TensorShape([1024, 4]), dtype=tf.float32) == [8, 1]
    part = tf.min_max_variable_partitioner(max_partitions=3, min_slice_size=2 << 10)
    assert part(shape=tf.TensorShape([1024, 4]), dtype=tf.float32) == [3, 1]


def test_partitioned_initializer_gets_partition_info() -> None:
    # testRandomInitializer-style: the initializer sees each part's offset and the full shape
    seen: list[Any] = []

    def init(shape: Any, dtype: Any = None, partition_info: Any = None) -> Any:
        seen.append((list(shape), partition_info.full_shape, partition_info.var_offset,
                     partition_info.single_offset(shape), partition_info.single_slice_dim(shape)))
        return np.zeros(shape, np.float32)

    tf.get_variable("v", [5, 3], initializer=init, partitioner=tf.fixed_size_partitioner(2))
    assert seen == [([3, 3], [5, 3], [0, 0], 0, 0), ([2, 3], [5, 3], [3, 0], 3, 0)]


def test_partitioned_variable_iterates_in_offset_order_and_concats_once() -> None:
    p = tf.get_variable("v", [6, 2], partitioner=tf.fixed_size_partitioner(3))
    assert [v.name for v in p] == ["v/part_0:0", "v/part_1:0", "v/part_2:0"]
    assert [v._get_save_slice_info().var_offset for v in p] == [[0, 0], [2, 0], [4, 0]]
    t = tf.convert_to_tensor(p)
    assert t.name == "v:0" and t.op.inputs[0].name == "v/ConcatPartitions/concat:0"
    with pytest.raises(NotImplementedError, match="reference"):
        p._as_tensor(as_ref=True)


# -- ported from variable_scope_test.py --------------------------------------------------------
def test_var_scope_get_var_partitioner_and_reuse() -> None:
    # testVarScopeGetOrCreateReuse / testGetVarWithPartitioner
    with tf.variable_scope("s", partitioner=tf.fixed_size_partitioner(2)):
        p = tf.get_variable("v", [4])
    with tf.variable_scope("s", reuse=True):
        assert tf.get_variable("v") is p
        assert tf.get_variable("v", [4], partitioner=tf.fixed_size_partitioner(2)) is p


def test_get_local_variable_with_partitioner() -> None:
    p = tf.get_local_variable("lv", [4], partitioner=tf.fixed_size_partitioner(2))
    assert [v.name for v in tf.local_variables()] == ["lv/part_0:0", "lv/part_1:0"]
    assert tf.global_variables() == [] and tf.trainable_variables() == []
    assert p.name == "lv"


def test_string_variables_raise_typeerror_naming_the_dtype() -> None:
    # TF builds string variables; varstore's C++ store holds fixed-size elements only.
    for make in (lambda: tf.get_variable("s", [2], dtype=tf.string),
                 lambda: tf.get_variable("t", initializer=tf.constant(["a"])),
                 lambda: tf.Variable(["a", "b"], name="u"),
                 lambda: tf.get_variable("p", [4], dtype=tf.string,
                                         partitioner=tf.fixed_size_partitioner(2))):
        with pytest.raises(TypeError, match=r"tf\.string"):
            make()
    assert tf.global_variables() == []


def test_uint16_partitioned_round_trip(tmp_path: Path) -> None:
    p = tf.get_variable("u", [5], dtype=tf.uint16, initializer=tf.ones_initializer(),
                        partitioner=tf.fixed_size_partitioner(2))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver().save(sess, os.fspath(tmp_path / "u.ckpt"))
    got = tf.train.load_variable(path, "u")
    assert got.dtype == np.uint16 and got.tolist() == [1] * 5


def test_embedding_lookup_of_partitioned_params_is_per_part() -> None:
    # TF's "mod" strategy: id i is row i // n of part i % n, not row i of the concatenation.
    p = tf.get_variable("emb", [6, 2], initializer=tf.ones_initializer(),
                        partitioner=tf.fixed_size_partitioner(3))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(list(p)[1].assign([[5.0, 5.0], [6.0, 6.0]]))
        got = sess.run(tf.nn.embedding_lookup(p, [1, 4, 2]))
    assert got.tolist() == [[5.0, 5.0], [6.0, 6.0], [1.0, 1.0]]
    one = tf.get_variable("one", [6, 2], partitioner=tf.fixed_size_partitioner(1))
    assert tf.nn.embedding_lookup(one, [0, 1]).shape.as_list() == [2, 2]


# -- properties ------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.integers(1, 9), cols=st.integers(1, 4), shards=st.integers(1, 5),
       other=st.integers(1, 5), axis=st.integers(0, 1))
def test_parts_tile_the_variable_and_restore_across_partitionings(
        tmp_path: Path, rows: int, cols: int, shards: int, other: int, axis: int) -> None:
    tf.reset_default_graph()
    full = np.arange(rows * cols, dtype=np.float32).reshape(rows, cols)
    p = tf.get_variable("v", [rows, cols], initializer=_part_of(full),
                        partitioner=tf.fixed_size_partitioner(shards, axis=axis))
    parts = list(p)
    assert len(parts) == min(shards, full.shape[axis])
    offset = 0
    for v in parts:  # contiguous, in order, the first ones one longer
        info = v._get_save_slice_info()
        assert info.var_offset[axis] == offset and info.full_shape == [rows, cols]
        offset += info.var_shape[axis]
    assert offset == full.shape[axis]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(tf.convert_to_tensor(p)), full)
        path = tf.train.Saver().save(sess, str(tmp_path / "m"))
    np.testing.assert_array_equal(tf.train.load_variable(path, "v"), full)
    tf.reset_default_graph()
    q = tf.get_variable("v", [rows, cols], partitioner=tf.fixed_size_partitioner(other))
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, path)
        np.testing.assert_array_equal(sess.run(tf.convert_to_tensor(q)), full)


def test_default_variable_store_view_as_tf() -> None:
    # TF's internal variable_scope._get_default_variable_store(), which TF's own tests use:
    # _vars by full name, _partitioned_vars, get_variable by full name outside the scope
    # (reuse=None at the store returns an existing variable, as TF's _VariableStore does).
    import importlib

    vs_module = importlib.import_module("varstore.variable_scope")
    with tf.variable_scope("a"):
        v = tf.get_variable("v", [2])
        tf.get_variable("p", [4, 2], partitioner=tf.fixed_size_partitioner(2))
    store = vs_module._get_default_variable_store()
    assert sorted(store._vars) == ["a/p/part_0", "a/p/part_1", "a/v"]
    assert list(store._partitioned_vars) == ["a/p"]
    with tf.variable_scope("elsewhere"):
        x = store.get_variable("b/x", [3])
    assert x.name == "b/x:0"
    assert store.get_variable("a/v", [2]) is v
    assert store.get_variable("a/v", [2], reuse=True) is v
    with pytest.raises(ValueError, match="already exists"):
        store.get_variable("a/v", [2], reuse=False)
