"""Golden scenarios of TFRecord files, tf.train.Example parsing, raw decoding and whole-file
ops (``record_tf.py --set tfrecord``). Files are written into a fresh temporary directory;
their bytes are recorded as hex (or their zlib.crc32 for larger ones) to prove that
varstore writes what TF writes."""

import os
import re
import tempfile
import zlib

import numpy as np


def _msg(e):
    text = e.message.split("\n\t [[")[0].split("\n")[-1] if hasattr(e, "message") else str(e)
    # a queue's resource name holds a per-process counter ('_14_fifo_queue')
    text = re.sub(r"'_\d+_", "'_N_", text)
    return [type(e).__name__, re.sub(r"/tmp/[^;' ]+", "PATH", text)]


def _try(fn):
    try:
        return _val(fn())
    except Exception as e:  # noqa: BLE001 - the error is the observation
        return _msg(e)


def _val(v):
    if isinstance(v, dict):
        return {k: _val(x) for k, x in sorted(v.items())}
    if isinstance(v, (list, tuple)):
        if hasattr(v, "indices"):  # SparseTensorValue
            return {"indices": _val(v.indices), "values": _val(v.values),
                    "dense_shape": _val(v.dense_shape)}
        return [_val(x) for x in v]
    if isinstance(v, bytes):
        return v.hex()
    a = np.asarray(v)
    if a.dtype == object:
        return [_val(x) for x in a.tolist()] if a.ndim else _val(a.item())
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 5).tolist()
    return a.tolist()


def _bytes(path):
    with open(path, "rb") as f:
        return f.read()


def _shape(t):
    s = t if hasattr(t, "as_list") else t.shape
    return None if s.ndims is None else s.as_list()


def _example(tf, **features):
    f = {}
    for k, v in sorted(features.items()):
        if isinstance(v[0], bytes):
            f[k] = tf.train.Feature(bytes_list=tf.train.BytesList(value=v))
        elif isinstance(v[0], float):
            f[k] = tf.train.Feature(float_list=tf.train.FloatList(value=v))
        else:
            f[k] = tf.train.Feature(int64_list=tf.train.Int64List(value=v))
    return tf.train.Example(features=tf.train.Features(feature=f))


RECORDS = [b"hello", b"", b"x" * 300, bytes(range(256))]


def scenario_writer_bytes(tf):
    d = tempfile.mkdtemp()
    out = {}
    for label, opts in [("none", None), ("zlib", "ZLIB"), ("gzip", "GZIP"),
                        ("gzip_enum", tf.io.TFRecordOptions(tf.io.TFRecordCompressionType.GZIP)),
                        ("zlib_level1", tf.io.TFRecordOptions("ZLIB", compression_level=1)),
                        ("enum_none", tf.python_io.TFRecordCompressionType.NONE)]:
        path = os.path.join(d, label)
        with tf.io.TFRecordWriter(path, opts) as w:
            for r in RECORDS:
                w.write(r)
        data = _bytes(path)
        out[label] = {"len": len(data), "crc": zlib.crc32(data), "head": data[:24].hex(),
                      "read": [r.hex() for r in tf.io.tf_record_iterator(path, opts)]}
    small = os.path.join(d, "small")
    w = tf.python_io.TFRecordWriter(small)
    w.write(b"ab")
    w.write("text")
    w.flush()
    w.close()
    w.close()
    out["small_hex"] = _bytes(small).hex()
    out["write_closed"] = _try(lambda: w.write(b"x"))
    flushed = os.path.join(d, "flushed")
    w = tf.io.TFRecordWriter(flushed, "GZIP")
    w.write(b"first" * 20)
    w.flush()
    w.write(b"second" * 50)
    w.close()
    data = _bytes(flushed)
    out["gzip_flush"] = [len(data), zlib.crc32(data)]
    return out


