"""Golden scenarios of tf.data's fuller surface (``record_tf.py --set dataexp``): seeded
shuffles and samplers in TF's element order, interleave / parallel_interleave orders,
shard, enumerate, scan, reduce, group_by_window, bucket_by_sequence_length, the
experimental transformations, Options, cardinality, Optional, decode_csv, CsvDataset and
make_csv_dataset, with TF's errors."""

import os
import tempfile

import numpy as np


def _v(x):
    if isinstance(x, dict):
        return {k: _v(x[k]) for k in sorted(x)}
    if isinstance(x, (list, tuple)):
        return [_v(e) for e in x]
    a = np.asarray(x)
    if a.dtype.kind in "SO":
        return a.astype(str).tolist()
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 5).tolist()
    return a.tolist()


def _err(e):
    """The message line of an error (TF 2's graph-execution wrapper and node trailer cut)."""
    m = getattr(e, "message", str(e))
    lines = [ln for ln in m.split("\n") if ln.strip() and not ln.startswith(
        ("Graph execution", "Detected at", "  File", "    ", "Node:", "\t"))]
    return [type(e).__name__, lines[-1] if lines else m]


def _drain(tf, ds, limit=60):
    x = tf.data.make_one_shot_iterator(ds).get_next()
    out = []
    with tf.Session() as sess:
        for _ in range(limit):
            try:
                out.append(_v(sess.run(x)))
            except tf.errors.OutOfRangeError:
                out.append("end")
                break
            except tf.errors.OpError as e:
                out.append(_err(e))
                break
    return out


def _types(tf, ds):
    def show(s):
        if isinstance(s, dict):
            return {k: show(s[k]) for k in sorted(s)}
        if isinstance(s, tuple):
            return [show(e) for e in s]
        return getattr(s, "name", None) or str(s)
    return {"types": show(tf.data.get_output_types(ds)),
            "shapes": show(tf.data.get_output_shapes(ds))}


def _ops(tf):
    return [[o.name, o.type] for o in tf.get_default_graph().get_operations()]


def scenario_shuffle_seeded_order(tf):
    D = tf.data.Dataset
    out = {}
    out["buffer_all"] = _drain(tf, D.range(10).shuffle(10, seed=1).repeat(2))
    tf.reset_default_graph()
    out["buffer_4"] = _drain(tf, D.range(12).shuffle(4, seed=7).repeat(2))
    tf.reset_default_graph()
    out["no_reshuffle"] = _drain(tf, D.range(8).shuffle(3, seed=2,
                                                        reshuffle_each_iteration=False).repeat(2))
    tf.reset_default_graph()
    tf.set_random_seed(5)
    out["graph_seed"] = _drain(tf, D.range(10).shuffle(4))
    tf.reset_default_graph()
    D.range(3).shuffle(3, seed=1)
    out["ops"] = _ops(tf)
    return out


def scenario_shuffle_reinitialized(tf):
    ds = tf.data.Dataset.range(6).shuffle(6, seed=3)
    it = tf.data.make_initializable_iterator(ds)
    x = it.get_next()
    out = []
    with tf.Session() as s:
        for _ in range(2):
            s.run(it.initializer)
            out.append([int(s.run(x)) for _ in range(6)])
    return out


def scenario_sample_and_choose(tf):
    D = tf.data.Dataset
    E = tf.data.experimental
    out = {"uniform": _drain(tf, E.sample_from_datasets([D.range(10), D.range(100, 110)],
                                                        seed=1))}
    tf.reset_default_graph()
    out["weighted"] = _drain(tf, D.sample_from_datasets(
        [D.range(5), D.range(10, 15), D.range(20, 25)], weights=[0.5, 0.3, 0.2], seed=4))
    tf.reset_default_graph()
    out["choose"] = _drain(tf, D.choose_from_datasets(
        [D.range(3), D.range(10, 13)],
        D.from_tensor_slices(np.array([0, 1, 1, 0, 0, 1, 1], np.int64))))
    tf.reset_default_graph()
    out["random"] = _drain(tf, E.RandomDataset(seed=3).take(4).repeat(2))
    return out


