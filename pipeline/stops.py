"""SIGINT and SIGTERM stop a run: the signal becomes ``Stopped``, raised where the run is, so the run cleans
up (workers, temporary folders) on its way out. Code that must not be cut half way (a Dask cluster starting on
threads of its own) holds the stop in ``deferred()`` and takes it at the end; a second signal does not
wait."""

from __future__ import annotations

import contextlib
import signal
from typing import Iterator

EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}  # 128 + the signal's number, as shells report it
received: list[int] = []  # the stop signals received, in order
_deferring = False


class Stopped(KeyboardInterrupt):
    """SIGINT or SIGTERM: the run stops and cleans up; the exit code says which signal."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def install() -> None:
    """Turn the stop signals into ``Stopped`` in this (main) thread."""
    for signum in EXIT_CODES:
        signal.signal(signum, _on_signal)


def _on_signal(signum, frame) -> None:
    received.append(signum)
    if not (_deferring and len(received) == 1):
        raise Stopped(signum)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """A stop arriving inside is raised when the block has finished, not in the middle of it."""
    global _deferring
    if _deferring:
        yield
        return
    _deferring = True
    try:
        yield
    finally:
        _deferring = False
    if received:
        raise Stopped(received[0])
