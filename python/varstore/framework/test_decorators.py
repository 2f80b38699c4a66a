"""The rest of TF's framework/test_util: build predicates, test decorators, layout helpers.

TensorFlow's own op tests import these beside ``TensorFlowTestCase`` (``test_util.
is_xla_enabled()``, ``@test_util.disable_xla(...)``, ``test_util.NHWCToNCHW(shape)``); they
live here so that test_util.py stays the test case itself. The answers are varstore's: a CPU
build without XLA, CUDA, ROCm, MKL, TFRT or sanitizers, so the decorators that exist to skip a
test on such a build run it, and those that need a GPU skip it as TF's do on a CPU machine.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import inspect
import itertools
import unittest
from collections.abc import Callable, Iterator
from typing import Any

from varstore.framework import mode

__all__ = [
    "GpuSupportsHalfMatMulAndConv",
    "IsBuiltWithNvcc",
    "IsBuiltWithROCm",
    "IsBuiltWithXLA",
    "IsGoogleCudaEnabled",
    "IsMklEnabled",
    "NCHWToNHWC",
    "NHWCToNCHW",
    "also_run_as_tf_function",
    "assert_no_garbage_created",
    "assert_no_new_pyobjects_executing_eagerly",
    "assert_no_new_tensors",
    "assert_ops_in_graph",
    "build_as_function_and_v1_graph",
    "device",
    "disable_asan",
    "disable_control_flow_v2",
    "disable_cudnn_autotune",
    "disable_mlir_bridge",
    "disable_msan",
    "disable_tfrt",
    "disable_tsan",
    "disable_ubsan",
    "disable_xla",
    "enable_c_shapes",
    "enable_control_flow_v2",
    "enable_output_all_intermediates",
    "for_all_test_methods",
    "force_cpu",
    "force_gpu",
    "generate_combinations_with_testcase_name",
    "get_node_def_from_graph",
    "is_asan_enabled",
    "is_gpu_available",
    "is_mlir_bridge_enabled",
    "is_msan_enabled",
    "is_tsan_enabled",
    "is_ubsan_enabled",
    "is_xla_enabled",
    "no_xla_auto_jit",
    "py_func_if_in_function",
    "run_all_in_graph_and_eager_modes",
    "run_all_without_tensor_float_32",
    "run_class_in_v1_v2",
    "run_cuda_only",
    "run_gpu_only",
    "run_gpu_or_tpu",
    "run_in_v1_v2",
    "run_v2_only",
    "run_without_tensor_float_32",
    "skip_if",
    "skip_if_error",
    "use_gpu",
    "with_c_shapes",
    "with_control_flow_v2",
    "with_forward_compatibility_horizons",
    "xla_allow_fallback",
]


def _false() -> bool:
    return False


# What this build is: TF's predicates, answered for a CPU-only build with none of the options.
is_xla_enabled = is_mlir_bridge_enabled = _false
is_asan_enabled = is_msan_enabled = is_tsan_enabled = is_ubsan_enabled = _false
IsGoogleCudaEnabled = IsBuiltWithROCm = IsBuiltWithXLA = IsBuiltWithNvcc = _false
IsMklEnabled = GpuSupportsHalfMatMulAndConv = _false


def is_gpu_available(cuda_only: bool = False, min_cuda_compute_capability: Any = None) -> bool:
    return False


def _transpose(x: Any, perm: list[int]) -> Any:
    from varstore.ops import array_ops

    return array_ops.transpose(x, perm)


def _is_tensor(x: Any) -> bool:
    from varstore.framework.ops import Tensor

    return isinstance(x, Tensor)


def NHWCToNCHW(input_tensor: Any) -> Any:
    """A 3-, 4- or 5-D tensor, or a shape list, from NHWC to NCHW order."""
    new_axes = {3: [0, 2, 1], 4: [0, 3, 1, 2], 5: [0, 4, 1, 2, 3]}
    if _is_tensor(input_tensor):
        return _transpose(input_tensor, new_axes[input_tensor.shape.ndims])
    return [input_tensor[a] for a in new_axes[len(input_tensor)]]


def NCHWToNHWC(input_tensor: Any) -> Any:
    """A 4- or 5-D tensor, or a shape list, from NCHW to NHWC order."""
    new_axes = {4: [0, 2, 3, 1], 5: [0, 2, 3, 4, 1]}
    if _is_tensor(input_tensor):
        return _transpose(input_tensor, new_axes[input_tensor.shape.ndims])
    return [input_tensor[a] for a in new_axes[len(input_tensor)]]


def assert_ops_in_graph(expected_ops: dict[str, str], graph: Any) -> dict[str, Any]:
    """The NodeDefs named in ``expected_ops`` (name -> op type); ValueError, as TF's, when one
    is missing or has another type."""
    actual: dict[str, Any] = {}
    for node in graph.as_graph_def().node:
        if node.name in expected_ops:
            if expected_ops[node.name] != node.op:
                raise ValueError(
                    f"Expected op for node {node.name} is different. "
                    f"{expected_ops[node.name]} vs {node.op}")
            actual[node.name] = node
    if set(expected_ops) != set(actual):
        raise ValueError(f"Not all expected ops are present. Expected {set(expected_ops)}, "
                         f"found {set(actual)}")
    return actual


def get_node_def_from_graph(node_name: str, graph_def: Any) -> Any:
    for node_def in graph_def.node:
        if node_def.name == node_name:
            return node_def
    return None


def skip_if(condition: Any) -> Callable[[Any], Any]:
    """Skips (returns without running) the test when ``condition`` is, or returns, true."""
    def real_skip_if(fn: Any) -> Any:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            skip = condition() if callable(condition) else condition
            if not skip:
                return fn(*args, **kwargs)
            return None
        return wrapper
    return real_skip_if


@contextlib.contextmanager
def skip_if_error(test_obj: unittest.TestCase, error_type: type[BaseException],
                  messages: str | list[str] | None = None) -> Iterator[None]:
    """Turns ``error_type`` (with one of ``messages`` in it, if given) into a skipped test."""
    wanted = [messages] if isinstance(messages, str) else list(messages or [])
    try:
        yield
    except error_type as e:
        if not wanted or any(m in str(e) for m in wanted):
            test_obj.skipTest(f"Skipping error: {type(e)}: {e}")
        raise


def _identity_decorator(f: Any = None, *args: Any, **kwargs: Any) -> Any:
    """A decorator (usable bare or called) that changes nothing: TF's decorators for modes,
    rewrites and sanitizers that a graph-only CPU build does not have."""
    if f is None or not callable(f):
        return lambda g: g
    return f


enable_c_shapes = with_c_shapes = _identity_decorator
run_all_in_graph_and_eager_modes = run_class_in_v1_v2 = run_in_v1_v2 = _identity_decorator
build_as_function_and_v1_graph = also_run_as_tf_function = _identity_decorator
py_func_if_in_function = enable_output_all_intermediates = _identity_decorator
assert_no_new_tensors = assert_no_garbage_created = _identity_decorator
assert_no_new_pyobjects_executing_eagerly = _identity_decorator
run_without_tensor_float_32 = run_all_without_tensor_float_32 = _identity_decorator
with_forward_compatibility_horizons = disable_cudnn_autotune = _identity_decorator
no_xla_auto_jit = xla_allow_fallback = _identity_decorator


def _runs_unchanged(description: str = "") -> Callable[[Any], Any]:
    """TF's ``disable_xla(description)`` and kin: the test runs unless the build has the
    feature, and this build has none of them."""
    return lambda f: f


disable_xla = disable_mlir_bridge = disable_tfrt = _runs_unchanged
disable_asan = disable_msan = disable_tsan = disable_ubsan = _runs_unchanged


def enable_control_flow_v2(fn: Any) -> Any:
    """Runs the test with control flow v2 on, restoring the switch afterwards."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        old = mode._CF_V2[0]
        mode._CF_V2[0] = True
        try:
            return fn(*args, **kwargs)
        finally:
            mode._CF_V2[0] = old
    return wrapper


