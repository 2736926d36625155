# Writes cce_torch.txt for LossKernelTests: Keras's categorical cross-entropy on outputs that are not a softmax's
# (keras/src/backend/tensorflow/nn.py, from_logits=False: divide by the row sum, clip to [1e-7, 1 - 1e-7], -sum(t * log)),
# mean over the rows, and its gradient w.r.t. the outputs by PyTorch autograd, in float64 from the float32 inputs.
# Run: /usr/bin/python3 cce_torch.py > cce_torch.txt
import torch

P = [0.7, 0.2, 0.9, 0.1, 0.01, 0.3, 0.05, 0.25, 0.6, 0.6, 0.6, 0.6]
T = [0, 0, 1, 0, 0.25, 0.25, 0.5, 0, 1, 0, 0, 0]
p = torch.tensor(P, dtype=torch.float32).double().reshape(3, 4).requires_grad_()
t = torch.tensor(T, dtype=torch.float32).double().reshape(3, 4)
eps = 1e-7
q = torch.clamp(p / p.sum(dim=-1, keepdim=True), eps, 1 - eps)
loss = -(t * torch.log(q)).sum(dim=-1).mean()
loss.backward()
print(repr(loss.item()))
print(" ".join(repr(g) for g in p.grad.reshape(-1).tolist()))
