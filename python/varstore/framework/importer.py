"""``tf.import_graph_def``: a GraphDef's nodes become varstore ops, as TF's importer
(python/framework/importer.py over core/graph/graph_constructor.cc) makes them.

Every node is rebuilt from its (op type, inputs, attrs) through the op type's registered
definition: TF's OpDef (op_def_registry) gives its signature, attr defaults and checks, the
kernel registry runs it, and the shape functions of ``varstore.ops.import_shapes(_nn)`` infer its
static output shapes (merged with the node's ``_output_shapes``, which TF writes into
MetaGraphs). No op type needs code of its own to be imported, except the few whose kernels
hold more than attrs: a Const's value and a variable's store id (``IMPORT_HOOKS``).

TF's rules kept here: names get the import scope's prefix (``import/``, ``import_1/``...)
and clashing names a ``_1`` suffix; nodes are made in TF's topological order (the lowest
GraphDef index first; a Merge waits for one data input, the others are back edges);
``input_map`` replaces inputs (``"x:0"``, or ``"^x"`` for a control input) with existing
tensors; every imported op gets the open control_dependencies blocks' ops; a failed import
leaves the graph as it was. Op types that hold functions (While, If, PartitionedCall ...)
and dataset or py_func ops are not importable: their bodies live in a function library or
in Python objects.
"""

from __future__ import annotations

import heapq
import re
import socket
from collections.abc import Callable, Sequence
from typing import Any

from varstore.errors import NotFoundError
from varstore.framework import op_def_registry as _registry
from varstore.framework import proto_values
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.device import merge_devices
from varstore.framework.graph import Graph, get_default_graph, name_scope
from varstore.framework.graph_def import graph_def_pb2
from varstore.framework.ops import Operation, Tensor, kernel_factory, make_op
from varstore.framework.tensor_shape import merge, merge_error

__all__ = ["IMPORT_HOOKS", "SHAPE_FNS", "import_graph_def", "import_hook", "register_shape"]

Dims = "tuple[int | None, ...] | None"

# op type -> f(name, op type, inputs, attrs) -> one Dims per output (or one Dims for one output)
SHAPE_FNS: dict[str, Callable[..., Any]] = {}
# op type -> f(importer, name, attrs, out_dtypes) -> the op's _data
IMPORT_HOOKS: dict[str, Callable[..., Any]] = {}

# Op types whose kernels need what a GraphDef does not hold (sub-graphs as functions,
# Python callables, dataset pipelines).
_NOT_IMPORTABLE = {
    "While": "its loop body is a function of the GraphDef's library",
    "StatelessWhile": "its loop body is a function of the GraphDef's library",
    "PyFunc": "its Python function is not in the GraphDef",
    "PyFuncStateless": "its Python function is not in the GraphDef",
}
_ITERATORS = {"IteratorV2", "MakeIterator", "IteratorGetNext", "OneShotIterator"}
_FUNCTION_OPS = {"If", "StatelessIf", "Case", "StatelessCase", "PartitionedCall",
                 "StatefulPartitionedCall", "While", "StatelessWhile"}
_VALID_NAME = re.compile(r"[A-Za-z0-9.][A-Za-z0-9_.\-/]*\Z")


