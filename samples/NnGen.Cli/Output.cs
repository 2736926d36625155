using System;
using System.IO;

namespace NnGen.Cli;

/// <summary>The output folder of a command, checked before any work so that a bad <c>--out</c> does not waste a training run.</summary>
internal static class Output
{
    /// <summary>
    /// Creates <paramref name="directory"/> and writes (and deletes) a probe file in it; throws an <see cref="IOException"/>
    /// naming the folder when it is a file, cannot be created or cannot be written, or when a directory stands where one of
    /// <paramref name="files"/> is to be written.
    /// </summary>
    public static string Check(string directory, params string[] files)
    {
        string written = $"for {string.Join(", ", files)}";
        if (File.Exists(directory)) throw new IOException($"--out: {directory} is a file, but a folder is expected ({written}).");
        try
        {
            Directory.CreateDirectory(directory);
            string probe = Path.Combine(directory, $".nngen-write-probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string why = e is UnauthorizedAccessException ? "permission denied" : e.Message;
            throw new IOException($"--out: cannot write to the folder {directory} ({written}): {why}", e);
        }
        foreach (string file in files)
        {
            string path = Path.Combine(directory, file);
            if (Directory.Exists(path)) throw new IOException($"--out: {path} is a directory, but the file {file} is to be written there.");
        }
        return directory;
    }
}
