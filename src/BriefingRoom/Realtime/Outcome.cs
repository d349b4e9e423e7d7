namespace BriefingRoom.Realtime;

/// <summary>The result of a change or a query: a value, or the refusal that explains why there is none.</summary>
[Orleans.Immutable]
public readonly record struct Outcome<T>(T? Value, Refusal? Refusal)
{
    public bool Succeeded => Refusal is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(Refusal refusal) => new(default, refusal);

    /// <summary>For values the implicit conversion cannot reach, such as interfaces.</summary>
    public static Outcome<T> From(T value) => new(value, null);
}

/// <summary>
/// An event a change will append. <see cref="GuestAudience"/> lists the guest delegations that may see it:
/// null for every participant, empty for member delegations, institutions, chair and secretariat only.
/// </summary>
public sealed record PendingEvent(string Type, int? ItemId, object Payload, IReadOnlyCollection<string>? GuestAudience)
{
    /// <summary>
    /// Recorded with <see cref="Actor"/> instead of the caller: an event for guests that follows a member's position
    /// (the outcome in words) must not say whose change moved it.
    /// </summary>
    public string? Actor { get; init; }
}

/// <summary>What a change produced inside its transaction: the value returned to the caller and the events that record it, in order.</summary>
public sealed record ChangeStep<T>(T Value, IReadOnlyList<PendingEvent> Events)
{
    public ChangeStep(T value, PendingEvent single) : this(value, [single])
    {
    }
}
