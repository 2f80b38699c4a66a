"""Golden scenarios of tf.data in graph mode: datasets' element structure (types, shapes),
iterator op names, the elements each run yields, OutOfRangeError at the end, initializable and
reinitializable iterators, and a training loop fed by a Dataset (``record_tf.py --set data``)."""

import numpy as np


def _v(x):
    if isinstance(x, dict):
        return {k: _v(x[k]) for k in sorted(x)}
    if isinstance(x, (list, tuple)):
        return [_v(e) for e in x]
    a = np.asarray(x)
    if a.dtype.kind in "SO":
        return a.astype(str).tolist()
    return np.round(a.astype(np.float64), 5).tolist()


def _drain(tf, sess, t, limit=50):
    out = []
    for _ in range(limit):
        try:
            out.append(_v(sess.run(t)))
        except tf.errors.OutOfRangeError:
            out.append("end")
            break
    return out


def _info(tf, ds):
    types = tf.data.get_output_types(ds)
    shapes = tf.data.get_output_shapes(ds)

    def show(s):
        if isinstance(s, dict):
            return {k: show(s[k]) for k in sorted(s)}
        if isinstance(s, tuple):
            return [show(e) for e in s]
        return getattr(s, "name", None) or str(s)
    return {"types": show(types), "shapes": show(shapes)}


def _one_shot(build):
    def scenario(tf):
        ds = build(tf)
        it = tf.data.make_one_shot_iterator(ds)
        nxt = it.get_next()
        flat = [t for t in (nxt.values() if isinstance(nxt, dict) else
                            (nxt if isinstance(nxt, tuple) else [nxt]))]
        with tf.Session() as sess:
            vals = _drain(tf, sess, nxt)
        return {**_info(tf, ds), "names": sorted(t.name for t in flat), "values": vals}
    return scenario


_PIPES = {
    "slices_map_batch": lambda tf: tf.data.Dataset.from_tensor_slices(
        (np.arange(5, dtype=np.float32), np.arange(5))).map(lambda a, b: (a * 2, b)).batch(2),
    "range_take_skip": lambda tf: tf.data.Dataset.range(10).skip(2).take(5),
    "range_args": lambda tf: tf.data.Dataset.range(2, 11, 3),
    "repeat_batch_drop": lambda tf: tf.data.Dataset.range(5).repeat(2).batch(3,
                                                                        drop_remainder=True),
    "dict_elements": lambda tf: tf.data.Dataset.from_tensor_slices(
        {"a": np.arange(3), "b": np.ones((3, 2), np.float32)}).map(
        lambda d: {"a": d["a"] + 1, "b": tf.reduce_sum(d["b"])}),
    "zip_concat": lambda tf: tf.data.Dataset.zip((tf.data.Dataset.range(3),
                                                  tf.data.Dataset.range(10, 13))).concatenate(
        tf.data.Dataset.zip((tf.data.Dataset.range(1), tf.data.Dataset.range(1)))),
    "filter": lambda tf: tf.data.Dataset.range(10).filter(lambda x: tf.equal(x % 3, 0)),
    "from_tensors": lambda tf: tf.data.Dataset.from_tensors(([1, 2], 3.0)).repeat(2),
    "generator": lambda tf: tf.data.Dataset.from_generator(
        lambda: iter([[1, 2], [3, 4], [5, 6]]), tf.int32, tf.TensorShape([2])).batch(2),
    "generator_tuple": lambda tf: tf.data.Dataset.from_generator(
        lambda: ((i, float(i) / 2) for i in range(3)), (tf.int64, tf.float32),
        (tf.TensorShape([]), tf.TensorShape([]))),
    "padded_batch": lambda tf: tf.data.Dataset.range(1, 5).map(
        lambda x: tf.fill([x], x)).padded_batch(2, padded_shapes=[None]),
    "padded_batch_fixed": lambda tf: tf.data.Dataset.range(1, 4).map(
        lambda x: tf.fill([x], x)).padded_batch(2, padded_shapes=[4],
                                               padding_values=tf.constant(-1, tf.int64)),
    "unbatch": lambda tf: tf.data.Dataset.from_tensors(np.arange(6).reshape(3, 2)).unbatch(),
    "map_strings_cast": lambda tf: tf.data.Dataset.from_tensor_slices(
        np.arange(4, dtype=np.int32)).map(lambda x: tf.cast(x, tf.float32) / 2.0).cache()
        .prefetch(1),
    "map_image_ops": lambda tf: tf.data.Dataset.from_tensor_slices(
        np.arange(24, dtype=np.float32).reshape(2, 3, 4)).map(
        lambda x: (tf.reshape(x, [12]), tf.shape(x))),
}


