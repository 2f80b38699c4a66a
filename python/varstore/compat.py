"""TF1 session-era shims: Session, initializers of variables, set_random_seed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing_extensions import Self

import numpy as np

from varstore.errors import FailedPreconditionError
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


def _fetched(value: np.ndarray) -> Any:
    """What Session.run returns for a value: a copy; a NumPy scalar for a 0-d value (as TF)."""
    out = np.array(value, copy=True)
    return out[()] if out.ndim == 0 else out


class _InitOp(Operation):
    """The NoOp that initialises variables: running it marks them initialised in a session."""

    __slots__ = ("_var_ids",)
    _var_ids: list[int]


class Session:
    """Runs fetches. Values are computed eagerly; run() returns them as NumPy values and,
    like TF1, refuses to read a variable before an initializer ran in this session."""

    def __init__(self, target: str = "", graph: Any = None, config: Any = None) -> None:
        self._graph = graph if graph is not None else get_default_graph()
        self._closed = False
        self._initialized: set[int] = set()
        self._draws: dict[Tensor, int] = {}  # runs so far of each random op in this session

    @property
    def graph(self) -> Any:
        return self._graph

    def run(self, fetches: Any, feed_dict: Any = None, options: Any = None,
            run_metadata: Any = None) -> Any:
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        graph = self._graph
        if graph._last_id == 0 and not graph._variables:
            raise RuntimeError("The Session graph is empty. Add operations to the graph before "
                               "calling run().")
        if feed_dict:
            raise NotImplementedError(
                "feed_dict is not supported: varstore executes eagerly, so feed values by "
                "calling the model function on them"
            )
        return self._fetch(fetches)

    def _fetch(self, fetch: Any) -> Any:
        if isinstance(fetch, Tensor):
            self._check_graph(fetch)
            if fetch._resample is not None:
                k = self._draws.get(fetch, 0)
                self._draws[fetch] = k + 1
                if k:
                    return _fetched(fetch._resample(k))
            return _fetched(fetch._value)
        if isinstance(fetch, Variable):
            self._check_graph(fetch)
            if fetch._id not in self._initialized:
                raise FailedPreconditionError(
                    None, None,
                    f"Could not find variable {fetch._shared_name}. This could mean that the "
                    "variable has been deleted. In TF1, it can also mean the variable is "
                    "uninitialized. Debugging information: Resource "
                    f"localhost/{fetch._shared_name} does not exist.",
                )
            return _fetched(fetch._view())
        if isinstance(fetch, Operation):
            if isinstance(fetch, _InitOp):
                self._initialized.update(fetch._var_ids)
            return None
        if isinstance(fetch, (list, tuple)):
            out = [self._fetch(f) for f in fetch]
            if hasattr(fetch, "_fields"):  # namedtuple
                return type(fetch)(*out)
            return out if isinstance(fetch, list) else tuple(out)
        if isinstance(fetch, Mapping):
            return {k: self._fetch(v) for k, v in fetch.items()}
        if fetch is None:
            raise TypeError("Fetch argument None has invalid type <class 'NoneType'>")
        raise TypeError(
            f"Fetch argument {fetch!r} has invalid type {type(fetch)}, must be a string or "
            f"Tensor. (Can not convert a {type(fetch).__name__} into a Tensor or Operation.)"
        )

    def _check_graph(self, fetch: Any) -> None:
        if fetch.graph is not self._graph:
            raise ValueError(f"Fetch argument {fetch!r} cannot be interpreted as a Tensor. "
                             f"(Tensor {fetch} is not an element of this graph.)")

    def close(self) -> None:
        self._closed = True

    def as_default(self) -> Session:
        return self

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class InteractiveSession(Session):
    pass


def variables_initializer(var_list: Any, name: str = "init") -> Operation:
    """The NoOp that initialises ``var_list`` in a Session (values exist from creation)."""
    graph = get_default_graph()
    op = _InitOp(graph._op_name(name, "init"), "NoOp", graph)
    op._var_ids = [v._id for v in var_list if isinstance(v, Variable)]
    return op


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
