namespace BriefingRoom.Tests.Infrastructure;

internal static class RepositoryRoot
{
    /// <summary>The folder that holds BriefingRoom.sln, found by walking up from the test binaries.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "BriefingRoom.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No BriefingRoom.sln above {AppContext.BaseDirectory}.");
    }
}
