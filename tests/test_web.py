"""The in-browser explorer in real headless Chromium (Debian's `chromium`, driven by Playwright).

It checks what a reader sees: the standalone page, and the explorers as they come out of nbdev's notebook processing for
the docs site; the JavaScript decoder against PyTorch's; that the canvas follows the sliders and the digit.
Set CVAE_MNIST_BROWSER=/path/to/chromium to use another browser; without one the tests are skipped, unless
CVAE_MNIST_REQUIRE_BROWSER=1 (as in CI), which makes a missing browser a failure.
"""
import base64, copy, math, re, statistics
from importlib import resources
from pathlib import Path

import pytest
import torch

from cvae_mnist.pretrained import load_pretrained, manifest
from cvae_mnist.cvae import latent_grid
from cvae_mnist.explore import interpolate
from cvae_mnist.web import (explorer_page, interpolation_explorer_html, latent_explorer_html, manifold_explorer_html,
                            model_script, model_spec, samples_explorer_html, save_explorer_page)

ROOT = Path(__file__).parents[1]
# Logits, not probabilities: a probability of 0 or 1 hides any error in a saturated pixel. The page decodes in float64
# from the float32 weights (batch norm folded in, in float32), PyTorch here in float64 from the model's own weights: the
# two differ by the folding's rounding, about 1e-6 on the shipped models. Folded weights rounded to float16 move the
# logits by about 5e-3 (and the probabilities by under 1e-3, which the probabilities' old tolerance of 1e-3 let through).
TOL = 1e-5


def canvas(pg, i=0) -> str:
    return pg.evaluate(f"() => document.querySelectorAll('canvas')[{i}].toDataURL()")


def decode_in_browser(pg, z, digits, uid=None) -> torch.Tensor:
    "The page's logits (`decode(z, digit, true)`) of codes `z` and `digits`, (N, 784) float64."
    fn = f"window.cvaeExplorers['{uid}'].decode" if uid else 'window.cvaeDecode'
    got = pg.evaluate(f'([zs, ds]) => zs.map((z, i) => {fn}(z, ds[i], true))', [z.tolist(), digits.tolist()])
    return torch.tensor(got, dtype=torch.float64)


def torch_logits(model, z, digits) -> torch.Tensor:
    "PyTorch's logits of codes `z` and `digits`, (N, 784), computed in float64 as the page computes."
    m = copy.deepcopy(model).double()
    with torch.no_grad(): return m.decode(z.double(), digits if m.conditional else None).flatten(1)


def largest_difference(pg, model, n_per_digit=5, uid=None, seed=0) -> float:
    "Largest |browser - torch| of the logits over random codes for every digit (or any codes, unconditional)."
    z = torch.randn(10*n_per_digit, model.latent_dim, generator=torch.Generator().manual_seed(seed))*1.5
    y = torch.arange(10).repeat(n_per_digit)
    return (decode_in_browser(pg, z, y, uid) - torch_logits(model, z, y)).abs().max().item()


def decode_ms(pg, latent_dim, repeats=30) -> float:
    "Median milliseconds of one decode in the page."
    times = pg.evaluate(f'''() => {{ var z = new Array({latent_dim}).fill(0.3), t = [];
        for (var i = 0; i < {repeats}; i++) {{ var t0 = performance.now(); window.cvaeDecode(z, 4); t.push(performance.now() - t0); }}
        return t; }}''')
    return statistics.median(times)


