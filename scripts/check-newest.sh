#!/usr/bin/env bash
# The newest releases that pyproject.toml's ranges allow, not requirements.lock: what a user gets
# from `pip install 'ses-events[local,analytics,nag]'` today. In a fresh virtual environment it
# installs the project with those extras at their newest allowed releases (the test tools at the
# lock's pins), prints what was resolved, runs the local AWS's tests and then the main job
# (`ses-events local-deploy`). A failure means a declared range is not true: fix the code or
# narrow the range. .ci/run runs it after the test suite; run it by hand with
#   ./scripts/check-newest.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/setup.sh
. "$root/scripts/setup.sh"   # the pinned CDK CLI and Node.js (npm's lock), as the main job needs
cd "$root"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python="${PYTHON:-python3}"
"$python" -m venv "$work/venv"
newest="$work/venv/bin/python"
pinned() { grep -E "^$1==" requirements.lock | sed 's/ .*//'; }
echo "== newest releases within the declared ranges"
"$newest" -m pip install --quiet --upgrade pip
"$newest" -m pip install --quiet --upgrade "$root[local,analytics,nag]" \
  "$(pinned pytest)" "$(pinned syrupy)"
"$newest" - <<'PY'
import re
from importlib.metadata import requires, version

wanted = ("", 'extra == "local"', 'extra == "analytics"', 'extra == "nag"')
names = sorted(
    {re.split(r"[\[<>=!~ ]", r.split(";")[0], maxsplit=1)[0] for r in requires("ses-events") or []
     if (r.split(";")[1].strip() if ";" in r else "") in wanted}
)
print("  " + ", ".join(f"{n} {version(n)}" for n in [*names, "botocore"]))
PY
echo "== the local AWS's tests"
PATH="$work/venv/bin:$PATH" "$newest" -m pytest -q -p no:cacheprovider \
  tests/test_local_aws.py tests/test_local_publishing.py tests/test_failures.py
echo "== the main job"
PATH="$work/venv/bin:$PATH" "$newest" -m ses_events local-deploy
