"""MetaGraphs: ``tf.train.export_meta_graph`` and ``tf.train.import_meta_graph`` (TF's
framework/meta_graph.py and training/saver.py).

A MetaGraphDef is a GraphDef (with ``_output_shapes``), a SaverDef, the collections (a
variable collection as serialized VariableDefs, one of ops or tensors as their names, of
strings, ints or floats as their values) and a MetaInfoDef with the OpDefs of the op types
used. Importing one imports the GraphDef (framework/importer.py), makes the variables of
its variable collections varstore Variables over the imported nodes, restores every
collection, and returns a Saver built from its SaverDef.
"""

from __future__ import annotations

import copy
import logging
import os
import re
from typing import Any

from varstore import _variable_def as vdef
from varstore.framework import op_def_registry
from varstore.framework.graph import Graph, GraphKeys, get_default_graph

__all__ = ["export_meta_graph", "import_meta_graph", "import_scoped_meta_graph",
           "read_meta_graph_file"]

_log = logging.getLogger("tensorflow")
_UNBOUND_INPUT_PREFIX = "$unbound_inputs_"
# TF's collections of VariableDefs (ops.register_proto_function in variables.py)
_VARIABLE_COLLECTIONS = (GraphKeys.GLOBAL_VARIABLES, GraphKeys.LOCAL_VARIABLES,
                         GraphKeys.METRIC_VARIABLES, GraphKeys.MODEL_VARIABLES,
                         GraphKeys.TRAINABLE_VARIABLES, GraphKeys.MOVING_AVERAGE_VARIABLES,
                         GraphKeys.GLOBAL_STEP)
_NO_PYTHON_OBJECTS = (GraphKeys.COND_CONTEXT, GraphKeys.WHILE_CONTEXT, GraphKeys.QUEUE_RUNNERS)
_BITS = {GraphKeys.GLOBAL_VARIABLES: 1, GraphKeys.TRAINABLE_VARIABLES: 2,
         GraphKeys.LOCAL_VARIABLES: 4}
# The TF version whose behaviour varstore reproduces (written as the MetaGraph's producer:
# TF's importer reads it to decide how VariableDefs mark trainable variables).
TF_VERSION = "2.21.0"


def _pb() -> Any:
    from varstore.framework import meta_graph_pb2

    return meta_graph_pb2


# -- export ---------------------------------------------------------------------------------------
def _to_proto_kind(key: str) -> str | None:
    if key in _VARIABLE_COLLECTIONS:
        return "variable"
    if key == GraphKeys.SAVERS:
        return "saver"
    return None


def _item_kind(item: Any) -> str:
    if isinstance(item, (str, bytes)):
        return "bytes_list"
    from google.protobuf import any_pb2  # type: ignore[import-untyped,unused-ignore]

    if isinstance(item, any_pb2.Any):
        return "any_list"  # (the SavedModel's asset collection)
    if isinstance(item, bool) or not isinstance(item, (int, float)):
        return "node_list"
    return "int64_list" if isinstance(item, int) else "float_list"


def _in_scope(item: Any, export_scope: str | None, exclude: set[str] | None) -> bool:
    """TF's _should_include_node."""
    name = item if isinstance(item, str) else getattr(item, "name", None)
    if not isinstance(name, str):
        return True
    if exclude and name in exclude:
        return False
    return not export_scope or name.startswith((_UNBOUND_INPUT_PREFIX, export_scope))


