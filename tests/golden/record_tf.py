"""Record real TensorFlow 1 (graph mode) behaviour for the golden scenarios.

Usage (TensorFlow must NOT be installed into the project; use a scratch venv):

    /tmp/tfenv/bin/python tests/golden/record_tf.py [-k SUBSTRING] [--print]

Runs every ``scenario_*`` in ``scenarios.py`` against
``tensorflow.compat.v1`` with eager execution disabled (and
``TF_USE_LEGACY_KERAS=1`` so that ``tf.layers`` is the legacy Keras-backed
implementation), resetting the default graph before each scenario, and writes
``tf1_expected.json`` next to this file: ``{scenario_name: result}`` plus a
``"__meta__"`` entry with the TensorFlow version.

A scenario that raises (outside its own ``_err`` wrappers) is reported and
makes the script exit with status 1; nothing is written in that case unless
``--partial`` is given.
"""

import argparse
import importlib.util
import json
import os
import sys
import traceback
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["TF_USE_LEGACY_KERAS"] = "1"

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from golden_sets import SETS  # noqa: E402 (needs HERE on the path)

OUT = os.path.join(HERE, "tf1_expected.json")


def _load_scenarios(filename="scenarios.py"):
    spec = importlib.util.spec_from_file_location(
        "golden_" + filename[:-3], os.path.join(HERE, filename)
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-k", default=None, help="only scenarios whose name contains this")
    ap.add_argument("--print", action="store_true", help="print results instead of writing")
    ap.add_argument("--partial", action="store_true", help="write even if some scenarios failed")
    ap.add_argument("--set", default="base", choices=sorted(SETS), help="which scenario set")
    args = ap.parse_args(argv)
    global OUT
    OUT = os.path.join(HERE, SETS[args.set][1])

    warnings.filterwarnings("ignore")
    import numpy as np
    import tensorflow as tf_root
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    tf.get_logger().setLevel("ERROR")

    mod = _load_scenarios(SETS[args.set][0])
    scenarios = mod.all_scenarios()
    results = {}
    failures = {}
    for name, fn in scenarios.items():
        if args.k and args.k not in name:
            continue
        tf.reset_default_graph()
        try:
            res = fn(tf)
            # must be JSON-serialisable as-is (no numpy scalars etc.)
            json.dumps(res)
            results[name] = res
        except Exception:  # noqa: BLE001
            failures[name] = traceback.format_exc()

    for name, tb in failures.items():
        print("FAILED:", name, file=sys.stderr)
        print(tb, file=sys.stderr)

    if args.print:
        print(json.dumps(results, indent=1, ensure_ascii=False))
        return 1 if failures else 0

    if failures and not args.partial:
        print(f"{len(failures)} scenario(s) failed; nothing written", file=sys.stderr)
        return 1

    if args.k and os.path.exists(OUT):
        with open(OUT, encoding="utf-8") as f:
            merged = json.load(f)
        merged.update(results)
        results = merged
    meta = {
        "tensorflow": tf_root.__version__,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "mode": "tensorflow.compat.v1, disable_eager_execution(), TF_USE_LEGACY_KERAS=1 (resource variables)",
        "n_scenarios": len([k for k in results if not k.startswith("__")]),
    }
    results["__meta__"] = meta
    ordered = {"__meta__": meta}
    for k in sorted(k for k in results if k != "__meta__"):
        ordered[k] = results[k]
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(ordered, f, indent=1, ensure_ascii=False, sort_keys=False)
        f.write("\n")
    print(f"wrote {OUT} ({meta['n_scenarios']} scenarios, TF {meta['tensorflow']})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
