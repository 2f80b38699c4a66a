"""KL divergences between distributions, looked up by class (TF's kullback_leibler.py): the
registered pair nearest both classes' method resolution orders wins."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from varstore.distributions._tf import tf

__all__ = ["RegisterKL", "cross_entropy", "kl_divergence"]

_DIVERGENCES: dict[tuple[type, type], Callable[..., Any]] = {}


def _registered_kl(type_a: type, type_b: type) -> Callable[..., Any] | None:
    dist_to_children: int | None = None
    kl_fn = None
    for mro_to_a, parent_a in enumerate(type_a.__mro__):
        for mro_to_b, parent_b in enumerate(type_b.__mro__):
            candidate_dist = mro_to_a + mro_to_b
            candidate_kl_fn = _DIVERGENCES.get((parent_a, parent_b))
            if not kl_fn or (candidate_kl_fn and dist_to_children is not None
                             and candidate_dist < dist_to_children):
                dist_to_children = candidate_dist
                kl_fn = candidate_kl_fn
    return kl_fn


def kl_divergence(distribution_a: Any, distribution_b: Any, allow_nan_stats: bool = True,
                  name: str | None = None) -> Any:
    """``tf.distributions.kl_divergence``: the registered KL in scope ``KullbackLeibler``;
    with ``allow_nan_stats=False`` behind an Assert that no value is NaN."""
    kl_fn = _registered_kl(type(distribution_a), type(distribution_b))
    if kl_fn is None:
        raise NotImplementedError(
            "No KL(distribution_a || distribution_b) registered for distribution_a type "
            f"{type(distribution_a).__name__} and distribution_b type "
            f"{type(distribution_b).__name__}")
    with tf.name_scope("KullbackLeibler"):
        kl_t = kl_fn(distribution_a, distribution_b, name=name)
        if allow_nan_stats:
            return kl_t
        kl_t = tf.identity(kl_t, name="kl")
        with tf.control_dependencies([tf.Assert(
                tf.logical_not(tf.reduce_any(tf.is_nan(kl_t))),
                [(f"KL calculation between {distribution_a.name} and {distribution_b.name} "
                  "returned NaN values (and was called with allow_nan_stats=False). Values:"),
                 kl_t])]):
            return tf.identity(kl_t, name="checked_kl")


def cross_entropy(ref: Any, other: Any, allow_nan_stats: bool = True,
                  name: str | None = None) -> Any:
    """H[ref, other] = entropy(ref) + KL(ref || other)."""
    with tf.name_scope(name, "cross_entropy"):
        return ref.entropy() + kl_divergence(ref, other, allow_nan_stats=allow_nan_stats)


class RegisterKL:
    """``tf.distributions.RegisterKL(cls_a, cls_b)``: a decorator registering
    ``kl_fn(a, b, name=None)``; a pair registers once."""

    def __init__(self, dist_cls_a: type, dist_cls_b: type) -> None:
        self._key = (dist_cls_a, dist_cls_b)

    def __call__(self, kl_fn: Callable[..., Any]) -> Callable[..., Any]:
        if not callable(kl_fn):
            raise TypeError(f"kl_fn must be callable, received: {kl_fn}")
        if self._key in _DIVERGENCES:
            raise ValueError(f"KL({self._key[0].__name__} || {self._key[1].__name__}) has "
                             f"already been registered to: {_DIVERGENCES[self._key]}")
        _DIVERGENCES[self._key] = kl_fn
        return kl_fn
