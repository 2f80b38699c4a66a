"""``Model.save_weights(prefix)`` / ``load_weights`` in TF's checkpoint format, as tf-keras
writes it for a model's weights: a V2 bundle whose keys follow the object graph
(``layer_with_weights-<i>/<attr>/.ATTRIBUTES/VARIABLE_VALUE``), the serialized
TrackableObjectGraph under ``_CHECKPOINTABLE_OBJECT_GRAPH``, and the directory's
``checkpoint`` state file. Each layer is the model's child ``layer-<j>`` and, when it has
weights, ``layer_with_weights-<i>`` (the i-th such layer); each weight is its layer's
attribute named as the variable. TF reads these files and varstore reads TF's.

Only the weights are written (not the optimizer's slots), and only layers that own their
weights directly: a layer holding sub-layers (an RNN's cell, a nested model) is refused by
name, as its keys would run through the sub-layer's attribute names.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import numpy as np

from varstore.keras import backend
from varstore.keras.saving.hdf5_format import layer_weights
from varstore.train.bundle_proto import int_field, len_field

__all__ = ["load_weights", "save_weights"]

OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"
_log = logging.getLogger("varstore.keras")


def _attr_name(layer: Any, weight: Any) -> str:
    return str(weight.name).rsplit("/", 1)[-1].split(":")[0]


def _layer_weights(layer: Any) -> list[Any]:
    """The layer's weights, when it owns them all (else its keys would run through
    sub-layers' attribute names)."""
    weights = layer_weights(layer)
    own = list(getattr(layer, "_trainable_weights", [])) + list(
        getattr(layer, "_non_trainable_weights", []))
    if len(own) != len(weights):
        raise NotImplementedError(
            f"varstore lacks tf.keras.Model.save_weights / load_weights in TF's checkpoint "
            f"format for layer {layer.name!r}, whose weights belong to sub-layers: use an "
            "HDF5 path ('.h5')")
    return weights


def _keys(model: Any) -> list[tuple[str, Any]]:
    """(checkpoint key, variable) of every weight, in the object graph's order."""
    out = []
    i = 0
    for layer in model.layers:
        weights = _layer_weights(layer)
        if not weights:
            continue
        for w in weights:
            key = f"layer_with_weights-{i}/{_attr_name(layer, w)}/.ATTRIBUTES/VARIABLE_VALUE"
            out.append((key, w))
        i += 1
    return out


def _object_graph(model: Any) -> bytes:
    """The TrackableObjectGraph tf-keras writes for the model's weights: the root (0), its
    layers (1..), then their variables, each with has_checkpoint_values."""
    layers = list(model.layers)
    per_layer = [_layer_weights(layer) for layer in layers]
    layer_id = {j: 1 + j for j in range(len(layers))}
    next_id = 1 + len(layers)
    root = b""
    i = 0
    var_nodes: list[bytes] = []
    layer_nodes: list[bytes] = []
    for j, (layer, weights) in enumerate(zip(layers, per_layer, strict=True)):
        ref = int_field(1, layer_id[j])
        if weights:
            root += len_field(1, ref + len_field(2, f"layer_with_weights-{i}".encode()))
        root += len_field(1, ref + len_field(2, f"layer-{j}".encode()))
        children = b""
        for w in weights:
            attr = _attr_name(layer, w)
            children += len_field(1, int_field(1, next_id) + len_field(2, attr.encode()))
            key = f"layer_with_weights-{i}/{attr}/.ATTRIBUTES/VARIABLE_VALUE"
            tensor = (len_field(1, b"VARIABLE_VALUE")
                      + len_field(2, str(w.name).split(":")[0].encode())
                      + len_field(3, key.encode()))
            var_nodes.append(len_field(2, tensor) + len_field(5, int_field(1, 1)))
            next_id += 1
        layer_nodes.append(children + len_field(5, int_field(1, 1) if weights else b""))
        if weights:
            i += 1
    root += len_field(1, len_field(2, b"root"))
    root += len_field(5, int_field(1, 1))
    return b"".join(len_field(1, node) for node in [root, *layer_nodes, *var_nodes])


def save_weights(model: Any, filepath: Any) -> None:
    from varstore.train.bundle_writer import BundleWriter
    from varstore.train.checkpoint_management import update_checkpoint_state

    prefix = str(os.fspath(filepath))
    entries = _keys(model)
    values = backend.batch_get_value([w for _, w in entries])
    tensors = {key: np.asarray(v) for (key, _), v in zip(entries, values, strict=True)}
    tensors[OBJECT_GRAPH_KEY] = np.asarray(_object_graph(model), dtype=object)
    directory = os.path.dirname(prefix)
    if directory and not os.path.isdir(directory):
        os.makedirs(directory)
    with BundleWriter(prefix) as writer:
        for key in sorted(tensors):
            writer.add(key, tensors[key])
        writer.finish()
    update_checkpoint_state(directory or ".", prefix, save_relative_paths=True)


def load_weights(model: Any, filepath: Any) -> None:
    """Restores each weight from its object-graph key (TF matches by structure, not by
    variable name); a shape mismatch is TF's InvalidArgumentError-like ValueError, and
    weights the file lacks keep their values, with TF's warning."""
    from varstore.train.checkpoint_reader import open_checkpoint

    source = open_checkpoint(str(os.fspath(filepath)))
    try:
        present = set(source.names())
        pairs = []
        missing = []
        for key, w in _keys(model):
            if key not in present:
                missing.append(key)
                continue
            value = np.asarray(source.read(key))
            want = tuple(w.shape.as_list())
            if value.shape != want:
                raise ValueError(f"Received incompatible tensor with shape {value.shape} when "
                                 f"attempting to restore variable with shape {want} and name "
                                 f"{key}.")
            pairs.append((w, value))
    finally:
        source.close()
    if missing:
        _log.warning("Value in checkpoint could not be found in the restored object: %s",
                     ", ".join(missing))
    backend.batch_set_value(pairs)
