"""Writes tests/golden/savedmodel/varstore_dense/ with varstore: the program of
make_savedmodel_fixtures.py (two MetaGraphs, ``serve`` and ``train``, signatures, an asset
and a main op) built and written by varstore's SavedModelBuilder, which the golden scenario
``varstore_savedmodel_in_tf`` loads with ``tf.saved_model.loader.load`` (recorded in real
TF, replayed in varstore), so the golden set checks that TF loads and serves what varstore
writes.

    PYTHONPATH=python python tests/golden/make_varstore_savedmodel.py
"""

from __future__ import annotations

import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> int:
    sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
    sys.path.insert(0, HERE)
    from make_savedmodel_fixtures import OUT, write

    import varstore as tf

    path = os.path.join(OUT, "varstore_dense")
    shutil.rmtree(path, ignore_errors=True)
    write(tf, path)
    print("wrote", path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
