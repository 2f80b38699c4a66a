"""varstore: TensorFlow 1 variable sharing for plain Python.

``import varstore as tf`` runs TF1 model code that shares weights through ``get_variable``
and ``variable_scope``. Values are computed eagerly with NumPy and a C++ core; every
variable and op gets exactly the name TF1 graph mode gives it.
"""

from __future__ import annotations

try:
    from varstore import _core
except ImportError as exc:  # pragma: no cover - only without a build
    raise ImportError(
        "varstore's compiled extension varstore._core is missing or was built for another "
        "Python; reinstall with `pip install .` from the source tree"
    ) from exc

from varstore import dtypes, errors, initializers, kernels, layers, nn
from varstore.compat import (
    InteractiveSession,
    Session,
    global_variables_initializer,
    initialize_all_variables,
    local_variables_initializer,
    set_random_seed,
    variables_initializer,
)
from varstore.dtypes import (
    DType,
    as_dtype,
    bool,  # noqa: A004 - TF's public name
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    uint8,
)
from varstore.graph import (
    Graph,
    GraphKeys,
    add_to_collection,
    add_to_collections,
    get_collection,
    get_collection_ref,
    get_default_graph,
    get_name_scope,
    name_scope,
    reset_default_graph,
)
from varstore.initializers import (
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
from varstore.ops import (
    add,
    cast,
    concat,
    constant,
    convert_to_tensor,
    divide,
    fill,
    identity,
    matmul,
    maximum,
    minimum,
    multiply,
    negative,
    ones,
    ones_like,
    random_normal,
    random_uniform,
    reduce_max,
    reduce_mean,
    reduce_sum,
    reshape,
    shape,
    square,
    subtract,
    transpose,
    truediv,
    truncated_normal,
    zeros,
    zeros_like,
)
from varstore.summary import summary
from varstore.tensor import Operation, Tensor, TensorShape
from varstore.template import Template, make_template
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
    global_variables,
    local_variables,
    model_variables,
    trainable_variables,
)

__version__: str = _core.__version__
