"""Golden scenarios of string ops, tf.strings, tf.lookup tables and the queue-fed text /
whole-file / identity / fixed-length readers (``record_tf.py --set strings``): values
(strings as text, bytes outside UTF-8 escaped), hash buckets of many strings, sparse
results, static shapes, op types, graph node names and TF's error messages."""

import json
import os
import random
import re
import tempfile

import numpy as np


def _msg(e):
    text = e.message.split("\n\t [[")[0].split("\n")[-1] if hasattr(e, "message") else str(e)
    return [type(e).__name__, re.sub(r"/tmp/[^;' :]+", "PATH", text)]


def _val(v):
    if isinstance(v, dict):
        return {k: _val(x) for k, x in sorted(v.items())}
    if isinstance(v, (list, tuple)):
        if hasattr(v, "indices"):  # SparseTensorValue
            return {"indices": _val(v.indices), "values": _val(v.values),
                    "dense_shape": _val(v.dense_shape)}
        return [_val(x) for x in v]
    if isinstance(v, bytes):
        return re.sub(r"/tmp/[^;' :]+", "PATH", v.decode("utf-8", "backslashreplace"))
    a = np.asarray(v)
    if a.dtype == object:
        return [_val(x) for x in a.tolist()] if a.ndim else _val(a.item())
    if a.dtype.kind == "f":
        return [None if np.isnan(x) else x for x in np.round(a.astype(np.float64), 5).reshape(-1).tolist()] \
            if a.ndim else (None if np.isnan(a) else round(float(a), 5))
    return a.tolist()


def _text(a):
    return a.decode() if isinstance(a, bytes) else a


def _run(tf, fetches, feed=None):
    with tf.Session() as s:
        return _val(s.run(fetches, feed))


def _try(tf, fn):
    tf.reset_default_graph()
    try:
        t = fn()
        with tf.Session() as s:
            return _val(s.run(t))
    except Exception as e:  # noqa: BLE001 - the error is the observation
        return _msg(e)


def _shape(t):
    s = t.shape
    return None if s.ndims is None else s.as_list()


def _strings(n=300, seed=0):
    rnd = random.Random(seed)
    out = ["", "a", "hello", "héllo wörld", "0123456789abcdef", "x" * 70, "tf" * 40]
    for i in range(n):
        k = rnd.randrange(0, 140)
        out.append("".join(chr(rnd.randrange(32, 127)) for _ in range(k)) + str(i))
    return out


def scenario_hash_buckets(tf):
    x = tf.constant(_strings())
    ops = {"fast": tf.strings.to_hash_bucket_fast(x, 1000),
           "fast_big": tf.string_to_hash_bucket_fast(x, 2**62 + 7),
           "legacy": tf.strings.to_hash_bucket(x, 1000),
           "legacy_big": tf.string_to_hash_bucket(x, 2**61 + 1),
           "strong": tf.strings.to_hash_bucket_strong(x, 1000, [1, 2]),
           "strong_big": tf.string_to_hash_bucket_strong(x, 2**60 + 3, [-5, 77])}
    out = _run(tf, ops)
    out["types"] = {k: v.op.type for k, v in ops.items()}
    out["shapes"] = {k: _shape(v) for k, v in ops.items()}
    return out


def scenario_elementwise(tf):
    x = tf.constant([["Hello World", "  a b\t\n"], ["héllo", "ÀbC"]])
    ops = {"join": tf.strings.join([x, "!", x], separator="-"),
           "string_join": tf.string_join(["a", "b"]),
           "len": tf.strings.length(x), "len_utf8": tf.strings.length(x, unit="UTF8_CHAR"),
           "lower": tf.strings.lower(x), "upper": tf.strings.upper(x),
           "lower_utf8": tf.strings.lower(x, encoding="utf-8"),
           "upper_utf8": tf.strings.upper(x, encoding="utf-8"),
           "strip": tf.strings.strip(x), "string_strip": tf.string_strip(["  q "]),
           "substr": tf.strings.substr(x, 1, 3), "substr_neg": tf.substr(x, -3, 2),
           "substr_bcast": tf.strings.substr(x, [[0, 1], [2, 3]], [[1, 2], [3, 9]]),
           "substr_utf8": tf.strings.substr(x, 1, 2, unit="UTF8_CHAR"),
           "substr_rest": tf.strings.substr(x, 2, -1),
           "b64": tf.io.encode_base64(x), "b64_pad": tf.encode_base64(x, pad=True),
           "b64_round": tf.decode_base64(tf.encode_base64(x)),
           "b64_dec": tf.io.decode_base64(["aGVsbG8_Pg", "YQ==", "YWI", ""]),
           "as_string": tf.as_string(tf.constant([1.5, -2.0])),
           }
    out = _run(tf, ops)
    out["shapes"] = {k: _shape(v) for k, v in ops.items()}
    out["types"] = {k: v.op.type for k, v in ops.items()}
    return out


