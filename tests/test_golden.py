"""Golden tests: varstore must reproduce real TF1 graph-mode observations.

Each scenario in ``tests/golden/scenarios.py`` is run with ``import varstore
as tf`` after ``varstore.reset_default_graph()`` and its result is compared
with what real TensorFlow produced (``tests/golden/tf1_expected.json``,
recorded by ``tests/golden/record_tf.py``).  TensorFlow is never imported here.

Comparison: dicts must have the same keys, lists the same length, strings /
None / ints / bools must be equal (a bool never equals an int), and floats
are compared with ``math.isclose(rel_tol=1e-5, abs_tol=1e-4)``.
"""

import importlib.util
import json
import math
import os

import pytest

import varstore

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN_DIR = os.path.join(HERE, "golden")
# Scenario sets: (scenarios module, TF results recorded by record_tf.py --set NAME).
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

ABS_TOL = 1e-4
REL_TOL = 1e-5


def _load_scenarios(filename):
    spec = importlib.util.spec_from_file_location(
        "golden_" + filename[:-3], os.path.join(GOLDEN_DIR, filename)
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.all_scenarios()


def _load_expected(filename):
    with open(os.path.join(GOLDEN_DIR, filename), encoding="utf-8") as f:
        data = json.load(f)
    return {k: v for k, v in data.items() if not k.startswith("__")}


# "set:scenario" -> the scenario function / TF's recorded result
SCENARIOS = {}
EXPECTED = {}
for _set, (_module, _json) in SETS.items():
    _prefix = "" if _set == "base" else _set + ":"
    SCENARIOS.update({_prefix + k: v for k, v in _load_scenarios(_module).items()})
    EXPECTED.update({_prefix + k: v for k, v in _load_expected(_json).items()})


def _mismatch(actual, expected, path="$"):
    """Return a description of the first difference, or None if they match."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        if type(actual) is not type(expected) or actual != expected:
            return f"{path}: expected {expected!r}, got {actual!r}"
        return None
    if isinstance(expected, float):
        if not isinstance(actual, (int, float)):
            return f"{path}: expected float {expected!r}, got {actual!r}"
        if not math.isclose(actual, expected, rel_tol=REL_TOL, abs_tol=ABS_TOL):
            return f"{path}: expected {expected!r}, got {actual!r}"
        return None
    if isinstance(expected, int):
        if not isinstance(actual, int) or actual != expected:
            return f"{path}: expected int {expected!r}, got {actual!r}"
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return f"{path}: expected list, got {actual!r}"
        if len(actual) != len(expected):
            return f"{path}: expected {len(expected)} items, got {len(actual)}: {actual!r}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            m = _mismatch(a, e, f"{path}[{i}]")
            if m:
                return m
        return None
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{path}: expected dict, got {actual!r}"
        if set(actual) != set(expected):
            return f"{path}: keys differ: missing {sorted(set(expected) - set(actual))}, unexpected {sorted(set(actual) - set(expected))}"
        for k in expected:
            m = _mismatch(actual[k], expected[k], f"{path}[{k!r}]")
            if m:
                return m
        return None
    # str / None
    if actual != expected or type(actual) is not type(expected):
        return f"{path}: expected {expected!r}, got {actual!r}"
    return None


def test_every_scenario_is_recorded():
    missing = sorted(set(SCENARIOS) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(SCENARIOS))
    assert not missing, f"scenarios without TF results (run tests/golden/record_tf.py --set NAME): {missing}"
    assert not stale, f"recorded results without a scenario: {stale}"


@pytest.mark.parametrize("name", sorted(SCENARIOS), ids=sorted(SCENARIOS))
def test_golden(name):
    if name not in EXPECTED:
        pytest.fail(f"no recorded TF result for {name!r}; run tests/golden/record_tf.py --set NAME")
    varstore.reset_default_graph()
    result = SCENARIOS[name](varstore)
    try:
        # normalise (tuples -> lists, ...) exactly like the recorder's JSON file
        actual = json.loads(json.dumps(result, ensure_ascii=False))
    except TypeError as e:
        pytest.fail(f"scenario result is not JSON-serialisable: {e}: {result!r}")
    expected = EXPECTED[name]
    diff = _mismatch(actual, expected)
    assert diff is None, (
        f"{diff}\nexpected: {json.dumps(expected, ensure_ascii=False)[:2000]}\nactual:   {json.dumps(actual, ensure_ascii=False)[:2000]}"
    )
