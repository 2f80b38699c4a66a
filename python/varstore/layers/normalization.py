"""``tf.layers.BatchNormalization`` and ``batch_normalization`` (tf-keras'
``legacy_tf_layers/normalization.py`` over ``batch_normalization_v1``).

Variables ``gamma``, ``beta`` (trainable), ``moving_mean``, ``moving_variance`` (global only).
A 4-D input with the channel on axis 1 or 3 takes TF's fused path (output
``<scope>/FusedBatchNormV3``; the moving variance is updated with the n/(n-1)-corrected batch
variance, as the fused kernel returns it); other inputs the composed one (output
``<scope>/batchnorm/add_1``; the biased variance). In training each moving statistic gets
``var -= (var - value) * (1 - momentum)`` (``AssignMovingAvg``, ``AssignMovingAvg_1``), added
to UPDATE_OPS. A ``training`` tensor builds conds: the fused path updates with momentum 1
(no change) when it is false, the composed path selects the update or the old value.
"""

from __future__ import annotations

from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant, constant_value, convert_to_tensor
from varstore.framework.graph import get_default_graph
from varstore.framework.ops import Tensor
from varstore.layers.base import InputSpec, Layer, SharedLayer, apply_once, static_shape
from varstore.layers.utils import axis_arg, validate_axis
from varstore.ops import array_ops, control_flow_ops, math_unary_ops, nn_impl, state_ops
from varstore.ops import init_ops as initializers

__all__ = ["BatchNormalization", "batch_normalization"]


def _training_value(training: Any) -> bool | None:
    """A Python or constant ``training`` as a bool; None for a tensor fed at run time."""
    if isinstance(training, Tensor):
        v = constant_value(training)
        return None if v is None else bool(v)
    return bool(training)


def _assign_moving_average(variable: Any, value: Any, momentum: Any) -> Any:
    """tf-keras' BatchNormalization._assign_moving_average: under ``AssignMovingAvg``,
    ``assign_sub(variable, (variable - value) * (1 - momentum))`` (an unnamed
    AssignSubVariableOp, as TF's assign_sub of a resource variable drops the name)."""
    with get_default_graph().name_scope("AssignMovingAvg"):
        decay = convert_to_tensor(1.0 - momentum, name="decay")
        dt = variable.dtype.base_dtype
        if decay.dtype != dt:
            decay = math_unary_ops.cast(decay, dt)
        if value.dtype != dt:
            value = math_unary_ops.cast(value, dt)
        # the operators, as TF's: the variable read (ReadVariableOp) before ``sub``
        delta = (variable - value) * decay
        return state_ops.assign_sub(variable, delta)


