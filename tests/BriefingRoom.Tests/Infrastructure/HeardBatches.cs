using BriefingRoom.Realtime;
using Microsoft.AspNetCore.SignalR.Client;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>
/// The batches of events pushed to a connection, as JSON (a catch-up it asks for is not among them). The client binds a
/// method's arguments by its first handler's types, so a batch arrives as whatever an earlier handler asked for.
/// </summary>
public sealed class HeardBatches
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _heard = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> _waits = new();

    public HeardBatches(HubConnection hub) => hub.On(nameof(IBriefingClient.MeetingEvents), [typeof(System.Text.Json.JsonElement)], (arguments, _) =>
    {
        var raw = System.Text.Json.JsonSerializer.Serialize(arguments[0]);
        _heard.Enqueue(raw);
        foreach (var (word, wait) in _waits)
        {
            if (raw.Contains(word, StringComparison.Ordinal))
            {
                wait.TrySetResult();
            }
        }

        return Task.CompletedTask;
    }, this);

    public bool Any(string word) => _heard.Any(raw => raw.Contains(word, StringComparison.Ordinal));

    public Task WaitForAsync(string word)
    {
        var wait = _waits.GetOrAdd(word, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (Any(word))
        {
            wait.TrySetResult();
        }

        return wait.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
    }
}
