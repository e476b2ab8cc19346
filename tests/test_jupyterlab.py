"""The explorers in a real JupyterLab with a real kernel, driven in headless Chromium as a person would use them:
run the notebook, click a digit, move a slider, and see the picture change; the ipywidgets explorers and the in-browser one."""
import os, socket, subprocess, sys, time, urllib.request

import nbformat
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CELLS = ["from IPython.display import HTML\nfrom cvae_mnist.pretrained import load_pretrained\n"
         "from cvae_mnist.explore import latent_explorer, samples_explorer\nfrom cvae_mnist.web import latent_explorer_html",
         "samples_explorer(load_pretrained('cvae'))",
         "latent_explorer(load_pretrained('cvae2d'))",
         "HTML(latent_explorer_html(load_pretrained('cvae2d')))"]


@pytest.fixture(scope='module')
def lab(tmp_path_factory):
    "A JupyterLab server on a free local port, serving a folder with a notebook that shows the three explorers."
    root = tmp_path_factory.mktemp('lab')
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nb.metadata['kernelspec'] = dict(name='python3', display_name='Python 3', language='python')
    nbformat.write(nb, root/'explorers.ipynb')
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


def test_explorers_in_jupyterlab(browser, lab, tmp_path):
    pg = browser.new_page(viewport={'width': 1300, 'height': 1400})
    pg.goto(f'{lab}/lab/tree/explorers.ipynb')
    pg.wait_for_selector('.jp-Notebook', timeout=120_000)
    try: pg.get_by_role('button', name='Select', exact=True).click(timeout=20_000)  # a new notebook's kernel: Python 3
    except PlaywrightTimeout: pass
    pg.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=120_000, state='attached')
    pg.keyboard.press('Escape')
    pg.get_by_role('menuitem', name='Run', exact=True).click()
    pg.get_by_text('Run All Cells', exact=True).click()
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

    canvas = lambda: pg.evaluate("() => document.querySelector('.cvae-explorer canvas').toDataURL()")
    first = canvas()                                                              # the in-browser explorer, in the notebook
    pg.locator('.cvae-explorer input[type=range]').first.fill('2')
    pg.locator('.cvae-explorer button[data-group="digit"][value="5"]').click()
    assert canvas() != first and pg.evaluate('() => typeof window.cvaeDecode') == 'function'
    pg.screenshot(path=str(tmp_path/'jupyterlab.png'))
    pg.close()