def add_collection_def(meta_graph_def: Any, key: Any, graph: Graph,
                       export_scope: str | None = None, exclude: set[str] | None = None,
                       override: list[Any] | None = None) -> None:
    """TF's add_collection_def: one collection into the MetaGraphDef (a collection that
    cannot be serialized is left out, with TF's warning)."""
    if not isinstance(key, (str, bytes)):
        _log.warning("Only collections with string type keys will be serialized. This key "
                     "has %s", type(key))
        return
    if isinstance(key, bytes):
        key = key.decode()
    items = override if override else graph.get_collection(key)
    items = [x for x in items if _in_scope(x, export_scope, exclude)]
    if not items:
        return
    col = meta_graph_def.collection_def[key]
    try:
        proto_kind = _to_proto_kind(key)
        if proto_kind is not None:
            for x in items:
                proto = (vdef.variable_to_proto(x, export_scope) if proto_kind == "variable"
                         else x.to_proto(export_scope=export_scope))
                if proto is not None:
                    col.bytes_list.value.append(proto.SerializeToString())
            col.bytes_list.SetInParent()
            return
        kind = _item_kind(items[0])
        if kind == "node_list":
            for x in items:
                name = x.name
                if not export_scope or name.startswith(export_scope):
                    col.node_list.value.append(vdef.strip_name_scope(name, export_scope))
        elif kind == "bytes_list":
            col.bytes_list.value.extend(x.encode() if isinstance(x, str) else x for x in items)
        else:
            getattr(col, kind).value.extend(items)
    except Exception as exc:  # noqa: BLE001 - TF skips a collection it cannot serialize
        _log.warning("Issue encountered when serializing %s.\nType is unsupported, or the "
                     "types of the items don't match field type in CollectionDef. Note this "
                     "is a warning and probably safe to ignore.\n%s", key, str(exc))
        del meta_graph_def.collection_def[key]


def stripped_op_list_for_graph(graph_def: Any) -> Any:
    """The OpDefs of the op types ``graph_def`` uses, sorted by name (TF's)."""
    out = _pb().OpList()
    for op_type in sorted({node.op for node in graph_def.node}):
        op_def = op_def_registry.get(op_type)
        if op_def is not None:
            out.op.add().CopyFrom(op_def)
    return out


def _strip_default_attrs(meta_graph_def: Any) -> None:
    for node in meta_graph_def.graph_def.node:
        op_def = op_def_registry.get(node.op)
        if op_def is None:
            continue
        for attr_def in op_def.attr:
            if (attr_def.HasField("default_value") and attr_def.name in node.attr
                    and node.attr[attr_def.name] == attr_def.default_value):
                del node.attr[attr_def.name]
    meta_graph_def.meta_info_def.stripped_default_attrs = True


def _node_def(node: Any, export_scope: str | None, unbound: list[str],
              clear_devices: bool) -> Any:
    """TF's meta_graph._node_def: a NodeDef with ``export_scope`` stripped from its names
    (inputs from outside it become ``$unbound_inputs_<name>``)."""
    out = copy.deepcopy(node)
    for i, v in enumerate(out.input):
        if export_scope and not v.lstrip("^").startswith(export_scope):
            out.input[i] = re.sub(r"([\^]|^)(.*)", r"\1" + _UNBOUND_INPUT_PREFIX + r"\2", v)
            unbound.append(out.input[i])
        else:
            out.input[i] = vdef.strip_name_scope(v, export_scope)
    out.name = vdef.strip_name_scope(node.name, export_scope)
    if "_class" in node.attr:
        kept = [s for s in node.attr["_class"].list.s
                if not export_scope or s.decode().split("@")[1].startswith(export_scope)]
        del out.attr["_class"].list.s[:]
        out.attr["_class"].list.s.extend(
            vdef.strip_name_scope(s.decode(), export_scope).encode() for s in kept)
    if clear_devices:
        out.device = ""
    return out


