"""The documentation site as a reader gets it: every page of `_docs/` served locally and opened in headless Chromium.

Run after `nbdev_docs`. Without `_docs/` the tests are skipped, unless CVAE_MNIST_REQUIRE_SITE=1 (as in CI), which makes
its absence a failure. Each page is loaded once at 1280x900 and once at 390x844; the checks read what those visits
recorded, so a failure names the page and the check:

- no script error, no console error;
- nothing fetched from anywhere but the local server, and no unpinned library version in a URL;
- no image, script, stylesheet, font or internal link that fails to load, no link to a missing `#anchor`;
- math rendered (whichever renderer: KaTeX or MathJax), no raw TeX left, no TeX error;
- no figure wider than the text column and no sideways scrolling, at both widths;
- no Python warning, traceback or progress bar in the cells' outputs or the prose, nothing left of ipywidgets;
- the site under 25 MB, no page over 4 MB with all it loads on opening (figures lower down and the explorers'
  decoders load as the reader scrolls to them);
- every in-browser explorer (`.cvae-explorer`) registered in `window.cvaeExplorers`, its canvases following its controls,
  and what it last drew what PyTorch decodes from the same codes.

Set CVAE_MNIST_SCREENSHOTS=folder to keep a full-page screenshot of every page at both widths; `pytest -s` prints a line
per page.
"""
import functools, http.server, json, os, re, threading, time, urllib.error, urllib.parse, urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
import torch
from playwright.sync_api import Error as PlaywrightError, TimeoutError as PlaywrightTimeout

from cvae_mnist.pretrained import load_pretrained
from test_web import decode_in_browser, evaluate, torch_logits  # the page's logits and PyTorch's, as the browser tests read them
from test_web import SEVEN, draw, pad_problems, pad_state  # a pad's strokes, and its state against PyTorch's

ROOT = Path(__file__).parents[1]
SITE = ROOT/'_docs'
NBS = ROOT/'nbs'
SIZES = {'1280x900': (1280, 900), '390x844': (390, 844)}
FIRST = next(iter(SIZES))               # the width the explorers are driven at
MIN_PAGES, SITE_MB, PAGE_MB, MB = 11, 25, 4, 2**20
KINDS = {'latent', 'samples', 'interpolation', 'manifold', 'draw'}  # cvae_mnist.site.EXPLORERS
MODELS = {'vae', 'cvae', 'cvae2d', 'conv_vae', 'conv_cvae', 'burda_cvae'}
# page: (at least, kinds); the explorers chapter has each widget's twin and the pad, the web chapter a latent one and the pad
EXPECTED_EXPLORERS = {'explore.html': (5, KINDS), 'web.html': (3, {'latent', 'draw'})}
TOLERANCE = 1e-5                        # largest |browser - PyTorch| logit (probabilities of 0 or 1 hide errors)


def site_pages() -> list:
    "Every page of the built site (relative paths), but Quarto's 404 page and anything under site_libs."
    if not SITE.is_dir(): return []
    return sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob('*.html')
                  if p.name != '404.html' and 'site_libs' not in p.parts)


PAGES = site_pages() or ['index.html']  # a name to hang the skip (or the failure) on when there is no site


@pytest.fixture(scope='module')
def site() -> Path:
    if not (SITE/'index.html').exists():
        why = f'no documentation site in {SITE} (build it with nbdev_docs)'
        if os.environ.get('CVAE_MNIST_REQUIRE_SITE') == '1': pytest.fail(why)
        pytest.skip(why)
    return SITE


@pytest.fixture(scope='module')
def server(site):
    "http://127.0.0.1:<free port>, serving the site from a thread."
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw): super().__init__(*a, directory=str(site), **kw)
        def log_message(self, *a): pass
    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True
        def handle_error(self, *a): pass  # a page closed while a response was on its way
    httpd = Server(('127.0.0.1', 0), Quiet)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{httpd.server_address[1]}'
    httpd.shutdown(); httpd.server_close()


# ---------------------------------------------------------------------------------------------------------------------
# What a visit records

