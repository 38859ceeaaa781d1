// live.js: a live session against this server, the browser as the client
// (docs/protocol.md, docs/rest-api.md). All of the client's cryptography is
// the browser's own WebCrypto: RSA-OAEP (SHA-1 in seed, SHA-256 in
// hardened), AES-CBC, HMAC-SHA256, HKDF-SHA256, and RSA-PSS to check the
// server's identity signature against a pinned fingerprint. This file is a
// second client written from the protocol page alone: where it and the
// server disagree on a byte, one of them is wrong.
import { $, el, hexToBytes, bytesToHex, b64ToBytes, bytesToB64, concat } from './util.js';

const subtle = crypto.subtle;
const utf8 = (s) => new TextEncoder().encode(s);

let S = null; // the session: profile, id, idBytes, spki, keys, seq numbers

// ---- DER: the SubjectPublicKeyInfo of (n, e), RFC 5280 §4.1.2.7 ----
function derLen(n) {
  if (n < 128) return [n];
  const b = [];
  for (; n > 0; n >>= 8) b.unshift(n & 0xff);
  return [0x80 | b.length, ...b];
}
const tlv = (tag, body) => concat(new Uint8Array([tag, ...derLen(body.length)]), body);
function derInt(bytes) {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const v = bytes.slice(i);
  return tlv(0x02, v[0] & 0x80 ? concat(new Uint8Array([0]), v) : v);
}
function spkiOf(n, e) {
  const rsaEncryption = hexToBytes('06092a864886f70d0101010500'); // OID + NULL
  const key = tlv(0x30, concat(derInt(n), derInt(e)));
  return tlv(0x30, concat(tlv(0x30, rsaEncryption), tlv(0x03, concat(new Uint8Array([0]), key))));
}
function pemBody(pem) {
  return b64ToBytes(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''));
}

// ---- the log: every request and response, frames byte by byte ----
function status(text, cls) {
  const p = $('#live-status');
  p.textContent = text;
  p.className = 'status ' + (cls || '');
}

// fields: [[class, bytes, title]] shown as coloured hex.
function dump(fields, flipAt) {
  const pre = el('div', { class: 'dump' });
  let off = 0;
  for (const [cls, bytes, title] of fields) {
    const span = el('span', { class: cls, title });
    for (let i = 0; i < bytes.length; i++, off++) {
      const b = el('span', { class: 'b' + (off === flipAt ? ' f-flip' : ''), text: bytes[i].toString(16).padStart(2, '0') });
      span.append(b);
    }
    pre.append(span);
  }
  return pre;
}

function logEntry(method, path, reqText, reqDump, res, resText, resDump) {
  const div = el('div', { class: 'xchg', 'data-method': method, 'data-path': path,
    'data-status': String(res) });
  div.append(el('p', { class: 'req', text: `→ ${method} ${path} ${reqText || ''}` }));
  if (reqDump) div.append(reqDump);
  div.append(el('p', { class: 'res ' + (res >= 400 ? 'bad' : ''), text: `← ${res} ${resText || ''}` }));
  if (resDump) div.append(resDump);
  $('#live-log').prepend(div);
  return div;
}

async function call(method, path, body) {
  const opts = { method, headers: {} };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  const r = await fetch(path, opts);
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  return { status: r.status, json, text };
}

// ---- keys ----
async function hkdfKeys(K, salt) {
  const ikm = await subtle.importKey('raw', K, 'HKDF', false, ['deriveBits']);
  const expand = async (info) => new Uint8Array(await subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt, info: utf8(info) }, ikm, 256));
  const raw = {
    c2sEnc: await expand('kexlab/v1 c2s enc'), c2sMac: await expand('kexlab/v1 c2s mac'),
    s2cEnc: await expand('kexlab/v1 s2c enc'), s2cMac: await expand('kexlab/v1 s2c mac'),
  };
  const aes = (k) => subtle.importKey('raw', k, 'AES-CBC', false, ['encrypt', 'decrypt']);
  const mac = (k) => subtle.importKey('raw', k, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  return { c2sEnc: await aes(raw.c2sEnc), c2sMac: await mac(raw.c2sMac),
           s2cEnc: await aes(raw.s2cEnc), s2cMac: await mac(raw.s2cMac), raw };
}

