"""Writing files safely: atomically, with the modes the user's umask asks for.

Every writer of the package goes through here. A temporary file or folder made by `tempfile`
is private (0600/0700); published files must be readable by a web server or an rsync
deploy, so their modes are set from the umask (644/755 with the usual 022).
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator


def _read_umask() -> int:
    """The process's umask (reading it means setting it: set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


UMASK = _read_umask()
FILE_MODE = 0o666 & ~UMASK
DIR_MODE = 0o777 & ~UMASK


TEMP_SUFFIX = ".tmp"   # with a leading ".": how a file being written is named (see atomic_writer)


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write `path` through: it is written as `.<name>.<random>.tmp` beside
    it and renamed over `path` when the block ends without an error (else removed), so that
    `path` is never seen half-written. The file gets the umask's mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), FILE_MODE)
            yield fh
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write `data` (text as UTF-8) to `path` atomically (see atomic_writer)."""
    with atomic_writer(path) as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)


def write_new(path: Path, data: bytes | str) -> None:
    """Write a file into a folder no one else sees yet (a build's temporary folder), creating
    its parent. Not atomic: the folder as a whole is swapped in later.

    Runs once per page, 100,000+ times in a large build, where file system calls are most of
    the cost: so one mkdir and a raw open/write/close, without the stat, isatty and seek calls
    of os.makedirs and buffered open().
    """
    try:
        os.mkdir(path.parent)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(path.parent, exist_ok=True)
    view = memoryview(data.encode("utf-8") if isinstance(data, str) else data)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def make_temp_dir(parent: Path, prefix: str) -> Path:
    """A new empty folder in `parent` whose name starts with `prefix`, with the umask's mode
    (it may become a published folder by a rename)."""
    parent.mkdir(parents=True, exist_ok=True)
    directory = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    os.chmod(directory, DIR_MODE)
    return directory
