"""Writing files safely: atomically, with the modes the user's umask asks for, and tidying up
after runs that were killed.

Every writer of the package goes through here. A temporary file or folder made by `tempfile`
is private (0600/0700); published files must be readable by a web server or an rsync
deploy, so their modes are set from the umask (644/755 with the usual 022).

Temporary names carry the id of the process that made them (`.<name>.<pid>-<random>.tmp`,
`<prefix><pid>-<random>`), so that a later run can tell the leftovers of a killed run (its
process is gone) from the files of a run still going on beside it (remove_stale_temporaries).
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import tempfile
import time
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
    """A binary file to write `path` through: it is written as `.<name>.<pid>-<random>.tmp` beside
    it and renamed over `path` when the block ends without an error (else removed), so that
    `path` is never seen half-written. The file gets the umask's mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}-", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), FILE_MODE)
            yield fh
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        _name_the_file(exc, path)
        raise


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write `data` (text as UTF-8) to `path` atomically (see atomic_writer)."""
    with atomic_writer(path) as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)


def write_new(path: Path, data: bytes | str) -> tuple[int, int]:
    """Write a file into a folder no one else sees yet (a build's temporary folder), creating
    its parent; its size and modification time. Not atomic: the folder as a whole is swapped
    in later.

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
        written = os.fstat(fd)   # the build keeps what it wrote (by the open file: no path lookup)
    except OSError as exc:
        _name_the_file(exc, path)
        raise
    finally:
        os.close(fd)
    return written.st_size, written.st_mtime_ns


def _name_the_file(exc: BaseException, path: Path) -> None:
    """Name `path` in an OSError that names no file (a write to an open file, such as one that
    finds the disk full), so that the error reaching the editor says which file it was."""
    if isinstance(exc, OSError) and exc.filename is None:
        exc.filename = str(path)


def make_temp_dir(parent: Path, prefix: str) -> Path:
    """A new empty folder in `parent` named `<prefix><pid>-<random>`, with the umask's mode (it
    may become a published folder by a rename)."""
    parent.mkdir(parents=True, exist_ok=True)
    directory = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))
    os.chmod(directory, DIR_MODE)
    return directory


# --- Swapping a folder in ------------------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _load_renameat2():
    """Linux's renameat2(2) from the C library, or None where there is none."""
    try:
        return ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None


_renameat2 = _load_renameat2()


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one atomic step (renameat2 RENAME_EXCHANGE): no one ever sees
    either name missing. False, with nothing done, where the system or file system cannot."""
    if _renameat2 is None:
        return False
    done = _renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(first), str(second))


# --- Tidying up after killed runs -----------------------------------------------------------------

STALE_SECONDS = 3600   # a temporary name without a process id (older versions) is stale after this
_RANDOM = r"[a-z0-9_]{8}"   # tempfile's random part
# atomic_writer's files, of any file the package writes (the old form without a process id only
# for the kinds of files it wrote, so that nobody's `.notes.20240101.tmp` is ever taken for one)
WRITER_TEMPORARY = re.compile(rf"\.(?:.+\.(?P<pid>[0-9]+)-{_RANDOM}|.+\.(?:md|json|toml|pickle|gz|meta|deflate)\.{_RANDOM})\.tmp")
# Compiled templates in the build cache's templates/ folder are named COMPILED_TEMPLATE % key
# (render.Renderer); JINJA_TEMPORARY are those being written, and those of Jinja's own name
# (older builds) being written.
COMPILED_TEMPLATE = "__newsarchive_html_text_%s.cache"
JINJA_TEMPORARY = re.compile(rf"(?:__jinja2|__newsarchive_html_text)_[0-9a-f]+\.cache{_RANDOM}\.tmp")


def temp_dir_pattern(prefix: str) -> re.Pattern[str]:
    """The names make_temp_dir gives with `prefix` (and the older ones without a process id)."""
    return re.compile(rf"{re.escape(prefix)}(?:(?P<pid>[0-9]+)-)?{_RANDOM}")


def remove_stale_temporaries(folder: Path, *patterns: re.Pattern[str]) -> list[Path]:
    """Remove the entries of `folder` whose whole name matches one of `patterns` and whose run
    is over: the process named in it is gone (a name without one: older than STALE_SECONDS).
    The temporaries of a run still going on, here or in another process, are left alone; so is
    every name that is not one of ours. Returns what was removed."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return removed
    for entry in entries:
        match = next((m for m in (p.fullmatch(entry.name) for p in patterns) if m), None)
        if match is None or not _is_stale(entry, match.groupdict().get("pid")):
            continue
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _is_stale(entry: os.DirEntry, pid: str | None) -> bool:
    """Whether the run that made `entry` is over."""
    if pid is None:
        try:
            return entry.stat(follow_symlinks=False).st_mtime < time.time() - STALE_SECONDS
        except FileNotFoundError:
            return False
    return not process_alive(int(pid))


def process_alive(pid: int) -> bool:
    """Whether process `pid` runs on this machine (signal 0 only asks). A killed process whose
    parent has not collected it yet (a zombie: the workers of a build killed a moment ago) is
    not running. Where this cannot be asked (not POSIX), every process counts as alive, so
    nothing is removed."""
    if pid == os.getpid() or os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:   # another user's process
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Whether Linux reports `pid` as a zombie (False where /proc cannot tell)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return False
    return stat[stat.rfind(b")") + 2:][:1] in (b"Z", b"X")   # the state follows "(command) "
