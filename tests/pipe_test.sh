#!/usr/bin/env bash
# Pipeline behaviour that golden cases cannot show:
#  1. a closed output pipe (`| head -1`) ends bouncediag quietly: no message on stderr, exit
#     status 0 (or 141, killed by SIGPIPE), for a file input and for streamed stdin;
#  2. --line-buffered writes each result as soon as its line is read, before the input ends
#     (`tail -f /var/log/mail.log | bouncediag --line-buffered`);
#  3. -j 3 over a large log (its workers render JSON and TSV themselves) writes what -j 1
#     writes, byte for byte, filters included.
# Usage: pipe_test.sh BOUNCEDIAG_BINARY
set -u
bin=$1
tmp=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
failed=0
fail() {
  echo "FAIL: $*"
  failed=1
}

# A log far bigger than a pipe buffer (64 KiB) and than bouncediag's output buffer.
awk 'BEGIN {
  for (i = 1; i <= 20000; i++)
    printf "Nov 27 09:12:%02d mx1 postfix/smtp[2%04d]: 4HkP%06dZq: to=<user%d@example.org>, " \
           "relay=mx1.example.org[192.0.2.10]:25, delay=1.2, delays=0.05/0.01/0.6/0.54, " \
           "dsn=5.1.1, status=bounced (host mx1.example.org[192.0.2.10] said: 550 5.1.1 " \
           "<user%d@example.org>: Recipient address rejected: User unknown in virtual " \
           "mailbox table (in reply to RCPT TO command))\n", i % 60, i % 10000, i, i, i
}' >"$tmp/big.log"

# 1. Closed pipe.
closed_pipe() {
  local what=$1
  local status
  status=$(cat "$tmp/status")
  if [ "$status" != 0 ] && [ "$status" != 141 ]; then
    fail "$what | head -1: exit status $status, expected 0 or 141"
  fi
  if [ -s "$tmp/err" ]; then
    fail "$what | head -1: wrote to stderr:"
    cat "$tmp/err"
  fi
  if [ "$(wc -l <"$tmp/out")" != 1 ] || ! grep -q '^{"input":' "$tmp/out"; then
    fail "$what | head -1: expected one JSON line, got:"
    head -c 300 "$tmp/out"
  fi
}
{
  "$bin" --format json "$tmp/big.log" 2>"$tmp/err"
  echo $? >"$tmp/status"
} | head -1 >"$tmp/out"
closed_pipe "bouncediag --format json BIGLOG"

{
  "$bin" --format json <"$tmp/big.log" 2>"$tmp/err"
  echo $? >"$tmp/status"
} | head -1 >"$tmp/out"
closed_pipe "bouncediag --format json < BIGLOG"

{
  "$bin" --format text "$tmp/big.log" 2>"$tmp/err"
  echo $? >"$tmp/status"
} | head -1 >"$tmp/out"
status=$(cat "$tmp/status")
if [ "$status" != 0 ] && [ "$status" != 141 ]; then
  fail "bouncediag BIGLOG | head -1 (text): exit status $status"
fi
[ -s "$tmp/err" ] && fail "bouncediag BIGLOG | head -1 (text): wrote to stderr: $(cat "$tmp/err")"

# 2. --line-buffered: write one line, read its result while stdin is still open.
mkfifo "$tmp/in" "$tmp/out.fifo"
"$bin" --line-buffered --format tsv --fields line,recipient,reason \
  <"$tmp/in" >"$tmp/out.fifo" 2>"$tmp/lb.err" &
pid=$!
exec 3>"$tmp/in"       # bouncediag's stdin opens once a writer exists
exec 4<"$tmp/out.fifo" # and its stdout once a reader exists
header= row=
if ! IFS= read -r -t 10 -u 4 header; then
  fail "--line-buffered: no TSV header within 10 s"
fi
printf '%s\n' 'Nov 27 09:12:01 mx1 postfix/smtp[21733]: 4HkP2x1Zq7z9sVb: to=<jane.doe@example.org>, relay=mx1.example.org[192.0.2.10]:25, delay=1.2, delays=0.05/0.01/0.6/0.54, dsn=5.1.1, status=bounced (host mx1.example.org[192.0.2.10] said: 550 5.1.1 <jane.doe@example.org>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))' >&3
if ! IFS= read -r -t 10 -u 4 row; then
  fail "--line-buffered: the result of line 1 did not arrive within 10 s while stdin stayed open"
fi
exec 3>&-
rest=$(timeout 10 cat <&4)
exec 4<&-
wait "$pid"
lb_status=$?
[ "$lb_status" = 0 ] || fail "--line-buffered: exit status $lb_status, expected 0"
pid=
[ "$header" = $'line\trecipient\treason' ] || fail "--line-buffered: header '$header'"
[ "$row" = $'1\tjane.doe@example.org\tuserunknown' ] || fail "--line-buffered: row '$row'"
[ -z "$rest" ] || fail "--line-buffered: unexpected output after the row: '$rest'"
[ -s "$tmp/lb.err" ] && fail "--line-buffered: wrote to stderr: $(cat "$tmp/lb.err")"

# 3. -j: the same output as one thread, for a log of varied replies and other traffic.
for i in $(seq 40); do cat "$(dirname "$0")/data/logs/mixed.log"; done >"$tmp/varied.log"
head -3000 "$tmp/big.log" >>"$tmp/varied.log"
for args in "--format json" "--format tsv" "--format json --type soft" "--format text"; do
  # shellcheck disable=SC2086
  "$bin" -j 1 $args "$tmp/varied.log" >"$tmp/j1.out" 2>"$tmp/j1.err"
  s1=$?
  # shellcheck disable=SC2086
  "$bin" -j 3 $args "$tmp/varied.log" >"$tmp/j3.out" 2>"$tmp/j3.err"
  s3=$?
  cmp -s "$tmp/j1.out" "$tmp/j3.out" || fail "-j 3 $args: output differs from -j 1"
  cmp -s "$tmp/j1.err" "$tmp/j3.err" || fail "-j 3 $args: messages differ from -j 1"
  [ "$s1" = "$s3" ] || fail "-j 3 $args: exit status $s3, -j 1 gave $s1"
  [ -s "$tmp/j1.out" ] || fail "-j 1 $args: no output"
done

[ "$failed" = 0 ] && echo "pipe tests passed"
exit $failed