def scenario_interleave_orders(tf):
    D = tf.data.Dataset
    E = tf.data.experimental

    def lens(lengths):
        table = np.array(lengths, np.int64)
        return lambda i: D.zip((D.range(tf.gather(tf.constant(table), i)),
                                D.from_tensors(i).repeat())).map(lambda v, j: v + 10 * j)

    out = {}
    for key, (lengths, cycle, block) in {
            "a": ([1, 2, 3, 4, 5], 3, 2), "b": ([3, 0, 1, 4, 2, 2, 5], 2, 3),
            "c": ([2, 2, 0, 0, 3, 1], 3, 1), "d": ([4, 1, 1, 1, 1, 4], 2, 2)}.items():
        idx = np.arange(len(lengths), dtype=np.int64)
        tf.reset_default_graph()
        out["interleave_" + key] = _drain(tf, D.from_tensor_slices(idx).interleave(
            lens(lengths), cycle_length=cycle, block_length=block))
        tf.reset_default_graph()
        out["parallel_" + key] = _drain(tf, D.from_tensor_slices(idx).interleave(
            lens(lengths), cycle_length=cycle, block_length=block, num_parallel_calls=2))
        tf.reset_default_graph()
        out["legacy_" + key] = _drain(tf, D.from_tensor_slices(idx).apply(
            E.parallel_interleave(lens(lengths), cycle, block_length=block)))
    tf.reset_default_graph()
    out["flat_map"] = _drain(tf, D.range(4).flat_map(lambda x: D.range(x)))
    tf.reset_default_graph()
    D.range(3).interleave(lambda x: D.range(x), cycle_length=2)
    out["ops"] = _ops(tf)
    return out


def scenario_structural(tf):
    D = tf.data.Dataset
    E = tf.data.experimental
    out = {}
    cases = {
        "shard": lambda: D.range(10).shard(3, 1),
        "enumerate": lambda: D.range(3, 6).enumerate(5),
        "enumerate_dataset": lambda: D.range(2).apply(E.enumerate_dataset()),
        "unique": lambda: D.from_tensor_slices([1, 2, 1, 3, 2]).unique(),
        "take_while": lambda: D.range(10).take_while(lambda x: x < 4),
        "scan": lambda: D.range(5).scan(np.int64(0), lambda s, x: (s + x, s * 10)),
        "scan_tuple": lambda: D.range(4).apply(E.scan(
            (np.int64(1), np.float32(0.5)), lambda s, x: ((s[0] * 2, s[1] + 1.0), s[0] + x))),
        "counter": lambda: E.Counter(2, 3).take(4),
        "map_and_batch": lambda: D.range(7).apply(E.map_and_batch(lambda x: x * 2, 3)),
        "map_and_batch_drop": lambda: D.range(7).apply(E.map_and_batch(
            lambda x: (x, -x), 3, drop_remainder=True)),
        "shuffle_and_repeat": lambda: D.range(6).apply(E.shuffle_and_repeat(3, 2, seed=4)),
        "ignore_errors": lambda: D.from_tensor_slices([1., 2., 0., 4.]).map(
            lambda x: tf.check_numerics(1. / x, "bad")).apply(E.ignore_errors()),
        "prefetch_to_device": lambda: D.range(3).apply(E.prefetch_to_device("/cpu:0")),
        "copy_to_device": lambda: D.range(3).apply(E.copy_to_device("/cpu:0")),
        "unbatch": lambda: D.range(4).batch(3).apply(E.unbatch()),
        "map_autotune": lambda: D.range(4).map(lambda x: x + 1,
                                                num_parallel_calls=tf.data.AUTOTUNE),
        "assert_cardinality_short": lambda: D.range(3).apply(E.assert_cardinality(5)),
        "assert_cardinality_long": lambda: D.range(3).apply(E.assert_cardinality(2)),
        "assert_cardinality_ok": lambda: D.range(3).apply(E.assert_cardinality(3)),
    }
    for k, f in cases.items():
        tf.reset_default_graph()
        ds = f()
        out[k] = {**_types(tf, ds), "values": _drain(tf, ds)}
    tf.reset_default_graph()
    D.range(10).shard(3, 1)
    out["shard_ops"] = _ops(tf)
    return out


