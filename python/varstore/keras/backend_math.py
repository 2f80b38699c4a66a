"""The math and array functions of ``tf.keras.backend`` (tf_keras' backend.py): thin
wrappers over the tf ops, with Keras' own argument rules (``clip`` swapping its bounds,
``sqrt`` clamping at zero, ``switch`` tiling a condition, ``batch_dot``'s axes), and the
three crossentropies that read logits back from a Softmax or Sigmoid output.

They open no name scope of their own, as in tf_keras, so their nodes carry the op's name
(``Mean``, ``clip_by_value``, ``SelectV2``...).
"""

from __future__ import annotations

import builtins
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from varstore.keras import _tf as tf
from varstore.keras._config import floatx
from varstore.keras.backend_nn import (
    bias_add,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    elu,
    hard_sigmoid,
    in_top_k,
    l2_normalize,
    relu,
    sigmoid,
    softmax,
    softplus,
    softsign,
    sparse_categorical_crossentropy,
    tanh,
)

__all__ = [
    "abs", "all", "any", "arange", "argmax", "argmin", "batch_dot", "batch_flatten",
    "bias_add", "binary_crossentropy", "binary_focal_crossentropy", "cast", "cast_to_floatx",
    "categorical_crossentropy", "categorical_focal_crossentropy", "clip", "concatenate",
    "cos", "cumprod", "cumsum", "dot", "elu", "equal", "exp",
    "expand_dims", "eye", "flatten", "foldl", "foldr", "gather", "gradients", "greater",
    "greater_equal", "hard_sigmoid", "in_top_k", "is_sparse", "l2_normalize", "less",
    "less_equal", "log", "map_fn", "max", "maximum", "mean", "min", "minimum",
    "moving_average_update", "not_equal", "one_hot", "ones", "ones_like",
    "permute_dimensions", "pow", "prod", "random_bernoulli", "random_binomial",
    "random_normal", "random_uniform", "relu", "repeat", "repeat_elements", "reshape",
    "reverse", "round", "shape", "sigmoid", "sign", "sin", "softmax", "softplus", "softsign",
    "sparse_categorical_crossentropy", "sqrt", "square", "squeeze", "stack", "std",
    "stop_gradient", "sum", "switch", "tanh", "tile", "to_dense", "transpose",
    "truncated_normal", "update", "update_add", "update_sub", "var", "zeros", "zeros_like",
]

_py_all = builtins.all
_py_any = builtins.any


def _ndim(x: Any) -> int | None:
    return x.shape.ndims  # type: ignore[no-any-return]


def _int_shape(x: Any) -> tuple[int | None, ...]:
    return tuple(x.shape.as_list())


def is_sparse(tensor: Any) -> bool:
    return isinstance(tensor, tf.SparseTensor)


def to_dense(tensor: Any) -> Any:
    return tf.sparse_tensor_to_dense(tensor) if is_sparse(tensor) else tensor


def cast_to_floatx(x: Any) -> Any:
    if isinstance(x, (tf.Tensor, tf.Variable, tf.SparseTensor)):
        return tf.cast(x, dtype=floatx())
    return np.asarray(x, dtype=floatx())


def shape(x: Any) -> Any:
    return tf.shape(x)


def _variable(value: Any, dtype: Any, name: str | None) -> Any:
    # K.variable's tf.Variable (a resource variable in TF2's graph mode)
    return tf.Variable(value, dtype=tf.as_dtype(dtype), name=name)


def zeros(shape: Any, dtype: Any = None, name: str | None = None) -> Any:
    """A variable of zeros when every dimension is known and non-zero, else the tensor."""
    with tf.init_scope():
        dtype = floatx() if dtype is None else dtype
        v = tf.zeros(shape=shape, dtype=tf.as_dtype(dtype), name=name)
        if _py_all(v.shape.as_list()):
            return _variable(v, dtype, name)
        return v


def ones(shape: Any, dtype: Any = None, name: str | None = None) -> Any:
    with tf.init_scope():
        dtype = floatx() if dtype is None else dtype
        v = tf.ones(shape=shape, dtype=tf.as_dtype(dtype), name=name)
        if _py_all(v.shape.as_list()):
            return _variable(v, dtype, name)
        return v


def eye(size: Any, dtype: Any = None, name: str | None = None) -> Any:
    dtype = floatx() if dtype is None else dtype
    return _variable(tf.eye(size, dtype=tf.as_dtype(dtype)), dtype, name)