@pytest.mark.parametrize('name', ['cvae2d', 'conv_cvae', 'vae', 'burda_vae'])  # burda_vae: tanh layers
def test_standalone_page(page, tmp_path, name):
    model = load_pretrained(name)
    page.goto(save_explorer_page(model, tmp_path/'explorer.html').as_uri())
    diff = largest_difference(page, model)
    ms = decode_ms(page, model.latent_dim)
    print(f'{name}: largest difference of the logits {diff:.2e}, one decode {ms:.2f} ms')
    assert diff <= TOL

    first = canvas(page)
    page.locator('input[type=range]').first.fill('1.5')              # a person moving the first slider
    moved = canvas(page)
    assert moved != first and page.locator('output').first.inner_text() == '1.50'
    if model.conditional:
        page.locator('button[data-group="digit"][value="8"]').click()  # and picking another digit
        assert canvas(page) not in (first, moved)
        assert page.locator('button.cvae-on').inner_text() == '8'
    page.locator('button[value="reset"]').click()
    assert page.locator('output').first.inner_text() == '0.00'
    if not model.conditional: assert canvas(page) == first
    page.screenshot(path=str(tmp_path/f'{name}.png'))


def test_docs_page(page, tmp_path):
    """The explorers of the web chapter as nbdev processes them for the docs site: decoders in models/, both working on one page.

    The chapter saves one explorer in its outputs (conv_cvae); the processor adds the other where a cell is flagged
    `#| site_explorer latent cvae2d`."""
    from execnb.nbio import read_nb
    from nbdev.processors import FilterDefaults
    from cvae_mnist.site import SiteExplorers
    outputs = lambda nb, mime: [''.join(o['data'][mime]) for c in nb.cells for o in c.get('outputs', []) if mime in o.get('data', {})]
    src = ROOT/'nbs'/'08_web.ipynb'
    saved = [h for h in outputs(read_nb(src), 'text/html') if 'cvae-explorer' in h]
    nb = read_nb(src)
    SiteExplorers.models_dir = tmp_path/'models'
    try: FilterDefaults()(nb)
    finally: SiteExplorers.models_dir = None
    site = [m for m in outputs(nb, 'text/markdown') if 'cvae-explorer' in m]
    assert len(saved) == 1 and len(site) == 2 and outputs(nb, 'text/html') == []  # no HTML output: Quarto would add require.js
    assert len(list((tmp_path/'models').glob('*.js'))) == 2
    frags = [m.removeprefix('```{=html}\n').removesuffix('\n```') for m in site]

    (tmp_path/'docs.html').write_text('<!doctype html><html><head><meta charset="utf-8"></head><body>' + '<p>text</p>'.join(frags) + '</body></html>')
    page.goto((tmp_path/'docs.html').as_uri())
    uids = [re.search(r'id="(cvae-[0-9a-f]{8})"', h)[1] for h in frags]
    for uid in uids:                                   # each loads its decoder when it comes near the window
        page.locator(f'#{uid}').scroll_into_view_if_needed()
        page.wait_for_function('id => (window.cvaeExplorers || {})[id]', arg=uid)
    for uid, name in zip(uids, ['cvae2d', 'conv_cvae']):  # the saved outputs hold the shipped weights of today
        assert largest_difference(page, load_pretrained(name), 2, uid) <= TOL
    first, second = canvas(page, 0), canvas(page, 1)
    page.locator(f'#{uids[1]} input[type=range]').nth(2).fill('-2')  # the second explorer's third slider
    assert canvas(page, 0) == first and canvas(page, 1) != second
    page.screenshot(path=str(tmp_path/'docs.png'), full_page=True)

def canvases(pg, uid) -> list:
    return pg.evaluate(f"() => Array.from(document.querySelectorAll('#{uid} canvas'), c => c.toDataURL())")


def last_difference(pg, uid, model) -> float:
    "Largest |browser - torch| of the logits of what explorer `uid` decoded last; what it drew must be their sigmoid."
    last = pg.evaluate(f"() => window.cvaeExplorers['{uid}'].last")
    z, y = torch.tensor(last['z'], dtype=torch.float64), torch.tensor(last['digits'])
    logits = decode_in_browser(pg, z, y, uid)
    assert (torch.tensor(last['images'], dtype=torch.float64) - torch.sigmoid(logits)).abs().max() <= 1e-12
    return (logits - torch_logits(model, z, y)).abs().max().item()


