"""The explorers in a real JupyterLab with a real kernel, driven in headless Chromium as a person would use them:
run the notebook, click a digit, move a slider, and see the picture change; the ipywidgets explorers and the in-browser one;
and the drawing pad's widget, drawn on with the mouse, whose input reaches the kernel. One notebook and one page for all
of them: a second page made the module take 36 s instead of 27 (JupyterLab starting in it, a kernel importing torch)."""
import json, os, re, socket, subprocess, sys, time, urllib.request

import nbformat
import pytest
import torch

from cvae_mnist.pretrained import load_pretrained
from test_web import SEVEN, draw, pad_problems, pad_state

CELLS = ["from IPython.display import HTML\nfrom cvae_mnist.pretrained import load_pretrained\n"
         "from cvae_mnist.explore import latent_explorer, samples_explorer\nfrom cvae_mnist.web import latent_explorer_html",
         "samples_explorer(load_pretrained('cvae'))",
         "latent_explorer(load_pretrained('cvae2d'))",
         "HTML(latent_explorer_html(load_pretrained('cvae2d')))"]
# The pad's widget, and what the kernel makes of its input: printed by the second cell, run again after drawing.
CELLS += ["from cvae_mnist.pretrained import load_pretrained\nfrom cvae_mnist.web import DrawPad\n"
          "model = load_pretrained('cvae')\npad = DrawPad(model, 'cvae')\npad",
          "import json\nfrom cvae_mnist.evaluate import read_digit\nif pad.x is not None:\n"
          "    r = read_digit(model, pad.x)\n"
          "    print('KERNEL', json.dumps(dict(x=pad.x.flatten().tolist(), digit=r['digit'], probs=r['probs'].tolist(),\n"
          "                                  elbo=(r['rec'] - r['kl']).tolist())))"]


def notebook(path, cells):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata['kernelspec'] = dict(name='python3', display_name='Python 3', language='python')
    nbformat.write(nb, path)


@pytest.fixture(scope='module')
def lab(tmp_path_factory):
    "A JupyterLab server on a free local port, serving a folder with the notebook of the explorers and the pad."
    root = tmp_path_factory.mktemp('lab')
    notebook(root/'explorers.ipynb', CELLS)
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, '-m', 'jupyterlab', '--no-browser', f'--port={port}', '--ip=127.0.0.1',
                             "--ServerApp.token=''", "--ServerApp.password=''", '--allow-root', f'--ServerApp.root_dir={root}'],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, 'JUPYTER_CONFIG_DIR': str(root/'.config')})
    url = f'http://127.0.0.1:{port}'
    for _ in range(120):
        try: urllib.request.urlopen(f'{url}/lab', timeout=2); break
        except OSError: time.sleep(0.5)
    else: proc.kill(); pytest.fail('JupyterLab did not start')
    yield url
    proc.terminate(); proc.wait(timeout=30)


def run_all(pg, lab, name):
    "Open notebook `name` in JupyterLab, with its kernel, and run all its cells."
    pg.goto(f'{lab}/lab/tree/{name}')
    pg.wait_for_selector('.jp-Notebook .jp-Cell', timeout=120_000)  # the notebook and its cells
    idle = pg.get_by_text(re.compile(r'Python 3 \(ipykernel\) \| Idle'))  # the status bar: its kernel started
    select = pg.get_by_role('button', name='Select', exact=True)  # JupyterLab asking for a kernel: Python 3
    idle.or_(select).first.wait_for(timeout=120_000)  # whichever comes first
    if select.count(): select.click()
    idle.wait_for(timeout=120_000)
    # Cells run as soon as the status bar said idle showed no ipywidgets (2 runs of 2); 3 s later they did (3 of 3):
    # 5, for a busy machine. (It waited 20 s here before, the timeout for a kernel dialog these notebooks never get.)
    time.sleep(5)
    pg.keyboard.press('Escape')
    pg.get_by_role('menuitem', name='Run', exact=True).click()
    pg.get_by_text('Run All Cells', exact=True).click()


