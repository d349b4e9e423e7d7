using System.Net.Http.Json;
using System.Text.Json;
using BriefingRoom.Api;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>Small helpers for calling the API as a client does, with the app's own JSON settings.</summary>
public static class TestHttp
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<T> GetJsonAsync<T>(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url, Ct);
        await response.ShouldBeAsync(200);
        return (await response.Content.ReadFromJsonAsync<T>(BriefingJson.Options, Ct))!;
    }

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, object body) =>
        client.PutAsJsonAsync(url, body, BriefingJson.Options, Ct);

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object? body) =>
        client.PostAsJsonAsync(url, body, BriefingJson.Options, Ct);

    public static Task<HttpResponseMessage> SendRawAsync(this HttpClient client, HttpMethod method, string url, string json) =>
        client.SendAsync(new HttpRequestMessage(method, url) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") }, Ct);

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(BriefingJson.Options, Ct))!;

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

    /// <summary>Asserts the status, showing the body when it differs: a failing test says why.</summary>
    public static async Task ShouldBeAsync(this HttpResponseMessage response, int status)
    {
        if ((int)response.StatusCode != status)
        {
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {status}, got {(int)response.StatusCode}. Body: {body}");
        }
    }
}
