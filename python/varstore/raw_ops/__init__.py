"""``tf.raw_ops``: every op type varstore runs, as a keyword-only function named by the op
type (``tf.raw_ops.AddV2(x=a, y=b)``), built from TF's OpDef by
``varstore.framework.raw_op_builder``. The keywords are TF's: its raw-op functions rename a
few OpDef args (``Split(axis=...)`` is the OpDef's ``split_dim``), recorded from TF in
``framework/raw_op_args.json`` by ``tests/golden/record_raw_op_args.py``. ``dir(tf.raw_ops)``
lists them. (The module holds no other public name: each would hide an op type, as
``Any`` or ``Print`` would.)"""

from __future__ import annotations

from varstore.framework import raw_op_builder as _builder


def __getattr__(name: str) -> object:
    why = "a private name" if name.startswith("_") else _builder.why_not_raw(name)
    if why is not None:
        raise AttributeError(f"module 'varstore.raw_ops' has no attribute {name!r}: varstore "
                             f"lacks tf.raw_ops.{name} ({why})")
    return _builder.raw_function(name)


def __dir__() -> list[str]:
    return _builder.raw_op_types()

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