def scenario_grouping(tf):
    D = tf.data.Dataset
    E = tf.data.experimental
    out = {}
    tf.reset_default_graph()
    ds = D.range(10).group_by_window(lambda x: x % 3, lambda k, d: d.batch(2), 2)
    out["group_by_window"] = {**_types(tf, ds), "values": _drain(tf, ds)}
    tf.reset_default_graph()
    ds = D.range(9).apply(E.group_by_window(
        lambda x: x % 2, lambda k, d: d.map(lambda v: v * 10).batch(10),
        window_size_func=lambda k: k + 2))
    out["window_size_func"] = {**_types(tf, ds), "values": _drain(tf, ds)}
    tf.reset_default_graph()
    ds = D.range(1, 8).map(lambda x: tf.fill([x], x)).apply(E.bucket_by_sequence_length(
        lambda x: tf.shape(x)[0], [3, 5], [2, 2, 2]))
    out["bucket"] = {**_types(tf, ds), "values": _drain(tf, ds)}
    tf.reset_default_graph()
    ds = D.range(1, 8).map(lambda x: tf.fill([x], x)).bucket_by_sequence_length(
        lambda x: tf.shape(x)[0], [4], [3, 2], padded_shapes=[8], padding_values=np.int64(-1),
        drop_remainder=True)
    out["bucket_padded"] = {**_types(tf, ds), "values": _drain(tf, ds)}
    return out


def scenario_reduce_single_cardinality(tf):
    D = tf.data.Dataset
    E = tf.data.experimental
    ds = D.range(3)
    r = ds.reduce(np.int64(0), lambda a, b: a + b)
    r2 = D.from_tensor_slices(np.arange(6, dtype=np.float32).reshape(3, 2)).reduce(
        (np.float32(0), np.int64(0)), lambda s, x: (s[0] + tf.reduce_sum(x), s[1] + 1))
    single = E.get_single_element(D.from_tensors((np.int32(1), np.float32(2.5))))
    cards = [E.cardinality(ds), E.cardinality(ds.repeat()), E.cardinality(ds.repeat(3)),
             E.cardinality(ds.filter(lambda x: x > 1)), E.cardinality(ds.batch(2)),
             E.cardinality(ds.batch(2, drop_remainder=True)), E.cardinality(ds.shard(2, 1)),
             E.cardinality(ds.skip(1)), E.cardinality(ds.take(10)),
             E.cardinality(ds.map(lambda x: x).concatenate(ds)),
             E.cardinality(ds.apply(E.assert_cardinality(3)))]
    out = {"reduce_shape": str(r.shape), "reduce2_shapes": [str(t.shape) for t in r2],
           "single": [str(t.dtype.name) for t in single],
           "constants": [tf.data.AUTOTUNE, tf.data.INFINITE_CARDINALITY,
                         tf.data.UNKNOWN_CARDINALITY, E.AUTOTUNE],
           "card_dtype": cards[0].dtype.name}
    with tf.Session() as s:
        out["reduce"] = _v(s.run(r))
        out["reduce2"] = _v(s.run(r2))
        out["single_values"] = _v(s.run(single))
        out["cards"] = _v(s.run(cards))
        try:
            s.run(D.range(0).get_single_element())
        except tf.errors.OpError as e:
            out["single_empty"] = _err(e)
        try:
            s.run(D.range(2).get_single_element())
        except tf.errors.OpError as e:
            out["single_many"] = _err(e)
    return out


def scenario_optional(tf):
    E = tf.data.experimental
    it = tf.data.make_one_shot_iterator(tf.data.Dataset.range(2).map(lambda x: (x, x * 2)))
    o = E.get_next_as_optional(it)
    has, val = o.has_value(), o.get_value()
    out = {"spec": [str(s.dtype.name) for s in val]}
    with tf.Session() as s:
        out["runs"] = [_v(s.run([has, val])) for _ in range(2)]
        out["after"] = _v(s.run(has))
        try:
            s.run(val)
        except tf.errors.OpError as e:
            out["empty_get"] = _err(e)
    return out


