"""TF's version constants (tensorflow/python/framework/versions.py).

``VERSION`` is the TensorFlow release whose ``compat.v1`` graph-mode behaviour varstore
reproduces and is tested against (its golden files are recorded from it), so that programs
gating code on ``tf.VERSION`` take the paths that match what varstore does; varstore's own
release is ``varstore.__version__``. The GraphDef versions are the ones varstore writes.
"""

from __future__ import annotations

from varstore import _core
from varstore.framework.graph_def import GRAPH_DEF_VERSION

__all__ = ["GIT_VERSION", "GRAPH_DEF_VERSION", "GRAPH_DEF_VERSION_MIN_CONSUMER",
           "GRAPH_DEF_VERSION_MIN_PRODUCER", "VERSION"]

VERSION = "2.21.0"
GIT_VERSION = f"varstore-v{_core.__version__}"
GRAPH_DEF_VERSION_MIN_CONSUMER = 0
GRAPH_DEF_VERSION_MIN_PRODUCER = 0