def with_control_flow_v2(cls: Any) -> Any:
    """Adds ``<test>WithControlFlowV2`` copies run under control flow v2, unless it is on
    already (TF's rule: then the plain tests cover it)."""
    if mode._CF_V2[0]:
        return cls
    for name, value in cls.__dict__.copy().items():
        if (callable(value) and name.startswith(unittest.TestLoader.testMethodPrefix)
                and not getattr(value, "_disable_control_flow_v2", False)):
            setattr(cls, name + "WithControlFlowV2", enable_control_flow_v2(value))
    return cls


def disable_control_flow_v2(unused_msg: str) -> Callable[[Any], Any]:
    def wrapper(func: Any) -> Any:
        func._disable_control_flow_v2 = True
        return func
    return wrapper


def run_v2_only(func: Any = None, reason: str | None = None) -> Any:
    """Skips the test unless TF2 behaviour is on (``disable_v2_behavior`` turns it off)."""
    why = reason or "Test is only compatible with v2"

    def decorator(f: Any) -> Any:
        if inspect.isclass(f):
            raise ValueError("varstore's run_v2_only decorates test methods only")

        @functools.wraps(f)
        def decorated(self: Any, *args: Any, **kwargs: Any) -> Any:
            if not mode.tf2_enabled():
                self.skipTest(why)
            return f(self, *args, **kwargs)
        return decorated

    return decorator(func) if func is not None else decorator


