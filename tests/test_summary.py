"""tf.summary ops (names, bytes outputs, TF's histogram buckets) and FileWriter event files
read back with tensorboardX's TFRecord framing."""

from __future__ import annotations

import glob
import os
import struct

import numpy as np
import pytest

import varstore as tf

summary_pb2 = pytest.importorskip("tensorboardX.proto.summary_pb2")
event_pb2 = pytest.importorskip("tensorboardX.proto.event_pb2")


def _read_events(logdir):
    """Events of the one event file under logdir (TFRecord: length, crc, data, crc)."""
    (path,) = glob.glob(f"{logdir}/events.out.tfevents.*")
    out = []
    with open(path, "rb") as f:
        data = f.read()
    i = 0
    while i < len(data):
        (n,) = struct.unpack("<Q", data[i:i + 8])
        out.append(event_pb2.Event.FromString(data[i + 12:i + 12 + n]))
        i += 12 + n + 4
    return out


def test_summary_is_not_model_summary():
    assert tf.summary.__name__ == "varstore.summary"
    assert callable(tf.model_summary)


def test_scalar_names_collection_and_bytes():
    with tf.name_scope("sc"):
        s = tf.summary.scalar("loss", tf.constant(1.5))
    assert (s.name, s.op.type, s.dtype) == ("sc/loss:0", "ScalarSummary", tf.string)
    assert [i.name for i in s.op.inputs][0] == "sc/loss/tags:0"
    assert tf.get_collection(tf.GraphKeys.SUMMARIES) == [s]
    with tf.Session() as sess:
        out = sess.run(s)
    assert isinstance(out, bytes)
    v = summary_pb2.Summary.FromString(out).value[0]
    assert (v.tag, v.simple_value) == ("sc/loss", 1.5)


def test_histogram_buckets_as_tf():
    h = tf.summary.histogram("h", tf.constant([1.0, 2.0, 3.0]))
    with tf.Session() as sess:
        histo = summary_pb2.Summary.FromString(sess.run(h)).value[0].histo
    # recorded from TF 2.21 (tf.compat.v1.summary.histogram)
    assert list(histo.bucket) == [0, 1, 0, 1, 0, 1, 0]
    np.testing.assert_allclose(list(histo.bucket_limit)[:6],
                               [0.917246389039776, 1.0089710279437536, 1.9661990955585713,
                                2.1628190051144287, 2.8787120958073054, 3.1665833053880363])
    assert (histo.min, histo.max, histo.num, histo.sum, histo.sum_squares) == (1, 3, 3, 6, 14)


def test_image_tags_and_png():
    i = tf.summary.image("img", tf.ones([3, 4, 5, 3]), max_outputs=2)
    with tf.Session() as sess:
        vals = summary_pb2.Summary.FromString(sess.run(i)).value
    assert [v.tag for v in vals] == ["img/image/0", "img/image/1"]
    assert (vals[0].image.height, vals[0].image.width, vals[0].image.colorspace) == (4, 5, 3)
    assert vals[0].image.encoded_image_string.startswith(b"\x89PNG")


def test_merge_all_and_duplicate_tags():
    assert tf.summary.merge_all() is None
    a = tf.summary.scalar("a", tf.constant(1.0))
    b = tf.summary.scalar("b", tf.constant(2.0))
    m = tf.summary.merge_all()
    assert m.name == "Merge/MergeSummary:0"
    with tf.Session() as sess:
        assert [v.tag for v in summary_pb2.Summary.FromString(sess.run(m)).value] == ["a", "b"]
        dup = tf.summary.merge([a, a])
        with pytest.raises(tf.errors.InvalidArgumentError, match="Duplicate tag a"):
            sess.run(dup)
    assert b.name == "b:0"


def test_file_writer_writes_readable_events(tmp_path):
    x = tf.placeholder(tf.float32, [])
    s = tf.summary.scalar("x", x)
    h = tf.summary.histogram("hx", tf.stack([x, x * 2]))
    m = tf.summary.merge([s, h])
    with tf.Session() as sess, tf.summary.FileWriter(str(tmp_path)) as w:
        assert w.get_logdir() == str(tmp_path)
        for step in range(3):
            w.add_summary(sess.run(m, {x: float(step)}), global_step=step)
        w.flush()
    events = [e for e in _read_events(tmp_path) if e.HasField("summary")]
    assert [e.step for e in events] == [0, 1, 2]
    assert [e.summary.value[0].simple_value for e in events] == [0.0, 1.0, 2.0]
    assert events[2].summary.value[1].histo.max == 4.0


def _tiny_graph():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    c = tf.constant([[1.0, 2.0]], name="c")
    with tf.control_dependencies([c]):
        y = tf.identity(x + c, name="y")
    s = tf.split(y, 2, axis=1, name="sp")
    tf.reduce_sum(s[1], name="z")


def test_graph_def_matches_tf():
    """The GraphDef of a small graph equals TF 2.21's (tests/golden/tf_graphdef_tiny.pbtxt,
    printed by TF for the same program; TF's internal `_has_manual_control_dependencies`
    attr removed)."""
    from google.protobuf import text_format
    _tiny_graph()
    ours = tf.get_default_graph().as_graph_def(add_shapes=True)
    with open(os.path.join(os.path.dirname(__file__), "golden", "tf_graphdef_tiny.pbtxt")) as f:
        expected = text_format.Parse(f.read(), tf.GraphDef())
    assert ours == expected
    assert ours.versions.producer == expected.versions.producer


def test_file_writer_add_graph_and_write_graph(tmp_path):
    _tiny_graph()
    with tf.Session() as sess, tf.summary.FileWriter(str(tmp_path / "logs"), sess.graph):
        pass
    events = [e for e in _read_events(tmp_path / "logs") if e.graph_def]
    assert len(events) == 1
    gd = tf.GraphDef.FromString(events[0].graph_def)
    assert [n.name for n in gd.node] == [o.name for o in tf.get_default_graph().get_operations()]
    assert list(gd.node[3].input) == ["add"]  # add was built in the block: no ^c, as TF
    assert "_output_shapes" in gd.node[0].attr
    text = tf.train.write_graph(tf.get_default_graph(), str(tmp_path), "g.pbtxt")
    binary = tf.train.write_graph(tf.get_default_graph(), str(tmp_path), "g.pb", as_text=False)
    with open(text) as f:
        assert 'op: "Placeholder"' in f.read()
    with open(binary, "rb") as f:
        assert tf.GraphDef.FromString(f.read()) == tf.get_default_graph().as_graph_def()
    with tf.summary.FileWriter(str(tmp_path / "l2")) as w, pytest.raises(ValueError, match="both"):
        w.add_graph(tf.get_default_graph(), graph_def=gd)


def test_text_summary_as_tf():
    t = tf.summary.text("t", tf.constant("hi"))
    assert (t.name, t.op.type) == ("t:0", "TensorSummaryV2")
    assert [i.name for i in t.op.inputs] == ["t/tag:0", "Const:0",
                                             "t/serialized_summary_metadata:0"]
    with tf.Session() as sess:
        v = summary_pb2.Summary.FromString(sess.run(t)).value[0]
    assert (v.tag, v.metadata.plugin_data.plugin_name, list(v.tensor.string_val)) == (
        "t", "text", [b"hi"])
    with pytest.raises(ValueError, match=r"Expected tensor Const_1:0 to have dtype string, got <dtype: .float32.>"):
        tf.summary.text("bad", tf.constant(1.0))
