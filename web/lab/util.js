// util.js: what every view shares: hex and base64, DOM building, the
// lab endpoints, and the stepper (buttons and the arrow keys).

export const $ = (sel) => document.querySelector(sel);

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

export function hexToBytes(h) {
  h = h.replace(/\s+/g, '');
  if (h.length % 2 !== 0 || /[^0-9a-fA-F]/.test(h)) throw new Error('not hex: ' + h.slice(0, 20));
  const b = new Uint8Array(h.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(h.substr(2 * i, 2), 16);
  return b;
}

export function bytesToHex(b) {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function b64ToBytes(s) {
  const bin = atob(s);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export function bytesToB64(b) {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

export function concat(...parts) {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

// A long number or hex string shortened for a table cell (the title keeps it).
export function short(s, max = 72) {
  return s.length <= max ? s : s.slice(0, max / 2) + '…' + s.slice(-max / 2 + 1);
}

export function cell(text, cls) {
  const td = el('td', cls ? { class: cls } : {});
  td.textContent = short(text);
  if (text.length > 72) td.title = text;
  return td;
}

// The value of a trace record as text (docs/json.md).
export function recValue(r) {
  if (r.kind === 'int') return r.int;
  if (r.kind === 'text') return r.text;
  if (r.kind === 'matrix') return r.matrix.hex;
  return r.hex;
}

// POST a lab endpoint; its JSON, or an Error with the server's message.
// One request at a time: the server runs at most two lab computations at
// once (503 past that), and the views all ask as the page opens.
let queue = Promise.resolve();
export function lab(path, body) {
  const p = queue.then(() => labNow(path, body));
  queue = p.catch(() => {});
  return p;
}

async function labNow(path, body) {
  const r = await fetch('/v1/lab/trace/' + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const j = await r.json();
  if (!r.ok) throw new Error(j.message || ('HTTP ' + r.status));
  return j;
}

// Step forward and back through n steps; render(i) draws step i.
export class Stepper {
  constructor(root, render) {
    this.root = root;
    this.render = render;
    this.n = 0;
    this.i = 0;
    this.first = el('button', { type: 'button', class: 'first', text: 'start' });
    this.prevB = el('button', { type: 'button', class: 'prev', text: '◀ back' });
    this.nextB = el('button', { type: 'button', class: 'next', text: 'next ▶' });
    this.label = el('span', { class: 'pos' });
    this.first.onclick = () => this.go(0);
    this.prevB.onclick = () => this.prev();
    this.nextB.onclick = () => this.next();
    root.replaceChildren(this.first, this.prevB, this.label, this.nextB);
  }
  reset(n) { this.n = n; this.go(0); }
  go(i) {
    if (this.n === 0) { this.label.textContent = ''; return; }
    this.i = Math.max(0, Math.min(this.n - 1, i));
    this.label.textContent = `step ${this.i + 1} of ${this.n}`;
    this.root.dataset.step = String(this.i);
    this.render(this.i);
  }
  next() { this.go(this.i + 1); }
  prev() { this.go(this.i - 1); }
}

export function showError(target, err) {
  target.replaceChildren(el('p', { class: 'error', text: String(err.message || err) }));
}
