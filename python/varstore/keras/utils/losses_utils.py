"""tf_keras' losses_utils.py: the reduction keys (``ReductionV2``), the rank adjustments
between labels, predictions and weights, and ``compute_weighted_loss`` (the
``weighted_loss`` scope every Loss object's value comes from)."""

from __future__ import annotations

from typing import Any

from varstore.keras import _tf as tf
from varstore.keras._tensor_attrs import get_attr

__all__ = ["ReductionV2", "apply_valid_mask", "compute_weighted_loss", "get_mask",
           "remove_squeezable_dimensions", "squeeze_or_expand_dimensions"]


class ReductionV2:
    """Keras' loss reduction keys (exported as tf.keras.losses.Reduction only in TF2's
    namespace; the v1 one has no Reduction)."""

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"

    @classmethod
    def all(cls) -> tuple[str, ...]:
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)

    @classmethod
    def validate(cls, key: Any) -> None:
        if key not in cls.all():
            raise ValueError(f'Invalid Reduction Key: {key}. Expected keys are "{cls.all()}"')


def _last_dim_is_1(t: Any) -> bool:
    d = t.shape.as_list()[-1]
    return d is None or d == 1


def remove_squeezable_dimensions(labels: Any, predictions: Any, expected_rank_diff: int = 0,
                                 name: str | None = None) -> tuple[Any, Any]:
    """Squeezes the last dim of the larger-ranked one when the ranks differ by one more (or
    less) than expected; unknown ranks decide at run time with a cond."""
    with tf.name_scope(name or "remove_squeezable_dimensions"):
        predictions = tf.convert_to_tensor(predictions)
        labels = tf.convert_to_tensor(labels)
        p_rank, l_rank = predictions.shape.ndims, labels.shape.ndims
        if p_rank is not None and l_rank is not None:
            rank_diff = p_rank - l_rank
            if rank_diff == expected_rank_diff + 1 and _last_dim_is_1(predictions):
                predictions = tf.squeeze(predictions, [-1])
            elif rank_diff == expected_rank_diff - 1 and _last_dim_is_1(labels):
                labels = tf.squeeze(labels, [-1])
            return labels, predictions
        dyn_diff = tf.rank(predictions) - tf.rank(labels)
        if p_rank is None or _last_dim_is_1(predictions):
            p = predictions
            predictions = tf.cond(tf.equal(expected_rank_diff + 1, dyn_diff),
                                  lambda: tf.squeeze(p, [-1]), lambda: p)
        if l_rank is None or _last_dim_is_1(labels):
            lab = labels
            labels = tf.cond(tf.equal(expected_rank_diff - 1, dyn_diff),
                             lambda: tf.squeeze(lab, [-1]), lambda: lab)
        return labels, predictions


def squeeze_or_expand_dimensions(y_pred: Any, y_true: Any = None,
                                 sample_weight: Any = None) -> tuple[Any, ...]:
    """Aligns y_true with y_pred (remove_squeezable_dimensions), then squeezes or expands the
    last dim of ``sample_weight`` when its rank is one off y_pred's."""
    y_pred_rank = y_pred.shape.ndims
    if y_true is not None:
        y_true_rank = y_true.shape.ndims
        if y_true_rank is not None and y_pred_rank is not None:
            if y_pred_rank - y_true_rank != 1 or y_pred.shape.as_list()[-1] == 1:
                y_true, y_pred = remove_squeezable_dimensions(y_true, y_pred)
        else:
            raise NotImplementedError(
                "varstore lacks tf_keras' squeeze_or_expand_dimensions for labels or "
                "predictions of unknown rank")
    if sample_weight is None:
        return y_pred, y_true
    weights_rank = sample_weight.shape.ndims
    if weights_rank == 0:
        return y_pred, y_true, sample_weight
    if y_pred_rank is not None and weights_rank is not None:
        if weights_rank - y_pred_rank == 1:
            sample_weight = tf.squeeze(sample_weight, [-1])
        elif y_pred_rank - weights_rank == 1:
            sample_weight = tf.expand_dims(sample_weight, [-1])
        return y_pred, y_true, sample_weight
    raise NotImplementedError("varstore lacks tf_keras' squeeze_or_expand_dimensions for "
                              "sample weights of unknown rank")


def _num_elements(losses: Any) -> Any:
    with tf.name_scope("num_elements") as scope:
        return tf.cast(tf.size(losses, name=scope), dtype=losses.dtype)


def reduce_weighted_loss(weighted_losses: Any,
                         reduction: str = ReductionV2.SUM_OVER_BATCH_SIZE) -> Any:
    if reduction == ReductionV2.NONE:
        return weighted_losses
    loss = tf.reduce_sum(weighted_losses)
    if reduction == ReductionV2.SUM_OVER_BATCH_SIZE:
        loss = tf.div_no_nan(tf.reduce_sum(loss), _num_elements(weighted_losses), name="value")
    return loss


def compute_weighted_loss(losses: Any, sample_weight: Any = None,
                          reduction: str = ReductionV2.SUM_OVER_BATCH_SIZE,
                          name: str | None = None) -> Any:
    """``losses * sample_weight`` reduced (AUTO is SUM_OVER_BATCH_SIZE), under
    ``weighted_loss``; integer or bool losses are reduced as float32 and cast back."""
    ReductionV2.validate(reduction)
    if reduction == ReductionV2.AUTO:
        reduction = ReductionV2.SUM_OVER_BATCH_SIZE
    if sample_weight is None:
        sample_weight = 1.0
    with tf.name_scope(name or "weighted_loss"):
        losses = tf.convert_to_tensor(losses)
        sample_weight = tf.convert_to_tensor(sample_weight)
        input_dtype = None
        if not losses.dtype.is_floating:
            input_dtype = losses.dtype
            losses = tf.cast(losses, "float32")
        sample_weight = tf.cast(sample_weight, losses.dtype)
        losses, _, sample_weight = squeeze_or_expand_dimensions(losses, None, sample_weight)
        loss = reduce_weighted_loss(tf.multiply(losses, sample_weight), reduction)
        if input_dtype is not None:
            loss = tf.cast(loss, input_dtype)
        return loss


def get_mask(y_p: Any) -> Any:
    return get_attr(y_p, "_keras_mask")


def apply_mask(y_p: Any, sw: Any, mask: Any) -> Any:
    if mask is not None:
        mask = tf.cast(mask, y_p.dtype)
        if sw is not None:
            sw = tf.cast(sw, mask.dtype)
            mask, _, sw = squeeze_or_expand_dimensions(mask, sample_weight=sw)
            sw *= mask
        else:
            sw = mask
    return sw


def apply_valid_mask(losses: Any, sw: Any, mask: Any, reduction: str) -> Any:
    """Masked-out entries get weight 0 and the others total/valid, so a mean over the batch
    is a mean over the valid entries."""
    if mask is not None:
        mask = tf.cast(mask, losses.dtype)
        if reduction in (ReductionV2.AUTO, ReductionV2.SUM_OVER_BATCH_SIZE):
            total = tf.cast(tf.size(mask), losses.dtype)
            valid = tf.reduce_sum(mask)
            mask *= total / valid
    return apply_mask(losses, sw, mask)
