"""The in-browser decoder of every shipped model: largest difference from PyTorch, and the time of one decode against
the decoder of before issue 13, timed in the same page.

    python bench/web_decode.py [--models cvae2d conv_cvae ...] [--repeats 50]

Each model's standalone explorer page (`save_explorer_page`) is opened in headless Chromium (as the tests drive it:
Debian's `chromium`, or CVAE_MNIST_BROWSER); `window.cvaeDecode`'s logits are compared with the model's decoder in PyTorch
on random codes for every digit. Baselines in the same run: the previous decoder, `web_decode_baseline.js` beside this
script, added to the same page and built from the same model spec (also compared with PyTorch, on its probabilities:
it returns no logits); one frame at 60 Hz (16.7 ms),
the budget for redrawing as a slider moves; and the same decode in PyTorch in this process (one code, CPU).

One decode is timed after the page's first draw and a warm-up of both decoders: `--repeats` samples, each the mean of
a batch of decodes lasting 5 ms or more (Chromium's clock is coarsened to 0.1 ms), the new decoder's
and the baseline's batches alternating so that noise on the host falls on both; medians are reported.
"""
import argparse, statistics, sys, tempfile
from pathlib import Path

import torch

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent/'tests'))
from conftest import ARGS, BROWSER  # the browser and flags of the browser tests
from test_web import largest_difference, torch_logits
from generate_speed import median_ms  # this folder's timing helper

from cvae_mnist.pretrained import PRETRAINED, load_pretrained
from cvae_mnist.web import save_explorer_page

FRAME_MS = 1000/60

# In the page: the baseline decoder from the page's own model spec, then alternating batches of the two decoders.
SETUP = '''() => {
  var spec = JSON.parse(document.querySelector('.cvae-model').textContent);
  window.cvaeBaselineDecode = window.cvaeBaselineDecoder(spec);
}'''
TIME = '''([D, repeats]) => {
  var z = new Array(D).fill(0.3), fns = [window.cvaeDecode, window.cvaeBaselineDecode], n = 1, t = [[], []];
  var batch = function (f) { var t0 = performance.now(); for (var i = 0; i < n; i++) f(z, 4); return performance.now() - t0; };
  for (var w = 0; w < 5; w++) fns.forEach(batch);                          // warm-up
  while (batch(fns[0]) < 5) n *= 2;                                        // batches of 5 ms or more
  for (var r = 0; r < repeats; r++) for (var k = 0; k < 2; k++) {
    var f = (r % 2) ? 1 - k : k;                                           // ABBA: each goes first half the time
    t[f].push(batch(fns[f])/n);
  }
  return t;
}'''


def baseline_difference(page, model, n_per_digit=5, seed=0) -> float:
    "Largest |baseline - torch| of the probabilities, which is all the baseline returns, on `largest_difference`'s codes."
    z = torch.randn(10*n_per_digit, model.latent_dim, generator=torch.Generator().manual_seed(seed))*1.5
    y = torch.arange(10).repeat(n_per_digit)
    got = page.evaluate('([zs, ds]) => zs.map((z, i) => window.cvaeBaselineDecode(z, ds[i]))', [z.tolist(), y.tolist()])
    return (torch.tensor(got, dtype=torch.float64) - torch_logits(model, z, y).sigmoid()).abs().max().item()


def torch_decode_ms(model, repeats:int) -> float:
    "Median milliseconds of one decode (one code) in PyTorch."
    z, y = torch.full((1, model.latent_dim), 0.3), torch.tensor([4])
    with torch.no_grad(): return median_ms(lambda: torch.sigmoid(model.decode(z, y if model.conditional else None)), repeats)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--models', nargs='+', default=list(PRETRAINED), choices=list(PRETRAINED), help='shipped models to measure')
    p.add_argument('--repeats', type=int, default=50, help='timed batches of each decoder (median reported)')
    args = p.parse_args()
    from playwright.sync_api import sync_playwright
    print(f'{BROWSER}, torch {torch.__version__} with {torch.get_num_threads()} threads; one frame = {FRAME_MS:.1f} ms')
    print(f"{'model':<10} {'page':>8} {'logits |JS - torch|':>17} {'baseline p':>9} {'JS decode':>10} {'baseline':>9} "
          f"{'speed-up':>9} {'/ frame':>8} {'torch':>8} {'JS / torch':>11}")
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as d:
        browser = pw.chromium.launch(executable_path=BROWSER, args=ARGS)
        for name in args.models:
            model = load_pretrained(name)
            page = browser.new_page()
            html = save_explorer_page(model, Path(d)/f'{name}.html')
            page.goto(html.as_uri())
            page.add_script_tag(path=str(HERE/'web_decode_baseline.js'))
            page.evaluate(SETUP)
            diff, base_diff = largest_difference(page, model), baseline_difference(page, model)
            new, old = (statistics.median(t) for t in page.evaluate(TIME, [model.latent_dim, args.repeats]))
            pt = torch_decode_ms(model, args.repeats)
            print(f'{name:<10} {html.stat().st_size/1e6:>6.2f}MB {diff:>17.1e} {base_diff:>9.1e} {new:>8.2f}ms '
                  f'{old:>7.2f}ms {old/new:>8.2f}x {new/FRAME_MS:>7.2f}x {pt:>6.3f}ms {new/pt:>10.1f}x')
            page.close()
        browser.close()


if __name__ == '__main__': main()
