// sha256.js: the SHA-256 view (FIPS 180-4 §6.2.2): per 512-bit block the
// message schedule W[0..63], then the eight working variables a..h after
// every round t, then the new hash value H(i).
import { $, el, lab, Stepper, showError, bytesToHex } from './util.js';

let steps = [];
let blocks = [];
let stepper;

function build(j) {
  $('#sha-digest').textContent = j.digest;
  blocks = [];
  let H = null;
  let cur = null;
  for (const r of j.trace) {
    if (r.label === 'H' && r.index === '0') { H = r.hex; continue; }
    if (r.label === 'M') { cur = { i: Number(r.index), M: r.hex, W: [], rounds: [], Hin: H }; blocks.push(cur); continue; }
    if (r.label === 'H') { cur.Hout = r.hex; H = r.hex; continue; }
    if (r.label === 'W') { cur.W[Number(r.index)] = r.hex; continue; }
    const t = Number(r.index);
    (cur.rounds[t] = cur.rounds[t] || {})[r.label] = r.hex;
  }
  steps = [];
  for (const b of blocks) {
    steps.push({ b, t: -1 });
    for (let t = 0; t < 64; t++) steps.push({ b, t });
    steps.push({ b, t: 64 });
  }
  stepper.reset(steps.length);
}

function schedule(b, t) {
  const d = $('#sha-schedule');
  const g = el('div', { class: 'wgrid' });
  b.W.forEach((w, k) => {
    const c = el('span', { class: 'w' + (k === t ? ' picked' : k < 16 ? ' msg' : ''), text: `W${k} ${w}` });
    g.append(c);
  });
  d.replaceChildren(el('p', { text: 'Message schedule: W0..W15 are the block\'s words; Wt = σ1(Wt−2) + Wt−7 + σ0(Wt−15) + Wt−16 for t ≥ 16.' }), g);
}

function render(i) {
  const { b, t } = steps[i];
  const main = $('#sha-main');
  schedule(b, t);
  if (t === -1) {
    $('#sha-step-name').textContent = `block ${b.i}: the padded 512-bit block M(${b.i}) and H(${b.i - 1})`;
    main.replaceChildren(el('pre', { class: 'hex', text: b.M.replace(/(.{16})/g, '$1 ').trim() }),
      el('p', { text: `a..h start as H(${b.i - 1}) = ${b.Hin}` }));
    return;
  }
  if (t === 64) {
    $('#sha-step-name').textContent = `block ${b.i}: H(${b.i}) = H(${b.i - 1}) + (a..h)`;
    main.replaceChildren(el('pre', { class: 'hex', id: 'sha-h', text: b.Hout }));
    return;
  }
  $('#sha-step-name').textContent = `block ${b.i}, round t = ${t}`;
  const r = b.rounds[t];
  const prev = t > 0 ? b.rounds[t - 1] : null;
  const tab = el('table', { class: 'regs', id: 'sha-regs' });
  tab.append(el('tr', {}, ...['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((x) => el('th', { text: x }))));
  const row = el('tr');
  for (const x of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) {
    const c = el('td', { text: r[x] });
    if (x === 'a' || x === 'e') c.classList.add('changed');
    row.append(c);
  }
  tab.append(row);
  main.replaceChildren(
    el('p', { text: `T1 = h + Σ1(e) + Ch(e,f,g) + K${t} + W${t} = ${r.T1}` }),
    el('p', { text: `T2 = Σ0(a) + Maj(a,b,c) = ${r.T2}` }),
    el('p', { text: 'then h = g, g = f, f = e, e = d + T1, d = c, c = b, b = a, a = T1 + T2 (the new a and e are marked):' }),
    tab,
    el('p', { class: 'hint', text: prev ? `before: a = ${prev.a}, e = ${prev.e}` : '' }));
}

async function run(ev) {
  if (ev) ev.preventDefault();
  const msg = bytesToHex(new TextEncoder().encode($('#sha-text').value));
  try { build(await lab('sha256', { message: msg })); } catch (e) { showError($('#sha-main'), e); }
}

export function initSha256() {
  stepper = new Stepper($('#sha-stepper'), render);
  $('#sha-form').onsubmit = run;
  run();
  return stepper;
}
