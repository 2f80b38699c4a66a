"""``python -m varstore``: see varstore.cli."""

from __future__ import annotations

import sys

from varstore.cli import main

if __name__ == "__main__":
    sys.exit(main())
