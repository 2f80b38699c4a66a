"""Static output shapes of imported ops (TF's shape functions), for ``tf.import_graph_def``.

A builder infers its op's shape from its Python arguments; an imported node has only its
input tensors and attrs, so each op type's rule is restated here over those, calling the
families' own helpers where they exist (broadcasting, reductions, Conv2D, StridedSlice,
Reshape, ConcatV2), so both paths raise the same errors. Shapes fold constants as builders
do (``constant_value`` of a Const, Shape, Pack ... input). An op type without a rule gets
unknown shapes, refined by the node's ``_output_shapes`` when the GraphDef has them (every
MetaGraph has). Registered when the importer first runs.

The import hooks at the end give the few kernels that hold more than attrs their data: a
Const's value, a variable's store id.
"""

from __future__ import annotations

from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant_value, constant_value_as_shape
from varstore.framework.importer import import_hook, register_shape
from varstore.framework.ops import Tensor
from varstore.framework.tensor_shape import merge
from varstore.ops import (
    array_ops,
    array_slicing_ops,
    array_stack_ops,
    math_ops,
    math_reduce_ops,
)

Dims = Any  # tuple[int | None, ...] | None
Inputs = list[Tensor]
Attrs = dict[str, Any]


def _ints(t: Tensor) -> list[int] | None:
    value = constant_value(t)
    return None if value is None else [int(v) for v in value.reshape(-1)]


def _shape_arg(t: Tensor) -> Dims:
    """The (partial) shape a shape tensor holds: its constant value, or the static shape of
    the tensor a Shape / ShapeN op reads (what TF's shape inference gets from them)."""
    dims = constant_value_as_shape(t)
    op = t._op
    if op._type in ("Shape", "ShapeN"):
        src = op._inputs[t._index]._shape
        return _merged(dims, src) if dims is not None else src
    if dims is None or None in dims:
        if op._type == "ConcatV2" and _ints(op._inputs[-1]) == [0]:
            parts = [_shape_arg(x) for x in op._inputs[:-1]]
            if all(p is not None for p in parts):
                return tuple(d for p in parts for d in p)
        elif op._type == "Pack" and all(x._shape == () for x in op._inputs):
            values = [_ints(x) for x in op._inputs]
            return tuple(None if v is None else v[0] for v in values)
    return dims


def _known(dims: Dims) -> bool:
    return dims is not None and None not in dims


def _merged(*shapes: Dims) -> Dims:
    out: Dims = None
    for s in shapes:
        m = merge(out, s)
        out = m if m is None or isinstance(m, tuple) else out
    return out


def _types(text: str) -> list[str]:
    return text.split()


# -- element-wise -------------------------------------------------------------------------------
_SAME = _types(
    "Abs Acos Acosh AdjustContrastv2 AdjustHue AdjustSaturation Asin Asinh Atan Atanh Ceil "
    "CheckNumerics Cholesky Cos Cosh Cumprod Cumsum CumulativeLogsumexp Digamma Elu Erf Erfc "
    "Erfinv Exp Expm1 Floor HSVToRGB Identity Inv IsFinite IsInf IsNan LRN LeakyRelu Lgamma Log "
    "Log1p LogSoftmax LogicalNot MatrixBandPart MatrixInverse MatrixSetDiagV3 Ndtri Neg OnesLike "
    "PreventGradient RGBToHSV RandomShuffle Reciprocal Relu Relu6 ReverseSequence ReverseV2 "
    "Rint Roll Round Rsqrt Selu Sigmoid Sign Sin Sinh Snapshot Softmax Softplus Softsign Sqrt "
    "Square StopGradient Tan Tanh ZerosLike Cast Print Assign AssignAdd AssignSub "
    "ResizeBilinearGrad ResizeBicubicGrad LRNGrad Relu6Grad InvertPermutation "
    "ApplyGradientDescent ApplyMomentum ApplyAdam ApplyAdagrad ApplyAdadelta ApplyRMSProp "
    "ApplyCenteredRMSProp ApplyFtrl ApplyFtrlV2 ApplyProximalAdagrad "
    "ApplyProximalGradientDescent ApplyAdagradDA SparseApplyAdagradDA ApplyAdaMax "
    "ApplyAdagradV2 SparseApplyAdadelta SparseApplyAdagrad SparseApplyCenteredRMSProp "
    "SparseApplyFtrl SparseApplyFtrlV2 SparseApplyMomentum SparseApplyProximalAdagrad "
    "SparseApplyProximalGradientDescent SparseApplyRMSProp "
    "ScatterAdd ScatterSub ScatterMul ScatterDiv ScatterMin "
    "ScatterMax ScatterUpdate ScatterNdAdd ScatterNdSub ScatterNdUpdate TensorScatterAdd "
    "TensorScatterSub TensorScatterUpdate BesselI0 BesselI0e BesselI1 BesselI1e Invert "
    "GuaranteeConst FakeQuantWithMinMaxArgs FakeQuantWithMinMaxVars "
    "FakeQuantWithMinMaxVarsPerChannel"
)
_GRADS = _types("FakeQuantWithMinMaxArgsGradient ReluGrad Relu6Grad EluGrad SeluGrad SoftplusGrad SoftsignGrad LeakyReluGrad "
                "TanhGrad SigmoidGrad RsqrtGrad SqrtGrad ReciprocalGrad")
