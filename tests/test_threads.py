"""Threads: the scope stack is per thread, the store is shared per graph and safe under
concurrent use, and conv2d gives correct results when Python threads run it at once.

TF1 keeps the name stack and the variable-scope store (with its default-name counters) per
thread, and one variable store and one name uniquifier per graph. Workers below enter the graph
explicitly (``with graph.as_default()``), which is what TF1 code must do; ``test_new_thread_*``
also pins varstore's rule that a new thread sees the same default graph.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from typing import Any, Callable

import numpy as np
import pytest

import varstore as tf

N_THREADS = 8
N_VARS = 10_000
N_SHARED = 2_000


@pytest.fixture(autouse=True)
def fast_thread_switching() -> Iterator[None]:
    """Switch threads far more often than the 5 ms default so that calls interleave."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(before)


def _run_threads(target: Callable[[int], Any], n: int) -> list[Any]:
    """Runs target(0..n-1) in n threads started together; re-raises the first failure."""
    results: list[Any] = [None] * n
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            results[i] = target(i)
        except BaseException as exc:  # pragma: no cover - only on failure
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,), name=f"worker-{i}") for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
        assert not t.is_alive(), f"{t.name} did not finish"
    if errors:
        raise errors[0]
    return results


def test_get_variable_in_own_scopes_all_present_when_8_threads_create_10k_each() -> None:
    graph = tf.get_default_graph()
    barrier = threading.Barrier(N_THREADS)
    zeros = tf.zeros_initializer()

    def work(i: int) -> list[tuple[str, Any]]:
        out = []
        with graph.as_default():
            barrier.wait()
            with tf.variable_scope(f"t{i}"):
                for j in range(N_VARS):
                    v = tf.get_variable(f"v{j}", [2], initializer=zeros)
                    out.append((v.name, v))
        return out

    results = _run_threads(work, N_THREADS)

    for i, got in enumerate(results):
        assert [name for name, _ in got] == [f"t{i}/v{j}:0" for j in range(N_VARS)]
    everything = tf.global_variables()
    names = [v.name for v in everything]
    assert len(names) == N_THREADS * N_VARS
    assert len(set(names)) == len(names)
    assert set(names) == {f"t{i}/v{j}:0" for i in range(N_THREADS) for j in range(N_VARS)}
    assert len({id(v) for v in everything}) == len(everything)
    assert len(tf.trainable_variables()) == N_THREADS * N_VARS
    # The objects the threads got are the ones the store lists, and each reads as zeros.
    by_name = {v.name: v for v in everything}
    for got in results:
        for name, v in got[:: N_VARS // 50]:
            assert by_name[name] is v
            np.testing.assert_array_equal(v.numpy(), np.zeros(2, np.float32))
    # Every thread's scope lists exactly its own variables.
    for i in range(N_THREADS):
        assert len(tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, f"t{i}/")) == N_VARS
    # The main thread never entered a scope, and can reuse what the workers made.
    assert tf.get_variable_scope().name == ""
    with tf.variable_scope("t3", reuse=True):
        assert tf.get_variable("v9999") is by_name["t3/v9999:0"]
    with pytest.raises(ValueError, match=r"^Variable t0/v0 already exists, disallowed\."):
        with tf.variable_scope("t0"):
            tf.get_variable("v0", [2])


