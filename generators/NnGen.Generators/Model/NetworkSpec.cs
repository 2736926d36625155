using System.Linq;
using NnGen.Generators.Layers;

namespace NnGen.Generators.Model;

// Mirrors of the runtime's public enums (NnGen.Activation, NnGen.Loss, NnGen.Optimizer), by value.
// The generator cannot reference the runtime assembly; a test checks the names and values agree.

internal enum ActivationKind { Linear = 0, Relu = 1, Sigmoid = 2, Tanh = 3, Softmax = 4, LeakyRelu = 5, Elu = 6 }

internal enum LossKind { CategoricalCrossEntropy = 0, SparseCategoricalCrossEntropy = 1, BinaryCrossEntropy = 2, MeanSquaredError = 3 }

internal enum OptimizerKind { Sgd = 0, Adam = 1, AdamW = 2, RmsProp = 3 }

/// <summary>A type that encloses the network class (its keyword and name), outermost first.</summary>
internal sealed record ContainingType(string Keyword, string Name);

/// <summary>Optimizer settings as declared, with Keras defaults filled in. A clipping value of 0 means no clipping.</summary>
internal sealed record OptimizerSpec(OptimizerKind Kind, double LearningRate, double Momentum, bool Nesterov, double Beta1, double Beta2, double Epsilon,
    double WeightDecay = 0.004, double Rho = 0.9, double ClipValue = 0, double GlobalClipNorm = 0);

/// <summary>
/// Everything the emitter needs, and nothing that pins a compilation (no symbols, no syntax):
/// equal specs mean equal generated source, which is what incremental caching relies on.
/// </summary>
internal sealed record NetworkSpec(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string TypeKeyword,
    string TypeName,
    string ModelName,
    Shape Input,
    LossKind Loss,
    OptimizerSpec Optimizer,
    int Seed,
    EquatableArray<LayerSpec> Layers)
{
    /// <summary>Fully qualified metadata-style name, used for the hint name: <c>Ns.Outer.Type</c>.</summary>
    public string FullName =>
        string.Join(".", new[] { Namespace }.Concat(ContainingTypes.Select(t => t.Name)).Concat(new[] { TypeName }).Where(s => !string.IsNullOrEmpty(s)));
}
