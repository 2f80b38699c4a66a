"""Variable ops: resource variables (VarHandleOp, ReadVariableOp, AssignVariableOp ...) and
TF1's ref variables (VariableV2, Assign ...), and where variables keep their values.

A variable's current value is an ndarray in ``space._var_values[id]`` (None until it is
first initialised), where the space is the graph (its first open session and np.asarray(v)
read it) or a session's RunContext (TF's per-session values, for a session opened beside
the first). Reads take a reference, never a copy. A write goes in place when no one
else holds the current array (TF's RefCountIsOne test) and otherwise replaces it with a new
one (copy-on-write), so a read racing an assignment sees the old or the new value, never a
mix: writers and readers take the space's ``_var_lock`` around the reference swap or the
in-place write. The arrays are read-only outside that window, so no kernel can change a
variable by accident.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore import errors as _errors
from varstore.errors import FailedPreconditionError, InvalidArgumentError, NotFoundError
from varstore.framework import ops as _ops
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.executor import RunContext
from varstore.framework.graph import Graph
from varstore.framework.op_def_library import check_allowed, typed_input
from varstore.framework.ops import Operation, Tensor, make_op, register_kernel, scope_of
from varstore.framework.tensor_shape import TensorShape, compatible, merge_error, shape_str

__all__ = [
    "assign",
    "assign_add",
    "assign_sub",
    "count_up_to",
    "is_variable_initialized",
]

_getrefcount = sys.getrefcount
# References to the current array while a writer checks it: the list slot, the local, the
# argument of getrefcount.
_EXCLUSIVE = 3


# -- values ---------------------------------------------------------------------------------
def _graph_of(space: Any) -> Graph:
    return space if isinstance(space, Graph) else space.graph


def _values(space: Any, vid: int) -> list[Any]:
    values: list[Any] = space._var_values
    while len(values) <= vid:
        values.append(None)
    return values


def current(space: Any, vid: int) -> np.ndarray | None:
    """The variable's current value (a reference; read-only), or None."""
    values = space._var_values
    with space._var_lock:
        return values[vid] if vid < len(values) else None


def _thaw(arr: np.ndarray) -> bool:
    """Makes ``arr`` writable for an in-place update; False when NumPy cannot (a view of the
    C++ store's buffer: it is then replaced instead)."""
    try:
        arr.flags.writeable = True
    except ValueError:
        return False
    return True


def _frozen(arr: np.ndarray) -> np.ndarray:
    arr.flags.writeable = False
    return arr


def write(space: Any, vid: int, value: np.ndarray, dtype: Any = None) -> None:
    """Sets the variable's value (shape as given): in place when nobody else holds the
    current array, else into a new one."""
    with space._var_lock:
        values = _values(space, vid)
        cur = values[vid]
        if (cur is not None and cur.shape == value.shape and (dtype is None or
                                                              cur.dtype == dtype)
                and _getrefcount(cur) <= _EXCLUSIVE and _thaw(cur)):
            try:
                np.copyto(cur, value, casting="unsafe")
            finally:
                cur.flags.writeable = False
            return
        new = np.array(value, dtype=dtype if dtype is not None else value.dtype, copy=True,
                       order="C")
        values[vid] = _frozen(new)


def update(space: Any, vid: int, fn: Callable[[np.ndarray, np.ndarray | None], Any]) -> Any:
    """Read-modify-write under the lock: ``fn(cur, out)`` writes the new value into ``out``
    (``cur`` itself when nobody else holds it, else a fresh array) and may return a result."""
    with space._var_lock:
        values = _values(space, vid)
        cur = values[vid]
        if cur is None:
            raise FailedPreconditionError(None, None, _uninit_message(_graph_of(space), vid))
        if _getrefcount(cur) <= _EXCLUSIVE and _thaw(cur):
            try:
                return fn(cur, cur)
            finally:
                cur.flags.writeable = False
        out = np.empty_like(cur)
        result = fn(cur, out)
        values[vid] = _frozen(out)
        return result


