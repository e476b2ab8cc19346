"""Every import points down: a module uses only modules of earlier chapters, and a chapter only the package's earlier
modules, so the notebooks read in order and each idea lives in one room.

The order is the notebooks' (`01_data`, `01a_show`, `02_vae`, ...); each notebook exports one module (`#| default_exp`).
The one exception, said so in the chapters that use it: loading the shipped weights (`cvae_mnist.pretrained`) to show a
trained model ahead of the training chapter.
"""
import ast, json, re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
NOTEBOOKS = sorted(p for p in (ROOT/'nbs').glob('*.ipynb') if not p.name.startswith('_'))
AHEAD_OK = {'pretrained'}  # shipped weights, loaded to show a trained model before the chapter that trains one


def cells(nb: Path) -> list:
    return [''.join(c['source']) for c in json.loads(nb.read_text())['cells'] if c['cell_type'] == 'code']


def module_of(nb: Path):
    "The module a notebook exports, from its `#| default_exp` (None for index.ipynb)."
    for src in cells(nb):
        if m := re.search(r'^#\|\s*default_exp\s+(\w+)', src, re.M): return m[1]


MODULES = {m: i for i, nb in enumerate(NOTEBOOKS) if (m := module_of(nb))}  # module: its chapter's place in the order


def imported(tree) -> set:
    "The package's modules that `tree` imports, as `from .x import`, `from cvae_mnist.x import` or `import cvae_mnist.x`."
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            name = node.module.removeprefix('cvae_mnist.') if node.level == 0 else node.module
            if node.level or node.module.startswith('cvae_mnist.'): found.add(name.split('.')[0])
        elif isinstance(node, ast.Import):
            found |= {a.name.split('.')[1] for a in node.names if a.name.startswith('cvae_mnist.')}
    return found & set(MODULES)


def test_every_module_has_a_chapter():
    py = {p.stem for p in (ROOT/'cvae_mnist').glob('*.py') if not p.name.startswith('_')}
    assert py == set(MODULES), f'modules without a notebook: {py - set(MODULES)}; notebooks without a module: {set(MODULES) - py}'


@pytest.mark.parametrize('module', sorted(MODULES))
def test_module_imports_point_down(module):
    tree = ast.parse((ROOT/'cvae_mnist'/f'{module}.py').read_text())
    later = sorted(m for m in imported(tree) if MODULES[m] > MODULES[module])
    assert not later, f'cvae_mnist/{module}.py imports {later}, introduced after it ({NOTEBOOKS[MODULES[module]].name})'


@pytest.mark.parametrize('nb', NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_imports_point_down(nb):
    place = NOTEBOOKS.index(nb)
    code = '\n'.join(re.sub(r'^\s*[%!].*$', '', c, flags=re.M) for c in cells(nb))  # no magics or shell lines
    later = sorted(m for m in imported(ast.parse(code)) - AHEAD_OK if MODULES[m] > place)
    assert not later, f"{nb.name} imports {later}, from chapters after it: {[NOTEBOOKS[MODULES[m]].name for m in later]}"


def test_the_test_sees_a_backward_import(tmp_path):
    "The checks above, on a made-up import of a later chapter's module."
    code = 'from .explore import grid_png\nfrom cvae_mnist.web import decoder_ops\nimport cvae_mnist.cli\nfrom torch import nn'
    assert imported(ast.parse(code)) == {'explore', 'web', 'cli'}
    assert all(MODULES[m] > MODULES['data'] for m in imported(ast.parse(code)))