async function seedKeys(K) {
  const k = await subtle.importKey('raw', K, 'AES-CBC', false, ['encrypt', 'decrypt']);
  return { c2sEnc: k, s2cEnc: k };
}

async function wrap(K) {
  const hash = S.profile === 'seed' ? 'SHA-1' : 'SHA-256';
  const pub = await subtle.importKey('spki', S.spki, { name: 'RSA-OAEP', hash }, false, ['encrypt']);
  return new Uint8Array(await subtle.encrypt({ name: 'RSA-OAEP' }, pub, K));
}

function seqBytes(n) {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
}

// ---- connect: create, (pin and signature), wrap, /key ----
async function connect() {
  if (S) await close();
  const profile = $('#live-profile').value;
  $('#live-echoes').replaceChildren();
  status('connecting…');
  const r = await call('POST', '/v1/sessions', { profile });
  logEntry('POST', '/v1/sessions', JSON.stringify({ profile }), null, r.status,
    r.json ? `session ${r.json.session_id}` : r.text);
  if (r.status !== 201) { status(`session refused: ${r.text}`, 'bad'); return; }
  const o = r.json;
  const id = o.session_id;
  const idBytes = hexToBytes(id.replace(/-/g, ''));
  const n = b64ToBytes(o.public_key.modulus);
  const e = b64ToBytes(o.public_key.exponent);
  const spki = spkiOf(n, e);
  const same = bytesToHex(spki) === bytesToHex(pemBody(o.public_key_pem));
  S = { profile, id, idBytes, spki, c2s: 0, s2cNext: 0, path: `/v1/sessions/${id}` };
  logEntry('', 'offer', '', dump([['f-hdr', idBytes, 'session id bytes'], ['f-key', spki, 'SPKI rebuilt from n, e']]),
    '', `SPKI rebuilt from n and e ${same ? 'equals' : 'DIFFERS FROM'} public_key_pem`);
  if (!same) { status('the offer\'s PEM and (n, e) disagree', 'bad'); S = null; return; }

  if (profile === 'hardened') {
    // The pin first: nothing is wrapped under a key the pinned identity did not sign.
    const pin = $('#live-pin').value.trim().toLowerCase();
    const idSpki = b64ToBytes(o.identity_spki);
    const fp = bytesToHex(new Uint8Array(await subtle.digest('SHA-256', idSpki)));
    if (fp !== pin) {
      status(`pin mismatch: the server's identity is sha256:${fp}, not the pinned one; refused before wrapping any key`, 'bad');
      $('#live-status').dataset.refused = 'pin';
      const d = await call('DELETE', S.path);
      logEntry('DELETE', S.path, '', null, d.status, '(closed unused)');
      S = null;
      return;
    }
    const idKey = await subtle.importKey('spki', idSpki, { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['verify']);
    const ok = await subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, idKey,
      b64ToBytes(o.identity_signature), concat(idBytes, spki));
    logEntry('', 'identity', '', dump([['f-tag', b64ToBytes(o.identity_signature), 'RSASSA-PSS signature']]), '',
      `pin sha256:${fp} matches; RSA-PSS signature over id ‖ SPKI ${ok ? 'verifies' : 'DOES NOT VERIFY'}`);
    if (!ok) {
      status('the identity signature does not verify: refused before wrapping any key', 'bad');
      $('#live-status').dataset.refused = 'signature';
      S = null;
      return;
    }
  }
  const K = crypto.getRandomValues(new Uint8Array(32));
  const C = await wrap(K);
  const k = await call('POST', S.path + '/key', { encrypted_key: bytesToB64(C) });
  logEntry('POST', S.path + '/key', `RSA-OAEP-${profile === 'seed' ? 'SHA-1' : 'SHA-256'}(K)`,
    dump([['f-key', C, 'encrypted_key']]), k.status, k.text);
  if (k.status !== 204) { status(`key refused: ${k.text}`, 'bad'); S = null; return; }
  S.keys = profile === 'seed' ? await seedKeys(K) : await hkdfKeys(K, idBytes);
  K.fill(0);
  status(`session ${id} (${profile}) established`, 'ok');
  $('#live-status').dataset.session = profile;
}

