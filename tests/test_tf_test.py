"""tf.test: TestCase as TF's own op tests use it, and the TF1 gradient checker."""

from __future__ import annotations

import collections
import unittest
import os

import numpy as np
import pytest

import varstore as tf


class SquareTest(tf.test.TestCase):
    """Written as TF's kernel tests are (cf. TF's math_ops_test.py / cwise_ops_test.py)."""

    def testSquare(self):
        with self.cached_session() as sess:
            x = tf.constant([1.0, 2.0, 3.0])
            self.assertAllClose(self.evaluate(tf.square(x)), [1.0, 4.0, 9.0])
            self.assertAllClose(tf.square(x).eval(), [1.0, 4.0, 9.0])
            self.assertIs(sess, tf.get_default_session())
            self.assertIs(sess.graph, tf.get_default_graph())

    def testCachedSessionIsReused(self):
        with self.cached_session() as a:
            pass
        with self.cached_session() as b:
            pass
        self.assertIs(a, b)
        with self.session() as c:
            self.assertIsNot(c, a)

    def testCachedSessionRejectsAnotherGraph(self):
        with self.cached_session():
            pass
        with self.assertRaisesRegex(ValueError, "graph used to get the cached session"):
            with self.cached_session(graph=tf.Graph()):
                pass

    def testFreshGraphPerTest(self):
        self.assertEqual(tf.get_default_graph().get_operations(), [])
        self.assertEqual(tf.get_default_graph().seed, 87654321)
        tf.constant(1.0, name="leftover")

    def testFreshGraphPerTestAgain(self):
        self.assertEqual(tf.get_default_graph().get_operations(), [])

    def testEvaluateNested(self):
        Pair = collections.namedtuple("Pair", ["a", "b"])
        out = self.evaluate({"x": tf.constant(1), "p": Pair(tf.constant([2]), 3)})
        self.assertEqual(out["x"], 1)
        self.assertAllEqual(out["p"].a, [2])
        self.assertEqual(out["p"].b, 3)

    def testAssertAllCloseFailsAndNames(self):
        with self.assertRaises(AssertionError):
            self.assertAllClose([1.0, 2.0], [1.0, 2.1])
        with self.assertRaisesRegex(AssertionError, "Shape mismatch"):
            self.assertAllClose([1.0, 2.0], [1.0, 2.0, 3.0])
        self.assertAllClose({"a": [1.0], "b": (2.0, [3.0, 4.0])},
                            {"a": [1.0], "b": (2.0, [3.0, 4.0 + 1e-8])})
        with self.assertRaisesRegex(AssertionError, r"a\[b\]\[1\]"):
            self.assertAllClose({"b": (2.0, [3.0, 4.0])}, {"b": (2.0, [3.0, 5.0])})
        self.assertNotAllClose([1.0], [2.0])

    def testAssertAllEqualAndRanges(self):
        self.assertAllEqual(tf.constant([1, 2]), [1, 2])
        with self.assertRaises(AssertionError):
            self.assertAllEqual([1, 2], [1, 3])
        self.assertAllEqual([b"a"], ["a"])
        self.assertAllInRange([0.5, 1.0], 0.0, 1.0)
        with self.assertRaisesRegex(AssertionError, "outside the range"):
            self.assertAllInRange([0.5, 1.0], 0.0, 1.0, open_upper_bound=True)
        self.assertAllGreater([2, 3], 1)
        self.assertAllLessEqual([2, 3], 3)
        self.assertAllInSet([1, 2, 2], {1, 2})
        self.assertShapeEqual(np.zeros((2, 3)), tf.zeros([2, 3]))
        self.assertDTypeEqual(np.zeros(2, np.float32), np.float32)
        self.assertArrayNear([1.0, 2.0], [1.0, 2.0005], 1e-3)
        self.assertAllCloseAccordingToType(np.float16(1.0), np.float16(1.0005))

    def testAssertRaisesOpError(self):
        x = tf.placeholder(tf.float32, name="feed_me")
        with self.cached_session():
            with self.assertRaisesOpError("feed_me"):
                (x + 1.0).eval()
        with self.assertRaises(AssertionError):
            with self.assertRaisesOpError("no such text"):
                with self.cached_session():
                    (x + 1.0).eval()
        with self.assertRaises(AssertionError):  # nothing raised
            with self.assertRaisesOpError("x"):
                pass

    def testTempDirAndThreads(self):
        d = self.get_temp_dir()
        self.assertEqual(d, self.get_temp_dir())
        self.assertTrue(os.path.isdir(d))
        seen = []
        t = self.checkedThread(target=lambda: seen.append(1))
        t.start()
        t.join()
        self.assertEqual(seen, [1])

    def testDeviceQueries(self):
        self.assertEqual(tf.test.gpu_device_name(), "")
        self.assertFalse(tf.test.is_gpu_available())
        self.assertFalse(tf.test.is_built_with_cuda())


