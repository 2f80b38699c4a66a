"""``tf.keras.Model`` in TF1 graph mode: functional (``Model(inputs, outputs)``: the layer
calls between them, replayed on new inputs under the model's name scope) or subclassed
(``call`` written by the user, sub-layers tracked as attributes).

``compile`` / ``fit`` / ``evaluate`` / ``predict`` / ``*_on_batch`` are TF's v1 array loops
(training_fit.py), with fit's callbacks (keras/callbacks.py); generators and datasets are not built.
"""

from __future__ import annotations

import os
from typing import Any, NoReturn

from varstore.keras.engine import node as _node
from varstore.keras.engine import training_fit as _fit
from varstore.keras.engine.base_layer import Layer, shape_tuple
from varstore.keras.engine.summary import print_summary

__all__ = ["Model"]


def _is_hdf5(filepath: Any) -> bool:
    from varstore.keras.saving import hdf5_format

    path = os.fspath(filepath)
    if hdf5_format.is_hdf5_filepath(path):
        return True
    try:
        with open(path, "rb") as f:
            return f.read(8) == b"\x89HDF\r\n\x1a\n"
    except OSError:
        return False


def _format(filepath: Any, save_format: Any, method: str) -> bool:
    """True for Keras' HDF5 file, False for TF's checkpoint format (tf-keras' rule: the
    path's suffix, unless ``save_format`` says)."""
    path = os.fspath(filepath)
    if path.endswith(".weights.h5"):
        raise NotImplementedError(f"varstore lacks tf.keras.Model.{method} of the Keras 3 "
                                  "'.weights.h5' layout: use a '.h5' path")
    fmt = str(save_format or ("h5" if _is_hdf5(path) else "tf")).lower()
    if fmt not in ("h5", "hdf5", "keras", "tf", "tensorflow"):
        raise ValueError(f"Unknown format. Received: `save_format`={save_format}. Was "
                         "expecting one of {'tf', 'h5'}.")
    return fmt in ("h5", "hdf5", "keras")


def _unsupported(method: str) -> NoReturn:
    raise NotImplementedError(f"varstore lacks tf.keras.Model.{method}: train the model's "
                              "variables with a tf.train optimizer (minimize the loss built "
                              "from the model's outputs) in a tf.Session")


def _map_graph(inputs: list[Any], outputs: list[Any]) -> tuple[list[_node.Node], list[Any]]:
    """tf-keras' _map_graph_network: the nodes from ``inputs`` to ``outputs`` in the order a
    call runs them (by decreasing depth from the outputs) and the model's layers (by
    decreasing depth, then first-traversal order; unused inputs' layers included)."""
    finished: set[int] = set()
    in_progress: set[int] = set()
    order: list[_node.Node] = []
    layer_index: dict[int, int] = {}
    layers_by_id: dict[int, Any] = {}

    def visit(t: Any) -> None:
        node = _node.history_of(t)
        if node is None:
            raise ValueError("Output tensors of a Functional model must be the output of a "
                             f"TensorFlow `Layer` (thus holding past layer metadata). Found: "
                             f"{t}")
        if id(node) in finished:
            return
        if id(node) in in_progress:
            raise ValueError(f'Tensor {t} from layer "{node.layer.name}" is part of a cycle.')
        layer_index.setdefault(id(node.layer), len(layer_index))
        layers_by_id[id(node.layer)] = node.layer
        in_progress.add(id(node))
        for x in _node.flatten(node.inputs):
            visit(x)
        finished.add(id(node))
        in_progress.remove(id(node))
        order.append(node)

    for out in outputs:
        visit(out)
    nodes_by_id = {id(n): n for n in order}
    node_depth: dict[int, int] = {}
    layer_depth: dict[int, int] = {}
    for node in reversed(order):
        depth = node_depth.setdefault(id(node), 0)
        depth = max(depth, layer_depth.get(id(node.layer), 0))
        layer_depth[id(node.layer)] = depth
        node_depth[id(node)] = depth
        for x in _node.flatten(node.inputs):
            parent = _node.history_of(x)
            assert parent is not None
            node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    for x in inputs:
        start = _node.history_of(x)
        assert start is not None
        if id(start.layer) not in layer_depth:
            layer_depth[id(start.layer)] = 0
            layer_index[id(start.layer)] = -1
            layers_by_id[id(start.layer)] = start.layer
            node_depth[id(start)] = 0
            nodes_by_id[id(start)] = start
    layers: list[Any] = []
    for depth in sorted(set(layer_depth.values()), reverse=True):
        ids = [k for k, d in layer_depth.items() if d == depth]
        layers.extend(layers_by_id[k] for k in sorted(ids, key=lambda k: layer_index[k]))
    run: list[_node.Node] = []
    computable = {id(x) for x in inputs}
    done: list[str] = []
    for depth in sorted(set(node_depth.values()), reverse=True):
        for k, d in node_depth.items():
            node = nodes_by_id[k]
            if d != depth or not _node.flatten(node.inputs):
                continue
            for x in _node.flatten(node.inputs):
                if id(x) not in computable:
                    raise ValueError(f"Graph disconnected: cannot obtain value for tensor {x} "
                                     f'at layer "{node.layer.name}". The following previous '
                                     f"layers were accessed without issue: {done}")
            computable.update(id(x) for x in _node.flatten(node.outputs))
            done.append(node.layer.name)
            run.append(node)
    names = [la.name for la in layers]
    for name in names:
        if names.count(name) != 1:
            raise ValueError(f'The name "{name}" is used {names.count(name)} times in the '
                             "model. All layer names should be unique.")
    return run, layers


