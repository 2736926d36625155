using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace NnGen.Generators;

/// <summary>
/// Every diagnostic NnGen reports. IDs: NNG00xx declaration errors, NNG01xx shape errors,
/// NNG09xx internal failures. Each ID has a page docs/diagnostics/NNGxxxx.md.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Declaration = "NnGen.Declaration";
    private const string Shape = "NnGen.Shape";
    private const string HelpBase = "https://github.com/nngen/nngen/blob/main/docs/diagnostics/";

    private static DiagnosticDescriptor Rule(string id, string title, string message, string category, string description,
        DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, description: description, helpLinkUri: HelpBase + id + ".md");

    public static readonly DiagnosticDescriptor NotPartial = Rule("NNG0001",
        "Network class must be partial",
        "Network class '{0}' must be declared 'partial' so NnGen can generate its members",
        Declaration, "The generator adds the forward and backward passes and the training API to the class in a second partial declaration.");

    public static readonly DiagnosticDescriptor MissingInput = Rule("NNG0002",
        "Network has no input size",
        "Network '{0}' does not state its input size: add 'Input = <features per sample>' to [Sequential]",
        Declaration, "Every size in the generated code is a compile-time constant, starting with the number of input features.");

    public static readonly DiagnosticDescriptor NoLayers = Rule("NNG0003",
        "Network has no layers",
        "Network '{0}' declares no layers: add at least one layer attribute such as [Dense(10, Activation.Softmax)]",
        Declaration, "A sequential network needs at least one layer after its input.");

    public static readonly DiagnosticDescriptor LayersSplit = Rule("NNG0004",
        "Layers are split over several partial declarations",
        "Network '{0}' declares layers on more than one partial declaration, so their order is ambiguous: declare all layers on the declaration that carries [Sequential]",
        Declaration, "Layer order is the source order of the attributes, which is only defined within one declaration.");

    public static readonly DiagnosticDescriptor NonPositiveSize = Rule("NNG0005",
        "Size must be positive",
        "{0} of {1} must be a positive number, but it is {2}",
        Declaration, "Units, input sizes and other dimensions must be at least 1.");

    public static readonly DiagnosticDescriptor UnknownEnumValue = Rule("NNG0006",
        "Unknown enum value",
        "{0} of {1} is {2}, which is not a defined {3} value",
        Declaration, "Only the named members of NnGen's enums (Activation, Loss, Optimizer) have generated code.");

    public static readonly DiagnosticDescriptor GenericType = Rule("NNG0007",
        "Network class cannot be generic",
        "Network class '{0}' is generic or nested in a generic type; NnGen networks must be non-generic",
        Declaration, "Generated code uses constant sizes and static kernels that cannot depend on type parameters.");

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Rule("NNG0008",
        "Containing type must be partial",
        "Network class '{0}' is nested in '{1}', which must also be declared 'partial'",
        Declaration, "A nested network's generated partial declaration repeats its containing types, which must therefore be partial.");

    public static readonly DiagnosticDescriptor DuplicateLayerName = Rule("NNG0010",
        "Duplicate layer name",
        "Layer {0} is named '{1}', like layer {2}: layer names must be unique within a network",
        Declaration, "Layer names identify layers in Summary(), messages and weights files.");

    public static readonly DiagnosticDescriptor InvalidHyperparameter = Rule("NNG0011",
        "Hyperparameter out of range",
        "{0} of network '{1}' is {2}, but it must be {3}",
        Declaration, "Learning rates, decay rates and epsilons have ranges outside which training cannot work.");

    public static readonly DiagnosticDescriptor StaticClass = Rule("NNG0012",
        "Network class cannot be static",
        "Network class '{0}' is static, but a network is an object with its own weights: remove 'static'",
        Declaration, "The generated constructors, buffers and methods are instance members.");

    public static readonly DiagnosticDescriptor TooLarge = Rule("NNG0013",
        "Network is too large",
        "Network '{0}' has {1} parameters, more than the {2} that fit in one .NET array",
        Declaration, "All parameters live in one contiguous float array, whose length is limited to Array.MaxLength.");

    public static readonly DiagnosticDescriptor InputsMismatch = Rule("NNG0101",
        "Layer input size does not match the previous layer",
        "{0} layer {1} ('{2}') is declared with {3} inputs, but {4} produces {5}",
        Shape, "A layer's stated input size must equal the output size of the layer before it (or the network input).");

    public static readonly DiagnosticDescriptor OutputIncompatibleWithLoss = Rule("NNG0102",
        "Output layer does not fit the loss",
        "The output layer '{0}' has {1} {3} unit{2}, but {4} needs {5}",
        Shape, "Categorical losses need one output unit per class (at least 2); binary cross-entropy needs outputs that are probabilities.");

    public static readonly DiagnosticDescriptor GeneratorFailure = Rule("NNG0999",
        "NnGen could not generate the network",
        "NnGen could not generate '{0}': {1}. This is a bug in NnGen; please report it with the declaration.",
        "NnGen.Internal", "An unexpected error occurred in the generator. The build reports it instead of crashing.");

    private static readonly Dictionary<string, DiagnosticDescriptor> All =
        typeof(DiagnosticDescriptors).GetFields()
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null))
            .ToDictionary(d => d.Id);

    public static IEnumerable<DiagnosticDescriptor> Descriptors => All.Values;

    public static DiagnosticDescriptor ById(string id) => All[id];
}