def scenario_options(tf):
    E = tf.data.experimental
    opts = tf.data.Options()
    out = {"defaults": [opts.deterministic, opts.experimental_optimization.map_fusion,
                        str(opts.experimental_distribute.auto_shard_policy),
                        opts.threading.private_threadpool_size]}
    opts.experimental_optimization.map_fusion = True
    opts.threading.private_threadpool_size = 2
    opts.experimental_distribute.auto_shard_policy = E.AutoShardPolicy.DATA
    ds = tf.data.Dataset.range(3).with_options(opts)
    o2 = tf.data.Options()
    o2.deterministic = False
    ds = ds.with_options(o2)
    got = ds.options()
    out["merged"] = [got.deterministic, got.experimental_optimization.map_fusion,
                     got.threading.private_threadpool_size,
                     int(got.experimental_distribute.auto_shard_policy)]
    out["equal"] = [tf.data.Options() == tf.data.Options(), got == opts]
    errors = {}
    for key, fn in {"unknown": lambda: setattr(opts, "foo", 1),
                    "bad_type": lambda: setattr(opts, "deterministic", 1)}.items():
        try:
            fn()
        except (AttributeError, TypeError, ValueError) as e:
            errors[key] = [type(e).__name__, str(e)]
    out["errors"] = errors
    out["policies"] = [int(E.AutoShardPolicy.OFF), int(E.AutoShardPolicy.FILE),
                       int(E.AutoShardPolicy.HINT)]
    out["values"] = _drain(tf, ds)
    return out


def scenario_decode_csv(tf):
    cases = [
        (["1,2.5,a", "3,,b"], [[0], [1.0], [""]], {}),
        ([""], [[0]], {}),
        (["1,2"], [[0]], {}),
        (["x"], [[0]], {}),
        ([","], [[0], [0]], {}),
        (['"a,b",c'], [[""], [""]], {}),
        (['"a""b",c'], [[""], [""]], {}),
        (['a"b,c'], [[""], [""]], {}),
        (['"ab"x,c'], [[""], [""]], {}),
        (["1,2,3,4"], [[0], [0]], {"select_cols": [1, 3]}),
        (["1,2"], [[0], [0]], {"select_cols": [1, 3]}),
        (["1;NA"], [[0], [7]], {"field_delim": ";", "na_value": "NA"}),
        ([" 5 ,1e3"], [[0], [0.0]], {}),
        (["1_0,nan"], [[0], [0.0]], {}),
        (["5000000000,1"], [[0], [0.0]], {}),
        (["5000000000,-inf"], [[np.int64(0)], [np.float64(0)]], {}),
        ([["1,2"], ["3,4"]], [[0], [0]], {}),
        (['"a,b"'], [[""]], {"use_quote_delim": False}),
        (["1.0"], [[0]], {}),
        (["1"], [[0], [0]], {"field_delim": "ab"}),
        (["a\nb"], [[""]], {}),
        (["1,,3"], [[0], "required", [0]], {}),
    ]
    out = []
    for recs, defaults, kw in cases:
        tf.reset_default_graph()
        defs = [tf.constant([], tf.int32) if isinstance(d, str) else d for d in defaults]
        t = tf.io.decode_csv(recs, defs, **kw)
        entry = {"types": [x.dtype.name for x in t], "shapes": [str(x.shape) for x in t]}
        with tf.Session() as s:
            try:
                entry["values"] = _v(s.run(t))
            except tf.errors.OpError as e:
                entry["error"] = _err(e)
        out.append(entry)
    tf.reset_default_graph()
    tf.decode_csv(["1,a"], [[0], [""]], name="csv")
    errors = {}
    for key, fn in {"not_increasing": lambda: tf.io.decode_csv(["1"], [[0], [0]],
                                                              select_cols=[1, 0]),
                    "negative": lambda: tf.io.decode_csv(["1"], [[0]], select_cols=[-1]),
                    "lengths": lambda: tf.io.decode_csv(["1"], [[0], [0]], select_cols=[0]),
                    "bool_default": lambda: tf.io.decode_csv(["1"], [[True]])}.items():
        try:
            fn()
        except (TypeError, ValueError) as e:
            errors[key] = type(e).__name__
    return {"cases": out, "ops": _ops(tf), "errors": errors}


