"""TFRecord files, tf.train.Example parsing, DecodeRaw and the file datasets / ops (the
TF-recorded behaviour is in tests/golden/scenarios_tfrecord.py)."""

import gzip
import os
import struct
import zlib

import google_crc32c
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import varstore as tf
from varstore import errors


def _masked(data):
    crc = google_crc32c.value(data)
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def _encode(data):
    n = struct.pack("<Q", len(data))
    return n + struct.pack("<I", _masked(n)) + data + struct.pack("<I", _masked(data))


def _write(path, records, options=None):
    with tf.io.TFRecordWriter(str(path), options) as w:
        for r in records:
            w.write(r)


def _read_all(tensor, feed=None):
    out = []
    with tf.Session() as s:
        while True:
            try:
                out.append(s.run(tensor, feed))
            except tf.errors.OutOfRangeError:
                return out


@pytest.fixture(autouse=True)
def _graph():
    with tf.Graph().as_default():
        yield


def test_record_format_is_tfs(tmp_path):
    p = tmp_path / "f"
    _write(p, [b"abc", b"", "text"])
    assert p.read_bytes() == _encode(b"abc") + _encode(b"") + _encode(b"text")


@pytest.mark.parametrize("ct", ["ZLIB", "GZIP", tf.io.TFRecordCompressionType.GZIP,
                                tf.io.TFRecordOptions("ZLIB")])
def test_compressed_round_trip(tmp_path, ct):
    p = tmp_path / "f"
    records = [b"x" * 1000, b"", bytes(range(256))]
    _write(p, records, ct)
    raw = p.read_bytes()
    kind = tf.io.TFRecordOptions.get_compression_type_string(ct)
    plain = gzip.decompress(raw) if kind == "GZIP" else zlib.decompress(raw)
    assert plain == b"".join(_encode(r) for r in records)
    assert list(tf.io.tf_record_iterator(str(p), tf.io.TFRecordOptions(ct))) == records
    assert list(tf.python_io.tf_record_iterator(str(p), kind)) == records


@settings(max_examples=25, deadline=None)
@given(st.lists(st.binary(max_size=300), max_size=6), st.sampled_from(["", "ZLIB", "GZIP"]))
def test_round_trip_property(tmp_path_factory, records, ct):
    p = tmp_path_factory.mktemp("h") / "f"
    w = tf.io.TFRecordWriter(str(p), ct)
    for i, r in enumerate(records):
        w.write(r)
        if i == 1:
            w.flush()
    w.close()
    assert list(tf.io.tf_record_iterator(str(p), ct)) == records


def test_writer_closed_and_options(tmp_path):
    w = tf.io.TFRecordWriter(str(tmp_path / "f"))
    w.close()
    w.close()
    with pytest.raises(errors.FailedPreconditionError, match=r"Writer is closed\."):
        w.write(b"x")
    with pytest.raises(ValueError, match='Not a valid compression_type: "BZ2"'):
        tf.io.TFRecordOptions("BZ2")
    with pytest.raises(ValueError, match="Not a valid compression_type"):
        tf.io.TFRecordWriter(str(tmp_path / "g"), 7)
    with pytest.raises(errors.NotFoundError, match="No such file or directory"):
        tf.io.TFRecordWriter(str(tmp_path / "no" / "f"))
    with pytest.raises(errors.NotFoundError):
        tf.io.tf_record_iterator(str(tmp_path / "missing"))


def test_corrupted_records(tmp_path):
    good = _encode(b"hello") + _encode(b"world!")
    cases = {
        good[:13] + b"H" + good[14:]: "corrupted record at 12$",
        good[:8] + b"\0" + good[9:]: r"corrupted record at 0 \(Is this even a TFRecord file\?\)",
        good[:21] + b"\1" + good[22:]: "corrupted record at 21$",
        good[:-2]: "truncated record at 21' failed with Read less bytes than requested",
    }
    for i, (data, message) in enumerate(cases.items()):
        p = tmp_path / f"bad{i}"
        p.write_bytes(data)
        with pytest.raises(errors.DataLossError, match=message):
            list(tf.io.tf_record_iterator(str(p)))
    # a partial header at the end is the end of the file, as TF's reader sees it
    (tmp_path / "partial").write_bytes(good[:25])
    assert list(tf.io.tf_record_iterator(str(tmp_path / "partial"))) == [b"hello"]
    (tmp_path / "gz").write_bytes(b"not gzip at all")
    with pytest.raises(errors.DataLossError):
        list(tf.io.tf_record_iterator(str(tmp_path / "gz"), "GZIP"))


