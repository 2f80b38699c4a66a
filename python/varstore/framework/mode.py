"""TF's execution-mode switches, as a graph-only runtime answers them.

varstore is TF1 graph mode and nothing else: the calls that TF1 programs make to get there
(``disable_eager_execution``, ``disable_v2_behavior``, ``disable_control_flow_v2`` ...) are
accepted and change nothing; the calls that ask for TF2's eager mode raise, saying so, rather
than leave a program running under semantics it did not ask for.

One switch is real: ``tf2_enabled()``, TF's ``tf2.enabled()``. TF 2.21's compat.v1 starts
with it on; ``disable_v2_behavior()`` turns it off and ``enable_v2_behavior()`` back on
(before it refuses eager mode, as TF sets the flag before it fails). tf.keras reads it: it
picks the v2 initializers (stateless random ops) and dtype inference by it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from varstore.framework.graph import get_default_graph

__all__ = [
    "control_flow_v2_enabled",
    "disable_control_flow_v2",
    "disable_eager_execution",
    "disable_tensor_equality",
    "disable_v2_behavior",
    "enable_control_flow_v2",
    "enable_eager_execution",
    "enable_tensor_equality",
    "enable_v2_behavior",
    "executing_eagerly",
    "executing_eagerly_outside_functions",
    "init_scope",
    "tf2_enabled",
]

_TF2 = [True]  # TF 2.21's compat.v1 starts with v2 behaviour on
_CF_V2 = [True]  # and with control flow v2 (while_v2, cond_v2)


def tf2_enabled() -> bool:
    """TF's ``tf.__internal__.tf2.enabled()``."""
    return _TF2[0]


def executing_eagerly() -> bool:
    """Always False: every varstore op builds a graph node."""
    return False


def executing_eagerly_outside_functions() -> bool:
    return False


def disable_eager_execution() -> None:
    """Accepted: varstore is always in graph mode."""


def enable_eager_execution(config: object = None, device_policy: object = None,
                           execution_mode: object = None) -> None:
    """Eager execution is TF2's mode; varstore runs TF1 graphs only."""
    raise NotImplementedError("varstore lacks tf.enable_eager_execution: it runs TF1 graph "
                              "mode only (build a graph and run it in a tf.Session)")


def disable_v2_behavior() -> None:
    """TF's v2_compat.disable_v2_behavior as far as a graph-only runtime has the switches:
    ``tf2_enabled()`` off (tf.keras and tf.layers then build TF1's initializers) and
    resource variables off (tf.Variable and get_variable make ref variables, VariableV2),
    v2 TensorShapes off (indexing a shape gives Dimension objects, printed ``?``).
    Graph mode and identity-comparing tensors are varstore's only behaviour already.
    What stays TF2's: while_loop builds one While op (control flow v1's Enter/Exit frames
    are not built)."""
    from varstore._variable_ops import disable_resource_variables
    from varstore.framework.tensor_shape import disable_v2_tensorshape

    _TF2[0] = False
    _CF_V2[0] = False
    disable_resource_variables()
    disable_v2_tensorshape()


def enable_v2_behavior() -> None:
    """Turns ``tf2_enabled()`` back on, then refuses eager mode (TF sets the flag first,
    then fails to enable eager execution once a graph exists)."""
    from varstore._variable_ops import enable_resource_variables
    from varstore.framework.tensor_shape import enable_v2_tensorshape

    _TF2[0] = True
    _CF_V2[0] = True
    enable_resource_variables()
    enable_v2_tensorshape()
    raise NotImplementedError("varstore lacks tf.enable_v2_behavior: it implements TF1 "
                              "graph-mode behaviour only")


def disable_control_flow_v2() -> None:
    """TF1's control flow: while_loop and cond bodies are ops of the graph itself, so their
    random ops take op seeds from the graph's count. varstore still builds one While op and
    a Switch/Merge cond either way; the flag changes only that count (``random_seed``)."""
    _CF_V2[0] = False


def enable_control_flow_v2() -> None:
    """TF2's control flow: each while cond/body and cond branch is a function graph, whose
    random ops count their op seeds from 0."""
    _CF_V2[0] = True


def control_flow_v2_enabled() -> bool:
    """True unless ``disable_control_flow_v2`` or ``disable_v2_behavior`` turned it off."""
    return _CF_V2[0]


def disable_tensor_equality() -> None:
    """Accepted: tensors compare by identity (``==`` is not elementwise), as in TF1."""


def enable_tensor_equality() -> None:
    raise NotImplementedError("varstore lacks tf.enable_tensor_equality: Tensor.__eq__ "
                              "compares identity, as in TF1")


@contextlib.contextmanager
def init_scope() -> Iterator[None]:
    """``tf.init_scope``: code inside runs free of the enclosing control dependencies, in
    the current name scope, as TF's graph-mode init_scope (which also leaves function
    graphs; varstore builds none)."""
    graph = get_default_graph()
    with graph.control_dependencies(None):
        yield
