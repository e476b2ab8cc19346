"""The `cvae-mnist` console script as a user runs it: its exit status, what it prints and writes.

Where the process itself is the point (what it imports, how fast it starts, the installed script, a signal) a test runs
the script in a subprocess. The many bad-input cases run `main` in this process instead (`cli`), which prints and returns
what the script would, without paying for a fresh `import torch` each (about 1.5 s).
"""
import contextlib, io, os, shlex, subprocess, sys, time
from pathlib import Path

import pytest

from cvae_mnist.cli import main, parser
from cvae_mnist.pretrained import manifest


def run(*args):
    "Run the installed `cvae-mnist *args`."
    return subprocess.run(['cvae-mnist', *args], capture_output=True, text=True, timeout=300)


@pytest.fixture
def cli(tmp_path, monkeypatch):
    "`cli(*args)`: `cvae-mnist *args` run by `main` in this process, in `tmp_path`; a `CompletedProcess` of it."
    monkeypatch.chdir(tmp_path)
    def call(*args):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try: status = main(list(args))
            except SystemExit as e: status = e.code  # argparse's errors and --help
        return subprocess.CompletedProcess(args, status, out.getvalue(), err.getvalue())
    return call


def test_help():
    r = run('--help')
    assert r.returncode == 0 and 'data' in r.stdout
    r = run('data', '--help')
    assert r.returncode == 0 and '--root' in r.stdout and 'CVAE_MNIST_MIRROR' in r.stdout


def test_no_command():
    r = run()
    assert r.returncode == 2 and 'required' in r.stderr


@pytest.mark.parametrize('args,status', [(['--help'], 0), (['train', '--help'], 0), (['generate', '--digit', 'x'], 2),
                                         (['train', '--model', 'gan'], 2), (['compare', '--help'], 0),
                                         (['retrain', '--help'], 0), (['retrain', 'gan'], 2), (['compare', 'gan'], 2),
                                         (['read', '--help'], 0), (['read', 'x.png', '--threshold', '2'], 2)])
def test_help_and_bad_arguments_fast(args, status):
    "Help and argument errors import no torch (nbs/09_cli.ipynb checks which modules): under 0.5 s; 1.4 to 2.5 s when they did."
    took = []
    for _ in range(3):
        t = time.perf_counter(); r = run(*args); took.append(time.perf_counter() - t)
    assert r.returncode == status and len(r.stderr.splitlines()) == (status == 2), r.stderr
    assert min(took) < 0.5, took


