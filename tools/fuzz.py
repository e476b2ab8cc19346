"""Fuzz the project's readers of outside bytes: mutated files, each read as a user's would be, and what came of it.

Usage: python tools/fuzz.py [idx] [checkpoint] [yaml] [-n 20000] [--seed 0] [--show 5]   (default: all three)

The readers are `read_idx` (MNIST's IDX files, gzipped or not), `load_checkpoint` and resuming a run from `last.pt`
(`cvae_mnist.train._resume`), and `run_config` (a `--config` YAML file, as `cvae-mnist train` reads it). Each case
writes one mutated file, reads it in this process and counts what came of it:

  refused     the reader's own error: IDXError, CheckpointError, or ValueError for a config file
  loaded      a result whose every number is finite (an array, a model and its samples, a resumed optimizer that
              takes a step, a run's settings)
  non-finite  a result holding NaN or infinity: a failure
  other       any other exception: a failure

with the slowest file (in seconds on the clock, and of CPU: the clock also counts other processes' turns) and the most
memory one file took (the peak resident memory while reading it, above what the process held before: Linux's VmHWM,
reset before each file). The mutations start from small files made here, and the shipped `cvae.pt`, so no data need be
downloaded: byte flips, truncations, insertions and interesting values anywhere; headers, gzip wrappers and
decompression bombs for IDX; missing keys, wrong types, shapes and dtypes, NaN and infinite tensors, absurd configs,
zip bombs, foreign and unsafe pickles, and broken optimizer states, histories and random states for checkpoints; odd
values, keys, types, aliases, nesting and bytes for YAML. tests/test_fuzz.py runs 400, 120 and 250 cases with seed 0;
the same seed and size give the same files.
"""
import argparse, collections, contextlib, copy, gzip, io, math, os, random, re, signal, struct, sys, tempfile, time
import warnings, zipfile
from pathlib import Path

import numpy as np
import torch

from cvae_mnist.checkpoint import CheckpointError, build_model, load_checkpoint
from cvae_mnist.cli import PARAMS, run_config
from cvae_mnist.config import ConvCVAEConfig, TrainConfig, VAEConfig
from cvae_mnist.conv import ConvCVAE
from cvae_mnist.data import Batches, IDXError, idx_bytes, read_idx
from cvae_mnist.train import HISTORY_KEYS, Run, _resume, _save_epoch, _write_folder, adam, train_epoch
from cvae_mnist.vae import VAE

ROOT = Path(__file__).resolve().parents[1]
INTERESTING = [0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 10**6, 60_000]


# ---- measuring one read -----------------------------------------------------------------------------------------

def _kb(field:str) -> int:
    "A memory figure of this process from /proc/self/status, in kB (0 where there is none)."
    try: return int(re.search(rf'{field}:\s+(\d+)', Path('/proc/self/status').read_text())[1])
    except (OSError, TypeError): return 0

class Slow(Exception):
    "A read that took longer than the fuzzer waits for one file."

def _alarm(signum, frame): raise Slow('still reading after the time allowed for one file')

def measured(read, path, timeout:float=20.0):
    ("`read(path)`: (its result or exception, wall seconds, CPU seconds, MB of peak resident memory above what the "
     "process held before); a read still running after `timeout` seconds is stopped with `Slow` where Python runs.")
    with contextlib.suppress(OSError): Path('/proc/self/clear_refs').write_text('5')  # reset the peak to now
    before, t, cpu = _kb('VmRSS'), time.perf_counter(), time.process_time()
    old = signal.signal(signal.SIGALRM, _alarm); signal.setitimer(signal.ITIMER_REAL, timeout)
    try: out = read(path)
    except Exception as e: out = e
    finally: signal.setitimer(signal.ITIMER_REAL, 0); signal.signal(signal.SIGALRM, old)
    return out, time.perf_counter() - t, time.process_time() - cpu, max(0, _kb('VmHWM') - before)/1024


