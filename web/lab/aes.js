// aes.js: the AES view. The State after every step of FIPS 197's Cipher and
// InvCipher (App. C's labels), the key expansion as Appendix A's table, and
// CBC chaining (SP 800-38A F.2). The S-box and the MixColumns products shown
// beside are computed here, in the browser, as a second opinion: they must
// agree with the server's next State.
import { $, el, lab, Stepper, showError, hexToBytes } from './util.js';

const PRESETS = {
  c1: { key: '000102030405060708090a0b0c0d0e0f', block: '00112233445566778899aabbccddeeff' },
  c2: { key: '000102030405060708090a0b0c0d0e0f1011121314151617',
        block: '00112233445566778899aabbccddeeff' },
  c3: { key: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
        block: '00112233445566778899aabbccddeeff' },
  f21: { key: '2b7e151628aed2a6abf7158809cf4f3c', block: '6bc1bee22e409f96e93d7e117393172a' },
};
// SP 800-38A F.2.1: IV and the four plaintext blocks.
const CBC_IV = '000102030405060708090a0b0c0d0e0f';
const CBC_PT = '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51' +
               '30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710';

// GF(2^8) with the AES polynomial x^8 + x^4 + x^3 + x + 1 (FIPS 197 §4.2).
const xtime = (a) => ((a << 1) ^ (a & 0x80 ? 0x1b : 0)) & 0xff;
function mul(a, b) {
  let r = 0;
  for (; b; b >>= 1, a = xtime(a)) if (b & 1) r ^= a;
  return r;
}
// The S-box (§5.1.1): the inverse in GF(2^8), then the affine map.
const SBOX = new Uint8Array(256);
const INV_SBOX = new Uint8Array(256);
for (let x = 0; x < 256; x++) {
  let inv = 0;
  for (let y = 1; y < 256 && x; y++) if (mul(x, y) === 1) { inv = y; break; }
  let s = inv;
  for (let i = 1; i <= 4; i++) s ^= ((inv << i) | (inv >> (8 - i))) & 0xff;
  SBOX[x] = s ^ 0x63;
  INV_SBOX[s ^ 0x63] = x;
}
const MIX = [[2, 3, 1, 1], [1, 2, 3, 1], [1, 1, 2, 3], [3, 1, 1, 2]];
const INV_MIX = [[14, 11, 13, 9], [9, 14, 11, 13], [13, 9, 14, 11], [11, 13, 9, 14]];
const h2 = (x) => x.toString(16).padStart(2, '0');

let steps = [];
let data = null;
let pick = { r: 0, c: 0 }; // the byte whose S-box lookup / column is shown
let stepper;

// in[r + 4c] order (FIPS 197 §3.4) into rows s[r][c].
function stateOf(rec) { return hexToBytes(rec.matrix.hex); }

function grid(bytes, changed, id, clickable) {
  const g = el('div', { class: 'grid' });
  if (id) g.id = id;
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      const i = r + 4 * c;
      const d = el('span', { class: 'cell', 'data-r': r, 'data-c': c, text: h2(bytes[i]) });
      if (changed && changed[i]) d.classList.add('changed');
      if (clickable && r === pick.r && c === pick.c) d.classList.add('picked');
      if (clickable) d.onclick = () => { pick = { r, c }; stepper.go(stepper.i); };
      g.append(d);
    }
  }
  return g;
}

function build(j) {
  data = j;
  steps = [{ kind: 'keys' }];
  let prev = null;
  const addRounds = (recs, section) => {
    prev = null;
    for (const r of recs) {
      if (r.kind !== 'matrix') continue;
      const isKey = r.label === 'k_sch' || r.label === 'ik_sch';
      steps.push({ kind: 'state', section, rec: r, prev: isKey ? prev : prev });
      if (!isKey) prev = r;
    }
  };
  addRounds(j.cipher, 'Cipher (§5.1)');
  addRounds(j.inverse, 'InvCipher (§5.3)');
  const blocks = (recs) => {
    const out = [];
    for (const r of recs) {
      if (r.index === undefined) continue;
      const k = Number(r.index) - 1;
      (out[k] = out[k] || {})[r.label] = r.hex;
    }
    return out;
  };
  const enc = blocks(j.cbc.encrypt);
  enc.forEach((b, k) => steps.push({ kind: 'cbc', dir: 'encrypt', j: k, all: enc }));
  const dec = blocks(j.cbc.decrypt);
  dec.forEach((b, k) => steps.push({ kind: 'cbc', dir: 'decrypt', j: k, all: dec }));
  stepper.reset(steps.length);
}

