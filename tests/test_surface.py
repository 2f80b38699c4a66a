"""The small TF1 surface (the 'surface' golden set covers TF's observations): the numerical
kernels against closed forms and identities, the edges of the bitwise shifts, the sets against
Python's sets, and the pieces the goldens do not reach (errors naming what varstore lacks,
uninitialised counters, table initialisers, the constant folding that static shapes use)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import varstore as tf
from varstore import errors


def _run(*fetches, feed=None):
    with tf.Session() as s:
        return s.run(list(fetches), feed)


# -- special functions ------------------------------------------------------------------------
def test_igamma_closed_forms_and_complement() -> None:
    x = np.array([0.01, 0.3, 1.0, 2.5, 7.0, 30.0])
    p1, ph, q3, p3 = _run(tf.math.igamma(tf.constant(np.ones(6)), x),
                          tf.math.igamma(tf.constant(np.full(6, 0.5)), x),
                          tf.math.igammac(tf.constant(np.full(6, 3.0)), x),
                          tf.math.igamma(tf.constant(np.full(6, 3.0)), x))
    np.testing.assert_allclose(p1, 1 - np.exp(-x), rtol=1e-13)
    np.testing.assert_allclose(ph, [math.erf(math.sqrt(v)) for v in x], rtol=1e-13)
    np.testing.assert_allclose(p3 + q3, np.ones(6), rtol=1e-14)
    # Q(3, x) = exp(-x) (1 + x + x^2 / 2)
    np.testing.assert_allclose(q3, np.exp(-x) * (1 + x + x * x / 2), rtol=1e-12)


def test_igamma_gradient_in_a_matches_finite_differences() -> None:
    a = tf.constant([0.5, 2.0, 7.0], tf.float64)
    x = tf.constant([0.8, 3.0, 5.0], tf.float64)
    (da,) = _run(tf.gradients(tf.reduce_sum(tf.math.igamma(a, x)), a)[0])
    h = 1e-6
    hi, lo = _run(tf.math.igamma(a + h, x), tf.math.igamma(a - h, x))
    np.testing.assert_allclose(da, (hi - lo) / (2 * h), rtol=1e-6)
    # TF registers no gradient for IgammaGradA: a second derivative in a is a LookupError
    g = tf.gradients(tf.reduce_sum(tf.math.igamma(a, x)), a)[0]
    with pytest.raises(LookupError, match="IgammaGradA"):
        tf.gradients(g, a)


def test_zeta_and_betainc_identities() -> None:
    z2, z4, zq = _run(tf.math.zeta(tf.constant(2.0, tf.float64), 1.0),
                      tf.math.zeta(tf.constant(4.0, tf.float64), 1.0),
                      tf.math.zeta(tf.constant(3.0, tf.float64), 2.0))
    assert z2 == pytest.approx(math.pi ** 2 / 6, rel=1e-14)
    assert z4 == pytest.approx(math.pi ** 4 / 90, rel=1e-14)
    assert zq == pytest.approx(1.2020569031595942 - 1.0, rel=1e-13)  # zeta(3) - 1
    x = np.array([0.05, 0.3, 0.5, 0.77, 0.999])
    one, sq, ab, ba = _run(tf.math.betainc(tf.constant(1.0, tf.float64), 1.0, x),
                           tf.math.betainc(tf.constant(2.0, tf.float64), 1.0, x),
                           tf.math.betainc(tf.constant(2.5, tf.float64), 7.0, x),
                           tf.math.betainc(tf.constant(7.0, tf.float64), 2.5, 1 - x))
    np.testing.assert_allclose(one, x, rtol=1e-14)
    np.testing.assert_allclose(sq, x * x, rtol=1e-13)
    np.testing.assert_allclose(ab + ba, np.ones(5), rtol=1e-13)


def test_bessel_matches_numpy_i0_and_is_continuous_at_the_switch() -> None:
    x = np.array([-30.0, -2.5, 0.0, 0.3, 5.0, 40.0, 99.0])
    i0, i0e, i1, i1e = _run(tf.math.bessel_i0(tf.constant(x)), tf.math.bessel_i0e(x),
                            tf.math.bessel_i1(tf.constant(x)), tf.math.bessel_i1e(x))
    np.testing.assert_allclose(i0, np.i0(x), rtol=1e-13)
    np.testing.assert_allclose(i0e, np.i0(x) * np.exp(-np.abs(x)), rtol=1e-13)
    np.testing.assert_allclose(i1e * np.exp(np.abs(x)), i1, rtol=1e-13)
    assert i1[0] < 0 and i1[1] < 0 and i1[2] == 0  # odd
    edge = tf.constant([100.0 - 1e-9, 100.0 + 1e-9], tf.float64)
    e0, e1 = _run(tf.math.bessel_i0e(edge), tf.math.bessel_i1e(edge))
    assert e0[0] == pytest.approx(e0[1], rel=1e-12)
    assert e1[0] == pytest.approx(e1[1], rel=1e-12)
    big, inf = _run(tf.math.bessel_i0e(tf.constant([1e6, 1e30])),
                    tf.math.bessel_i0(tf.constant([800.0], tf.float64)))
    np.testing.assert_allclose(big, 1 / np.sqrt(2 * np.pi * np.array([1e6, 1e30])), rtol=1e-6)
    assert np.isinf(inf).all()


# -- bitwise --------------------------------------------------------------------------------------
def test_shifts_clamp_to_the_width_for_64_bits() -> None:
    x = tf.constant([1, -1, 1 << 40], tf.int64)
    left, right = _run(tf.bitwise.left_shift(x, tf.constant([63, 64, -5], tf.int64)),
                       tf.bitwise.right_shift(x, tf.constant([100, 63, 40], tf.int64)))
    assert left.tolist() == [-(1 << 63), -(1 << 63), 1 << 40]
    assert right.tolist() == [0, -1, 1]
    (u,) = _run(tf.bitwise.left_shift(tf.constant([1], tf.uint64),
                                      tf.constant([64], tf.uint64)))
    assert u.tolist() == [1 << 63]


def test_integer_operators_on_variables_and_reflected_operands() -> None:
    v = tf.Variable(np.array([6, 3], np.int32))
    ops = [v & 5, 5 | v, v ^ 1, ~v]
    assert [o.op.type for o in ops] == ["BitwiseAnd", "BitwiseOr", "BitwiseXor", "Invert"]
    with tf.Session() as s:
        s.run(v.initializer)
        assert [x.tolist() for x in s.run(ops)] == [[4, 1], [7, 7], [7, 2], [-7, -4]]
    with pytest.raises(TypeError, match="not in list of allowed values"):
        ~tf.constant([1.5])


# -- sets -----------------------------------------------------------------------------------------
def test_set_operations_agree_with_python_sets() -> None:
    rng = np.random.default_rng(3)
    a = rng.integers(0, 6, (3, 2, 5))
    b = rng.integers(0, 6, (3, 2, 4))
    results = _run(tf.sets.intersection(a, b), tf.sets.union(a, b),
                   tf.sets.difference(a, b), tf.sets.difference(a, b, aminusb=False))
    ops = [set.__and__, set.__or__, set.__sub__, lambda p, q: q - p]
    for res, op in zip(results, ops):
        rows: dict[tuple[int, ...], list[int]] = {}
        for idx, val in zip(res.indices.tolist(), res.values.tolist()):
            rows.setdefault(tuple(idx[:-1]), []).append(val)
        for i in range(3):
            for j in range(2):
                want = sorted(op(set(a[i, j].tolist()), set(b[i, j].tolist())))
                assert rows.get((i, j), []) == want
        width = max((len(r) for r in rows.values()), default=0)
        assert res.dense_shape.tolist() == [3, 2, width]


def test_sparse_sets_skip_missing_rows_and_validate_indices() -> None:
    sp = tf.SparseTensor([[0, 0], [0, 1], [2, 0]], tf.constant([4, 4, 1], tf.int64), [3, 2])
    dense = tf.constant([[4, 5], [6, 6], [7, 1]], tf.int64)
    size, inter, sparse_union = _run(tf.sets.size(sp), tf.sets.intersection(dense, sp),
                                     tf.sets.union(sp, sp))
    assert size.tolist() == [1, 0, 1]
    assert inter.indices.tolist() == [[0, 0], [2, 0]] and inter.values.tolist() == [4, 1]
    assert sparse_union.indices.tolist() == [[0, 0], [2, 0]]
    bad = tf.SparseTensor([[0, 5]], tf.constant([1], tf.int64), [1, 2])
    with tf.Session() as s, pytest.raises(errors.InvalidArgumentError, match="out of bounds"):
        s.run(tf.sets.size(bad))
    from varstore.ops.sets_ops import _set_operation

    with pytest.raises(ValueError, match="Sparse,Dense is not supported"):
        _set_operation(sp, dense, "union", True)


# -- metrics, tables, counters ------------------------------------------------------------------
def test_top_k_metrics_take_sparse_labels() -> None:
    # TF 2.21 gives 1.0 and names the update op precision_at_1/update
    labels = tf.SparseTensor([[0, 0]], tf.constant([1], tf.int64), [1, 1])
    _, update = tf.metrics.precision_at_k(labels, tf.constant([[0.2, 0.8]]), 1)
    assert update.name == "precision_at_1/update:0"
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(update) == 1.0


def test_tables_initializer_groups_the_table_initializers() -> None:
    marker = tf.no_op(name="table_init")
    tf.add_to_collection(tf.GraphKeys.TABLE_INITIALIZERS, marker)
    init = tf.tables_initializer()
    assert init.type == "NoOp" and init.name == "init_all_tables"
    assert [c.name for c in init.control_inputs] == ["table_init"]


def test_count_up_to_needs_an_initialised_variable() -> None:
    v = tf.Variable(0, name="c")
    c = tf.count_up_to(v, 3)
    with tf.Session() as s, pytest.raises(errors.FailedPreconditionError):
        s.run(c)
    # TF 2.21 reads ref.handle: a tensor has none
    with pytest.raises(AttributeError, match="object has no attribute 'handle'"):
        tf.count_up_to(tf.constant(1), 2)


# -- folding, shapes, small APIs -----------------------------------------------------------------
def test_static_shapes_from_folded_shape_arithmetic() -> None:
    p = tf.placeholder(tf.float32, [None, 4])
    x = tf.placeholder(tf.float32)
    s = tf.shape(p)
    assert tf.reshape(x, tf.concat([[s[1] // 2], [tf.reduce_sum(tf.range(3))]], 0)
                      ).shape.as_list() == [2, 3]
    assert tf.reshape(x, [s[0]]).shape.as_list() == [None]
    assert tf.zeros(tf.constant([2, 2])).op.type == "Fill"
    assert tf.zeros([2, 2]).op.type == "Const"


def test_tile_gradient_with_dynamic_multiples() -> None:
    p = tf.placeholder(tf.float32, [None, 2])
    m = tf.placeholder(tf.int32, [2])
    g = tf.gradients(tf.reduce_sum(tf.tile(p, m) * 3.0), p)[0]
    assert g.shape.as_list() == [None, 2]
    (gv,) = _run(g, feed={p: np.ones((2, 2), np.float32), m: [2, 3]})
    assert gv.tolist() == [[18.0, 18.0], [18.0, 18.0]]


def test_get_static_value_partial_pack_and_unknowns() -> None:
    p = tf.placeholder(tf.int32, [None])
    packed = tf.stack([tf.size(p), 4])
    assert tf.get_static_value(packed) is None
    part = tf.get_static_value(packed, partial=True)
    assert part[0] is None and int(part[1]) == 4
    assert tf.get_static_value(tf.unstack(tf.constant([[1, 2], [3, 4]]))[1]).tolist() == [3, 4]
    assert tf.get_static_value(tf.split(tf.constant([1, 2, 3, 4]), 2)[1]).tolist() == [3, 4]


def test_top_k_is_a_namedtuple_and_dtypes_exports_the_casts() -> None:
    r = tf.math.top_k(tf.constant([[1.0, 3.0, 2.0]]), 2)
    assert r.indices is r[1] and r.values is r[0]
    assert tf.dtypes.cast is tf.cast and tf.dtypes.saturate_cast is tf.saturate_cast
    assert tf.dtypes.complex is tf.complex and tf.dtypes.as_string is tf.as_string
    with pytest.raises(AttributeError, match=r"varstore lacks tf\.dtypes\.bfloat16"):
        _ = tf.dtypes.bfloat16


def test_as_string_pads_nan_with_blanks_and_formats_complex_parts() -> None:
    (out, c) = _run(tf.as_string(tf.constant([np.nan, -np.inf, 2.5]), width=7, fill="0",
                                 precision=1),
                    tf.as_string(tf.constant([np.complex128(np.nan + 1j)]), width=5, fill="0"))
    assert out.tolist() == [b"    nan", b"   -inf", b"00002.5"]
    assert c.tolist() == [b"(  nan,1.000000)"]


def test_complex_gradients_flow_through_mul_and_reciprocal() -> None:
    x = tf.constant([1.0, -2.0], tf.float64)
    y = tf.constant([0.5, 3.0], tf.float64)
    z = tf.math.reciprocal(tf.complex(x, y))
    loss = tf.reduce_sum(tf.real(z) + 2.0 * tf.imag(z))
    gx, gy = _run(*tf.gradients(loss, [x, y]))
    h = 1e-7
    num_x = [(_f(x0 + h, y0) - _f(x0 - h, y0)) / (2 * h) for x0, y0 in zip([1.0, -2.0],
                                                                           [0.5, 3.0])]
    num_y = [(_f(x0, y0 + h) - _f(x0, y0 - h)) / (2 * h) for x0, y0 in zip([1.0, -2.0],
                                                                           [0.5, 3.0])]
    np.testing.assert_allclose(gx, num_x, rtol=1e-6)
    np.testing.assert_allclose(gy, num_y, rtol=1e-6)


def _f(a: float, b: float) -> float:
    z = 1 / complex(a, b)
    return z.real + 2 * z.imag


@pytest.mark.parametrize("path", ["", "nn", "math", "train", "layers", "raw_ops", "keras",
                                  "keras.layers", "data", "image", "summary", "sparse"])
def test_namespaces_have_no_future_import_name(path: str) -> None:
    # ``from __future__ import annotations`` binds ``annotations`` in a module; TF's
    # namespaces have no such symbol, so it must be the "varstore lacks" AttributeError
    module = tf
    for part in filter(None, path.split(".")):
        module = getattr(module, part)
    with pytest.raises(AttributeError, match="varstore lacks"):
        _ = module.annotations
