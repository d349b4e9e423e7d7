using System.Buffers;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Security.Claims;
using System.Text.Json;
using BriefingRoom.Api;
using BriefingRoom.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace BriefingRoom.Realtime;

/// <summary>
/// SignalR's JSON protocol, except that an invocation whose arguments it cannot bind (too few, too many, text for a
/// number, a field of the wrong type) is refused with words that name the argument or field, as
/// <see cref="RequestValidation"/> names them, instead of SignalR's bare "Failed to invoke 'X' due to an error on the
/// server.". Such a call never reaches the hub or its filters, so nothing runs and nothing changes; it is counted here
/// against the caller's hub budget (<see cref="HubRateLimiter"/>), as <see cref="HubGuard"/> counts the calls that do
/// reach the hub, and one over the budget is refused as they are, before its frame is read again to say why. A frame that
/// is no message at all (it closes its connection) is counted too, and so is a stream invocation, which the hub (it has
/// no streams) refuses here.
/// </summary>
public sealed class ArgumentErrorsProtocol(IOptions<JsonHubProtocolOptions> options, HubRateLimiter limiter) : IHubProtocol
{
    private readonly JsonHubProtocol _inner = new(options);
    private readonly JsonSerializerOptions _payload = options.Value.PayloadSerializerOptions;

    // The connection whose frames are being read: SignalR reads a connection's frames in the flow of its OnConnectedAsync
    // (HandshakeFirstConnectionHandler sets it there), and tells a protocol nothing else about whose frame it reads.
    private readonly AsyncLocal<ConnectionContext?> _reading = new();

    /// <summary>Names the connection whose frames are read from here on in this flow.</summary>
    public void Reads(ConnectionContext connection) => _reading.Value = connection;

    public string Name => _inner.Name;

    public int Version => _inner.Version;

    public TransferFormat TransferFormat => _inner.TransferFormat;

