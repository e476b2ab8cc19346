"""Training speed where the user is: the `cvae-mnist train` command against PyTorch's own VAE example, end to end.

    python bench/train_speed.py [--epochs 10] [--repeats 2]

Each run is a fresh process, timed from its start to its exit (cached data in, checkpoint or images out):
- the example: `python bench/vae_example.py --epochs 10 --seed 1` (pytorch/examples vae/main.py, its defaults);
- the project: `cvae-mnist train --model vae --epochs 10 --latent-dim 20 --hidden 400 --batch-size 128 --lr 1e-3
  --seed 1 --valid 1`, the same model and hyperparameters as the example, as a user would write them, and the same
  data: the example trains on all 60,000 images, so the project holds out the fewest it can (one, for its best.pt).
They alternate (example, project, project, example, ...), so a busy host slows both alike; the fastest of each is
reported. Both report the test loss as the negative ELBO per test image with one z each: the example's last
"Test set loss", and for the project its last.pt measured on the test set after the run (not timed). Then one in-process run of the same configuration splits an
epoch into training and the rest (validation pass, checkpoints, grids, history), which must stay under 10%.
"""
import argparse, gzip, os, re, shutil, subprocess, sys, tempfile, time
from pathlib import Path

import torch

from cvae_mnist.data import MNIST_SPLITS, mnist_file

HERE = Path(__file__).parent
COMMAND = ['cvae-mnist', 'train', '--model', 'vae', '--latent-dim', '20', '--hidden', '400', '--batch-size', '128',
           '--lr', '1e-3', '--seed', '1', '--valid', '1']


def torchvision_root() -> Path:
    "A folder laid out as `torchvision.datasets.MNIST` expects (`MNIST/raw/`, uncompressed IDX), from the project's files."
    root = Path(tempfile.mkdtemp(prefix='tv_mnist_')); raw = root/'MNIST'/'raw'; raw.mkdir(parents=True)
    for name in sum(MNIST_SPLITS.values(), ()):
        with gzip.open(mnist_file(name)) as src, open(raw/name.removesuffix('.gz'), 'wb') as dst: shutil.copyfileobj(src, dst)
    return root


def timed(cmd:list, cwd:Path) -> tuple:
    "Run `cmd` in `cwd`; its wall-clock seconds and its stdout (an error if it fails)."
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if r.returncode: sys.exit(f"{' '.join(map(str, cmd))} failed:\n{r.stderr[-2000:]}")
    return time.perf_counter() - t, r.stdout


def run_example(epochs:int, root:Path) -> dict:
    with tempfile.TemporaryDirectory() as d:
        s, out = timed([sys.executable, str(HERE/'vae_example.py'), '--epochs', str(epochs), '--data', str(root)], Path(d))
    return dict(seconds=s, test_loss=float(re.findall(r'====> Test set loss: ([\d.]+)', out)[-1]))


def run_project(epochs:int) -> dict:
    with tempfile.TemporaryDirectory() as d:
        s, _ = timed([*COMMAND, '--epochs', str(epochs), '--out', 'run'], Path(d))
        assert (Path(d)/'run'/'best.pt').exists()
        from cvae_mnist.checkpoint import load_checkpoint
        from cvae_mnist.data import mnist_batches
        from cvae_mnist.vae import evaluate_loss
        model = load_checkpoint(Path(d)/'run'/'last.pt')  # the last epoch, as the example's figure
        loss = evaluate_loss(model, mnist_batches('test', batch_size=1000, device=model.device))['loss']
    return dict(seconds=s, test_loss=loss, settings=None)


def epoch_split(epochs:int) -> dict:
    "Seconds of one in-process run of the same configuration: training, validation passes, and the run folder's files."
    import cvae_mnist.train as T
    from cvae_mnist.checkpoint import build_model
    from cvae_mnist.cli import run_config
    run = run_config(model='vae', epochs=epochs, latent_dim=20, hidden=(400,), batch_size=128, lr=1e-3, seed=1,
                     valid=1)
    sizes, cfg = run.sizes, run.train
    spent = {}
    def clock(name, f):
        def g(*a, **k):
            t = time.perf_counter(); r = f(*a, **k); spent[name] = spent.get(name, 0) + time.perf_counter() - t
            return r
        return g
    for name in ('train_epoch', 'evaluate_loss', '_save_epoch', '_plot'): setattr(T, name, clock(name, getattr(T, name)))
    with tempfile.TemporaryDirectory() as d: T.fit(build_model('VAE', sizes, seed=1), cfg, out=Path(d)/'run', progress=False)
    return spent, cfg


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--epochs', type=int, default=10)
    p.add_argument('--repeats', type=int, default=2, help='runs of each, alternating; the fastest is reported')
    args = p.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {os.cpu_count()} cores, {args.epochs} epochs, "
          f"load average {os.getloadavg()[0]:.1f}")
    root = torchvision_root()
    runs = {'example': [], 'project': []}
    for r in range(args.repeats):
        for name in (('example', 'project') if r % 2 == 0 else ('project', 'example')):
            runs[name].append(run_example(args.epochs, root) if name == 'example' else run_project(args.epochs))
            print(f"  {name:8} {runs[name][-1]['seconds']:6.1f} s, test loss {runs[name][-1]['test_loss']:.2f}", flush=True)
    shutil.rmtree(root)
    ex, pr = (min(runs[k], key=lambda d: d['seconds']) for k in ('example', 'project'))
    print(f"\nend to end (fastest of {args.repeats}): example {ex['seconds']:.1f} s, project {pr['seconds']:.1f} s: "
          f"{ex['seconds']/pr['seconds']:.2f}x faster (target 4x)")
    print(f"test loss (the same runs): example {ex['test_loss']:.2f}, project {pr['test_loss']:.2f} "
          f"({'no worse' if pr['test_loss'] <= ex['test_loss'] else 'WORSE'})")
    spent, cfg = epoch_split(args.epochs)
    rest = spent['evaluate_loss'] + spent['_save_epoch']
    print(f"\nin one process ({cfg.schedule} learning rate, amp={cfg.amp}), over {args.epochs} epochs: training "
          f"{spent['train_epoch']:.2f} s, test passes {spent['evaluate_loss']:.2f} s, checkpoints, grids and history "
          f"{spent['_save_epoch']:.2f} s: an epoch's work besides training is {rest/(rest + spent['train_epoch']):.1%} "
          f"of it (target < 10%); once a run, the loss plot {spent['_plot']:.2f} s")


if __name__ == '__main__': main()