def scenario_to_number(tf):
    ops = {"f": tf.strings.to_number(["1.5", " 2 ", "-3e2", "inf", "-Infinity", "0x10", ".5", "+7"]),
           "d": tf.string_to_number(["1.25", "1e300", "nan"], tf.float64),
           "i": tf.strings.to_number(["12", " -7 ", "+3"], tf.int32),
           "l": tf.strings.to_number(["9223372036854775807", "-5"], out_type=tf.int64)}
    out = _run(tf, ops)
    out["types"] = {k: v.op.type for k, v in ops.items()}
    out["dtypes"] = {k: v.dtype.name for k, v in ops.items()}
    for i, bad in enumerate([(["x"], tf.float32), (["1_0"], tf.float32), (["99999999999"], tf.int32),
                             (["0x10"], tf.int64), (["1.5"], tf.int32), ([""], tf.float32)]):
        out[f"bad{i}"] = _try(tf, lambda bad=bad: tf.strings.to_number(bad[0], bad[1]))
    return out


def scenario_regex(tf):
    x = tf.constant(["aaa bbb", "abab", "abxd", "héé", "Tel: 555-1234", "ab\n", ""])
    ops = {"glob": tf.strings.regex_replace(x, "a(b)?", r"<\1\\>"),
           "first": tf.regex_replace(x, "a", "X", replace_global=False),
           "empty": tf.strings.regex_replace(x, "x*", "-"),
           "digits": tf.strings.regex_replace(x, r"\d+", "#"),
           "posix": tf.strings.regex_replace(x, "[[:alpha:]]+", "W"),
           "dollar": tf.strings.regex_replace(x, "b$", "!"),
           "group0": tf.strings.regex_replace(x, "(b+)", r"[\0]"),
           "dyn": tf.strings.regex_replace(x, tf.constant("[ae]"), tf.constant("_")),
           "full": tf.strings.regex_full_match(x, "a.*b"),
           "full_dyn": tf.strings.regex_full_match(x, tf.constant(".*\\d.*")),
           "full_dot": tf.strings.regex_full_match(x, "h.."),
           }
    out = _run(tf, ops)
    out["types"] = {k: v.op.type for k, v in ops.items()}
    out["bad_paren"] = _try(tf, lambda: tf.strings.regex_replace(["a"], "(", "X"))
    out["bad_look"] = _try(tf, lambda: tf.strings.regex_full_match(["a"], "(?=a)"))
    out["bad_group"] = _try(tf, lambda: tf.strings.regex_replace(["aaa"], "(a)", r"\2"))
    return out


def scenario_split(tf):
    s = tf.constant(["hello world", "a,b,,c", "  x  y ", ""])
    ops = {"v1": tf.string_split(s), "v1_delim": tf.string_split(s, delimiter=","),
           "v1_keep": tf.string_split(s, delimiter=",", skip_empty=False),
           "v1_multi": tf.string_split(s, delimiter=", "),
           "v1_bytes": tf.string_split(["abc", "d"], delimiter=""),
           "v2": tf.strings.split(s), "v2_sep": tf.strings.split(s, sep=","),
           "v2_max": tf.strings.split(["a<>b<><>c", "d"], sep="<>", maxsplit=1),
           "v2_ws_max": tf.strings.split(["  a b  c "], maxsplit=1),
           "v2_scalar": tf.strings.split("p q"),
           "v2_matrix": tf.strings.split(tf.constant([["a b", "c"], ["", "d e f"]])),
           "v2_3d_max": tf.strings.split(tf.constant([[["x y z"]], [["w"]]]), sep=" ",
                                         maxsplit=1)}
    out = _run(tf, ops)
    out["shapes"] = {k: [_shape(v.indices), _shape(v.values), _shape(v.dense_shape)]
                     for k, v in ops.items()}
    out["names"] = sorted(op.name for op in tf.get_default_graph().get_operations()
                          if op.type.startswith("StringSplit"))
    with tf.Session() as sess:
        out["empty_shapes"] = [sess.run(tf.strings.split(tf.zeros(sh, tf.string))).dense_shape.tolist()
                               for sh in ([0, 2], [2, 0], [0, 3, 2], [2, 0, 3], [2, 3, 0], [3, 2])]
    out["bad_rank"] = _try(tf, lambda: tf.string_split([["a b"]]))
    return out


