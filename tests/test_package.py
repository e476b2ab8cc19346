"""The package as pip builds it: the shipped weights and their manifest, and the explorers' runtime and style sheet
(read by cvae_mnist.web), must be inside the wheel.

The wheel is built from a clean copy of the files setup.py reads, so that what an earlier build left in the
repository (build/, cvae_mnist.egg-info/SOURCES.txt) cannot put a file in the wheel that setup.py no longer ships.
"""
import shutil, subprocess, sys, zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ['setup.py', 'settings.ini', 'pyproject.toml', 'MANIFEST.in', 'README.md', 'LICENSE']


def test_wheel_ships_weights(tmp_path):
    src = tmp_path/'src'
    shutil.copytree(ROOT/'cvae_mnist', src/'cvae_mnist', ignore=shutil.ignore_patterns('__pycache__'))
    for f in SOURCES: shutil.copy(ROOT/f, src/f)
    r = subprocess.run([sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation', '-q', '-w', str(tmp_path), str(src)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    (whl,) = tmp_path.glob('cvae_mnist-*.whl')
    names = set(zipfile.ZipFile(whl).namelist())
    shipped = {f'cvae_mnist/weights/{p.name}' for p in (ROOT/'cvae_mnist'/'weights').iterdir() if p.suffix in ('.pt', '.json')}
    assert 'cvae_mnist/weights/manifest.json' in shipped and 'cvae_mnist/weights/classifier.pt' in shipped
    assert shipped <= names, f'missing from the wheel: {sorted(shipped - names)}'
    assets = {'cvae_mnist/explorer.js', 'cvae_mnist/explorer.css'}
    assert assets <= names, f'missing from the wheel: {sorted(assets - names)}'
    assert any(n.endswith('entry_points.txt') for n in names)