function keyTable() {
  const cols = ['temp', 'RotWord', 'SubWord', 'Rcon', 'xor_Rcon', 'w[i-Nk]', 'w'];
  const rows = new Map();
  for (const r of data.key_expansion) {
    const i = Number(r.index);
    if (!rows.has(i)) rows.set(i, {});
    rows.get(i)[r.label] = r.hex;
  }
  const t = el('table', { class: 'keys', id: 'aes-keys' });
  t.append(el('tr', {}, el('th', { text: 'i' }), ...cols.map((c) => el('th', { text: c }))));
  for (const [i, row] of rows) {
    const tr = el('tr', {}, el('td', { text: String(i) }));
    for (const c of cols) tr.append(el('td', { text: row[c] || '' }));
    if (i % data.Nk === 0) tr.classList.add('roundkey');
    t.append(tr);
  }
  return t;
}

function roundKeyGrid(round, inverse) {
  // Round key r is w[4r .. 4r+3] (InvCipher takes them from the end).
  const w = data.key_expansion.filter((r) => r.label === 'w');
  const Nr = Number(data.Nr);
  const rk = inverse ? Nr - round : round;
  const hex = w.slice(4 * rk, 4 * rk + 4).map((r) => r.hex).join('');
  return { rk, bytes: hexToBytes(hex) };
}

function detail(s, cur, before) {
  const d = $('#aes-detail');
  d.replaceChildren();
  const label = s.rec.label;
  const { r, c } = pick;
  const i = r + 4 * c;
  if ((label === 's_box' || label === 'is_box') && before) {
    const box = label === 's_box' ? SBOX : INV_SBOX;
    const x = before[i];
    d.append(el('p', { text: `${label === 's_box' ? 'SubBytes' : 'InvSubBytes'}: each byte xy is replaced by the ${label === 's_box' ? 'S-box' : 'inverse S-box'} entry at row x, column y (§5.1.1). Click a byte of the State to look it up.` }));
    d.append(el('p', { class: 'lookup', id: 'aes-lookup', text: `s[${r}][${c}] = ${h2(x)}  →  row ${h2(x)[0]}, column ${h2(x)[1]}  →  ${h2(box[x])}` }));
    const t = el('table', { class: 'sbox' });
    t.append(el('tr', {}, el('th'), ...[...Array(16).keys()].map((y) => el('th', { text: y.toString(16) }))));
    for (let hi = 0; hi < 16; hi++) {
      const tr = el('tr', {}, el('th', { text: hi.toString(16) }));
      for (let lo = 0; lo < 16; lo++) {
        const td = el('td', { text: h2(box[hi * 16 + lo]) });
        if (hi * 16 + lo === x) td.classList.add('picked');
        else if (hi === x >> 4 || lo === (x & 15)) td.classList.add('cross');
        tr.append(td);
      }
      t.append(tr);
    }
    d.append(t);
  } else if ((label === 's_row' || label === 'is_row') && before) {
    const inv = label === 'is_row';
    d.append(el('p', { text: `${inv ? 'InvShiftRows' : 'ShiftRows'} (§5.1.2): row r turns ${inv ? 'right' : 'left'} by r bytes; row 0 stays.` }));
    const t = el('table', { class: 'shift' });
    for (let rr = 0; rr < 4; rr++) {
      const from = [0, 1, 2, 3].map((cc) => h2(before[rr + 4 * cc])).join(' ');
      const to = [0, 1, 2, 3].map((cc) => h2(cur[rr + 4 * cc])).join(' ');
      t.append(el('tr', {}, el('td', { text: `row ${rr}` }), el('td', { text: from }),
        el('td', { text: rr === 0 ? '' : (inv ? '→' : '←').repeat(rr) }), el('td', { text: to })));
    }
    d.append(t);
  } else if ((label === 'm_col' || label === 'im_col') && before) {
    const M = label === 'm_col' ? MIX : INV_MIX;
    d.append(el('p', { text: `MixColumns (§5.1.3): each column is multiplied by a fixed matrix over GF(2^8). Column ${c} (click a byte to choose another):` }));
    const col = [0, 1, 2, 3].map((rr) => before[rr + 4 * c]);
    const t = el('table', { class: 'mix', id: 'aes-mix' });
    for (let rr = 0; rr < 4; rr++) {
      const v = M[rr].reduce((a, m, k) => a ^ mul(m, col[k]), 0);
      t.append(el('tr', {},
        el('td', { text: '[' + M[rr].map(h2).join(' ') + ']' }),
        el('td', { text: rr === 1 ? '·' : '' }),
        el('td', { text: h2(col[rr]) }),
        el('td', { text: rr === 1 ? '=' : '' }),
        el('td', { class: v === cur[rr + 4 * c] ? 'ok' : 'bad', text: h2(v) })));
    }
    d.append(t);
  } else if (label === 'k_sch' || label === 'ik_sch') {
    const round = Number(s.rec.index);
    const inverse = label === 'ik_sch';
    const { rk, bytes } = roundKeyGrid(round, inverse);
    d.append(el('p', { text: `AddRoundKey (§5.1.4): the State XOR round key ${rk}, words w[${4 * rk}..${4 * rk + 3}] of the key schedule (the key expansion table's rows). The result is the next State.` }));
    const pane = el('div', { class: 'row' });
    if (before) pane.append(el('div', {}, el('p', { text: 'State' }), grid(before)));
    pane.append(el('div', {}, el('p', { text: '⊕' })));
    pane.append(el('div', {}, el('p', { text: `round key ${rk}` }), grid(bytes)));
    if (before) {
      const x = before.map((b, k) => b ^ bytes[k]);
      pane.append(el('div', {}, el('p', { text: '=' })));
      pane.append(el('div', {}, el('p', { text: 'next State' }), grid(x)));
    }
    d.append(pane);
  } else {
    d.append(el('p', { text: label.includes('input') ? 'The input block, laid out column by column: s[r][c] = in[r + 4c].' :
      label.includes('output') ? 'The output block: the State read column by column.' :
      'The State at the start of the round (after the previous AddRoundKey).' }));
  }
}

