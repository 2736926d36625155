# Writes conv_torch.txt for ConvKernelTests/PoolingKernelTests: Conv2D, MaxPooling2D and AveragePooling2D forward passes and
# gradients by PyTorch (autograd, float64 from float32 inputs), independent of NnGen's kernels and reference.
# Layout: NnGen is NHWC with the kernel in (KH, KW, C, F) (Keras's); torch is NCHW with (F, C, KH, KW), so tensors are
# permuted in and out. TensorFlow's 'same' padding (pad_total = max((out - 1)·s + k - in, 0), the smaller half on top/left)
# is applied with an explicit F.pad, asymmetric where pad_total is odd: zeros for the convolution, -inf for max pooling;
# average pooling divides each window's sum by its count of in-bounds elements (count_include_pad=False semantics).
# The gradients are those of L = Σ dy ⊙ y for the dy written in the file. Inputs are a fixed formula, so the file is
# reproducible anywhere.  Run: /usr/bin/python3 conv_torch.py > conv_torch.txt
import math
import torch
import torch.nn.functional as F

torch.set_printoptions(precision=17)


def values(n, seed):
    # float32 values in (-1, 1) from a fixed formula
    return torch.tensor([math.sin(1.7 * i + seed) * math.cos(0.3 * i * seed + 1) for i in range(n)], dtype=torch.float32).double()


def axis(size, k, s, same):
    if same:
        out = (size + s - 1) // s
        total = max((out - 1) * s + k - size, 0)
        return out, total // 2, total - total // 2
    return (size - k) // s + 1, 0, 0


def line(name, t):
    print(name + " " + " ".join(repr(v) for v in t.reshape(-1).tolist()))


def conv(H, W, C, Fn, KH, KW, SH, SW, same, rows, seed):
    print(f"conv {H} {W} {C} {Fn} {KH} {KW} {SH} {SW} {int(same)} {rows}")
    oh, top, bottom = axis(H, KH, SH, same)
    ow, left, right = axis(W, KW, SW, same)
    x = values(rows * H * W * C, seed).reshape(rows, H, W, C).requires_grad_()
    w = values(KH * KW * C * Fn, seed + 1).reshape(KH, KW, C, Fn).requires_grad_()
    b = values(Fn, seed + 2).requires_grad_()
    dy = values(rows * oh * ow * Fn, seed + 3).reshape(rows, oh, ow, Fn)
    xt = F.pad(x.permute(0, 3, 1, 2), (left, right, top, bottom))
    y = F.conv2d(xt, w.permute(3, 2, 0, 1), b, stride=(SH, SW)).permute(0, 2, 3, 1)
    assert y.shape == (rows, oh, ow, Fn)
    (y * dy).sum().backward()
    for name, t in [("x", x), ("w", w), ("b", b), ("dy", dy), ("y", y), ("yrelu", torch.relu(y)), ("dx", x.grad), ("dw", w.grad), ("db", b.grad)]:
        line(name, t.detach())


def pool(kind, H, W, C, KH, KW, SH, SW, same, rows, seed):
    print(f"{kind} {H} {W} {C} {KH} {KW} {SH} {SW} {int(same)} {rows}")
    oh, top, bottom = axis(H, KH, SH, same)
    ow, left, right = axis(W, KW, SW, same)
    x = values(rows * H * W * C, seed).reshape(rows, H, W, C).requires_grad_()
    dy = values(rows * oh * ow * C, seed + 3).reshape(rows, oh, ow, C)
    pads = (left, right, top, bottom)
    xt = x.permute(0, 3, 1, 2)
    if kind == "maxpool":
        y = F.max_pool2d(F.pad(xt, pads, value=-math.inf), (KH, KW), stride=(SH, SW))
    else:
        total = F.avg_pool2d(F.pad(xt, pads), (KH, KW), stride=(SH, SW), divisor_override=1)
        count = F.avg_pool2d(F.pad(torch.ones_like(xt), pads), (KH, KW), stride=(SH, SW), divisor_override=1)
        y = total / count
    y = y.permute(0, 2, 3, 1)
    assert y.shape == (rows, oh, ow, C)
    (y * dy).sum().backward()
    for name, t in [("x", x), ("dy", dy), ("y", y), ("dx", x.grad)]:
        line(name, t.detach())


conv(5, 6, 3, 4, 3, 3, 1, 1, False, 2, 1)
conv(7, 8, 2, 3, 3, 3, 2, 2, True, 1, 2)    # 'same', stride 2: rows padded 1/1, columns 0/1
conv(6, 5, 1, 5, 2, 3, 1, 2, True, 2, 3)    # rows padded 0/1, columns 1/1
conv(4, 4, 5, 9, 1, 1, 2, 2, True, 1, 4)    # 1x1 kernel, stride 2
conv(6, 6, 3, 32, 3, 3, 1, 1, True, 2, 5)   # 32 filters: the 512-bit tiles where enabled
pool("maxpool", 5, 5, 2, 2, 2, 2, 2, False, 2, 6)
pool("maxpool", 6, 7, 3, 3, 3, 2, 2, True, 1, 7)  # rows padded 0/1, columns 1/1
pool("avgpool", 5, 5, 2, 2, 2, 2, 2, True, 2, 8)  # rows and columns padded 0/1
pool("avgpool", 5, 6, 3, 3, 3, 1, 1, False, 1, 9) # overlapping windows
pool("avgpool", 6, 7, 3, 3, 3, 2, 2, True, 1, 10)