def test_every_kind(page, tmp_path):
    "The four kinds of explorer on one page: every control redraws, and what is drawn is PyTorch's decoding."
    vae, cvae, cvae2d = (load_pretrained(n) for n in ('vae', 'cvae', 'cvae2d'))
    frags = [samples_explorer_html(cvae, name='cvae'), latent_explorer_html(vae, name='vae'),
             interpolation_explorer_html(vae, name='vae'), manifold_explorer_html(cvae2d, n=6, name='cvae2d')]
    (tmp_path/'all.html').write_text(explorer_page(cvae2d).replace('</body>', ''.join(frags) + '</body>'))
    page.goto((tmp_path/'all.html').as_uri())
    uids = [re.search(r'id="(cvae-[0-9a-f]{8})"', h)[1] for h in frags]
    models = dict(vae=vae, cvae=cvae, cvae2d=cvae2d)
    for uid in uids:
        model = models[page.evaluate(f"() => window.cvaeExplorers['{uid}'].model")]
        assert last_difference(page, uid, model) <= TOL
        for control in page.locator(f'#{uid} input[type=range], #{uid} button:not(.cvae-on)').all():
            before = canvases(page, uid)
            if control.get_attribute('type') == 'range': control.fill(control.get_attribute('max'))
            else: control.click()
            assert canvases(page, uid) != before, control.evaluate('c => c.outerHTML')
            assert last_difference(page, uid, model) <= TOL

    samples, _, interp, manifold = uids
    n = lambda uid: len(page.evaluate(f"() => window.cvaeExplorers['{uid}'].last.z"))
    assert n(samples) == 64 and n(manifold) == 36                  # the samples slider at its maximum; a 6 x 6 grid
    grid = page.evaluate(f"() => window.cvaeExplorers['{manifold}'].last.z")
    assert torch.allclose(torch.tensor(grid), latent_grid(6), atol=1e-6)
    z0, z1 = torch.randn(2, 20, generator=torch.Generator().manual_seed(0)).double()
    for method in ('linear', 'slerp'):                             # the page's paths are `interpolate`'s
        t = torch.linspace(0, 1, 7).double()
        js = page.evaluate(f"([a, b, ts]) => ts.map(t => window.cvaeExplorers['{interp}'].interpolate(a, b, t, '{method}'))",
                           [z0.tolist(), z1.tolist(), t.tolist()])
        assert torch.allclose(torch.tensor(js, dtype=torch.double), interpolate(z0, z1, t, method), atol=1e-9)
    page.screenshot(path=str(tmp_path/'kinds.png'), full_page=True)


def strokes(seed, height=120, width=90, n=3, radius=2.5) -> torch.Tensor:
    "A drawing of `n` random pen strokes, smooth random walks with anti-aliased edges: ink in [0, 1], (height, width)."
    g = torch.Generator().manual_seed(seed)
    yy, xx = torch.meshgrid(torch.arange(height, dtype=torch.float64), torch.arange(width, dtype=torch.float64), indexing='ij')
    ink, size = torch.zeros(height, width, dtype=torch.float64), torch.tensor([height - 1., width - 1.], dtype=torch.float64)
    for _ in range(n):
        p, angle = torch.rand(2, generator=g, dtype=torch.float64)*size, torch.rand(1, generator=g).item()*6.3
        for _ in range(30):
            angle += torch.randn(1, generator=g).item()*0.4
            p = (p + 2*torch.tensor([math.sin(angle), math.cos(angle)], dtype=torch.float64)).clamp(torch.zeros(2), size)
            ink = torch.maximum(ink, (radius + 0.5 - ((yy - p[0])**2 + (xx - p[1])**2).sqrt()).clamp(0, 1))
    return ink


