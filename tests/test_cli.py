"The `cvae-mnist` console script as a user runs it: a subprocess, its exit status, what it prints and writes."
import os, subprocess
from pathlib import Path

import pytest


def run(*args, **env):
    "Run `cvae-mnist *args` with `env` added to the environment."
    return subprocess.run(['cvae-mnist', *args], capture_output=True, text=True, env={**os.environ, **env}, timeout=300)


def test_help():
    r = run('--help')
    assert r.returncode == 0 and 'data' in r.stdout
    r = run('data', '--help')
    assert r.returncode == 0 and '--root' in r.stdout and 'CVAE_MNIST_MIRROR' in r.stdout


def test_no_command():
    r = run()
    assert r.returncode == 2 and 'required' in r.stderr


@pytest.mark.skipif(not os.environ.get('CVAE_MNIST_MIRROR'), reason='needs CVAE_MNIST_MIRROR (CI points it at an offline copy)')
def test_data(tmp_path):
    r = run('data', '--root', str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert 'train: 60,000 images' in r.stdout and 'test : 10,000 images' in r.stdout
    assert sorted(p.name for p in (tmp_path/'processed').iterdir()) == ['test.pt', 'train.pt']
    assert sorted(p.name for p in (tmp_path/'raw').iterdir()) == sorted(
        ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'])
    r2 = run('data', '--root', str(tmp_path))  # second run: from the cache
    assert r2.returncode == 0 and r2.stdout == r.stdout


def test_data_no_mirror(tmp_path):
    (tmp_path/'mirror').mkdir()
    r = run('data', '--root', str(tmp_path/'data'), CVAE_MNIST_MIRROR=str(tmp_path/'mirror'))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith('cvae-mnist: error: could not download train-images-idx3-ubyte.gz')
    assert 'CVAE_MNIST_MIRROR' in lines[0]
    assert list((tmp_path/'data'/'raw').iterdir()) == []  # nothing partial left behind


def test_data_bad_mirror_content(tmp_path):
    "A mirror that serves the wrong bytes under the right names: refused, nothing kept."
    (tmp_path/'mirror').mkdir()
    for n in ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']:
        (tmp_path/'mirror'/n).write_text('<html><body>Service unavailable</body></html>')
    r = run('data', '--root', str(tmp_path/'data'), CVAE_MNIST_MIRROR=str(tmp_path/'mirror'))
    assert r.returncode == 2 and 'got an HTML page' in r.stderr
    assert list((tmp_path/'data'/'raw').iterdir()) == []
