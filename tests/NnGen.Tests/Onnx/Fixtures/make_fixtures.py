#!/usr/bin/python3
"""Makes the PyTorch-exported ONNX files that tests/NnGen.Tests/Onnx/OnnxImportTests.cs imports, with the outputs PyTorch
gave. Run once with Debian's torch (apt-get install -y python3-torch python3-numpy); the files are checked in:

    /usr/bin/python3 tests/NnGen.Tests/Onnx/Fixtures/make_fixtures.py

Each model matches a network declared in tests/NnGen.Tests/Networks (named in its comment): the same layers in the same
order, PyTorch's own layouts (Linear weights (out, in), Conv2d weights (F, C, KH, KW), NCHW images, Flatten over C, H, W).
BatchNorm layers get random running statistics, so that inference mode matters. For each model, <name>.onnx and
<name>.txt: the input shape NnGen takes (channels last), then lines 'input' and 'output' of the values, channels last
too (the images transposed from PyTorch's NCHW), so the test only reads numbers.
"""
import os
import torch
from torch import nn

torch.manual_seed(2026)
here = os.path.dirname(os.path.abspath(__file__))


def randomise_bn(model):
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            with torch.no_grad():
                m.running_mean.uniform_(-1, 1)
                m.running_var.uniform_(0.25, 2.25)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)


def export(name, model, sample_nchw, nhwc):
    model.eval()
    randomise_bn(model)
    x = torch.empty((5,) + sample_nchw).uniform_(-2, 2)
    with torch.no_grad():
        y = model(x)
    path = os.path.join(here, name + ".onnx")
    # PRESERVE (the model is in eval mode): keeps BatchNormalization a node of its own instead of folding it into the convolution before it.
    torch.onnx.export(model, x, path, input_names=["input"], output_names=["output"], opset_version=13,
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
    if nhwc:
        x = x.permute(0, 2, 3, 1)
        shape = tuple(x.shape[1:])
    else:
        shape = sample_nchw
    with open(os.path.join(here, name + ".txt"), "w") as f:
        f.write("shape " + " ".join(str(d) for d in shape) + "\n")
        f.write("input " + " ".join(repr(float(v)) for v in x.reshape(-1)) + "\n")
        f.write("output " + " ".join(repr(float(v)) for v in y.reshape(-1)) + "\n")
    print(name, os.path.getsize(path), "bytes")


# NormalizedNet: BatchNormalization(Momentum 0.9, Epsilon 0.01) > Dense(11, LeakyRelu) > BatchNormalization > Activation(Elu)
#   > Dense(9, Elu) > Activation(Tanh) > Dense(4) > Activation(Softmax)
export("normalized_net", nn.Sequential(
    nn.BatchNorm1d(6, eps=0.01), nn.Linear(6, 11), nn.LeakyReLU(0.2), nn.BatchNorm1d(11, eps=1e-3), nn.ELU(),
    nn.Linear(11, 9), nn.ELU(), nn.Tanh(), nn.Linear(9, 4), nn.Softmax(dim=1)), (6,), nhwc=False)

# ValidConvNet: InputShape (7, 6, 2) > Conv2D(3, 3, Tanh) > MaxPooling2D(2) > Flatten > Dense(4, Softmax)
export("valid_conv_net", nn.Sequential(
    nn.Conv2d(2, 3, 3), nn.Tanh(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(12, 4), nn.Softmax(dim=1)), (2, 7, 6), nhwc=True)

# SameConvNet: InputShape (5, 5, 3) > Conv2D(4, 3, Relu, Strides 2, Same) > BatchNormalization > Conv2D(5, 2, Sigmoid, Same)
#   > AveragePooling2D(2, Same) > GlobalAveragePooling2D > Dense(3, Softmax).
# TensorFlow's 'same' pads 5 rows at stride 2 with a 3x3 kernel 1 before and 1 after; a 2x2 kernel at stride 1, 0 before
# and 1 after, which PyTorch's symmetric padding cannot say: an explicit ZeroPad2d. The average pooling's 'same' window
# leaves the padding out of the mean (3x3 -> 2x2 windows, the last of one or two cells), as ceil_mode does with no padding.
export("same_conv_net", nn.Sequential(
    nn.Conv2d(3, 4, 3, stride=2, padding=1), nn.ReLU(), nn.BatchNorm2d(4, eps=1e-3),
    nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(4, 5, 2), nn.Sigmoid(),
    nn.AvgPool2d(2, ceil_mode=True), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(5, 3), nn.Softmax(dim=1)), (3, 5, 5), nhwc=True)
