"""The top-level ``tf.*`` names of the framework: dtypes, constants, graphs and collections, sessions, shapes, modes, config protos.

``varstore/__init__.py`` star-imports this module; ``__all__`` is what it re-exports."""

from varstore.config_pb2 import (
    ConfigProto,
    GPUOptions,
    GraphOptions,
    OptimizerOptions,
    RunOptions,
)
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
from varstore.framework.device import DeviceSpec
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
from varstore.framework.importer import import_graph_def
from varstore.framework.indexed_slices import (
    IndexedSlices,
    IndexedSlicesValue,
    convert_to_tensor_or_indexed_slices,
)
from varstore.framework.mode import (
    control_flow_v2_enabled,
    disable_control_flow_v2,
    disable_eager_execution,
    disable_tensor_equality,
    disable_v2_behavior,
    enable_control_flow_v2,
    enable_eager_execution,
    enable_tensor_equality,
    enable_v2_behavior,
    executing_eagerly,
    init_scope,
)
from varstore.framework.ops import (
    NoGradient,
    NotDifferentiable,
    Operation,
    RegisterGradient,
    Tensor,
    no_gradient,
)
from varstore.framework.proto_values import make_ndarray
from varstore.framework.random_seed import get_seed, set_random_seed
from varstore.framework.session import InteractiveSession, Session, get_default_session
from varstore.framework.sparse_tensor import (
    SparseTensor,
    SparseTensorValue,
    convert_to_tensor_or_sparse_tensor,
)
from varstore.framework.tensor_shape import (
    Dimension,
    TensorShape,
    dimension_at_index,
    dimension_value,
    disable_v2_tensorshape,
    enable_v2_tensorshape,
)
from varstore.framework.tensor_util import (
    get_static_value,
    make_tensor_proto,
)
from varstore.model_summary import model_summary

# tf.newaxis: None, as in NumPy (x[:, tf.newaxis] inserts an axis)
newaxis = None

from varstore.errors import OpError
from varstore.framework.mode import executing_eagerly_outside_functions
from varstore.framework.module import Module
from varstore.framework.tensor_util import is_symbolic_tensor
from varstore.framework.type_spec import (
    IndexedSlicesSpec,
    SparseTensorSpec,
    TensorSpec,
    TypeSpec,
    type_spec_from_value,
)
from varstore.framework.versions import (
    GIT_VERSION,
    GRAPH_DEF_VERSION,
    GRAPH_DEF_VERSION_MIN_CONSUMER,
    GRAPH_DEF_VERSION_MIN_PRODUCER,
    VERSION,
)
from varstore.tf_logging import get_logger

__all__ = [
    "GIT_VERSION",
    "GRAPH_DEF_VERSION",
    "GRAPH_DEF_VERSION_MIN_CONSUMER",
    "GRAPH_DEF_VERSION_MIN_PRODUCER",
    "VERSION",
    "ConfigProto",
    "DType",
    "DeviceSpec",
    "Dimension",
    "GPUOptions",
    "Graph",
    "GraphKeys",
    "GraphOptions",
    "IndexedSlices",
    "IndexedSlicesSpec",
    "IndexedSlicesValue",
    "InteractiveSession",
    "Module",
    "NoGradient",
    "NotDifferentiable",
    "OpError",
    "Operation",
    "OptimizerOptions",
    "RegisterGradient",
    "RunOptions",
    "Session",
    "SparseTensor",
    "SparseTensorSpec",
    "SparseTensorValue",
    "Tensor",
    "TensorShape",
    "TensorSpec",
    "TypeSpec",
    "add_to_collection",
    "add_to_collections",
    "as_dtype",
    "bool",
    "colocate_with",
    "complex64",
    "complex128",
    "constant",
    "container",
    "control_dependencies",
    "control_flow_v2_enabled",
    "convert_to_tensor",
    "convert_to_tensor_or_indexed_slices",
    "convert_to_tensor_or_sparse_tensor",
    "device",
    "dimension_at_index",
    "dimension_value",
    "disable_control_flow_v2",
    "disable_eager_execution",
    "disable_tensor_equality",
    "disable_v2_behavior",
    "disable_v2_tensorshape",
    "double",
    "enable_control_flow_v2",
    "enable_eager_execution",
    "enable_tensor_equality",
    "enable_v2_behavior",
    "enable_v2_tensorshape",
    "executing_eagerly",
    "executing_eagerly_outside_functions",
    "float16",
    "float32",
    "float64",
    "get_collection",
    "get_collection_ref",
    "get_default_graph",
    "get_default_session",
    "get_logger",
    "get_name_scope",
    "get_seed",
    "get_static_value",
    "half",
    "import_graph_def",
    "init_scope",
    "int8",
    "int16",
    "int32",
    "int64",
    "is_symbolic_tensor",
    "is_tensor",
    "make_ndarray",
    "make_tensor_proto",
    "model_summary",
    "name_scope",
    "newaxis",
    "no_gradient",
    "register_tensor_conversion_function",
    "reset_default_graph",
    "resource",
    "set_random_seed",
    "string",
    "type_spec_from_value",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "variant",
]
