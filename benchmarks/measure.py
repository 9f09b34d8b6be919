"""Running one measured child process: wall time, and the peak resident memory of it and its
children, read from ``/proc`` while it runs (shared by the benchmarks)."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and its descendants."""
    total = 0
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry))
    todo = [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def run_measured(
    command: Sequence[str], *, cwd: Path, every: float = 0.05
) -> tuple[float, int, subprocess.CompletedProcess[str]]:
    """Run ``command``; return its wall time, the peak memory of its process tree, and it."""
    started = time.monotonic()
    process = subprocess.Popen(
        list(command), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = 0
    stop = threading.Event()

    def poll() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss(process.pid))
            stop.wait(every)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    output, errors = process.communicate()
    seconds = time.monotonic() - started
    stop.set()
    poller.join()
    done = subprocess.CompletedProcess(list(command), process.returncode, output, errors)
    return seconds, peak, done
