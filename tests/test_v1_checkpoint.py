"""TF V1 checkpoints (one sstable, TF < 0.12 and ``Saver(write_version=V1)``): the fixture
was written by TF 2.21's V1 Saver (tests/fixtures/tf_v1_ckpt; the values are the ones
the writing script gave its variables). TF's reader lists it, reads its whole tensors and
refuses get_tensor of a tensor saved in slices, which Saver.restore assembles."""

import os

import numpy as np
import pytest

import varstore as tf

PATH = os.path.join(os.path.dirname(__file__), "fixtures", "tf_v1_ckpt", "model.ckpt")
def open_bytes(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


P = np.array([[1, 1], [1, 1], [7, 8], [9, 10], [1, 1], [1, 1]], np.float32)


def test_reader_lists_and_reads_a_v1_checkpoint() -> None:
    r = tf.train.load_checkpoint(PATH)
    assert r.get_variable_to_shape_map() == {
        "a": [2, 3], "scope/b": [3], "c": [2], "d": [4], "e": [], "h": [2], "s": [2],
        "m": [40, 50], "p": [6, 2]}
    assert {k: v.name for k, v in r.get_variable_to_dtype_map().items()} == {
        "a": "float32", "scope/b": "int64", "c": "bool", "d": "float64", "e": "int32",
        "h": "float16", "s": "string", "m": "float32", "p": "float32"}
    np.testing.assert_array_equal(r.get_tensor("a"), np.arange(6).reshape(2, 3))
    np.testing.assert_array_equal(r.get_tensor("scope/b"), [1, -2, 3])
    np.testing.assert_array_equal(r.get_tensor("c"), [True, False])
    np.testing.assert_array_equal(r.get_tensor("d"), np.arange(4) / 3)
    assert r.get_tensor("e") == -3
    np.testing.assert_array_equal(r.get_tensor("h"), np.array([1.5, -2], np.float16))
    assert r.get_tensor("s").tolist() == [b"ab", b"xyz"]
    np.testing.assert_array_equal(r.get_tensor("m"),
                                  np.sin(np.arange(2000)).reshape(40, 50).astype(np.float32))
    with pytest.raises(tf.errors.UnimplementedError, match="Sliced checkpoints"):
        r.get_tensor("p")
    assert b"p (DT_FLOAT) [6,2], 3 slices\n" in r.debug_string()
    assert tf.train.list_variables(PATH)[0] == ("a", [2, 3])
    assert tf.train.checkpoint_exists(PATH)


def test_saver_restores_whole_and_partitioned_variables_from_v1() -> None:
    with tf.Graph().as_default():
        a = tf.get_variable("a", [2, 3])
        m = tf.get_variable("m", [40, 50])
        p = tf.get_variable("p", [6, 2], partitioner=tf.fixed_size_partitioner(3))
        saver = tf.train.Saver([a, m, *p])
        with tf.Session() as s:
            saver.restore(s, PATH)
            np.testing.assert_array_equal(s.run(a), np.arange(6).reshape(2, 3))
            np.testing.assert_array_equal(s.run(tf.convert_to_tensor(p)), P)
        with tf.Session() as s:  # init_from_checkpoint reads it too
            tf.train.init_from_checkpoint(PATH, {"m": "m"})
            s.run(m.initializer)
            assert s.run(m)[3, 7] == np.float32(np.sin(157))


def test_corrupt_v1_file_is_data_loss(tmp_path) -> None:
    bad = tmp_path / "model.ckpt"
    data = bytearray(open_bytes(PATH))
    data[100:140] = b"\xff" * 40
    bad.write_bytes(bytes(data))
    with pytest.raises((tf.errors.DataLossError, tf.errors.UnimplementedError)):
        r = tf.train.load_checkpoint(str(bad))
        for name in r.get_variable_to_shape_map():
            r.get_tensor(name)
