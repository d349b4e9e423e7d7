namespace BriefingRoom;

/// <summary>
/// The front end lives in the repository's top-level wwwroot, outside this project; the static web assets pipeline
/// takes it in (BriefingRoom.csproj), fingerprints and compresses it, and copies it into a published app's wwwroot.
/// A published app runs from its own folder whatever the current directory; a build from source serves the
/// checkout's top-level wwwroot.
/// </summary>
public static class WebRoot
{
    private static readonly string Published = Path.Combine(AppContext.BaseDirectory, "wwwroot");

    /// <summary>A published app: its front end was copied beside its binaries.</summary>
    public static bool IsPublished => File.Exists(Path.Combine(Published, "index.html"));

    /// <summary>
    /// The published app's own folder, so that its settings files, its SQLite file and its web root are found when it
    /// is started from anywhere; null (the current directory, as `dotnet run` and the test host set it) otherwise.
    /// </summary>
    public static string? ContentRoot => IsPublished ? AppContext.BaseDirectory : null;

    public static string Find()
    {
        if (IsPublished)
        {
            return Published;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BriefingRoom.sln")))
            {
                return Path.Combine(dir.FullName, "wwwroot");
            }
        }

        throw new DirectoryNotFoundException($"No wwwroot beside {AppContext.BaseDirectory} nor at the root of a BriefingRoom checkout above it: publish the app with `dotnet publish src/BriefingRoom`.");
    }
}
