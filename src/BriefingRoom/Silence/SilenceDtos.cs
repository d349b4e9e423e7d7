using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using BriefingRoom.Api;
using BriefingRoom.Data;

namespace BriefingRoom.Silence;

/// <summary>Who broke silence, and why: what the chair (and every member) sees.</summary>
public sealed record SilenceBreakDto(string DelegationCode, string Delegation, string By, string Reason, DateTimeOffset At);

/// <summary>A silence procedure as every member sees it; the body of every silence.* event.</summary>
public sealed record SilenceDto(
    int Id, int ItemId, DateTimeOffset Deadline, SilenceState State, int TextRevision, string TextSha256,
    string OpenedBy, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, string? ClosedBy, SilenceBreakDto? Break)
{
    public static SilenceDto From(SilenceProcedure s) => new(
        s.Id, s.ItemId, s.Deadline, s.State, s.TextRevision, s.TextSha256, s.OpenedByName, s.OpenedAt, s.ClosedAt, s.ClosedByName,
        s.State == SilenceState.Broken && s.ClosedAt is { } at
            ? new SilenceBreakDto(s.BrokenByDelegationCode ?? "", s.BrokenByDelegationName ?? "", s.ClosedByName ?? "", s.BreakReason ?? "", at)
            : null);
}

/// <summary>Opens a silence procedure that ends at <see cref="Deadline"/> (an instant with its offset, e.g. "2025-03-07T12:00:00+01:00").</summary>
public sealed record OpenSilenceRequest([property: Required, JsonConverter(typeof(InstantWithOffsetConverter))] DateTimeOffset? Deadline);

/// <summary>
/// Reads a deadline only as an instant with its offset ("Z", "+01:00"). Without one the serializer reads the time in the
/// server's own time zone, so the same request meant a deadline an hour apart on a server in Brussels and in a container
/// on UTC; a deadline agrees a text, and must mean one instant whatever the server.
/// </summary>
public sealed partial class InstantWithOffsetConverter : JsonConverter<DateTimeOffset>
{
    private const string Expected = "Give an instant with its offset, such as \"2025-03-07T12:00:00+01:00\" or \"2025-03-07T11:00:00Z\"";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"{Expected}.");
        }

        if (!reader.TryGetDateTimeOffset(out var instant))
        {
            // Shaped as an instant with its offset, it names none: say so, rather than ask for the offset it has.
            throw new JsonException(OffsetShaped().IsMatch(reader.GetString()!)
                ? "This names no instant: check the date and the time (a month from 01 to 12, a day its month has, hours 00 to 23), no later than the year 9999 in UTC."
                : $"{Expected}.");
        }

        return EndsWithOffset().IsMatch(reader.GetString()!)
            ? instant
            : throw new JsonException($"The time has no offset, so it names no one instant. {Expected}.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    [GeneratedRegex(@"T.*([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex EndsWithOffset();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetShaped();
}

public sealed record BreakSilenceRequest([property: Required, Legible, StringLength(Limits.Reason, MinimumLength = 1)] string? Reason);
