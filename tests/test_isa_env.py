"""VARSTORE_FORCE_ISA, as the CI's forced-ISA runs set it, is the ISA the package really uses.

Without the variable the automatic choice (the best supported ISA) must be active; with it, that
ISA, both in a fresh interpreter (selection on first use) and here after reset_isa().
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

import varstore
from varstore._core import kernels


def expected_isa() -> str:
    return os.environ.get("VARSTORE_FORCE_ISA") or kernels.supported_isas()[0]


def test_env_isa_is_active_in_a_fresh_interpreter() -> None:
    code = "import varstore; print(varstore.kernels.active_isa())"
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == expected_isa()


def test_env_isa_is_active_after_reset_and_runs_conv2d() -> None:
    kernels.reset_isa()
    assert varstore.kernels.active_isa() == expected_isa()
    x = np.ones((1, 5, 5, 3), np.float32)
    w = np.ones((3, 3, 3, 4), np.float32)
    y = kernels.conv2d_relu(x, w, None, padding="SAME")
    assert y.shape == (1, 5, 5, 4) and y[0, 2, 2, 0] == 27.0 and y[0, 0, 0, 0] == 12.0
    assert varstore.kernels.active_isa() == expected_isa()
