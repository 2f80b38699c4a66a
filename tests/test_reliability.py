"""Reliability of the runtime (issue 14): scope state after misuse, threads, feeds and failed
runs. Expected behaviour is what TF 2.21 ``tf.compat.v1`` graph mode does (checked with
``disable_eager_execution()``)."""

from __future__ import annotations

import threading
from typing import Any, Callable

import numpy as np
import pytest

import varstore as tf

_IMPROPER = "Improper nesting of variable_scope."
_NESTED = ("Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared "
           "graph, exit the nesting and create a new graph.")


def _where() -> tuple[str, str]:
    return tf.get_variable_scope().name, tf.get_default_graph().get_name_scope()


def _next_scope() -> tuple[str, str]:
    with tf.variable_scope("c"):
        return tf.get_variable("w", [1]).name, tf.constant(1.0).name


# -- scope state survives misuse --------------------------------------------------------------
@pytest.mark.parametrize("form", ["name", "default_name"])
def test_variable_scope_exited_out_of_order_raises_and_can_be_exited_later(form: str) -> None:
    def make(name: str) -> Any:
        return (tf.variable_scope(name) if form == "name"
                else tf.variable_scope(None, default_name=name))

    a, b = make("a"), make("b")
    a.__enter__()
    b.__enter__()
    assert _where() == ("a/b", "a/b")
    # TF: the variable-scope part raises and keeps its state; the name scope is exited anyway
    for _ in range(2):
        with pytest.raises(RuntimeError, match=f"^{_IMPROPER}$"):
            a.__exit__(None, None, None)
        assert _where() == ("a/b", "")
    # still nested: the inner scope is open
    assert _next_scope() == ("a/b/c/w:0", "c/Const:0")
    with pytest.raises(AssertionError, match=r"^Do not use tf\.reset_default_graph"):
        tf.reset_default_graph()
    b.__exit__(None, None, None)
    assert _where() == ("a", "a")
    # a's graph context is already exited, so the graph is no longer nested (as in TF)
    tf.reset_default_graph()
    assert _where() == ("", "")
    assert _next_scope() == ("c/w:0", "c/Const:0")


def test_variable_scope_exited_late_restores_the_root_scope() -> None:
    a, b = tf.variable_scope("a"), tf.variable_scope("b")
    a.__enter__()
    b.__enter__()
    with pytest.raises(RuntimeError, match=f"^{_IMPROPER}$"):
        a.__exit__(None, None, None)
    b.__exit__(None, None, None)
    a.__exit__(None, None, None)  # now properly nested: TF accepts it
    # TF leaves the name scope b restored ('a'), as here
    assert _where() == ("", "a")
    tf.reset_default_graph()
    assert _where() == ("", "")
    assert _next_scope() == ("c/w:0", "c/Const:0")


def test_variable_scope_exited_twice_raises_the_second_time() -> None:
    a, b = tf.variable_scope("a"), tf.variable_scope("b")
    a.__enter__()
    b.__enter__()
    b.__exit__(None, None, None)
    with pytest.raises(RuntimeError, match=f"^{_IMPROPER}$"):
        b.__exit__(None, None, None)
    assert _where() == ("a", "a")
    a.__exit__(None, None, None)
    assert _where() == ("", "")
    tf.reset_default_graph()
    assert _next_scope() == ("c/w:0", "c/Const:0")


def test_mixed_variable_and_name_scopes_exited_out_of_order() -> None:
    v, n = tf.variable_scope("v"), tf.name_scope("n")
    v.__enter__()
    n.__enter__()
    v.__exit__(None, None, None)  # the variable scope is current: TF accepts it
    assert _where() == ("", "")
    n.__exit__(None, None, None)
    assert _where() == ("", "v")
    with pytest.raises(RuntimeError, match=f"^{_IMPROPER}$"):
        v.__exit__(None, None, None)
    tf.reset_default_graph()
    assert _where() == ("", "")
    assert _next_scope() == ("c/w:0", "c/Const:0")


def test_name_scopes_exited_out_of_order_restore_what_each_saw() -> None:
    n1, n2 = tf.name_scope("n1"), tf.name_scope("n2")
    n1.__enter__()
    n2.__enter__()
    n1.__exit__(None, None, None)
    assert _where() == ("", "")
    n2.__exit__(None, None, None)
    assert _where() == ("", "n1")
    assert tf.constant(1.0).name == "n1/Const:0"
    tf.reset_default_graph()
    assert _next_scope() == ("c/w:0", "c/Const:0")


