using NnGen;
using static NnGen.Activation;

namespace NnGen.Tests.Networks;

// Small classifiers for the metrics, tuning and command-line tests: the same task, two widths, so a search can
// choose between generated networks.

[Sequential(Input = 4, Loss = Loss.SparseCategoricalCrossEntropy)]
[Dense(8, Relu)]
[Dense(3, Softmax)]
public partial class BlobNet8;

[Sequential(Input = 4, Loss = Loss.SparseCategoricalCrossEntropy)]
[Dense(16, Relu)]
[Dense(3, Softmax)]
public partial class BlobNet16;
