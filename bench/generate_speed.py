"""Generation speed: 64 digits in-process from the shipped conditional model, and the command line's cold start.

    python bench/generate_speed.py [--repeats 200] [--cold 5]

In-process: median time of `model.sample(y=...)` for 64 digits (after a warm-up), against the same 64 digits drawn one
call per digit. Cold start: a fresh `python -m cvae_mnist.cli generate --digit 7` writing a PNG, against a fresh
`python -c "import torch"`; the two are interleaved.
"""
import argparse, statistics, subprocess, sys, tempfile, time
from pathlib import Path

import torch

from cvae_mnist.pretrained import load_pretrained


def median_ms(f, repeats:int, warmup:int=10) -> float:
    "Median wall time of `f()` in milliseconds, after `warmup` calls."
    for _ in range(warmup): f()
    ts = []
    for _ in range(repeats): t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
    return 1e3*statistics.median(ts)


def seconds(cmd:list) -> float:
    "Wall time of a subprocess that must succeed."
    t = time.perf_counter(); subprocess.run(cmd, check=True, capture_output=True); return time.perf_counter() - t


def cli_command(out:Path) -> tuple:
    "The command line that generates 64 sevens into `out`, and its description."
    return ([sys.executable, '-m', 'cvae_mnist.cli', 'generate', '--digit', '7', '--num-samples', '64', '--out', str(out)],
            'python -m cvae_mnist.cli generate --digit 7 --num-samples 64')


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--repeats', type=int, default=200, help='timed calls in-process (median reported)')
    p.add_argument('--cold', type=int, default=5, help='fresh processes of each kind (median reported)')
    args = p.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, CPU")

    model = load_pretrained('cvae')
    y = torch.arange(10).repeat(7)[:64]  # 64 digits, 0-9 in turn
    batched = median_ms(lambda: model.sample(y=y, seed=0), args.repeats)
    looped = median_ms(lambda: [model.sample(y=[d], seed=0) for d in y.tolist()], max(args.repeats//10, 5))
    print(f"64 digits in-process, one batch:       {batched:7.2f} ms (target < 5 ms)")
    print(f"64 digits in-process, a call per digit: {looped:7.2f} ms ({looped/batched:.1f}x slower)")

    with tempfile.TemporaryDirectory() as d:
        out = Path(d)/'sevens.png'
        cmd, desc = cli_command(out)
        cli, bare = [], []
        for _ in range(args.cold):
            out.unlink(missing_ok=True); cli.append(seconds(cmd)); assert out.stat().st_size > 0
            bare.append(seconds([sys.executable, '-c', 'import torch']))
    cli, bare = statistics.median(cli), statistics.median(bare)
    print(f"cold start, {desc}: {cli:.2f} s")
    print(f'cold start, python -c "import torch": {bare:.2f} s  (the command line takes {cli/bare:.2f}x that, '
          f'{cli - bare:.2f} s more)')


if __name__ == '__main__': main()