def test_example_protos():
    ex = tf.train.Example(features=tf.train.Features(feature={
        "i": tf.train.Feature(int64_list=tf.train.Int64List(value=[1, -2])),
        "f": tf.train.Feature(float_list=tf.train.FloatList(value=[0.5])),
        "b": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"x"]))}))
    back = tf.train.Example.FromString(ex.SerializeToString())
    assert back == ex
    assert list(back.features.feature["i"].int64_list.value) == [1, -2]
    one = tf.train.Example(features=tf.train.Features(feature={
        "i": tf.train.Feature(int64_list=tf.train.Int64List(value=[1, -2]))}))
    # TF's bytes for this Example (feature.proto's packed int64 list)
    assert one.SerializeToString().hex() == \
        "0a160a140a0169120f1a0d0a0b01feffffffffffffffff01"
    seq = tf.train.SequenceExample()
    seq.feature_lists.feature_list["t"].feature.add().float_list.value.append(2.0)
    assert tf.train.SequenceExample.FromString(seq.SerializeToString()) == seq


def _ser(**features):
    f = {}
    for k, v in features.items():
        if isinstance(v[0], bytes):
            f[k] = tf.train.Feature(bytes_list=tf.train.BytesList(value=v))
        elif isinstance(v[0], float):
            f[k] = tf.train.Feature(float_list=tf.train.FloatList(value=v))
        else:
            f[k] = tf.train.Feature(int64_list=tf.train.Int64List(value=v))
    return tf.train.Example(features=tf.train.Features(feature=f)).SerializeToString()


def test_parse_example_dense_and_sparse():
    ser = [_ser(a=[1, 2], s=[b"p", b"q"]), _ser(a=[3, 4], w=[2.5])]
    feats = {"a": tf.FixedLenFeature([2], tf.int64),
             "w": tf.FixedLenFeature([], tf.float32, default_value=7.0),
             "s": tf.VarLenFeature(tf.string)}
    p = tf.parse_example(ser, feats)
    assert p["a"].shape.as_list() == [2, 2]
    assert p["s"].indices.shape.as_list() == [None, 2]
    with tf.Session() as s:
        v = s.run(p)
    np.testing.assert_array_equal(v["a"], [[1, 2], [3, 4]])
    np.testing.assert_array_equal(v["w"], np.array([7.0, 2.5], np.float32))
    np.testing.assert_array_equal(v["s"].indices, [[0, 0], [0, 1]])
    assert list(v["s"].values) == [b"p", b"q"]
    np.testing.assert_array_equal(v["s"].dense_shape, [2, 2])
    single = tf.io.parse_single_example(ser[1], feats)
    with tf.Session() as s:
        v = s.run(single)
    assert v["w"] == np.float32(2.5) and v["s"].dense_shape.tolist() == [0]


def test_parse_errors():
    ser = _ser(a=[1, 2])
    with pytest.raises(ValueError, match="features cannot be empty"):
        tf.parse_single_example(ser, {})
    with pytest.raises(ValueError, match="Input serialized must be a scalar"):
        tf.parse_single_example([ser], {"a": tf.FixedLenFeature([2], tf.int64)})
    with pytest.raises(TypeError, match="DataType int32 not in list of allowed values"):
        tf.parse_example([ser], {"a": tf.FixedLenFeature([2], tf.int32)})
    runs = [({"b": tf.FixedLenFeature([], tf.int64)},
             r"Feature: b \(data type: int64\) is required but could not be found."),
            ({"a": tf.FixedLenFeature([3], tf.int64)}, "Some int64_list slice was not parsed"),
            ({"a": tf.FixedLenFeature([2], tf.string)},
             "Data types don't match. Data type: int64 but expected type: string"),
            ({"a": tf.VarLenFeature(tf.float32)},
             "Data types don't match. Expected type: float, Actual type: int64")]
    with tf.Session() as s:
        for feats, message in runs:
            with pytest.raises(errors.InvalidArgumentError, match=message):
                s.run(tf.parse_single_example(ser, feats))
        with pytest.raises(errors.InvalidArgumentError, match="Could not parse example input"):
            s.run(tf.parse_single_example(b"\xff\xff", {"a": tf.FixedLenFeature([2], tf.int64)}))


