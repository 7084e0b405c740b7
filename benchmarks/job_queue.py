"""Job-queue candidates for issue 15, measured side by side: huey (SQLite, Redis) and RQ.

    .venv/bin/pip install huey redis rq        # benchmark only, not project dependencies
    .venv/bin/python benchmarks/job_queue.py [--jobs 5000] [--latency-jobs 100]
        [--only huey-sqlite,huey-redis,rq] [--redis redis://127.0.0.1:6379/0]

For each candidate, workers run as their own processes through the library's own
worker API (huey: `huey.create_consumer(workers=1, worker_type='thread').run()`,
one consumer per process; RQ: `Worker(...).work()`, which forks a work horse per
job). The job is trivial: it appends one line (when it was enqueued, when it
started, the worker's pid) to a log file in a temporary folder. Measured:

* enqueue rate: --jobs jobs enqueued in a tight loop while the workers run;
* latency: --latency-jobs jobs enqueued one every 50 ms to idle workers; the time
  from enqueue to the job's start, median and p95;
* throughput: --jobs jobs, from the first enqueue to the last job's start;
* RSS of each worker process after the throughput run;
* SIGKILL: a 30 s job is started, its worker's process group (and RQ's work
  horse) is killed with SIGKILL, a fresh worker is started, and we watch for 15 s
  whether the job runs again, and what the library reports about it. For RQ, the
  started-job registry's clean-up is then run as if the job's timeout had passed
  (what a worker's maintenance does every 10 minutes), and we watch 15 s again.

with 1 and 2 worker processes. SqliteHuey uses a file in the temporary folder;
RedisHuey and RQ use a throwaway name (queue, key prefix, job ids, worker names)
whose keys are deleted at the end. A library that is not installed is skipped
with a line saying so. Every wait is bounded; workers are stopped at the end.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

BACKENDS = ("huey-sqlite", "huey-redis", "rq")
KILL_JOB_SECONDS = 30
WAIT_LIMIT = 600.0


def record(tag, enqueued_at, sleep=0.0):
    """The benchmark's job: note when it started, then (for the SIGKILL test) sleep."""
    line = f"{tag} {enqueued_at!r} {time.time()!r} {os.getpid()}\n"
    with open(os.path.join(os.environ["JQ_DIR"], "log"), "a") as log:
        log.write(line)
    if sleep:
        time.sleep(sleep)


def make_huey(backend, folder, prefix, redis_url):
    """The huey instance both the benchmark and its workers use, with `record` as a task."""
    if backend == "huey-sqlite":
        from huey import SqliteHuey

        huey = SqliteHuey(name=prefix, filename=os.path.join(folder, "huey.db"))
    else:
        from huey import RedisHuey

        huey = RedisHuey(name=prefix, url=redis_url)
    return huey, huey.task(name="record")(record)


def run_worker(backend, folder, prefix, redis_url, index):
    """Body of one worker process (`--worker`)."""
    if backend.startswith("huey"):
        huey, _ = make_huey(backend, folder, prefix, redis_url)
        huey.create_consumer(workers=1, worker_type="thread", periodic=False).run()
    else:
        from redis import Redis
        from rq import Queue, Worker

        conn = Redis.from_url(redis_url)
        worker = Worker([Queue(prefix, connection=conn)], connection=conn,
                        name=f"{prefix}-w{index}-{os.getpid()}")
        worker.work(logging_level="WARNING")