# ---- mutations of bytes, for every reader --------------------------------------------------------------------------

def mutate_bytes(rng:random.Random, b:bytes) -> tuple:
    "One random byte-level change of `b`: (new bytes, what was done)."
    b, n = bytearray(b), len(b)
    i = rng.randrange(n) if n else 0
    op = rng.choice(['flip', 'flip', 'set', 'truncate', 'truncate', 'insert', 'delete', 'repeat', 'append',
                     'zeros', 'interesting', 'empty', 'random'])
    if op == 'flip':
        for _ in range(rng.choice([1, 1, 2, 4, 16])):
            if n: b[rng.randrange(n)] ^= 1 << rng.randrange(8)
    elif op == 'set' and n: b[i] = rng.randrange(256)
    elif op == 'truncate': b = b[:rng.randrange(n + 1)]
    elif op == 'insert': b[i:i] = rng.randbytes(rng.choice([1, 4, 64, 4096]))
    elif op == 'delete': del b[i:i + rng.choice([1, 4, 64, 4096])]
    elif op == 'repeat': b[i:i] = b[i:i + rng.choice([4, 64, 4096])]*rng.choice([1, 2, 100])
    elif op == 'append': b += rng.choice([b'\0', b'\n', rng.randbytes(64), bytes(b[:64])])
    elif op == 'zeros': j = min(n, i + rng.choice([4, 64, 4096])); b[i:j] = bytes(j - i)
    elif op == 'interesting' and n >= 4:
        i = rng.randrange(n - 3); b[i:i + 4] = struct.pack(rng.choice('<>') + 'I', rng.choice(INTERESTING))
    elif op == 'empty': b = bytearray()
    elif op == 'random': b = bytearray(rng.randbytes(rng.choice([1, 16, n or 1])))
    return bytes(b), op


# ---- IDX --------------------------------------------------------------------------------------------------------

def idx_seeds(rng:random.Random) -> list:
    "Small well-formed IDX arrays of every element type, MNIST's shapes among them."
    g = np.random.default_rng(0)
    return [g.integers(0, 256, (20, 28, 28), dtype=np.uint8), g.integers(0, 10, 20, dtype=np.uint8),
            g.integers(-128, 128, 7, dtype=np.int8), g.integers(-999, 999, (3, 5), dtype=np.int16),
            g.integers(-10**6, 10**6, 4, dtype=np.int32), g.standard_normal((2, 3, 4)).astype(np.float32),
            g.standard_normal(6)]

