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
from varstore.framework.ops import Tensor, node_error
from varstore.framework.tensor_shape import merge
from varstore.ops import (
    array_ops,
    array_slicing_ops,
    array_stack_ops,
    math_ops,
    math_reduce_ops,
    nn_conv_ops,
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
    "ApplyProximalGradientDescent ScatterAdd ScatterSub ScatterMul ScatterDiv ScatterMin "
    "ScatterMax ScatterUpdate ScatterNdAdd ScatterNdSub ScatterNdUpdate TensorScatterAdd "
    "TensorScatterSub TensorScatterUpdate"
)
_GRADS = _types("ReluGrad Relu6Grad EluGrad SeluGrad SoftplusGrad SoftsignGrad LeakyReluGrad "
                "TanhGrad SigmoidGrad RsqrtGrad SqrtGrad ReciprocalGrad")
_BINARY = _types("Add AddV2 Sub Mul RealDiv Div DivNoNan FloorDiv FloorMod TruncateDiv "
                 "TruncateMod Maximum Minimum Pow SquaredDifference Atan2 Xdivy Xlogy Xlog1py "
                 "NextAfter Polygamma Equal NotEqual Less LessEqual Greater GreaterEqual LogicalAnd "
                 "LogicalOr")


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
                "IsVariableInitialized", "MakeIterator", "IteratorV2", "OneShotIterator")
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
                "StatelessTruncatedNormalV2", "StatelessRandomUniformIntV2",
                "StatelessRandomUniform", "StatelessRandomNormal", "StatelessTruncatedNormal", "RandomStandardNormal",
                "TruncatedNormal", "RandomUniformInt", "Conv2DBackpropInput",
                "AvgPoolGrad", "DepthwiseConv2dNativeBackpropInput")
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


# -- nn -----------------------------------------------------------------------------------------
def _attrs_text(attrs: Attrs) -> str:
    return array_ops.attr_text({k: v for k, v in attrs.items() if not k.startswith("_")})


