// main.js: the tabs, the arrow keys, and each view's start.
import { initAes } from './aes.js';
import { initRsa } from './rsa.js';
import { initOaep } from './oaep.js';
import { initSha256 } from './sha256.js';
import { initLive } from './live.js';

const steppers = {
  aes: initAes(),
  rsa: initRsa(),
  oaep: initOaep(),
  sha256: initSha256(),
  live: initLive(),
};
let active = 'aes';

function show(view) {
  active = view;
  for (const b of document.querySelectorAll('#tabs button'))
    b.classList.toggle('active', b.dataset.view === view);
  for (const s of document.querySelectorAll('.view'))
    s.classList.toggle('active', s.id === 'view-' + view);
  if (location.hash !== '#' + view) history.replaceState(null, '', '#' + view);
}

for (const b of document.querySelectorAll('#tabs button')) b.onclick = () => show(b.dataset.view);
if (location.hash.length > 1 && steppers[location.hash.slice(1)] !== undefined)
  show(location.hash.slice(1));

document.addEventListener('keydown', (ev) => {
  const t = ev.target.tagName;
  if (t === 'INPUT' || t === 'SELECT' || t === 'TEXTAREA') return;
  const s = steppers[active];
  if (s == null) return;
  if (ev.key === 'ArrowRight') { s.next(); ev.preventDefault(); }
  else if (ev.key === 'ArrowLeft') { s.prev(); ev.preventDefault(); }
  else if (ev.key === 'Home') { s.go(0); ev.preventDefault(); }
  else if (ev.key === 'End') { s.go(s.n - 1); ev.preventDefault(); }
});
document.body.dataset.ready = '1';
