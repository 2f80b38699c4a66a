"""``tf.raw_ops.<OpType>(**kwargs)``: any op type varstore runs, built from its OpDef by
TF's op_def_library rules (``_apply_op_helper``), with no per-op code.

The OpDef (op_def_registry) gives the inputs and attrs. Inputs are converted in the op's
name scope (a Python value of ``AddV2``'s ``y`` becomes the Const ``AddV2/y``); a type
attribute is inferred from the first input that carries it and later inputs are converted
to it (or are TF's TypeError); ``N`` attrs count a list input. The remaining attrs come from
the keywords or the OpDef's defaults, checked as TF's ValidateAttrValue. The node is then
made as the importer makes a GraphDef node: the kernel registry runs it, the importer's
shape rules (``ops/import_shapes*``) give its static shapes where they exist (an op type
without one has outputs of unknown shape), and the registered gradient applies.
"""

from __future__ import annotations

import collections
import functools
import inspect
import json
import os
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework import graph_def as _graph_def
from varstore.framework import op_def_registry as _registry
from varstore.framework import proto_values
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.ops import Operation, Tensor, kernel_factory, make_op, scope_of
from varstore.framework.tensor_shape import as_shape

__all__ = ["raw_function", "raw_op", "raw_op_types", "why_not_raw"]

# Op types whose kernels need what attrs cannot hold (functions, Python callables, dataset
# pipelines): the importer refuses them for the same reason.
_NOT_RAW = {"While", "StatelessWhile", "If", "StatelessIf", "Case", "StatelessCase",
            "PartitionedCall", "StatefulPartitionedCall", "PyFunc", "PyFuncStateless",
            "EagerPyFunc", "IteratorV2", "MakeIterator", "IteratorGetNext", "OneShotIterator"}


def why_not_raw(op_type: str) -> str | None:
    """None when ``tf.raw_ops.<op_type>`` can be built, else why not."""
    if _registry.get(op_type) is None:
        return "it is not an op type varstore registers"
    from varstore.framework.importer import IMPORT_HOOKS

    if kernel_factory(op_type) is None and op_type not in IMPORT_HOOKS:
        return "varstore has no kernel for it"
    if op_type in _NOT_RAW or op_type.endswith(("Dataset", "DatasetV2", "DatasetV3",
                                                "DatasetV4")):
        return "its kernel needs a function or a Python object, which attrs cannot hold"
    return None


def raw_op_types() -> list[str]:
    return [t for t in _registry.op_types() if why_not_raw(t) is None]


