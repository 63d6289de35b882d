"""Fixtures for the fault tests: a throwaway PostgreSQL cluster per session (a migrated template
database with the risk model, cloned per test), a throwaway Redis per test, and helpers to run
Celery workers, the web server and scenario scripts against them as real processes."""

import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.faults.servers import (
    ThrowawayPostgres,
    ThrowawayRedis,
    free_port,
    missing_binaries,
    wait_for,
)

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = "cl_faults_template"
_db_seq = itertools.count(1)


def pytest_collection_modifyitems(config, items):
    reason = missing_binaries()
    if reason:
        skip = pytest.mark.skip(reason=f"fault tests need their own servers: {reason}")
        for item in items:
            if {"fault_pg", "fault_redis"} & set(getattr(item, "fixturenames", ())):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def fault_pg(risk_artifact, tmp_path_factory):
    """A PostgreSQL cluster of our own with a migrated template database."""
    pg = ThrowawayPostgres().init().start()
    try:
        pg.execute(f"CREATE DATABASE {TEMPLATE}")
        env = app_env(pg.url(TEMPLATE), var_dir=tmp_path_factory.mktemp("template-var"))
        run_manage(env, "migrate", "--noinput", timeout=300)
        _, path, sha = risk_artifact
        scenario(env, "register_model", path=str(path), sha256=sha)
        yield pg
    finally:
        pg.destroy()


@pytest.fixture
def fault_db(fault_pg, request):
    """A fresh database, cloned from the migrated template: its DATABASE_URL."""
    name = f"cl_faults_{next(_db_seq)}_{os.getpid()}"
    fault_pg.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    yield fault_pg.url(name)


@pytest.fixture
def fault_redis():
    redis = ThrowawayRedis().start()
    yield redis
    redis.destroy()


def app_env(database_url: str, *, redis_url: str = "", var_dir: Path, production=False,
            **extra) -> dict:
    """The environment of a CommunityLend process on the throwaway servers: development mode
    with emails written to files under ``var_dir/mail``, or production mode over plain HTTP on
    127.0.0.1 (``production=True``: real error pages)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "CELERY_", "PYTEST", "REDIS_", "DATABASE_", "CACHE_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "communitylend.settings", "DJANGO_DEBUG": "1",
        "DATABASE_URL": database_url, "VAR_DIR": str(var_dir),
        "MEDIA_ROOT": str(Path(var_dir) / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "PYTHONUNBUFFERED": "1", "LOG_LEVEL": "INFO",
    })
    if redis_url:
        env["REDIS_URL"] = redis_url
    if production:
        del env["DJANGO_DEBUG"]
        env.update({"SECRET_KEY": "fault-tests-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1",
                    "PAYMENT_WEBHOOK_SECRET": "fault-tests-webhook-" + "y" * 40,
                    "FIELD_ENCRYPTION_KEYS": "QhVY1r4OEPOgMmJyXGmSX2VU7hNdK4ufF3oO4AHcDlk=",
                    "SECURE_SSL_REDIRECT": "0", "STATIC_MANIFEST": "0",
                    "WHITENOISE_USE_FINDERS": "1", "EMAIL_URL": "smtp://127.0.0.1:1"})
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run_manage(env: dict, *args, timeout=120) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def scenario(env: dict, function: str, **kwargs):
    """Run ``tests.faults.scenario.<function>(**kwargs)`` in a subprocess; its JSON result.
    Celery tasks run inline there: the setup must not queue work for the workers under test."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.faults.scenario", function, json.dumps(kwargs)],
        cwd=ROOT, env={**env, "CELERY_TASK_ALWAYS_EAGER": "1"}, capture_output=True, text=True,
        timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


class Process:
    """A long-running process in its own session (so a kill reaches its children too), its
    output in a log file."""

    def __init__(self, name: str, command: list[str], env: dict, log_dir: Path):
        self.name = name
        self.log = Path(log_dir) / f"{name}.log"
        self._log = self.log.open("ab")
        self.popen = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self._log,
                                      stderr=subprocess.STDOUT, start_new_session=True)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self, sig=signal.SIGKILL):
        """Signal the whole process group (the worker and its pool children)."""
        if self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                pass
        try:
            self.popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()
        self._log.close()

    def stop(self):
        self.kill(signal.SIGTERM)


@pytest.fixture
def work_dir(request):
    """A directory of the test's own for logs, mail and media, outside pytest's tmp_path (other
    pytest sessions on the machine prune those); kept when the test fails, for its logs."""
    path = Path(tempfile.mkdtemp(prefix="cl-faults-"))
    failed_before = request.session.testsfailed
    yield path
    if request.session.testsfailed == failed_before:
        shutil.rmtree(path, ignore_errors=True)
    else:
        print(f"fault test logs kept in {path}")


@pytest.fixture
def processes(work_dir):
    """Start processes with ``processes.start(name, command, env)``; all are stopped at the end."""

    class Processes(list):
        def start(self, name, command, env):
            process = Process(name, command, env, work_dir)
            self.append(process)
            return process

        def celery_worker(self, name, env):
            worker = self.start(name, [
                sys.executable, "-m", "celery", "-A", "communitylend", "worker", "-P", "prefork",
                "-c", "1", "-n", f"{name}@%h", "--without-gossip", "--without-mingle",
                "--without-heartbeat", "-l", "INFO"], env)
            wait_for(lambda: "ready." in worker.output() or worker.popen.poll() is not None,
                     timeout=60, what=f"celery worker {name}")
            assert worker.popen.poll() is None, worker.output()
            return worker

        def web(self, name, env, *, workers=2, threads=4):
            port = free_port()
            server = self.start(name, [
                sys.executable, "-m", "gunicorn", "communitylend.wsgi", "-b", f"127.0.0.1:{port}",
                "-w", str(workers), "--threads", str(threads), "--timeout", "60",
                "--graceful-timeout", "5"], env)
            server.url = f"http://127.0.0.1:{port}"
            wait_for(lambda: _responds(server.url + "/healthz") or server.popen.poll() is not None,
                     timeout=60, what=f"web server {name}")
            assert server.popen.poll() is None, server.output()
            return server

    started = Processes()
    yield started
    for process in reversed(started):
        process.kill()


def _responds(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


def wait_until(predicate, *, timeout: float, what: str, interval: float = 0.25):
    return wait_for(predicate, timeout=timeout, what=what, interval=interval)


__all__ = ["app_env", "run_manage", "scenario", "wait_until", "time"]
