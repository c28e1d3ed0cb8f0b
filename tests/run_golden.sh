#!/usr/bin/env bash
# Runs one golden CLI case: tests/golden/NAME/{cmd, stdin?, stdout, stderr, status}.
# `cmd` holds the arguments (shell words, run from tests/); the binary's stdout, stderr and exit
# status must equal the expected files exactly. BOUNCEDIAG_UPDATE_GOLDEN=1 rewrites them.
set -u
bin=$1
case_dir=$2
cd "$(dirname "$0")" || exit 2
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
stdin=/dev/null
[ -f "$case_dir/stdin" ] && stdin="$case_dir/stdin"
eval "set -- $(cat "$case_dir/cmd")"
NO_COLOR= TERM=dumb COLUMNS=80 "$bin" "$@" <"$stdin" >"$out" 2>"$err"
status=$?
if [ "${BOUNCEDIAG_UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$out" "$case_dir/stdout"; cp "$err" "$case_dir/stderr"; echo "$status" >"$case_dir/status"
  exit 0
fi
fail=0
diff -u "$case_dir/stdout" "$out" || fail=1
diff -u "$case_dir/stderr" "$err" || fail=1
expected_status=$(cat "$case_dir/status")
if [ "$status" != "$expected_status" ]; then
  echo "exit status $status, expected $expected_status"; fail=1
fi
exit $fail
