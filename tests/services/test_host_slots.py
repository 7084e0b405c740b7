"""Request slots per host, shared by worker processes through the database
(services/host_slots.py): real processes, each with threads, ask for one host at once."""
import datetime as dt
import json
import signal
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import pytest

from factcheck.services.host_slots import HostBusy, host_slot
from factcheck.store.db import get_engine

pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parents[2]
HOST = "busy.example"


def wait_for(path: Path, seconds: float = 60) -> None:
    give_up = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < give_up, f"{path.name} never appeared"
        time.sleep(0.02)


def hammer(url: str, folder: str, name: str, threads: int, requests: int, options: dict) -> None:
    """A worker process: `threads` threads each make `requests` requests to HOST through the
    limit, writing each one's start (as stored) and end to <name>.jsonl; it starts when told."""
    engine = get_engine(url)
    out, lock = (Path(folder) / f"{name}.jsonl").open("a"), threading.Lock()
    (Path(folder) / f"{name}.ready").touch()
    wait_for(Path(folder) / "go")

    def requesting() -> None:
        for _ in range(requests):
            with host_slot(engine, HOST, **options) as started:
                time.sleep(0.15)  # the request: longer than the pause times the slots
                ended = dt.datetime.now(dt.timezone.utc)
            with lock:
                out.write(json.dumps([started.timestamp(), ended.timestamp()]) + "\n")
                out.flush()

    workers = [threading.Thread(target=requesting) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def hold_forever(url: str, folder: str, options: dict) -> None:
    """A worker process that takes a slot and hangs on to it until it is killed."""
    with host_slot(get_engine(url), HOST, **options) as started:
        (Path(folder) / "held").write_text(str(started.timestamp()))
        time.sleep(60)


def start(function: str, *args) -> subprocess.Popen:
    arguments = [str(arg) if isinstance(arg, Path) else arg for arg in args]
    code = f"from tests.services.test_host_slots import {function}; {function}(*{arguments!r})"
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)


def most_at_once(intervals: list[tuple[float, float]]) -> int:
    events = sorted([(begin, 1) for begin, _ in intervals] + [(end, -1) for _, end in intervals])
    at_once = most = 0
    for _, change in events:  # at a tie an end (-1) comes first: it released before the other began
        at_once += change
        most = max(most, at_once)
    return most


def test_two_processes_share_two_slots_and_the_pause(database, tmp_path):
    get_engine(database)  # migrated before the workers start
    options = {"slots": 2, "pause": 0.03, "hold_seconds": 30, "wait_seconds": 30}
    workers = [start("hammer", database, tmp_path, name, 3, 4, options) for name in ("a", "b")]
    try:
        for name in ("a", "b"):
            wait_for(tmp_path / f"{name}.ready")
        (tmp_path / "go").touch()
        for worker in workers:
            assert worker.wait(timeout=90) == 0
    finally:
        for worker in workers:
            worker.kill()
    requests = [tuple(json.loads(line)) for name in ("a", "b")
                for line in (tmp_path / f"{name}.jsonl").read_text().splitlines()]
    assert len(requests) == 2 * 3 * 4
    assert most_at_once(requests) == 2  # six threads asked at once; two held a slot at a time
    starts = sorted(begin for begin, _ in requests)
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:])]
    assert min(gaps) >= 0.03 - 1e-6


def test_a_killed_holders_slot_frees_itself_when_it_expires(database, tmp_path):
    engine = get_engine(database)
    options = {"slots": 1, "pause": 0.0, "hold_seconds": 1.5}
    holder = start("hold_forever", database, tmp_path, {**options, "wait_seconds": 30})
    try:
        wait_for(tmp_path / "held")
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    taken_at = float((tmp_path / "held").read_text())
    with pytest.raises(HostBusy, match="busy.example: no free request slot within 0.2 s"):
        with host_slot(engine, HOST, **options, wait_seconds=0.2):
            pass
    with host_slot(engine, HOST, **options, wait_seconds=10) as started:
        assert started.timestamp() >= taken_at + 1.5
        assert started.timestamp() < taken_at + 1.5 + 5


def test_a_released_slot_is_free_at_once_and_other_hosts_do_not_wait(engine):
    options = {"slots": 1, "pause": 0.0, "hold_seconds": 30, "wait_seconds": 0.2}
    with host_slot(engine, HOST, **options):
        with host_slot(engine, "other.example", **options):
            pass
        with pytest.raises(HostBusy):
            with host_slot(engine, HOST, **options):
                pass
    with host_slot(engine, HOST, **options):
        pass


def test_an_expired_holder_does_not_free_the_slot_taken_after_it(engine):
    options = {"slots": 1, "pause": 0.0, "wait_seconds": 5}
    with ExitStack() as late, ExitStack() as successor:
        late.enter_context(host_slot(engine, HOST, **options, hold_seconds=0.2))
        time.sleep(0.3)  # the request outlives its slot, which another takes
        successor.enter_context(host_slot(engine, HOST, **options, hold_seconds=30))
        late.close()  # the late request ends and lets go of its slot: not of the successor's
        with pytest.raises(HostBusy):
            with host_slot(engine, HOST, **{**options, "wait_seconds": 0.2}, hold_seconds=30):
                pass


def test_more_slots_than_rows_stored_are_made_on_demand(engine):
    options = {"pause": 0.0, "hold_seconds": 30, "wait_seconds": 0.2}
    with host_slot(engine, HOST, slots=1, **options):
        with host_slot(engine, HOST, slots=2, **options):  # the limit was raised meanwhile
            with pytest.raises(HostBusy):
                with host_slot(engine, HOST, slots=2, **options):
                    pass


def test_the_wait_for_a_slot_is_bounded(engine):
    options = {"slots": 1, "pause": 0.0, "hold_seconds": 30}
    with host_slot(engine, HOST, **options, wait_seconds=1):
        asked = time.monotonic()
        with pytest.raises(HostBusy):
            with host_slot(engine, HOST, **options, wait_seconds=0.5):
                pass
        assert 0.5 <= time.monotonic() - asked < 1.5
