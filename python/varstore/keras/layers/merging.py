"""tf-keras' merge layers (``layers/merging``): Add, Subtract, Multiply, Average, Maximum,
Minimum, Concatenate and their functional forms. Inputs of different ranks get unit axes
after the batch axis (ExpandDims), as tf-keras' _Merge does."""

from __future__ import annotations

from typing import Any

from varstore.keras.engine.base_layer import Layer
from varstore.ops import array_ops, array_stack_ops, math_ops

__all__ = ["Add", "Average", "Concatenate", "Maximum", "Minimum", "Multiply", "Subtract",
           "add", "average", "concatenate", "maximum", "minimum", "multiply", "subtract"]


def _tuples(input_shape: Any) -> Any:
    """tf-keras' shape_type_conversion: TensorShapes as tuples (None: unknown rank)."""
    if isinstance(input_shape, (list, tuple)):
        return [_tuples(s) for s in input_shape]
    if input_shape is None or input_shape.ndims is None:
        return None
    return tuple(input_shape.as_list())


class _Merge(Layer):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self._reshape_required = False

    def _merge_function(self, inputs: list[Any]) -> Any:
        raise NotImplementedError

    @staticmethod
    def _elemwise_shape(shape1: Any, shape2: Any) -> Any:
        if None in [shape1, shape2]:
            return None
        if len(shape1) < len(shape2):
            return _Merge._elemwise_shape(shape2, shape1)
        if not shape2:
            return shape1
        out = list(shape1[:-len(shape2)])
        for i, j in zip(shape1[-len(shape2):], shape2, strict=True):
            if i is None or j is None:
                out.append(None)
            elif i == 1:
                out.append(j)
            elif j == 1:
                out.append(i)
            else:
                if i != j:
                    raise ValueError(f"Inputs have incompatible shapes. Received shapes "
                                     f"{shape1} and {shape2}")
                out.append(i)
        return tuple(out)

    def build(self, input_shape: Any) -> None:
        shapes = _tuples(input_shape)
        if not isinstance(shapes, list) or not shapes or not isinstance(shapes[0], tuple):
            raise ValueError("A merge layer should be called on a list of inputs. Received: "
                             f"input_shape={shapes} (not a list of shapes)")
        batch_sizes = {s[0] for s in shapes if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError("Cannot merge tensors with different batch sizes. Got tensors "
                             f"with shapes {shapes}")
        output_shape = None if shapes[0] is None else shapes[0][1:]
        for s in shapes[1:]:
            output_shape = self._elemwise_shape(output_shape, None if s is None else s[1:])
        self._reshape_required = not (None not in shapes and len(set(map(len, shapes))) == 1)
        self.built = True

    def call(self, inputs: Any) -> Any:
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(  # noqa: TRY004 - TF raises ValueError here
                "A merge layer should be called on a list of inputs. Received: "
                             f"inputs={inputs} (not a list of tensors)")
        if not self._reshape_required:
            return self._merge_function(list(inputs))
        ndims = [x.shape.ndims for x in inputs]
        if None in ndims:
            raise NotImplementedError("varstore lacks tf.keras merge layers on inputs of "
                                      "unknown rank mixed with other ranks")
        top = max(ndims)
        reshaped = []
        for x, nd in zip(inputs, ndims, strict=True):
            for _ in range(top - nd):
                x = array_ops.expand_dims(x, axis=1)
            reshaped.append(x)
        return self._merge_function(reshaped)

    def compute_output_shape(self, input_shape: Any) -> Any:
        shapes = _tuples(input_shape)
        output_shape = None if shapes[0] is None else shapes[0][1:]
        for s in shapes[1:]:
            output_shape = self._elemwise_shape(output_shape, None if s is None else s[1:])
        batch_sizes = {s[0] for s in shapes if s is not None} - {None}
        batch = next(iter(batch_sizes)) if len(batch_sizes) == 1 else None
        return (batch, *output_shape) if output_shape is not None else None


class Add(_Merge):
    def _merge_function(self, inputs: list[Any]) -> Any:
        output = inputs[0]
        for x in inputs[1:]:
            output += x
        return output


class Subtract(_Merge):
    def build(self, input_shape: Any) -> None:
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError("A `Subtract` layer should be called on exactly 2 inputs. "
                             f"Received: input_shape={_tuples(input_shape)}")

    def _merge_function(self, inputs: list[Any]) -> Any:
        if len(inputs) != 2:
            raise ValueError("A `Subtract` layer should be called on exactly 2 inputs. "
                             f"Received: inputs={inputs}")
        return inputs[0] - inputs[1]


class Multiply(_Merge):
    def _merge_function(self, inputs: list[Any]) -> Any:
        output = inputs[0]
        for x in inputs[1:]:
            output = output * x
        return output


class Average(_Merge):
    def _merge_function(self, inputs: list[Any]) -> Any:
        output = inputs[0]
        for x in inputs[1:]:
            output += x
        return output / len(inputs)


class Maximum(_Merge):
    def _merge_function(self, inputs: list[Any]) -> Any:
        output = inputs[0]
        for x in inputs[1:]:
            output = math_ops.maximum(output, x)
        return output


class Minimum(_Merge):
    def _merge_function(self, inputs: list[Any]) -> Any:
        output = inputs[0]
        for x in inputs[1:]:
            output = math_ops.minimum(output, x)
        return output


class Concatenate(_Merge):
    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = axis

    def build(self, input_shape: Any) -> None:
        shapes = _tuples(input_shape)
        if not isinstance(shapes, list) or not shapes or not isinstance(shapes[0], tuple):
            raise ValueError("A `Concatenate` layer should be called on a list of at least 1 "
                             f"input. Received: input_shape={shapes}")
        self.built = True
        if all(s is None for s in shapes):
            return
        reduced = [list(s) for s in shapes]
        shape_set = set()
        for r in reduced:
            del r[self.axis]
            shape_set.add(tuple(r))
        if len(shape_set) != 1:
            msg = ("A `Concatenate` layer requires inputs with matching shapes except for "
                   f"the concatenation axis. Received: input_shape={shapes}")
            ranks = {len(s) for s in shape_set}
            if len(ranks) != 1:
                raise ValueError(msg)
            (rank,) = ranks
            for axis in range(rank):
                if len({s[axis] for s in shape_set if s[axis] is not None}) > 1:
                    raise ValueError(msg)

    def _merge_function(self, inputs: list[Any]) -> Any:
        axis = self.axis
        if axis < 0:  # tf-keras' backend.concatenate
            rank = inputs[0].shape.ndims
            axis = axis % rank if rank else 0
        return array_stack_ops.concat(inputs, axis)

    def compute_output_shape(self, input_shape: Any) -> Any:
        shapes = _tuples(input_shape)
        out = list(shapes[0])
        for s in shapes[1:]:
            if out[self.axis] is None or s[self.axis] is None:
                out[self.axis] = None
                break
            out[self.axis] += s[self.axis]
        return tuple(out)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}


def add(inputs: Any, **kwargs: Any) -> Any:
    return Add(**kwargs)(inputs)


def subtract(inputs: Any, **kwargs: Any) -> Any:
    return Subtract(**kwargs)(inputs)


def multiply(inputs: Any, **kwargs: Any) -> Any:
    return Multiply(**kwargs)(inputs)


def average(inputs: Any, **kwargs: Any) -> Any:
    return Average(**kwargs)(inputs)


def maximum(inputs: Any, **kwargs: Any) -> Any:
    return Maximum(**kwargs)(inputs)


def minimum(inputs: Any, **kwargs: Any) -> Any:
    return Minimum(**kwargs)(inputs)


def concatenate(inputs: Any, axis: int = -1, **kwargs: Any) -> Any:
    return Concatenate(axis=axis, **kwargs)(inputs)
