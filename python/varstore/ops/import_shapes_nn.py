"""Static output shapes of imported nn, linalg, image, random, segment and checkpoint ops:
the second half of the importer's shape rules (import_shapes.py has the helpers, the
element-wise, array and reduction rules, and the import hooks)."""

from __future__ import annotations

from varstore.framework.constant_op import constant_value, constant_value_as_shape
from varstore.framework.importer import register_shape
from varstore.framework.ops import node_error
from varstore.ops import array_ops, nn_conv_ops, nn_pool_common
from varstore.ops.import_shapes import (
    Attrs,
    Dims,
    Inputs,
    _ints,
    _merged,
    _shape_arg,
)


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
    return nn_pool_common.pool_shape(name, op_type, list(inputs), attrs)


@register_shape("MaxPoolGrad")
def _max_pool_grad(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    s = inputs[0]._shape
    if s is not None and len(s) != 4:
        raise node_error(f"Shape must be rank 4 but is rank {len(s)}", name, op_type,
                         _attrs_text(attrs), inputs)
    return s if s is not None else (None,) * 4


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


@register_shape("RandomGamma", "RandomPoissonV2")
def _random_gamma_poisson(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    lead, param = _shape_arg(inputs[0]), inputs[1]._shape
    return None if lead is None or param is None else (*lead, *param)


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


@register_shape("FFT", "IFFT", "FFT2D", "IFFT2D", "FFT3D", "IFFT3D", "ComplexAbs", "Real", "Imag",
                "Conj", "Angle")
def _fft(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return inputs[0]._shape


@register_shape("RFFT", "IRFFT", "RFFT2D", "IRFFT2D", "RFFT3D", "IRFFT3D")
def _real_fft(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    # the inner fft_rank dims become fft_length (its last // 2 + 1 for the forward ops)
    dims, lengths = inputs[0]._shape, _ints(inputs[1])
    rank = 1 if op_type in ("RFFT", "IRFFT") else int(op_type[-2])
    if dims is None:
        return None
    out: list[int | None] = list(dims[:len(dims) - rank])
    out += [None] * rank if lengths is None else list(lengths)
    if lengths is not None and not op_type.startswith("I"):
        out[-1] = lengths[-1] // 2 + 1
    return tuple(out)


@register_shape("DecodeWav")
def _decode_wav(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> list[Dims]:
    samples, channels = attrs.get("desired_samples", -1), attrs.get("desired_channels", -1)
    return [(None if samples == -1 else samples, None if channels == -1 else channels), ()]


@register_shape("EncodeWav")
def _encode_wav(name: str, op_type: str, inputs: Inputs, attrs: Attrs) -> Dims:
    return ()