class Model(Layer):
    """``tf.keras.Model``: ``Model(inputs, outputs)`` or a subclass with ``call``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        inputs = kwargs.pop("inputs", args[0] if args else None)
        outputs = kwargs.pop("outputs", args[1] if len(args) > 1 else None)
        layer_kwargs = {k: kwargs.pop(k) for k in ("name", "trainable", "dtype")
                        if k in kwargs}
        if kwargs:
            raise TypeError(f"The following keyword arguments passed to `Model` aren't "
                            f"supported: {kwargs}.")
        super().__init__(**layer_kwargs)
        self._is_graph_network = False
        self.inputs: list[Any] = []
        self.outputs: list[Any] = []
        self._nodes: list[_node.Node] = []
        if inputs is not None or outputs is not None:
            if inputs is None or outputs is None:
                raise TypeError("Functional model requires both `inputs` and `outputs`; "
                                f"got inputs={inputs}, outputs={outputs}")
            self._init_graph_network(inputs, outputs)

    def _init_graph_network(self, inputs: Any, outputs: Any) -> None:
        self._nested_inputs = inputs
        self._nested_outputs = outputs
        self.inputs = _node.flatten(inputs)
        self.outputs = _node.flatten(outputs)
        for x in self.inputs:
            if _node.history_of(x) is None:
                raise ValueError("Input tensors to a Functional must come from "
                                 f"`tf.keras.Input`. Received: {x} (missing previous layer "
                                 "metadata).")
        self._nodes, layers = _map_graph(self.inputs, self.outputs)
        self._graph_layers = layers
        for layer in layers:
            if all(layer is not t for t in self._tracked_layers):
                self._tracked_layers.append(layer)
        self._is_graph_network = True
        self.built = True

    # -- structure ------------------------------------------------------------------------
    @property
    def weights(self) -> list[Any]:
        """tf-keras' Model.weights: each layer's variables in turn, then the model's own."""
        out: list[Any] = []
        for layer in self._tracked_layers:
            out.extend(layer.weights)
        return self._dedup(out + self._trainable_weights + self._non_trainable_weights)

    @property
    def variables(self) -> list[Any]:
        return self.weights

    @property
    def layers(self) -> list[Layer]:
        if self._is_graph_network:
            return list(self._graph_layers)
        return list(self._tracked_layers)

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        if index is not None and name is not None:
            raise ValueError("Provide only a layer name or a layer index. Received: "
                             f"index={index}, name={name}.")
        if index is not None:
            if len(self.layers) <= index:
                raise ValueError(f"Was asked to retrieve layer at index {index} but model "
                                 f"only has {len(self.layers)} layers.")
            return self.layers[index]
        if name is not None:
            for layer in self.layers:
                if layer.name == name:
                    return layer
            raise ValueError(f"No such layer: {name}. Existing layers are: "
                             f"{[layer.name for layer in self.layers]}.")
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    @property
    def input(self) -> Any:
        if not self.inputs:
            raise AttributeError("Layer " + self.name + " is not connected, no input to "
                                 "return.")
        return self._nested_inputs

    @property
    def output(self) -> Any:
        if not self.outputs:
            raise AttributeError("Layer " + self.name + " has no inbound nodes.")
        return self._nested_outputs

    @property
    def input_shape(self) -> Any:
        if not self.inputs:
            return super().input_shape
        shapes = [shape_tuple(x) for x in self.inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self) -> Any:
        if not self.outputs:
            return super().output_shape
        shapes = [shape_tuple(x) for x in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    def summary(self, line_length: int | None = None, positions: Any = None,
                print_fn: Any = None, expand_nested: bool = False,
                show_trainable: bool = False, layer_range: Any = None) -> None:
        if not self.built:
            raise ValueError("This model has not yet been built. Build the model first by "
                             "calling `build()` or by calling the model on a batch of data.")
        print_summary(self, line_length=line_length, positions=positions,
                      print_fn=print_fn)

    # -- calling --------------------------------------------------------------------------
    def call(self, inputs: Any, training: Any = None, mask: Any = None) -> Any:
        if not self._is_graph_network:
            raise NotImplementedError(f"Unimplemented `tf.keras.Model.call()`: if you "
                                      f"intend to create a `Model` with the Functional API, "
                                      f"please provide `inputs` and `outputs` arguments. "
                                      f"Otherwise, subclass `Model` with an overridden "
                                      f"`call()` method. (model {self.name})")
        return self._run_graph(inputs)

    def _run_graph(self, inputs: Any) -> Any:
        """Each recorded layer call again, on the tensors the new inputs lead to."""
        given = _node.flatten(inputs)
        if len(given) != len(self.inputs):
            raise ValueError(f'Layer "{self.name}" expects {len(self.inputs)} input(s), but '
                             f"it received {len(given)} input tensors. Inputs received: "
                             f"{given}")
        mapped: dict[int, Any] = {id(k): v for k, v in zip(self.inputs, given, strict=True)}

        def remap(x: Any) -> Any:
            if isinstance(x, (list, tuple)):
                return type(x)(remap(v) for v in x)
            if isinstance(x, dict):
                return {k: remap(v) for k, v in x.items()}
            return mapped.get(id(x), x)

        for node in self._nodes:
            out = node.layer(remap(node.inputs), *node.args, **node.kwargs)
            for old, new in zip(_node.flatten(node.outputs), _node.flatten(out),
                                strict=True):
                mapped[id(old)] = new
        return remap(self._nested_outputs)

    def compute_output_shape(self, input_shape: Any) -> Any:
        if self._is_graph_network:
            return self.output_shape
        return super().compute_output_shape(input_shape)

    # -- Keras training (training_fit.py: TF's v1 array loops) ------------------------------
    def compile(self, optimizer: Any = "rmsprop", loss: Any = None, metrics: Any = None,
                loss_weights: Any = None, sample_weight_mode: Any = None,
                weighted_metrics: Any = None, target_tensors: Any = None,
                distribute: Any = None, **kwargs: Any) -> None:
        for arg, value in (("sample_weight_mode", sample_weight_mode),
                           ("weighted_metrics", weighted_metrics),
                           ("target_tensors", target_tensors), ("distribute", distribute)):
            if value is not None:
                raise NotImplementedError(f"varstore lacks tf.keras.Model.compile({arg}=...)")
        if kwargs:
            raise TypeError(f"Invalid keyword argument(s) in `compile()`: {tuple(kwargs)}. "
                            "Valid keyword arguments include \"cloning\", "
                            "\"experimental_run_tf_function\", \"distribute\", "
                            "\"target_tensors\", or \"sample_weight_mode\".")
        self._compiled = _fit.Compiled(self, optimizer, loss, metrics, loss_weights)
        self.optimizer = self._compiled.optimizer
        # what Model.save records as the file's training_config
        self._compile_args = {"loss": loss, "metrics": metrics, "loss_weights": loss_weights}
        self.loss = loss or {}

    def _compiled_or_raise(self) -> _fit.Compiled:
        compiled: _fit.Compiled | None = self.__dict__.get("_compiled")
        if compiled is None:
            raise RuntimeError("You must compile your model before training/testing. Use "
                               "`model.compile(optimizer, loss)`.")
        return compiled

    @property
    def metrics_names(self) -> list[str]:
        compiled = self.__dict__.get("_compiled")
        return list(compiled.metrics_names) if compiled is not None else []

    @property
    def metrics(self) -> list[Any]:
        compiled = self.__dict__.get("_compiled")
        return list(compiled.metrics) if compiled is not None else []

    def reset_metrics(self) -> None:
        compiled = self.__dict__.get("_compiled")
        if compiled is not None:
            compiled.reset_metrics()

    def fit(self, x: Any = None, y: Any = None, batch_size: int | None = None,
            epochs: int = 1, verbose: int = 1, callbacks: Any = None,
            validation_split: float = 0.0, validation_data: Any = None,
            shuffle: Any = True, class_weight: Any = None, sample_weight: Any = None,
            initial_epoch: int = 0, steps_per_epoch: Any = None,
            validation_steps: Any = None, validation_freq: int = 1,
            max_queue_size: int = 10, workers: int = 1,
            use_multiprocessing: bool = False) -> Any:
        compiled = self._compiled_or_raise()
        if steps_per_epoch is not None or validation_steps is not None \
                or validation_freq != 1:
            raise NotImplementedError("varstore lacks tf.keras.Model.fit(steps_per_epoch=, "
                                      "validation_steps=, validation_freq=)")
        return _fit.fit(self, compiled, x, y, batch_size, epochs, verbose, callbacks,
                        validation_split, validation_data, shuffle, class_weight,
                        sample_weight, initial_epoch)

    def evaluate(self, x: Any = None, y: Any = None, batch_size: int | None = None,
                 verbose: int = 1, sample_weight: Any = None, steps: Any = None,
                 callbacks: Any = None, max_queue_size: int = 10, workers: int = 1,
                 use_multiprocessing: bool = False) -> Any:
        compiled = self._compiled_or_raise()
        if steps is not None or callbacks:
            raise NotImplementedError("varstore lacks tf.keras.Model.evaluate(steps=, "
                                      "callbacks=)")
        return _fit.evaluate(self, compiled, x, y, batch_size, sample_weight)

    def predict(self, x: Any, batch_size: int | None = None, verbose: int = 0,
                steps: Any = None, callbacks: Any = None, max_queue_size: int = 10,
                workers: int = 1, use_multiprocessing: bool = False) -> Any:
        if steps is not None or callbacks:
            raise NotImplementedError("varstore lacks tf.keras.Model.predict(steps=, "
                                      "callbacks=)")
        if not (self.inputs and self.outputs):
            raise NotImplementedError("varstore lacks tf.keras.Model.predict of a subclassed "
                                      "model")
        return _fit.predict(self, x, batch_size)

    def _on_batch(self, x: Any, y: Any, sample_weight: Any, class_weight: Any,
                  train: bool, reset_metrics: bool) -> Any:
        compiled = self._compiled_or_raise()
        xs = _fit.standardize_inputs(self, x)
        ys = _fit.standardize_targets(compiled, xs, y)
        sws = _fit._sample_weights(sample_weight, class_weight, ys)
        out = _fit.run_on_batch(compiled, xs, ys, sws, train)
        if reset_metrics:
            compiled.reset_metrics()
        return out[0] if len(out) == 1 else out

    def train_on_batch(self, x: Any, y: Any = None, sample_weight: Any = None,
                       class_weight: Any = None, reset_metrics: bool = True) -> Any:
        return self._on_batch(x, y, sample_weight, class_weight, True, reset_metrics)

    def test_on_batch(self, x: Any, y: Any = None, sample_weight: Any = None,
                      reset_metrics: bool = True) -> Any:
        return self._on_batch(x, y, sample_weight, None, False, reset_metrics)

    def predict_on_batch(self, x: Any) -> Any:
        return _fit.predict(self, x, None if not hasattr(x, "shape") else max(1, len(x)))

    def fit_generator(self, *args: Any, **kwargs: Any) -> NoReturn:
        _unsupported("fit_generator")

    def evaluate_generator(self, *args: Any, **kwargs: Any) -> NoReturn:
        _unsupported("evaluate_generator")

    def predict_generator(self, *args: Any, **kwargs: Any) -> NoReturn:
        _unsupported("predict_generator")

    def save(self, filepath: Any, overwrite: bool = True, include_optimizer: bool = True,
             save_format: Any = None, signatures: Any = None, options: Any = None,
             save_traces: bool = True) -> None:
        """The whole model in Keras' HDF5 file (a ``.h5`` / ``.keras`` / ``.hdf5`` path, or
        ``save_format="h5"``): architecture, weights, compile arguments and the optimizer's
        weights. TF's SavedModel directory (the default otherwise) is not built."""
        if str(os.fspath(filepath)).endswith(".keras") and save_format is None:
            # (tf-keras writes the Keras v3 zip there, which fails in graph mode)
            raise NotImplementedError("varstore lacks the Keras v3 '.keras' format of "
                                      "tf.keras.Model.save: use a '.h5' path")
        if not _format(filepath, save_format, "save"):
            raise NotImplementedError("varstore lacks tf.keras.Model.save in the SavedModel "
                                      "format: use a '.h5' path or save_format='h5'")
        if not overwrite and os.path.exists(os.fspath(filepath)):
            return  # (TF asks on a terminal; a script that says not to overwrite keeps it)
        for arg, value in (("signatures", signatures), ("options", options)):
            if value is not None:
                raise NotImplementedError(f"varstore lacks tf.keras.Model.save({arg}=...): "
                                          "a SavedModel option")
        from varstore.keras.saving import hdf5_model

        hdf5_model.save_model(self, filepath, include_optimizer=include_optimizer)

    def get_config(self) -> dict[str, Any]:
        from varstore.keras.saving import model_config

        return model_config.get_config(self)

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Any:
        from varstore.keras.saving import model_config

        return model_config.from_config(cls, config, custom_objects)

    def to_json(self, **kwargs: Any) -> str:
        from varstore.keras.saving import model_config

        return model_config.to_json(self, **kwargs)

    def save_weights(self, filepath: Any, overwrite: bool = True, save_format: Any = None,
                     options: Any = None) -> None:
        """Keras' HDF5 weight file (a ``.h5`` / ``.keras`` / ``.hdf5`` path, or
        ``save_format='h5'``), else TF's checkpoint format (keras/saving/)."""
        from varstore.keras.saving import hdf5_format, tf_format

        h5 = _format(filepath, save_format, "save_weights")
        path = os.fspath(filepath)
        if not overwrite and (os.path.exists(path) or os.path.exists(path + ".index")):
            return  # (TF asks on a terminal; a script that says not to overwrite keeps it)
        (hdf5_format if h5 else tf_format).save_weights(self, filepath)

    def load_weights(self, filepath: Any, by_name: bool = False, skip_mismatch: bool = False,
                     options: Any = None) -> None:
        from varstore.keras.saving import hdf5_format, tf_format

        if _format(filepath, "h5" if _is_hdf5(filepath) else None, "load_weights"):
            hdf5_format.load_weights(self, filepath, by_name=by_name,
                                     skip_mismatch=skip_mismatch)
            return
        if by_name:
            raise NotImplementedError("Weights may only be loaded based on topology into "
                                      "Models when loading TensorFlow-formatted weights (got "
                                      "by_name=True to load_weights).")
        tf_format.load_weights(self, filepath)