@dataclass
class Visit:
    name: str
    size: str
    requests: list = field(default_factory=list)     # every URL the page asked for
    blocked: list = field(default_factory=list)      # ... of them not on the local server (aborted)
    broken: list = field(default_factory=list)       # local requests that failed or answered >= 400
    errors: list = field(default_factory=list)       # page errors and console errors
    bytes: int = 0                                    # all responses of opening the page, until the network is idle
    largest: list = field(default_factory=list)      # its three largest, as 'url: MB'
    refs: list = field(default_factory=list)         # src/href of every script and stylesheet element
    links: list = field(default_factory=list)        # internal a[href]s, absolute
    ids: set = field(default_factory=set)            # ids in the live page
    dom: dict = field(default_factory=dict)          # what the page's script below measured
    explorers: list = field(default_factory=list)    # (id, kind, model, problems) per explorer, at FIRST size only

    def __repr__(self): return f'<visit of {self.name} at {self.size}>'


MEASURE = '''() => {
  const main = document.querySelector('main') || document.body, cs = getComputedStyle(main), box = main.getBoundingClientRect();
  const right = box.right - parseFloat(cs.paddingRight) - parseFloat(cs.borderRightWidth);
  const formula = e => e.closest('.katex-display, .katex, mjx-container');
  const describe = e => (formula(e) ? 'formula ' : '') + e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') +
    (e.getAttribute('src') ? '[src=' + e.getAttribute('src').slice(0, 60) + ']' : '') +
    (e.parentElement && e.parentElement.closest('[id]') ? ' in #' + e.parentElement.closest('[id]').id : '');
  const visibleRight = e => {  // the right edge of what shows of e, through the boxes that clip or scroll it
    let edge = e.getBoundingClientRect().right;
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
      if (getComputedStyle(a).overflowX !== 'visible') edge = Math.min(edge, a.getBoundingClientRect().right);
    return edge; };
  const wide = [];
  for (const e of main.querySelectorAll('img, canvas, svg')) {
    if (e.tagName.toLowerCase() === 'svg' && e.parentElement.closest('svg')) continue;  // the outer svg stands for it
    // A formula may scroll in a box of its own (KaTeX's and MathJax's way with long ones); a figure must fit
    const r = e.getBoundingClientRect(), edge = formula(e) ? visibleRight(e) : r.right;
    if (r.width > 0 && r.height > 0 && edge > right + 1) wide.push(`${describe(e)}: right edge ${edge.toFixed(0)} > ${right.toFixed(0)}`);
  }
  // What makes the page scroll sideways: the outermost elements past the window's right edge
  const past = e => e.getBoundingClientRect().right > window.innerWidth + 1 && getComputedStyle(e).position !== 'fixed';
  const beyond = document.documentElement.scrollWidth <= window.innerWidth ? [] : [...document.body.querySelectorAll('*')]
    .filter(e => past(e) && !(e.parentElement && past(e.parentElement)) && visibleRight(e) > window.innerWidth + 1).map(describe);
  // Text of the main content outside code, scripts and rendered math: where raw TeX would show
  const skip = 'pre, code, script, style, textarea, .katex, mjx-container, .MathJax, svg';
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT), prose = [];
  for (let n; (n = walker.nextNode());) if (!n.parentElement.closest(skip)) prose.push(n.textContent);
  const math = [...main.querySelectorAll('.math')];
  // Code and printed outputs that a reader would have to scroll sideways, by their longest line; formulas likewise
  const longest = e => e.innerText.split('\\n').reduce((a, b) => b.length > a.length ? b : a, '');
  const codeCut = [...main.querySelectorAll('pre')].filter(e => e.scrollWidth > e.clientWidth + 1).map(e =>
    `${e.closest('.cell-output, .cell-output-stdout') ? 'output' : 'code'} line of ${longest(e).length} characters: ` +
    longest(e).trim().slice(0, 50));
  const tex = e => (e.querySelector('annotation') || e).textContent.replace(/\\s+/g, ' ').trim().slice(0, 60);
  const mathCut = [...main.querySelectorAll('.katex-display')].filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => `${e.scrollWidth} px in ${e.clientWidth}: ${tex(e)}`);
  return {
    wide, beyond: [...new Set(beyond)].slice(0, 3), scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    brokenImages: [...document.images].filter(i => i.complete && i.naturalWidth === 0).map(i => i.currentSrc || i.src),
    // What a reader sees that code did not write: the cells' outputs, and the prose
    text: [...main.querySelectorAll('.cell-output')].map(e => e.innerText).concat(prose).join(' '), prose: prose.join(' '),
    codeCut, mathCut, mathSpans: math.length, mathUnrendered: math.filter(e => !e.querySelector('.katex, mjx-container')).length,
    rendered: main.querySelectorAll('.katex, mjx-container').length,
    mathErrors: main.querySelectorAll('.katex-error, mjx-merror, .MathJax_Error').length,
    widgetScripts: [...document.querySelectorAll('script')]  // ipywidgets' loaders, and their views' and state's script elements
      .filter(s => /require(\\.min)?\\.js|@jupyter-widgets/.test(s.src) || /jupyter\\.widget/.test(s.type)).map(s => s.src || s.type),
    explorers: [...document.querySelectorAll('.cvae-explorer')].map(e => ({id: e.id, kind: e.dataset.kind, model: e.dataset.model})),
  };
}'''