function cbcView(s) {
  const main = $('#aes-main');
  const enc = s.dir === 'encrypt';
  $('#aes-step-name').textContent = `CBC ${s.dir}, block ${s.j + 1} (SP 800-38A §6.2)`;
  main.replaceChildren(el('p', { text: enc
    ? 'Input Block = Plaintext ⊕ the previous Ciphertext (the IV for block 1); Ciphertext = AES(Input Block).'
    : 'Output Block = AES⁻¹(Ciphertext); Plaintext = Output Block ⊕ the previous Ciphertext (the IV for block 1).' }));
  const t = el('table', { class: 'cbc', id: 'aes-cbc-table' });
  const order = enc ? ['Plaintext', 'Input Block', 'Output Block', 'Ciphertext']
                    : ['Ciphertext', 'Input Block', 'Output Block', 'Plaintext'];
  t.append(el('tr', {}, el('th', { text: 'j' }), el('th', { text: 'chained from' }),
    ...order.map((o) => el('th', { text: o }))));
  for (let k = 0; k <= s.j; k++) {
    const b = s.all[k];
    const prevC = k === 0 ? data.cbc.iv : s.all[k - 1].Ciphertext;
    const tr = el('tr', k === s.j ? { class: 'current' } : {}, el('td', { text: String(k + 1) }),
      el('td', { class: 'chain', text: (k === 0 ? 'IV ' : `C${k} `) + prevC }));
    for (const o of order) tr.append(el('td', { text: b[o] }));
    t.append(tr);
  }
  main.append(t);
  $('#aes-detail').replaceChildren(el('p', { text: 'Each ciphertext block feeds the next block: change one plaintext byte and every later ciphertext block changes.' }));
}

function render(i) {
  const s = steps[i];
  const main = $('#aes-main');
  if (s.kind === 'keys') {
    $('#aes-step-name').textContent = `Key expansion (§5.2, Appendix A): Nk = ${data.Nk}, Nr = ${data.Nr}`;
    main.replaceChildren(keyTable());
    $('#aes-detail').replaceChildren(el('p', { text: 'w[i] = w[i-Nk] ⊕ temp; every Nk-th word temp = SubWord(RotWord(w[i-1])) ⊕ Rcon[i/Nk]. Rows that start a round key are marked.' }));
    return;
  }
  if (s.kind === 'cbc') { cbcView(s); return; }
  const cur = stateOf(s.rec);
  const before = s.prev ? stateOf(s.prev) : null;
  const isKey = s.rec.label === 'k_sch' || s.rec.label === 'ik_sch';
  const changed = before && !isKey ? cur.map((b, k) => b !== before[k]) : null;
  $('#aes-step-name').textContent = `${s.section}: ${s.rec.name}`;
  const g = grid(cur, changed, 'aes-grid', !isKey);
  g.dataset.name = s.rec.name;
  g.dataset.hex = s.rec.matrix.hex;
  main.replaceChildren(g, el('p', { class: 'hint', text: isKey ? 'the round key of this round' : 'highlighted: the bytes this step changed' }));
  detail(s, cur, before);
}

async function run(ev) {
  if (ev) ev.preventDefault();
  try {
    const j = await lab('aes', {
      key: $('#aes-key').value.trim(), block: $('#aes-block').value.trim(),
      iv: $('#aes-iv').value.trim(), cbc: $('#aes-cbc').value.trim(),
    });
    build(j);
  } catch (e) { showError($('#aes-main'), e); }
}

function preset() {
  const p = PRESETS[$('#aes-preset').value];
  $('#aes-key').value = p.key;
  $('#aes-block').value = p.block;
  $('#aes-iv').value = CBC_IV;
  $('#aes-cbc').value = CBC_PT;
}

export function initAes() {
  stepper = new Stepper($('#aes-stepper'), render);
  $('#aes-preset').onchange = () => { preset(); run(); };
  $('#aes-form').onsubmit = run;
  preset();
  run();
  return stepper;
}

