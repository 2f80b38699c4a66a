"""``tf.op_scope`` and ``tf.variable_op_scope``: TF 0.x's spellings of name_scope and
variable_scope, with ``values`` first, that tf.compat.v1 still exports. Each logs TF's
deprecation warning and enters the scope it names."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from varstore import tf_logging
from varstore.framework.graph import name_scope
from varstore.variable_scope import variable_scope

__all__ = ["op_scope", "variable_op_scope"]


@contextlib.contextmanager
def op_scope(values: Any, name: Any, default_name: Any = None) -> Iterator[str | None]:
    tf_logging.warn("tf.op_scope(values, name, default_name) is deprecated, use "
                    "tf.name_scope(name, default_name, values)")
    with name_scope(name, default_name=default_name, values=values) as scope:
        yield scope


@contextlib.contextmanager
def variable_op_scope(values: Any, name_or_scope: Any, default_name: Any = None,
                      initializer: Any = None, regularizer: Any = None,
                      caching_device: Any = None, partitioner: Any = None,
                      custom_getter: Any = None, reuse: Any = None, dtype: Any = None,
                      use_resource: Any = None, constraint: Any = None) -> Iterator[Any]:
    tf_logging.warn("tf.variable_op_scope(values, name, default_name) is deprecated, use "
                    "tf.variable_scope(name, default_name, values)")
    with variable_scope(name_or_scope, default_name=default_name, values=values,
                        initializer=initializer, regularizer=regularizer,
                        caching_device=caching_device, partitioner=partitioner,
                        custom_getter=custom_getter, reuse=reuse, dtype=dtype,
                        use_resource=use_resource, constraint=constraint) as scope:
        yield scope