def test_reset_inside_a_variable_scope_raises_and_the_scope_stays_usable() -> None:
    q = tf.variable_scope("q")
    q.__enter__()
    with pytest.raises(AssertionError, match=r"^Do not use tf\.reset_default_graph"):
        tf.reset_default_graph()
    assert _where() == ("q", "q")
    q.__exit__(None, None, None)
    tf.reset_default_graph()
    assert _next_scope() == ("c/w:0", "c/Const:0")


def test_graph_as_default_exited_out_of_order_raises_and_keeps_the_stack() -> None:
    g1, g2 = tf.Graph(), tf.Graph()
    c1, c2 = g1.as_default(), g2.as_default()
    c1.__enter__()
    c2.__enter__()
    with pytest.raises(AssertionError, match=r"^Nesting violated for default stack of "):
        c1.__exit__(None, None, None)
    assert tf.get_default_graph() is g2
    c2.__exit__(None, None, None)
    assert tf.get_default_graph() is g1  # TF leaves g1 on the stack
    with pytest.raises(AssertionError, match=r"^Do not use tf\.reset_default_graph"):
        tf.reset_default_graph()
    assert _next_scope() == ("c/w:0", "c/Const:0")
    # cleanup for the next tests: the stack is this thread's
    from varstore.framework import graph as _graph

    _graph._default_stack().clear()


def test_exception_inside_scopes_leaves_the_root_scope() -> None:
    with pytest.raises(KeyError), tf.variable_scope("x"), tf.name_scope("y"):
        raise KeyError("boom")
    assert _where() == ("", "")
    tf.reset_default_graph()
    assert _next_scope() == ("c/w:0", "c/Const:0")


# -- threads ------------------------------------------------------------------------------------
def _run_threads(target: Callable[[int], Any], n: int, timeout: float = 10.0) -> list[Any]:
    results: list[Any] = [None] * n
    errors: list[BaseException] = []
    barrier = threading.Barrier(n)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = target(i)
        except BaseException as exc:  # noqa: BLE001 # pragma: no cover - only on failure
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
        assert not t.is_alive(), "a worker did not finish in time"
    if errors:
        raise errors[0]
    return results


def test_new_thread_has_its_own_default_graph() -> None:
    main = tf.get_default_graph()
    seen = _run_threads(lambda i: tf.get_default_graph(), 2)
    assert seen[0] is not main and seen[1] is not main and seen[0] is not seen[1]
    assert tf.get_default_graph() is main


def test_one_session_run_from_8_threads_with_own_feeds() -> None:
    x = tf.placeholder(tf.float32, [None, 4])
    w = tf.get_variable("w", [4, 3], initializer=tf.ones_initializer())
    y = tf.nn.relu(tf.matmul(x, w) - 1.0)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())

    def work(i: int) -> int:
        rng = np.random.default_rng(i)
        for _ in range(200):
            feed = rng.standard_normal((int(rng.integers(1, 6)), 4)).astype(np.float32)
            got = sess.run(y, {x: feed})
            want = np.maximum(feed.sum(1, keepdims=True).repeat(3, 1) - 1.0, 0)
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
        return 200

    assert sum(_run_threads(work, 8)) == 1600


def test_concurrent_assign_add_loses_no_update() -> None:
    v = tf.get_variable("counter", [3], initializer=tf.zeros_initializer())
    inc = v.assign_add(np.ones(3, np.float32))
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    n_threads, n = 8, 300

    def work(i: int) -> None:
        for _ in range(n):
            sess.run(inc.op)

    _run_threads(work, n_threads)
    np.testing.assert_array_equal(sess.run(v), np.full(3, n_threads * n, np.float32))


