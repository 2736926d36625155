using System;
using System.Globalization;
using System.Text;

namespace NnGen.Generators;

/// <summary>Indented source text; every number is written with the invariant culture.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _sb = new();
    private int _indent;

    public CodeWriter Line(string text = "")
    {
        if (text.Length > 0) _sb.Append(' ', _indent * 4).Append(text);
        _sb.Append('\n');
        return this;
    }

    public CodeWriter Open(string text)
    {
        Line(text);
        Line("{");
        _indent++;
        return this;
    }

    public CodeWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    public override string ToString() => _sb.ToString();

    // The generated code names every type from global:: and needs no using directive, no contextual keyword (var,
    // nuint, nameof) and nothing newer than C# 8: a user's member, type, namespace or global using of the same name
    // cannot capture a name, and any project from LangVersion 8 up compiles it.
    public const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
    public const string MemoryMarshal = "global::System.Runtime.InteropServices.MemoryMarshal";
    public const string Math = "global::System.Math";
    public const string Kernels = "global::NnGen.Kernels";

    /// <summary>The runtime's Activation value: <c>global::NnGen.Activation.Relu</c>.</summary>
    public static string ActivationName(Model.ActivationKind a) => $"global::NnGen.Activation.{a}";

    /// <summary>A ref to the first element of an array field: <c>MemoryMarshal.GetArrayDataReference(_y1)</c>.</summary>
    public static string At(string array) => $"{MemoryMarshal}.GetArrayDataReference({array})";

    public static string Float(double value)
    {
        float f = (float)value;
        string s = f.ToString("R", CultureInfo.InvariantCulture);
        if (s.IndexOfAny(new[] { '.', 'E', 'e' }) < 0) s += ".0";
        return s + "f";
    }

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A count as messages write it, with thousands separators: <c>200,960</c>.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A C# string literal: quotes, backslashes, control characters and every line terminator escaped.</summary>
    public static string Literal(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                default:
                    if (char.IsControl(c) || c is '\u2028' or '\u2029') sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>Text safe inside a <c>//</c> comment: no character that would end the line.</summary>
    public static string Comment(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (char c in value) sb.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c);
        return sb.ToString();
    }

    /// <summary>Text safe inside a <c>///</c> XML doc comment.</summary>
    public static string Xml(string value) =>
        Comment(value).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
