"""tf-keras' padding, cropping and upsampling layers (``layers/reshaping``):
ZeroPadding1D/2D (Pad), Cropping1D/2D (strided slices), UpSampling1D (split + concat, as
backend.repeat_elements), UpSampling2D (backend.resize_images: the size times the factors,
then tf.image.resize's ResizeNearestNeighbor / ResizeBilinear with half-pixel centers)."""

from __future__ import annotations

from typing import Any

import numpy as np

from varstore.framework.constant_op import constant
from varstore.framework.graph import name_scope
from varstore.keras.engine.base_layer import Layer
from varstore.keras.engine.input_spec import InputSpec
from varstore.keras.layers.pooling import _data_format
from varstore.ops import array_ops, array_split_ops, array_stack_ops, array_transform_ops, image_ops

__all__ = ["Cropping1D", "Cropping2D", "UpSampling1D", "UpSampling2D", "ZeroPadding1D",
           "ZeroPadding2D"]


def _pair_of_pairs(value: Any, arg: str) -> tuple[tuple[int, int], tuple[int, int]]:
    if isinstance(value, int):
        return ((value, value), (value, value))
    if hasattr(value, "__len__"):
        if len(value) != 2:
            raise ValueError(f"`{arg}` should have two elements. Received: {arg}={value}.")
        first, second = value
        out = []
        for v in (first, second):
            if isinstance(v, int):
                out.append((v, v))
            elif hasattr(v, "__len__") and len(v) == 2:
                out.append((int(v[0]), int(v[1])))
            else:
                raise ValueError(f"`{arg}` should be a tuple of 2 tuples of 2 ints. "
                                 f"Received: {arg}={value}.")
        return (out[0], out[1])
    raise ValueError(f"`{arg}` should be either an int, a tuple of 2 ints "
                     "(symmetric_height_pad, symmetric_width_pad), or a tuple of 2 tuples "
                     "of 2 ints ((top_pad, bottom_pad), (left_pad, right_pad)). Received: "
                     f"{arg}={value}.")


def _pair(value: Any) -> tuple[int, int]:
    if isinstance(value, int):
        return (value, value)
    return (int(value[0]), int(value[1]))


class ZeroPadding1D(Layer):
    def __init__(self, padding: Any = 1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.padding = _pair(padding)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs: Any) -> Any:
        return array_transform_ops.pad(inputs, [[0, 0], list(self.padding), [0, 0]])

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "padding": self.padding}


class ZeroPadding2D(Layer):
    def __init__(self, padding: Any = (1, 1), data_format: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = _data_format(data_format)
        self.padding = _pair_of_pairs(padding, "padding")
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs: Any) -> Any:
        (top, bottom), (left, right) = self.padding
        if self.data_format == "channels_first":
            pattern = [[0, 0], [0, 0], [top, bottom], [left, right]]
        else:
            pattern = [[0, 0], [top, bottom], [left, right], [0, 0]]
        return array_transform_ops.pad(inputs, pattern)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "padding": self.padding,
                "data_format": self.data_format}


def _cut(start: int, stop: int) -> slice:
    return slice(start, -stop if stop else None)


class Cropping1D(Layer):
    def __init__(self, cropping: Any = (1, 1), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cropping = _pair(cropping)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs: Any) -> Any:
        steps = inputs.shape.as_list()[1]
        if steps is not None and sum(self.cropping) >= steps:
            raise ValueError("cropping parameter of Cropping layer must be greater than the "
                             f"input shape. Received: inputs.shape={inputs.shape}, and "
                             f"cropping={self.cropping}")
        return inputs[:, _cut(*self.cropping), :]

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "cropping": self.cropping}


class Cropping2D(Layer):
    def __init__(self, cropping: Any = ((0, 0), (0, 0)), data_format: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = _data_format(data_format)
        self.cropping = _pair_of_pairs(cropping, "cropping")
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs: Any) -> Any:
        dims = inputs.shape.as_list()
        h, w = (dims[2], dims[3]) if self.data_format == "channels_first" else (dims[1],
                                                                              dims[2])
        if (h is not None and sum(self.cropping[0]) >= h) or \
                (w is not None and sum(self.cropping[1]) >= w):
            raise ValueError("Argument `cropping` must be greater than the input shape. "
                             f"Received: inputs.shape={inputs.shape}, and "
                             f"cropping={self.cropping}")
        rows, cols = _cut(*self.cropping[0]), _cut(*self.cropping[1])
        if self.data_format == "channels_first":
            return inputs[:, :, rows, cols]
        return inputs[:, rows, cols, :]

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "cropping": self.cropping,
                "data_format": self.data_format}


class UpSampling1D(Layer):
    """Each step repeated ``size`` times: tf-keras' backend.repeat_elements (a Split into
    steps, each listed ``size`` times, ConcatV2)."""

    def __init__(self, size: int = 2, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.size = int(size)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs: Any) -> Any:
        steps = inputs.shape.as_list()[1]
        if steps is None:
            raise NotImplementedError("varstore lacks tf.keras.layers.UpSampling1D on an "
                                      "unknown number of steps")
        splits = array_split_ops.split(inputs, steps, axis=1)
        return array_stack_ops.concat([s for s in splits for _ in range(self.size)], 1)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "size": self.size}


class UpSampling2D(Layer):
    def __init__(self, size: Any = (2, 2), data_format: str | None = None,
                 interpolation: str = "nearest", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = _data_format(data_format)
        self.size = _pair(size)
        if interpolation not in ("nearest", "bilinear"):
            raise NotImplementedError(f"varstore lacks tf.keras.layers.UpSampling2D("
                                      f"interpolation={interpolation!r})")
        self.interpolation = interpolation
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs: Any) -> Any:
        rows, cols = (2, 3) if self.data_format == "channels_first" else (1, 2)
        dims = inputs.shape.as_list()[rows:cols + 1]
        if None not in dims:
            new_shape: Any = constant(dims, dtype="int32")
        else:
            new_shape = array_ops.shape(inputs)[rows:cols + 1]
        new_shape *= constant(np.array(self.size, dtype="int32"))
        x = inputs
        if self.data_format == "channels_first":
            x = array_ops.transpose(x, [0, 2, 3, 1])
        resize = (image_ops.resize_nearest_neighbor if self.interpolation == "nearest"
                  else image_ops.resize_bilinear)
        with name_scope(None, "resize", [x, new_shape]):
            x = resize(x, new_shape, half_pixel_centers=True)
        if self.data_format == "channels_first":
            x = array_ops.transpose(x, [0, 3, 1, 2])
        return x

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "size": self.size, "data_format": self.data_format,
                "interpolation": self.interpolation}
