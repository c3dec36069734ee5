#!/usr/bin/env bash
# The fuzz step of .ci/run: every test file with a property (fc.assert) runs again with a fresh
# random seed and each property time-boxed (FUZZ=nightly, FUZZ_MS_PER_PROPERTY, default 3 s;
# about 50 properties, a few minutes in all), so that every CI run explores new inputs. Each
# seed is printed; a failure prints the file's output and replays with the same seed (and the
# FC_PATH fast-check prints for the shrunk case):
#   FUZZ=nightly FC_SEED=<seed> FC_PATH=<path> node --import tsx --import ./test/fc-setup.ts --test <file>
# then it becomes a plain regression test.
set -euo pipefail
cd "$(dirname "$0")/.."

fuzz_ms="${FUZZ_MS_PER_PROPERTY:-3000}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for file in $(grep -l "fc.assert" test/*.test.ts); do
  seed=$(node -e 'console.log(require("node:crypto").randomInt(1, 2 ** 31 - 1))')
  echo "fuzz: ${file} FC_SEED=${seed} (${fuzz_ms} ms per property)"
  if ! FUZZ=nightly FC_SEED="${seed}" FUZZ_MS_PER_PROPERTY="${fuzz_ms}" \
    node --import tsx --import ./test/fc-setup.ts --test "${file}" >"$log" 2>&1; then
    cat "$log"
    echo "fuzz: ${file} FAILED with FC_SEED=${seed}"
    exit 1
  fi
  echo "fuzz:   $(grep -E '^# (pass|fail)' "$log" | tr '\n' ' ')"
done
