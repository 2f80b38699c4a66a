"""``tf.keras.Sequential``: layers applied in order. A first layer given ``input_shape``
gets an InputLayer (``<layer>_input``) and each added layer is called at once, where the
model is built (its variables outside the model's name scope); otherwise the layers are
built at the model's first call, under its name scope. A call runs the layers under the
model's name scope (``sequential/dense/...``)."""

from __future__ import annotations

from typing import Any

from varstore.keras.engine import node as _node
from varstore.keras.engine.base_layer import Layer
from varstore.keras.engine.input_layer import InputLayer
from varstore.keras.engine.training import Model

__all__ = ["Sequential"]


def _input_shape_and_dtype(layer: Layer) -> tuple[Any, Any]:
    """tf-keras' get_input_shape_and_dtype: a nested model's deepest first layer's."""
    while getattr(layer, "_is_graph_network", False) or type(layer).__name__ == "Sequential":
        inner = layer.layers  # type: ignore[attr-defined]
        if not inner:
            raise ValueError("An empty Model cannot be used as a Layer.")
        layer = inner[0] if not isinstance(layer, Sequential) or layer._auto_input is None \
            else layer._auto_input
    if getattr(layer, "_batch_input_shape", None):
        return layer._batch_input_shape, layer.dtype
    return None, None


class Sequential(Model):
    def __init__(self, layers: Any = None, name: str | None = None) -> None:
        super().__init__(name=name)
        self._layers: list[Layer] = []
        self._auto_input: InputLayer | None = None
        if layers:
            if not isinstance(layers, (list, tuple)):
                layers = [layers]
            for layer in layers:
                self.add(layer)

    @property
    def layers(self) -> list[Layer]:
        # the InputLayer (made or added first) is not listed, as tf-keras' Sequential.layers
        layers = self._layers
        if layers and isinstance(layers[0], InputLayer):
            return layers[1:]
        return list(layers)

    def add(self, layer: Any) -> None:
        if not isinstance(layer, Layer):
            raise TypeError("The added layer must be an instance of class Layer. Received: "
                            f"layer={layer} of type {type(layer)}.")
        for existing in self._layers:
            if existing.name == layer.name:
                raise ValueError("All layers added to a Sequential model should have unique "
                                 f'names. Name "{layer.name}" is already the name of a '
                                 "layer in this model. Update the `name` argument to pass "
                                 "a unique name.")
        if not self._layers:
            if isinstance(layer, InputLayer):
                self._start(layer, [])
                return
            batch_shape, dtype = _input_shape_and_dtype(layer)
            if batch_shape is not None:
                auto = InputLayer(batch_input_shape=batch_shape, dtype=dtype,
                                  name=layer.name + "_input")
                self._auto_input = auto
                self._start(auto, [layer])
                return
        elif self.outputs:
            out = layer(self.outputs[0])
            if len(_node.flatten(out)) != 1:
                raise ValueError("All layers in a Sequential model should have a single "
                                 "output tensor. For multi-output layers, use the "
                                 "functional API.")
            self.outputs = [out]
            self._nodes.append(layer._inbound_nodes[-1])
        self._layers.append(layer)
        self._tracked_layers.append(layer)
        if self.outputs:
            self._nested_outputs = self.outputs[0]

    def _start(self, input_layer: InputLayer, rest: list[Layer]) -> None:
        x = input_layer._inbound_nodes[0].outputs
        self.inputs = [x]
        self.outputs = [x]
        self._nested_inputs = x
        self._nested_outputs = x
        self._layers.append(input_layer)
        self._tracked_layers.append(input_layer)
        self.built = True
        # (tf-keras: a Sequential built from its input shape serializes it as build_config)
        shape = input_layer._batch_input_shape
        self._build_input_shape = None if shape is None else tuple(shape)
        for layer in rest:
            self.add(layer)

    def call(self, inputs: Any, training: Any = None, mask: Any = None) -> Any:
        outputs = inputs
        for layer in self.layers:
            if isinstance(layer, InputLayer):
                continue
            outputs = layer(outputs)
        return outputs

    def pop(self) -> None:
        if not self.layers:
            raise TypeError("There are no layers in the model.")
        layer = self._layers.pop()
        self._tracked_layers = [t for t in self._tracked_layers if t is not layer]
        if self.outputs and self._nodes:
            self._nodes.pop()
            self.outputs = [self._nodes[-1].outputs if self._nodes else self.inputs[0]]
            self._nested_outputs = self.outputs[0]
