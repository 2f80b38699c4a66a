"""TF's composite ``tf.nn`` functions (nn_impl.py / nn_ops.py): cross-entropies, dropout,
moments, batch normalisation, l2_normalize, zero_fraction (the embedding family is in
embedding_ops.py).

Each is built from existing graph ops under TF's name scope (``logistic_loss/``,
``dropout/``, ``moments/``, ``batchnorm/`` ...), so gradients come from those ops and the
main outputs carry TF's names; fused_batch_norm builds the one FusedBatchNormV3 op
(nn_norm_ops.py).
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import control_dependencies, name_scope
from varstore.framework.ops import Tensor
from varstore.ops import (
    array_fill_ops,
    array_ops,
    array_slicing_ops,
    array_stack_ops,
    array_transform_ops,
    check_ops,
    math_matmul_ops,
    math_ops,
    math_reduce_ops,
    math_unary_ops,
    nn_norm_ops,
    nn_ops,
    nn_xent_ops,
    random_ops,
)
from varstore.util.deprecation import deprecated_argument_lookup

__all__ = [
    "batch_norm_with_global_normalization",
    "batch_normalization",
    "crelu",
    "dropout",
    "fused_batch_norm",
    "l2_normalize",
    "log_poisson_loss",
    "moments",
    "normalize_moments",
    "relu_layer",
    "sigmoid_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits_v2",
    "sparse_softmax_cross_entropy_with_logits",
    "sufficient_statistics",
    "swish",
    "weighted_cross_entropy_with_logits",
    "weighted_moments",
    "xw_plus_b",
    "zero_fraction",
]


def _static(t: Tensor) -> tuple[int | None, ...] | None:
    shape = t._shape
    return None if shape is None else tuple(shape)


def _shape_text(shape: tuple[int | None, ...] | None) -> str:
    """A static shape as TF's TensorShape prints it: ``(2, 3)``, ``(None, 3)``, ``<unknown>``."""
    if shape is None:
        return "<unknown>"
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "(" + ", ".join(str(d) for d in shape) + ")"


def _compatible(a: tuple[int | None, ...] | None, b: tuple[int | None, ...] | None) -> bool:
    if a is None or b is None:
        return True
    return len(a) == len(b) and all(x is None or y is None or x == y for x, y in zip(a, b))


def _ensure_xent_args(name: str, labels: Any, logits: Any) -> None:
    # TF 2.21's check (nn_ops._ensure_xent_args). TF 1.x also refused positional calls with
    # a _sentinel first parameter; 2.21's v1 functions take (labels, logits) positionally.
    if labels is None or logits is None:
        raise ValueError(f"Both `labels` and `logits` must be provided for {name}"
                         f"Received: labels={labels} and logits={logits}")


# -- sigmoid / weighted cross-entropy --------------------------------------------------------------
def sigmoid_cross_entropy_with_logits(labels: Any = None, logits: Any = None,
                                      name: str | None = None) -> Tensor:
    """``tf.nn.sigmoid_cross_entropy_with_logits``: max(x, 0) - x * z + log(1 + exp(-|x|)),
    TF's overflow-free form, under ``logistic_loss/``."""
    _ensure_xent_args("sigmoid_cross_entropy_with_logits", labels, logits)
    with name_scope(name, "logistic_loss", [logits, labels]) as scope:
        x = convert_to_tensor(logits, name="logits")
        # no dtype: labels of another dtype fail in the Mul, with TF's TypeError
        z = convert_to_tensor(labels, name="labels")
        if not _compatible(_static(x), _static(z)):
            raise ValueError(f"`logits` and `labels` must have the same shape, received "
                             f"({_shape_text(_static(x))} vs {_shape_text(_static(z))}).")
        zeros = array_fill_ops.zeros_like(x, dtype=x.dtype)
        cond = math_ops.greater_equal(x, zeros)
        relu_logits = array_transform_ops.where(cond, x, zeros)
        neg_abs_logits = array_transform_ops.where(cond, math_unary_ops.negative(x), x)
        return math_ops.add(relu_logits - x * z,
                            math_unary_ops.log1p(math_unary_ops.exp(neg_abs_logits)),
                            name=scope)