def test_decode_raw():
    x = tf.decode_raw(tf.constant([b"\x01\x00\x00\x00", b"\xff\xff\xff\xff"]), tf.int32)
    y = tf.io.decode_raw(b"\x00\x01", tf.int16, little_endian=False)
    assert x.shape.as_list() == [2, None]
    with tf.Session() as s:
        np.testing.assert_array_equal(s.run(x), [[1], [-1]])
        assert s.run(y).tolist() == [1]
        with pytest.raises(errors.InvalidArgumentError, match="not a multiple of 4"):
            s.run(tf.decode_raw(b"abc", tf.float32))
        with pytest.raises(errors.InvalidArgumentError, match="the same size"):
            s.run(tf.decode_raw([b"ab", b"abcd"], tf.uint8))


def test_tfrecord_dataset(tmp_path):
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    _write(a, [b"1", b"2"])
    _write(b, [b"3"], "GZIP")
    assert _read_all(tf.data.make_one_shot_iterator(
        tf.data.TFRecordDataset([a, a])).get_next()) == [b"1", b"2", b"1", b"2"]
    files = tf.placeholder(tf.string, [None])
    it = tf.data.make_initializable_iterator(tf.data.TFRecordDataset(files, "GZIP"))
    nxt = it.get_next()
    with tf.Session() as s:
        s.run(it.initializer, {files: [b]})
        assert s.run(nxt) == b"3"
        s.run(it.initializer, {files: [str(tmp_path / "none")]})
        with pytest.raises(errors.NotFoundError, match="No such file or directory"):
            s.run(nxt)
    bad = tmp_path / "bad"
    bad.write_bytes(_encode(b"ok") + b"\0" * 20)
    nxt = tf.data.make_one_shot_iterator(tf.data.TFRecordDataset(str(bad))).get_next()
    with tf.Session() as s:
        assert s.run(nxt) == b"ok"
        with pytest.raises(errors.DataLossError, match="corrupted record at 18"):
            s.run(nxt)


def test_text_and_fixed_length_datasets(tmp_path):
    t = tmp_path / "t.txt.gz"
    t.write_bytes(gzip.compress(b"a\r\nb\n\nc"))
    assert _read_all(tf.data.make_one_shot_iterator(
        tf.data.TextLineDataset(str(t), "GZIP")).get_next()) == [b"a", b"b", b"", b"c"]
    f = tmp_path / "f.bin"
    f.write_bytes(b"H" + b"0123456789ab" + b"FF")
    ds = tf.data.FixedLengthRecordDataset(str(f), 4, header_bytes=1, footer_bytes=2)
    assert _read_all(tf.data.make_one_shot_iterator(ds).get_next()) == [
        b"0123", b"4567", b"89ab"]
    ds = tf.data.FixedLengthRecordDataset(str(f), 5, header_bytes=1, footer_bytes=2)
    with tf.Session() as s, pytest.raises(errors.InvalidArgumentError,
                                          match="not an exact multiple"):
        s.run(tf.data.make_one_shot_iterator(ds).get_next())


def test_read_write_file_and_gfile(tmp_path):
    path = str(tmp_path / "d" / "x.bin")
    w = tf.io.write_file(path, b"\x00data")
    with tf.Session() as s:
        s.run(w)
        assert s.run(tf.io.read_file(path)) == b"\x00data"
        with pytest.raises(errors.NotFoundError):
            s.run(tf.read_file(str(tmp_path / "missing")))
    with pytest.raises(ValueError, match="must be rank 0"):
        tf.io.read_file([path, path])
    assert tf.io.gfile.exists(path) and tf.io.gfile.listdir(str(tmp_path)) == ["d"]
    assert os.path.getsize(path) == tf.io.gfile.stat(path).length == 5


