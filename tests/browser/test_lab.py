#!/usr/bin/python3
"""test_lab.py: the lab page (kexlab serve --lab) in a real browser.

Debian's Chromium, headless, driven through chromium-driver by Selenium.
Every expected value comes from outside the project: FIPS 197 Appendix C.1
(vectors/fips197/appendix-c1.txt), Wikipedia's 3233 example
(vectors/rsa-wikipedia-3233.txt), RSA Laboratories' oaep-int.txt, Python's
hashlib; the live sessions are checked against what the page sent.
  1. AES: step through C.1 (cipher and inverse) with the keys and buttons;
     the rendered State equals the document's at every step.
  2. RSA: 3233 shows d = 413 (lambda) and 2753 (phi), c = 2790 and the CRT
     values; a generated 2048-bit key satisfies e*d = 1 mod lambda(n).
  3. OAEP: the maskedDB step shows oaep-int.txt's maskedDB.
  4. SHA-256: the digest of "abc" is FIPS 180-4's.
  5. Live sessions with WebCrypto: seed, 5 echoes and a flipped bit that the
     server accepts; hardened, 5 echoes, a rekey, a flipped bit refused with
     the one error; a wrong pin refused before any key is wrapped.
  6. A screenshot of each view into docs/img/ (KEXLAB_SCREENSHOT_DIR overrides).
  7. No console error and no failed request, except the one refusal the
     hardened bit-flip asks for.
usage: test_lab.py KEXLAB SOURCE_ROOT
"""
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

try:
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:
    print('SKIP: python3-selenium is not installed (run.sh installs it)')
    sys.exit(77)
if not (os.path.exists('/usr/bin/chromium') and os.path.exists('/usr/bin/chromedriver')):
    print('SKIP: chromium and chromium-driver are not installed (run.sh installs them)')
    sys.exit(77)

KEXLAB, SRC = sys.argv[1], sys.argv[2]
VEC = os.path.join(SRC, 'vectors')
SHOTS = os.environ.get('KEXLAB_SCREENSHOT_DIR', os.path.join(SRC, 'docs', 'img'))
failures = []


def check(ok, what):
    print(('ok   ' if ok else 'FAIL ') + what, flush=True)
    if not ok:
        failures.append(what)


# ---- outside values ----

def fips197_c1():
    """[(name, hex)] of C.1's CIPHER and INVERSE CIPHER sections, in order."""
    out, section = [], None
    for line in open(os.path.join(VEC, 'fips197', 'appendix-c1.txt')):
        if line.startswith('CIPHER'):
            section = 'enc'
        elif line.startswith('INVERSE CIPHER'):
            section = 'dec'
        elif line.startswith('EQUIVALENT'):
            section = None
        m = re.match(r'(round\[\s*\d+\]\.\w+)\s+([0-9a-f]{32})$', line.strip())
        if m and section:
            out.append((section, m.group(1), m.group(2)))
    return out


def wiki3233():
    vals = {}
    for line in open(os.path.join(VEC, 'rsa-wikipedia-3233.txt')):
        m = re.match(r'(\w+) = (\d+)$', line.strip())
        if m:
            vals[m.group(1)] = m.group(2)
    return vals


def oaep_int_value(title):
    path = os.path.join(VEC, 'pkcs1', 'pkcs-1v2-1d2-vec', 'oaep-int.txt')
    lines = open(path).read().splitlines()
    i = next(k for k, l in enumerate(lines) if l.startswith('# ' + title))
    hexs = []
    for l in lines[i + 1:]:
        if not l.strip():
            break
        hexs.append(l.replace(' ', ''))
    return ''.join(hexs)


