"""``_UnreadVariable``: what a resource variable's ``assign*`` (and the scatter ops on one)
return, as TF's: the variable, read only after that update."""

from __future__ import annotations

from typing import Any

import numpy as np

from varstore.framework.ops import Operation, Tensor
from varstore.ops import state_ops
from varstore.variables import Variable

__all__ = ["_UnreadVariable"]


class _UnreadVariable(Variable):
    """What ``assign*`` returns for a resource variable: the variable, read after the
    assignment (``sess.run`` of it returns the new value; ``.op`` is the assign op)."""

    __slots__ = ("_assign_op", "_read")
    _assign_op: Operation
    _read: Tensor

    @classmethod
    def _of(cls, var: Variable, assign_op: Operation) -> _UnreadVariable:
        self = cls.__new__(cls)
        self._graph = var._graph
        self._store = var._store
        self._id = var._id
        self._assign_op = assign_op
        self._read = self._as_tensor()
        return self

    @property
    def name(self) -> str:
        # TF names an unread variable after the assign op that made it (no ":0")
        return self._assign_op._name

    @property
    def op(self) -> Operation:
        return self._assign_op

    def _as_graph_element(self) -> Tensor:
        return self._read

    def _as_tensor(self, as_ref: bool = False) -> Tensor:
        # TF's _UnreadVariable reads afresh after its assign, never a cached copy
        ops = self._ops
        with self._graph.control_dependencies([self._assign_op]):
            if ops.is_ref:
                return Variable._as_tensor(self, as_ref)
            return state_ops.read_variable_op(ops.handle, ops.dtype, ops.shape)

    # TF's _UnreadVariable: every read and every chained update runs after the assign
    def read_value(self) -> Tensor:
        return self._as_tensor()

    def eval(self, session: Any = None) -> np.ndarray:
        return self._read.eval(session=session)  # type: ignore[no-any-return]

    def assign(self, value: Any, use_locking: Any = None, name: str | None = None,
               read_value: bool = True) -> Any:
        with self._graph.control_dependencies([self._assign_op]):
            return Variable.assign(self, value, use_locking, name, read_value)

    def assign_add(self, delta: Any, use_locking: Any = None, name: str | None = None,
                   read_value: bool = True) -> Any:
        with self._graph.control_dependencies([self._assign_op]):
            return Variable.assign_add(self, delta, use_locking, name, read_value)

    def assign_sub(self, delta: Any, use_locking: Any = None, name: str | None = None,
                   read_value: bool = True) -> Any:
        with self._graph.control_dependencies([self._assign_op]):
            return Variable.assign_sub(self, delta, use_locking, name, read_value)

    def __repr__(self) -> str:
        return f"<tf.Variable '{self.name}' shape={self.shape} dtype={self._repr_dtype()}>"