// ---- messages ----
function flipBit(frame, ivOffset) {
  if (!$('#live-flip').checked) return -1;
  const bit = Number($('#live-flip-bit').value) | 0;
  const byte = ivOffset + (bit >> 3);
  frame[byte] ^= 0x80 >> (bit & 7);
  $('#live-flip').checked = false;
  return byte;
}

async function seal(msg) {
  const iv = crypto.getRandomValues(new Uint8Array(16));
  const ct = new Uint8Array(await subtle.encrypt({ name: 'AES-CBC', iv }, S.keys.c2sEnc, msg));
  if (S.profile === 'seed') {
    return { frame: concat(iv, ct), fields: (f) => [['f-iv', f.slice(0, 16), 'IV'], ['f-ct', f.slice(16), 'ciphertext']], ivOffset: 0 };
  }
  const seq = S.c2s++;
  const head = concat(new Uint8Array([1, 1]), S.idBytes, seqBytes(seq));
  const body = concat(head, iv, ct);
  const tag = new Uint8Array(await subtle.sign('HMAC', S.keys.c2sMac, body));
  return { frame: concat(body, tag), fields: hardenedFields, ivOffset: 26 };
}

function hardenedFields(f) {
  return [['f-hdr', f.slice(0, 18), 'ver, type, session id'], ['f-seq', f.slice(18, 26), 'seq'],
    ['f-iv', f.slice(26, 42), 'IV'], ['f-ct', f.slice(42, f.length - 32), 'ciphertext'],
    ['f-tag', f.slice(f.length - 32), 'HMAC-SHA256 tag']];
}

async function open(f) {
  if (S.profile === 'seed') {
    return new Uint8Array(await subtle.decrypt({ name: 'AES-CBC', iv: f.slice(0, 16) }, S.keys.s2cEnc, f.slice(16)));
  }
  // docs/protocol.md "Receiving a frame": length, tag, header, then decrypt.
  if (f.length < 90 || (f.length - 74) % 16 !== 0) throw new Error('bad reply frame length');
  const body = f.slice(0, f.length - 32);
  const ok = await subtle.verify('HMAC', S.keys.s2cMac, f.slice(f.length - 32), body);
  const seq = Number(new DataView(f.buffer, f.byteOffset + 18, 8).getBigUint64(0));
  const sameId = bytesToHex(f.slice(2, 18)) === bytesToHex(S.idBytes);
  if (!ok || f[0] !== 1 || f[1] !== 2 || !sameId || seq < S.s2cNext) throw new Error('the reply frame does not open');
  const pt = new Uint8Array(await subtle.decrypt({ name: 'AES-CBC', iv: f.slice(26, 42) }, S.keys.s2cEnc, f.slice(42, f.length - 32)));
  S.s2cNext = seq + 1;
  return pt;
}