def scenario_reduce_join_format(tf):
    x = tf.constant([["a", "b", "c"], ["d", "e", "f"]])
    ops = {"all": tf.strings.reduce_join(x), "ax0": tf.reduce_join(x, 0, separator=","),
           "ax1": tf.strings.reduce_join(x, axis=-1, keepdims=True, separator="."),
           "both": tf.strings.reduce_join(x, [1, 0], separator="|"),
           "keep_dims": tf.reduce_join(x, axis=1, keep_dims=True),
           "seg": tf.strings.unsorted_segment_join(["a", "b", "c", "d"], [1, 0, 1, 3], 4,
                                                   separator=":"),
           "seg2": tf.strings.unsorted_segment_join(x, [1, 1], 2, separator="+"),
           "fmt": tf.strings.format("x={} y={}", [tf.constant([1, 2, 3]), tf.constant("s")]),
           "fmt2": tf.strings.format("{}", tf.constant([[1.5, 2.0], [3.25, 4.0]])),
           "fmt_strs": tf.strings.format("[{}]", tf.constant(["a", "b"])),
           "fmt_sum": tf.strings.format("{}", tf.range(20), summarize=2),
           "fmt_3d": tf.strings.format("{}", tf.reshape(tf.range(8), [2, 2, 2])),
           "fmt_f": tf.strings.format("{}", tf.constant([0.1, 1e-7, 123456789.0])),
           "fmt_bool": tf.strings.format("<>", tf.constant([True, False]), placeholder="<>"),
           "fmt_sum_2d": tf.strings.format("{}", tf.reshape(tf.range(49), [7, 7]), summarize=1),
           }
    out = _run(tf, ops)
    out["shapes"] = {k: _shape(v) for k, v in ops.items()}
    out["names"] = sorted(op.name for op in tf.get_default_graph().get_operations())
    out["bad_axis"] = _try(tf, lambda: tf.strings.reduce_join([["a"]], 2))
    return out


def scenario_errors(tf):
    out = {}
    cases = {
        "substr_range": lambda: tf.strings.substr(["hello", "ab"], 3, 2),
        "substr_utf8": lambda: tf.strings.substr(["héllo"], 9, 2, unit="UTF8_CHAR"),
        "substr_shapes": lambda: tf.strings.substr(["hello", "ab"], [1, -1], 2),
        "join_shapes": lambda: tf.strings.join([["a", "b"], ["c", "d", "e"]]),
        "join_type": lambda: tf.strings.join([tf.constant(["a"]), tf.constant(1)]),
        "length_type": lambda: tf.strings.length(tf.constant(1)),
        "strong_key": lambda: tf.strings.to_hash_bucket_strong(["a"], 10, [1]),
        "b64": lambda: tf.decode_base64(["a"]),
        "b64_char": lambda: tf.decode_base64(["ab*c"]),
        "split_input": lambda: tf.string_split(tf.constant("a b")),
    }
    for k, fn in sorted(cases.items()):
        out[k] = _try(tf, fn)
    return out


def scenario_decode_compressed(tf):
    import gzip
    import zlib
    raw = [b"hello hello hello", b"", bytes(range(256))]
    ops = {"zlib": tf.io.decode_compressed([zlib.compress(r) for r in raw], "ZLIB"),
           "gzip": tf.decode_compressed([gzip.compress(r, mtime=0) for r in raw], "GZIP"),
           "none": tf.io.decode_compressed(["abc"])}
    out = {k: [v.hex() for v in vals] for k, vals in tf.Session().run(ops).items()}
    out["types"] = {k: v.op.type for k, v in ops.items()}
    return out


