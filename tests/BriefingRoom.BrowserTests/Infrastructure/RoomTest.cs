using System.Text.Json;
using System.Text.RegularExpressions;

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
        Server = RoomServer.Start(ServerSettings);
    }

    /// <summary>Configuration a test class needs beyond the defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string>? ServerSettings => null;

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

    /// <summary>
    /// The first person on the test's fresh server: the page waits for the app's first start (a cold process on a busy
    /// machine), up to 60 s rather than the 5 s every later step gets.
    /// </summary>
    protected async Task<RoomPage> OpenFirstAsync(string who, int itemId)
    {
        var page = new RoomPage(await NewPageAsync(), Server);
        await page.SignInAsync(who);
        await page.Page.GotoAsync(new Uri(Server.BaseAddress, $"/#/meetings/1/items/{itemId}").ToString());
        await Expect(page.Draft(itemId)).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.Connection).ToContainTextAsync("Live", new() { Timeout = 60_000 });
        return page;
    }

    /// <summary>The chair makes item I of the demo meeting a coalition statement: not agreed, then the coalition opened.</summary>
    protected static async Task MakeItemOneAStatementAsync(RoomPage chair)
    {
        Assert.Equal(200, (await chair.FetchAsync("PUT", "/api/meetings/1/items/1/status", new { status = "notAgreed" })).Status);
        Assert.Equal(200, (await chair.FetchAsync("POST", "/api/meetings/1/items/1/coalition", null)).Status);
    }

    /// <summary>
    /// A person in their own browser, signed in, looking at an item of the demo meeting. With <c>missesEvents</c>, while it
    /// answers true the room's events from the server do not reach this page (as if lost on the way), though the connection
    /// stays up and everything else arrives. With <c>timeZone</c> (an IANA name), the browser's clock reads in that zone.
    /// With <c>ownClock</c>, the page's timers run on Playwright's clock (in step with time until a test pauses it).
    /// </summary>
    protected async Task<RoomPage> OpenAsync(string who, int itemId, int width = 1440, int height = 900, Func<bool>? missesEvents = null, string? timeZone = null, bool ownClock = false)
    {
        var context = await _browser!.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, AcceptDownloads = true, TimezoneId = timeZone });
        _contexts.Add(context);
        var tab = await context.NewPageAsync();
        if (ownClock)
        {
            await tab.Clock.InstallAsync();
        }

        if (missesEvents is not null)
        {
            await tab.RouteWebSocketAsync("**/hubs/**", socket =>
            {
                var server = socket.ConnectToServer();
                server.OnMessage(frame =>
                {
                    if (frame.Text is not { } text)
                    {
                        socket.Send(frame.Binary!);
                    }
                    else if (!(missesEvents() && text.Contains("\"target\":\"MeetingEvents\"", StringComparison.Ordinal)))
                    {
                        socket.Send(text);
                    }
                });
                socket.OnMessage(frame =>
                {
                    if (frame.Text is { } text)
                    {
                        server.Send(text);
                    }
                    else
                    {
                        server.Send(frame.Binary!);
                    }
                });
            });
        }

        var page = new RoomPage(tab, Server);
        await page.SignInAsync(who);
        await page.OpenItemAsync(itemId);
        return page;
    }
}

/// <summary>The room as a person sees it, with the few ways in that the tests need.</summary>
public sealed class RoomPage(IPage page, RoomServer server)
{
    public IPage Page { get; } = page;

    /// <summary>The draft's editable text (CodeMirror's content element, role textbox).</summary>
    public ILocator Draft(int itemId) => Editor($"draft:{itemId}");

    /// <summary>A co-edited text's editable element, by its document id ("draft:1", "position:1:FR").</summary>
    public ILocator Editor(string documentId) => Page.Locator($".cm-editor[data-document-id='{documentId}'] .cm-content");

    public ILocator Banner => Page.Locator("#banner");

    public ILocator Connection => Page.Locator("#connection-state");