def scenario_options_and_errors(tf):
    d = tempfile.mkdtemp()
    O = tf.io.TFRecordOptions
    out = {"strings": [O.get_compression_type_string(x) for x in
                       (None, "", "ZLIB", "GZIP", 1, 2, 0, O("GZIP"), O(None))],
           "enum": [tf.io.TFRecordCompressionType.NONE, tf.io.TFRecordCompressionType.ZLIB,
                    tf.io.TFRecordCompressionType.GZIP]}
    out["bad_option"] = _try(lambda: O("BAD"))
    out["bad_writer"] = _try(lambda: tf.io.TFRecordWriter(os.path.join(d, "f"), "zip"))
    out["missing_dir"] = _try(lambda: tf.io.TFRecordWriter(os.path.join(d, "no", "f")))
    out["missing_file"] = _try(lambda: list(tf.io.tf_record_iterator(os.path.join(d, "nope"))))
    return out


def scenario_corruption(tf):
    d = tempfile.mkdtemp()
    path = os.path.join(d, "good")
    with tf.io.TFRecordWriter(path) as w:
        for r in RECORDS:
            w.write(r)
    good = _bytes(path)
    cases = {"data_crc": good[:13] + b"H" + good[14:],
             "length_crc_first": good[:8] + b"\0" + good[9:],
             "length_crc_second": good[:21] + b"\7" + good[22:],
             "truncated_data": good[:-3], "partial_header": good[:5],
             "partial_second_header": good[:25], "empty": b""}
    out = {}
    for name, data in sorted(cases.items()):
        p = os.path.join(d, name)
        with open(p, "wb") as f:
            f.write(data)
        seen = []

        def read(p=p, seen=seen):
            for r in tf.io.tf_record_iterator(p):
                seen.append(r.hex())
            return seen

        got = _try(read)
        ds = tf.data.TFRecordDataset(p)
        nxt = tf.data.make_one_shot_iterator(ds).get_next()
        rows = []
        with tf.Session() as s:
            while True:
                try:
                    rows.append(s.run(nxt).hex())
                except Exception as e:  # noqa: BLE001 - the error is the observation
                    rows.append(_msg(e))
                    break
        out[name] = {"iterator": got, "records_before_error": seen, "dataset": rows}
    return out


def scenario_example_protos(tf):
    ex = _example(tf, ints=[1, -2, 300, 2 ** 40])
    fl = _example(tf, f=[0.5, -1.25, 3.0])
    by = _example(tf, b=[b"", b"abc"])
    seq = tf.train.SequenceExample(
        context=tf.train.Features(feature={"len": tf.train.Feature(
            int64_list=tf.train.Int64List(value=[2]))}),
        feature_lists=tf.train.FeatureLists(feature_list={"tok": tf.train.FeatureList(
            feature=[tf.train.Feature(int64_list=tf.train.Int64List(value=[7])),
                     tf.train.Feature(int64_list=tf.train.Int64List(value=[8, 9]))])}))
    multi = _example(tf, a=[1], b=[2.0], c=[b"z"])
    back = tf.train.Example.FromString(multi.SerializeToString())
    fresh = tf.train.Example()
    fresh.ParseFromString(fl.SerializeToString())
    return {"ints": ex.SerializeToString().hex(), "floats": fl.SerializeToString().hex(),
            "bytes": by.SerializeToString().hex(), "seq": seq.SerializeToString().hex(),
            "multi_keys": sorted(back.features.feature),
            "multi_kinds": [back.features.feature[k].WhichOneof("kind")
                            for k in sorted(back.features.feature)],
            "fresh": list(fresh.features.feature["f"].float_list.value),
            "empty": tf.train.Example().SerializeToString().hex(),
            "text": str(ex), "eq": back == multi}