def weighted_cross_entropy_with_logits(labels: Any = None, logits: Any = None,
                                       pos_weight: Any = None, name: str | None = None,
                                       targets: Any = None) -> Tensor:
    """``tf.nn.weighted_cross_entropy_with_logits`` (TF1 signature; ``targets`` is the old
    name of ``labels``): (1 - z) * x + (1 + (q - 1) * z) * (log1p(exp(-|x|)) + relu(-x))."""
    if targets is not None:
        if labels is not None:
            raise ValueError("Cannot specify both 'labels' and 'targets'.")
        labels = targets
    with name_scope(name, "logistic_loss", [logits, labels]) as scope:
        x = convert_to_tensor(logits, name="logits")
        z = convert_to_tensor(labels, dtype=x.dtype, name="labels")
        if not _compatible(_static(x), _static(z)):
            raise ValueError(f"`logits` and `labels` must have the same shape, received "
                             f"({_shape_text(_static(x))} vs {_shape_text(_static(z))}).")
        log_weight = 1 + (pos_weight - 1) * z
        return math_ops.add(
            (1 - z) * x,
            log_weight * (math_unary_ops.log1p(math_unary_ops.exp(-math_unary_ops.abs(x)))
                          + nn_ops.relu(-x)),
            name=scope)


# -- softmax cross-entropy -------------------------------------------------------------------------
def softmax_cross_entropy_with_logits_v2(labels: Any, logits: Any, axis: Any = None,
                                         name: str | None = None, dim: Any = None) -> Tensor:
    """``tf.nn.softmax_cross_entropy_with_logits_v2``: the raw kernel on logits flattened to
    [batch, classes] and reshaped back to the batch shape (gradients also reach the labels),
    built op for op as TF's helper: the flattening and the output shape come from the
    tensors' Rank and Shape, whatever is known statically."""
    axis = deprecated_argument_lookup("axis", axis, "dim", dim)
    if axis is None:
        axis = -1
    with name_scope(name, "softmax_cross_entropy_with_logits", [logits, labels]) as scope:
        x = convert_to_tensor(logits, name="logits")
        y = convert_to_tensor(labels, name="labels")
        to_float32 = x.dtype == _dtypes.float16
        precise = math_unary_ops.cast(x, _dtypes.float32) if to_float32 else x
        y = math_unary_ops.cast(y, precise.dtype)
        input_rank = array_ops.rank(precise)
        static = x.get_shape()
        if axis != -1:
            precise = _move_dim_to_end(precise, axis, input_rank)
            y = _move_dim_to_end(y, axis, input_rank)
        input_shape = array_ops.shape(precise)
        precise = _flatten_outer_dims(precise)
        y = _flatten_outer_dims(y)
        cost, _ = nn_xent_ops.softmax_cross_entropy_with_logits_raw(precise, y, name=scope)
        output_shape = array_slicing_ops.slice(input_shape, [0],
                                               [math_ops.subtract(input_rank, 1)])
        cost = array_ops.reshape(cost, output_shape)
        if static.ndims is not None:
            dims = static.as_list()
            del dims[axis]
            cost.set_shape(dims)
        return math_unary_ops.cast(cost, x.dtype) if to_float32 else cost


def _move_dim_to_end(t: Tensor, dim_index: int, rank: Tensor) -> Tensor:
    from varstore.ops.math_sequence_ops import range as _range

    perm = array_stack_ops.concat([_range(dim_index), _range(dim_index + 1, rank),
                                   [dim_index]], 0)
    return array_ops.transpose(t, perm)


def _flatten_outer_dims(logits: Tensor) -> Tensor:
    """TF's nn_ops._flatten_outer_dims: [-1, last dim] from the tensor's Rank and Shape; the
    static shape set when every outer dim is known."""
    rank = array_ops.rank(logits)
    last_dim_size = array_slicing_ops.slice(array_ops.shape(logits),
                                            [math_ops.subtract(rank, 1)], [1])
    output = array_ops.reshape(logits, array_stack_ops.concat([[-1], last_dim_size], 0))
    dims = logits.get_shape()
    if dims.ndims is not None:
        outer = dims.as_list()[:-1]
        if all(d is not None for d in outer):
            output.set_shape([math.prod(outer), dims.as_list()[-1]])
    return output