async function send() {
  if (!S || !S.keys) { status('connect first', 'bad'); return; }
  const text = $('#live-msg').value;
  const sealed = await seal(utf8(text));
  const flipped = flipBit(sealed.frame, sealed.ivOffset);
  const path = S.path + '/messages';
  const r = await call('POST', path, { frame: bytesToB64(sealed.frame) });
  const reqDump = dump(sealed.fields(sealed.frame), flipped);
  if (r.status !== 200) {
    logEntry('POST', path, `"${text}"${flipped >= 0 ? ' (one bit flipped)' : ''}`, reqDump, r.status, r.text);
    status(`refused: ${r.json ? r.json.error : r.status}`, flipped >= 0 ? 'ok' : 'bad');
    $('#live-echoes').append(el('li', { class: 'refused', 'data-status': String(r.status), text: `refused: ${r.json ? r.json.error : r.status}` }));
    return;
  }
  const f = b64ToBytes(r.json.frame);
  let reply;
  try {
    reply = new TextDecoder().decode(await open(f));
  } catch (e) {
    logEntry('POST', path, `"${text}"`, reqDump, r.status, e.message, dump(sealed.fields(f)));
    status(e.message, 'bad');
    return;
  }
  logEntry('POST', path, `"${text}"${flipped >= 0 ? ' (one bit flipped)' : ''}`, reqDump, r.status, `echo "${reply}"`,
    dump(S.profile === 'seed' ? [['f-iv', f.slice(0, 16), 'IV'], ['f-ct', f.slice(16), 'ciphertext']] : hardenedFields(f)));
  $('#live-echoes').append(el('li', { 'data-sent': text, 'data-flipped': String(flipped >= 0), text: reply }));
  status(`echo: ${reply}`, 'ok');
}

async function rekey() {
  if (!S || !S.keys) { status('connect first', 'bad'); return; }
  const K = crypto.getRandomValues(new Uint8Array(32));
  const C = await wrap(K);
  const body = { encrypted_key: bytesToB64(C) };
  let auth = null;
  let seq = 0;
  if (S.profile === 'hardened') {
    seq = S.c2s;
    const head = concat(new Uint8Array([1, 3]), S.idBytes, seqBytes(seq));
    const tag = new Uint8Array(await subtle.sign('HMAC', S.keys.c2sMac, concat(head, C)));
    auth = concat(head, tag);
    body.auth = bytesToB64(auth);
  }
  const path = S.path + '/rekey';
  const r = await call('POST', path, body);
  const fields = [['f-key', C, 'encrypted_key']];
  if (auth) fields.push(['f-hdr', auth.slice(0, 18), 'ver, type 03, id'], ['f-seq', auth.slice(18, 26), 'seq'], ['f-tag', auth.slice(26), 'auth tag']);
  logEntry('POST', path, 'new K', dump(fields), r.status, r.text);
  if (r.status !== 204) { status(`rekey refused: ${r.text}`, 'bad'); return; }
  if (S.profile === 'hardened') S.c2s = seq + 1;
  S.keys = S.profile === 'seed' ? await seedKeys(K) : await hkdfKeys(K, S.idBytes);
  K.fill(0);
  S.rekeys = (S.rekeys || 0) + 1;
  status(`rekeyed (${S.rekeys}); sequence numbers go on`, 'ok');
  $('#live-status').dataset.rekeys = String(S.rekeys);
}

async function close() {
  if (!S) return;
  const r = await call('DELETE', S.path);
  logEntry('DELETE', S.path, '', null, r.status, '');
  S = null;
  status('closed');
}

async function fetchPin() {
  const r = await call('GET', '/v1/identity');
  if (r.status === 200) $('#live-pin').value = r.json.fingerprint;
  logEntry('GET', '/v1/identity', '', null, r.status, r.json ? r.json.fingerprint : r.text);
}

function guard(fn) {
  return async () => {
    try { await fn(); } catch (e) { status(String(e.message || e), 'bad'); }
  };
}

export function initLive() {
  $('#live-connect').onclick = guard(connect);
  $('#live-send').onclick = guard(send);
  $('#live-rekey').onclick = guard(rekey);
  $('#live-close').onclick = guard(close);
  $('#live-fetch-pin').onclick = guard(fetchPin);
  $('#live-form').onsubmit = (ev) => { ev.preventDefault(); };
  return null;
}