def scenario_parse_examples(tf):
    s1 = _example(tf, a=[1, 2], b=[0.5], c=[b"x", b"yy"], d=[1.0, 2.0, 3.0, 4.0])
    s2 = _example(tf, a=[3, 4], c=[b"z"], d=[5.0, 6.0, 7.0, 8.0])
    s3 = _example(tf, a=[5, 6], d=[0.0, 0.0, 0.0, 1.0])
    ser = [e.SerializeToString() for e in (s1, s2, s3)]
    feats = {"a": tf.io.FixedLenFeature([2], tf.int64),
             "b": tf.FixedLenFeature([], tf.float32, default_value=-1.0),
             "c": tf.io.VarLenFeature(tf.string),
             "d": tf.FixedLenFeature([2, 2], tf.float32),
             "e": tf.FixedLenFeature([1], tf.string, default_value=[b"none"]),
             "v": tf.VarLenFeature(tf.int64)}
    batch = tf.io.parse_example(ser, feats)
    single = tf.parse_single_example(ser[0], feats)
    ph = tf.placeholder(tf.string, [None])
    fed = tf.parse_example(ph, {"a": tf.FixedLenFeature([2], tf.int64)})
    out = {"batch_shapes": {k: (_shape(v) if not isinstance(v, tf.SparseTensor) else
                                [_shape(v.indices), _shape(v.values), _shape(v.dense_shape)])
                            for k, v in sorted(batch.items())},
           "single_shapes": {k: (_shape(v) if not isinstance(v, tf.SparseTensor) else
                                 [_shape(v.indices), _shape(v.values), _shape(v.dense_shape)])
                             for k, v in sorted(single.items())},
           "types": sorted({v.op.type for v in batch.values()
                            if not isinstance(v, tf.SparseTensor)}),
           "op_name": batch["a"].op.name, "single_op_name": single["a"].op.name,
           "fed_shape": _shape(fed["a"]),
           "repr": [repr(tf.FixedLenFeature([2], tf.int64)), repr(tf.VarLenFeature(tf.float32))]}
    with tf.Session() as s:
        out["batch"] = _val(s.run(batch))
        out["single"] = _val(s.run(single))
        out["fed"] = _val(s.run(fed, {ph: ser[1:]}))
        out["fed_empty"] = _val(s.run(fed, {ph: []}))
        bad = [(ser[1], {"b": tf.FixedLenFeature([], tf.float32)}),
               (ser[0], {"a": tf.FixedLenFeature([3], tf.int64)}),
               (ser[0], {"a": tf.FixedLenFeature([1], tf.int64)}),
               (ser[0], {"a": tf.FixedLenFeature([2], tf.float32)}),
               (b"garbage", {"a": tf.FixedLenFeature([2], tf.int64)}),
               (ser[0], {"c": tf.VarLenFeature(tf.int64)})]
        out["run_errors"] = [_try(lambda x=x, f=f: s.run(tf.parse_single_example(x, f)))
                             for x, f in bad]
        out["batch_missing"] = _try(lambda: s.run(tf.parse_example(
            ser, {"b": tf.FixedLenFeature([], tf.float32)})))
        out["batch_missing_named"] = _try(lambda: s.run(tf.parse_example(
            ser, {"b": tf.FixedLenFeature([], tf.float32)}, example_names=["e0", "e1", "e2"])))
    out["build_errors"] = [
        _try(lambda: tf.parse_single_example(ser[0], {})),
        _try(lambda: tf.parse_single_example(ser[0], {"a": tf.FixedLenFeature([2], tf.int32)})),
        _try(lambda: tf.parse_single_example(ser, {"a": tf.FixedLenFeature([2], tf.int64)})),
    ]
    return out


def scenario_sequence_features(tf):
    s1 = _example(tf, seq=[1.0, 2.0, 3.0, 4.0], tok=[b"a", b"b"], n=[1])
    s2 = _example(tf, seq=[5.0, 6.0], n=[2])
    s3 = _example(tf, n=[3])
    ser = [e.SerializeToString() for e in (s1, s2, s3)]
    feats = {"seq": tf.io.FixedLenSequenceFeature([2], tf.float32, allow_missing=True),
             "tok": tf.FixedLenSequenceFeature([], tf.string, allow_missing=True,
                                               default_value=b"-"),
             "n": tf.io.FixedLenFeature([], tf.int64)}
    batch = tf.parse_example(ser, feats)
    single = tf.io.parse_single_example(ser[0], feats)
    out = {"batch_shapes": {k: _shape(v) for k, v in sorted(batch.items())},
           "single_shapes": {k: _shape(v) for k, v in sorted(single.items())},
           "repr": repr(tf.io.FixedLenSequenceFeature([2], tf.float32))}
    with tf.Session() as s:
        out["batch"] = _val(s.run(batch))
        out["single"] = _val(s.run(single))
        out["single_missing"] = _val(s.run(tf.parse_single_example(ser[2], feats)))
        out["odd"] = _try(lambda: s.run(tf.parse_single_example(
            _example(tf, seq=[1.0, 2.0, 3.0]).SerializeToString(),
            {"seq": tf.io.FixedLenSequenceFeature([2], tf.float32, allow_missing=True)})))
    out["not_allowed"] = _try(lambda: tf.parse_example(
        ser, {"seq": tf.io.FixedLenSequenceFeature([2], tf.float32)}))
    return out