def softmax_cross_entropy_with_logits(labels: Any = None, logits: Any = None, dim: Any = -1,
                                      name: str | None = None, axis: Any = None) -> Tensor:
    """``tf.nn.softmax_cross_entropy_with_logits`` (TF1, deprecated): the v2 function with the
    labels behind a StopGradient, under ``softmax_cross_entropy_with_logits_sg/``."""
    _ensure_xent_args("softmax_cross_entropy_with_logits", labels, logits)
    if axis is not None:
        dim = axis
    with name_scope(name, "softmax_cross_entropy_with_logits_sg", [logits, labels]) as scope:
        labels = array_ops.stop_gradient(labels, name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, axis=dim,
                                                name=scope)


def sparse_softmax_cross_entropy_with_logits(labels: Any = None, logits: Any = None,
                                             name: str | None = None) -> Tensor:
    """``tf.nn.sparse_softmax_cross_entropy_with_logits``: the raw kernel (logits of rank > 2
    are flattened to [batch, classes] and the loss reshaped back)."""
    _ensure_xent_args("sparse_softmax_cross_entropy_with_logits", labels, logits)
    with name_scope(name, "SparseSoftmaxCrossEntropyWithLogits", [labels, logits]):
        lab = convert_to_tensor(labels)
        x = convert_to_tensor(logits)
        ls, xs = _static(lab), _static(x)
        labels_shape = array_ops.shape(lab)  # (TF builds it before any branch)
        if xs is not None and len(xs) == 0:
            raise ValueError(f"`logits` cannot be a scalar. Received logits={x}`")
        if ls is not None and xs is not None and len(ls) != len(xs) - 1:
            raise ValueError(f"`labels.shape.rank` must equal `logits.shape.rank - 1`. "
                             f"Received: labels.shape={_shape_text(ls)} of rank {len(ls)} and "
                             f"logits.shape={_shape_text(xs)} of rank {len(xs)}")
        fully = (ls is not None and None not in ls and xs is not None
                 and None not in xs[:-1])
        if fully and ls is not None and xs is not None and tuple(ls) != tuple(xs[:-1]):
            raise ValueError("`labels.shape` must equal `logits.shape` except for the last "
                             f"dimension. Received: labels.shape={_shape_text(ls)} and "
                             f"logits.shape={_shape_text(xs)}")
        if xs is not None and len(xs) == 2:
            cost, _ = nn_xent_ops.sparse_softmax_cross_entropy_with_logits_raw(
                x, lab, name="SparseSoftmaxCrossEntropyWithLogits")
            return cost
        checks = [] if fully else [check_ops.assert_equal(
            array_ops.shape(lab), array_ops.shape(x)[:-1])]
        with control_dependencies(checks):
            num_classes = array_ops.shape(x)[array_ops.rank(x) - 1]
            flat_x = array_ops.reshape(x, [-1, num_classes])
            flat_lab = array_ops.reshape(lab, [-1])
            cost, _ = nn_xent_ops.sparse_softmax_cross_entropy_with_logits_raw(
                flat_x, flat_lab, name="SparseSoftmaxCrossEntropyWithLogits")
            cost = array_ops.reshape(cost, labels_shape)
            if ls is not None:
                cost.set_shape(list(ls))
            return cost