def test_serialize_and_parse_tensor():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    ser = tf.io.serialize_tensor(x)
    assert ser.shape.as_list() == []
    with tf.Session() as s:
        raw = s.run(ser)
        np.testing.assert_array_equal(s.run(tf.io.parse_tensor(raw, tf.float32)), x)
        strings = s.run(tf.parse_tensor(s.run(tf.serialize_tensor([b"a", b"bc"])), tf.string))
        assert list(strings) == [b"a", b"bc"]
        with pytest.raises(errors.InvalidArgumentError, match=r"Type mismatch between parsed "
                           r"tensor \(float\) and dtype \(int32\)"):
            s.run(tf.io.parse_tensor(raw, tf.int32))


def test_compressed_stream_errors(tmp_path):
    p = tmp_path / "t"
    _write(p, [b"a" * 100, b"b" * 100], "GZIP")
    p.write_bytes(p.read_bytes()[:-10])
    # TF's messages for a stream cut short in a record: "EOF reached"
    with pytest.raises(errors.DataLossError,
                       match="truncated record at 116' failed with EOF reached"):
        list(tf.io.tf_record_iterator(str(p), "GZIP"))
    (tmp_path / "g").write_bytes(b"not gzip at all")
    with pytest.raises(errors.DataLossError,
                       match=r"inflate\(\) failed with error -3: incorrect header check"):
        list(tf.io.tf_record_iterator(str(tmp_path / "g"), "GZIP"))


def test_large_file_streams(tmp_path):
    p = tmp_path / "big"
    records = [bytes([i % 256]) * 5000 for i in range(200)]
    for ct in ("", "ZLIB"):
        _write(p, records, ct)
        it = tf.io.tf_record_iterator(str(p), ct)
        assert next(it) == records[0]
        assert list(it) == records[1:]


def test_tfrecord_reader_with_input_producer(tmp_path):
    paths = [str(tmp_path / "a"), str(tmp_path / "b")]
    _write(paths[0], [b"1", b"2"])
    _write(paths[1], [b"3"])
    q = tf.train.string_input_producer(paths, num_epochs=1, shuffle=False)
    key, value = tf.TFRecordReader().read(q)
    parsed = tf.decode_raw(value, tf.uint8)
    with tf.Session() as s:
        s.run(tf.local_variables_initializer())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(s, coord)
        got = []
        try:
            while True:
                k, v = s.run([key, parsed])
                got.append((os.path.basename(k.decode()), v.tolist()))
        except tf.errors.OutOfRangeError:
            pass
        coord.request_stop()
        coord.join(threads)
    assert got == [("a:0", [49]), ("a:17", [50]), ("b:0", [51])]
    missing = tf.FIFOQueue(1, tf.string)
    _, v = tf.TFRecordReader().read(missing)
    with tf.Session() as s:
        s.run(missing.enqueue(str(tmp_path / "none")))
        with pytest.raises(errors.NotFoundError):
            s.run(v)
        with pytest.raises(errors.UnimplementedError):
            s.run(tf.TFRecordReader().serialize_state())


def test_parse_single_sequence_example():
    seq = tf.train.SequenceExample()
    seq.context.feature["id"].bytes_list.value.append(b"s1")
    for v in ([1.0, 2.0], [3.0, 4.0]):
        seq.feature_lists.feature_list["x"].feature.add().float_list.value.extend(v)
    ctx, lists = tf.io.parse_single_sequence_example(
        seq.SerializeToString(), {"id": tf.io.FixedLenFeature([], tf.string)},
        {"x": tf.io.FixedLenSequenceFeature([2], tf.float32),
         "y": tf.io.VarLenFeature(tf.int64)})
    assert lists["x"].shape.as_list() == [None, 2]
    with tf.Session() as s:
        c, f = s.run([ctx, lists])
    assert c["id"] == b"s1"
    np.testing.assert_array_equal(f["x"], [[1.0, 2.0], [3.0, 4.0]])
    assert f["y"].dense_shape.tolist() == [0, 0]
    with pytest.raises(ValueError, match="must be None"):
        tf.parse_single_sequence_example(
            b"", sequence_features={"x": tf.io.FixedLenSequenceFeature(
                [], tf.float32, default_value=1.0)})