@pytest.mark.skipif(not os.environ.get('CVAE_MNIST_MIRROR'), reason='needs CVAE_MNIST_MIRROR (CI points it at an offline copy)')
def test_data(tmp_path, cli):
    r = run('data', '--root', str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert 'train: 60,000 images' in r.stdout and 'test : 10,000 images' in r.stdout
    assert sorted(p.name for p in (tmp_path/'processed').iterdir()) == ['test.pt', 'train.pt']
    assert sorted(p.name for p in (tmp_path/'raw').iterdir()) == sorted(
        ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'])
    r2 = cli('data', '--root', str(tmp_path))  # second run: from the cache (in this process)
    assert r2.returncode == 0 and r2.stdout == r.stdout


def test_data_no_mirror(tmp_path, cli, monkeypatch):
    (tmp_path/'mirror').mkdir()
    monkeypatch.setenv('CVAE_MNIST_MIRROR', str(tmp_path/'mirror'))
    r = cli('data', '--root', str(tmp_path/'data'))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith('cvae-mnist: error: could not download train-images-idx3-ubyte.gz')
    assert 'CVAE_MNIST_MIRROR' in lines[0]
    assert list((tmp_path/'data'/'raw').iterdir()) == []  # nothing partial left behind


def test_data_bad_mirror_content(tmp_path, cli, monkeypatch):
    "A mirror that serves the wrong bytes under the right names: refused, nothing kept."
    (tmp_path/'mirror').mkdir()
    for n in ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']:
        (tmp_path/'mirror'/n).write_text('<html><body>Service unavailable</body></html>')
    monkeypatch.setenv('CVAE_MNIST_MIRROR', str(tmp_path/'mirror'))
    r = cli('data', '--root', str(tmp_path/'data'))
    assert r.returncode == 2 and 'got an HTML page' in r.stderr
    assert list((tmp_path/'data'/'raw').iterdir()) == []


def one_line_error(r, *words):
    "Exit status 2 and a single line on stderr that contains each of `words`."
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1, (r.returncode, r.stderr)
    assert all(w in lines[0] for w in words), lines[0]


def test_generate_default(tmp_path):
    "Right after install: no data, no training, the shipped model, the seed project's default path."
    r = subprocess.run(['cvae-mnist', 'generate', '--digit', '6'], capture_output=True, text=True, cwd=tmp_path, timeout=300,
                       env={**os.environ, 'CVAE_MNIST_DATA': str(tmp_path/'no-data'), 'CVAE_MNIST_MIRROR': str(tmp_path/'no-mirror')})
    assert r.returncode == 0, r.stderr
    out = tmp_path/'reports'/'figures'/'cvae_digit6.png'
    assert out.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n' and 'cvae_digit6.png' in r.stdout
    assert sorted(p.name for p in out.parent.iterdir()) == ['cvae_digit6.png'] and not (tmp_path/'no-data').exists()


def test_generate_imports_no_plotting(tmp_path):
    "generate imports neither torchvision nor matplotlib: 2.4 s of its start and 190 MiB before they went (bench/README.md)."
    code = ("import sys; from cvae_mnist.cli import main; main(['generate', '--digit', '1', '--out', 'g.png']); "
            "print('heavy:', sorted(m for m in ('torchvision', 'matplotlib') if m in sys.modules))")
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1] == 'heavy: []' and (tmp_path/'g.png').exists()


def test_generate_unconditional(tmp_path, cli):
    r = cli('generate', '--model', 'vae', '--num-samples', '4', '--out', str(tmp_path/'v.png'))
    assert r.returncode == 0 and (tmp_path/'v.png').exists(), r.stderr


@pytest.mark.parametrize('args, words', [
    (['--digit', '10'], ['--digit', "'10' is not a digit 0-9"]),
    (['--digit', 'seven'], ['--digit', 'not a digit']),
    (['--digit', '3', '--model', 'gan'], ['--model', "invalid choice: 'gan'"]),
    (['--digit', '3', '--num-samples', '0'], ['--num-samples', 'num_samples must be a positive integer, not 0']),
    (['--digit', '3', '--temperature', 'nan'], ['--temperature', 'temperature must be a finite number >= 0, not nan']),
    (['--model', 'vae', '--digit', '3'], ['unconditional']),
    (['--model', 'cvae'], ['conditional', '--digit']),
    (['--digit', '3', '--out', 'x.jpg'], ['x.jpg', '.png']),
])
def test_generate_bad_arguments(tmp_path, cli, args, words):
    one_line_error(cli('generate', *args), *words)
    assert list(tmp_path.iterdir()) in ([], [tmp_path/'reports']) and not list(tmp_path.glob('reports/figures/*'))


def test_generate_bad_checkpoints(tmp_path, cli):
    good = Path(__import__('cvae_mnist').__file__).parent/'weights'/'cvae.pt'
    one_line_error(cli('generate', '--checkpoint', str(tmp_path/'missing.pt'), '--digit', '1'), 'missing.pt', 'no such checkpoint')
    (tmp_path/'cut.pt').write_bytes(good.read_bytes()[:5000])
    one_line_error(cli('generate', '--checkpoint', str(tmp_path/'cut.pt'), '--digit', '1'), 'cut.pt', 'truncated or corrupt')
    (tmp_path/'other.pt').write_bytes(b'not a checkpoint at all')
    one_line_error(cli('generate', '--checkpoint', str(tmp_path/'other.pt'), '--digit', '1'), 'other.pt')
    import torch
    ck = torch.load(good, weights_only=True); ck['config']['latent_dim'] += 1   # a config one wider than its weights
    torch.save(ck, tmp_path/'mismatch.pt')
    one_line_error(cli('generate', '--checkpoint', str(tmp_path/'mismatch.pt'), '--digit', '1'), 'mismatch.pt', 'do not match')
    assert not list(tmp_path.glob('*.png')) and not (tmp_path/'reports').exists()


# `evaluate` and `compare` on a shipped model are run and checked in nbs/09_cli.ipynb (the table row against the recorded
# test loss, and `compare`'s row against `evaluate`'s); running the same 20-second evaluations again here would check
# nothing new.


def test_export_web(tmp_path, cli):
    r = cli('export-web')
    assert r.returncode == 0, r.stderr
    page = (tmp_path/'explorer.html').read_text()
    assert page.startswith('<!doctype html>') and 'class="cvae-spec"' in page and 'explorer.html' in r.stdout


@pytest.mark.parametrize('args, words', [
    (['evaluate', '--model', 'gan'], ['--model', "invalid choice: 'gan'"]),
    (['evaluate', '--model', 'vae', '--checkpoint', 'x.pt'], ['--checkpoint', 'not allowed with argument --model']),
    (['evaluate', '--n', '-5'], ['--n', 'n must be a positive integer, not -5']),
    (['evaluate', '--checkpoint', 'missing.pt'], ['missing.pt', 'no such checkpoint']),
    (['export-web', '--out', 'page.txt'], ['page.txt', '.html']),
    (['export-web', '--checkpoint', 'missing.pt'], ['missing.pt', 'no such checkpoint']),
])
def test_evaluate_export_bad_arguments(tmp_path, cli, args, words):
    one_line_error(cli(*args), *words)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize('args, words', [
    (['compare', 'gan'], ['argument NAME', "unknown model 'gan'; choose one of vae, cvae"]),
    (['compare', '--save', 'vae'], ['--save records every shipped model: name none']),
    (['compare', '--k', '0'], ['--k', 'k must be a positive integer, not 0']),
    (['compare', '--n', '-5', 'cvae'], ['--n', 'n must be a positive integer, not -5']),
    (['retrain'], ['the following arguments are required: NAME']),
    (['retrain', 'vae', 'gan'], ['argument NAME', "unknown model 'gan'"]),
    (['retrain', 'vae', '--device', 'tpu'], ["unknown device 'tpu'"]),
])
def test_compare_retrain_bad_arguments(tmp_path, cli, args, words):
    "Refused in one line before any evaluation or training; `retrain` writes no run folder and no weights."
    weights = {p.name: p.stat().st_mtime_ns for p in (Path(__import__('cvae_mnist').__file__).parent/'weights').iterdir()}
    one_line_error(cli(*args), *words)
    assert list(tmp_path.iterdir()) == []
    assert weights == {p.name: p.stat().st_mtime_ns for p in (Path(__import__('cvae_mnist').__file__).parent/'weights').iterdir()}


def test_compare_retrain_script(tmp_path):
    "The installed script: `compare` and `retrain` are its subcommands, their refusals one line with status 2."
    r = run('--help')
    assert 'compare' in r.stdout and 'retrain' in r.stdout
    r = run('compare', '--help')
    assert r.returncode == 0 and '--save' in r.stdout and 'NAME' in r.stdout
    one_line_error(run('compare', '--save', 'cvae'), '--save records every shipped model')
    r = subprocess.run(['cvae-mnist', 'retrain', 'vae', '--device', 'tpu'], capture_output=True, text=True, cwd=tmp_path,
                       timeout=300)
    one_line_error(r, "unknown device 'tpu'")
    assert list(tmp_path.iterdir()) == []


def test_manifest_commands():
    "The command each shipped model records is this tool's, and it retrains that model."
    for name, entry in manifest().items():
        argv = shlex.split(entry['command'])
        assert argv[0] == 'cvae-mnist', entry['command']
        args = parser().parse_args(argv[1:])
        assert (args.func.__name__, args.names) == ('retrain', [name]), entry['command']


@pytest.mark.parametrize('args, words', [
    (['--epochs', '0'], ['--epochs', 'epochs must be a positive integer, not 0']),
    (['--batch-size', '-8'], ['--batch-size', 'batch_size must be a positive integer, not -8']),
    (['--model', 'gan'], ['--model', "invalid choice: 'gan'"]),
    (['--hidden', '512,x'], ['--hidden', "hidden must be one or more positive integers, not '512,x'"]),
    (['--model', 'conv_vae', '--channels', '8,16,32'], ['channels must be 2 positive integers']),
    (['--model', 'conv_vae', '--hidden', '8,16'], ['hidden is not a setting of conv_vae', 'channels']),
    (['--lr', '-1'], ['lr must be a finite number > 0, not -1.0']),
    (['--beta', 'inf'], ['beta must be a finite number >= 0, not inf']),
    (['--warmup', 'nan'], ['warmup must be a finite number >= 0, not nan']),
    (['--device', 'tpu'], ["unknown device 'tpu'"]),
    (['--resume'], ['no last.pt to resume from']),
    (['--config', 'missing.yaml'], ['missing.yaml', 'no such config file']),
])
def test_train_bad_arguments(tmp_path, cli, args, words):
    one_line_error(cli('train', '--out', 'run', *args), *words)
    assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.mark.parametrize('text, words', [
    ('epoch: 3\n', ["unknown key 'epoch'", 'the keys are model']),
    ('epochs: 0\n', ['epochs must be a positive integer']),
    ('hidden: 512\n', ['hidden must be one or more positive integers, not 512']),
    ('lr: .inf\n', ['lr must be a finite number > 0, not inf']),
    ('model: [vae\n', ['not valid YAML']),
    (b'\xff\xfe\x00garbage', ['cannot read it']),
])
def test_train_bad_config(tmp_path, cli, text, words):
    cfg = tmp_path/'params.yaml'
    cfg.write_bytes(text if isinstance(text, bytes) else text.encode())
    one_line_error(cli('train', '--config', 'params.yaml'), 'params.yaml', *words)
    assert list(tmp_path.iterdir()) == [cfg]


def test_train_no_data_no_network(tmp_path, cli, monkeypatch):
    (tmp_path/'mirror').mkdir()
    monkeypatch.setenv('CVAE_MNIST_DATA', str(tmp_path/'data')); monkeypatch.setenv('CVAE_MNIST_MIRROR', str(tmp_path/'mirror'))
    one_line_error(cli('train', '--model', 'vae', '--epochs', '1'), 'could not download', 'CVAE_MNIST_MIRROR')
    assert not (tmp_path/'runs').exists()


def test_train_interrupt_and_resume(tmp_path, cli):
    """Ctrl-C after an epoch: exit 130 with how to resume; --resume finishes the run; its best weights generate. (The
    signal needs a process of its own; the resumed run and the generating do not.)"""
    import signal, time
    # short epochs (2,000 images), and more of them than the test waits for: Ctrl-C lands in the middle of the run
    # a shell's background job ignores SIGINT, and a child Python then installs no handler for it: give it the default
    p = subprocess.Popen(['cvae-mnist', 'train', '--model', 'vae', '--epochs', '200', '--train-subset', '2000', '--valid', '1000',
                          '--out', 'run'],
                         cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    t0 = time.time()
    while not (tmp_path/'run'/'last.pt').exists() and time.time() - t0 < 240 and p.poll() is None: time.sleep(0.1)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=120)
    assert p.returncode == 130, err
    assert 'interrupted' in err and 'cvae-mnist train --config run/params.yaml --resume' in err
    done = len((tmp_path/'run'/'history.csv').read_text().splitlines()) - 1  # the epochs finished before Ctrl-C
    r = cli('train', '--config', 'run/params.yaml', '--resume', '--epochs', str(done + 1))
    assert r.returncode == 0, r.stderr
    epochs = [l.split(',')[0] for l in (tmp_path/'run'/'history.csv').read_text().splitlines()[1:]]
    assert done >= 1 and epochs == [str(e) for e in range(1, done + 2)]
    r = cli('generate', '--checkpoint', 'run/best.pt', '--num-samples', '4')
    assert r.returncode == 0, r.stderr
    assert (tmp_path/'reports'/'figures'/'run_best_samples.png').read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'


def test_train_mlflow(tmp_path):
    "A short run logged to a temporary local MLflow store, read back through MLflow's API."
    if not os.environ.get('CVAE_MNIST_REQUIRE_MLFLOW'): pytest.importorskip('mlflow')
    import mlflow
    uri = f"sqlite:///{tmp_path/'mlflow.db'}"
    r = subprocess.run(['cvae-mnist', 'train', '--model', 'vae', '--epochs', '2', '--train-subset', '2000', '--valid', '1000',
                        '--out', 'run', '--mlflow'],
                       capture_output=True,
                       text=True, cwd=tmp_path, timeout=600, env={**os.environ, 'MLFLOW_TRACKING_URI': uri})
    assert r.returncode == 0, r.stderr
    client = mlflow.tracking.MlflowClient(uri)
    [run] = client.search_runs([client.get_experiment_by_name('cvae_mnist').experiment_id])
    assert run.info.status == 'FINISHED' and run.data.params['model'] == 'vae' and run.data.params['epochs'] == '2'
    history = client.get_metric_history(run.info.run_id, 'valid_loss')
    assert [m.step for m in history] == [1, 2] and history[1].value < history[0].value
    files = {f.path for f in client.list_artifacts(run.info.run_id)}
    assert {'best.pt', 'params.yaml', 'loss.png', 'history.csv', 'samples', 'recon'} <= files


def test_train_mlflow_missing(tmp_path):
    "Without mlflow, --mlflow fails before training starts, and writes nothing."
    (tmp_path/'fake'/'mlflow').mkdir(parents=True)
    (tmp_path/'fake'/'mlflow'/'__init__.py').write_text("raise ImportError('No module named mlflow')\n")
    r = subprocess.run(['cvae-mnist', 'train', '--model', 'vae', '--out', 'run', '--mlflow'], capture_output=True, text=True,
                       cwd=tmp_path, timeout=300, env={**os.environ, 'PYTHONPATH': str(tmp_path/'fake')})
    one_line_error(r, '--mlflow', "pip install 'cvae_mnist[mlflow]'")
    assert sorted(p.name for p in tmp_path.iterdir()) == ['fake']


def test_train_diverges(tmp_path, cli):
    "A learning rate of 1,000 sends the loss to NaN: status 1, the error in one line, no checkpoint with NaN."
    r = cli('train', '--model', 'vae', '--epochs', '1', '--train-subset', '2000', '--lr', '1000', '--out', 'run')
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 2, r.stderr  # the opening line, then the error
    err = r.stderr.splitlines()[-1]
    assert err.startswith('cvae-mnist: error: training diverged in epoch 1, step '), err
    assert 'before its first epoch ended' in err and '--lr' in err and '--warmup' in err
    assert sorted(p.name for p in (tmp_path/'run').iterdir()) == ['params.yaml']


@pytest.fixture(scope='module')
def three():
    "A 3 drawn by the shipped `cvae` (seed 0): (28, 28) ink in [0, 1], which it reads back as a 3."
    from cvae_mnist.pretrained import load_pretrained
    return load_pretrained('cvae').sample(1, y=[3], seed=0)[0, 0].float().numpy()


def picture(ink, path, scale=5, light_on_dark=False, canvas=None):
    "Write `ink` to `path` as a picture `scale` times its size: dark on white, or light on black; at the top left of `canvas`."
    import numpy as np
    from PIL import Image
    a = np.kron(ink, np.ones((scale, scale)))
    if canvas: a = np.pad(a, ((10, canvas[0] - len(a) - 10), (30, canvas[1] - len(a) - 30)))
    Image.fromarray(((a if light_on_dark else 1 - a)*255).round().astype(np.uint8)).save(path)
    return path


def read_output(r):
    "The digit marked read, the ten percents and the ELBO line of `cvae-mnist read`'s output."
    lines = r.stdout.splitlines()
    rows = lines[2:12]
    assert [l.split()[0] for l in rows] == [str(d) for d in range(10)], r.stdout
    marked = [int(l.split()[0]) for l in rows if l.endswith('<- read')]
    return marked, [float(l.split()[1].rstrip('%')) for l in rows], lines[12]


def test_read_png(tmp_path, three):
    "A PNG of dark ink at 5 times its size: read as a 3, the row of 11 digits written where it says, by default."
    picture(three, tmp_path/'three.png')
    r = subprocess.run(['cvae-mnist', 'read', 'three.png'], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert r.returncode == 0, r.stderr
    marked, percents, elbo = read_output(r)
    assert marked == [3] and max(percents) == percents[3] and abs(sum(percents) - 100) < 0.6
    assert elbo.startswith('ELBO as a 3: ') and ' nats = log p(x|z,y) ' in elbo and ' - KL ' in elbo
    from PIL import Image
    out = tmp_path/'reports'/'figures'/'three_read_cvae.png'
    assert Image.open(out).size == (2*(11*30 + 2), 2*32) and f'wrote {out.relative_to(tmp_path)}' in r.stdout
    assert sorted(p.name for p in out.parent.iterdir()) == ['three_read_cvae.png']  # no temporary file left


def test_read_jpeg(tmp_path, three, cli):
    "A JPEG of light ink on dark paper, 4 times its size, off centre in a larger picture; and --digit."
    picture(three, tmp_path/'three.jpg', scale=4, light_on_dark=True, canvas=(200, 300))
    r = cli('read', str(tmp_path/'three.jpg'), '--out', str(tmp_path/'out.png'))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == f'{tmp_path/"three.jpg"}: light ink on dark paper, threshold 0.5'
    marked, percents, _ = read_output(r)
    assert marked == [3]
    r5 = cli('read', str(tmp_path/'three.jpg'), '--out', str(tmp_path/'as5.png'), '--digit', '5', '--threshold', '0.6')
    assert r5.returncode == 0, r5.stderr
    assert read_output(r5)[0] == [3] and read_output(r5)[2].startswith('ELBO as a 5: ') and 'threshold 0.6' in r5.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ['as5.png', 'out.png', 'three.jpg']


@pytest.mark.parametrize('name, args, words', [
    ('missing.png', [], ['missing.png: no such picture file']),
    ('notes.png', [], ['notes.png: not a picture (PNG, JPEG']),
    ('cut.jpg', [], ['cut.jpg: cannot decode it']),
    ('blank.png', [], ['blank.png: no ink: the picture is one flat grey']),
    ('black.jpg', [], ['black.jpg: no ink: the picture is one flat grey']),
    ('faint.png', [], ['faint.png: no ink: its darkest ink is']),
    ('huge.png', [], ['huge.png: 30 MB, more than the 30 MB']),
    ('bomb.png', [], ['bomb.png: 10000x6000 pixels, more than the 50 megapixels']),
    ('folder', [], ['folder: not a file']),
    ('three.png', ['--model', 'vae'], ['--model vae is unconditional', 'cvae']),
    ('three.png', ['--model', 'gan'], ['--model', "invalid choice: 'gan'"]),
    ('three.png', ['--digit', '10'], ['--digit', "'10' is not a digit 0-9"]),
    ('three.png', ['--threshold', '1'], ['--threshold', "'1' is not a number from 0 to below 1"]),
    ('three.png', ['--threshold', 'nan'], ['--threshold', "'nan' is not a number"]),
    ('three.png', ['--out', 'out.jpg'], ['out.jpg', 'must end in .png']),
    ('three.png', ['--out', 'three.png'], ['three.png is the picture itself']),
])
def test_read_bad_input(tmp_path, three, cli, name, args, words):
    "Each refused in one line that names the file or the argument, status 2, and nothing written."
    import numpy as np
    from PIL import Image
    picture(three, tmp_path/'three.png')
    (tmp_path/'notes.png').write_text('a note, not a picture')
    picture(three, tmp_path/'full.jpg'); (tmp_path/'cut.jpg').write_bytes((tmp_path/'full.jpg').read_bytes()[:600])
    Image.new('L', (60, 40), 255).save(tmp_path/'blank.png')
    Image.new('RGB', (60, 40), 'black').save(tmp_path/'black.jpg')
    Image.fromarray((200 - 20*three).astype(np.uint8)).save(tmp_path/'faint.png')  # 10% darker than its paper
    with open(tmp_path/'huge.png', 'wb') as f: f.truncate(30_000_001)  # sparse: no room on the disk
    Image.new('1', (10_000, 6_000)).save(tmp_path/'bomb.png')
    (tmp_path/'folder').mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    out = [] if '--out' in args else ['--out', 'out.png']
    one_line_error(cli('read', name, *args, *out), *words)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
