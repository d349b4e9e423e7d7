using System.Text.Json;

namespace BriefingRoom.BrowserTests.Infrastructure;

/// <summary>One app with a fresh database and one Chromium per test; each person gets a browser context of their own.</summary>
public abstract class RoomTest : IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    protected RoomServer Server { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        (_playwright, _browser) = await Chromium.LaunchAsync();
        Server = RoomServer.Start();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A person in their own browser, not signed in.</summary>
    protected async Task<IPage> NewPageAsync(int width = 1440, int height = 900)
    {
        var context = await _browser!.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>A person in their own browser, signed in, looking at an item of the demo meeting.</summary>
    protected async Task<RoomPage> OpenAsync(string who, int itemId, int width = 1440, int height = 900)
    {
        var context = await _browser!.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, AcceptDownloads = true });
        _contexts.Add(context);
        var page = new RoomPage(await context.NewPageAsync(), Server);
        await page.SignInAsync(who);
        await page.OpenItemAsync(itemId);
        return page;
    }
}

/// <summary>The room as a person sees it, with the few ways in that the tests need.</summary>
public sealed class RoomPage(IPage page, RoomServer server)
{
    public IPage Page { get; } = page;

    public ILocator Draft(int itemId) => Page.Locator($"textarea[data-document-id='draft:{itemId}']");

    public ILocator Banner => Page.Locator("#banner");

    public ILocator Connection => Page.Locator("#connection-state");

    public async Task SignInAsync(string who)
    {
        await Page.GotoAsync(server.BaseAddress.ToString());
        await Page.GetByLabel("E-mail address").FillAsync(RoomServer.Email(who));
        await Page.GetByLabel("Password").FillAsync(RoomServer.Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Your meetings" })).ToBeVisibleAsync();
    }

    public async Task OpenItemAsync(int itemId)
    {
        await Page.GotoAsync(new Uri(server.BaseAddress, $"/#/meetings/{RoomServer.DemoMeetingId}/items/{itemId}").ToString());
        await Expect(Draft(itemId)).ToBeVisibleAsync();
        await Expect(Connection).ToContainTextAsync("Live");
    }

    /// <summary>Puts the caret at the end of the draft and types, key by key, as a person does.</summary>
    public async Task TypeAtEndAsync(int itemId, string text)
    {
        var draft = Draft(itemId);
        await draft.FocusAsync();
        await draft.PressAsync("Control+End");
        await draft.PressSequentiallyAsync(text);
    }

    public async Task TypeAtStartAsync(int itemId, string text)
    {
        var draft = Draft(itemId);
        await draft.FocusAsync();
        await draft.PressAsync("Control+Home");
        await draft.PressSequentiallyAsync(text);
    }

    /// <summary>A request made from the page's own script, with its cookie, as an attacker on the page or a curious user could.</summary>
    public async Task<(int Status, string Body)> FetchAsync(string method, string path, object? body, bool withAppHeader = true)
    {
        var result = await Page.EvaluateAsync<JsonElement>(
            """
            async ([method, path, body, withAppHeader]) => {
              const headers = { 'Content-Type': 'application/json' };
              if (withAppHeader) headers['X-Requested-With'] = 'BriefingRoom';
              const response = await fetch(path, { method, headers, credentials: 'same-origin', body: body === null ? undefined : JSON.stringify(body) });
              return { status: response.status, body: await response.text() };
            }
            """,
            new object?[] { method, path, body, withAppHeader });
        return (result.GetProperty("status").GetInt32(), result.GetProperty("body").GetString() ?? "");
    }
}
