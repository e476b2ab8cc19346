"""The code reads on one screen width: no code line of a notebook over 88 characters, what a code block of the site holds
at 1280 px (92, measured by tests/test_site.py's test_code_fits), and so none in cvae_mnist/*.py, which they export.

In the package nbdev writes two kinds of line itself, which the notebooks cannot wrap: the module docstring (a chapter's
one-line description, also the subtitle of its page) and the `__all__` list. Those are left out; everything written in
an `#| export` cell is checked. `ruff check cvae_mnist` (make lint, .ci/run) checks names and imports.
"""
import ast, json
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
MODULES = sorted(p for p in (ROOT/'cvae_mnist').glob('*.py') if p.name != '_modidx.py')
LIMIT = 88
NOTEBOOKS = sorted((ROOT/'nbs').glob('*.ipynb'))


def nbdev_lines(tree) -> set:
    "Line numbers of what nbdev writes: the module docstring and the `__all__` assignment."
    lines = set()
    for node in tree.body:
        is_doc = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        is_all = isinstance(node, ast.Assign) and any(getattr(t, 'id', None) == '__all__' for t in node.targets)
        if (is_doc and node is tree.body[0]) or is_all: lines |= set(range(node.lineno, node.end_lineno + 1))
    return lines


@pytest.mark.parametrize('path', MODULES, ids=lambda p: p.name)
def test_lines_fit(path):
    text = path.read_text()
    skip = nbdev_lines(ast.parse(text))
    long = [f'{path.name}:{i}: {len(l)} characters' for i, l in enumerate(text.splitlines(), 1) if len(l) > LIMIT and i not in skip]
    assert not long, 'wrap these lines in their notebook\'s export cell:\n' + '\n'.join(long)


@pytest.mark.parametrize('nb', NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_lines_fit(nb):
    cells = [c for c in json.loads(nb.read_text())['cells'] if c['cell_type'] == 'code']
    long = [f'{nb.name}, cell {c.get("id")}: {len(l)} characters: {l[:60]}'
            for c in cells for l in ''.join(c['source']).splitlines() if len(l) > LIMIT]
    assert not long, 'wrap these lines:\n' + '\n'.join(long)


def test_the_header_is_all_that_is_left_out():
    tree = ast.parse('"""a docstring"""\n__all__ = [\'a\',\n           \'b\']\nx = 1\n"""not a docstring"""\n')
    assert nbdev_lines(tree) == {1, 2, 3}


DISTRIBUTIONS = {'PIL': 'pillow', 'yaml': 'pyyaml'}  # import name: the name pip installs it by, where they differ
DOCS_ONLY = {'nbdev'}  # imported by site.SiteExplorers, the docs processor that only nbdev_docs runs (a dev requirement)


def test_imports_are_requirements():
    "Every package the library imports, at the top or inside a function, is in settings.ini (mlflow: in its extra)."
    import configparser, re, sys
    ini = configparser.ConfigParser(); ini.read(ROOT/'settings.ini')
    required = {re.split('[<>=!~ ]', r)[0] for k in ('requirements', 'mlflow_requirements') for r in ini['DEFAULT'][k].split()}
    imported = set()
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import): imported |= {a.name.split('.')[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0: imported.add(node.module.split('.')[0])
    third_party = {DISTRIBUTIONS.get(m, m) for m in imported - set(sys.stdlib_module_names) - {'cvae_mnist'} - DOCS_ONLY}
    assert third_party - required == set(), f'imported by cvae_mnist but not required in settings.ini: {third_party - required}'
