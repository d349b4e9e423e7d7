using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Meetings;

/// <summary>
/// A sweep for 500s: every endpoint that takes a JSON body, found from the app's own endpoints, gets a plausible body
/// and then, one field at a time (nested records and list entries too), the values careless or hostile clients send:
/// null, a list holding null, numbers at and past every limit, empty and huge strings, the wrong JSON kind. Every
/// answer must be an answer (below 500), and a refusal must be a problem detail that names a field.
/// </summary>
public class MalformedRequestSweepTests
{
    private static readonly Dictionary<string, string> RouteValues = new()
    {
        ["meetingId"] = "1", ["itemId"] = "1", ["delegationCode"] = "HU", ["documentId"] = "draft:1", ["year"] = "2030", ["membershipId"] = "1",
    };

    private static readonly JsonNode?[] Hostile =
    [
        null, JsonValue.Create(""), JsonValue.Create(new string('x', 100_000)), JsonValue.Create(0), JsonValue.Create(-1),
        JsonValue.Create(int.MaxValue), JsonValue.Create(int.MinValue), JsonValue.Create(long.MaxValue), JsonValue.Create(long.MinValue),
        JsonValue.Create(1e308), JsonValue.Create(-1.5), JsonValue.Create(true), new JsonObject(), new JsonArray(), new JsonArray((JsonNode?)null),
        new JsonArray(JsonValue.Create(long.MaxValue), JsonValue.Create(long.MaxValue)),
    ];

    private static string OverflowingTable()
    {
        var rows = BriefingRoom.Voting.MemberStates.All.Select(m => $"{m.Code}\t9223372036854775807");
        return "code\tpopulation\n" + string.Join("\n", rows);
    }

    private static readonly Dictionary<string, (string Method, string Url, string Body, string Field)> Reported = new()
    {
        ["a null member in the calculator"] = ("POST", "/api/voting/evaluate", """{"rule":"unanimity","year":2025,"members":[null]}""", "members[0]"),
        ["a null guest in the calculator"] = ("POST", "/api/voting/evaluate", """{"rule":"unanimity","year":2025,"members":[{"code":"FR","stance":"support"}],"guests":[null]}""", "guests[0]"),
        ["a null guest on a new item"] = ("POST", "/api/meetings/1/items", """{"title":"Middle East","rule":"consensus","guests":["UA",null]}""", "guests[1]"),
        ["a null guest on an item"] = ("PUT", "/api/meetings/1/items/1", """{"title":"Ukraine","rule":"unanimity","guests":[null],"expectedVersion":1}""", "guests[0]"),
        ["a population table whose total overflows"] = ("PUT", "/api/population-tables/2030", JsonSerializer.Serialize(new { source = "Nowhere", origin = "official", csv = OverflowingTable() }), "csv"),
        ["a null e-mail at sign-in"] = ("POST", "/api/auth/login", """{"email":null,"password":"x"}""", "email"),
    };

    public static TheoryData<string> ReportedCases => [.. Reported.Keys];

