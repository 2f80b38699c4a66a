"""tf-keras' core and reshaping layers: Dense, Activation, Flatten, Reshape, Dropout,
Permute, RepeatVector, Lambda and Embedding."""

from __future__ import annotations

import codecs
import marshal
import sys
import types
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.keras import activations, backend, constraints, initializers, regularizers
from varstore.keras.engine.base_layer import Layer
from varstore.keras.engine.input_spec import InputSpec
from varstore.layers import core as _layers_core
from varstore.layers.base import Resolvers, WeightArgs
from varstore.layers.core import DropoutBase
from varstore.ops import (
    array_ops,
    array_stack_ops,
    array_transform_ops,
    embedding_ops,
    math_matmul_ops,
    math_unary_ops,
    nn_ops,
)

__all__ = ["Activation", "Dense", "Dropout", "Embedding", "Flatten", "Lambda", "Permute",
           "RepeatVector", "Reshape", "SpatialDropout1D", "SpatialDropout2D"]


# how the Keras layers resolve their weight arguments (layers/base.WeightArgs)
RESOLVERS: Resolvers = (activations.get, initializers.get, regularizers.get, constraints.get)


def _conf(config: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    return {**base, **config}


class Dense(WeightArgs, Layer):
    """``activation(inputs @ kernel + bias)``; a rank > 2 input contracts its last axis
    (Tensordot)."""

    def __init__(self, units: Any, activation: Any = None, use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, kernel_constraint: Any = None,
                 bias_constraint: Any = None, **kwargs: Any) -> None:
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = int(units) if not isinstance(units, int) else units
        if self.units < 0:
            raise ValueError("Received an invalid value for `units`, expected a positive "
                             f"integer. Received: units={units}")
        self._weight_args(activation, use_bias, kernel_initializer, bias_initializer,
                          kernel_regularizer, bias_regularizer, kernel_constraint,
                          bias_constraint, RESOLVERS)
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    def build(self, input_shape: Any) -> None:
        dtype = _dtypes.as_dtype(self.dtype or backend.floatx())
        if not (dtype.is_floating or dtype.is_complex):
            raise TypeError("A Dense layer can only be built with a floating-point dtype. "
                            f"Received: dtype={dtype}")
        dims = input_shape.as_list() if input_shape.ndims is not None else [None]
        last_dim = dims[-1]
        if last_dim is None:
            raise ValueError("The last dimension of the inputs to a Dense layer should be "
                             f"defined. Found None. Full input shape received: {input_shape}")
        self.input_spec = InputSpec(min_ndim=2, axes={-1: last_dim})
        self.kernel = self.add_weight("kernel", shape=[last_dim, self.units],
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, dtype=self.dtype,
                                      trainable=True)
        self.bias = (self.add_weight("bias", shape=[self.units],
                                     initializer=self.bias_initializer,
                                     regularizer=self.bias_regularizer,
                                     constraint=self.bias_constraint, dtype=self.dtype,
                                     trainable=True) if self.use_bias else None)
        self.built = True

    def call(self, inputs: Any) -> Any:
        dtype = _dtypes.as_dtype(self.dtype or backend.floatx())
        if inputs.dtype.base_dtype != dtype:  # tf-keras' Dense casts any other input
            inputs = math_unary_ops.cast(inputs, dtype)
        rank = inputs.shape.ndims
        if rank == 2 or rank is None:
            outputs = math_matmul_ops.matmul(inputs, self.kernel)
        else:
            outputs = math_matmul_ops.tensordot(inputs, self.kernel, [[rank - 1], [0]])
            shape = inputs.shape.as_list()
            outputs.set_shape([*shape[:-1], self.units])
        if self.use_bias:
            outputs = nn_ops.bias_add(outputs, self.bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        return _layers_core.dense_output_shape(input_shape, self.units)

    def get_config(self) -> dict[str, Any]:
        return _conf({"units": self.units,
                      "activation": activations.serialize(self.activation),
                      "use_bias": self.use_bias,
                      "kernel_initializer": initializers.serialize(self.kernel_initializer),
                      "bias_initializer": initializers.serialize(self.bias_initializer),
                      "kernel_regularizer": (None if self.kernel_regularizer is None else
                                             regularizers.serialize(self.kernel_regularizer)),
                      "bias_regularizer": (None if self.bias_regularizer is None else
                                           regularizers.serialize(self.bias_regularizer)),
                      "activity_regularizer": None,
                      "kernel_constraint": (None if self.kernel_constraint is None else
                                            constraints.serialize(self.kernel_constraint)),
                      "bias_constraint": (None if self.bias_constraint is None else
                                          constraints.serialize(self.bias_constraint))},
                     super().get_config())


class Activation(Layer):
    def __init__(self, activation: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = activations.get(activation)

    def call(self, inputs: Any) -> Any:
        return self.activation(inputs)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        return _conf({"activation": activations.serialize(self.activation)},
                     super().get_config())


class Flatten(Layer):
    """A Reshape to [-1, prod(rest)] (or [batch, -1], [shape(x)[0], -1] when the rest is
    not fully known); a rank-1 input gets an axis (ExpandDims)."""

    def __init__(self, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = _data_format(data_format)
        self.input_spec = InputSpec(min_ndim=1)
        self._channels_first = self.data_format == "channels_first"

    def call(self, inputs: Any) -> Any:
        return _layers_core.flatten_tensor(inputs, self._channels_first)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return _layers_core.flatten_output_shape(input_shape)

    def get_config(self) -> dict[str, Any]:
        return _conf({"data_format": self.data_format}, super().get_config())


def _data_format(value: Any) -> str:
    if value is None:
        value = backend.image_data_format()
    data_format = str(value).lower()
    if data_format not in {"channels_first", "channels_last"}:
        raise ValueError("The `data_format` argument must be one of \"channels_first\", "
                         f"\"channels_last\". Received: {value}")
    return data_format


class Reshape(Layer):
    """``reshape(x, (shape(x)[0],) + target_shape)`` with the static shape set."""

    def __init__(self, target_shape: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.target_shape = tuple(target_shape)

    def _fix_unknown_dimension(self, input_shape: Any, output_shape: Any) -> list[int]:
        output_shape = list(output_shape)
        msg = ("total size of new array must be unchanged, "
               f"input_shape = {list(input_shape)}, output_shape = {output_shape}")
        known, unknown = 1, None
        for index, dim in enumerate(output_shape):
            if dim < 0:
                if unknown is None:
                    unknown = index
                else:
                    raise ValueError("There must be at most one unknown dimension in "
                                     f"output_shape. Received: output_shape={output_shape}.")
            else:
                known *= dim
        original = int(np.prod(input_shape, dtype=int))
        if unknown is not None:
            if known == 0 or original % known != 0:
                raise ValueError(msg)
            output_shape[unknown] = original // known
        elif original != known:
            raise ValueError(msg)
        return [int(d) for d in output_shape]

    def compute_output_shape(self, input_shape: Any) -> Any:
        from varstore.framework.tensor_shape import TensorShape

        dims = TensorShape(input_shape).as_list()
        if None in dims[1:]:
            out = [dims[0], *(s if s != -1 else None for s in self.target_shape)]
        else:
            out = [dims[0], *self._fix_unknown_dimension(dims[1:], self.target_shape)]
        return TensorShape(out)

    def call(self, inputs: Any) -> Any:
        result = array_ops.reshape(inputs,
                                   (array_ops.shape(inputs)[0], *self.target_shape))
        result.set_shape(self.compute_output_shape(inputs.shape))
        return result

    def get_config(self) -> dict[str, Any]:
        return _conf({"target_shape": self.target_shape}, super().get_config())


class Dropout(DropoutBase, Layer):
    """``tf.nn.dropout(x, rate)`` when training, Identity otherwise (layers/core.py's
    DropoutBase); ``training`` None reads the learning phase (a cond on it)."""

    def __init__(self, rate: Any, noise_shape: Any = None, seed: int | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._dropout_args(rate, noise_shape, seed)
        self.supports_masking = True

    def call(self, inputs: Any, training: Any = None) -> Any:
        return self._dropout(inputs, training, backend.learning_phase)

    def get_config(self) -> dict[str, Any]:
        return _conf({"rate": self.rate, "noise_shape": self.noise_shape,
                      "seed": self.seed}, super().get_config())


class Permute(Layer):
    def __init__(self, dims: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError("Invalid permutation argument `dims` for Permute Layer. The set "
                             "of indices in `dims` must be consecutive and start from 1. "
                             f"Received dims={dims}")
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)

    def call(self, inputs: Any) -> Any:
        return array_ops.transpose(inputs, perm=(0, *self.dims))

    def get_config(self) -> dict[str, Any]:
        return _conf({"dims": self.dims}, super().get_config())


class RepeatVector(Layer):
    """``(batch, features)`` -> ``(batch, n, features)``: tf-keras' backend.repeat
    (ExpandDims then Tile)."""

    def __init__(self, n: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.n = n
        if not isinstance(n, int):
            raise TypeError(f"Expected an integer value for `n`, got {type(n)}.")
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs: Any) -> Any:
        x = array_ops.expand_dims(inputs, 1)
        return array_transform_ops.tile(x, array_stack_ops.stack([1, self.n, 1]))

    def get_config(self) -> dict[str, Any]:
        return _conf({"n": self.n}, super().get_config())


class Lambda(Layer):
    """Wraps a function of the inputs (``arguments`` passed as keywords); ``mask`` is the
    output mask (a callable of the inputs and their mask, or a constant). Its config holds
    the function as tf-keras writes it: a named function by name and module, a lambda as
    its marshalled bytecode (readable by the same Python version only, as tf-keras')."""

    def __init__(self, function: Any, output_shape: Any = None, mask: Any = None,
                 arguments: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.function = function
        self.arguments = arguments or {}
        self._output_shape = output_shape
        self.mask = mask
        self.supports_masking = mask is not None

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def get_config(self) -> dict[str, Any]:
        function, kind, module = _function_config(self.function)
        shape, shape_kind, shape_module = _function_config(self._output_shape, raw=True)
        config: dict[str, Any] = {"function": function, "function_type": kind,
                                  "module": module, "output_shape": shape,
                                  "output_shape_type": shape_kind,
                                  "output_shape_module": shape_module}
        if self.mask is not None:
            mask, mask_kind, mask_module = _function_config(self.mask, raw=True)
            config.update({"mask": mask, "mask_type": mask_kind, "mask_module": mask_module})
        config["arguments"] = self.arguments
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Any:
        config = dict(config)
        config["function"] = _function_from_config(config, "function", "function_type",
                                                   "module", custom_objects)
        config["output_shape"] = _function_from_config(
            config, "output_shape", "output_shape_type", "output_shape_module",
            custom_objects)
        if "mask" in config:
            config["mask"] = _function_from_config(config, "mask", "mask_type",
                                                   "mask_module", custom_objects)
        for key in ("function_type", "module", "output_shape_type", "output_shape_module",
                    "mask_type", "mask_module"):
            config.pop(key, None)
        return cls(**config)

    def call(self, inputs: Any, mask: Any = None, training: Any = None) -> Any:
        import inspect

        kwargs = dict(self.arguments)
        params = inspect.signature(self.function).parameters
        if "mask" in params:
            kwargs["mask"] = mask
        if "training" in params:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)


def _function_config(fn: Any, raw: bool = False) -> tuple[Any, str | None, str | None]:
    """tf-keras' Lambda._serialize_function_to_config: (value, type, module)."""
    if isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>":
        code = codecs.encode(marshal.dumps(fn.__code__), "base64").decode("ascii")
        closure = None if fn.__closure__ is None else tuple(
            c.cell_contents for c in fn.__closure__)
        return (code, fn.__defaults__, closure), "lambda", fn.__module__
    if callable(fn):
        return fn.__name__, "function", fn.__module__
    if raw:
        return fn, "raw", None
    raise ValueError(f"Invalid input for serialization, type: {type(fn)} ")


def _function_from_config(config: dict[str, Any], key: str, type_key: str, module_key: str,
                          custom_objects: Any) -> Any:
    """tf-keras' Lambda._parse_function_from_config."""
    value: Any = config.get(key)
    kind = config.get(type_key)
    module = config.get(module_key)
    if kind == "raw" or kind is None:
        return value
    globs: dict[str, Any] = {}
    if module in sys.modules:
        globs.update(sys.modules[module].__dict__)
    globs.update(custom_objects or {})
    if kind == "function":
        if value in globs:
            return globs[value]
        raise ValueError(f"Unknown function: '{value}'. Please ensure you are using a "
                         "`keras.utils.custom_object_scope` and that this object is "
                         "included in the scope.")
    if kind == "lambda":
        code, defaults, closure = value
        fn_code = marshal.loads(codecs.decode(code.encode("ascii"), "base64"))
        cells = None if closure is None else tuple(types.CellType(c) for c in closure)
        return types.FunctionType(fn_code, globs, fn_code.co_name,
                                  None if defaults is None else tuple(defaults), cells)
    raise TypeError(f"Unknown function type: {kind}")


class Embedding(Layer):
    """``embedding_lookup(embeddings, ids)`` (ids cast to int32 unless int32/int64)."""

    def __init__(self, input_dim: int, output_dim: int,
                 embeddings_initializer: Any = "uniform", embeddings_regularizer: Any = None,
                 activity_regularizer: Any = None, embeddings_constraint: Any = None,
                 mask_zero: bool = False, input_length: Any = None, sparse: bool = False,
                 **kwargs: Any) -> None:
        from varstore.framework.mode import tf2_enabled

        if "input_shape" not in kwargs:
            kwargs["input_shape"] = (input_length,) if input_length else (None,)
        if input_dim <= 0 or output_dim <= 0:
            raise ValueError("Both `input_dim` and `output_dim` should be positive, "
                             f"Received input_dim = {input_dim} and output_dim = "
                             f"{output_dim}")
        if not tf2_enabled() and "dtype" not in kwargs:
            kwargs["dtype"] = backend.floatx()
        kwargs["autocast"] = False
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        self.input_length = input_length
        if sparse:
            raise NotImplementedError("varstore lacks tf.keras.layers.Embedding(sparse=True)")
        self.sparse = sparse

    def _maybe_build(self, inputs: Any) -> None:
        # the variable dtype is floatx, not the (integer) dtype of the ids
        if self._dtype is None:
            self._dtype = _dtypes.as_dtype(backend.floatx())
        super()._maybe_build(inputs)

    def build(self, input_shape: Any) -> None:
        self.embeddings = self.add_weight(shape=(self.input_dim, self.output_dim),
                                          initializer=self.embeddings_initializer,
                                          name="embeddings",
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint)
        self.built = True

    def call(self, inputs: Any) -> Any:
        if inputs.dtype not in (_dtypes.int32, _dtypes.int64):
            inputs = math_unary_ops.cast(inputs, "int32")
        return embedding_ops.embedding_lookup(self.embeddings, inputs)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """``mask_zero``: the ids that are not 0 (embedding/NotEqual), else no mask."""
        if not self.mask_zero:
            return None
        from varstore.ops import math_ops

        return math_ops.not_equal(inputs, 0)

    def get_config(self) -> dict[str, Any]:
        return _conf({"input_dim": self.input_dim, "output_dim": self.output_dim,
                      "embeddings_initializer":
                          initializers.serialize(self.embeddings_initializer),
                      "embeddings_regularizer": (
                          None if self.embeddings_regularizer is None
                          else regularizers.serialize(self.embeddings_regularizer)),
                      "activity_regularizer": None,
                      "embeddings_constraint": (
                          None if self.embeddings_constraint is None
                          else constraints.serialize(self.embeddings_constraint)),
                      "mask_zero": self.mask_zero, "input_length": self.input_length},
                     super().get_config())


class SpatialDropout1D(Dropout):
    """Drops whole feature maps: noise shape (batch, 1, channels)."""

    def __init__(self, rate: Any, **kwargs: Any) -> None:
        super().__init__(rate, **kwargs)
        self.input_spec = InputSpec(ndim=3)

    def _get_noise_shape(self, inputs: Any) -> Any:
        shape = array_ops.shape(inputs)
        return (shape[0], 1, shape[2])


class SpatialDropout2D(Dropout):
    """Drops whole feature maps: noise shape (batch, 1, 1, channels) (channels_last)."""

    def __init__(self, rate: Any, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(rate, **kwargs)
        self.data_format = _data_format(data_format)
        self.input_spec = InputSpec(ndim=4)

    def _get_noise_shape(self, inputs: Any) -> Any:
        shape = array_ops.shape(inputs)
        if self.data_format == "channels_first":
            return (shape[0], shape[1], 1, 1)
        return (shape[0], 1, 1, shape[3])
