"""Run every notebook as a reader's Run All does in JupyterLab, and check that it is quick and changes nothing.

Usage: python tools/run_all.py [nbs/03_train.ipynb ...]   (default: every notebook in nbs/, last chapter first)

Each notebook runs top to bottom in a fresh IPython kernel (nbclient, as JupyterLab runs it), from its own folder: every
cell, whatever its nbdev flags or tags; the outputs are discarded. The chapters run in reverse order, each in its own
kernel, so a chapter that needs another to have run first fails here. As many notebooks run at once as the machine has
cores, each kernel on one thread (torch's threads of two kernels on the same cores would wait on each other), so a
notebook's time here is at most what it takes alone on two threads. It fails if a cell raises, if a notebook takes longer
than BUDGET seconds or all of them together longer than TOTAL (issue 14: minutes on a 2-core CPU), or if anything in the
repository changed (git status, and the diff of files already changed): the shipped weights in particular.
"""
import hashlib, os, subprocess, sys, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

BUDGET, TOTAL = 180, 900  # seconds: one notebook, all of them


def repo_state() -> tuple:
    "What git sees: the status of every file, and a hash of the changes to files it tracks."
    status = subprocess.run(['git', 'status', '--porcelain', '--untracked-files=all'], capture_output=True, text=True,
                            check=True).stdout
    diff = subprocess.run(['git', 'diff', 'HEAD'], capture_output=True, check=True).stdout
    return status, hashlib.sha256(diff).hexdigest()


def run(fn:Path) -> tuple:
    "Execute notebook `fn` in a new kernel from its folder, as JupyterLab's Run All: the seconds it took, and its error."
    nb, t = nbformat.read(fn, as_version=4), time.perf_counter()
    client = NotebookClient(nb, timeout=2*BUDGET, kernel_name='python3', resources={'metadata': {'path': str(fn.parent)}})
    try: client.execute()
    except CellExecutionError as e: return time.perf_counter() - t, str(e)
    return time.perf_counter() - t, None


def main(fns:list) -> int:
    before, times, failed, start = repo_state(), {}, [], time.perf_counter()
    os.environ.update(OMP_NUM_THREADS='1', MKL_NUM_THREADS='1')  # for the kernels: one thread each
    with ProcessPoolExecutor(os.cpu_count() or 1) as pool:
        for fn, (seconds, error) in zip(fns, pool.map(run, fns)):
            if error: print(f'{fn}: a cell failed\n{error}', flush=True); failed.append(fn); continue
            times[fn] = seconds
            slow = seconds > BUDGET
            print(f'{fn.name:28} {seconds:6.1f} s{"  OVER the budget of %d s" % BUDGET if slow else ""}', flush=True)
            if slow: failed.append(fn)
    total = sum(times.values())
    print(f'{"all " + str(len(times)):28} {total:6.1f} s together (budget {TOTAL} s), '
          f'{time.perf_counter() - start:.1f} s on the clock, {os.cpu_count()} at a time')
    if total > TOTAL: failed.append('total')
    after = repo_state()
    if after != before:
        print('the notebooks changed the repository:\n' + (after[0] if after[0] != before[0] else 'git diff HEAD differs'))
        failed.append('repository')
    return 1 if failed else 0


if __name__ == '__main__':
    nbs = sorted(Path('nbs').glob('[0-9i]*.ipynb'), reverse=True)
    sys.exit(main([Path(a) for a in sys.argv[1:]] or nbs))