def test_get_variable_returns_one_object_per_name_when_8_threads_auto_reuse_at_once() -> None:
    graph = tf.get_default_graph()
    barrier = threading.Barrier(N_THREADS)

    def work(i: int) -> dict[str, Any]:
        order = list(range(N_SHARED))
        if i % 2:
            order.reverse()
        got: dict[str, Any] = {}
        with graph.as_default():
            barrier.wait()
            with tf.variable_scope("shared", reuse=tf.AUTO_REUSE):
                for j in order:
                    v = tf.get_variable(f"w{j}", [2], initializer=tf.ones_initializer())
                    got[v.name] = v
                # A second pass reuses, in every thread.
                for j in order[::7]:
                    assert tf.get_variable(f"w{j}", [2]) is got[f"shared/w{j}:0"]
        return got

    results = _run_threads(work, N_THREADS)

    expected = {f"shared/w{j}:0" for j in range(N_SHARED)}
    names = [v.name for v in tf.global_variables()]
    assert len(names) == N_SHARED
    assert set(names) == expected
    first = results[0]
    assert set(first) == expected
    for got in results[1:]:
        assert set(got) == expected
        for name, v in got.items():
            assert v is first[name], name
    # No "_1" graph names: AUTO_REUSE never created a second variable.
    assert not any(n.endswith("_1:0") for n in names)
    for v in list(first.values())[:: N_SHARED // 20]:
        np.testing.assert_array_equal(v.numpy(), np.ones(2, np.float32))


def test_new_thread_starts_at_root_scope_when_main_thread_is_inside_scopes() -> None:
    graph = tf.get_default_graph()
    seen: dict[str, Any] = {}

    with tf.variable_scope("a", reuse=True) as outer:
        assert outer.name == "a"
        with tf.variable_scope(None, default_name="L") as layer:
            assert layer.name == "a/L"
        with tf.name_scope("ns"):

            def in_thread(_: int) -> None:
                # As in TF, a new thread has a default graph of its own; the TF1 serving
                # pattern enters the shared graph explicitly.
                seen["own_graph"] = tf.get_default_graph()
                with graph.as_default():
                    in_graph()

            def in_graph() -> None:
                seen["graph"] = tf.get_default_graph()
                scope = tf.get_variable_scope()
                seen["scope"] = scope.name
                seen["reuse"] = scope.reuse
                seen["original_name_scope"] = scope.original_name_scope
                seen["name_scope"] = tf.get_default_graph().get_name_scope()
                seen["const"] = tf.constant(1.0).name
                seen["var"] = tf.get_variable("w", [1]).name
                seen["tf_variable"] = tf.Variable(1.0).name
                with tf.variable_scope("a") as a:
                    seen["a_reuse"] = a.reuse
                    seen["a_var"] = tf.get_variable("w2", [1]).name
                    seen["a_const"] = tf.constant(1.0).name
                    # default-name counters are per thread: the main thread's a/L is not seen
                    with tf.variable_scope(None, default_name="L") as s:
                        seen["a_layer"] = s.name
                with tf.variable_scope(None, default_name="L") as s:
                    seen["root_layer"] = s.name

            _run_threads(in_thread, 1)
            # The main thread's stacks are untouched by the worker.
            assert tf.get_variable_scope().name == "a"
            assert tf.get_variable_scope().reuse is True
            assert tf.get_default_graph().get_name_scope() == "a/ns"
            assert tf.constant(1.0).name == "a/ns/Const:0"

    assert seen["graph"] is graph
    assert seen["own_graph"] is not graph
    assert seen["scope"] == ""
    assert seen["reuse"] is False
    assert seen["original_name_scope"] == ""
    assert seen["name_scope"] == ""
    assert seen["const"] == "Const:0"
    assert seen["var"] == "w:0"
    assert seen["tf_variable"] == "Variable:0"
    assert seen["a_reuse"] is False
    assert seen["a_var"] == "a/w2:0"
    assert seen["a_const"] == "a_1/Const:0"  # the name uniquifier is shared per graph
    assert seen["a_layer"] == "a/L"
    assert seen["root_layer"] == "L"
    assert [v.name for v in tf.global_variables()] == ["w:0", "Variable:0", "a/w2:0"]
    # Counters of the main thread: its own a/L exists, the worker's root "L" does not count.
    with tf.variable_scope(None, default_name="L") as s:
        assert s.name == "L"
    with tf.variable_scope("a"), tf.variable_scope(None, default_name="L") as s:
        assert s.name == "a/L"


def test_thread_enters_explicit_graph_when_it_uses_as_default() -> None:
    other = tf.Graph()
    seen: dict[str, str] = {}

    def in_thread(_: int) -> None:
        with other.as_default():
            seen["var"] = tf.get_variable("w", [1]).name
            seen["const"] = tf.constant(1.0).name
        seen["default_var"] = tf.get_variable("w", [1]).name

    with tf.variable_scope("main"):
        _run_threads(in_thread, 1)
    assert seen == {"var": "w:0", "const": "Const:0", "default_var": "w:0"}
    assert [v.name for v in tf.global_variables()] == []  # the thread had its own graph
    with other.as_default():
        assert [v.name for v in tf.global_variables()] == ["w:0"]


# -- conv2d from several threads ----------------------------------------------------------------
def _conv_reference(x: np.ndarray, w: np.ndarray, stride: int, dilation: int, padding: str
                    ) -> np.ndarray:
    """float64 NHWC x HWIO conv2d with TF's SAME/VALID rules."""
    n, h, wd, _ = x.shape
    kh, kw, _, cout = w.shape
    pads = []
    for size, k in ((h, kh), (wd, kw)):
        eff = (k - 1) * dilation + 1
        if padding == "SAME":
            out = -(-size // stride)
            total = max((out - 1) * stride + eff - size, 0)
            pads.append((total // 2, total - total // 2))
        else:
            pads.append((0, 0))
    xp = np.pad(x.astype(np.float64), ((0, 0), pads[0], pads[1], (0, 0)))
    oh = (xp.shape[1] - ((kh - 1) * dilation + 1)) // stride + 1
    ow = (xp.shape[2] - ((kw - 1) * dilation + 1)) // stride + 1
    out = np.zeros((n, oh, ow, cout))
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, i * dilation:i * dilation + (oh - 1) * stride + 1:stride,
                       j * dilation:j * dilation + (ow - 1) * stride + 1:stride, :]
            out += patch @ w[i, j].astype(np.float64)
    return out


def test_conv2d_matches_numpy_when_threads_run_it_at_once() -> None:
    graph = tf.get_default_graph()
    n_threads, rounds = 6, 30
    barrier = threading.Barrier(n_threads)

    def work(i: int) -> int:
        rng = np.random.default_rng(1000 + i)
        checked = 0
        with graph.as_default():
            barrier.wait()
            for r in range(rounds):
                n = int(rng.integers(1, 3))
                h, w = (int(v) for v in rng.integers(8, 40, size=2))
                cin, cout = (int(v) for v in rng.integers(1, 33, size=2))
                k = int(rng.integers(1, 6))
                stride = int(rng.integers(1, 3))
                dilation = int(rng.integers(1, 3))
                padding = "SAME" if (i + r) % 2 else "VALID"
                if padding == "VALID" and (k - 1) * dilation + 1 > min(h, w):
                    padding = "SAME"
                x = rng.standard_normal((n, h, w, cin)).astype(np.float32)
                f = rng.standard_normal((k, k, cin, cout)).astype(np.float32)
                b = rng.standard_normal(cout).astype(np.float32)
                y = tf.nn.conv2d(x, f, [1, stride, stride, 1], padding,
                                 dilations=[1, dilation, dilation, 1])
                ref = _conv_reference(x, f, stride, dilation, padding)
                tol = 1e-4 * np.sqrt(k * k * cin) + 1e-5
                if r % 2:
                    # conv2d + bias_add + relu: the fused path.
                    z = tf.nn.relu(tf.nn.bias_add(y, b))
                    np.testing.assert_allclose(z.numpy(), np.maximum(ref + b, 0),
                                               rtol=1e-4, atol=tol)
                else:
                    # another op first: the conv must still compute its own value
                    tf.constant(float(r))
                    np.testing.assert_allclose(y.numpy(), ref, rtol=1e-4, atol=tol)
                assert y.shape.as_list() == list(ref.shape)
                checked += 1
        return checked

    assert sum(_run_threads(work, n_threads)) == n_threads * rounds
    conv_ops = [n for n in _op_names(graph) if n.split("/")[-1].startswith("Conv2D")]
    assert len(conv_ops) in (0, n_threads * rounds)  # 0: the graph keeps no op list


def _op_names(graph: Any) -> list[str]:
    ops = getattr(graph, "get_operations", None)
    return [op.name for op in ops()] if ops is not None else []


def test_conv2d_tensor_read_by_many_threads_gives_one_value() -> None:
    graph = tf.get_default_graph()
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, 24, 24, 16)).astype(np.float32)
    f = rng.standard_normal((3, 3, 16, 24)).astype(np.float32)
    ref = _conv_reference(x, f, 1, 1, "SAME")
    for _ in range(10):
        y = tf.nn.conv2d(x, f, [1, 1, 1, 1], "SAME")
        barrier = threading.Barrier(6)

        def read(i: int, y: Any = y) -> np.ndarray:
            with graph.as_default():
                barrier.wait()
                if i % 2:
                    tf.constant(1.0)  # makes the graph run the waiting conv in this thread
                return np.array(y.numpy(), copy=True)

        for got in _run_threads(read, 6):
            np.testing.assert_allclose(got, ref, rtol=1e-4, atol=1e-3)