def _vocab(d, lines, name="vocab.txt"):
    path = os.path.join(d, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


def scenario_static_tables(tf):
    d = tempfile.mkdtemp()
    path = _vocab(d, ["emerson\t10", "lake\t20", "palmer\t30"])
    init = tf.lookup.KeyValueTensorInitializer(["a", "b", "c"], [1, 2, 3],
                                               key_dtype=tf.string, value_dtype=tf.int64)
    t = tf.lookup.StaticHashTable(init, -1)
    keys = tf.constant(["a", "x", "c", "b"])
    found, size = t.lookup(keys), t.size()
    itab = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer([5, 7], [0.5, 0.7]), -1.0)
    ifound = itab.lookup(tf.constant([7, 8, 5], tf.int32))
    line = tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
        path, tf.string, 0, tf.int64, 1, delimiter="\t"), 0)
    lfound = line.lookup(tf.constant(["lake", "nope", "palmer"]))
    num = tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
        path, tf.int64, tf.lookup.TextFileIndex.LINE_NUMBER, tf.string,
        tf.lookup.TextFileIndex.WHOLE_LINE, vocab_size=2), "UNK")
    nfound = num.lookup(tf.constant([0, 1, 2], tf.int64))
    sp = tf.SparseTensor([[0, 0], [1, 2]], ["c", "q"], [2, 3])
    spf = t.lookup(sp)
    ex_k, ex_v = t.export()
    out = {"shapes": [_shape(found), _shape(size), _shape(ifound), _shape(nfound)],
           "dtypes": [found.dtype.name, ifound.dtype.name, nfound.dtype.name],
           "names": sorted(op.name + ":" + op.type for op in tf.get_default_graph().get_operations()
                           if op.type not in ("Const",)),
           "init_collection": sorted(op.name for op in tf.get_collection(tf.GraphKeys.TABLE_INITIALIZERS)),
           "shared": [_text(num.resource_handle.op.get_attr("shared_name")).replace(d, "D"),
                      _text(line.resource_handle.op.get_attr("shared_name")).replace(d, "D")]}
    with tf.Session() as s:
        try:
            s.run(found)
        except Exception as e:  # noqa: BLE001
            out["uninit"] = _msg(e)
        out["size_before"] = int(s.run(size))
        s.run(tf.tables_initializer())
        s.run(t.initializer)  # a second run of an initializer is harmless
        out["values"] = _val(s.run({"found": found, "size": size, "ifound": ifound,
                                    "lfound": lfound, "nfound": nfound, "spf": spf}))
        k, v = s.run([ex_k, ex_v])
        out["export"] = sorted(zip(_val(k), _val(v)))
    try:
        t.lookup(tf.constant([1, 2], tf.int64))
    except TypeError as e:
        out["key_dtype"] = str(e)
    return out


def scenario_vocabulary_table(tf):
    d = tempfile.mkdtemp()
    path = _vocab(d, ["emerson", "lake", "palmer"])
    v = tf.lookup.StaticVocabularyTable(tf.lookup.TextFileInitializer(
        path, tf.string, tf.lookup.TextFileIndex.WHOLE_LINE, tf.int64,
        tf.lookup.TextFileIndex.LINE_NUMBER), 5)
    words = _strings(60, seed=3)
    ids = v.lookup(tf.constant(["lake", "emerson", "zzz", *words]))
    size = v.size()
    iv = tf.lookup.StaticVocabularyTable(tf.lookup.KeyValueTensorInitializer(
        tf.constant([10, 20], tf.int64), tf.constant([0, 1], tf.int64)), 3)
    iids = iv.lookup(tf.constant([20, 10, 30, 40, 55], tf.int64))
    out = {"names": [op.name + ":" + op.type for op in tf.get_default_graph().get_operations()],
           "shapes": [_shape(ids), _shape(size), _shape(iids)]}
    with tf.Session() as s:
        s.run(tf.tables_initializer())
        out["values"] = _val(s.run({"ids": ids, "size": size, "iids": iids}))
    return out