# -- dropout ---------------------------------------------------------------------------------------
def dropout(x: Any, keep_prob: Any = None, noise_shape: Any = None, seed: int | None = None,
            name: str | None = None, rate: Any = None) -> Tensor:
    """``tf.nn.dropout`` (TF1 signature): keeps each element with probability 1 - rate and
    scales it by 1 / (1 - rate). The mask comes from a RandomUniform op, so every
    Session.run draws a new one."""
    if keep_prob is not None:
        try:
            from_keep = 1.0 - keep_prob
        except TypeError:
            raise ValueError("`keep_prob` must be a floating point number or Tensor. "
                             f"Received: keep_prob={keep_prob}") from None
        # TF's deprecated_argument_lookup("rate", rate, "keep_prob", ...)
        if rate is not None:
            raise ValueError("Cannot specify both 'keep_prob' and 'rate'.")
        rate = from_keep
    if rate is None:
        raise ValueError(f"`rate` must be provided. Received: rate={rate}")
    with name_scope(name, "dropout", [x]):
        is_number = isinstance(rate, numbers.Real) and not isinstance(rate, bool)
        if is_number and (rate < 0 or rate >= 1):
            raise ValueError("`rate` must be a scalar tensor or a float in the range [0, 1). "
                             f"Received: rate={rate}")
        t = convert_to_tensor(x, name="x")
        if not t.dtype.is_floating:
            raise ValueError("`x.dtype` must be a floating point tensor as `x` will be scaled. "
                             f"Received: x_dtype={t.dtype}")
        if is_number and rate == 0:
            return t
        if is_number:
            scale = convert_to_tensor(1.0 / (1.0 - float(rate)), dtype=t.dtype)
            ret = math_ops.multiply(t, scale, name="Mul")
            rate_t: Any = float(rate)
        else:
            rate_t = convert_to_tensor(rate)
            if rate_t.dtype != t.dtype:
                rate_t = math_unary_ops.cast(rate_t, t.dtype, name="rate")
            # TF: RealDiv(x, Sub(Const(1), rate)), gen ops with their own names
            one = convert_to_tensor(1, dtype=t.dtype, name="Const")
            ret = math_ops.realdiv(t, math_ops.subtract(one, rate_t, name="Sub"))
        if noise_shape is None:
            shape = _static(t)
            if shape is not None and all(d is not None for d in shape):
                noise: Any = convert_to_tensor(list(shape), dtype=_dtypes.int32, name="Shape")
            else:
                noise = array_ops.shape(t)
        else:
            noise = noise_shape
        random = random_ops.random_uniform(noise, dtype=t.dtype, seed=seed)
        keep_mask = math_ops.greater_equal(random, rate_t)
        zero = convert_to_tensor(0, dtype=t.dtype)
        ret = array_transform_ops.where_v2(keep_mask, ret, zero)
        if t._shape is not None:
            ret.set_shape(list(t._shape))  # a noise_shape mask broadcasts to x's shape
        return ret


# -- moments and batch normalisation ---------------------------------------------------------------
def moments(x: Any, axes: Any, shift: Any = None, name: str | None = None,
            keep_dims: Any = None, keepdims: Any = None) -> tuple[Tensor, Tensor]:
    """``tf.nn.moments``: mean and (biased) variance over ``axes``, under ``moments/``."""
    if keep_dims is not None and keepdims is not None:
        raise ValueError("Cannot specify both 'keep_dims' and 'keepdims'.")
    keep = bool(keepdims if keepdims is not None else keep_dims)
    with name_scope(name, "moments", [x, axes]):
        t = convert_to_tensor(x, name="x")
        y = math_unary_ops.cast(t, _dtypes.float32) if t.dtype is _dtypes.float16 else t
        mean = math_reduce_ops.reduce_mean(y, axes, keepdims=True, name="mean")
        variance = math_reduce_ops.reduce_mean(
            math_ops.squared_difference(y, array_ops.stop_gradient(mean)), axes,
            keepdims=True, name="variance")
        if not keep:
            mean = array_ops.squeeze(mean, axes)
            variance = array_ops.squeeze(variance, axes)
        if t.dtype is _dtypes.float16:
            return (math_unary_ops.cast(mean, _dtypes.float16),
                    math_unary_ops.cast(variance, _dtypes.float16))
        return mean, variance


def weighted_moments(x: Any, axes: Any, frequency_weights: Any, name: str | None = None,
                     keep_dims: Any = None, keepdims: Any = None) -> tuple[Tensor, Tensor]:
    """``tf.nn.weighted_moments``: TF's two-pass weighted mean and variance under
    ``weighted_moments/``; a zero total weight gives 0 (div_no_nan), not NaN."""
    if keep_dims is not None and keepdims is not None:
        raise ValueError("Cannot specify both 'keep_dims' and 'keepdims'.")
    keep = bool(keepdims if keepdims is not None else keep_dims)
    with name_scope(name, "weighted_moments", [x, frequency_weights, axes]):
        t = convert_to_tensor(x, name="x")
        w = convert_to_tensor(frequency_weights, name="frequency_weights")
        needs_cast = t.dtype is _dtypes.float16
        if needs_cast:
            t = math_unary_ops.cast(t, _dtypes.float32)
        w = _cast_to(w, t.dtype)
        # keepdims=True throughout so that the sums broadcast against x, as TF does
        weighted_input_sum = math_reduce_ops.reduce_sum(
            w * t, axes, name="weighted_input_sum", keepdims=True)
        # the weights broadcast to x's shape give each element its weight
        broadcasted = w + array_fill_ops.zeros_like(t)
        sum_of_weights = math_reduce_ops.reduce_sum(broadcasted, axes, name="sum_of_weights",
                                                    keepdims=True)
        mean = math_ops.div_no_nan(weighted_input_sum, sum_of_weights)
        distsq = math_reduce_ops.reduce_sum(w * math_ops.squared_difference(t, mean), axes,
                                            name="weighted_distsq", keepdims=True)
        variance = math_ops.div_no_nan(distsq, sum_of_weights)
        if not keep:
            mean = array_ops.squeeze(mean, axis=axes)
            variance = array_ops.squeeze(variance, axis=axes)
        if needs_cast:
            mean = math_unary_ops.cast(mean, _dtypes.float16)
            variance = math_unary_ops.cast(variance, _dtypes.float16)
        return mean, variance


