"""Training speed: the project's trainer against the approach of PyTorch's VAE example, in one process.

    python bench/train_speed.py [--epochs 10] [--device cpu|cuda|mps] [--repeats 1]

Both train the same 784-400-20 VAE (batch 128, Adam lr 1e-3, a train pass and a test pass per epoch, seed 0) on the same
device, one after the other; a repeat runs them in the opposite order. Also measured in the same run: the hardware limit,
the five linear layers' forward and backward alone over one epoch's batches.
"""
import argparse, gzip, shutil, tempfile, time
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from cvae_mnist.data import MNIST_SPLITS, Batches, get_device, load_mnist, mnist_file
from cvae_mnist.config import TrainConfig
from cvae_mnist.train import autocast_for, fit
from cvae_mnist.vae import VAE


def sync(dev):
    "Wait for the device, so that a timer measures finished work."
    if dev.type == 'cuda': torch.cuda.synchronize()
    elif dev.type == 'mps': torch.mps.synchronize()


def torchvision_root() -> Path:
    "A folder laid out as `torchvision.datasets.MNIST` expects (`MNIST/raw/`, uncompressed IDX), from the project's verified files."
    # The real example downloads these with `download=True`; there is no internet here, so we unpack the project's copies.
    root = Path(tempfile.mkdtemp(prefix='tv_mnist_')); raw = root/'MNIST'/'raw'; raw.mkdir(parents=True)
    for name in sum(MNIST_SPLITS.values(), ()):
        with gzip.open(mnist_file(name)) as src, open(raw/name.removesuffix('.gz'), 'wb') as dst: shutil.copyfileobj(src, dst)
    return root


# ---- The approach of pytorch/examples vae/main.py (its model, loss and loop; console logging and image files left out)
class ExampleVAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc21, self.fc22 = nn.Linear(784, 400), nn.Linear(400, 20), nn.Linear(400, 20)
        self.fc3, self.fc4 = nn.Linear(20, 400), nn.Linear(400, 784)
    def encode(self, x): h1 = F.relu(self.fc1(x)); return self.fc21(h1), self.fc22(h1)
    def reparameterize(self, mu, logvar): return mu + torch.randn_like(mu)*torch.exp(0.5*logvar)
    def decode(self, z): return torch.sigmoid(self.fc4(F.relu(self.fc3(z))))
    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, 784))
        return self.decode(self.reparameterize(mu, logvar)), mu, logvar

def example_loss(recon_x, x, mu, logvar):
    BCE = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction='sum')
    KLD = -0.5*torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return BCE + KLD

def run_example(epochs:int, dev, root:Path) -> dict:
    "Train and test as the example does; seconds per epoch, end to end, and the last test loss per image."
    t0 = time.perf_counter(); torch.manual_seed(0)
    kwargs = {'num_workers': 1, 'pin_memory': True} if dev.type == 'cuda' else {}
    train_loader = DataLoader(datasets.MNIST(root, train=True, download=False, transform=transforms.ToTensor()),
                              batch_size=128, shuffle=True, **kwargs)
    test_loader = DataLoader(datasets.MNIST(root, train=False, transform=transforms.ToTensor()),
                             batch_size=128, shuffle=False, **kwargs)
    model = ExampleVAE().to(dev); optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    secs = []
    for epoch in range(epochs):
        te = time.perf_counter(); model.train(); train_loss = 0
        for data, _ in train_loader:
            data = data.to(dev); optimizer.zero_grad()
            recon_batch, mu, logvar = model(data)
            loss = example_loss(recon_batch, data, mu, logvar); loss.backward()
            train_loss += loss.item(); optimizer.step()
        model.eval(); test_loss = 0
        with torch.no_grad():
            for data, _ in test_loader:
                data = data.to(dev); recon_batch, mu, logvar = model(data)
                test_loss += example_loss(recon_batch, data, mu, logvar).item()
        secs.append(time.perf_counter() - te)
    return dict(epochs=secs, total=time.perf_counter() - t0, test_loss=test_loss/len(test_loader.dataset))