def test_read_racing_assign_sees_old_or_new_never_a_mix() -> None:
    size = 1 << 16
    v = tf.get_variable("big", [size], initializer=tf.zeros_initializer())
    value = tf.placeholder(tf.float32, [size])
    assign = v.assign(value)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    stop = threading.Event()
    fills = [np.full(size, float(k), np.float32) for k in range(4)]

    def write(_: int) -> None:
        k = 0
        while not stop.is_set():
            sess.run(assign.op, {value: fills[k % 4]})
            k += 1

    def read(i: int) -> int:
        try:
            for r in range(300):
                kind = (i + r) % 3
                if kind == 0:
                    got = np.array(np.asarray(v), copy=True)
                elif kind == 1:
                    got = v.numpy()
                else:
                    got = sess.run(v)
                assert got.min() == got.max(), "a read saw a mix of two assignments"
        finally:
            stop.set()
        return 300

    writer = threading.Thread(target=write, args=(0,))
    writer.start()
    try:
        assert sum(_run_threads(read, 3)) == 900
    finally:
        stop.set()
        writer.join(timeout=10)
    assert not writer.is_alive()


# -- feeds and failed runs ------------------------------------------------------------------
def test_wrong_feeds_raise_tf_errors_and_the_session_keeps_working() -> None:
    pf = tf.placeholder(tf.float32, [None, 3], name="pf")
    y = pf * 2.0
    v = tf.get_variable("v", [2], initializer=tf.ones_initializer())
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    bad: list[tuple[Any, type[BaseException], str]] = [
        (np.ones((2, 2), np.float32), ValueError,
         r"^Cannot feed value of shape \(2, 2\) for Tensor pf:0, which has shape \(None, 3\)$"),
        (np.ones(3, np.float32), ValueError, r"^Cannot feed value of shape \(3,\)"),
        ([[1.0, 2.0, 3.0], [1.0]], ValueError, "inhomogeneous"),
        ([["a", "b", "c"]], ValueError, "could not convert string to float"),
        (np.array([[object(), 1, 2]], dtype=object), TypeError,
         r"float\(\) argument must be a string or a real number, not 'object'"),
        ({"a": 1}, TypeError, "not 'dict'"),
        (None, ValueError, r"^Cannot feed value of shape \(\)"),
    ]
    for feed, exc, pattern in bad:
        with pytest.raises(exc, match=pattern):
            sess.run(y, {pf: feed})
        np.testing.assert_array_equal(sess.run(y, {pf: np.ones((1, 3), np.float32)}),
                                      np.full((1, 3), 2.0, np.float32))
        np.testing.assert_array_equal(sess.run(v), np.ones(2, np.float32))


def test_float_feed_into_int_placeholder_is_cast_as_tf() -> None:
    pi = tf.placeholder(tf.int32, [None, 2])
    sess = tf.Session()
    np.testing.assert_array_equal(sess.run(pi * 2, {pi: [[1.5, 2.0]]}), [[2, 4]])
    np.testing.assert_array_equal(sess.run(pi * 2, {pi: np.array([[True, False]])}), [[2, 0]])


def test_kernel_failing_mid_run_names_the_op_and_changes_nothing() -> None:
    pu = tf.placeholder(tf.float32, None, name="pu")
    pf = tf.placeholder(tf.float32, [None, 3], name="pf")
    v = tf.get_variable("v", [2], initializer=tf.ones_initializer())
    mm = tf.matmul(tf.reshape(pu, [2, -1]), pf, name="mm")
    update = tf.assign(v, tf.reshape(pu, [2], name="to2") * 3.0)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Matrix size-incompatible: In\[0\]: \[2,2\], In\[1\]: \[3,3\]"
                       r"(.|\n)*\{\{node mm\}\}") as info:
        sess.run(mm, {pu: np.ones(4, np.float32), pf: np.ones((3, 3), np.float32)})
    assert info.value.op is not None and info.value.op.name == "mm"
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Input to reshape is a tensor with 3 values, but the requested "
                       r"shape has 2(.|\n)*\{\{node to2\}\}"):
        sess.run(update, {pu: np.ones(3, np.float32)})
    np.testing.assert_array_equal(sess.run(v), np.ones(2, np.float32))
    # the same plans run again with good feeds
    assert sess.run(mm, {pu: np.ones(6, np.float32), pf: np.ones((3, 3), np.float32)}).shape \
        == (2, 3)
    sess.run(update, {pu: np.full(2, 2.0, np.float32)})
    np.testing.assert_array_equal(sess.run(v), np.full(2, 6.0, np.float32))


# -- IEEE values (TF 2.21's outputs, recorded) ------------------------------------------------
NAN, INF = np.nan, np.inf
_ROW = np.array([[NAN, INF, -INF, 1.0, -1.0, 0.0, -0.0, 3.0]], np.float32)


