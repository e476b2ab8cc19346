"""The project's notebook runner: each notebook as a reader's Run All in JupyterLab runs it.

Usage: python tools/run_nbs.py [--write] [nbs/03_train.ipynb ...]   (default: every notebook in nbs/)

Each notebook runs top to bottom in a fresh IPython kernel (nbclient, as JupyterLab runs it), from its own folder:
every cell, whatever its nbdev flags or tags, figures drawn by matplotlib's inline backend. The chapters run last
first, so a chapter that needs another to have run first fails; all but the data chapter (FIRST), which starts first:
as one of the longest, last it kept a core idle for most of its run (8 s of CI's 160), and what it leaves behind, MNIST
in the data folder, each chapter fetches itself if need be. As many notebooks run at once as the machine has
cores, each kernel on one thread (two kernels' torch threads on the same cores wait on each other), so a notebook's
time here is at most what it takes alone on two threads.

It fails if a cell raises, if a notebook takes longer than BUDGET seconds or all of them together longer than TOTAL
(minutes on a 2-core CPU), or if the run changed the repository (git status, and the diff of files already changed):
the shipped weights in particular. `make test` runs it so.

With `--write` (`make outputs`) it saves each notebook's new outputs into it and cleans it with `nbdev_clean`, as the
notebooks are committed; then only those notebooks may change. Figures are saved for screens of two pixels a point
(matplotlib's 'retina' format: a digit grid's pixels stay sharp, and such PNGs compress better than half the size);
widgets' state is not saved, so a training's progress bar, a widget in a kernel, is not kept as an output either.
nbdev's own runner, `nbdev_test`, runs the notebooks in-process in CI beside this one.
"""
import argparse, hashlib, os, re, subprocess, sys, tempfile, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

BUDGET, TOTAL = 180, 900  # seconds: one notebook, all of them
FIRST = '01_data.ipynb'
WIDGET = 'application/vnd.jupyter.widget-view+json'


def repo_state(leave_out=()) -> tuple:
    "What git sees, but for the files `leave_out`: the status of every file, and a hash of the tracked changes."
    out = ['--'] + [f':(exclude){f}' for f in leave_out] if leave_out else []
    git = lambda *a: subprocess.run(['git', *a, *out], capture_output=True, check=True).stdout
    status = git('status', '--porcelain', '--untracked-files=all').decode()
    return status, hashlib.sha256(git('diff', 'HEAD')).hexdigest()


def progress_bar(out) -> bool:
    "Is `out` a progress bar drawn as a widget (tqdm's, in a kernel)?"
    data = out.get('data', {})
    return WIDGET in data and re.search(r'\d+%\|', ''.join(data.get('text/plain', ''))) is not None


def run(fn:Path, write:bool=False) -> tuple:
    "Execute notebook `fn` in a new kernel from its folder, as JupyterLab's Run All: the seconds it took, its error."
    nb, t = nbformat.read(fn, as_version=4), time.perf_counter()
    client = NotebookClient(nb, timeout=2*BUDGET, kernel_name='python3', store_widget_state=False,
                            resources={'metadata': {'path': str(fn.parent)}})
    try: client.execute()
    except CellExecutionError as e: return time.perf_counter() - t, str(e)
    if write:
        for cell in nb.cells:
            if cell.cell_type == 'code': cell.outputs = [o for o in cell.outputs if not progress_bar(o)]
        nbformat.write(nb, fn)
    return time.perf_counter() - t, None


def main(fns:list, write:bool=False) -> int:
    leave_out = [str(fn) for fn in fns] if write else []
    before, times, failed, start = repo_state(leave_out), {}, [], time.perf_counter()
    # For the kernels: one thread each, and the inline figures of JupyterLab whatever MPLBACKEND the caller set
    os.environ.update(OMP_NUM_THREADS='1', MKL_NUM_THREADS='1',
                      MPLBACKEND='module://matplotlib_inline.backend_inline')
    ipython_dir = tempfile.TemporaryDirectory()
    if write:  # the kernels' settings: figures in the retina format
        os.environ['IPYTHONDIR'] = ipython_dir.name
        conf = Path(ipython_dir.name)/'profile_default'/'ipython_kernel_config.py'
        conf.parent.mkdir(parents=True)
        conf.write_text("c.InlineBackend.figure_formats = {'retina'}\n")
    with ipython_dir, ProcessPoolExecutor(os.cpu_count() or 1) as pool:
        for fn, (seconds, error) in zip(fns, pool.map(run, fns, [write]*len(fns))):
            if error:
                print(f'{fn}: a cell failed\n{error}', flush=True)
                failed.append(fn)
                continue
            times[fn] = seconds
            over = f'  OVER the budget of {BUDGET} s' if seconds > BUDGET else ''
            print(f'{fn.name:28} {seconds:6.1f} s{over}', flush=True)
            if over: failed.append(fn)
    total = sum(times.values())
    print(f'{"all " + str(len(times)):28} {total:6.1f} s together (budget {TOTAL} s), '
          f'{time.perf_counter() - start:.1f} s on the clock, {os.cpu_count()} at a time')
    if total > TOTAL: failed.append('total')
    for fn in times if write else []: subprocess.run(['nbdev_clean', '--fname', fn], check=True)
    after = repo_state(leave_out)
    if after != before:
        changed = after[0] if after[0] != before[0] else 'git diff HEAD differs'
        print('the notebooks changed the repository:\n' + changed)
        failed.append('repository')
    return 1 if failed else 0


if __name__ == '__main__':
    cli = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    cli.add_argument('--write', action='store_true', help='save the outputs into the notebooks')
    cli.add_argument('notebooks', nargs='*', type=Path, help='default: every notebook in nbs/')
    args = cli.parse_args()
    fns = args.notebooks or sorted(Path('nbs').glob('[0-9i]*.ipynb'), reverse=True)
    if not args.notebooks: fns.sort(key=lambda fn: fn.name != FIRST)  # stable: the others last first
    sys.exit(main(fns, args.write))
