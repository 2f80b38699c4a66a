"""``tf.logging`` (TF1's tensorflow/python/platform/tf_logging.py): the ``tensorflow`` Python
logger, with TF's level constants (DEBUG=10 ... FATAL=50) and log_every_n / log_first_n."""

from __future__ import annotations

import logging as _logging
import threading
from typing import Any

__all__ = ["DEBUG", "ERROR", "FATAL", "INFO", "WARN", "debug", "error", "fatal",
           "flush", "get_logger", "get_verbosity", "info", "log", "log_every_n", "log_first_n",
           "log_if", "set_verbosity", "vlog", "warn", "warning"]

DEBUG = _logging.DEBUG
INFO = _logging.INFO
WARN = _logging.WARNING
ERROR = _logging.ERROR
FATAL = _logging.FATAL

# TF logs through the logger named "tensorflow"; varstore keeps that name so a program's
# logging configuration for TF applies unchanged.
_logger = _logging.getLogger("tensorflow")
_counts: dict[Any, int] = {}
_lock = threading.Lock()


def get_logger() -> _logging.Logger:
    return _logger


def log(level: int, msg: Any, *args: Any, **kwargs: Any) -> None:
    _logger.log(level, msg, *args, **kwargs)


def debug(msg: Any, *args: Any, **kwargs: Any) -> None:
    _logger.debug(msg, *args, **kwargs)


def info(msg: Any, *args: Any, **kwargs: Any) -> None:
    _logger.info(msg, *args, **kwargs)


def warning(msg: Any, *args: Any, **kwargs: Any) -> None:
    _logger.warning(msg, *args, **kwargs)


warn = warning


def error(msg: Any, *args: Any, **kwargs: Any) -> None:
    _logger.error(msg, *args, **kwargs)


def fatal(msg: Any, *args: Any, **kwargs: Any) -> None:
    _logger.fatal(msg, *args, **kwargs)


def vlog(level: int, msg: Any, *args: Any, **kwargs: Any) -> None:
    _logger.log(level, msg, *args, **kwargs)


def log_if(level: int, msg: Any, condition: Any, *args: Any) -> None:
    if condition:
        _logger.log(level, msg, *args)


def _next_count(key: Any) -> int:
    with _lock:
        n = _counts.get(key, 0)
        _counts[key] = n + 1
        return n


def log_every_n(level: int, msg: Any, n: int, *args: Any) -> None:
    """Logs on the 1st, (n+1)th, (2n+1)th... call from the same place (TF keys the count
    by the caller's file and line)."""
    import inspect

    frame = inspect.currentframe()
    caller = frame.f_back if frame is not None else None
    key = (caller.f_code.co_filename, caller.f_lineno) if caller is not None else None
    log_if(level, msg, _next_count(key) % n == 0, *args)


def log_first_n(level: int, msg: Any, n: int, *args: Any) -> None:
    """Logs the first ``n`` calls from the same place."""
    import inspect

    frame = inspect.currentframe()
    caller = frame.f_back if frame is not None else None
    key = (caller.f_code.co_filename, caller.f_lineno) if caller is not None else None
    log_if(level, msg, _next_count(key) < n, *args)


def get_verbosity() -> int:
    return _logger.getEffectiveLevel()


def set_verbosity(v: int) -> None:
    _logger.setLevel(v)


def flush() -> None:
    """As TF's: its tf.logging.flush raises NotImplementedError (the logger has handlers to
    flush instead)."""
    raise NotImplementedError()
