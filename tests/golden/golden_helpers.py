"""Helpers the newer scenario modules share (values rounded for JSON, fixed inputs, errors
as type + message, the module's scenario table). record_tf.py and tests/test_golden.py put
this folder on sys.path, so ``from golden_helpers import ...`` works under both."""

import numpy as np


def values(x, digits=4):
    """``x`` as JSON: floats rounded to ``digits``, bytes/objects as strings."""
    a = np.asarray(x)
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), digits).tolist()
    if a.dtype.kind in "SO":
        return [str(s) for s in a.ravel()]
    return a.tolist()


def fixed(shape, k):
    """A fixed array of ``shape`` (0.5 sin of its indices, shifted by ``k``)."""
    n = int(np.prod(shape)) if shape else 1
    return (0.5 * np.sin(np.arange(n) * 0.37 + k)).reshape(shape).astype(np.float32)


def error(fn, first_line=False):
    """Type and message of what ``fn`` raises (None, None if nothing)."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        msg = str(e)
        return {"type": type(e).__name__, "msg": msg.split("\n")[0] if first_line else msg}
    return {"type": None, "msg": None}


def run_error(fn):
    """A run-time error: its type and the kernel's message (TF's Graph execution error
    wraps it in the op's traceback, whose file names are not recorded)."""
    got = error(fn)
    if got["msg"]:
        skip = ("Graph execution error:", "Detected at node", "Node:", "File ", "Original")
        lines = [ln for ln in got["msg"].splitlines()
                 if ln.strip() and not ln.startswith(" ") and not ln.startswith(skip)]
        got["msg"] = lines[0] if lines else got["msg"]
    return got


def scenarios_of(namespace):
    """The ``scenario_<name>`` functions of a module's namespace, by name."""
    return {k[len("scenario_"):]: v for k, v in namespace.items()
            if k.startswith("scenario_") and callable(v)}