    /// <summary>From now on, keeps everything the page's live region says, in order (each message replaces the one before it).</summary>
    public Task ListenToAnnouncementsAsync() => Page.EvaluateAsync("""
        () => {
          window.__said = [];
          const region = document.getElementById('announcer');
          new MutationObserver(() => { if (region.textContent) window.__said.push(region.textContent); })
            .observe(region, { childList: true, characterData: true, subtree: true });
        }
        """);

    /// <summary>Everything the live region has said since <see cref="ListenToAnnouncementsAsync"/>, once it has said something holding <paramref name="words"/>.</summary>
    public async Task<string[]> AnnouncedAsync(string words)
    {
        await Page.WaitForFunctionAsync("words => window.__said.some(m => m.includes(words))", words);
        return await Page.EvaluateAsync<string[]>("() => window.__said");
    }

    /// <summary>
    /// From now on, counts into <c>window[counter]</c> each JSON answer that <paramref name="which"/> picks (the source of a
    /// function of the response and its body), once the page is done with it: a task after reading it, so that whatever the
    /// page draws from it is drawn by then.
    /// </summary>
    public Task CountAnswersAsync(string counter, string which) => Page.EvaluateAsync($$"""
        () => {
          window.{{counter}} = 0;
          const json = Response.prototype.json;
          const picks = {{which}};
          Response.prototype.json = async function () {
            const body = await json.call(this);
            if (picks(this, body)) setTimeout(() => { window.{{counter}} += 1; }, 0);
            return body;
          };
        }
        """);

    /// <summary>
    /// From now on, counts the items of each JSON list the page reads from a URL ending in <paramref name="urlEnd"/>, once
    /// the page is done with it, in that order, into <c>window.reads</c>: which of crossing readings the page drew.
    /// </summary>
    public Task CountListReadsAsync(string urlEnd) => Page.EvaluateAsync("""
        urlEnd => {
          window.reads = [];
          const json = Response.prototype.json;
          Response.prototype.json = async function () {
            const body = await json.call(this);
            if (this.url.endsWith(urlEnd) && Array.isArray(body)) setTimeout(() => window.reads.push(body.length), 0);
            return body;
          };
        }
        """, urlEnd);

