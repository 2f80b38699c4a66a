"""``tf.keras.optimizers.schedules`` (tf_keras' learning_rate_schedule.py): a schedule is
called with the step and builds the decayed rate under its name scope
(``ExponentialDecay/...``); an optimizer given one calls it with its ``iterations``."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from varstore.keras import _tf as tf
from varstore.util import nest

__all__ = ["CosineDecay", "ExponentialDecay", "InverseTimeDecay", "LearningRateSchedule",
           "PiecewiseConstantDecay", "PolynomialDecay", "deserialize", "serialize"]


class LearningRateSchedule:
    """The base: ``__call__(step)`` gives the rate, ``get_config()`` the arguments."""

    name: str | None = None

    def __call__(self, step: Any) -> Any:
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must "
                                  "override `__call__(self, step)`.")

    def get_config(self) -> dict[str, Any]:
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must "
                                  "override `get_config()` in order to be serializable.")

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LearningRateSchedule:
        return cls(**config)


class _StepDecay(LearningRateSchedule):
    def __init__(self, initial_learning_rate: Any, decay_steps: Any, decay_rate: Any,
                 staircase: bool = False, name: str | None = None) -> None:
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def _p(self, step: Any) -> tuple[Any, Any, Any]:
        lr0 = tf.convert_to_tensor(self.initial_learning_rate, name="initial_learning_rate")
        dtype = lr0.dtype
        decay_steps = tf.cast(self.decay_steps, dtype)
        decay_rate = tf.cast(self.decay_rate, dtype)
        p = tf.cast(step, dtype) / decay_steps
        if self.staircase:
            p = tf.floor(p)
        return lr0, decay_rate, p

    def get_config(self) -> dict[str, Any]:
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class ExponentialDecay(_StepDecay):
    """``lr0 * decay_rate ^ (step / decay_steps)`` (the exponent floored with staircase)."""

    def __call__(self, step: Any) -> Any:
        with tf.name_scope(self.name or "ExponentialDecay") as name:
            lr0, decay_rate, p = self._p(step)
            return tf.multiply(lr0, tf.pow(decay_rate, p), name=name)


class InverseTimeDecay(_StepDecay):
    """``lr0 / (1 + decay_rate * step / decay_steps)``."""

    def __call__(self, step: Any) -> Any:
        with tf.name_scope(self.name or "InverseTimeDecay") as name:
            lr0, decay_rate, p = self._p(step)
            const = tf.cast(tf.constant(1), lr0.dtype)
            denom = tf.add(const, tf.multiply(decay_rate, p))
            return tf.divide(lr0, denom, name=name)


class PolynomialDecay(LearningRateSchedule):
    """From ``lr0`` to ``end_learning_rate`` over ``decay_steps`` by ``(1 - p) ^ power``."""

    def __init__(self, initial_learning_rate: Any, decay_steps: Any,
                 end_learning_rate: Any = 0.0001, power: Any = 1.0, cycle: bool = False,
                 name: str | None = None) -> None:
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step: Any) -> Any:
        with tf.name_scope(self.name or "PolynomialDecay") as name:
            lr0 = tf.convert_to_tensor(self.initial_learning_rate, name="initial_learning_rate")
            dtype = lr0.dtype
            end_lr = tf.cast(self.end_learning_rate, dtype)
            power = tf.cast(self.power, dtype)
            step_t = tf.cast(step, dtype)
            decay_steps = tf.cast(self.decay_steps, dtype)
            if self.cycle:
                multiplier = tf.where_v2(tf.equal(step_t, 0), 1.0,
                                         tf.ceil(step_t / self.decay_steps))
                decay_steps = tf.multiply(decay_steps, multiplier)
            else:
                step_t = tf.minimum(step_t, decay_steps)
            p = tf.divide(step_t, decay_steps)
            return tf.add(tf.multiply(lr0 - end_lr, tf.pow(1 - p, power)), end_lr, name=name)

    def get_config(self) -> dict[str, Any]:
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "end_learning_rate": self.end_learning_rate,
                "power": self.power, "cycle": self.cycle, "name": self.name}


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[i]`` while ``boundaries[i-1] < step <= boundaries[i]`` (a tf.case)."""

    def __init__(self, boundaries: Any, values: Any, name: str | None = None) -> None:
        if len(boundaries) != len(values) - 1:
            raise ValueError("The length of boundaries should be 1 less than the length of "
                             f"values. Received: boundaries={boundaries} of length "
                             f"{len(boundaries)}, and values={values} of length "
                             f"{len(values)}.")
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step: Any) -> Any:
        with tf.name_scope(self.name or "PiecewiseConstant"):
            boundaries = [tf.convert_to_tensor(b) for b in nest.flatten(self.boundaries)]
            values = [tf.convert_to_tensor(v) for v in nest.flatten(self.values)]
            x = tf.convert_to_tensor(step)
            for i, b in enumerate(boundaries):
                if b.dtype.base_dtype != x.dtype.base_dtype:
                    boundaries[i] = tf.cast(b, x.dtype.base_dtype)
            def const(v: Any) -> Callable[[], Any]:
                return lambda: v

            pairs = [(x <= boundaries[0], const(values[0])),
                     (x > boundaries[-1], const(values[-1]))]
            for low, high, v in zip(boundaries[:-1], boundaries[1:], values[1:-1],
                                    strict=False):
                pairs.append(((x > low) & (x <= high), const(v)))
            return tf.case(pairs, lambda: values[0], exclusive=True)

    def get_config(self) -> dict[str, Any]:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class CosineDecay(LearningRateSchedule):
    """``lr0 * ((1 - alpha) * 0.5 * (1 + cos(pi * step / decay_steps)) + alpha)``; with a
    warmup target, a linear warmup over ``warmup_steps`` first."""

    def __init__(self, initial_learning_rate: Any, decay_steps: Any, alpha: Any = 0.0,
                 name: str | None = None, warmup_target: Any = None,
                 warmup_steps: Any = 0) -> None:
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target

    def _decay(self, step: Any, decay_steps: Any, decay_from_lr: Any, dtype: Any) -> Any:
        with tf.name_scope(self.name or "CosineDecay"):
            completed_fraction = step / decay_steps
            tf_pi = tf.constant(math.pi, dtype=dtype)
            cosine_decayed = 0.5 * (1.0 + tf.cos(tf_pi * completed_fraction))
            decayed = (1 - self.alpha) * cosine_decayed + self.alpha
            return tf.multiply(decay_from_lr, decayed)

    def _warmup(self, step: Any, warmup_steps: Any, warmup_target: Any, lr0: Any) -> Any:
        with tf.name_scope(self.name or "CosineDecay"):
            return (warmup_target - lr0) * (step / warmup_steps) + lr0

    def __call__(self, step: Any) -> Any:
        with tf.name_scope(self.name or "CosineDecay"):
            lr0 = tf.convert_to_tensor(self.initial_learning_rate, name="initial_learning_rate")
            dtype = lr0.dtype
            decay_steps = tf.cast(self.decay_steps, dtype)
            step_t = tf.cast(step, dtype)
            if self.warmup_target is None:
                step_t = tf.minimum(step_t, decay_steps)
                return self._decay(step_t, decay_steps, lr0, dtype)
            warmup_target = tf.cast(self.warmup_target, dtype)
            warmup_steps = tf.cast(self.warmup_steps, dtype)
            step_t = tf.minimum(step_t, decay_steps + warmup_steps)
            return tf.cond(step_t < warmup_steps,
                           lambda: self._warmup(step_t, warmup_steps, warmup_target, lr0),
                           lambda: self._decay(step_t - warmup_steps, decay_steps,
                                               warmup_target, dtype))

    def get_config(self) -> dict[str, Any]:
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha, "name": self.name,
                "warmup_target": self.warmup_target, "warmup_steps": self.warmup_steps}


