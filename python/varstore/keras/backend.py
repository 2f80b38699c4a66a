"""``tf.keras.backend`` (tf-keras' ``backend.py``), the graph-mode half: configuration
(floatx, epsilon, image data format), the learning phase, the session, object-name uids
and the variable/tensor helpers. The math half lives in ``backend_math.py``.

Per-graph state (layer-name uids, the learning phase, the variables Keras made) hangs on
the graph object, as tf-keras keys its dicts by graph; a new graph starts afresh.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant as _tf_constant
from varstore.framework.graph import Graph, get_default_graph, reset_default_graph
from varstore.framework.session import BaseSession, Session, get_default_session
from varstore.keras import backend_math as _backend_math

# configuration (epsilon / floatx / image data format) lives in _config.py, which the
# losses and the math read too; the math half of tf.keras.backend is backend_math.py
from varstore.keras._config import (
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)
from varstore.keras.backend_math import *
from varstore.keras.backend_rnn import rnn
from varstore.ops import array_ops, state_ops

__all__ = [
    "batch_get_value", "batch_set_value", "clear_session", "constant", "dtype", "epsilon",
    "floatx", "get_graph", "get_session", "get_uid", "get_value", "image_data_format",
    "int_shape", "is_keras_tensor", "learning_phase", "learning_phase_scope", "name_scope",
    "ndim", "placeholder", "reset_uids", "set_epsilon", "set_floatx",
    "set_image_data_format", "set_learning_phase", "set_session", "set_value",
    "unique_object_name", "variable",
]
__all__ += ["rnn"]
__all__ += _backend_math.__all__

# -- per-graph state ----------------------------------------------------------------------
def _state(graph: Graph | None = None) -> dict[str, Any]:
    g = graph if graph is not None else get_default_graph()
    state: dict[str, Any] = g.__dict__.setdefault("_keras_state", {})
    return state


def get_graph() -> Graph:
    return get_default_graph()


def get_uid(prefix: str = "") -> int:
    """The per-graph counter of ``prefix``, incremented: 1 the first time. Shared with
    tf.layers' names (one map per graph, as tf-keras' PER_GRAPH_OBJECT_NAME_UIDS)."""
    uids: dict[str, int] = get_default_graph().__dict__.setdefault("_keras_uids", {})
    uids[prefix] = uids.get(prefix, 0) + 1
    return uids[prefix]


def reset_uids() -> None:
    get_default_graph().__dict__["_keras_uids"] = {}


def unique_object_name(name: str, zero_based: bool = False) -> str:
    """tf-keras' unique_object_name: ``name`` itself first when zero-based (Keras layers:
    ``dense``, ``dense_1`` ...), else ``name_1``, ``name_2`` ... (tf.layers)."""
    uids: dict[str, int] = get_default_graph().__dict__.setdefault("_keras_uids", {})
    number = uids.get(name, 0)
    uids[name] = number + 1
    if zero_based:
        return name if number == 0 else f"{name}_{number}"
    return f"{name}_{number + 1}"


def snake_case(name: str) -> str:
    """tf-keras' generic_utils.to_snake_case (a leading '_' gets 'private')."""
    intermediate = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    insecure = re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    if insecure[0] != "_":
        return insecure
    return "private" + insecure


def name_scope(name: str) -> Any:
    """``tf.keras.backend.name_scope``: TF's (v1) name scope in the default graph."""
    return get_default_graph().name_scope(name)


# -- the learning phase -------------------------------------------------------------------
def learning_phase() -> Any:
    """The graph's learning phase: the value ``set_learning_phase`` gave, else a bool
    ``keras_learning_phase`` placeholder (default False) made once per graph at the root."""
    state = _state()
    if "learning_phase" not in state:
        graph = get_default_graph()
        with graph.name_scope(None):
            state["learning_phase"] = array_ops.placeholder_with_default(
                False, shape=(), name="keras_learning_phase")
    return state["learning_phase"]


def global_learning_phase_is_set() -> bool:
    """tf-keras' flag for a phase set by learning_phase_scope (eager only): never in
    graph mode, so layers read the phase only when ``training`` is None."""
    return False


def set_learning_phase(value: int) -> None:
    if value not in {0, 1}:
        raise ValueError("Expected learning phase to be 0 or 1.")
    _state()["learning_phase"] = value


@contextlib.contextmanager
def learning_phase_scope(value: int) -> Iterator[None]:
    if value not in {0, 1}:
        raise ValueError("Expected learning phase to be 0 or 1.")
    state = _state()
    missing = object()
    previous = state.get("learning_phase", missing)
    state["learning_phase"] = value
    try:
        yield
    finally:
        if previous is missing:
            state.pop("learning_phase", None)
        else:
            state["learning_phase"] = previous


# -- the session ----------------------------------------------------------------------------
_SESSION: list[BaseSession | None] = [None]


def track_variable(v: Any) -> None:
    """A variable Keras made, which get_session initializes when it is not yet."""
    _state(v.graph).setdefault("variables", []).append(v)