def scenario_sequence_example(tf):
    def ints(v):
        return tf.train.Feature(int64_list=tf.train.Int64List(value=v))

    seq = tf.train.SequenceExample(
        context=tf.train.Features(feature={"len": ints([3]), "tags": ints([4, 5, 6])}),
        feature_lists=tf.train.FeatureLists(feature_list={
            "tok": tf.train.FeatureList(feature=[ints([7, 1]), ints([8, 2]), ints([9, 3])]),
            "var": tf.train.FeatureList(feature=[ints([1]), ints([]), ints([2, 3])])}))
    ser = seq.SerializeToString()
    ctx_f = {"len": tf.io.FixedLenFeature([], tf.int64),
             "tags": tf.io.VarLenFeature(tf.int64),
             "w": tf.io.FixedLenFeature([2], tf.float32, default_value=[0.5, 1.5])}
    seq_f = {"tok": tf.io.FixedLenSequenceFeature([2], tf.int64),
             "var": tf.io.VarLenFeature(tf.int64),
             "gone": tf.io.FixedLenSequenceFeature([], tf.float32, allow_missing=True)}
    c, f = tf.io.parse_single_sequence_example(ser, ctx_f, seq_f)
    out = {"ctx_shapes": {k: (_shape(v) if not isinstance(v, tf.SparseTensor) else
                              [_shape(v.indices), _shape(v.dense_shape)])
                          for k, v in sorted(c.items())},
           "seq_shapes": {k: (_shape(v) if not isinstance(v, tf.SparseTensor) else
                              [_shape(v.indices), _shape(v.dense_shape)])
                          for k, v in sorted(f.items())},
           "op": [c["len"].op.type, c["len"].op.name]}
    with tf.Session() as s:
        out["values"] = _val(s.run([c, f]))
        out["missing_list"] = _try(lambda: s.run(tf.parse_single_sequence_example(
            ser, sequence_features={"nope": tf.io.FixedLenSequenceFeature([], tf.int64)})))
        out["bad_size"] = _try(lambda: s.run(tf.parse_single_sequence_example(
            ser, sequence_features={"tok": tf.io.FixedLenSequenceFeature([3], tf.int64)})))
        out["only_context"] = _val(s.run(tf.parse_single_sequence_example(
            ser, context_features={"len": tf.io.FixedLenFeature([], tf.int64)})))
        out["missing_varlen"] = _val(s.run(tf.parse_single_sequence_example(
            ser, sequence_features={"nov": tf.io.VarLenFeature(tf.int64)})))
    out["no_features"] = _try(lambda: tf.parse_single_sequence_example(ser))
    return out


def scenario_decode_raw(tf):
    x = tf.decode_raw(tf.constant([b"\x01\x00\x02\x00", b"\x03\x00\x04\x01"]), tf.int16)
    y = tf.io.decode_raw(b"\x01\x00\x02\x00", tf.uint16, little_endian=False)
    z = tf.io.decode_raw(tf.constant([[np.float32(1.5).tobytes() + np.float32(-2).tobytes()]]),
                         tf.float32)
    u = tf.decode_raw(tf.constant(b"\x00\xff\x10"), tf.uint8)
    out = {"shapes": [_shape(x), _shape(y), _shape(z), _shape(u)], "type": x.op.type}
    with tf.Session() as s:
        out["values"] = _val(s.run([x, y, z, u]))
        out["errors"] = [
            _try(lambda: s.run(tf.decode_raw(tf.constant([b"\x01\x00\x02", b"\x03\x00\x04\x01"]),
                                             tf.int16))),
            _try(lambda: s.run(tf.decode_raw(tf.constant([b"\x01\x00\x02"]), tf.int16)))]
    return out


