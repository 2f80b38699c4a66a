"""The ``tf.*`` names the Keras modules build with, gathered once (tf_keras writes
``import tensorflow.compat.v2 as tf``): the top-level families and the math, nn and random
namespaces, imported from their modules rather than through ``varstore`` (no cycle)."""

from __future__ import annotations

from varstore import math as math  # noqa: PLC0414 - the re-export mypy needs
from varstore import nn as nn  # noqa: PLC0414
from varstore import random as random  # noqa: PLC0414
from varstore._api.array_ops import *
from varstore._api.control_flow import *
from varstore._api.framework import *
from varstore._api.math_ops import *
from varstore._api.state import *

# No __all__: every star-imported name is meant (mypy re-exports star imports).