def _same(got: Any, want: Any) -> None:
    got = np.asarray(got)
    want = np.asarray(want, dtype=got.dtype)
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    fin = ~np.isnan(want)
    np.testing.assert_allclose(got[fin], want[fin], rtol=1e-3, atol=1e-3)


@pytest.fixture(params=["avx2", "scalar", "avx512"])
def isa(request: pytest.FixtureRequest) -> Any:
    from varstore._core import kernels

    if request.param not in kernels.supported_isas():
        pytest.skip(f"this CPU lacks {request.param}")
    kernels.force_isa(request.param)
    yield request.param
    kernels.reset_isa()


def test_activations_of_nan_and_inf_are_tfs() -> None:
    sess = tf.Session()
    got = sess.run({
        "relu": tf.nn.relu(_ROW), "relu6": tf.nn.relu6(_ROW), "leaky": tf.nn.leaky_relu(_ROW),
        "elu": tf.nn.elu(_ROW), "sigmoid": tf.nn.sigmoid(_ROW), "tanh": tf.nn.tanh(_ROW),
        "softmax": tf.nn.softmax(_ROW), "maximum": tf.maximum(_ROW, 0.0),
    })
    _same(got["relu"], [[NAN, INF, 0, 1, 0, 0, 0, 3]])
    _same(got["relu6"], [[NAN, 6, 0, 1, 0, 0, 0, 3]])
    _same(got["leaky"], [[NAN, INF, -INF, 1, -0.2, 0, 0, 3]])
    _same(got["elu"], [[NAN, INF, -1, 1, -0.632, 0, 0, 3]])
    assert np.signbit(got["elu"][0, 6])  # TF: elu(-0.0) is -0.0
    _same(got["sigmoid"], [[NAN, 1, 0, 0.731, 0.269, 0.5, 0.5, 0.953]])
    _same(got["tanh"], [[NAN, 1, -1, 0.762, -0.762, 0, 0, 0.995]])
    _same(got["softmax"], np.full((1, 8), NAN))
    _same(got["maximum"], [[NAN, INF, 0, 1, 0, 0, 0, 3]])


def test_reductions_and_arg_extremes_of_nan_are_tfs() -> None:
    a = np.array([[1, NAN, 3], [NAN, NAN, NAN], [NAN, 1, 2], [-INF, NAN, -INF],
                  [INF, NAN, INF]], np.float32)
    b = np.array([[NAN, -INF, 1], [-INF, -INF, -INF], [NAN, NAN, 1], [NAN, 5, 5],
                  [INF, INF, NAN], [-INF, NAN, NAN], [3e38, INF, NAN]], np.float32)
    sess = tf.Session()
    got = sess.run([tf.argmax(a, 1), tf.argmin(a, 1), tf.argmax(b, 1), tf.argmin(b, 1),
                    tf.reduce_max(a, 1), tf.reduce_min(a, 1), tf.reduce_sum(_ROW),
                    tf.reduce_mean(_ROW.reshape(2, 4), 1), tf.reduce_prod(_ROW.reshape(2, 4), 1),
                    tf.reduce_sum(np.array([INF, -INF], np.float32)),
                    tf.reduce_mean(np.array([3e38, 3e38], np.float32))])
    np.testing.assert_array_equal(got[0], [2, 0, 2, 0, 0])  # TF skips NaN
    np.testing.assert_array_equal(got[1], [0, 0, 1, 0, 0])
    np.testing.assert_array_equal(got[2], [2, 0, 2, 1, 0, 0, 1])
    np.testing.assert_array_equal(got[3], [1, 0, 2, 1, 0, 0, 0])
    _same(got[4], np.full(5, NAN))  # ... but reduce_max propagates it
    _same(got[5], np.full(5, NAN))
    _same(got[6], NAN)
    _same(got[7], [NAN, 0.5])
    _same(got[8], [NAN, 0])
    _same(got[9], NAN)
    assert got[10] == INF


