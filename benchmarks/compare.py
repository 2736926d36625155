#!/usr/bin/python3
"""Runs NnGen's BenchmarkDotNet suite and the same configurations in PyTorch in one invocation and prints the
ratio table used in docs/benchmarks.md, with each side's GFLOP/s as a fraction of the machine's FMA peak (the
suite's `peak` command). Usage: benchmarks/compare.py [--contended] [FILTER ...]  (from the repository root;
FILTER is BenchmarkDotNet's --filter, all benchmarks by default)."""
import argparse, glob, json, math, os, subprocess

ap = argparse.ArgumentParser(description=__doc__.split('Usage')[0])
ap.add_argument('--contended', action='store_true',
                help='keep one core busy (a spinning process) during both runs, as under a loaded machine (issue 11)')
ap.add_argument('filter', nargs='*', default=['*'])
a = ap.parse_args()

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
artifacts = os.path.join(root, 'BenchmarkDotNet.Artifacts')

def dotnet(*args, **kw):  # BenchmarkDotNet finds the project from the working directory.
    return subprocess.run(['dotnet', 'run', '-c', 'Release', '--', *args], check=True, cwd=os.path.join(root, 'benchmarks/NnGen.Benchmarks'), **kw)

# The ceiling, measured once on the machine as it is before any load this script adds.
peak = json.loads(dotnet('peak', capture_output=True, text=True).stdout.strip().splitlines()[-1])
spinner = subprocess.Popen(['/usr/bin/python3', '-c', 'while True: pass']) if a.contended else None
try:
    dotnet('--filter', *a.filter, '--exporters', 'json', '--artifacts', artifacts)
    env = dict(os.environ); env.pop('OPENBLAS_CORETYPE', None); env.pop('OPENBLAS_L2_SIZE', None)
    torch = json.loads(subprocess.run(['/usr/bin/python3', os.path.join(root, 'benchmarks/pytorch/bench.py')],
                                      check=True, capture_output=True, text=True, env=env).stdout)
finally:
    if spinner: spinner.kill(); spinner.wait()

nngen = {}
for path in glob.glob(os.path.join(artifacts, 'results', '*-report-full-compressed.json')):
    for b in json.load(open(path))['Benchmarks']:
        params = b.get('Parameters', '')
        batch = params.split('=')[-1] if 'BatchSize' in params else ''
        key = f"{b['Type']}/{batch or b['Method']}"
        seconds = b['Statistics']['Mean'] / 1e9
        alloc = b.get('Memory', {}).get('BytesAllocatedPerOperation')
        nngen[(key, 'threads1' if '1 thread' in b['DisplayInfo'] else 'threads2')] = (seconds, alloc)

def forward_flops(shape, layers):
    """Forward FLOPs per sample of each weighted layer, walking the shape from the input: ('conv', filters, kernel)
    (valid, stride 1) is 2·OH·OW·K²·Cin·Cout, ('dense', units) 2·in·out (after an implicit flatten); ('pool', size)
    only shrinks the shape; activations, pooling, dropout and the loss count nothing."""
    flops = []
    for kind, *arg in layers:
        if kind == 'conv':
            (h, w, c), (filters, k) = shape, arg
            shape = (h - k + 1, w - k + 1, filters)
            flops.append(2 * shape[0] * shape[1] * k * k * c * filters)
        elif kind == 'pool':
            h, w, c = shape
            shape = (h // arg[0], w // arg[0], c)
        else:
            flops.append(2 * math.prod(shape) * arg[0])
            shape = (arg[0],)
    return flops

# Benchmark name prefix -> (forward FLOPs per layer, samples in the Epoch benchmark). The samples' models.
MODELS = {
    '': (forward_flops((784,), [('dense', 256), ('dense', 128), ('dense', 10)]), 48_000),  # MnistMlp
    'Conv': (forward_flops((28, 28, 1), [('conv', 32, 3), ('pool', 2), ('conv', 64, 3), ('pool', 2), ('dense', 10)]), 12_000),  # SimpleConvNet
}

def op_flops(key):
    """FLOPs of one operation as the benchmarks count it: a training step is about 3x the forward pass (forward, input
    gradient, weight gradient) except the first layer's 2x (no input gradient), times the batch; an epoch is every
    sample's training (the steps times the step, the last batch partial); a prediction is per sample."""
    kind, arg = key.split('/')
    prefix = 'Conv' if kind.startswith('Conv') else ''
    forward, epoch_samples = MODELS[prefix]
    train = 2 * forward[0] + 3 * sum(forward[1:])
    return {'TrainStep': lambda: int(arg) * train, 'Epoch': lambda: epoch_samples * train, 'Predict': lambda: sum(forward)}[kind[len(prefix):]]()

def fmt(s):
    return f'{s * 1e6:.1f} us' if s < 1e-3 else f'{s * 1e3:.2f} ms' if s < 1 else f'{s:.3f} s'

print(f"PyTorch {torch['torch']}; FMA peak {peak['gflops1']:.0f} GFLOP/s on one thread, {peak['gflopsAll']:.0f} on all {peak['threads']} cores\n")
if a.contended:
    print('**Loaded machine**: a process spinning on one core ran throughout both runs; % of peak is of the peak measured before it started.\n')
print('| benchmark | threads | NnGen | bytes allocated / op | NnGen GFLOP/s | NnGen % of peak | PyTorch | PyTorch % of peak | PyTorch / NnGen | PyTorch configuration |')
print('|---|---|---|---|---|---|---|---|---|---|')
for key in ['TrainStep/32', 'TrainStep/256', 'Epoch/32', 'Epoch/256', 'Predict/Single', 'Predict/Batch1000',
            'ConvTrainStep/32', 'ConvTrainStep/128', 'ConvEpoch/128', 'ConvPredict/Single', 'ConvPredict/Batch1000']:
    for threads in ('threads2', 'threads1'):
        if (key, threads) not in nngen: continue
        s, alloc = nngen[(key, threads)]
        t = torch[threads][key]
        gflops = lambda seconds: op_flops(key) / seconds / 1e9
        ceiling = peak['gflops1' if threads == 'threads1' else 'gflopsAll']
        print(f"| {key} | {threads[-1]} | {fmt(s)} | {alloc} | {gflops(s):.3g} | {100 * gflops(s) / ceiling:.3g}% | {fmt(t)} | "
              f"{100 * gflops(t) / ceiling:.3g}% | {t / s:.1f}x | {torch[threads].get('config', {}).get(key, '')} |")
print('\nEpoch: one Fit epoch of 48,000 samples. ConvEpoch: one Fit epoch of 12,000 samples (a quarter of the tutorial\'s 48,000). '
      'Predict/Batch1000 and ConvPredict/Batch1000: per sample. GFLOP/s from each model\'s layer shapes (compare.py op_flops).')