def export_meta_graph(filename: str | os.PathLike[str] | None = None,
                      meta_info_def: Any = None, graph_def: Any = None, saver_def: Any = None,
                      collection_list: Any = None, as_text: bool = False,
                      graph: Graph | None = None, export_scope: str | None = None,
                      clear_devices: bool = False, clear_extraneous_savers: bool = False,
                      strip_default_attrs: bool = False, save_debug_info: bool = False,
                      **kwargs: Any) -> Any:
    """``tf.train.export_meta_graph``: the graph's MetaGraphDef (written to ``filename``
    when given)."""
    if kwargs:
        raise TypeError(f"export_meta_graph() got unexpected keyword arguments "
                        f"{sorted(kwargs)}")
    pb = _pb()
    graph = graph or get_default_graph()
    exclude: set[str] | None = None
    unbound: list[str] = []
    if export_scope or clear_devices or clear_extraneous_savers:
        source = graph_def if graph_def is not None else graph.as_graph_def(add_shapes=True)
        if clear_extraneous_savers:
            exclude = _extraneous_saver_nodes(source, saver_def)
        new = type(source)()
        new.versions.CopyFrom(source.versions)
        for node in source.node:
            if _in_scope(node.name, export_scope, exclude):
                new.node.add().CopyFrom(_node_def(node, export_scope, unbound, clear_devices))
        graph_def = new
        if export_scope:
            graph.clear_collection("unbound_inputs")
            for k in unbound:
                graph.add_to_collection("unbound_inputs", k)
    mg = pb.MetaGraphDef()
    if meta_info_def is not None:
        mg.meta_info_def.MergeFrom(meta_info_def)
    from varstore import __version__

    mg.meta_info_def.tensorflow_version = TF_VERSION
    mg.meta_info_def.tensorflow_git_version = f"varstore {__version__}"
    mg.graph_def.MergeFrom(graph_def if graph_def is not None
                           else graph.as_graph_def(add_shapes=True))
    if not mg.meta_info_def.stripped_op_list.op:
        mg.meta_info_def.stripped_op_list.MergeFrom(stripped_op_list_for_graph(mg.graph_def))
    if strip_default_attrs:
        _strip_default_attrs(mg)
    if saver_def is not None:
        mg.saver_def.MergeFrom(saver_def)
    keys = graph.get_all_collection_keys() if collection_list is None else collection_list
    for key in keys:
        if clear_extraneous_savers and key == GraphKeys.SAVERS:
            from varstore.train.saver import Saver

            add_collection_def(mg, key, graph, export_scope, exclude,
                               [Saver.from_proto(saver_def)])
        else:
            add_collection_def(mg, key, graph, export_scope, exclude)
    if filename is not None:
        from varstore.train.graph_io import write_graph

        path = os.fspath(filename)
        write_graph(mg, os.path.dirname(path), os.path.basename(path), as_text=as_text)
    return mg


def _extraneous_saver_nodes(graph_def: Any, saver_def: Any) -> set[str]:
    """TF's _find_extraneous_saver_nodes: the nodes of the name scopes of other Savers."""
    save_ops = {"SaveV2", "Save", "SaveSlice", "LegacySave", "LegacySaveSlice", "RestoreV2",
                "Restore", "RestoreSlice", "LegacyRestore", "LegacyRestoreSlice"}

    def scope(name: str) -> str:
        name = name.lstrip("^")
        return name.rsplit("/", 1)[0] if "/" in name else ""

    keep: set[str] = set()
    if saver_def is not None:
        keep = {scope(saver_def.save_tensor_name.split(":")[0]) + "/",
                scope(saver_def.restore_op_name.split(":")[0]) + "/"}
    saver_nodes = {n.name for n in graph_def.node if n.op in save_ops}
    scopes = {scope(n) for n in saver_nodes} - saver_nodes
    extraneous = {s + "/" for s in scopes} - keep
    return {n.name for n in graph_def.node if any(n.name.startswith(s) for s in extraneous)}


# -- import ---------------------------------------------------------------------------------------
def read_meta_graph_file(filename: str | os.PathLike[str]) -> Any:
    """A MetaGraphDef from a binary or text file (TF's read_meta_graph_file)."""
    path = os.fspath(filename)
    if not os.path.exists(path):
        raise OSError(f"File does not exist. Received: {path}.")
    with open(path, "rb") as f:
        data = f.read()
    from google.protobuf import (  # type: ignore[import-untyped,unused-ignore]
        message,
        text_format,
    )

    mg = _pb().MetaGraphDef()
    try:
        mg.ParseFromString(data)
        return mg
    except message.DecodeError:
        pass  # not binary: TF tries the text format next

    mg = _pb().MetaGraphDef()
    try:
        parse_text(data.decode("utf-8"), mg)
    except (text_format.ParseError, UnicodeDecodeError) as exc:
        raise OSError(f"Cannot parse file {path}: {exc}.") from None
    return mg


_ENUM_LINE = re.compile(r"^(\s*\w+:\s*)DT_([A-Z0-9_]+)\s*$", re.MULTILINE)