def test_max_pool_skips_nan_and_starts_from_the_lowest_float() -> None:
    x = np.ones((1, 3, 3, 2), np.float32)
    x[0, 1, 1, 0] = NAN
    xi = np.ones((1, 3, 3, 2), np.float32)
    xi[0, 0, 0, 1] = INF
    xi[0, 2, 2, 1] = -INF
    sess = tf.Session()
    got = sess.run([
        tf.nn.max_pool(x, [1, 2, 2, 1], [1, 1, 1, 1], "VALID"),
        tf.nn.max_pool(xi, [1, 2, 2, 1], [1, 1, 1, 1], "SAME"),
        tf.nn.max_pool(np.full((1, 2, 2, 1), -INF, np.float32), 2, 2, "VALID"),
        tf.nn.max_pool(np.full((1, 2, 2, 1), NAN, np.float32), 2, 2, "SAME"),
        tf.nn.max_pool(np.array([NAN, 1, 2, NAN], np.float32).reshape(1, 2, 2, 1), 2, 1,
                       "VALID"),
        tf.nn.max_pool(np.full((1, 2, 2, 1), -INF, np.float64), 2, 2, "VALID"),
        tf.nn.avg_pool(x, [1, 2, 2, 1], [1, 1, 1, 1], "VALID"),
    ])
    _same(got[0], np.ones((1, 2, 2, 2)))
    assert got[1][0, 0, 0, 1] == INF and got[1][0, 2, 2, 1] == np.finfo(np.float32).min
    assert got[2].item() == np.finfo(np.float32).min
    assert got[3].item() == np.finfo(np.float32).min
    assert got[4].item() == 2.0
    assert got[5].item() == np.finfo(np.float64).min
    _same(got[6].ravel(), [NAN, 1] * 4)