def zeros_like(x: Any, dtype: Any = None, name: str | None = None) -> Any:
    return tf.zeros_like(x, dtype=dtype, name=name)


def ones_like(x: Any, dtype: Any = None, name: str | None = None) -> Any:
    return tf.ones_like(x, dtype=dtype, name=name)


def cast(x: Any, dtype: Any) -> Any:
    return tf.cast(x, dtype)


def update(x: Any, new_x: Any) -> Any:
    return tf.assign(x, new_x)


def update_add(x: Any, increment: Any) -> Any:
    return tf.assign_add(x, increment)


def update_sub(x: Any, decrement: Any) -> Any:
    return tf.assign_sub(x, decrement)


def moving_average_update(x: Any, value: Any, momentum: Any) -> Any:
    """``x -= (x - value) * (1 - momentum)`` (the TF2 branch tf_keras takes)."""
    momentum = tf.cast(momentum, x.dtype)
    value = tf.cast(value, x.dtype)
    return x.assign_sub((x - value) * (1 - momentum))


def dot(x: Any, y: Any) -> Any:
    """A matmul; a rank > 2 operand contracts x's last axis with y's second to last."""
    nx, ny = _ndim(x), _ndim(y)
    if nx is not None and (nx > 2 or (ny is not None and ny > 2)):
        x_shape = tuple(i if i is not None else s
                        for i, s in zip(_int_shape(x), tf.unstack(tf.shape(x)), strict=False))
        y_shape = tuple(i if i is not None else s
                        for i, s in zip(_int_shape(y), tf.unstack(tf.shape(y)), strict=False))
        perm = list(range(_ndim(y) or 0))
        perm = [perm.pop(-2), *perm]
        xt = tf.reshape(x, [-1, x_shape[-1]])
        yt = tf.reshape(tf.transpose(y, perm=perm), [y_shape[-2], -1])
        return tf.reshape(tf.matmul(xt, yt), x_shape[:-1] + y_shape[:-2] + y_shape[-1:])
    if is_sparse(x):
        return tf.sparse_tensor_dense_matmul(x, y)
    return tf.matmul(x, y)


def _batch_dot_axes(x_shape: tuple[int | None, ...], y_shape: tuple[int | None, ...],
                    axes: Any) -> list[int]:
    x_ndim, y_ndim = len(x_shape), len(y_shape)
    if x_ndim < 2 or y_ndim < 2:
        raise ValueError("Cannot do batch_dot on inputs with rank < 2. Received inputs with "
                         f"shapes {x_shape} and {y_shape}.")
    if x_shape[0] is not None and y_shape[0] is not None and x_shape[0] != y_shape[0]:
        raise ValueError("Cannot do batch_dot on inputs with different batch sizes. Received "
                         f"inputs with shapes {x_shape} and {y_shape}.")
    if isinstance(axes, int):
        axes = [axes, axes]
    if axes is None:
        axes = [x_ndim - 1, y_ndim - 1] if y_ndim == 2 else [x_ndim - 1, y_ndim - 2]
    if _py_any(isinstance(a, (list, tuple)) for a in axes):
        raise ValueError("Multiple target dimensions are not supported. Expected: None, int, "
                         f"(int, int), Provided: {axes}")
    axes = list(axes)
    if axes[0] < 0:
        axes[0] += x_ndim
    if axes[1] < 0:
        axes[1] += y_ndim
    if 0 in axes:
        raise ValueError("Cannot perform batch_dot over axis 0. If your inputs are not batched, "
                         "add a dummy batch dimension to your inputs using K.expand_dims(x, 0)")
    d1, d2 = x_shape[axes[0]], y_shape[axes[1]]
    if d1 is not None and d2 is not None and d1 != d2:
        raise ValueError(f"Cannot do batch_dot on inputs with shapes {x_shape} and {y_shape} "
                         f"with axes={axes}. x.shape[{axes[0]}] != y.shape[{axes[1]}] "
                         f"({d1} != {d2}).")
    return [int(a) for a in axes]


