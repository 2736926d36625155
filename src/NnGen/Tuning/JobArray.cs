using System;
using System.Globalization;

namespace NnGen.Tuning;

/// <summary>
/// The trial index a job array gives each of its processes: a Kubernetes Indexed Job sets <c>JOB_COMPLETION_INDEX</c>
/// (0 to completions - 1), a Slurm job array <c>SLURM_ARRAY_TASK_ID</c> (the numbers of <c>--array</c>).
/// </summary>
public static class JobArray
{
    /// <summary>The variable a Kubernetes Indexed Job (<c>completionMode: Indexed</c>) sets in each pod: 0 to completions - 1.</summary>
    public const string KubernetesIndexVariable = "JOB_COMPLETION_INDEX";

    /// <summary>The variable a Slurm job array sets in each task: one of the numbers given to <c>--array</c>.</summary>
    public const string SlurmIndexVariable = "SLURM_ARRAY_TASK_ID";

    /// <summary>
    /// The trial index of this process: <see cref="KubernetesIndexVariable"/> when it is set, else
    /// <see cref="SlurmIndexVariable"/>, taken as it is, so a Slurm array runs the trials of a search of N trials as
    /// <c>--array=0-(N-1)</c> (an array numbered otherwise passes its own index, e.g. <c>SLURM_ARRAY_TASK_ID - 1</c>);
    /// <see langword="null"/> when neither is set.
    /// </summary>
    /// <param name="trialCount">The search's trial count: the index must be below it.</param>
    /// <param name="getVariable">Reads an environment variable; <see cref="Environment.GetEnvironmentVariable(string)"/> by default.</param>
    /// <returns>The index and the variable it came from.</returns>
    /// <exception cref="InvalidOperationException">The variable is not a whole number, or is not an index of the search; the message names it and its value.</exception>
    public static (int Index, string Variable)? TrialIndex(int trialCount, Func<string, string?>? getVariable = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trialCount, 1);
        getVariable ??= Environment.GetEnvironmentVariable;
        foreach (string variable in new[] { KubernetesIndexVariable, SlurmIndexVariable })
        {
            string? text = getVariable(variable);
            if (string.IsNullOrWhiteSpace(text)) continue;
            string range = $"the search has {trialCount} trials, indices 0 to {trialCount - 1}";
            if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int index))
                throw new InvalidOperationException($"{variable} is '{text}', but a trial index is a whole number: {range}.");
            if (index < 0 || index >= trialCount)
                throw new InvalidOperationException($"{variable} is {index}, but {range}" +
                    (variable == SlurmIndexVariable ? $": number the array from 0 (--array=0-{trialCount - 1})." : "."));
            return (index, variable);
        }
        return null;
    }
}
