"""The in-browser explorer in real headless Chromium (Debian's `chromium`, driven by Playwright).

It checks what a reader sees: the standalone page, and the explorers as they come out of nbdev's notebook processing for
the docs site; the JavaScript decoder against PyTorch's; that the canvas follows the sliders and the digit.
Set CVAE_MNIST_BROWSER=/path/to/chromium to use another browser; without one the tests are skipped, unless
CVAE_MNIST_REQUIRE_BROWSER=1 (as in CI), which makes a missing browser a failure.
"""
import base64, copy, json, math, re, statistics
from importlib import resources
from pathlib import Path

import pytest
import torch

from cvae_mnist.pretrained import load_pretrained, manifest
from cvae_mnist.cvae import latent_grid
from cvae_mnist.explore import interpolate
from cvae_mnist.web import (draw_explorer_html, explorer_page, interpolation_explorer_html, latent_explorer_html, manifold_explorer_html,
                            model_script, model_spec, samples_explorer_html, save_explorer_page)

ROOT = Path(__file__).parents[1]
# Logits, not probabilities: a probability of 0 or 1 hides any error in a saturated pixel. The page decodes in float64
# from the float32 weights (batch norm folded in, in float32), PyTorch here in float64 from the model's own weights: the
# two differ by the folding's rounding, about 1e-6 on the shipped models. Folded weights rounded to float16 move the
# logits by about 5e-3 (and the probabilities by under 1e-3, which the probabilities' old tolerance of 1e-3 let through).
TOL = 1e-5


def evaluate(pg, fn:str, arg=None):
    """`pg.evaluate(fn, arg)`, the argument and the result crossing as JSON text. Playwright checks every number of a
    value in Python, and a text at once: 50,000 numbers take 0.4 s one way, 0.05 s the other. JSON keeps a float64
    exactly (the shortest text that reads back as it); typed arrays arrive as lists, NaN and infinities as None."""
    return json.loads(pg.evaluate(f'''async a => JSON.stringify(await ({fn})(JSON.parse(a)) ?? null,
        (key, v) => ArrayBuffer.isView(v) ? Array.from(v) : v)''', json.dumps(arg)))


def canvas(pg, i=0) -> str:
    return pg.evaluate(f"() => document.querySelectorAll('canvas')[{i}].toDataURL()")


def decode_in_browser(pg, z, digits, uid=None) -> torch.Tensor:
    "The page's logits (`decode(z, digit, true)`) of codes `z` and `digits`, (N, 784) float64."
    fn = f"window.cvaeExplorers['{uid}'].decode" if uid else 'window.cvaeDecode'
    got = evaluate(pg, f'([zs, ds]) => zs.map((z, i) => {fn}(z, ds[i], true))', [z.tolist(), digits.tolist()])
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
    """The explorers of the web chapter as nbdev processes them for the docs site: models in models/, all working on one page.

    The chapter saves one explorer in its outputs (conv_cvae); the processor adds the others where cells are flagged
    `#| site_explorer latent cvae2d` and `#| site_explorer draw cvae2d` (the pad)."""
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
    assert len(saved) == 1 and len(site) == 3 and outputs(nb, 'text/html') == []  # no HTML output: Quarto would add require.js
    # the decoders of cvae2d and conv_cvae, shared with the pad (`#| site_explorer draw cvae2d`), which adds their encoders
    # and the decoders and encoders of cvae and burda_cvae, the other models it offers: one file per part
    assert len(list((tmp_path/'models').glob('*.js'))) == 8
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
    draw(page, uids[2], SEVEN)                                      # the pad: its model's parts come from models/
    assert pad_problems(page, uids[2], load_pretrained('cvae2d')) == []
    page.screenshot(path=str(tmp_path/'docs.png'), full_page=True)

def canvases(pg, uid) -> list:
    return pg.evaluate(f"() => Array.from(document.querySelectorAll('#{uid} canvas'), c => c.toDataURL())")


