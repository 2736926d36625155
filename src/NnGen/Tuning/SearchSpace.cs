using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NnGen.Tuning;

/// <summary>
/// The hyperparameters a search tries, in declaration order: lists of values (<see cref="Choice{T}"/>) for grid and
/// random search, and ranges (<see cref="Uniform"/>, <see cref="LogUniform"/>) for random search. The names
/// <see cref="LearningRate"/>, <see cref="BatchSize"/> and <see cref="Epochs"/> are applied by <see cref="Tuner"/>;
/// any other name is for the network factory to read (<see cref="TrialParameters.Get{T}(string)"/>), e.g. layer units
/// choosing between generated networks, or a dropout rate.
/// </summary>
/// <example>
/// <code>
/// var space = new SearchSpace()
///     .Choice(SearchSpace.LearningRate, 1e-3, 3e-4)
///     .Choice(SearchSpace.BatchSize, 32, 64)
///     .Choice("units", 128, 256);
/// </code>
/// </example>
public sealed class SearchSpace
{
    /// <summary>The optimizer's learning rate (a number); the network's own when absent.</summary>
    public const string LearningRate = "learning_rate";
    /// <summary>Samples per gradient step (a whole number); 32 when absent.</summary>
    public const string BatchSize = "batch_size";
    /// <summary>Training epochs (a whole number); 1 when absent.</summary>
    public const string Epochs = "epochs";

    private readonly List<Hyperparameter> _hyperparameters = new();

    /// <summary>The hyperparameters, in declaration order.</summary>
    public IReadOnlyList<Hyperparameter> Hyperparameters => _hyperparameters;

    /// <summary>Adds a hyperparameter taking one of <paramref name="values"/>.</summary>
    /// <param name="name">Its name, unique in the space.</param>
    /// <param name="values">One or more values, e.g. numbers, or names of alternative networks.</param>
    public SearchSpace Choice<T>(string name, params T[] values) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0) throw new ArgumentException($"Hyperparameter '{name}' needs at least one value.", nameof(values));
        return Add(new ChoiceHyperparameter(name, values.Select(v => (object)v).ToArray()));
    }

    /// <summary>Adds a number drawn uniformly from [<paramref name="min"/>, <paramref name="max"/>) (random search only).</summary>
    /// <param name="name">Its name, unique in the space.</param>
    /// <param name="min">Lower bound.</param>
    /// <param name="max">Upper bound, above <paramref name="min"/>.</param>
    public SearchSpace Uniform(string name, double min, double max) => Add(new RangeHyperparameter(name, min, max, log: false));

    /// <summary>
    /// Adds a positive number whose logarithm is drawn uniformly, so each factor of ten between <paramref name="min"/> and
    /// <paramref name="max"/> is equally likely: the usual choice for learning rates (random search only).
    /// </summary>
    /// <param name="name">Its name, unique in the space.</param>
    /// <param name="min">Lower bound, above 0.</param>
    /// <param name="max">Upper bound, above <paramref name="min"/>.</param>
    public SearchSpace LogUniform(string name, double min, double max) => Add(new RangeHyperparameter(name, min, max, log: true));

    private SearchSpace Add(Hyperparameter hyperparameter)
    {
        if (_hyperparameters.Any(h => h.Name == hyperparameter.Name))
            throw new ArgumentException($"Hyperparameter '{hyperparameter.Name}' is declared twice.", "name");
        _hyperparameters.Add(hyperparameter);
        return this;
    }
}

/// <summary>One dimension of a <see cref="SearchSpace"/>.</summary>
public abstract class Hyperparameter
{
    private protected Hyperparameter(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>Its name.</summary>
    public string Name { get; }

    /// <summary>The values a grid search tries, or <see langword="null"/> for a continuous range.</summary>
    public abstract IReadOnlyList<object>? Values { get; }

    internal abstract object Sample(ref Rng rng);
}

internal sealed class ChoiceHyperparameter(string name, object[] values) : Hyperparameter(name)
{
    public override IReadOnlyList<object> Values => values;

    internal override object Sample(ref Rng rng) => values[rng.NextInt(values.Length)];

    public override string ToString() => $"{Name} in [{string.Join(", ", values.Select(TrialParameters.Format))}]";
}

internal sealed class RangeHyperparameter : Hyperparameter
{
    private readonly double _min, _max;
    private readonly bool _log;

    public RangeHyperparameter(string name, double min, double max, bool log) : base(name)
    {
        if (!(double.IsFinite(min) && double.IsFinite(max) && min < max))
            throw new ArgumentException($"Hyperparameter '{name}' needs finite bounds with min < max, but got [{min}, {max}).", nameof(min));
        if (log && min <= 0)
            throw new ArgumentException($"Log-uniform hyperparameter '{name}' needs a positive lower bound, but got {min}.", nameof(min));
        (_min, _max, _log) = (min, max, log);
    }

    public override IReadOnlyList<object>? Values => null;

    internal override object Sample(ref Rng rng)
    {
        double u = rng.NextFloat();
        return _log ? Math.Exp(Math.Log(_min) + u * (Math.Log(_max) - Math.Log(_min))) : _min + u * (_max - _min);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name} {(_log ? "log-uniform" : "uniform")} in [{_min}, {_max})");
}