_BINARY = _types("Add AddV2 Sub Mul RealDiv Div DivNoNan FloorDiv FloorMod TruncateDiv "
                 "TruncateMod Maximum Minimum Pow SquaredDifference Atan2 Xdivy Xlogy Xlog1py "
                 "NextAfter Polygamma Equal NotEqual Less LessEqual Greater GreaterEqual LogicalAnd "
                 "Complex LogicalOr RandomGammaGrad BitwiseAnd BitwiseOr BitwiseXor LeftShift "
                 "RightShift MulNoNan Igamma Igammac IgammaGradA Zeta")


@register_shape(*_SAME)
def _same(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return inputs[0]._shape


@register_shape(*_GRADS)
def _grad(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return _merged(inputs[0]._shape, inputs[1]._shape)


@register_shape(*_BINARY)
def _binary(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return math_ops.broadcast_shape(name, op_type, inputs[0], inputs[1])


@register_shape("SelectV2")
def _select_v2(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    c, t, e = inputs
    te = math_ops.broadcast_shape(name, "SelectV2", t, e)
    sc, n = c._shape, None
    if sc is None or te is None:
        return None
    rank = max(len(sc), len(te))
    pc = (1,) * (rank - len(sc)) + tuple(sc)
    pt = (1,) * (rank - len(te)) + tuple(te)
    n = tuple(b if a == 1 else a if b == 1 else (a if a is not None else b)
              for a, b in zip(pc, pt))
    return n


@register_shape("Select")
def _select(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return _merged(inputs[1]._shape, inputs[2]._shape)


@register_shape("AddN")
def _add_n(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return _merged(*(t._shape for t in inputs))


@register_shape("IdentityN")
def _identity_n(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    return [t._shape for t in inputs]


@register_shape("PlaceholderWithDefault", "EnsureShape")
def _with_shape_attr(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return _merged(attrs["shape"]._dims, inputs[0]._shape)


# -- sources and variables ----------------------------------------------------------------------
@register_shape("Const")
def _const(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return tuple(attrs["value"].shape)


@register_shape("Placeholder")
def _placeholder(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return attrs["shape"]._dims


@register_shape("VariableV2")
def _variable(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return attrs["shape"]._dims


@register_shape("VarHandleOp", "Rank", "Size", "L2Loss", "ScalarSummary", "MergeSummary",
                "HistogramSummary", "ImageSummary", "TensorSummaryV2", "VarIsInitializedOp",
                "IsVariableInitialized", "MakeIterator", "IteratorV2", "OneShotIterator",
                "AudioSummaryV2")
def _scalar(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return ()


def handle_shape(t: Tensor) -> Dims:
    """The shape of the variable a resource handle refers to (TF's handle data)."""
    op = t._op
    while op._type in ("Identity", "Switch", "Merge", "Enter") and op._inputs:
        op = op._inputs[0]._op
    if op._type == "VarHandleOp":
        return op._attrs["shape"]._dims
    return None


@register_shape("ReadVariableOp")
def _read(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return handle_shape(inputs[0])


@register_shape("ResourceGather")
def _resource_gather(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    var, idx = handle_shape(inputs[0]), inputs[1]._shape
    if var is None or idx is None:
        return None
    batch = attrs.get("batch_dims", 0)
    return (*idx, *var[batch + 1:])


@register_shape("Switch")
def _switch(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    return [inputs[0]._shape, inputs[0]._shape]


@register_shape("Merge")
def _merge(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    shape: Dims = inputs[0]._shape
    for t in inputs[1:]:
        if shape is None or t._shape is None or len(shape) != len(t._shape):
            shape = None
            break
        shape = tuple(p if p == q else None for p, q in zip(shape, t._shape))
    return [shape, ()]


# -- shapes and reshaping -----------------------------------------------------------------------
@register_shape("Shape")
def _shape(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    s = inputs[0]._shape
    return (None if s is None else len(s),)


@register_shape("ShapeN")
def _shape_n(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    return [(None if t._shape is None else len(t._shape),) for t in inputs]


@register_shape("Reshape")
def _reshape(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    x, s = inputs
    return array_ops._reshape_shape(name, x, s, constant_value(s), attrs)


@register_shape("ExpandDims")
def _expand_dims(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    x, axis = inputs
    dims, a = x._shape, _ints(axis)
    if dims is None or not a:
        return None
    d = a[0] + len(dims) + 1 if a[0] < 0 else a[0]
    return (*dims[:d], 1, *dims[d:])


@register_shape("Squeeze")
def _squeeze(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    dims = inputs[0]._shape
    if dims is None:
        return None
    axes = {a % len(dims) for a in attrs.get("squeeze_dims", [])} if dims else set()
    if not axes:
        if None in dims:
            return None
        return tuple(d for d in dims if d != 1)
    return tuple(d for i, d in enumerate(dims) if i not in axes)


@register_shape("Transpose")
def _transpose(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    dims, perm = inputs[0]._shape, _ints(inputs[1])
    if perm is None:
        return None if dims is None else (None,) * len(dims)
    if dims is None:
        return (None,) * len(perm)
    return tuple(dims[p] for p in perm)


@register_shape("ConcatV2")
def _concat(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return array_stack_ops._concat_shape(name, inputs[:-1], inputs[-1], attrs)


@register_shape("Pack")
def _pack(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    each = _merged(*(t._shape for t in inputs))
    if each is None:
        return None
    axis = attrs.get("axis", 0)
    axis = axis + len(each) + 1 if axis < 0 else axis
    return (*each[:axis], len(inputs), *each[axis:])


@register_shape("Unpack")
def _unpack(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    dims, axis, n = inputs[0]._shape, attrs.get("axis", 0), attrs["num"]
    if dims is None:
        return [None] * n
    axis %= len(dims)
    return [dims[:axis] + dims[axis + 1:]] * n


@register_shape("Split")
def _split(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    n, a, dims = attrs["num_split"], _ints(inputs[0]), inputs[1]._shape
    if dims is None:
        return [None] * n
    if a is None:
        return [(None,) * len(dims)] * n
    axis = a[0] % len(dims)
    size = None if dims[axis] is None else dims[axis] // n
    return [(*dims[:axis], size, *dims[axis + 1:])] * n


@register_shape("SplitV")
def _split_v(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    n, dims = attrs["num_split"], inputs[0]._shape
    sizes, a = _ints(inputs[1]), _ints(inputs[2])
    if dims is None:
        return [None] * n
    if a is None or sizes is None:
        return [(None,) * len(dims)] * n
    axis = a[0] % len(dims)
    whole = dims[axis]
    if -1 in sizes and whole is not None:
        sizes[sizes.index(-1)] = whole - sum(s for s in sizes if s != -1)
    return [(*dims[:axis], None if s == -1 else s, *dims[axis + 1:]) for s in sizes]


@register_shape("Slice")
def _slice(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    dims, begin, size = inputs[0]._shape, _ints(inputs[1]), _ints(inputs[2])
    if size is None:
        n = inputs[2]._shape[0] if inputs[2]._shape else None
        return None if n is None else (None,) * n
    out: list[int | None] = []
    for i, s in enumerate(size):
        d = None if dims is None else dims[i]
        if s != -1:
            out.append(s)
        elif d is None or begin is None:
            out.append(None)
        else:
            out.append(d - begin[i])
    return tuple(out)


@register_shape("StridedSlice")
def _strided_slice(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    x, b, e, s = inputs
    return array_slicing_ops._strided_shape(name, x, b, e, s, attrs)


@register_shape("Tile")
def _tile(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    dims, m = inputs[0]._shape, _shape_arg(inputs[1])
    if m is None:
        return None if dims is None else (None,) * len(dims)
    if dims is None:
        return (None,) * len(m)
    return tuple(None if d is None or k is None else d * k for d, k in zip(dims, m))


@register_shape("BroadcastTo")
def _broadcast_to(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return _shape_arg(inputs[1])


@register_shape("StatelessRandomGetKeyCounter")
def _key_counter(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    return [(1,), (2,)]


@register_shape("StatelessRandomGetKeyCounterAlg")
def _key_counter_alg(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    return [(1,), (2,), ()]


@register_shape("Fill", "RandomUniform", "StatelessRandomUniformV2", "StatelessRandomNormalV2",
                "StatelessRandomGammaV3", "StatelessRandomGammaV2", "StatelessRandomPoisson",
                "StatelessTruncatedNormalV2", "StatelessRandomUniformIntV2",
                "StatelessRandomUniform", "StatelessRandomNormal", "StatelessTruncatedNormal", "RandomStandardNormal",
                "TruncatedNormal", "RandomUniformInt", "Conv2DBackpropInput",
                "DepthwiseConv2dNativeBackpropInput")  # AvgPoolGrad: nn_pool_ops
def _from_shape_input(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return _shape_arg(inputs[0])


@register_shape("Conv2DBackpropFilter", "DepthwiseConv2dNativeBackpropFilter")
def _from_shape_input1(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return _shape_arg(inputs[1])


@register_shape("Range")
def _range(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    start, limit, delta = (_ints(t) for t in inputs)
    if start is None or limit is None or delta is None or not delta[0]:
        return (None,)
    return (len(range(start[0], limit[0], delta[0])),)


@register_shape("Pad", "PadV2", "MirrorPad")
def _pad(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    dims, pads = inputs[0]._shape, constant_value(inputs[1])
    if pads is None:
        return None if dims is None else (None,) * len(dims)
    pairs = pads.reshape(-1, 2).tolist()
    if dims is None:
        return (None,) * len(pairs)
    return tuple(None if d is None else d + int(p) + int(q) for d, (p, q) in zip(dims, pairs))


@register_shape("GatherV2")
def _gather(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    p, i, a = inputs[0]._shape, inputs[1]._shape, _ints(inputs[2])
    if p is None or i is None or a is None:
        return None
    axis, batch = a[0] % len(p), attrs.get("batch_dims", 0)
    return (*p[:axis], *i[batch:], *p[axis + 1:])


@register_shape("OneHot")
def _one_hot(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    dims, depth, axis = inputs[0]._shape, _ints(inputs[1]), attrs.get("axis", -1)
    if dims is None:
        return None
    d = None if depth is None else depth[0]
    at = len(dims) if axis == -1 else axis
    return (*dims[:at], d, *dims[at:])


# -- reductions ---------------------------------------------------------------------------------
@register_shape("Sum", "Mean", "Max", "Min", "Prod", "All", "Any", "EuclideanNorm")
def _reduce(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    x, axes = inputs
    return math_reduce_ops._reduced_shape(name, op_type, x, axes, attrs.get("keep_dims", False),
                                          attrs)


@register_shape("ArgMax", "ArgMin")
def _arg_reduce(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    dims, a = inputs[0]._shape, _ints(inputs[1])
    if dims is None:
        return None
    if a is None:
        return (None,) * (len(dims) - 1)
    axis = a[0] % len(dims)
    return dims[:axis] + dims[axis + 1:]


# -- what a kernel needs beyond attrs (the importer's IMPORT_HOOKS) ------------------------------
@import_hook("Const")
def _const_data(imp: Any, node_name: str, full: str, attrs: Attrs, out_dtypes: list[Any]
                ) -> Any:
    return attrs["value"]  # (read-only already)


def _shared_variable(imp: Any, op_type: str, shared: str) -> int | None:
    """The store id of this graph's variable whose handle has this shared name: TF's
    resource manager gives every handle of one (container, shared_name) one variable.
    (The graph's handles are indexed once an import meets its first variable.)"""
    if not shared:
        return None
    index: dict[tuple[str, str], int] | None = getattr(imp, "shared_variables", None)
    if index is None:
        index = {}
        for op in imp.graph._ops:
            if op._type in ("VarHandleOp", "VariableV2") and isinstance(op._data, int):
                index.setdefault((op._type, op._attrs.get("shared_name", "")), op._data)
        imp.shared_variables = index
    return index.get((op_type, shared))


@import_hook("VarHandleOp", "VariableV2")
def _variable_data(imp: Any, node_name: str, full: str, attrs: Attrs, out_dtypes: list[Any]
                   ) -> int:
    """A new variable of the graph's store for an imported variable node (or the existing
    one its shared name refers to). Its collections and trainable flag are the MetaGraph's,
    when the import comes from one."""
    op_type = "VarHandleOp" if out_dtypes[0] is _dtypes.resource else "VariableV2"
    vid = _shared_variable(imp, op_type, attrs.get("shared_name", ""))
    if vid is not None:
        return vid
    dtype = attrs["dtype"]
    if dtype._code >= _dtypes._FIRST_OPAQUE:
        from varstore.variables import unsupported_dtype

        raise ValueError(f"varstore cannot import the variable '{full}': "
                         + unsupported_dtype(dtype))
    dims = attrs["shape"]._dims or ()
    trainable, bits = imp.variables.get(full, (False, 0))
    graph = imp.graph
    vid = graph._store.add_variable(full, tuple(0 if d is None else d for d in dims),
                                    dtype._code, trainable, bits)
    imp.var_ids.append(vid)
    if attrs.get("shared_name"):
        imp.shared_variables[(op_type, attrs["shared_name"])] = int(vid)
    return int(vid)
