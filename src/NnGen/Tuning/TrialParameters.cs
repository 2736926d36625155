using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NnGen.Tuning;

/// <summary>The hyperparameter values of one trial of a search, with the seed every trial shares.</summary>
public sealed class TrialParameters
{
    private readonly KeyValuePair<string, object>[] _values;

    /// <summary>A trial's values.</summary>
    /// <param name="trial">1-based trial number.</param>
    /// <param name="seed">Seed for the network's initial weights and the shuffle; the same for every trial of a search, so trials differ by their hyperparameters only.</param>
    /// <param name="values">Hyperparameter names and values, in the search space's order.</param>
    public TrialParameters(int trial, int seed, IEnumerable<KeyValuePair<string, object>> values)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trial, 1);
        ArgumentNullException.ThrowIfNull(values);
        Trial = trial;
        Seed = seed;
        _values = values.ToArray();
    }

    /// <summary>1-based trial number.</summary>
    public int Trial { get; }

    /// <summary>Seed for the network's initial weights and the shuffle (the same for every trial of a search).</summary>
    public int Seed { get; }

    /// <summary>Hyperparameter names and values, in the search space's order.</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Values => _values;

    /// <summary>The learning rate, or <see langword="null"/> when the search does not vary it.</summary>
    public double? LearningRate => Contains(SearchSpace.LearningRate) ? Get<double>(SearchSpace.LearningRate) : null;

    /// <summary>The batch size; 32 when the search does not vary it.</summary>
    public int BatchSize => Get(SearchSpace.BatchSize, 32);

    /// <summary>The number of epochs; 1 when the search does not vary it.</summary>
    public int Epochs => Get(SearchSpace.Epochs, 1);

    /// <summary>Whether the trial has a value for <paramref name="name"/>.</summary>
    public bool Contains(string name) => Array.FindIndex(_values, v => v.Key == name) >= 0;

    /// <summary>The value of hyperparameter <paramref name="name"/>, converted to <typeparamref name="T"/> when both are numbers.</summary>
    /// <exception cref="KeyNotFoundException">The search space has no such hyperparameter.</exception>
    /// <exception cref="InvalidCastException">The value is not a <typeparamref name="T"/>.</exception>
    public T Get<T>(string name)
    {
        int i = Array.FindIndex(_values, v => v.Key == name);
        if (i < 0)
            throw new KeyNotFoundException(
                $"The search space has no hyperparameter '{name}'; it has {(_values.Length == 0 ? "none" : string.Join(", ", _values.Select(v => v.Key)))}.");
        return Convert<T>(name, _values[i].Value);
    }

    /// <summary>The value of hyperparameter <paramref name="name"/>, or <paramref name="defaultValue"/> when the search does not vary it.</summary>
    public T Get<T>(string name, T defaultValue) => Contains(name) ? Get<T>(name) : defaultValue;

    /// <summary>The values as <c>name=value</c> pairs, e.g. <c>learning_rate=0.001, batch_size=32</c>.</summary>
    public override string ToString() => string.Join(", ", _values.Select(v => $"{v.Key}={Format(v.Value)}"));

    internal static string Format(object value) => value switch
    {
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static T Convert<T>(string name, object value)
    {
        if (value is T typed) return typed;
        bool numeric = value is int or long or float or double or decimal or short or byte;
        if (numeric && typeof(T) == typeof(double)) return (T)(object)System.Convert.ToDouble(value, CultureInfo.InvariantCulture);
        if (numeric && typeof(T) == typeof(float)) return (T)(object)System.Convert.ToSingle(value, CultureInfo.InvariantCulture);
        if (numeric && (typeof(T) == typeof(int) || typeof(T) == typeof(long)))
        {
            double d = System.Convert.ToDouble(value, CultureInfo.InvariantCulture);
            if (d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue)
                return typeof(T) == typeof(int) ? (T)(object)(int)d : (T)(object)(long)d;
        }
        throw new InvalidCastException(
            $"Hyperparameter '{name}' is {Format(value)} ({value.GetType().Name}), which is not a {typeof(T).Name}.");
    }
}