def write_target(space: Any, vid: int, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """A writable array to fill with the variable's next value, then :func:`install`: the
    current array when nobody else holds it (no copy, no second buffer: a restore of 1 GB
    needs no second GB), the store's own buffer for a variable without a value yet, else a
    new array."""
    with space._var_lock:
        values = _values(space, vid)
        cur = values[vid]
        if cur is not None:
            if (cur.shape == shape and cur.dtype == dtype and _getrefcount(cur) <= _EXCLUSIVE
                    and _thaw(cur)):
                return cur  # type: ignore[no-any-return]
            return np.empty(shape, dtype=dtype)
    if not space._shares_graph:  # a session of its own: no store buffer to reuse
        return np.empty(shape, dtype=dtype)
    buf: np.ndarray = _graph_of(space)._store.array(vid)
    if buf.shape == shape and buf.dtype == dtype and buf.flags.writeable:
        return buf
    return np.empty(shape, dtype=dtype)


def install(space: Any, vid: int, arr: np.ndarray) -> None:
    """Makes ``arr`` (filled after :func:`write_target`) the variable's value."""
    with space._var_lock:
        values = _values(space, vid)
        values[vid] = _frozen(arr)


def set_initial(space: Any, vid: int, value: np.ndarray) -> None:
    """A value the store filled at creation (zeros/ones/constant): the variable's value
    until something assigns it."""
    with space._var_lock:
        values = _values(space, vid)
        values[vid] = _frozen(value)


def _var_name(graph: Graph, vid: int) -> str:
    return str(graph._store.graph_name(vid))


def _uninit_message(graph: Graph, vid: int) -> str:
    name = _var_name(graph, vid)
    return (f"Could not find variable {name}. This could mean that the variable has been "
            "deleted. In TF1, it can also mean the variable is uninitialized. Debug info: "
            "container=localhost, status error message=Resource localhost/"
            f"{name}/N10tensorflow3VarE does not exist.")


def _eager_initialize(ctx: RunContext, vid: int) -> None:
    """The implicit eager session reads a variable that has no value yet: run its
    initializer first (np.asarray(v) needs no global_variables_initializer())."""
    graph = ctx.graph
    init = graph._var_ops.get(vid)
    if init is None or init.initializer is None:
        raise FailedPreconditionError(None, None, _uninit_message(graph, vid))
    ctx.session.run(init.initializer)


def reader(ctx: RunContext) -> Callable[[int], np.ndarray]:
    """The read kernel body of this session: the current value of a variable id."""
    graph = ctx.graph
    values = ctx._var_values
    lock = ctx._var_lock
    if ctx.eager:
        def read_eager(vid: int) -> np.ndarray:
            with lock:
                value = values[vid] if vid < len(values) else None
            if value is None:
                _eager_initialize(ctx, vid)
                with lock:
                    value = values[vid]
            return value  # type: ignore[no-any-return]
        return read_eager
    initialized = ctx.initialized

    def read(vid: int) -> np.ndarray:
        if vid not in initialized:
            raise FailedPreconditionError(None, None, _uninit_message(graph, vid))
        with lock:
            return values[vid]  # type: ignore[no-any-return]

    return read


# -- resource variables ---------------------------------------------------------------------
def var_handle_op(graph: Graph, full: str, dtype: _dtypes.DType,
                  shape: tuple[int | None, ...] | None, vid: int) -> Tensor:
    # debug_name is the name scope TF's ResourceVariable opens for the handle ("v/")
    attrs = {"dtype": dtype, "shape": TensorShape._of(shape), "shared_name": full,
             "debug_name": full + "/", "container": "", "allowed_devices": []}
    op = make_op(graph, full, "VarHandleOp", (), attrs, [(_dtypes.resource, ())], data=vid)
    return op._outputs[0]


@register_kernel("VarHandleOp")
def _var_handle_kernel(op: Operation) -> Callable[[], int]:
    vid: int = op._data
    return lambda: vid


def read_variable_op(handle: Tensor, dtype: _dtypes.DType, shape: Any,
                     name: str | None = None) -> Tensor:
    graph = handle._op._graph
    full = graph._op_name(name, "ReadVariableOp")
    op = make_op(graph, full, "ReadVariableOp", [handle], {"dtype": dtype}, [(dtype, shape)])
    return op._outputs[0]


@register_kernel("DisableCopyOnRead", stateful=True)
def _disable_copy_on_read_kernel(op: Operation) -> Callable[[int], None]:
    # TF stops sharing a variable's buffer copy-on-write with its readers (before a save);
    # varstore's reads never alias a later write (see write), so there is nothing to do.
    return lambda vid: None


@register_kernel("ReadVariableOp", stateful=True)
def _read_kernel(op: Operation, ctx: RunContext) -> Callable[[int], np.ndarray]:
    return reader(ctx)


def _assign_check(ctx: RunContext, op: Operation, vid: int, value: np.ndarray,
                  validate: bool) -> None:
    graph = ctx.graph
    if validate:
        want = tuple(graph._store.shape(vid))
        if value.shape != want:
            raise InvalidArgumentError(
                None, op, "Trying to assign variable with wrong shape. Expected "
                f"{shape_str(want)} got {shape_str(value.shape)}")


@register_kernel("AssignVariableOp", stateful=True)
def _assign_variable_kernel(op: Operation, ctx: RunContext) -> Callable[[int, Any], None]:
    initialized = ctx.initialized
    dtype = op._attrs["dtype"]._np
    validate = op._attrs.get("validate_shape", False)

    def assign_variable(vid: int, value: np.ndarray) -> None:
        if validate:
            _assign_check(ctx, op, vid, value, True)
        write(ctx, vid, value, dtype)
        initialized.add(vid)

    return assign_variable


def _updater(op: Operation, ctx: RunContext, ufunc: Any,
             ref: bool = False) -> Callable[[int, Any], None]:
    read = reader(ctx)

    def apply(vid: int, delta: np.ndarray) -> None:
        require_initialized(read, vid, op, ref)  # first, as TF (its error, not a read's)

        def fn(cur: np.ndarray, out: np.ndarray | None) -> None:
            d_shape = np.shape(delta)
            if d_shape == cur.shape:
                same = True  # the common case, without broadcast_shapes' ~2 us
            else:
                try:
                    same = np.broadcast_shapes(cur.shape, d_shape) == cur.shape
                except ValueError:  # not broadcastable: TF's message, not NumPy's
                    same = False
            if not same:
                raise InvalidArgumentError(
                    None, op, f"Cannot update variable with shape {shape_str(cur.shape)} "
                    f"using a Tensor with shape {shape_str(np.shape(delta))}, shapes must be "
                    "equal.")
            ufunc(cur, delta, out=out, casting="unsafe")

        update(ctx, vid, fn)

    return apply


@register_kernel("AssignAddVariableOp", stateful=True)
def _assign_add_variable_kernel(op: Operation, ctx: RunContext) -> Callable[[int, Any], None]:
    return _updater(op, ctx, np.add)


@register_kernel("AssignSubVariableOp", stateful=True)
def _assign_sub_variable_kernel(op: Operation, ctx: RunContext) -> Callable[[int, Any], None]:
    return _updater(op, ctx, np.subtract)


@register_kernel("VarIsInitializedOp", stateful=True)
def _is_initialized_kernel(op: Operation, ctx: RunContext) -> Callable[[int], np.ndarray]:
    initialized = ctx.initialized
    values = ctx._var_values
    if ctx.eager:
        return lambda vid: np.array(vid < len(values) and values[vid] is not None)
    return lambda vid: np.array(vid in initialized)


# -- ref variables (TF1's VariableV2, after tf.disable_resource_variables()) ---------------
def variable_v2(graph: Graph, full: str, dtype: _dtypes.DType,
                shape: tuple[int | None, ...] | None, vid: int) -> Tensor:
    attrs = {"dtype": dtype, "shape": TensorShape._of(shape), "container": "",
             "shared_name": ""}
    op = make_op(graph, full, "VariableV2", (), attrs, [(dtype, shape)], data=vid)
    return op._outputs[0]


@register_kernel("VariableV2", stateful=True)
def _variable_v2_kernel(op: Operation, ctx: RunContext) -> Callable[[], np.ndarray]:
    vid: int = op._data
    graph = ctx.graph
    read = reader(ctx)
    name = op._name

    def read_ref() -> np.ndarray:
        try:
            return read(vid)
        except FailedPreconditionError:
            raise FailedPreconditionError(
                None, op, f"Attempting to use uninitialized value {name}") from None

    del graph
    return read_ref


# Ops a ref passes through unchanged: a ref variable used inside a v1 cond reaches its
# assign through the cond's Switch (TF's RefSwitch), or an identity; and the in-place
# updates, whose output is the ref they updated (tf.assign_add(tf.assign(v, x), y)).
_REF_FORWARDING = frozenset({"Identity", "RefIdentity", "Switch", "RefSwitch"}
                            | (_ops.REF_OUTPUT_OPS - {"VariableV2"}))


def _ref_vid(t: Tensor) -> int:
    op = t._op
    while op._type in _REF_FORWARDING and op._inputs:
        op = op._inputs[0]._op
    if op._type not in ("VariableV2", "VarHandleOp"):
        raise TypeError(f"'{t.name}' is not a variable")
    return op._data  # type: ignore[no-any-return]


@register_kernel("Assign", stateful=True, ref_inputs=(0,))
def _assign_kernel(op: Operation, ctx: RunContext) -> Callable[[Any, Any], np.ndarray]:
    vid = _ref_vid(op._inputs[0])
    initialized = ctx.initialized
    validate = op._attrs.get("validate_shape", True)
    dtype = op._attrs["T"]._np

    def assign_ref(_: Any, value: np.ndarray) -> np.ndarray:
        if validate:
            _assign_check(ctx, op, vid, value, True)
        write(ctx, vid, value, dtype)
        initialized.add(vid)
        with ctx._var_lock:
            return ctx._var_values[vid]  # type: ignore[no-any-return]

    return assign_ref


def _ref_updater(op: Operation, ctx: RunContext, ufunc: Any
                 ) -> Callable[[Any, Any], np.ndarray]:
    vid = _ref_vid(op._inputs[0])
    apply = _updater(op, ctx, ufunc, ref=True)

    def update_ref(_: Any, delta: np.ndarray) -> np.ndarray:
        apply(vid, delta)
        with ctx._var_lock:
            return ctx._var_values[vid]  # type: ignore[no-any-return]

    return update_ref


@register_kernel("AssignAdd", stateful=True, ref_inputs=(0,))
def _assign_add_kernel(op: Operation, ctx: RunContext) -> Callable[[Any, Any], np.ndarray]:
    return _ref_updater(op, ctx, np.add)


@register_kernel("AssignSub", stateful=True, ref_inputs=(0,))
def _assign_sub_kernel(op: Operation, ctx: RunContext) -> Callable[[Any, Any], np.ndarray]:
    return _ref_updater(op, ctx, np.subtract)


@register_kernel("IsVariableInitialized", stateful=True, ref_inputs=(0,))
def _is_var_initialized_kernel(op: Operation, ctx: RunContext) -> Callable[[Any], np.ndarray]:
    vid = _ref_vid(op._inputs[0])
    initialized = ctx.initialized
    values = ctx._var_values
    if ctx.eager:
        return lambda _: np.array(vid < len(values) and values[vid] is not None)
    return lambda _: np.array(vid in initialized)


for _t in ("VarHandleOp", "VarIsInitializedOp", "IsVariableInitialized", "AssignVariableOp",
           "AssignAddVariableOp", "AssignSubVariableOp", "Assign", "AssignAdd", "AssignSub"):
    _ops.NotDifferentiable(_t)


@_ops.RegisterGradient("ReadVariableOp")
def _read_grad(op: Operation, grad: Any) -> Any:
    return grad


@_ops.RegisterGradient("VariableV2")
def _variable_v2_grad(op: Operation, grad: Any) -> Any:
    return []


# -- the public assignment functions (tf.assign ...) ----------------------------------------
def _is_variable(x: Any) -> bool:
    return hasattr(type(x), "_as_tensor") and hasattr(x, "_id")


class _RefTarget:
    """A ref tensor (an update's output, ``v._ref()``) as the target of tf.assign & co:
    what assign_op reads of a ref variable (TF's gen ops take the ref tensor itself)."""

    _is_ref = True

    def __init__(self, tensor: Tensor) -> None:
        self._t = tensor
        self.graph = tensor._op._graph
        self.dtype = tensor.dtype
        self.name = tensor.name

    def _shape_tuple(self) -> tuple[int | None, ...] | None:
        return self._t._shape

    def _ref_tensor(self) -> Tensor:
        return self._t

    def _handle_name(self) -> str:
        return self._t._op._name


def _ref_tensor(x: Any) -> bool:
    return isinstance(x, Tensor) and x.dtype._is_ref_dtype


def assign(ref: Any, value: Any, validate_shape: Any = None, use_locking: Any = None,
           name: str | None = None) -> Any:
    """``tf.assign(ref, value)``: an op that sets the variable ``ref`` to ``value`` when run.
    A ref variable gets TF's gen op (validate_shape honoured, use_locking defaulting to
    True); a resource variable its assign (both ignored), as TF's state_ops.assign."""
    if (_is_variable(ref) and ref._is_ref) or _ref_tensor(ref):
        return assign_op(ref if _is_variable(ref) else _RefTarget(ref), value,
                         "AssignVariableOp", "AssignVariableOp", name, True,
                         validate_shape=True if validate_shape is None else bool(validate_shape),
                         use_locking=True if use_locking is None else bool(use_locking))
    if _is_variable(ref):
        return ref.assign(value, name=name)
    raise not_a_variable(ref, "assign")


def assign_add(ref: Any, value: Any, use_locking: Any = None, name: str | None = None) -> Any:
    """``tf.assign_add``: a ref variable's op takes ``name`` and ``use_locking``; TF calls a
    resource variable's ``assign_add(value)`` without them (op named by the current scope)."""
    if _is_variable(ref) and ref._is_ref:
        return ref.assign_add(value, use_locking=use_locking, name=name)
    if _ref_tensor(ref):
        return assign_op(_RefTarget(ref), value, "AssignAddVariableOp", "AssignAddVariableOp", name, True,
                         use_locking=bool(use_locking))
    if _is_variable(ref):
        return ref.assign_add(value)
    raise not_a_variable(ref, "assign_add")


def assign_sub(ref: Any, value: Any, use_locking: Any = None, name: str | None = None) -> Any:
    """``tf.assign_sub``: a ref variable's op takes ``name`` and ``use_locking``; TF calls a
    resource variable's ``assign_sub(value)`` without them (op named by the current scope)."""
    if _is_variable(ref) and ref._is_ref:
        return ref.assign_sub(value, use_locking=use_locking, name=name)
    if _ref_tensor(ref):
        return assign_op(_RefTarget(ref), value, "AssignSubVariableOp", "AssignSubVariableOp", name, True,
                         use_locking=bool(use_locking))
    if _is_variable(ref):
        return ref.assign_sub(value)
    raise not_a_variable(ref, "assign_sub")


def not_a_variable(ref: Any, attr: str) -> AttributeError:
    """What TF raises when a state op gets a plain tensor: its method on the variable
    (``ref.assign``, ``ref._lazy_read``, ...) is missing from the tensor."""
    return AttributeError(f"'{type(ref).__name__}' object has no attribute '{attr}'")


def is_variable_initialized(variable: Any) -> Tensor:
    """``tf.is_variable_initialized``: a bool tensor, True once this session initialised it."""
    return variable.is_initialized()  # type: ignore[no-any-return]


def assign_op(var: Any, value: Any, op_type: str, default: str, name: str | None,
              check_shape: bool, validate_shape: bool = True,
              use_locking: bool = False) -> Operation | Tensor:
    """The op of ``var.assign/assign_add/assign_sub(value)`` (resource: AssignVariableOp &
    co, no output; ref: Assign & co, output = the new value)."""
    graph = var.graph
    ref = var._is_ref
    if ref:  # the op's own input conversion: a constant named <op>/value
        full = graph._op_name(name, {
            "AssignVariableOp": "Assign", "AssignAddVariableOp": "AssignAdd",
            "AssignSubVariableOp": "AssignSub"}[op_type])
        with scope_of(graph, full):
            # the gen op's input rule: a tensor of another dtype is TF's TypeError
            v = typed_input(value, var.dtype, {
                "AssignVariableOp": "Assign", "AssignAddVariableOp": "AssignAdd",
                "AssignSubVariableOp": "AssignSub"}[op_type], "value", "ref")
    else:  # ResourceVariable.assign converts first, in the caller's scope ("Const")
        v = convert_to_tensor(value, dtype=var.dtype)
        full = graph._op_name(name, default)
    dt = var.dtype
    vshape = var._shape_tuple()
    if check_shape and validate_shape and not compatible(vshape, v._shape):
        if ref:
            raise _ops.node_error(_dims_mismatch(vshape, v._shape), full,
                                  {"AssignVariableOp": "Assign",
                                   "AssignAddVariableOp": "AssignAdd",
                                   "AssignSubVariableOp": "AssignSub"}[op_type],
                                  _ref_attrs(op_type, dt, validate_shape, use_locking),
                                  [var._ref_tensor(), v])
        if op_type == "AssignVariableOp":
            raise ValueError(f"Cannot assign value to variable ' {var.name}': Shape mismatch."
                             f"The variable shape {TensorShape._of(vshape)}, and the assigned "
                             f"value shape {v.shape} are incompatible.")
        raise ValueError(f"{_dims_mismatch(vshape, v._shape)} for '{{{{node {full}}}}} = "
                         f"{op_type}[dtype={_ops.dt_enum(dt)}]({var._handle_name()}, "
                         f"{_ops.input_name(v)})' with input shapes: [], "
                         f"{shape_str(v._shape)}.")
    if ref:
        op_t = {"AssignVariableOp": "Assign", "AssignAddVariableOp": "AssignAdd",
                "AssignSubVariableOp": "AssignSub"}[op_type]
        attrs: dict[str, Any] = {"T": dt, "use_locking": use_locking}
        if op_t == "Assign":
            attrs["validate_shape"] = validate_shape
        out_shape = vshape if validate_shape else v._shape
        op = make_op(graph, full, op_t, [var._ref_tensor(), v], attrs, [(dt, out_shape)])
        return op._outputs[0]
    attrs = {"dtype": dt}
    if op_type == "AssignVariableOp":
        # TF checks the value's shape at run time only against a fully defined shape
        attrs["validate_shape"] = (validate_shape and vshape is not None
                                   and None not in vshape)
    return make_op(graph, full, op_type, [var._handle, v], attrs, [])


_dims_mismatch = merge_error


# -- CountUpTo ------------------------------------------------------------------------------
def count_up_to(ref: Any, limit: int, name: str | None = None) -> Tensor:
    """``tf.count_up_to``: increments the scalar int32/int64 variable ``ref`` and outputs its
    value before the increment; OutOfRangeError once it has reached ``limit`` (op
    ``ResourceCountUpTo`` on a resource variable, ``CountUpTo`` on a ref variable)."""
    if not _is_variable(ref):
        raise not_a_variable(ref, "handle")
    graph = ref.graph
    ref_var = ref._is_ref
    op_type = "CountUpTo" if ref_var else "ResourceCountUpTo"
    full = graph._op_name(name, op_type)
    dt = ref.dtype
    check_allowed(dt, "int32, int64", "ref" if ref_var else "T")
    handle = ref._ref_tensor() if ref_var else ref._handle
    vshape = ref._shape_tuple()
    if vshape is not None and len(vshape) != 0:
        raise _ops.node_error(f"Shape must be rank 0 but is rank {len(vshape)}", full,
                              op_type, f"T={_ops.dt_enum(dt)}, limit={int(limit)}", [handle],
                              "") if ref_var else ValueError(
            f"Shape must be rank 0 but is rank {len(vshape)} for '{{{{node {full}}}}} = "
            f"{op_type}[T={_ops.dt_enum(dt)}, limit={int(limit)}]({handle._op._name})' with "
            "input shapes: [].")
    return make_op(graph, full, op_type, [handle], {"T": dt, "limit": int(limit)},
                   [(dt, ())])._outputs[0]


def _count_up(op: Operation, ctx: RunContext) -> Callable[[int], np.ndarray]:
    read = reader(ctx)
    limit = op._attrs["limit"]

    def count(vid: int) -> np.ndarray:
        read(vid)  # initialisation check

        def fn(cur: np.ndarray, out: np.ndarray | None) -> np.ndarray:
            before = np.array(cur, copy=True)
            if before >= limit:
                raise _errors.OutOfRangeError(None, None, f"Reached limit of {limit}")
            np.add(cur, 1, out=out, casting="unsafe")
            return before

        return update(ctx, vid, fn)  # type: ignore[no-any-return]

    return count


@register_kernel("ResourceCountUpTo", stateful=True)
def _resource_count_up_to_kernel(op: Operation, ctx: RunContext) -> Callable[[int], np.ndarray]:
    return _count_up(op, ctx)


@register_kernel("CountUpTo", stateful=True, ref_inputs=(0,))
def _count_up_to_kernel(op: Operation, ctx: RunContext) -> Callable[[Any], np.ndarray]:
    vid = _ref_vid(op._inputs[0])
    count = _count_up(op, ctx)
    return lambda _: count(vid)


_ops.NotDifferentiable("ResourceCountUpTo")
_ops.NotDifferentiable("CountUpTo")


def _ref_attrs(op_type: str, dt: _dtypes.DType, validate_shape: bool,
               use_locking: bool = False) -> str:
    lock = "true" if use_locking else "false"
    if op_type == "AssignVariableOp":
        return (f"T={_ops.dt_enum(dt)}, use_locking={lock}, "
                f"validate_shape={'true' if validate_shape else 'false'}")
    return f"T={_ops.dt_enum(dt)}, use_locking={lock}"


def require_initialized(read: Callable[[int], Any], vid: int, op: Any, ref: bool) -> None:
    """The check a variable-updating kernel makes first, as TF's: an uninitialised ref
    variable is 'Attempting to use uninitialized value', a resource one the container's
    NotFound."""
    try:
        read(vid)
    except FailedPreconditionError:
        if ref:
            raise FailedPreconditionError(None, op, "Attempting to use uninitialized value "
                                          f"{op._inputs[0]._op._name}") from None
        name = op._graph._store.graph_name(vid)
        if _container_exists(op._graph, read):
            raise NotFoundError(None, op, f"Resource localhost/{name}/N10tensorflow3VarE does "
                                "not exist.") from None
        raise NotFoundError(None, op, "Container localhost does not exist. (Could not find "
                            f"resource: localhost/{name})") from None


def _container_exists(graph: Graph, read: Callable[[int], Any]) -> bool:
    """Whether the session's 'localhost' resource container exists: TF makes it when the
    first resource variable is initialised, and words a missing variable by it."""
    for vid, var_ops in list(graph._var_ops.items()):
        if var_ops is None or var_ops.is_ref:
            continue
        try:
            read(vid)
        except FailedPreconditionError:
            continue
        return True
    return False