def _attr_python(attr_def: Any, value: Any) -> Any:
    """A keyword's value in the form graph_def._set_attr writes, with TF's checks and
    messages (op_def_library's _MakeType, _MakeInt & co)."""
    kind = attr_def.type
    name = attr_def.name
    if kind.startswith("list("):
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"Expected list for attr {name}, obtained {type(value).__name__} "
                            "instead.")
        one = attr_def.__class__()
        one.CopyFrom(attr_def)
        one.type = kind[5:-1]
        return [_attr_python(one, v) for v in value]
    if kind == "type":
        try:
            return _dtypes.as_dtype(value).base_dtype
        except TypeError:
            raise TypeError(f"Expected DataType for argument '{name}' not {value!r}.") from None
    if kind == "shape":
        return as_shape(value)
    if kind == "int":
        if isinstance(value, str):
            raise TypeError(f"Expected int for argument '{name}' not {value!r}.")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise TypeError(f"Expected int for argument '{name}' not {value!r}.") from None
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
            raise TypeError(f"Expected float for argument '{name}' not {value!r}.")
        return float(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise TypeError(f"Expected bool for argument '{name}' not {value!r}.")
        return value
    if kind == "string":
        if not isinstance(value, (str, bytes)):
            raise TypeError(f"Expected string for argument '{name}' not {value!r}.")
        return value
    if kind == "tensor":
        # (TF's _MakeTensor takes a TensorProto only)
        if type(value).__name__ != "TensorProto":
            raise TypeError(f"Don't know how to convert {value!r} to a TensorProto for "
                            f"argument '{name}'.")
        return proto_values.make_ndarray(value)
    raise NotImplementedError(f"varstore lacks raw ops whose attr '{name}' is a {kind}")


def _attr_proto(value: Any) -> Any:
    from tensorboardX.proto import attr_value_pb2  # type: ignore[import-untyped,unused-ignore]

    pb = attr_value_pb2.AttrValue()
    if isinstance(value, list) and not value:
        pb.list.SetInParent()
    elif not _graph_def._set_attr(pb, value):
        raise TypeError(f"{value!r} has no AttrValue form")
    return pb


def _check_attr(pb: Any, attr_def: Any, op_type: str) -> None:
    """TF's _ExtractAttrProto checks: list lengths, allowed strings, int minimums, types."""
    key = attr_def.name
    kind = attr_def.type
    if kind.startswith("list(") and attr_def.has_minimum:
        n = _registry._list_size(pb)
        if n < attr_def.minimum:
            raise ValueError(f"Attr '{key}' of '{op_type}' Op passed list of length {n} less "
                             f"than minimum {attr_def.minimum}.")
    if attr_def.HasField("allowed_values") and kind in ("string", "list(string)"):
        allowed = list(attr_def.allowed_values.list.s)
        for v in [pb.s] if kind == "string" else list(pb.list.s):
            if v not in allowed:
                names = '", "'.join(a.decode() for a in allowed)
                raise ValueError(f"Attr '{key}' of '{op_type}' Op passed string "
                                 f"'{v.decode()}' not in: \"{names}\".")
    if attr_def.has_minimum and kind == "int" and pb.i < attr_def.minimum:
        raise ValueError(f"Attr '{key}' of '{op_type}' Op passed {pb.i} less than minimum "
                         f"{attr_def.minimum}.")
    if kind in ("type", "list(type)"):
        for t in [pb.type] if kind == "type" else list(pb.list.type):
            _satisfies(_dtypes.as_dtype(t), attr_def, key)


# TF's names of the DataTypes varstore has no DType for (they appear in allowed lists)
_OTHER_TYPE_NAMES = {11: "qint8", 12: "quint8", 13: "qint32", 14: "bfloat16", 15: "qint16",
                     16: "quint16", 24: "float8_e5m2", 25: "float8_e4m3fn", 26: "int4",
                     27: "uint4", 28: "float8_e4m3fnuz", 29: "float8_e4m3b11fnuz",
                     30: "float8_e5m2fnuz", 31: "int2", 32: "uint2"}


def _type_name(enum: int) -> str:
    try:
        return _dtypes.as_dtype(enum).name
    except TypeError:
        return _OTHER_TYPE_NAMES.get(enum, str(enum))


def _satisfies(dtype: _dtypes.DType, attr_def: Any, param: str) -> None:
    if attr_def.HasField("allowed_values"):
        allowed = list(attr_def.allowed_values.list.type)
        if dtype.as_datatype_enum not in allowed:
            names = ", ".join(_type_name(a) for a in allowed)
            raise TypeError(f"Value passed to parameter '{param}' has DataType {dtype.name} "
                            f"not in list of allowed values: {names}")


def _observed(value: Any, is_ref: bool) -> str:
    try:
        return str(_as_tensor(value, None, None, None, is_ref)._dtype.name)
    except (TypeError, ValueError):
        return "<NOT CONVERTIBLE TO TENSOR>"


def _as_tensor(value: Any, dtype: Any, name: str | None, preferred: Any, is_ref: bool
               ) -> Tensor:
    if is_ref and hasattr(type(value), "_as_tensor"):
        return value.op._outputs[0]  # type: ignore[no-any-return]  # a ref variable's ref
    return convert_to_tensor(value, dtype=dtype, name=name, preferred_dtype=preferred)


class _Inputs:
    """TF's _ExtractInputsAndAttrs: the inputs converted, the attrs they fix."""

    def __init__(self, op_type: str, op_def: Any) -> None:
        self.op_type = op_type
        self.attr_defs = {a.name: a for a in op_def.attr}
        self.defaults = {a.name: _dtypes.as_dtype(a.default_value.type) for a in op_def.attr
                         if a.type == "type" and a.HasField("default_value")}
        self.allowed = {a.name: list(a.allowed_values.list.type) for a in op_def.attr
                        if a.type == "type" and a.HasField("allowed_values")}
        self.attrs: dict[str, Any] = {}
        self.inferred_from: dict[str, str] = {}
        self.tensors: list[Tensor] = []

    def add(self, arg: Any, value: Any) -> None:
        if arg.number_attr or arg.type_list_attr:
            tensors = self._list(arg, value)
        else:
            tensors = [self._one(arg, value)]
        self.tensors.extend(tensors)
        self._infer(arg, tensors)

    def _list(self, arg: Any, values: Any) -> list[Tensor]:
        op_type = self.op_type
        if not isinstance(values, (list, tuple)):
            raise TypeError(f"Expected list for '{arg.name}' argument to '{op_type}' Op, not "
                            f"{values}.")
        dtype: Any = None
        default = None
        if arg.type:
            dtype = _dtypes.as_dtype(int(arg.type))
        elif arg.number_attr:
            dtype = self.attrs.get(arg.type_attr)
            if dtype is None:
                dtype = next((v._dtype for v in values if isinstance(v, Tensor)), None)
            if dtype is None:
                default = self.defaults.get(arg.type_attr)
        try:
            tensors = [_as_tensor(v, dtype, f"{arg.name}_{i}", default, arg.is_ref)
                       for i, v in enumerate(values)]
            if arg.number_attr and len({t._dtype for t in tensors}) > 1:
                raise TypeError("types differ")
        except (TypeError, ValueError):
            observed = ", ".join(_observed(v, arg.is_ref) for v in values)
            prefix = (f"Tensors in list passed to '{arg.name}' of '{op_type}' Op have types "
                      f"[{observed}]")
            if not arg.number_attr:
                raise TypeError(f"{prefix} that are invalid. Tensors: {list(values)}") from None
            if arg.type:
                raise TypeError(f"{prefix} that do not match expected type "
                                f"{dtype.name}.") from None
            if arg.type_attr in self.attrs:
                raise TypeError(f"{prefix} that do not match type {dtype.name} inferred "
                                "from earlier arguments.") from None
            raise TypeError(f"{prefix} that don't all match.") from None
        return tensors

    def _one(self, arg: Any, value: Any) -> Tensor:
        op_type = self.op_type
        dtype: Any = None
        default = None
        allowed = None
        if arg.type:
            dtype = _dtypes.as_dtype(int(arg.type))
        elif arg.type_attr in self.attrs:
            dtype = self.attrs[arg.type_attr]
        elif arg.type_attr in self.defaults:
            default = self.defaults[arg.type_attr]
            allowed = self.allowed.get(arg.type_attr)
        try:
            if dtype is None and allowed:
                # the natural conversion when its dtype is allowed, else the default's
                try:
                    t = _as_tensor(value, None, arg.name, None, arg.is_ref)
                    if t._dtype.as_datatype_enum in allowed:
                        return t
                except TypeError:
                    pass
            return _as_tensor(value, dtype, arg.name, default, arg.is_ref)
        except TypeError as exc:
            if dtype is None:
                raise
            raise TypeError(f"Expected {dtype.name} passed to parameter '{arg.name}' of op "
                            f"'{op_type}', got {value!r} of type '{type(value).__name__}' "
                            f"instead. Error: {exc}") from None
        except ValueError:
            try:
                observed = _as_tensor(value, None, None, None, arg.is_ref)._dtype.name
            except ValueError as err:
                raise ValueError(f"Tried to convert '{arg.name}' to a tensor and failed. "
                                 f"Error: {err}") from None
            prefix = f"Input '{arg.name}' of '{op_type}' Op has type {observed} that does not match"
            if arg.type:
                raise TypeError(f"{prefix} expected type of {dtype.name}.") from None
            raise TypeError(f"{prefix} type {dtype.name} of argument "
                            f"'{self.inferred_from[arg.type_attr]}'.") from None

    def _infer(self, arg: Any, tensors: list[Tensor]) -> None:
        op_type = self.op_type
        types = [t._dtype for t in tensors]
        if arg.number_attr:
            n = len(tensors)
            if arg.number_attr in self.attrs:
                if n != self.attrs[arg.number_attr]:
                    raise ValueError(f"List argument '{arg.name}' to '{op_type}' Op with length "
                                     f"{n} must match length {self.attrs[arg.number_attr]} of "
                                     f"argument '{self.inferred_from[arg.number_attr]}'.")
            else:
                self.attrs[arg.number_attr] = n
                self.inferred_from[arg.number_attr] = arg.name
                num = self.attr_defs[arg.number_attr]
                if num.has_minimum and n < num.minimum:
                    raise ValueError(f"List argument '{arg.name}' to '{op_type}' Op with length "
                                     f"{n} shorter than minimum length {num.minimum}.")
            if arg.type or arg.type_attr in self.attrs:
                return
            if not types:
                if arg.type_attr not in self.defaults:
                    raise TypeError("Don't know how to infer type variable from empty input "
                                    f"list passed to input '{arg.name}' of '{op_type}' Op.")
                return
            self.attrs[arg.type_attr] = types[0]
            self.inferred_from[arg.type_attr] = arg.name
            _satisfies(types[0], self.attr_defs[arg.type_attr], arg.name)
        elif arg.type_attr:
            key = arg.type_attr
            if key in self.attrs:
                if self.attrs[key] != types[0]:
                    raise TypeError(f"Input '{arg.name}' of '{op_type}' Op has type "
                                    f"{types[0].name} that does not match type "
                                    f"{self.attrs[key].name} of argument "
                                    f"'{self.inferred_from[key]}'.")
                return
            _satisfies(types[0], self.attr_defs[key], arg.name)
            self.attrs[key] = types[0]
            self.inferred_from[key] = arg.name
        elif arg.type_list_attr:
            key = arg.type_list_attr
            if key in self.attrs:
                if self.attrs[key] != types:
                    raise TypeError(
                        f"Input '{arg.name}' of '{op_type}' Op has type list of "
                        f"{', '.join(t.name for t in types)} that does not match type list "
                        f"{', '.join(t.name for t in self.attrs[key])} of argument "
                        f"'{self.inferred_from[key]}'.")
                return
            for t in types:
                _satisfies(t, self.attr_defs[key], arg.name)
            self.attrs[key] = types
            self.inferred_from[key] = arg.name


def raw_op(op_type: str, kwargs: dict[str, Any]) -> Any:
    """Builds one ``op_type`` node from its OpDef names' keyword arguments (TF's
    _apply_op_helper); returns its output (one Tensor), its outputs (a list for a list
    output, a namedtuple of the output args for several), or the Operation when it has
    none."""
    from varstore.framework import importer
    from varstore.framework.graph import get_default_graph
    from varstore.framework.op_def_library import check_same_graph
    from varstore.ops import import_shapes, import_shapes_nn, import_shapes_strings  # noqa: F401

    op_def = _registry.get(op_type)
    keywords = dict(kwargs)
    name = keywords.pop("name", None)
    values = [keywords.pop(arg.name) for arg in op_def.input_arg]
    # the attrs given are converted first, as TF's generated wrapper does (_execute.make_*)
    given = {a.name: _attr_python(a, keywords[a.name]) for a in op_def.attr
             if keywords.get(a.name) is not None}
    graph = check_same_graph(*values) if values else get_default_graph()
    full = graph._op_name(name, op_type)
    found = _Inputs(op_type, op_def)
    with scope_of(graph, full):
        for arg, value in zip(op_def.input_arg, values):
            found.add(arg, value)
    attrs_py = dict(found.attrs)
    for attr_def in op_def.attr:
        key = attr_def.name
        if key in attrs_py:
            if key in keywords:
                raise TypeError(f"Should not specify value for inferred attr '{key}' for "
                                f"{op_type}.")
            continue
        keywords.pop(key, None)
        if key in given:
            attrs_py[key] = given[key]
        elif attr_def.HasField("default_value"):
            attrs_py[key] = proto_values.attr_value(attr_def.default_value)
        else:
            raise TypeError(f"No argument found for attr {key} for {op_type}")
    if keywords:
        raise TypeError(f"{op_type} got unexpected keyword arguments: "
                        f"{', '.join(sorted(keywords))}.")
    protos = {k: _attr_proto(v) for k, v in attrs_py.items()}
    for attr_def in op_def.attr:
        _check_attr(protos[attr_def.name], attr_def, op_type)
    attrs = {k: proto_values.attr_value(pb) for k, pb in protos.items()}
    _, out_types = _registry.in_out_types(op_def, protos)
    out_dtypes = [_registry.dtype_of(t) for t in out_types]
    shapes: list[Any] = [None] * len(out_types)
    fn = importer.SHAPE_FNS.get(op_type)
    if fn is not None:
        got = fn(full, op_type, list(found.tensors), attrs)
        shapes = list(got) if isinstance(got, list) else [got]
    hook = importer.IMPORT_HOOKS.get(op_type)
    data = hook(_HookContext(graph), full, full, attrs, out_dtypes) if hook else None
    op = make_op(graph, full, op_type, found.tensors, attrs, list(zip(out_dtypes, shapes)),
                 data=data)
    return _outputs(op, op_def, protos)


class _HookContext:
    """What the importer's hooks read from an import (the graph; no MetaGraph variables)."""

    def __init__(self, graph: Any) -> None:
        self.graph = graph
        self.variables: dict[str, tuple[bool, int]] = {}
        self.var_ids: list[int] = []


def _outputs(op: Operation, op_def: Any, protos: dict[str, Any]) -> Any:
    outs = list(op._outputs)
    if not op_def.output_arg:
        return op
    groups: list[Any] = []
    for arg in op_def.output_arg:
        n = len(_registry._arg_types(arg, protos))
        part, outs = outs[:n], outs[n:]
        groups.append(part if (arg.number_attr or arg.type_list_attr) else part[0])
    if len(groups) == 1:
        return groups[0]
    cls = _namedtuple(op._type, tuple(a.name for a in op_def.output_arg))
    return cls(*groups)


_TUPLES: dict[tuple[str, tuple[str, ...]], Callable[..., Any]] = {}


def _namedtuple(op_type: str, fields: tuple[str, ...]) -> Callable[..., Any]:
    """TF's generated ``_<OpType>Output`` namedtuple of an op with several output args."""
    key = (op_type, fields)
    if key not in _TUPLES:
        # (fields known at run time only, as TF's generated _<Op>Output tuples)
        _TUPLES[key] = collections.namedtuple(op_type, fields)  # noqa: PYI024
    return _TUPLES[key]


# -- the tf.raw_ops functions: TF's keywords over raw_op ----------------------------------
@functools.lru_cache(maxsize=1)
def _signatures() -> dict[str, list[Any]]:
    path = os.path.join(os.path.dirname(__file__), "raw_op_args.json")
    with open(path, encoding="utf-8") as f:
        return json.load(f)  # type: ignore[no-any-return]


def _snake(op_type: str) -> str:
    """TF's generated function name (python_op_gen's camel-to-snake): ``add_v2``."""
    out = []
    for i, c in enumerate(op_type):
        if c.isupper() and i > 0 and (op_type[i - 1].islower() or (
                i + 1 < len(op_type) and op_type[i + 1].islower()
                and op_type[i - 1].isupper())):
            out.append("_")
        out.append(c.lower())
    return re.sub("_+", "_", "".join(out))


def _inferred(op_def: Any) -> set[str]:
    """The attrs TF infers from the inputs (its raw-op functions have no keyword for them)."""
    names: set[str] = set()
    for arg in op_def.input_arg:
        names.update(a for a in (arg.type_attr, arg.number_attr, arg.type_list_attr) if a)
    return names


@functools.cache
def raw_function(op_type: str) -> Callable[..., Any]:
    op_def = _registry.get(op_type)
    inferred = _inferred(op_def)
    entry = _signatures().get(op_type)
    if entry is not None:
        params: list[str] = entry[0]
        renames: dict[str, str] = entry[1] if len(entry) > 1 else {}
    else:
        params = [a.name for a in op_def.input_arg] + [
            a.name for a in op_def.attr if a.name not in inferred] + ["name"]
        renames = {}
    back = {od: py for py, od in renames.items()}
    required = [back.get(a.name, a.name) for a in op_def.input_arg] + [
        back.get(a.name, a.name) for a in op_def.attr
        if a.name not in inferred and not a.HasField("default_value")]
    snake = _snake(op_type)
    allowed = set(params)
    # (TF's wrapper checks these itself, by its own name: the list inputs that set a
    # length attr, and the list attrs)
    lists = [back.get(a.name, a.name) for a in op_def.input_arg if a.number_attr] + [
        back.get(a.name, a.name) for a in op_def.attr
        if a.name not in inferred and a.type.startswith("list(")]

    def raw(*args: Any, **kwargs: Any) -> Any:
        if args:
            raise TypeError(f"{snake} only takes keyword args (possible keys: {params}). "
                            "Please pass these args as kwargs instead.")
        for key in kwargs:
            if key not in allowed:
                raise TypeError(f"{snake}() got an unexpected keyword argument '{key}'")
        for key in required:
            if key not in kwargs:
                raise TypeError(f"{snake}() missing 1 required positional argument: '{key}'")
        for key in lists:
            value = kwargs.get(key)
            if value is not None and not isinstance(value, (list, tuple)):
                raise TypeError(f"Expected list for '{key}' argument to '{snake}' Op, not "
                                f"{value!r}.")
        return raw_op(op_type, {renames.get(k, k): v for k, v in kwargs.items()})

    raw.__name__ = raw.__qualname__ = op_type
    need = set(required)
    raw.__signature__ = inspect.Signature([  # type: ignore[attr-defined]
        inspect.Parameter(p, inspect.Parameter.KEYWORD_ONLY,
                          default=inspect.Parameter.empty if p in need else None)
        for p in params])
    raw.__doc__ = (f"``tf.raw_ops.{op_type}({', '.join(p + '=' for p in params)})``: one "
                   f"{op_type} node.")
    return raw
