"""Peak resident memory of training and of generation, each in a fresh process, against a bare `import torch`.

    python bench/memory.py [--epochs 2]

Each job runs in a child process that prints its own peak resident set size (`resource.getrusage(RUSAGE_SELF).ru_maxrss`).
Training is measured for the project's trainer and for PyTorch's VAE example (vae_example.py).
"""
import argparse, subprocess, sys
from pathlib import Path

JOBS = {
    'import torch (baseline)': "import torch",
    'generate 64 digits (cvae)': """
from cvae_mnist.pretrained import load_pretrained
import torch
load_pretrained('cvae').sample(y=torch.arange(10).repeat(7)[:64], seed=0)""",
    'train, project (fit)': """
from cvae_mnist.config import TrainConfig
from cvae_mnist.train import fit
from cvae_mnist.vae import VAE
fit(VAE(), TrainConfig(epochs=EPOCHS, grids_every=0), progress=False)""",
    'train, PyTorch example': """
import os, runpy, shutil, sys, tempfile
from train_speed import torchvision_root
root, script = torchvision_root(), os.path.abspath('vae_example.py'); os.chdir(tempfile.mkdtemp())
sys.argv = [script, '--epochs', 'EPOCHS', '--data', str(root)]
runpy.run_path(script, run_name='__main__'); shutil.rmtree(root)""",
}
PEAK = """
import resource, sys
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(peak/2**20 if sys.platform == 'darwin' else peak/2**10)  # bytes on macOS, KiB on Linux: MiB"""


def peak_mib(code:str) -> float:
    "Peak RSS in MiB of a fresh Python process that runs `code`."
    res = subprocess.run([sys.executable, '-c', code + PEAK], check=True, capture_output=True, text=True,
                         cwd=Path(__file__).parent)
    return float(res.stdout.split()[-1])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--epochs', type=int, default=2, help='epochs of the training runs')
    args = p.parse_args()
    base = None
    for name, code in JOBS.items():
        mib = peak_mib(code.replace('EPOCHS', str(args.epochs)))
        base = base or mib
        extra = '' if mib == base else f'  (+{mib - base:.0f} MiB over import torch)'
        print(f"{name:28s} peak RSS {mib:7.0f} MiB{extra}", flush=True)


if __name__ == '__main__': main()
