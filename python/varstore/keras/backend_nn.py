"""The activations, bias_add and crossentropies of ``tf.keras.backend`` (tf_keras'
backend.py).

``softmax`` and ``sigmoid`` keep their input as ``_keras_logits``; the crossentropies, given
such an output (or any Softmax / Sigmoid op's output), compute from the logits instead (TF's
b/117284466: a probability clipped to epsilon loses the gradient). Probabilities are clipped
to ``[epsilon, 1 - epsilon]`` before their log.
"""

from __future__ import annotations

import itertools
import warnings
from typing import Any

from varstore.keras import _tf as tf
from varstore.keras._config import epsilon, floatx, image_data_format
from varstore.keras._tensor_attrs import get_attr, set_attr

__all__ = [
    "bias_add", "binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy",
    "categorical_focal_crossentropy", "elu", "hard_sigmoid", "in_top_k", "l2_normalize",
    "relu", "sigmoid", "softmax", "softplus", "softsign", "sparse_categorical_crossentropy",
    "tanh",
]


def _const(x: Any, dtype: Any) -> Any:
    return tf.constant(x, dtype=dtype)


def relu(x: Any, alpha: float = 0.0, max_value: Any = None, threshold: float = 0.0) -> Any:
    """tf_keras' relu: leaky below ``threshold`` with slope ``alpha``, clipped at
    ``max_value`` (relu6 for 6)."""
    dtype = getattr(x, "dtype", floatx())
    negative_part = None
    if alpha != 0.0:
        if max_value is None and threshold == 0:
            return tf.nn.leaky_relu(x, alpha=alpha)
        negative_part = tf.nn.relu(-x + threshold) if threshold != 0 else tf.nn.relu(-x)
    clip_max = max_value is not None
    if threshold != 0:
        x = x * tf.cast(tf.greater(x, threshold), dtype=dtype)
    elif max_value == 6:
        x = tf.nn.relu6(x)
        clip_max = False
    else:
        x = tf.nn.relu(x)
    if clip_max:
        x = tf.clip_by_value(x, _const(0, x.dtype.base_dtype),
                             _const(max_value, x.dtype.base_dtype))
    if negative_part is not None:
        x -= tf.convert_to_tensor(alpha, x.dtype.base_dtype) * negative_part
    return x


def elu(x: Any, alpha: float = 1.0) -> Any:
    res = tf.nn.elu(x)
    if alpha == 1:
        return res
    return tf.where_v2(x > 0, res, alpha * res)


def softmax(x: Any, axis: Any = -1) -> Any:
    if x.shape.rank <= 1:
        raise ValueError(f"Cannot apply softmax to a tensor that is 1D. Received input: {x}")
    if isinstance(axis, int):
        output = tf.nn.softmax(x, axis=axis)
    else:
        numerator = tf.exp(x - tf.reduce_max(x, axis=axis, keepdims=True))
        output = numerator / tf.reduce_sum(numerator, axis=axis, keepdims=True)
    set_attr(output, "_keras_logits", x)
    return output


def softplus(x: Any) -> Any:
    return tf.math.softplus(x)


def softsign(x: Any) -> Any:
    return tf.math.softsign(x)


def sigmoid(x: Any) -> Any:
    output = tf.sigmoid(x)
    set_attr(output, "_keras_logits", x)
    return output


def hard_sigmoid(x: Any) -> Any:
    x = tf.multiply(x, _const(0.2, x.dtype.base_dtype))
    x = tf.add(x, _const(0.5, x.dtype.base_dtype))
    return tf.clip_by_value(x, 0.0, 1.0)


def tanh(x: Any) -> Any:
    return tf.tanh(x)


def l2_normalize(x: Any, axis: Any = None) -> Any:
    return tf.math.l2_normalize(x, axis=axis)


def in_top_k(predictions: Any, targets: Any, k: int) -> Any:
    return tf.nn.in_top_k(predictions, targets, k)


def bias_add(x: Any, bias: Any, data_format: str | None = None) -> Any:
    if data_format is None:
        data_format = image_data_format()
    if data_format not in {"channels_first", "channels_last"}:
        raise ValueError("Unknown data_format: " + str(data_format))
    bias_shape = tuple(bias.shape.as_list())
    x_ndim = x.shape.ndims
    if len(bias_shape) != 1 and len(bias_shape) != x_ndim - 1:
        raise ValueError(f"Unexpected bias dimensions {len(bias_shape)}, expect to be 1 or "
                         f"{x_ndim - 1} dimensions")
    if len(bias_shape) == 1:
        fmt = "NCHW" if data_format == "channels_first" else "NHWC"
        return tf.nn.bias_add(x, bias, data_format=fmt)
    if x_ndim in (3, 4, 5):
        if data_format == "channels_first":
            return x + tf.reshape(bias, (1, bias_shape[-1], *bias_shape[:-1]))
        return x + tf.reshape(bias, (1, *bias_shape))
    return tf.nn.bias_add(x, bias)


def _get_logits(output: Any, from_logits: bool, op_type: str, fn_name: str) -> tuple[Any, bool]:
    """The logits behind a ``softmax``/``sigmoid`` output (or an ``op_type`` op), with
    from_logits then True."""
    output_, from_logits_ = output, from_logits
    keras_logits = get_attr(output, "_keras_logits")
    has_keras_logits = keras_logits is not None
    if has_keras_logits:
        output_, from_logits_ = keras_logits, True
    from_op = (not isinstance(output, tf.Variable) and not has_keras_logits
               and output.op.type == op_type)
    if from_op:
        output_, from_logits_ = output.op.inputs[0], True
    if from_logits and (has_keras_logits or from_op):
        warnings.warn(f'"`{fn_name}` received `from_logits=True`, but the `output` argument '
                      f"was produced by a {op_type} activation and thus does not represent "
                      "logits. Was this intended?", stacklevel=3)
    return output_, from_logits_