def _csv_files():
    d = tempfile.mkdtemp()
    files = {"f1.csv": 'a,b,label\n1,x,0\n2,"y,z",1\n3,,0\n4,w,1\n',
             "f2.csv": 'a,b,label\n5,v,0\n6,"q\nr",1\n',
             "bad.csv": "a,b\n1,2\nx,3\n",
             "crlf.csv": "p,q\r\n1.5,2\r\n,3\r\n"}
    for name, text in files.items():
        with open(os.path.join(d, name), "w", newline="") as f:
            f.write(text)
    return d


def scenario_csv_dataset(tf):
    E = tf.data.experimental
    d = _csv_files()
    p = lambda n: os.path.join(d, n)
    cases = {
        "two_files": lambda: E.CsvDataset([p("f1.csv"), p("f2.csv")],
                                          [tf.int32, [""], tf.constant([0], tf.int64)],
                                          header=True),
        "select": lambda: E.CsvDataset(p("f1.csv"), [[0], [0]], header=True,
                                       select_cols=[0, 2]),
        "required": lambda: E.CsvDataset(p("f1.csv"), [tf.int32, tf.string, tf.int32],
                                         header=True),
        "bad_int": lambda: E.CsvDataset(p("bad.csv"), [tf.int32, tf.int32], header=True),
        "no_header": lambda: E.CsvDataset(p("bad.csv"), [[""], [""]]),
        "too_many": lambda: E.CsvDataset(p("bad.csv"), [[""]]),
        "crlf": lambda: E.CsvDataset(p("crlf.csv"), [[0.0], [0.0]], header=True),
        "na": lambda: E.CsvDataset(p("bad.csv"), [[0], [0]], header=True, na_value="x"),
    }
    out = {}
    for k, f in cases.items():
        tf.reset_default_graph()
        ds = f()
        out[k] = {**_types(tf, ds), "values": _drain(tf, ds)}
    tf.reset_default_graph()
    E.CsvDataset(p("f1.csv"), [tf.int32, [""]], header=True)
    out["ops"] = _ops(tf)
    return out


def scenario_make_csv_dataset(tf):
    E = tf.data.experimental
    d = _csv_files()
    pattern = os.path.join(d, "f*.csv")
    cases = {
        "label": lambda: E.make_csv_dataset(pattern, 2, label_name="label", shuffle=False,
                                            num_epochs=1),
        "shuffled": lambda: E.make_csv_dataset(pattern, 3, shuffle_seed=3, num_epochs=2,
                                               shuffle_buffer_size=4),
        "select": lambda: E.make_csv_dataset(os.path.join(d, "f1.csv"), 2,
                                             select_columns=["a", "label"], shuffle=False,
                                             num_epochs=1),
        "names_defaults": lambda: E.make_csv_dataset(
            os.path.join(d, "crlf.csv"), 2, column_names=["x", "y"],
            column_defaults=[[-1.0], tf.int32], shuffle=False, num_epochs=1),
        "infer_float": lambda: E.make_csv_dataset(os.path.join(d, "crlf.csv"), 5,
                                                  shuffle=False, num_epochs=1),
    }
    out = {}
    for k, f in cases.items():
        tf.reset_default_graph()
        ds = f()
        out[k] = {**_types(tf, ds), "values": _drain(tf, ds)}
    errors = {}
    for key, fn in {
            "no_files": lambda: E.make_csv_dataset(os.path.join(d, "none*.csv"), 2),
            "bad_label": lambda: E.make_csv_dataset(pattern, 2, label_name="zz"),
            "dup_select": lambda: E.make_csv_dataset(pattern, 2, select_columns=["a", "a"]),
            "no_names": lambda: E.make_csv_dataset(pattern, 2, header=False)}.items():
        tf.reset_default_graph()
        try:
            fn()
        except (TypeError, ValueError) as e:
            errors[key] = [type(e).__name__, str(e).replace(d, "<dir>")]
    out["errors"] = errors
    return out


