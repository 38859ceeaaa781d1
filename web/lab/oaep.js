// oaep.js: the OAEP view (RFC 8017 §7.1). The data block drawn as a bar,
// lHash ‖ PS ‖ 01 ‖ M, the masks and the XORs that make maskedDB and
// maskedSeed, EM = 00 ‖ maskedSeed ‖ maskedDB, the integer and the
// ciphertext; then the same backwards for decryption. The defaults are
// RSA Laboratories' oaep-int.txt (PKCS#1 v2.1 test suite): its key, message
// and seed, so every value can be held against that file.
import { $, el, lab, Stepper, showError, recValue } from './util.js';

const STD = {
  p: 'eecfae81b1b9b3c908810b10a1b5600199eb9f44aef4fda493b81a9e3d84f632' +
     '124ef0236e5d1e3b7e28fae7aa040a2d5b252176459d1f397541ba2a58fb6599',
  q: 'c97fb1f027f453f6341233eaaad1d9353f6c42d08866b1d05a0f2035028b9d86' +
     '9840b41666b42e92ea0da3b43204b5cfce3352524d0416a5a441e700af461503',
  e: '11',
  message: 'd436e99569fd32a7c8a05bbc90d32c49',
  seed: 'aafd12f659cae63489b479e5076ddec2f06cb58f',
  label: '',
};

const NOTES = {
  lHash: 'lHash = Hash(L), the hash of the label (empty by default).',
  DB: 'DB = lHash ‖ PS ‖ 01 ‖ M: PS is the zero padding that fills k − mLen − 2hLen − 2 bytes.',
  seed: 'seed: hLen random bytes (here the page\'s, so the run can be replayed).',
  dbMask: 'dbMask = MGF1(seed, k − hLen − 1).',
  maskedDB: 'maskedDB = DB ⊕ dbMask.',
  seedMask: 'seedMask = MGF1(maskedDB, hLen).',
  maskedSeed: 'maskedSeed = seed ⊕ seedMask.',
  EM: 'EM = 00 ‖ maskedSeed ‖ maskedDB, k bytes.',
  C: 'C = I2OSP(m^e mod n, k), m = OS2IP(EM).',
  Y: 'Y: the first byte of EM; must be 00.',
  "lHash'": "lHash': the first hLen bytes of DB; must equal lHash.",
  M: 'M: the bytes after the 01 separator.',
};

let data = null;
let steps = [];
let stepper;

function bar(parts) {
  // parts: [{name, hex, cls}], widths by length (at least a sliver).
  const total = parts.reduce((a, p) => a + p.hex.length, 0) || 1;
  const b = el('div', { class: 'bar' });
  for (const p of parts) {
    const s = el('span', { class: 'seg ' + p.cls, text: `${p.name} (${p.hex.length / 2})` });
    s.style.flexGrow = String(Math.max(p.hex.length / total, 0.06));
    s.title = p.hex;
    b.append(s);
  }
  return b;
}

function hexBlock(hex, id) {
  const pre = el('pre', { class: 'hex' });
  if (id) pre.id = id;
  pre.textContent = hex.replace(/(.{64})/g, '$1\n').trim();
  return pre;
}

function dbParts(dbHex) {
  const hLen = Number(data.hLen);
  const rest = dbHex.slice(2 * hLen);
  const one = rest.search(/[^0]/);
  const sep = one - (one % 2); // the 01 octet's offset, in hex digits
  return [
    { name: 'lHash', hex: dbHex.slice(0, 2 * hLen), cls: 's-lhash' },
    { name: 'PS', hex: rest.slice(0, sep), cls: 's-ps' },
    { name: '01', hex: rest.slice(sep, sep + 2), cls: 's-one' },
    { name: 'M', hex: rest.slice(sep + 2), cls: 's-m' },
  ];
}

function find(recs, label) { return recs.find((r) => r.label === label); }

function drawStep(dir, r, recs) {
  const out = [el('p', { text: NOTES[r.label] || '' })];
  const v = recValue(r);
  const hLen = Number(data.hLen);
  if (r.label === 'DB') out.push(bar(dbParts(v)));
  if (r.label === 'EM') out.push(bar([
    { name: '00', hex: v.slice(0, 2), cls: 's-one' },
    { name: 'maskedSeed', hex: v.slice(2, 2 + 2 * hLen), cls: 's-seed' },
    { name: 'maskedDB', hex: v.slice(2 + 2 * hLen), cls: 's-db' }]));
  const xor = { maskedDB: ['DB', 'dbMask'], maskedSeed: ['seed', 'seedMask'] }[r.label];
  if (dir === 'encrypt' && xor) {
    out.push(el('p', { class: 'hint', text: xor[0] }), hexBlock(recValue(find(recs, xor[0]))));
    out.push(el('p', { class: 'hint', text: '⊕ ' + xor[1] }), hexBlock(recValue(find(recs, xor[1]))));
    out.push(el('p', { class: 'hint', text: '= ' + r.label }));
  }
  const unxor = { seed: ['maskedSeed', 'seedMask'], DB: ['maskedDB', 'dbMask'] }[r.label];
  if (dir === 'decrypt' && unxor) {
    out.push(el('p', { class: 'hint', text: `${r.label} = ${unxor[0]} ⊕ ${unxor[1]}` }));
  }
  out.push(hexBlock(v, 'oaep-value'));
  if (r.label === 'C') {
    out.push(el('p', { class: 'hint', text: 'as an integer c:' }), hexBlock(data.c));
  }
  return out;
}

function build(j) {
  data = j;
  steps = [];
  for (const r of j.encrypt)
    steps.push({ name: `encrypt (§7.1.1): ${r.label}`, draw: () => drawStep('encrypt', r, j.encrypt), rec: r });
  for (const r of j.decrypt)
    steps.push({ name: `decrypt (§7.1.2): ${r.label}`, draw: () => drawStep('decrypt', r, j.decrypt), rec: r });
  stepper.reset(steps.length);
}

function render(i) {
  $('#oaep-step-name').textContent = steps[i].name;
  $('#oaep-step-name').dataset.label = steps[i].rec.label;
  $('#oaep-main').replaceChildren(...steps[i].draw());
}

function fill() {
  for (const k of Object.keys(STD)) $('#oaep-' + k).value = STD[k];
  $('#oaep-hash').value = 'sha1';
}

async function run(ev) {
  if (ev) ev.preventDefault();
  const body = { hash: $('#oaep-hash').value };
  for (const k of Object.keys(STD)) body[k] = $('#oaep-' + k).value.trim();
  try { build(await lab('oaep', body)); } catch (e) { showError($('#oaep-main'), e); }
}

export function initOaep() {
  stepper = new Stepper($('#oaep-stepper'), render);
  $('#oaep-form').onsubmit = run;
  $('#oaep-std').onclick = () => { fill(); run(); };
  $('#oaep-hash').onchange = () => {
    // The seed is hLen bytes: keep the file's for SHA-1, extend it for SHA-256.
    $('#oaep-seed').value = $('#oaep-hash').value === 'sha1' ? STD.seed : STD.seed + '000102030405060708090a0b';
  };
  fill();
  run();
  return stepper;
}