# ---- the server ----
tmp = tempfile.mkdtemp(prefix='kexlab-browser-')
server_log = open(os.path.join(tmp, 'server.log'), 'w')
# --drain-timeout 0: SIGTERM at the end stops at once (no drain).
srv = subprocess.Popen([KEXLAB, 'serve', '--lab', '--listen', '127.0.0.1:0', '--pool', '2',
                        '--data-dir', os.path.join(tmp, 'data'), '--drain-timeout', '0'],
                       stdout=subprocess.PIPE, stderr=server_log, text=True)
pin = url = None
for _ in range(3):
    line = srv.stdout.readline()
    if line.startswith('identity sha256:'):
        pin = line.split()[1][len('sha256:'):]
    if line.startswith('lab page: '):
        url = line.split()[2]
        break
if url is None or pin is None:
    print('the server did not start', file=sys.stderr)
    srv.kill()
    sys.exit(1)


def key_posts():
    server_log.flush()
    return sum(1 for l in open(os.path.join(tmp, 'server.log')) if re.search(r'POST \S+/key ', l))


# ---- the browser ----
opts = webdriver.ChromeOptions()
opts.binary_location = '/usr/bin/chromium'
for a in ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
          '--disable-background-networking', '--disable-component-update', '--disable-sync',
          '--disable-dev-shm-usage', '--window-size=1100,760', '--hide-scrollbars',
          '--user-data-dir=' + os.path.join(tmp, 'profile')]:
    opts.add_argument(a)
opts.set_capability('goog:loggingPrefs', {'browser': 'ALL', 'performance': 'ALL'})


def start_chromedriver():
    """chromedriver on a free loopback port, reached by address: selenium's
    own launcher polls "localhost", which a machine without /etc/hosts
    cannot resolve."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(['/usr/bin/chromedriver', f'--port={port}'],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(('127.0.0.1', port), timeout=0.2).close()
            return proc, f'http://127.0.0.1:{port}'
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError('chromedriver did not start')


chromedriver, chromedriver_url = start_chromedriver()
driver = webdriver.Remote(command_executor=chromedriver_url, options=opts)
wait = WebDriverWait(driver, 30)
t0 = time.time()


def js(script, *args):
    return driver.execute_script(script, *args)


def shot(name):
    os.makedirs(SHOTS, exist_ok=True)
    driver.save_screenshot(os.path.join(SHOTS, 'lab-' + name + '.png'))


def tab(view):
    driver.find_element(By.CSS_SELECTOR, f'#tabs button[data-view="{view}"]').click()


def text(sel):
    """The element's text, white space collapsed (read in one step: views redraw)."""
    t = js('const e = document.querySelector(arguments[0]); return e ? e.textContent : null;', sel)
    if t is None:
        raise LookupError('no element ' + sel)
    return re.sub(r'\s+', ' ', t).strip()


def step_to(stepper, n):
    js(f'document.querySelector("{stepper} .first").click()')
    for _ in range(n):
        driver.find_element(By.CSS_SELECTOR, f'{stepper} .next').click()


events = []  # console and network events, read as we go (the logs are drained on read)


def drain():
    events.extend(('browser', e) for e in driver.get_log('browser'))
    events.extend(('perf', e) for e in driver.get_log('performance'))


