"""``tf.app`` (TF1's tensorflow/python/platform/app.py): ``run`` parses flags with absl and
calls ``main``; ``flags`` is ``tf.flags``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from absl import app as _absl_app

from varstore import flags

__all__ = ["flags", "run"]


def run(main: Callable[[list[str]], Any] | None = None,
        argv: Sequence[str] | None = None) -> NoReturn:
    """Runs ``main(argv)`` (default: ``sys.modules['__main__'].main``) after absl parses the
    flags, then exits with its return value, as TF's ``tf.app.run``."""
    main_fn = main or sys.modules["__main__"].main
    _absl_app.run(main=main_fn, argv=list(argv) if argv is not None else None)
    raise SystemExit(0)  # absl's run exits itself; this only tells the type checker