class BatchNormalizationBase(SharedLayer):
    """tf-keras' BatchNormalizationBase (batch_normalization_v1) as a mixin placed before
    each side's Layer base (tf.layers' BatchNormalization subclasses the Keras one in TF):
    the argument rules, the weights and both graphs. Each side resolves its initializers,
    regularizers and constraints, and names itself in ``_api``."""

    _api: str  # "tf.layers" or "tf.keras.layers", for the features varstore lacks
    axis: Any
    beta_initializer: Any
    gamma_initializer: Any
    moving_mean_initializer: Any
    moving_variance_initializer: Any
    beta_regularizer: Any
    gamma_regularizer: Any
    beta_constraint: Any
    gamma_constraint: Any

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def _bn_args(self, axis: Any, momentum: float, epsilon: float, center: bool,
                 scale: bool, renorm: bool, virtual_batch_size: int | None, adjustment: Any,
                 fused: bool | None) -> None:
        self.axis = axis_arg(axis)
        for arg, value in (("renorm", renorm), ("virtual_batch_size", virtual_batch_size),
                           ("adjustment", adjustment)):
            if value:
                raise NotImplementedError(f"varstore lacks {self._api}.BatchNormalization("
                                          f"{arg}={value!r})")
        self.momentum = momentum
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        # TF1 behaviour (batch_normalization_v1): fused unless the input rules it out.
        self.fused: bool | None = True if fused is None else fused
        self._data_format = ""
        self.gamma: Any = None
        self.beta: Any = None
        self.moving_mean: Any = None
        self.moving_variance: Any = None

    def _param_dtype(self) -> Any:
        if self._dtype is _dtypes.float16:
            return _dtypes.float32
        return self._dtype or _dtypes.float32

    def build(self, input_shape: Any) -> None:
        # Keras passes a TensorShape, tf.layers a tuple (None for an unknown rank)
        if hasattr(input_shape, "ndims"):
            input_shape = None if input_shape.ndims is None else input_shape.as_list()
        shape = None if input_shape is None else tuple(input_shape)
        self.axis = validate_axis(self.axis, shape)
        assert shape is not None
        rank = len(shape)
        if self.fused:
            fusable = (len(self.axis) == 1 and self.axis[0] in (-4, -3, -1, 1, 3, 4)
                       and self._dtype in (_dtypes.float16, _dtypes.float32, None))
            self.fused = rank in (4, 5) and fusable
        if self.fused:
            if rank == 5:
                raise NotImplementedError("varstore's tf.layers.BatchNormalization has no "
                                          "fused path for 5-D inputs; pass fused=False")
            if self.axis == [1]:
                self._data_format = "NCHW"
            elif self.axis == [3]:
                self._data_format = "NHWC"
            else:
                raise ValueError("Unsupported axis. The use of `fused=True` is only possible "
                                 "with `axis=1` or `axis=3` for 4D input tensors. Received: "
                                 f"axis={tuple(self.axis)}")
        axis_to_dim = {a: shape[a] for a in self.axis}
        if any(d is None for d in axis_to_dim.values()):
            raise ValueError(f"Input has undefined `axis` dimension. Received input with "
                             f"shape {shape} and axis={tuple(self.axis)}")
        self.input_spec = self._spec(ndim=rank, axes={a: int(d)
                                                      for a, d in axis_to_dim.items()})
        if len(axis_to_dim) == 1:
            param_shape: list[int] = [int(next(iter(axis_to_dim.values())))]
        else:
            param_shape = [int(axis_to_dim[i]) if i in axis_to_dim else 1
                           for i in range(rank)]
        self._param_shape = param_shape
        dt = self._param_dtype()
        if self.scale:
            self.gamma = self.add_weight("gamma", param_shape, dtype=dt,
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, trainable=True)
        if self.center:
            self.beta = self.add_weight("beta", param_shape, dtype=dt,
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, trainable=True)
        self.moving_mean = self.add_weight("moving_mean", param_shape, dtype=dt,
                                           initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight("moving_variance", param_shape, dtype=dt,
                                               initializer=self.moving_variance_initializer,
                                               trainable=False)
        self.built = True

    def _fused(self, x: Tensor, training: Any) -> Any:
        dt = self._param_dtype()
        beta = self.beta if self.center else constant(0.0, dtype=dt, shape=self._param_shape)
        gamma = self.gamma if self.scale else constant(1.0, dtype=dt, shape=self._param_shape)

        def bessel(variance: Any, remove: bool) -> Any:
            # TF's _maybe_add_or_remove_bessels_correction: only its legacy tests turn the
            # correction of the fused kernel's variance off (_bessels_correction_test_only)
            if getattr(self, "_bessels_correction_test_only", True):
                return variance
            n = math_unary_ops.cast(array_ops.size(x) / array_ops.size(variance),
                                    variance.dtype)
            one = math_unary_ops.cast(1.0, variance.dtype)
            return variance * ((n - one) / n if remove else n / (n - one))

        def run(is_training: bool) -> Any:
            var = bessel(self.moving_variance, False) if is_training else self.moving_variance
            return nn_impl.fused_batch_norm(x, gamma, beta, mean=self.moving_mean,
                                            variance=var,
                                            epsilon=self.epsilon, is_training=is_training,
                                            data_format=self._data_format,
                                            name="FusedBatchNormV3")

        output, mean, variance = control_flow_ops.smart_cond(
            training, lambda: run(True), lambda: run(False))
        variance = bessel(variance, True)
        value = _training_value(training)
        if value or value is None:
            if value is None:
                momentum: Any = control_flow_ops.smart_cond(
                    training, lambda: constant(self.momentum),
                    lambda: constant(1.0))
            else:
                momentum = convert_to_tensor(self.momentum)
            self.add_update(_assign_moving_average(self.moving_mean, mean, momentum))
            self.add_update(_assign_moving_average(self.moving_variance, variance, momentum))
        return output

    def _composed(self, x: Tensor, training: Any) -> Any:
        shape = static_shape(x)
        assert shape is not None
        ndims = len(shape)
        reduction_axes = [i for i in range(ndims) if i not in self.axis]
        broadcast_shape = [1] * ndims
        broadcast_shape[self.axis[0]] = shape[self.axis[0]]

        def broadcast(v: Any) -> Any:
            if v is not None and len(v.shape) != ndims and \
                    reduction_axes != list(range(ndims - 1)):
                return array_ops.reshape(v, broadcast_shape)
            return v

        scale, offset = broadcast(self.gamma), broadcast(self.beta)
        value = _training_value(training)
        if value is False:
            mean: Any = self.moving_mean
            variance: Any = self.moving_variance
        else:
            batch_mean, batch_var = nn_impl.moments(
                math_unary_ops.cast(x, self._param_dtype())
                if x.dtype != self._param_dtype() else x,
                reduction_axes, keep_dims=len(self.axis) > 1)
            moving_mean, moving_variance = self.moving_mean, self.moving_variance
            mean = control_flow_ops.smart_cond(
                training, lambda: batch_mean, lambda: convert_to_tensor(moving_mean))
            variance = control_flow_ops.smart_cond(
                training, lambda: batch_var, lambda: convert_to_tensor(moving_variance))
            new_mean, new_variance = mean, variance
            self.add_update(control_flow_ops.smart_cond(
                training,
                lambda: _assign_moving_average(moving_mean, new_mean, self.momentum),
                lambda: convert_to_tensor(moving_mean)))
            self.add_update(control_flow_ops.smart_cond(
                training,
                lambda: _assign_moving_average(moving_variance, new_variance, self.momentum),
                lambda: convert_to_tensor(moving_variance)))
        return nn_impl.batch_normalization(x, broadcast(mean), broadcast(variance), offset,
                                           scale, self.epsilon)


class BatchNormalization(BatchNormalizationBase, Layer):
    """Normalises over every axis but ``axis`` with the batch's statistics (training) or
    the moving ones (inference), then scales by ``gamma`` and shifts by ``beta``."""

    _api = "tf.layers"
    _spec = InputSpec

    def __init__(self, axis: Any = -1, momentum: float = 0.99, epsilon: float = 1e-3,
                 center: bool = True, scale: bool = True, beta_initializer: Any = None,
                 gamma_initializer: Any = None, moving_mean_initializer: Any = None,
                 moving_variance_initializer: Any = None, beta_regularizer: Any = None,
                 gamma_regularizer: Any = None, beta_constraint: Any = None,
                 gamma_constraint: Any = None, renorm: bool = False,
                 renorm_clipping: Any = None, renorm_momentum: float = 0.99,
                 fused: bool | None = None, trainable: bool = True,
                 virtual_batch_size: int | None = None, adjustment: Any = None,
                 name: str | None = None, **kwargs: Any) -> None:
        super().__init__(trainable=trainable, name=name, **kwargs)
        self._bn_args(axis, momentum, epsilon, center, scale, renorm, virtual_batch_size,
                      adjustment, fused)
        self.beta_initializer = beta_initializer or initializers.zeros_initializer()
        self.gamma_initializer = gamma_initializer or initializers.ones_initializer()
        self.moving_mean_initializer = (moving_mean_initializer
                                        or initializers.zeros_initializer())
        self.moving_variance_initializer = (moving_variance_initializer
                                            or initializers.ones_initializer())
        self.beta_regularizer = beta_regularizer
        self.gamma_regularizer = gamma_regularizer
        self.beta_constraint = beta_constraint
        self.gamma_constraint = gamma_constraint

    def call(self, inputs: Any, training: Any = False) -> Any:
        x = convert_to_tensor(inputs)
        if self.fused:
            return self._fused(x, training)
        return self._composed(x, training)


def batch_normalization(inputs: Any, axis: Any = -1, momentum: float = 0.99,
                        epsilon: float = 1e-3, center: bool = True, scale: bool = True,
                        beta_initializer: Any = None, gamma_initializer: Any = None,
                        moving_mean_initializer: Any = None,
                        moving_variance_initializer: Any = None, beta_regularizer: Any = None,
                        gamma_regularizer: Any = None, beta_constraint: Any = None,
                        gamma_constraint: Any = None, training: Any = False,
                        trainable: bool = True, name: str | None = None, reuse: Any = None,
                        renorm: bool = False, renorm_clipping: Any = None,
                        renorm_momentum: float = 0.99, fused: bool | None = None,
                        virtual_batch_size: int | None = None, adjustment: Any = None) -> Any:
    """``tf.layers.batch_normalization``; the moving-statistic updates go to UPDATE_OPS
    (run them with the train op: ``tf.control_dependencies(tf.get_collection(
    tf.GraphKeys.UPDATE_OPS))``)."""
    return apply_once(BatchNormalization, locals())