def _initialize_variables(session: BaseSession) -> None:
    """tf-keras' _initialize_variables: the Keras variables not checked yet are tested
    (``is_variable_initialized``) and the uninitialized ones initialized."""
    from varstore._variable_lists import variables_initializer

    state = _state(session.graph)
    checked: set[int] = state.setdefault("initialized", set())
    candidates = [v for v in state.get("variables", []) if id(v) not in checked]
    if not candidates:
        return
    flags = session.run([state_ops.is_variable_initialized(v) for v in candidates])
    missing = []
    for flag, v in zip(flags, candidates, strict=True):
        if not flag:
            missing.append(v)
        checked.add(id(v))
    if missing:
        session.run(variables_initializer(missing))


def get_session(op_input_list: Any = ()) -> BaseSession:
    """The default session, else Keras' global one (made for the default graph); Keras
    variables not yet initialized are initialized in it."""
    session = get_default_session()
    if session is None:
        current = _SESSION[0]
        if current is None or current.graph is not get_default_graph():
            current = Session(graph=get_default_graph())
            _SESSION[0] = current
        session = current
    with session.graph.as_default():
        _initialize_variables(session)
    return session


def set_session(session: BaseSession) -> None:
    _SESSION[0] = session


def clear_session() -> None:
    """A new default graph (no uids, no learning phase, no Keras variables) and no
    global session."""
    reset_default_graph()
    if _SESSION[0] is not None:
        _SESSION[0].close()
        _SESSION[0] = None


# -- tensors and variables ----------------------------------------------------------------
def is_keras_tensor(x: Any) -> bool:
    from varstore.framework.ops import Tensor
    from varstore.keras.engine import node as _node
    from varstore.variables import Variable

    if not isinstance(x, (Tensor, Variable)):
        raise ValueError(  # noqa: TRY004 - TF raises ValueError here
            "Unexpectedly found an instance of type `" + str(type(x))
                         + "`. Expected a symbolic tensor instance.")
    return _node.history_of(x) is not None


def int_shape(x: Any) -> tuple[int | None, ...] | None:
    shape = x.shape
    if isinstance(shape, tuple):
        return shape
    if shape.ndims is None:
        return None
    return tuple(shape.as_list())


def ndim(x: Any) -> int | None:
    rank: int | None = x.shape.ndims
    return rank


def dtype(x: Any) -> str:
    return str(x.dtype.base_dtype.name)


def variable(value: Any, dtype: Any = None, name: str | None = None,
             constraint: Any = None) -> Any:
    from varstore.variables import Variable

    v = Variable(value, dtype=_dtypes.as_dtype(dtype or floatx()), name=name,
                 constraint=constraint)
    track_variable(v)
    return v


def constant(value: Any, dtype: Any = None, shape: Any = None, name: str | None = None) -> Any:
    return _tf_constant(value, dtype=dtype or floatx(), shape=shape, name=name or "Const")


def placeholder(shape: Any = None, ndim: int | None = None, dtype: Any = None,
                sparse: bool = False, name: str | None = None, ragged: bool = False) -> Any:
    if sparse and ragged:
        raise ValueError("Cannot set both sparse and ragged to True when creating a "
                         "placeholder.")
    if sparse or ragged:
        raise NotImplementedError("varstore lacks tf.keras.backend.placeholder(sparse=True "
                                  "or ragged=True)")
    if not shape and ndim:
        shape = (None,) * ndim
    return array_ops.placeholder(dtype or floatx(), shape=shape, name=name)


def get_value(x: Any) -> Any:
    from varstore.framework.ops import Tensor
    from varstore.variables import Variable

    if not isinstance(x, (Tensor, Variable)):
        return x
    with x.graph.as_default():
        return get_session((x,)).run(x)


def batch_get_value(tensors: Any) -> list[Any]:
    if tensors:
        return list(get_session(tensors).run(list(tensors)))
    return []


def set_value(x: Any, value: Any) -> None:
    batch_set_value([(x, value)])


def batch_set_value(tuples: Any) -> None:
    """tf-keras' graph-mode batch_set_value: one placeholder of rank ``value.ndim`` (every
    dimension unknown) and one assign per variable, made once and kept, fed together."""
    tuples = list(tuples)
    if not tuples:
        return
    assigns: dict[int, tuple[Any, Any]] = _state().setdefault("assign_ops", {})
    ops = []
    feed = {}
    for x, value in tuples:
        arr = np.asarray(value, dtype=x.dtype.base_dtype.as_numpy_dtype)
        if id(x) not in assigns:
            ph = array_ops.placeholder(x.dtype.base_dtype, shape=[None] * arr.ndim)
            assigns[id(x)] = (ph, x.assign(ph))
        ph, op = assigns[id(x)]
        ops.append(op)
        feed[ph] = arr
    get_session().run(ops, feed_dict=feed)


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.keras.backend' has no attribute {name!r}: "
                         f"varstore lacks tf.keras.backend.{name}")
