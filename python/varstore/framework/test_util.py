"""tf.test.TestCase: TF's TensorFlowTestCase for graph-mode tests (TF's framework/test_util.py).

TensorFlow's own op tests and many TF1 projects' tests are written against this class:
``self.cached_session()``, ``self.evaluate``, ``assertAllClose`` over nested structures,
``assertRaisesOpError``. The behaviour follows TF 2.21's test_util in graph mode (varstore has
no eager mode): every test starts in a fresh default graph with TF's default graph seed, and
the cached session lives until tearDown. The base class is absl's TestCase, as TF's is.
"""

from __future__ import annotations

import contextlib
import math
import random
import re
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np
from absl.testing import absltest

from varstore import errors
from varstore.framework import graph as _graph
from varstore.framework import random_seed, test_decorators
from varstore.framework.indexed_slices import IndexedSlices
from varstore.framework.ops import Operation, Tensor
from varstore.framework.session import Session, get_default_session
from varstore.framework.sparse_tensor import SparseTensor
from varstore.framework.test_decorators import *  # TF's test_util exports these too

__all__ = [
    "TensorFlowTestCase",
    "deprecated_graph_mode_only",
    "run_deprecated_v1",
    "run_in_graph_and_eager_modes",
    "run_v1_only",
]
__all__ += test_decorators.__all__

# TF's random_seed.DEFAULT_GRAPH_SEED: the seed every TensorFlowTestCase test starts from.
DEFAULT_GRAPH_SEED = 87654321


def _evaluate_structure(value: Any) -> Any:
    """``value`` with every Tensor replaced by its value in the default (or a new) session."""
    flat: list[Tensor] = []

    def fetchable(v: Any) -> bool:
        # An Operation runs and gives None, as TF's evaluate does (``self.evaluate(init)``);
        # a SparseTensor / IndexedSlices comes back as its Value, as TF's composites do.
        return (isinstance(v, (Tensor, Operation, SparseTensor, IndexedSlices))
                or hasattr(v, "_as_graph_element"))

    def collect(v: Any) -> None:
        if fetchable(v):
            flat.append(v)
        elif isinstance(v, Mapping):
            for k in v:
                collect(v[k])
        elif isinstance(v, (list, tuple)):
            for e in v:
                collect(e)

    collect(value)
    if not flat:
        return value
    sess = get_default_session()
    if sess is not None:
        results = iter(sess.run(flat))
    else:
        with Session(graph=_graph.get_default_graph()) as tmp:
            results = iter(tmp.run(flat))

    def rebuild(v: Any) -> Any:
        if fetchable(v):
            return next(results)
        if isinstance(v, Mapping):
            return type(v)((k, rebuild(v[k])) for k in v)  # type: ignore[call-arg]
        if isinstance(v, tuple) and hasattr(v, "_fields"):
            return type(v)(*[rebuild(e) for e in v])
        if isinstance(v, (list, tuple)):
            return type(v)(rebuild(e) for e in v)
        return v

    return rebuild(value)


def _is_tensorlike(v: Any) -> bool:
    return isinstance(v, Tensor) or hasattr(v, "_as_graph_element")


class _CheckedThread:
    """A thread whose exception fails the test when joined (TF's _CheckedThread)."""

    def __init__(self, testcase: TensorFlowTestCase, target: Callable[..., Any],
                 args: tuple[Any, ...] | None = None,
                 kwargs: dict[str, Any] | None = None) -> None:
        self._testcase = testcase
        self._target = target
        self._args = () if args is None else args
        self._kwargs = {} if kwargs is None else kwargs
        self._thread = threading.Thread(target=self._protected_run)
        self._exception: BaseException | None = None
        self._is_thread_joined = False

    def _protected_run(self) -> None:
        try:
            self._target(*self._args, **self._kwargs)
        except Exception as e:  # noqa: BLE001 - reported by join(), as TF does
            self._exception = e

    def start(self) -> None:
        self._thread.start()

    def join(self) -> None:
        self._is_thread_joined = True
        self._thread.join()
        if self._exception is not None:
            self._testcase.fail(f"Error in checkedThread: {self._exception}")

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def check_termination(self) -> None:
        if self._is_thread_joined:
            if self.is_alive():
                raise RuntimeError("Thread was not joined with main thread, and is still "
                                   "running when the test finished.")
        else:
            self._testcase.fail("A checked thread was not joined.")


