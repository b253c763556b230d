namespace Tributary.Tests;

/// <summary>Finds the repository root from the test binaries (the folder holding Tributary.slnx).</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Tributary.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Tributary.slnx not found above the test binaries");
    }
}
