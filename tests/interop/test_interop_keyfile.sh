#!/usr/bin/env bash
# test_interop_keyfile.sh (suite interop): kexlab's key files against two
# independent peers, OpenSSL 3 and python3-cryptography, on 2048-, 3072- and
# 4096-bit keys.
#  1. keys openssl writes (PKCS#8, PKCS#1, SPKI, RSAPublicKey; PEM and DER)
#     are read by us with identical values: `kexlab rsa show` must print
#     exactly what `openssl pkey -text -noout` prints;
#  2. keys python writes (the same formats, and .NET XML/JSON built by python
#     from private_numbers()) are read by us with python's values;
#  3. keys we write in every format are read by `openssl pkey` with the same
#     values, and private ones pass `openssl rsa -check`;
#  4. our .NET XML/JSON equal python's base64 of each integer at .NET's width;
#  5. keys from our own key generation (when `kexlab rsa keygen` exists).
set -u
. "$(dirname "$0")/../cli/lib.sh"
PY=/usr/bin/python3
PEER="$(dirname "$0")/keyfile_peer.py"
D=$T_TMP

# same_show KEYFILE OPENSSL_ARGS...: our show equals openssl's text
same_show() {
  local f=$1; shift
  "$KEXLAB" rsa show "$f" >"$D/ours.txt" 2>"$D/err.txt"
  openssl pkey "$@" -in "$f" -text -noout >"$D/theirs.txt" 2>>"$D/err.txt"
  if cmp -s "$D/ours.txt" "$D/theirs.txt"; then t_ok; else
    t_fail "rsa show $f differs from openssl pkey $* -text"; diff "$D/ours.txt" "$D/theirs.txt" | head -5 >&2; fi
}

for bits in 2048 3072 4096; do
  # ---- 1. openssl writes, we read ----
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:$bits -out "$D/o8.pem" 2>/dev/null
  openssl pkey -in "$D/o8.pem" -outform DER -out "$D/o8.der"
  openssl rsa -in "$D/o8.pem" -traditional -out "$D/o1.pem" 2>/dev/null
  openssl rsa -in "$D/o8.pem" -traditional -outform DER -out "$D/o1.der" 2>/dev/null
  openssl pkey -in "$D/o8.pem" -pubout -out "$D/ospki.pem"
  openssl pkey -in "$D/o8.pem" -pubout -outform DER -out "$D/ospki.der"
  openssl rsa -in "$D/o8.pem" -RSAPublicKey_out -out "$D/opub1.pem" 2>/dev/null
  openssl rsa -in "$D/o8.pem" -RSAPublicKey_out -outform DER -out "$D/opub1.der" 2>/dev/null
  expect_out_match "^-----BEGIN RSA PRIVATE KEY-----" cat "$D/o1.pem"
  same_show "$D/o8.pem"
  same_show "$D/o8.der" -inform DER
  same_show "$D/o1.pem"
  same_show "$D/o1.der" -inform DER
  same_show "$D/ospki.pem" -pubin
  same_show "$D/ospki.der" -pubin -inform DER
  same_show "$D/opub1.pem" -pubin
  same_show "$D/opub1.der" -pubin -inform DER
  expect_out_match "format.*pkcs1-pub-der" "$KEXLAB" rsa show --json "$D/opub1.der"

  # ---- 3. we write, openssl reads ----
  for to in pem pkcs8 der pkcs1-der pkcs8-der; do
    rm -f "$D/w"
    expect_exit 0 "$KEXLAB" rsa convert "$D/o8.pem" --to $to --out "$D/w"
    inform=PEM; case $to in der|*-der) inform=DER ;; esac
    same_show "$D/w" -inform $inform
    expect_out_match "^RSA key ok$" openssl rsa -inform $inform -in "$D/w" -check -noout
  done
  expect_eq "$(stat -c %a "$D/w")" 600 "mode of a private key file"
  # our PKCS#1 and PKCS#8 PEM are byte-identical to openssl's (DER is canonical)
  "$KEXLAB" rsa convert "$D/o8.pem" --to pkcs8 >"$D/w8.pem"
  expect_eq "$(sha256sum <"$D/o8.pem")" "$(sha256sum <"$D/w8.pem")" "PKCS#8 PEM equals openssl's"
  "$KEXLAB" rsa convert "$D/o8.pem" --to pem >"$D/w1.pem"
  expect_eq "$(sha256sum <"$D/o1.pem")" "$(sha256sum <"$D/w1.pem")" "PKCS#1 PEM equals openssl's"
  for to in spki spki-der pkcs1-pub pkcs1-pub-der; do
    "$KEXLAB" rsa convert "$D/o8.pem" --public --to $to >"$D/wp"
    inform=PEM; case $to in *-der) inform=DER ;; esac
    if [ "${to#pkcs1-pub}" != "$to" ]; then
      openssl rsa -RSAPublicKey_in -inform $inform -in "$D/wp" -pubout -out "$D/wp.spki" 2>"$D/err.txt"
      same_show "$D/wp.spki" -pubin
    else
      same_show "$D/wp" -pubin -inform $inform
    fi
  done

  # ---- 2. python writes, we read ----
  mkdir -p "$D/py"
  $PY "$PEER" gen $bits "$D/py"
  for f in py-pkcs1.pem py-pkcs1.der py-pkcs8.pem py-pkcs8.der py-spki.pem py-spki.der \
           py-pkcs1pub.pem py-pkcs1pub.der py-dotnet.xml py-dotnet.json; do
    if "$KEXLAB" rsa show --json "$D/py/$f" >"$D/show.json" 2>"$D/err.txt" &&
       $PY "$PEER" cmp "$D/py/numbers.json" "$D/show.json" 2>>"$D/err.txt"; then t_ok; else
      t_fail "$bits-bit python $f"; head -3 "$D/err.txt" >&2; fi
  done

  # ---- 4. our .NET forms against python's base64 ----
  for to in dotnet-xml dotnet-json; do
    "$KEXLAB" rsa convert "$D/py/py-pkcs8.pem" --to $to >"$D/net"
    if $PY "$PEER" dotnet "$D/py/py-pkcs8.pem" "$D/net" 2>"$D/err.txt"; then t_ok; else
      t_fail "$bits-bit $to vs python"; head -3 "$D/err.txt" >&2; fi
    # and round trip back to PKCS#8: the same bytes as python's PKCS#8 DER
    "$KEXLAB" rsa convert "$D/net" --to pkcs8-der >"$D/back.der"
    expect_eq "$(sha256sum <"$D/py/py-pkcs8.der")" "$(sha256sum <"$D/back.der")" "$to round trip"
    "$KEXLAB" rsa convert "$D/py/py-pkcs8.pem" --public --to $to >"$D/netpub"
    if $PY "$PEER" dotnet "$D/py/py-pkcs8.pem" "$D/netpub" 2>"$D/err.txt"; then t_ok; else
      t_fail "$bits-bit public $to vs python"; head -3 "$D/err.txt" >&2; fi
  done