def scenario_mutable_table(tf):
    m = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1)
    ins = m.insert(tf.constant(["p", "q", "r"]), tf.constant([5, 6, 7], tf.int64))
    look = m.lookup(tf.constant(["p", "z", "r"]))
    rem = m.remove(tf.constant(["q", "nothere"]))
    ex_k, ex_v = m.export()
    size = m.size()
    mv = tf.lookup.experimental.MutableHashTable(tf.int64, tf.float32, [0.0, 0.0], name="vec")
    ins2 = mv.insert(tf.constant([1, 2], tf.int64), tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    look2 = mv.lookup(tf.constant([2, 3], tf.int64))
    out = {"names": [op.name + ":" + op.type for op in tf.get_default_graph().get_operations()],
           "shapes": [_shape(look), _shape(look2), _shape(size)],
           "types": [mv.resource_handle.op.type]}
    with tf.Session() as s:
        out["empty"] = _val(s.run([look, size]))
        s.run([ins, ins2])
        out["after_insert"] = _val(s.run([look, size, look2]))
        s.run(ins)
        s.run(rem)
        k, v = s.run([ex_k, ex_v])
        out["export"] = sorted(zip(_val(k), _val(v)))
        out["size"] = int(s.run(size))
    with tf.Session() as s:
        out["fresh_session"] = _val(s.run(size))
    return out


def scenario_readers(tf):
    d = tempfile.mkdtemp()
    a = os.path.join(d, "a.txt")
    with open(a, "wb") as f:
        f.write(b"header\nline one\r\nline two\n\nlast")
    b = os.path.join(d, "b.bin")
    with open(b, "wb") as f:
        f.write(b"HH" + bytes(range(48, 58)) + b"FFF")
    q = tf.FIFOQueue(10, tf.string)
    fill = q.enqueue_many([[a, a]])
    close = q.close()
    r = tf.TextLineReader(skip_header_lines=1)
    k, v = r.read(q)
    qf = tf.FIFOQueue(10, tf.string)
    fillf = qf.enqueue_many([[b, b]])
    rf = tf.FixedLengthRecordReader(4, header_bytes=2, footer_bytes=3)
    kf, vf = rf.read(qf)
    rh = tf.FixedLengthRecordReader(4, header_bytes=2, footer_bytes=3, hop_bytes=3)
    qh = tf.FIFOQueue(10, tf.string)
    fillh = qh.enqueue_many([[b]])
    kh, vh = rh.read_up_to(qh, 10)
    qw = tf.FIFOQueue(10, tf.string)
    fillw = qw.enqueue_many([[b, a, "ident"]])
    rw = tf.WholeFileReader()
    kw, vw = rw.read(qw)
    ri = tf.IdentityReader()
    ki, vi = ri.read(qw)
    out = {"types": [x.reader_ref.op.type for x in (r, rf, rw, ri)],
           "names": [x.reader_ref.op.name for x in (r, rf, rh, rw, ri)],
           "attrs": {"fixed": sorted((n, str(rh.reader_ref.op.get_attr(n))) for n in
                                     ("header_bytes", "record_bytes", "footer_bytes", "hop_bytes")),
                     "skip": r.reader_ref.op.get_attr("skip_header_lines")},
           "serialize": [x.supports_serialize for x in (r, rf, rw, ri)]}
    with tf.Session() as s:
        s.run([fill, fillf, fillw, fillh])
        s.run(close)  # after the fill: one run of both has no order in TF
        lines = []
        try:
            for _ in range(12):
                lines.append(_val(s.run([k, v])))
        except Exception as e:  # noqa: BLE001
            out["end"] = _msg(e)[0]
        out["lines"] = lines
        out["counts"] = _val(s.run([r.num_records_produced(), r.num_work_units_completed()]))
        out["fixed"] = [_val(s.run([kf, vf])) for _ in range(3)]
        out["hop"] = _val(s.run([kh, vh]))
        out["whole"] = _val(s.run([kw, vw]))
        out["whole2"] = _val(s.run(kw))
        out["ident"] = _val(s.run([ki, vi]))
        s.run(r.reset())
        out["after_reset"] = _val(s.run([r.num_records_produced(), r.num_work_units_completed()]))
    return out


def scenario_reader_state(tf):
    d = tempfile.mkdtemp()
    a = os.path.join(d, "a.txt")
    with open(a, "wb") as f:
        f.write(b"x")
    q = tf.FIFOQueue(10, tf.string)
    fill = q.enqueue_many([["u1", "u2", a]])
    r = tf.IdentityReader()
    k, _ = r.read(q)
    w = tf.WholeFileReader()
    kw, _ = w.read(q)
    t = tf.TextLineReader()
    out = {"names": [op.name for op in (r.serialize_state().op, w.serialize_state().op)]}
    st, sw, stt = r.serialize_state(), w.serialize_state(), t.serialize_state()
    with tf.Session() as s:
        s.run(fill)
        out["initial"] = s.run(st).hex()
        s.run(k)
        s.run(k)
        out["identity"] = s.run(st).hex()
        s.run(kw)
        out["whole"] = s.run(sw).hex().replace(a.encode().hex(), "PATH")
        s.run(r.reset())
        out["after_reset"] = s.run(st).hex()
        try:
            s.run(stt)
        except Exception as e:  # noqa: BLE001
            out["text_line"] = _msg(e)
    return out


def scenario_edge_cases(tf):
    cases = {
     "num_big": lambda: tf.strings.to_number(["1e39", "-1e39", "1e-50", "3.4028235e38"]),
     "num_d": lambda: tf.strings.to_number(["1e400", "0x1p3", "1.", "-.5e1", " inf", "NaN", "+nan"], tf.float64),
     "num_u": lambda: tf.strings.to_number(["4294967295"], tf.uint32),
     "num_u64": lambda: tf.strings.to_number(["18446744073709551615"], tf.uint64),
     "num_neg_u": lambda: tf.strings.to_number(["-1"], tf.uint32),
     "num_i_plus": lambda: tf.strings.to_number(["007", "-0"], tf.int64),
     "fmt_empty": lambda: tf.strings.format("{}", tf.zeros([0], tf.int32)),
     "fmt_scalar_f": lambda: tf.strings.format("{}", tf.constant(2.5)),
     "fmt_f64": lambda: tf.strings.format("{}", tf.constant([0.1, 1/3], tf.float64)),
     "fmt_f32": lambda: tf.strings.format("{}", tf.constant([1/3, 1e10, 1e-5, 123456.7])),
     "fmt_int64": lambda: tf.strings.format("{}", tf.constant([2**40], tf.int64)),
     "fmt_nan": lambda: tf.strings.format("{}", tf.constant([np.nan, np.inf, -np.inf])),
     "fmt_neg1": lambda: tf.strings.format("{}", tf.range(10), summarize=-1),
     "fmt_3d_sum": lambda: tf.strings.format("{}", tf.reshape(tf.range(27), [3, 3, 3]), summarize=1),
     "fmt_str_esc": lambda: tf.strings.format("{}", tf.constant(['a"b', "c\nd"])),
     "rj_empty": lambda: tf.strings.reduce_join(tf.constant([], tf.string), 0),
     "rj_3d_20": lambda: tf.strings.reduce_join(tf.reshape(tf.constant([str(i) for i in range(8)]), [2, 2, 2]), [2, 0]),
     "rj_3d": lambda: tf.strings.reduce_join(tf.reshape(tf.constant([str(i) for i in range(8)]), [2, 2, 2]), [0, 2]),
     "rj_none_axis": lambda: tf.strings.reduce_join(tf.constant([["a", "b"]]), axis=[]),
     "substr_len_neg": lambda: tf.strings.substr(["hello"], 1, -3),
     "substr_pos_end": lambda: tf.strings.substr(["hello"], 5, 2),
     "substr_neg_full": lambda: tf.strings.substr(["hello"], -5, 2),
     "substr_u_neg": lambda: tf.strings.substr(["héllo"], -2, 5, unit="UTF8_CHAR"),
     "len_bad_utf8": lambda: tf.strings.length([b"\xc3\xa9\x80\xff"], unit="UTF8_CHAR"),
     "upper_bad": lambda: tf.strings.upper([b"a\xff"], encoding="utf-8"),
     "lower_sharp": lambda: tf.strings.upper(["straße"], encoding="utf-8"),
     "strip_all": lambda: tf.strings.strip(["\v\f x \r\n"]),
     "split_v2_emptysep": lambda: tf.strings.split(["a\x1cb c\u3000d"]),
     "split_v2_max2": lambda: tf.strings.split(["a,b,c,d"], sep=",", maxsplit=2),
     "split_v1_ws": lambda: tf.string_split(["a\tb\nc d"]),
     "split_v1_empty_all": lambda: tf.string_split(["", ""]),
     "segjoin_neg": lambda: tf.strings.unsorted_segment_join(["a", "b"], [-1, 0], 2),
     "regex_caseins": lambda: tf.strings.regex_replace(["AbC"], "(?i)b", "x"),
     "regex_nongreedy": lambda: tf.strings.regex_replace(["<a><b>"], "<.*?>", "T"),
     "regex_named": lambda: tf.strings.regex_replace(["ab"], "(?P<x>a)", r"\1\1"),
     "regex_utf8_class": lambda: tf.strings.regex_replace(["é1"], r"\w", "w"),
     "regex_caret_global": lambda: tf.strings.regex_replace(["aaa"], "^a", "b"),
     "regex_empty_pat": lambda: tf.strings.regex_replace(["ab"], "", "-"),
     "regex_dot_newline": lambda: tf.strings.regex_full_match(["a\nb"], "a.b"),
     "regex_s_flag": lambda: tf.strings.regex_full_match(["a\nb"], "(?s)a.b"),
     "regex_A": lambda: tf.strings.regex_replace(["ab ab"], r"\Aab", "X"),
     "regex_octal": lambda: tf.strings.regex_replace(["a\x01"], r"\x01", "X"),
     "regex_brace": lambda: tf.strings.regex_replace(["a{b"], "a{", "X"),
     "b64_ws": lambda: tf.decode_base64(["YW Jj"]),
     "b64_std": lambda: tf.decode_base64(["a+/="]),
     "b64_pad3": lambda: tf.decode_base64(["YQ="]),
     "hash_strong_neg": lambda: tf.strings.to_hash_bucket_strong(["abc"], 10, [-1, -2]),
     "as_string_hash": lambda: tf.strings.to_hash_bucket_fast(tf.as_string(tf.constant([1, 2])), 5),
    }
    out = {}
    for k, f in sorted(cases.items()):
        out[k] = _try(tf, f)
    return out


def scenario_table_edge_cases(tf):
    D = tempfile.mkdtemp()

    def w(name, data):
        p = os.path.join(D, name)
        with open(p, "wb") as f:
            f.write(data)
        return p
    dup = w("dup.txt", b"a\nb\na\n")
    blank = w("blank.txt", b"a\n\nb\n")
    cols = w("cols.txt", b"7,x\n8,y\n")
    badint = w("badint.txt", b"q,x\n")
    empty = w("empty.txt", b"")
    def table(init, default):
        t = tf.lookup.StaticHashTable(init, default)
        return t
    def run_init(t, keys):
        out = t.lookup(keys)
        return [t.initializer, out]
    cases = {
     "dup_lines": lambda: run_init(table(tf.lookup.TextFileInitializer(dup, tf.string, -2, tf.int64, -1), -1), tf.constant(["a", "b"])),
     "blank_lines": lambda: run_init(table(tf.lookup.TextFileInitializer(blank, tf.string, -2, tf.int64, -1), -1), tf.constant(["a", "", "b"])),
     "int_cols": lambda: run_init(table(tf.lookup.TextFileInitializer(cols, tf.int64, 0, tf.string, 1, delimiter=","), "?"), tf.constant([8, 9], tf.int64)),
     "bad_int": lambda: run_init(table(tf.lookup.TextFileInitializer(badint, tf.int64, 0, tf.string, 1, delimiter=","), "?"), tf.constant([8], tf.int64)),
     "empty_file": lambda: run_init(table(tf.lookup.TextFileInitializer(empty, tf.string, -2, tf.int64, -1), -1), tf.constant(["a"])),
     "missing_file": lambda: run_init(table(tf.lookup.TextFileInitializer(D + "/nope.txt", tf.string, -2, tf.int64, -1), -1), tf.constant(["a"])),
     "offset": lambda: run_init(table(tf.lookup.TextFileInitializer(cols, tf.string, -2, tf.int64, -1, value_index_offset=10), -1), tf.constant(["7,x", "8,y"])),
     "kv_2d": lambda: run_init(table(tf.lookup.KeyValueTensorInitializer(["a", "b"], [1, 2]), -1), tf.constant([["a", "c"], ["b", "b"]])),
     "kv_mismatch": lambda: run_init(table(tf.lookup.KeyValueTensorInitializer(tf.constant(["a", "b"]), tf.constant([1, 2, 3])), -1), tf.constant(["a"])),
     "vocab_int": lambda: [tf.tables_initializer(), tf.lookup.StaticVocabularyTable(tf.lookup.KeyValueTensorInitializer(tf.constant([3, 4], tf.int64), tf.constant([0, 1], tf.int64)), 4, lookup_key_dtype=tf.int32).lookup(tf.constant([4, 5, 6, 300], tf.int32))],
     "vocab_nobuckets": lambda: tf.lookup.StaticVocabularyTable(tf.lookup.KeyValueTensorInitializer(["a"], tf.constant([0], tf.int64)), 0),
     "vocab_none": lambda: [tf.lookup.StaticVocabularyTable(None, 3).lookup(tf.constant(["a", "b"])), tf.lookup.StaticVocabularyTable(None, 3).size()],
     "mut_insert_shape": lambda: tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1).insert(tf.constant(["a", "b"]), tf.constant([1], tf.int64)),
     "mut_size_after": lambda: (lambda m: [m.insert(["a", "b", "a"], tf.constant([1, 2, 3], tf.int64)), m.size(), m.lookup(["a"])])(tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1)),  # noqa: PLC3002
     "mut_dyn_default": lambda: (lambda m: [m.lookup(tf.constant(["a", "b"]), dynamic_default_values=tf.constant([5, 6], tf.int64))])(tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1)),  # noqa: PLC3002
     "bad_default_shape": lambda: tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a"], [1]), [1, 2]),
     "value_dtype_mismatch": lambda: tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a"], [1]), "x"),
     "string_values": lambda: run_init(table(tf.lookup.KeyValueTensorInitializer(tf.constant([1, 2], tf.int64), ["one", "two"]), "none"), tf.constant([2, 3], tf.int64)),
     "int32_values": lambda: run_init(table(tf.lookup.KeyValueTensorInitializer(["a"], tf.constant([7], tf.int32)), -1), tf.constant(["a", "b"])),
    }
    out = {}
    for k, f in sorted(cases.items()):
        tf.reset_default_graph()
        try:
            t = f()
            with tf.Session() as s:
                if isinstance(t, list):
                    res = [s.run(x) for x in t]
                    out[k] = _val([r for r in res if r is not None])
                else:
                    out[k] = _val(s.run(t)) if t is not None and not hasattr(t, "lookup") \
                        else "built"
        except Exception as e:  # noqa: BLE001 - the error is the observation
            out[k] = [type(e).__name__, _msg(e)[1].replace(D, "D")[:200]]
    return out


