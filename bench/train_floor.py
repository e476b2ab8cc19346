"""How fast could the 10-epoch command of `train_speed.py` be on this machine? The parts no trainer can skip, measured.

    python bench/train_floor.py [--steps 400]

Issue 13 asks for the command 4x faster than PyTorch's example end to end. This script measures the floor under any
eager PyTorch trainer of that model and batch size:
- a fresh process's `import torch`, and the `torch._dynamo` import that the first `torch.optim` optimizer triggers
  (its methods are wrapped by `torch._disable_dynamo`, which imports dynamo on first call), each in a new interpreter;
- the leanest training step of the 784-400-20 VAE on a batch of 128: two `nn.Sequential` MLPs, the loss written out,
  fused Adam, matrix products in bfloat16 through oneDNN where the CPU has it (`torch.backends.mkldnn.matmul
  .fp32_precision = 'bf16'`, the CPU's TF32), no trainer around it; and the same step with forward and backward compiled
  by `torch.compile` (compile time not counted);
- the project's step as `train_epoch` runs it, for comparison;
then adds them up for 4,690 steps (10 epochs of 469) and sets the sum against a time for the example (`--example`,
default the last one measured by `train_speed.py`, 48.8 s).
"""
import argparse, subprocess, sys, time

import torch
import torch.nn as nn
import torch.nn.functional as F


def fresh(module:str, after:str='') -> float:
    "Seconds a new interpreter takes to import `module` once it has imported `after` (the fastest of three)."
    code = (f"import time{', ' + after if after else ''}; t = time.perf_counter(); import {module}; "
            "print(time.perf_counter() - t)")
    return min(float(subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout)
               for _ in range(3))


def lean_step(compiled:bool):
    "The leanest step of the example's model: forward, loss, backward, fused Adam."
    torch.manual_seed(0)
    enc = nn.Sequential(nn.Linear(784, 400), nn.ReLU(), nn.Linear(400, 40))
    dec = nn.Sequential(nn.Linear(20, 400), nn.ReLU(), nn.Linear(400, 784))
    opt = torch.optim.Adam([*enc.parameters(), *dec.parameters()], 1e-3, fused=True)
    x = torch.rand(128, 784)
    def loss_of(x):
        mu, logvar = enc(x).chunk(2, 1)
        z = mu + (0.5*logvar).exp()*torch.randn_like(mu)
        kl = 0.5*(mu.pow(2) + logvar.exp() - 1 - logvar).sum()
        return (F.binary_cross_entropy_with_logits(dec(z), x, reduction='sum') + kl)/len(x)
    f = torch.compile(loss_of) if compiled else loss_of
    def step():
        loss = f(x); opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
    return step


def project_steps(k:int=50):
    "`k` steps of the project's trainer (`train_epoch` over `k` batches of 128 random digits), the command's settings."
    import cvae_mnist.train as T
    from cvae_mnist.checkpoint import build_model
    from cvae_mnist.cli import run_config
    from cvae_mnist.data import Batches
    run_cfg = run_config(model='vae', epochs=10, latent_dim=20, hidden=(400,), batch_size=128, lr=1e-3, seed=1)
    sizes, cfg = run_cfg.sizes, run_cfg.train
    model = build_model('VAE', sizes, seed=1)
    images = torch.randint(0, 256, (128*k, 28, 28), dtype=torch.uint8)
    run = T.Run(model, cfg, T.adam(model.parameters(), cfg.lr), Batches(images, torch.zeros(128*k, dtype=torch.long)), None)
    def steps():
        run.step = 0; T.train_epoch(run)
    return steps


def per_step(step, n:int, k:int=1) -> float:
    "Seconds per step of `step`, a function taking `k` steps: the best of three runs of `n` steps after a warm-up."
    for _ in range(max(20//k, 1)): step()
    best = float('inf')
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(max(n//k, 1)): step()
        best = min(best, (time.perf_counter() - t)/(max(n//k, 1)*k))
    return best


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--steps', type=int, default=400)
    p.add_argument('--example', type=float, default=48.8, help="the example's time end to end, seconds")
    args = p.parse_args()
    imp, dyn = fresh('torch'), fresh('torch._dynamo', after='torch')
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads')
    print(f'import torch {imp:.2f} s; the torch._dynamo import of the first optimizer {dyn:.2f} s')
    steps = {}
    for precision in ('ieee', 'bf16'):
        torch.backends.mkldnn.matmul.fp32_precision = precision
        steps[f'lean, matrix products {precision}'] = per_step(lean_step(False), args.steps)
    steps['lean, bf16, torch.compile'] = per_step(lean_step(True), args.steps)
    torch.backends.mkldnn.matmul.fp32_precision = 'none'
    steps["the project's step (train_epoch, autocast)"] = per_step(project_steps(50), args.steps, 50)
    for name, s in steps.items():
        floor = imp + dyn + 4690*s
        print(f'{name:44} {s*1e3:5.2f} ms a step; 4,690 steps + imports = {floor:5.1f} s: '
              f'at most {args.example/floor:.2f}x the example ({args.example} s) before data, test passes and files')


if __name__ == '__main__': main()
