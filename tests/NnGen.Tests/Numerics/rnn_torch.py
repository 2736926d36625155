# Writes rnn_torch.txt for RecurrentTorchTests: SimpleRNN, LSTM and GRU forward passes and gradients through time by
# PyTorch (torch.nn.RNN/LSTM/GRU and autograd in float64 from float32 inputs), independent of NnGen's kernels.
# Layout: NnGen keeps Keras's weights: kernel (features, gates·units), recurrent_kernel (units, gates·units), bias
# (gates·units; GRU (2, 3·units): input bias, then recurrent bias), gates in Keras's order: LSTM [i, f, c, o] (torch's
# order too), GRU [z, r, h] (torch's is [r, z, n]). Torch keeps (gates·units, features) with bias_ih and bias_hh, so the
# weights are transposed, GRU's gate blocks permuted, and a SimpleRNN/LSTM bias goes to bias_ih with bias_hh zero.
# Keras's GRU (reset_after=True) is torch's: n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = z ⊙ h + (1 - z) ⊙ n.
# Every case is also checked against Keras's equations written out below in plain torch, so a mapping mistake fails here.
# The gradients are those of L = Σ dy ⊙ y for the dy written in the file. Inputs are a fixed formula, so the file is
# reproducible anywhere.  Run: /usr/bin/python3 rnn_torch.py > rnn_torch.txt
import math
import torch

torch.set_printoptions(precision=17)


def values(n, seed, scale=1.0):
    # float32 values in (-scale, scale) from a fixed formula
    v = torch.tensor([scale * math.sin(1.7 * i + seed) * math.cos(0.3 * i * seed + 1) for i in range(n)], dtype=torch.float32)
    return v.double()


def line(name, t):
    print(name + " " + " ".join(repr(v) for v in t.reshape(-1).tolist()))


GATES = {"simplernn": 1, "lstm": 4, "gru": 3}


def torch_layer(kind, F, U, kernel, recurrent, bias):
    """A torch module holding Keras-layout weights (leaf tensors kept for the gradients)."""
    module = {"simplernn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind](F, U, batch_first=True).double()
    order = [1, 0, 2] if kind == "gru" else list(range(GATES[kind]))  # torch's gate blocks in Keras's numbering

    def to_torch(w):  # (rows, G·U) Keras -> (G·U, rows) torch
        return torch.cat([w[:, g * U:(g + 1) * U] for g in order], dim=1).t()

    if kind == "gru":
        b_ih, b_hh = bias[0], bias[1]
    else:
        b_ih, b_hh = bias, torch.zeros_like(bias)
    params = {"weight_ih_l0": to_torch(kernel), "weight_hh_l0": to_torch(recurrent),
              "bias_ih_l0": to_torch(b_ih.reshape(1, -1)).reshape(-1), "bias_hh_l0": to_torch(b_hh.reshape(1, -1)).reshape(-1)}
    for name in params:
        delattr(module, name)
        setattr(module, name, params[name])
    module.flatten_parameters = lambda: None
    return module


def keras(kind, x, kernel, recurrent, bias, U):
    """Keras's equations (activation tanh, recurrent activation sigmoid) step by step, for the self-check."""
    B, T, _ = x.shape
    h = torch.zeros(B, U, dtype=torch.float64)
    c = torch.zeros(B, U, dtype=torch.float64)
    out = []
    for t in range(T):
        xt = x[:, t]
        if kind == "simplernn":
            h = torch.tanh(xt @ kernel + h @ recurrent + bias)
        elif kind == "lstm":
            z = xt @ kernel + h @ recurrent + bias
            i, f, g, o = (z[:, k * U:(k + 1) * U] for k in range(4))
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)
        else:
            xi = xt @ kernel + bias[0]
            hr = h @ recurrent + bias[1]
            z = torch.sigmoid(xi[:, :U] + hr[:, :U])
            r = torch.sigmoid(xi[:, U:2 * U] + hr[:, U:2 * U])
            hh = torch.tanh(xi[:, 2 * U:] + r * hr[:, 2 * U:])
            h = z * h + (1 - z) * hh
        out.append(h)
    return torch.stack(out, dim=1)


def weights(kind, F, U, seed):
    W = GATES[kind] * U
    kernel = values(F * W, seed + 1, 0.5).reshape(F, W).requires_grad_()
    recurrent = values(U * W, seed + 2, 0.5).reshape(U, W).requires_grad_()
    bias = values((2 if kind == "gru" else 1) * W, seed + 3).reshape((2, W) if kind == "gru" else (W,)).requires_grad_()
    return kernel, recurrent, bias


def run(kind, x, F, U, rs, w):
    y, _ = torch_layer(kind, F, U, *w)(x)
    reference = keras(kind, x, *w, U)
    assert torch.allclose(y, reference, atol=1e-12), f"{kind}: torch and Keras's equations disagree"
    return y if rs else y[:, -1]


def case(kind, B, T, F, U, rs, seed):
    print(f"{kind} {B} {T} {F} {U} {int(rs)} {seed}")
    x = values(B * T * F, seed).reshape(B, T, F).requires_grad_()
    w = weights(kind, F, U, seed)
    y = run(kind, x, F, U, rs, w)
    dy = values(y.numel(), seed + 4).reshape(y.shape)
    (y * dy).sum().backward()
    for name, t in [("x", x), ("kernel", w[0]), ("recurrent", w[1]), ("bias", w[2]), ("dy", dy), ("y", y),
                    ("dx", x.grad), ("dkernel", w[0].grad), ("drecurrent", w[1].grad), ("dbias", w[2].grad)]:
        line(name, t.detach())


def stacked(B, T, F, U1, U2, seed):
    """LSTM(U1, ReturnSequences) -> GRU(U2): the GRU's input gradient drives the LSTM's."""
    print(f"stacked {B} {T} {F} {U1} {U2} {seed}")
    x = values(B * T * F, seed).reshape(B, T, F).requires_grad_()
    w1 = weights("lstm", F, U1, seed)
    w2 = weights("gru", U1, U2, seed + 10)
    y = run("gru", run("lstm", x, F, U1, True, w1), U1, U2, False, w2)
    dy = values(y.numel(), seed + 4).reshape(y.shape)
    (y * dy).sum().backward()
    named = [("x", x), ("kernel1", w1[0]), ("recurrent1", w1[1]), ("bias1", w1[2]), ("kernel2", w2[0]), ("recurrent2", w2[1]),
             ("bias2", w2[2]), ("dy", dy), ("y", y), ("dx", x.grad), ("dkernel1", w1[0].grad), ("drecurrent1", w1[1].grad),
             ("dbias1", w1[2].grad), ("dkernel2", w2[0].grad), ("drecurrent2", w2[1].grad), ("dbias2", w2[2].grad)]
    for name, t in named:
        line(name, t.detach())


for k, kind in enumerate(["simplernn", "lstm", "gru"]):
    case(kind, 3, 5, 4, 3, False, 1 + k)   # short, last step
    case(kind, 2, 30, 5, 8, False, 4 + k)  # 30 steps back through time
    case(kind, 4, 6, 7, 20, True, 7 + k)   # every step returned, 20 units
stacked(3, 7, 4, 5, 3, 11)
