"""tf.test: the test case, gradient checker and device queries of TF1's tf.test (compat.v1).

varstore runs on the CPU only, so the GPU queries answer as TF does on a machine without one.
"""

from __future__ import annotations

import tempfile as _tempfile
from typing import Any
from unittest import mock

from varstore.framework.graph_def_diff import assert_equal_graph_def
from varstore.framework.test_util import TensorFlowTestCase as TestCase
from varstore.ops.gradient_checker import compute_gradient, compute_gradient_error
from varstore.test._stubout import StubOutForTesting

__all__ = [
    "StubOutForTesting",
    "TestCase",
    "assert_equal_graph_def",
    "compute_gradient",
    "compute_gradient_error",
    "get_temp_dir",
    "gpu_device_name",
    "is_built_with_cuda",
    "is_built_with_gpu_support",
    "is_built_with_rocm",
    "is_built_with_xla",
    "is_gpu_available",
    "main",
    "mock",
    "with_eager_op_as_function",
]

_TEMP_DIR: list[str] = []


def main(argv: Any = None) -> Any:
    """Runs the tests of ``__main__`` (absl's test main, as TF's googletest.main)."""
    from absl.testing import absltest
    return absltest.main(argv=argv)


def get_temp_dir() -> str:
    """A temporary directory for the process, the same on every call."""
    if not _TEMP_DIR:
        _TEMP_DIR.append(_tempfile.mkdtemp())
    return _TEMP_DIR[0]


def gpu_device_name() -> str:
    """'' : varstore has no GPU device."""
    return ""


def is_gpu_available(cuda_only: bool = False, min_cuda_compute_capability: Any = None) -> bool:
    return False


def is_built_with_cuda() -> bool:
    return False


def is_built_with_rocm() -> bool:
    return False


def is_built_with_gpu_support() -> bool:
    return False


def is_built_with_xla() -> bool:
    return False


def with_eager_op_as_function(cls: Any = None, only_as_function: bool = False) -> Any:
    """A test-class decorator that TF 2.21 keeps as a no-op (it returns the class)."""
    if cls is not None:
        return cls
    return lambda c: c


def __getattr__(name: str) -> object:
    """A tf.test symbol varstore does not implement: an AttributeError that says so."""
    raise AttributeError(f"module 'varstore.test' has no attribute {name!r}: varstore lacks "
                         f"tf.test.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
