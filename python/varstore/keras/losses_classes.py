"""The Loss classes of ``tf.keras.losses`` (tf_keras' losses.py): ``Loss.__call__`` opens
the loss's name scope, calls ``call`` and reduces in ``weighted_loss``;
``LossFunctionWrapper`` aligns the ranks of labels and predictions and calls a loss function
with its keyword arguments (its ``get_config``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from varstore.keras import _tf as tf
from varstore.keras import losses_functions as F
from varstore.keras.utils import losses_utils
from varstore.keras.utils.losses_utils import ReductionV2

__all__ = [
    "BinaryCrossentropy", "BinaryFocalCrossentropy", "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy", "CategoricalHinge", "CosineSimilarity", "Hinge", "Huber",
    "KLDivergence", "LogCosh", "Loss", "LossFunctionWrapper", "MeanAbsoluteError",
    "MeanAbsolutePercentageError", "MeanSquaredError", "MeanSquaredLogarithmicError",
    "Poisson", "SparseCategoricalCrossentropy", "SquaredHinge",
]

_AUTO = ReductionV2.AUTO


class Loss:
    """The base of Keras losses: subclasses implement ``call(y_true, y_pred)`` (one value
    per sample); calling the object weights and reduces them."""

    def __init__(self, reduction: str = _AUTO, name: str | None = None) -> None:
        ReductionV2.validate(reduction)
        self.reduction = reduction
        self.name = name
        self._allow_sum_over_batch_size = False
        self._set_name_scope()

    def _set_name_scope(self) -> None:
        if self.name is None:
            self._name_scope = type(self).__name__.strip("_")
        elif self.name == "<lambda>":
            self._name_scope = "lambda"
        else:
            self._name_scope = self.name.strip("_")

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Any:
        with tf.name_scope(self._name_scope):
            losses = self.call(y_true, y_pred)
            in_mask = losses_utils.get_mask(y_pred)
            out_mask = losses_utils.get_mask(losses)
            if in_mask is not None and out_mask is not None:
                mask = tf.logical_and(in_mask, out_mask)
            else:
                mask = in_mask if in_mask is not None else out_mask
            reduction = self._get_reduction()
            sample_weight = losses_utils.apply_valid_mask(losses, sample_weight, mask,
                                                          reduction)
            return losses_utils.compute_weighted_loss(losses, sample_weight,
                                                      reduction=reduction)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Loss:
        return cls(**config)

    def get_config(self) -> dict[str, Any]:
        return {"reduction": self.reduction, "name": self.name}

    def call(self, y_true: Any, y_pred: Any) -> Any:
        raise NotImplementedError("Must be implemented in subclasses.")

    def _get_reduction(self) -> str:
        return ReductionV2.SUM_OVER_BATCH_SIZE if self.reduction == _AUTO else self.reduction


def _is_tensor(x: Any) -> bool:
    return isinstance(x, (tf.Tensor, tf.Variable))


class LossFunctionWrapper(Loss):
    """A loss function ``fn(y_true, y_pred, **kwargs)`` as a Loss."""

    def __init__(self, fn: Callable[..., Any], reduction: str = _AUTO,
                 name: str | None = None, **kwargs: Any) -> None:
        super().__init__(reduction=reduction, name=name)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true: Any, y_pred: Any) -> Any:
        if _is_tensor(y_pred) and _is_tensor(y_true):
            y_pred, y_true = losses_utils.squeeze_or_expand_dimensions(y_pred, y_true)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict[str, Any]:
        config = dict(self._fn_kwargs)
        config["fn"] = _registered_name(self.fn)
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Loss:
        config = dict(config)
        fn_name = config.pop("fn", None)
        if fn_name and cls is LossFunctionWrapper:
            config["fn"] = getattr(F, fn_name, None) or getattr(F, "_" + fn_name)
        return cls(**config)


def _registered_name(fn: Any) -> str:
    name = getattr(fn, "__name__", type(fn).__name__)
    return re.sub(r"^_", "", name)


def _wrapper(fn: Callable[..., Any], default_name: str,
             params: tuple[tuple[str, Any], ...] = ()) -> type[LossFunctionWrapper]:
    """A LossFunctionWrapper subclass whose __init__ takes ``params`` (with their defaults)
    before ``reduction`` and ``name``, as each tf_keras class spells its own."""

    def __init__(self: LossFunctionWrapper, *args: Any, **kwargs: Any) -> None:
        names = [p for p, _ in params] + ["reduction", "name"]
        if len(args) > len(names):
            raise TypeError(f"__init__() takes from 1 to {len(names) + 1} positional "
                            f"arguments but {len(args) + 1} were given")
        values: dict[str, Any] = dict(params)
        values.update({"reduction": _AUTO, "name": default_name})
        for k, a in zip(names, args, strict=False):
            values[k] = a
        for k, a in kwargs.items():
            if k not in values:
                raise TypeError(f"__init__() got an unexpected keyword argument '{k}'")
            values[k] = a
        reduction, name = values.pop("reduction"), values.pop("name")
        LossFunctionWrapper.__init__(self, fn, reduction=reduction, name=name, **values)
        for k in ("from_logits", "apply_class_balancing", "alpha", "gamma"):
            if k in values:
                setattr(self, k, values[k])

    return type("_Wrapper", (LossFunctionWrapper,), {"__init__": __init__})


def _named(cls: type[LossFunctionWrapper], name: str, doc: str) -> Any:
    out = type(name, (cls,), {"__doc__": doc, "__module__": __name__})
    return out


_XENT = (("from_logits", False), ("label_smoothing", 0.0), ("axis", -1))

MeanSquaredError = _named(_wrapper(F.mean_squared_error, "mean_squared_error"),
                          "MeanSquaredError", "mean((y_true - y_pred)^2, axis=-1).")
MeanAbsoluteError = _named(_wrapper(F.mean_absolute_error, "mean_absolute_error"),
                           "MeanAbsoluteError", "mean(|y_true - y_pred|, axis=-1).")
MeanAbsolutePercentageError = _named(
    _wrapper(F.mean_absolute_percentage_error, "mean_absolute_percentage_error"),
    "MeanAbsolutePercentageError", "100 * mean(|(y_true - y_pred) / y_true|, axis=-1).")
MeanSquaredLogarithmicError = _named(
    _wrapper(F.mean_squared_logarithmic_error, "mean_squared_logarithmic_error"),
    "MeanSquaredLogarithmicError", "mean((log(y_true + 1) - log(y_pred + 1))^2, axis=-1).")
BinaryCrossentropy = _named(_wrapper(F.binary_crossentropy, "binary_crossentropy", _XENT),
                            "BinaryCrossentropy", "The binary crossentropy of each sample.")
BinaryFocalCrossentropy = _named(_wrapper(
    F.binary_focal_crossentropy, "binary_focal_crossentropy",
    (("apply_class_balancing", False), ("alpha", 0.25), ("gamma", 2.0), *_XENT)),
    "BinaryFocalCrossentropy", "The binary focal crossentropy of each sample.")
CategoricalCrossentropy = _named(
    _wrapper(F.categorical_crossentropy, "categorical_crossentropy", _XENT),
    "CategoricalCrossentropy", "The categorical crossentropy of each sample.")
CategoricalFocalCrossentropy = _named(_wrapper(
    F.categorical_focal_crossentropy, "categorical_focal_crossentropy",
    (("alpha", 0.25), ("gamma", 2.0), *_XENT)),
    "CategoricalFocalCrossentropy", "The categorical focal crossentropy of each sample.")
SparseCategoricalCrossentropy = _named(_wrapper(
    F.sparse_categorical_crossentropy, "sparse_categorical_crossentropy",
    (("from_logits", False), ("ignore_class", None))),
    "SparseCategoricalCrossentropy", "The crossentropy of integer labels.")
CosineSimilarity = _named(_wrapper(F.cosine_similarity, "cosine_similarity", (("axis", -1),)),
                          "CosineSimilarity", "-sum(l2_norm(y_true) * l2_norm(y_pred)).")
Hinge = _named(_wrapper(F.hinge, "hinge"), "Hinge", "mean(max(1 - y_true * y_pred, 0)).")
SquaredHinge = _named(_wrapper(F.squared_hinge, "squared_hinge"), "SquaredHinge",
                      "mean(max(1 - y_true * y_pred, 0)^2).")
CategoricalHinge = _named(_wrapper(F.categorical_hinge, "categorical_hinge"),
                          "CategoricalHinge", "max(neg - pos + 1, 0).")
Poisson = _named(_wrapper(F.poisson, "poisson"), "Poisson",
                 "mean(y_pred - y_true * log(y_pred)).")
LogCosh = _named(_wrapper(F.log_cosh, "log_cosh"), "LogCosh", "mean(log(cosh(error))).")
KLDivergence = _named(_wrapper(F.kl_divergence, "kl_divergence"), "KLDivergence",
                      "sum(y_true * log(y_true / y_pred)).")
Huber = _named(_wrapper(F._huber, "huber_loss", (("delta", 1.0),)), "Huber",
               "The Huber loss of each sample.")
