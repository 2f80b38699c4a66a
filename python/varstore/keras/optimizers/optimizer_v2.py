"""tf_keras' legacy OptimizerV2 (what ``tf.keras.optimizers.X`` is in the v1 namespace), in
graph mode.

``minimize(loss_fn, var_list)`` records ``loss_fn()`` on a GradientTape and takes its
gradients under ``<name>/gradients``; ``apply_gradients`` then, under ``<name>/``, creates
the weights once (``iter``, the hyper-parameters in name order, the slots
``<name>/<var>/<slot>``), prepares the coefficients (``Identity`` of each hyper), passes
the gradients through the all-reduce identities, builds one ResourceApply op per variable
under ``<name>/<name>/update_<var>/`` and returns ``iterations.assign_add(1)`` run after
them all (``<name>/<name>/AssignAddVariableOp``).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from varstore.keras import _tf as tf
from varstore.keras import backend
from varstore.keras.optimizers import schedules
from varstore.util import nest

__all__ = ["OptimizerV2"]

_ALLOWED_KWARGS = {"clipnorm", "clipvalue", "lr", "decay", "global_clipnorm"}


def _filter_empty_gradients(grads_and_vars: Any) -> tuple[tuple[Any, Any], ...]:
    grads_and_vars = tuple(grads_and_vars)
    if not grads_and_vars:
        return ()
    filtered = tuple((g, v) for g, v in grads_and_vars if g is not None)
    if not filtered:
        variable = ([v.name for _, v in grads_and_vars],)
        raise ValueError(f"No gradients provided for any variable: {variable}. Provided "
                         f"`grads_and_vars` is {grads_and_vars}.")
    missing = [v.name for g, v in grads_and_vars if g is None]
    if missing:
        warnings.warn(f"Gradients do not exist for variables {missing} when minimizing the "
                      "loss. If you're using `model.compile()`, did you forget to provide a "
                      "`loss` argument?", stacklevel=3)
    return filtered


class OptimizerV2:
    """The base of the Keras optimizers: hyper-parameters become variables on first use,
    slots are made per variable, subclasses build the update of one variable."""

    def __init__(self, name: str, gradient_aggregator: Any = None,
                 gradient_transformers: Any = None, **kwargs: Any) -> None:
        for k, value in kwargs.items():
            if k not in _ALLOWED_KWARGS:
                raise TypeError(f"Unexpected keyword argument passed to optimizer: {k!s}. "
                                f"Allowed kwargs are {_ALLOWED_KWARGS}.")
            if value is not None and value < 0:
                raise ValueError(f"Expected {k} >= 0, received: {value}")
            if k == "lr":
                warnings.warn("The `lr` argument is deprecated, use `learning_rate` instead.",
                              stacklevel=3)
        for k in ("clipnorm", "clipvalue", "global_clipnorm"):
            if kwargs.get(k) is not None:
                raise NotImplementedError(f"varstore lacks the `{k}` argument of "
                                          "tf.keras.optimizers")
        if gradient_aggregator is not None or gradient_transformers:
            raise NotImplementedError("varstore lacks the gradient_aggregator and "
                                      "gradient_transformers of tf.keras.optimizers")
        self._use_locking = True
        self._name = name
        self._hyper: dict[str, Any] = {}
        self._slots: dict[Any, dict[str, Any]] = {}
        self._slot_names: list[str] = []
        self._weights: list[Any] = []
        self._iterations: Any = None
        decay = kwargs.pop("decay", 0.0)
        if decay < 0.0:
            raise ValueError(f"decay cannot be less than 0. Received: decay={decay}.")
        self._initial_decay = decay
        self._hypers_created = False
        self.clipnorm = self.clipvalue = self.global_clipnorm = None

    # -- hyper-parameters ----------------------------------------------------------------------
    def _set_hyper(self, name: str, value: Any) -> None:
        if name not in self._hyper or not isinstance(self._hyper[name], tf.Variable):
            self._hyper[name] = value
        else:
            self._hyper[name].load(value, tf.get_default_session())

    def _get_hyper(self, name: str, dtype: Any = None) -> Any:
        if not self._hypers_created:
            self._create_hypers()
        value = self._hyper[name]
        if isinstance(value, schedules.LearningRateSchedule):
            return value
        if callable(value) and not isinstance(value, tf.Variable):
            value = value()
        if dtype and isinstance(value, tf.Variable) and value.dtype.base_dtype == tf.as_dtype(
                dtype):
            return value  # TF's cast returns a variable of that dtype unchanged
        return tf.cast(value, dtype) if dtype else value

    def __getattr__(self, name: str) -> Any:
        # only reached when normal lookup fails: the hyper-parameters read as attributes
        if name == "_hyper":
            raise AttributeError(name)
        if name == "lr":
            name = "learning_rate"
        if name in self.__dict__.get("_hyper", {}):
            return self._get_hyper(name)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "lr":
            name = "learning_rate"
        if "_hyper" in self.__dict__ and name in self._hyper:
            self._set_hyper(name, value)
        else:
            super().__setattr__(name, value)

    def add_weight(self, name: str, shape: Any, dtype: Any = None, initializer: Any = "zeros",
                   trainable: bool | None = None) -> Any:
        """A resource variable ``name`` in the current scope; a string initializer is a
        zeros/ones callable, anything else the initial value itself."""
        dtype = tf.as_dtype(tf.float32 if dtype is None else dtype)
        if initializer in ("zeros", "ones"):
            fill = tf.zeros if initializer == "zeros" else tf.ones
            initial: Any = (lambda: fill(shape, dtype))
        else:
            initial = initializer
        variable = tf.Variable(initial, name=name, dtype=dtype, trainable=bool(trainable),
                               use_resource=True)
        backend.track_variable(variable)  # (Keras' session initializes it on first use)
        return variable

    def _create_hypers(self) -> None:
        if self._hypers_created:
            return
        for name, value in sorted(self._hyper.items()):
            if isinstance(value, (tf.Tensor, tf.Variable)) or callable(value):
                continue
            self._hyper[name] = self.add_weight(name, shape=[], trainable=False,
                                                initializer=value)
        self._hypers_created = True

    @property
    def iterations(self) -> Any:
        if self._iterations is None:
            self._iterations = self.add_weight("iter", shape=[], dtype=tf.int64,
                                               trainable=False)
            self._weights.append(self._iterations)
        return self._iterations

    # -- slots ---------------------------------------------------------------------------------
    def add_slot(self, var: Any, slot_name: str, initializer: Any = "zeros") -> Any:
        """The slot ``<scope>/<var>/<slot_name>``: zeros, ones or a constant value."""
        if slot_name not in self._slot_names:
            self._slot_names.append(slot_name)
        slot_dict = self._slots.setdefault(id(var), {})
        weight = slot_dict.get(slot_name)
        if weight is None:
            dtype = var.dtype.base_dtype
            shape = var.shape
            if isinstance(initializer, (int, float)):
                # a constant_initializer(value): TF's Const of the slot's shape
                value = initializer

                def initial() -> Any:
                    return tf.constant(value, dtype=dtype, shape=shape)
            else:
                fill = tf.zeros if initializer == "zeros" else tf.ones

                def initial() -> Any:
                    return fill(shape, dtype)
            with var.graph.colocate_with(var):  # (TF's colocate_vars_with)
                weight = tf.Variable(initial, name=f"{var._shared_name}/{slot_name}",
                                     dtype=dtype, trainable=False, use_resource=True)
            backend.track_variable(weight)
            slot_dict[slot_name] = weight
            self._weights.append(weight)
        return weight

    def get_slot(self, var: Any, slot_name: str) -> Any:
        return self._slots[id(var)][slot_name]

    def get_slot_names(self) -> list[str]:
        return self._slot_names

    def _create_slots(self, var_list: list[Any]) -> None:
        del var_list

    def _create_all_weights(self, var_list: list[Any]) -> None:
        _ = self.iterations
        self._create_hypers()
        self._create_slots(var_list)

    # -- gradients -----------------------------------------------------------------------------
    def minimize(self, loss: Any, var_list: Any, grad_loss: Any = None, name: str | None = None,
                 tape: Any = None) -> Any:
        grads_and_vars = self._compute_gradients(loss, var_list=var_list, grad_loss=grad_loss,
                                                 tape=tape)
        return self.apply_gradients(grads_and_vars, name=name)

    def _compute_gradients(self, loss: Any, var_list: Any, grad_loss: Any = None,
                           tape: Any = None) -> list[tuple[Any, Any]]:
        if not callable(loss) and tape is None:
            raise ValueError("`tape` is required when a `Tensor` loss is passed. Received: "
                             f"loss={loss}, tape={tape}.")
        tape = tape if tape is not None else tf.GradientTape()
        if callable(loss):
            with tape:
                if not callable(var_list):
                    tape.watch(var_list)
                loss = loss()
                if callable(var_list):
                    var_list = var_list()
        var_list = nest.flatten(var_list)
        with tf.name_scope(self._name + "/gradients"):
            grads = tape.gradient(loss, var_list, grad_loss)
        return list(zip(grads, var_list, strict=True))

    def get_gradients(self, loss: Any, params: Any) -> list[Any]:
        params = nest.flatten(params)
        with tf.name_scope(self._name + "/gradients"):
            grads = tf.gradients(loss, params)
            for grad, param in zip(grads, params, strict=True):
                if grad is None:
                    raise ValueError(f"Variable {param} has `None` for gradient. Please make "
                                     "sure that all of your ops have a gradient defined (i.e. "
                                     "are differentiable). Common ops without gradient: "
                                     "K.argmax, K.round, K.eval.")
        return list(grads)

    def get_updates(self, loss: Any, params: Any) -> list[Any]:
        grads = self.get_gradients(loss, params)
        return [self.apply_gradients(list(zip(grads, params, strict=True)))]

    # -- the update ----------------------------------------------------------------------------
    def _prepare(self, var_list: Sequence[Any]) -> dict[Any, dict[str, Any]]:
        keys: list[tuple[str, Any]] = []
        for var in var_list:
            key = (var.device, var.dtype.base_dtype)
            if key not in keys:
                keys.append(key)
        apply_state: dict[Any, dict[str, Any]] = {}
        for var_device, var_dtype in keys:
            apply_state[(var_device, var_dtype)] = {}
            self._prepare_local(var_device, var_dtype, apply_state)
        return apply_state

    def _decayed_lr(self, var_dtype: Any) -> Any:
        lr_t = self._get_hyper("learning_rate", var_dtype)
        if isinstance(lr_t, schedules.LearningRateSchedule):
            local_step = tf.cast(self.iterations, var_dtype)
            lr_t = tf.cast(lr_t(local_step), var_dtype)
        if self._initial_decay > 0.0:
            local_step = tf.cast(self.iterations, var_dtype)
            decay_t = tf.cast(self._initial_decay, var_dtype)
            lr_t = lr_t / (1.0 + decay_t * local_step)
        return lr_t

    def _prepare_local(self, var_device: str, var_dtype: Any,
                       apply_state: dict[Any, dict[str, Any]]) -> None:
        if "learning_rate" in self._hyper:
            apply_state[(var_device, var_dtype)]["lr_t"] = tf.identity(
                self._decayed_lr(var_dtype))

    @staticmethod
    def _all_reduce_sum(grads: list[Any]) -> list[Any]:
        # the default replica context's all-reduce: an identity of each gradient inside a
        # custom gradient, whose IdentityN gives the reduced values
        ids = [tf.identity(g) for g in grads]
        return list(tf.identity_n(grads + grads))[:len(ids)]

    def apply_gradients(self, grads_and_vars: Any, name: str | None = None,
                        experimental_aggregate_gradients: bool = True) -> Any:
        grads_and_vars = _filter_empty_gradients(grads_and_vars)
        var_list = [v for _, v in grads_and_vars]
        with tf.name_scope(self._name):
            with tf.init_scope():
                self._create_all_weights(var_list)
            if not grads_and_vars:
                return tf.no_op()
            apply_state = self._prepare(var_list)
            if experimental_aggregate_gradients:
                reduced = self._all_reduce_sum([g for g, _ in grads_and_vars])
                grads_and_vars = tuple(zip(reduced, var_list, strict=True))
            return self._distributed_apply(grads_and_vars, apply_state, name)

    def _distributed_apply(self, grads_and_vars: Sequence[tuple[Any, Any]],
                           apply_state: dict[Any, dict[str, Any]], name: str | None) -> Any:
        update_ops = []
        with tf.name_scope(name or self._name):
            for grad, var in grads_and_vars:
                with tf.name_scope("update_" + var.op.name):
                    if isinstance(grad, tf.IndexedSlices):
                        raise NotImplementedError(
                            f"varstore lacks sparse gradients in tf.keras.optimizers."
                            f"{type(self).__name__}")
                    # (TF's default strategy updates a variable colocated with it)
                    with var.graph.colocate_with(var):
                        update_ops.append(self._resource_apply_dense(grad, var, apply_state))
            with tf.control_dependencies([tf.group(update_ops)]):
                # TF converts the 1 before the op's scope opens: a Const beside it
                one = tf.constant(1, dtype=self.iterations.dtype.base_dtype)
                return self.iterations.assign_add(one, read_value=False)

    def _coefficients(self, var: Any, apply_state: dict[Any, dict[str, Any]] | None
                      ) -> dict[str, Any]:
        key = (var.device, var.dtype.base_dtype)
        if apply_state and key in apply_state:
            return apply_state[key]
        fallback: dict[Any, dict[str, Any]] = {key: {}}
        self._prepare_local(key[0], key[1], fallback)
        return fallback[key]

    def _resource_apply_dense(self, grad: Any, var: Any,
                              apply_state: dict[Any, dict[str, Any]] | None = None) -> Any:
        raise NotImplementedError("Must be implemented in subclasses.")

    # -- config and weights --------------------------------------------------------------------
    def _serialize_hyperparameter(self, name: str) -> Any:
        value = self._hyper[name]
        if isinstance(value, schedules.LearningRateSchedule):
            return schedules.serialize(value)
        if isinstance(value, tf.Variable):
            sess = tf.get_default_session()
            if sess is not None:
                return sess.run(value)
            return _initial(value)
        if callable(value):
            return value()
        return value

    def get_config(self) -> dict[str, Any]:
        return {"name": self._name}

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> OptimizerV2:
        del custom_objects
        config = dict(config)
        if "lr" in config:
            config["learning_rate"] = config.pop("lr")
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = schedules.deserialize(config["learning_rate"])
        return cls(**config)

    def variables(self) -> list[Any]:
        return self._weights

    @property
    def weights(self) -> list[Any]:
        return self._weights

    def get_weights(self) -> list[Any]:
        sess = tf.get_default_session()
        if sess is None:
            raise NotImplementedError("varstore lacks tf.keras.optimizers' get_weights outside "
                                      "a default session")
        return list(sess.run(self._weights))


def _initial(var: Any) -> Any:
    """A hyper variable's initial value (no session is open to read the variable)."""
    value = tf.get_static_value(var.initial_value)
    return np.asarray(value).dtype.type(value) if value is not None else None

