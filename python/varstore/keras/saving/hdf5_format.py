"""``Model.save_weights(path.h5)`` / ``load_weights``: tf-keras' legacy HDF5 weight layout
(saving/legacy/hdf5_format.py), so the files go both ways between varstore and TF.

The file's ``layer_names`` attribute lists the model's layers; one group per layer (sorted
by name) holds its weights as datasets named by the variables (``dense/kernel:0``) and a
``weight_names`` attribute; ``top_level_model_weights`` the model's own. Loading matches the
layers that have weights in order (TF's ``by_name=False``), or by name. HDF5 is written
with h5py, an optional dependency (``pip install varstore[h5]``): without it these raise
ImportError naming it. TF's checkpoint format (a path without ``.h5``) is tf_format.py.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from varstore.keras import backend

__all__ = ["is_hdf5_filepath", "layer_weights", "load_weights", "save_weights"]

KERAS_VERSION = "2.21.0"  # the tf-keras release whose files these are
HDF5_OBJECT_HEADER_LIMIT = 64512


def _h5py() -> Any:
    try:
        import h5py  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        raise ImportError("`save_weights` / `load_weights` of an HDF5 file require h5py: "
                          "pip install h5py (or varstore[h5])") from None
    return h5py


def is_hdf5_filepath(filepath: Any) -> bool:
    path = str(os.fspath(filepath))
    return path.endswith((".h5", ".keras", ".hdf5"))


def _save_attributes(group: Any, name: str, data: list[bytes]) -> None:
    bad = [x for x in data if len(x) > HDF5_OBJECT_HEADER_LIMIT]
    if bad:
        raise RuntimeError("The following attributes cannot be saved to HDF5 file because "
                           f"they are larger than {HDF5_OBJECT_HEADER_LIMIT} bytes: {bad}")
    arr = np.asarray(data)
    chunks = 1
    parts = np.array_split(arr, chunks)
    while any(x.nbytes > HDF5_OBJECT_HEADER_LIMIT for x in parts):
        chunks += 1
        parts = np.array_split(arr, chunks)
    if chunks > 1:
        for i, part in enumerate(parts):
            group.attrs[f"{name}{i}"] = part
    else:
        group.attrs[name] = data


def _load_attributes(group: Any, name: str) -> list[str]:
    def text(n: Any) -> str:
        return n.decode("utf8") if hasattr(n, "decode") else str(n)

    if name in group.attrs:
        return [text(n) for n in group.attrs[name]]
    data: list[str] = []
    i = 0
    while f"{name}{i}" in group.attrs:
        data.extend(text(n) for n in group.attrs[f"{name}{i}"])
        i += 1
    return data


def layer_weights(layer: Any) -> list[Any]:
    """tf-keras' _legacy_weights: the trainable weights, then the others."""
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def _save_subset(group: Any, weights: list[Any]) -> None:
    values = backend.batch_get_value(weights)
    names = [w.name.encode("utf8") for w in weights]
    _save_attributes(group, "weight_names", names)
    for name, value in zip(names, values, strict=True):
        value = np.asarray(value)
        dset = group.create_dataset(name, value.shape, dtype=value.dtype)
        if not value.shape:
            dset[()] = value
        else:
            dset[:] = value


def _load_subset(group: Any) -> list[np.ndarray]:
    return [np.asarray(group[n]) for n in _load_attributes(group, "weight_names")]


def save_weights(model: Any, filepath: Any) -> None:
    h5py = _h5py()
    with h5py.File(os.fspath(filepath), "w") as f:
        save_weights_to_group(f, model)


def save_weights_to_group(f: Any, model: Any) -> None:
    """tf-keras' save_weights_to_hdf5_group: one group per layer (sorted by name), its
    weights' names, and the model's own weights."""
    _save_attributes(f, "layer_names", [layer.name.encode("utf8") for layer in model.layers])
    f.attrs["backend"] = b"tensorflow"
    f.attrs["keras_version"] = KERAS_VERSION.encode("utf8")
    for layer in sorted(model.layers, key=lambda x: x.name):
        _save_subset(f.create_group(layer.name), layer_weights(layer))
    _save_subset(f.create_group("top_level_model_weights"),
                 list(model._trainable_weights) + list(model._non_trainable_weights))


