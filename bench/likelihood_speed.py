"""Burda et al.'s evaluation of the shipped `burda_vae`: -L_5000 over the binarised test set, against its floor, the
decoder's matrix products alone.

    python bench/likelihood_speed.py [--model burda_vae] [--n 200] [--k 5000] [--batch 20] [--threads 2] [--rounds 3]
                                     [--rows 4000 20000]

`iwae_nll(model, k, batch_size, binarize=True)` (what `protocol_evaluation` spends nearly all its time on, in its
batches of 20 images) is timed on the first `--n` images of the evaluation's sample and extrapolated to all 10,000. Baseline in the same run: the decoder's
three matrix products (`torch.addmm`) for the same n*k codes, in the same chunks as `iwae_bound` draws them, with
nothing else: no encoder, no draws, no tanh, no Bernoulli log-likelihood, no log-sum-exp. The ratio says how close the
evaluation is to the limit its arithmetic sets. With `--rows`, the evaluation runs once for each chunk size (decoded
images at a time, `iwae_bound`'s `rows`; default its own), the first being the baseline's. They alternate for
`--rounds` rounds; each one's fastest round is reported.
"""
import argparse, inspect, time

import torch
import torch.nn as nn

from cvae_mnist.evaluate import _draws_per_chunk, _test_sample, iwae_bound
from cvae_mnist.pretrained import load_pretrained


ROWS = inspect.signature(iwae_bound).parameters['rows'].default


def evaluation_s(model, k:int, n:int, batch:int, rows:int=ROWS) -> float:
    "`iwae_nll(model, k, batch_size=batch, binarize=True)` on its first `n` images, `rows` decoded at a time."
    batches = _test_sample(None, 0, batch, binarize=True)  # the images and noise `iwae_nll` draws
    t0 = time.perf_counter()
    for _, (x, y) in zip(range(n//batch), batches):
        iwae_bound(model, x, y if model.conditional else None, k, batches.gen, rows)
    return time.perf_counter() - t0


@torch.no_grad()
def products_s(model, k:int, n:int, batch:int, rows:int=ROWS) -> float:
    "The decoder's matrix products alone for n*k codes, in `iwae_bound`'s chunks."
    linears = [m for m in model.dec if isinstance(m, nn.Linear)]
    step = _draws_per_chunk(batch, rows)  # as `iwae_bound`
    z = torch.randn(step*batch, model.latent_dim)
    t0 = time.perf_counter()
    for _ in range(n//batch):
        for i in range(0, k, step):
            h = z[:min(step, k - i)*batch]
            for m in linears: h = torch.addmm(m.bias, h, m.weight.T)
    return time.perf_counter() - t0


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--model', default='burda_vae')
    p.add_argument('--n', type=int, default=200, help='test images (a multiple of --batch)')
    p.add_argument('--batch', type=int, default=20, help='images at a time')
    p.add_argument('--k', type=int, default=5000)
    p.add_argument('--threads', type=int, default=torch.get_num_threads())
    p.add_argument('--rounds', type=int, default=3)
    p.add_argument('--rows', type=int, nargs='+', default=[ROWS], help='decoded images at a time, each in turn')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    model = load_pretrained(a.model)
    evaluation_s(model, a.k, a.batch, a.batch)  # warm-up
    ev, mm = {r: [] for r in a.rows}, []
    for _ in range(a.rounds):
        for r in a.rows: ev[r].append(evaluation_s(model, a.k, a.n, a.batch, r))
        mm.append(products_s(model, a.k, a.n, a.batch, a.rows[0]))
    scale, base = 10_000/a.n, min(mm)
    print(f'{a.model}, k = {a.k:,}, {a.n} test images in batches of {a.batch}, {a.threads} threads, '
          f'best of {a.rounds}')
    print(f'  matrix products alone        {base:7.2f} s   -> all 10,000 images: {base*scale/60:5.1f} min')
    for r, t in ev.items():
        print(f'  evaluation, rows = {r:6,}    {min(t):7.2f} s   -> all 10,000 images: {min(t)*scale/60:5.1f} min'
              f'   {min(t)/base:5.2f}x the products')


if __name__ == '__main__':
    main()