def _conv_ref(x: np.ndarray, w: np.ndarray, stride: int, padding: str) -> np.ndarray:
    n, h, wd, _ = x.shape
    kh, kw, _, cout = w.shape
    pads = []
    for size, k in ((h, kh), (wd, kw)):
        if padding == "SAME":
            out = -(-size // stride)
            total = max((out - 1) * stride + k - size, 0)
            pads.append((total // 2, total - total // 2))
        else:
            pads.append((0, 0))
    xp = np.pad(x.astype(np.float64), ((0, 0), pads[0], pads[1], (0, 0)))
    oh = (xp.shape[1] - kh) // stride + 1
    ow = (xp.shape[2] - kw) // stride + 1
    out = np.zeros((n, oh, ow, cout))
    with np.errstate(all="ignore"):
        for i in range(kh):
            for j in range(kw):
                patch = xp[:, i:i + (oh - 1) * stride + 1:stride, j:j + (ow - 1) * stride + 1:stride]
                out = out + np.einsum("nhwc,cd->nhwd", patch, w[i, j].astype(np.float64))
    return out


@pytest.mark.parametrize("cin,cout,k,padding,stride", [(16, 64, 3, "SAME", 1),
                                                        (3, 17, 5, "VALID", 2),
                                                        (32, 8, 1, "SAME", 1),
                                                        (5, 33, 3, "SAME", 2)])
def test_conv_bias_relu_propagate_nan_and_inf_on_every_isa(
        isa: str, cin: int, cout: int, k: int, padding: str, stride: int) -> None:
    rng = np.random.default_rng(cin * cout)
    x = rng.standard_normal((2, 12, 13, cin)).astype(np.float32)
    x[0, 3, 4, 1] = NAN
    x[1, 7, 7, 0] = INF
    x[1, 2, 9, cin - 1] = -INF
    w = rng.standard_normal((k, k, cin, cout)).astype(np.float32)
    w[0, 0, 0, cout - 1] = NAN
    b = rng.standard_normal(cout).astype(np.float32)
    b[1], b[2], b[3] = NAN, INF, -INF
    ph = tf.placeholder(tf.float32, [None, 12, 13, cin])
    strides = [1, stride, stride, 1]
    fetches = {
        "conv": tf.nn.conv2d(ph, w, strides, padding),
        "fused": tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(ph, w, strides, padding), b)),
        "fused_add": tf.nn.relu(tf.nn.conv2d(ph, w, strides, padding) + b),
        "conv_relu": tf.nn.relu(tf.nn.conv2d(ph, w, strides, padding)),
        "bias": tf.nn.bias_add(tf.nn.conv2d(ph, w, strides, padding), b),
    }
    got = tf.Session().run(fetches, {ph: x})
    ref = _conv_ref(x, w, stride, padding)
    with np.errstate(all="ignore"):
        want = {"conv": ref, "bias": ref + b, "conv_relu": np.where(ref < 0, 0, ref),
                "fused": np.where(ref + b < 0, 0, ref + b)}
    want["fused_add"] = want["fused"]
    for key, value in want.items():
        g = got[key]
        assert g.shape == value.shape
        np.testing.assert_array_equal(np.isnan(g), np.isnan(value), err_msg=key)
        np.testing.assert_array_equal(np.isposinf(g), np.isposinf(value), err_msg=key)
        np.testing.assert_array_equal(np.isneginf(g), np.isneginf(value), err_msg=key)
        fin = np.isfinite(value)
        np.testing.assert_allclose(g[fin], value[fin], rtol=1e-4, atol=1e-3, err_msg=key)


def test_matmul_and_bias_add_of_nan_and_inf() -> None:
    sess = tf.Session()
    got = sess.run([
        tf.matmul(_ROW[:, :2].T, np.ones((1, 2), np.float32)),
        tf.matmul(np.array([[INF, 0.0]], np.float32), np.array([[0.0], [1.0]], np.float32)),
        tf.nn.bias_add(np.zeros((2, 3), np.float32) + _ROW[0, :3],
                       np.array([0.0, NAN, -INF], np.float32)),
    ])
    _same(got[0], [[NAN, NAN], [INF, INF]])
    _same(got[1], [[NAN]])  # inf * 0
    _same(got[2], [[NAN, NAN, -INF], [NAN, NAN, -INF]])


# -- empty tensors (TF's shapes and values, recorded) -----------------------------------------
_F = np.float32


@pytest.mark.parametrize("make,shape", [
    (lambda: tf.nn.conv2d(np.ones((0, 5, 5, 3), _F), np.ones((3, 3, 3, 4), _F), [1] * 4,
                          "SAME"), (0, 5, 5, 4)),
    (lambda: tf.nn.conv2d(np.ones((1, 0, 0, 3), _F), np.ones((3, 3, 3, 4), _F), [1] * 4,
                          "SAME"), (1, 0, 0, 4)),
    (lambda: tf.nn.conv2d(np.ones((1, 5, 5, 3), _F), np.ones((3, 3, 3, 0), _F), [1] * 4,
                          "SAME"), (1, 5, 5, 0)),
    (lambda: tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(
        np.ones((0, 5, 5, 3), _F), np.ones((3, 3, 3, 4), _F), [1] * 4, "SAME"),
        np.ones(4, _F))), (0, 5, 5, 4)),
    (lambda: tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(
        np.ones((1, 5, 5, 3), _F), np.ones((3, 3, 3, 0), _F), [1] * 4, "SAME"),
        np.ones(0, _F))), (1, 5, 5, 0)),
    (lambda: tf.nn.relu(tf.nn.conv2d(np.ones((2, 0, 0, 3), _F), np.ones((3, 3, 3, 4), _F),
                                     [1] * 4, "SAME") + np.ones(4, _F)), (2, 0, 0, 4)),
    (lambda: tf.nn.bias_add(np.ones((0, 3), _F), np.ones(3, _F)), (0, 3)),
    (lambda: tf.nn.bias_add(np.ones((2, 0), _F), np.ones(0, _F)), (2, 0)),
    (lambda: tf.nn.relu(np.ones((0, 3), _F)), (0, 3)),
    (lambda: tf.matmul(np.ones((0, 4), _F), np.ones((4, 3), _F)), (0, 3)),
    (lambda: tf.matmul(np.ones((2, 4), _F), np.ones((4, 0), _F)), (2, 0)),
    (lambda: tf.nn.softmax(np.ones((0, 3), _F)), (0, 3)),
    (lambda: tf.nn.softmax(np.ones((2, 0), _F)), (2, 0)),
    (lambda: tf.nn.log_softmax(np.ones((2, 0), _F)), (2, 0)),
    (lambda: tf.concat([np.ones((0, 3), _F), np.ones((0, 3), _F)], 0), (0, 3)),
    (lambda: tf.concat([np.ones((2, 0), _F), np.ones((2, 3), _F)], 1), (2, 3)),
    (lambda: tf.nn.max_pool(np.ones((0, 4, 4, 3), _F), 2, 2, "VALID"), (0, 2, 2, 3)),
    (lambda: tf.nn.max_pool(np.ones((1, 0, 0, 3), _F), 2, 2, "SAME"), (1, 0, 0, 3)),
    (lambda: tf.nn.avg_pool(np.ones((1, 4, 4, 0), _F), 2, 2, "VALID"), (1, 2, 2, 0)),
    (lambda: tf.reduce_sum(np.ones((0, 3), _F), 1), (0,)),
])
def test_empty_inputs_give_empty_results_of_tfs_shape(make: Callable[[], Any],
                                                      shape: tuple[int, ...]) -> None:
    t = make()
    got = tf.Session().run(t)
    assert got.shape == shape
    assert t.shape.as_list() == list(shape)


