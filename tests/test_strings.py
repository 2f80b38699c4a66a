"""String ops, tf.lookup tables and the text / fixed-length / whole-file / identity readers
(TF's behaviour is in tests/golden/scenarios_strings.py; these are varstore's own checks)."""

from __future__ import annotations

import gzip
import os
from typing import Any

import numpy as np
import pytest

import varstore as tf
from varstore.framework import op_def_registry
from varstore.ops.string_hash import fingerprint64, hash64, siphash


def _program(d: str) -> dict[str, Any]:
    x = tf.constant(["Hello World", "  a,b  ", "héllo"])
    vocab = os.path.join(d, "v.txt")
    with open(vocab, "w") as f:
        f.write("a\nb\nc\n")
    table = tf.lookup.StaticVocabularyTable(tf.lookup.TextFileInitializer(
        vocab, tf.string, tf.lookup.TextFileIndex.WHOLE_LINE, tf.int64,
        tf.lookup.TextFileIndex.LINE_NUMBER), 2)
    kv = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["x"], [1.5]), -1.0)
    m = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, 0)
    ins = m.insert(["q"], tf.constant([4], tf.int64))
    sp = tf.string_split(x)
    sp2 = tf.strings.split(x, sep=",")
    fetches = {
        "join": tf.strings.join([x, "!"], separator="-"), "len": tf.strings.length(x),
        "lower": tf.strings.lower(x), "upper": tf.strings.upper(x, encoding="utf-8"),
        "strip": tf.strings.strip(x), "substr": tf.substr(x, 1, 2),
        "regex": tf.strings.regex_replace(x, "l+", "L"),
        "regex_dyn": tf.strings.regex_replace(x, tf.constant("o"), tf.constant("0")),
        "match": tf.strings.regex_full_match(x, ".*o"),
        "num": tf.strings.to_number(["1.5", "2"]),
        "fast": tf.strings.to_hash_bucket_fast(x, 7), "legacy": tf.string_to_hash_bucket(x, 7),
        "strong": tf.strings.to_hash_bucket_strong(x, 7, [3, 4]),
        "b64": tf.decode_base64(tf.encode_base64(x, pad=True)),
        "zlib": tf.decode_compressed(tf.constant([b"x\x9cK\x04\x00\x00b\x00b"]), "ZLIB"),
        "rjoin": tf.strings.reduce_join(x, separator="|"),
        "segjoin": tf.strings.unsorted_segment_join(x, [0, 1, 0], 2),
        "fmt": tf.strings.format("{}", tf.constant([1, 2])),
        "sp_idx": sp.indices, "sp_val": sp.values, "sp_shape": sp.dense_shape,
        "sp2_val": sp2.values,
        "ids": table.lookup(tf.constant(["b", "zz"])), "size": table.size(),
        "kv": kv.lookup(tf.constant(["x", "y"])),
        "m": m.lookup(tf.constant(["q", "r"])),
    }
    return {"fetches": fetches, "ins": ins}


def _run(g: Any, fetches: dict[str, Any], ins: Any) -> dict[str, Any]:
    with g.as_default(), tf.Session() as s:
        s.run(g.get_operation_by_name("init_all_tables"))
        s.run(ins)
        return dict(zip(fetches, s.run(list(fetches.values()))))


def test_graph_is_tf_valid_and_survives_import(tmp_path: Any) -> None:
    g0 = tf.Graph()
    with g0.as_default():
        p = _program(str(tmp_path))
        tf.tables_initializer()
    for node in g0.as_graph_def().node:
        op_def = op_def_registry.get(node.op)
        assert op_def is not None, node.op
        names = {a.name for a in op_def.attr}
        assert not [k for k in node.attr if k not in names and not k.startswith("_")], node.name
        for a in op_def.attr:
            assert a.name in node.attr or a.HasField("default_value"), (node.name, a.name)
            if a.name in node.attr:
                assert op_def_registry.attr_problem(node.attr[a.name], a) is None, node.name
    want = _run(g0, p["fetches"], p["ins"])
    g1 = tf.Graph()
    with g1.as_default():
        tf.import_graph_def(g0.as_graph_def(), name="")
        fetches = {k: g1.get_tensor_by_name(t.name) for k, t in p["fetches"].items()}
        for k, t in p["fetches"].items():
            assert fetches[k].shape.as_list() == t.shape.as_list(), k
    got = _run(g1, fetches, g1.get_operation_by_name(p["ins"].name))
    for k in want:
        np.testing.assert_array_equal(np.asarray(got[k]), np.asarray(want[k]), err_msg=k)


