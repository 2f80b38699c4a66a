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
import sys

import pytest

import varstore

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN_DIR = os.path.join(HERE, "golden")
sys.path.insert(0, GOLDEN_DIR)  # (the scenario modules share golden_helpers.py)


def _load_sets():
    spec = importlib.util.spec_from_file_location(
        "golden_sets", os.path.join(GOLDEN_DIR, "golden_sets.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.SETS


# Scenario sets: (scenarios module, TF results recorded by record_tf.py --set NAME).
SETS = _load_sets()

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
