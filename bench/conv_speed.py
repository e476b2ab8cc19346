"""How much faster do the convolutional models train on their fast path (label maps) than on their plain one?
Both interleaved, one process.

    python bench/conv_speed.py [--threads 2] [--steps 20] [--rounds 4] [--amp]
    python bench/conv_speed.py --loss [--epochs 3] [--subset 20000] [--seeds 0 1]

The baseline is `ConvVAE`'s plain path (`fast = False`): the one-hot labels appended with `with_label` to the input of
every layer, the feature maps in PyTorch's default (NCHW) layout. The fast path is the default (label maps,
channels_last on the CPU). Both are the shipped model with its weights, running the trainer's step (forward, under
`autocast_for` with `--amp`, `vae_loss` in float32, backward, the fused `adam`) on real training batches of 128. Each
variant times `--steps` steps in turn, `--rounds` times (ABAB...), so host noise falls on all of them; an epoch is the
time of a step times 469 (60,000 / 128), the median and the best of the turns. On a shared machine read the best: a
turn that another process's burst lands on can be ten times slower with 2 threads on 2 cores (OpenMP threads wait on
each other). Not measured: the validation pass. bench/README.md records the study against the model of before issue 13
(its copy is in this script in git at 36d8424).

`--loss` asks instead whether bfloat16 keeps the loss: each model trained from scratch by `fit` (the recipe's cosine
schedule, shortened to `--epochs` on the first `--subset` training images), in float32 and under bfloat16 autocast, the
test loss after each epoch.
"""
import argparse, itertools, math, os, platform, statistics, time

import torch

from cvae_mnist.data import Batches, load_mnist
from cvae_mnist.checkpoint import build_model
from cvae_mnist.config import TrainConfig
from cvae_mnist.pretrained import PRETRAINED, load_pretrained
from cvae_mnist.train import adam, autocast_for, fit
from cvae_mnist.vae import vae_loss


def stepper(name:str, plain:bool, amp:bool, batches):
    "A function running the next training step of shipped model `name`, on its plain path or its fast one."
    model = load_pretrained(name)
    model.fast = not plain
    model.train()
    opt, autocast, it = adam(model.parameters(), 1e-3), autocast_for(model.device, amp), itertools.cycle(batches)
    def step():
        x, y = next(it)
        with autocast: logits, mu, logvar = model(x, y)
        loss = vae_loss(logits.float(), mu.float(), logvar.float(), x)[0]
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return step


def cpu_name() -> str:
    "The CPU's model name (Linux), else the platform's."
    try: return next(l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name'))
    except (OSError, StopIteration): return platform.processor() or platform.machine()


def losses(name:str, epochs:int, subset:int, seeds:list):
    "Validation losses after each epoch of short runs of model `name` from scratch, float32 against bfloat16."
    for seed in seeds:
        for amp in (False, True):
            model, t = build_model(PRETRAINED[name]['arch'], PRETRAINED[name]['model'], seed=seed), time.perf_counter()
            hist = fit(model, TrainConfig(epochs=epochs, schedule='cosine', amp=amp, seed=seed, train_subset=subset),
                       progress=False)
            valid = ' '.join(f"{h['valid_loss']:.2f}" for h in hist)
            print(f"{name:9s} seed {seed} {'bfloat16' if amp else 'float32':8s}: validation loss after each epoch {valid} "
                  f'({time.perf_counter() - t:.0f} s)', flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--steps', type=int, default=20, help='steps timed per turn')
    p.add_argument('--rounds', type=int, default=4, help='turns per variant, interleaved')
    p.add_argument('--amp', action='store_true', help='also time both under bfloat16 autocast (the trainer\'s amp=True)')
    p.add_argument('--models', nargs='+', default=['conv_vae', 'conv_cvae'])
    p.add_argument('--loss', action='store_true', help='short training runs, float32 against bfloat16, instead')
    p.add_argument('--epochs', type=int, default=3)
    p.add_argument('--subset', type=int, default=20_000)
    p.add_argument('--seeds', type=int, nargs='+', default=[0])
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    if args.loss:
        for name in args.models: losses(name, args.epochs, args.subset, args.seeds)
        return
    x, y = load_mnist('train')
    batches = list(Batches(x[:128*50], y[:128*50], batch_size=128, seed=0))
    print(f'{cpu_name()}, torch {torch.__version__}, {torch.get_num_threads()} threads, '
          f'load average {os.getloadavg()[0]:.2f} at the start')
    per_epoch = math.ceil(60_000/128)
    for name in args.models:
        variants = {(amp, plain): stepper(name, plain, amp, batches)
                    for amp in ([False, True] if args.amp else [False]) for plain in (True, False)}
        times = {k: [] for k in variants}
        for step in variants.values():
            for _ in range(3): step()  # warm-up
        for _ in range(args.rounds):
            for k, step in variants.items():
                t = time.perf_counter()
                for _ in range(args.steps): step()
                times[k].append((time.perf_counter() - t)/args.steps*per_epoch)
        base = {f: f(times[(False, True)]) for f in (statistics.median, min)}
        for (amp, plain), ts in times.items():
            med, best = statistics.median(ts), min(ts)
            print(f"{name:9s} {'bfloat16' if amp else 'float32':8s} {'plain' if plain else 'fast'}: median {med:6.1f} s/epoch "
                  f"({base[statistics.median]/med:.2f}x the plain float32), best {best:6.1f} "
                  f"({base[min]/best:.2f}x); turns {' '.join(f'{t:.1f}' for t in ts)}")
    print(f'load average {os.getloadavg()[0]:.2f} at the end')


if __name__ == '__main__': main()
