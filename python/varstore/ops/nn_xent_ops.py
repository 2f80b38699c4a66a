"""The raw softmax cross-entropy ops: SoftmaxCrossEntropyWithLogits and
SparseSoftmaxCrossEntropyWithLogits (TF's gen_nn_ops), with TF's shape functions, kernels and
gradients; nn_impl builds tf.nn's cross-entropy functions on them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.ops import (
    ZEROS_TENSORS,
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    dt_enum,
    make_op,
    node_error,
    register_kernel,
)
from varstore.ops.math_ops import broadcast_shape
from varstore.ops.nn_ops import _FLOAT_TYPES, _unary

__all__ = ["softmax_cross_entropy_with_logits_raw", "sparse_softmax_cross_entropy_with_logits_raw"]

DType = _dtypes.DType


def softmax_cross_entropy_with_logits_raw(features: Tensor, labels: Tensor,
                                          name: str | None = None) -> tuple[Tensor, Tensor]:
    """The raw op ``SoftmaxCrossEntropyWithLogits`` on [batch, classes] (loss, backprop)."""
    graph = features._op._graph
    full = graph._op_name(name, "SoftmaxCrossEntropyWithLogits")
    shape = _xent_shape(full, features, labels)
    batch = shape[0] if shape is not None else None
    op = make_op(graph, full, "SoftmaxCrossEntropyWithLogits", [features, labels],
                 {"T": features._dtype},
                 [(features._dtype, (batch,)), (features._dtype, shape)])
    return op._outputs[0], op._outputs[1]


def _xent_shape(full: str, features: Tensor, labels: Tensor) -> tuple[int | None, ...] | None:
    """TF's shape function: the two [batch, classes] shapes merged; failing that, broadcast
    (TF's "Dimensions must be equal" error) to a shape that must be of rank 2."""
    fs, ls = features._shape, labels._shape
    if fs is None or len(fs) == 2:
        two = (None, None) if fs is None else fs
        if ls is None:
            return two
        if len(ls) == 2 and all(a is None or b is None or a == b for a, b in zip(two, ls)):
            return tuple(a if a is not None else b for a, b in zip(two, ls))
    shape = broadcast_shape(full, "SoftmaxCrossEntropyWithLogits", features, labels)
    if shape is None or len(shape) != 2:
        rank = "is unknown." if shape is None else str(len(shape))
        raise node_error(f"Shape must be broadcasted with rank 2, but is rank {rank}", full,
                         "SoftmaxCrossEntropyWithLogits", f"T={dt_enum(features._dtype)}",
                         [features, labels])
    return shape


def _dims_text(shape: tuple[int, ...]) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


@register_kernel("SoftmaxCrossEntropyWithLogits")
def _xent_kernel(op: Operation) -> Callable[..., Any]:
    def xent(logits: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        try:
            shape = np.broadcast_shapes(logits.shape, labels.shape)
        except ValueError:
            raise InvalidArgumentError(
                None, op, f"logits and labels must be broadcastable: logits_size="
                f"{_dims_text(logits.shape)} labels_size={_dims_text(labels.shape)}") from None
        logits = np.broadcast_to(logits, shape)
        labels = np.broadcast_to(labels, shape)
        if shape[-1] == 0:
            # TF 2.21's kernel: no classes is a zero loss per row (and an empty backprop)
            return np.zeros(shape[0], logits.dtype), np.zeros(shape, logits.dtype)
        shifted = logits - np.max(logits, axis=-1, keepdims=True)
        log_sum = np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
        log_p = shifted - log_sum
        # TF's sum of labels * (log(sum exp) - shifted): a zero loss is +0.0, not -0.0
        loss = np.sum(labels * (log_sum - shifted), axis=-1)
        backprop = np.exp(log_p) - labels
        return loss.astype(logits.dtype, copy=False), backprop.astype(logits.dtype, copy=False)

    return xent


@RegisterGradient("SoftmaxCrossEntropyWithLogits")
def _xent_grad(op: Operation, grad_loss: Tensor, grad_grad: Any) -> list[Any]:
    # TF's _BroadcastMul and operators: ops named "mul", "sub", "add", "Neg", in TF's order
    g = _xent_grad_logits(op, grad_loss, grad_grad)
    minus_log_softmax = -_log_softmax_node(op._inputs[0])
    return [g, builders.expand_dims(grad_loss, -1) * minus_log_softmax]


def _xent_grad_logits(op: Operation, grad_loss: Tensor, grad_grad: Any) -> Tensor:
    g: Tensor = builders.expand_dims(grad_loss, -1) * op._outputs[1]
    if grad_grad is not None and grad_grad not in ZEROS_TENSORS:
        softmax_ = _softmax_node(op._inputs[0])
        product = builders.matmul(builders.expand_dims(grad_grad, 1),
                                  builders.expand_dims(softmax_, 2))
        g = g + (grad_grad - builders.squeeze(product, axis=[1])) * softmax_
    return g


def _softmax_node(logits: Tensor) -> Tensor:
    return _unary("Softmax", logits, None, _FLOAT_TYPES, "logits")


def _log_softmax_node(logits: Tensor) -> Tensor:
    return _unary("LogSoftmax", logits, None, _FLOAT_TYPES, "logits")


def sparse_softmax_cross_entropy_with_logits_raw(features: Tensor, labels: Tensor,
                                                 name: str | None = None
                                                 ) -> tuple[Tensor, Tensor]:
    graph = features._op._graph
    full = graph._op_name(name, "SparseSoftmaxCrossEntropyWithLogits")
    batch = features._shape[0] if features._shape is not None else None
    if batch is None and labels._shape:
        batch = labels._shape[0]  # TF's shape function merges the two batch dims
    back = features._shape
    if back is not None:
        back = (batch, *back[1:])
    op = make_op(graph, full, "SparseSoftmaxCrossEntropyWithLogits", [features, labels],
                 {"T": features._dtype, "Tlabels": labels._dtype},
                 [(features._dtype, (batch,)), (features._dtype, back)])
    return op._outputs[0], op._outputs[1]


@register_kernel("SparseSoftmaxCrossEntropyWithLogits")
def _sparse_xent_kernel(op: Operation) -> Callable[..., Any]:
    def xent(logits: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n, c = logits.shape
        if c == 0:
            raise InvalidArgumentError(None, op, "Must have at least one class, but got logits "
                                       f"shape {_dims_text(logits.shape)}")
        if labels.size and (labels.min() < 0 or labels.max() >= c):
            bad = labels[(labels < 0) | (labels >= c)][0]
            raise ValueError(f"Received a label value of {int(bad)} which is outside the "
                             f"valid range of [0, {c}).  Label values: "
                             f"{' '.join(str(int(v)) for v in labels)}")
        shifted = logits - np.max(logits, axis=-1, keepdims=True)
        log_p = shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
        rows = np.arange(n)
        loss = -log_p[rows, labels]
        backprop = np.exp(log_p)
        backprop[rows, labels] -= 1
        return loss.astype(logits.dtype, copy=False), backprop.astype(logits.dtype, copy=False)

    return xent


@RegisterGradient("SparseSoftmaxCrossEntropyWithLogits")
def _sparse_xent_grad(op: Operation, grad_loss: Tensor, grad_grad: Any) -> list[Any]:
    return [_xent_grad_logits(op, grad_loss, grad_grad), None]


builders.register(globals(), __all__)