def scenario_read_write_file(tf):
    d = tempfile.mkdtemp()
    path = os.path.join(d, "sub", "dir", "f.bin")
    w = tf.io.write_file(path, tf.constant(b"\x00abc\xff"))
    r = tf.io.read_file(path)
    missing = tf.read_file(os.path.join(d, "missing"))
    out = {"types": [w.type, r.op.type], "w_outputs": len(w.outputs), "r_shape": _shape(r)}
    with tf.Session() as s:
        s.run(w)
        out["read"] = _val(s.run(r))
        out["missing"] = _try(lambda: s.run(missing))
        s.run(tf.write_file(path, "again"))
        # a new ReadFile: TF's grappler folds a ReadFile of a constant path on its first run
        out["reread"] = _val(s.run(tf.io.read_file(path)))
    for n in ("b.txt", "a.txt", "c.bin"):
        with open(os.path.join(d, n), "wb") as f:
            f.write(b"")
    m = tf.io.matching_files(os.path.join(d, "*.txt"))
    m2 = tf.io.matching_files([os.path.join(d, "c*"), os.path.join(d, "a*")])
    none = tf.io.matching_files(os.path.join(d, "zzz*"))
    with tf.Session() as s:
        out["matching"] = [[os.path.basename(x.decode()) for x in s.run(t)]
                           for t in (m, m2, none)]
    out["matching_shape"] = _shape(m)
    out["gfile"] = [tf.io.gfile.exists(path), tf.io.gfile.isdir(d),
                    tf.io.gfile.listdir(os.path.join(d, "sub"))]
    return out


def scenario_text_and_fixed_datasets(tf):
    d = tempfile.mkdtemp()
    a, b = os.path.join(d, "a.txt"), os.path.join(d, "b.txt")
    with open(a, "wb") as f:
        f.write(b"line one\nline two\r\n\nlast")
    with open(b, "wb") as f:
        f.write(b"b1\n")
    fx = os.path.join(d, "fixed.bin")
    with open(fx, "wb") as f:
        f.write(b"HH" + b"abcdefghi" + b"F")
    odd = os.path.join(d, "odd.bin")
    with open(odd, "wb") as f:
        f.write(b"HH" + b"abcdefghij" + b"F")
    out = {}
    lines = tf.data.TextLineDataset([a, b])
    fixed = tf.data.FixedLengthRecordDataset(fx, 3, header_bytes=2, footer_bytes=1)
    out["specs"] = [repr(lines.output_types), _shape(lines.output_shapes),
                    repr(fixed.output_types)]
    odd_ds = tf.data.FixedLengthRecordDataset([fx, odd], 3, header_bytes=2, footer_bytes=1)
    par_lines = tf.data.TextLineDataset([a, b, a], num_parallel_reads=2)
    par_fixed = tf.data.FixedLengthRecordDataset([fx, fx], 3, 2, 1, num_parallel_reads=2)
    for label, ds in [("lines", lines), ("fixed", fixed), ("odd", odd_ds),
                      ("par_lines", par_lines), ("par_fixed", par_fixed)]:
        nxt = tf.data.make_one_shot_iterator(ds).get_next()
        rows = []
        with tf.Session() as s:
            while True:
                try:
                    rows.append(s.run(nxt).hex())
                except Exception as e:  # noqa: BLE001 - the error is the observation
                    rows.append(_msg(e))
                    break
        out[label] = rows
    return out