def test_hashes_of_known_values() -> None:
    # farmhash's Fingerprint64 of the empty string is its constant k2
    assert fingerprint64(b"") == 0x9AE16A3B2F90404F
    # SipHash-2-4's reference vector: key 00..0f, message 00..0e
    key0 = int.from_bytes(bytes(range(8)), "little")
    key1 = int.from_bytes(bytes(range(8, 16)), "little")
    assert siphash(key0, key1, bytes(range(15))) == 0xA129CA6149BE45E5
    assert hash64(b"abc") != hash64(b"abd")
    for n in (0, 3, 8, 17, 33, 64, 65, 200):
        s = bytes(range(n))
        assert 0 <= fingerprint64(s) < 2**64 and 0 <= hash64(s) < 2**64


@pytest.mark.parametrize("pattern, construct", [
    (r"(a)\1", r"\1"), (r"(?<=a)b", "(?<="), (r"\pL", r"\p"), (r"a{,2}", "{,n}"),
    (r"a++", "bad repetition")])
def test_re2_constructs_python_reads_differently_are_refused(pattern: str, construct: str
                                                             ) -> None:
    t = tf.strings.regex_replace(["ab"], pattern, "x")
    with tf.Session() as s, pytest.raises(tf.errors.InvalidArgumentError,
                                          match="Invalid pattern") as info:
        s.run(t)
    assert construct in str(info.value)


def test_re2_anchors_and_classes() -> None:
    x = tf.constant(["ab\n", "ab", "a1 b2"])
    with tf.Session() as s:
        end, posix, word = s.run([tf.strings.regex_replace(x, "b$", "!"),
                                  tf.strings.regex_replace(x, "[[:digit:]]", "#"),
                                  tf.strings.regex_replace(x, r"\bb", "B")])
    assert end.tolist() == [b"ab\n", b"a!", b"a1 b2"]
    assert posix.tolist() == [b"ab\n", b"ab", b"a# b#"]
    assert word.tolist() == [b"ab\n", b"ab", b"a1 B2"]


def test_ragged_results_are_refused_by_name() -> None:
    with pytest.raises(NotImplementedError, match="RaggedTensor"):
        tf.strings.split(["a b"], result_type="RaggedTensor")
    with pytest.raises(NotImplementedError, match="RaggedTensor"):
        tf.strings.split(tf.placeholder(tf.string))
    with pytest.raises(ValueError, match="result_type must be"):
        tf.string_split(["a"], result_type="dense")
    with pytest.raises(AttributeError, match=r"tf\.lookup\.experimental\.DenseHashTable"):
        _ = tf.lookup.experimental.DenseHashTable
    with pytest.raises(AttributeError, match=r"tf\.strings\.ngrams"):
        _ = tf.strings.ngrams


def test_static_table_initialized_once_per_session() -> None:
    init = tf.lookup.KeyValueTensorInitializer(["a", "b"], [1, 2])
    t = tf.lookup.StaticHashTable(init, -1)
    found = t.lookup(tf.constant(["b", "c"]))
    with tf.Session() as s:
        with pytest.raises(tf.errors.FailedPreconditionError, match=r"Table not initialized\."):
            s.run(found)
        s.run(tf.tables_initializer())
        s.run(t.initializer)
        assert s.run(found).tolist() == [2, -1]
    # a new session has its own, uninitialized table
    with tf.Session() as s, pytest.raises(tf.errors.FailedPreconditionError):
        s.run(found)


def test_duplicate_keys_with_different_values_fail() -> None:
    t = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a", "a"], [1, 2]), 0)
    with tf.Session() as s, pytest.raises(tf.errors.FailedPreconditionError,
                                          match="different value for same key"):
        s.run(t.initializer)


