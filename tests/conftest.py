"""Every test starts from a fresh default graph (a new, empty variable store)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import varstore


@pytest.fixture(autouse=True)
def fresh_graph() -> Iterator[varstore.Graph]:
    varstore.reset_default_graph()
    yield varstore.get_default_graph()
    varstore.reset_default_graph()
    # a test that called tf.disable_v2_behavior() leaves TF 2.21's default (v2 on, resource
    # variables) behind
    from varstore import _variable_ops
    from varstore.framework import mode, tensor_shape

    mode._TF2[0] = True
    mode._CF_V2[0] = True
    _variable_ops.enable_resource_variables()
    tensor_shape.enable_v2_tensorshape()
