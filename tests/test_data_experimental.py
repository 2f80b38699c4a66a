"""tf.data's fuller surface beyond the golden set: TF's element orders against direct
simulations of its kernels, structure and argument checks, session-independence of
seeded pipelines, Options, Optional, decode_csv and CSV datasets."""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pytest

import varstore as tf
from varstore.ops.random_philox import PhiloxStream, SimplePhilox

D = tf.data.Dataset
E = tf.data.experimental


@pytest.fixture(autouse=True)
def _fresh_graph() -> None:
    tf.reset_default_graph()


def _drain(ds: Any, limit: int = 200) -> list[Any]:
    x = tf.data.make_one_shot_iterator(ds).get_next()
    out = []
    with tf.Session() as s:
        for _ in range(limit):
            try:
                out.append(s.run(x))
            except tf.errors.OutOfRangeError:
                return out
    raise AssertionError("dataset did not end")


def _words(seed: int, seed2: int) -> SimplePhilox:
    stream = PhiloxStream(seed, seed2)
    return SimplePhilox(stream, stream._counter)


def _tf_shuffle(n: int, size: int, seed: int, seed2: int, epochs: int) -> list[int]:
    """TF's ShuffleDataset written out: per-epoch seeds from a generator of (seed, seed2),
    a random offset into the buffer, the oldest element moved into the hole."""
    gen = _words(seed, seed2)
    out: list[int] = []
    for _ in range(epochs):
        rng = _words(gen.rand32(), gen.rand32())
        buf: list[int] = [0] * size
        start = end = 0
        it = iter(range(n))
        done = False
        while True:
            while not done and end - start < size:
                v = next(it, None)
                if v is None:
                    done = True
                    break
                buf[end % size] = v
                end += 1
            if start == end:
                break
            i = (start + rng.rand32() % (end - start)) % size
            out.append(buf[i])
            buf[i] = buf[start % size]
            start += 1
    return out


@pytest.mark.parametrize(("n", "size", "seed"), [(10, 4, 1), (25, 7, 3), (5, 100, 9)])
def test_seeded_shuffle_is_tfs_order(n: int, size: int, seed: int) -> None:
    got = [int(v) for v in _drain(D.range(n).shuffle(size, seed=seed).repeat(3))]
    # an op seed alone: graph seed DEFAULT_GRAPH_SEED, seed2 the op seed
    assert got == _tf_shuffle(n, size, 87654321, seed, 3)


def test_seeded_pipelines_repeat_across_sessions() -> None:
    ds = D.sample_from_datasets([D.range(20), D.range(100, 120)], seed=2).take(15)
    assert [int(v) for v in _drain(ds)] == [int(v) for v in _drain(ds)]


def test_unseeded_shuffle_is_a_permutation() -> None:
    got = sorted(int(v) for v in _drain(D.range(30).shuffle(30)))
    assert got == list(range(30))


def test_interleave_block_and_cycle() -> None:
    ds = D.range(3).interleave(lambda x: D.from_tensors(x).repeat(4), cycle_length=2,
                               block_length=3)
    assert [int(v) for v in _drain(ds)] == [0, 0, 0, 1, 1, 1, 0, 1, 2, 2, 2, 2]


def test_interleave_needs_a_dataset() -> None:
    with pytest.raises(TypeError, match="must return a `Dataset`"):
        D.range(3).interleave(lambda x: x)
    with pytest.raises(TypeError, match="must return a `Dataset`"):
        D.range(3).flat_map(lambda x: x)


def test_functions_capture_outer_tensors() -> None:
    c = tf.constant(3, tf.int64)
    p = tf.placeholder(tf.int64, [])
    ds = D.range(3).flat_map(lambda x: D.range(x).map(lambda y: y * p + c))
    assert ds._variant_tensor.op.inputs[1].op.type == "Placeholder"
    it = tf.data.make_initializable_iterator(ds)
    x = it.get_next()
    with tf.Session() as s:
        s.run(it.initializer, {p: 10})
        assert [int(s.run(x)) for _ in range(3)] == [3, 3, 13]
    v = tf.Variable(1, dtype=tf.int64)
    with pytest.raises(ValueError, match="cannot capture"):
        D.range(3).map(lambda x: x + v)