def on_canvas(d, scale, mode, height=200, width=150, top=37, left=52) -> torch.Tensor:
    "Digit `d` (28, 28) drawn `scale` times its size on a canvas (height, width) at (top, left)."
    big = (d.repeat_interleave(scale, 0).repeat_interleave(scale, 1) if mode == 'blocks'
           else torch.nn.functional.interpolate(d[None, None], scale_factor=scale, mode=mode)[0, 0])
    canvas = torch.zeros(height, width, dtype=torch.float64)
    canvas[top:top + big.shape[0], left:left + big.shape[1]] = big.clamp(0, 1)
    return canvas


def test_mnist_format(page, tmp_path):
    "The page's `mnistFormat` is the data chapter's `mnist_format`: the same 784 pixels from the same drawings, the same refusals."
    from cvae_mnist.data import load_mnist, mnist_format
    page.goto(save_explorer_page(load_pretrained('vae'), tmp_path/'explorer.html').as_uri())
    x = load_mnist('test')[0].double()/255
    digits = [x[i] for i in torch.randperm(len(x), generator=torch.Generator().manual_seed(0))[:4].tolist()]
    line = torch.zeros(150, 100, dtype=torch.float64)
    line[10:140, 40], line[10:140, 41:45], line[10:140, 45] = 0.3, 1, 0.3  # symmetric: its centre of mass on a half pixel
    dot = torch.zeros(50, 60, dtype=torch.float64)
    dot[20, 33] = 0.7
    drawings = ([on_canvas(d, 3, 'blocks') for d in digits] + [on_canvas(d, 2.5, 'bilinear') for d in digits]
                + [on_canvas(d, 0.6, 'area', 40, 30, 5, 3) for d in digits[:2]]                # smaller than 20 x 20
                + [strokes(s) for s in range(6)] + [strokes(9, 280, 280, 4, 8)]               # a pad of 280 x 280
                + [line, line.T.contiguous(), dot, torch.ones(7, 3, dtype=torch.float64), 0.01*strokes(3)])
    js = page.evaluate('ds => ds.map(d => Array.from(window.cvaeRuntime.mnistFormat(d.ink, d.width, d.height)))',
                       [dict(ink=d.flatten().tolist(), width=d.shape[1], height=d.shape[0]) for d in drawings])
    diffs = [(torch.tensor(got, dtype=torch.float64).view(28, 28) - mnist_format(d).double()).abs().max().item()
             for d, got in zip(drawings, js)]
    print(f'mnistFormat against mnist_format on {len(drawings)} drawings: largest difference {max(diffs):.1e}')
    assert max(diffs) < 1e-6  # float32 (Python's output) against float64: about 3e-8
    for d in digits:  # drawn again in blocks, a digit comes back as it was
        assert (mnist_format(on_canvas(d, 3, 'blocks')).double() - d).abs().max() < 1e-6
    ms = page.evaluate('''d => { var t = []; for (var i = 0; i < 20; i++) { var t0 = performance.now();
        window.cvaeRuntime.mnistFormat(d.ink, d.width, d.height); t.push(performance.now() - t0); }
        return t.sort((a, b) => a - b)[10]; }''', dict(ink=drawings[-6].flatten().tolist(), width=280, height=280))
    print(f'mnistFormat of a 280 x 280 drawing: {ms:.2f} ms')

    refused = page.evaluate('''() => {
        var f = window.cvaeRuntime.mnistFormat;
        var why = g => { try { g(); return null; } catch (e) { return e.message; } };
        return [why(() => f(new Float64Array(20), 5, 4)), why(() => f([0, NaN, 1, 0], 2, 2)),
                why(() => f([0, 1.5, 0, 0], 2, 2)), why(() => f(new Uint8ClampedArray([0, 255, 0, 0]), 2, 2)),
                why(() => f([0, 1, 0], 2, 2)), why(() => f([1], 0, 1)), why(() => f([1, 1], 2.5, 1))]; }''')
    python = [np_error(mnist_format, a) for a in ([[0.]*5]*4, [[0, float('nan')], [1, 0]], [[0, 1.5], [0, 0]], [[0, 255], [0, 0]])]
    for msg, fragment in zip(refused, ['no ink', 'NaN', 'must be in [0, 1]', 'divide by 255',
                                       'need 4 ink values', 'whole numbers', 'whole numbers']):
        assert msg is not None and fragment in msg, (fragment, msg)
    for js_msg, py_msg in zip(refused, python):  # the same words in both
        assert js_msg == 'mnistFormat: ' + py_msg, (js_msg, py_msg)


