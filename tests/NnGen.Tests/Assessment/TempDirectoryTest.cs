using System;
using System.IO;

namespace NnGen.Tests.Assessment;

/// <summary>A test class that gets a fresh temporary folder, deleted after each test.</summary>
public abstract class TempDirectoryTest : IDisposable
{
    protected string Dir { get; } = Directory.CreateTempSubdirectory("nngen-test").FullName;

    public void Dispose()
    {
        Directory.Delete(Dir, recursive: true);
        GC.SuppressFinalize(this);
    }
}