# ---- The project's trainer, from the cached tensors to the last test loss
def run_project(epochs:int, dev, amp:bool=True) -> dict:
    "`fit` with the issue's config; the batches are built exactly as `fit` builds them, so that we can see where they live."
    t0 = time.perf_counter()
    train = Batches(*load_mnist('train'), batch_size=128, device=dev, seed=0)
    test = Batches(*load_mnist('test'), batch_size=1000, shuffle=False, device=dev)
    torch.manual_seed(0); model = VAE()
    cfg = TrainConfig(epochs=epochs, batch_size=128, lr=1e-3, schedule='constant', seed=0, device=str(dev), amp=amp)
    hist = fit(model, cfg, train=train, test=test, progress=False)
    sync(dev)
    return dict(epochs=[h['seconds'] for h in hist], total=time.perf_counter() - t0, test_loss=hist[-1]['test_loss'],
                data_device=str(train.x.device), batch_device=str(next(iter(train))[0].device))


# ---- The limit: only the matrix multiplications of the five linear layers, forward and backward, over an epoch's batches
def matmul_epoch(dev, n:int=60_000, batch_size:int=128, reps:int=3) -> float:
    "Seconds per epoch of the example's five linear layers alone (no activations, loss or optimizer); best of `reps`."
    torch.manual_seed(0); fc1, fc21, fc22, fc3, fc4 = [nn.Linear(a, b).to(dev) for a, b in
                                                       [(784, 400), (400, 20), (400, 20), (20, 400), (400, 784)]]
    xs = {b: torch.rand(b, 784, device=dev) for b in {batch_size, n % batch_size or batch_size}}
    sizes = [batch_size]*(n//batch_size) + ([n % batch_size] if n % batch_size else [])
    best = float('inf')
    for _ in range(reps):
        sync(dev); t = time.perf_counter()
        for b in sizes:
            h1 = fc1(xs[b]); mu, logvar = fc21(h1), fc22(h1); out = fc4(fc3(mu))
            torch.autograd.backward([out, logvar], [torch.ones_like(out), torch.ones_like(logvar)])
        sync(dev); best = min(best, time.perf_counter() - t)
    return best


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--epochs', type=int, default=10)
    p.add_argument('--device', default=None, help='cpu, cuda or mps (default: the best available)')
    p.add_argument('--repeats', type=int, default=1, help='run both this many times, alternating the order; report the best')
    p.add_argument('--no-amp', action='store_true', help="train the project's model in float32 (TrainConfig(amp=False))")
    args = p.parse_args()
    dev = get_device(args.device)
    print(f"device {dev}, torch {torch.__version__}, {torch.get_num_threads()} threads, {args.epochs} epochs, "
          f"project amp={not args.no_amp} (autocast {type(autocast_for(dev, not args.no_amp)).__name__})")
    root = torchvision_root()
    runs, limits = {'example': [], 'project': []}, []
    for r in range(args.repeats):
        for name in (('example', 'project') if r % 2 == 0 else ('project', 'example')):
            runs[name].append(run_example(args.epochs, dev, root) if name == 'example' else run_project(args.epochs, dev, not args.no_amp))
            limits.append(matmul_epoch(dev))
    shutil.rmtree(root)
    ex, pr = (min(runs[k], key=lambda d: d['total']) for k in ('example', 'project'))
    limit = min(limits)
    print(f"project data on {pr['data_device']}, batches on {pr['batch_device']}"
          f" ({'stays on the device' if pr['data_device'] == pr['batch_device'] == str(torch.empty(0, device=dev).device) else 'NOT on the device'})")
    print(f"limit (5 linear layers, fwd+bwd, one epoch of batches): {limit:.2f} s\n")
    print('epoch  example s  project s  project/limit')
    for i, (a, b) in enumerate(zip(ex['epochs'], pr['epochs']), 1): print(f"{i:5d}  {a:9.2f}  {b:9.2f}  {b/limit:13.2f}")
    med = lambda v: sorted(v)[len(v)//2]
    print(f"\nmedian epoch: example {med(ex['epochs']):.2f} s, project {med(pr['epochs']):.2f} s "
          f"({med(ex['epochs'])/med(pr['epochs']):.2f}x faster; {med(pr['epochs'])/limit:.2f}x the limit)")
    print(f"end to end:   example {ex['total']:.1f} s, project {pr['total']:.1f} s ({ex['total']/pr['total']:.2f}x faster)")
    print(f"test loss:    example {ex['test_loss']:.2f}, project {pr['test_loss']:.2f} "
          f"({'no worse' if pr['test_loss'] <= ex['test_loss'] else 'WORSE'})")


if __name__ == '__main__': main()
