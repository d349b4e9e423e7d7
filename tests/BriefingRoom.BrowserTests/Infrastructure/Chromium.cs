namespace BriefingRoom.BrowserTests.Infrastructure;

/// <summary>
/// Debian's Chromium, driven by Playwright (whose own browser download does not work here). On a machine
/// without it the browser tests say so and are skipped, unless BRIEFINGROOM_REQUIRE_BROWSER=1 makes that a failure.
/// </summary>
public static class Chromium
{
    public const string RequireVariable = "BRIEFINGROOM_REQUIRE_BROWSER";
    public const string PathVariable = "BRIEFINGROOM_CHROMIUM";

    private static readonly string[] Arguments =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    public static string ExecutablePath => Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            var reason = $"Chromium is not installed at {ExecutablePath} (apt-get install -y chromium, or set {PathVariable}); set {RequireVariable}=1 to make this a failure.";
            if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
            {
                Assert.Fail(reason);
            }

            Assert.Skip(reason);
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ExecutablePath, Args = Arguments, Headless = true });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
