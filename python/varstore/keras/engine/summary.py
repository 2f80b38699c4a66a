"""``Model.summary()``: tf-keras' ``layer_utils.print_summary`` table (its column widths,
line breaking, parameter counts and memory sizes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore.keras.engine import node as _node

__all__ = ["print_summary"]


def _count(weights: list[Any]) -> int:
    return int(sum(int(np.prod(w.shape.as_list())) for w in weights))


def _memory(weights: list[Any]) -> int:
    return int(sum(int(np.prod(w.shape.as_list())) * w.dtype.base_dtype.size
                   for w in weights))


def _readable(size: float) -> str:
    units = ["Byte", "KB", "MB", "GB", "TB", "PB"]
    for unit in units:
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} {units[-1]}"


def _sequential_like(model: Any) -> bool:
    if type(model).__name__ == "Sequential" or not getattr(model, "_is_graph_network", False):
        return True
    nodes = model._nodes
    for n in nodes:
        if len(_node.flatten(n.inputs)) > 1:
            return False
    for layer in model.layers:
        if sum(1 for n in layer._inbound_nodes if any(n is m for m in nodes)) > 1:
            return False
    return True


def _output_shape(layer: Any) -> Any:
    if type(layer).__name__ == "InputLayer":
        return [layer.output_shape]  # an InputLayer's node lists its output
    try:
        return layer.output_shape
    except AttributeError:
        return "multiple"


def print_summary(model: Any, line_length: int | None = None, positions: Any = None,
                  print_fn: Callable[[str], Any] | None = None) -> None:
    emit: Callable[[str], Any] = print_fn or print
    sequential_like = _sequential_like(model)
    if sequential_like:
        line_length = line_length or 65
        positions = positions or [0.45, 0.85, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #"]
    else:
        line_length = line_length or 98
        positions = positions or [0.3, 0.6, 0.70, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]

    def print_row(fields: list[Any]) -> None:
        left = [str(x) for x in fields]
        while any(left):
            line = ""
            for col in range(len(left)):
                start = positions[col - 1] if col > 0 else 0
                end = positions[col]
                space = 2 if col != len(positions) - 1 else 0
                cutoff = end - start - space
                if col != len(positions) - 1:
                    cutoff -= 1
                fit = left[col][:cutoff]
                breaks = [fit.find(x) + len(x) for x in ("),", "},", "],", "',")
                          if fit.find(x) >= 0]
                if breaks:
                    cutoff = min(breaks)
                    fit = fit[:cutoff]
                if col == 0:
                    line += " "
                line += fit
                line += " " * space if space else ""
                left[col] = left[col][cutoff:]
                line += " " * (positions[col] - len(line))
            emit(line)

    emit(f'Model: "{model.name}"')
    emit("_" * line_length)
    print_row(header)
    emit("=" * line_length)
    for layer in model.layers:
        params = layer.count_params() if layer.built else "0 (unused)"
        fields = [f"{layer.name} ({type(layer).__name__})", _output_shape(layer), params]
        if not sequential_like:
            connections = []
            for n in layer._inbound_nodes:
                if all(n is not m for m in model._nodes):
                    continue
                for t in _node.flatten(n.inputs):
                    src = _node.history_of(t)
                    if src is None:
                        continue
                    index = next(i for i, m in enumerate(src.layer._inbound_nodes)
                                 if m is src)
                    tensor_index = next(i for i, o in enumerate(_node.flatten(src.outputs))
                                        if o is t)
                    connections.append(f"{src.layer.name}[{index}][{tensor_index}]")
            fields.append(connections)
        print_row(fields)
        emit(" " * line_length)
    emit("=" * line_length)
    trainable = model.trainable_weights
    non_trainable = model.non_trainable_weights
    t_count, n_count = _count(trainable), _count(non_trainable)
    t_mem, n_mem = _memory(trainable), _memory(non_trainable)
    emit(f"Total params: {t_count + n_count} ({_readable(t_mem + n_mem)})")
    emit(f"Trainable params: {t_count} ({_readable(t_mem)})")
    emit(f"Non-trainable params: {n_count} ({_readable(n_mem)})")
    emit("_" * line_length)