def scenario_initializable(tf):
    p = tf.placeholder(tf.float32, [None])
    ds = tf.data.Dataset.from_tensor_slices(p).repeat(2)
    it = ds.make_initializable_iterator()
    n = it.get_next()
    out = {"names": [n.name, str(n.shape), it.initializer.name, it.initializer.type]}
    with tf.Session() as s:
        try:
            s.run(n)
        except tf.errors.FailedPreconditionError:
            out["before_init"] = "FailedPreconditionError"
        s.run(it.initializer, {p: [1, 2]})
        out["first"] = _drain(tf, s, n)
        s.run(it.initializer, {p: [7]})
        out["second"] = _drain(tf, s, n)
    return out


def scenario_reinitializable(tf):
    train = tf.data.Dataset.range(3)
    val = tf.data.Dataset.range(10, 12)
    it = tf.data.Iterator.from_structure(tf.data.get_output_types(train),
                                         tf.data.get_output_shapes(train))
    n = it.get_next()
    init_t = it.make_initializer(train)
    init_v = it.make_initializer(val)
    out = {"types": [init_t.type, init_v.type, n.name]}
    with tf.Session() as s:
        s.run(init_t)
        out["train"] = _drain(tf, s, n)
        s.run(init_v)
        out["val"] = _drain(tf, s, n)
    return out


def scenario_get_next_once_per_run(tf):
    it = tf.data.make_one_shot_iterator(tf.data.Dataset.range(6).map(lambda x: (x, x * 10)))
    a, b = it.get_next()
    with tf.Session() as s:
        first = _v(s.run([a, b, a + b]))
        second = _v(s.run(b))
        third = _v(s.run(a))
    return {"first": first, "second": second, "third": third}


def scenario_shuffle_is_permutation(tf):
    ds = tf.data.Dataset.range(20).shuffle(5, seed=3).batch(20)
    n = tf.data.make_one_shot_iterator(ds).get_next()
    with tf.Session() as s:
        v = s.run(n)
    return {"sorted": sorted(v.tolist()), "shape": str(n.shape)}


def scenario_train_from_dataset(tf):
    rng = np.random.RandomState(0)
    X = rng.randn(12, 3).astype(np.float32)
    Y = rng.randn(12, 1).astype(np.float32)
    ds = tf.data.Dataset.from_tensor_slices((X, Y)).batch(4).repeat(2)
    x, y = tf.data.make_one_shot_iterator(ds).get_next()
    w = tf.get_variable("w", [3, 1], initializer=tf.constant_initializer(0.1))
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
    train = tf.train.AdamOptimizer(0.1).minimize(loss)
    losses = []
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        while True:
            try:
                losses.append(round(float(s.run([loss, train])[0]), 5))
            except tf.errors.OutOfRangeError:
                break
        wv = s.run(w)
    return {"losses": losses, "w": _v(wv)}


def scenario_dataset_errors(tf):
    def err(fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001
            return type(e).__name__
        return None
    return {
        "slices_mismatch": err(lambda: tf.data.Dataset.from_tensor_slices(
            (np.zeros(3), np.zeros(4)))),
        "slices_scalar": err(lambda: tf.data.Dataset.from_tensor_slices(np.float32(1.0))),
        "range_args": err(lambda: tf.data.Dataset.range()),
        "filter_not_bool": err(lambda: tf.data.Dataset.range(3).filter(lambda x: x)),
        "no_initializer": err(lambda: tf.data.make_one_shot_iterator(
            tf.data.Dataset.range(3)).initializer),
        "reinit_types": err(lambda: tf.data.Iterator.from_structure(tf.float32).make_initializer(
            tf.data.Dataset.range(3))),
    }


def all_scenarios():
    out = {name: _one_shot(build) for name, build in _PIPES.items()}
    out.update({k[len("scenario_"):]: v for k, v in globals().items()
                if k.startswith("scenario_") and callable(v)})
    return out
