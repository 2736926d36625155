#!/usr/bin/python3
"""Runs NnGen's BenchmarkDotNet suite and the same configurations in PyTorch in one invocation and prints the
ratio table used in docs/benchmarks.md. Usage: benchmarks/compare.py  (from the repository root)."""
import glob, json, os, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
artifacts = os.path.join(root, 'BenchmarkDotNet.Artifacts')
# BenchmarkDotNet finds the project from the working directory.
subprocess.run(['dotnet', 'run', '-c', 'Release', '--', '--filter', *(sys.argv[1:] or ['*']), '--exporters', 'json', '--artifacts', artifacts],
               check=True, cwd=os.path.join(root, 'benchmarks/NnGen.Benchmarks'))
env = dict(os.environ); env.pop('OPENBLAS_CORETYPE', None); env.pop('OPENBLAS_L2_SIZE', None)
torch = json.loads(subprocess.run(['/usr/bin/python3', os.path.join(root, 'benchmarks/pytorch/bench.py')],
                                  check=True, capture_output=True, text=True, env=env).stdout)

nngen = {}
for path in glob.glob(os.path.join(artifacts, 'results', '*-report-full-compressed.json')):
    for b in json.load(open(path))['Benchmarks']:
        params = b.get('Parameters', '')
        batch = params.split('=')[-1] if 'BatchSize' in params else ''
        key = f"{b['Type']}/{batch or b['Method']}"
        seconds = b['Statistics']['Mean'] / 1e9
        alloc = b.get('Memory', {}).get('BytesAllocatedPerOperation')
        nngen[(key, 'threads1' if '1 thread' in b['DisplayInfo'] else 'threads2')] = (seconds, alloc)

def fmt(s):
    return f'{s * 1e6:.1f} us' if s < 1e-3 else f'{s * 1e3:.2f} ms' if s < 1 else f'{s:.3f} s'

print(f"PyTorch {torch['torch']}\n")
print('| benchmark | threads | NnGen | bytes allocated / op | PyTorch | PyTorch / NnGen |')
print('|---|---|---|---|---|---|')
for key in ['TrainStep/32', 'TrainStep/256', 'Epoch/32', 'Epoch/256', 'Predict/Single', 'Predict/Batch1000']:
    for threads in ('threads2', 'threads1'):
        if (key, threads) not in nngen: continue
        s, alloc = nngen[(key, threads)]
        t = torch[threads][key]
        print(f"| {key} | {threads[-1]} | {fmt(s)} | {alloc} | {fmt(t)} | {t / s:.1f}x |")
