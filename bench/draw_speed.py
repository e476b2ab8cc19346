"""The drawing pad: milliseconds from a pen stroke to every panel redrawn, per conditional shipped model, in headless
Chromium, against one decode of the same model in the same page, and against the budget of the issue (one frame, 16 ms,
for the MLP models; 50 ms for the convolutional ones).

    python bench/draw_speed.py [--models cvae cvae2d conv_cvae burda_cvae] [--repeats 30]

Each model's pad (`draw_explorer_html(model, models=())`, its parts inline) is opened in headless Chromium (as the tests
drive it: Debian's `chromium`, or CVAE_MNIST_BROWSER) and a "7" is drawn on it with the mouse, which prepares the model
(and, for the 2-D model, decodes its map's grid for the digit read). Then, `--repeats` times, a short stroke is added to
the ink and the pad redrawn (`draw()`: the canvas's ink read, `mnistFormat`, `readDigit`, and the bars, the input and its
reconstruction, the ten rewrites and, for the 2-D model, the map drawn): the median is reported, with its parts timed
apart (`mnistFormat` of the 280 x 280 ink, `readDigit`). The baseline, in the same page: one decode
(`cvaeRuntime.decodeLogits`), median of batches of 5 ms or more (Chromium's clock is coarsened to 0.1 ms). A redraw does
10 encodes and 20 decodes; the pad's pointer events ask for at most one redraw a frame.
"""
import argparse, statistics, sys, tempfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent/'tests'))
from conftest import ARGS, BROWSER  # the browser and flags of the browser tests
from test_web import SEVEN, draw  # the tests' strokes, drawn with the mouse

from cvae_mnist.pretrained import load_pretrained
from cvae_mnist.web import DRAW_MODELS, draw_explorer_html

BUDGET_MS = dict(cvae=16, cvae2d=16, burda_cvae=16, conv_cvae=50)  # the issue's: one frame (MLP), 50 ms (convolutional)

TIME = '''async ([id, name, repeats]) => {
  var e = window.cvaeExplorers[id], r = window.cvaeRuntime, m = await r.load(name);
  var pad = document.querySelector('#' + id + ' canvas.cvae-ink'), ctx = pad.getContext('2d');
  var median = a => a.slice().sort((u, v) => u - v)[Math.floor(a.length/2)];
  var redraw = [], format = [], read = [], t = [], n = 1;
  for (var i = 0; i < repeats; i++) {
    ctx.lineWidth = 18; ctx.lineCap = 'round';                           // a short stroke: new ink
    ctx.beginPath(); ctx.moveTo(200 + i % 10, 200); ctx.lineTo(205 + i % 10, 210 + i % 7); ctx.stroke();
    var t0 = performance.now(); e.draw(); redraw.push(performance.now() - t0);
    var ink = e.ink(), t1 = performance.now(), pixels = r.mnistFormat(ink.ink, ink.width, ink.height);
    var t2 = performance.now(); r.readDigit(m, pixels); read.push(performance.now() - t2); format.push(t2 - t1);
  }
  var z = new Array(m.latent_dim).fill(0.3);
  var batch = () => { var t0 = performance.now(); for (var k = 0; k < n; k++) r.decodeLogits(m, z, 4);
                      return performance.now() - t0; };
  for (var w = 0; w < 3; w++) batch();
  while (batch() < 5) n *= 2;                                            // batches of 5 ms or more
  for (var k = 0; k < 15; k++) t.push(batch()/n);
  return {redraw: median(redraw), format: median(format), read: median(read), decode: median(t)};
}'''


def open_pad(browser, folder, model, name) -> tuple:
    "A new page in `browser` with a pad of shipped model `name` alone (its parts inline, written in `folder`), started."
    frag = draw_explorer_html(model, name=name, models=())
    (Path(folder)/'pad.html').write_text('<!doctype html><html><head><meta charset="utf-8"></head><body>'
                                         + frag + '</body></html>')
    page = browser.new_page(viewport={'width': 1280, 'height': 900})
    page.goto((Path(folder)/'pad.html').as_uri())
    uid = page.evaluate("() => document.querySelector('.cvae-explorer').id")
    page.wait_for_function('id => (window.cvaeExplorers || {})[id]', arg=uid)
    return page, uid


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--models', nargs='+', default=list(DRAW_MODELS), choices=list(DRAW_MODELS))
    p.add_argument('--repeats', type=int, default=30, help='strokes timed (median reported)')
    args = p.parse_args()
    from playwright.sync_api import sync_playwright
    print(f'{BROWSER}; budget: one frame (16 ms) for the MLP models, 50 ms for the convolutional one')
    print(f"{'model':<11} {'stroke->panels':>14} {'/ budget':>9} {'mnistFormat':>12} {'readDigit':>10} "
          f"{'one decode':>11} {'redraw / decode':>16}")
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as d:
        browser = pw.chromium.launch(executable_path=BROWSER, args=ARGS)
        for name in args.models:
            page, uid = open_pad(browser, d, load_pretrained(name), name)
            draw(page, uid, SEVEN)                                       # prepares the model; the map's grid
            t = page.evaluate(TIME, [uid, name, args.repeats])
            print(f"{name:<11} {t['redraw']:>11.1f} ms {t['redraw']/BUDGET_MS[name]:>8.2f}x {t['format']:>9.1f} ms "
                  f"{t['read']:>7.1f} ms {t['decode']:>8.2f} ms {t['redraw']/t['decode']:>15.1f}x")
            page.close()
        browser.close()


if __name__ == '__main__': main()
