"""``tf.io.gfile``: TF 2's lower-case names for ``tf.gfile`` (varstore/gfile.py)."""

from __future__ import annotations

import os
import posixpath
from typing import Any

from varstore.gfile import (
    Copy as copy,
)
from varstore.gfile import (
    DeleteRecursively as rmtree,
)
from varstore.gfile import (
    Exists as exists,
)
from varstore.gfile import (
    GFile,
)
from varstore.gfile import (
    Glob as glob,
)
from varstore.gfile import (
    IsDirectory as isdir,
)
from varstore.gfile import (
    ListDirectory as listdir,
)
from varstore.gfile import (
    MakeDirs as makedirs,
)
from varstore.gfile import (
    MkDir as mkdir,
)
from varstore.gfile import (
    Remove as remove,
)
from varstore.gfile import (
    Rename as rename,
)
from varstore.gfile import (
    Stat as stat,
)
from varstore.gfile import (
    Walk as walk,
)

__all__ = ["GFile", "copy", "exists", "glob", "isdir", "join", "listdir", "makedirs", "mkdir",
           "remove", "rename", "rmtree", "stat", "walk"]


def join(path: Any, *paths: Any) -> Any:
    """``tf.io.gfile.join``: os.path.join, but '/'-joined for a URL such as ``gs://bucket``
    (a ``://`` after the first character), as TF's file_io.join."""
    text = os.fspath(path)
    text = text.decode() if isinstance(text, bytes) else text
    if "://" in text[1:]:
        return posixpath.join(path, *paths)
    return os.path.join(path, *paths)