    [Theory]
    [MemberData(nameof(ReportedCases))]
    public async Task WhatAnswered500IsAProblemDetailNamingTheFieldAndChangesNothing(string name)
    {
        var (method, url, body, field) = Reported[name];
        await using var app = new BriefingApp();
        var admin = await app.SignInAsync("admin");

        var response = await Fingerprint.AssertUnchangedAsync(app, () => admin.SendRawAsync(new HttpMethod(method), url, body));

        await response.ShouldBeAsync(400);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"errors name {field}: {errors}");
        Assert.All(messages.EnumerateArray(), m => Assert.False(string.IsNullOrWhiteSpace(m.GetString())));
    }

    [Theory]
    [InlineData("""{"stance":"bogus","expectedVersion":0}""", "stance")]
    [InlineData("""{"stance":"support","expectedVersion":"one"}""", "expectedVersion")]
    [InlineData("null", "body")]
    [InlineData("""{"stance":"oppose",""", "body")]
    public async Task InProductionTooABodyTheServerCannotReadGetsAProblemNamingTheField(string body, string field)
    {
        // Outside Development the framework used to answer a body it could not read with a bare 400 naming nothing.
        await using var app = new BriefingApp { Environment = "Production" }.InProduction().With("Demo:Seed", "true");
        var france = await app.SignInAsync("fr");

        var response = await france.SendRawAsync(HttpMethod.Put, "/api/meetings/1/items/3/positions/FR", body);

        await response.ShouldBeAsync(400);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task NoBodyAnEndpointTakesMakesTheServerAnswer500()
    {
        await using var app = new BriefingApp().With("Briefing:RateLimits:ApiPerSecond", "100000").With("Briefing:RateLimits:ApiBurst", "100000");
        var admin = await app.SignInAsync("admin");
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Body: e.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType, Method: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.FirstOrDefault()))
            .Where(e => e.Body is not null && e.Method is not null && e.Endpoint.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .ToList();
        Assert.True(endpoints.Count >= 15, $"found {endpoints.Count} endpoints with a body");

        var failures = new List<string>();
        var sent = 0;
        foreach (var (endpoint, body, method) in endpoints)
        {
            var url = Url(endpoint.RoutePattern.RawText!);
            foreach (var json in Mutations(Plausible(body!, 0)!))
            {
                sent++;
                var response = await admin.SendRawAsync(new HttpMethod(method!), url, json);
                var status = (int)response.StatusCode;
                var text = await response.Content.ReadAsStringAsync(TestHttp.Ct);
                if (status >= 500 || status == 429)
                {
                    failures.Add($"{method} {url} {Shorten(json)} -> {status} {Shorten(text)}");
                }
                else if (status == 400 && !NamesAField(text))
                {
                    failures.Add($"{method} {url} {Shorten(json)} -> 400 naming no field: {Shorten(text)}");
                }
            }
        }

        Assert.True(sent > 500, $"only {sent} requests sent");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests were not answered properly:\n" + string.Join("\n", failures.Take(40)));
    }

    /// <summary>Plausible arguments of each hub method, as a client sends them (JSON).</summary>
    private static readonly Dictionary<string, JsonNode?> HubArguments = new()
    {
        ["meetingId"] = 1, ["itemId"] = 1, ["proposalId"] = 1, ["delegationCode"] = "HU", ["documentId"] = "draft:1", ["since"] = 0L, ["sinceRevision"] = 0,
        ["request"] = null, ["caret"] = new JsonObject { ["documentId"] = "draft:1", ["revision"] = 0, ["anchor"] = 0, ["head"] = 0 },
    };

    [Fact]
    public async Task NoArgumentOfAnyHubMethodMakesItFailWithoutSayingWhy()
    {
        await using var app = new BriefingApp().With("Briefing:RateLimits:HubPerSecond", "100000").With("Briefing:RateLimits:HubBurst", "100000");
        await using var hub = app.NewHubConnection(await app.TokenForAsync("admin"));
        await hub.StartAsync(TestHttp.Ct);
        var methods = typeof(BriefingRoom.Realtime.BriefingHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName && m.Name != nameof(BriefingRoom.Realtime.BriefingHub.OnDisconnectedAsync)).ToList();
        Assert.True(methods.Count >= 8, string.Join(", ", methods.Select(m => m.Name)));

        var failures = new List<string>();
        var calls = 0;
        foreach (var method in methods)
        {
            var parameters = method.GetParameters();
            var plausible = parameters.Select(p => p.Name switch
            {
                "request" when p.ParameterType == typeof(BriefingRoom.Drafting.SubmitOperationRequest) =>
                    new JsonObject { ["documentId"] = "draft:1", ["baseRevision"] = 0, ["clientOpId"] = "sweep", ["operation"] = new JsonArray(881, "x") },
                "request" => Plausible(typeof(BriefingRoom.Positions.PutPositionRequest), 0),
                var name => HubArguments[name!]?.DeepClone(),
            }).ToList();
            for (var i = 0; i < parameters.Length; i++)
            {
                foreach (var value in HostileFor(parameters[i].ParameterType, plausible[i]))
                {
                    var arguments = plausible.Select(a => a?.DeepClone()).ToList();
                    arguments[i] = value;
                    calls++;
                    var sent = arguments.Select(a => a is null ? null : (object)JsonSerializer.Deserialize<JsonElement>(a.ToJsonString())).ToArray();
                    try
                    {
                        await hub.InvokeCoreAsync(method.Name, typeof(object), sent, TestHttp.Ct);
                    }
                    catch (Microsoft.AspNetCore.SignalR.HubException e) when (e.Message.Contains("HubException: ", StringComparison.Ordinal))
                    {
                        // A refusal in words: what every bad argument must get.
                    }
                    catch (Microsoft.AspNetCore.SignalR.HubException e)
                    {
                        failures.Add($"{method.Name}({string.Join(", ", arguments.Select(a => Shorten(a?.ToJsonString() ?? "null")))}): {e.Message}");
                    }
                }
            }
        }

        Assert.True(calls > 100, $"only {calls} calls made");
        Assert.True(failures.Count == 0, $"{failures.Count} of {calls} calls failed without saying why:\n" + string.Join("\n", failures.Take(40)));
        Assert.Equal(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected, hub.State);
    }

    /// <summary>Values of the parameter's own JSON kind (so that SignalR can bind them) at and past every limit; anything at all for a JSON body.</summary>
    private static IEnumerable<JsonNode?> HostileFor(Type type, JsonNode? plausible)
    {
        if (type == typeof(JsonElement))
        {
            return Hostile.Concat(plausible is null ? [] : Mutations(plausible).Select(j => JsonNode.Parse(j)));
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(int))
        {
            return [0, -1, int.MaxValue, int.MinValue];
        }

        if (type == typeof(long))
        {
            return [-1L, long.MaxValue, long.MinValue];
        }

        if (type == typeof(string))
        {
            return [null, "", new string('x', 100_000), "draft:2147483647", "draft:99999999999", "position:1:" + new string('Z', 50), "position:2147483647:HU", "position:1:HU:x"];
        }

        // A record: null, and each field of its own kind at its limits.
        return [null, .. TypedMutations((JsonObject)plausible!)];
    }

    private static IEnumerable<JsonNode> TypedMutations(JsonObject plausible)
    {
        foreach (var (key, value) in plausible)
        {
            JsonNode?[] values = value?.GetValueKind() switch
            {
                JsonValueKind.Number => [0, -1, int.MaxValue, int.MinValue],
                JsonValueKind.String => [null, "", new string('x', 100_000), "draft:2147483647", "position:1:ZZZZZZZZ"],
                _ => [null],
            };
            foreach (var replacement in values)
            {
                var copy = (JsonObject)plausible.DeepClone();
                copy[key] = replacement;
                yield return copy;
            }
        }
    }

    private static string Url(string pattern)
    {
        foreach (var (name, value) in RouteValues)
        {
            pattern = System.Text.RegularExpressions.Regex.Replace(pattern, $"{{{name}(:[a-z]+)?}}", value);
        }

        return pattern;
    }

    private static bool NamesAField(string problem)
    {
        var errors = JsonDocument.Parse(problem).RootElement.TryGetProperty("errors", out var e) ? e : default;
        return errors.ValueKind == JsonValueKind.Object && errors.EnumerateObject().Any(f => f.Name.Length > 0 && f.Value.GetArrayLength() > 0);
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    /// <summary>The body with each field (at any depth) replaced in turn by each hostile value; and hostile bodies as a whole.</summary>
    private static IEnumerable<string> Mutations(JsonNode plausible)
    {
        foreach (var whole in Hostile)
        {
            yield return whole?.ToJsonString() ?? "null";
        }

        foreach (var path in Paths(plausible, []))
        {
            foreach (var value in Hostile)
            {
                var copy = plausible.DeepClone();
                Set(copy, path, value?.DeepClone());
                yield return copy.ToJsonString();
            }
        }
    }

    private static IEnumerable<List<object>> Paths(JsonNode node, List<object> at)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o)
                {
                    List<object> here = [.. at, key];
                    yield return here;
                    if (child is not null)
                    {
                        foreach (var deeper in Paths(child, here))
                        {
                            yield return deeper;
                        }
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    List<object> here = [.. at, i];
                    yield return here;
                    if (a[i] is { } child)
                    {
                        foreach (var deeper in Paths(child, here))
                        {
                            yield return deeper;
                        }
                    }
                }

                break;
        }
    }

    private static void Set(JsonNode root, List<object> path, JsonNode? value)
    {
        var parent = root;
        foreach (var step in path[..^1])
        {
            parent = step is string key ? parent[key]! : parent[(int)step]!;
        }

        if (path[^1] is string last)
        {
            parent[last] = value;
        }
        else
        {
            parent[(int)path[^1]] = value;
        }
    }

    /// <summary>A body of the request type with every field given a plausible value, lists with one entry.</summary>
    private static JsonNode? Plausible(Type type, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return JsonValue.Create("HU");
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return JsonValue.Create(1);
        }

        if (type == typeof(bool))
        {
            return JsonValue.Create(false);
        }

        if (type == typeof(DateOnly))
        {
            return JsonValue.Create("2025-03-06");
        }

        if (type.IsEnum)
        {
            return JsonValue.Create(JsonNamingPolicy.CamelCase.ConvertName(Enum.GetNames(type)[0]));
        }

        if (type == typeof(BriefingRoom.Drafting.Ot.TextOperation))
        {
            return new JsonArray(JsonValue.Create(881), JsonValue.Create("x"));
        }

        if (depth < 4 && type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var element = type.IsArray ? type.GetElementType()! : type.GetGenericArguments().FirstOrDefault() ?? typeof(string);
            return new JsonArray(Plausible(element, depth + 1));
        }

        if (depth < 4 && type.IsClass)
        {
            var body = new JsonObject();
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite || p.GetMethod?.IsPublic == true))
            {
                if (property.Name == "EqualityContract")
                {
                    continue;
                }

                body[JsonNamingPolicy.CamelCase.ConvertName(property.Name)] = Plausible(property.PropertyType, depth + 1);
            }

            return body;
        }

        return null;
    }
}