class GradientCheckerTest(tf.test.TestCase):
    """The TF1 checker: cf. TF's gradient_checker_test.py."""

    def testMatmulJacobians(self):
        with self.cached_session():
            x = tf.constant(np.arange(6, dtype=np.float64).reshape(2, 3))
            w = tf.constant(np.linspace(-1.0, 1.0, 12).reshape(3, 4))
            y = tf.matmul(x, w)
            jt, jn = tf.test.compute_gradient(x, [2, 3], y, [2, 4],
                                              x_init_value=np.ones((2, 3)))
            self.assertEqual(jt.shape, (6, 8))
            # d y[i, j] / d x[i, k] = w[k, j]
            expected = np.zeros((6, 8))
            wv = np.linspace(-1.0, 1.0, 12).reshape(3, 4)
            for i in range(2):
                for k in range(3):
                    expected[i * 3 + k, i * 4:(i + 1) * 4] = wv[k]
            self.assertAllClose(jt, expected)
            self.assertAllClose(jn, expected, atol=1e-6)

    def testErrorSmallForSmoothOps(self):
        with self.cached_session():
            x = tf.placeholder(tf.float64, [3, 2])
            for f in (tf.tanh, tf.sigmoid, tf.nn.softmax, lambda t: tf.reduce_sum(t * t, 1)):
                y = f(x)
                err = tf.test.compute_gradient_error(x, [3, 2], y, y.get_shape().as_list(),
                                                     x_init_value=np.full((3, 2), 0.3))
                self.assertLess(err, 1e-6)

    def testListOfInputs(self):
        with self.cached_session():
            a = tf.constant([1.0, 2.0], dtype=tf.float64)
            b = tf.constant([3.0, 4.0], dtype=tf.float64)
            y = a * b
            res = tf.test.compute_gradient([a, b], [[2], [2]], y, [2])
            self.assertEqual(len(res), 2)
            for jt, jn in res:
                self.assertAllClose(jt, jn, atol=1e-6)

    def testWrongGradientIsCaught(self):
        @tf.RegisterGradient("VarstoreTestWrongSquareGrad")
        def _wrong(op, grad):
            return grad * 3.0 * op.inputs[0]

        with self.cached_session():
            x = tf.constant([1.0, 2.0], dtype=tf.float64)
            with tf.get_default_graph().gradient_override_map({"Square": "VarstoreTestWrongSquareGrad"}):
                y = tf.square(x)
            err = tf.test.compute_gradient_error(x, [2], y, [2])
            self.assertGreater(err, 0.5)

    def testIntegerRejected(self):
        with self.cached_session():
            x = tf.constant([1, 2])
            with self.assertRaisesRegex(TypeError, "int32"):
                tf.test.compute_gradient(x, [2], tf.cast(x, tf.float32), [2])


def test_missing_test_symbol_names_itself():
    with pytest.raises(AttributeError, match="tf.test.create_local_cluster"):
        tf.test.create_local_cluster


# TF's framework/test_util helpers beside the TestCase (framework/test_decorators.py), which
# TF's own op tests import as ``test_util.<name>``.
from varstore.framework import test_util  # noqa: E402