def _cast_to(value: Tensor, dtype: Any) -> Tensor:
    # TF's math_ops.cast is the identity for a tensor that already has the dtype.
    return value if value.dtype is dtype else math_unary_ops.cast(value, dtype)


def batch_norm_with_global_normalization(
        t: Any = None, m: Any = None, v: Any = None, beta: Any = None, gamma: Any = None,
        variance_epsilon: Any = None, scale_after_normalization: Any = None,
        name: str | None = None, input: Any = None,
        mean: Any = None, variance: Any = None) -> Tensor:
    """``tf.nn.batch_norm_with_global_normalization`` (TF1): batch_normalization with
    ``gamma`` applied only when ``scale_after_normalization``; ``input`` / ``mean`` /
    ``variance`` are the newer names of ``t`` / ``m`` / ``v``."""
    t = deprecated_argument_lookup("input", input, "t", t)
    m = deprecated_argument_lookup("mean", mean, "m", m)
    v = deprecated_argument_lookup("variance", variance, "v", v)
    return batch_normalization(t, m, v, beta, gamma if scale_after_normalization else None,
                               variance_epsilon, name)


def batch_normalization(x: Any, mean: Any, variance: Any, offset: Any, scale: Any,
                        variance_epsilon: Any, name: str | None = None) -> Tensor:
    """``tf.nn.batch_normalization``: x * inv + (offset - mean * inv), with
    inv = scale / sqrt(variance + epsilon), under ``batchnorm/``."""
    with name_scope(name, "batchnorm", [x, mean, variance, scale, offset]):
        t = convert_to_tensor(x, name="x")

        def operand(v: Any) -> Any:
            # variables stay variables: TF's operators read them where they are used
            return v if hasattr(v, "op") else convert_to_tensor(v)

        inv = math_unary_ops.rsqrt(operand(variance) + variance_epsilon)
        if scale is not None:
            inv = inv * scale
        # TF's operand order: x * inv, then mean * inv, then offset (read) - that
        scaled = t * _cast_to(inv, t.dtype)
        mean_t = operand(mean)
        shift = operand(offset) - mean_t * inv if offset is not None else -mean_t * inv
        return scaled + _cast_to(shift, t.dtype)


def fused_batch_norm(x: Any, scale: Any, offset: Any, mean: Any = None, variance: Any = None,
                     epsilon: float = 0.001, data_format: str = "NHWC",
                     is_training: bool = True, name: str | None = None,
                     exponential_avg_factor: float = 1.0) -> tuple[Tensor, Tensor, Tensor]:
    """``tf.nn.fused_batch_norm``: op ``FusedBatchNormV3`` (nn_norm_ops.py). Returns
    (y, mean, variance); in training the variance is the n/(n-1)-corrected batch variance,
    blended with ``variance`` when ``exponential_avg_factor`` != 1."""
    if (not is_training or exponential_avg_factor != 1.0) and (mean is None
                                                               or variance is None):
        raise ValueError("Both `mean` and `variance` must be a 1D tensor when `is_training` "
                         "is False or `exponential_avg_factor` != 1.0. Received: `mean` "
                         f"{mean!r} and `variance` {variance!r}")
    t = convert_to_tensor(x, name="input")
    scale_t = convert_to_tensor(scale, name="scale")
    offset_t = convert_to_tensor(offset, name="offset")
    if mean is None:
        mean = convert_to_tensor([], dtype=scale_t.dtype)
    if variance is None:
        variance = convert_to_tensor([], dtype=scale_t.dtype)
    # TF's wrapper raises epsilon to cuDNN's minimum.
    epsilon = max(1.001e-05, epsilon)
    y, running_mean, running_var, _, _, _ = nn_norm_ops.fused_batch_norm_v3(
        t, scale_t, offset_t, mean, variance, epsilon=epsilon,
        exponential_avg_factor=exponential_avg_factor, data_format=data_format,
        is_training=is_training, name=name)
    return y, running_mean, running_var


