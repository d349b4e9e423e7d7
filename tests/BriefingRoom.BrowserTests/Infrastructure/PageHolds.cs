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
/// The server's answer to the first of the browser's requests to <c>pattern</c> (with <c>method</c>, when given) held back
/// until <see cref="Release"/>: the request itself reaches the server, which makes the change and tells the room, and only
/// its answer to the page comes late. <see cref="Answered"/> completes once the server has answered it.
/// </summary>
public sealed class HeldAnswers
{
    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _seen;

    private HeldAnswers()
    {
    }

    public static async Task<HeldAnswers> OnAsync(IPage page, string pattern, string? method = null)
    {
        var held = new HeldAnswers();
        await page.RouteAsync(pattern, async route =>
        {
            if ((method is not null && route.Request.Method != method) || Interlocked.Increment(ref held._seen) != 1)
            {
                await route.ContinueAsync();
                return;
            }

            var answer = await route.FetchAsync();
            held._answered.TrySetResult();
            await held._release.Task;
            await route.FulfillAsync(new() { Response = answer });
        });
        return held;
    }

    public Task Answered => _answered.Task.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);

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