def parse_text(text: str, message: Any) -> Any:
    """text_format.Merge of a TF proto's text (a .meta, a saved_model.pbtxt), with the
    DataType names that tensorboardX's older types.proto lacks (DT_UINT32, DT_VARIANT ...)
    written as their numbers, which its open enum takes."""
    from google.protobuf import text_format  # type: ignore[import-untyped,unused-ignore]
    from tensorboardX.proto import types_pb2

    known = types_pb2.DataType.keys()
    numbers = {name: enum for enum, name in op_def_registry._ENUM_NAME.items()}

    def number(m: re.Match[str]) -> str:
        name = m.group(2)
        if "DT_" + name in known:
            return m.group(0)
        ref = name.endswith("_REF")
        enum = numbers.get(name[:-4] if ref else name)
        if enum is None:
            return m.group(0)  # (the parser names it)
        return f"{m.group(1)}{enum + 100 if ref else enum}"

    return text_format.Merge(_ENUM_LINE.sub(number, text), message)


def _variable_hints(mg: Any, scope: str, tf_version: str) -> dict[str, tuple[bool, int]]:
    """Node name -> (trainable, store collection bits) of each VariableDef's variable, so
    that the importer makes them store variables with these (as TF's collections list)."""
    pb = _pb()
    hints: dict[str, tuple[bool, int]] = {}
    old = bool(tf_version) and _older_than_1_9(tf_version)
    for key in _VARIABLE_COLLECTIONS:
        col = mg.collection_def.get(key)
        if col is None or col.WhichOneof("kind") != "bytes_list":
            continue
        for value in col.bytes_list.value:
            vd = pb.VariableDef.FromString(value)
            node = vdef.prepend_name_scope(vd.variable_name.split(":")[0], scope)
            trainable, bits = hints.get(node, (False, 0))
            trainable = trainable or (key == GraphKeys.TRAINABLE_VARIABLES if old
                                      else vd.trainable)
            hints[node] = (trainable, bits | _BITS.get(key, 0))
    return hints


def _older_than_1_9(version: str) -> bool:
    parts = re.findall(r"\d+", version)[:2]
    return len(parts) == 2 and (int(parts[0]), int(parts[1])) < (1, 9)


def import_scoped_meta_graph(meta_graph_or_file: Any, clear_devices: bool = False,
                             graph: Graph | None = None, import_scope: str | None = None,
                             input_map: Any = None,
                             unbound_inputs_col_name: str | None = "unbound_inputs",
                             restore_collections_predicate: Any = lambda key: True,
                             return_elements: Any = None) -> tuple[dict[str, Any], Any]:
    """TF's import_scoped_meta_graph_with_return_elements: (the imported global variables
    by name without the scope, the return elements)."""
    from varstore.framework.importer import _import

    pb = _pb()
    mg = meta_graph_or_file if isinstance(meta_graph_or_file, pb.MetaGraphDef) else \
        read_meta_graph_file(meta_graph_or_file)
    if unbound_inputs_col_name and unbound_inputs_col_name in mg.collection_def:
        col = mg.collection_def[unbound_inputs_col_name]
        field = getattr(col, col.WhichOneof("kind") or "node_list")
        values = [v.decode() if isinstance(v, bytes) else v for v in field.value]
        if values and (not input_map or sorted(values) != sorted(input_map)):
            missing = [v for v in values if not input_map or v not in input_map]
            raise ValueError(f"Graph contains unbound inputs: {','.join(missing)}. Must "
                             "provide these inputs through input_map.")
    graph = graph or get_default_graph()
    with graph.as_default():
        producer = mg.meta_info_def.stripped_op_list \
            if mg.meta_info_def.HasField("stripped_op_list") else None
        graph_def = mg.graph_def
        if clear_devices:
            for node in graph_def.node:
                node.device = ""
        scope = graph.unique_name(import_scope or "", mark_as_used=False)
        tf_version = mg.meta_info_def.tensorflow_version
        results = _import(graph_def, input_map, return_elements, import_scope or scope,
                          producer, _variable_hints(mg, scope, tf_version))
        _restore_collections(graph, mg, scope, unbound_inputs_col_name,
                             restore_collections_predicate)
        var_list = {vdef.strip_name_scope(v.name, scope): v
                    for v in graph.get_collection(GraphKeys.GLOBAL_VARIABLES, scope=scope)}
    return var_list, results