def scenario_list_files(tf):
    d = _csv_files()
    out = {}
    ds = tf.data.Dataset.list_files(os.path.join(d, "*.csv"), shuffle=False)
    out["sorted"] = [os.path.basename(v) for v in _drain(tf, ds)[:-1]]
    tf.reset_default_graph()
    ds = tf.data.Dataset.list_files(os.path.join(d, "*.csv"), seed=5)
    out["seeded"] = [os.path.basename(v) for v in _drain(tf, ds)[:-1]]
    tf.reset_default_graph()
    out["empty"] = _drain(tf, tf.data.Dataset.list_files(os.path.join(d, "*.zzz")))
    return out


def scenario_errors(tf):
    D = tf.data.Dataset
    out = {}
    for key, fn in {
            "shard_index": lambda: _drain(tf, D.range(3).shard(2, 2)),
            "shard_zero": lambda: _drain(tf, D.range(3).shard(0, 0)),
            "gbw_both": lambda: D.range(3).group_by_window(lambda x: x, lambda k, d: d, 2,
                                                           lambda k: k),
            "gbw_key_type": lambda: D.range(3).group_by_window(
                lambda x: tf.cast(x, tf.int32), lambda k, d: d, 2),
            "bucket_sizes": lambda: D.range(3).bucket_by_sequence_length(
                lambda x: x, [2], [1]),
            "unique_float": lambda: D.from_tensor_slices([1.0]).unique(),
            "take_while_type": lambda: D.range(3).take_while(lambda x: x),
            "choose_type": lambda: D.choose_from_datasets([D.range(2)], D.range(2).map(
                lambda x: tf.cast(x, tf.int32))),
            "sample_weights_len": lambda: D.sample_from_datasets([D.range(2)], [0.5, 0.5]),
            "window_size_zero": lambda: _drain(tf, D.range(3).group_by_window(
                lambda x: x, lambda k, d: d, window_size_func=lambda k: k)),
            "empty_datasets": lambda: D.sample_from_datasets([]),
    }.items():
        tf.reset_default_graph()
        try:
            res = fn()
            out[key] = res if isinstance(res, list) else "ok"
        except (TypeError, ValueError) as e:
            out[key] = type(e).__name__
    return out


def scenario_feedable_iterator(tf):
    D = tf.data.Dataset
    train = D.range(100).repeat()
    val = D.range(1000, 1003)
    t_it = tf.data.make_one_shot_iterator(train)
    v_it = tf.data.make_initializable_iterator(val)
    handle = tf.placeholder(tf.string, shape=[])
    it = tf.data.Iterator.from_string_handle(handle, tf.data.get_output_types(train),
                                             tf.data.get_output_shapes(train))
    nxt = it.get_next()
    th_t, vh_t = t_it.string_handle(), v_it.string_handle()
    out = {"next": [nxt.name, str(nxt.shape), nxt.dtype.name],
           "handle": [th_t.op.type, th_t.dtype.name, str(th_t.shape)],
           "iterator_op": it._iterator_resource.op.type}
    with tf.Session() as s:
        th, vh = s.run([th_t, vh_t])
        out["train"] = [int(s.run(nxt, {handle: th})) for _ in range(3)]
        s.run(v_it.initializer)
        vals = []
        try:
            for _ in range(5):
                vals.append(int(s.run(nxt, {handle: vh})))
        except tf.errors.OutOfRangeError:
            vals.append("end")
        out["val"] = vals
        out["train_again"] = int(s.run(nxt, {handle: th}))
        s.run(v_it.initializer)
        out["val_again"] = int(s.run(nxt, {handle: vh}))
    return out


