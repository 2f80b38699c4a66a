"""``tf.gfile`` (TF1's tensorflow/python/platform/gfile.py) for local paths: the file API
with TF's errors (NotFoundError, AlreadyExistsError... from varstore.errors) instead of
OSError. Other filesystems (gs://, hdfs://) are not supported and raise UnimplementedError.
"""

from __future__ import annotations

import errno
import glob as _glob
import os
import shutil
from collections.abc import Iterator
from typing import IO, Any, NamedTuple

from varstore import errors

__all__ = ["Copy", "DeleteRecursively", "Exists", "FastGFile", "GFile", "Glob", "IsDirectory",
           "ListDirectory", "MakeDirs", "MkDir", "Open", "Remove", "Rename", "Stat", "Walk"]


def _local(path: Any) -> str:
    p: str | bytes = os.fspath(path)
    if isinstance(p, bytes):
        p = p.decode()
    if "://" in p and not p.startswith("file://"):
        raise errors.UnimplementedError(None, None, f"File system scheme '{p.split('://')[0]}'"
                                        " not implemented (file: '" + p + "')")
    return p.removeprefix("file://")


def _raise(exc: OSError, path: str) -> Any:
    """An OSError as the OpError TF raises for it: '<path>; <strerror>'."""
    text = f"{path}; {exc.strerror}"
    cls: type[errors.OpError] = {
        errno.ENOENT: errors.NotFoundError, errno.EEXIST: errors.AlreadyExistsError,
        errno.EACCES: errors.PermissionDeniedError, errno.EPERM: errors.PermissionDeniedError,
        errno.ENOTDIR: errors.FailedPreconditionError,
        errno.EISDIR: errors.FailedPreconditionError,
        errno.ENOTEMPTY: errors.FailedPreconditionError,
    }.get(exc.errno or 0, errors.UnknownError)
    raise cls(None, None, text) from exc


class GFile:
    """``tf.gfile.GFile(name, mode='r')``: a file object that opens lazily (as TF's does, so
    a missing file raises NotFoundError on the first read, not at construction)."""

    def __init__(self, name: Any, mode: str = "r") -> None:
        self._name = _local(name)
        self._mode = mode
        self._f: IO[Any] | None = None
        if mode not in ("r", "rb", "w", "wb", "a", "ab", "r+", "rb+", "w+", "wb+", "a+", "ab+"):
            raise errors.PermissionDeniedError(None, None,
                                               "mode is not 'r' or 'w' or 'a' or 'r+'...")
        if "w" in mode or "a" in mode:
            self._open()

    @property
    def name(self) -> str:
        return self._name

    @property
    def mode(self) -> str:
        return self._mode

    def _open(self) -> IO[Any]:
        if self._f is None:
            try:
                self._f = open(self._name, self._mode)  # noqa: SIM115 - closed by close()
            except OSError as e:
                _raise(e, self._name)
        assert self._f is not None
        return self._f

    def read(self, n: int = -1) -> Any:
        return self._open().read(n)

    def readline(self) -> Any:
        return self._open().readline()

    def readlines(self) -> list[Any]:
        return self._open().readlines()

    def write(self, data: Any) -> None:
        f = self._open()
        if "b" not in self._mode and isinstance(data, bytes):
            data = data.decode()
        f.write(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._open().seek(offset, whence)

    def tell(self) -> int:
        return self._open().tell()

    def size(self) -> int:
        return os.path.getsize(self._name)

    def flush(self) -> None:
        if self._f is not None:
            self._f.flush()

    def close(self) -> None:
        if self._f is not None:
            self._f.close()
            self._f = None

    def __iter__(self) -> Iterator[Any]:
        return iter(self._open())

    def __enter__(self) -> GFile:  # noqa: PYI034 - GFile is not subclassed
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


Open = GFile
FastGFile = GFile


def Exists(filename: Any) -> bool:
    return os.path.exists(_local(filename))


def IsDirectory(dirname: Any) -> bool:
    return os.path.isdir(_local(dirname))


def MkDir(dirname: Any) -> None:
    p = _local(dirname)
    try:
        os.mkdir(p)
    except FileExistsError:
        # TF's MkDir of an existing directory fails with AlreadyExistsError
        raise errors.AlreadyExistsError(None, None, f"{p}; File exists") from None
    except OSError as e:
        _raise(e, p)


def MakeDirs(dirname: Any) -> None:
    p = _local(dirname)
    try:
        os.makedirs(p, exist_ok=True)
    except OSError as e:
        _raise(e, p)


def ListDirectory(dirname: Any) -> list[str]:
    p = _local(dirname)
    if not os.path.isdir(p):
        raise errors.NotFoundError(None, None, f"Could not find directory {p}")
    return sorted(os.listdir(p))


def Glob(filename: Any) -> list[str]:
    return sorted(_glob.glob(_local(filename)))


def Remove(filename: Any) -> None:
    p = _local(filename)
    try:
        os.remove(p)
    except OSError as e:
        _raise(e, p)


def DeleteRecursively(dirname: Any) -> None:
    p = _local(dirname)
    if not os.path.exists(p):
        raise errors.NotFoundError(None, None, f"{p}; No such file or directory")
    if os.path.isdir(p):
        shutil.rmtree(p)
    else:
        os.remove(p)


def Copy(oldpath: Any, newpath: Any, overwrite: bool = False) -> None:
    src, dst = _local(oldpath), _local(newpath)
    if not overwrite and os.path.exists(dst):
        raise errors.AlreadyExistsError(None, None, f"file already exists: {dst}")
    try:
        shutil.copyfile(src, dst)
    except OSError as e:
        _raise(e, src)


def Rename(oldname: Any, newname: Any, overwrite: bool = False) -> None:
    src, dst = _local(oldname), _local(newname)
    if not overwrite and os.path.exists(dst):
        raise errors.AlreadyExistsError(None, None, f"file already exists: {dst}")
    try:
        os.replace(src, dst)
    except OSError as e:
        _raise(e, src)


def Walk(top: Any, in_order: bool = True) -> Iterator[tuple[str, list[str], list[str]]]:
    """(dirname, subdirs, files) per directory; nothing for a missing ``top``, as TF."""
    for dirpath, dirs, files in os.walk(_local(top), topdown=in_order):
        yield dirpath, sorted(dirs), sorted(files)


class FileStatistics(NamedTuple):
    length: int
    mtime_nsec: int
    is_directory: bool


def Stat(filename: Any) -> FileStatistics:
    p = _local(filename)
    try:
        st = os.stat(p)
    except OSError as e:
        _raise(e, p)
    return FileStatistics(st.st_size, st.st_mtime_ns, os.path.isdir(p))
