"""TF's ``tf.errors`` exception classes (those a TF1 program may catch)."""

from __future__ import annotations

from typing import Any

__all__ = [
    "DataLossError",
    "FailedPreconditionError",
    "InvalidArgumentError",
    "NotFoundError",
    "OpError",
]


class OpError(Exception):
    """A runtime error of an op, as ``tf.errors.OpError``."""

    def __init__(self, node_def: Any, op: Any, message: str, *args: Any) -> None:
        super().__init__(message)
        self._node_def = node_def
        self._op = op
        self._message = message

    @property
    def message(self) -> str:
        return self._message

    @property
    def op(self) -> Any:
        return self._op

    def __str__(self) -> str:
        return self._message


class FailedPreconditionError(OpError):
    pass


class InvalidArgumentError(OpError):
    pass


class NotFoundError(OpError):
    pass


class DataLossError(OpError):
    """Unrecoverable data loss or corruption (e.g. a checkpoint whose checksum does not
    match), as ``tf.errors.DataLossError``."""
