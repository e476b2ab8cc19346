"""Run nbdev's notebook processing for the docs site (`proc_nbs`, what `nbdev_docs` does before Quarto) and check it.

`nbdev_proc_nbs` would first try to install Quarto; this calls the processing itself, so it runs where Quarto cannot.
It fails if a notebook in nbs/ did not come out as a processed notebook in _proc/.
"""
import sys

from nbdev.config import get_config
from nbdev.serve import proc_nbs

if __name__ == '__main__':
    cfg = get_config()
    cache = proc_nbs(force=True)
    nbs = sorted(p.relative_to(cfg.nbs_path) for p in cfg.nbs_path.glob('**/*.ipynb') if not p.name.startswith(('_', '.')) and '.ipynb_checkpoints' not in p.parts)
    missing = [str(p) for p in nbs if not (cache/p).exists()]
    if missing: sys.exit(f"docs processing did not produce: {', '.join(missing)}")
    print(f"processed {len(nbs)} notebooks for the docs into {cache}")