def scenario_record_dataset_options(tf):
    d = tempfile.mkdtemp()
    paths = []
    for i, ct in enumerate(["", "GZIP"]):
        p = os.path.join(d, f"f{i}")
        with tf.io.TFRecordWriter(p, ct) as w:
            for j in range(3):
                w.write(f"r{i}{j}".encode())
        paths.append(p)
    out = {}
    fn = tf.placeholder(tf.string, [None])
    ds = tf.data.TFRecordDataset(fn, compression_type="GZIP", buffer_size=1024)
    it = tf.data.make_initializable_iterator(ds)
    nxt = it.get_next()
    plain = tf.data.TFRecordDataset([paths[0], paths[0]]).take(4)
    nxt2 = tf.data.make_one_shot_iterator(plain).get_next()
    out["spec"] = [repr(ds.output_types), _shape(ds.output_shapes)]
    more = []
    for i, n in enumerate([4, 1, 2]):
        p = os.path.join(d, f"m{i}")
        with tf.io.TFRecordWriter(p) as w:
            for j in range(n):
                w.write(f"m{i}{j}".encode())
        more.append(p)
    par = tf.data.TFRecordDataset(more, num_parallel_reads=2)
    empty = os.path.join(d, "empty")
    with tf.io.TFRecordWriter(empty):
        pass
    out["interleaved"] = [[v.hex() for v in rows] for rows in [
        _all(tf, par), _all(tf, tf.data.TFRecordDataset(more, num_parallel_reads=3)),
        _all(tf, tf.data.TFRecordDataset([empty, *more, empty, more[1]],
                                         num_parallel_reads=2))]]
    with tf.Session() as s:
        s.run(it.initializer, {fn: [paths[1]]})
        out["gzip"] = [s.run(nxt).hex() for _ in range(3)]
        out["gzip_end"] = _try(lambda: s.run(nxt))
        out["plain"] = [s.run(nxt2).hex() for _ in range(4)]
        s.run(it.initializer, {fn: [os.path.join(d, "nope")]})
        out["missing"] = _try(lambda: s.run(nxt))
    return out


def _all(tf, ds):
    nxt = tf.data.make_one_shot_iterator(ds).get_next()
    rows = []
    with tf.Session() as s:
        while True:
            try:
                rows.append(s.run(nxt))
            except tf.errors.OutOfRangeError:
                return rows


def scenario_pipeline_train(tf):
    d = tempfile.mkdtemp()
    path = os.path.join(d, "train.tfrecord")
    xs = np.array([[1.0, 2.0], [0.5, -1.0], [2.0, 0.0], [-1.0, 1.0], [0.0, 3.0]], np.float32)
    ys = np.array([1, 0, 1, 0, 1], np.int64)
    with tf.io.TFRecordWriter(path) as w:
        for x, y in zip(xs, ys):
            w.write(_example(tf, x=[float(v) for v in x], y=[int(y)],
                             raw=[x.tobytes()]).SerializeToString())
    feats = {"x": tf.io.FixedLenFeature([2], tf.float32),
             "y": tf.io.FixedLenFeature([], tf.int64),
             "raw": tf.io.FixedLenFeature([], tf.string)}

    def parse(record):
        p = tf.io.parse_single_example(record, feats)
        return {"x": p["x"], "y": p["y"], "raw": tf.io.decode_raw(p["raw"], tf.float32)}

    ds = tf.data.TFRecordDataset(path).map(parse).batch(2)
    out = {"shapes": {k: _shape(v) for k, v in sorted(ds.output_shapes.items())}}
    it = tf.data.make_initializable_iterator(ds)
    batch = it.get_next()
    w = tf.get_variable("w", [2, 1], initializer=tf.constant_initializer([[0.1], [-0.2]]))
    b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
    logits = tf.squeeze(tf.matmul(batch["x"], w) + b, 1)
    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.cast(batch["y"], tf.float32), logits=logits))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    one_shot = tf.data.make_one_shot_iterator(tf.data.TFRecordDataset([path]).map(parse))
    first = one_shot.get_next()
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(it.initializer)
        _, l0 = s.run([train, loss])
        rest = []
        while True:
            try:
                rest.append(_val(s.run(batch)))
            except tf.errors.OutOfRangeError:
                break
        out["loss0"] = float(l0)
        out["w"] = _val(s.run(w))
        out["b"] = _val(s.run(b))
        out["rest"] = rest
        out["first"] = _val(s.run(first))
        s.run(it.initializer)
        out["again"] = _val(s.run(batch))
    return out