def np_error(f, a) -> str:
    "The message of the ValueError that `f(a)` raises."
    with pytest.raises(ValueError) as e: f(a)
    return str(e.value)


# The encoders, as a drawing pad will run them: `cvaeRuntime.encode(model, pixels, digit)` on a spec made with
# `model_spec(model, encoder=True)`, against PyTorch's `model.encode` in float64, on MNIST test digits. As for the
# decoders, the MLP models' weights are exact in the page and the convolutional ones' carry the rounding of batch norm
# folded in float32 (about 1e-6). The differences are measured relative to the largest number compared (or to 1):
# folded weights rounded to float16 move them by about 1e-3 relative (test_encoder_catches_float16).
TOL_ENCODE = 1e-5


def relative_difference(got, want) -> float:
    "Largest |got - want| over the largest |want| (at least 1)."
    return ((got - want).abs().max()/want.abs().max().clamp(min=1)).item()


def runtime_page(pg, tmp_path, spec) -> str:
    "A page with the runtime and the model `spec` only, as window.cvaeModels[key]: its key."
    key, script = model_script(spec)
    runtime = resources.files('cvae_mnist').joinpath('explorer.js').read_text(encoding='utf-8')
    (tmp_path/'runtime.html').write_text('<!doctype html><html><head><meta charset="utf-8"></head><body>'
                                         f'<script>{runtime}</script><script>{script}</script></body></html>')
    pg.goto((tmp_path/'runtime.html').as_uri())
    return key


def mnist_digits(n=12) -> tuple:
    "The first `n` MNIST test digits, grey values in [0, 1] (n, 1, 28, 28) float64, and their labels."
    from cvae_mnist.data import load_mnist
    images, labels = load_mnist('test')
    return images[:n, None].double()/255, labels[:n]


def encode_in_browser(pg, key, x, y) -> tuple:
    "The page's (mu, logvar) of images `x` (N, 1, 28, 28) and digits `y`, each (N, D) float64."
    got = pg.evaluate('''([key, xs, ys]) => xs.map((x, i) => {
        var q = window.cvaeRuntime.encode(window.cvaeModels[key], x, ys[i]);
        return [Array.from(q.mu), Array.from(q.logvar)]; })''', [key, x.flatten(1).tolist(), y.tolist()])
    got = torch.tensor(got, dtype=torch.float64)  # (N, 2, D)
    return got[:, 0], got[:, 1]


def torch_encode(model, x, y) -> tuple:
    "PyTorch's (mu, logvar) of images `x` and digits `y`, computed in float64 as the page computes."
    m = copy.deepcopy(model).double()
    with torch.no_grad(): return m.encode(x.double(), y if m.conditional else None)



