#!/usr/bin/python3
"""The convnets of samples/FashionMnist (--model cnn, --model cnn-bn) in PyTorch, with Keras's choices where the
frameworks differ (Glorot-uniform kernels, zero biases, Adam eps 1e-7, BatchNormalization momentum 0.99 and
epsilon 1e-3, TensorFlow 'same' padding, the last 10% of the training set as validation), for side-by-side accuracy
comparisons with NnGen. Usage: fashion_cnn.py [--model cnn|cnn-bn] [--seed N] [--epochs N] [--batch-size N]"""
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
ap.add_argument('--model', default='cnn', choices=['cnn', 'cnn-bn'])
ap.add_argument('--seed', type=int, default=1)
ap.add_argument('--epochs', type=int, default=15)
ap.add_argument('--batch-size', type=int, default=128)
ap.add_argument('--threads', type=int, default=2)
a = ap.parse_args()
torch.manual_seed(a.seed); np.random.seed(a.seed); torch.set_num_threads(a.threads)
images = lambda n: torch.tensor(idx(find(a.data, n)).reshape(-1, 1, 28, 28), dtype=torch.float32) / 255
labels = lambda n: torch.tensor(idx(find(a.data, n)), dtype=torch.long)
x, y = images('train-images-idx3-ubyte'), labels('train-labels-idx1-ubyte')
tx, ty = images('t10k-images-idx3-ubyte'), labels('t10k-labels-idx1-ubyte')
split = int(np.floor(len(x) * 0.9))
x, vx, y, vy = x[:split], x[split:], y[:split], y[split:]

def bn(c): return nn.BatchNorm2d(c, eps=1e-3, momentum=0.01)  # Keras momentum 0.99 is PyTorch's 0.01
if a.model == 'cnn':  # Keras's "simple MNIST convnet", 34,826 parameters
    model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10))
else:  # 3x3 'same' (stride 1: symmetric padding 1, as TensorFlow's) convolutions without bias, each normalised per channel
    model = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1, bias=False), bn(32), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(32, 64, 3, padding=1, bias=False), bn(64), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Dropout(0.3), nn.Linear(3136, 128), nn.BatchNorm1d(128, eps=1e-3, momentum=0.01), nn.ReLU(),
                          nn.Dropout(0.3), nn.Linear(128, 10))
for m in model:
    if isinstance(m, (nn.Linear, nn.Conv2d)):
        nn.init.xavier_uniform_(m.weight)
        if m.bias is not None: nn.init.zeros_(m.bias)
print(f'parameters: {sum(p.numel() for p in model.parameters())}')
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