_CLASSES: dict[str, type[LearningRateSchedule]] = {
    c.__name__: c for c in (ExponentialDecay, InverseTimeDecay, PolynomialDecay,
                            PiecewiseConstantDecay, CosineDecay)}


def serialize(learning_rate_schedule: LearningRateSchedule,
              use_legacy_format: bool = False) -> dict[str, Any]:
    config = learning_rate_schedule.get_config()
    name = type(learning_rate_schedule).__name__
    if use_legacy_format:
        return {"class_name": name, "config": config}
    return {"module": "keras.optimizers.schedules", "class_name": name, "config": config,
            "registered_name": None}


def deserialize(config: dict[str, Any], custom_objects: Any = None,
                use_legacy_format: bool = False) -> LearningRateSchedule:
    del use_legacy_format
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _CLASSES.get(name)
    if cls is None:
        raise ValueError(f"Unknown decay function: '{name}'. Please ensure you are using a "
                         "`keras.utils.custom_object_scope` and that this object is included "
                         "in the scope. See https://www.tensorflow.org/guide/keras/"
                         "save_and_serialize#registering_the_custom_object for details.")
    return cls.from_config(dict(config.get("config") or {}))


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.keras.optimizers.schedules' has no attribute "
                         f"{name!r}: varstore lacks tf.keras.optimizers.schedules.{name}")
