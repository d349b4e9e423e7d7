namespace BriefingRoom.BrowserTests.Infrastructure;

/// <summary>
/// The browser's requests to <c>pattern</c> held back, from the first, until <see cref="Release"/>: for a test that acts
/// while a page's request is on its way. <see cref="Requested"/> completes when the first arrives.
/// </summary>
public sealed class HeldRequests
{
    private readonly TaskCompletionSource _requested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HeldRequests()
    {
    }

    public static async Task<HeldRequests> OnAsync(IPage page, string pattern)
    {
        var held = new HeldRequests();
        await page.RouteAsync(pattern, async route =>
        {
            held._requested.TrySetResult();
            await held._release.Task;
            await route.ContinueAsync();
        });
        return held;
    }

    public Task Requested => _requested.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

    public void Release() => _release.TrySetResult();
}

/// <summary>
/// The page's confirm() questions, answered OK or Cancel as <see cref="Accept"/> says at the time, and kept to be read.
/// </summary>
public sealed class Dialogs
{
    private readonly List<string> _asked = [];
    private readonly SemaphoreSlim _answered = new(0);

    public Dialogs(IPage page) => page.Dialog += async (_, dialog) =>
    {
        lock (_asked)
        {
            _asked.Add(dialog.Message);
        }

        await (Accept ? dialog.AcceptAsync() : dialog.DismissAsync());
        _answered.Release();
    };

    public bool Accept { get; set; }

    public IReadOnlyList<string> Asked
    {
        get
        {
            lock (_asked)
            {
                return [.. _asked];
            }
        }
    }

    /// <summary>The next question, once answered; fails the test when none comes.</summary>
    public async Task<string> NextAsync()
    {
        Assert.True(await _answered.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken), "the page asks first");
        return Asked[^1];
    }
}
