// rsa.js: the RSA view. n, phi and lambda; the extended-Euclid tables that
// give d (mod lambda, as PKCS#1, and mod phi, as older texts); c = m^e mod n
// by square-and-multiply; decryption by the CRT (dP, dQ, qInv, m_1, m_2, h);
// the Miller-Rabin rounds of p and q, or a generated key's prime search.
import { $, el, lab, Stepper, showError, cell, recValue, short } from './util.js';

let data = null;
let steps = [];
let stepper;

function rows(recs, cols) {
  // Records "q"[i], "r"[i], ... into rows by index.
  const out = new Map();
  for (const r of recs) {
    if (r.index === undefined || !cols.includes(r.label)) continue;
    const i = Number(r.index);
    if (!out.has(i)) out.set(i, {});
    out.get(i)[r.label] = recValue(r);
  }
  return out;
}

function table(id, head, body) {
  const t = el('table', { class: 'steps', id });
  t.append(el('tr', {}, ...head.map((h) => el('th', { text: h }))));
  for (const r of body) t.append(el('tr', {}, ...r.map((x) => cell(x))));
  return t;
}

function euclid(recs, modName, id, d) {
  const rs = rows(recs, ['q', 'r', 's', 't']);
  const body = [...rs].map(([i, r]) => [String(i), r.q || '', r.r || '', r.s || '', r.t || '']);
  return [
    el('p', { text: `Extended Euclid on (${modName}, e): each row i has s·${modName} + t·e = r; q is the quotient of the two rows above. The row with r = 1 gives t = e⁻¹ (mod ${modName}), taken mod ${modName}.` }),
    table(id, ['i', 'q', 'r', 's', 't'], body),
    el('p', { class: 'result', text: `d = t mod ${modName} = ${short(d)}` }),
  ];
}

function summary() {
  const t = $('#rsa-summary');
  t.replaceChildren();
  const put = (name, key, id, note) => {
    if (data[key] === undefined) return;
    const td = cell(data[key]);
    td.id = id;
    t.append(el('tr', {}, el('th', { text: name }), td, el('td', { class: 'note', text: note })));
  };
  put('p', 'p', 'rsa-p-v', '');
  put('q', 'q', 'rsa-q-v', '');
  put('n', 'n', 'rsa-n', `= p·q, ${data.nlen} bits`);
  put('φ(n)', 'phi', 'rsa-phi', '= (p−1)(q−1)');
  put('λ(n)', 'lambda', 'rsa-lambda', '= lcm(p−1, q−1)');
  put('e', 'e', 'rsa-e-v', '');
  put('d', 'd', 'rsa-d', '= e⁻¹ mod λ(n) (RFC 8017, FIPS 186-5)');
  put('d (φ)', 'd_phi', 'rsa-dphi', '= e⁻¹ mod φ(n) (older texts); decrypts too');
  put('dP', 'dP', 'rsa-dP', '= d mod (p−1)');
  put('dQ', 'dQ', 'rsa-dQ', '= d mod (q−1)');
  put('qInv', 'qInv', 'rsa-qInv', '= q⁻¹ mod p');
  put('m', 'm', 'rsa-m-v', 'the message');
  put('c', 'c', 'rsa-c', '= m^e mod n');
  for (const r of data.crt) {
    const ids = { m_1: 'rsa-m1', m_2: 'rsa-m2', h: 'rsa-h', m: 'rsa-mcrt' };
    if (ids[r.label]) {
      const td = cell(r.int);
      td.id = ids[r.label];
      t.append(el('tr', {}, el('th', { text: r.label }), td, el('td', { class: 'note', text: {
        m_1: '= c^dP mod p', m_2: '= c^dQ mod q', h: '= qInv·(m_1 − m_2) mod p', m: '= m_2 + h·q' }[r.label] })));
    }
  }
}

function recordList(recs, id) {
  const t = el('table', { class: 'steps', id });
  t.append(el('tr', {}, el('th', { text: 'value' }), el('th', { text: '' })));
  for (const r of recs) {
    const tr = el('tr', r.kind === 'text' ? { class: 'note' } : {}, el('td', { text: r.name }), cell(recValue(r)));
    t.append(tr);
  }
  return t;
}

