"""``tf.Variable(...)``'s metaclass: the call goes through the variable creators of
``variable_creator_scope`` (TF's VariableMetaclass), and ``variable_def=`` rebuilds a
variable from its VariableDef instead of making one."""

from __future__ import annotations

from typing import Any

from varstore._variable_ops import (
    VariableAggregation,
    VariableSynchronization,
    creator_stack,
    run_creators,
)
from varstore.framework.graph import get_default_graph

__all__ = ["_VariableMeta"]

# The keyword arguments TF passes to a variable creator for tf.Variable (all of them, in
# TF's names; experimental_enable_variable_lifting is TF 2's and ignored here).
_CREATOR_KEYS = ("initial_value", "trainable", "collections", "validate_shape",
                 "caching_device", "name", "variable_def", "dtype", "expected_shape",
                 "import_scope", "constraint", "use_resource", "synchronization",
                 "aggregation", "shape", "experimental_enable_variable_lifting")


class _VariableMeta(type):
    """tf.Variable(...) inside a variable_creator_scope goes through the creators, as TF's
    VariableMetaclass does (their result may be anything)."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if "_creator_root" not in cls.__dict__:
            return super().__call__(*args, **kwargs)
        graph = get_default_graph()
        if not creator_stack(graph):
            return _construct(cls, *args, **kwargs)
        bound = dict(zip(_CREATOR_KEYS, args))
        for key, value in kwargs.items():
            if key not in _CREATOR_KEYS:
                raise TypeError(f"Variable.__init__() got an unexpected keyword argument "
                                f"'{key}'")
            bound[key] = value
        full = {key: bound.get(key, _CREATOR_DEFAULTS.get(key)) for key in _CREATOR_KEYS}

        def default_creator(**kw: Any) -> Any:
            kw.pop("experimental_enable_variable_lifting", None)
            return _construct(cls, **kw)

        return run_creators(graph, default_creator, full)


def _construct(cls: Any, *args: Any, **kwargs: Any) -> Any:
    """A new Variable, or (``variable_def=``) the one a VariableDef names, as TF's
    _init_from_proto."""
    variable_def = kwargs.get("variable_def", args[6] if len(args) > 6 else None)
    if not variable_def:
        return type.__call__(cls, *args, **kwargs)
    initial_value = kwargs.get("initial_value", args[0] if args else None)
    if initial_value is not None:
        raise ValueError("The variable_def and initial_value args to `tf.Variable` are "
                         f"mutually exclusive, but got both: variable_def={variable_def},\n"
                         f"initial_value={initial_value}")
    import_scope = kwargs.get("import_scope", args[9] if len(args) > 9 else None)
    return cls.from_proto(variable_def, import_scope=import_scope)


_CREATOR_DEFAULTS: dict[str, Any] = {"validate_shape": True,
                                     "synchronization": VariableSynchronization.AUTO,
                                     "aggregation": VariableAggregation.NONE}
