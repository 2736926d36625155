#!/usr/bin/python3
"""The Keras tutorial's MLP in PyTorch, with Keras's choices where the frameworks differ (Glorot-uniform
kernels, zero biases, Adam eps 1e-7, the last 20% of the training set as validation), for side-by-side
accuracy and speed comparisons with NnGen. Usage: fashion_mlp.py [--seed N] [--epochs N] [--batch-size N]"""
import argparse, os
import numpy as np
import torch
from torch import nn
from fashion import load, fit

ap = argparse.ArgumentParser()
ap.add_argument('--data', default=os.environ.get('NNGEN_DATA', '/usr/share/datasets/fashion-mnist'))
ap.add_argument('--seed', type=int, default=42)
ap.add_argument('--epochs', type=int, default=10)
ap.add_argument('--batch-size', type=int, default=32)
ap.add_argument('--threads', type=int, default=2)
a = ap.parse_args()
torch.manual_seed(a.seed); np.random.seed(a.seed); torch.set_num_threads(a.threads)
train, val, test = load(a.data, (784,), validation_split=0.2)
model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
for m in model:
    if isinstance(m, nn.Linear): nn.init.xavier_uniform_(m.weight); nn.init.zeros_(m.bias)
fit(model, train, val, test, a.epochs, a.batch_size)