def test_reductions_of_nothing_are_tfs_identities() -> None:
    e = np.ones((0, 3), _F)
    ei = np.ones((0, 3), np.int32)
    sess = tf.Session()
    with warnings_as_errors():
        got = sess.run([tf.reduce_sum(e), tf.reduce_mean(e), tf.reduce_mean(ei),
                        tf.reduce_max(e), tf.reduce_max(ei), tf.reduce_min(e),
                        tf.reduce_min(ei), tf.reduce_prod(e),
                        tf.reduce_any(np.ones((0, 3), bool)), tf.reduce_all(np.ones((0, 3), bool)),
                        tf.reduce_mean(e, 0), tf.reduce_max(e, 0), tf.reduce_sum(e, 0),
                        tf.reduce_mean(np.ones((2, 0), _F), 1)])
    assert got[0] == 0 and np.isnan(got[1]) and got[2] == 0
    assert got[3] == -INF and got[4] == np.iinfo(np.int32).min
    assert got[5] == INF and got[6] == np.iinfo(np.int32).max
    assert got[7] == 1 and not got[8] and got[9]
    assert np.isnan(got[10]).all() and got[10].shape == (3,)
    assert (got[11] == -INF).all() and (got[12] == 0).all()
    assert np.isnan(got[13]).all() and got[13].shape == (2,)


def test_empty_errors_where_tf_raises() -> None:
    sess = tf.Session()
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Reduction axis 0 is empty in shape \[0,3\]"):
        sess.run(tf.argmax(np.ones((0, 3), _F), 0))
    assert sess.run(tf.argmax(np.ones((0, 3), _F), 1)).shape == (0,)
    # zero input channels and a 0x0 VALID image are graph-time shape errors in TF
    with pytest.raises(ValueError, match=r"^Depth of filter must not be 0 for '\{\{node Conv2D"):
        tf.nn.conv2d(np.ones((1, 5, 5, 0), _F), np.ones((3, 3, 0, 4), _F), [1] * 4, "SAME")
    with pytest.raises(ValueError, match=r"^Negative dimension size caused by subtracting 3 "
                       r"from 0 for '\{\{node Conv2D"):
        tf.nn.conv2d(np.ones((1, 0, 0, 3), _F), np.ones((3, 3, 3, 4), _F), [1] * 4, "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"filter must not have zero elements \(i\.e\. all dimensions "
                       r"must be non-zero\)"):
        sess.run(tf.nn.conv2d(np.ones((1, 5, 5, 3), _F), np.ones((0, 0, 3, 4), _F), [1] * 4,
                              "SAME"))


class warnings_as_errors:
    def __enter__(self) -> None:
        import warnings

        self._cm = warnings.catch_warnings()
        self._cm.__enter__()
        warnings.simplefilter("error")

    def __exit__(self, *exc: object) -> None:
        self._cm.__exit__(*exc)


def test_assign_add_of_the_wrong_shape_is_tfs_error_and_changes_nothing() -> None:
    pu = tf.placeholder(tf.float32, None)
    v = tf.get_variable("v", [2], initializer=tf.ones_initializer())
    add = tf.assign_add(v, tf.reshape(pu, [-1]))
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^Cannot update variable with shape \[2\] using a Tensor with "
                       r"shape \[3\], shapes must be equal\.") as info:
        sess.run(add, {pu: np.ones(3, np.float32)})
    assert info.value.op is not None and info.value.op.type == "AssignAddVariableOp"
    np.testing.assert_array_equal(sess.run(v), np.ones(2, np.float32))
    sess.run(add, {pu: np.ones(2, np.float32)})
    np.testing.assert_array_equal(sess.run(v), np.full(2, 2.0, np.float32))
