"""The top-level ``tf.*`` names of control flow, asserts, gradients, functional ops, logging and py_func.

``varstore/__init__.py`` star-imports this module; ``__all__`` is what it re-exports."""

from varstore.ops.backprop import GradientTape
from varstore.ops.check_ops import (
    Assert,
    assert_equal,
    assert_greater,
    assert_greater_equal,
    assert_integer,
    assert_less,
    assert_less_equal,
    assert_near,
    assert_negative,
    assert_non_negative,
    assert_non_positive,
    assert_none_equal,
    assert_positive,
    assert_proper_iterable,
    assert_rank,
    assert_rank_at_least,
    assert_rank_in,
    assert_same_float_dtype,
    assert_scalar,
    assert_type,
    ensure_shape,
    is_numeric_tensor,
)
from varstore.ops.control_flow_case import case, switch_case
from varstore.ops.control_flow_ops import cond, group, no_op, tuple, with_dependencies
from varstore.ops.custom_gradient import custom_gradient, grad_pass_through
from varstore.ops.functional_ops import foldl, foldr, map_fn, scan
from varstore.ops.gradients_impl import (
    AggregationMethod,
    UnconnectedGradients,
    gradients,
    hessians,
)
from varstore.ops.logging_ops import (
    Print,
    add_check_numerics_ops,
    check_numerics,
    timestamp,
    verify_tensor_all_finite,
)
from varstore.ops.logging_ops import print_v2 as print  # shadows the builtin: TF's name
from varstore.ops.script_ops import numpy_function, py_func
from varstore.ops.tensor_array_ops import TensorArray
from varstore.ops.while_v2 import while_loop

__all__ = [
    "AggregationMethod",
    "Assert",
    "GradientTape",
    "Print",
    "TensorArray",
    "UnconnectedGradients",
    "add_check_numerics_ops",
    "assert_equal",
    "assert_greater",
    "assert_greater_equal",
    "assert_integer",
    "assert_less",
    "assert_less_equal",
    "assert_near",
    "assert_negative",
    "assert_non_negative",
    "assert_non_positive",
    "assert_none_equal",
    "assert_positive",
    "assert_proper_iterable",
    "assert_rank",
    "assert_rank_at_least",
    "assert_rank_in",
    "assert_same_float_dtype",
    "assert_scalar",
    "assert_type",
    "case",
    "check_numerics",
    "cond",
    "custom_gradient",
    "ensure_shape",
    "foldl",
    "foldr",
    "grad_pass_through",
    "gradients",
    "group",
    "hessians",
    "is_numeric_tensor",
    "map_fn",
    "no_op",
    "numpy_function",
    "print",
    "py_func",
    "scan",
    "switch_case",
    "timestamp",
    "tuple",
    "verify_tensor_all_finite",
    "while_loop",
    "with_dependencies",
]