def scenario_reader_and_op_edge_cases(tf):
    D = tempfile.mkdtemp()

    def w(name, data):
        p = os.path.join(D, name)
        with open(p, "wb") as f:
            f.write(data)
        return p
    empty = w("empty.txt", b"")
    cr = w("cr.txt", b"a\rb\r\nc")
    nl = w("nl.txt", b"\n\nx\n")
    fixed = w("fixed.bin", b"0123456789")

    def val(v):
        return json.loads(json.dumps(_val(v)).replace(D, "D"))
    def reader_all(r, files, n=8, upto=None):
        q = tf.FIFOQueue(10, tf.string)
        fill = q.enqueue_many([files]); close = q.close()
        kv = r.read(q) if upto is None else r.read_up_to(q, upto)
        def go(s):
            s.run(fill); s.run(close); out = []
            try:
                for _ in range(n): out.append(val(s.run(list(kv))))
            except Exception as e:  # noqa: BLE001 - the error is the observation
                out.append(type(e).__name__)
            out.append(val(s.run([r.num_records_produced(), r.num_work_units_completed()])))
            return out
        return go
    cases = {
     "tl_empty": lambda: reader_all(tf.TextLineReader(), [empty, cr]),
     "tl_newlines": lambda: reader_all(tf.TextLineReader(skip_header_lines=1), [nl]),
     "tl_upto": lambda: reader_all(tf.TextLineReader(), [cr, nl], upto=2),
     "fl_rem": lambda: reader_all(tf.FixedLengthRecordReader(3), [fixed]),
     "fl_hop_big": lambda: reader_all(tf.FixedLengthRecordReader(2, hop_bytes=4), [fixed]),
     "fl_short": lambda: reader_all(tf.FixedLengthRecordReader(20), [fixed, fixed]),
     "fl_upto": lambda: reader_all(tf.FixedLengthRecordReader(4), [fixed, fixed], upto=5),
     "whole_missing": lambda: reader_all(tf.WholeFileReader(), [D + "/none"]),
     "whole_upto": lambda: reader_all(tf.WholeFileReader(), [fixed, cr], upto=3),
     "ident_upto": lambda: reader_all(tf.IdentityReader(), ["a", "b", "c"], upto=2),
     "tl_missing": lambda: reader_all(tf.TextLineReader(), [D + "/none"]),
    }
    ops = {
     "join_bcast": lambda: tf.strings.join(["x", ["a", "b"], "y"]),
     "substr64": lambda: tf.strings.substr(["hello"], tf.constant(1, tf.int64), tf.constant(2, tf.int64)),
     "split_utf8_bytes": lambda: tf.string_split(["hé"], delimiter=""),
     "split_v2_utf8": lambda: tf.strings.split(["a é b"], sep="é"),
     "rj_keep_multi": lambda: tf.strings.reduce_join(tf.constant([["a", "b"], ["c", "d"]]), [0, 1], keepdims=True),
     "rj_neg": lambda: tf.strings.reduce_join(tf.constant([["a", "b"], ["c", "d"]]), -2, separator="+"),
     "fast_unicode": lambda: tf.strings.to_hash_bucket_fast(["é", "日本語"], 1000),
     "regex_unicode_dot": lambda: tf.strings.regex_replace(["日本"], ".", "x"),
     "regex_class_unicode": lambda: tf.strings.regex_replace(["aé日"], "[^a]", "_"),
     "regex_alt": lambda: tf.strings.regex_replace(["cat dog"], "cat|dog", "pet"),
     "regex_bs": lambda: tf.strings.regex_replace(["a.b"], r"\.", r"\\"),
     "regex_count": lambda: tf.strings.regex_replace(["aaaa"], "a{2}", "b"),
     "regex_hex": lambda: tf.strings.regex_full_match(["A"], r"\x41"),
     "fullmatch_alt": lambda: tf.strings.regex_full_match(["ab", "a"], "a|ab"),
     "strip_unicode": lambda: tf.strings.strip(["\u00a0x\u00a0"]),
     "lower_ascii_only": lambda: tf.strings.lower(["ÉA"]),
     "len_scalar": lambda: tf.strings.length("héé", unit="UTF8_CHAR"),
     "format_placeholder_mismatch": lambda: tf.strings.format("{} {}", [tf.constant(1)]),
     "to_num_ws_inner": lambda: tf.strings.to_number(["1 2"]),
     "to_num_plus_inf": lambda: tf.strings.to_number(["+inf", "-INF", "infinity", "1e", "e5", "."]),
     "as_str_join": lambda: tf.strings.join([tf.as_string(tf.constant([1, 2])), "x"], separator="_"),
    }
    out = {}
    for k, f in sorted(cases.items()):
        tf.reset_default_graph()
        try:
            go = f()
            with tf.Session() as s:
                out[k] = go(s)
        except Exception as e:  # noqa: BLE001 - the error is the observation
            out[k] = _msg(e)
    for k, f in sorted(ops.items()):
        out[k] = _try(tf, f)
    return out


def all_scenarios():
    return {name[len("scenario_"):]: fn for name, fn in globals().items()
            if name.startswith("scenario_")}
