#!/usr/bin/env bash
# test_http_identity.sh: `kexlab serve`'s identity key file. Created
# atomically: a server killed while writing it (SIGXFSZ from a 1 KiB file
# size limit, mid-write) leaves no identity.pem, and the next start makes a
# good one. An identity file others can read is refused unless
# --allow-readable-identity. The key loader takes regular files only, of at
# most 1 MiB, checked before reading: /dev/zero, a FIFO, a directory and a
# 2 MiB file each fail at once with a message naming what they are.
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/server_lib.sh"

D="$T_TMP/killed"
mkdir -p "$D"
{ ( ulimit -f 1; exec "$KEXLAB" serve --listen 127.0.0.1:0 --data-dir "$D" --quiet ) \
  >"$T_TMP/k.out" 2>"$T_TMP/k.err"; rc=$?; } 2>/dev/null
expect_eq 153 "$rc" "a write past the file size limit kills the server (128 + SIGXFSZ)"
if [ -e "$D/identity.pem" ]; then t_fail "a half-written identity.pem was left"; else t_ok; fi
srv_start --pool 1 --data-dir "$D" || t_fail "start after the killed one"
expect_eq 600 "$(stat -c %a "$D/identity.pem")" "identity key file mode"
expect_out_match '^ok$' /usr/bin/python3 -c 'import sys; from cryptography.hazmat.primitives import serialization as s; s.load_pem_private_key(open(sys.argv[1],"rb").read(), None); print("ok")' "$D/identity.pem"
srv_stop
expect_eq 0 "$SRV_STATUS" "exit status"

# readable by others: refused, unless allowed
chmod 644 "$D/identity.pem"
expect_exit 2 timeout 20 "$KEXLAB" serve --listen 127.0.0.1:0 --data-dir "$D"
expect_err_match 'identity.pem is accessible by others \(mode 644\)' \
  timeout 20 "$KEXLAB" serve --listen 127.0.0.1:0 --data-dir "$D"
srv_start --pool 1 --data-dir "$D" --allow-readable-identity || t_fail "start with --allow-readable-identity"
srv_stop

# what is not a key file is refused before it is read
mkfifo "$T_TMP/fifo"
mkdir "$T_TMP/dir"
head -c 2097152 /dev/zero >"$T_TMP/big"
chmod 600 "$T_TMP/big"
for f in /dev/zero:'a character device' "$T_TMP/fifo":'a FIFO' "$T_TMP/dir":'a directory' \
         "$T_TMP/big":'2097152 bytes; a key file is at most 1048576'; do
  expect_err_match "${f#*:}" timeout 10 "$KEXLAB" serve --listen 127.0.0.1:0 --identity "${f%%:*}"
  expect_exit 2 timeout 10 "$KEXLAB" rsa show "${f%%:*}"
done
finish
