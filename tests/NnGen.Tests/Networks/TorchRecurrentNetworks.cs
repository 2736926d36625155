namespace NnGen.Tests.Networks;

// The recurrent layers of rnn_torch.txt (RecurrentTorchTests), each alone so that its output is the network's: a mean
// squared error loss with targets chosen so that dL/dy is the file's dy. Sizes match the file's cases.

[Sequential(InputShape = new[] { 5, 4 }, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd)]
[SimpleRNN(3)]
public partial class TorchSimpleRnnShort;

[Sequential(InputShape = new[] { 30, 5 }, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd)]
[SimpleRNN(8)]
public partial class TorchSimpleRnnLong;

[Sequential(InputShape = new[] { 6, 7 }, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd)]
[SimpleRNN(20, ReturnSequences = true)]
public partial class TorchSimpleRnnSequence;

[Sequential(InputShape = new[] { 5, 4 }, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd)]
[LSTM(3)]
public partial class TorchLstmShort;

[Sequential(InputShape = new[] { 30, 5 }, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd)]
[LSTM(8)]
public partial class TorchLstmLong;

[Sequential(InputShape = new[] { 6, 7 }, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd)]
[LSTM(20, ReturnSequences = true)]
public partial class TorchLstmSequence;

[Sequential(InputShape = new[] { 5, 4 }, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd)]
[GRU(3)]
public partial class TorchGruShort;

[Sequential(InputShape = new[] { 30, 5 }, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd)]
[GRU(8)]
public partial class TorchGruLong;

[Sequential(InputShape = new[] { 6, 7 }, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd)]
[GRU(20, ReturnSequences = true)]
public partial class TorchGruSequence;

[Sequential(InputShape = new[] { 7, 4 }, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd)]
[LSTM(5, ReturnSequences = true)]
[GRU(3)]
public partial class TorchStacked;