# -- l2_normalize, zero_fraction -------------------------------------------------------------------
def l2_normalize(x: Any, axis: Any = None, epsilon: float = 1e-12, name: str | None = None,
                 dim: Any = None) -> Tensor:
    """``tf.nn.l2_normalize``: x * rsqrt(max(sum(x ** 2, axis), epsilon))."""
    if axis is not None and dim is not None:
        raise ValueError("Cannot specify both 'axis' and 'dim'.")
    if axis is None:
        axis = dim
    with name_scope(name, "l2_normalize", [x]) as scope:
        t = convert_to_tensor(x, name="x")
        square_sum = math_reduce_ops.reduce_sum(math_unary_ops.square(t), axis, keepdims=True)
        inv_norm = math_unary_ops.rsqrt(math_ops.maximum(square_sum, epsilon))
        return math_ops.multiply(t, inv_norm, name=scope)


def zero_fraction(value: Any, name: str | None = None) -> Tensor:
    """``tf.nn.zero_fraction``: the fraction of zeros in ``value`` (a float32 scalar)."""
    with name_scope(name, "zero_fraction", [value]):
        t = convert_to_tensor(value, name="value")
        zero = convert_to_tensor(0, dtype=t.dtype)
        fraction = math_reduce_ops.reduce_mean(
            math_unary_ops.cast(math_ops.equal(t, zero), _dtypes.float32))
        return array_ops.identity(fraction, name="fraction")


# -- small activations and layers ------------------------------------------------------------------
def crelu(features: Any, name: str | None = None, axis: int = -1) -> Tensor:
    """``tf.nn.crelu``: relu of [x, -x] concatenated on ``axis`` (the ConcatV2 named
    ``CRelu``, the result ``CRelu/Relu``)."""
    with name_scope(name, "CRelu", [features]) as scope:
        x = convert_to_tensor(features, name="features")
        c = array_stack_ops.concat([x, math_unary_ops.negative(x)], axis, name=scope)
        return nn_ops.relu(c)


def swish(features: Any, beta: Any = 1.0) -> Tensor:
    """``tf.nn.swish`` / ``tf.nn.silu``: x * sigmoid(beta * x). TF wraps it in a
    custom_gradient (an IdentityN output); here it is plain ops with the same gradient."""
    x = convert_to_tensor(features, name="features")
    b = convert_to_tensor(beta, dtype=x.dtype, name="beta")
    return math_ops.multiply(x, math_unary_ops.sigmoid(math_ops.multiply(b, x)))


def xw_plus_b(x: Any, weights: Any, biases: Any, name: str | None = None) -> Tensor:
    """``tf.nn.xw_plus_b``: the BiasAdd named ``xw_plus_b`` of ``xw_plus_b/MatMul``."""
    with name_scope(name, "xw_plus_b", [x, weights, biases]) as scope:
        mm = math_matmul_ops.matmul(convert_to_tensor(x, name="x"),
                                    convert_to_tensor(weights, name="weights"))
        return nn_ops.bias_add(mm, convert_to_tensor(biases, name="biases"), name=scope)


def relu_layer(x: Any, weights: Any, biases: Any, name: str | None = None) -> Tensor:
    """``tf.nn.relu_layer``: the Relu named ``relu_layer`` of x @ weights + biases."""
    with name_scope(name, "relu_layer", [x, weights, biases]) as scope:
        mm = math_matmul_ops.matmul(convert_to_tensor(x, name="x"),
                                    convert_to_tensor(weights, name="weights"))
        return nn_ops.relu(nn_ops.bias_add(mm, convert_to_tensor(biases, name="biases")),
                           name=scope)