@pytest.mark.parametrize('name', list(manifest()))  # every shipped model: MLP (ReLU, tanh) and convolutional
def test_encoder(page, tmp_path, name):
    "The page's encoder gives PyTorch's means and log-variances, and its decoder PyTorch's logits of those means."
    model = load_pretrained(name)
    key = runtime_page(page, tmp_path, model_spec(model, encoder=True))
    x, y = mnist_digits()
    mu, logvar = torch_encode(model, x, y)
    got_mu, got_logvar = encode_in_browser(page, key, x, y)
    logits = page.evaluate('''([key, zs, ys]) => zs.map((z, i) =>
        Array.from(window.cvaeRuntime.decodeLogits(window.cvaeModels[key], z, ys[i])))''', [key, mu.tolist(), y.tolist()])
    logits = torch.tensor(logits, dtype=torch.float64)
    diffs = dict(mu=relative_difference(got_mu, mu), logvar=relative_difference(got_logvar, logvar),
                 logits=relative_difference(logits, torch_logits(model, mu, y)))
    absolute = dict(mu=(got_mu - mu).abs().max().item(), logvar=(got_logvar - logvar).abs().max().item(),
                    logits=(logits - torch_logits(model, mu, y)).abs().max().item())
    ms = page.evaluate('''([key, x, d]) => { var m = window.cvaeModels[key], t = [];
        for (var i = 0; i < 30; i++) { var t0 = performance.now(); window.cvaeRuntime.encode(m, x, d); t.push(performance.now() - t0); }
        return t.sort((a, b) => a - b)[15]; }''', [key, x[0].flatten().tolist(), int(y[0])])
    print(f'{name}: largest differences from PyTorch, relative ' + ', '.join(f'{k} {v:.1e}' for k, v in diffs.items())
          + '; absolute ' + ', '.join(f'{k} {v:.1e}' for k, v in absolute.items()) + f'; one encode {ms:.2f} ms')
    assert max(diffs.values()) <= TOL_ENCODE, diffs
    assert got_mu.shape == (len(x), model.latent_dim)


@pytest.mark.parametrize('name', ['conv_vae', 'conv_cvae'])
def test_encoder_catches_float16(page, tmp_path, name):
    "The encoder's tolerance fails a page whose folded weights are rounded to float16."
    model = load_pretrained(name)
    spec = model_spec(model, encoder=True)
    for o in spec['encoder']:
        for k, t in o.items():
            if isinstance(t, dict) and t['dtype'] == 'float32':
                w = torch.frombuffer(bytearray(base64.b64decode(t['data'])), dtype=torch.float32)
                o[k] = dict(dtype='float16', data=base64.b64encode(w.half().numpy().tobytes()).decode())
    key = runtime_page(page, tmp_path, spec)
    x, y = mnist_digits()
    mu, logvar = torch_encode(model, x, y)
    got_mu, got_logvar = encode_in_browser(page, key, x, y)
    diff = max(relative_difference(got_mu, mu), relative_difference(got_logvar, logvar))
    print(f'{name} with float16 weights: largest relative difference {diff:.1e}')
    assert diff > 10*TOL_ENCODE


def test_encoder_refusals(page, tmp_path):
    "Clear errors: a spec without its encoder, pixels that are not 784, a conditional model without its digit."
    key = runtime_page(page, tmp_path, model_spec(load_pretrained('cvae2d'), encoder=True))
    without = model_script(model_spec(load_pretrained('cvae2d')))[1]
    page.add_script_tag(content=without)
    refused = page.evaluate('''key => {
        var r = window.cvaeRuntime, m = window.cvaeModels[key], x = new Float64Array(784);
        var without = Object.keys(window.cvaeModels).filter(k => k !== key).map(k => window.cvaeModels[k])[0];
        var why = g => { try { g(); return null; } catch (e) { return e.message; } };
        return [why(() => r.encode(without, x, 3)), why(() => r.encode(m, new Float64Array(783), 3)),
                why(() => r.encode(m, x)), why(() => r.encode(m, x, 10)), why(() => r.decodeLogits(m, [0, 0], 1.5)),
                why(() => r.encode(m, x, 3)), r.decodeLogits(without, [0, 0], 3).length]; }''', key)
    for msg, fragment in zip(refused, ['encoder=True', '784 numbers', 'give a digit 0-9', 'give a digit 0-9',
                                       'give a digit 0-9']):
        assert msg is not None and fragment in msg, (fragment, msg)
    assert refused[5:] == [None, 784]
