"""Bad input across the API: every bad call raises TF's exception type with a message that names
the offending argument, and leaves the store exactly as it was.

One table, one test. Each row is a bad call, the exception type real TF 1 graph mode raises for it
(tensorflow 2.21, ``tf.compat.v1`` + ``disable_eager_execution()``), its message (TF's exact text
where TF raises at graph-construction time, otherwise a regex naming the argument), and a valid
follow-up call with the name TF gives it afterwards. Some TF rules the follow-ups pin down:

* a get_variable that fails *before* the variable op is built (bad name, shape, dtype, reuse)
  takes no name: ``get_variable("v", [-1])`` fails, then ``get_variable("v", [1])`` is ``v:0``;
* a get_variable (or tf.Variable) that fails *while* the variable is built (its initializer
  raises or returns the wrong shape, too many constant elements) has already taken the graph
  name: the next ``get_variable("v", [1])`` is ``v_1:0`` (the store is still unchanged);
* a failing op (shape/type errors of Conv2D, MatMul, BiasAdd, ...) consumes its op name
  (``Conv2D`` then ``Conv2D_1``) unless the error is raised in Python before the op is named
  (strides of the wrong length, padding=None, unknown keyword arguments).

Calls TF only rejects when the graph runs (huge shapes, a zero stride in the batch dimension,
two -1 in a reshape) must fail right away in varstore, which computes eagerly: they are listed
with TF's run-time message where there is one, else with a regex naming the argument. Huge
allocations must fail with MemoryError or ValueError, never crash the interpreter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pytest

import varstore as tf

X4 = np.ones((1, 5, 5, 3), np.float32)
W4 = np.ones((3, 3, 3, 4), np.float32)
M23 = np.ones((2, 3), np.float32)
HUGE = 2**40


def _root(name: str) -> str:
    return (f"'{name}' is not a valid root scope name. A root scope name has to match the "
            r"following pattern: ^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$")


def _nested(name: str) -> str:
    return (f"'{name}' is not a valid scope name. A scope name has to match the following "
            r"pattern: ^[A-Za-z0-9_.\\/>-]*$")


def _node(name: str) -> str:
    return (f"`{name}` is not a valid node name. Accepted names conform to Regex "
            r"/re.compile('^[A-Za-z0-9.][A-Za-z0-9_.\\\\/>-]*$')/")


def _conv(msg: str, padding: str = "SAME", strides: str = "[1, 1, 1, 1]",
          dilations: str = "[1, 1, 1, 1]", explicit: str = "[]",
          shapes: str = "[1,5,5,3], [3,3,3,4]") -> str:
    """TF's Conv2D shape-inference error for X4 (and W4 unless ``shapes`` says otherwise)."""
    return (f"{msg} for '{{{{node Conv2D}}}} = Conv2D[T=DT_FLOAT, data_format=\"NHWC\", "
            f"dilations={dilations}, explicit_paddings={explicit}, padding=\"{padding}\", "
            f"strides={strides}, use_cudnn_on_gpu=true](Conv2D/input, Conv2D/filter)' with input "
            f"shapes: {shapes}.")


def _bias(msg: str, shapes: str) -> str:
    return (f"{msg} for '{{{{node BiasAdd}}}} = BiasAdd[T=DT_FLOAT, data_format=\"NHWC\"]"
            f"(BiasAdd/input, BiasAdd/bias)' with input shapes: {shapes}.")


def _matmul(msg: str, shapes: str) -> str:
    return (f"{msg} for '{{{{node MatMul}}}} = MatMul[T=DT_FLOAT, grad_a=false, grad_b=false, "
            f"transpose_a=false, transpose_b=false](MatMul/a, MatMul/b)' with input shapes: "
            f"{shapes}.")


_FLOAT7 = "Cannot convert the argument `type_value`: 'float7' to a TensorFlow DType."
_BAD_INIT = ("The initializer passed is not valid. It should be a callable with no arguments and "
             "the shape should not be provided or an instance of `tf.keras.initializers.*' and "
             "`shape` should be fully defined.")


def _not_compatible(got: str, want: str) -> str:
    return (f"In this `tf.Variable` creation, the initial value's shape ({got}) is not compatible "
            f"with the explicitly supplied `shape` argument ({want}).")


# -- small helpers that run a call inside a scope -------------------------------------------
def _gv(*args: Any, **kwargs: Any) -> Any:
    return tf.get_variable(*args, **kwargs)


def _in_vs(name: Any, fn: Callable[[], Any], **kwargs: Any) -> Any:
    with tf.variable_scope(name, **kwargs):
        return fn()


def _in_ns(name: Any, fn: Callable[[], Any]) -> Any:
    with tf.name_scope(name):
        return fn()


def _enter_vs(*args: Any, **kwargs: Any) -> None:
    with tf.variable_scope(*args, **kwargs):
        pass


def _enter_ns(name: Any) -> None:
    with tf.name_scope(name):
        pass


def _wrong_shape_1d(shape: Any, dtype: Any = None, partition_info: Any = None) -> np.ndarray:
    return np.zeros([3], np.float32)


def _wrong_shape_2d(shape: Any, dtype: Any = None, partition_info: Any = None) -> np.ndarray:
    return np.zeros([2, 3], np.float32)


def _wrong_shape_5(shape: Any, dtype: Any = None, partition_info: Any = None) -> np.ndarray:
    return np.zeros([5], np.float32)


def _raising(shape: Any, dtype: Any = None, partition_info: Any = None) -> np.ndarray:
    raise ZeroDivisionError("division by zero")


def _conv_ok() -> str:
    return str(tf.nn.conv2d(X4, W4, [1, 1, 1, 1], "SAME").name)


def _v1() -> str:
    return str(_gv("v", [1]).name)


@dataclass(frozen=True)
class Bad:
    call: Callable[[], Any]
    exc: type[BaseException] | tuple[type[BaseException], ...]
    message: str  # TF's exact message when ``exact``, else a regex (re.search)
    follow: Callable[[], str]
    follow_name: str
    exact: bool = True


def _rx(call: Callable[[], Any], exc: Any, pattern: str, follow: Callable[[], str],
        follow_name: str) -> Bad:
    return Bad(call, exc, pattern, follow, follow_name, exact=False)


