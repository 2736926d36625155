#!/usr/bin/python3
"""PyTorch side of benchmarks/compare.py: the same configurations as NnGen.Benchmarks, timed the same way
(warm-up, then the mean of repeated runs). Prints JSON: {name: seconds_per_operation}."""
import json, sys, time
import torch
from torch import nn

def model():
    m = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    for l in m:
        if isinstance(l, nn.Linear): nn.init.xavier_uniform_(l.weight); nn.init.zeros_(l.bias)
    return m

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
    return out

print(json.dumps({'torch': torch.__version__, 'threads2': run(2), 'threads1': run(1)}))
