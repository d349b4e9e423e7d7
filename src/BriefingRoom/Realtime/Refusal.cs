using System.Text.Json.Serialization;

namespace BriefingRoom.Realtime;

/// <summary>
/// Why a change was not made. Mapped to problem details over HTTP and to a hub error over SignalR, with the same words.
/// Refusals cross silos as JSON (a meeting's grain may run on another instance), hence the kinds named here.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$refusal")]
[JsonDerivedType(typeof(NotFoundRefusal), "notFound")]
[JsonDerivedType(typeof(ForbiddenRefusal), "forbidden")]
[JsonDerivedType(typeof(LockedRefusal), "locked")]
[JsonDerivedType(typeof(ConflictRefusal), "conflict")]
[JsonDerivedType(typeof(InvalidRefusal), "invalid")]
[JsonDerivedType(typeof(GoneRefusal), "gone")]
[JsonDerivedType(typeof(BusyRefusal), "busy")]
public abstract record Refusal(string Title, string Detail)
{
    /// <summary>The refusal as the hub gives it: "Title: detail", which the page reads after "HubException: ".</summary>
    public Microsoft.AspNetCore.SignalR.HubException AsHubException() => new($"{Title}: {Detail}");
}

public sealed record NotFoundRefusal(string Detail) : Refusal("Not found", Detail);

public sealed record ForbiddenRefusal(string Detail) : Refusal("Not allowed", Detail);

/// <summary>The item is locked by the chair or frozen because it was agreed.</summary>
public sealed record LockedRefusal(string Detail) : Refusal("The item is locked", Detail);

/// <summary>A stale write: the caller's version is behind; <see cref="Current"/> is what the caller should look at.</summary>
public sealed record ConflictRefusal(string Detail, object Current) : Refusal("Someone changed this first", Detail);

public sealed record InvalidRefusal : Refusal
{
    [JsonConstructor]
    public InvalidRefusal(IReadOnlyDictionary<string, string[]> errors)
        : base("The request is not valid", string.Join(" ", errors.SelectMany(e => e.Value)))
    {
        Errors = errors;
    }

    public InvalidRefusal(string field, string message) : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; }

    /// <summary>
    /// A revision past the one the text (or, in <paramref name="what"/>'s words, the draft) has reached, under
    /// <paramref name="field"/>: refused wherever a revision is asked for, never read as "nothing newer".
    /// </summary>
    public static InvalidRefusal RevisionNotYet(string field, int current, int asked, string what = "text") =>
        new(field, $"The {what} is at revision {current}; revision {asked} does not exist yet.");

    /// <summary>More than field messages, for a client that acts on them (a table's errors with their line numbers, say).</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }
}

/// <summary>What the request names existed but can no longer be used (an invitation accepted, withdrawn or expired).</summary>
public sealed record GoneRefusal(string Detail) : Refusal("No longer valid", Detail);

/// <summary>The server is at its limit for this kind of work; the caller retries after <see cref="RetryAfter"/>.</summary>
public sealed record BusyRefusal(string Detail, TimeSpan RetryAfter) : Refusal("Busy", Detail);
