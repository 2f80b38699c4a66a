"""tf-keras' Dot layer over backend.batch_dot (ExpandDims rank-2 operands, transpose the
contracted axes into place, squash extra middle axes, a BatchMatMulV2 named MatMul,
reshape and squeeze back), with optional l2 normalisation."""

from __future__ import annotations

from typing import Any

from varstore.keras.backend_math import batch_dot
from varstore.keras.layers.merging import _Merge, _tuples
from varstore.ops import nn_impl

__all__ = ["Dot", "dot"]


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
        return batch_dot(x1, x2, axes)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def dot(inputs: Any, axes: Any, normalize: bool = False, **kwargs: Any) -> Any:
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
