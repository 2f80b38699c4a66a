"""varstore: TensorFlow 1 variable sharing for plain Python.

``import varstore as tf`` runs TF1 graph-mode programs: ops are graph nodes with TF1's names,
shapes and errors, ``Session.run`` executes cached plans with feeds, and variables live in a
C++ store. ``np.asarray(tensor)`` evaluates a tensor without a session, as a convenience.
"""

from __future__ import annotations

try:
    from varstore import _core
except ImportError as exc:  # pragma: no cover - only without a build
    raise ImportError(
        "varstore's compiled extension varstore._core is missing or was built for another "
        "Python; reinstall with `pip install .` from the source tree"
    ) from exc

from varstore import (
    app,
    audio,
    bitwise,
    compat,
    config,
    data,
    debugging,
    distributions,
    dtypes,
    errors,
    flags,
    gfile,
    graph_util,
    image,
    initializers,
    io,
    keras,
    kernels,
    layers,
    linalg,
    lookup,
    losses,
    manip,
    math,
    metrics,
    nest,
    nn,
    ops,
    python_io,
    quantization,
    queue,
    random,
    raw_ops,
    resource_loader,
    saved_model,
    sets,
    signal,
    sparse,
    spectral,
    strings,
    summary,
    test,
    train,
    version,
)
from varstore import tf_logging as logging
from varstore._api import array_ops as _array_ops
from varstore._api import control_flow as _control_flow
from varstore._api import data_flow as _data_flow
from varstore._api import framework as _framework
from varstore._api import math_ops as _math_ops
from varstore._api import parsing as _parsing
from varstore._api import state as _state
from varstore._api import string_ops as _string_ops
from varstore._api.array_ops import *
from varstore._api.control_flow import *
from varstore._api.data_flow import *
from varstore._api.framework import *
from varstore._api.math_ops import *
from varstore._api.parsing import *
from varstore._api.state import *
from varstore._api.string_ops import *

__all__ = [
    "__version__",
    "app",
    "audio",
    "bitwise",
    "compat",
    "config",
    "data",
    "debugging",
    "distributions",
    "dtypes",
    "errors",
    "flags",
    "framework",
    "gfile",
    "graph_util",
    "image",
    "initializers",
    "io",
    "keras",
    "kernels",
    "layers",
    "linalg",
    "logging",
    "lookup",
    "losses",
    "manip",
    "math",
    "metrics",
    "nest",
    "nn",
    "ops",
    "python_io",
    "quantization",
    "queue",
    "random",
    "raw_ops",
    "resource_loader",
    "saved_model",
    "sets",
    "signal",
    "sparse",
    "spectral",
    "strings",
    "summary",
    "template",
    "test",
    "train",
    "variables",
    "version",
]
__all__ += _framework.__all__
__all__ += _array_ops.__all__
__all__ += _math_ops.__all__
__all__ += _control_flow.__all__
__all__ += _data_flow.__all__
__all__ += _state.__all__
__all__ += _parsing.__all__
__all__ += _string_ops.__all__

__version__: str = _core.__version__


_PROTO_CLASSES = {"GraphDef": "graph_pb2", "NodeDef": "node_def_pb2",
                  "AttrValue": "attr_value_pb2", "TensorProto": "tensor_pb2",
                  "Summary": "summary_pb2", "Event": "event_pb2", "HistogramProto": "summary_pb2",
                  "SessionLog": "event_pb2", "LogMessage": "event_pb2",
                  "SummaryMetadata": "summary_pb2", "NameAttrList": "attr_value_pb2",
                  "MetaGraphDef": "varstore.framework.meta_graph_pb2",
                  "TensorInfo": "varstore.framework.meta_graph_pb2",
                  "RunMetadata": "varstore.framework.step_stats_pb2"}


def __getattr__(name: str) -> object:
    """TF's proto classes, imported on first use (TF's own protos, as tensorboardX ships
    them, and the MetaGraphDef declared over them); any other TF1 symbol varstore does not
    implement: an AttributeError that says so."""
    if name in _PROTO_CLASSES:
        import importlib
        module_name = _PROTO_CLASSES[name]
        if "." not in module_name:
            module_name = "tensorboardX.proto." + module_name
        return getattr(importlib.import_module(module_name), name)
    raise AttributeError(f"module 'varstore' has no attribute {name!r}: varstore lacks "
                         f"tf.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