def categorical_crossentropy(target: Any, output: Any, from_logits: bool = False,
                             axis: int = -1) -> Any:
    target = tf.convert_to_tensor(target)
    output = tf.convert_to_tensor(output)
    target.shape.assert_is_compatible_with(output.shape)
    output, from_logits = _get_logits(output, from_logits, "Softmax", "categorical_crossentropy")
    if from_logits:
        return tf.nn.softmax_cross_entropy_with_logits_v2(labels=target, logits=output, axis=axis,
                                                          name="softmax_cross_entropy_with_logits")
    output = output / tf.reduce_sum(output, axis, True)
    eps = _const(epsilon(), output.dtype.base_dtype)
    output = tf.clip_by_value(output, eps, 1.0 - eps)
    return -tf.reduce_sum(target * tf.log(output), axis)


def categorical_focal_crossentropy(target: Any, output: Any, alpha: float = 0.25,
                                   gamma: float = 2.0, from_logits: bool = False,
                                   axis: int = -1) -> Any:
    target = tf.convert_to_tensor(target)
    output = tf.convert_to_tensor(output)
    target.shape.assert_is_compatible_with(output.shape)
    output, from_logits = _get_logits(output, from_logits, "Softmax",
                                      "categorical_focal_crossentropy")
    if from_logits:
        output = tf.nn.softmax(output, axis=axis)
    output = output / tf.reduce_sum(output, axis=axis, keepdims=True)
    eps = _const(epsilon(), output.dtype.base_dtype)
    output = tf.clip_by_value(output, eps, 1.0 - eps)
    cce = -target * tf.log(output)
    weighting_factor = tf.multiply(tf.pow(1.0 - output, gamma), alpha)
    return tf.reduce_sum(tf.multiply(weighting_factor, cce), axis=axis)


def sparse_categorical_crossentropy(target: Any, output: Any, from_logits: bool = False,
                                    axis: int = -1, ignore_class: Any = None) -> Any:
    """Integer targets against the classes on ``axis``: SparseSoftmaxCrossEntropyWithLogits
    on the (log-)outputs, flattened when the target's rank is not one less."""
    target = tf.cast(tf.convert_to_tensor(target), "int64")
    output = tf.convert_to_tensor(output)
    output, from_logits = _get_logits(output, from_logits, "Softmax",
                                      "sparse_categorical_crossentropy")
    if not from_logits:
        eps = _const(epsilon(), output.dtype.base_dtype)
        output = tf.log(tf.clip_by_value(output, eps, 1 - eps))
    output_rank = output.shape.ndims
    if output_rank is not None:
        axis %= output_rank
        if axis != output_rank - 1:
            perm = list(itertools.chain(range(axis), range(axis + 1, output_rank), [axis]))
            output = tf.transpose(output, perm=perm)
    elif axis != -1:
        raise ValueError(f"Cannot compute sparse categorical crossentropy with `axis={axis}` on "
                         "an output tensor with unknown rank")
    output_shape = tf.shape(output)
    target_rank = target.shape.ndims
    update_shape = (target_rank is not None and output_rank is not None
                    and target_rank != output_rank - 1)
    if update_shape:
        target = tf.reshape(target, [-1])
        output = tf.reshape(output, [-1, output_shape[-1]])
    valid_mask = None
    if ignore_class is not None:
        valid_mask = tf.not_equal(target, tf.cast(ignore_class, target.dtype))
        target = tf.boolean_mask(target, valid_mask)
        output = tf.boolean_mask(output, valid_mask)
    res = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=target, logits=output)
    if valid_mask is not None:
        res_shape = tf.cast(output_shape[:-1], "int64")
        valid_mask = tf.reshape(valid_mask, res_shape)
        res = tf.scatter_nd(tf.where_v2(valid_mask), res, res_shape)
        set_attr(res, "_keras_mask", valid_mask)
        return res
    if update_shape and output_rank is not None and output_rank >= 3:
        res = tf.reshape(res, output_shape[:-1])
    return res


def binary_crossentropy(target: Any, output: Any, from_logits: bool = False) -> Any:
    target = tf.convert_to_tensor(target)
    output = tf.convert_to_tensor(output)
    output, from_logits = _get_logits(output, from_logits, "Sigmoid", "binary_crossentropy")
    if from_logits:
        return tf.nn.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    eps = _const(epsilon(), output.dtype.base_dtype)
    output = tf.clip_by_value(output, eps, 1.0 - eps)
    # epsilon is added again inside the logs, as tf_keras does
    bce = target * tf.log(output + epsilon())
    bce += (1 - target) * tf.log(1 - output + epsilon())
    return -bce


def binary_focal_crossentropy(target: Any, output: Any, apply_class_balancing: bool = False,
                              alpha: float = 0.25, gamma: float = 2.0,
                              from_logits: bool = False) -> Any:
    sigmoidal = sigmoid(output) if from_logits else output
    p_t = target * sigmoidal + (1 - target) * (1 - sigmoidal)
    focal_factor = tf.pow(1.0 - p_t, gamma)
    focal_bce = focal_factor * binary_crossentropy(target, output, from_logits=from_logits)
    if apply_class_balancing:
        focal_bce = (target * alpha + (1 - target) * (1 - alpha)) * focal_bce
    return focal_bce
