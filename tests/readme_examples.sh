#!/usr/bin/env bash
# Runs every tested example of README.md and fails on any difference, so the README cannot drift.
#
# A tested example is a fenced block opened with ```console. In it, a line starting with "$ " is
# a command (run with bash from the repository root, `bouncediag` being the binary under test);
# the lines after it, up to the next command or the end of the block, are its expected output
# (stdout and stderr together, as a terminal shows them). Other fenced blocks (```sh, ```) are
# not run. Commands run with LC_ALL=C, NO_COLOR=1, TERM=dumb and COLUMNS=80, so output is plain
# text, English messages and the same table widths everywhere.
# A command that uses jq is skipped, with a message, when jq is not installed.
#
# Usage: readme_examples.sh BOUNCEDIAG_BINARY [README]
set -u
bin=$1
root=$(cd "$(dirname "$0")/.." && pwd)
readme=${2:-$root/README.md}
bindir=$(cd "$(dirname "$bin")" && pwd)
if [ "$(basename "$bin")" != bouncediag ]; then
  echo "readme_examples.sh: the binary must be called bouncediag: $bin" >&2
  exit 2
fi
have_jq=0
command -v jq >/dev/null 2>&1 && have_jq=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ran=0 failed=0 skipped=0
in_block=0 command= expected= command_line=0 block_line=0 line_number=0

# Runs the pending command and compares its output with the expected lines.
check() {
  [ -n "$command" ] || return 0
  if [ "$have_jq" = 0 ] && [[ $command == *jq* ]]; then
    echo "README.md:$command_line: skipped (jq is not installed): $command"
    skipped=$((skipped + 1))
    command= expected=
    return 0
  fi
  printf '%s' "$expected" >"$tmp/expected"
  (cd "$root" && PATH="$bindir:$PATH" LC_ALL=C NO_COLOR=1 TERM=dumb COLUMNS=80 \
    bash -c "$command" </dev/null >"$tmp/actual" 2>&1)
  ran=$((ran + 1))
  if ! diff -u --label "README.md:$command_line (expected)" --label "actual" \
    "$tmp/expected" "$tmp/actual"; then
    echo "README.md:$command_line: example differs: $command"
    failed=$((failed + 1))
  fi
  command= expected=
}

while IFS= read -r line || [ -n "$line" ]; do
  line_number=$((line_number + 1))
  if [ "$in_block" = 0 ]; then
    if [ "$line" = '```console' ]; then
      in_block=1 block_line=$line_number
    fi
    continue
  fi
  if [ "$line" = '```' ]; then
    check
    in_block=0
    continue
  fi
  if [[ $line == '$ '* ]]; then
    check
    command=${line#'$ '} command_line=$line_number
    continue
  fi
  if [ -z "$command" ]; then
    echo "README.md:$line_number: output with no command before it (block at line $block_line)"
    failed=$((failed + 1))
    continue
  fi
  expected+="$line"$'\n'
done <"$readme"
if [ "$in_block" = 1 ]; then
  echo "README.md:$block_line: console block not closed"
  failed=$((failed + 1))
fi

echo "README examples: $ran run, $failed failed, $skipped skipped"
if [ "$ran" = 0 ]; then
  echo "no tested example found in $readme"
  exit 1
fi
[ "$failed" = 0 ]
