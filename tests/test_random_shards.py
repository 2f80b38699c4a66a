"""The random kernels whose values depend on TF's work sharding (Multinomial,
StatelessMultinomial, StatelessParameterizedTruncatedNormal): TF restarts their Philox stream
at every shard, which Eigen places from the output size, a cost per unit and the intra-op
thread count. The md5s of the outputs are TF 2.21's, recorded with the process's first
session at ``intra_op_parallelism_threads`` = 1, 2, 3 (TF's pool is sized once per process;
varstore's kernel threads follow each session's config)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import numpy as np
import pytest

import varstore as tf
from varstore import kernels
from varstore.ops.work_sharder import shards

EXPECTED = {
    1: {"float32_1500": "fccfd9cdc4edc24604b21814df0dc43f",
        "float16_2500": "14e40238a4c8f4b075f9e355f4bbc268",
        "float64_4100": "c39400a26d3abafdc297fb2bc9f3a99c",
        "float32_b": "190ccbe7c163cb5536b6e01dccb82459",
        "m300_7_3": "e2ba4f8106f5de10dee46b1e8c48f229",
        "sm50_60_33": "948d41972037ce574cb7b65ea7a2a4c7"},
    2: {"float32_1500": "df8ce824af1772836440276f99a33252",
        "float16_2500": "63b0febd9547b66aaae442fb2424256b",
        "float64_4100": "559552383c6c5826e03c7c1297922b09",
        "float32_b": "719f3cfa3e846f6be54db171aa59b919",
        "m300_7_3": "0bc318625fefd9c8f2a9e4de08493a64",
        "sm50_60_33": "1f09a50f4b8f690cb67dc310eb7bed00"},
    3: {"float32_1500": "20e27440704217fd874e172f04ca4cf3",
        "float16_2500": "29c92b93f13b3a81b049dcf3250b5155",
        "float64_4100": "280e1273104cf0bd6f775f0dc3561347",
        "float32_b": "f33230792299968fc3ef428a7bfa1f1e",
        "m300_7_3": "0bc318625fefd9c8f2a9e4de08493a64",
        "sm50_60_33": "e67f763012233815a95824c58079e634"},
}


@pytest.fixture
def restore_threads() -> Iterator[None]:
    before = kernels.get_num_threads()
    try:
        yield
    finally:
        kernels.set_num_threads(before)


def _cases() -> dict[str, tf.Tensor]:
    ptn = tf.random.stateless_parameterized_truncated_normal

    def scalar_bounds(n: int, dt: tf.DType) -> tf.Tensor:
        return ptn([n], [1, 2], means=tf.constant(0.0, dt), stddevs=tf.constant(1.0, dt),
                   minvals=tf.constant(-0.5, dt), maxvals=tf.constant(0.5, dt))

    return {
        "float32_1500": scalar_bounds(1500, tf.float32),
        "float16_2500": scalar_bounds(2500, tf.float16),
        "float64_4100": scalar_bounds(4100, tf.float64),
        "float32_b": ptn([700, 3], [3, 2], means=[0.0, 0.0, 1.0], stddevs=[1.0, 0.5, 2.0],
                         minvals=[-5.0, 0.8, -1.0], maxvals=[5.0, 1.0, 10.0]),
        "m300_7_3": tf.random.stateless_categorical(tf.zeros([300, 3]), 7, seed=[1, 2]),
        "sm50_60_33": tf.random.categorical(tf.zeros([50, 33]), 60, seed=7),
    }


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_sharded_draws_match_tf(threads: int, restore_threads: None) -> None:
    tf.reset_default_graph()
    cases = _cases()
    config = tf.ConfigProto(intra_op_parallelism_threads=threads)
    with tf.Session(config=config) as sess:
        vals = sess.run(cases)
    got = {k: hashlib.md5(np.ascontiguousarray(v).tobytes()).hexdigest()
           for k, v in vals.items()}
    assert got == EXPECTED[threads]


def test_shards_follow_eigen_blocks() -> None:
    # small totals stay in the caller; larger ones split into blocks Eigen sizes from the
    # cost (one 40000-cycle task at least) and coarsens while the threads stay evenly busy
    assert shards(1000, 187, 2) == [(0, 1000)]
    assert shards(3000, 187, 2) == [(i * 375, i * 375 + 375) for i in range(8)]
    assert shards(3000, 187, 4) == [(i * 250, i * 250 + 250) for i in range(12)]
    assert shards(256, 1200, 2)[:2] == [(0, 33), (33, 66)]
    assert shards(5, 10 ** 6, 1) == [(0, 5)]
    assert shards(0, 10, 2) == []
