"""Burda et al.'s evaluation of the shipped `burda_vae`: -L_5000 over the binarised test set, against its floor, the
decoder's matrix products alone.

    python bench/likelihood_speed.py [--model burda_vae] [--n 200] [--k 5000] [--batch 20] [--threads 2] [--rounds 3]

`iwae_nll(model, k, n, batch_size, binarize=True)` (what `protocol_evaluation` spends nearly all its time on, in its
batches of 20 images) is timed on the first `--n` images of the evaluation's sample and extrapolated to all 10,000. Baseline in the same run: the decoder's
three matrix products (`torch.addmm`) for the same n*k codes, in the same chunks as `iwae_bound` draws them, with
nothing else: no encoder, no draws, no tanh, no Bernoulli log-likelihood, no log-sum-exp. The ratio says how close the
evaluation is to the limit its arithmetic sets. The two alternate for `--rounds` rounds; each one's fastest round is
reported.
"""
import argparse, time

import torch
import torch.nn as nn

from cvae_mnist.evaluate import iwae_nll
from cvae_mnist.pretrained import load_pretrained


def evaluation_s(model, k:int, n:int, batch:int) -> float:
    t0 = time.perf_counter()
    iwae_nll(model, k, n, batch_size=batch, binarize=True)
    return time.perf_counter() - t0


@torch.no_grad()
def products_s(model, k:int, n:int, batch:int, rows:int=20_000) -> float:
    "The decoder's matrix products alone for n*k codes, in `iwae_bound`'s chunks."
    linears = [m for m in model.dec if isinstance(m, nn.Linear)]
    step = max(1, rows//batch)  # draws per chunk, as `_log_weight_chunks`
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
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    model = load_pretrained(a.model)
    evaluation_s(model, a.k, a.batch, a.batch)  # warm-up
    ev, mm = [], []
    for _ in range(a.rounds):
        ev.append(evaluation_s(model, a.k, a.n, a.batch))
        mm.append(products_s(model, a.k, a.n, a.batch))
    scale = 10_000/a.n
    print(f'{a.model}, k = {a.k:,}, {a.n} test images in batches of {a.batch}, {a.threads} threads, '
          f'best of {a.rounds}')
    print(f'  evaluation        {min(ev):7.2f} s   -> all 10,000 images: {min(ev)*scale/60:5.1f} min')
    print(f'  matrix products   {min(mm):7.2f} s   -> all 10,000 images: {min(mm)*scale/60:5.1f} min')
    print(f'  ratio             {min(ev)/min(mm):7.2f}x the products alone')


if __name__ == '__main__':
    main()
