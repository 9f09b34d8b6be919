#!/usr/bin/env bash
# The main job: set up, start the local AWS (moto, on a free loopback port), `cdk bootstrap` and
# `cdk deploy` the app (the example spec unless --spec PATH), check every deployed resource with
# boto3 against its template, print what is deployed, and stop the local AWS.
#   ./scripts/deploy-local.sh [--spec PATH] [--keep-running] [--port N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/setup.sh
. "$root/scripts/setup.sh"
cd "$root"
exec python -m ses_events local-deploy "$@"