def scenario_serialize_tensor(tf):
    ts = [tf.constant(1.5), tf.constant([[1, 2], [3, 4]], tf.int64),
          tf.constant([b"ab", b""]), tf.constant([True, False]),
          tf.constant(np.arange(6, dtype=np.float64).reshape(3, 2, 1)),
          tf.constant(np.zeros([0, 2], np.int32)), tf.constant([7], tf.uint8)]
    sers = [tf.io.serialize_tensor(t) for t in ts]
    out = {"types": [sers[0].op.type], "shape": _shape(sers[0])}
    with tf.Session() as s:
        vals = s.run(sers)
        out["bytes"] = [v.hex() for v in vals]
        back = [tf.io.parse_tensor(v, t.dtype) for v, t in zip(vals, ts)]
        out["parse_shape"] = _shape(back[0])
        out["back"] = _val(s.run(back))
        out["back_shapes"] = [list(np.shape(v)) for v in s.run(back)]
        out["errors"] = [_try(lambda: s.run(tf.io.parse_tensor(vals[1], tf.float32))),
                         _try(lambda: s.run(tf.parse_tensor(b"\xff\xff", tf.float32)))]
    return out


def scenario_tfrecord_reader_queue(tf):
    d = tempfile.mkdtemp()
    paths = []
    for i in range(2):
        p = os.path.join(d, f"part{i}")
        with tf.io.TFRecordWriter(p) as w:
            for j in range(3):
                w.write(f"r{i}{j}".encode() * (j + 1))
        paths.append(p)
    q = tf.FIFOQueue(4, tf.string)
    enq = q.enqueue_many([paths])
    close = q.close()
    reader = tf.TFRecordReader()
    key, value = reader.read(q)
    gz = os.path.join(d, "gz")
    with tf.io.TFRecordWriter(gz, "GZIP") as w:
        w.write(b"zipped")
    q2 = tf.FIFOQueue(2, tf.string)
    r2 = tf.TFRecordReader(options=tf.io.TFRecordOptions("GZIP"))
    k2, v2 = r2.read(q2)
    r3 = tf.TFRecordReader(name="upto")
    q3 = tf.FIFOQueue(4, tf.string)
    ku, _vu = r3.read_up_to(q3, 2)
    out = {"types": [reader.reader_ref.op.type, key.op.type, ku.op.type],
           "names": [reader.reader_ref.op.name, r3.reader_ref.op.name],
           "shapes": [_shape(key), _shape(value), _shape(ku)]}
    with tf.Session() as s:
        s.run(enq)
        s.run(close)
        rows = []
        while True:
            try:
                k, v = s.run([key, value])
                rows.append([re.sub(r"^.*/", "", k.decode()), v.hex()])
            except Exception as e:  # noqa: BLE001 - the error is the observation
                rows.append(_msg(e))
                break
        out["rows"] = rows
        out["counts"] = _val(s.run([reader.num_records_produced(),
                                    reader.num_work_units_completed()]))
        s.run(reader.reset())
        out["after_reset"] = _val(s.run(reader.num_records_produced()))
        s.run(q2.enqueue(gz))
        s.run(q2.close())
        out["gzip"] = [re.sub(r"^.*/", "", x.decode()) if i == 0 else x.hex()
                       for i, x in enumerate(s.run([k2, v2]))]
        s.run(q3.enqueue_many([paths]))
        s.run(q3.close())
        out["up_to"] = [[re.sub(r"^.*/", "", x.decode()) for x in s.run(ku)] for _ in range(3)]
    return out


def all_scenarios():
    return {name[len("scenario_"):]: fn for name, fn in globals().items()
            if name.startswith("scenario_")}
