"""``tf.resource_loader`` (TF's platform/resource_loader.py): paths of data files that sit
beside the calling module. Outside a Bazel build (no runfiles, as for any pip install) TF
resolves them against the caller's directory, and so does varstore. ``load_resource`` and
``get_root_dir_with_all_resources`` read TF's own install tree and raise an AttributeError
naming them."""

from __future__ import annotations

import inspect as _inspect
import os as _os
import sys as _sys

__all__ = ["get_data_files_path", "get_path_to_datafile", "readahead_file_path"]


def get_data_files_path() -> str:
    """The directory of the module that calls this."""
    return _os.path.dirname(_inspect.getfile(_sys._getframe(1)))


def get_path_to_datafile(path: str) -> str:
    """``path`` relative to the calling module's directory."""
    return _os.path.join(_os.path.dirname(_inspect.getfile(_sys._getframe(1))), path)


def readahead_file_path(path: str, readahead: str = "128M") -> str:
    """``path`` unchanged: TF's readahead hint is a no-op on local files."""
    return path


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.resource_loader' has no attribute {name!r}: "
                         f"varstore lacks tf.resource_loader.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
