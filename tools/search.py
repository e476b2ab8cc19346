"""The recipes' search: each shipped recipe beside its variants, trained on the training part and compared on the
validation part (never the test set), two runs at a time on one thread each.

Usage: python tools/search.py [NAME ...]   (default: every recipe; runs/search/ keeps the run folders, and a run that
stops resumes from its last epoch). It writes cvae_mnist/weights/search.json, which the pretrained-models chapter reads.
       python tools/search.py --ship [NAME ...]   ships the search's run of each recipe as it stands in PRETRAINED
(`train_pretrained` on that run folder: a finished run trains no further), so the shipped weights are the search's.
"""
import json, os, sys, time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, replace
from pathlib import Path

# A candidate: what it changes in the recipe (model sizes, or training settings); the empty one is the recipe itself,
# as BASE below gives it. The `vae`'s 320 epochs came later, when 160 had won at the grid's edge
GRID = {
    'conv_cvae': [{}, dict(latent_dim=16), dict(epochs=60)],
    'conv_vae':  [{}, dict(epochs=60)],
    'cvae':      [{}, dict(latent_dim=4), dict(latent_dim=16), dict(hidden=(400,), latent_dim=20), dict(seed=1)],
    'cvae2d':    [{}, dict(epochs=120)],
    'vae':       [{}, dict(epochs=40), dict(epochs=160), dict(schedule='constant'), dict(seed=1), dict(epochs=320)],
}
# The recipes as they stood when this search ran, where PRETRAINED has since changed (by its results): a candidate's
# change is relative to these, so that the search runs again as it ran
BASE = {'vae': dict(epochs=80), 'cvae': dict(latent_dim=8), 'conv_cvae': dict(epochs=40), 'conv_vae': dict(epochs=40)}
# The order of the runs, two at a time: the recipes, longest first; then the variants, the cheap ones first
ORDER = ['conv_cvae', 'conv_vae', 'cvae2d', 'cvae', 'vae']
LATER = ['vae', 'cvae', 'conv_cvae', 'cvae2d', 'conv_vae']
OUT = Path('runs/search')


def tag(change:dict) -> str:
    "A candidate's folder name: what it changes, or 'recipe'."
    words = [f"{k}={'x'.join(map(str, v)) if isinstance(v, tuple) else v}" for k, v in change.items()]
    return '_'.join(words) or 'recipe'


def run_settings(name:str, change:dict) -> tuple:
    "The model config and the recipe's training settings of a candidate (its seed apart)."
    from cvae_mnist.config import PRETRAINED
    r, change = PRETRAINED[name], {**BASE.get(name, {}), **change}
    model_keys = set(asdict(r['model']))
    return (replace(r['model'], **{k: v for k, v in change.items() if k in model_keys}),
            {**r['train'], **{k: v for k, v in change.items() if k not in model_keys and k != 'seed'}})


def run(name:str, change:dict) -> dict:
    "Train recipe `name` with `change` (resuming its folder), and measure what the choice looks at: validation only."
    import torch
    torch.set_num_threads(1)
    from cvae_mnist.checkpoint import build_model, load_checkpoint, read_checkpoint
    from cvae_mnist.classifier import sample_accuracy
    from cvae_mnist.config import PRETRAINED, TrainConfig
    from cvae_mnist.train import fit
    r, seed = PRETRAINED[name], change.get('seed', 0)
    mcfg, train = run_settings(name, change)
    tcfg = TrainConfig(**train, seed=seed, grids_every=0, device='cpu')
    out = OUT/name/tag(change)
    done = out/'result.json'
    if done.exists(): return json.loads(done.read_text())
    t0 = time.perf_counter()
    history = fit(build_model(r['arch'], mcfg, seed=seed), tcfg, out=out, resume=True, progress=False)
    best = read_checkpoint(out/'best.pt')
    res = dict(name=name, change=change, tag=tag(change), model=asdict(mcfg), train=asdict(tcfg),
               best_epoch=best['epoch'], valid_loss=best['history'][-1]['valid_loss'],
               valid_bce=best['history'][-1]['valid_bce'], valid_kl=best['history'][-1]['valid_kl'],
               last_valid_loss=history[-1]['valid_loss'], train_seconds=round(sum(h['seconds'] for h in history), 1),
               seconds_here=round(time.perf_counter() - t0, 1), threads=torch.get_num_threads())
    model = load_checkpoint(out/'best.pt')
    if model.conditional:
        acc = sample_accuracy(model, n=1000)
        res.update(samples_right=acc['overall'], worst_digit=min(acc['per_digit']))
    done.write_text(json.dumps(res, indent=1))
    return res


def collect(path:Path):
    "Every finished candidate into one file, in the grid's order; a candidate not run here keeps the file's row."
    kept = {(r['name'], r['tag']): r for r in (json.loads(path.read_text()) if path.exists() else [])}
    rows = [json.loads(p.read_text()) if (p := OUT/n/tag(c)/'result.json').exists() else kept.get((n, tag(c)))
            for n in GRID for c in GRID[n]]
    rows = [r for r in rows if r is not None]
    path.write_text(json.dumps(rows, indent=1) + '\n')
    return rows


def ship(name:str):
    "Ship the search's run of recipe `name` as PRETRAINED has it now, through `train_pretrained`."
    from cvae_mnist.config import PRETRAINED
    from cvae_mnist.pretrained import train_pretrained
    r = PRETRAINED[name]
    runs = [c for c in GRID[name] if c.get('seed', 0) == 0 and run_settings(name, c) == (r['model'], r['train'])]
    if not runs: raise SystemExit(f"{name}: the search has no run of the recipe {r}")
    ships = OUT/'ship'; ships.mkdir(parents=True, exist_ok=True)
    (ships/name).unlink(missing_ok=True); (ships/name).symlink_to((OUT/name/tag(runs[0])).resolve())
    print(name, train_pretrained(name, out=ships), flush=True)


if __name__ == '__main__':
    if sys.argv[1:2] == ['--ship']:
        for n in sys.argv[2:] or list(GRID): ship(n)
        sys.exit()
    names = sys.argv[1:] or list(GRID)
    jobs = ([(n, {}) for n in ORDER if n in names]
            + [(n, c) for n in LATER if n in names for c in GRID[n] if c])
    os.environ.update(OMP_NUM_THREADS='1', MKL_NUM_THREADS='1')
    with ProcessPoolExecutor(2) as pool:
        for (n, c), res in zip(jobs, pool.map(run, *zip(*jobs))):
            print(n, tag(c), {k: res[k] for k in ('best_epoch', 'valid_loss', 'train_seconds')},
                  {k: res[k] for k in ('samples_right', 'worst_digit') if k in res}, flush=True)
            collect(Path('cvae_mnist/weights/search.json'))
