"""tf-keras' Dot layer over backend.batch_dot (ExpandDims rank-2 operands, transpose the
contracted axes into place, squash extra middle axes, a BatchMatMulV2 named MatMul,
reshape and squeeze back), with optional l2 normalisation."""

from __future__ import annotations

from typing import Any

from varstore.keras.layers.merging import _Merge, _tuples
from varstore.ops import array_ops, array_stack_ops, math_matmul_ops, nn_impl

__all__ = ["Dot", "dot"]


def _batch_dot(x: Any, y: Any, axes: Any) -> Any:
    x_shape = tuple(x.shape.as_list())
    y_shape = tuple(y.shape.as_list())
    x_ndim, y_ndim = len(x_shape), len(y_shape)
    if x_ndim < 2 or y_ndim < 2:
        raise ValueError(f"Cannot do batch_dot on inputs with rank < 2. Received inputs "
                         f"with shapes {x_shape} and {y_shape}.")
    if x_shape[0] is not None and y_shape[0] is not None and x_shape[0] != y_shape[0]:
        raise ValueError(f"Cannot do batch_dot on inputs with different batch sizes. "
                         f"Received inputs with shapes {x_shape} and {y_shape}.")
    axes = list(axes)
    if axes[0] < 0:
        axes[0] += x_ndim
    if axes[1] < 0:
        axes[1] += y_ndim
    if 0 in axes:
        raise ValueError("Cannot perform batch_dot over axis 0. If your inputs are not "
                         "batched, add a dummy batch dimension to your inputs using "
                         "K.expand_dims(x, 0)")
    a0, a1 = axes
    d1, d2 = x_shape[a0], y_shape[a1]
    if d1 is not None and d2 is not None and d1 != d2:
        raise ValueError(f"Cannot do batch_dot on inputs with shapes {x_shape} and "
                         f"{y_shape} with axes={axes}. x.shape[{a0}] != y.shape[{a1}] "
                         f"({d1} != {d2}).")
    orig_x_ndim, orig_y_ndim = x_ndim, y_ndim
    if x_ndim == 2:
        x = array_ops.expand_dims(x, 1)
        a0 += 1
        x_ndim += 1
    if y_ndim == 2:
        y = array_ops.expand_dims(y, 2)
        y_ndim += 1
    if a0 != x_ndim - 1:
        pattern = list(range(x_ndim))
        for i in range(a0, x_ndim - 1):
            pattern[i] = pattern[i + 1]
        pattern[-1] = a0
        x = array_ops.transpose(x, pattern)
    if a1 != 1:
        pattern = list(range(y_ndim))
        for i in range(a1, 1, -1):
            pattern[i] = pattern[i - 1]
        pattern[1] = a1
        y = array_ops.transpose(y, pattern)
    x_squashed = y_squashed = False
    if x_ndim > 3:
        xs = array_ops.shape(x)
        x_mid_dims = xs[1:-1]
        x = array_ops.reshape(x, array_stack_ops.stack([xs[0], -1, xs[-1]]))
        x_squashed = True
    if y_ndim > 3:
        ys = array_ops.shape(y)
        y_trail_dims = ys[2:]
        y = array_ops.reshape(y, array_stack_ops.stack([ys[0], ys[1], -1]))
        y_squashed = True
    result = math_matmul_ops.matmul(x, y)
    output_shape = array_ops.shape(result)
    do_reshape = False
    if x_squashed:
        output_shape = array_stack_ops.concat([output_shape[:1], x_mid_dims,
                                               output_shape[-1:]], 0)
        do_reshape = True
    if y_squashed:
        output_shape = array_stack_ops.concat([output_shape[:-1], y_trail_dims], 0)
        do_reshape = True
    if do_reshape:
        result = array_ops.reshape(result, output_shape)
    if orig_x_ndim == 2:
        result = array_ops.squeeze(result, 1)
    elif orig_y_ndim == 2:
        result = array_ops.squeeze(result, -1)
    return result


class Dot(_Merge):
    def __init__(self, axes: Any, normalize: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)):
                raise TypeError("Invalid type for argument `axes`: it should be a list or "
                                f"an int. Received: axes={axes}")
            if len(axes) != 2:
                raise ValueError("Invalid format for argument `axes`: it should contain two "
                                 f"elements. Received: axes={axes}")
            if not isinstance(axes[0], int) or not isinstance(axes[1], int):
                raise ValueError(  # noqa: TRY004 - TF raises ValueError here
                    "Invalid format for argument `axes`: list elements should be integers. "
                    f"Received: axes={axes}")
        self.axes = axes
        self.normalize = normalize

    def build(self, input_shape: Any) -> None:
        shapes = _tuples(input_shape)
        if not isinstance(shapes, list) or not isinstance(shapes[0], tuple) or \
                len(shapes) != 2:
            raise ValueError("A `Dot` layer should be called on a list of 2 inputs. "
                             f"Received: input_shape={shapes}")
        self.built = True
        shape1, shape2 = shapes
        if shape1 is None or shape2 is None:
            return
        if isinstance(self.axes, int):
            axes = ([self.axes % len(shape1), self.axes % len(shape2)] if self.axes < 0
                    else [self.axes] * 2)
        else:
            axes = list(self.axes)
        if shape1[axes[0]] != shape2[axes[1]]:
            raise ValueError(f"Incompatible input shapes: axis values {shape1[axes[0]]} (at "
                             f"axis {axes[0]}) != {shape2[axes[1]]} (at axis {axes[1]}). "
                             f"Full input shapes: {shape1}, {shape2}")

    def _merge_function(self, inputs: list[Any]) -> Any:
        if len(inputs) != 2:
            raise ValueError("A `Dot` layer should be called on exactly 2 inputs. Received: "
                             f"inputs={inputs}")
        x1, x2 = inputs
        if isinstance(self.axes, int):
            axes = ([self.axes % x1.shape.ndims, self.axes % x2.shape.ndims]
                    if self.axes < 0 else [self.axes] * 2)
        else:
            axes = [a % inputs[i].shape.ndims if a < 0 else a
                    for i, a in enumerate(self.axes)]
        if self.normalize:
            x1 = nn_impl.l2_normalize(x1, axis=axes[0])
            x2 = nn_impl.l2_normalize(x2, axis=axes[1])
        return _batch_dot(x1, x2, axes)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def dot(inputs: Any, axes: Any, normalize: bool = False, **kwargs: Any) -> Any:
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
