"""Summarize ``mutmut results --all true``: counts by status, the kill rate, the survivors.

The kill rate is killed (and timed out) over every mutant that ran or had no test: a mutant no
test reaches counts as surviving. Patterns after the results file (fnmatch, as given to
``mutmut run``) count only the mutants they match: the others were not run.
"""

from __future__ import annotations

import fnmatch
import re
import sys
from collections import Counter
from pathlib import Path


def main(target: str, results: str, patterns: list[str]) -> int:
    statuses: dict[str, str] = {}
    for line in Path(results).read_text(encoding="utf-8").splitlines():
        found = re.fullmatch(r"\s*(\S+__mutmut_\d+): (.+)", line)
        if found and (not patterns or any(fnmatch.fnmatch(found.group(1), p) for p in patterns)):
            statuses[found.group(1)] = found.group(2).strip()
    counts = Counter(statuses.values())
    counted = sum(n for status, n in counts.items() if status not in ("skipped",))
    killed = counts["killed"] + counts["timeout"]
    rate = killed / counted if counted else 0.0
    by_status = ", ".join(f"{status} {n}" for status, n in sorted(counts.items()))
    print(f"{target}: {killed} of {counted} mutants killed ({rate:.1%}); {by_status}")
    for name, status in sorted(statuses.items()):
        if status not in ("killed", "timeout", "skipped"):
            print(f"  {status}: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
