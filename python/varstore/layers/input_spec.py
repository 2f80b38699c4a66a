"""``tf.layers.InputSpec``, which is ``tf.keras.layers.InputSpec``, and the input check every
layer call makes (tf-keras' ``engine/input_spec.py``, its messages)."""

from __future__ import annotations

from typing import Any

from varstore import dtypes as _dtypes

__all__ = ["InputSpec", "assert_input_compatibility"]


class InputSpec:
    """The dtype, rank (exact, min or max), shape and per-axis sizes a layer accepts."""

    def __init__(self, dtype: Any = None, shape: Any = None, ndim: int | None = None,
                 max_ndim: int | None = None, min_ndim: int | None = None,
                 axes: dict[int, int] | None = None, allow_last_axis_squeeze: bool = False,
                 name: str | None = None) -> None:
        self.dtype = _dtypes.as_dtype(dtype).name if dtype is not None else None
        shape = None if shape is None else tuple(shape)
        if shape is not None:
            self.ndim: int | None = len(shape)
            self.shape: tuple[Any, ...] | None = shape
        else:
            self.ndim = ndim
            self.shape = None
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        try:
            axes = axes or {}
            self.axes = {int(k): axes[k] for k in axes}
        except (ValueError, TypeError) as e:
            raise TypeError(f"Argument `axes` must be a dict with integer keys. Received: "
                            f"axes={axes}") from e
        if self.axes and (self.ndim is not None or self.max_ndim is not None):
            max_dim = (self.ndim if self.ndim else self.max_ndim) or 0
            max_axis = max(self.axes)
            if max_axis > max_dim - 1:
                raise ValueError(f"Axis {max_axis} is greater than the maximum allowed value: "
                                 f"{max_dim - 1}")

    def __repr__(self) -> str:
        spec = [("dtype=" + str(self.dtype)) if self.dtype else "",
                ("shape=" + str(self.shape)) if self.shape else "",
                ("ndim=" + str(self.ndim)) if self.ndim else "",
                ("max_ndim=" + str(self.max_ndim)) if self.max_ndim else "",
                ("min_ndim=" + str(self.min_ndim)) if self.min_ndim else "",
                ("axes=" + str(self.axes)) if self.axes else ""]
        return f"InputSpec({', '.join(x for x in spec if x)})"

    def get_config(self) -> dict[str, Any]:
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim,
                "max_ndim": self.max_ndim, "min_ndim": self.min_ndim, "axes": self.axes}


def _dims(x: Any) -> tuple[int | None, ...] | None:
    shape = x.shape
    if hasattr(shape, "as_list"):
        return None if shape.ndims is None else tuple(shape.as_list())
    return tuple(shape)


def _flat(x: Any) -> list[Any]:
    if isinstance(x, (list, tuple)):
        return [leaf for item in x for leaf in _flat(item)]
    if isinstance(x, dict):
        return [leaf for key in sorted(x) for leaf in _flat(x[key])]
    return [x]


def assert_input_compatibility(input_spec: Any, inputs: Any, layer_name: str) -> None:
    """tf-keras' check, in its order: count, then per input rank, dtype, axes, shape."""
    if not input_spec:
        return
    specs = _flat(input_spec)
    xs = _flat(inputs)
    for x in xs:
        if not hasattr(x, "shape"):
            raise TypeError(f"Inputs to a layer should be tensors. Got '{x}' (of type "
                            f"{type(x)}) as input for layer '{layer_name}'.")
    if len(xs) != len(specs):
        raise ValueError(f'Layer "{layer_name}" expects {len(specs)} input(s), but it '
                         f"received {len(xs)} input tensors. Inputs received: {xs}")
    for index, (x, spec) in enumerate(zip(xs, specs, strict=True)):
        if spec is None:
            continue
        shape = _dims(x)
        if shape is None:
            return
        head = f'Input {index} of layer "{layer_name}" is incompatible with the layer: '
        ndim = len(shape)
        if spec.ndim is not None and not spec.allow_last_axis_squeeze and ndim != spec.ndim:
            raise ValueError(head + f"expected ndim={spec.ndim}, found ndim={ndim}. Full "
                             f"shape received: {shape}")
        if spec.max_ndim is not None and ndim > spec.max_ndim:
            raise ValueError(head + f"expected max_ndim={spec.max_ndim}, found ndim={ndim}")
        if spec.min_ndim is not None and ndim < spec.min_ndim:
            raise ValueError(head + f"expected min_ndim={spec.min_ndim}, found ndim={ndim}. "
                             f"Full shape received: {shape}")
        if spec.dtype is not None and x.dtype.name != spec.dtype:
            raise ValueError(head + f"expected dtype={spec.dtype}, found dtype={x.dtype}")
        for axis, value in spec.axes.items():
            if value is not None and shape[int(axis)] not in {value, None}:
                raise ValueError(f'Input {index} of layer "{layer_name}" is incompatible '
                                 f"with the layer: expected axis {axis} of input shape to "
                                 f"have value {value}, but received input with shape "
                                 f"{shape}")
        if spec.shape is not None:
            for spec_dim, dim in zip(spec.shape, shape, strict=False):
                if spec_dim is not None and dim is not None and spec_dim != dim:
                    raise ValueError(head + f"expected shape={spec.shape}, found shape="
                                     f"{shape}")