class TensorFlowTestCase(absltest.TestCase):
    """Base class for tests that build graphs and run them in sessions."""

    def __init__(self, methodName: str = "runTest") -> None:
        super().__init__(methodName)
        self._threads: list[_CheckedThread] = []
        self._tempdir: str | None = None
        self._cached_session: Session | None = None
        self._cached_graph: Any = None
        self._cached_config: Any = None
        self._cached_force_gpu = False
        self._set_default_seed = True

    # -- life cycle ------------------------------------------------------------------
    def setUp(self) -> None:
        super().setUp()
        self._clear_cached_session()
        random.seed(DEFAULT_GRAPH_SEED)
        np.random.seed(DEFAULT_GRAPH_SEED)
        _graph.reset_default_graph()
        if self._set_default_seed:
            random_seed.set_random_seed(DEFAULT_GRAPH_SEED)
        if self.id().endswith(".test_session"):
            self.skipTest("Not a test.")

    def tearDown(self) -> None:
        for thread in self._threads:
            thread.check_termination()
        self._clear_cached_session()
        super().tearDown()

    def _clear_cached_session(self) -> None:
        if self._cached_session is not None:
            self._cached_session.close()
            self._cached_session = None

    def get_temp_dir(self) -> str:
        """One temporary directory per test, the same on every call within it."""
        if not self._tempdir:
            self._tempdir = tempfile.mkdtemp()
        return self._tempdir

    # -- sessions --------------------------------------------------------------------
    @contextlib.contextmanager
    def _as_default(self, sess: Session, use_gpu: bool, force_gpu: bool) -> Iterator[Session]:
        with sess.graph.as_default(), sess.as_default():
            if force_gpu:
                with sess.graph.device("/device:GPU:0"):
                    yield sess
            elif use_gpu:
                yield sess
            else:
                with sess.graph.device("/device:CPU:0"):
                    yield sess

    @contextlib.contextmanager
    def session(self, graph: Any = None, config: Any = None, use_gpu: bool = True,
                force_gpu: bool = False) -> Iterator[Session]:
        """A new session on ``graph`` (default: the default graph), closed on exit."""
        with Session(graph=graph, config=config) as sess, \
                self._as_default(sess, use_gpu, force_gpu):
            yield sess

    def _get_cached_session(self, graph: Any, config: Any, force_gpu: bool,
                            crash_if_inconsistent_args: bool) -> Session:
        if self._cached_session is None:
            self._cached_session = Session(graph=graph, config=config)
            self._cached_graph = graph
            self._cached_config = config
            self._cached_force_gpu = force_gpu
            return self._cached_session
        if crash_if_inconsistent_args:
            for what, old, new in (("graph", self._cached_graph, graph),
                                   ("config", self._cached_config, config)):
                if old is not new:
                    raise ValueError(
                        f"The {what} used to get the cached session is different than the "
                        "one that was used to create the session. Maybe create a new session "
                        "with self.session()")
            if self._cached_force_gpu is not force_gpu:
                raise ValueError(
                    "The force_gpu value used to get the cached session is different than "
                    "the one that was used to create the session. Maybe create a new "
                    "session with self.session()")
        return self._cached_session

    @contextlib.contextmanager
    def cached_session(self, graph: Any = None, config: Any = None, use_gpu: bool = True,
                       force_gpu: bool = False) -> Iterator[Session]:
        """The test's one session, reused within the test and closed in tearDown."""
        sess = self._get_cached_session(graph, config, force_gpu, True)
        with self._as_default(sess, use_gpu, force_gpu) as cached:
            yield cached

    @contextlib.contextmanager
    def test_session(self, graph: Any = None, config: Any = None, use_gpu: bool = True,
                     force_gpu: bool = False) -> Iterator[Session]:
        """TF's deprecated spelling: the cached session without a graph, else a new one."""
        if self.id().endswith(".test_session"):
            self.skipTest('Tests that have the name "test_session" are automatically skipped '
                          "by TensorFlow test fixture, as the name is reserved for creating "
                          "sessions within tests. Please rename your test if you have a test "
                          "with this name.")
        if graph is None:
            sess = self._get_cached_session(graph, config, force_gpu, False)
            with self._as_default(sess, use_gpu, force_gpu) as cached:
                yield cached
        else:
            with self.session(graph, config, use_gpu, force_gpu) as sess:
                yield sess

    def evaluate(self, tensors: Any) -> Any:
        """The values of a Tensor or a nested structure of Tensors, in the default session
        (or a cached one when there is none)."""
        sess = get_default_session()
        if sess is None:
            with self.test_session():
                return _evaluate_structure(tensors)
        return _evaluate_structure(tensors)

    def checkedThread(self, target: Callable[..., Any],
                      args: tuple[Any, ...] | None = None,
                      kwargs: dict[str, Any] | None = None) -> _CheckedThread:
        ret = _CheckedThread(self, target, args, kwargs)
        self._threads.append(ret)
        return ret

    # -- assertions ------------------------------------------------------------------
    def _GetNdArray(self, a: Any) -> np.ndarray:
        if _is_tensorlike(a):
            a = self.evaluate(a)
        if not isinstance(a, np.ndarray):
            try:
                return np.array(a)
            except ValueError as e:
                if "inhomogeneous shape" in str(e):
                    return np.array(a, dtype=object)
                raise
        return a

    def evaluate_if_both_tensors(self, a: Any, b: Any) -> tuple[Any, Any]:
        if _is_tensorlike(a) and _is_tensorlike(b):
            return tuple(self.evaluate((a, b)))
        return a, b

    def assertNear(self, f1: Any, f2: Any, err: float, msg: str | None = None) -> None:
        f1 = np.squeeze(f1)
        f2 = np.squeeze(f2)
        if f1 != f2:
            diff = math.fabs(f1 - f2)
            self.assertTrue(diff <= err, "{:f} != {:f} +/- {:f} (difference: {:g}){}".format(
                f1, f2, err, diff, f" ({msg})" if msg is not None else ""))

    def assertArrayNear(self, farray1: Any, farray2: Any, err: float,
                        msg: str | None = None) -> None:
        self.assertEqual(len(farray1), len(farray2), msg=msg)
        for f1, f2 in zip(farray1, farray2):
            self.assertNear(float(f1), float(f2), err, msg=msg)

    def assertNDArrayNear(self, ndarray1: Any, ndarray2: Any, err: float,
                          msg: str | None = None) -> None:
        self.assertTrue(bool(np.linalg.norm(ndarray1 - ndarray2) < err), msg=msg)

    def _assertArrayLikeAllClose(self, a: Any, b: Any, rtol: float = 1e-6,
                                 atol: float = 1e-6, msg: str | None = None) -> None:
        a, b = self.evaluate_if_both_tensors(a, b)
        a = self._GetNdArray(a)
        b = self._GetNdArray(b)
        if a.shape != b.shape and (b.ndim <= 3 or b.size < 500):
            mismatch = f"Shape mismatch: expected {a.shape}, got {b.shape} with contents {b}."
        else:
            mismatch = f"Shape mismatch: expected {a.shape}, got {b.shape}."
        self.assertEqual(a.shape, b.shape, mismatch)
        if not np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True):
            msgs = [msg or ""]
            cond = np.logical_or(np.abs(a - b) > atol + rtol * np.abs(b),
                                 np.isnan(a) != np.isnan(b))
            if a.ndim:
                x, y = a[np.where(cond)], b[np.where(cond)]
                msgs.append(f"not close where = {np.where(cond)}")
            else:
                x, y = a, b
            msgs.append(f"not close lhs = {x}")
            msgs.append(f"not close rhs = {y}")
            msgs.append(f"not close dif = {np.abs(x - y)}")
            msgs.append(f"not close tol = {atol + rtol * np.abs(y)}")
            msgs.append(f"dtype = {a.dtype}, shape = {a.shape}")
            np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg="\n".join(msgs),
                                       equal_nan=True)

    def _assertAllCloseRecursive(self, a: Any, b: Any, rtol: float = 1e-6,
                                 atol: float = 1e-6, path: list[str] | None = None,
                                 msg: str | None = None) -> None:
        path = path or []
        path_str = ("[" + "][".join(str(p) for p in path) + "]") if path else ""
        msg = msg or ""
        if hasattr(a, "_asdict"):
            a = a._asdict()
        if hasattr(b, "_asdict"):
            b = b._asdict()
        a_is_dict = isinstance(a, Mapping)
        if a_is_dict != isinstance(b, Mapping):
            raise ValueError(f"Can't compare dict to non-dict, a{path_str} vs b{path_str}. {msg}")
        if a_is_dict:
            self.assertCountEqual(
                a.keys(), b.keys(),
                msg=f"mismatched keys: a{path_str} has keys {a.keys()}, but b{path_str} has "
                    f"keys {b.keys()}. {msg}")
            for k in a:
                path.append(k)
                self._assertAllCloseRecursive(a[k], b[k], rtol=rtol, atol=atol, path=path,
                                              msg=msg)
                del path[-1]
        elif isinstance(a, (list, tuple)):
            # A list of numbers compares as one array; a ragged structure element by element.
            try:
                a, b = self.evaluate_if_both_tensors(a, b)
                self._assertArrayLikeAllClose(
                    self._GetNdArray(a), self._GetNdArray(b), rtol=rtol, atol=atol,
                    msg=f"Mismatched value: a{path_str} is different from b{path_str}. {msg}")
            except (ValueError, TypeError, NotImplementedError):
                if len(a) != len(b):
                    raise ValueError(
                        f"Mismatched length: a{path_str} has {len(a)} items, but b{path_str} "
                        f"has {len(b)} items. {msg}") from None
                for idx, (a_ele, b_ele) in enumerate(zip(a, b)):
                    path.append(str(idx))
                    self._assertAllCloseRecursive(a_ele, b_ele, rtol=rtol, atol=atol,
                                                  path=path, msg=msg)
                    del path[-1]
        else:
            try:
                self._assertArrayLikeAllClose(
                    a, b, rtol=rtol, atol=atol,
                    msg=f"Mismatched value: a{path_str} is different from b{path_str}. {msg}")
            except TypeError as e:
                extra = (f"Error: a{path_str} has {type(a)}, but b{path_str} has {type(b)}. "
                         f"{msg}")
                e.args = ((e.args[0] + " : " + extra, *e.args[1:])) if e.args else (extra,)
                raise

    def assertAllClose(self, a: Any, b: Any, rtol: float = 1e-6, atol: float = 1e-6,
                       msg: str | None = None) -> None:
        """a and b are close elementwise, recursing into lists, tuples, dicts, namedtuples."""
        self._assertAllCloseRecursive(a, b, rtol=rtol, atol=atol, msg=msg)

    def assertAllCloseAccordingToType(
            self, a: Any, b: Any, rtol: float = 1e-6, atol: float = 1e-6,
            float_rtol: float = 1e-6, float_atol: float = 1e-6, half_rtol: float = 1e-3,
            half_atol: float = 1e-3, bfloat16_rtol: float = 1e-2, bfloat16_atol: float = 1e-2,
            msg: str | None = None) -> None:
        a, b = self.evaluate_if_both_tensors(a, b)
        a = self._GetNdArray(a)
        b = self._GetNdArray(b)
        kinds = {a.dtype, b.dtype}
        if kinds & {np.dtype(np.float32), np.dtype(np.complex64)}:
            rtol, atol = max(rtol, float_rtol), max(atol, float_atol)
        if np.dtype(np.float16) in kinds:
            rtol, atol = max(rtol, half_rtol), max(atol, half_atol)
        self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)

    def assertNotAllClose(self, a: Any, b: Any, rtol: float = 1e-6, atol: float = 1e-6,
                          msg: str | None = None) -> None:
        try:
            self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)
        except AssertionError:
            return
        raise AssertionError(f"The two values are close at all elements. {msg or ''}")

    def assertAllEqual(self, a: Any, b: Any, msg: str | None = None) -> None:
        msg = msg or ""
        a, b = self.evaluate_if_both_tensors(a, b)
        a = self._GetNdArray(a)
        b = self._GetNdArray(b)
        if b.ndim <= 3 or b.size < 500:
            self.assertEqual(a.shape, b.shape, f"Shape mismatch: expected {a.shape}, got "
                             f"{b.shape}. Contents: {b!r}. \n{msg}.")
        else:
            self.assertEqual(a.shape, b.shape,
                             f"Shape mismatch: expected {a.shape}, got {b.shape}. {msg}")
        same = a == b
        if a.dtype.kind == "f":
            same = np.logical_or(same, np.logical_and(np.isnan(a), np.isnan(b)))
        if not np.all(same):
            msgs = [msg]
            diff = np.logical_not(same)
            if a.ndim:
                x, y = a[np.where(diff)], b[np.where(diff)]
                msgs.append(f"not equal where = {np.where(diff)}")
            else:
                x, y = a, b
            msgs.append(f"not equal lhs = {x!r}")
            msgs.append(f"not equal rhs = {y!r}")
            if a.dtype.kind != b.dtype.kind and {a.dtype.kind, b.dtype.kind} <= {"U", "S", "O"}:
                # TF's strings are bytes: compare str and bytes as bytes.
                a = np.array([i.encode("utf-8") if isinstance(i, str) else i for i in a.flat])
                b = np.array([i.encode("utf-8") if isinstance(i, str) else i for i in b.flat])
            np.testing.assert_array_equal(a, b, err_msg="\n".join(msgs))

    def assertNotAllEqual(self, a: Any, b: Any, msg: str | None = None) -> None:
        try:
            self.assertAllEqual(a, b)
        except AssertionError:
            return
        raise AssertionError(f"The two values are equal at all elements. {msg or ''}")

    def assertAllGreater(self, a: Any, comparison_target: Any) -> None:
        self.assertGreater(np.min(self._GetNdArray(a)), comparison_target)

    def assertAllLess(self, a: Any, comparison_target: Any) -> None:
        self.assertLess(np.max(self._GetNdArray(a)), comparison_target)

    def assertAllGreaterEqual(self, a: Any, comparison_target: Any) -> None:
        self.assertGreaterEqual(np.min(self._GetNdArray(a)), comparison_target)

    def assertAllLessEqual(self, a: Any, comparison_target: Any) -> None:
        self.assertLessEqual(np.max(self._GetNdArray(a)), comparison_target)

    def assertAllInRange(self, target: Any, lower_bound: Any, upper_bound: Any,
                         open_lower_bound: bool = False, open_upper_bound: bool = False) -> None:
        target = self._GetNdArray(target)
        if not (np.issubdtype(target.dtype, np.floating)
                or np.issubdtype(target.dtype, np.integer)):
            raise AssertionError(f"The value of {target} does not have an ordered numeric "
                                 f"type, instead it has type: {target.dtype}")
        nan = np.isnan(target) if target.dtype.kind == "f" else np.zeros(target.shape, bool)
        if np.any(nan):
            raise AssertionError(f"{int(nan.sum())} of the {target.size} element(s) are NaN.")
        low = np.less_equal(target, lower_bound) if open_lower_bound else np.less(
            target, lower_bound)
        high = np.greater_equal(target, upper_bound) if open_upper_bound else np.greater(
            target, upper_bound)
        bad = np.logical_or(low, high)
        if np.any(bad):
            range_str = (("(" if open_lower_bound else "[") + f"{lower_bound}, {upper_bound}"
                         + (")" if open_upper_bound else "]"))
            raise AssertionError(
                f"{int(bad.sum())} of the {target.size} element(s) are outside the range "
                f"{range_str}. Subscript(s) and value(s) of the offending elements:\n"
                + "\n".join(f"  {list(i)} : {target[tuple(i)]}"
                            for i in np.argwhere(bad)[:10]))

    def assertAllInSet(self, target: Any, expected_set: Any) -> None:
        target = self._GetNdArray(target)
        diff = np.setdiff1d(target.flatten(), list(expected_set))
        if np.size(diff):
            raise AssertionError(f"{np.size(diff)} unique element(s) are not in the set "
                                 f"{expected_set}: {diff}")

    def assertDTypeEqual(self, target: Any, expected_dtype: Any) -> None:
        self.assertEqual(self._GetNdArray(target).dtype, expected_dtype)

    # TF's context-manager form replaces absl's (callable) one, as in TF's TensorFlowTestCase.
    @contextlib.contextmanager
    def assertRaisesWithPredicateMatch(  # type: ignore[override]
            self, exception_type: type[BaseException] | tuple[type[BaseException], ...],
            expected_err_re_or_predicate: str | Callable[[BaseException], Any]) -> Iterator[None]:
        """The block raises ``exception_type`` whose message matches the regex (or for which
        the predicate is true); for an OpError the op's name is searched too."""
        if callable(expected_err_re_or_predicate):
            predicate = expected_err_re_or_predicate
        else:
            pattern = expected_err_re_or_predicate

            def predicate(e: BaseException) -> Any:
                if isinstance(e, errors.OpError):
                    err_str = str(e.message)
                    if e.op is not None:
                        err_str += "\nCaused by: " + str(e.op.name)
                else:
                    err_str = str(e)
                return re.search(pattern, err_str)
        name = (exception_type.__name__ if isinstance(exception_type, type)
                else str(exception_type))
        try:
            yield
        except Exception as e:
            if not isinstance(e, exception_type) or not predicate(e):
                raise AssertionError(f"Exception of type {type(e)}: {e}") from e
            return
        self.fail(name + " not raised")

    def assertRaisesOpError(self, expected_err_re_or_predicate: Any) -> Any:
        return self.assertRaisesWithPredicateMatch(errors.OpError, expected_err_re_or_predicate)

    def assertRaisesIncompatibleShapesError(
            self, exception_type: type[BaseException] = errors.InvalidArgumentError) -> Any:
        return self.assertRaisesWithPredicateMatch(
            exception_type, r"Incompatible shapes|Dimensions must be equal|"
            r"required broadcastable shapes")

    def assertShapeEqual(self, input_a: Any, input_b: Any, msg: str | None = None) -> None:
        for label, v in (("input_a", input_a), ("input_b", input_b)):
            if not isinstance(v, (np.ndarray, np.generic, Tensor)):
                raise TypeError(f"{label} must be a Numpy ndarray, Numpy scalar, or a Tensor."
                                f"Instead received {type(v)}")
        shape_a = (input_a.get_shape().as_list() if isinstance(input_a, Tensor)
                   else list(input_a.shape))
        shape_b = (input_b.get_shape().as_list() if isinstance(input_b, Tensor)
                   else list(input_b.shape))
        self.assertAllEqual(shape_a, shape_b, msg=msg)

    def assertProtoEquals(self, expected_message_maybe_ascii: Any, message: Any = None,
                          msg: str | None = None) -> None:
        """TF's: ``message`` equals the expected proto, given as one or as its text format
        (parsed into ``message``'s type); compared by their text forms."""
        from google.protobuf import text_format

        expected = expected_message_maybe_ascii
        if isinstance(expected, (str, bytes)):
            expected = text_format.Merge(expected, type(message)())
        elif not isinstance(expected, type(message)):
            # (TF's own check is an assert, so an AssertionError)
            raise AssertionError(f"Can't compare protos of type {type(expected)} and "  # noqa: TRY004
                                 f"{type(message)}.")
        self.assertEqual(text_format.MessageToString(expected),
                         text_format.MessageToString(message), msg=msg)

    def assertDeviceEqual(self, device1: str, device2: str, msg: str | None = None) -> None:
        from varstore.framework.device import DeviceSpec
        self.assertEqual(DeviceSpec.from_string(device1 or "").to_string(),
                         DeviceSpec.from_string(device2 or "").to_string(),
                         msg or f"Devices {device1} and {device2} are not equal.")

    def assertStartsWith(self, actual: str, expected_start: str,
                         msg: str | None = None) -> None:
        if not actual.startswith(expected_start):
            fail_msg = f"{actual!r} does not start with {expected_start!r}"
            fail_msg += f" : {msg!r}" if msg else ""
            self.fail(fail_msg)

    def assertItemsEqual(self, first: Any, second: Any, msg: str | None = None) -> None:
        self.assertCountEqual(first, second, msg)


def _graph_mode_only(f: Any = None) -> Any:
    """TF's decorators that run a test in graph mode: varstore has only graph mode, so the
    test runs as written (for a class, every test method does)."""
    if f is None:
        return _graph_mode_only
    return f


run_deprecated_v1 = _graph_mode_only
deprecated_graph_mode_only = _graph_mode_only


def run_v1_only(reason: str = "", func: Any = None) -> Any:
    """TF's run_v1_only(reason): the test runs (varstore is TF1)."""
    if func is not None:
        return func
    if callable(reason):
        return reason
    return _graph_mode_only


def run_in_graph_and_eager_modes(func: Any = None, config: Any = None,
                                 use_gpu: bool = True, assert_no_eager_garbage: bool = False) -> Any:
    """Runs the test in graph mode only: varstore has no eager mode to run it in too."""
    if func is None:
        return _graph_mode_only
    return func