def save_subset(group: Any, weights: list[Any]) -> None:
    """Weights as datasets named by their variables' names, with a weight_names list."""
    _save_subset(group, weights)


def load_subset(group: Any) -> list[np.ndarray]:
    return _load_subset(group)


def load_weights_from_group(model: Any, f: Any) -> None:
    """The weights of a file's (or a whole-model file's ``model_weights``) group, in order."""
    backend.batch_set_value(_pairs_in_order(f, model))


def load_weights(model: Any, filepath: Any, by_name: bool = False,
                 skip_mismatch: bool = False) -> None:
    h5py = _h5py()
    with h5py.File(os.fspath(filepath), "r") as f:
        if "layer_names" not in f.attrs and "model_weights" in f:
            f = f["model_weights"]  # (a whole-model file)
        if by_name:
            pairs = _pairs_by_name(f, model, skip_mismatch)
        else:
            if skip_mismatch:
                raise ValueError("When calling `load_weights`, `skip_mismatch` can only be "
                                 "set to True when `by_name` is True.")
            pairs = _pairs_in_order(f, model)
    backend.batch_set_value(pairs)


def _pairs_in_order(f: Any, model: Any) -> list[tuple[Any, np.ndarray]]:
    layers = [layer for layer in model.layers if layer_weights(layer)]
    names = [n for n in _load_attributes(f, "layer_names")
             if _load_attributes(f[n], "weight_names")]
    if len(names) != len(layers):
        raise ValueError("Layer count mismatch when loading weights from file. Model "
                         f"expected {len(layers)} layers, found {len(names)} saved layers.")
    pairs: list[tuple[Any, np.ndarray]] = []
    for k, name in enumerate(names):
        layer = layers[k]
        symbolic = layer_weights(layer)
        values = _load_subset(f[name])
        if len(values) != len(symbolic):
            raise ValueError(f"Weight count mismatch for layer #{k} (named {layer.name} in "
                             f"the current model, {name} in the save file). Layer expects "
                             f"{len(symbolic)} weight(s). Received {len(values)} saved "
                             "weight(s)")
        pairs += _checked(layer, symbolic, values, False)
    if "top_level_model_weights" in f:
        symbolic = list(model._trainable_weights) + list(model._non_trainable_weights)
        values = _load_subset(f["top_level_model_weights"])
        if len(values) != len(symbolic):
            raise ValueError("Weight count mismatch for top-level weights when loading "
                             f"weights from file. Model expects {len(symbolic)} top-level "
                             f"weight(s). Received {len(values)} saved top-level weight(s)")
        pairs += list(zip(symbolic, values, strict=True))
    return pairs


def _checked(layer: Any, symbolic: list[Any], values: list[np.ndarray],
             skip_mismatch: bool) -> list[tuple[Any, np.ndarray]]:
    pairs = []
    for i, (w, v) in enumerate(zip(symbolic, values, strict=True)):
        want = tuple(w.shape.as_list())
        if want != tuple(v.shape):
            if skip_mismatch:
                continue
            raise ValueError(f"Shape mismatch in layer #{i} (named {layer.name}) for weight "
                             f"{w.name}. Weight expects shape {list(want)}. Received saved "
                             f"weight with shape {tuple(v.shape)}")
        pairs.append((w, v))
    return pairs


def _pairs_by_name(f: Any, model: Any, skip_mismatch: bool) -> list[tuple[Any, np.ndarray]]:
    index: dict[str, list[Any]] = {}
    for layer in model.layers:
        if layer.name:
            index.setdefault(layer.name, []).append(layer)
    pairs: list[tuple[Any, np.ndarray]] = []
    for k, name in enumerate(_load_attributes(f, "layer_names")):
        values = _load_subset(f[name])
        for layer in index.get(name, []):
            symbolic = layer_weights(layer)
            if len(values) != len(symbolic):
                if skip_mismatch:
                    continue
                raise ValueError(f"Weight count mismatch for layer #{k} (named {layer.name}). "
                                 f"Layer expects {len(symbolic)} weight(s). Received "
                                 f"{len(values)} saved weight(s)")
            pairs += _checked(layer, symbolic, values, skip_mismatch)
    return pairs