SETTLE = '''async () => {  // images loaded, fonts ready, MathJax (if any) done typesetting
  await Promise.all([...document.images].map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
  if (document.fonts) await document.fonts.ready;
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
}'''


RENDERED = "() => [...document.querySelectorAll('main .math')].every(e => e.querySelector('.katex, mjx-container'))"


def local(url: str, server: str) -> bool: return url.startswith(server + '/') or url == server


@functools.lru_cache(maxsize=None)
def model(name: str): return load_pretrained(name)


class Visits:
    "Loads each page once per size, on demand, and keeps what it recorded."
    def __init__(self, browser, server):
        self.browser, self.server, self.done = browser, server, {}
        self.shots = os.environ.get('CVAE_MNIST_SCREENSHOTS')
        if self.shots: Path(self.shots).mkdir(parents=True, exist_ok=True)

    def __call__(self, name: str, size: str = FIRST) -> Visit:
        if size != FIRST: self(name, FIRST)   # keep the order: the first size's visit prints the page's line
        if (name, size) not in self.done: self.done[name, size] = self.visit(name, size)
        return self.done[name, size]

    def visit(self, name, size) -> Visit:
        w, h = SIZES[size]
        v, server = Visit(name, size), self.server
        ctx = self.browser.new_context(viewport={'width': w, 'height': h})
        pg = ctx.new_page()
        pg.set_default_timeout(10_000)
        finished, start = [], time.monotonic()

        def route(r):
            if local(r.request.url, server): r.continue_()
            else: v.blocked.append(r.request.url); r.abort()
        pg.route('**/*', route)
        pg.on('request', lambda r: v.requests.append(r.url))
        pg.on('requestfinished', lambda r: finished.append(r))
        pg.on('requestfailed', lambda r: local(r.url, server) and v.broken.append(f'{r.resource_type} {r.url}: {r.failure}'))
        pg.on('response', lambda r: r.status >= 400 and local(r.url, server) and v.broken.append(f'{r.request.resource_type} {r.url}: {r.status}'))
        pg.on('pageerror', lambda e: v.errors.append(f'page error: {e}'))
        pg.on('console', lambda m: m.type == 'error' and v.errors.append(f'console error: {m.text} ({m.location.get("url", "")})'))
        try:
            pg.goto(f'{server}/{name}', wait_until='load')
            pg.wait_for_load_state('networkidle')  # what opening the page costs: figures below and decoders come later
            sizes = sorted(((r.sizes()['responseBodySize'], r.url) for r in finished), reverse=True)
            v.bytes, v.largest = sum(n for n, _ in sizes), [f'{u.removeprefix(server + "/")}: {n/MB:.2f} MB' for n, u in sizes[:3]]
            pg.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
            pg.evaluate(SETTLE)  # every figure, to measure
            if pg.evaluate('() => !!(window.katex || (window.MathJax && MathJax.startup))'):  # a renderer is there: let it finish
                try: pg.wait_for_function(RENDERED, timeout=3000)
                except PlaywrightTimeout: pass
            v.dom = pg.evaluate(MEASURE)
            v.refs = pg.evaluate("() => [...document.querySelectorAll('script[src], link[href]')].map(e => e.src || e.href)")
            v.links = pg.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
            v.ids = set(pg.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)"))
            if self.shots:
                pg.screenshot(path=str(Path(self.shots)/f"{name.replace('/', '_').removesuffix('.html')}-{size}.png"), full_page=True)
            if size == FIRST:
                for e in v.dom['explorers']:
                    problems = []
                    try: exercise(pg, e, problems)
                    except PlaywrightError as err: problems.append(f'stopped: {err.message.splitlines()[0]}')
                    v.explorers.append((e['id'], e['kind'], e['model'], problems))
                total = sum(r.sizes()['responseBodySize'] for r in finished)
                print(f'\n{name}: {len(v.requests)} requests ({len(v.blocked)} blocked), {v.bytes/MB:.2f} MB opened, '
                      f'{total/MB:.2f} MB with every figure and decoder, '
                      f'{len(v.explorers)} explorers, {time.monotonic() - start:.1f} s')
        finally:
            ctx.close()
        # Failing loads are reported by their own checks; their console messages would only say it twice
        seen = set(v.blocked) | {b.split(' ')[1].rstrip(':') for b in v.broken}
        v.errors = [e for e in v.errors
                    if not (e.startswith('console error: Failed to load resource') and e.rsplit('(', 1)[-1].rstrip(')') in seen)]
        return v


