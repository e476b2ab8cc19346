"""The in-browser decoder of every shipped model: largest difference from PyTorch, and the time of one decode.

    python bench/web_decode.py [--models cvae2d conv_cvae ...] [--repeats 50]

Each model's standalone explorer page (`save_explorer_page`) is opened in headless Chromium (as the tests drive it:
Debian's `chromium`, or CVAE_MNIST_BROWSER); `window.cvaeDecode` is compared with the model's decoder in PyTorch on random
codes for every digit, and one decode is timed there (median of `--repeats`, after the page's first draw). Baselines in
the same run: one frame at 60 Hz (16.7 ms), the budget for redrawing as a slider moves, and the same decode in PyTorch
in this process (one code, CPU).
"""
import argparse, sys, tempfile
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).parents[1]/'tests'))
from conftest import ARGS, BROWSER  # the browser and flags of the browser tests
from test_web import decode_ms, largest_difference
from generate_speed import median_ms  # this folder's timing helper

from cvae_mnist.pretrained import PRETRAINED, load_pretrained
from cvae_mnist.web import save_explorer_page

FRAME_MS = 1000/60


def torch_decode_ms(model, repeats:int) -> float:
    "Median milliseconds of one decode (one code) in PyTorch."
    z, y = torch.full((1, model.latent_dim), 0.3), torch.tensor([4])
    with torch.no_grad(): return median_ms(lambda: torch.sigmoid(model.decode(z, y if model.conditional else None)), repeats)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--models', nargs='+', default=list(PRETRAINED), choices=list(PRETRAINED), help='shipped models to measure')
    p.add_argument('--repeats', type=int, default=50, help='timed decodes (median reported)')
    args = p.parse_args()
    from playwright.sync_api import sync_playwright
    print(f'{BROWSER}, torch {torch.__version__} with {torch.get_num_threads()} threads; one frame = {FRAME_MS:.1f} ms')
    print(f"{'model':<10} {'page':>8} {'max |JS - torch|':>17} {'JS decode':>10} {'/ frame':>8} {'torch decode':>13} {'JS / torch':>11}")
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as d:
        browser = pw.chromium.launch(executable_path=BROWSER, args=ARGS)
        for name in args.models:
            model = load_pretrained(name)
            page = browser.new_page()
            html = save_explorer_page(model, Path(d)/f'{name}.html')
            page.goto(html.as_uri())
            diff, js = largest_difference(page, model), decode_ms(page, model.latent_dim, args.repeats)
            pt = torch_decode_ms(model, args.repeats)
            print(f'{name:<10} {html.stat().st_size/1e6:>6.2f}MB {diff:>17.1e} {js:>8.2f}ms {js/FRAME_MS:>7.2f}x {pt:>11.3f}ms {js/pt:>10.1f}x')
            page.close()
        browser.close()


if __name__ == '__main__': main()
