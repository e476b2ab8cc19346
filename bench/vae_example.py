"""PyTorch's own VAE example (pytorch/examples, vae/main.py) as its users run it, the baseline of bench/train_speed.py.

    python bench/vae_example.py --data ROOT [--epochs 10] [--seed 1] [--batch-size 128]

Written after the example's structure and defaults: `datasets.MNIST` through a `DataLoader` (`ToTensor`), the
784-400-20 MLP with a sigmoid output, Adam at 1e-3, BCE summed over pixels plus the closed-form KL, a log line every 10
batches, a test pass and an eight-digit reconstruction image after each epoch, and 64 samples saved after each epoch,
all in float32 on the CPU (or CUDA/MPS if there is one, as the example picks). One change: `--data` points at a folder
that already holds `MNIST/raw` (the example downloads it; there is no internet here), and the images go to `results/`
in the working folder, as the example's do.
"""
import argparse
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn, optim
from torchvision import datasets, transforms
from torchvision.utils import save_image

p = argparse.ArgumentParser(description='VAE MNIST Example')
p.add_argument('--batch-size', type=int, default=128)
p.add_argument('--epochs', type=int, default=10)
p.add_argument('--seed', type=int, default=1)
p.add_argument('--log-interval', type=int, default=10)
p.add_argument('--data', required=True, help='a folder holding MNIST/raw, as torchvision lays it out')
args = p.parse_args()

torch.manual_seed(args.seed)
device = torch.device('cuda' if torch.cuda.is_available() else 'mps' if torch.backends.mps.is_available() else 'cpu')
kwargs = {'num_workers': 1, 'pin_memory': True} if device.type == 'cuda' else {}
train_loader = torch.utils.data.DataLoader(datasets.MNIST(args.data, train=True, transform=transforms.ToTensor()),
                                           batch_size=args.batch_size, shuffle=True, **kwargs)
test_loader = torch.utils.data.DataLoader(datasets.MNIST(args.data, train=False, transform=transforms.ToTensor()),
                                          batch_size=args.batch_size, shuffle=False, **kwargs)


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc21, self.fc22 = nn.Linear(784, 400), nn.Linear(400, 20), nn.Linear(400, 20)
        self.fc3, self.fc4 = nn.Linear(20, 400), nn.Linear(400, 784)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar):
        return mu + torch.randn_like(mu)*torch.exp(0.5*logvar)

    def decode(self, z):
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z))))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, 784))
        return self.decode(self.reparameterize(mu, logvar)), mu, logvar


model = VAE().to(device)
optimizer = optim.Adam(model.parameters(), lr=1e-3)


def loss_function(recon_x, x, mu, logvar):
    bce = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction='sum')
    kld = -0.5*torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld


def train(epoch):
    model.train()
    train_loss = 0
    for batch_idx, (data, _) in enumerate(train_loader):
        data = data.to(device)
        optimizer.zero_grad()
        recon_batch, mu, logvar = model(data)
        loss = loss_function(recon_batch, data, mu, logvar)
        loss.backward()
        train_loss += loss.item()
        optimizer.step()
        if batch_idx % args.log_interval == 0:
            print(f'Train Epoch: {epoch} [{batch_idx*len(data)}/{len(train_loader.dataset)} '
                  f'({100.*batch_idx/len(train_loader):.0f}%)]\tLoss: {loss.item()/len(data):.6f}')
    print(f'====> Epoch: {epoch} Average loss: {train_loss/len(train_loader.dataset):.4f}')


def test(epoch):
    model.eval()
    test_loss = 0
    with torch.no_grad():
        for i, (data, _) in enumerate(test_loader):
            data = data.to(device)
            recon_batch, mu, logvar = model(data)
            test_loss += loss_function(recon_batch, data, mu, logvar).item()
            if i == 0:
                n = min(data.size(0), 8)
                comparison = torch.cat([data[:n], recon_batch.view(args.batch_size, 1, 28, 28)[:n]])
                save_image(comparison.cpu(), f'results/reconstruction_{epoch}.png', nrow=n)
    print(f'====> Test set loss: {test_loss/len(test_loader.dataset):.4f}')


if __name__ == '__main__':
    Path('results').mkdir(exist_ok=True)
    for epoch in range(1, args.epochs + 1):
        train(epoch)
        test(epoch)
        with torch.no_grad():
            sample = model.decode(torch.randn(64, 20).to(device)).cpu()
            save_image(sample.view(64, 1, 28, 28), f'results/sample_{epoch}.png')