@register_shape("MatMul")
def _matmul(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    sa, sb = inputs[0]._shape, inputs[1]._shape
    for s in (sa, sb):
        if s is not None and len(s) != 2:
            raise node_error(f"Shape must be rank 2 but is rank {len(s)}", name, op_type,
                             _attrs_text(attrs), inputs)
    ta, tb = attrs["transpose_a"], attrs["transpose_b"]
    m = None if sa is None else sa[1 if ta else 0]
    n = None if sb is None else sb[0 if tb else 1]
    ka = None if sa is None else sa[0 if ta else 1]
    kb = None if sb is None else sb[1 if tb else 0]
    if ka is not None and kb is not None and ka != kb:
        raise node_error(f"Dimensions must be equal, but are {ka} and {kb}", name, op_type,
                         _attrs_text(attrs), inputs)
    return (m, n)


@register_shape("BatchMatMulV2")
def _batch_matmul(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    sa, sb = inputs[0]._shape, inputs[1]._shape
    if sa is None or sb is None:
        return None
    ax, ay = attrs.get("adj_x", False), attrs.get("adj_y", False)
    m = sa[-1] if ax else sa[-2]
    n = sb[-2] if ay else sb[-1]
    ba, bb = sa[:-2], sb[:-2]
    rank = max(len(ba), len(bb))
    pa, pb = (1,) * (rank - len(ba)) + ba, (1,) * (rank - len(bb)) + bb
    batch = tuple(y if x == 1 else x if y == 1 else (x if x is not None else y)
                  for x, y in zip(pa, pb))
    return (*batch, m, n)


@register_shape("BiasAdd")
def _bias_add(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return inputs[0]._shape


@register_shape("BiasAddGrad")
def _bias_add_grad(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    dims = inputs[0]._shape
    if dims is None:
        return (None,)
    return (dims[1] if attrs.get("data_format") == "NCHW" else dims[-1],)


@register_shape("Conv2D")
def _conv2d(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return nn_conv_ops._conv_shape(name, inputs[0], inputs[1], attrs)


def _pool_dims(dims: Dims, attrs: Attrs, ksize: list[int | None], depth: int | None = None
               ) -> Dims:
    if dims is None:
        return None
    nchw = attrs.get("data_format", "NHWC").startswith("NC")
    hw = (2, 3) if nchw else (1, 2)
    strides = attrs["strides"]
    sizes = []
    for a in hw:
        got = nn_conv_ops.out_size(dims[a], ksize[a], strides[a], 1, attrs["padding"], (0, 0))
        sizes.append(None if got is None else got[0])
    c = dims[1 if nchw else 3] if depth is None else depth
    return (dims[0], c, *sizes) if nchw else (dims[0], *sizes, c)


@register_shape("MaxPool", "AvgPool")
def _pool(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return _pool_dims(inputs[0]._shape, attrs, attrs["ksize"])


@register_shape("MaxPoolGrad")
def _max_pool_grad(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return inputs[0]._shape


@register_shape("DepthwiseConv2dNative")
def _depthwise(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    w = inputs[1]._shape
    k4: list[int | None] = [1, 1, 1, 1]
    nchw = attrs.get("data_format", "NHWC").startswith("NC")
    depth = None
    if w is not None:
        k4[2 if nchw else 1], k4[3 if nchw else 2] = w[0], w[1]
        depth = None if w[2] is None or w[3] is None else w[2] * w[3]
    dil = attrs.get("dilations", [1, 1, 1, 1])
    k4 = [None if k is None else (k - 1) * d + 1 for k, d in zip(k4, dil)]
    return _pool_dims(inputs[0]._shape, attrs, k4, depth)


@register_shape("FusedBatchNormV3")
def _fused_bn(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    dims = inputs[0]._shape
    c = None
    if dims is not None:
        c = dims[1 if attrs.get("data_format", "NHWC").startswith("NC") else -1]
    c = _merged((c,), *(t._shape for t in inputs[1:3]))
    return [dims, c, c, c, c, (None,)]


@register_shape("FusedBatchNormGradV3")
def _fused_bn_grad(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    dims = _merged(inputs[0]._shape, inputs[1]._shape)
    c = inputs[2]._shape
    return [dims, c, c, (0,), (0,)]


@register_shape("SoftmaxCrossEntropyWithLogits")
def _xent(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    dims = _merged(inputs[0]._shape, inputs[1]._shape)
    return [None if dims is None else dims[:1], dims]


@register_shape("SparseSoftmaxCrossEntropyWithLogits")
def _sparse_xent(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    dims = inputs[0]._shape
    return [None if dims is None else dims[:1], dims]


@register_shape("BroadcastGradientArgs")
def _bga(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    return [(None,), (None,)]


@register_shape("TopKV2")
def _top_k(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    dims, k = inputs[0]._shape, _ints(inputs[1])
    if dims is None:
        return [None, None]
    out = (*dims[:-1], None if k is None else k[0])
    return [out, out]


@register_shape("DynamicStitch", "ParallelDynamicStitch")
def _stitch(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    n = len(inputs) // 2
    indices, data = inputs[:n], inputs[n:]
    suffix: Dims = None
    for i, d in zip(indices, data):
        if i._shape is not None and d._shape is not None:
            suffix = _merged(suffix, d._shape[len(i._shape):])
    known = [v for v in (_ints(i) for i in indices) if v is not None]
    rows = None if len(known) < n else max((max(v, default=-1) for v in known),
                                           default=-1) + 1
    return None if suffix is None else (rows, *suffix)


@register_shape("DynamicPartition")
def _partition(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    data, part = inputs[0]._shape, inputs[1]._shape
    n = attrs["num_partitions"]
    if data is None or part is None:
        return [None] * n
    return [(None, *data[len(part):])] * n


@register_shape("UnsortedSegmentSum", "UnsortedSegmentMax", "UnsortedSegmentMin",
                "UnsortedSegmentProd")
def _unsorted_segment(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    data, ids, num = inputs[0]._shape, inputs[1]._shape, _ints(inputs[2])
    if data is None or ids is None:
        return None
    return (None if num is None else num[0], *data[len(ids):])


@register_shape("SegmentSum", "SegmentMean", "SegmentMax", "SegmentMin", "SegmentProd")
def _segment(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    data = inputs[0]._shape
    return None if data is None else (None, *data[1:])


@register_shape("Where")
def _where(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    dims = inputs[0]._shape
    return (None, None if dims is None else len(dims))


@register_shape("Unique")
def _unique(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    return [(None,), inputs[0]._shape]


@register_shape("UniqueWithCounts")
def _unique_counts(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    return [(None,), inputs[0]._shape, (None,)]


@register_shape("GatherNd")
def _gather_nd(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    p, i = inputs[0]._shape, inputs[1]._shape
    if p is None or i is None or i[-1] is None:
        return None
    return (*i[:-1], *p[i[-1]:])


@register_shape("ScatterNd")
def _scatter_nd(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return constant_value_as_shape(inputs[2])


@register_shape("DiagPart")
def _diag_part(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    dims = inputs[0]._shape
    return None if dims is None else dims[:len(dims) // 2]


@register_shape("Diag")
def _diag(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    dims = inputs[0]._shape
    return None if dims is None else (*dims, *dims)


@register_shape("ResizeBilinear", "ResizeNearestNeighbor", "ResizeBicubic", "ResizeArea")
def _resize(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    dims, size = inputs[0]._shape, _ints(inputs[1])
    n, c = (None, None) if dims is None else (dims[0], dims[3])
    return (n, None, None, c) if size is None else (n, size[0], size[1], c)


@register_shape("ResizeNearestNeighborGrad")
def _resize_grad(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return _resize(name, op_type, inputs, attrs)


@register_shape("SpaceToDepth", "DepthToSpace")
def _space_depth(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    dims, b = inputs[0]._shape, attrs["block_size"]
    if dims is None or attrs.get("data_format", "NHWC") != "NHWC":
        return None
    n, h, w, c = dims
    if op_type == "SpaceToDepth":
        return (n, None if h is None else h // b, None if w is None else w // b,
                None if c is None else c * b * b)
    return (n, None if h is None else h * b, None if w is None else w * b,
            None if c is None else c // (b * b))


@register_shape("MatrixDeterminant")
def _determinant(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    dims = inputs[0]._shape
    return None if dims is None else dims[:-2]


@register_shape("LogMatrixDeterminant")
def _log_determinant(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    dims = _determinant(name, op_type, inputs, attrs)
    return [dims, dims]


@register_shape("MatrixSolve", "MatrixTriangularSolve")
def _solve(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return inputs[1]._shape


@register_shape("Qr")
def _qr(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    dims = inputs[0]._shape
    if dims is None:
        return [None, None]
    *batch, m, n = dims
    k = None if m is None or n is None else min(m, n)
    if attrs.get("full_matrices", False):
        return [(*batch, m, m), (*batch, m, n)]
    return [(*batch, m, k), (*batch, k, n)]


@register_shape("LinSpace")
def _linspace(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    num = _ints(inputs[2])
    return (None if num is None else num[0],)


@register_shape("Multinomial")
def _multinomial(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    dims, num = inputs[0]._shape, _ints(inputs[1])
    return (None if dims is None else dims[0], None if num is None else num[0])


@register_shape("BroadcastArgs")
def _broadcast_args(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    a, b = inputs[0]._shape, inputs[1]._shape
    if a is None or b is None or a[0] is None or b[0] is None:
        return (None,)
    return (max(a[0], b[0]),)


@register_shape("RestoreV2")
def _restore(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    """TF's: a slice's shape from its shape-and-slice spec; a whole tensor's is unknown."""
    specs = constant_value(inputs[2])
    n = len(attrs["dtypes"])
    if specs is None:
        return [None] * n
    out: list[Dims] = []
    for spec in specs.reshape(-1)[:n]:
        text = spec.decode() if isinstance(spec, bytes) else str(spec)
        if not text:
            out.append(None)
            continue
        dims = [int(d) for d in text.split(" ")[:-1]]
        parts = text.split(" ")[-1].split(":")
        out.append(tuple(d if p == "-" else int(p.split(",")[1]) for d, p in zip(dims, parts)))
    return out


@register_shape("StringJoin")
def _string_join(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    shapes = [t._shape for t in inputs if t._shape != ()]
    return _merged(*shapes) if shapes else ()


@register_shape("StaticRegexFullMatch")
def _regex(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return inputs[0]._shape


@register_shape("ShardedFilename", "ShardedFilespec", "TensorListReserve", "StatelessRandomGetAlg",
                "TensorListFromTensor", "TensorListSetItem",
                "TensorListScatterIntoExistingList")
def _scalar_out(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return ()


@register_shape("InTopKV2")
def _in_top_k(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return inputs[1]._shape


# -- what a kernel needs beyond attrs (the importer's IMPORT_HOOKS) ------------------------------
@import_hook("Const")
def _const_data(imp: Any, node_name: str, full: str, attrs: Attrs, out_dtypes: list[Any]
                ) -> Any:
    return attrs["value"]  # (read-only already)


def _shared_variable(imp: Any, op_type: str, shared: str) -> int | None:
    """The store id of this graph's variable whose handle has this shared name: TF's
    resource manager gives every handle of one (container, shared_name) one variable."""
    if not shared:
        return None
    for op in imp.graph._ops:
        if op._type == op_type and op._attrs.get("shared_name") == shared:
            return op._data  # type: ignore[no-any-return]
    return None


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
    return int(vid)
