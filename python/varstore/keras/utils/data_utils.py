"""tf_keras' ``get_file`` (utils/data_utils.py): a file cached under
``<cache_dir>/<cache_subdir>`` (``~/.keras/datasets``; ``/tmp/.keras`` when the cache dir is
not writable), verified against its sha256/md5 hash, else downloaded from ``origin`` with
urllib as TF does (offline, TF's "URL fetch failure on ..." Exception), and untarred or
extracted on request. Also ``Sequence``, the base of batch generators."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tarfile
import urllib.error
import urllib.request
import zipfile
from abc import abstractmethod
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

__all__ = ["Sequence", "get_file", "validate_file"]


def _print(msg: str) -> None:
    # tf_keras' io_utils.print_msg with interactive logging: stdout, flushed
    sys.stdout.write(msg + "\n")
    sys.stdout.flush()


def _resolve_hasher(algorithm: str, file_hash: str | None = None) -> Any:
    if algorithm == "sha256":
        return hashlib.sha256()
    if algorithm == "auto" and file_hash is not None and len(file_hash) == 64:
        return hashlib.sha256()
    return hashlib.md5()


def _hash_file(fpath: str, hasher: Any, chunk_size: int = 65535) -> str:
    if isinstance(hasher, str):
        hasher = _resolve_hasher(hasher)
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return str(hasher.hexdigest())


def validate_file(fpath: str, file_hash: str, algorithm: str = "auto",
                  chunk_size: int = 65535) -> bool:
    """Whether the file's sha256 (a 64-digit hash, or ``algorithm="sha256"``) or md5 is
    ``file_hash``."""
    hasher = _resolve_hasher(algorithm, file_hash)
    return _hash_file(fpath, hasher, chunk_size) == str(file_hash)


def _safe_members(archive: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    # TF's _filter_safe_paths: no member may leave the extraction dir
    base_dir = os.path.realpath(os.path.abspath("."))
    for member in archive.getmembers():
        target = os.path.realpath(os.path.abspath(os.path.join(base_dir, member.name)))
        if os.path.commonpath([target, base_dir]) == base_dir:
            yield member


def _extract_archive(file_path: str, path: str = ".", archive_format: Any = "auto") -> bool:
    if archive_format is None:
        return False
    if archive_format == "auto":
        archive_format = ["tar", "zip"]
    if isinstance(archive_format, str):
        archive_format = [archive_format]
    for archive_type in archive_format:
        if archive_type == "tar":
            if not tarfile.is_tarfile(file_path):
                continue
            with tarfile.open(file_path) as tar:
                try:
                    tar.extractall(path, members=_safe_members(tar))
                except (tarfile.TarError, RuntimeError, KeyboardInterrupt):
                    _remove(path)
                    raise
            return True
        if archive_type == "zip":
            if not zipfile.is_zipfile(file_path):
                continue
            with zipfile.ZipFile(file_path) as zf:
                try:
                    zf.extractall(path)
                except (RuntimeError, KeyboardInterrupt):
                    _remove(path)
                    raise
            return True
    return False


def _remove(path: str) -> None:
    if os.path.exists(path):
        if os.path.isfile(path):
            os.remove(path)
        else:
            shutil.rmtree(path)


def _download(origin: str, fpath: str) -> None:
    error_msg = "URL fetch failure on {}: {} -- {}"
    try:
        try:
            urllib.request.urlretrieve(origin, fpath)
        except urllib.error.HTTPError as e:
            raise Exception(error_msg.format(origin, e.code, e.msg)) from e  # noqa: TRY002
        except urllib.error.URLError as e:
            raise Exception(  # noqa: TRY002 - TF raises a bare Exception
                error_msg.format(origin, getattr(e, "errno", None), e.reason)) from e
    except (Exception, KeyboardInterrupt):
        if os.path.exists(fpath):
            os.remove(fpath)
        raise


def get_file(fname: Any = None, origin: str | None = None, untar: bool = False,
             md5_hash: str | None = None, file_hash: str | None = None,
             cache_subdir: str = "datasets", hash_algorithm: str = "auto",
             extract: bool = False, archive_format: Any = "auto",
             cache_dir: str | None = None) -> str:
    """The local path of ``fname`` in the Keras cache, downloading it when absent or when
    its hash does not match."""
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    if cache_dir is None:
        cache_dir = os.path.join(os.path.expanduser("~"), ".keras")
    if md5_hash is not None and file_hash is None:
        file_hash = md5_hash
        hash_algorithm = "md5"
    datadir_base = os.path.expanduser(cache_dir)
    if not os.access(datadir_base, os.W_OK):
        datadir_base = os.path.join("/tmp", ".keras")
    datadir = os.path.join(datadir_base, cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    fname = os.fspath(fname) if fname is not None else None
    if not fname:
        fname = os.path.basename(urlsplit(origin).path)
        if not fname:
            raise ValueError(f"Can't parse the file name from the origin provided: '{origin}'."
                             "Please specify the `fname` as the input param.")
    untar_fpath = ""
    if untar:
        fname = fname.removesuffix(".tar.gz")
        untar_fpath = os.path.join(datadir, fname)
        fpath = untar_fpath + ".tar.gz"
    else:
        fpath = os.path.join(datadir, fname)
    download = not os.path.exists(fpath)
    if not download and file_hash is not None \
            and not validate_file(fpath, file_hash, algorithm=hash_algorithm):
        _print("A local file was found, but it seems to be incomplete or outdated because the "
               f"{hash_algorithm} file hash does not match the original value of {file_hash} "
               "so we will re-download the data.")
        download = True
    if download:
        _print(f"Downloading data from {origin}")
        _download(origin, fpath)
        if os.path.exists(fpath) and file_hash is not None \
                and not validate_file(fpath, file_hash, algorithm=hash_algorithm):
            raise ValueError(f"Incomplete or corrupted file detected. The {hash_algorithm} file "
                             f"hash does not match the provided value of {file_hash}.")
    if untar:
        if not os.path.exists(untar_fpath):
            _extract_archive(fpath, datadir, archive_format="tar")
        return untar_fpath
    if extract:
        _extract_archive(fpath, datadir, archive_format)
    return fpath


class Sequence:
    """The base of a batch generator: ``__getitem__(index)`` gives a batch, ``__len__`` the
    number of batches; ``on_epoch_end`` is called after each epoch."""

    @abstractmethod
    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError

    @abstractmethod
    def __len__(self) -> int:
        raise NotImplementedError

    def on_epoch_end(self) -> None:
        """Called at the end of every epoch (nothing by default)."""

    def __iter__(self) -> Iterator[Any]:
        for i in range(len(self)):
            yield self[i]
