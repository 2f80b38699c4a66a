"""A Keras model's architecture as tf-keras writes it (``get_config``, ``to_json``, the
``model_config`` of an HDF5 file) and the model rebuilt from it (``from_config``,
``model_from_json``), for Sequential and functional models.

A functional model's config lists its layers, each with the nodes (calls) that feed it:
``[inbound_layer_name, node_index, tensor_index, call_kwargs]`` per input, node indices
counted over the nodes inside this model (tf-keras' node_conversion_map); rebuilding calls
each layer on its inbound tensors once they exist. ``to_json`` and ``get_config`` use
tf-keras' current serialization (``module``, ``registered_name``, ``build_config``); the
HDF5 ``model_config`` its legacy one (``class_name`` and ``config`` only).
"""

from __future__ import annotations

import json
from typing import Any

from varstore.keras.engine import node as _node
from varstore.keras.engine.input_layer import InputLayer
from varstore.keras.layers.rnn_cells import deserialize_layer, serialize_layer
from varstore.keras.saving.hdf5_format import KERAS_VERSION

__all__ = ["KERAS_VERSION", "from_config", "get_config", "model_from_config",
           "model_from_json", "to_json"]


def _legacy(layer: Any) -> dict[str, Any]:
    return {"class_name": _class_name(layer), "config": layer.get_config()}


def _class_name(layer: Any) -> str:
    # tf-keras names a functional Model "Functional" (its class since TF 2.4)
    if type(layer).__name__ == "Model" and getattr(layer, "_is_graph_network", False):
        return "Functional"
    return type(layer).__name__


def _serialize(layer: Any, legacy: bool) -> dict[str, Any]:
    if legacy:
        return _legacy(layer)
    out = serialize_layer(layer)
    out["class_name"] = _class_name(layer)
    if hasattr(layer, "_is_graph_network") and out["module"] == "keras.layers":
        out["module"] = "keras"  # (tf-keras files its models under keras, not layers)
    return out


def get_config(model: Any, legacy: bool = False) -> dict[str, Any]:
    """``Model.get_config()`` of a Sequential or functional model."""
    from varstore.keras.engine.sequential import Sequential

    if isinstance(model, Sequential):
        config: dict[str, Any] = {"name": model.name,
                                  "layers": [_serialize(la, legacy) for la in model._layers]}
        return config
    if not getattr(model, "_is_graph_network", False):
        raise NotImplementedError(
            f"varstore lacks get_config of a subclassed Model ({type(model).__name__}): "
            "override get_config, or save the weights only")
    return _functional_config(model, legacy)


def _skip_first(layer: Any) -> bool:
    """tf-keras' _should_skip_first_node: a model built from its inputs has a first node of
    its own (inputs to outputs), which node indices in a config count but do not list."""
    first = getattr(layer, "_layers", None)
    if first is not None and hasattr(layer, "_auto_input"):  # a Sequential with an input
        return bool(first) and isinstance(first[0], InputLayer)
    return bool(getattr(layer, "_is_graph_network", False))


def _model_nodes(model: Any) -> dict[int, int]:
    """id(node) -> its index among its layer's nodes inside this model."""
    inside = {id(n) for n in model._nodes}
    inside.update(id(_node.history_of(x)) for x in model.inputs)
    index: dict[int, int] = {}
    for layer in model.layers:
        kept = 1 if _skip_first(layer) else 0
        for n in layer._inbound_nodes:
            if id(n) in inside:
                index[id(n)] = kept
                kept += 1
    return index


def _coordinates(t: Any, index: dict[int, int]) -> list[Any]:
    node = _node.history_of(t)
    if node is None:
        raise ValueError(f"{t} is not the output of a Keras layer")
    position = next(i for i, o in enumerate(_node.flatten(node.outputs)) if o is t)
    return [node.layer.name, index.get(id(node), 0), position]


def _functional_config(model: Any, legacy: bool) -> dict[str, Any]:
    index = _model_nodes(model)
    layers = []
    for layer in model.layers:
        nodes = []
        for n in layer._inbound_nodes:
            if id(n) not in index or isinstance(layer, InputLayer):
                continue
            if n.args:
                raise NotImplementedError(
                    f"varstore lacks get_config of a call of layer {layer.name} with "
                    "positional arguments beyond its inputs")
            kwargs = dict(n.kwargs)
            try:
                json.dumps(kwargs)
            except TypeError:
                raise NotImplementedError(
                    f"varstore lacks get_config of a call of layer {layer.name} with "
                    f"arguments that are not JSON values: {kwargs}") from None
            if isinstance(n.inputs, dict):
                raise NotImplementedError(
                    f"varstore lacks get_config of a call of layer {layer.name} on a dict")
            nodes.append([[*_coordinates(x, index), kwargs] for x in _node.flatten(n.inputs)])
        entry = _serialize(layer, legacy)
        entry["name"] = layer.name
        entry["inbound_nodes"] = nodes
        layers.append(entry)
    return {"name": model.name, "trainable": model.trainable, "layers": layers,
            "input_layers": [_coordinates(x, index) for x in model.inputs],
            "output_layers": [_coordinates(x, index) for x in model.outputs]}