def test_jupyterlab(browser, lab, tmp_path):
    "Run All, then the explorers clicked and slid, then a 7 drawn on the pad; no script error on the page."
    pg = browser.new_page(viewport={'width': 1300, 'height': 1400})
    errors = []
    pg.on('pageerror', lambda e: errors.append(str(e)))
    run_all(pg, lab, 'explorers.ipynb')
    explorers(pg)
    pg.screenshot(path=str(tmp_path/'jupyterlab.png'))
    draw_pad(pg)
    pg.screenshot(path=str(tmp_path/'pad_in_jupyterlab.png'))
    pg.close()
    assert errors == [], errors


def explorers(pg):
    "The ipywidgets explorers redraw when a digit is clicked and a slider moved; so does the in-browser one."
    pg.wait_for_selector('.widget-toggle-buttons', timeout=180_000)
    pg.wait_for_selector('.widget-slider', timeout=180_000)
    pg.wait_for_selector('.cvae-explorer canvas', timeout=180_000)
    time.sleep(1)
    images = pg.locator('.jp-OutputArea img')
    assert images.count() == 2
    src = lambda i: images.nth(i).get_attribute('src')
    samples, decoded = src(0), src(1)

    pg.locator('.widget-toggle-buttons button', has_text='4').first.click()      # the samples explorer: another digit
    pg.wait_for_function('([s]) => document.querySelectorAll(".jp-OutputArea img")[0].src != s', arg=[samples], timeout=60_000)
    handles = pg.locator('.widget-slider .noUi-handle')                          # samples, temperature, z1, z2
    handles.nth(2).focus()
    for _ in range(20): pg.keyboard.press('ArrowRight')                          # the 2-D model's z1, by keyboard
    pg.wait_for_function('([s]) => document.querySelectorAll(".jp-OutputArea img")[1].src != s', arg=[decoded], timeout=60_000)

    latent = pg.locator('.cvae-explorer[data-kind="latent"]')                     # the in-browser explorer, in the notebook
    canvas = lambda: latent.locator('canvas').first.evaluate('c => c.toDataURL()')
    first = canvas()
    latent.locator('input[type=range]').first.fill('2')
    latent.locator('button[data-group="digit"][value="5"]').click()
    assert canvas() != first and pg.evaluate('() => typeof window.cvaeDecode') == 'function'


def draw_pad(pg):
    "Draw a 7 with the mouse on the widget: the page reads it as PyTorch does, and the kernel gets what the page fed the model."
    pg.wait_for_selector('.cvae-explorer[data-kind="draw"] canvas.cvae-ink', timeout=180_000)
    uid = pg.get_attribute('.cvae-explorer[data-kind="draw"]', 'id')
    pg.wait_for_function('id => (window.cvaeExplorers || {})[id]', arg=uid, timeout=60_000)
    assert pad_state(pg, uid)['empty'] and 'Draw a digit' in pg.inner_text(f'#{uid} .cvae-note')
    pg.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=120_000, state='attached')

    draw(pg, uid, SEVEN)
    model = load_pretrained('cvae')
    assert pad_problems(pg, uid, model) == []                    # the page: mnist_format of its ink, read as PyTorch reads it
    page = pad_state(pg, uid)
    pg.locator('.jp-Cell', has_text='read_digit(model, pad.x)').locator('.jp-InputArea-editor').click()  # run now
    pg.keyboard.press('Shift+Enter')
    out = pg.locator('.jp-OutputArea-output', has_text='KERNEL')
    out.wait_for(timeout=60_000)
    kernel = json.loads(out.inner_text().split('KERNEL', 1)[1])
    x = torch.tensor(kernel['x'], dtype=torch.float64).view(1, 28, 28)
    assert (x - page['pixels']).abs().max() < 1e-6               # the widget sent the kernel what the page fed the model
    assert kernel['digit'] == page['read']['digit']
    got = {k: torch.tensor(kernel[k], dtype=torch.float64) for k in ('probs', 'elbo')}
    elbo = page['read']['rec'] - page['read']['kl']                # the ten ELBOs: p(y|x) is often 1 and 0s
    probs, elbos = (got['probs'] - page['read']['probs']).abs().max().item(), ((got['elbo'] - elbo)/elbo).abs().max().item()
    print(f"the pad's widget: read {kernel['digit']}; in the kernel, p(y|x) within {probs:.1e} of the page's, "
          f"the ELBOs within {elbos:.1e} (relative)")
    assert probs < 1e-5 and elbos < 1e-5
