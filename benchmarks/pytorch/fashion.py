"""What the Fashion-MNIST reference scripts share: the IDX reader and Keras's fit loop (shuffle each epoch, validation
accuracy after each, test loss and accuracy at the end), so fashion_mlp.py and fashion_cnn.py differ only in their model."""
import gzip, os, struct, time
import numpy as np
import torch

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

def load(data, shape, validation_split):
    """Images scaled to [0, 1] in `shape` per sample, class labels; the last `validation_split` of the training set held out, as Keras."""
    images = lambda n: torch.tensor(idx(find(data, n)).reshape((-1,) + shape), dtype=torch.float32) / 255
    labels = lambda n: torch.tensor(idx(find(data, n)), dtype=torch.long)
    x, y = images('train-images-idx3-ubyte'), labels('train-labels-idx1-ubyte')
    split = int(np.floor(len(x) * (1 - validation_split)))
    return (x[:split], y[:split]), (x[split:], y[split:]), (images('t10k-images-idx3-ubyte'), labels('t10k-labels-idx1-ubyte'))

def fit(model, train, val, test, epochs, batch_size):
    (x, y), (vx, vy), (tx, ty) = train, val, test
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)  # Keras's epsilon
    loss_fn = torch.nn.CrossEntropyLoss()
    for epoch in range(epochs):
        t0 = time.perf_counter(); perm = torch.randperm(len(x)); total = 0.0
        model.train()
        for i in range(0, len(x), batch_size):
            idxs = perm[i:i + batch_size]
            opt.zero_grad(); loss = loss_fn(model(x[idxs]), y[idxs]); loss.backward(); opt.step()
            total += loss.item() * len(idxs)
        model.eval()
        with torch.no_grad():
            vacc = (model(vx).argmax(1) == vy).float().mean().item()
        print(f'epoch {epoch + 1}: loss {total / len(x):.4f} val_accuracy {vacc:.4f} {time.perf_counter() - t0:.2f}s', flush=True)
    with torch.no_grad():
        out = model(tx); print(f'test loss {loss_fn(out, ty).item():.4f} test accuracy {(out.argmax(1) == ty).float().mean().item():.4f}')