@pytest.fixture(scope='module')
def visit(browser, server) -> Visits: return Visits(browser, server)


# ---------------------------------------------------------------------------------------------------------------------
# The explorers: controls drive canvases, and what was drawn is what PyTorch decodes

CANVASES = "id => [...document.getElementById(id).querySelectorAll('canvas')].map(c => c.toDataURL())"
CHANGED = "([id, before]) => [...document.getElementById(id).querySelectorAll('canvas')].some((c, i) => c.toDataURL() !== before[i])"
TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
LAST = '''id => { const l = window.cvaeExplorers[id].last;  // through `evaluate`: typed arrays come as lists
  return l && {z: l.z, digits: l.digits || null, images: l.images}; }'''
REGISTERED = '''id => { const e = (window.cvaeExplorers || {})[id];
  return e && {kind: e.kind, model: e.model, decode: typeof e.decode, draw: typeof e.draw, last: !!e.last}; }'''


def last_vs_torch(pg, uid, net) -> str:
    "What is wrong with `last` against PyTorch's decoding of its codes, or ''."
    last = evaluate(pg, LAST, uid)
    if not last or not last['z']: return 'nothing in last'
    z = torch.tensor(last['z'], dtype=torch.float32)
    if z.dim() != 2 or z.shape[1] != net.latent_dim: return f'last.z of shape {tuple(z.shape)}, not (n, {net.latent_dim})'
    got = torch.tensor(last['images'], dtype=torch.float32)
    if got.shape != (len(z), 784): return f'last.images of shape {tuple(got.shape)} for {len(z)} codes'
    digits = torch.zeros(len(z), dtype=torch.long)  # an unconditional decoder ignores them
    if net.conditional:
        if not last['digits'] or len(last['digits']) != len(z): return 'last.digits missing or not one per code'
        digits = torch.tensor(last['digits'], dtype=torch.long)
    logits = decode_in_browser(pg, z, digits, uid)  # the explorer's own decoder: the logits of what it drew
    if (got.double() - torch.sigmoid(logits)).abs().max() > 1e-6: return 'last.images are not the sigmoid of its logits'
    try: want = torch_logits(net, z, digits)
    except (RuntimeError, IndexError) as err: return f'PyTorch cannot decode last.z, last.digits: {err}'
    diff = (logits - want).abs().max().item()
    return '' if diff <= TOLERANCE else f"the logits of last.images differ from PyTorch's by {diff:.2e}"


