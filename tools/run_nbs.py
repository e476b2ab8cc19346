"""Run notebooks in place to refresh their saved outputs, as nbdev's tests run them (cells flagged with one of
`tst_flags` or `eval: false` are skipped and keep their outputs).

Usage: python tools/run_nbs.py nbs/02_vae.ipynb [...]   (default: every notebook in nbs/)
No notebook retrains a shipped model unless its switch is turned on (`RETRAIN = True`), so this writes only notebooks.
"""
import sys
from pathlib import Path

from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from fastcore.xtras import working_directory
from nbdev.config import get_config


def skipped(cell) -> bool:
    "Is `cell` a code cell that tests skip: flagged with one of `tst_flags`, or `eval: false`?"
    if cell.cell_type != 'code': return True
    flags = set(get_config().get('tst_flags', '').split())
    for line in cell.source.splitlines():
        if not line.startswith('#|'): break
        words = line[2:].replace(':', ': ').split()
        if words and (words[0] in flags or words[:2] == ['eval:', 'false']): return True
    return False


def run(fn: Path):
    "Execute notebook `fn` from its own folder and save its outputs."
    nb, sh = read_nb(fn), CaptureShell(fn)
    for cell in nb.cells:
        if not skipped(cell): cell.outputs = []  # execnb keeps a cell's old outputs when it prints nothing now
    with working_directory(fn.parent): sh.run_all(nb, exc_stop=True, preproc=skipped)
    write_nb(nb, fn)


if __name__ == '__main__':
    fns = [Path(a) for a in sys.argv[1:]] or sorted(get_config().nbs_path.glob('[0-9i]*.ipynb'))
    for fn in fns:
        print('running', fn, flush=True)
        run(fn.resolve())
