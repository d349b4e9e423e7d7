using System.Net;
using System.Net.Sockets;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>
/// A server (the test Redis, the test SMTP server) behind a loopback relay that can stop passing bytes while keeping
/// every connection open: a server that is briefly not answering (a failover, a long command, a network pause), as the
/// app's clients meet it. It can also cut the link: every connection it carries closes, and new ones are closed as they
/// come, until <see cref="Resume"/>.
/// </summary>
public sealed class StallingLink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private volatile TaskCompletionSource _flowing = Open();
    private readonly List<TcpClient> _carried = [];
    /// <summary>Released once each time the app's side of a connection ends.</summary>
    private readonly SemaphoreSlim _appHungUp = new(0);
    private bool _cut;

    public StallingLink(string target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The relay's port on 127.0.0.1.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>host:port, as ConnectionStrings:Redis takes it.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public void Stall() => _flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Closes every connection the relay carries, and each new one as it comes, until <see cref="Resume"/>.</summary>
    public void CutOff()
    {
        lock (_carried)
        {
            _cut = true;
            foreach (var client in _carried)
            {
                client.Dispose();
            }

            _carried.Clear();
        }
    }

    /// <summary>Whether the app closes one of its connections (the next not yet waited for) within <paramref name="within"/>.</summary>
    public Task<bool> AppHangsUpAsync(TimeSpan within) => _appHungUp.WaitAsync(within, _stop.Token);

    public void Resume()
    {
        lock (_carried)
        {
            _cut = false;
        }

        _flowing.TrySetResult();
    }

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private async Task AcceptAsync()
    {
        var (host, port) = (_target[.._target.LastIndexOf(':')], int.Parse(_target[(_target.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_carried)
                {
                    if (_cut)
                    {
                        client.Dispose();
                        continue;
                    }
                }

                var server = new TcpClient();
                await server.ConnectAsync(host, port, _stop.Token);
                lock (_carried)
                {
                    _carried.Add(client);
                    _carried.Add(server);
                    if (_cut)
                    {
                        client.Dispose();
                        server.Dispose();
                        continue;
                    }
                }
                _ = PumpAsync(client, server, fromApp: true);
                _ = PumpAsync(server, client, fromApp: false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, bool fromApp)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.GetStream().ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                await _flowing.Task.WaitAsync(_stop.Token);
                await to.GetStream().WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            from.Dispose();
            to.Dispose();
            if (fromApp)
            {
                _appHungUp.Release();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Resume();
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