CASES: dict[str, Bad] = {
    # ---- names: get_variable validates the full name with the ROOT pattern ---------------
    "gv-name-space": Bad(lambda: _gv("a b", [1]), ValueError, _root("a b"),
                         lambda: _gv("ab", [1]).name, "ab:0"),
    "gv-name-colon": Bad(lambda: _gv("a:b", [1]), ValueError, _root("a:b"),
                         lambda: _gv("a", [1]).name, "a:0"),
    "gv-name-non-ascii": Bad(lambda: _gv("\u00e9", [1]), ValueError, _root("\u00e9"),
                             lambda: _gv("e", [1]).name, "e:0"),
    "gv-name-leading-slash-at-root": Bad(lambda: _gv("/a", [1]), ValueError, _root("/a"),
                                         lambda: _gv("a", [1]).name, "a:0"),
    "gv-name-leading-underscore-at-root": Bad(lambda: _gv("_x", [1]), ValueError, _root("_x"),
                                              lambda: _gv("x", [1]).name, "x:0"),
    "gv-name-leading-dash-at-root": Bad(lambda: _gv("-x", [1]), ValueError, _root("-x"),
                                        lambda: _gv("x", [1]).name, "x:0"),
    "gv-name-tab": Bad(lambda: _gv("a\tb", [1]), ValueError, _root("a\tb"),
                       lambda: _gv("ab", [1]).name, "ab:0"),
    "gv-name-space-nested-reports-full-name": Bad(
        lambda: _in_vs("q", lambda: _gv("a b", [1])), ValueError, _root("q/a b"),
        lambda: _in_vs("q", lambda: _gv("ab", [1])).name, "q/ab:0"),
    "gv-name-int": _rx(lambda: _gv(3, [1]), TypeError, r"string.*(3|'int')", _v1, "v:0"),
    # ---- name_scope ------------------------------------------------------------------------
    "ns-space-at-root": Bad(lambda: _enter_ns("bad name"), ValueError, _root("bad name"),
                            lambda: tf.constant(1.0).name, "Const:0"),
    "ns-space-nested": Bad(lambda: _in_ns("o", lambda: _enter_ns("x y")), ValueError,
                           _nested("x y"), lambda: tf.constant(1.0).name, "Const:0"),
    "ns-non-ascii-nested": Bad(lambda: _in_ns("o", lambda: _enter_ns("\u00e9")), ValueError,
                               _nested("\u00e9"), lambda: tf.constant(1.0).name, "Const:0"),
    "ns-leading-underscore-at-root": Bad(lambda: _enter_ns("_x"), ValueError, _root("_x"),
                                         lambda: tf.constant(1.0).name, "Const:0"),
    "ns-colon-at-root": Bad(lambda: _enter_ns("a:b"), ValueError, _root("a:b"),
                            lambda: tf.constant(1.0, name="a").name, "a:0"),
    "ns-int": _rx(lambda: _enter_ns(3), TypeError, r"string.*(3|'int')",
                  lambda: tf.constant(1.0).name, "Const:0"),
    # ---- variable_scope --------------------------------------------------------------------
    "vs-space": Bad(lambda: _enter_vs("a b"), ValueError, _root("a b"),
                    lambda: _in_vs("ab", _v1), "ab/v:0"),
    "vs-colon": Bad(lambda: _enter_vs("a:b"), ValueError, _root("a:b"),
                    lambda: _in_vs("a", _v1), "a/v:0"),
    "vs-leading-slash-at-root": Bad(lambda: _enter_vs("/a"), ValueError, _root("/a"),
                                    lambda: _in_vs("a", _v1), "a/v:0"),
    "vs-leading-underscore-at-root": Bad(lambda: _enter_vs("_a"), ValueError, _root("_a"),
                                         lambda: _in_vs("a", _v1), "a/v:0"),
    "vs-non-ascii-nested": Bad(lambda: _in_vs("o", lambda: _enter_vs("\u00e9")), ValueError,
                               _nested("\u00e9"), lambda: _in_vs("o", _v1), "o/v:0"),
    "vs-scope-int": Bad(lambda: _enter_vs(3), TypeError,
                        "VariableScope: name_or_scope must be a string or VariableScope.",
                        lambda: _in_vs("a", _v1), "a/v:0"),
    "vs-scope-float": Bad(lambda: _enter_vs(1.5), TypeError,
                          "VariableScope: name_or_scope must be a string or VariableScope.",
                          lambda: _in_vs("a", _v1), "a/v:0"),
    "vs-scope-list": Bad(lambda: _enter_vs(["a"]), TypeError,
                         "VariableScope: name_or_scope must be a string or VariableScope.",
                         lambda: _in_vs("a", _v1), "a/v:0"),
    "vs-none-without-default-name": Bad(
        lambda: _enter_vs(None), TypeError,
        "If default_name is None then name_or_scope is required",
        lambda: _in_vs("a", _v1), "a/v:0"),
    "vs-default-name-with-reuse-true": Bad(
        lambda: _enter_vs(None, default_name="d", reuse=True), ValueError,
        "reuse=True cannot be used without a name_or_scope",
        lambda: _in_vs(None, _v1, default_name="d"), "d/v:0"),
    "vs-default-name-with-auto-reuse": Bad(
        lambda: _enter_vs(None, default_name="d", reuse=tf.AUTO_REUSE), ValueError,
        "reuse=True cannot be used without a name_or_scope",
        lambda: _in_vs(None, _v1, default_name="d"), "d/v:0"),
    "vs-reuse-int": Bad(lambda: _enter_vs("a", reuse=1), ValueError,
                        "The reuse parameter must be True or False or None.",
                        lambda: _in_vs("a", _v1), "a/v:0"),
    "vs-reuse-str": Bad(lambda: _enter_vs("a", reuse="yes"), ValueError,
                        "The reuse parameter must be True or False or None.",
                        lambda: _in_vs("a", _v1), "a/v:0"),
    "vs-auxiliary-name-scope-int": Bad(
        lambda: _enter_vs("a", auxiliary_name_scope=1), TypeError,
        "The auxiliary_name_scope must be `True` or `False`, while get 1",
        lambda: _in_vs("a", lambda: tf.constant(1.0)).name, "a/Const:0"),
    "vs-custom-getter-not-callable": Bad(
        lambda: _in_vs("a", _v1, custom_getter=5), ValueError,
        "Passed a custom_getter which is not callable: 5", lambda: _in_vs("a", _v1), "a/v:0"),
    "vs-dtype-unknown": Bad(lambda: _in_vs("a", _v1, dtype="float7"), TypeError, _FLOAT7,
                            lambda: _in_vs("a", _v1), "a/v:0"),
    "vs-unknown-kwarg": _rx(lambda: _enter_vs("a", foo=1), TypeError,
                            r"unexpected keyword argument 'foo'", lambda: _in_vs("a", _v1),
                            "a/v:0"),
    "vs-initializer-wrong-shape": Bad(
        lambda: _in_vs("a", lambda: _gv("v", [2]), initializer=_wrong_shape_5), ValueError,
        _not_compatible("(5,)", "(2,)"), lambda: _in_vs("a", _v1), "a/v_1:0"),
    # ---- tf.Variable and tf.constant ---------------------------------------------------------
    "var-name-space": Bad(lambda: tf.Variable(1.0, name="a b"), ValueError, _root("a b"),
                          lambda: tf.Variable(1.0, name="ab").name, "ab:0"),
    "var-name-colon": Bad(lambda: tf.Variable(1.0, name="a:b"), ValueError, _root("a:b"),
                          lambda: tf.Variable(1.0, name="a").name, "a:0"),
    "var-initial-value-none": Bad(
        lambda: tf.Variable(None), ValueError,
        "The `initial_value` arg to `tf.Variable` must be specified except when you are not "
        "providing a `variable_def`. You provided neither.",
        lambda: tf.Variable(1.0).name, "Variable:0"),
    "var-float-value-int-dtype": Bad(lambda: tf.Variable(1.5, dtype=tf.int32), TypeError,
                                     "Expected int32, but got 1.5 of type 'float'.",
                                     lambda: tf.Variable(1.0).name, "Variable_1:0"),
    "var-dtype-unknown": Bad(lambda: tf.Variable(1.0, dtype="float7"), TypeError, _FLOAT7,
                             lambda: tf.Variable(1.0).name, "Variable_1:0"),
    "var-collections-str": Bad(
        lambda: tf.Variable(1.0, collections="abc"), ValueError,
        "collections argument to Variable constructor must be a list, tuple, or set. Got abc "
        "of type <class 'str'>", lambda: tf.Variable(1.0).name, "Variable:0"),
    "const-name-space": Bad(lambda: tf.constant(1.0, name="a b"), ValueError, _node("a b"),
                            lambda: tf.constant(1.0).name, "Const:0"),
    "const-name-empty": Bad(lambda: tf.constant(1.0, name=""), ValueError, _node(""),
                            lambda: tf.constant(1.0).name, "Const:0"),
    "const-name-leading-underscore": Bad(lambda: tf.constant(1.0, name="_a"), ValueError,
                                         _node("_a"), lambda: tf.constant(1.0).name, "Const:0"),
    "const-name-int": _rx(lambda: tf.constant(1.0, name=3), TypeError, r"int",
                          lambda: tf.constant(1.0).name, "Const:0"),
    "const-float-value-int-dtype": Bad(lambda: tf.constant(1.5, dtype=tf.int32), TypeError,
                                       "Expected int32, but got 1.5 of type 'float'.",
                                       lambda: tf.constant(1.0).name, "Const:0"),
    "const-dtype-unknown": Bad(lambda: tf.constant(1.0, dtype="float7"), TypeError, _FLOAT7,
                               lambda: tf.constant(1.0).name, "Const:0"),
    "const-too-many-elements": Bad(lambda: tf.constant([1.0, 2.0, 3.0], shape=[2]), ValueError,
                                   "Too many elements provided. Takes at most 2, but got 3.",
                                   lambda: tf.constant(1.0).name, "Const:0"),
    "const-ragged-value": _rx(lambda: tf.constant([[1.0, 2.0], [3.0]]), ValueError,
                              r"inhomogeneous shape", lambda: tf.constant(1.0).name, "Const:0"),
    "const-tensor-value": Bad(lambda: tf.constant(tf.constant(1.0)), TypeError,
                              "Expected any non-tensor type, but got a tensor instead.",
                              lambda: tf.constant(1.0).name, "Const_1:0"),
    "const-unknown-kwarg": _rx(lambda: tf.constant(1.0, foo=1), TypeError,
                               r"unexpected keyword argument 'foo'",
                               lambda: tf.constant(1.0).name, "Const:0"),
    # ---- shapes ----------------------------------------------------------------------------
    "shape-negative": Bad(lambda: _gv("v", [-1]), ValueError, "Dimension -1 must be >= 0",
                          _v1, "v:0"),
    "shape-negative-second-dim": Bad(lambda: _gv("v", [2, -3]), ValueError,
                                     "Dimension -3 must be >= 0", _v1, "v:0"),
    "shape-negative-int": Bad(lambda: _gv("v", -3), ValueError, "Dimension -3 must be >= 0",
                              _v1, "v:0"),
    "shape-float": Bad(lambda: _gv("v", [2.0]), TypeError,
                       "Dimension value must be integer or None or have an __index__ method, got "
                       "value '2.0' with type '<class 'float'>'", _v1, "v:0"),
    "shape-float-second-dim": Bad(lambda: _gv("v", [1, 2.5]), TypeError,
                                  "Dimension value must be integer or None or have an __index__ "
                                  "method, got value '2.5' with type '<class 'float'>'",
                                  _v1, "v:0"),
    "shape-str-dim": Bad(lambda: _gv("v", ["a"]), TypeError,
                         "Dimension value must be integer or None or have an __index__ method, "
                         "got value ''a'' with type '<class 'str'>'", _v1, "v:0"),
    "shape-str": Bad(lambda: _gv("v", "ab"), TypeError,
                     "Failed to convert ''ab'' to a shape: ''a''could not be converted to a "
                     "dimension. A shape should either be single dimension (e.g. 10), or an "
                     "iterable of dimensions (e.g. [1, 10, None]).", _v1, "v:0"),
    "shape-none-dim-without-initializer": Bad(lambda: _gv("v", [None]), ValueError, _BAD_INIT,
                                              _v1, "v:0"),
    "shape-partly-none-without-initializer": Bad(lambda: _gv("v", [2, None]), ValueError,
                                                 _BAD_INIT, _v1, "v:0"),
    "shape-none-without-initializer": Bad(
        lambda: _gv("v"), ValueError,
        "Variable v did not get an initializer, so its `shape` argument must be specified.",
        _v1, "v:0"),
    "shape-huge-2d": _rx(lambda: _gv("v", [HUGE, HUGE]), (MemoryError, ValueError),
                         r"1099511627776", _v1, "v_1:0"),
    "shape-huge-2d-zeros-initializer": _rx(
        lambda: _gv("v", [HUGE, HUGE], initializer=tf.zeros_initializer()),
        (MemoryError, ValueError), r"1099511627776", _v1, "v_1:0"),
    # TF's graph mode creates this variable (nothing is allocated until a session runs it);
    # eagerly it cannot exist. Like every failed create, it keeps its name (as [HUGE, HUGE]).
    "shape-huge-1d": _rx(lambda: _gv("v", [2**62]), (MemoryError, ValueError),
                         r"4611686018427387904", _v1, "v_1:0"),
    "zeros-negative-shape": Bad(lambda: tf.zeros([-2]), ValueError,
                                "Invalid value in tensor used for shape: -2",
                                lambda: tf.zeros([2]).name, "zeros_1:0"),
    # -1 is an unknown dimension when the graph is built; the run rejects it.
    "random-normal-negative-shape": _rx(lambda: np.asarray(tf.random_normal([-1])),
                                        tf.errors.InvalidArgumentError, r"-1",
                                        lambda: tf.random_normal([2]).name, "random_normal_1:0"),
    # ---- dtypes ----------------------------------------------------------------------------
    "dtype-unknown-name": Bad(lambda: _gv("v", [1], dtype="float7"), TypeError, _FLOAT7,
                              _v1, "v:0"),
    "dtype-float-number": Bad(
        lambda: _gv("v", [1], dtype=3.5), TypeError,
        "Cannot convert the argument `type_value`: 3.5 to a TensorFlow DType.", _v1, "v:0"),
    # TF maps `object` to tf.string (and makes a string variable); varstore has no string
    # variables and refuses it with a TypeError naming the dtype.
    "dtype-object": Bad(
        lambda: _gv("v", [1], dtype=object), TypeError,
        "varstore's variables cannot hold string values (tf.string): the C++ variable store "
        "holds fixed-size numeric and bool elements only", _v1, "v:0"),
    "dtype-unknown-in-zeros": Bad(lambda: tf.zeros([2], dtype="float7"), TypeError, _FLOAT7,
                                  lambda: tf.zeros([2]).name, "zeros:0"),
    "dtype-unknown-in-cast": Bad(lambda: tf.cast(M23, "float7"), TypeError, _FLOAT7,
                                 lambda: tf.cast(M23, tf.int32).name, "Cast:0"),
    # ---- initializers ----------------------------------------------------------------------
    "initializer-callable-wrong-shape": Bad(
        lambda: _gv("v", [2], initializer=_wrong_shape_1d), ValueError,
        _not_compatible("(3,)", "(2,)"), _v1, "v_1:0"),
    "initializer-callable-wrong-shape-2d": Bad(
        lambda: _gv("v", [3, 2], initializer=_wrong_shape_2d), ValueError,
        _not_compatible("(2, 3)", "(3, 2)"), _v1, "v_1:0"),
    "initializer-callable-raises": _rx(lambda: _gv("v", [2], initializer=_raising),
                                       ZeroDivisionError, r"division", _v1, "v_1:0"),
    "initializer-constant-with-shape": Bad(
        lambda: _gv("v", [3], initializer=np.zeros(3, np.float32)), ValueError,
        "If initializer is a constant, do not specify shape.", _v1, "v:0"),
    "initializer-constant-dtype-mismatch": Bad(
        lambda: _gv("v", initializer=[1, 2], dtype=tf.float32), ValueError,
        "Initializer type '<dtype: 'int32'>' and explicit dtype '<dtype: 'float32'>' don't "
        "match.", _v1, "v:0"),
    "initializer-too-many-elements": Bad(
        lambda: _gv("v", [2], initializer=tf.constant_initializer([1.0, 2.0, 3.0])), ValueError,
        "Too many elements provided. Takes at most 2, but got 3.", _v1, "v_1:0"),
    "initializer-constant-string": Bad(
        lambda: _gv("v", [2], initializer=tf.constant_initializer("abc")), TypeError,
        "Expected float32, but got abc of type 'str'.", _v1, "v_1:0"),
    "variance-scaling-bad-mode": Bad(
        lambda: _gv("v", [2], initializer=tf.variance_scaling_initializer(mode="bogus")),
        ValueError,
        "Argument `mode` should be one of ('fan_in', 'fan_out', 'fan_avg'). Received: bogus",
        _v1, "v:0"),
    "variance-scaling-negative-scale": Bad(
        lambda: _gv("v", [2], initializer=tf.variance_scaling_initializer(scale=-1.0)),
        ValueError, "Argument `scale` must be a positive float. Received: -1.0", _v1, "v:0"),
    # ---- other get_variable arguments ------------------------------------------------------
    "gv-custom-getter-not-callable": Bad(lambda: _gv("v", [1], custom_getter=5), ValueError,
                                         "Passed a custom_getter which is not callable: 5",
                                         _v1, "v:0"),
    "gv-constraint-not-callable": Bad(
        lambda: _gv("v", [1], constraint=5), ValueError,
        "Argument `constraint` must be None or a callable. a callable. Got a <class 'int'>:  5",
        _v1, "v:0"),
    "gv-collections-str": Bad(
        lambda: _gv("v", [1], collections="abc"), ValueError,
        "collections argument to Variable constructor must be a list, tuple, or set. Got abc "
        "of type <class 'str'>", _v1, "v:0"),
    "gv-collections-int": Bad(
        lambda: _gv("v", [1], collections=5), ValueError,
        "collections argument to Variable constructor must be a list, tuple, or set. Got 5 of "
        "type <class 'int'>", _v1, "v:0"),
    "gv-unknown-kwarg": _rx(lambda: _gv("v", [1], foo=1), TypeError,
                            r"unexpected keyword argument 'foo'", _v1, "v:0"),
    # ---- reuse -----------------------------------------------------------------------------
    "reuse-false-existing": Bad(
        lambda: _gv("existing", [2]), ValueError,
        "Variable existing already exists, disallowed. Did you mean to set reuse=True or "
        "reuse=tf.AUTO_REUSE in VarScope?", _v1, "v:0"),
    "reuse-false-existing-scoped": Bad(
        lambda: _in_vs("s", lambda: _gv("w", [3])), ValueError,
        "Variable s/w already exists, disallowed. Did you mean to set reuse=True or "
        "reuse=tf.AUTO_REUSE in VarScope?", lambda: _in_vs("s", lambda: _gv("w2", [1])).name,
        "s/w2:0"),
    "reuse-true-missing": Bad(
        lambda: _in_vs("s", lambda: _gv("nope", [1]), reuse=True), ValueError,
        "Variable s/nope does not exist, or was not created with tf.get_variable(). Did you "
        "mean to set reuse=tf.AUTO_REUSE in VarScope?",
        lambda: _in_vs("s", lambda: _gv("nope", [1])).name, "s/nope:0"),
    "reuse-true-shape-mismatch": Bad(
        lambda: _in_vs("s", lambda: _gv("w", [4]), reuse=True), ValueError,
        "Trying to share variable s/w, but specified shape (4,) and found shape (3,).",
        lambda: _in_vs("s", lambda: _gv("w", [3]), reuse=True).name, "s/w:0"),
    "reuse-true-dtype-mismatch": Bad(
        lambda: _in_vs("s", lambda: _gv("w", [3], dtype=tf.int32), reuse=True), ValueError,
        "Trying to share variable s/w, but specified dtype int32 and found dtype float32.",
        lambda: _in_vs("s", lambda: _gv("w", [3]), reuse=True).name, "s/w:0"),
    "reuse-auto-shape-mismatch": Bad(
        lambda: _in_vs("s", lambda: _gv("w", [1, 3]), reuse=tf.AUTO_REUSE), ValueError,
        "Trying to share variable s/w, but specified shape (1, 3) and found shape (3,).",
        lambda: _in_vs("s", lambda: _gv("w", [3]), reuse=tf.AUTO_REUSE).name, "s/w:0"),
    "variable-assign-wrong-shape": _rx(
        lambda: tf.global_variables()[0].assign([1.0, 2.0, 3.0]), ValueError,
        r"^(?=.*existing)(?=.*\(2,\))(?=.*\(3,\))", _v1, "v:0"),
    # ---- nn.conv2d -------------------------------------------------------------------------
    "conv-input-rank-3": Bad(
        lambda: tf.nn.conv2d(np.ones((5, 5, 3), np.float32), W4, [1, 1, 1, 1], "SAME"),
        ValueError, _conv("Shape must be rank 4 but is rank 3", shapes="[5,5,3], [3,3,3,4]"),
        _conv_ok, "Conv2D_1:0"),
    "conv-filter-rank-3": Bad(
        lambda: tf.nn.conv2d(X4, np.ones((3, 3, 3), np.float32), [1, 1, 1, 1], "SAME"),
        ValueError, _conv("Shape must be rank 4 but is rank 3", shapes="[1,5,5,3], [3,3,3]"),
        _conv_ok, "Conv2D_1:0"),
    "conv-channel-mismatch": Bad(
        lambda: tf.nn.conv2d(X4, np.ones((3, 3, 2, 4), np.float32), [1, 1, 1, 1], "SAME"),
        ValueError,
        _conv("Depth of input (3) is not a multiple of input depth of filter (2)",
              shapes="[1,5,5,3], [3,3,2,4]"), _conv_ok, "Conv2D_1:0"),
    "conv-stride-zero": Bad(lambda: tf.nn.conv2d(X4, W4, [1, 0, 0, 1], "SAME"), ValueError,
                            _conv("Stride must be > 0, but got 0", strides="[1, 0, 0, 1]"),
                            _conv_ok, "Conv2D_1:0"),
    "conv-stride-negative": Bad(lambda: tf.nn.conv2d(X4, W4, [1, -1, -1, 1], "SAME"),
                                ValueError,
                                _conv("Stride must be > 0, but got -1",
                                      strides="[1, -1, -1, 1]"), _conv_ok, "Conv2D_1:0"),
    # The Conv2D kernel's checks: TF raises them when the graph runs.
    "conv-stride-in-batch-dim": _rx(
        lambda: np.asarray(tf.nn.conv2d(X4, W4, [2, 1, 1, 1], "SAME")),
        tf.errors.UnimplementedError,
        r"^Current implementation does not yet support strides in the batch and depth "
        r"dimensions\.\n\t \[\[\{\{node Conv2D\}\}\]\]$", _conv_ok, "Conv2D_1:0"),
    "conv-strides-length-3": Bad(
        lambda: tf.nn.conv2d(X4, W4, [1, 2, 2], "SAME"), ValueError,
        "strides should be of length 1, 2 or 4. Received: strides=[1, 2, 2] of length 3",
        _conv_ok, "Conv2D:0"),
    "conv-strides-str": Bad(
        lambda: tf.nn.conv2d(X4, W4, "abc", "SAME"), ValueError,
        "strides should be of length 1, 2 or 4. Received: strides=['a', 'b', 'c'] of length 3",
        _conv_ok, "Conv2D:0"),
    "conv-dilation-zero": Bad(
        lambda: tf.nn.conv2d(X4, W4, [1, 1, 1, 1], "SAME", dilations=[1, 0, 0, 1]), ValueError,
        _conv("Dilation rate must be >= 1, but got 0", dilations="[1, 0, 0, 1]"),
        _conv_ok, "Conv2D_1:0"),
    "conv-padding-unknown": Bad(
        lambda: tf.nn.conv2d(X4, W4, [1, 1, 1, 1], "FOO"), ValueError,
        "Attr 'padding' of 'Conv2D' Op passed string 'FOO' not in: \"SAME\", \"VALID\", "
        "\"EXPLICIT\".", _conv_ok, "Conv2D_1:0"),
    "conv-padding-lowercase": Bad(
        lambda: tf.nn.conv2d(X4, W4, [1, 1, 1, 1], "same"), ValueError,
        "Attr 'padding' of 'Conv2D' Op passed string 'same' not in: \"SAME\", \"VALID\", "
        "\"EXPLICIT\".", _conv_ok, "Conv2D_1:0"),
    "conv-padding-none": Bad(lambda: tf.nn.conv2d(X4, W4, [1, 1, 1, 1], None), TypeError,
                             "Expected string for argument 'padding' not None.",
                             _conv_ok, "Conv2D:0"),
    "conv-padding-int": Bad(lambda: tf.nn.conv2d(X4, W4, [1, 1, 1, 1], 3), TypeError,
                            "Expected string for argument 'padding' not 3.",
                            _conv_ok, "Conv2D:0"),
    "conv-padding-explicit-string": Bad(
        lambda: tf.nn.conv2d(X4, W4, [1, 1, 1, 1], "EXPLICIT"), ValueError,
        "'EXPLICIT' is not a valid value for `padding`. To use explicit padding, `padding` "
        "must be a list.", _conv_ok, "Conv2D:0"),
    "conv-padding-explicit-negative": Bad(
        lambda: tf.nn.conv2d(X4, W4, [1, 1, 1, 1], [[0, 0], [-1, 1], [1, 1], [0, 0]]),
        ValueError,
        _conv("All elements of explicit_paddings must be nonnegative", padding="EXPLICIT",
              explicit="[0, 0, -1, 1, 1, 1, 0, 0]"), _conv_ok, "Conv2D_1:0"),
    "conv-padding-explicit-batch-dim": Bad(
        lambda: tf.nn.conv2d(X4, W4, [1, 1, 1, 1], [[1, 0], [1, 1], [1, 1], [0, 0]]),
        ValueError,
        _conv("Nonzero explicit padding in the batch or depth dimensions is not supported",
              padding="EXPLICIT", explicit="[1, 0, 1, 1, 1, 1, 0, 0]"), _conv_ok, "Conv2D_1:0"),
    "conv-padding-explicit-three-pairs": Bad(
        lambda: tf.nn.conv2d(X4, W4, [1, 1, 1, 1], [[0, 0], [1, 1], [1, 1]]), ValueError,
        "When padding is a list, it must be of size 4. Received: padding=[[0, 0], [1, 1], "
        "[1, 1]] of size 3", _conv_ok, "Conv2D:0"),
    "conv-filter-larger-than-valid-input": Bad(
        lambda: tf.nn.conv2d(X4, np.ones((7, 7, 3, 4), np.float32), [1, 1, 1, 1], "VALID"),
        ValueError,
        _conv("Negative dimension size caused by subtracting 7 from 5", padding="VALID",
              shapes="[1,5,5,3], [7,7,3,4]"), _conv_ok, "Conv2D_1:0"),
    "conv-dilated-filter-larger-than-valid-input": Bad(
        lambda: tf.nn.conv2d(X4, W4, [1, 1, 1, 1], "VALID", dilations=[1, 3, 3, 1]),
        ValueError,
        _conv("Negative dimension size caused by subtracting 7 from 5", padding="VALID",
              dilations="[1, 3, 3, 1]"), _conv_ok, "Conv2D_1:0"),
    "conv-filter-zero-height": _rx(
        lambda: np.asarray(tf.nn.conv2d(X4, np.ones((0, 3, 3, 4), np.float32), [1, 1, 1, 1],
                                        "VALID")),
        (ValueError, tf.errors.InvalidArgumentError), r"filter.*zero", _conv_ok, "Conv2D_1:0"),
    "conv-data-format-unknown": Bad(
        lambda: tf.nn.conv2d(X4, W4, [1, 1, 1, 1], "SAME", data_format="NWHC"), ValueError,
        "Attr 'data_format' of 'Conv2D' Op passed string 'NWHC' not in: \"NHWC\", \"NCHW\".",
        _conv_ok, "Conv2D_1:0"),
    "conv-int64-input": Bad(
        lambda: tf.nn.conv2d(tf.constant(np.ones((1, 5, 5, 3), np.int64)),
                             tf.constant(np.ones((3, 3, 3, 4), np.int64)), [1, 1, 1, 1], "SAME"),
        TypeError,
        "Value passed to parameter 'input' has DataType int64 not in list of allowed values: "
        "float16, bfloat16, float32, float64, int32", _conv_ok, "Conv2D_1:0"),
    "conv-filter-dtype-mismatch": Bad(
        lambda: tf.nn.conv2d(tf.constant(X4), tf.constant(W4.astype(np.float64)), [1, 1, 1, 1],
                             "SAME"), TypeError,
        "Input 'filter' of 'Conv2D' Op has type float64 that does not match type float32 of "
        "argument 'input'.", _conv_ok, "Conv2D_1:0"),
    "conv-unknown-kwarg": _rx(lambda: tf.nn.conv2d(X4, W4, [1, 1, 1, 1], "SAME", foo=1),
                              TypeError, r"unexpected keyword argument 'foo'",
                              _conv_ok, "Conv2D:0"),
    "max-pool-ksize-zero": Bad(
        lambda: tf.nn.max_pool(X4, [1, 0, 0, 1], [1, 1, 1, 1], "VALID"), ValueError,
        "`ksize` cannot be zero. Received: ksize=[1, 0, 0, 1]",
        lambda: tf.nn.max_pool(X4, [1, 2, 2, 1], [1, 1, 1, 1], "VALID").name, "MaxPool_1:0"),
    "max-pool-padding-unknown": Bad(
        lambda: tf.nn.max_pool(X4, [1, 2, 2, 1], [1, 1, 1, 1], "FOO"), ValueError,
        "Attr 'padding' of 'MaxPool' Op passed string 'FOO' not in: \"SAME\", \"VALID\", "
        "\"EXPLICIT\".",
        lambda: tf.nn.max_pool(X4, [1, 2, 2, 1], [1, 1, 1, 1], "VALID").name, "MaxPool_1:0"),
    # ---- layers.conv2d (tf-keras 2.21 legacy layers) --------------------------------------
    "layers-conv-input-rank-3": _rx(
        lambda: tf.layers.conv2d(np.ones((5, 5, 3), np.float32), 4, 3), ValueError,
        r"expected min_ndim=4, found ndim=3\. Full shape received: \(5, 5, 3\)",
        lambda: tf.layers.conv2d(X4, 4, 3).name, "conv2d_1/BiasAdd:0"),
    "layers-conv-padding-unknown": Bad(
        lambda: tf.layers.conv2d(X4, 4, 3, padding="bogus"), ValueError,
        "The `padding` argument must be a list/tuple or one of \"valid\", \"same\" (or "
        "\"causal\", only for `Conv1D). Received: bogus",
        lambda: tf.layers.conv2d(X4, 4, 3).name, "conv2d/BiasAdd:0"),
    "layers-conv-kernel-size-zero": Bad(
        lambda: tf.layers.conv2d(X4, 4, 0), ValueError,
        "The `kernel_size` argument must be a tuple of 2 integers. Received: 0 including {0} "
        "that does not satisfy the requirement `> 0`.",
        lambda: tf.layers.conv2d(X4, 4, 3).name, "conv2d/BiasAdd:0"),
    "layers-conv-strides-zero": Bad(
        lambda: tf.layers.conv2d(X4, 4, 3, strides=0), ValueError,
        "The argument `strides` cannot contains 0(s). Received: (0, 0)",
        lambda: tf.layers.conv2d(X4, 4, 3).name, "conv2d/BiasAdd:0"),
    "layers-conv-name-space": Bad(lambda: tf.layers.conv2d(X4, 4, 3, name="bad name"),
                                  ValueError, _root("bad name"),
                                  lambda: tf.layers.conv2d(X4, 4, 3).name, "conv2d/BiasAdd:0"),
    "layers-conv-reuse-true-missing": Bad(
        lambda: tf.layers.conv2d(X4, 4, 3, name="cc", reuse=True), ValueError,
        "Variable cc/kernel does not exist, or was not created with tf.get_variable(). Did you "
        "mean to set reuse=tf.AUTO_REUSE in VarScope?",
        lambda: tf.layers.conv2d(X4, 4, 3, name="cc").name, "cc_1/BiasAdd:0"),
    # ---- bias_add, matmul, reshape and friends ---------------------------------------------
    "bias-add-wrong-length": Bad(
        lambda: tf.nn.bias_add(M23, np.ones(4, np.float32)), ValueError,
        _bias("Dimensions must be equal, but are 3 and 4", "[2,3], [4]"),
        lambda: tf.nn.bias_add(M23, np.ones(3, np.float32)).name, "BiasAdd_1:0"),
    "bias-add-bias-rank-2": Bad(
        lambda: tf.nn.bias_add(M23, np.ones((1, 3), np.float32)), ValueError,
        _bias("Shape must be rank 1 but is rank 2", "[2,3], [1,3]"),
        lambda: tf.nn.bias_add(M23, np.ones(3, np.float32)).name, "BiasAdd_1:0"),
    "bias-add-value-rank-1": Bad(
        lambda: tf.nn.bias_add(np.ones(3, np.float32), np.ones(3, np.float32)), ValueError,
        _bias("Shape must be at least rank 2 but is rank 1", "[3], [3]"),
        lambda: tf.nn.bias_add(M23, np.ones(3, np.float32)).name, "BiasAdd_1:0"),
    "bias-add-dtype-mismatch": Bad(
        lambda: tf.nn.bias_add(M23, tf.constant([1, 2, 3])), ValueError,
        "bias: Tensor conversion requested dtype float32 for Tensor with dtype int32: "
        "<tf.Tensor 'Const:0' shape=(3,) dtype=int32>",
        lambda: tf.nn.bias_add(M23, np.ones(3, np.float32)).name, "BiasAdd_1:0"),
    "matmul-inner-dim-mismatch": Bad(
        lambda: tf.matmul(M23, M23), ValueError,
        _matmul("Dimensions must be equal, but are 3 and 2", "[2,3], [2,3]"),
        lambda: tf.matmul(M23, M23.T).name, "MatMul_1:0"),
    "matmul-rank-1": Bad(
        lambda: tf.matmul(np.ones(3, np.float32), M23.T), ValueError,
        _matmul("Shape must be rank 2 but is rank 1", "[3], [3,2]"),
        lambda: tf.matmul(M23, M23.T).name, "MatMul_1:0"),
    "matmul-batch-mismatch": Bad(
        lambda: tf.matmul(np.ones((2, 2, 3), np.float32), np.ones((3, 3, 2), np.float32)),
        ValueError,
        "Dimensions must be equal, but are 2 and 3 for '{{node MatMul}} = BatchMatMulV2["
        "T=DT_FLOAT, adj_x=false, adj_y=false, grad_x=false, grad_y=false](MatMul/a, MatMul/b)' "
        "with input shapes: [2,2,3], [3,3,2].",
        lambda: tf.matmul(M23, M23.T).name, "MatMul_1:0"),
    "matmul-dtype-mismatch": Bad(
        lambda: tf.matmul(tf.constant([[1]]), tf.constant([[1.0]])), TypeError,
        "Input 'b' of 'MatMul' Op has type float32 that does not match type int32 of argument "
        "'a'.", lambda: tf.matmul(M23, M23.T).name, "MatMul_1:0"),
    "reshape-size-mismatch": Bad(
        lambda: tf.reshape(M23, [4]), ValueError,
        "Cannot reshape a tensor with 6 elements to shape [4] (4 elements) for '{{node "
        "Reshape}} = Reshape[T=DT_FLOAT, Tshape=DT_INT32](Reshape/tensor, Reshape/shape)' with "
        "input shapes: [2,3], [1] and with input tensors computed as partial shapes: input[1] "
        "= [4].", lambda: tf.reshape(M23, [6]).name, "Reshape_1:0"),
    "reshape-not-divisible": Bad(
        lambda: tf.reshape(M23, [-1, 4]), ValueError,
        "Dimension size must be evenly divisible by 4 but is 6 for '{{node Reshape}} = "
        "Reshape[T=DT_FLOAT, Tshape=DT_INT32](Reshape/tensor, Reshape/shape)' with input "
        "shapes: [2,3], [2] and with input tensors computed as partial shapes: input[1] = "
        "[?,4].", lambda: tf.reshape(M23, [6]).name, "Reshape_1:0"),
    "reshape-negative-dim": Bad(lambda: tf.reshape(M23, [-2, 3]), ValueError,
                                "Invalid value in tensor used for shape: -2",
                                lambda: tf.reshape(M23, [6]).name, "Reshape_1:0"),
    "reshape-float-shape": Bad(
        lambda: tf.reshape(M23, [2.0, 3]), TypeError,
        "Value passed to parameter 'shape' has DataType float32 not in list of allowed values: "
        "int32, int64", lambda: tf.reshape(M23, [6]).name, "Reshape_1:0"),
    "add-broadcast-mismatch": Bad(
        lambda: tf.add(np.ones(2, np.float32), np.ones(3, np.float32)), ValueError,
        "Dimensions must be equal, but are 2 and 3 for '{{node Add}} = AddV2[T=DT_FLOAT](Add/x, "
        "Add/y)' with input shapes: [2], [3].",
        lambda: tf.add(np.ones(2, np.float32), np.ones(2, np.float32)).name, "Add_1:0"),
    "add-dtype-mismatch": Bad(
        lambda: tf.constant([1]) + tf.constant([1.0]), TypeError,
        "Input 'y' of 'AddV2' Op has type float32 that does not match type int32 of argument "
        "'x'.", lambda: (tf.constant([1.0]) + tf.constant([1.0])).name, "add_1:0"),
    "reduce-axis-out-of-range": Bad(
        lambda: tf.reduce_sum(M23, axis=5), ValueError,
        "Invalid reduction dimension 5 for input with 2 dimensions. for '{{node Sum}} = "
        "Sum[T=DT_FLOAT, Tidx=DT_INT32, keep_dims=false](Sum/input, Sum/reduction_indices)' "
        "with input shapes: [2,3], [] and with computed input tensors: input[1] = <5>.",
        lambda: tf.reduce_sum(M23).name, "Sum_1:0"),
    # (a repeated axis, [0, 0], passes TF's shape function: the kernel refuses it at run time)
    "transpose-perm-out-of-range": _rx(lambda: tf.transpose(M23, [0, 2]), ValueError,
                                       r"perm dim 2 is out of range of input rank 2",
                                       lambda: tf.transpose(M23).name, "transpose_1:0"),
    "concat-shape-mismatch": Bad(
        lambda: tf.concat([M23, np.ones((2, 4), np.float32)], 0), ValueError,
        "Dimension 0 in both shapes must be equal, but are 3 and 4. Shapes are [3] and [4]. for "
        "'{{node concat}} = ConcatV2[N=2, T=DT_FLOAT, Tidx=DT_INT32](concat/values_0, "
        "concat/values_1, concat/axis)' with input shapes: [2,3], [2,4], [] and with computed "
        "input tensors: input[2] = <0>.", lambda: tf.concat([M23, M23], 0).name, "concat_1:0"),
    "random-uniform-int-without-maxval": Bad(
        lambda: tf.random_uniform([2], dtype=tf.int32), ValueError,
        "Must specify maxval for integer dtype tf.int32",
        lambda: tf.random_uniform([2]).name, "random_uniform/RandomUniform:0"),
    "template-name-space": Bad(
        lambda: tf.make_template("a b", lambda: tf.get_variable("w", [1]))(), ValueError,
        _root("a b"), lambda: tf.make_template("t", lambda: tf.get_variable("w", [1]))().name,
        "t/w:0"),
    "get-collection-bad-regex": _rx(lambda: tf.get_collection("variables", "("), re.error,
                                    r"missing \)", _v1, "v:0"),
}


