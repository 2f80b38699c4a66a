"""TF1 session-era shims: Session, initializers of variables, set_random_seed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from varstore.graph import GraphKeys, get_default_graph
from varstore.tensor import Operation, Tensor
from varstore.variables import Variable

__all__ = [
    "InteractiveSession",
    "Session",
    "global_variables_initializer",
    "initialize_all_variables",
    "local_variables_initializer",
    "set_random_seed",
    "variables_initializer",
]


def _fetch(fetch: Any) -> Any:
    if fetch is None:
        raise TypeError("Fetch argument None has invalid type <class 'NoneType'>")
    if isinstance(fetch, Tensor):
        return np.array(fetch._value, copy=True)
    if isinstance(fetch, Variable):
        return fetch.numpy()
    if isinstance(fetch, Operation):
        return None
    if isinstance(fetch, (list, tuple)):
        out = [_fetch(f) for f in fetch]
        if hasattr(fetch, "_fields"):  # namedtuple
            return type(fetch)(*out)
        return out if isinstance(fetch, list) else tuple(out)
    if isinstance(fetch, Mapping):
        return {k: _fetch(v) for k, v in fetch.items()}
    if isinstance(fetch, (np.ndarray, np.generic, int, float, bool)):
        raise TypeError(
            f"Fetch argument {fetch!r} has invalid type {type(fetch)}, must be a string or "
            "Tensor. (Can not convert a "
            f"{type(fetch).__name__} into a Tensor or Operation.)"
        )
    raise TypeError(f"Fetch argument {fetch!r} has invalid type {type(fetch)}")


class Session:
    """Runs fetches: values are already computed eagerly, so run() returns them."""

    def __init__(self, target: str = "", graph: Any = None, config: Any = None) -> None:
        self._graph = graph if graph is not None else get_default_graph()
        self._closed = False

    @property
    def graph(self) -> Any:
        return self._graph

    def run(self, fetches: Any, feed_dict: Any = None, options: Any = None,
            run_metadata: Any = None) -> Any:
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        if feed_dict:
            raise NotImplementedError(
                "feed_dict is not supported: varstore executes eagerly, so feed values by "
                "calling the model function on them"
            )
        return _fetch(fetches)

    def close(self) -> None:
        self._closed = True

    def as_default(self) -> Session:
        return self

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class InteractiveSession(Session):
    pass


def _init_op(name: str) -> Operation:
    graph = get_default_graph()
    return Operation(graph._op_name(name, "init"), "NoOp", graph)


def variables_initializer(var_list: Any, name: str = "init") -> Operation:
    """Variables are initialised when created; this returns the TF1 NoOp for run()."""
    return _init_op(name)


def global_variables_initializer() -> Operation:
    return variables_initializer(get_default_graph().get_collection(
        GraphKeys.GLOBAL_VARIABLES))


def initialize_all_variables() -> Operation:
    return global_variables_initializer()


def local_variables_initializer() -> Operation:
    return variables_initializer(get_default_graph().get_collection(
        GraphKeys.LOCAL_VARIABLES))


def set_random_seed(seed: int | None) -> None:
    """Sets the graph-level seed: random initial values become reproducible."""
    get_default_graph().seed = None if seed is None else int(seed)
