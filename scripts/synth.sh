#!/usr/bin/env bash
# The main job: set up, synthesize the app with the real CDK CLI (example spec unless
# `-c ses-events:spec=PATH` is passed), and summarize what the templates contain.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/setup.sh
. "$root/scripts/setup.sh"
cd "$root"
rm -rf cdk.out
echo "ses-events: synthesizing with the CDK CLI (npx cdk synth; progress below)"
npx --no-install cdk synth --quiet "$@"
python -m ses_events summary cdk.out
echo
echo "Estimated CloudWatch cost (ses-events cost cdk.out --values-per-dimension N to change it):"
python -m ses_events cost cdk.out