def to_json(model: Any, **kwargs: Any) -> str:
    """``Model.to_json()``: the class name, the config and the tf-keras version."""
    return json.dumps({"class_name": _class_name(model), "config": get_config(model),
                       "keras_version": KERAS_VERSION, "backend": "tensorflow"}, **kwargs)


def from_config(cls: Any, config: dict[str, Any], custom_objects: Any = None) -> Any:
    """``Sequential.from_config`` / ``Model.from_config``."""
    from varstore.keras.engine.sequential import Sequential

    if issubclass(cls, Sequential):
        if isinstance(config, list):  # (Keras 1's format: the layers alone)
            config = {"layers": config}
        model = cls(name=config.get("name"))
        for layer_config in config["layers"]:
            model.add(deserialize_layer(layer_config, custom_objects))
        return model
    if "layers" not in config or "input_layers" not in config:
        raise NotImplementedError(
            f"varstore lacks {cls.__name__}.from_config of a config that is not a "
            "functional model's (layers, input_layers, output_layers)")
    inputs, outputs = _reconstruct(config, custom_objects)
    return cls(inputs=inputs, outputs=outputs, name=config.get("name"))


def _reconstruct(config: dict[str, Any], custom_objects: Any) -> tuple[Any, Any]:
    """tf-keras' reconstruct_from_config: the layers made, then called node by node as
    their inbound tensors become available."""
    created: dict[str, Any] = {}
    made_nodes: dict[tuple[str, int], Any] = {}  # (layer, config node index) -> Node
    pending: list[tuple[Any, int, list[Any]]] = []
    for data in config["layers"]:
        layer = deserialize_layer(data, custom_objects)
        created[data.get("name", layer.name)] = layer
        if isinstance(layer, InputLayer):
            made_nodes[(layer.name, 0)] = layer._inbound_nodes[0]
        first = 1 if _skip_first(layer) else 0
        for k, node_data in enumerate(data.get("inbound_nodes", [])):
            pending.append((layer, k + first, node_data))

    def tensor(coord: list[Any]) -> Any:
        node = made_nodes.get((coord[0], int(coord[1])))
        return None if node is None else _node.flatten(node.outputs)[int(coord[2])]

    while pending:
        progressed = False
        rest = []
        for layer, k, node_data in pending:
            entries = [node_data] if node_data and not isinstance(node_data[0], list) \
                else node_data
            found = [tensor(e) for e in entries]
            if any(t is None for t in found):
                rest.append((layer, k, node_data))
                continue
            kwargs = dict(entries[0][3]) if entries and len(entries[0]) > 3 else {}
            layer(found[0] if len(found) == 1 else found, **kwargs)
            made_nodes[(layer.name, k)] = layer._inbound_nodes[-1]
            progressed = True
        if not progressed:
            names = sorted({la.name for la, _, _ in rest})
            raise ValueError(f"Graph disconnected: the config's nodes of layers {names} "
                             "never get their inputs")
        pending = rest

    def ends(coords: list[Any]) -> Any:
        found = [tensor(c) for c in coords]
        if any(t is None for t in found):
            raise ValueError(f"the config names model inputs or outputs {coords} that no "
                             "layer makes")
        return found[0] if len(found) == 1 else found

    return ends(config["input_layers"]), ends(config["output_layers"])


def model_from_config(config: dict[str, Any], custom_objects: Any = None) -> Any:
    """``tf.keras.models.model_from_config``: ``{"class_name": ..., "config": ...}``."""
    from varstore.keras.engine.sequential import Sequential
    from varstore.keras.engine.training import Model

    if isinstance(config, list):
        raise TypeError("`model_from_config` expects a dictionary, not a list. Received: "
                        f"config={config}. Did you meant to use `Sequential.from_config(config)`?")
    name = config.get("class_name")
    classes = {"Sequential": Sequential, "Functional": Model, "Model": Model}
    cls = (custom_objects or {}).get(name) or classes.get(str(name))
    if cls is None:
        return deserialize_layer(config, custom_objects)
    return cls.from_config(config["config"], custom_objects=custom_objects)


def model_from_json(json_string: str, custom_objects: Any = None) -> Any:
    """``tf.keras.models.model_from_json``."""
    return model_from_config(json.loads(json_string), custom_objects=custom_objects)
