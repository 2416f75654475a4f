"""Preloaded by the Dask workers that tests/test_cluster.py starts (``dask worker --preload``): records each
file the worker opens under ``NO_OPEN_UNDER`` (the client's folders) in ``OPEN_LOG``, and each task it starts
in ``TASK_LOG``. Nothing happens on import: only in ``dask_setup``, in a worker."""

import os
import sys


def dask_setup(worker):
    opens = os.open(os.environ["OPEN_LOG"], os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    forbidden = tuple(os.environ["NO_OPEN_UNDER"].split(os.pathsep))

    def audit(event: str, args: tuple) -> None:
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.path.abspath(os.fsdecode(args[0]))
            if path.startswith(forbidden):
                os.write(opens, f"{path}\n".encode())

    sys.addaudithook(audit)
    return worker.plugin_add(plugin=task_log(os.environ["TASK_LOG"]), name="task-log")


def task_log(path: str):
    """A worker plugin: one line in the log at ``path`` per task the worker starts."""
    from distributed import WorkerPlugin

    class TaskLog(WorkerPlugin):
        def __init__(self):
            self.log = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)

        def transition(self, key, start, finish, **kwargs):
            if finish == "executing":
                os.write(self.log, b"started\n")

    return TaskLog()