done

# ---- 5. keys from our own key generation, written as key files ----
for bits in 2048 3072; do
  for fmt in pem pkcs8 der; do
    rm -f "$D/k" "$D/kpub"
    expect_exit 0 "$KEXLAB" rsa keygen --bits $bits --format $fmt --out "$D/k" --pubout "$D/kpub"
    inform=PEM; [ $fmt = der ] && inform=DER
    expect_eq 600 "$(stat -c %a "$D/k")" "mode of keygen's private key file"
    expect_out_match "^RSA key ok$" openssl rsa -inform $inform -in "$D/k" -check -noout
    same_show "$D/k" -inform $inform
    expect_exit 0 openssl pkey -pubin -inform $inform -in "$D/kpub" -noout
  done
done
# Our key generation's values (printed in openssl's text layout), carried
# to JSON by python, re-encoded by us, checked by openssl.
for bits in 2048 3072; do
  "$KEXLAB" rsa keygen --bits $bits >"$D/kg.txt" 2>/dev/null
  $PY "$PEER" text2json "$D/kg.txt" "$D/kg.json"
  for fmt in pem pkcs8 der; do
    "$KEXLAB" rsa convert "$D/kg.json" --to $fmt >"$D/kw"
    inform=PEM; [ $fmt = der ] && inform=DER
    expect_out_match "^RSA key ok$" openssl rsa -inform $inform -in "$D/kw" -check -noout
    same_show "$D/kw" -inform $inform
  done
  "$KEXLAB" rsa show "$D/kg.json" >"$D/kgshow.txt"
  expect_eq "$(sha256sum <"$D/kg.txt")" "$(sha256sum <"$D/kgshow.txt")" "keygen text = show text"
done
finish
