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
# Scenario sets (tests/test_golden.py replays the same list).
SETS = {
    "base": ("scenarios.py", "tf1_expected.json"),
    "extra": ("scenarios_extra.py", "tf1_expected_extra.json"),
    "more": ("scenarios_more.py", "tf1_expected_more.json"),
    "graph": ("scenarios_graph.py", "tf1_expected_graph.json"),
    "train": ("scenarios_train.py", "tf1_expected_train.json"),
    "rnn": ("scenarios_rnn.py", "tf1_expected_rnn.json"),
    "while": ("scenarios_while.py", "tf1_expected_while.json"),
    "layers": ("scenarios_layers.py", "tf1_expected_layers.json"),
    "losses": ("scenarios_losses.py", "tf1_expected_losses.json"),
    "programs": ("scenarios_programs.py", "tf1_expected_programs.json"),
    "metrics": ("scenarios_metrics.py", "tf1_expected_metrics.json"),
    "varapi": ("scenarios_varapi.py", "tf1_expected_varapi.json"),
    "data": ("scenarios_data.py", "tf1_expected_data.json"),
    "debug": ("scenarios_debug.py", "tf1_expected_debug.json"),
    "math": ("scenarios_math.py", "tf1_expected_math.json"),
    "image": ("scenarios_image.py", "tf1_expected_image.json"),
    "random": ("scenarios_random.py", "tf1_expected_random.json"),
    "array2": ("scenarios_array2.py", "tf1_expected_array2.json"),
    "functional": ("scenarios_functional.py", "tf1_expected_functional.json"),
    "islices": ("scenarios_islices.py", "tf1_expected_islices.json"),
    "sampled": ("scenarios_sampled.py", "tf1_expected_sampled.json"),
    "surface": ("scenarios_surface.py", "tf1_expected_surface.json"),
    "linalg": ("scenarios_linalg.py", "tf1_expected_linalg.json"),
    "sparse": ("scenarios_sparse.py", "tf1_expected_sparse.json"),
    "queues": ("scenarios_queues.py", "tf1_expected_queues.json"),
    "conv3d": ("scenarios_conv3d.py", "tf1_expected_conv3d.json"),
    "metagraph": ("scenarios_metagraph.py", "tf1_expected_metagraph.json"),
    "ctc": ("scenarios_ctc.py", "tf1_expected_ctc.json"),
    "tfrecord": ("scenarios_tfrecord.py", "tf1_expected_tfrecord.json"),
    "platform": ("scenarios_platform.py", "tf1_expected_platform.json"),
    "savedmodel": ("scenarios_savedmodel.py", "tf1_expected_savedmodel.json"),
    "editdist": ("scenarios_editdist.py", "tf1_expected_editdist.json"),
    "signal": ("scenarios_signal.py", "tf1_expected_signal.json"),
    "distributions": ("scenarios_distributions.py", "tf1_expected_distributions.json"),
    "strings": ("scenarios_strings.py", "tf1_expected_strings.json"),
    "trainx": ("scenarios_trainx.py", "tf1_expected_trainx.json"),
    "dataexp": ("scenarios_dataexp.py", "tf1_expected_dataexp.json"),
    "imagecodec": ("scenarios_imagecodec.py", "tf1_expected_imagecodec.json"),
}
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
