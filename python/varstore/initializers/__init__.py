"""``tf.initializers`` (TF1's names): the initializer classes of ``varstore.ops.init_ops``
under their short names, and the variable-initializer ops."""

from __future__ import annotations

from varstore.ops.init_ops import (
    Constant as constant,
)
from varstore.ops.init_ops import (
    GlorotNormal as glorot_normal,
)
from varstore.ops.init_ops import (
    GlorotUniform as glorot_uniform,
)
from varstore.ops.init_ops import (
    Identity as identity,
)
from varstore.ops.init_ops import (
    Ones as ones,
)
from varstore.ops.init_ops import (
    Orthogonal as orthogonal,
)
from varstore.ops.init_ops import (
    RandomNormal as random_normal,
)
from varstore.ops.init_ops import (
    RandomUniform as random_uniform,
)
from varstore.ops.init_ops import (
    TruncatedNormal as truncated_normal,
)
from varstore.ops.init_ops import (
    UniformUnitScaling as uniform_unit_scaling,
)
from varstore.ops.init_ops import (
    VarianceScaling as variance_scaling,
)
from varstore.ops.init_ops import (
    Zeros as zeros,
)
from varstore.ops.init_ops import (
    he_normal,
    he_uniform,
    lecun_normal,
    lecun_uniform,
)
from varstore.ops.lookup_ops import (
    tables_initializer,
)
from varstore.variables import (
    global_variables_initializer as global_variables,
)
from varstore.variables import (
    local_variables_initializer as local_variables,
)
from varstore.variables import (
    variables_initializer as variables,
)

__all__ = [
    "constant",
    "global_variables",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "lecun_normal",
    "lecun_uniform",
    "local_variables",
    "ones",
    "orthogonal",
    "random_normal",
    "random_uniform",
    "tables_initializer",
    "truncated_normal",
    "uniform_unit_scaling",
    "variables",
    "variance_scaling",
    "zeros",
]


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.initializers' has no attribute {name!r}: varstore "
                         f"lacks tf.initializers.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