class Bench:
    """One candidate: its enqueue function, its worker processes and its log."""

    def __init__(self, backend, redis_url):
        self.backend = backend
        self.redis_url = redis_url
        self.folder = tempfile.mkdtemp(prefix="jq-")
        self.prefix = f"jqbench-{uuid.uuid4().hex[:8]}"
        self.log = Path(self.folder, "log")
        self.log.touch()
        self.workers = []
        self.counter = 0
        if backend.startswith("huey"):
            self.huey, self.task = make_huey(backend, self.folder, self.prefix, redis_url)
        else:
            from redis import Redis
            from rq import Queue

            self.redis = Redis.from_url(redis_url)
            self.queue = Queue(self.prefix, connection=self.redis)

    def enqueue(self, tag, sleep=0.0):
        self.counter += 1
        if self.backend.startswith("huey"):
            return self.task(tag, time.time(), sleep)
        from rq import Retry

        # By name: the RQ worker runs this file, so `job_queue` is importable there.
        return self.queue.enqueue("job_queue.record", tag, time.time(), sleep,
                                  job_id=f"{self.prefix}-{self.counter}",
                                  job_timeout=KILL_JOB_SECONDS * 2 if sleep else 60,
                                  retry=Retry(max=1) if sleep else None, result_ttl=0)

    def start_workers(self, count):
        env = dict(os.environ, JQ_DIR=self.folder)
        for index in range(count):
            self.workers.append(subprocess.Popen(
                [sys.executable, __file__, "--worker", self.backend, "--folder", self.folder,
                 "--prefix", self.prefix, "--redis", self.redis_url, "--index", str(index)],
                env=env, start_new_session=True,
                stdout=subprocess.DEVNULL, stderr=open(Path(self.folder, "worker.err"), "a")))
        # Warm up: the workers are ready once they have run a handful of jobs.
        self.wait_for("warm", 5 * count)

    def stop_workers(self, sig=signal.SIGTERM):
        """Signal each worker's process group; with SIGKILL, also its children's groups
        (RQ's work horse moves to a process group of its own)."""
        groups = [proc.pid for proc in self.workers]
        if sig == signal.SIGKILL:
            groups += descendants(groups)
        for group in groups:
            try:
                os.killpg(group, sig)
            except ProcessLookupError:
                pass
        for proc in self.workers:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=15)
        self.workers = []

    def lines(self, tag):
        rows = []
        for line in self.log.read_text().splitlines():
            name, enqueued, started, pid = line.split()
            if name == tag:
                rows.append((float(enqueued), float(started), int(pid)))
        return rows

    def wait_for(self, tag, count, limit=WAIT_LIMIT, enqueue=True):
        """Enqueue `count` jobs tagged `tag` (unless already done) and wait for them to start."""
        if enqueue:
            for _ in range(count):
                self.enqueue(tag)
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            rows = self.lines(tag)
            if len(rows) >= count:
                return rows
            time.sleep(0.05)
        raise TimeoutError(f"{self.backend}: only {len(self.lines(tag))} of {count} "
                           f"{tag!r} jobs started within {limit:.0f} s")

    def rss_mb(self):
        sizes = []
        for proc in self.workers:
            status = Path(f"/proc/{proc.pid}/status").read_text()
            kb = next(int(line.split()[1]) for line in status.splitlines()
                      if line.startswith("VmRSS:"))
            sizes.append(kb / 1024)
        return sizes

    def cleanup(self):
        if self.workers:
            self.stop_workers(signal.SIGKILL)
        if self.backend != "huey-sqlite":
            from redis import Redis

            conn = Redis.from_url(self.redis_url)
            keys = list(conn.scan_iter(match=f"*{self.prefix}*", count=1000))
            if keys:
                conn.delete(*keys)
            for set_key in ("rq:workers", "rq:queues"):
                for member in conn.smembers(set_key):
                    if self.prefix.encode() in member:
                        conn.srem(set_key, member)
        shutil.rmtree(self.folder, ignore_errors=True)


