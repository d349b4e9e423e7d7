using BriefingRoom.Drafting.Ot;

namespace BriefingRoom.Tests.Drafting;

/// <summary>
/// A simulated server (OtServerDocument plus an op log) and 3 to 6 clients (OtClient) exchanging
/// messages over per-connection FIFO queues that are delivered in random order, with random
/// disconnects that lose whatever is in flight either way. tests/js/ot-client.test.mjs runs a
/// smaller simulation of the same protocol against the browser modules.
/// </summary>
public class OtConvergenceTests
{
    [Fact]
    public void ClientsConvergeOnTheServerTextUnderRandomEditsDeliveryOrderAndReconnects()
    {
        var ct = TestContext.Current.CancellationToken;
        var stats = new Stats();
        for (var seed = 1; seed <= 2000; seed++)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                new Simulation(seed, stats).Run();
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed}: {e}");
            }
        }

        // Guard against a simulation that no longer exercises what it claims to.
        Assert.True(stats.Commits > 10_000, $"only {stats.Commits} commits");
        Assert.True(stats.DuplicateResends > 100, $"only {stats.DuplicateResends} duplicate resends");
        Assert.True(stats.CommittedResends > 100, $"only {stats.CommittedResends} committed resends");
    }

    private sealed class Stats
    {
        public int Commits;
        public int DuplicateResends;
        public int CommittedResends;
    }

    private abstract record ToServer;
    private sealed record Submit(OtSubmission Submission) : ToServer;
    private sealed record Hello(int SinceRevision, OtSubmission? Resend) : ToServer;

    private abstract record ToClient;
    private sealed record Ack : ToClient;
    private sealed record Broadcast(TextOperation Operation) : ToClient;

    private sealed record LogEntry(string ClientOpId, TextOperation Operation);

    private sealed class SimClient(int index, string text)
    {
        public OtClient Ot { get; } = new(0, Ids(index));
        public string Text { get; set; } = text;
        public bool Connected { get; set; } = true;
        public bool Subscribed { get; set; } = true;
        public Queue<ToClient> Inbox { get; } = new();
        public Queue<ToServer> Outbox { get; } = new();

        private static Func<string> Ids(int index)
        {
            var n = 0;
            return () => $"c{index}-{++n}";
        }
    }

    private sealed class Simulation
    {
        private readonly Random random;
        private readonly Stats stats;
        private readonly SimClient[] clients;
        private readonly List<LogEntry> log = [];
        private readonly HashSet<string> committed = [];
        private OtServerDocument server;

        public Simulation(int seed, Stats stats)
        {
            random = new Random(seed);
            this.stats = stats;
            var initial = random.NextDouble() < 0.5 ? "" : "Orbán 🇪🇺";
            server = new OtServerDocument(initial, 0);
            clients = [.. Enumerable.Range(0, 3 + random.Next(4)).Select(i => new SimClient(i, initial))];
        }

        public void Run()
        {
            var steps = 20 + random.Next(40);
            for (var step = 0; step < steps; step++)
            {
                var client = clients[random.Next(clients.Length)];
                var roll = random.NextDouble();
                if (roll < 0.3)
                {
                    EditLocally(client);
                }
                else if (roll < 0.55)
                {
                    if (client.Outbox.Count > 0)
                    {
                        ServerReceive(client);
                    }
                }
                else if (roll < 0.85)
                {
                    if (client.Inbox.Count > 0)
                    {
                        ClientReceive(client);
                    }
                }
                else if (roll < 0.92)
                {
                    Disconnect(client);
                }
                else if (!client.Connected)
                {
                    Reconnect(client);
                }
            }

            foreach (var client in clients.Where(c => !c.Connected))
            {
                Reconnect(client);
            }
            for (var guard = 0; ; guard++)
            {
                if (guard > 100_000)
                {
                    throw new InvalidOperationException("The messages never settled.");
                }
                var busy = clients.Where(c => c.Inbox.Count > 0 || c.Outbox.Count > 0).ToArray();
                if (busy.Length == 0)
                {
                    break;
                }
                var client = busy[random.Next(busy.Length)];
                if (client.Outbox.Count > 0 && (client.Inbox.Count == 0 || random.NextDouble() < 0.5))
                {
                    ServerReceive(client);
                }
                else
                {
                    ClientReceive(client);
                }
            }

            for (var i = 0; i < clients.Length; i++)
            {
                var client = clients[i];
                if (client.Ot.State != OtClientState.Synchronized || client.Ot.Revision != server.Revision || client.Text != server.Text)
                {
                    throw new InvalidOperationException(
                        $"client {i} is {client.Ot.State} at revision {client.Ot.Revision} with text \"{client.Text}\"; " +
                        $"the server is at revision {server.Revision} with \"{server.Text}\".");
                }
            }
        }

        private void EditLocally(SimClient client)
        {
            var edit = RandomEdits.Operation(random, client.Text);
            client.Text = edit.Apply(client.Text);
            // Offline edits stay in flight or buffered; Reconnect resends them.
            if (client.Ot.ApplyLocal(edit) is { } submission && client.Connected)
            {
                client.Outbox.Enqueue(new Submit(submission));
            }
        }

        private static void Disconnect(SimClient client)
        {
            client.Connected = false;
            client.Subscribed = false;
            client.Inbox.Clear();
            client.Outbox.Clear();
        }

        private static void Reconnect(SimClient client)
        {
            client.Connected = true;
            client.Outbox.Enqueue(new Hello(client.Ot.Revision, client.Ot.Resend()));
        }

        private void ServerReceive(SimClient from)
        {
            switch (from.Outbox.Dequeue())
            {
                case Hello(var since, var resend):
                    // Catch up in log order; the client's own operation, if committed before the
                    // connection dropped, comes back as the ack it never received.
                    from.Subscribed = true;
                    foreach (var entry in log.Skip(since))
                    {
                        from.Inbox.Enqueue(entry.ClientOpId == resend?.ClientOpId ? new Ack() : new Broadcast(entry.Operation));
                    }
                    if (resend is not null && committed.Contains(resend.ClientOpId))
                    {
                        stats.DuplicateResends++;
                    }
                    else if (resend is not null)
                    {
                        stats.CommittedResends++;
                        Commit(from, resend);
                    }
                    break;
                case Submit(var submission) when committed.Contains(submission.ClientOpId):
                    from.Inbox.Enqueue(new Ack());
                    break;
                case Submit(var submission):
                    Commit(from, submission);
                    break;
            }
        }

        private void Commit(SimClient from, OtSubmission submission)
        {
            var since = log.Skip(submission.BaseRevision).Select(e => e.Operation).ToList();
            var accepted = server.Accept(submission.BaseRevision, submission.Operation, since);
            server = accepted.Document;
            log.Add(new LogEntry(submission.ClientOpId, accepted.Operation));
            committed.Add(submission.ClientOpId);
            stats.Commits++;
            foreach (var client in clients)
            {
                if (client == from)
                {
                    client.Inbox.Enqueue(new Ack());
                }
                else if (client.Subscribed)
                {
                    client.Inbox.Enqueue(new Broadcast(accepted.Operation));
                }
            }
        }

        private static void ClientReceive(SimClient client)
        {
            switch (client.Inbox.Dequeue())
            {
                case Ack:
                    if (client.Ot.ServerAck() is { } next)
                    {
                        client.Outbox.Enqueue(new Submit(next));
                    }
                    break;
                case Broadcast(var operation):
                    client.Text = client.Ot.ApplyServer(operation).Apply(client.Text);
                    break;
            }
        }
    }
}
