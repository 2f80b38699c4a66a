"""``import varstore.compat.v1 as tf``: the varstore package itself, as TF1 code imports
``tensorflow.compat.v1``. The module replaces itself in ``sys.modules`` so both names are one
object (one default graph, one set of collections)."""

from __future__ import annotations

import sys

import varstore

sys.modules[__name__] = varstore