    public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _inner.GetMessageBytes(message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _inner.WriteMessage(message, output);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HubMessage? message)
    {
        var before = input;
        try
        {
            if (!_inner.TryParseMessage(ref input, binder, out message))
            {
                return false;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A frame that is not a message at all closes the connection (unless it is an invocation only nested too
            // deeply, refused below); it still counts, or a client could open connection after connection and have
            // each such frame read without ever being slowed down.
            var wait = limiter.TryAcquire(Reader());
            // SignalR's reader may have taken the record off the input before it gave up: read again from where it began.
            var again = before;
            if (TooDeep(ref again, out var deep))
            {
                input = again;
                message = new InvocationBindingFailureMessage(deep.InvocationId, deep.Target,
                    ExceptionDispatchInfo.Capture(new HubException(wait is { } w ? HubGuard.TooManyRequests(w) : TooDeepWords)));
                return true;
            }

            throw;
        }

        if (message is InvocationBindingFailureMessage failure)
        {
            var words = limiter.TryAcquire(Reader()) is { } wait
                ? HubGuard.TooManyRequests(wait)
                : Describe(before.Slice(0, input.Start), failure.Target, binder) ?? "The request is not valid: the arguments do not match the method's.";
            message = new InvocationBindingFailureMessage(failure.InvocationId, failure.Target, ExceptionDispatchInfo.Capture(new HubException(words)));
        }
        else if (message is StreamInvocationMessage stream)
        {
            // The hub has no streams: SignalR would answer this before the hub's filters, uncounted. It is refused here,
            // counted as a call, in words that say what to do instead.
            var words = limiter.TryAcquire(Reader()) is { } wait
                ? HubGuard.TooManyRequests(wait)
                : $"The request is not valid: {stream.Target} is not a stream: call it with invoke.";
            message = new InvocationBindingFailureMessage(stream.InvocationId!, stream.Target, ExceptionDispatchInfo.Capture(new HubException(words)));
        }

        return true;
    }

    /// <summary>How deep SignalR's JSON reader reads a message: its default, which the protocol does not let us set.</summary>
    private const int MaxDepth = 64;

    private const string TooDeepWords = "The request is not valid: the message is nested deeper than 64 levels.";

    /// <summary>
    /// Whether the first record of <paramref name="input"/>, which SignalR's reader gave up on, is an invocation that is
    /// well-formed but nested deeper than it reads; if so, the record is consumed and its target and invocation id (none
    /// for a call sent without waiting for an answer) are given, so that the call is refused as one whose arguments cannot
    /// be read, and the connection stays. Anything else (not JSON, not an invocation, an error other than depth) is
    /// left to close the connection as before. A record is at most the hub's largest message, so reading it again is
    /// bounded, and it was counted against its sender's budget.
    /// </summary>
    private static bool TooDeep(ref ReadOnlySequence<byte> input, out (string Target, string? InvocationId) call)
    {
        call = default;
        if (input.PositionOf((byte)0x1e) is not { } end)
        {
            return false;
        }

        var record = input.Slice(0, end);
        var reader = new Utf8JsonReader(record, new JsonReaderOptions { MaxDepth = (int)Math.Min(int.MaxValue - 1, record.Length) + 1 });
        int? type = null;
        string? target = null, invocationId = null;
        var levels = 0;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
                {
                    // Through the value to its end, noting how many levels deep it goes.
                    var start = reader.CurrentDepth;
                    do
                    {
                        if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
                        {
                            levels = Math.Max(levels, reader.CurrentDepth + 1);
                        }

                        if (!reader.Read())
                        {
                            return false;
                        }
                    }
                    while (reader.CurrentDepth > start);
                }
                else if (name == "type" && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var t))
                {
                    type = t;
                }
                else if (name == "target" && reader.TokenType == JsonTokenType.String)
                {
                    target = reader.GetString();
                }
                else if (name == "invocationId" && reader.TokenType == JsonTokenType.String)
                {
                    invocationId = reader.GetString();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }

        if (type != HubProtocolConstants.InvocationMessageType || string.IsNullOrEmpty(target) || levels <= MaxDepth)
        {
            return false;
        }

        call = (target, invocationId);
        input = input.Slice(input.GetPosition(1, end));
        return true;
    }

    /// <summary>The user whose frame is read, whose budget it draws on.</summary>
    private string Reader() =>
        _reading.Value?.Features.Get<IConnectionUserFeature>()?.User?.FindFirstValue(ClaimTypes.NameIdentifier) ?? HubGuard.Anonymous;

    private string? Describe(ReadOnlySequence<byte> frame, string target, IInvocationBinder binder)
    {
        try
        {
            var bytes = frame.ToArray();
            var length = bytes.Length > 0 && bytes[^1] == 0x1e ? bytes.Length - 1 : bytes.Length;
            using var document = JsonDocument.Parse(bytes.AsMemory(0, length));
            var types = binder.GetParameterTypes(target);
            var parameters = typeof(BriefingHub).GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .FirstOrDefault(m => m.Name == target && m.GetParameters().Length == types.Count)?.GetParameters();
            string NameOf(int i) => parameters?[i].Name ?? $"argument {i + 1}";
            var given = document.RootElement.TryGetProperty("arguments", out var arguments) && arguments.ValueKind == JsonValueKind.Array
                ? arguments.GetArrayLength()
                : 0;
            if (given != types.Count)
            {
                var names = string.Join(", ", Enumerable.Range(0, types.Count).Select(NameOf));
                return $"The request is not valid: {target} takes {types.Count} argument(s) ({names}), not {given}.";
            }

            for (var i = 0; i < types.Count; i++)
            {
                var argument = arguments[i];
                try
                {
                    _ = argument.Deserialize(types[i], _payload);
                }
                catch (JsonException e)
                {
                    var plain = Nullable.GetUnderlyingType(types[i]) ?? types[i];
                    if (plain == typeof(string) && RequestValidation.HalfASurrogatePair(e))
                    {
                        return $"The request is not valid: {NameOf(i)}: {RequestValidation.NotValidUnicode}";
                    }

                    if (plain.IsPrimitive || plain == typeof(string))
                    {
                        return $"The request is not valid: {NameOf(i)}: {Expected(plain, argument)}";
                    }

                    var (field, words) = RequestValidation.Describe(e, plain);
                    return $"The request is not valid: {(field == RequestValidation.BodyField ? NameOf(i) : field)}: {words}";
                }
            }

            return null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static string Expected(Type type, JsonElement given) =>
        $"Expected {RequestValidation.ExpectedValue(type)}, not {RequestValidation.Shown(given.GetRawText())}.";
}
