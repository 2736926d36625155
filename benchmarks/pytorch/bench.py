#!/usr/bin/python3
"""PyTorch side of benchmarks/compare.py: the same configurations as NnGen.Benchmarks, timed the same way
(warm-up, then the mean of repeated runs). Prints JSON: {'torch': version, 'threads2' and 'threads1': {name: seconds_per_operation,
'config': {name: the PyTorch configuration timed, for the convnet rows the fastest of several}}}."""
import json, sys, time
import torch
from torch import nn

def model():
    m = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    for l in m:
        if isinstance(l, nn.Linear): nn.init.xavier_uniform_(l.weight); nn.init.zeros_(l.bias)
    return m

def cnn():  # fashion_cnn.py's 'cnn', Keras's simple MNIST convnet (the initialisation does not matter for timing)
    return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10))

LAYOUTS = {'eager NCHW': torch.contiguous_format, 'eager channels_last': torch.channels_last}

def timeit(fn, min_time=2.0, warmup=0.5):
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < warmup: fn()
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < min_time: fn(); n += 1
    return (time.perf_counter() - t0) / n

def run(threads):
    torch.set_num_threads(threads); torch.manual_seed(0)
    g = torch.Generator().manual_seed(7)
    x = torch.rand(48000, 784, generator=g) * (torch.rand(48000, 784, generator=g) > 0.5)
    y = torch.randint(0, 10, (48000,), generator=g)
    out = {}
    for batch in (32, 256):
        m = model(); opt = torch.optim.Adam(m.parameters(), lr=1e-3, eps=1e-7); loss_fn = nn.CrossEntropyLoss()
        state = {'i': 0}
        def step():
            i = state['i'] % (48000 // batch) * batch; state['i'] += 1
            opt.zero_grad(); loss_fn(m(x[i:i + batch]), y[i:i + batch]).backward(); opt.step()
        out[f'TrainStep/{batch}'] = timeit(step)
        def epoch():
            perm = torch.randperm(48000)
            for i in range(0, 48000, batch):
                idx = perm[i:i + batch]; opt.zero_grad(); loss_fn(m(x[idx]), y[idx]).backward(); opt.step()
        out[f'Epoch/{batch}'] = timeit(epoch, min_time=4.0, warmup=0.1)
    m = model().eval()
    with torch.no_grad():
        one = x[:1]; traced = torch.jit.trace(m, one)
        out['Predict/Single'] = timeit(lambda: traced(one))
        xb = x[:1000]
        out['Predict/Batch1000'] = timeit(lambda: m(xb)) / 1000
    out['config'] = {**{key: 'eager' for key in out}, 'Predict/Single': 'jit.trace'}
    conv(x.view(48000, 1, 28, 28), y, out)
    return out

def fastest(out, key, variants, **kw):
    """PyTorch at its best: times each configuration (name -> function) and keeps the fastest, recording its name."""
    times = {name: timeit(fn, **kw) for name, fn in variants.items()}
    best = min(times, key=times.get)
    out[key] = times[best]; out.setdefault('config', {})[key] = best

def conv(x, y, out):
    """The convnet rows: ConvTrainStep/32 and /128 (distinct batches cycling over 48,000 samples), ConvEpoch/128 (one epoch
    of 12,000 samples, as NnGen's ConvEpoch), ConvPredict/Single and /Batch1000 (per sample); eager PyTorch in NCHW or
    channels_last, and for inference also traced and frozen TorchScript."""
    loss_fn = nn.CrossEntropyLoss()
    def trainer(layout):
        m = cnn().to(memory_format=layout).train(); opt = torch.optim.Adam(m.parameters(), lr=1e-3, eps=1e-7)
        xs = x.contiguous(memory_format=layout)
        def train(idx):
            opt.zero_grad(); loss_fn(m(xs[idx].contiguous(memory_format=layout)), y[idx]).backward(); opt.step()
        return train
    for batch in (32, 128):
        def step(train, state={'i': 0}):
            i = state['i'] % (48000 // batch) * batch; state['i'] += 1
            train(slice(i, i + batch))
        fastest(out, f'ConvTrainStep/{batch}', {name: lambda t=trainer(l): step(t) for name, l in LAYOUTS.items()})
    def epoch(train, samples=12000, batch=128):
        perm = torch.randperm(samples)
        for i in range(0, samples, batch): train(perm[i:i + batch])
    fastest(out, 'ConvEpoch/128', {name: lambda t=trainer(l): epoch(t) for name, l in LAYOUTS.items()}, min_time=4.0, warmup=0.1)
    with torch.no_grad():
        for key, xb, per in (('ConvPredict/Single', x[:1], 1), ('ConvPredict/Batch1000', x[:1000], 1000)):
            variants = {}
            for name, layout in LAYOUTS.items():
                m = cnn().to(memory_format=layout).eval(); xl = xb.contiguous(memory_format=layout)
                variants[name] = lambda m=m, xl=xl: m(xl)
                frozen = torch.jit.freeze(torch.jit.trace(m, xl))
                variants[name.replace('eager', 'jit.trace+freeze')] = lambda f=frozen, xl=xl: f(xl)
            fastest(out, key, variants)
            out[key] /= per

print(json.dumps({'torch': torch.__version__, 'threads2': run(2), 'threads1': run(1)}))