def idx_case(rng:random.Random, seeds:list) -> tuple:
    "(bytes of one mutated IDX file, what was done)."
    a = seeds[rng.randrange(len(seeds))]
    raw, ndim = bytearray(idx_bytes(a)), a.ndim
    kind = rng.choice(['header', 'header', 'data', 'bytes', 'bytes', 'bomb', 'nonfinite', 'gzip-bytes', 'nested'])
    if kind == 'header':
        what = rng.choice(['code', 'ndim', 'dim', 'zeros'])
        if what == 'code': raw[2] = rng.choice([rng.randrange(256), 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E])
        elif what == 'ndim': raw[3] = rng.choice([0, 1, 2, 3, 4, 255, rng.randrange(256)])
        elif what == 'dim': j = 4 + 4*rng.randrange(ndim); raw[j:j + 4] = struct.pack('>I', rng.choice(INTERESTING))
        else: raw[rng.randrange(2)] = rng.randrange(1, 256)
    elif kind == 'data' and len(raw) > 4 + 4*ndim:
        j = rng.randrange(4 + 4*ndim, len(raw)); raw[j] = rng.randrange(256); what = 'a data byte'
    elif kind == 'bytes': raw, what = mutate_bytes(rng, bytes(raw))
    elif kind == 'nonfinite' and a.dtype.kind == 'f':
        j = 4 + 4*ndim + a.itemsize*rng.randrange(a.size)
        raw[j:j + a.itemsize] = np.array(rng.choice([np.nan, np.inf, -np.inf]), a.dtype.newbyteorder('>')).tobytes()
        what = 'NaN or infinity'
    elif kind == 'bomb':  # a small gzip file that inflates to a lot, with a header that says so, or one that lies
        n, noise = rng.choice([1 << 20, 8 << 20]), rng.random() < 0.3  # noise: no smaller gzipped, the bound is loose
        claim = rng.choice([n, n + 1, n//2] + [n*400, 2**32 - 1]*(not noise) + [n*100]*noise)
        body = rng.randbytes(n//8) if noise else bytes(n)
        what = f"bomb: {len(body):,} {'random' if noise else 'zero'} bytes, the header claiming {claim:,}"
        return gzip.compress(struct.pack('>HBBI', 0, 0x08, 1, claim) + body, 1), what
    elif kind == 'nested': return gzip.compress(gzip.compress(bytes(raw))), 'gzip of gzip'
    else: what = 'unchanged'
    raw = bytes(raw)
    if kind == 'gzip-bytes': return mutate_bytes(rng, gzip.compress(raw))[0], 'gzip, then its bytes changed'
    return (gzip.compress(raw), f'{kind} ({what}), gzipped') if rng.random() < 0.5 else (raw, f'{kind} ({what})')

def idx_reader():
    "The IDX fuzzer: seeds, a case maker, the reader, its error, and whether a result is finite."
    def finite(a): return a.dtype.kind != 'f' or bool(np.isfinite(a).all())
    return dict(seeds=idx_seeds, case=idx_case, read=read_idx, error=IDXError, finite=finite, suffix='.idx')


# ---- checkpoints ------------------------------------------------------------------------------------------------

def tiny_runs(d:Path) -> dict:
    "The `last.pt` of two small runs made here, no data needed: an MLP VAE and a conditional conv VAE, two epochs each."
    g = torch.Generator().manual_seed(0)
    x, y = torch.randint(0, 256, (64, 28, 28), dtype=torch.uint8, generator=g), torch.randint(0, 10, (64,), generator=g)
    runs = {}
    for name, model in (('vae', VAE(VAEConfig(hidden=(16,), latent_dim=2))),
                        ('conv', ConvCVAE(ConvCVAEConfig(channels=(4, 8), latent_dim=2)))):
        cfg = TrainConfig(epochs=2, grids_every=0, device='cpu', amp=False)
        run = Run(model, cfg, adam(model.parameters(), cfg.lr), Batches(x, y, 16), Batches(x, y, 64, False), d/name)
        run.out.mkdir(parents=True)
        for epoch in (1, 2):  # as `fit` does, without its validation pass and plot
            losses = train_epoch(run)
            run.epoch = epoch
            run.history.append({**dict.fromkeys(HISTORY_KEYS, 0.0), 'epoch': epoch, 'step': run.step,
                                'train_loss': losses[0], 'valid_loss': losses[0]})
            _save_epoch(run)
        runs[name] = d/name/'last.pt'
    return runs

def junk(rng:random.Random):
    "A value of the wrong kind: nothing, numbers out of range, text, containers, deep or long ones, a tensor."
    deep = []
    for _ in range(rng.choice([10, 2000])): deep = [deep]
    return rng.choice([None, True, -1, 0, 10**9, 10**18, 2**70, 0.5, math.nan, math.inf, -math.inf, 'x', 'x'*10**5,
                       '', [], [1, 2], (), (0,), {}, {'a': 1}, deep, [1]*10**5, torch.zeros(2), torch.tensor(math.nan),
                       b'bytes', 3+4j, {1, 2}])

def bad_tensor(rng:random.Random, t:torch.Tensor) -> torch.Tensor:
    "`t` changed in shape, dtype, kind or values."
    how = rng.choice(['shape', 'dtype', 'nan', 'big', 'meta', 'sparse', 'expand', 'empty', 'noncontiguous', 'neg'])
    if how == 'shape': return rng.choice([t.t() if t.dim() == 2 else t.unsqueeze(0), t.flatten()[1:], t.unsqueeze(-1)])
    if how == 'dtype': return t.to(rng.choice([torch.int64, torch.bool, torch.complex64, torch.float64, torch.float16,
                                               torch.bfloat16, torch.uint8, torch.int32]))
    if how in ('nan', 'big', 'neg') and t.is_floating_point() and t.numel():
        t = t.clone().double() if how == 'big' else t.clone()
        t.view(-1)[rng.randrange(t.numel())] = {'nan': rng.choice([math.nan, math.inf, -math.inf]), 'big': 1e300,
                                                 'neg': -1.0}[how]
        return t
    if how == 'meta': return torch.empty(t.shape, dtype=t.dtype, device='meta')
    if how == 'sparse' and t.dim() >= 1: return t.to_sparse()
    if how == 'expand': return torch.zeros(1, dtype=t.dtype).expand(10**6, 10**6)
    if how == 'empty': return torch.empty(0, dtype=t.dtype)
    if how == 'noncontiguous' and t.dim() == 2: return t.t().contiguous().t()  # the same values, loads
    return t

class _Reduce:
    "A pickle that calls a function when loaded unsafely (a harmless one here), as an attack would call os.system."
    def __reduce__(self): return (os.getcwd, ())

def mutate_dict(rng:random.Random, ck:dict) -> str:
    "Change the checkpoint dict `ck` in place, one random way; what was done."
    top = rng.choice(['model', 'model', 'model', 'config', 'config', 'key', 'optimizer', 'optimizer', 'history',
                      'rng', 'numbers', 'unsafe'])
    weights, cfg = ck.get('model'), ck.get('config')
    if top == 'model' and isinstance(weights, dict) and weights:
        bn = [k for k in weights if k.endswith('running_var')]  # batch norm's variances: their roots are taken
        if bn and rng.random() < 0.1:
            k = rng.choice(bn); weights[k] = -weights[k]; return f'model: negative variances in {k}'
        k = rng.choice(sorted(weights))
        how = rng.choice(['tensor', 'tensor', 'tensor', 'delete', 'add', 'rename', 'junk', 'notdict'])
        if how == 'tensor': weights[k] = bad_tensor(rng, weights[k])
        elif how == 'delete': del weights[k]
        elif how == 'add': weights[k + '.extra'] = torch.zeros(3)
        elif how == 'rename': weights['x' + k] = weights.pop(k)
        elif how == 'junk': weights[k] = junk(rng)
        else: ck['model'] = junk(rng)
        return f'model: {how} {k}'
    if top == 'config' and isinstance(cfg, dict):
        k = rng.choice(sorted(cfg) + ['depth'])
        how = rng.choice(['junk', 'junk', 'size', 'delete', 'notdict'])
        if how == 'junk': cfg[k] = junk(rng)
        elif how == 'size': cfg[k] = rng.choice([10**9, 10**5, (10**9,), (20000, 20000), (1,)*10**4, (8,)*20, 1, 3])
        elif how == 'delete': cfg.pop(k, None)
        else: ck['config'] = junk(rng)
        return f'config: {how} {k}'
    if top == 'key':
        k = rng.choice(sorted(ck, key=str))
        how = rng.choice(['delete', 'junk', 'arch'])
        if how == 'delete': del ck[k]
        elif how == 'junk': ck[k] = junk(rng)
        else: ck['arch'] = rng.choice(['VAE', 'CVAE', 'ConvVAE', 'ConvCVAE', 'Transformer', 'VAEBase', junk(rng)])
        return f'{how} {k}'
    if top == 'optimizer' and isinstance(ck.get('optimizer'), dict):
        opt = ck['optimizer']
        how = rng.choice(['state', 'state', 'state', 'group', 'group', 'junk', 'drop-state'])
        if how == 'state' and opt['state']:
            i = rng.choice(sorted(opt['state'])); s = opt['state'][i]
            k = rng.choice(['step', 'exp_avg', 'exp_avg_sq', 'key', 'all'])
            if k == 'key': s[rng.choice(['extra', 'max_exp_avg_sq'])] = torch.zeros(1)
            elif k == 'all': opt['state'][rng.choice([i, -1, 99, 'x'])] = junk(rng)
            elif k == 'step': s['step'] = rng.choice([junk(rng), torch.tensor(-1.0), torch.tensor(math.nan),
                                                      torch.tensor([1.0, 2.0]), torch.tensor(3), 5, 0.5])
            else: s[k] = bad_tensor(rng, s[k]) if rng.random() < 0.8 else junk(rng)
            return f'optimizer: {k} of {i}'
        if how == 'group':
            g = opt['param_groups'][0]
            k = rng.choice(['params', 'betas', 'eps', 'weight_decay', 'amsgrad', 'fused', 'foreach', 'lr', 'maximize',
                            'capturable'])
            g[k] = rng.choice([junk(rng), (0.9,), (0.9, 2.0), list(reversed(g['params'])), g['params'][:-1]])
            return f'optimizer: group {k}'
        if how == 'drop-state': opt['state'].clear(); return 'optimizer: no state (a fresh Adam: loads)'
        ck['optimizer'] = junk(rng); return 'optimizer: junk'
    if top == 'history' and isinstance(ck.get('history'), list) and ck['history']:
        h = ck['history']
        how, i = rng.choice(['row', 'value', 'value', 'column', 'drop', 'junk']), rng.randrange(len(h))
        if how == 'row': h[i] = junk(rng)
        elif how == 'value': h[i][rng.choice(sorted(h[i]))] = junk(rng)
        elif how == 'column': h[i]['extra'] = 1.0
        elif how == 'drop': h.pop()
        else: ck['history'] = junk(rng)
        return f'history: {how}'
    if top == 'rng' and isinstance(ck.get('rng'), dict):
        k = rng.choice(['torch', 'batches'])
        state = ck['rng'][k]
        ck['rng'][k] = rng.choice([junk(rng), state[:100], state.float(), torch.zeros_like(state), state.flip(0)])
        return f'rng: {k}'
    if top == 'numbers':
        k = rng.choice(['epoch', 'step']); ck[k] = junk(rng); return f'{k}: junk'
    if top == 'unsafe':
        where = rng.choice(['config', 'top', 'model'])
        bad = rng.choice([_Reduce(), Path('x'), torch.nn.Linear(2, 2), slice(1), np.zeros(3), collections.Counter(),
                          10**5000])
        if where == 'config' and isinstance(cfg, dict): cfg['hidden'] = bad
        elif where == 'model' and isinstance(weights, dict) and weights: weights[next(iter(weights))] = bad
        else: ck['arch'] = bad
        return f'unsafe: {type(bad).__name__} in {where}'
    return 'unchanged'

def zip_bomb(raw:bytes, mb:int=256) -> bytes:
    "The checkpoint `raw` rewritten with deflated entries, its first tensor's storage replaced by `mb` MB of zeros."
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for e in src.infolist():
            z.writestr(e.filename, bytes(mb << 20) if e.filename.endswith('/data/0') else src.read(e))
    return buf.getvalue()

def resume_read(path:Path, arch:str, config:dict):
    "Resume a run of model `arch` with `config` from `path` as `fit(..., resume=True)` does, and take a step: the run."
    model = build_model(arch, config)
    x, y = torch.zeros(4, 28, 28, dtype=torch.uint8), torch.zeros(4, dtype=torch.long)
    run = Run(model, TrainConfig(), adam(model.parameters(), 1e-3), Batches(x, y, 4), Batches(x, y, 4), path.parent)
    _resume(run)
    for p in model.parameters(): p.grad = torch.full_like(p, 1e-3)
    run.opt.step()  # what the next epoch does with the model and the optimizer, and after it with the history:
    min((h['valid_loss'] for h in run.history), default=0.0)
    if run.history: _write_folder(run)
    return run

def checkpoint_reader():
    "The checkpoint fuzzer: `load_checkpoint` of best.pt-like files, and resuming from last.pt-like ones."
    def seeds(rng):
        d = Path(tempfile.mkdtemp(prefix='fuzz-seeds-'))
        runs = tiny_runs(d)
        out = [('resume', runs['vae']), ('resume', runs['conv']), ('load', runs['vae']), ('load', runs['conv'])]
        shipped = ROOT/'cvae_mnist'/'weights'/'cvae.pt'
        if shipped.exists(): out.append(('load', shipped))
        seeds = [(how, p, p.read_bytes(), torch.load(p, weights_only=True)) for how, p in out]
        return seeds, zip_bomb(seeds[0][2])
    def case(rng, made):
        seeds, bomb = made
        how, p, raw, ck = seeds[rng.randrange(len(seeds))]
        kind = rng.choice(['dict']*12 + ['bytes']*4 + ['dict+bytes']*4 + ['foreign']*3 + ['zip bomb'])
        if kind == 'zip bomb': how, p, raw, ck = seeds[0]; b, what = bomb, 'zip bomb: 256 MB of zeros, deflated'
        elif kind == 'bytes': b, what = mutate_bytes(rng, raw)
        else:
            if kind == 'foreign':
                obj = rng.choice([_Reduce(), Path('x'), torch.nn.Linear(2, 2), {1, 2}, b'x', slice(1), np.zeros(3),
                                  collections.OrderedDict(ck), [ck], 3, 'x', None, torch.zeros(3)])
                what = f'foreign: {type(obj).__name__}'
            else: obj = copy.deepcopy(ck); what = mutate_dict(rng, obj)
            buf = io.BytesIO()
            try: torch.save(obj, buf)
            except Exception: buf = io.BytesIO(raw); what += ' (unsaveable: the seed instead)'
            b = buf.getvalue()
            if kind == 'dict+bytes': b, op = mutate_bytes(rng, b); what += f', then {op}'
        model_of = (ck['arch'], ck['config'])
        return b, f'{how} {p.name} ({model_of[0]}): {what}', dict(resume=how == 'resume', model=model_of)
    def read(path, resume=False, model=None):
        if not resume: return load_checkpoint(path)
        os.replace(path, path.parent/'last.pt')  # where `fit` looks for it
        return resume_read(path.parent/'last.pt', *model)
    def finite(r):
        if isinstance(r, Run):  # the model, the optimizer's state, and the history the run goes on with
            tensors = [*r.model.state_dict().values(),
                       *[t for s in r.opt.state.values() for t in s.values() if isinstance(t, torch.Tensor)]]
            return (all(torch.isfinite(t).all() for t in tensors if t.is_floating_point())
                    and all(math.isfinite(v) for row in r.history for v in row.values()))
        with torch.no_grad():  # what the model gives: samples, and its outputs on some images
            y = torch.arange(4) % 10 if r.conditional else None
            x = torch.rand(4, 1, 28, 28, generator=torch.Generator().manual_seed(0))
            outputs = [r.sample(4, y=y, seed=0), *r(x, y)]
        return (all(torch.isfinite(t).all() for t in r.state_dict().values() if t.is_floating_point())
                and all(torch.isfinite(t).all() for t in outputs))
    return dict(seeds=seeds, case=case, read=read, error=CheckpointError, finite=finite, suffix='.pt')


# ---- YAML config files ----------------------------------------------------------------------------------------------

SCALARS = ['', '~', 'null', 'yes', 'no', 'on', 'true', '0', '-1', '1', '3', '0x10', '0o7', '1_000', '+1', '1:2', '1e3',
           '1.0e-3', '.nan', '.inf', '-.inf', '1e999', '9'*400, '9'*5000, '2001-01-01', '[]', '{}', '[1, 2]', '[0]',
           '[[1]]', '{a: 1}', '"x"', "'cvae'", 'vae', 'cvae', 'conv_cvae', 'gan', '!!binary aGVsbG8=', '!!set {a}',
           '!!python/name:os.system', '!!python/object/apply:os.getcwd []', '&a [1, *a]', '*undefined', '- 1',
           '[512, 512]', '[16, 32]', '[1, 2, 3]', 'x'*10**5, '[' * 3000 + ']' * 3000, '"\\x00"', '!!float 1e999']

# values that broke a reader before, or would have: tried as often as all the others together
HOSTILE = ['[]', '{}', '[[1]]', '{a: 1}', '9'*400, '9'*5000, '.nan', '.inf', '-.inf', '1e999', 'yes', '!!float 1e999',
           '[' * 3000 + ']' * 3000, 'x'*10**5, '&a [1, *a]', '!!python/name:os.system']

def yaml_seeds(rng:random.Random) -> list:
    "The repository's params.yaml, and two shorter configs of other models."
    text = (ROOT/'params.yaml').read_text() if (ROOT/'params.yaml').exists() else 'model: cvae\nepochs: 3\n'
    return [text, 'model: conv_cvae\nchannels: [16, 32]\nepochs: 3\nlr: 1e-3\n', 'model: vae\nhidden: [64]\nbeta: 2\n']

def laughs(levels:int=12) -> str:
    "An alias bomb under one key: each list holds the one before nine times, 9**levels items in all, in a few lines."
    rows = ['lr: [&l0 [x, x, x, x, x, x, x, x, x],']
    rows += [f'  &l{i} [{", ".join([f"*l{i - 1}"]*9)}],' for i in range(1, levels)]
    return '\n'.join(rows) + f'\n  *l{levels - 1}]\n'

def yaml_case(rng:random.Random, seeds:list) -> tuple:
    "(bytes of one mutated config file, what was done)."
    text = seeds[rng.randrange(len(seeds))]
    lines = text.splitlines()
    kind = rng.choice(['value', 'value', 'value', 'key', 'lines', 'bytes', 'bytes', 'document'])
    if kind == 'value':
        i = rng.randrange(len(lines))
        key = lines[i].split(':')[0] if ':' in lines[i] else rng.choice(PARAMS)
        lines[i] = f'{key}: {rng.choice(rng.choice([SCALARS, HOSTILE]))}'; what = f'{key}: a new value'
    elif kind == 'key':
        key = rng.choice([*PARAMS, 'epoch', '1', '~', '[a]', '? [a]', '<<', 'x'*10**4])
        lines.insert(rng.randrange(len(lines) + 1), f'{key}: {rng.choice(SCALARS)}'); what = 'a key added'
    elif kind == 'lines':
        how = rng.choice(['delete', 'duplicate', 'swap', 'indent', 'tab'])
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        if how == 'delete': del lines[i]
        elif how == 'duplicate': lines.insert(i, lines[j])
        elif how == 'swap': lines[i], lines[j] = lines[j], lines[i]
        elif how == 'indent': lines[i] = '  ' + lines[i]
        else: lines[i] = lines[i].replace(' ', '\t', 1)
        what = f'lines: {how}'
    elif kind == 'bytes':
        b, op = mutate_bytes(rng, text.encode())
        if rng.random() < 0.3: b = rng.choice([b'\xef\xbb\xbf', b'\xff\xfe', b'\x00', b'\x80']) + b
        return b, f'bytes: {op}'
    else:
        doc = rng.choice(['[1, 2]', '3', 'x', '', '---\n---\n', laughs(), 'model: vae\n---\nmodel: cvae\n',
                          'a: &a [*a]', '\n'.join(f'{k}: {rng.choice(SCALARS)}' for k in PARAMS)])
        return doc.encode(), 'a whole document'
    return ('\n'.join(lines) + '\n').encode(), what

def yaml_reader():
    "The config-file fuzzer: `run_config` as `cvae-mnist train --config` calls it, its configs built and checked."
    def read(path): return run_config(path).params()
    def finite(p):
        return all(math.isfinite(v) for v in p.values() if isinstance(v, float))
    return dict(seeds=yaml_seeds, case=yaml_case, read=read, error=ValueError, finite=finite, suffix='.yaml')


# ---- the fuzzer -------------------------------------------------------------------------------------------------

READERS = dict(idx=idx_reader, checkpoint=checkpoint_reader, yaml=yaml_reader)

def fuzz(name:str, n:int, seed:int=0, show:int=5) -> dict:
    "Read `n` mutated files with reader `name`: the count of each outcome, the costliest files, the first failures."
    r, rng = READERS[name](), random.Random(f'{name}:{seed}')
    torch.manual_seed(seed)
    counts, failures, slowest, busiest, most = collections.Counter(), [], (0.0, ''), (0.0, ''), (0.0, '')
    with tempfile.TemporaryDirectory(prefix=f'fuzz-{name}-') as d, warnings.catch_warnings():
        warnings.simplefilter('ignore')
        seeds = r['seeds'](rng)
        for i in range(n + 1):  # case 0 reads a seed unchanged: its one-time costs are not counted against a file
            made = r['case'](rng, seeds)
            data, what, kw = made if len(made) == 3 else (*made, {})
            path = Path(d)/f'{i % 7}'/f'case{r["suffix"]}'
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            out, seconds, cpu, mb = measured(lambda p: r['read'](p, **kw), path)
            if i == 0: continue
            if isinstance(out, r['error']): outcome = 'refused'
            elif isinstance(out, Exception): outcome = 'other'
            else:
                try: outcome = 'loaded' if r['finite'](out) else 'non-finite'
                except Exception as e: outcome, out = 'other', e  # the result would not even be used
            counts[outcome] += 1
            if outcome in ('other', 'non-finite') and len(failures) < show:
                failures.append(f'{what}: {type(out).__name__}: {str(out)[:300]}' if outcome == 'other'
                                else f'{what}: a {type(out).__name__} holding NaN or infinity')
            slowest, busiest, most = max(slowest, (seconds, what)), max(busiest, (cpu, what)), max(most, (mb, what))
            for f in path.parent.iterdir(): f.unlink()
    return dict(reader=name, cases=n, seed=seed, **{k: counts[k] for k in ('refused', 'loaded', 'other', 'non-finite')},
                slowest_s=round(slowest[0], 3), slowest=slowest[1], cpu_s=round(busiest[0], 3), busiest=busiest[1],
                most_mb=round(most[0], 1), most=most[1],
                failures=failures)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('readers', nargs='*', help=f"which of {', '.join(READERS)} (default: all)")
    p.add_argument('-n', type=int, default=1000, help='cases per reader (default 1000)')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--show', type=int, default=5, help='failures to print per reader')
    a = p.parse_args(argv)
    if unknown := [r for r in a.readers if r not in READERS]: p.error(f"unknown reader {unknown[0]!r}")
    torch.set_num_threads(1)
    bad = 0
    for name in a.readers or list(READERS):
        t = time.perf_counter()
        res = fuzz(name, a.n, a.seed, a.show)
        print(f"{name:10} {res['cases']:,} cases (seed {res['seed']}) in {time.perf_counter() - t:.0f} s: "
              f"refused {res['refused']:,}, loaded {res['loaded']:,}, other exceptions {res['other']:,}, "
              f"non-finite {res['non-finite']:,}; slowest file {res['slowest_s']} s ({res['slowest']}), "
              f"most CPU {res['cpu_s']} s ({res['busiest']}), "
              f"most memory {res['most_mb']} MB ({res['most']})", flush=True)
        for f in res['failures']: print('   ', f)
        bad += res['other'] + res['non-finite']
    return 1 if bad else 0


if __name__ == '__main__': sys.exit(main())
