"""What watching for a diverging run costs: `train_epoch` with its checks against the same loop without them.

    python bench/finite_check.py [--rounds 6] [--steps 150]

The trainer keeps each step's losses in a tensor on the device and looks at them for a non-finite value every
`CHECK_EVERY` steps and at the end of the epoch (issue 16). The baseline is the loop of before, a copy here: one running
sum of the losses, read once at the end, no look. Both train the 784-400-20 VAE of `bench/train_speed.py` with the
settings of its command (constant learning rate, bfloat16 where the CPU has it, batches of 128) on the first
`--steps`*128 training images, each from the same weights and optimizer state, in alternating turns, so host noise falls
on both; the median and the best turn of each are reported, and their ratio.
"""
import argparse, copy, math, os, statistics, time

import torch

import cvae_mnist.train as T
from cvae_mnist.checkpoint import build_model
from cvae_mnist.cli import run_configs, train_params
from cvae_mnist.data import Batches, load_mnist
from cvae_mnist.vae import vae_loss


def old_train_epoch(run, scaler=None) -> list:
    "The loop before issue 16: a running sum of the losses on the device, read once, never checked."
    model, opt, cfg, batches = run.model, run.opt, run.cfg, run.train
    model.train()
    tot, n = torch.zeros(3, device=model.device), 0
    total = min(cfg.epochs*len(batches), cfg.max_steps or math.inf)
    autocast = T.autocast_for(model.device, cfg.amp)
    for x, y in batches:
        if run.step >= total: break
        for g in opt.param_groups: g['lr'] = T.lr_at(run.step, total, cfg)
        with autocast: logits, mu, logvar = model(x, y)
        beta = T.kl_weight(run.step, len(batches), cfg)
        loss, bce, kl = vae_loss(logits.float(), mu.float(), logvar.float(), x, beta)
        opt.zero_grad(set_to_none=True)
        if scaler is None: loss.backward(); opt.step()
        else: scaler.scale(loss).backward(); scaler.step(opt); scaler.update()
        tot += torch.stack([bce + kl, bce, kl]).detach()*len(x); n += len(x); run.step += 1
    return (tot/max(n, 1)).tolist()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--rounds', type=int, default=6, help='turns of each loop, alternating')
    p.add_argument('--steps', type=int, default=150, help='steps of a turn (an epoch of that many batches)')
    args = p.parse_args()
    sizes, cfg = run_configs(train_params(model='vae', epochs=10, latent_dim=20, hidden=(400,), batch_size=128,
                                          lr=1e-3, seed=1))
    model = build_model('VAE', sizes, seed=1)
    x, y = load_mnist('train')
    batches = Batches(x[:128*args.steps], y[:128*args.steps], batch_size=128, seed=1)
    start = T.Run(model, cfg, T.adam(model.parameters(), cfg.lr), batches, None)
    T.train_epoch(start)  # warm-up, and a trained state to start every turn from
    state = copy.deepcopy((model.state_dict(), start.opt.state_dict()))
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads, amp={cfg.amp}, {args.steps} steps a turn, '
          f'a look every {T.CHECK_EVERY}; load average {os.getloadavg()[0]:.2f} at the start')
    times = {'without checks': [], 'with checks': []}
    for r in range(args.rounds):
        for name, loop in (('without checks', old_train_epoch), ('with checks', T.train_epoch))[::(-1)**r]:
            model.load_state_dict(state[0]); start.opt.load_state_dict(state[1]); start.step = args.steps
            t = time.perf_counter(); loop(start); times[name].append(time.perf_counter() - t)
    for f in (statistics.median, min):
        a, b = f(times['without checks']), f(times['with checks'])
        print(f'{f.__name__:6}: without checks {a*1e3/args.steps:.3f} ms a step, with {b*1e3/args.steps:.3f}: '
              f'the checks cost {b/a - 1:+.2%}')
    print(f'load average {os.getloadavg()[0]:.2f} at the end')


if __name__ == '__main__': main()
