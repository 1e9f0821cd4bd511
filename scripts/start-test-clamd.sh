#!/usr/bin/env bash
# Starts a clamd for the tests and the bench, with its own config and signature database in
# ${PARLEY_TEST_CLAMD_DIR:-/tmp/parley-clamd}: one signature, EICAR's test string, written here (no
# freshclam, no download). It listens on a Unix socket in that directory and on 127.0.0.1:3319, the
# places test/support/services.ts looks. Does nothing when that clamd already answers.
# Needs Debian's clamav-daemon and clamdscan (apt-get install clamav-daemon clamdscan).
set -euo pipefail
dir="${PARLEY_TEST_CLAMD_DIR:-/tmp/parley-clamd}"
port="${PARLEY_TEST_CLAMD_PORT:-3319}"

ping_clamd() { clamdscan -c "$dir/clamd.conf" --ping "$1" >/dev/null 2>&1; }
if [ -S "$dir/clamd.sock" ] && [ -f "$dir/clamd.conf" ] && ping_clamd 1; then
  echo "clamd already answers at $dir/clamd.sock"
  exit 0
fi

mkdir -p "$dir/db"
eicar='X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'
# A body signature (.ndb: name, any target, any offset, hex): EICAR's string wherever it is in a
# file, also inside an archive clamd unpacks.
printf 'Parley.Test.EICAR:0:*:%s\n' "$(printf '%s' "$eicar" | od -An -v -tx1 | tr -d ' \n')" \
  >"$dir/db/parley-test.ndb"
cat >"$dir/clamd.conf" <<CONF
Foreground no
LocalSocket $dir/clamd.sock
LocalSocketMode 666
TCPSocket $port
TCPAddr 127.0.0.1
DatabaseDirectory $dir/db
PidFile $dir/clamd.pid
LogFile $dir/clamd.log
# clamd drops privileges to this user; CI and containers run as root with no clamav user's homes.
User $(id -un)
# The tests check the refusal of a file over this size (12 MiB).
StreamMaxLength 12M
MaxThreads 8
CONF
rm -f "$dir/clamd.sock"
clamd -c "$dir/clamd.conf"
# Waits up to 30 s for the signatures to load (a second with this one signature).
ping_clamd 30:1 || { echo "clamd did not start; see $dir/clamd.log" >&2; exit 1; }
echo "clamd answers at unix:$dir/clamd.sock and tcp://127.0.0.1:$port"
