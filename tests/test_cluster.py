"""A real Dask cluster that shares no disk with the client: a scheduler and workers started as processes of
their own (each in a working folder and HOME of its own), and the articles in S3 (moto's server on 127.0.0.1).
The tables equal the local engine's, no worker opens a file of the client's, and a worker killed mid-run
costs nothing. Every process is started in a process group of its own and killed with it at the end."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import pipeline
from pipeline import schema

distributed = pytest.importorskip("distributed", reason="Dask is optional: pip install '.[dask]'")
s3fs = pytest.importorskip("s3fs", reason="S3 input is an optional dependency: pip install '.[s3]'")
pytest.importorskip("moto", reason="the local S3 server is a test dependency: pip install '.[test]'")

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_FOLDERS = [ROOT / "tests" / name / "articles" for name in ("gold", "holdout", "unseen")]  # 49 files
SETUP = Path(__file__).with_name("cluster_worker_setup.py")
BUCKET_URL = "s3://news/articles"
WAIT = 90  # seconds any one step may take before the test fails
LIFETIME = 900  # seconds after which a started process is killed even if the test process itself was killed


class Processes:
    """Processes started for the tests, each the leader of its own process group, with its output in a log."""

    def __init__(self, logs: Path):
        self.logs, self.started = logs, {}

    def start(self, name: str, argv: list[str], cwd: Path, env: dict) -> subprocess.Popen:
        cwd.mkdir(parents=True, exist_ok=True)
        with open(self.logs / f"{name}.log", "wb") as log:
            proc = subprocess.Popen(
                ["timeout", "-s", "KILL", str(LIFETIME), *argv],
                cwd=cwd,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.started[name] = proc
        return proc

    def kill(self, name: str) -> None:
        """The process and everything it started (a worker's nanny and worker process) at once."""
        proc = self.started.pop(name)
        with _gone_already():
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=WAIT)

    def stop_all(self) -> None:
        for proc in self.started.values():
            with _gone_already():
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.time() + 10
        for name in list(self.started):
            try:
                self.started[name].wait(timeout=max(0.1, deadline - time.time()))
                self.started.pop(name)
            except subprocess.TimeoutExpired:
                self.kill(name)

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")[-3000:]


class _gone_already:
    """Ignores a process group that has already ended."""

    def __enter__(self):
        return self

    def __exit__(self, kind, err, tb):
        return kind is ProcessLookupError


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(ready, what: str, procs: Processes, name: str):
    deadline = time.time() + WAIT
    while time.time() < deadline:
        found = ready()
        if found:
            return found
        if procs.started[name].poll() is not None:
            break
        time.sleep(0.2)
    pytest.fail(f"{what} did not start; its log:\n{procs.log(name)}")


@pytest.fixture(scope="module")
def place(tmp_path_factory):
    """The client's folder (articles, outputs) and the folder the cluster's processes live in, apart."""
    base = tmp_path_factory.mktemp("cluster")
    for name in ("client", "cluster", "logs"):
        (base / name).mkdir()
    return base


@pytest.fixture(scope="module")
def procs(place):
    started = Processes(place / "logs")
    yield started
    started.stop_all()


@pytest.fixture(scope="module")
def s3_env(procs, place):
    """moto's S3 server on a free port of 127.0.0.1; the environment that points boto (s3fs) at it."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    env.pop("AWS_PROFILE", None)
    procs.start(
        "moto",
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        place / "cluster" / "moto",
        env,
    )
    wait_for(lambda: _answers(endpoint), "the moto S3 server", procs, "moto")
    return env


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def corpus(s3_env, place):
    """The project's test articles copied into the client's folder and uploaded to the bucket."""
    local = place / "client" / "articles"
    for folder in ARTICLE_FOLDERS:
        shutil.copytree(folder, local / folder.parent.name)
    fs = s3fs.S3FileSystem(endpoint_url=s3_env["AWS_ENDPOINT_URL"], key="testing", secret="testing")
    fs.mkdir("news")
    fs.put(f"{local}/", "news/articles/", recursive=True)
    return local


@pytest.fixture(scope="module")
def cluster(procs, s3_env, corpus, place):
    """A scheduler and two single-threaded workers; ``start_worker`` adds one more."""
    home = place / "cluster"
    scheduler_file = home / "scheduler.json"
    procs.start(
        "scheduler",
        [
            sys.executable,
            "-m",
            "dask",
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            str(scheduler_file),
        ],
        home / "scheduler",
        s3_env,
    )
    wait_for(scheduler_file.exists, "the Dask scheduler", procs, "scheduler")
    address = wait_for(lambda: _address(scheduler_file), "the Dask scheduler", procs, "scheduler")

    def start_worker(name: str) -> None:
        folder = home / name
        env = {
            **s3_env,
            "HOME": str(folder),
            "TMPDIR": str(folder),
            "PYTHONPATH": str(ROOT),
            "OPEN_LOG": str(home / f"{name}.opens"),
            "TASK_LOG": str(home / f"{name}.tasks"),
            "NO_OPEN_UNDER": os.pathsep.join(map(str, [place / "client", *ARTICLE_FOLDERS])),
        }
        procs.start(
            name,
            [
                sys.executable,
                "-m",
                "dask",
                "worker",
                address,
                "--name",
                name,
                "--nworkers",
                "1",
                "--nthreads",
                "1",
                "--no-dashboard",
                "--local-directory",
                str(folder),
                "--preload",
                str(SETUP),
            ],
            folder,
            env,
        )

    for name in ("worker-1", "worker-2"):
        start_worker(name)
    _wait_for_workers(address, 2)
    return {"address": address, "start_worker": start_worker, "home": home}


def _address(scheduler_file: Path) -> str | None:
    try:
        return json.loads(scheduler_file.read_text())["address"]
    except (OSError, ValueError, KeyError):
        return None


def _wait_for_workers(address: str, n: int) -> None:
    with distributed.Client(address, timeout=WAIT) as client:
        client.wait_for_workers(n, timeout=WAIT)


def extract(*args, env: dict, cwd: Path, wait: bool = True, exit_code: int = 0):
    command = [sys.executable, "-m", "pipeline", "extract", *map(str, args), "--quiet"]
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    if not wait:
        return proc
    try:
        out, err = proc.communicate(timeout=WAIT * 2)
    finally:
        proc.kill()
    assert proc.returncode == exit_code, err
    return err


@pytest.fixture(scope="module")
def local_tables(corpus, place, s3_env):
    extract(corpus, "--out", place / "client" / "local", "--workers", "1", env=s3_env, cwd=place / "client")
    return pipeline.load(place / "client" / "local")


def assert_same_tables(mine: dict, theirs: dict, paths: list[str] | None = None) -> None:
    """The same rows in every table; the articles' paths are ``paths`` when given (input from elsewhere)."""
    assert len(theirs["articles"]) == sum(1 for f in ARTICLE_FOLDERS for _ in f.glob("*.txt")) > 40
    assert (theirs["articles"].status == "ok").all() and len(theirs["mentions"]) > 500
    if paths is not None:
        assert list(theirs["articles"].path) == paths
        theirs = {**theirs, "articles": theirs["articles"].assign(path=mine["articles"].path)}
    for table in schema.TABLES:
        assert mine[table].equals(theirs[table]), table


