using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace NnGen.Tuning;

/// <summary>
/// One trial of a search, run by itself (one process of a job array, <see cref="Search.RunTrial"/> or
/// <see cref="Tuner.RunTrial"/>): its 0-based index in the search's trial list, the list's length and fingerprint,
/// what was optimised and the trial's result. <see cref="WriteJson"/> writes it where <see cref="SearchResults.Collect"/>
/// merges the trials of a search into the ranking the search gives when run in one process.
/// </summary>
/// <param name="SearchId">The trial list's <see cref="Search.Fingerprint"/>: trials of one search share it.</param>
/// <param name="Index">0-based index of the trial in the list (its <see cref="TrialParameters.Trial"/> is <c>Index + 1</c>).</param>
/// <param name="TrialCount">How many trials the search has.</param>
/// <param name="Objective">What the score measures.</param>
/// <param name="Result">The trial's hyperparameters, score, metrics, time and error.</param>
public sealed record TrialReport(string SearchId, int Index, int TrialCount, Objective Objective, TrialResult Result)
{
    /// <summary>The files <see cref="SearchResults.Collect"/> reads: <c>trial-*.json</c>.</summary>
    public const string FilePattern = "trial-*.json";

    private const string Format = "nngen-trial";
    private const int Version = 1;

    /// <summary>The trial's file name in a results folder: <c>trial-</c><see cref="Index"/><c>.json</c>, e.g. <c>trial-0.json</c>.</summary>
    public string FileName => FileNameOf(Index);

    /// <summary>The file name of the trial of 0-based index <paramref name="index"/>.</summary>
    public static string FileNameOf(int index) => string.Create(CultureInfo.InvariantCulture, $"trial-{index}.json");