class DecoratorsTest(tf.test.TestCase):
    def testBuildPredicates(self):
        self.assertFalse(test_util.is_xla_enabled())
        self.assertFalse(test_util.IsMklEnabled())
        self.assertFalse(test_util.is_gpu_available())

    def testLayoutHelpers(self):
        self.assertEqual(test_util.NHWCToNCHW([1, 2, 3, 4]), [1, 4, 2, 3])
        self.assertEqual(test_util.NCHWToNHWC([1, 4, 2, 3]), [1, 2, 3, 4])
        x = tf.zeros([1, 2, 3, 4])
        self.assertEqual(test_util.NHWCToNCHW(x).shape.as_list(), [1, 4, 2, 3])
        self.assertEqual(test_util.NCHWToNHWC(test_util.NHWCToNCHW(x)).shape.as_list(), [1, 2, 3, 4])

    def testSkipIf(self):
        ran = []
        test_util.skip_if(True)(lambda: ran.append(1))()
        test_util.skip_if(lambda: False)(lambda: ran.append(2))()
        self.assertEqual(ran, [2])

    def testSkipIfErrorSkipsOnlyMatching(self):
        with self.assertRaises(unittest.SkipTest):
            with test_util.skip_if_error(self, ValueError, "flaky"):
                raise ValueError("a flaky thing")
        with self.assertRaises(ValueError):
            with test_util.skip_if_error(self, ValueError, ["other"]):
                raise ValueError("a flaky thing")

    @test_util.run_gpu_only
    def testGpuOnlyIsSkipped(self):
        raise AssertionError("a GPU test ran on a CPU-only build")

    @test_util.disable_xla("runs: no XLA here")
    def testDisableXlaRuns(self):
        self.ran_disable_xla = True

    def testDisableXlaRanIt(self):
        self.testDisableXlaRuns()
        self.assertTrue(self.ran_disable_xla)

    def testControlFlowV2Switch(self):
        from varstore.framework import mode

        tf.disable_control_flow_v2()
        try:
            seen = []
            test_util.enable_control_flow_v2(lambda: seen.append(mode.control_flow_v2_enabled()))()
            self.assertEqual(seen, [True])
            self.assertFalse(mode.control_flow_v2_enabled())
        finally:
            tf.enable_control_flow_v2()

    def testAssertOpsInGraph(self):
        tf.constant(1.0, name="c")
        nodes = test_util.assert_ops_in_graph({"c": "Const"}, tf.get_default_graph())
        self.assertEqual(nodes["c"].op, "Const")
        with self.assertRaisesRegex(ValueError, "Expected op for node c is different. Add vs Const"):
            test_util.assert_ops_in_graph({"c": "Add"}, tf.get_default_graph())
        gd = tf.get_default_graph().as_graph_def()
        self.assertIs(test_util.get_node_def_from_graph("missing", gd), None)

    def testCombinationNames(self):
        # Recorded from TF 2.21's test_util.generate_combinations_with_testcase_name.
        got = test_util.generate_combinations_with_testcase_name(b=[1, 2], a=["x", "y"], c=3)
        self.assertEqual([c["testcase_name"] for c in got],
                         ["_test_a_x_b_1_c_3", "_test_a_x_b_2_c_3", "_test_a_y_b_1_c_3",
                          "_test_a_y_b_2_c_3"])

    def testForAllTestMethods(self):
        calls = []

        def deco(tag):
            def wrap(f):
                def g(*a):
                    calls.append(tag)
                    return f(*a)
                return g
            return wrap

        @test_util.for_all_test_methods(deco, "t")
        class C:
            def testA(self):
                return 1

            def helper(self):
                return 2

        C().testA()
        C().helper()
        self.assertEqual(calls, ["t"])


class EvaluateRunsOperationsTest(tf.test.TestCase):
    def testEvaluateOfAnInitializerRunsIt(self):
        # TF's evaluate fetches Operations too: self.evaluate(init) must initialize the
        # variables in the cached session that later evaluate calls use.
        x = tf.Variable(-100.0)
        self.assertIsNone(self.evaluate(tf.global_variables_initializer()))
        self.assertAllClose(x.read_value(), -100.0)
        self.assertEqual(self.evaluate({"op": x.assign_add(1.0).op}), {"op": None})
        self.assertAllClose(x, -99.0)