def exercise(pg, e, problems: list):
    "Every control of one explorer in turn, adding to `problems` what goes wrong, as sentences."
    uid = e['id']
    if not re.fullmatch(r'cvae-[0-9a-f]{8}', uid or ''): problems.append(f'id {uid!r} is not cvae-xxxxxxxx')
    if e['kind'] not in KINDS: problems.append(f'data-kind {e["kind"]!r} not one of {sorted(KINDS)}')
    if e['model'] not in MODELS: return problems.append(f'data-model {e["model"]!r} not one of {sorted(MODELS)}')
    root = pg.locator(f'#{uid}')
    root.scroll_into_view_if_needed()  # an explorer on the site loads its decoder when it comes near the window
    try: pg.wait_for_function(REGISTERED, arg=uid, timeout=10_000)
    except PlaywrightTimeout: pass
    reg = pg.evaluate(REGISTERED, uid)
    if not reg: return problems.append('not in window.cvaeExplorers')
    if (reg['kind'], reg['model']) != (e['kind'], e['model']): problems.append(f'registered as {reg["kind"]} of {reg["model"]}')
    if (reg['decode'], reg['draw']) != ('function', 'function') or not reg['last']:
        return problems.append(f'registered without decode, draw or last: {reg}')
    net = model(e['model'])
    if e['kind'] == 'draw': return exercise_pad(pg, uid, net, problems)

    where = {}                          # each way `last` is wrong: where in `problems` it says after which interactions
    def check(what):
        if not (wrong := last_vs_torch(pg, uid, net)): return
        if wrong in where: problems[where[wrong]] = problems[where[wrong]][:-1] + f', {what})'
        else: where[wrong] = len(problems); problems.append(f'{wrong} ({what})')
    check('as loaded')

    sliders = root.locator('input[type=range]')
    initial = [float(sliders.nth(i).input_value()) for i in range(sliders.count())]
    for i in range(sliders.count()):
        s = sliders.nth(i); label = f"slider {s.get_attribute('name') or i + 1}"
        lo, hi, now = float(s.get_attribute('min') or 0), float(s.get_attribute('max') or 100), float(s.input_value())
        step = s.get_attribute('step') or '1'; step = (hi - lo)/100 if step == 'any' else float(step)
        # A quarter of the range away, towards the farther end: far enough to show, not so far that it makes each
        # later redraw slow (a sample count at its maximum)
        target = now + max(1, round(0.25*(hi - lo)/step))*step*(1 if hi - now >= now - lo else -1)
        before = pg.evaluate(CANVASES, uid)
        s.fill(f'{target:.10g}', timeout=3000)
        if changed(pg, uid, before): check(f'{label} at {target:.3g}')
        else: problems.append(f'{label} at {target:.3g}: no canvas changed')

    buttons = root.locator('button')
    for i in range(buttons.count()):
        b = buttons.nth(i)
        if 'cvae-on' in (b.get_attribute('class') or '').split() or not b.is_visible(): continue
        text = b.inner_text().strip(); label = f'button {i + 1} ({text})'
        before = pg.evaluate(CANVASES, uid)
        b.click(timeout=3000)
        if text.lower() == 'reset':
            pg.evaluate(TWO_FRAMES)
            now = [float(sliders.nth(j).input_value()) for j in range(sliders.count())]
            if any(n not in (0, i0) for n, i0 in zip(now, initial)): problems.append(f'reset left the sliders at {now}')
            check(label)
        elif changed(pg, uid, before): check(label)
        else: problems.append(f'{label}: no canvas changed')


def exercise_pad(pg, uid, net, problems: list):
    "A drawing pad: strokes of the mouse, a digit picked, every model it offers, clear; read as PyTorch reads."
    root = pg.locator(f'#{uid}')
    if not pad_state(pg, uid)['empty'] or 'Draw a digit' not in root.locator('.cvae-note').inner_text():
        problems.append('no hint on the empty pad')
    draw(pg, uid, SEVEN)
    problems += [f'strokes drawn: {p}' for p in pad_problems(pg, uid, net)]
    if (wrong := last_vs_torch(pg, uid, net)): problems.append(f'strokes drawn: {wrong}')
    root.locator('button[data-group="digit"][value="3"]').click()
    problems += [f'encoded with 3: {p}' for p in pad_problems(pg, uid, net, 3)]
    root.locator('button[data-group="digit"][value="read"]').click()
    for b in root.locator('button[data-group="model"]').all():
        name = b.get_attribute('value')
        b.click()
        try: pg.wait_for_function('([id, m]) => window.cvaeExplorers[id].last.model === m', arg=[uid, name], timeout=20_000)
        except PlaywrightTimeout: problems.append(f'model {name}: not loaded in 20 s'); continue
        problems += [f'model {name}: {p}' for p in pad_problems(pg, uid, model(name))]
        if (wrong := last_vs_torch(pg, uid, model(name))): problems.append(f'model {name}: {wrong}')
    root.locator('button[value="clear"]').click()
    if not pad_state(pg, uid)['empty'] or 'NaN' in root.inner_text(): problems.append('cleared: not empty, or NaN shown')


