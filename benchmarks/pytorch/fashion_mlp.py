#!/usr/bin/python3
"""The Keras tutorial's MLP in PyTorch, with Keras's choices where the frameworks differ (Glorot-uniform
kernels, zero biases, Adam eps 1e-7, the last 20% of the training set as validation), for side-by-side
accuracy and speed comparisons with NnGen. Usage: fashion_mlp.py [--seed N] [--epochs N] [--batch-size N]"""
import argparse, gzip, os, struct, time
import numpy as np
import torch
from torch import nn

def idx(path):
    with (gzip.open if open(path, 'rb').read(2) == b'\x1f\x8b' else open)(path, 'rb') as f:
        data = f.read()
    magic, = struct.unpack('>I', data[:4]); dims = magic & 0xff
    shape = struct.unpack('>' + 'I' * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)

def find(d, name):
    for n in (name + '.gz', name):
        if os.path.exists(os.path.join(d, n)): return os.path.join(d, n)
    raise FileNotFoundError(os.path.join(d, name))

ap = argparse.ArgumentParser()
ap.add_argument('--data', default=os.environ.get('NNGEN_DATA', '/usr/share/datasets/fashion-mnist'))
ap.add_argument('--seed', type=int, default=42)
ap.add_argument('--epochs', type=int, default=10)
ap.add_argument('--batch-size', type=int, default=32)
ap.add_argument('--threads', type=int, default=2)
a = ap.parse_args()
torch.manual_seed(a.seed); np.random.seed(a.seed); torch.set_num_threads(a.threads)
x = torch.tensor(idx(find(a.data, 'train-images-idx3-ubyte')).reshape(-1, 784), dtype=torch.float32) / 255
y = torch.tensor(idx(find(a.data, 'train-labels-idx1-ubyte')), dtype=torch.long)
tx = torch.tensor(idx(find(a.data, 't10k-images-idx3-ubyte')).reshape(-1, 784), dtype=torch.float32) / 255
ty = torch.tensor(idx(find(a.data, 't10k-labels-idx1-ubyte')), dtype=torch.long)
split = int(np.floor(len(x) * 0.8))
x, vx, y, vy = x[:split], x[split:], y[:split], y[split:]
model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
for m in model:
    if isinstance(m, nn.Linear): nn.init.xavier_uniform_(m.weight); nn.init.zeros_(m.bias)
opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
loss_fn = nn.CrossEntropyLoss()
for epoch in range(a.epochs):
    t0 = time.perf_counter(); perm = torch.randperm(len(x)); total = 0.0
    model.train()
    for i in range(0, len(x), a.batch_size):
        idxs = perm[i:i + a.batch_size]
        opt.zero_grad(); loss = loss_fn(model(x[idxs]), y[idxs]); loss.backward(); opt.step()
        total += loss.item() * len(idxs)
    model.eval()
    with torch.no_grad():
        vacc = (model(vx).argmax(1) == vy).float().mean().item()
    print(f'epoch {epoch + 1}: loss {total / len(x):.4f} val_accuracy {vacc:.4f} {time.perf_counter() - t0:.2f}s', flush=True)
with torch.no_grad():
    out = model(tx); print(f'test loss {loss_fn(out, ty).item():.4f} test accuracy {(out.argmax(1) == ty).float().mean().item():.4f}')
