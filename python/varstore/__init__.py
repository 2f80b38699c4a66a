"""varstore: TensorFlow 1 variable sharing for plain Python.

``import varstore as tf`` runs TF1 graph-mode programs: ops are graph nodes with TF1's names,
shapes and errors, ``Session.run`` executes cached plans with feeds, and variables live in a
C++ store. ``np.asarray(tensor)`` evaluates a tensor without a session, as a convenience.
"""

from __future__ import annotations

try:
    from varstore import _core
except ImportError as exc:  # pragma: no cover - only without a build
    raise ImportError(
        "varstore's compiled extension varstore._core is missing or was built for another "
        "Python; reinstall with `pip install .` from the source tree"
    ) from exc

from varstore import dtypes, errors, kernels, layers, nn, ops, train
from varstore.dtypes import (
    DType,
    as_dtype,
    bool,  # shadows the builtin: TF's public name
    complex64,
    complex128,
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    resource,
    string,
    uint8,
    uint16,
    uint32,
    uint64,
    variant,
)
from varstore.framework.constant_op import (
    constant,
    convert_to_tensor,
    is_tensor,
    register_tensor_conversion_function,
)
from varstore.framework.graph import (
    Graph,
    GraphKeys,
    add_to_collection,
    add_to_collections,
    colocate_with,
    container,
    control_dependencies,
    device,
    get_collection,
    get_collection_ref,
    get_default_graph,
    get_name_scope,
    name_scope,
    reset_default_graph,
)
from varstore.framework.ops import NotDifferentiable, Operation, RegisterGradient, Tensor
from varstore.framework.random_seed import set_random_seed
from varstore.framework.session import InteractiveSession, Session, get_default_session
from varstore.framework.tensor_shape import Dimension, TensorShape, dimension_value
from varstore.model_summary import model_summary
from varstore.ops.array_ops import (
    concat,
    expand_dims,
    fill,
    identity,
    identity_n,
    ones,
    ones_like,
    placeholder,
    placeholder_with_default,
    rank,
    reshape,
    shape,
    shape_n,
    size,
    squeeze,
    stack,
    stop_gradient,
    transpose,
    unstack,
    zeros,
    zeros_like,
)
from varstore.ops.array_slicing_ops import (
    boolean_mask,
    broadcast_to,
    gather,
    one_hot,
    pad,
    reverse,
    sequence_mask,
    slice,  # shadows the builtin: TF's public name
    split,
    strided_slice,
    tile,
    where,
)
from varstore.ops.control_flow_ops import cond, group, no_op, tuple, with_dependencies
from varstore.ops.init_ops import (
    constant_initializer,
    glorot_normal_initializer,
    glorot_uniform_initializer,
    ones_initializer,
    random_normal_initializer,
    random_uniform_initializer,
    truncated_normal_initializer,
    variance_scaling_initializer,
    zeros_initializer,
)
from varstore.ops.math_ops import (
    abs,  # shadows the builtin: TF's public name
    add,
    cast,
    ceil,
    cos,
    div,
    divide,
    equal,
    erf,
    exp,
    expm1,
    floor,
    floordiv,
    floormod,
    greater,
    greater_equal,
    is_finite,
    is_inf,
    is_nan,
    less,
    less_equal,
    log,
    log1p,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    maximum,
    minimum,
    mod,
    multiply,
    negative,
    not_equal,
    pow,  # shadows the builtin: TF's public name
    realdiv,
    reciprocal,
    round,  # shadows the builtin: TF's public name
    rsqrt,
    saturate_cast,
    sigmoid,
    sign,
    sin,
    sqrt,
    square,
    squared_difference,
    subtract,
    tanh,
    to_double,
    to_float,
    to_int32,
    to_int64,
    truediv,
)
from varstore.ops.math_reduce_ops import (
    add_n,
    argmax,
    argmin,
    clip_by_global_norm,
    clip_by_norm,
    clip_by_value,
    count_nonzero,
    cumprod,
    cumsum,
    global_norm,
    matmul,
    range,  # shadows the builtin: TF's public name
    reduce_all,
    reduce_any,
    reduce_logsumexp,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_prod,
    reduce_sum,
    unsorted_segment_sum,
)
from varstore.ops.random_ops import (
    multinomial,
    random_normal,
    random_shuffle,
    random_uniform,
    truncated_normal,
)
from varstore.ops.state_ops import assign, assign_add, assign_sub, is_variable_initialized
from varstore.template import Template, make_template
from varstore.train.safetensors_checkpoint import restore, save
from varstore.variable_scope import (
    AUTO_REUSE,
    VariableScope,
    get_variable,
    get_variable_scope,
    variable_scope,
)
from varstore.variables import (
    Variable,
    all_variables,
    disable_resource_variables,
    enable_resource_variables,
    global_variables,
    global_variables_initializer,
    initialize_all_variables,
    initialize_local_variables,
    local_variables,
    local_variables_initializer,
    model_variables,
    moving_average_variables,
    report_uninitialized_variables,
    resource_variables_enabled,
    trainable_variables,
    variables_initializer,
)

__all__ = [n for n in dir() if not n.startswith("_") and n != "annotations"]

__version__: str = _core.__version__


def __getattr__(name: str) -> object:
    """A TF1 symbol varstore does not implement: an AttributeError that says so."""
    raise AttributeError(f"module 'varstore' has no attribute {name!r}: varstore lacks "
                         f"tf.{name}")
