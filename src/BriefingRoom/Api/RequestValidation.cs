using System.Collections;
using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Json.Serialization;
using BriefingRoom.Drafting;
using BriefingRoom.Realtime;
using Microsoft.AspNetCore.Http.Metadata;

namespace BriefingRoom.Api;

/// <summary>
/// The one validation of what a client sends, for REST and the hub alike: every field's data annotations, in nested
/// records and list entries too, and the characters of every string (<see cref="TextRules"/>), each error under the
/// field's JSON name ("members[2].code"). REST bodies go through
/// it in an endpoint filter on every endpoint (<see cref="Filter"/>); hub arguments in a hub filter
/// (<see cref="RequestValidationHubFilter"/>), and bodies the hub binds itself in <see cref="Read{T}"/>. A service's
/// rules across fields (a reservation only with a supporting stance, say) run in the service, which both paths call.
/// </summary>
public static partial class RequestValidation
{
    public const string BodyField = "body";
    public const string MissingBody = "The request body is missing: send a JSON object.";
    public const string NullEntry = "This entry is null: leave it out or give a value.";

    private const int MaxDepth = 8;
    private static readonly ConcurrentDictionary<Type, Field[]> Fields = new();

    /// <summary>The refusal for everything wrong with <paramref name="request"/>, or null when it may go on to the service.</summary>
    public static InvalidRefusal? Validate(object? request)
    {
        var errors = new Dictionary<string, List<string>>();
        if (request is null)
        {
            Add(errors, BodyField, MissingBody);
        }
        else
        {
            Walk(request, "", errors, 0);
        }

        return errors.Count == 0 ? null : Refusal(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }

    /// <summary>The same checks for one named value, such as a hub method's string argument.</summary>
    public static InvalidRefusal? ValidateValue(object? value, string field)
    {
        var errors = new Dictionary<string, List<string>>();
        if (value is not null)
        {
            Walk(value, field, errors, 0);
        }

        return errors.Count == 0 ? null : Refusal(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }

    /// <summary>
    /// Binds and validates a body the hub received as JSON, exactly as REST binds and validates it: a value the
    /// serializer cannot read (an unknown enum name, a number where text belongs) gets the field error REST gives.
    /// </summary>
    public static Outcome<T> Read<T>(JsonElement json) where T : class
    {
        if (json.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return Refusal(BodyField, MissingBody);
        }

        T? value;
        try
        {
            value = json.Deserialize<T>(BriefingJson.Options);
        }
        catch (JsonException e)
        {
            var (field, message) = Describe(e, typeof(T));
            return Refusal(field, message);
        }

        return Validate(value) is { } invalid ? invalid : value!;
    }

    /// <summary>A field error whose detail names the field, as every validation problem's does, so that a hub refusal reads like the REST one.</summary>
    public static InvalidRefusal Refusal(string field, string message) =>
        Refusal(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>
    /// The refusal of <paramref name="errors"/>, each message under its field and in the detail. Past the first
    /// <see cref="MaxFieldsListed"/> fields the rest are counted, not listed: a list of 40,000 bad entries is answered in a
    /// few hundred bytes, never handed back whole (nor three times over) to its sender.
    /// </summary>
    public static InvalidRefusal Refusal(IReadOnlyDictionary<string, string[]> errors)
    {
        if (errors.Count > MaxFieldsListed)
        {
            var listed = errors.Take(MaxFieldsListed).ToDictionary(e => e.Key, e => e.Value);
            var more = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"And {errors.Count - MaxFieldsListed:N0} more fields are not valid, not listed: fix these and send it again.");
            listed[BodyField] = [.. listed.GetValueOrDefault(BodyField) ?? [], more];
            errors = listed;
        }

        return new InvalidRefusal(errors) with { Detail = string.Join(" ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))) };
    }

    /// <summary>The fields a validation problem lists at most; the others are counted.</summary>
    public const int MaxFieldsListed = 50;

    /// <summary>
    /// The field and the words of a value the serializer could not read: "$.members[2].stance" becomes
    /// "members[2].stance". Fields are read in any casing; given the type being read, the field is named as the API names
    /// it ("expectedVersion", not "EXPECTEDVERSION" as sent).
    /// </summary>
    public static (string Field, string Message) Describe(JsonException exception, Type? target = null)
    {
        var (field, message) = DescribeAsSent(exception);
        try
        {
            return (target is null ? field : FieldNameIn(target, field), message);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            // A type the serializer describes no contract for: the field as sent still names it.
            return (field, message);
        }
    }

    /// <summary>A field path as sent ("Members[2].CODE") as the API names it ("members[2].code"), walking the type's JSON properties.</summary>
    private static string FieldNameIn(Type target, string path)
    {
        if (path == BodyField)
        {
            return path;
        }

        var parts = path.Split('.');
        JsonTypeInfo? current = BriefingJson.Options.GetTypeInfo(target);
        for (var i = 0; i < parts.Length && current is not null; i++)
        {
            var bracket = parts[i].IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? parts[i] : parts[i][..bracket];
            var property = current.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                break;
            }

            parts[i] = property.Name + parts[i][name.Length..];
            current = BriefingJson.Options.GetTypeInfo(property.PropertyType);
            // Each index ("[2]") steps into the entries of a list.
            foreach (var _ in parts[i].Where(c => c == '['))
            {
                current = current?.ElementType is { } element ? BriefingJson.Options.GetTypeInfo(element) : null;
            }
        }

        return string.Join('.', parts);
    }

    private static (string Field, string Message) DescribeAsSent(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var field = exception.Path switch
        {
            null or "$" or "" => BodyField,
            var path when path.StartsWith("$.", StringComparison.Ordinal) => path[2..],
            var path => path.TrimStart('$'),
        };
        // The serializer appends "Path: $.x | LineNumber: ..." and, for its own messages, names our types: keep the first sentence only.
        var message = exception.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var first = cut > 0 ? message[..cut] : message;
        // A property the serializer itself requires (C# "required", as in the framework's own request types) is a missing
        // field, not a fault of the whole body: name it, with the words a [Required] field gets.
        if (MissingRequired().Match(first) is { Success: true } missing)
        {
            var name = missing.Groups["name"].Value;
            return (field == BodyField ? name : $"{field}.{name}", new RequiredAttribute().FormatErrorMessage(name));
        }

        // A field given twice (BriefingJson refuses it): the serializer's words name our types.
        if (GivenTwice().Match(first) is { Success: true } twice)
        {
            var name = twice.Groups["name"].Value;
            return (field == BodyField && name.Length > 0 ? name : field, FieldGivenTwice);
        }

        // Text holding half of a surrogate pair ("\ud800" alone) is of the right type, but is not Unicode at all.
        if (HalfASurrogatePair(exception))
        {
            return (field, NotValidUnicode);
        }

        // The serializer names the type it expected as .NET does ("System.Int32", "IReadOnlyList`1[...]", our records).
        return (field, first.Contains("BriefingRoom.", StringComparison.Ordinal) || first.StartsWith("The JSON value could not be converted to ", StringComparison.Ordinal)
            ? "The value has the wrong type here."
            : first);
    }

    /// <summary>What is wrong with an object that gives a field twice.</summary>
    public const string FieldGivenTwice = "This field is given twice in one object: give it once.";

    /// <summary>What is wrong with text holding half of a surrogate pair.</summary>
    public const string NotValidUnicode = "The text is not valid Unicode: it holds half of a surrogate pair (such as \\ud800 without the \\udc00 that completes it).";

    /// <summary>Whether <paramref name="exception"/> says that a JSON string held half of a surrogate pair ("\ud800" alone).</summary>
    public static bool HalfASurrogatePair(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is InvalidOperationException && inner.Message.Contains("surrogate", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// What a value of <paramref name="type"/> must be, in words ("a whole number from ... to ..."): for a query or route
    /// value (<see cref="BadRequestHandler"/>) and a hub argument (<see cref="Realtime.ArgumentErrorsProtocol"/>) that did
    /// not convert.
    /// </summary>
    public static string ExpectedValue(Type type) =>
        type == typeof(int) ? $"a whole number from {int.MinValue} to {int.MaxValue}"
        : type == typeof(long) ? $"a whole number from {long.MinValue} to {long.MaxValue}"
        : type == typeof(bool) ? "true or false"
        : type == typeof(string) ? "text"
        : $"a value of type {type.Name}";

    /// <summary>A value the caller sent, as an answer quotes it back: at most 40 characters.</summary>
    public static string Shown(string value) => Drafting.Ot.Utf16.Shorten(value, 40);

    /// <summary>
    /// Values the caller sent, as an answer names them: each <see cref="Shown"/>, all of them when there are at most
    /// <paramref name="named"/>, else the first ones and a count of the rest ("ZAA, ZAB, ZAC and 9,996 more"). A long
    /// request is never handed back whole to its sender.
    /// </summary>
    public static string FewOf(IReadOnlyCollection<string> values, int named) => values.Count <= named
        ? string.Join(", ", values.Select(Shown))
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{string.Join(", ", values.Take(named).Select(Shown))} and {values.Count - named:N0} more");

    /// <summary>The serializer's words for required properties absent from an object: "... was missing required properties including: 'refreshToken'."</summary>
    [System.Text.RegularExpressions.GeneratedRegex("missing required properties including: '(?<name>[^']+)'")]
    private static partial System.Text.RegularExpressions.Regex MissingRequired();

    /// <summary>The serializer's words for a property given twice in one object: "Duplicate property 'reason' encountered ...".</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^Duplicate propert(y|ies)( '(?<name>[^']+)')?")]
    private static partial System.Text.RegularExpressions.Regex GivenTwice();

    /// <summary>
    /// For every endpoint: validates the parameters bound from the request body before the handler runs, and answers
    /// a validation problem naming each bad field. Endpoints without a body are left as they are.
    /// </summary>
    public static EndpointFilterDelegate Filter(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.ApplicationServices.GetService<IServiceProviderIsService>();
        var bodies = context.MethodInfo.GetParameters()
            .Select((parameter, index) => (parameter, index))
            .Where(p => IsBody(p.parameter, services))
            .Select(p => p.index)
            .ToArray();
        if (bodies.Length == 0)
        {
            return next;
        }

        return async invocation =>
        {
            foreach (var index in bodies)
            {
                // A missing body never gets here: the framework refuses it first (BadRequestHandler), unless the parameter may be null.
                if (invocation.Arguments[index] is { } body && Validate(body) is { } invalid)
                {
                    return ApiResults.Problem(invalid);
                }
            }

            return await next(invocation);
        };
    }

    private static bool IsBody(ParameterInfo parameter, IServiceProviderIsService? services)
    {
        var attributes = parameter.GetCustomAttributes(inherit: true);
        if (attributes.OfType<IFromBodyMetadata>().Any())
        {
            return true;
        }

        var type = parameter.ParameterType;
        return !attributes.Any(a => a is IFromRouteMetadata or IFromQueryMetadata or IFromHeaderMetadata or IFromServiceMetadata or IFromFormMetadata or AsParametersAttribute)
            && type.IsClass && type != typeof(string)
            && type.Assembly == typeof(RequestValidation).Assembly
            && services?.IsService(type) != true
            && type != typeof(ClaimsPrincipal);
    }

    private static void Walk(object value, string path, Dictionary<string, List<string>> errors, int depth)
    {
        if (value is string text)
        {
            // Every string a client sends is a text someone may store, show or export: one rule for all of them.
            if (TextRules.Problem(text) is { } problem)
            {
                Add(errors, path.Length == 0 ? BodyField : path, problem);
            }

            return;
        }

        if (depth > MaxDepth || IsLeaf(value.GetType()))
        {
            return;
        }

        if (value is IEnumerable entries)
        {
            var index = 0;
            foreach (var entry in entries)
            {
                var at = $"{path}[{index}]";
                if (entry is null)
                {
                    // No list a client sends has a use for a null entry, and code that reads the list should not have to fear one.
                    Add(errors, at, NullEntry);
                }
                else
                {
                    Walk(entry, at, errors, depth + 1);
                }

                index++;
            }

            return;
        }

        foreach (var field in FieldsOf(value.GetType()))
        {
            var fieldValue = field.Property.GetValue(value);
            var name = path.Length == 0 ? field.JsonName : $"{path}.{field.JsonName}";
            var context = new ValidationContext(value) { MemberName = field.Property.Name, DisplayName = name };
            foreach (var rule in field.Rules)
            {
                if (rule.GetValidationResult(fieldValue, context) is { ErrorMessage: { } message })
                {
                    Add(errors, name, message);
                }
            }

            // A field the type declares non-nullable is required even without [Required] (the framework's own request
            // records, such as sign-in's): the serializer lets null through, and the code behind trusts the declaration.
            if (fieldValue is null && field.NotNullable && !field.Rules.OfType<RequiredAttribute>().Any())
            {
                Add(errors, name, new RequiredAttribute().FormatErrorMessage(name));
            }

            if (fieldValue is not null)
            {
                Walk(fieldValue, name, errors, depth + 1);
            }
        }
    }

    private static bool IsLeaf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
            || type == typeof(DateOnly) || type == typeof(TimeOnly) || type == typeof(DateTime) || type == typeof(DateTimeOffset)
            || type == typeof(TimeSpan) || type == typeof(Guid) || type == typeof(JsonElement)
            // A type that reads itself (a text operation) checks itself while it is read.
            || type.GetCustomAttribute<JsonConverterAttribute>() is not null;
    }

    private static Field[] FieldsOf(Type type) => Fields.GetOrAdd(type, static t =>
    {
        var nullability = new NullabilityInfoContext();
        return [.. t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.Name != "EqualityContract")
            .Select(p => new Field(p,
                p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name),
                [.. p.GetCustomAttributes<ValidationAttribute>(inherit: true)],
                !p.PropertyType.IsValueType && nullability.Create(p).ReadState == NullabilityState.NotNull))];
    });

    private static void Add(Dictionary<string, List<string>> errors, string field, string message)
    {
        if (!errors.TryGetValue(field, out var messages))
        {
            errors[field] = messages = [];
        }

        messages.Add(message);
    }

    private sealed record Field(PropertyInfo Property, string JsonName, ValidationAttribute[] Rules, bool NotNullable);
}
