"""The in-browser decoder of every shipped model: largest difference from PyTorch, and the time of one decode against
the same decode in PyTorch and against one frame.

    python bench/web_decode.py [--models cvae2d conv_cvae ...] [--repeats 50]

Each model's standalone explorer page (`save_explorer_page`) is opened in headless Chromium (as the tests drive it:
Debian's `chromium`, or CVAE_MNIST_BROWSER); `window.cvaeDecode`'s logits are compared with the model's decoder in
PyTorch on random codes for every digit. Baselines in the same run: one frame at 60 Hz (16.7 ms), the budget for
redrawing as a slider moves, and the same decode in PyTorch in this process (one code, CPU).

One decode is timed after the page's first draw and a warm-up: `--repeats` samples, each the mean of a batch of decodes
lasting 5 ms or more (Chromium's clock is coarsened to 0.1 ms); medians are reported. The study against the decoder of
before issue 13 is recorded in bench/README.md (its script and that decoder are in git at 36d8424).
"""
import argparse, statistics, sys, tempfile
from pathlib import Path

import torch

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent/'tests'))
from conftest import ARGS, BROWSER  # the browser and flags of the browser tests
from test_web import largest_difference
from generate_speed import median_ms  # this folder's timing helper

from cvae_mnist.config import PRETRAINED
from cvae_mnist.pretrained import load_pretrained
from cvae_mnist.web import save_explorer_page

FRAME_MS = 1000/60

TIME = '''([D, repeats]) => {
  var z = new Array(D).fill(0.3), n = 1, t = [];
  var batch = function () {
    var t0 = performance.now();
    for (var i = 0; i < n; i++) window.cvaeDecode(z, 4);
    return performance.now() - t0;
  };
  for (var w = 0; w < 5; w++) batch();                                   // warm-up
  while (batch() < 5) n *= 2;                                            // batches of 5 ms or more
  for (var r = 0; r < repeats; r++) t.push(batch()/n);
  return t;
}'''


def torch_decode_ms(model, repeats:int) -> float:
    "Median milliseconds of one decode (one code) in PyTorch."
    z, y = torch.full((1, model.latent_dim), 0.3), torch.tensor([4])
    y = y if model.conditional else None
    with torch.no_grad(): return median_ms(lambda: torch.sigmoid(model.decode(z, y)), repeats)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--models', nargs='+', default=list(PRETRAINED), choices=list(PRETRAINED),
                   help='shipped models to measure')
    p.add_argument('--repeats', type=int, default=50, help='timed batches (median reported)')
    args = p.parse_args()
    from playwright.sync_api import sync_playwright
    print(f'{BROWSER}, torch {torch.__version__} with {torch.get_num_threads()} threads; '
          f'one frame = {FRAME_MS:.1f} ms')
    print(f"{'model':<10} {'page':>8} {'logits |JS - torch|':>19} {'JS decode':>10} {'/ frame':>8} "
          f"{'torch':>8} {'JS / torch':>11}")
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as d:
        browser = pw.chromium.launch(executable_path=BROWSER, args=ARGS)
        for name in args.models:
            model = load_pretrained(name)
            page = browser.new_page()
            html = save_explorer_page(model, Path(d)/f'{name}.html')
            page.goto(html.as_uri())
            diff = largest_difference(page, model)
            js = statistics.median(page.evaluate(TIME, [model.latent_dim, args.repeats]))
            pt = torch_decode_ms(model, args.repeats)
            print(f'{name:<10} {html.stat().st_size/1e6:>6.2f}MB {diff:>19.1e} {js:>8.2f}ms '
                  f'{js/FRAME_MS:>7.2f}x {pt:>6.3f}ms {js/pt:>10.1f}x')
            page.close()
        browser.close()


if __name__ == '__main__': main()
