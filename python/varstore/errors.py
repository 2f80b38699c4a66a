"""TF's ``tf.errors``: the exception classes of op and session failures, with TF's codes."""

from __future__ import annotations

import warnings
from typing import Any

__all__ = [
    "ABORTED",
    "ALREADY_EXISTS",
    "CANCELLED",
    "DATA_LOSS",
    "DEADLINE_EXCEEDED",
    "FAILED_PRECONDITION",
    "INTERNAL",
    "INVALID_ARGUMENT",
    "NOT_FOUND",
    "OK",
    "OUT_OF_RANGE",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "UNAUTHENTICATED",
    "UNAVAILABLE",
    "UNIMPLEMENTED",
    "UNKNOWN",
    "AbortedError",
    "AlreadyExistsError",
    "CancelledError",
    "DataLossError",
    "DeadlineExceededError",
    "FailedPreconditionError",
    "InternalError",
    "InvalidArgumentError",
    "NotFoundError",
    "OpError",
    "OutOfRangeError",
    "PermissionDeniedError",
    "ResourceExhaustedError",
    "UnauthenticatedError",
    "UnavailableError",
    "UnimplementedError",
    "UnknownError",
    "error_code_from_exception_type",
    "exception_type_from_error_code",
]

OK = 0
CANCELLED = 1
UNKNOWN = 2
INVALID_ARGUMENT = 3
DEADLINE_EXCEEDED = 4
NOT_FOUND = 5
ALREADY_EXISTS = 6
PERMISSION_DENIED = 7
RESOURCE_EXHAUSTED = 8
FAILED_PRECONDITION = 9
ABORTED = 10
OUT_OF_RANGE = 11
UNIMPLEMENTED = 12
INTERNAL = 13
UNAVAILABLE = 14
DATA_LOSS = 15
UNAUTHENTICATED = 16


class OpError(Exception):
    """A runtime error of an op, as ``tf.errors.OpError``: ``node_def``, ``op``, ``message``
    and ``error_code``."""

    _code = UNKNOWN

    def __init__(self, node_def: Any, op: Any, message: str, *args: Any) -> None:
        super().__init__(message, *args)
        self._node_def = node_def
        self._op = op
        self._message = message
        if args and isinstance(args[0], int):
            self._error_code = args[0]
        else:
            self._error_code = type(self)._code

    @property
    def message(self) -> str:
        return self._message

    @property
    def op(self) -> Any:
        return self._op

    @property
    def node_def(self) -> Any:
        return self._node_def

    @property
    def error_code(self) -> int:
        return self._error_code

    @property
    def experimental_payloads(self) -> dict[str, Any]:
        return {}

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self._node_def, self._op, self._message)

    def __str__(self) -> str:
        return self._message


class CancelledError(OpError):
    """``tf.errors.CancelledError``."""

    _code = CANCELLED


class UnknownError(OpError):
    """``tf.errors.UnknownError``."""

    _code = UNKNOWN


class InvalidArgumentError(OpError):
    """``tf.errors.InvalidArgumentError``."""

    _code = INVALID_ARGUMENT


class DeadlineExceededError(OpError):
    """``tf.errors.DeadlineExceededError``."""

    _code = DEADLINE_EXCEEDED


class NotFoundError(OpError):
    """``tf.errors.NotFoundError``."""

    _code = NOT_FOUND


class AlreadyExistsError(OpError):
    """``tf.errors.AlreadyExistsError``."""

    _code = ALREADY_EXISTS


class PermissionDeniedError(OpError):
    """``tf.errors.PermissionDeniedError``."""

    _code = PERMISSION_DENIED


class UnauthenticatedError(OpError):
    """``tf.errors.UnauthenticatedError``."""

    _code = UNAUTHENTICATED


class ResourceExhaustedError(OpError):
    """``tf.errors.ResourceExhaustedError``."""

    _code = RESOURCE_EXHAUSTED


class FailedPreconditionError(OpError):
    """``tf.errors.FailedPreconditionError``."""

    _code = FAILED_PRECONDITION


class AbortedError(OpError):
    """``tf.errors.AbortedError``."""

    _code = ABORTED


class OutOfRangeError(OpError):
    """``tf.errors.OutOfRangeError``."""

    _code = OUT_OF_RANGE


class UnimplementedError(OpError):
    """``tf.errors.UnimplementedError``."""

    _code = UNIMPLEMENTED


class InternalError(OpError):
    """``tf.errors.InternalError``."""

    _code = INTERNAL


class UnavailableError(OpError):
    """``tf.errors.UnavailableError``."""

    _code = UNAVAILABLE


class DataLossError(OpError):
    """``tf.errors.DataLossError``."""

    _code = DATA_LOSS


_BY_CODE = {cls._code: cls for cls in (
    CancelledError, UnknownError, InvalidArgumentError, DeadlineExceededError, NotFoundError,
    AlreadyExistsError, PermissionDeniedError, UnauthenticatedError, ResourceExhaustedError,
    FailedPreconditionError, AbortedError, OutOfRangeError, UnimplementedError, InternalError,
    UnavailableError, DataLossError)}


def exception_type_from_error_code(error_code: int) -> type[OpError]:
    return _BY_CODE[error_code]


def error_code_from_exception_type(cls: Any) -> Any:
    """The code of an OpError class; TF warns and returns an UnknownError (the instance,
    not a code) for any other class, and so does varstore."""
    code = getattr(cls, "_code", -1)
    if isinstance(cls, type) and issubclass(cls, OpError) and _BY_CODE.get(code) is cls:
        return code
    warnings.warn("Unknown class exception", stacklevel=2)
    return UnknownError(None, None, "Unknown class exception")
