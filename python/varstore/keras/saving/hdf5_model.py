"""A whole Keras model in one HDF5 file, as tf-keras' ``Model.save("m.h5")`` writes it and
``load_model`` reads it: the architecture (``model_config``, legacy serialization), the
compile arguments (``training_config``, the optimizer's config included), the weights
(``model_weights``, the ``save_weights`` layout) and the optimizer's weights
(``optimizer_weights``: its iteration count and slots, in the optimizer's order)."""

from __future__ import annotations

import json
import logging
import os
import types
from typing import Any

import numpy as np

from varstore.keras import backend
from varstore.keras import losses as _losses
from varstore.keras import optimizers as _optimizers
from varstore.keras.saving import hdf5_format, model_config

__all__ = ["load_model", "save_model"]

_log = logging.getLogger("varstore.keras.saving")


def _loss_config(loss: Any) -> Any:
    if loss is None or isinstance(loss, str):
        return loss
    if isinstance(loss, dict):
        return {k: _loss_config(v) for k, v in loss.items()}
    if isinstance(loss, (list, tuple)):
        return [_loss_config(v) for v in loss]
    if isinstance(loss, types.FunctionType):
        return loss.__name__
    return _losses.serialize(loss, use_legacy_format=True)


def _metric_config(metric: Any) -> Any:
    if metric is None or isinstance(metric, str):
        return metric
    if isinstance(metric, dict):
        return {k: _metric_config(v) for k, v in metric.items()}
    if isinstance(metric, (list, tuple)):
        return [_metric_config(v) for v in metric]
    if isinstance(metric, types.FunctionType):
        return metric.__name__
    if hasattr(metric, "get_config"):
        return {"class_name": type(metric).__name__, "config": metric.get_config()}
    raise NotImplementedError(f"varstore lacks saving the compile metric {metric!r}")


def _training_config(model: Any) -> dict[str, Any] | None:
    args = model.__dict__.get("_compile_args")
    optimizer = model.__dict__.get("optimizer")
    if args is None or optimizer is None:
        return None
    if not isinstance(optimizer, _optimizers.Optimizer):
        # a tf.train optimizer has no config (tf-keras warns and saves no training config)
        _log.warning("TensorFlow optimizers do not make it possible to access optimizer "
                     "attributes or optimizer state after instantiation. As a result, we "
                     "cannot save the optimizer as part of the model save file.")
        return None
    return {"loss": _loss_config(args["loss"]),
            "metrics": _metric_config(args["metrics"] or []),
            "loss_weights": args["loss_weights"], "sample_weight_mode": None,
            "weighted_metrics": None,
            "optimizer_config": _optimizers.serialize(optimizer)}


def _json_default(obj: Any) -> Any:
    # tf-keras' get_json_type: NumPy scalars and arrays, TensorShapes, DTypes
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if hasattr(obj, "as_list"):
        return obj.as_list()
    if hasattr(obj, "as_numpy_dtype"):
        return obj.name
    raise TypeError(f"Not JSON Serializable: {obj!r}")


def save_model(model: Any, filepath: Any, include_optimizer: bool = True) -> None:
    """``Model.save(path)`` / ``tf.keras.models.save_model`` in the HDF5 format."""
    h5py = hdf5_format._h5py()
    config = {"class_name": model_config._class_name(model),
              "config": model_config.get_config(model, legacy=True)}
    text = json.dumps(config, default=_json_default)
    training = _training_config(model) if include_optimizer else None
    optimizer_weights = []
    if training is not None:
        optimizer_weights = list(model.optimizer.weights)
    path = os.fspath(filepath)
    # written to a temporary name first: a failed save leaves no half-written model behind
    partial = path + ".partial"
    try:
        with h5py.File(partial, "w") as f:
            f.attrs["backend"] = "tensorflow"
            f.attrs["keras_version"] = hdf5_format.KERAS_VERSION
            f.attrs["model_config"] = text
            hdf5_format.save_weights_to_group(f.create_group("model_weights"), model)
            if training is not None:
                f.attrs["training_config"] = json.dumps(training, default=_json_default)
                if optimizer_weights:
                    hdf5_format.save_subset(f.create_group("optimizer_weights"),
                                            optimizer_weights)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def _text(value: Any) -> str:
    return value.decode("utf8") if isinstance(value, bytes) else str(value)


def load_model(filepath: Any, custom_objects: Any = None, compile: bool = True,
               options: Any = None) -> Any:
    """``tf.keras.models.load_model`` of an HDF5 file: the model rebuilt from its config,
    its weights loaded, and (``compile=True``, a compiled model's file) compiled as it was,
    with the optimizer's saved state."""
    h5py = hdf5_format._h5py()
    path = os.fspath(filepath)
    if os.path.isdir(path):
        raise NotImplementedError(f"varstore lacks tf.keras.models.load_model of a SavedModel "
                                  f"directory ({path}): load a '.h5' file")
    import zipfile

    if zipfile.is_zipfile(path):
        raise NotImplementedError(f"varstore lacks tf.keras.models.load_model of the Keras v3 "
                                  f"'.keras' zip format ({path}): load a '.h5' file")
    with h5py.File(path, "r") as f:
        if "model_config" not in f.attrs:
            raise ValueError(f"No model config found in the file at {path}.")
        config = json.loads(_text(f.attrs["model_config"]))
        model = model_config.model_from_config(config, custom_objects=custom_objects)
        hdf5_format.load_weights_from_group(model, f["model_weights"])
        training = f.attrs.get("training_config")
        if not compile or training is None:
            if compile and training is None:
                _log.warning("No training configuration found in the save file, so the "
                             "model was *not* compiled. Compile it manually.")
            return model
        training = json.loads(_text(training))
        optimizer = _optimizers.deserialize(training["optimizer_config"], custom_objects)
        model.compile(optimizer=optimizer,
                      loss=_deserialize_losses(training.get("loss"), custom_objects),
                      metrics=training.get("metrics"),
                      loss_weights=training.get("loss_weights"))
        if "optimizer_weights" in f:
            values = hdf5_format.load_subset(f["optimizer_weights"])
            optimizer._create_all_weights(model.trainable_weights)
            weights = list(optimizer.weights)
            if len(weights) != len(values):
                _log.warning("Error in loading the saved optimizer state. As a result, your "
                             "model is starting with a freshly initialized optimizer.")
            else:
                backend.batch_set_value(list(zip(weights, values, strict=True)))
    return model


def _deserialize_losses(loss: Any, custom_objects: Any) -> Any:
    # (tf-keras' compile_args_from_training_config: a name becomes its function)
    if isinstance(loss, str) or (isinstance(loss, dict) and "class_name" in loss):
        return _losses.deserialize(loss, custom_objects)
    if isinstance(loss, dict):
        return {k: _deserialize_losses(v, custom_objects) for k, v in loss.items()}
    if isinstance(loss, list):
        return [_deserialize_losses(v, custom_objects) for v in loss]
    return loss