def changed(pg, uid, before) -> bool:
    "Whether a canvas of the explorer shows something else than `before` within 3 s; then two frames more to settle."
    try: pg.wait_for_function(CHANGED, arg=[uid, before], timeout=3000)
    except PlaywrightTimeout: return False
    pg.evaluate(TWO_FRAMES)
    return True


# ---------------------------------------------------------------------------------------------------------------------
# Links: each distinct internal URL fetched once

@functools.lru_cache(maxsize=None)
def fetch_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as r: return r.status
    except urllib.error.HTTPError as err: return err.code
    except OSError: return 0


class _Ids(HTMLParser):
    def __init__(self): super().__init__(); self.ids = set()
    def handle_starttag(self, tag, attrs): self.ids.update(v for k, v in attrs if k == 'id' and v)


@functools.lru_cache(maxsize=None)
def ids_of(url: str) -> frozenset:
    "The ids in the HTML at `url`, as served (before any script runs)."
    p = _Ids()
    with urllib.request.urlopen(url, timeout=10) as r: p.feed(r.read().decode('utf-8', 'replace'))
    return frozenset(p.ids)


# ---------------------------------------------------------------------------------------------------------------------
# The checks

UNPINNED = re.compile(r'@(\*|latest|next|[\^~])|@\d+(\.\d+)?(?=[/?#]|$)|/latest/')
RESIDUE = {'a Python warning': re.compile(r'\w*Warning: '), 'a traceback': re.compile(r'Traceback \(most recent call last\)'),
           'a progress bar': re.compile(r'\d+%\|'), 'a progress rate': re.compile(r'\d(it/s|s/it)\]'),
           'a terminal escape': re.compile(r'\x1b\[|\[\d+(;\d+)*m'), 'a path into site-packages': re.compile(r'site-packages/'),
           'a notebook cell\'s file name': re.compile(r'<ipython-input-\d+'),
           'a widget\'s text': re.compile(r'\b\w+\(children=\(|Loading widgets|Error displaying widget')}
RAW_TEX = re.compile(r'\\\(|\\\)|\\\[|\\\]|\$\$|\\(frac|sum|mathbb|mathcal|log|left|right|begin)\b')


def failures(problems: list) -> str: return '\n  '.join(problems)  # the first on the line of pytest's short summary


def test_site_has_pages(site):
    assert len(site_pages()) >= MIN_PAGES, f'{len(site_pages())} pages in {site}, fewer than {MIN_PAGES}: {site_pages()}'


def test_site_size(site):
    total = sum(p.stat().st_size for p in site.rglob('*') if p.is_file())
    assert total < SITE_MB*MB, f'{site} holds {total/MB:.1f} MB, more than {SITE_MB} MB'


@pytest.mark.parametrize('name', PAGES)
def test_no_script_errors(visit, name):
    errors = visit(name).errors
    assert not errors, failures(errors)


@pytest.mark.parametrize('name', PAGES)
def test_only_local_requests(visit, name):
    v = visit(name)
    problems = [f'request to another host: {u}' for u in v.blocked]
    problems += [f'unpinned version: {u}' for u in sorted({u for u in v.requests + v.refs if UNPINNED.search(u)})]
    assert not problems, failures(problems)


