#!/usr/bin/env bash
# Set up everything ses-events needs on a fresh machine (Python 3.11, Node.js and npm present):
# a virtual environment with exactly the packages of requirements.lock and the project itself,
# the pinned Node.js tooling (CDK CLI, Node.js 22) from package-lock.json, and checkov in an
# environment of its own. Safe to run again: it redoes only what changed. Source it to get PATH
# set up: `. scripts/setup.sh`.
# When sourced, the caller's shell options are restored at the end (no `set -e` left behind in
# an interactive shell).
# (Read from $- and shopt, not from "$(set +o)": a command substitution runs with errexit off,
# so that would restore `set +e` and let a caller's later failures pass unnoticed.)
if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  case $- in *e*) _ses_events_options="set -e" ;; *) _ses_events_options="set +e" ;; esac
  case $- in *u*) _ses_events_options+="; set -u" ;; *) _ses_events_options+="; set +u" ;; esac
  if shopt -qo pipefail; then _ses_events_options+="; set -o pipefail"
  else _ses_events_options+="; set +o pipefail"; fi
fi
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

python="${PYTHON:-python3}"
stamp=".venv/.ses-events-installed"
want="$(cat pyproject.toml requirements.lock package-lock.json tools/node-runtime.sha256 tools/checkov-requirements.txt | sha256sum | cut -d' ' -f1)"
if [ ! -x .venv/bin/python ]; then
  echo "ses-events: creating .venv with $("$python" --version)"
  "$python" -m venv .venv
fi
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -d node_modules ] \
  || [ ! -x .tools/checkov/bin/checkov ]; then
  started=$SECONDS
  packages="$(grep -c '^[A-Za-z0-9]' requirements.lock)"
  echo "ses-events: installing $packages Python packages (exactly requirements.lock, hashes checked; a few minutes on a fresh machine)"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet --require-hashes -r requirements.lock
  echo "ses-events:   done in $((SECONDS - started)) s"
  # The project itself, editable, with nothing more: everything it needs came from the lock.
  .venv/bin/python -m pip install --quiet --no-deps -e .
  echo "ses-events: installing the CDK CLI and Node.js 22 (pinned in package-lock.json)"
  started=$SECONDS
  npm ci --no-audit --no-fund --loglevel=error
  echo "ses-events:   done in $((SECONDS - started)) s"
  # The runtime itself is fetched by the `node` package's install script, outside the lock's
  # integrity hashes: check it against tools/node-runtime.sha256.
  platform="$(uname -s)-$(uname -m)"
  node_sha="$(awk -v p="$platform" '$1 !~ /^#/ && $2 == p {print $1}' tools/node-runtime.sha256)"
  if [ -n "$node_sha" ]; then
    if ! echo "$node_sha  node_modules/node/bin/node" | sha256sum --check --quiet; then
      echo "ses-events: node_modules/node/bin/node is not the Node.js recorded in" \
        "tools/node-runtime.sha256 for $platform; refusing to use it" >&2
      rm -rf node_modules
      exit 1
    fi
  else
    echo "ses-events: no recorded checksum of the Node.js runtime for $platform: not verified" >&2
  fi
  echo "ses-events: installing checkov into .tools/checkov (pinned in tools/checkov-requirements.txt)"
  rm -rf .tools/checkov
  "$python" -m venv .tools/checkov
  started=$SECONDS
  .tools/checkov/bin/python -m pip install --quiet -r tools/checkov-requirements.txt
  echo "ses-events:   done in $((SECONDS - started)) s"
  echo "$want" > "$stamp"
fi

# The project's own Node.js (22) and CDK CLI first, then the virtual environment.
export PATH="$root/node_modules/.bin:$root/.venv/bin:$PATH"
# No CDK CLI telemetry from this project's scripts (cdk.json says so too; `cdk cli-telemetry
# --enable` or removing "cli-telemetry" from cdk.json turns it on).
export CDK_DISABLE_CLI_TELEMETRY="${CDK_DISABLE_CLI_TELEMETRY:-true}"
# jsii starts `node` from PATH; say which one so the project's Node.js 22 is used.
export JSII_NODE="$root/node_modules/.bin/node"
if [ -n "${_ses_events_options:-}" ]; then eval "$_ses_events_options"; unset _ses_events_options; fi
