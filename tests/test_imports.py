"""Every import points down: a module uses only modules of earlier chapters, and a chapter only the package's earlier
modules, so the notebooks read in order and each idea lives in one room.

The order is the notebooks' (`01_data`, `01a_show`, `02_vae`, ...); each notebook exports one module (`#| default_exp`).
The one exception, said so in the chapters that use it: loading the shipped weights (`cvae_mnist.pretrained`) to show a
trained model ahead of the training chapter.

One upward reference is by name, not by an import statement: `checkpoint.MODEL_MODULES` lists the modules whose model
classes a checkpoint may name, and `model_classes` imports them with importlib. The test reads that tuple and checks
that it names exactly the modules that define a model class (a subclass of `VAEBase`), so that no other upward import
can hide in it and no model module is left out.
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


def registry(tree) -> set:
    "The package's modules named in `MODEL_MODULES = (...)` in `tree`."
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, 'id', None) == 'MODEL_MODULES' for t in node.targets):
            return {m.removeprefix('cvae_mnist.') for m in ast.literal_eval(node.value)}
    return set()


def model_modules() -> set:
    "The modules that define a model class: a class deriving from `VAEBase`, or from a class that does."
    trees = {m: ast.parse((ROOT/'cvae_mnist'/f'{m}.py').read_text()) for m in MODULES}
    classes = {m: [c for c in ast.walk(t) if isinstance(c, ast.ClassDef)] for m, t in trees.items()}
    models, found = {'VAEBase'}, set()
    while True:
        new = {(m, c.name) for m, cs in classes.items() for c in cs
               if any(getattr(b, 'id', None) in models for b in c.bases) and c.name != 'VAEBase'}
        if new <= found: return {m for m, _ in found}
        found |= new
        models |= {name for _, name in new}


def test_every_module_has_a_chapter():
    py = {p.stem for p in (ROOT/'cvae_mnist').glob('*.py') if not p.name.startswith('_')}
    assert py == set(MODULES), f'modules without a notebook: {py - set(MODULES)}; notebooks without a module: {set(MODULES) - py}'


@pytest.mark.parametrize('module', sorted(MODULES))
def test_module_imports_point_down(module):
    tree = ast.parse((ROOT/'cvae_mnist'/f'{module}.py').read_text())
    later = sorted(m for m in imported(tree) if MODULES[m] > MODULES[module])
    assert not later, f'cvae_mnist/{module}.py imports {later}, introduced after it ({NOTEBOOKS[MODULES[module]].name})'


def test_registry_names_the_model_modules():
    named = registry(ast.parse((ROOT/'cvae_mnist'/'checkpoint.py').read_text()))
    assert named == model_modules(), (f'checkpoint.MODEL_MODULES names {sorted(named)}, '
                                      f'the modules with model classes are {sorted(model_modules())}')


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
    # the registry, read from a made-up checkpoint module that names a module without a model class
    assert registry(ast.parse("MODEL_MODULES = ('cvae_mnist.vae', 'cvae_mnist.web')")) == {'vae', 'web'}
    assert registry(ast.parse("MODEL_MODULES = ('cvae_mnist.vae', 'cvae_mnist.web')")) != model_modules()
    assert {'vae', 'cvae', 'conv'} <= model_modules() and 'web' not in model_modules()