def test_mutable_table_of_vectors_and_dtypes() -> None:
    m = tf.lookup.experimental.MutableHashTable(tf.int64, tf.string, ["?", "?"])
    ins = m.insert(tf.constant([3], tf.int64), [["x", "y"]])
    out = m.lookup(tf.constant([3, 4], tf.int64))
    assert out.shape.as_list() == [2, 2]
    with tf.Session() as s:
        s.run(ins)
        assert s.run(out).tolist() == [[b"x", b"y"], [b"?", b"?"]]
    with pytest.raises(TypeError, match="Dtype of argument `keys`"):
        m.remove(tf.constant(["a"]))


def test_text_file_initializer_errors(tmp_path: Any) -> None:
    path = tmp_path / "v.txt"
    path.write_text("a\tx\nb\n")
    t = tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
        str(path), tf.string, 0, tf.string, 1), "")
    small = tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
        str(path), tf.string, tf.lookup.TextFileIndex.WHOLE_LINE, tf.int64,
        tf.lookup.TextFileIndex.LINE_NUMBER, vocab_size=5), -1)
    with tf.Session() as s:
        with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid number of columns"):
            s.run(t.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid vocab_size"):
            s.run(small.initializer)
    with pytest.raises(ValueError, match="`key_dtype` must be int64"):
        tf.lookup.TextFileInitializer(str(path), tf.string, -1, tf.int64, -2)


def test_fixed_length_reader_of_a_gzip_file(tmp_path: Any) -> None:
    path = tmp_path / "r.gz"
    path.write_bytes(gzip.compress(b"H" + b"abcdefgh" + b"F"))
    q = tf.FIFOQueue(3, tf.string)
    fill = q.enqueue([str(path)])
    r = tf.FixedLengthRecordReader(4, header_bytes=1, footer_bytes=1, encoding="GZIP")
    k, v = r.read_up_to(q, 5)
    with tf.Session() as s:
        s.run(fill)
        keys, values = s.run([k, v])
    assert values.tolist() == [b"abcd", b"efgh"]
    assert keys.tolist() == [f"{path}:0".encode(), f"{path}:1".encode()]


def test_text_line_reader_blocks_until_closed_queue_ends() -> None:
    q = tf.FIFOQueue(2, tf.string)
    close = q.close()
    r = tf.TextLineReader()
    k, _ = r.read(q)
    with tf.Session() as s:
        s.run(close)
        with pytest.raises(tf.errors.OutOfRangeError):
            s.run(k)


def test_substr_broadcast_and_bad_unit() -> None:
    x = tf.constant([["abc", "defg"]])
    out = tf.strings.substr(x, [[0], [1]], [[1], [2]])
    assert out.shape.as_list() == [2, 2]
    with tf.Session() as s:
        assert s.run(out).tolist() == [[b"a", b"d"], [b"bc", b"ef"]]
    with pytest.raises(ValueError, match="unit"):
        tf.strings.substr(x, 0, 1, unit="CHAR")


def test_fed_python_strings_are_utf8_bytes() -> None:
    p = tf.placeholder(tf.string, [None])
    joined = p + "!"
    with tf.Session() as s:
        assert s.run(joined, {p: ["a", "é"]}).tolist() == [b"a!", "é!".encode()]
        assert s.run(tf.strings.length(p), {p: ["é"]}).tolist() == [2]


def test_hash_table_of_float_keys_has_no_kernel() -> None:
    t = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(
        tf.constant([1.5]), tf.constant([1], tf.int64)), -1)
    with tf.Session() as s, pytest.raises(tf.errors.InvalidArgumentError,
                                          match="No OpKernel was registered to support Op "
                                                "'HashTableV2'"):
        s.run(t.initializer)


def test_split_of_a_matrix_is_tf1s_sparse_tensor() -> None:
    sp = tf.strings.split(tf.constant([["a b", ""], ["c", "d e f"]]))
    assert sp.indices.shape.as_list() == [None, 3]
    with tf.Session() as s:
        v = s.run(sp)
    assert v.indices.tolist() == [[0, 0, 0], [0, 0, 1], [1, 0, 0], [1, 1, 0], [1, 1, 1],
                                  [1, 1, 2]]
    assert v.dense_shape.tolist() == [2, 2, 3]
    with tf.Session() as s:
        empty = s.run(tf.strings.split(tf.zeros([0, 2], tf.string)))
    assert empty.indices.shape == (0, 3) and empty.dense_shape.tolist() == [0, 0, 0]