def test_scan_relaxes_state_shape() -> None:
    ds = D.range(3).scan(np.zeros([0], np.int64),
                         lambda s, x: (tf.concat([s, [x]], 0), tf.size(s)))
    assert [int(v) for v in _drain(ds)] == [0, 1, 2]


def test_scan_state_dtype_must_match() -> None:
    with pytest.raises(TypeError, match="new state must match"):
        D.range(3).scan(np.int32(0), lambda s, x: (x, x))


def test_reduce_and_single_element_are_tensors_of_the_graph() -> None:
    r = D.range(5).reduce(np.int64(0), lambda a, b: a + b)
    single = D.from_tensors({"a": 1, "b": [2.0]}).get_single_element()
    assert r.op.type == "ReduceDataset" and r.graph is tf.get_default_graph()
    with tf.Session() as s:
        assert int(s.run(r)) == 10
        got = s.run(single)
    assert int(got["a"]) == 1 and got["b"].tolist() == [2.0]


def test_group_by_window_flushes_smallest_key_first() -> None:
    ds = D.from_tensor_slices(np.array([5, 1, 5, 3, 1], np.int64)).group_by_window(
        lambda x: x, lambda k, d: d.batch(10), 5)
    assert [v.tolist() for v in _drain(ds)] == [[1, 1], [3], [5, 5]]


def test_cardinality_constants() -> None:
    ds = D.range(7)
    with tf.Session() as s:
        got = s.run([E.cardinality(ds), E.cardinality(ds.repeat()), E.cardinality(
            ds.map(lambda x: x)), E.cardinality(ds.batch(3)), E.cardinality(ds.take(2))])
    assert got == [7, tf.data.INFINITE_CARDINALITY, tf.data.UNKNOWN_CARDINALITY, 3, 2]


def test_options_are_read_only_and_merge() -> None:
    o = tf.data.Options()
    o.deterministic = False
    ds = D.range(2).with_options(o)
    o2 = tf.data.Options()
    o2.experimental_optimization.map_fusion = True
    got = ds.with_options(o2).options()
    assert got.deterministic is False and got.experimental_optimization.map_fusion is True
    with pytest.raises(ValueError, match="has no effect"):
        got.deterministic = True
    with pytest.raises(TypeError, match="must be of type"):
        o.threading.private_threadpool_size = "2"
    with pytest.raises(TypeError, match=r"tf\.data\.Options"):
        D.range(2).with_options({"deterministic": True})


def test_optional_from_iterator_method() -> None:
    it = tf.data.make_initializable_iterator(D.range(1))
    opt = it.get_next_as_optional()
    has, value = opt.has_value(), opt.get_value()
    with tf.Session() as s:
        with pytest.raises(tf.errors.FailedPreconditionError):
            s.run(has)
        s.run(it.initializer)
        assert s.run([has, value]) == [True, 0]
        assert not s.run(has)


def test_ignore_errors_skips_failed_map_elements() -> None:
    ds = D.from_tensor_slices(np.array([1.0, 0.0, 2.0, 0.0, 4.0], np.float32)).map(
        lambda x: tf.check_numerics(1.0 / x, "inf")).ignore_errors()
    assert [float(v) for v in _drain(ds)] == [1.0, 0.5, 0.25]


def test_map_and_batch_argument_check() -> None:
    with pytest.raises(ValueError, match="only one of"):
        E.map_and_batch(lambda x: x, 2, num_parallel_batches=1, num_parallel_calls=2)


def test_sample_from_datasets_checks() -> None:
    with pytest.raises(ValueError, match="should not be empty"):
        D.sample_from_datasets([])
    with pytest.raises(TypeError, match="float32"):
        D.sample_from_datasets([D.range(2), D.range(2)], weights=[1, 2])
    only = D.range(3)
    assert D.sample_from_datasets([only, D.range(5)], weights=[1.0, 0.0]) is only


def test_choose_from_datasets_index_out_of_range() -> None:
    ds = D.choose_from_datasets([D.range(2)], D.from_tensor_slices(np.array([0, 3],
                                                                          np.int64)))
    x = tf.data.make_one_shot_iterator(ds).get_next()
    with tf.Session() as s:
        assert int(s.run(x)) == 0
        with pytest.raises(tf.errors.InvalidArgumentError, match="Selector index"):
            s.run(x)


