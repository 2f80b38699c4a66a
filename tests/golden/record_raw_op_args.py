"""Record the Python signatures of TF's ``tf.raw_ops`` functions for the op types in
``python/varstore/framework/op_defs.pb``, into ``python/varstore/framework/raw_op_args.json``.

TF generates each raw op's Python function from its OpDef and its API definition, which may
rename an argument (``tf.raw_ops.Split(axis=...)`` is the OpDef's ``split_dim``). The file
holds, per op type, the keyword names in TF's order and those renames (read from the
function's ``_apply_op_helper`` call), so ``tf.raw_ops`` in varstore takes TF's keywords.

Usage, in a venv with ``tensorflow-cpu`` (never a project dependency), after
``record_op_defs.py``:

    python tests/golden/record_raw_op_args.py
"""

import ast
import inspect
import json
import os
import textwrap

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

HERE = os.path.dirname(os.path.abspath(__file__))
FRAMEWORK = os.path.join(HERE, "..", "..", "python", "varstore", "framework")


def _helper_keywords(fn, op_type):
    """{OpDef name: Python name} of the function's _apply_op_helper(op_type, ...) call."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(inspect.unwrap(fn))))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "_apply_op_helper"
                and node.args and isinstance(node.args[0], ast.Constant)
                and node.args[0].value == op_type):
            return {k.arg: k.value.id for k in node.keywords if isinstance(k.value, ast.Name)}
    return None


def main():
    import tensorflow as tf
    from tensorflow.core.framework import op_def_pb2

    with open(os.path.join(FRAMEWORK, "op_defs.pb"), "rb") as f:
        names = sorted(op.name for op in op_def_pb2.OpList.FromString(f.read()).op)
    out = {}
    for name in names:
        fn = getattr(tf.raw_ops, name, None)
        if fn is None:
            continue
        params = list(inspect.signature(fn).parameters)
        keywords = _helper_keywords(fn, name) or {}
        renames = {py: od for od, py in keywords.items() if py != od and od != "name"}
        out[name] = [params, renames] if renames else [params]
    path = os.path.join(FRAMEWORK, "raw_op_args.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"), sort_keys=True)
        f.write("\n")
    print(f"wrote {path} ({len(out)} op types)")


if __name__ == "__main__":
    main()
