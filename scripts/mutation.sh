#!/usr/bin/env bash
# Mutation testing with mutmut: plausible one-line bugs in a part of the code (a changed limit, a
# dropped condition, an off-by-one), each run against that part's targeted tests; a mutant the
# tests let through is a test to write (or an equivalent mutant to explain).
#
#   scripts/mutation.sh [TARGET...]      targets: tools/mutation/*.cfg (default: all of them)
#   MUTANTS='pattern ...' scripts/mutation.sh TARGET
#                                        only the mutants whose names match (fnmatch), e.g. the
#                                        survivors of an earlier run, after new tests
#
# A target's cfg may name the functions it is about in a line '# mutants: pattern ...' (a big
# module whose other parts have their own tests); MUTANTS overrides it.
#
# Each target runs in a copy of the work tree (mutmut writes its mutants/ beside the code it
# mutates), with that target's mutmut settings as the copy's setup.cfg. Prints each target's
# surviving mutants and its kill rate; the full results stay in the copy (path printed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/setup.sh
. "$root/scripts/setup.sh" >/dev/null
cd "$root"
mutmut_version="3.8.1"
if ! python -c "import mutmut, sys; sys.exit(mutmut.__version__ != '$mutmut_version')" 2>/dev/null
then
  pip install --quiet "mutmut==$mutmut_version"
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for cfg in tools/mutation/*.cfg; do targets+=("$(basename "$cfg" .cfg)"); done
fi
set -f  # from here on, mutant patterns are not file names
work="$(mktemp -d "${TMPDIR:-/tmp}/ses-events-mutation.XXXXXX")"
echo "mutation runs in $work"
for target in "${targets[@]}"; do
  cfg="tools/mutation/$target.cfg"
  [ -f "$cfg" ] || { echo "no such target: $target (tools/mutation/*.cfg)" >&2; exit 2; }
  copy="$work/$target"
  mkdir -p "$copy"
  git ls-files -z | xargs -0 cp --parents -t "$copy"
  ln -s "$root/node_modules" "$copy/node_modules"
  # the copy's pyproject.toml keeps pytest's settings; mutmut reads its own from setup.cfg
  cp "$cfg" "$copy/setup.cfg"
  cat tools/mutation/common.cfg >> "$copy/setup.cfg"
  patterns="${MUTANTS:-$(sed -n 's/^# mutants: *//p' "$cfg")}"
  echo "== $target${patterns:+ (mutants: $patterns)}"
  # shellcheck disable=SC2086  # the patterns are words; mutmut matches them itself
  (cd "$copy" && mutmut run --max-children "${MUTATION_CHILDREN:-2}" $patterns \
    >"$copy/mutmut.log" 2>&1) || { tail -30 "$copy/mutmut.log"; exit 1; }
  (cd "$copy" && mutmut results --all true >"$copy/results.txt" 2>&1) || true
  # shellcheck disable=SC2086
  python tools/mutation/summary.py "$target" "$copy/results.txt" $patterns
done
