#!/usr/bin/python3
"""The convnets of samples/FashionMnist (--model cnn, --model cnn-bn) in PyTorch, with Keras's choices where the
frameworks differ (Glorot-uniform kernels, zero biases, Adam eps 1e-7, BatchNormalization momentum 0.99 and
epsilon 1e-3, TensorFlow 'same' padding, the last 10% of the training set as validation), for side-by-side accuracy
comparisons with NnGen. Usage: fashion_cnn.py [--model cnn|cnn-bn] [--seed N] [--epochs N] [--batch-size N]"""
import argparse, os
import numpy as np
import torch
from torch import nn
from fashion import load, fit

ap = argparse.ArgumentParser()
ap.add_argument('--data', default=os.environ.get('NNGEN_DATA', '/usr/share/datasets/fashion-mnist'))
ap.add_argument('--model', default='cnn', choices=['cnn', 'cnn-bn'])
ap.add_argument('--seed', type=int, default=1)
ap.add_argument('--epochs', type=int, default=15)
ap.add_argument('--batch-size', type=int, default=128)
ap.add_argument('--threads', type=int, default=2)
a = ap.parse_args()
torch.manual_seed(a.seed); np.random.seed(a.seed); torch.set_num_threads(a.threads)
train, val, test = load(a.data, (1, 28, 28), validation_split=0.1)

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
fit(model, train, val, test, a.epochs, a.batch_size)