def _restore_collections(graph: Graph, mg: Any, scope: str, unbound: str | None,
                         predicate: Any) -> None:
    pb = _pb()
    keys = sorted(mg.collection_def)
    if GraphKeys.TRAINABLE_VARIABLES in keys:
        keys.remove(GraphKeys.TRAINABLE_VARIABLES)
        keys.insert(0, GraphKeys.TRAINABLE_VARIABLES)
    made: dict[bytes, Any] = {}
    for key in keys:
        if key == unbound or not predicate(key):
            continue
        if key in _NO_PYTHON_OBJECTS:
            # TF rebuilds these as Python objects (TF1 cond/while contexts, queue runners)
            # that varstore does not have; the imported ops run without them.
            _log.warning("varstore does not restore the %r collection of a MetaGraph", key)
            continue
        col = mg.collection_def[key]
        kind = col.WhichOneof("kind")
        if kind is None:
            _log.error("Cannot identify data type for collection %s. Skipping.", key)
            continue
        proto_kind = _to_proto_kind(key if key != GraphKeys.METRIC_VARIABLES
                                    else GraphKeys.GLOBAL_VARIABLES)
        if proto_kind == "variable" and kind == "bytes_list":
            for value in col.bytes_list.value:
                var = made.get(value)
                if var is None:
                    var = vdef.variable_from_proto(graph, pb.VariableDef.FromString(value),
                                                   scope)
                    made[value] = var
                if key in _BITS:
                    graph._add_variable_to_collections([key], var)
                else:
                    graph.add_to_collection(key, var)
        elif proto_kind == "saver" and kind == "bytes_list":
            from varstore.train.saver import Saver

            for value in col.bytes_list.value:
                graph.add_to_collection(key, Saver.from_proto(pb.SaverDef.FromString(value),
                                                              import_scope=scope))
        elif kind == "node_list":
            for name in col.node_list.value:
                graph.add_to_collection(key, graph.as_graph_element(
                    vdef.prepend_name_scope(name, scope)))
        elif kind == "int64_list":
            for i in col.int64_list.value:
                graph.add_to_collection(key, int(i))
        elif kind == "float_list":
            for f in col.float_list.value:
                graph.add_to_collection(key, float(f))
        elif kind == "any_list":
            for a in col.any_list.value:
                item = type(a)()
                item.CopyFrom(a)
                graph.add_to_collection(key, item)
        elif kind == "bytes_list":
            for b in col.bytes_list.value:
                # (TF's prepend_name_scope: the bytes themselves without a scope, else the
                # scoped name as a str)
                graph.add_to_collection(key, b if not scope else vdef.prepend_name_scope(
                    b.decode("utf-8", "surrogateescape"), scope))


def import_meta_graph(meta_graph_or_file: Any, clear_devices: bool = False,
                      import_scope: str | None = None, **kwargs: Any) -> Any:
    """``tf.train.import_meta_graph``: imports the MetaGraph into the default graph and
    returns a Saver over its variables (None when it has none)."""
    return import_meta_graph_with_return_elements(meta_graph_or_file, clear_devices,
                                                  import_scope, **kwargs)[0]


def import_meta_graph_with_return_elements(meta_graph_or_file: Any,
                                           clear_devices: bool = False,
                                           import_scope: str | None = None,
                                           return_elements: Any = None,
                                           **kwargs: Any) -> tuple[Any, Any]:
    """TF's _import_meta_graph_with_return_elements: (the Saver, the return elements), as
    the SavedModel loader imports a MetaGraph."""
    from varstore.framework.mode import executing_eagerly

    if executing_eagerly():
        raise RuntimeError("Exporting/importing meta graphs is not supported when eager "
                           "execution is enabled. No graph exists when eager execution is "
                           "enabled.")
    pb = _pb()
    mg = meta_graph_or_file if isinstance(meta_graph_or_file, pb.MetaGraphDef) else \
        read_meta_graph_file(meta_graph_or_file)
    imported, elements = import_scoped_meta_graph(
        mg, clear_devices=clear_devices, import_scope=import_scope,
        return_elements=return_elements, **kwargs)
    from varstore.train.saver import Saver

    if mg.HasField("saver_def"):
        scope = import_scope
        if imported:
            key = next(iter(imported))
            scope = imported[key].name[:-len(key)]
        return Saver(saver_def=mg.saver_def, name=scope), elements
    if get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES, scope=import_scope):
        return Saver(), elements
    _log.info("Saver not created because there are no variables in the graph to restore")
    return None, elements
