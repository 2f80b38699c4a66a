"""tf.variable_scope / tf.name_scope are C context managers that enter the plain forms
themselves and hand every other form to the Python implementations. Both paths must give
the same names, counters, errors and state; these tests run the same programs through both.
"""

from __future__ import annotations

import importlib
import inspect
import threading
from typing import Any

import numpy as np
import pytest

import varstore as tf

vs_mod = importlib.import_module("varstore.variable_scope")
graph_mod = importlib.import_module("varstore.framework.graph")

FAST = (tf.variable_scope, tf.name_scope)
SLOW = (vs_mod._variable_scope, graph_mod._name_scope)


def _program(vs: Any, ns: Any) -> list[str]:
    """A model built with the given context managers; returns every name it sees."""
    out: list[str] = []
    zeros = tf.zeros_initializer()
    with vs("model") as model:
        out.append(model.name)
        for i in range(3):
            with vs("block"), vs(f"layer_{i}") as s:
                out += [s.name, s.original_name_scope, tf.get_default_graph().get_name_scope()]
                out.append(tf.get_variable("w", [2], initializer=zeros).name)
                with ns("act") as n:
                    out.append(n)
                    out.append(tf.add(tf.constant(1.0), 2.0, name="add").name)
        with vs(model, reuse=True):
            with vs("block"), vs("layer_1"):
                out.append(tf.get_variable("w", [2]).name)
        with vs("block", reuse=tf.AUTO_REUSE), vs("layer_9"):
            out.append(tf.get_variable("v", [1]).name)
            out.append(tf.get_variable("v", [1]).name)
        with vs(None, default_name="dflt") as d:
            out.append(d.name)
        with ns("x"), ns("x"):
            out.append(tf.get_default_graph().get_name_scope())
    out.append(tf.get_default_graph().get_name_scope())
    out += [v.name for v in tf.global_variables()]
    return out


def test_c_and_python_paths_give_the_same_names() -> None:
    fast = _program(*FAST)
    tf.reset_default_graph()
    slow = _program(*SLOW)
    assert fast == slow
    assert "model/block_2/layer_2/act/add:0" in fast  # op names made unique per entry
    assert fast[-1] == "model/block/layer_9/v:0"


def test_types_and_attributes() -> None:
    assert tf.variable_scope.__name__ == "variable_scope"
    assert tf.variable_scope.__module__ == "varstore"
    assert "variable" in (tf.variable_scope.__doc__ or "")
    assert str(inspect.signature(tf.name_scope)) == "(name, default_name=None, values=None)"
    assert list(inspect.signature(tf.variable_scope).parameters) == list(
        inspect.signature(vs_mod._variable_scope).parameters)
    assert tf.name_scope("a").name == "a"
    assert tf.name_scope(None, default_name="d").name == "d"
    cm = tf.variable_scope(**{"name_or_scope": "kw", "reuse": None})  # the tp_new path
    with cm as s:
        assert s.name == "kw"


@pytest.mark.parametrize("make", [FAST, SLOW], ids=["c", "python"])
def test_errors_leave_the_state_unchanged(make: tuple[Any, Any]) -> None:
    vs, ns = make
    g = tf.get_default_graph()
    with pytest.raises(ValueError, match="reuse parameter must be True or False or None"):
        vs("a", reuse=3)
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        vs("a", bogus=1)
    with pytest.raises(ValueError, match="is not a valid scope name"):
        with vs("a"), vs("bad name"):
            pass
    assert g.get_name_scope() == ""
    assert tf.get_variable_scope().name == ""
    with pytest.raises(ValueError, match="not a valid"):
        with ns("a b"):
            pass
    assert g.get_name_scope() == ""
    outer, inner = vs("outer"), vs("inner")
    outer.__enter__()
    inner.__enter__()
    with pytest.raises(RuntimeError, match="Improper nesting of variable_scope"):
        outer.__exit__(None, None, None)  # inner is still open
    assert g.get_name_scope() == ""  # the name stack is restored even then
    state = g._thread  # the nesting is broken for good now: clear it for the next test
    state.depth, state.var_scope = 0, None


def test_exceptions_inside_restore_the_scope() -> None:
    with pytest.raises(KeyError):
        with tf.variable_scope("a"), tf.name_scope("n"):
            raise KeyError("boom")
    assert tf.get_default_graph().get_name_scope() == ""
    assert tf.get_variable_scope().name == ""
    with tf.variable_scope("a") as s:  # the counters were closed: the name scope is a_1
        assert s.original_name_scope == "a_1/"


def test_another_graph_is_entered_by_the_python_path() -> None:
    g1 = tf.get_default_graph()
    cm = tf.variable_scope("s")  # built while g1 is the default: it belongs to g1
    g2 = tf.Graph()
    with g2.as_default():
        with cm as s:
            assert tf.get_default_graph() is g1
            v = tf.get_variable("v", [1])
        assert tf.get_default_graph() is g2
    assert s.name == "s" and v.graph is g1 and v.name == "s/v:0"


def test_threads_have_their_own_scopes() -> None:
    errors: list[BaseException] = []
    names: dict[int, list[str]] = {}

    def work(k: int) -> None:
        try:
            got = []
            for i in range(300):
                with tf.variable_scope(f"t{k}"), tf.variable_scope(f"s{i}") as s:
                    got.append(s.name)
                    with tf.name_scope("n") as n:
                        assert n.startswith(f"t{k}")
            names[k] = got
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    for k in range(4):
        assert names[k] == [f"t{k}/s{i}" for i in range(300)]


def test_get_variable_c_create_matches_the_python_publish() -> None:
    """Constant-filled creates are published in C: the same wrapper, kind and collections
    as _publish gives (the Python path is forced with an argument the C path declines)."""
    inits = [tf.zeros_initializer(), tf.ones_initializer(), tf.constant_initializer(2.5)]
    for k, init in enumerate(inits):
        fast = tf.get_variable(f"fast{k}", [3], initializer=init)
        slow = tf.get_variable(f"slow{k}", [3], initializer=init, trainable=True)
        g = tf.get_default_graph()
        for v in (fast, slow):
            assert g._variables[v._id] is v
            assert v in tf.global_variables() and v in tf.trainable_variables()
        op = slow.initial_value.name.split("/Initializer/")[1]
        assert fast.initial_value.name == f"fast{k}/Initializer/{op}"
        assert (np.asarray(fast) == np.asarray(slow)).all()
    assert [v.name for v in tf.global_variables("fast")] == ["fast0:0", "fast1:0", "fast2:0"]
    assert tf.global_variables("fast1:0") == [tf.global_variables()[2]]


def test_a_subclass_of_a_constant_initializer_is_called() -> None:
    """The C path fills only the constant initializers themselves; a subclass may compute
    its values differently and goes through the Python path (which calls it)."""
    zeros_cls = type(tf.zeros_initializer())

    class Sevens(zeros_cls):  # type: ignore[misc, valid-type]
        def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Any:
            return np.full(shape, 7.0, np.float32)

    v = tf.get_variable("sevens", [3], initializer=Sevens())
    assert np.asarray(v).tolist() == [7.0, 7.0, 7.0]