def batch_dot(x: Any, y: Any, axes: Any = None) -> Any:
    """tf_keras' batch_dot: move the contracted axes next to each other, squash the middle
    dims, one batched matmul, then restore them."""
    x_shape, y_shape = _int_shape(x), _int_shape(y)
    a0, a1 = _batch_dot_axes(x_shape, y_shape, axes)
    x_ndim, y_ndim = len(x_shape), len(y_shape)
    orig_x_ndim, orig_y_ndim = x_ndim, y_ndim
    if x_ndim == 2:
        x = tf.expand_dims(x, 1)
        a0 += 1
        x_ndim += 1
    if y_ndim == 2:
        y = tf.expand_dims(y, 2)
        y_ndim += 1
    if a0 != x_ndim - 1:
        pattern = list(range(x_ndim))
        for i in range(a0, x_ndim - 1):
            pattern[i] = pattern[i + 1]
        pattern[-1] = a0
        x = tf.transpose(x, pattern)
    if a1 != 1:
        pattern = list(range(y_ndim))
        for i in range(a1, 1, -1):
            pattern[i] = pattern[i - 1]
        pattern[1] = a1
        y = tf.transpose(y, pattern)
    x_mid_dims = y_trail_dims = None
    if x_ndim > 3:
        xs = tf.shape(x)
        x_mid_dims = xs[1:-1]
        x = tf.reshape(x, tf.stack([xs[0], -1, xs[-1]]))
    if y_ndim > 3:
        ys = tf.shape(y)
        y_trail_dims = ys[2:]
        y = tf.reshape(y, tf.stack([ys[0], ys[1], -1]))
    result = tf.matmul(x, y)
    output_shape = tf.shape(result)
    if x_mid_dims is not None:
        output_shape = tf.concat([output_shape[:1], x_mid_dims, output_shape[-1:]], 0)
    if y_trail_dims is not None:
        output_shape = tf.concat([output_shape[:-1], y_trail_dims], 0)
    if x_mid_dims is not None or y_trail_dims is not None:
        result = tf.reshape(result, output_shape)
    if orig_x_ndim == 2:
        result = tf.squeeze(result, 1)
    elif orig_y_ndim == 2:
        result = tf.squeeze(result, -1)
    return result


def transpose(x: Any) -> Any:
    return tf.transpose(x)


def gather(reference: Any, indices: Any) -> Any:
    return tf.gather(reference, indices)


