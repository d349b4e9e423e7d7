using BriefingRoom.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BriefingRoom.Tests.Hosting;

/// <summary>An instance whose Redis stops answering for a moment (a failover, a long command, a network pause).</summary>
public class RedisStallTests
{
    /// <summary>
    /// The heartbeat that keeps the instance's presence key alive let a Redis timeout escape (StackExchange.Redis throws
    /// RedisTimeoutException, which is no RedisException), and a background service that fails stops the host: one slow
    /// answer from Redis shut the whole instance down, and every room on it lost its connections.
    /// </summary>
    [Fact]
    public async Task AnInstanceKeepsRunningWhenRedisDoesNotAnswerForAMoment()
    {
        await using var database = await Database.OnAsync(Engine.Postgres);
        await using var redis = new StallingLink(ExternalServices.Redis!);
        var heard = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = new BriefingApp().ScaledOut(database.Postgres, $"test-{Guid.NewGuid():N}:")
            .With("ConnectionStrings:Redis", $"{redis.Address},asyncTimeout=1000,syncTimeout=1000")
            .WithServices(services => services.AddSingleton<ILoggerProvider>(new FirstHeartbeatWarning(heard)));
        var chair = await app.SignInAsync("chair");
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        using var stopping = lifetime.ApplicationStopping.Register(() => heard.TrySetResult("the instance is stopping"));

        redis.Stall();
        var what = await heard.Task.WaitAsync(TimeSpan.FromSeconds(60), TestHttp.Ct);
        redis.Resume();

        Assert.Equal("the heartbeat failed and said so", what);
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
        await (await chair.GetAsync("/api/meetings/1", TestHttp.Ct)).ShouldBeAsync(200);
    }

    /// <summary>
    /// The heartbeat caught Redis's own failures only. Any other exception from the client (none is known today; a new
    /// client version, a bug) ended the background service, and so the instance: at its first beat, the instance did not
    /// even start. It is logged, and the next beat tries again.
    /// </summary>
    [Fact]
    public async Task AHeartbeatThatFailsInAnUnforeseenWayNeitherStopsTheInstanceNorItsBeats()
    {
        await using var database = await Database.OnAsync(Engine.Postgres);
        var prefix = $"test-{Guid.NewGuid():N}:";
        var beats = new RedisCallsFailing(nameof(StackExchange.Redis.IDatabase.StringSetAsync), key => key.StartsWith(prefix + "instance:", StringComparison.Ordinal));
        beats.Start(key => new InvalidOperationException($"SET {key} failed in a way nobody foresaw (a fault of the test)"));
        await using var app = new BriefingApp().ScaledOut(database.Postgres, prefix).WithServices(beats.Install);
        var chair = await app.SignInAsync("chair");

        await beats.FailsAgainAsync(2, TimeSpan.FromSeconds(30));
        Assert.False(app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        await (await chair.GetAsync("/api/meetings/1", TestHttp.Ct)).ShouldBeAsync(200);
    }

    /// <summary>
    /// Telling the other instances to drop their rooms caught RedisException only, so a publish that timed out answered
    /// the admin's load 500 after the table had been committed: the page said it failed, and the table was in.
    /// </summary>
    [Fact]
    public async Task APopulationTableLoadedWhileRedisDoesNotAnswerIsAnsweredAsLoaded()
    {
        await using var database = await Database.OnAsync(Engine.Postgres);
        await using var redis = new StallingLink(ExternalServices.Redis!);
        await using var app = new BriefingApp().ScaledOut(database.Postgres, $"test-{Guid.NewGuid():N}:")
            .With("ConnectionStrings:Redis", $"{redis.Address},asyncTimeout=1000,syncTimeout=1000");
        using var admin = await app.SignInAsync("admin");

        redis.Stall();
        using var loaded = await admin.PutJsonAsync("/api/population-tables/2025",
            new { source = "official (test)", origin = "official", csv = Population.PopulationTablesApiTests.SyntheticCsv() });
        redis.Resume();

        await loaded.ShouldBeAsync(200);
        Assert.Equal("official (test)", app.WithDb(db => db.PopulationTables.Single(t => t.Year == 2025).Source));
    }

    /// <summary>
    /// The test host stops each instance twice: its own stop, and the app's when RunAsync sees the application stopping,
    /// which may end by disposing the services while the first still runs. The heartbeat's stop then deleted the presence
    /// key through a closed Redis client, and the ObjectDisposedException failed the test that was done (CI,
    /// GuestViewAcrossInstancesTests). A stop that comes again once the services are gone now has nothing left to do.
    /// </summary>
    [Fact]
    public async Task AStopThatComesAgainAfterTheServicesAreDisposedHasNothingLeftToDo()
    {
        await using var database = await Database.OnAsync(Engine.Postgres);
        var app = new BriefingApp().ScaledOut(database.Postgres, $"test-{Guid.NewGuid():N}:");
        var redisServices = app.Services.GetServices<IHostedService>()
            .Where(s => s.GetType().Namespace == typeof(global::BriefingRoom.ScaleOut.InstanceHeartbeat).Namespace).ToList();
        Assert.Contains(redisServices, s => s is global::BriefingRoom.ScaleOut.InstanceHeartbeat);
        Assert.Contains(redisServices, s => s is global::BriefingRoom.ScaleOut.RoomsForgettingEverywhere);
        await app.DisposeAsync();

        foreach (var service in redisServices)
        {
            await service.StopAsync(TestHttp.Ct);
        }
    }

    /// <summary>
    /// The heartbeat's stop deletes the instance's presence key, and caught Redis's own failures only. StackExchange.Redis
    /// cancels every command once its reader has failed (its issue 3085): that cancellation escaped, and the instance's
    /// stop failed for a key that expires by itself. The app is stopped as it is in production, by its host: a heartbeat
    /// stopped on its own ends its loop cancelled, which the host takes for a failed service and stops the app for, so
    /// that the key was deleted a second time, sometimes before the count was read (a CI run of 8 December).
    /// </summary>
    [Fact]
    public async Task AStopWhoseKeyDeleteIsCancelledStillStopsAndSaysSo()
    {
        await using var database = await Database.OnAsync(Engine.Postgres);
        var prefix = $"test-{Guid.NewGuid():N}:";
        var delete = new RedisCallsFailing(nameof(StackExchange.Redis.IDatabase.KeyDeleteAsync), key => key.StartsWith(prefix + "instance:", StringComparison.Ordinal));
        var logs = new LogCollector();
        await using var app = new BriefingApp().ScaledOut(database.Postgres, prefix)
            .WithServices(services => { delete.Install(services); services.AddSingleton<ILoggerProvider>(logs); });
        await app.SignInAsync("chair");
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = lifetime.ApplicationStopped.Register(() => stopped.TrySetResult());

        delete.Start(key => new TaskCanceledException($"DEL {key}: the command was cancelled, the client's reader having failed (a fault of the test)"));
        lifetime.StopApplication();
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(60), TestHttp.Ct);

        Assert.Equal(1, delete.Failed);
        Assert.Contains(logs.Entries, l => l.Category.EndsWith(".InstanceHeartbeat", StringComparison.Ordinal) && l.Level == LogLevel.Warning && l.Exception is TaskCanceledException);
    }

    private sealed class FirstHeartbeatWarning(TaskCompletionSource<string> heard) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, heard);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, TaskCompletionSource<string> heard) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (category.EndsWith(".InstanceHeartbeat", StringComparison.Ordinal) && logLevel == LogLevel.Warning)
                {
                    heard.TrySetResult("the heartbeat failed and said so");
                }
            }
        }
    }
}
