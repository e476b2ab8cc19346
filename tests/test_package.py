"The package as pip builds it: the shipped weights and their manifest must be inside the wheel."
import subprocess, sys, zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_weights(tmp_path):
    r = subprocess.run([sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation', '-q', '-w', str(tmp_path), str(ROOT)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    (whl,) = tmp_path.glob('cvae_mnist-*.whl')
    names = set(zipfile.ZipFile(whl).namelist())
    shipped = {f'cvae_mnist/weights/{p.name}' for p in (ROOT/'cvae_mnist'/'weights').iterdir() if p.suffix in ('.pt', '.json')}
    assert 'cvae_mnist/weights/manifest.json' in shipped and 'cvae_mnist/weights/classifier.pt' in shipped
    assert shipped <= names, f'missing from the wheel: {sorted(shipped - names)}'
    assert any(n.endswith('entry_points.txt') for n in names)
