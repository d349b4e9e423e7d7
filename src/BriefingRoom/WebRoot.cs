namespace BriefingRoom;

/// <summary>
/// The front end lives in the repository's top-level wwwroot, outside this project. A published app carries
/// a copy beside its binaries; a build from source finds it at the root of the checkout.
/// </summary>
public static class WebRoot
{
    public static string Find()
    {
        var published = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (Directory.Exists(published))
        {
            return published;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BriefingRoom.sln")))
            {
                return Path.Combine(dir.FullName, "wwwroot");
            }
        }

        throw new DirectoryNotFoundException($"No wwwroot beside {AppContext.BaseDirectory} nor at the root of a BriefingRoom checkout above it.");
    }
}
