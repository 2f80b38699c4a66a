"""Record TensorFlow's OpDefs for the op types varstore runs, into
``python/varstore/framework/op_defs.pb`` (a serialized ``OpList``).

varstore's importer reads an imported node's signature from these (inputs, outputs, attrs
and their defaults, allowed values), and ``export_meta_graph`` writes them as the
MetaGraphDef's ``stripped_op_list``, as TF does. They are TF's registered OpDefs, copied.

Usage, in a venv with ``tensorflow-cpu`` (never a project dependency):

    python tests/golden/record_op_defs.py [OpType ...]

re-records every op type already in the file plus the ones named (``--only`` records just
the named ones). ``tests/test_import_graph_def.py`` lists the kernel op types the file lacks.
"""

import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "python", "varstore", "framework", "op_defs.pb")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ops", nargs="*", help="op types to add")
    ap.add_argument("--only", action="store_true", help="record only the named op types")
    args = ap.parse_args(argv)

    from tensorflow.core.framework import op_def_pb2
    from tensorflow.python.framework import op_def_registry

    names = set(args.ops)
    if not args.only and os.path.exists(OUT):
        with open(OUT, "rb") as f:
            names |= {op.name for op in op_def_pb2.OpList.FromString(f.read()).op}
    missing = sorted(n for n in names if op_def_registry.get(n) is None)
    if missing:
        print("not TF op types:", ", ".join(missing), file=sys.stderr)
        return 1
    out = op_def_pb2.OpList(op=[op_def_registry.get(n) for n in sorted(names)])
    with open(OUT, "wb") as f:
        f.write(out.SerializeToString(deterministic=True))
    print(f"wrote {os.path.normpath(OUT)} ({len(out.op)} op types)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
