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
from varstore.framework import mode
from varstore.framework.constant_op import constant, constant_value, convert_to_tensor
from varstore.framework.graph import get_default_graph
from varstore.framework.ops import Tensor
from varstore.layers.base import InputSpec, Layer, SharedLayer, apply_once, static_shape
from varstore.layers.utils import axis_arg, validate_axis
from varstore.ops import (
    array_fill_ops,
    array_ops,
    array_stack_ops,
    control_flow_ops,
    math_ops,
    math_reduce_ops,
    math_unary_ops,
    nn_impl,
    nn_ops,
    state_ops,
)
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


def _compose_transforms(scale: Any, offset: Any, then_scale: Any, then_offset: Any
                        ) -> tuple[Any, Any]:
    """The affine map ``x * scale + offset`` followed by ``* then_scale + then_offset``."""
    if then_scale is not None:
        scale = scale * then_scale
        offset = offset * then_scale
    if then_offset is not None:
        offset = offset + then_offset
    return scale, offset


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
                 scale: bool, renorm: bool, renorm_clipping: Any, renorm_momentum: float,
                 virtual_batch_size: int | None, adjustment: Any, fused: bool | None) -> None:
        self.axis = axis_arg(axis)
        self.momentum = momentum
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.renorm = renorm
        self.virtual_batch_size = virtual_batch_size
        self.adjustment = adjustment
        if renorm:
            renorm_clipping = renorm_clipping or {}
            keys = ["rmax", "rmin", "dmax"]
            if set(renorm_clipping) - set(keys):
                raise ValueError("Received invalid keys for `renorm_clipping` argument: "
                                 f"{renorm_clipping}. Supported values: {keys}.")
            self.renorm_clipping = renorm_clipping
            self.renorm_momentum = renorm_momentum
        # TF1 behaviour (batch_normalization_v1): fused unless the input or the options
        # rule it out (then the composed graph, silently, even for fused=True).
        self.fused: bool | None = True if fused is None else fused
        self._data_format = ""
        self.gamma: Any = None
        self.beta: Any = None
        self.moving_mean: Any = None
        self.moving_variance: Any = None

    def _fused_can_be_used(self) -> bool:
        """tf-keras' _raise_if_fused_cannot_be_used, as a test: renorm, ghost batches and
        adjustments exist only in the composed graph."""
        return (not self.renorm and self.virtual_batch_size is None
                and self.adjustment is None and len(self.axis) == 1
                and self.axis[0] in (-4, -3, -1, 1, 3, 4)
                and self._dtype in (_dtypes.float16, _dtypes.float32, None))

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
        vbs = self.virtual_batch_size
        if vbs is not None:
            if vbs <= 0:
                raise ValueError("`virtual_batch_size` must be a positive integer that "
                                 "divides the true batch size of the input tensor. "
                                 f"Received: virtual_batch_size={vbs}")
            if 0 in self.axis:
                raise ValueError("When using `virtual_batch_size`, the batch dimension must "
                                 "be 0 and thus axis cannot include 0. Received "
                                 f"axis={self.axis}")
            if self.adjustment is not None:
                raise ValueError("When using `virtual_batch_size`, adjustment cannot be "
                                 "specified")
        if self.fused:
            self.fused = rank in (4, 5) and self._fused_can_be_used()
        if self.fused:
            formats = {(1, 4): "NCHW", (3, 4): "NHWC", (1, 5): "NCDHW", (4, 5): "NDHWC"}
            fmt = formats.get((self.axis[0], rank))
            if fmt is not None:
                self._data_format = fmt
            elif rank == 5:
                self.fused = False  # (5-D with another axis: the composed graph)
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
        if len(axis_to_dim) == 1 and vbs is None:
            param_shape: list[int] = [int(next(iter(axis_to_dim.values())))]
        else:
            param_shape = [int(axis_to_dim[i]) if i in axis_to_dim else 1
                           for i in range(rank)]
            if vbs is not None:
                # the ghost batches' extra axis 1 (the inputs are reshaped to it in call)
                param_shape.insert(1, 1)
                self.axis = [a + 1 for a in self.axis]
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
        if self.renorm:
            self._renorm_weights(param_shape, dt)
        self.built = True

    def _renorm_weights(self, param_shape: list[int], dt: Any) -> None:
        """Batch renormalisation tracks the inference moving stddev (``moving_stddev``)
        and, for training, its own ``renorm_mean`` / ``renorm_stddev`` (tf-keras)."""
        variance_init = self.moving_variance_initializer

        def moving_stddev_initializer(*args: Any, **kwargs: Any) -> Any:
            return math_unary_ops.sqrt(variance_init(*args, **kwargs))

        self.moving_stddev = self.add_weight("moving_stddev", param_shape, dtype=dt,
                                             initializer=moving_stddev_initializer,
                                             trainable=False)
        self.renorm_mean = self.add_weight("renorm_mean", param_shape, dtype=dt,
                                           initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.renorm_stddev = self.add_weight("renorm_stddev", param_shape, dtype=dt,
                                             initializer=moving_stddev_initializer,
                                             trainable=False)

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
        value = _training_value(training)
        vbs = self.virtual_batch_size
        if vbs is not None:
            # Ghost batches: [batch, ...] -> [vbs, batch / vbs, ...] (an error at run time if
            # vbs does not divide the batch). With v2 behaviour on (TF 2.21's compat.v1), a
            # training flag fed at run time or False reshapes to [batch, 1, ...], which
            # normalises over the whole batch; disable_v2_behavior keeps TF1's ghost shape.
            original = array_ops.shape(x)
            original = array_stack_ops.concat([constant([-1]), original[1:]], axis=0)
            ghost = [vbs, -1] if value or not mode.tf2_enabled() else [-1, 1]
            expanded = array_stack_ops.concat([constant(ghost), original[1:]], axis=0)
            x = array_ops.reshape(x, expanded)
        shape = static_shape(x)
        assert shape is not None
        ndims = len(shape)
        reduction_axes = [i for i in range(ndims) if i not in self.axis]
        if vbs is not None:
            del reduction_axes[1]  # (not over the ghost batches)
        broadcast_shape = [1] * ndims
        broadcast_shape[self.axis[0]] = shape[self.axis[0]]

        def broadcast(v: Any) -> Any:
            if v is not None and len(v.shape) != ndims and \
                    reduction_axes != list(range(ndims - 1)):
                return array_ops.reshape(v, broadcast_shape)
            return v

        scale, offset = broadcast(self.gamma), broadcast(self.beta)
        if value is False:
            mean: Any = self.moving_mean
            variance: Any = self.moving_variance
        else:
            if self.adjustment:
                adj_scale, adj_bias = self.adjustment(array_ops.shape(x))
                adj_scale = control_flow_ops.smart_cond(
                    training, lambda: adj_scale, lambda: array_fill_ops.ones_like(adj_scale))
                adj_bias = control_flow_ops.smart_cond(
                    training, lambda: adj_bias, lambda: array_fill_ops.zeros_like(adj_bias))
                scale, offset = _compose_transforms(adj_scale, adj_bias, scale, offset)
            batch_mean, batch_var = nn_impl.moments(
                math_unary_ops.cast(x, self._param_dtype())
                if x.dtype != self._param_dtype() else x,
                reduction_axes, keep_dims=vbs is not None or len(self.axis) > 1)
            moving_mean, moving_variance = self.moving_mean, self.moving_variance
            mean = control_flow_ops.smart_cond(
                training, lambda: batch_mean, lambda: convert_to_tensor(moving_mean))
            variance = control_flow_ops.smart_cond(
                training, lambda: batch_var, lambda: convert_to_tensor(moving_variance))
            if vbs is not None:
                # one update from the ghost batches' mean statistics (as tf-keras)
                new_mean = math_reduce_ops.reduce_mean(mean, axis=1, keepdims=True)
                new_variance = math_reduce_ops.reduce_mean(variance, axis=1, keepdims=True)
            else:
                new_mean, new_variance = mean, variance
            if self.renorm:
                r, d, new_mean, new_variance = self._renorm_correction_and_moments(
                    new_mean, new_variance, training)
                # (x * r + d) * gamma + beta = x * (r * gamma) + (d * gamma + beta)
                r = broadcast(array_ops.stop_gradient(r, name="renorm_r"))
                d = broadcast(array_ops.stop_gradient(d, name="renorm_d"))
                scale, offset = _compose_transforms(r, d, scale, offset)
            self.add_update(control_flow_ops.smart_cond(
                training,
                lambda: _assign_moving_average(moving_mean, new_mean, self.momentum),
                lambda: convert_to_tensor(moving_mean)))
            self.add_update(control_flow_ops.smart_cond(
                training, lambda: self._variance_update(new_variance),
                lambda: convert_to_tensor(moving_variance)))
        out = nn_impl.batch_normalization(x, broadcast(mean), broadcast(variance), offset,
                                          scale, self.epsilon)
        if vbs is not None:
            out = array_ops.reshape(out, original)
        return out

    def _variance_update(self, new_variance: Any) -> Any:
        if not self.renorm:
            return _assign_moving_average(self.moving_variance, new_variance, self.momentum)
        # renorm keeps the moving stddev (epsilon inside, as in training) and derives the
        # moving variance from it; the relu guards against a rounding below zero
        stddev = _assign_moving_average(
            self.moving_stddev, math_unary_ops.sqrt(new_variance + self.epsilon),
            self.momentum)
        with get_default_graph().name_scope("AssignNewValue") as scope:
            return state_ops.assign(self.moving_variance,
                                    nn_ops.relu(stddev * stddev - self.epsilon), name=scope)

    def _renorm_correction_and_moments(self, mean: Any, variance: Any, training: Any
                                       ) -> tuple[Any, Any, Any, Any]:
        """tf-keras' renorm corrections r = stddev / renorm_stddev and d = (mean -
        renorm_mean) / renorm_stddev, from the renorm averages before this step updates
        them; the returned moments wait for those updates."""
        stddev = math_unary_ops.sqrt(variance + self.epsilon)
        renorm_mean = self.renorm_mean
        # (no division by zero early in training)
        renorm_stddev = math_ops.maximum(self.renorm_stddev,
                                         math_unary_ops.sqrt(self.epsilon))
        r = stddev / renorm_stddev
        d = (mean - renorm_mean) / renorm_stddev
        with get_default_graph().control_dependencies([r, d]):
            mean = array_ops.identity(mean)
            stddev = array_ops.identity(stddev)
        rmin, rmax, dmax = (self.renorm_clipping.get(k) for k in ("rmin", "rmax", "dmax"))
        if rmin is not None:
            r = math_ops.maximum(r, rmin)
        if rmax is not None:
            r = math_ops.minimum(r, rmax)
        if dmax is not None:
            d = math_ops.maximum(d, -dmax)
            d = math_ops.minimum(d, dmax)
        r_ = r
        d_ = d
        r = control_flow_ops.smart_cond(training, lambda: r_,
                                        lambda: array_fill_ops.ones_like(r_))
        d = control_flow_ops.smart_cond(training, lambda: d_,
                                        lambda: array_fill_ops.zeros_like(d_))

        def update(var: Any, value: Any) -> Any:
            value = array_ops.identity(value)
            return control_flow_ops.smart_cond(
                training,
                lambda: _assign_moving_average(var, value, self.renorm_momentum),
                lambda: array_ops.identity(var))

        new_mean = update(self.renorm_mean, mean)
        new_stddev = update(self.renorm_stddev, stddev)
        with get_default_graph().control_dependencies([new_mean, new_stddev]):
            return r, d, array_ops.identity(mean), array_ops.identity(variance)


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
        self._bn_args(axis, momentum, epsilon, center, scale, renorm, renorm_clipping,
                      renorm_momentum, virtual_batch_size, adjustment, fused)
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