@pytest.mark.parametrize('name', PAGES)
def test_nothing_broken(visit, server, name):
    v = visit(name)
    problems = v.broken + [f'image {u}: does not decode' for u in v.dom['brokenImages']]
    for link in sorted(set(v.links)):
        if not local(link, server): continue
        url, _, anchor = link.partition('#')
        if (status := fetch_status(url)) != 200: problems.append(f'link {link}: status {status}'); continue
        anchor = urllib.parse.unquote(anchor)
        if anchor and url.endswith('.html') and anchor not in (v.ids if url == f'{server}/{name}' else set()) | ids_of(url):
            problems.append(f'link {link}: no id {anchor!r} there')
    assert not problems, failures(problems)


def has_math(name: str) -> bool:
    "Whether the page's notebook has TeX in its text (the page of nbs/02_vae.ipynb is vae.html)."
    for nb in NBS.glob('*.ipynb'):
        if re.sub(r'^\d+[a-z]?_', '', nb.stem) + '.html' == name:
            cells = json.loads(nb.read_text())['cells']
            return any(re.search(r'\$[^$\s][^$]*\$', ''.join(c['source'])) for c in cells if c['cell_type'] == 'markdown')
    return False


@pytest.mark.parametrize('name', PAGES)
def test_math_rendered(visit, name):
    d, problems = visit(name).dom, []
    if (raw := sorted({m.group() for m in RAW_TEX.finditer(d['prose'])})): problems.append(f'raw TeX in the text: {" ".join(raw)}')
    if d['mathErrors']: problems.append(f"{d['mathErrors']} formulas the renderer could not render")
    if d['mathUnrendered']: problems.append(f"{d['mathUnrendered']} of {d['mathSpans']} formulas not rendered")
    if (has_math(name) or d['mathSpans']) and not d['rendered']: problems.append('the notebook has math, the page shows none rendered')
    assert not problems, failures(problems)


@pytest.mark.parametrize('size', SIZES)
@pytest.mark.parametrize('name', PAGES)
def test_fits_column(visit, name, size):
    d = visit(name, size).dom
    problems = [f'wider than the text column: {w}' for w in d['wide']]
    if d['scrollWidth'] > d['innerWidth']:
        problems.append(f"scrolls sideways: {d['scrollWidth']} px wide in a {d['innerWidth']} px window "
                        f"(past its edge: {'; '.join(d['beyond'])})")
    assert not problems, failures(problems)


@pytest.mark.parametrize('name', PAGES)
def test_code_fits(visit, name):
    "At 1280 px every code block and printed output shows whole: the notebooks' code is written to the column's width."
    cut = visit(name).dom['codeCut']
    assert not cut, failures([f'{len(cut)} blocks scroll sideways: {c}' for c in cut])


@pytest.mark.parametrize('size', SIZES)
@pytest.mark.parametrize('name', PAGES)
def test_math_fits(visit, name, size):
    "Every displayed formula fits the column, on a phone too: the long ones are written over aligned lines."
    cut = visit(name, size).dom['mathCut']
    assert not cut, failures([f'a formula scrolls sideways, {c}' for c in cut])


@pytest.mark.parametrize('name', PAGES)
def test_no_output_residue(visit, name):
    d = visit(name).dom
    found = {what: sorted({m.group() for m in rx.finditer(d['text'])}) for what, rx in RESIDUE.items()}
    problems = [f'{what} in the text: {matches[:3]}' for what, matches in found.items() if matches]
    problems += [f'ipywidgets script: {s}' for s in d['widgetScripts']]
    assert not problems, failures(problems)


@pytest.mark.parametrize('name', PAGES)
def test_page_weight(visit, name):
    v = visit(name)
    assert v.bytes <= PAGE_MB*MB, f'{v.bytes/MB:.2f} MB with all it loads on opening, over {PAGE_MB} MB (largest: {", ".join(v.largest)})'


@pytest.mark.parametrize('name', PAGES)
def test_explorers(visit, name):
    v = visit(name)
    problems = [f'{uid} ({kind} of {net}): {p}' for uid, kind, net, ps in v.explorers for p in ps]
    if name in EXPECTED_EXPLORERS:
        least, kinds = EXPECTED_EXPLORERS[name]
        if len(v.explorers) < least: problems.append(f'{len(v.explorers)} explorers, not at least {least}')
        if (missing := kinds - {kind for _, kind, _, _ in v.explorers}): problems.append(f'no {", ".join(sorted(missing))} explorer')
    assert not problems, failures(problems)