def _snapshot() -> tuple[list[str], list[str], list[np.ndarray]]:
    variables = tf.global_variables()
    return ([v.name for v in variables], [v.name for v in tf.trainable_variables()],
            [np.array(v.numpy(), copy=True) for v in variables])


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_bad_call_raises_tf_error_and_leaves_store_unchanged(case: Bad) -> None:
    tf.get_variable("existing", [2], initializer=tf.zeros_initializer())
    with tf.variable_scope("s"):
        tf.get_variable("w", [3], initializer=tf.ones_initializer())
    names, trainable, values = _snapshot()
    assert names == ["existing:0", "s/w:0"]

    with pytest.raises(case.exc) as info:
        case.call()
    message = str(info.value)
    if case.exact:
        assert message == case.message
    else:
        assert re.search(case.message, message), message

    after_names, after_trainable, after_values = _snapshot()
    assert after_names == names
    assert after_trainable == trainable
    for before, now in zip(values, after_values):
        np.testing.assert_array_equal(now, before)
    assert tf.get_variable_scope().name == ""
    assert tf.get_default_graph().get_name_scope() == ""
    assert case.follow() == case.follow_name


def test_bad_input_table_covers_at_least_sixty_calls() -> None:
    assert len(CASES) >= 60


def test_conv2d_empty_batch_gives_empty_output_and_next_op_works() -> None:
    # TF builds and runs this conv (an empty batch is not an error); the next op is unaffected.
    y = tf.nn.conv2d(np.ones((0, 5, 5, 3), np.float32), W4, [1, 1, 1, 1], "SAME")
    assert y.name == "Conv2D:0"
    assert tf.constant(1.0).name == "Const:0"
    assert y.numpy().shape == (0, 5, 5, 4)


def test_zeros_of_a_shape_past_int32_wraps_like_tf() -> None:
    # TF converts the shape to int32 with wrap-around: [2**40, 2**40] is [0, 0].
    z = tf.zeros([HUGE, HUGE])
    assert z.shape.as_list() == [0, 0]
    assert np.asarray(z).shape == (0, 0)


def test_updates_of_uninitialized_variables_name_them_as_tf() -> None:
    # The check each variable-updating kernel makes first (state_ops.require_initialized):
    # a resource variable is not found in the container, a ref variable is uninitialized.
    v = tf.get_variable("uninit_v", [3])
    with tf.Session() as sess:
        for update in (tf.scatter_update(v, [0], [1.0]), v[1:2].assign([1.0])):
            with pytest.raises(tf.errors.NotFoundError, match=r"Container localhost does not "
                               r"exist\. \(Could not find resource: localhost/uninit_v\)"):
                sess.run(update)