def scenario_from_list_and_reducer(tf):
    E = tf.data.experimental
    out = {}
    ds = E.from_list([(1, "a"), (2, "b")])
    ops = _ops(tf)
    out["from_list"] = {**_types(tf, ds), "values": _drain(tf, ds), "ops": ops}
    tf.reset_default_graph()
    ds = E.from_list([[1, 2], [3]])
    out["from_list_ragged"] = {**_types(tf, ds), "values": _drain(tf, ds)}
    tf.reset_default_graph()
    r = E.Reducer(lambda k: np.int64(0), lambda s, x: s + x, lambda s: s * 10)
    ds = tf.data.Dataset.from_tensor_slices(np.array([5, 1, 7, 3, 2, 9], np.int64)).apply(
        E.group_by_reducer(lambda x: x % 3, r))
    out["reducer"] = {**_types(tf, ds), "values": _drain(tf, ds)}
    tf.reset_default_graph()
    r = E.Reducer(lambda k: (k, np.int64(0)), lambda s, x: (s[0], s[1] + 1),
                  lambda a, b: (a, b))
    ds = tf.data.Dataset.range(10).apply(E.group_by_reducer(lambda x: 2 - x % 3, r))
    out["reducer_tuple"] = {**_types(tf, ds), "values": _drain(tf, ds)}
    return out


def scenario_window(tf):
    D = tf.data.Dataset
    out = {}
    for args in [(3,), (3, 2), (2, 3), (3, 1, 2), (3, 2, 1, True), (4, 1, 3), (3, 5, 1, True)]:
        tf.reset_default_graph()
        out[str(args)] = _drain(tf, D.range(7).window(*args).flat_map(lambda w: w.batch(10)))
    tf.reset_default_graph()
    out["zip"] = _drain(tf, D.zip((D.range(5), D.range(10, 15))).window(2).flat_map(
        lambda a, b: D.zip((a, b)).batch(2)))
    tf.reset_default_graph()
    out["dict"] = _drain(tf, D.from_tensor_slices({"a": np.arange(4)}).window(3, 2).flat_map(
        lambda d: d["a"].batch(3)))
    tf.reset_default_graph()
    D.range(5).window(2)
    out["ops"] = _ops(tf)
    return out


def scenario_pipeline_train(tf):
    """A TF1 training loop fed by a seeded CSV pipeline: the loss trajectory depends on
    the shuffled order, so equal losses mean TF's element order."""
    d = tempfile.mkdtemp()
    rng = np.random.RandomState(0)
    for k in range(2):
        with open(os.path.join(d, f"part{k}.csv"), "w") as f:
            f.write("x1,x2,y\n")
            for _ in range(24):
                x1, x2 = rng.randint(-5, 6, size=2)
                f.write(f"{x1},{x2},{2 * x1 - 3 * x2 + 1}\n")
    E = tf.data.experimental
    ds = E.make_csv_dataset(os.path.join(d, "part*.csv"), 8, label_name="y",
                            shuffle_seed=11, shuffle_buffer_size=16,
                            num_parallel_reads=2).map(
        lambda f, y: (tf.cast(tf.stack([f["x1"], f["x2"]], 1), tf.float32),
                      tf.cast(y, tf.float32)))
    x, y = tf.data.make_one_shot_iterator(ds).get_next()
    w = tf.Variable(tf.zeros([2, 1]), name="w")
    b = tf.Variable(0.0, name="b")
    pred = tf.squeeze(tf.matmul(x, w), 1) + b
    loss = tf.reduce_mean(tf.square(pred - y))
    train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    losses = []
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for _ in range(12):
            losses.append(round(float(s.run([loss, train])[0]), 3))
        wv, bv = s.run([w, b])
    return {"losses": losses, "w": _v(wv), "b": _v(bv), "x": str(x.shape)}