def last_difference(pg, uid, model) -> float:
    "Largest |browser - torch| of the logits of what explorer `uid` decoded last; what it drew must be their sigmoid."
    last = evaluate(pg, f"() => window.cvaeExplorers['{uid}'].last")
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
    n = lambda uid: len(evaluate(page, f"() => window.cvaeExplorers['{uid}'].last.z"))
    assert n(samples) == 64 and n(manifold) == 36                  # the samples slider at its maximum; a 6 x 6 grid
    grid = evaluate(page, f"() => window.cvaeExplorers['{manifold}'].last.z")
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
    js = evaluate(page, 'ds => ds.map(d => Array.from(window.cvaeRuntime.mnistFormat(d.ink, d.width, d.height)))',
                  [dict(ink=d.flatten().tolist(), width=d.shape[1], height=d.shape[0]) for d in drawings])
    diffs = [(torch.tensor(got, dtype=torch.float64).view(28, 28) - mnist_format(d).double()).abs().max().item()
             for d, got in zip(drawings, js)]
    print(f'mnistFormat against mnist_format on {len(drawings)} drawings: largest difference {max(diffs):.1e}')
    assert max(diffs) < 1e-6  # float32 (Python's output) against float64: about 3e-8
    for d in digits:  # drawn again in blocks, a digit comes back as it was
        assert (mnist_format(on_canvas(d, 3, 'blocks')).double() - d).abs().max() < 1e-6
    ms = evaluate(page, '''d => { var t = []; for (var i = 0; i < 20; i++) { var t0 = performance.now();
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


def runtime_page(pg, tmp_path, spec, kernel=None) -> str:
    "A page with the runtime and the model `spec` only, as window.cvaeModels[key]: its key. `kernel='js'`: no WebAssembly."
    key, script = model_script(spec)
    runtime = resources.files('cvae_mnist').joinpath('explorer.js').read_text(encoding='utf-8')
    choice = f'<script>window.cvaeKernel = "{kernel}";</script>' if kernel else ''
    (tmp_path/'runtime.html').write_text('<!doctype html><html><head><meta charset="utf-8"></head><body>'
                                         f'{choice}<script>{runtime}</script><script>{script}</script></body></html>')
    pg.goto((tmp_path/'runtime.html').as_uri())
    return key


def mnist_digits(n=12) -> tuple:
    "The first `n` MNIST test digits, grey values in [0, 1] (n, 1, 28, 28) float64, and their labels."
    from cvae_mnist.data import load_mnist
    images, labels = load_mnist('test')
    return images[:n, None].double()/255, labels[:n]


def encode_in_browser(pg, key, x, y) -> tuple:
    "The page's (mu, logvar) of images `x` (N, 1, 28, 28) and digits `y`, each (N, D) float64."
    got = evaluate(pg, '''([key, xs, ys]) => xs.map((x, i) => {
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
    logits = evaluate(page, '''([key, zs, ys]) => zs.map((z, i) =>
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


# ---------------------------------------------------------------------------------------------------------------------
# The drawing pad. `cvaeRuntime.readDigit(model, pixels, digit)` is the evaluation chapter's `read_digit`: p(y|x) by Bayes'
# rule over the ten ELBOs (one fixed draw of eps, `fixed_draws(D)`, which the spec carries), q's mean and log-variance given
# the digit, and the rewrites. It is compared with the same computation in float64 in PyTorch (`read_digit_64`, whose
# agreement with `read_digit` itself, in float32, is checked too), relative to the largest number compared (or to 1), as
# the encoders are. Weights rounded to float16 move p(y|x) by about 1e-2 and the rest by about 1e-3 relative
# (test_read_digit_catches_float16).
TOL_READ = 1e-5


def read_digit_64(model, x, digit=None) -> dict:
    "`read_digit` of one image `x` (1, 28, 28) in float64, with the rewrites' logits (10, 784)."
    from cvae_mnist.evaluate import fixed_draws
    from cvae_mnist.vae import bce_sum, kl_std_normal
    m, x = copy.deepcopy(model).double().eval(), x.double()
    eps, y = fixed_draws(m.latent_dim).double(), torch.arange(10)
    with torch.no_grad():
        mu, logvar = m.encode(x[None].repeat(10, 1, 1, 1), y)              # (10, D): q(z|x, y) for each y
        z = mu + (0.5*logvar).exp()*eps[:, None]                           # (S, 10, D)
        logits = m.decode(z.flatten(0, 1), y.repeat(len(eps))).view(len(eps), 10, 1, 28, 28)
        rec, kl = -bce_sum(logits, x[None]).mean(0), kl_std_normal(mu, logvar)
        probs = torch.softmax(rec - kl, 0)
        d = int(probs.argmax()) if digit is None else digit
        rewrite = m.decode(mu[d].repeat(10, 1), y).flatten(1)
    return dict(probs=probs, rec=rec, kl=kl, digit=d, mu=mu[d], logvar=logvar[d], rewriteLogits=rewrite)


READ = '''([key, xs, digit]) => xs.map(x => { var r = window.cvaeRuntime.readDigit(window.cvaeModels[key], x, digit);
    return {probs: Array.from(r.probs), rec: Array.from(r.rec), kl: Array.from(r.kl), digit: r.digit, mu: Array.from(r.mu),
            logvar: Array.from(r.logvar), rewriteLogits: r.rewriteLogits.map(l => Array.from(l)),
            rewrite: r.rewrite.map(l => Array.from(l)), reconstruction: Array.from(r.reconstruction)}; })'''
FIELDS = ['probs', 'rec', 'kl', 'mu', 'logvar', 'rewriteLogits']


def read_in_browser(pg, key, x, digit=None) -> list:
    "The page's `readDigit` of images `x` (N, 1, 28, 28): one dict of float64 tensors (and the digit) per image."
    got = evaluate(pg, READ, [key, x.flatten(1).tolist(), digit])
    return [{k: v if k == 'digit' else torch.tensor(v, dtype=torch.float64) for k, v in r.items()} for r in got]


def read_differences(got, want) -> dict:
    "Largest relative difference of each field over the images, and whether every digit is the same."
    diffs = {f: max(relative_difference(g[f], w[f]) for g, w in zip(got, want)) for f in FIELDS}
    diffs['probs'] = max((g['probs'] - w['probs']).abs().max().item() for g, w in zip(got, want))  # probabilities: absolute
    return diffs


def pad_inputs(n=10) -> torch.Tensor:
    "What a pad feeds a model: MNIST test digits, and drawings of random strokes through `mnist_format`, (N, 1, 28, 28)."
    from cvae_mnist.data import mnist_format
    x, _ = mnist_digits(n)
    drawn = torch.stack([mnist_format(strokes(s, 280, 280, 3, 8)).double() for s in range(4)])[:, None]
    return torch.cat([x, drawn])


# an MLP and a convolutional model here; the pad's tests compare cvae2d's and burda_cvae's readings with PyTorch's
@pytest.mark.parametrize('name', ['cvae', 'conv_cvae'])
def test_read_digit(page, tmp_path, name):
    "The page's readDigit is PyTorch's read_digit: p(y|x), the ELBO's terms, q given the digit, the rewrites."
    from cvae_mnist.evaluate import read_digit
    model = load_pretrained(name)
    key = runtime_page(page, tmp_path, model_spec(model, encoder=True))
    x = pad_inputs()
    got, want = read_in_browser(page, key, x), [read_digit_64(model, xi) for xi in x]
    diffs = read_differences(got, want)
    ms = page.evaluate('''([key, x]) => { var m = window.cvaeModels[key], t = [];
        for (var i = 0; i < 15; i++) { var t0 = performance.now(); window.cvaeRuntime.readDigit(m, x); t.push(performance.now() - t0); }
        return t.sort((a, b) => a - b)[7]; }''', [key, x[0].flatten().tolist()])
    print(f'{name}: readDigit against PyTorch in float64, largest differences: '
          + ', '.join(f'{k} {v:.1e}' for k, v in diffs.items()) + f'; one readDigit {ms:.1f} ms')
    assert max(diffs.values()) <= TOL_READ, diffs
    assert [g['digit'] for g in got] == [w['digit'] for w in want]
    for g in got:  # what is drawn: the sigmoid of the logits
        assert (g['rewrite'] - torch.sigmoid(g['rewriteLogits'])).abs().max() <= 1e-12
    # the float64 reference is `read_digit` (float32) itself, to float32's precision
    for xi, w in zip(x[:3], want[:3]):
        py = read_digit(model, xi.float())
        assert py['digit'] == w['digit']
        for f in ('probs', 'mu', 'logvar'): assert relative_difference(py[f].double(), w[f]) < 1e-4, f
        assert (py['rewrite'].flatten(1).double() - torch.sigmoid(w['rewriteLogits'])).abs().max() < 1e-4
    # a digit asked for: q and the rewrites given it, p(y|x) as before
    got3, want3 = read_in_browser(page, key, x[:4], 3), [read_digit_64(model, xi, 3) for xi in x[:4]]
    assert [g['digit'] for g in got3] == [3]*4 and max(read_differences(got3, want3).values()) <= TOL_READ


def float16_weights(spec) -> dict:
    "`spec` with every float32 tensor of its decoder and encoder rounded to float16 (the folded batch norms')."
    for o in spec['ops'] + spec['encoder']:
        for k, t in o.items():
            if isinstance(t, dict) and t['dtype'] == 'float32':
                w = torch.frombuffer(bytearray(base64.b64decode(t['data'])), dtype=torch.float32)
                o[k] = dict(dtype='float16', data=base64.b64encode(w.half().numpy().tobytes()).decode())
    return spec


def another_eps(spec) -> dict:
    "`spec` with another draw of eps than `fixed_draws(D)`'s."
    from cvae_mnist.evaluate import fixed_draws
    eps = fixed_draws(spec['latent_dim'], seed=1).numpy().astype('<f4').tobytes()
    return dict(spec, eps=dict(dtype='float32', data=base64.b64encode(eps).decode()))


@pytest.mark.parametrize('name, change', [('conv_cvae', float16_weights), ('cvae', another_eps)])
def test_read_digit_catches(page, tmp_path, name, change):
    """The tolerance fails a page whose folded weights are rounded to float16 (the MLP models' are float16 already, exact
    in both), and one that draws its own eps instead of the spec's."""
    model = load_pretrained(name)
    key = runtime_page(page, tmp_path, change(model_spec(model, encoder=True)))
    x = pad_inputs(6)
    diffs = read_differences(read_in_browser(page, key, x), [read_digit_64(model, xi) for xi in x])
    print(f'{name} with {change.__name__}: ' + ', '.join(f'{k} {v:.1e}' for k, v in diffs.items()))
    assert max(diffs.values()) > 10*TOL_READ


# The pad as people use it: strokes drawn with the mouse on its canvas. What the page fed the model must be Python's
# `mnist_format` of the ink the canvas holds (read back from the page), and what it shows PyTorch's `read_digit` of those
# pixels.
SEVEN = [[(60, 50), (130, 55), (215, 60), (170, 140), (125, 240)], [(110, 150), (200, 145)]]  # pad pixels, 280 x 280
TWO_FRAMES_JS = '() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))'
PAD_LAST = '''id => { var e = window.cvaeExplorers[id], l = e.last, c = e.ink(), r = l.read;
    return {model: l.model, empty: !!l.empty, ms: l.ms, ink: c.ink, width: c.width, height: c.height,
        pixels: l.pixels || null, read: r ? {probs: r.probs, rec: r.rec, kl: r.kl, digit: r.digit, mu: r.mu,
        logvar: r.logvar, rewriteLogits: r.rewriteLogits} : null}; }'''  # for `evaluate`: typed arrays come as lists


def draw(pg, uid, strokes, steps=4):
    "Draw `strokes` (lists of (x, y) in the pad's pixels) with the mouse on the pad of explorer `uid`; then two frames."
    pad = pg.locator(f'#{uid} canvas.cvae-ink')
    pad.scroll_into_view_if_needed()
    box, size = pad.bounding_box(), pg.evaluate(f"() => document.querySelector('#{uid} canvas.cvae-ink').width")
    at = lambda p: (box['x'] + 1 + p[0]*(box['width'] - 2)/size, box['y'] + 1 + p[1]*(box['height'] - 2)/size)
    for stroke in strokes:
        pg.mouse.move(*at(stroke[0]))
        pg.mouse.down()
        for p in stroke[1:]: pg.mouse.move(*at(p), steps=steps)
        pg.mouse.up()
    pg.evaluate(TWO_FRAMES_JS)


def pad_state(pg, uid) -> dict:
    "The pad's ink (height, width), what it fed the model (1, 28, 28) and what it read, as float64 tensors."
    s = evaluate(pg, PAD_LAST, uid)
    s['ink'] = torch.tensor(s['ink'], dtype=torch.float64).view(s['height'], s['width'])
    if s['pixels']: s['pixels'] = torch.tensor(s['pixels'], dtype=torch.float64).view(1, 28, 28)
    if s['read']: s['read'] = {k: v if k == 'digit' else torch.tensor(v, dtype=torch.float64) for k, v in s['read'].items()}
    return s


def pad_problems(pg, uid, model, digit=None) -> list:
    "What is wrong with what the pad fed `model` and read, against Python's `mnist_format` and `read_digit`, as sentences."
    from cvae_mnist.data import mnist_format
    s, problems = pad_state(pg, uid), []
    if s['empty'] or s['pixels'] is None: return ['the pad shows nothing read']
    fed = (s['pixels'] - mnist_format(s['ink']).double()[None]).abs().max().item()
    if fed > 1e-6: problems.append(f"the pixels fed differ from mnist_format of the pad's ink by {fed:.1e}")
    want = read_digit_64(model, s['pixels'], digit)
    if s['read']['digit'] != want['digit']: problems.append(f"read digit {s['read']['digit']}, PyTorch {want['digit']}")
    diffs = read_differences([s['read']], [want])
    if max(diffs.values()) > TOL_READ: problems.append(f"readDigit differs from PyTorch's read_digit: {diffs}")
    return problems


def test_pad(page, tmp_path):
    "A pad on a page of its own: a hint, then strokes of the mouse read as PyTorch reads them; a digit picked; another model; clear."
    cvae2d, conv_cvae = load_pretrained('cvae2d'), load_pretrained('conv_cvae')
    frag = draw_explorer_html(cvae2d, name='cvae2d', models=('conv_cvae',))
    (tmp_path/'pad.html').write_text('<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" '
                                     'content="width=device-width, initial-scale=1"></head><body>' + frag + '</body></html>')
    page.goto((tmp_path/'pad.html').as_uri())
    uid = re.search(r'id="(cvae-[0-9a-f]{8})"', frag)[1]
    page.wait_for_function('id => (window.cvaeExplorers || {})[id]', arg=uid)
    note = lambda: page.inner_text(f'#{uid} .cvae-note')
    assert 'Draw a digit' in note() and pad_state(page, uid)['empty']  # a hint on an empty pad

    draw(page, uid, SEVEN)
    s = pad_state(page, uid)
    assert s['ink'].max() == 1 and (s['ink'] > 0).float().mean() > 0.05     # the strokes are on the canvas
    assert pad_problems(page, uid, cvae2d) == []
    print(f"pad, cvae2d: read {s['read']['digit']} (p = {s['read']['probs'].max():.3f}), {s['ms']:.1f} ms; {note()}")
    assert 'NaN' not in note() and 'ELBO' in note()
    assert last_difference(page, uid, cvae2d) <= TOL                       # what the panels show: PyTorch's decoding

    page.click(f'#{uid} button[data-group="digit"][value="3"]')              # encode with 3
    assert pad_state(page, uid)['read']['digit'] == 3 and pad_problems(page, uid, cvae2d, 3) == []
    rewrites = page.locator(f'#{uid} canvas').nth(3)                          # a click on the rewrite of 5
    box = rewrites.bounding_box()
    rewrites.click(position={'x': (2 + 5*30 + 14)*box['width']/rewrites.evaluate('c => c.width'), 'y': box['height']/2})
    assert pad_state(page, uid)['read']['digit'] == 5 and pad_problems(page, uid, cvae2d, 5) == []
    page.click(f'#{uid} button[data-group="digit"][value="read"]')

    page.click(f'#{uid} button[value="conv_cvae"]')                           # another model, loaded when picked
    page.wait_for_function("id => window.cvaeExplorers[id].last.model === 'conv_cvae'", arg=uid)
    assert pad_problems(page, uid, conv_cvae) == [] and last_difference(page, uid, conv_cvae) <= TOL
    draw(page, uid, [[(230, 200), (240, 260)]])                               # another stroke: read again
    assert pad_problems(page, uid, conv_cvae) == []
    page.screenshot(path=str(tmp_path/'pad.png'), full_page=True)

    page.click(f'#{uid} button[value="clear"]')
    s = pad_state(page, uid)
    assert s['empty'] and s['ink'].max() == 0 and 'Draw a digit' in note()
    assert 'NaN' not in page.inner_text(f'#{uid}')


def test_pad_on_a_phone(browser, tmp_path):
    "At 390 px the pad and its panels fit the window, and what is drawn on it is read as PyTorch reads it."
    frag = draw_explorer_html(load_pretrained('burda_cvae'), name='burda_cvae', models=())
    (tmp_path/'pad.html').write_text('<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" '
                                     'content="width=device-width, initial-scale=1"></head><body style="margin: 25px">'
                                     + frag + '</body></html>')
    pg = browser.new_page(viewport={'width': 390, 'height': 844})
    try:
        pg.goto((tmp_path/'pad.html').as_uri())
        uid = re.search(r'id="(cvae-[0-9a-f]{8})"', frag)[1]
        pg.wait_for_function('id => (window.cvaeExplorers || {})[id]', arg=uid)
        draw(pg, uid, SEVEN)
        assert pad_problems(pg, uid, load_pretrained('burda_cvae')) == []
        wide = pg.evaluate('''() => [...document.querySelectorAll('canvas')].map(c => c.getBoundingClientRect().right)
                                    .filter(r => r > window.innerWidth - 25)''')
        assert wide == [] and pg.evaluate('() => document.documentElement.scrollWidth') <= 390
        pg.screenshot(path=str(tmp_path/'phone.png'), full_page=True)
    finally:
        pg.close()


def pad_page(pg, tmp_path, name, models=()) -> str:
    "A page holding a pad of shipped model `name` (and `models` to pick), its models inline: the pad's id, once started."
    frag = draw_explorer_html(load_pretrained(name), name=name, models=models)
    (tmp_path/'pad.html').write_text('<!doctype html><html><head><meta charset="utf-8"></head><body>' + frag + '</body></html>')
    pg.goto((tmp_path/'pad.html').as_uri())
    uid = re.search(r'id="(cvae-[0-9a-f]{8})"', frag)[1]
    pg.wait_for_function('id => (window.cvaeExplorers || {})[id]', arg=uid)
    return uid


def test_api_examples(page, tmp_path):
    "The web chapter's examples of the JavaScript API, run in turn on a page with a pad, give PyTorch's numbers."
    from execnb.nbio import read_nb
    from cvae_mnist.data import mnist_format
    md = [''.join(c.source) for c in read_nb(ROOT/'nbs'/'08_web.ipynb').cells
          if c.cell_type == 'markdown' and c.source.startswith('## The JavaScript API')]
    examples = re.findall(r'```js\n(.*?)```', md[0], re.S)
    assert len(examples) == 4
    pad_page(page, tmp_path, 'cvae2d')
    got = page.evaluate('async () => { ' + '\n'.join(examples) + '''
        return {pixels: Array.from(pixels), mu: Array.from(mu), logvar: Array.from(logvar), logits: Array.from(logits),
                probs: Array.from(probs), digit: read.digit, readProbs: Array.from(read.probs), asSeven: Array.from(asSeven)}; }''')
    got = {k: v if k == 'digit' else torch.tensor(v, dtype=torch.float64) for k, v in got.items()}
    model, ink = load_pretrained('cvae2d'), torch.zeros(60, 60, dtype=torch.float64)
    ink[10:50, 28:33] = 1
    x = mnist_format(ink).double()[None]                                  # (1, 28, 28)
    assert (got['pixels'].view(1, 28, 28) - x).abs().max() < 1e-6
    mu, logvar = torch_encode(model, x[None], torch.tensor([1]))
    assert relative_difference(got['mu'], mu[0]) <= TOL_ENCODE and relative_difference(got['logvar'], logvar[0]) <= TOL_ENCODE
    assert (got['logits'] - torch_logits(model, mu, torch.tensor([1]))[0]).abs().max() <= TOL
    want, seven = read_digit_64(model, x), read_digit_64(model, x, 7)
    assert (got['probs'] - want['probs']).abs().max() <= TOL_READ and torch.equal(got['probs'], got['readProbs'])
    assert got['digit'] == want['digit']
    assert (got['asSeven'] - torch.sigmoid(seven['rewriteLogits'][7])).abs().max() <= TOL_READ
    refused = page.evaluate('''async () => { var r = window.cvaeRuntime, m = await r.load('cvae2d');
        var why = async g => { try { await g(); return null; } catch (e) { return e.message; } };
        return [await why(() => r.load('vae')), await why(() => r.readDigit(m, new Float64Array(784).fill(0.5), 10)),
                await why(() => r.digitPosterior(m, [1, 2]))]; }''')
    for msg, fragment in zip(refused, ['no model vae on this page; there are: cvae2d', 'digit must be 0-9', '784 numbers']):
        assert msg is not None and fragment in msg, (fragment, msg)


@pytest.mark.parametrize('name, n', [('cvae', 100), ('conv_cvae', 50)])  # conv: twice the time a digit
def test_pad_classifies_mnist(page, tmp_path, name, n):
    """MNIST test digits through the pad's JavaScript path, drawn 3 times their size on its canvas: the page's p(y|x)
    classifies them as PyTorch's `digit_posterior` does (the same argmax but at exact near-ties, the same accuracy to
    0.1 point), and its rewrites are read as the digit asked for by the project's judge (`cvae_mnist.classifier`) as
    often as PyTorch's are."""
    from cvae_mnist.classifier import load_classifier, predict
    from cvae_mnist.cvae import style_transfer
    from cvae_mnist.data import load_mnist
    from cvae_mnist.evaluate import digit_posterior, fixed_draws, read_digit
    model = load_pretrained(name)
    images, labels = load_mnist('test')
    idx = torch.randperm(len(images), generator=torch.Generator().manual_seed(0))[:n]
    x, y = images[idx, None].double()/255, labels[idx]
    uid = pad_page(page, tmp_path, name)
    # the pad's path: the digit's ink on the pad's canvas, read back, mnistFormat, readDigit
    got = evaluate(page, '''([id, xs]) => { var e = window.cvaeExplorers[id], c = document.querySelector('#' + id + ' canvas.cvae-ink');
        var ctx = c.getContext('2d'), r = window.cvaeRuntime, img = ctx.createImageData(84, 84);
        return xs.map(x => { ctx.clearRect(0, 0, c.width, c.height);
            for (var i = 0; i < 84*84; i++) img.data[4*i + 3] = Math.round(255*x[Math.floor(i/84/3)*28 + Math.floor(i%84/3)]);
            ctx.putImageData(img, 98, 98);
            e.draw();
            var l = e.last, f = new Float32Array(7840), bytes = '';
            l.read.rewrite.forEach((a, d) => f.set(a, 784*d));             // the rewrites as base64 of float32: faster to fetch
            new Uint8Array(f.buffer).forEach(v => { bytes += String.fromCharCode(v); });
            return {pixels: Array.from(l.pixels), probs: Array.from(l.read.probs), rewrite: btoa(bytes)}; }); }''',
        [uid, x.flatten(1).tolist()])
    pixels = torch.tensor([g['pixels'] for g in got], dtype=torch.float64).view(n, 1, 28, 28)
    assert (pixels - x).abs().max() < 1e-6 + 1/255   # drawn 3 times larger in bytes of opacity, they come back
    probs_js = torch.tensor([g['probs'] for g in got], dtype=torch.float64)
    probs_py = digit_posterior(model, pixels.float(), fixed_draws(model.latent_dim)).double()
    top2 = probs_py.topk(2, 1).values
    tie = (top2[:, 0] - top2[:, 1]) < 1e-4
    same = probs_js.argmax(1) == probs_py.argmax(1)
    acc_js, acc_py = (probs_js.argmax(1) == y).float().mean().item(), (probs_py.argmax(1) == y).float().mean().item()
    clf = load_classifier()
    rewrites = torch.cat([torch.frombuffer(bytearray(base64.b64decode(g['rewrite'])), dtype=torch.float32) for g in got])
    judged_js = (predict(clf, rewrites.view(n*10, 1, 28, 28)).view(n, 10) == torch.arange(10)).float().mean().item()
    py = style_transfer(model, pixels.float(), probs_py.argmax(1))  # read_digit's rewrites of them, in a batch
    assert (read_digit(model, pixels[0].float())['rewrite'] - py[0]).abs().max() < 1e-5  # float32, batched or not
    judged_py = (predict(clf, py.flatten(0, 1)).view(n, 10) == torch.arange(10)).float().mean().item()
    print(f'{name}, {n} test digits through the pad: accuracy of p(y|x) {acc_js:.2%} in the page, {acc_py:.2%} in PyTorch, '
          f'{int((~same).sum())} argmaxes differ ({int(tie.sum())} near-ties); rewrites read as the digit asked '
          f'{judged_js:.2%} (PyTorch {judged_py:.2%})')
    assert bool((same | tie).all())
    assert abs(acc_js - acc_py) <= 0.001
    assert abs(judged_js - judged_py) <= 0.001 and judged_js > 0.8


def test_load_without_pad(page, tmp_path):
    "On a page of explorers without a pad, `load(name)` gives their models' decoders: the explorers' own logits; no encoder."
    cvae, vae = load_pretrained('cvae'), load_pretrained('vae')
    frags = [samples_explorer_html(cvae, name='cvae'), latent_explorer_html(vae, name='vae')]
    (tmp_path/'two.html').write_text('<!doctype html><html><head><meta charset="utf-8"></head><body>' + ''.join(frags) + '</body></html>')
    page.goto((tmp_path/'two.html').as_uri())
    uid = re.search(r'id="(cvae-[0-9a-f]{8})"', frags[0])[1]
    page.wait_for_function('id => (window.cvaeExplorers || {})[id]', arg=uid)
    z = torch.randn(3, cvae.latent_dim, generator=torch.Generator().manual_seed(0))
    got = page.evaluate('''async zs => { var r = window.cvaeRuntime, m = await r.load('cvae');
        var why = g => { try { g(); return null; } catch (e) { return e.message; } };
        return {logits: zs.map((z, i) => Array.from(r.decodeLogits(m, z, i))), vae: (await r.load('vae')).latent_dim,
                encode: why(() => r.encode(m, new Float64Array(784), 1))}; }''', z.tolist())
    assert (torch.tensor(got['logits'], dtype=torch.float64) - torch_logits(cvae, z, torch.arange(3))).abs().max() <= TOL
    assert got['vae'] == vae.latent_dim and 'encoder=True' in got['encode']


# The products of matrices run in WebAssembly (`dotsWasm`, 128-bit SIMD) where the browser has it, as Chromium does, else
# in JavaScript (`dotsJS`): both kernels give the same numbers, on shapes of every remainder (rows of A past a multiple of
# 4, of B past a multiple of 2, an odd K, rows longer than K), and the JavaScript one, forced, still gives PyTorch's.

def test_kernels(page, tmp_path):
    "The WebAssembly kernel is the JavaScript one, to float64 rounding (its sums go in another order), on every shape."
    runtime_page(page, tmp_path, model_spec(load_pretrained('cvae2d')))
    assert page.evaluate('() => window.cvaeRuntime.kernel') == 'wasm-simd'
    diffs = page.evaluate('''() => { var k = window.cvaeRuntime.kernels, u = 1, out = [];
        var rand = n => Float64Array.from({length: n}, () => { u = (u*16807) % 2147483647; return u/2147483647 - 0.5; });
        for (var M of [1, 2, 3, 4, 5, 7, 64]) for (var N of [1, 2, 3, 49]) for (var K of [1, 2, 5, 576]) {
            var lda = K + 3, ldb = K + 1, A = rand(M*lda), B = rand(N*ldb);
            var js = k.js(A, lda, B, ldb, M, N, K, new Float64Array(M*N)), wa = k.wasm(A, lda, B, ldb, M, N, K, new Float64Array(M*N));
            var d = 0; for (var i = 0; i < M*N; i++) d = Math.max(d, Math.abs(js[i] - wa[i])/Math.max(1, Math.abs(js[i])));
            out.push(d); }
        return out; }''')
    print(f'dotsWasm against dotsJS on {len(diffs)} shapes: largest relative difference {max(diffs):.1e}')
    assert len(diffs) == 7*4*4 and max(diffs) < 1e-13


# the JavaScript kernel on the convolutional shapes: test_kernels
@pytest.mark.parametrize('name', ['cvae'])
def test_read_digit_in_javascript(page, tmp_path, name):
    "Without WebAssembly (window.cvaeKernel = 'js'), readDigit still gives PyTorch's numbers."
    model = load_pretrained(name)
    key = runtime_page(page, tmp_path, model_spec(model, encoder=True), kernel='js')
    assert page.evaluate('() => window.cvaeRuntime.kernel') == 'js'
    x = pad_inputs(4)
    diffs = read_differences(read_in_browser(page, key, x), [read_digit_64(model, xi) for xi in x])
    assert max(diffs.values()) <= TOL_READ, diffs
