using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;

namespace BriefingRoom.Live;

/// <summary>
/// One committed (or about to be committed) operation, as the window of recent operations keeps it. <see cref="AuthorId"/>:
/// whose it is, since a client operation id answers a retry only of its own author's operation.
/// </summary>
internal sealed record WindowEntry(int Revision, TextOperation Operation, string ClientOpId, long Seq, string AuthorId);

/// <summary>
/// One co-edited text, live in its meeting's grain. <see cref="Content"/> and <see cref="Revision"/> include operations
/// applied in memory whose commit is still under way; <see cref="CommittedContent"/> is what the database holds (the log),
/// and all anyone else may read. A window of recent operations answers retries (by client operation id) and transforms
/// late operations; an operation older than the window is refused, and its client reloads the text.
/// </summary>
internal sealed class LiveText
{
    private readonly List<WindowEntry> _window = [];
    private readonly Dictionary<string, WindowEntry> _byClientOp = new(StringComparer.Ordinal);
    private long _windowComponents;
    private long _windowInserted;

    public LiveText(DocumentId id, string storedText, int storedRevision)
    {
        Id = id;
        Key = id.ToString();
        Content = CommittedContent = storedText;
        Revision = CommittedRevision = StoredRevision = storedRevision;
    }

    public DocumentId Id { get; }
    public string Key { get; }

    public string Content { get; private set; }
    public int Revision { get; private set; }

    public string CommittedContent { get; private set; }
    public int CommittedRevision { get; private set; }

    /// <summary>The revision of the text stored in the item's or position's row (the snapshot the grain starts from).</summary>
    public int StoredRevision { get; set; }

    /// <summary>The last revision written to the text's history of snapshots (every <see cref="CoreLimits.SnapshotEvery"/>).</summary>
    public int HistoryRevision { get; set; }

    /// <summary>The oldest revision an operation may be based on and still be transformed here.</summary>
    public int OldestBase => Revision - _window.Count;

    public bool Dirty => CommittedRevision > StoredRevision;

    public int WindowCount => _window.Count;

    public WindowEntry? FindClientOp(string clientOpId) => _byClientOp.GetValueOrDefault(clientOpId);

    /// <summary>The operations after <paramref name="baseRevision"/>, oldest first; the caller has checked <see cref="OldestBase"/>.</summary>
    public List<TextOperation> Since(int baseRevision)
    {
        var skip = _window.Count - (Revision - baseRevision);
        var ops = new List<TextOperation>(Revision - baseRevision);
        for (var i = skip; i < _window.Count; i++)
        {
            ops.Add(_window[i].Operation);
        }

        return ops;
    }

    /// <summary>
    /// How much work transforming an operation of <paramref name="components"/> components from <paramref name="baseRevision"/>
    /// costs if it keeps the size it was sent with: a first refusal, before any work. The transform itself counts the
    /// operation as it grows past each edit, and stops at the same budget (<see cref="OtServerDocument.Accept"/>).
    /// </summary>
    public long TransformCost(int baseRevision, int components)
    {
        var skip = _window.Count - (Revision - baseRevision);
        long cost = 0;
        for (var i = skip; i < _window.Count; i++)
        {
            cost += _window[i].Operation.Components.Count + components;
        }

        return cost;
    }

    /// <summary>Applies an operation in memory, before its commit; it is in the window at once, so later ones transform past it.</summary>
    public void ApplySpeculative(string content, WindowEntry entry)
    {
        Content = content;
        Revision = entry.Revision;
        Remember(entry);
    }

    /// <summary>Replays a logged operation on activation (it is committed already).</summary>
    public void Replay(WindowEntry entry)
    {
        Content = CommittedContent = entry.Operation.Apply(Content);
        Revision = CommittedRevision = entry.Revision;
        Remember(entry);
    }

    /// <summary>An operation older than the stored snapshot, loaded only to fill the window.</summary>
    public void RememberOld(WindowEntry entry) => Remember(entry);

    public void Committed(string content, int revision)
    {
        CommittedContent = content;
        CommittedRevision = revision;
    }

    private void Remember(WindowEntry entry)
    {
        _window.Add(entry);
        _byClientOp[entry.ClientOpId] = entry;
        _windowComponents += entry.Operation.Components.Count;
        _windowInserted += Inserted(entry.Operation);
        while (_window.Count > CoreLimits.WindowOperations
            || ((_windowComponents > CoreLimits.WindowComponents || _windowInserted > CoreLimits.WindowInserted) && _window.Count > 1))
        {
            var oldest = _window[0];
            _window.RemoveAt(0);
            if (_byClientOp.TryGetValue(oldest.ClientOpId, out var known) && ReferenceEquals(known, oldest))
            {
                _byClientOp.Remove(oldest.ClientOpId);
            }

            _windowComponents -= oldest.Operation.Components.Count;
            _windowInserted -= Inserted(oldest.Operation);
        }
    }

    /// <summary>The UTF-16 units an operation inserts: what its window entry holds beyond its components.</summary>
    private static long Inserted(TextOperation operation)
    {
        long units = 0;
        foreach (var c in operation.Components)
        {
            if (c.IsInsert)
            {
                units += c.Length;
            }
        }

        return units;
    }
}
