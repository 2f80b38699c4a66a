"""``plot_model`` / ``model_to_dot``: drawing needs pydot and graphviz, which varstore does
not use, so both raise TF's ImportError for a missing pydot."""

from __future__ import annotations

from typing import Any

__all__ = ["model_to_dot", "plot_model"]


def _check_built(model: Any) -> None:
    if not getattr(model, "built", True):
        raise ValueError("This model has not yet been built. Build the model first by calling "
                         "`build()` or by calling the model on a batch of data.")


def model_to_dot(model: Any, *args: Any, **kwargs: Any) -> Any:
    del args, kwargs
    _check_built(model)
    raise ImportError("You must install pydot (`pip install pydot`) for model_to_dot to work.")


def plot_model(model: Any, *args: Any, **kwargs: Any) -> Any:
    del args, kwargs
    _check_built(model)
    raise ImportError("You must install pydot (`pip install pydot`) and install graphviz (see "
                      "instructions at https://graphviz.gitlab.io/download/) for plot_model "
                      "to work.")
