"""``tf.keras.models``: the model classes, their configs and JSON, cloning, and whole-model
HDF5 files (``save_model`` / ``load_model``)."""

from __future__ import annotations

from typing import Any

from varstore.keras.engine.sequential import Sequential
from varstore.keras.engine.training import Model
from varstore.keras.saving.hdf5_model import load_model
from varstore.keras.saving.model_config import model_from_config, model_from_json

__all__ = ["Model", "Sequential", "clone_model", "load_model", "model_from_config",
           "model_from_json", "save_model"]


def clone_model(model: Any, input_tensors: Any = None, clone_function: Any = None) -> Any:
    """``tf.keras.models.clone_model``: the same architecture (layer names included) with
    new, freshly initialized weights: the model rebuilt from its config."""
    for arg, value in (("input_tensors", input_tensors), ("clone_function", clone_function)):
        if value is not None:
            raise NotImplementedError(f"varstore lacks tf.keras.models.clone_model({arg}=...)")
    # (anything else, a layer too, is rebuilt from its config, as tf-keras does)
    return type(model).from_config(model.get_config())


def save_model(model: Any, filepath: Any, overwrite: bool = True,
               include_optimizer: bool = True, save_format: Any = None,
               signatures: Any = None, options: Any = None, save_traces: bool = True) -> None:
    """``tf.keras.models.save_model``: ``model.save`` (HDF5 only)."""
    model.save(filepath, overwrite=overwrite, include_optimizer=include_optimizer,
               save_format=save_format, signatures=signatures, options=options,
               save_traces=save_traces)


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.keras.models' has no attribute {name!r}: "
                         f"varstore lacks tf.keras.models.{name}")