def register_shape(*op_types: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Registers the static-shape function of imported ops of ``op_types``."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        for t in op_types:
            SHAPE_FNS[t] = fn
        return fn

    return decorate


def import_hook(*op_types: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Registers what imported ops of ``op_types`` keep as their ``_data``:
    ``f(importer, GraphDef name, full name, attrs, output dtypes)``."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        for t in op_types:
            IMPORT_HOOKS[t] = fn
        return fn

    return decorate


def _parse_tensor_name(name: str) -> tuple[str, int]:
    parts = name.split(":")
    if len(parts) == 2:
        try:
            return parts[0], int(parts[1])
        except ValueError:
            raise ValueError(f"Cannot convert {name!r} to a tensor name. Second component of "
                             "the name following the `:` should be an int. Got "
                             f"{parts[1]}.") from None
    if len(parts) == 1:
        return parts[0], 0
    raise ValueError(f"Cannot convert '{name}' to a tensor name. Tensor names should not "
                     f"contain more than 1 `:`. Obtained {len(parts) - 1}")


def _input_id(text: str) -> tuple[str, int]:
    """A NodeDef input: ("op", index), index -1 for a control input ("^op")."""
    if text.startswith("^"):
        return text[1:], -1
    name, _, index = text.partition(":")
    return name, int(index) if index else 0


def _id_text(name: str, index: int) -> str:
    return "^" + name if index == -1 else f"{name}:{index}"


# -- the arguments, as TF's importer.py checks them ---------------------------------------------
def _process_graph_def(graph_def: Any) -> Any:
    pb = graph_def_pb2()
    if isinstance(graph_def, pb.GraphDef):
        # TF adds the attr defaults to the caller's GraphDef itself (meta_graph relies on it).
        for node in graph_def.node:
            op_def = _registry.get(node.op)
            if op_def is not None:
                _set_default_attrs(node, op_def)
        return graph_def
    serialize = getattr(graph_def, "SerializeToString", None)
    if serialize is None or not callable(serialize):
        raise TypeError("Argument `graph_def` must be a GraphDef proto.")
    try:  # a GraphDef of another proto module (TensorFlow's own)
        return pb.GraphDef.FromString(serialize())
    except Exception:  # noqa: BLE001 - any parse failure is TF's TypeError
        raise TypeError("Argument `graph_def` must be a GraphDef proto.") from None


def _set_default_attrs(node: Any, op_def: Any) -> None:
    for attr_def in op_def.attr:
        if attr_def.HasField("default_value") and (
                attr_def.name not in node.attr
                or node.attr[attr_def.name].WhichOneof("value") is None):
            node.attr[attr_def.name].CopyFrom(attr_def.default_value)


def _process_input_map(input_map: Any) -> dict[str, Any]:
    if input_map is None:
        return {}
    if not isinstance(input_map, dict):
        raise TypeError("Argument `input_map` must be a dictionary. Obtained "
                        f"{type(input_map).__name__}")
    if not all(isinstance(k, (str, bytes)) for k in input_map):
        raise TypeError("All keys for argument `input_map` must be strings. Obtained keys: "
                        f"{list(input_map)}")
    return {(k.decode() if isinstance(k, bytes) else k): v for k, v in input_map.items()}


def _process_return_elements(return_elements: Any) -> tuple[str, ...] | None:
    if return_elements is None:
        return None
    if not all(isinstance(x, (str, bytes)) for x in return_elements):
        raise TypeError("Argument `return_elements` must be a list of strings. Obtained "
                        f"{return_elements}.")
    return tuple(x.decode() if isinstance(x, bytes) else x for x in return_elements)


def _remove_default_attrs(producer_op_list: Any, graph_def: Any) -> None:
    """TF's _RemoveDefaultAttrs: attrs varstore's OpDef lacks whose value is the producer's
    default are dropped (a newer TF's GraphDef)."""
    producer = {op.name: op for op in producer_op_list.op}
    for node in graph_def.node:
        if node.op not in producer:
            continue
        op_def = _registry.get(node.op)
        if op_def is None:
            continue
        known = {a.name for a in op_def.attr}
        defaults = {a.name: a.default_value for a in producer[node.op].attr
                    if a.HasField("default_value")}
        for key in list(node.attr):
            if key not in known and key in defaults and node.attr[key] == defaults[key]:
                del node.attr[key]


def import_graph_def(graph_def: Any, input_map: Any = None, return_elements: Any = None,
                     name: str | None = None, op_dict: Any = None,
                     producer_op_list: Any = None) -> list[Any] | None:
    """``tf.import_graph_def``: imports the nodes of ``graph_def`` into the default graph
    under the prefix ``name`` (default ``import``); returns the ``return_elements`` (tensor
    names give Tensors, op names Operations), or None."""
    del op_dict  # deprecated in TF, and unused there too
    return _import(graph_def, input_map, return_elements, name, producer_op_list)


def _import(graph_def: Any, input_map: Any, return_elements: Any, name: str | None,
            producer_op_list: Any, variables: dict[str, tuple[bool, int]] | None = None
            ) -> list[Any] | None:
    # (registering the shape rules and hooks on first use)
    from varstore.ops import import_shapes, import_shapes_nn, import_shapes_strings  # noqa: F401

    graph_def = _process_graph_def(graph_def)
    mapping = _process_input_map(input_map)
    returns = _process_return_elements(return_elements)
    if producer_op_list is not None:
        _remove_default_attrs(producer_op_list, graph_def)
    graph = get_default_graph()
    with name_scope(name, "import", list(mapping.values())) as scope:
        prefix = scope[:-1] if scope else ""
        if not all(isinstance(v, Tensor) for v in mapping.values()):
            if name == "":
                raise ValueError(
                    "tf.import_graph_def() requires a non-empty `name` if `input_map` contains "
                    "non-Tensor values. Try calling tf.convert_to_tensor() on `input_map` values "
                    "before calling tf.import_graph_def().")
            with name_scope("_inputs"):
                mapping = {k: convert_to_tensor(v) for k, v in mapping.items()}
    importer = _Importer(graph, graph_def, prefix, mapping, returns, variables or {})
    with graph._lock:
        importer.run()
    if importer.unused_keys:
        raise ValueError("Attempted to map inputs that were not found in graph_def: "
                         f"[{', '.join(importer.unused_keys)}]")
    return importer.results if returns is not None else None


class _Importer:
    """One import: TF's GraphConstructor for a GraphDef into a varstore Graph."""

    def __init__(self, graph: Graph, graph_def: Any, prefix: str, input_map: dict[str, Any],
                 returns: tuple[str, ...] | None, variables: dict[str, tuple[bool, int]]
                 ) -> None:
        self.graph = graph
        self.gdef = graph_def
        self.nodes = list(graph_def.node)
        self.prefix = prefix + "/" if prefix else ""
        self.input_map: dict[tuple[str, int], Any] = {}
        for key, value in input_map.items():
            if key.startswith("^"):
                self.input_map[(key[1:], -1)] = value
            else:
                self.input_map[_parse_tensor_name(key)] = value
        self.returns = returns
        # node name -> (trainable, collection bits) of the variables a MetaGraph lists
        self.variables = variables
        self.created: list[Operation] = []
        self.var_ids: list[int] = []
        self.by_name: dict[str, Operation] = {}  # GraphDef name -> imported op
        self.used_keys: set[tuple[str, int]] = set()
        self.back_edges: list[tuple[Operation, int, str, int]] = []
        self.results: list[Any] = []
        self.unused_keys: list[str] = []

    # -- the steps of GraphConstructor::TryImport ---------------------------------------------
    def run(self) -> None:
        graph = self.graph
        state = graph._thread
        saved = state.control_deps, state.cond_ctx
        blocks = [c for block in state.control_deps for c in block.control_inputs]
        state.control_deps, state.cond_ctx = [], None
        try:
            self._index()
            order = self._convert(blocks)
            self._add_back_edges()
            self._gather_returns()
        except BaseException:
            self._undo()
            raise
        finally:
            state.control_deps, state.cond_ctx = saved
        store = graph._store
        for op in order:
            if not store.is_used(op._name):
                store.mark_used(op._name)
        for block in saved[0]:
            block.seen.update(op._id for op in order)
        self._check_unused_keys()

    def _index(self) -> None:
        existing = self.graph._nodes_by_name
        self.existing_prefixes = {name.rsplit("/", i)[0] for name in existing
                                  for i in range(1, name.count("/") + 1)}
        self.gdef_index: dict[str, int] = {}
        self.gdef_prefixes: set[str] = set()
        if self.prefix and not _VALID_NAME.match(self.prefix[:-1]):
            raise ValueError(f"Imported node name prefix '{self.prefix}' would lead to invalid "
                             "node names")
        for i, node in enumerate(self.nodes):
            if not _VALID_NAME.match(node.name):
                raise ValueError(f"Node '{node.name}': Node name contains invalid characters")
            if node.name in self.gdef_index:
                raise ValueError(f"Node '{node.name}' is not unique")
            self.gdef_index[node.name] = i
            self.gdef_prefixes.update(node.name.rsplit("/", k)[0]
                                      for k in range(1, node.name.count("/") + 1))
            if not node.op:
                raise ValueError(f"Node '{node.name}' does not specify an operation")
            control = False
            for inp in node.input:
                if inp.startswith("^"):
                    control = True
                elif control:
                    raise ValueError(f"Node '{node.name}': Control dependencies must come "
                                     "after regular dependencies")
        for (src, index), value in self.input_map.items():
            if index == -1 and not isinstance(value, (Tensor, Operation)):
                raise TypeError(f"input_map value for '^{src}' must be a Tensor or Operation")

    def _convert(self, blocks: list[Operation]) -> list[Operation]:
        n = len(self.nodes)
        pending = [0] * n
        outputs: list[list[int]] = [[] for _ in range(n)]
        ready: list[int] = []
        for i, node in enumerate(self.nodes):
            if node.op in ("Merge", "RefMerge"):
                pending[i] = sum(1 for x in node.input if x.startswith("^")) + 1
            else:
                pending[i] = len(node.input)
            for inp in node.input:
                key = _input_id(inp)
                if key in self.input_map:
                    pending[i] -= 1  # (a mapped input need not be in the GraphDef)
                    continue
                j = self.gdef_index.get(key[0])
                if j is None:
                    raise ValueError(f"Node '{node.name}': Unknown input node '{inp}'")
                outputs[j].append(i)
            if pending[i] <= 0:
                ready.append(i)
        heapq.heapify(ready)
        order: list[Operation] = []
        while ready:
            i = heapq.heappop(ready)
            order.append(self._make(self.nodes[i], blocks))
            for k in outputs[i]:
                pending[k] -= 1
                if pending[k] == 0:
                    heapq.heappush(ready, k)
        if len(order) < n:
            raise ValueError(f"{n - len(order)} nodes in a cycle")
        return order

    # -- one node -----------------------------------------------------------------------------
    def _resolve(self, node: Any) -> tuple[list[Tensor | None], list[Operation],
                                             list[tuple[int, str, int]]]:
        """The node's inputs: tensors (None for a back edge, filled in later), control ops."""
        data: list[Tensor | None] = []
        control: list[Operation] = []
        back: list[tuple[int, str, int]] = []
        for inp in node.input:
            src, index = _input_id(inp)
            mapped = self.input_map.get((src, index))
            if mapped is not None:
                self.used_keys.add((src, index))
                if index == -1:
                    op = mapped if isinstance(mapped, Operation) else mapped.op
                    if op not in control:
                        control.append(op)
                else:
                    data.append(mapped)
                continue
            op = self.by_name.get(src)
            if index == -1:
                if op is None:
                    back.append((-1, src, -1))
                elif op not in control:
                    control.append(op)
                continue
            if op is None:
                back.append((len(data), src, index))
                data.append(None)
                continue
            if index >= len(op._outputs):
                raise ValueError(f"Node '{node.name}': Connecting to invalid output {index} of "
                                 f"source node {src} which has {len(op._outputs)} outputs.")
            data.append(op._outputs[index])
        if back and node.op not in ("Merge", "RefMerge"):
            raise ValueError(f"Node '{node.name}' had a back edge, but only Merge nodes can "
                             "have back edges.")
        return data, control, back

    def _unique(self, name: str) -> str:
        existing = self.graph._nodes_by_name

        def in_graph(n: str) -> bool:
            return n in existing or n in self.existing_prefixes

        if not in_graph(name):
            return name
        count = 0
        candidate = name
        while in_graph(candidate) or (count > 0 and (candidate in self.gdef_index or
                                                     candidate in self.gdef_prefixes)):
            count += 1
            candidate = f"{name}_{count}"
        return candidate

    def _make(self, node: Any, blocks: list[Operation]) -> Operation:
        data, control, back = self._resolve(node)
        full = self._unique(self.prefix + node.name)
        op_def = _registry.get(node.op)
        if op_def is None or (kernel_factory(node.op) is None and node.op not in IMPORT_HOOKS):
            raise _not_registered(node.op)
        why = _NOT_IMPORTABLE.get(node.op)
        if why is None and (re.search(r"Dataset(V\d)?$", node.op) or node.op in _ITERATORS):
            why = "varstore's tf.data pipelines are Python objects, not graph functions"
        if why is not None:
            raise ValueError(f"varstore cannot import node '{full}' of op type {node.op}: "
                             f"{why}")
        attrs_pb = self._checked_attrs(node, op_def, full)
        in_types, out_types = _registry.in_out_types(op_def, attrs_pb)
        n_data = sum(1 for x in node.input if not x.startswith("^"))
        if n_data != len(in_types):
            raise ValueError(
                f"NodeDef expected inputs '{', '.join(map(_registry.type_string, in_types))}' "
                f"do not match {n_data} inputs specified; {_registry.summarize_op_def(op_def)}; "
                f"NodeDef: {{{{node {full}}}}}")
        for j, (t, want) in enumerate(zip(data, in_types)):
            if t is None:
                continue
            base = want - 100 if want > 100 else want
            if t._dtype.as_datatype_enum != base:
                raise ValueError(
                    f"Input {j} of node {full} was passed "
                    f"{_registry.type_string(t._dtype.as_datatype_enum)} from {t.name} "
                    f"incompatible with expected {_registry.type_string(want)}.")
        attrs = {}
        for key, value in attrs_pb.items():
            if key == "_output_shapes":
                continue
            try:
                attrs[key] = proto_values.attr_value(value)
            except proto_values.UnsupportedAttr as exc:
                raise ValueError(f"varstore cannot import node '{full}' of op type "
                                 f"{node.op}: its attr '{key}' holds {exc}") from None
        if self.prefix and isinstance(attrs.get("_class"), list):
            # (TF's AddPrefixToNodeDef renames the colocation groups too)
            attrs["_class"] = [f"loc:@{self.prefix}{c[5:]}" if isinstance(c, str)
                               and c.startswith("loc:@") else c for c in attrs["_class"]]
        out_dtypes = [_registry.dtype_of(t) for t in out_types]
        live = [t for t in data if t is not None]
        shapes = self._shapes(node, full, live if not back else data, attrs, len(out_types))
        hook = IMPORT_HOOKS.get(node.op)
        extra = hook(self, node.name, full, attrs, out_dtypes) if hook is not None else None
        for c in blocks:
            if c not in control:
                control.append(c)
        op = make_op(self.graph, full, node.op, live, attrs, list(zip(out_dtypes, shapes)),
                     data=extra, control_inputs=control)
        if back:
            op._inputs = list(data)  # type: ignore[arg-type]  # the back edges come later
            for pos, src, index in back:
                self.back_edges.append((op, pos, src, index))
        if node.device:
            op._device = merge_devices(op._device, node.device)
        self.created.append(op)
        self.by_name[node.name] = op
        return op

    def _checked_attrs(self, node: Any, op_def: Any, full: str) -> dict[str, Any]:
        """The node's attrs with the OpDef's defaults, checked as TF's ValidateNodeDef."""
        attrs = dict(node.attr)
        missing = []
        for attr_def in op_def.attr:
            value = attrs.get(attr_def.name)
            if value is None or value.WhichOneof("value") is None:
                if attr_def.HasField("default_value"):
                    attrs[attr_def.name] = attr_def.default_value
                    continue
                missing.append(attr_def.name)
                continue
            if value.WhichOneof("value") != "placeholder":
                problem = _registry.attr_problem(value, attr_def)
                if problem:
                    raise ValueError(f"{problem}\n\t; NodeDef: {{{{node {full}}}}}; "
                                     f"{_registry.summarize_op_def(op_def)}")
        if missing:
            names = "', '".join(missing)
            raise ValueError(
                f"NodeDef missing attr{'s' if len(missing) > 1 else ''} '{names}' from "
                f"{_registry.summarize_op_def(op_def)}; NodeDef: {{{{node {full}}}}}")
        return attrs

    def _shapes(self, node: Any, full: str, inputs: Sequence[Tensor | None],
                attrs: dict[str, Any], n_out: int) -> list[Any]:
        fn = SHAPE_FNS.get(node.op)
        shapes: list[Any] = [None] * n_out
        if fn is not None and None not in inputs:
            got = fn(full, node.op, list(inputs), attrs)
            shapes = list(got) if isinstance(got, list) else [got]
        if "_output_shapes" in node.attr:
            given = node.attr["_output_shapes"].list.shape
            for i, proto in enumerate(given[:n_out]):
                dims = proto_values.shape_dims(proto)
                merged = merge(shapes[i], dims)
                if merged is not None and not isinstance(merged, tuple):
                    raise ValueError(f"Node '{full}' has an _output_shapes attribute "
                                     f"inconsistent with the GraphDef for output #{i}: "
                                     f"{merge_error(shapes[i], dims)}")
                shapes[i] = merged
        return shapes

    # -- after the nodes ----------------------------------------------------------------------
    def _add_back_edges(self) -> None:
        for op, pos, src, index in self.back_edges:
            source = self.by_name[src]
            if index == -1:
                if source not in op._control_inputs:
                    op._control_inputs.append(source)
                continue
            if index >= len(source._outputs):
                raise ValueError(f"Node '{op._name}': Connecting to invalid output {index} of "
                                 f"source node {src} which has {len(source._outputs)} "
                                 "outputs.")
            t = source._outputs[index]
            want = op._outputs[0]._dtype  # (a Merge: its inputs have its output's type)
            if t._dtype is not want:
                raise ValueError(
                    f"Input {pos} of node {op._name} was passed "
                    f"{_registry.type_string(t._dtype.as_datatype_enum)} from {t.name} "
                    f"incompatible with expected "
                    f"{_registry.type_string(want.as_datatype_enum)}.")
            op._inputs[pos] = t
            if t._consumers is None:
                t._consumers = [op]
            else:
                t._consumers.append(op)

    def _gather_returns(self) -> None:
        if self.returns is None:
            return
        for name in self.returns:
            if ":" in name:
                src, index = _parse_tensor_name(name)
                mapped = self.input_map.get((src, index))
                if mapped is not None:
                    self.results.append(mapped)
                    continue
                op = self.by_name.get(src)
                if op is None:
                    raise ValueError(f"Requested return tensor '{name}' not found in graph def")
                if not 0 <= index < len(op._outputs):
                    raise ValueError(f"Invalid return output {index} of node '{src}', which "
                                     f"has {len(op._outputs)} output(s)")
                self.results.append(op._outputs[index])
            else:
                op = self.by_name.get(name)
                if op is None:
                    raise ValueError(f"Requested return node '{name}' not found in graph def")
                self.results.append(op)

    def _check_unused_keys(self) -> None:
        for key in self.input_map:
            if key in self.used_keys:
                continue
            src, index = key
            op = self.by_name.get(src)
            if op is None or index >= len(op._outputs):
                self.unused_keys.append(_id_text(src, index))

    def _undo(self) -> None:
        """TF's GraphConstructor::Undo: the graph as it was before the import."""
        graph = self.graph
        created = set(map(id, self.created))
        with graph._lock:
            graph._ops[:] = [op for op in graph._ops if id(op) not in created]
            for op in self.created:
                graph._nodes_by_name.pop(op._name, None)
                for t in op._inputs:
                    if t is not None and t._consumers:
                        t._consumers[:] = [c for c in t._consumers if c is not op]
            for vid in reversed(self.var_ids):
                graph._store.discard_last(vid)
                graph._var_ops.pop(vid, None)
                del graph._var_values[vid:]


def _not_registered(op_type: str) -> NotFoundError:
    known = _registry.get(op_type) is not None or op_type in _FUNCTION_OPS
    why = (f" (varstore implements no kernel for the TF op type {op_type})" if known
           else "")
    return NotFoundError(
        None, None,
        f"Op type not registered '{op_type}' in binary running on {socket.gethostname()}. "
        "Make sure the Op and Kernel are registered in the binary running in this process. "
        "Note that if you are loading a saved graph which used ops from tf.contrib (e.g. "
        "`tf.contrib.resampler`), accessing should be done before importing the graph, as "
        f"contrib ops are lazily registered when the module is first accessed.{why}")