def scenario_captured_tensors(tf):
    D = tf.data.Dataset

    def run(ds, feed=None):
        it = tf.data.make_initializable_iterator(ds)
        x = it.get_next()
        out = []
        with tf.Session() as s:
            s.run(it.initializer, feed)
            try:
                while True:
                    out.append(_v(s.run(x)))
            except tf.errors.OutOfRangeError:
                pass
        return out

    c = tf.constant(10, tf.int64)
    p = tf.placeholder(tf.int64, [])
    out = {
        "map": run(D.range(3).map(lambda x: x + c)),
        "placeholder": run(D.range(3).map(lambda x: x * p).filter(lambda x: x > p), {p: 2}),
        "nested": run(D.range(3).flat_map(lambda x: D.range(x).map(
            lambda y: y * 100 + x + c))),
        "interleave": run(D.range(3).interleave(lambda x: D.from_tensors(x + c).repeat(2),
                                                cycle_length=2)),
        "scan": run(D.range(3).scan(np.int64(0), lambda s, x: (s + x + c, s))),
        "group_by_window": run(D.range(6).group_by_window(
            lambda x: x % 2, lambda k, d: d.map(lambda v: v + c * k).batch(5), 3)),
    }
    with tf.Session() as s:
        out["reduce"] = _v(s.run(D.range(3).reduce(np.int64(0), lambda a, b: a + b * c)))
    return out


def scenario_random_ops_in_functions(tf):
    """Seeded random ops in a map: the same values each time the dataset is made (each
    initializer run, each session), as TF's function instances."""
    D = tf.data.Dataset

    def run(ds):
        it = tf.data.make_initializable_iterator(ds)
        x = it.get_next()
        out = []
        for _ in range(2):
            with tf.Session() as s:
                for _ in range(2):
                    s.run(it.initializer)
                    out.append([_v(s.run(x)) for _ in range(3)])
        return out

    out = {"op_seed": run(D.range(3).map(lambda x: tf.random_uniform([], seed=1)))}
    tf.reset_default_graph()
    tf.set_random_seed(3)
    out["graph_seed"] = run(D.range(3).map(lambda x: tf.random_uniform([])))
    return out


def scenario_tfrecord_writer(tf):
    import hashlib
    d = tempfile.mkdtemp()
    E = tf.data.experimental
    ds = tf.data.Dataset.range(5).map(lambda x: tf.as_string(x * 7))
    out = {}
    for kind in (None, "GZIP"):
        path = os.path.join(d, f"w_{kind}.tfrecord")
        op = E.TFRecordWriter(path, kind).write(ds)
        with tf.Session() as s:
            s.run(op)
        back = tf.data.TFRecordDataset(path, compression_type=kind)
        with open(path, "rb") as f:
            digest = hashlib.md5(f.read()).hexdigest()
        out[str(kind)] = {"op": [op.type, len(op.outputs)],
                          "records": _drain(tf, back),
                          "md5": digest if kind is None else None}
    try:
        E.TFRecordWriter(os.path.join(d, "x")).write(tf.data.Dataset.range(2))
    except TypeError as e:
        out["bad"] = type(e).__name__
    return out


def scenario_map_with_lookup_table(tf):
    # the NLP input pattern: split lines into tokens and map them to ids inside Dataset.map
    table = tf.lookup.StaticVocabularyTable(tf.lookup.KeyValueTensorInitializer(
        tf.constant(["a", "b", "c"]), tf.constant([0, 1, 2], tf.int64)), num_oov_buckets=2)
    ds = tf.data.Dataset.from_tensor_slices(tf.constant(["a c", "b zz a", "q"]))
    ds = ds.map(lambda s: table.lookup(tf.string_split([s]).values))
    ds = ds.padded_batch(2, padded_shapes=[None], padding_values=tf.constant(-1, tf.int64))
    it = tf.data.make_initializable_iterator(ds)
    nxt = it.get_next()
    out = []
    with tf.Session() as sess:
        sess.run(it.initializer)
        sess.run(tf.tables_initializer())
        try:
            while True:
                out.append(sess.run(nxt).tolist())
        except tf.errors.OutOfRangeError:
            pass
    return {"batches": out, "shape": nxt.shape.as_list()}


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
