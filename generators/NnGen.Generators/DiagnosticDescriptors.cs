using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace NnGen.Generators;

/// <summary>
/// Every diagnostic NnGen reports. IDs: NNG00xx declaration errors, NNG01xx shape errors, NNG02xx configuration
/// warnings, NNG03xx call-site errors, NNG09xx internal failures. Each ID has a page docs/diagnostics/NNGxxxx.md.
/// Messages name a layer by its kind, 1-based position and name, "Dense layer 3 ('dense_2')" or "Activation layer 2
/// ('activation')" (<see cref="Parser.LayerLabel"/>), and state the numbers.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Declaration = "NnGen.Declaration";
    private const string Shape = "NnGen.Shape";
    private const string Configuration = "NnGen.Configuration";
    private const string Usage = "NnGen.Usage";
    private const string Internal = "NnGen.Internal";
    public const string HelpBase = "https://github.com/nngen/nngen/blob/main/docs/diagnostics/";

    /// <summary>Diagnostic property keys read by the code fixes.</summary>
    public static class Properties
    {
        /// <summary>The units the output layer needs (NNG0102, NNG0104).</summary>
        public const string Units = "Units";
        /// <summary>The activation to use instead, a member name of NnGen.Activation (NNG0103, NNG0201-NNG0203).</summary>
        public const string Activation = "Activation";
        /// <summary>Call-site length fixes: the samples the buffer should hold.</summary>
        public const string Rows = "Rows";
        /// <summary>Call-site length fixes: the generated constant the length is made of (InputSize, OutputSize, TargetSize).</summary>
        public const string SizeConstant = "SizeConstant";
        /// <summary>Call-site length fixes: the network type, fully qualified with global::.</summary>
        public const string Network = "Network";
    }

    private static DiagnosticDescriptor Rule(string id, string title, string message, string category, string description,
        DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, description: description, helpLinkUri: HelpBase + id + ".md");

    // ---- NNG00xx: the declaration cannot be generated ------------------------------------------------------

    public static readonly DiagnosticDescriptor NotPartial = Rule("NNG0001",
        "Network class must be partial",
        "Network class '{0}' must be declared 'partial' so NnGen can generate its members",
        Declaration, "The generator adds the forward and backward passes and the training API to the class in a second partial declaration.");

    public static readonly DiagnosticDescriptor MissingInput = Rule("NNG0002",
        "Network has no input size",
        "Network '{0}' does not state its input size: add 'Input = <features per sample>' or 'InputShape = new[] {{ <height>, <width>, <channels> }}' to [Sequential]",
        Declaration, "Every size in the generated code is a compile-time constant, starting with the number of input features.");

    public static readonly DiagnosticDescriptor NoLayers = Rule("NNG0003",
        "Network has no layers",
        "Network '{0}' declares no layers: add at least one layer attribute such as [Dense(10, Activation.Softmax)]",
        Declaration, "A sequential network needs at least one layer after its input.");

    public static readonly DiagnosticDescriptor LayersSplit = Rule("NNG0004",
        "Layers are split over several partial declarations",
        "Network '{0}' declares layers on more than one partial declaration, so their order is ambiguous: declare all layers on one declaration",
        Declaration, "Layer order is the source order of the attributes, which is only defined within one declaration.");

    public static readonly DiagnosticDescriptor NonPositiveSize = Rule("NNG0005",
        "Size must be positive",
        "{0} of {1} must be a positive number, but it is {2}",
        Declaration, "Units, input sizes, class counts and other dimensions must be at least 1.");

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

    public static readonly DiagnosticDescriptor MemberCollision = Rule("NNG0009",
        "Member name is taken by the generated code",
        "{0} '{1}' of {2} collides with the generated {3}: {4}",
        Declaration, "NnGen generates constants, fields, constructors and methods with fixed names in every network class; a user member with the same name (and, for methods, the same parameters) would not compile, and an inherited one would be hidden by the generated member (CS0108, an error under TreatWarningsAsErrors).");

    public static readonly DiagnosticDescriptor DuplicateLayerName = Rule("NNG0010",
        "Duplicate layer name",
        "{0} is named '{1}', like layer {2}: layer names must be unique within a network",
        Declaration, "Layer names identify layers in Summary(), messages and weights files.");

    public static readonly DiagnosticDescriptor InvalidHyperparameter = Rule("NNG0011",
        "Hyperparameter cannot be used",
        "{0} of {1} is {2}, but it must be {3}",
        Declaration, "A hyperparameter that is not a finite number cannot be written into the generated code, the runtime rejects SGD momentum outside [0, 1) when the network is created, and a learning rate of 0 or less can never train (it leaves the weights where they are or moves them uphill).");

    public static readonly DiagnosticDescriptor StaticClass = Rule("NNG0012",
        "Network class cannot be static",
        "Network class '{0}' is static, but a network is an object with its own weights: remove 'static'",
        Declaration, "The generated constructors, buffers and methods are instance members.");

    public static readonly DiagnosticDescriptor TooLarge = Rule("NNG0013",
        "Network is too large",
        "{0} takes network '{1}' past the {2} parameters that fit in one .NET array: it has {3}, which makes {4} so far",
        Declaration, "All parameters live in one contiguous float array, whose length is limited to Array.MaxLength. The diagnostic points at the first layer whose parameters take the running total past the limit.");

    public static readonly DiagnosticDescriptor NetworkBase = Rule("NNG0015",
        "Network class derives from another network",
        "Network class '{0}' derives from '{1}', which is a network too: each would get its own generated weights, constants and passes, and the derived ones would hide the base's; derive both from a common base class without [Sequential], or give '{0}' a field of type '{1}'",
        Declaration, "Every [Sequential] class gets the same generated members (InputSize, Predict, Forward, the weights, ...). In a derived network they would hide the base network's, so the base's code would run on weights the derived class never trains.");

    public static readonly DiagnosticDescriptor BaseWithoutParameterlessConstructor = Rule("NNG0020",
        "Base class has no constructor without arguments",
        "Network class '{0}' derives from '{1}', which has no accessible constructor without arguments, but the generated constructors {0}() and {0}(int seed) call base(): give '{1}' a constructor without arguments, or derive from another class",
        Declaration, "The generated constructors cannot know what arguments a base constructor needs, so they call the base class's constructor without arguments.");

    public static readonly DiagnosticDescriptor PrimaryConstructor = Rule("NNG0016",
        "Network class cannot have a primary constructor",
        "Network class '{0}' has the primary constructor '{0}({1})', but NnGen generates the constructors {0}() and {0}(int seed), which would have to call it: remove the parameter list and declare what it held as fields or properties",
        Declaration, "C# requires every other constructor of a class with a primary constructor to call it (this(...)). The generated constructors cannot know the arguments, so a network class has no primary constructor.");

    public static readonly DiagnosticDescriptor LayersWithoutSequential = Rule("NNG0017",
        "Layer attributes without [Sequential]",
        "Class '{0}' has layer attributes but no [Sequential], so NnGen generates nothing for it: add [Sequential(Input = <features per sample>)] to the class",
        Declaration, "Layer attributes only describe the layers of a [Sequential] network; on their own they generate nothing, and every use of the class as a network fails.");

    public static readonly DiagnosticDescriptor LanguageVersionTooOld = Rule("NNG0018",
        "Language version too old for the generated code",
        "Network '{0}' needs C# {2} or later for its generated code, but the project compiles C# {1}: set <LangVersion>{2}</LangVersion> or later in the project file",
        Declaration, "The generated code uses C# 8 (nullable annotations, ranges of spans, static local functions). Older language versions cannot compile it, so NnGen generates nothing.");

    public static readonly DiagnosticDescriptor InvalidName = Rule("NNG0019",
        "Name is empty or not printable",
        "Name of {0} is {1}, but a name must be non-empty text with no leading or trailing white space and no control characters: remove Name to use the default '{2}', or state a name",
        Declaration, "Names identify the network and its layers in Summary(), messages and weights files. An empty or invisible name would make them ambiguous; NnGen does not replace it silently.");

    public static readonly DiagnosticDescriptor InputStatedTwice = Rule("NNG0021",
        "Input and InputShape both stated",
        "Network '{0}' states both Input = {1} and InputShape = {2}: keep one",
        Declaration, "Input is the flat size of a sample, InputShape its tensor shape (channels last); one of them describes the input.");

    public static readonly DiagnosticDescriptor InvalidInputShape = Rule("NNG0022",
        "Input shape has an unsupported rank",
        "Network '{0}' has InputShape {1} with {2} dimensions, but a sample is (features), (timesteps, features) or (height, width, channels): 1 to 3 dimensions",
        Declaration, "Samples are vectors, sequences or channels-last images; the batch dimension is not part of InputShape.");

    // ---- NNG01xx: shapes that do not fit ----------------------------------------------------------------------

    public static readonly DiagnosticDescriptor InputsMismatch = Rule("NNG0101",
        "Layer input size does not match the previous layer",
        "{0} is declared with {1} inputs, but {2} produces {3}",
        Shape, "A layer's stated input size (Inputs = n) must equal the output size of the layer before it, or the network input for the first layer.");

    public static readonly DiagnosticDescriptor TooFewClassUnits = Rule("NNG0102",
        "Categorical loss needs an output unit per class",
        "{0} is the output layer with {1} unit, but {2} needs one unit per class, at least 2",
        Shape, "Categorical and sparse categorical cross-entropy compare one output per class; a single unit cannot hold a distribution over classes.");

    public static readonly DiagnosticDescriptor BinaryOutputsNotSigmoid = Rule("NNG0103",
        "Binary cross-entropy with several units needs sigmoid outputs",
        "{0} is the output layer with {1} {2} units, but binary cross-entropy scores each unit as an independent probability: use sigmoid",
        Shape, "Binary cross-entropy treats every output unit as the probability of its own label. Several units that are not sigmoids either are not probabilities (linear, ReLU, tanh) or are tied together (softmax: that is categorical cross-entropy's job).");

    public static readonly DiagnosticDescriptor ClassCountMismatch = Rule("NNG0104",
        "Output width does not match the declared class count",
        "{0} is the output layer with {1} units, but network '{2}' declares Classes = {3}, so it needs {4}",
        Shape, "When [Sequential] states Classes, the output layer must have one unit per class (binary cross-entropy may use a single sigmoid unit for 2 classes).");

    public static readonly DiagnosticDescriptor WindowLargerThanInput = Rule("NNG0105",
        "Window larger than its input",
        "{0} has a {1}x{1} {2}, but its input is {3} with padding 'valid', so there is no position for it: use a smaller {2}, padding 'same', or a larger input",
        Shape, "With padding 'valid' a kernel or pooling window must fit inside the image; a stack of layers that shrinks the image to nothing is reported at the first layer that finds no room (Keras reports 'Negative dimension size' at run time).");

    public static readonly DiagnosticDescriptor NeedsImage = Rule("NNG0106",
        "Image layer after an input that is not an image",
        "{0} takes images (height, width, channels), but {1} produces {2}: {3}",
        Shape, "Convolution and pooling layers slide windows over the height and width of channels-last images; a flat vector has neither. State the image shape on [Sequential] (InputShape) or reshape the vector first.");

    public static readonly DiagnosticDescriptor NeedsFlatInput = Rule("NNG0107",
        "Dense layer after a tensor without Flatten",
        "{0} takes a vector, but {1} produces {2} ({3} values): insert [Flatten] before it",
        Shape, "A Dense layer connects every input to every unit and takes each sample as one vector; flatten an image or sequence first, as Keras models do.");

    public static readonly DiagnosticDescriptor ReshapeSizeMismatch = Rule("NNG0108",
        "Reshape changes the number of values",
        "{0} reshapes {1}, {2} values, into {3}, which holds {4}",
        Shape, "Reshape only reinterprets a sample's values in another shape; both shapes must hold the same number of values.");

    public static readonly DiagnosticDescriptor CategoricalOutputNotVector = Rule("NNG0109",
        "Categorical loss on an output that is not a vector",
        "{0} produces {1}, but {2} takes one vector of class scores per sample: insert [Flatten] and a Dense layer with one unit per class (or [GlobalAveragePooling2D] before it)",
        Shape, "Categorical cross-entropy compares one distribution over the classes with one target per sample. Keras would apply it at every position of an image output along the last axis (per-pixel classification); NnGen does not, so an image output must become a vector of class scores first.");

    public static readonly DiagnosticDescriptor NeedsSequence = Rule("NNG0110",
        "Recurrent layer after an input that is not a sequence",
        "{0} reads a sequence (timesteps, features), but {1} produces {2}: {3}",
        Shape, "SimpleRNN, LSTM and GRU step through the first axis of a (timesteps, features) sample. State the sequence on [Sequential] (InputShape = new[] { timesteps, features }), start with an Embedding for token indices, or set ReturnSequences = true on a recurrent layer below to pass on every step.");

    public static readonly DiagnosticDescriptor DenseOnSequence = Rule("NNG0111",
        "Dense layer applied to a sequence",
        "{0} takes a vector, but {1} produces the sequence {2}: {3}",
        Shape, "A Dense layer takes each sample as one vector. Keras would apply it at every timestep of a sequence; NnGen does not, so a sequence must become a vector first: the last step of a recurrent layer (ReturnSequences = false, the default), or [Flatten].");

    public static readonly DiagnosticDescriptor EmbeddingNotOnIndices = Rule("NNG0112",
        "Embedding that does not read token indices",
        "{0} maps token indices to vectors, so it must be the first layer, reading a sequence of indices (InputShape = new[] {{ timesteps }}), but {1} produces {2}",
        Shape, "An Embedding looks up one row of its table per input value, which must be a whole number from 0 to inputDim - 1: the network's input, one index per timestep.");

    public static readonly DiagnosticDescriptor CellActivation = Rule("NNG0113",
        "Softmax as a recurrent cell's activation",
        "{0} uses softmax as its {1}, but a cell applies its activations to each unit on its own: use Tanh, Sigmoid, Relu or another element-wise activation",
        Shape, "Softmax ties a vector's values together; the activations of SimpleRNN, LSTM and GRU act on every unit of every gate separately.");

    // ---- NNG02xx: configurations that compile but will not train well ----------------------------------------

    public static readonly DiagnosticDescriptor SoftmaxInHiddenLayer = Rule("NNG0201",
        "Softmax in a hidden layer",
        "{0} is a hidden layer with softmax, which squeezes its {1} units into one distribution that sums to 1: use Relu",
        Configuration, "Softmax belongs on the output layer of a classifier. In a hidden layer it makes the units compete, so most of them carry almost no signal to the next layer.",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor OutputActivationDoesNotFitLoss = Rule("NNG0202",
        "Output activation does not produce what the loss expects",
        "{0} is the output layer with {1} activation, but {2} expects {3}: use {4}",
        Configuration, "Cross-entropy losses take probabilities: softmax outputs for categorical cross-entropy, sigmoid outputs for binary cross-entropy. Other activations give values the loss clips, and training stalls or goes wrong.",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor SaturatingDeepStack = Rule("NNG0203",
        "Sigmoid or tanh in a deep plain stack",
        "{0} uses {1}, one of {2} sigmoid/tanh hidden layers in a plain stack: gradients shrink through each of them, so the first layers barely learn; use Relu",
        Configuration, "The derivative of sigmoid is at most 0.25 and that of tanh at most 1, and both vanish when the unit saturates. Through four or more such layers the gradient reaching the first layers is tiny.",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor DropoutRateOutOfRange = Rule("NNG0014",
        "Dropout rate out of range",
        "{0} has rate {1}, but the rate must be in [0, 1)",
        Declaration, "Dropout keeps each value with probability 1 - rate and scales it by 1 / (1 - rate): a rate of 1 or more keeps nothing, a negative rate is not a probability.");

    public static readonly DiagnosticDescriptor RedundantBatchNormalization = Rule("NNG0206",
        "BatchNormalization right after the input or another BatchNormalization",
        "{0} directly follows {1}: normalise the inputs once, in the data, or remove the repeated layer",
        Configuration, "Batch normalisation of the raw input only repeats what normalising the data does once, at a cost every step; two in a row normalise already normalised values.",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor FlattenOnFlatInput = Rule("NNG0208",
        "Flatten of an input that is already flat",
        "{0} has nothing to flatten: {1} already produces a vector {2}",
        Configuration, "Flatten turns an image or a sequence into a vector; on a vector it only copies it. Remove the layer.",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor RegularizerNotPositive = Rule("NNG0207",
        "Regulariser factor is not positive",
        "{0} of {1} is {2}: a regulariser factor must be greater than 0 (leave it unset for no regularisation)",
        Configuration, "A factor of 0 has no effect; a negative one rewards large weights instead of penalising them.",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor HyperparameterOutOfRange = Rule("NNG0204",
        "Hyperparameter out of range",
        "{0} of network '{1}' is {2}, but it should be {3}: training will not converge",
        Configuration, "Adam's decay rates belong in [0, 1), its epsilon and RMSprop's must be positive, RMSprop's rho in [0, 1) and AdamW's weight decay 0 or more; outside those ranges the update goes the wrong way, divides by zero or never settles. A learning rate of 0 or less is an error instead (NNG0011).",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor IgnoredSetting = Rule("NNG0205",
        "Setting has no effect",
        "{0} of network '{1}' has no effect {2}",
        Configuration, "Momentum and Nesterov apply to SGD only, Beta1, Beta2 and Epsilon to Adam only, and Nesterov needs a momentum.",
        DiagnosticSeverity.Warning);

    // ---- NNG03xx: calls whose buffers have the wrong constant length ---------------------------------------

    public static readonly DiagnosticDescriptor InputLength = Rule("NNG0301",
        "Input buffer length does not fit the network",
        "{0} is given {1} input floats for '{2}', but it takes {3}",
        Usage, "Inputs are samples of InputSize floats, one after another. A buffer whose length is a compile-time constant is checked against the network's InputSize.");

    public static readonly DiagnosticDescriptor OutputLength = Rule("NNG0302",
        "Output buffer length does not fit the network",
        "{0} is given {1} output floats for '{2}', but it takes {3}",
        Usage, "Predict writes OutputSize floats per input sample. A buffer whose length is a compile-time constant is checked against the network's OutputSize and the number of input samples.");

    public static readonly DiagnosticDescriptor TargetLength = Rule("NNG0303",
        "Target buffer length does not fit the network",
        "{0} is given {1} target floats for '{2}', but it takes {3}",
        Usage, "Training targets are TargetSize floats per sample (one-hot rows, or one class index for sparse categorical cross-entropy). A buffer whose length is a compile-time constant is checked against TargetSize and the number of input samples.");

    // ---- NNG09xx -----------------------------------------------------------------------------------------------

    public static readonly DiagnosticDescriptor InternalFailure = Rule("NNG0999",
        "NnGen failed unexpectedly",
        "NnGen could not {0} '{1}': {2}. This is a bug in NnGen; please report it with the declaration.",
        Internal, "An unexpected error occurred in the generator or an analyzer. The build reports it instead of crashing.");

    private static readonly Dictionary<string, DiagnosticDescriptor> All =
        typeof(DiagnosticDescriptors).GetFields()
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null))
            .ToDictionary(d => d.Id);

    public static IEnumerable<DiagnosticDescriptor> Descriptors => All.Values;

    public static DiagnosticDescriptor ById(string id) => All[id];
}