function build(j) {
  data = j;
  summary();
  steps = [
    { name: 'Step 1: the modulus and the two totients', draw: () => [
      el('p', { text: `n = p·q = ${short(j.n)}. φ(n) = (p−1)(q−1) counts the units mod n; λ(n) = lcm(p−1, q−1) is the smallest exponent that takes every unit to 1, so any d with e·d ≡ 1 (mod λ(n)) decrypts.` }),
    ] },
    { name: 'Step 2: d = e⁻¹ mod λ(n), by extended Euclid', draw: () => euclid(j.euclid_lambda, 'λ', 'rsa-euclid-lambda', j.d) },
    { name: 'Step 3: d = e⁻¹ mod φ(n), by extended Euclid', draw: () => euclid(j.euclid_phi, 'φ', 'rsa-euclid-phi', j.d_phi) },
    { name: 'Step 4: c = m^e mod n, square-and-multiply', draw: () => {
      const rs = rows(j.encrypt, ['bit', 'square', 'multiply']);
      const body = [...rs].sort((a, b) => b[0] - a[0]).map(([i, r]) => [String(i), r.bit || '', r.square || '', r.multiply || '']);
      return [el('p', { text: 'Bits i of e from the top: A = A² mod n, then A = A·m mod n when the bit is 1. The last A is c.' }),
        table('rsa-sqm', ['i', 'bit', 'A²', 'A·m'], body), el('p', { text: `c = ${short(j.c)}` })];
    } },
    { name: 'Step 5: m = c^d mod n by the CRT (RFC 8017 §5.1.2)', draw: () => [
      el('p', { text: 'Two half-size exponentiations instead of one: m_1 = c^dP mod p, m_2 = c^dQ mod q, h = qInv·(m_1 − m_2) mod p, m = m_2 + h·q.' }),
      recordList(j.crt, 'rsa-crt')] },
  ];
  if (j.miller_rabin) {
    steps.push({ name: 'Step 6: Miller-Rabin rounds for p (FIPS 186-5 B.3.1)', draw: () => [
      el('p', { text: 'w − 1 = 2^a·m; each round draws a base b, z = b^m mod w, then squares up to a − 1 times looking for w − 1.' }),
      recordList(j.miller_rabin.p, 'rsa-mr-p')] });
    steps.push({ name: 'Step 7: Miller-Rabin rounds for q', draw: () => [recordList(j.miller_rabin.q, 'rsa-mr-q')] });
  }
  if (j.keygen) {
    steps.push({ name: 'Step 6: key generation (FIPS 186-5 A.1.3), the prime search with its Miller-Rabin rounds', draw: () => [
      el('p', { text: `${j.keygen.length} trace records: random starts p0, candidates that survive the sieve, their Miller-Rabin rounds, and the checks of A.1.3.` }),
      recordList(j.keygen, 'rsa-keygen')] });
  }
  stepper.reset(steps.length);
}

function render(i) {
  $('#rsa-step-name').textContent = steps[i].name;
  $('#rsa-main').replaceChildren(...steps[i].draw());
}

async function run(ev) {
  if (ev) ev.preventDefault();
  const body = { e: $('#rsa-e').value.trim(), m: $('#rsa-m').value.trim() };
  const bits = $('#rsa-bits').value;
  if (bits) body.bits = Number(bits);
  else { body.p = $('#rsa-p').value.trim(); body.q = $('#rsa-q').value.trim(); }
  $('#rsa-step-name').textContent = bits ? 'generating a key…' : '';
  try { build(await lab('rsa', body)); } catch (e) { showError($('#rsa-main'), e); }
}

export function initRsa() {
  stepper = new Stepper($('#rsa-stepper'), render);
  $('#rsa-form').onsubmit = run;
  $('#rsa-bits').onchange = () => { if ($('#rsa-bits').value) $('#rsa-e').value = '65537'; };
  $('#rsa-3233').onclick = () => {
    $('#rsa-p').value = '61'; $('#rsa-q').value = '53'; $('#rsa-e').value = '17'; $('#rsa-m').value = '65';
    $('#rsa-bits').value = '';
    run();
  };
  run();
  return stepper;
}