def max(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    return tf.reduce_max(x, axis, keepdims)


def min(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    return tf.reduce_min(x, axis, keepdims)


def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    return tf.reduce_sum(x, axis, keepdims)


def prod(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    return tf.reduce_prod(x, axis, keepdims)


def cumsum(x: Any, axis: int = 0) -> Any:
    return tf.cumsum(x, axis=axis)


def cumprod(x: Any, axis: int = 0) -> Any:
    return tf.math.cumprod(x, axis=axis)


def _bool_to_floatx(x: Any) -> Any:
    x = tf.convert_to_tensor(x)
    return tf.cast(x, floatx()) if x.dtype.base_dtype == tf.bool else x


def var(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    return tf.math.reduce_variance(_bool_to_floatx(x), axis=axis, keepdims=keepdims)


def std(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    return tf.math.reduce_std(_bool_to_floatx(x), axis=axis, keepdims=keepdims)


def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    return tf.reduce_mean(_bool_to_floatx(x), axis, keepdims)


def any(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    return tf.reduce_any(tf.cast(x, tf.bool), axis, keepdims)


def all(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    return tf.reduce_all(tf.cast(x, tf.bool), axis, keepdims)


def argmax(x: Any, axis: int = -1) -> Any:
    return tf.argmax(x, axis)


def argmin(x: Any, axis: int = -1) -> Any:
    return tf.argmin(x, axis)


def square(x: Any) -> Any:
    return tf.square(x)


def abs(x: Any) -> Any:
    return tf.abs(x)


def sqrt(x: Any) -> Any:
    """Negative inputs are clamped to 0 first (so sqrt never gives NaN)."""
    x = tf.maximum(x, tf.constant(0.0, dtype=x.dtype.base_dtype))
    return tf.sqrt(x)


def exp(x: Any) -> Any:
    return tf.exp(x)


def log(x: Any) -> Any:
    return tf.log(x)


def round(x: Any) -> Any:
    return tf.round(x)


def sign(x: Any) -> Any:
    return tf.sign(x)


def pow(x: Any, a: Any) -> Any:
    return tf.pow(x, a)


def clip(x: Any, min_value: Any, max_value: Any) -> Any:
    """clip_by_value; Python bounds in the wrong order clip to ``min_value``, a None bound
    is infinite."""
    if isinstance(min_value, (int, float)) and isinstance(max_value, (int, float)) \
            and max_value < min_value:
        max_value = min_value
    if min_value is None:
        min_value = -np.inf
    if max_value is None:
        max_value = np.inf
    return tf.clip_by_value(x, min_value, max_value)


def equal(x: Any, y: Any) -> Any:
    return tf.equal(x, y)


def not_equal(x: Any, y: Any) -> Any:
    return tf.not_equal(x, y)


def greater(x: Any, y: Any) -> Any:
    return tf.greater(x, y)


def greater_equal(x: Any, y: Any) -> Any:
    return tf.greater_equal(x, y)


def less(x: Any, y: Any) -> Any:
    return tf.less(x, y)


def less_equal(x: Any, y: Any) -> Any:
    return tf.less_equal(x, y)


def maximum(x: Any, y: Any) -> Any:
    return tf.maximum(x, y)


def minimum(x: Any, y: Any) -> Any:
    return tf.minimum(x, y)


def sin(x: Any) -> Any:
    return tf.sin(x)


def cos(x: Any) -> Any:
    return tf.cos(x)


def concatenate(tensors: Sequence[Any], axis: int = -1) -> Any:
    if axis < 0:
        rank = _ndim(tensors[0])
        axis = axis % rank if rank else 0
    if _py_all(is_sparse(x) for x in tensors):
        return tf.sparse_concat(axis, list(tensors))
    return tf.concat([to_dense(x) for x in tensors], axis)


def reshape(x: Any, shape: Any) -> Any:
    return tf.reshape(x, shape)


def permute_dimensions(x: Any, pattern: Any) -> Any:
    return tf.transpose(x, perm=pattern)


def repeat_elements(x: Any, rep: int, axis: int) -> Any:
    """Each slice along ``axis`` ``rep`` times: split + concat for a known dim, else
    expand + tile + reshape."""
    x_shape = x.shape.as_list()
    if x_shape[axis] is not None:
        splits = tf.split(value=x, num_or_size_splits=x_shape[axis], axis=axis)
        return concatenate([s for s in splits for _ in range(rep)], axis)
    auxiliary_axis = axis + 1
    dyn_shape = tf.shape(x)
    x_rep = tf.expand_dims(x, axis=auxiliary_axis)
    reps = np.ones(len(x_shape) + 1)
    reps[auxiliary_axis] = rep
    x_rep = tf.tile(x_rep, reps)
    reps = np.delete(reps, auxiliary_axis)
    reps[axis] = rep
    dyn_shape *= tf.constant(reps, dtype="int32")
    x_rep = tf.reshape(x_rep, dyn_shape)
    x_rep.set_shape(x_shape)
    return x_rep


def repeat(x: Any, n: Any) -> Any:
    assert _ndim(x) == 2  # tf_keras checks with an assert (an AssertionError)
    return tf.tile(tf.expand_dims(x, 1), tf.stack([1, n, 1]))


def arange(start: Any, stop: Any = None, step: Any = 1, dtype: Any = "int32") -> Any:
    if stop is None and start < 0:
        start = 0
    result = tf.range(start, limit=stop, delta=step, name="arange")
    return cast(result, dtype) if dtype != "int32" else result


def tile(x: Any, n: Any) -> Any:
    return tf.tile(x, [n] if isinstance(n, int) else n)


def flatten(x: Any) -> Any:
    return tf.reshape(x, [-1])


def batch_flatten(x: Any) -> Any:
    return tf.reshape(x, tf.stack([-1, prod(shape(x)[1:])]))


def expand_dims(x: Any, axis: int = -1) -> Any:
    return tf.expand_dims(x, axis)


def squeeze(x: Any, axis: int) -> Any:
    return tf.squeeze(x, [axis])


def stack(x: Any, axis: int = 0) -> Any:
    return tf.stack(x, axis=axis)


def one_hot(indices: Any, num_classes: int) -> Any:
    return tf.one_hot(indices, depth=num_classes, axis=-1)


def reverse(x: Any, axes: Any) -> Any:
    return tf.reverse(x, [axes] if isinstance(axes, int) else axes)


def gradients(loss: Any, variables: Any) -> Any:
    return tf.gradients(loss, variables, colocate_gradients_with_ops=True)


def stop_gradient(variables: Any) -> Any:
    """A list or tuple gives a lazy ``map`` object, as in tf_keras."""
    if isinstance(variables, (list, tuple)):
        return map(tf.stop_gradient, variables)
    return tf.stop_gradient(variables)


def _as_fn(expression: Any) -> Callable[[], Any]:
    return expression if callable(expression) else (lambda: expression)


def switch(condition: Any, then_expression: Any, else_expression: Any) -> Any:
    """A scalar condition builds a cond; a tensor one selects element-wise, tiled over the
    trailing dims of the expressions."""
    if condition.dtype != tf.bool:
        condition = tf.cast(condition, "bool")
    cond_ndim = _ndim(condition)
    if not cond_ndim:
        return tf.cond(condition, _as_fn(then_expression), _as_fn(else_expression))
    if callable(then_expression):
        then_expression = then_expression()
    if callable(else_expression):
        else_expression = else_expression()
    expr_ndim = _ndim(then_expression)
    if expr_ndim is not None and cond_ndim > expr_ndim:
        raise ValueError("Rank of `condition` should be less than or equal to rank of "
                         "`then_expression` and `else_expression`. "
                         f"ndim(condition)={cond_ndim}, ndim(then_expression)={expr_ndim}")
    if cond_ndim > 1:
        ndim_diff = (expr_ndim or 0) - cond_ndim
        cond_shape = tf.concat([tf.shape(condition), [1] * ndim_diff], axis=0)
        condition = tf.reshape(condition, cond_shape)
        expr_shape = tf.shape(then_expression)
        shape_diff = expr_shape - cond_shape
        tile_shape = tf.where_v2(shape_diff > 0, expr_shape, tf.ones_like(expr_shape))
        condition = tf.tile(condition, tile_shape)
    return tf.where_v2(condition, then_expression, else_expression)


def _seed(seed: Any) -> Any:
    # tf_keras draws an op seed from NumPy's global stream when none is given
    return np.random.randint(int(10e6)) if seed is None else seed


def random_normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None,
                  seed: Any = None) -> Any:
    return tf.random.normal(shape, mean=mean, stddev=stddev,
                            dtype=floatx() if dtype is None else dtype, seed=_seed(seed))


def random_uniform(shape: Any, minval: float = 0.0, maxval: float = 1.0, dtype: Any = None,
                   seed: Any = None) -> Any:
    return tf.random.uniform(shape, minval=minval, maxval=maxval,
                             dtype=floatx() if dtype is None else dtype, seed=_seed(seed))


def random_bernoulli(shape: Any, p: float = 0.0, dtype: Any = None, seed: Any = None) -> Any:
    dtype = floatx() if dtype is None else dtype
    return tf.where_v2(tf.random.uniform(shape, dtype=dtype, seed=_seed(seed)) <= p,
                       tf.ones(shape, dtype=dtype), tf.zeros(shape, dtype=dtype))


def random_binomial(shape: Any, p: float = 0.0, dtype: Any = None, seed: Any = None) -> Any:
    warnings.warn("`tf.keras.backend.random_binomial` is deprecated, and will be removed in a "
                  "future version.Please use `tf.keras.backend.random_bernoulli` instead.",
                  stacklevel=2)
    return random_bernoulli(shape, p, dtype, seed)


def truncated_normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None,
                     seed: Any = None) -> Any:
    return tf.random.truncated_normal(shape, mean, stddev,
                                      dtype=floatx() if dtype is None else dtype,
                                      seed=_seed(seed))


def map_fn(fn: Callable[[Any], Any], elems: Any, name: str | None = None,
           dtype: Any = None) -> Any:
    return tf.map_fn(fn, elems, name=name, dtype=dtype)


def foldl(fn: Callable[[Any, Any], Any], elems: Any, initializer: Any = None,
          name: str | None = None) -> Any:
    return tf.foldl(fn, elems, initializer=initializer, name=name)


def foldr(fn: Callable[[Any, Any], Any], elems: Any, initializer: Any = None,
          name: str | None = None) -> Any:
    return tf.foldr(fn, elems, initializer=initializer, name=name)



def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.keras.backend_math' has no attribute {name!r}: "
                         f"varstore lacks tf.keras.backend.{name}")