    public async Task SignInAsync(string who)
    {
        await Page.GotoAsync(server.BaseAddress.ToString());
        await Page.GetByLabel("E-mail address").FillAsync(RoomServer.Email(who));
        await Page.GetByLabel("Password").FillAsync(RoomServer.Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Your meetings" })).ToBeVisibleAsync();
    }

    /// <summary>
    /// Signs out and waits for the sign-in screen, which the page shows once the server has answered. The page leaves
    /// the room before it asks: a navigation before the answer can come before the question, and the browser is still
    /// signed in.
    /// </summary>
    public async Task SignOutAsync()
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to the briefing room" })).ToBeVisibleAsync();
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

    /// <summary>Puts the caret at a position of the draft (as a click would) and types there, key by key.</summary>
    public async Task TypeAtAsync(int itemId, int position, string text)
    {
        await SelectInDraftAsync(itemId, position, position);
        await Page.Keyboard.TypeAsync(text);
    }

    /// <summary>Focuses the draft and selects from <paramref name="from"/> to <paramref name="to"/> (the caret alone when they are equal), as the mouse would.</summary>
    public async Task SelectInDraftAsync(int itemId, int from, int to)
    {
        await LoadEditorModuleAsync();
        await Page.EvaluateAsync(
            "([id, from, to]) => { const view = window.__codemirror.EditorView.findFromDOM(document.querySelector(`.cm-editor[data-document-id='${id}']`)); view.focus(); view.dispatch({ selection: { anchor: from, head: to } }); }",
            new object[] { $"draft:{itemId}", from, to });
    }

    /// <summary>True while the editor is in the middle of a composition (an IME, a dead key).</summary>
    public async Task<bool> IsComposingAsync(int itemId)
    {
        await LoadEditorModuleAsync();
        return await Page.EvaluateAsync<bool>(
            "id => window.__codemirror.EditorView.findFromDOM(document.querySelector(`.cm-editor[data-document-id='${id}']`)).composing",
            $"draft:{itemId}");
    }

    /// <summary>Waits until the server has confirmed every edit of ours in this draft.</summary>
    public Task ExpectSavedAsync(int itemId) =>
        Expect(Page.Locator($".editor[data-document-id='draft:{itemId}'] .status-text")).ToHaveTextAsync("All changes saved.", new() { Timeout = 10_000 });

    /// <summary>The text a co-edited text's editor holds now, read from CodeMirror's own state (the DOM shows only lines).</summary>
    public async Task<string> TextAsync(string documentId)
    {
        await LoadEditorModuleAsync();
        return await Page.EvaluateAsync<string?>(
            "id => { const el = document.querySelector(`.cm-editor[data-document-id='${id}']`); return el ? window.__codemirror.EditorView.findFromDOM(el).state.doc.toString() : null; }",
            documentId) ?? throw new InvalidOperationException($"No editor for {documentId} on the page.");
    }

    public Task<string> DraftTextAsync(int itemId) => TextAsync($"draft:{itemId}");

    /// <summary>Waits until the editor's text matches the pattern (JavaScript's RegExp, with the pattern's s/i/m options).</summary>
    public Task ExpectTextAsync(string documentId, Regex pattern, float timeoutMs = 5_000) =>
        WaitForTextAsync(documentId, null, pattern.ToString(), JsFlags(pattern.Options), $"match /{pattern}/", timeoutMs);

    /// <summary>Waits until the editor holds exactly this text.</summary>
    public Task ExpectTextAsync(string documentId, string exactly, float timeoutMs = 5_000) =>
        WaitForTextAsync(documentId, exactly, null, null, $"hold the expected {exactly.Length} characters", timeoutMs);

    private async Task WaitForTextAsync(string documentId, string? exactly, string? source, string? flags, string what, float timeoutMs)
    {
        await LoadEditorModuleAsync();
        try
        {
            await Page.WaitForFunctionAsync(
                """
                ([id, exactly, source, flags]) => {
                  const el = document.querySelector(`.cm-editor[data-document-id='${id}']`);
                  if (el === null) return false;
                  const text = window.__codemirror.EditorView.findFromDOM(el).state.doc.toString();
                  return exactly !== null ? text === exactly : new RegExp(source, flags).test(text);
                }
                """,
                new object?[] { documentId, exactly, source, flags },
                new() { Timeout = timeoutMs, PollingInterval = 50 });
        }
        catch (TimeoutException)
        {
            var shown = await TextAsync(documentId);
            var expected = exactly is null ? "" : $"\nexpected: {Shorten(exactly)}";
            Assert.Fail($"{documentId} did not come to {what} within {timeoutMs} ms.{expected}\nit holds: {Shorten(shown)}");
        }
    }

    private static string Shorten(string text) => text.Length <= 400 ? text : $"{text[..200]} [... {text.Length - 400} more ...] {text[^200..]}";

    public Task ExpectDraftAsync(int itemId, Regex pattern, float timeoutMs = 5_000) => ExpectTextAsync($"draft:{itemId}", pattern, timeoutMs);

    public Task ExpectDraftAsync(int itemId, string exactly, float timeoutMs = 5_000) => ExpectTextAsync($"draft:{itemId}", exactly, timeoutMs);

    /// <summary>Loads the page's own CodeMirror module (the same instance the page uses), to read an editor's state.</summary>
    private Task LoadEditorModuleAsync() =>
        Page.EvaluateAsync("async () => { window.__codemirror ??= await import('/lib/codemirror/codemirror.js'); }");

    private static string JsFlags(RegexOptions options) =>
        (options.HasFlag(RegexOptions.Singleline) ? "s" : "") + (options.HasFlag(RegexOptions.IgnoreCase) ? "i" : "") + (options.HasFlag(RegexOptions.Multiline) ? "m" : "");

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