def descendants(pids):
    """The pids of all descendants of `pids`, read from /proc."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], list(pids)
    while todo:
        kids = children.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(bench, workers, jobs, latency_jobs):
    """Latency, enqueue rate, throughput and RSS with `workers` worker processes."""
    bench.start_workers(workers)
    tag = f"lat{workers}"
    for _ in range(latency_jobs):
        bench.enqueue(tag)
        time.sleep(0.05)  # the pacing of the load, not a synchronisation
    waits = [(started - enqueued) * 1000 for enqueued, started, _ in
             bench.wait_for(tag, latency_jobs, enqueue=False)]
    tag = f"run{workers}"
    began = time.time()
    for _ in range(jobs):
        bench.enqueue(tag)
    enqueue_seconds = time.time() - began
    rows = bench.wait_for(tag, jobs, enqueue=False)
    last = max(started for _, started, _ in rows)
    result = {
        "workers": workers,
        "enqueue_per_s": jobs / enqueue_seconds,
        "latency_median_ms": statistics.median(waits),
        "latency_p95_ms": percentile(waits, 0.95),
        "throughput_per_s": jobs / (last - began),
        "rss_mb": bench.rss_mb(),
        "pids_used": len({pid for _, _, pid in rows}),
    }
    bench.stop_workers()
    return result


def sigkill_test(bench):
    """Kill a worker mid-job; say whether the job is lost, run again, or reported."""
    bench.start_workers(1)
    job = bench.enqueue("kill", sleep=KILL_JOB_SECONDS)
    bench.wait_for("kill", 1, limit=30, enqueue=False)
    bench.stop_workers(signal.SIGKILL)
    bench.start_workers(1)
    runs = wait_for_rerun(bench)
    outcome = f"started {runs}x: " + ("re-delivered" if runs >= 2 else "not run again within 15 s")
    if bench.backend.startswith("huey"):
        report = (f"queued={len(bench.huey)} scheduled={bench.huey.scheduled_count()} "
                  f"result={bench.huey.result_count()}")
    else:
        report = rq_report(bench, job)
        # What RQ's worker maintenance does once the job's timeout has passed: the
        # abandoned job is retried (it was enqueued with Retry(max=1)) or failed.
        from rq.registry import StartedJobRegistry

        StartedJobRegistry(queue=bench.queue).cleanup(
            timestamp=time.time() + 3 * KILL_JOB_SECONDS + 60)
        reruns = wait_for_rerun(bench)
        report += (f"; after the job's timeout, registry cleanup: {rq_report(bench, job)}, "
                   f"started {reruns}x in all")
    bench.stop_workers(signal.SIGKILL)
    return f"{outcome}; library reports {report}"


def wait_for_rerun(bench, limit=15.0):
    """How many times the SIGKILL job has started, after waiting up to `limit` s for a second."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and len(bench.lines("kill")) < 2:
        time.sleep(0.1)
    return len(bench.lines("kill"))


def rq_report(bench, job):
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    job.refresh()
    return (f"status={job.get_status().value} "
            f"started_registry={StartedJobRegistry(queue=bench.queue).count} "
            f"failed_registry={FailedJobRegistry(queue=bench.queue).count}")


def installed(backend):
    try:
        if backend.startswith("huey"):
            import huey  # noqa: F401
        else:
            import rq  # noqa: F401
        if backend != "huey-sqlite":
            import redis  # noqa: F401
    except ImportError as error:
        print(f"{backend}: skipped, not installed ({error.name}); "
              f"`.venv/bin/pip install huey redis rq` to include it")
        return False
    return True


def versions():
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("huey", "redis", "rq"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            pass
    return ", ".join(found)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=5000)
    parser.add_argument("--latency-jobs", type=int, default=100)
    parser.add_argument("--only", default=",".join(BACKENDS))
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--worker", choices=BACKENDS, help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--prefix", help=argparse.SUPPRESS)
    parser.add_argument("--index", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        run_worker(args.worker, args.folder, args.prefix, args.redis, args.index)
        return
    print(f"Python {sys.version.split()[0]}; {versions()}")
    print(f"{'backend':<12} {'workers':>7} {'enqueue/s':>10} {'lat med ms':>10} "
          f"{'lat p95 ms':>10} {'jobs/s':>8} {'RSS MB/worker':>14}")
    kills = {}
    for backend in args.only.split(","):
        if not installed(backend):
            continue
        bench = Bench(backend, args.redis)
        try:
            for workers in (1, 2):
                r = measure(bench, workers, args.jobs, args.latency_jobs)
                rss = "/".join(f"{mb:.0f}" for mb in r["rss_mb"])
                print(f"{backend:<12} {workers:>7} {r['enqueue_per_s']:>10.0f} "
                      f"{r['latency_median_ms']:>10.1f} {r['latency_p95_ms']:>10.1f} "
                      f"{r['throughput_per_s']:>8.0f} {rss:>14}", flush=True)
            kills[backend] = sigkill_test(bench)
        finally:
            bench.cleanup()
    for backend, outcome in kills.items():
        print(f"SIGKILL mid-job, {backend}: {outcome}")


if __name__ == "__main__":
    main()