    /// <summary>The report as a JSON object (documented in docs/scaling.md).</summary>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("version", Version);
            json.WriteString("search", SearchId);
            json.WriteNumber("index", Index);
            json.WriteNumber("trials", TrialCount);
            json.WriteNumber("seed", Result.Parameters.Seed);
            json.WriteString("objective", Objective.Metric);
            json.WriteString("direction", Objective.Direction == Direction.Maximize ? "maximize" : "minimize");
            json.WriteStartObject("parameters");
            foreach (KeyValuePair<string, object> p in Result.Parameters.Values) WriteValue(json, p.Key, p.Value);
            json.WriteEndObject();
            WriteNumber(json, "score", Result.Score);
            json.WriteStartObject("metrics");
            foreach (KeyValuePair<string, float> m in Result.Metrics) WriteNumber(json, m.Key, m.Value); // in their order: the results table's columns
            json.WriteEndObject();
            json.WriteNumber("seconds", Result.Duration.TotalSeconds);
            if (Result.Error is null) json.WriteNull("error");
            else json.WriteString("error", Result.Error);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    /// <summary>
    /// Writes <see cref="ToJson"/> to <paramref name="path"/>, through a temporary file beside it, so that a process
    /// stopped while writing leaves no partial result where <see cref="SearchResults.Collect"/> looks, and a rerun of the
    /// same index replaces the earlier result.
    /// </summary>
    public void WriteJson(string path)
    {
        // A name of its own: pods of a Job all run as process 1, so a process id would not tell two writers apart.
        string temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllText(temporary, ToJson());
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary); // nothing there once moved
        }
    }

    /// <summary>Reads a report written by <see cref="WriteJson"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not complete JSON, or a field is missing or has a value a report cannot have; the message names the file, the field and the value.</exception>
    public static TrialReport ReadJson(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Reads a report from <paramref name="json"/>; <paramref name="source"/> names it in messages.</summary>
    internal static TrialReport Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source} is not a complete trial result (JSON): {e.Message}", e);
        }
        using (document)
        {
            var reader = new Fields(document.RootElement, source);
            string format = reader.String("format");
            int version = reader.Int("version");
            if (format != Format || version != Version)
                throw new InvalidDataException($"{source} is a '{format}' file of version {version}, but a trial result is '{Format}' of version {Version}.");
            string search = reader.String("search");
            int trials = reader.Int("trials");
            if (trials < 1) throw reader.Bad("trials", "a count of at least 1");
            int index = reader.Int("index");
            if (index < 0 || index >= trials) throw reader.Bad("index", $"an index from 0 to {trials - 1} (the file says the search has {trials} trials)");
            int seed = reader.Int("seed");
            string metric = reader.String("objective");
            Direction direction = reader.String("direction") switch
            {
                "maximize" => Direction.Maximize,
                "minimize" => Direction.Minimize,
                _ => throw reader.Bad("direction", "\"maximize\" or \"minimize\""),
            };
            var parameters = new TrialParameters(index + 1, seed, reader.Object("parameters").EnumerateObject()
                .Select(p => new KeyValuePair<string, object>(p.Name, ReadValue(reader, p))).ToArray());
            double score = reader.NumberOrNull("score");
            var metrics = new Dictionary<string, float>();
            foreach (JsonProperty m in reader.Object("metrics").EnumerateObject())
                metrics[m.Name] = m.Value.ValueKind == JsonValueKind.Null ? float.NaN
                    : m.Value.ValueKind == JsonValueKind.Number && m.Value.TryGetSingle(out float v) ? v
                    : throw reader.Bad($"metrics.{m.Name}", "a number or null", m.Value);
            double seconds = reader.Number("seconds");
            if (!(seconds >= 0 && seconds <= TimeSpan.MaxValue.TotalSeconds)) throw reader.Bad("seconds", "a duration of 0 or more seconds");
            string? error = reader.StringOrNull("error");
            if (error is null && double.IsNaN(score)) throw reader.Bad("score", "a number, as the trial has no error");
            return new TrialReport(search, index, trials, new Objective(metric, direction),
                new TrialResult(parameters, score, metrics, TimeSpan.FromSeconds(seconds), error));
        }
    }

    private static void WriteValue(Utf8JsonWriter json, string name, object value)
    {
        switch (value)
        {
            case int or long or short or byte: json.WriteNumber(name, Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case double d when double.IsFinite(d): json.WriteNumber(name, d); break;
            case float f when float.IsFinite(f): json.WriteNumber(name, f); break;
            case bool b: json.WriteBoolean(name, b); break;
            default: json.WriteString(name, TrialParameters.Format(value)); break;
        }
    }

    /// <summary>A hyperparameter's value: a whole number written without a fraction or exponent is an int (a long past its range), any other number a double.</summary>
    private static object ReadValue(Fields reader, JsonProperty p) => p.Value.ValueKind switch
    {
        JsonValueKind.String => p.Value.GetString()!,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when p.Value.TryGetInt32(out int i) => i, // false for 3.0 and 3e0
        JsonValueKind.Number when p.Value.TryGetInt64(out long l) => l,
        JsonValueKind.Number => p.Value.GetDouble(),
        _ => throw reader.Bad($"parameters.{p.Name}", "a number, a string or a boolean", p.Value),
    };

    private static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value)) json.WriteNumber(name, value);
        else json.WriteNull(name);
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, float value)
    {
        if (float.IsFinite(value)) json.WriteNumber(name, value);
        else json.WriteNull(name);
    }

    /// <summary>Reads the fields of the root object, with messages naming the file, the field, what was expected and what was found.</summary>
    private readonly struct Fields(JsonElement root, string source)
    {
        public string String(string name) => Get(name) is { ValueKind: JsonValueKind.String } e && e.GetString() is { Length: > 0 } s ? s : throw Bad(name, "a non-empty string");

        public string? StringOrNull(string name) => Get(name) switch
        {
            { ValueKind: JsonValueKind.Null } => null,
            { ValueKind: JsonValueKind.String } e => e.GetString(),
            _ => throw Bad(name, "a string or null"),
        };

        public int Int(string name) => Get(name) is { ValueKind: JsonValueKind.Number } e && e.TryGetInt32(out int v) ? v : throw Bad(name, "a whole number");

        public double Number(string name) => Get(name) is { ValueKind: JsonValueKind.Number } e ? e.GetDouble() : throw Bad(name, "a number");

        public double NumberOrNull(string name) => Get(name).ValueKind == JsonValueKind.Null ? double.NaN : Number(name);

        public JsonElement Object(string name) => Get(name) is { ValueKind: JsonValueKind.Object } e ? e : throw Bad(name, "an object");

        public InvalidDataException Bad(string name, string expected) => Bad(name, expected, Find(name));

        public InvalidDataException Bad(string name, string expected, JsonElement? found) => new(
            $"{source}: '{name}' should be {expected}, but it is {(found is JsonElement e ? Shorten(e.GetRawText()) : "missing")}.");

        private JsonElement Get(string name) =>
            Find(name) ?? throw new InvalidDataException($"{source}: the field '{name}' of a trial result is missing.");

        private JsonElement? Find(string name)
        {
            if (root.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{source} should hold a JSON object (a trial result), but it holds {Shorten(root.GetRawText())}.");
            return root.TryGetProperty(name, out JsonElement e) ? e : null;
        }

        private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
    }
}
