"""Does `torch.compile` pay for the trainer? The training step of the 784-400-20 VAE, eager and compiled, in one process.

    python bench/compile_speed.py [--epochs 3]

Both run the trainer's step (`autocast_for`, `vae_loss`, the fused `adam`) over the MNIST training set; the compiled one
compiles the forward pass and loss (`dynamic=False`: the full batches and the last, smaller one each get a graph).
Its first epoch includes the compilation. Not measured: the test pass, which would need its own graphs.
"""
import argparse, time

import torch

from cvae_mnist.data import Batches, get_device, load_mnist
from cvae_mnist.train import adam, autocast_for
from cvae_mnist.vae import VAE, vae_loss


def epochs_seconds(compiled:bool, epochs:int, dev) -> list:
    "Seconds of each epoch of training a fresh VAE, eager or compiled."
    train = Batches(*load_mnist('train'), batch_size=128, device=dev, seed=0)
    torch.manual_seed(0); model = VAE().to(dev); opt = adam(model.parameters(), 1e-3)
    amp = autocast_for(dev)  # decided here, outside the compiled code: as a torch.autocast, or none
    kind, dtype = (amp.device, amp.fast_dtype) if isinstance(amp, torch.autocast) else (dev.type, None)
    def loss_of(x, y):
        with torch.autocast(kind, dtype=dtype, enabled=dtype is not None): logits, mu, logvar = model(x, y)
        return vae_loss(logits.float(), mu.float(), logvar.float(), x)[0]
    step_loss = torch.compile(loss_of, dynamic=False) if compiled else loss_of
    secs = []
    for _ in range(epochs):
        t = time.perf_counter()
        for x, y in train: opt.zero_grad(set_to_none=True); loss = step_loss(x, y); loss.backward(); opt.step()
        loss.item(); secs.append(time.perf_counter() - t)  # reading a value waits for the device
    return secs


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--epochs', type=int, default=3)
    p.add_argument('--device', default=None)
    args = p.parse_args()
    dev = get_device(args.device)
    eager, comp = epochs_seconds(False, args.epochs, dev), epochs_seconds(True, args.epochs, dev)
    print(f"device {dev}, torch {torch.__version__}, {torch.get_num_threads()} threads")
    print('eager    epochs (s):', ' '.join(f'{s:.2f}' for s in eager))
    print('compiled epochs (s):', ' '.join(f'{s:.2f}' for s in comp))
    e, c = min(eager[1:] or eager), min(comp[1:] or comp)
    cost = comp[0] - c  # the first compiled epoch, less a warm one: the compilation
    print(f"compiling costs {cost:.1f} s and saves {e - c:.2f} s per epoch ({e/c:.2f}x): it pays after "
          + (f"{cost/(e - c):.0f} epochs" if e > c else "never"))


if __name__ == '__main__': main()