def test_decode_csv_graph_and_errors() -> None:
    recs = tf.placeholder(tf.string, [None])
    a, b = tf.io.decode_csv(recs, [[0], tf.constant([], tf.string)])
    assert a.op.type == "DecodeCSV" and a.op.inputs[1].op.name == "DecodeCSV/record_defaults_0"
    assert a.shape.as_list() == [None]
    with tf.Session() as s:
        assert s.run(b, {recs: ['1,"x,y"']}).tolist() == [b"x,y"]
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Field 1 is required but missing in record 1!"):
            s.run(a, {recs: ["1,a", "2,"]})
    with pytest.raises(TypeError, match="bool not in list"):
        tf.decode_csv(["1"], [[True]])


def test_csv_dataset_gzip_and_na(tmp_path: Any) -> None:
    import gzip
    path = os.path.join(tmp_path, "a.csv.gz")
    with gzip.open(path, "wb") as f:
        f.write(b"h1,h2\n1,NA\n2,3.5\n")
    ds = E.CsvDataset(path, [[0], [-1.0]], compression_type="GZIP", header=True,
                      na_value="NA")
    assert [(int(x), float(y)) for x, y in _drain(ds)] == [(1, -1.0), (2, 3.5)]


def test_make_csv_dataset_infers_columns(tmp_path: Any) -> None:
    path = os.path.join(tmp_path, "t.csv")
    with open(path, "w") as f:
        f.write("n,big,x,s\n1,5000000000,0.5,a\n2,1,1,b\n")
    ds = E.make_csv_dataset(path, 2, shuffle=False, num_epochs=1, label_name="s")
    feats, label = tf.data.get_output_types(ds)
    assert [feats[k] for k in ("n", "big", "x")] == [tf.int32, tf.int64, tf.float32]
    assert label == tf.string
    (got,) = _drain(ds)
    assert got[0]["big"].tolist() == [5000000000, 1] and got[1].tolist() == [b"a", b"b"]


def test_experimental_namespace_names_what_it_lacks() -> None:
    with pytest.raises(AttributeError, match=r"lacks tf\.data\.experimental\.SqlDataset"):
        E.SqlDataset  # noqa: B018
    with pytest.raises(AttributeError, match=r"lacks tf\.data\.Dataset\.snapshot"):
        D.range(3).snapshot("/tmp/x")


def test_window_streams_and_is_not_iterable_itself() -> None:
    ds = D.range(10**9).window(3, 2).flat_map(lambda w: w.batch(3))
    x = tf.data.make_one_shot_iterator(ds).get_next()
    with tf.Session() as s:
        assert [s.run(x).tolist() for _ in range(2)] == [[0, 1, 2], [2, 3, 4]]
    with pytest.raises(TypeError, match="dataset of datasets"):
        tf.data.make_one_shot_iterator(D.range(3).window(2))


def test_legacy_function_aliases_and_eager_only_methods() -> None:
    ds = D.range(4).map_with_legacy_function(lambda x: x * 2).filter_with_legacy_function(
        lambda x: x > 2)
    assert [int(v) for v in _drain(ds)] == [4, 6]
    batched = D.range(3).apply(E.map_and_batch_with_legacy_function(lambda x: -x, 2))
    assert [v.tolist() for v in _drain(batched)] == [[0, -1], [-2]]
    with pytest.raises(RuntimeError, match="only supported in eager mode"):
        D.range(2).as_numpy_iterator()
    assert E.SHARD_HINT == -1


def test_tfrecord_writer_round_trip(tmp_path: Any) -> None:
    path = os.path.join(tmp_path, "out.tfrecord")
    op = E.TFRecordWriter(path).write(D.from_tensor_slices([b"a", b"bc"]))
    assert op.type == "DatasetToTFRecord"
    with tf.Session() as s:
        s.run(op)
    assert list(tf.io.tf_record_iterator(path)) == [b"a", b"bc"]
    with pytest.raises(TypeError, match="scalar"):
        E.TFRecordWriter(path).write(D.range(2))