# -- moments from sufficient statistics ------------------------------------------------------------
def sufficient_statistics(x: Any, axes: Any, shift: Any = None, keep_dims: Any = None,
                          name: str | None = None, keepdims: Any = None
                          ) -> tuple[Tensor, Tensor, Tensor, Tensor | None]:
    """``tf.nn.sufficient_statistics``: (count, sum of x - shift, sum of (x - shift)^2,
    shift) over ``axes`` (``sufficient_statistics/mean_ss``, ``.../var_ss``)."""
    if keep_dims is not None and keepdims is not None:
        raise ValueError("Cannot specify both 'keep_dims' and 'keepdims'.")
    keep = bool(keepdims if keepdims is not None else keep_dims)
    axes_list = [int(a) for a in axes]
    with name_scope(name, "sufficient_statistics", [x, shift]):
        t = convert_to_tensor(x, name="x")
        shape = _static(t)
        if shape is not None and all(shape[d] is not None for d in axes_list):
            n = 1
            for d in axes_list:
                n *= int(shape[d])  # type: ignore[arg-type]
            counts = convert_to_tensor(n, dtype=t.dtype)
        else:
            dims = array_slicing_ops.gather(math_unary_ops.cast(array_ops.shape(t), t.dtype),
                                    axes_list)
            counts = math_reduce_ops.reduce_prod(dims, name="count")
        shift_t = None
        if shift is not None:
            shift_t = convert_to_tensor(shift, name="shift")
            m_ss = math_ops.subtract(t, shift_t)
            v_ss = math_ops.squared_difference(t, shift_t)
        else:
            m_ss = t
            v_ss = math_unary_ops.square(t)
        m_ss = math_reduce_ops.reduce_sum(m_ss, axes_list, keepdims=keep, name="mean_ss")
        v_ss = math_reduce_ops.reduce_sum(v_ss, axes_list, keepdims=keep, name="var_ss")
    return counts, m_ss, v_ss, shift_t


def normalize_moments(counts: Any, mean_ss: Any, variance_ss: Any, shift: Any,
                      name: str | None = None) -> tuple[Tensor, Tensor]:
    """``tf.nn.normalize_moments``: mean and variance from sufficient statistics
    (``normalize/mean``, ``normalize/variance``)."""
    with name_scope(name, "normalize", [counts, mean_ss, variance_ss, shift]):
        divisor = math_unary_ops.reciprocal(counts, name="divisor")
        if shift is not None:
            shifted_mean = math_ops.multiply(mean_ss, divisor, name="shifted_mean")
            mean = math_ops.add(shifted_mean, shift, name="mean")
        else:
            shifted_mean = math_ops.multiply(mean_ss, divisor, name="mean")
            mean = shifted_mean
        variance = math_ops.subtract(math_ops.multiply(variance_ss, divisor),
                                     math_unary_ops.square(shifted_mean), name="variance")
    return mean, variance


def log_poisson_loss(targets: Any, log_input: Any, compute_full_loss: bool = False,
                     name: str | None = None) -> Tensor:
    """``tf.nn.log_poisson_loss``: exp(c) - c * z (+ Stirling's term for z > 1 with
    ``compute_full_loss``)."""
    with name_scope(name, "log_poisson_loss", [targets, log_input]):
        c = convert_to_tensor(log_input, name="log_input")
        z = convert_to_tensor(targets, name="targets")
        if not _compatible(_static(z), _static(c)):
            raise ValueError("`log_input` and `targets` must have the same shape, received "
                             f"({_shape_text(_static(c))} vs {_shape_text(_static(z))}).")
        result = math_unary_ops.exp(c) - c * z
        if compute_full_loss:
            half = convert_to_tensor(0.5, dtype=z.dtype)
            two_pi = convert_to_tensor(2 * math.pi, dtype=z.dtype)
            stirling = (z * math_unary_ops.log(z)) - z + (half * math_unary_ops.log(two_pi * z))
            zeros = array_fill_ops.zeros_like(z, dtype=z.dtype)
            ones = array_fill_ops.ones_like(z, dtype=z.dtype)
            cond = math_ops.logical_and(math_ops.greater_equal(z, zeros),
                                        math_ops.less_equal(z, ones))
            result = result + array_transform_ops.where(cond, zeros, stirling)
        return result
