"""``tf.keras.Input`` and ``tf.keras.layers.InputLayer`` (tf-keras' ``engine/input_layer``):
a placeholder (named by the layer, ``input_1`` ... by default) whose history is the
InputLayer, where a functional model starts."""

from __future__ import annotations

from typing import Any

from varstore import dtypes as _dtypes
from varstore.keras import backend
from varstore.keras.engine import node as _node
from varstore.keras.engine.base_layer import Layer

__all__ = ["Input", "InputLayer"]


class InputLayer(Layer):
    def __init__(self, input_shape: Any = None, batch_size: int | None = None,
                 dtype: Any = None, input_tensor: Any = None, sparse: Any = None,
                 name: str | None = None, ragged: Any = None, type_spec: Any = None,
                 optional: bool = False, **kwargs: Any) -> None:
        if sparse or ragged or type_spec is not None:
            raise NotImplementedError("varstore lacks tf.keras.layers.InputLayer(sparse=, "
                                      "ragged= or type_spec=)")
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments: {list(kwargs.keys())}")
        if batch_input_shape is not None:
            if batch_size is not None:
                raise ValueError("Only provide the input_shape OR batch_input_shape argument "
                                 "to InputLayer, not both at the same time.")
            batch_size = batch_input_shape[0]
            input_shape = batch_input_shape[1:]
        if not name:
            name = "input_" + str(backend.get_uid("input"))
        if input_tensor is not None and dtype is None:
            dtype = input_tensor.dtype
        elif dtype is None:
            dtype = backend.floatx()
        dtype = _dtypes.as_dtype(dtype).name
        super().__init__(dtype=dtype, name=name)
        self.built = True
        self.optional = bool(optional)  # (tf-keras: a functional model may go without it)
        self.sparse = False
        self.ragged = False
        self.batch_size = batch_size
        self.supports_masking = True
        if input_tensor is None:
            if input_shape is not None:
                batch_input_shape = (batch_size, *tuple(input_shape))
            else:
                batch_input_shape = None
            input_tensor = backend.placeholder(shape=batch_input_shape, dtype=dtype,
                                               name=self.name)
            self.is_placeholder = True
            self._batch_input_shape = batch_input_shape
        else:
            self.is_placeholder = False
            shape = input_tensor.shape
            self._batch_input_shape = (None if shape.ndims is None
                                       else tuple(shape.as_list()))
        node = _node.Node(self, [], (), {}, input_tensor)
        self._inbound_nodes.append(node)
        _node.record(node)

    def get_config(self) -> dict[str, Any]:
        return {"batch_input_shape": self._batch_input_shape, "dtype": self.dtype,
                "sparse": self.sparse, "ragged": self.ragged, "name": self.name,
                "optional": self.optional}


def Input(shape: Any = None, batch_size: int | None = None, name: str | None = None,
          dtype: Any = None, sparse: Any = None, tensor: Any = None, ragged: Any = None,
          type_spec: Any = None, **kwargs: Any) -> Any:
    """``tf.keras.Input``: the output tensor of a new InputLayer."""
    if sparse and ragged:
        raise ValueError("Cannot set both `sparse` and `ragged` to `True` in a Keras "
                         "`Input`.")
    batch_shape = kwargs.pop("batch_shape", None)
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments: {list(kwargs.keys())}")
    if shape is not None and batch_shape is not None:
        raise ValueError("Only provide the `shape` OR `batch_input_shape` argument to Input, "
                         "not both at the same time.")
    if batch_shape is None and shape is None and tensor is None and type_spec is None:
        raise ValueError("Please provide to Input a `shape` or a `tensor` or a `type_spec` "
                         "argument. Note that `shape` does not include the batch dimension.")
    layer_kwargs: dict[str, Any] = {"name": name, "dtype": dtype, "sparse": sparse,
                                    "ragged": ragged, "input_tensor": tensor,
                                    "type_spec": type_spec}
    if batch_shape is not None:
        layer_kwargs["batch_input_shape"] = tuple(batch_shape)
    else:
        if shape is not None and not isinstance(shape, (tuple, list)):
            shape = (shape,) if isinstance(shape, int) else tuple(shape)
        layer_kwargs["input_shape"] = shape
        layer_kwargs["batch_size"] = batch_size
    layer = InputLayer(**layer_kwargs)
    return layer._inbound_nodes[0].outputs