def s3_paths(local_tables: dict, corpus: Path) -> list[str]:
    """The articles' paths in the bucket, in the local run's order."""
    return [f"{BUCKET_URL}/{Path(p).relative_to(corpus).as_posix()}" for p in local_tables["articles"].path]


def opened_client_files(cluster) -> list[str]:
    return [line for log in cluster["home"].glob("*.opens") for line in log.read_text().splitlines()]


def on_cluster(source, out, cluster: dict, s3_env: dict, place: Path, **options):
    """``extract`` of ``source`` into ``out`` on the test cluster, run from the client's folder."""
    return extract(
        source,
        "--out",
        out,
        "--engine",
        "dask",
        "--scheduler",
        cluster["address"],
        env=s3_env,
        cwd=place / "client",
        **options,
    )


def test_s3_input_on_a_cluster_gives_the_local_tables(cluster, corpus, local_tables, place, s3_env):
    out = place / "client" / "from-s3"
    on_cluster(BUCKET_URL, out, cluster, s3_env, place)
    assert_same_tables(local_tables, pipeline.load(out), s3_paths(local_tables, corpus))
    assert sum(len(log.read_text().split()) for log in cluster["home"].glob("worker-*.tasks")) > 2
    assert all(log.read_text() for log in cluster["home"].glob("worker-*.tasks"))  # both workers took tasks
    assert opened_client_files(cluster) == []


def test_a_local_folder_travels_to_the_cluster_as_bytes(cluster, corpus, local_tables, place, s3_env):
    out = place / "client" / "from-disk"
    on_cluster(corpus, out, cluster, s3_env, place)
    assert_same_tables(local_tables, pipeline.load(out))
    assert opened_client_files(cluster) == []


def test_a_worker_killed_mid_run_costs_nothing(cluster, procs, corpus, local_tables, place, s3_env):
    cluster["start_worker"]("victim")
    _wait_for_workers(cluster["address"], 3)
    out = place / "client" / "killed"
    proc = on_cluster(BUCKET_URL, out, cluster, s3_env, place, wait=False)
    try:
        tasks = cluster["home"] / "victim.tasks"
        wait_for(lambda: tasks.exists() and tasks.read_text(), "a task on the victim worker", procs, "victim")
        assert proc.poll() is None, "the run ended before the worker could be killed"
        procs.kill("victim")
        _, err = proc.communicate(timeout=WAIT * 2)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert_same_tables(local_tables, pipeline.load(out), s3_paths(local_tables, corpus))


def test_s3_output_is_written_by_the_workers(cluster, corpus, local_tables, place, s3_env, monkeypatch):
    for name in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"):
        monkeypatch.setenv(name, s3_env[name])  # this process reads the output back
    fs = s3fs.S3FileSystem(endpoint_url=s3_env["AWS_ENDPOINT_URL"], key="testing", secret="testing")
    fs.mkdir("results")
    out = "s3://results/news"
    runs = []
    for _ in range(2):
        on_cluster(BUCKET_URL, out, cluster, s3_env, place)
        assert_same_tables(local_tables, pipeline.load(out), s3_paths(local_tables, corpus))
        fs.invalidate_cache()
        runs.append({path.split("/")[2] for path in fs.find("results/news") if "/tables-" in path})
    assert len(runs[0]) == len(runs[1]) == 1 and runs[0] != runs[1]  # the second run replaced the first
    fs.pipe("results/news/notes.txt", b"mine")
    err = on_cluster(BUCKET_URL, out, cluster, s3_env, place, exit_code=2)
    assert "refusing to write into s3://results/news" in err and fs.cat("results/news/notes.txt") == b"mine"
    assert opened_client_files(cluster) == []