try:
    # What Chromium does before it opens the page (its new-tab page, which
    # wants the network) is not the page's: drop those events.
    driver.get_log('performance')
    driver.get_log('browser')
    driver.get(url + '#aes')
    wait.until(lambda d: js('return document.body.dataset.ready === "1" && '
                            '!!document.querySelector("#aes-keys")'))
    check(driver.title == 'kexlab lab', 'the page loads (title)')

    # 1. AES: FIPS 197 C.1, every step, by keyboard and by button.
    body = driver.find_element(By.TAG_NAME, 'body')
    want = fips197_c1()
    seen = []
    first_sbox = None
    for k in range(200):
        st = js('''const g = document.querySelector("#aes-grid");
                   const c = g ? [...g.querySelectorAll(".cell")].map(x => x.textContent) : [];
                   let h = ""; for (let col = 0; col < 4; col++) for (let r = 0; r < 4; r++) h += c[4*r+col];
                   return [document.querySelector("#aes-step-name").textContent, h,
                           document.querySelector("#aes-stepper").dataset.step];''')
        if st is not None and st[0].startswith(('Cipher', 'InvCipher')):
            section = 'enc' if st[0].startswith('Cipher') else 'dec'
            seen.append((section, st[0].split(': ', 1)[1], st[1]))
            if first_sbox is None and st[0].endswith('round[ 1].s_box'):
                first_sbox = k
                shot('aes')
        if st is not None and st[0].startswith('CBC'):
            break
        if k % 2 == 0:
            body.send_keys(Keys.ARROW_RIGHT)
        else:
            driver.find_element(By.CSS_SELECTOR, '#aes-stepper .next').click()
    check(len(want) == 104, f'FIPS 197 C.1: 52 cipher and 52 inverse cipher lines ({len(want)})')
    check(seen == want, f'AES grid equals FIPS 197 C.1 at every step ({len(seen)} steps)')
    if seen != want:
        for a, b in zip(seen, want):
            if a != b:
                print('  first difference: page', a, 'FIPS 197', b)
                break
    # Step back, by key and button: the previous State comes back.
    body.send_keys(Keys.ARROW_LEFT)
    check(text('#aes-step-name').endswith('round[10].ioutput'),
          'step back by key (' + text('#aes-step-name') + ')')
    step_to('#aes-stepper', 4)  # round[ 1].s_box: the S-box lookup of s[0][0]
    check(re.search(r'= 00 → row 0, column 0 → 63$', text('#aes-lookup')) is not None,
          'S-box lookup of 00 is 63 (' + text('#aes-lookup') + ')')
    step_to('#aes-stepper', 6)  # round[ 1].m_col
    check(len(driver.find_elements(By.CSS_SELECTOR, '#aes-mix td.ok')) == 4 and
          not driver.find_elements(By.CSS_SELECTOR, '#aes-mix td.bad'),
          'MixColumns computed by the page equals the server\'s next State')
    body.send_keys(Keys.END)
    check(text('#aes-step-name').startswith('CBC decrypt, block 4'), 'CBC chaining steps')
    drain()

    # 2. RSA: 3233.
    tab('rsa')
    wait.until(lambda d: d.find_elements(By.ID, 'rsa-d'))
    w = wiki3233()
    got = {k: text('#' + i) for k, i in [('n', 'rsa-n'), ('phi', 'rsa-phi'), ('lambda', 'rsa-lambda'),
                                         ('d', 'rsa-d'), ('d_phi', 'rsa-dphi'), ('c', 'rsa-c'),
                                         ('dP', 'rsa-dP'), ('dQ', 'rsa-dQ'), ('qInv', 'rsa-qInv'),
                                         ('m1', 'rsa-m1'), ('m2', 'rsa-m2'), ('h', 'rsa-h')]}
    check(all(got[k] == w[k] for k in got), f'3233: {got} equal the article\'s values')
    check(got['d'] == '413' and got['d_phi'] == '2753' and got['c'] == '2790',
          '3233: d = 413 (lambda), 2753 (phi), c = 2790')
    step_to('#rsa-stepper', 1)
    rows = js('return [...document.querySelectorAll("#rsa-euclid-lambda tr")].map(r => r.textContent)')
    check(len(rows) > 3, 'the extended-Euclid table is drawn')
    shot('rsa')
    step_to('#rsa-stepper', 5)
    check('step' in text('#rsa-main') or 'b[' in text('#rsa-main'), 'Miller-Rabin rounds shown')
    # A real 2048-bit key, generated by the server's library.
    Select(driver.find_element(By.ID, 'rsa-bits')).select_by_value('2048')
    driver.find_element(By.ID, 'rsa-run').click()
    wait.until(lambda d: js('const n = document.querySelector("#rsa-n");'
                            'return n !== null && n.title.length > 600'))
    full = lambda i: js('const e = document.getElementById(arguments[0]);'
                        'return e.title || e.textContent;', i)
    n, p, q = int(full('rsa-n')), int(full('rsa-p-v')), int(full('rsa-q-v'))
    e, d = int(text('#rsa-e-v')), int(full('rsa-d'))
    lam = (p - 1) * (q - 1) // __import__('math').gcd(p - 1, q - 1)
    check(n == p * q and n.bit_length() == 2048 and e * d % lam == 1,
          '2048-bit key: n = p*q, 2048 bits, e*d = 1 mod lambda(n)')
    body.send_keys(Keys.END)
    check(js('return document.querySelectorAll("#rsa-keygen tr").length') > 10,
          '2048-bit key: the prime search with its Miller-Rabin rounds is drawn')
    Select(driver.find_element(By.ID, 'rsa-bits')).select_by_value('')
    driver.find_element(By.ID, 'rsa-3233').click()
    wait.until(lambda d: d.find_elements(By.ID, 'rsa-n') and text('#rsa-n') == '3233')
    drain()

    # 3. OAEP: oaep-int.txt's maskedDB.
    tab('oaep')
    wait.until(lambda d: d.find_elements(By.ID, 'oaep-value'))
    labels = []
    for k in range(40):
        lab = driver.find_element(By.ID, 'oaep-step-name').get_attribute('data-label')
        labels.append(lab)
        if lab == 'DB':
            shot('oaep')
        if lab == 'maskedDB':
            break
        body.send_keys(Keys.ARROW_RIGHT)
    masked = text('#oaep-value').replace(' ', '')
    check(masked == oaep_int_value('maskedDB'), 'OAEP view shows oaep-int.txt\'s maskedDB')
    body.send_keys(Keys.END)
    check(text('#oaep-value').replace(' ', '') == oaep_int_value('Message to be encrypted'),
          'OAEP decryption ends with oaep-int.txt\'s message')
    drain()

    # 4. SHA-256 of "abc".
    tab('sha256')
    wait.until(lambda d: js('return document.querySelector("#sha-digest").textContent') != '')
    check(text('#sha-digest') == hashlib.sha256(b'abc').hexdigest(), 'SHA-256("abc") is FIPS 180-4\'s')
    step_to('#sha-stepper', 6)
    shot('sha256')
    drain()

    # 5. Live sessions.
    tab('live')

    def connect(profile, pin_value):
        Select(driver.find_element(By.ID, 'live-profile')).select_by_visible_text(profile)
        f = driver.find_element(By.ID, 'live-pin')
        f.clear()
        f.send_keys(pin_value)
        js('delete document.querySelector("#live-status").dataset.session;'
           'delete document.querySelector("#live-status").dataset.refused;')
        driver.find_element(By.ID, 'live-connect').click()
        wait.until(lambda d: js('const s = document.querySelector("#live-status").dataset;'
                                'return s.session || s.refused || null;') is not None or
                   'bad' in d.find_element(By.ID, 'live-status').get_attribute('class'))

    def send(msg, flip=False):
        n0 = len(driver.find_elements(By.CSS_SELECTOR, '#live-echoes li'))
        f = driver.find_element(By.ID, 'live-msg')
        f.clear()
        f.send_keys(msg)
        if flip:
            driver.find_element(By.ID, 'live-flip').click()
        driver.find_element(By.ID, 'live-send').click()
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, '#live-echoes li')) > n0)
        li = driver.find_elements(By.CSS_SELECTOR, '#live-echoes li')[-1]
        return li.get_attribute('textContent'), li.get_attribute('data-status')

    connect('seed', '')
    check(js('return document.querySelector("#live-status").dataset.session') == 'seed',
          'seed session established (RSA-OAEP-SHA-1 from WebCrypto)')
    msgs = [f'seed message {i}: ' + 'x' * (7 * i) for i in range(5)]
    echoes = [send(m)[0] for m in msgs]
    check(echoes == msgs, f'seed: 5 messages, echoes equal ({echoes})')
    echo, _ = send('hello', flip=True)
    check(echo == 'iello', f'seed: bit 7 of the IV flipped, the server accepts "iello" ({echo!r})')

    keys_before = key_posts()
    connect('hardened', pin)
    check(js('return document.querySelector("#live-status").dataset.session') == 'hardened',
          'hardened session established (pin, RSA-PSS, OAEP-SHA-256, HKDF)')
    msgs = [f'hardened message {i}' for i in range(5)]
    check([send(m)[0] for m in msgs] == msgs, 'hardened: 5 messages, echoes equal')
    driver.find_element(By.ID, 'live-rekey').click()
    wait.until(lambda d: js('return document.querySelector("#live-status").dataset.rekeys') == '1')
    check(send('after the rekey')[0] == 'after the rekey', 'hardened: rekey, then an echo under the new keys')
    echo, st = send('hello', flip=True)
    check(st == '400' and 'decrypt_failed' in echo, f'hardened: a flipped bit is refused ({echo})')
    check(send('still here')[0] == 'still here', 'hardened: the session goes on after the refusal')
    shot('live')

    keys_mid = key_posts()
    check(keys_mid == keys_before + 1, 'one /key for the hardened session')
    connect('hardened', '00' * 32)
    check(js('return document.querySelector("#live-status").dataset.refused') == 'pin',
          'wrong pin: refused')
    check(key_posts() == keys_mid and
          not any('/key' in (x.get_attribute('data-path') or '')
                  for x in driver.find_elements(By.CSS_SELECTOR, '#live-log .xchg')[:2]),
          'wrong pin: nothing wrapped, no /key request')
    drain()

    # 7. Console errors and failed requests.
    allowed_400 = 1  # the hardened bit-flip's refusal
    origin = url[:url.index('/lab/')]
    urls = {}
    bad = []
    for kind, e in events:
        if kind == 'browser':
            if e['level'] == 'SEVERE':
                if 'status of 400' in e['message'] and '/messages' in e['message'] and allowed_400 > 0:
                    allowed_400 -= 1
                    continue
                bad.append(e['message'])
            continue
        m = json.loads(e['message'])['message']
        if os.environ.get('DEBUG_NET') and 'requestId' in m.get('params', {}):
            print('NET', m['method'], json.dumps(m['params'])[:300])
        if m['method'] == 'Network.requestWillBeSent':
            urls[m['params']['requestId']] = m['params']['request']['url']
        if m['method'] == 'Network.loadingFailed':
            u = urls.get(m['params']['requestId'], '')
            # Chromium's own start page (chrome://new-tab-page...) tries the
            # network in the background; only the page's requests count.
            if u.startswith(origin):
                bad.append('loading failed: ' + u + ' ' + m['params']['errorText'])
            else:
                print('note: not the page\'s:', u or '(unknown)', m['params']['errorText'])
        if m['method'] == 'Network.responseReceived':
            r = m['params']['response']
            if r['status'] >= 400 and not (r['status'] == 400 and r['url'].endswith('/messages')):
                bad.append(f"{r['status']} {r['url']}")
    check(not bad, 'no console errors or failed requests' + ('' if not bad else ': ' + '; '.join(bad[:5])))
finally:
    print(f'browser run: {time.time() - t0:.1f} s', flush=True)
    driver.quit()
    chromedriver.terminate()
    chromedriver.wait(10)
    srv.terminate()
    srv.wait(10)
    server_log.close()
    shutil.rmtree(tmp, ignore_errors=True)

check(srv.returncode == 0, f'the server stops cleanly on SIGTERM (status {srv.returncode})')
if failures:
    print(f'{len(failures)} check(s) failed', file=sys.stderr)
    sys.exit(1)
print('all browser checks passed')