def _needs_gpu(func: Any) -> Any:
    if inspect.isclass(func):
        raise ValueError("`run_gpu_only` only supports test methods.")

    @functools.wraps(func)
    def decorated(self: Any, *args: Any, **kwargs: Any) -> Any:
        self.skipTest("Test requires GPU")
    return decorated


run_gpu_only = run_cuda_only = run_gpu_or_tpu = _needs_gpu


@contextlib.contextmanager
def device(use_gpu: bool) -> Iterator[None]:
    """Places ops on the CPU: the GPU asked for is never there."""
    from varstore.framework.graph import get_default_graph

    with get_default_graph().device("/device:CPU:0"):
        yield


@contextlib.contextmanager
def use_gpu() -> Iterator[None]:
    with device(use_gpu=True):
        yield


@contextlib.contextmanager
def force_gpu() -> Iterator[None]:
    from varstore.framework.graph import get_default_graph

    with get_default_graph().device("/device:GPU:0"):
        yield


@contextlib.contextmanager
def force_cpu() -> Iterator[None]:
    with device(use_gpu=False):
        yield


def for_all_test_methods(decorator: Callable[..., Any], *args: Any,
                         **kwargs: Any) -> Callable[[Any], Any]:
    """A class decorator that applies ``decorator(*args, **kwargs)`` to every test method."""
    def impl(cls: Any) -> Any:
        for name in dir(cls):
            value = getattr(cls, name)
            if callable(value) and name.startswith("test") and name != "test_session":
                setattr(cls, name, decorator(*args, **kwargs)(value))
        return cls
    return impl


def generate_combinations_with_testcase_name(**kwargs: Any) -> list[collections.OrderedDict[str, Any]]:
    """Every combination of the keyword options (a list, or one value), each with the
    ``testcase_name`` that named parameterized tests need, spelt as TF spells it."""
    keys = sorted(kwargs)
    options = [v if isinstance(v, list) else [v] for v in (kwargs[k] for k in keys)]
    out = []
    for values in itertools.product(*options):
        combo = collections.OrderedDict(zip(keys, values, strict=True))
        name = "".join("_{}_{}".format("".join(filter(str.isalnum, k)),
                                       "".join(filter(str.isalnum, str(v))))
                       for k, v in combo.items())
        combo["testcase_name"] = f"_test{name}"
        out.append(combo)
    return out
