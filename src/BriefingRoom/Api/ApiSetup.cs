using System.Text.Encodings.Web;
using System.Text.Json;
using Scalar.AspNetCore;

namespace BriefingRoom.Api;

public static class ApiSetup
{
    /// <summary>JSON, problem details for every error and the OpenAPI document; request validation is <see cref="RequestValidation"/>, added by <see cref="MapBriefingApi"/>.</summary>
    public static IServiceCollection AddBriefingApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            BriefingJson.Configure(o.SerializerOptions);
            o.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // The built-in validation names fields as C# does ("Stance"); clients know them as the JSON does ("stance").
            if (context.ProblemDetails is HttpValidationProblemDetails validation)
            {
                var errors = validation.Errors.ToDictionary(e => JsonFieldName(e.Key), e => e.Value);
                validation.Errors.Clear();
                foreach (var (field, messages) in errors)
                {
                    validation.Errors[field] = messages;
                }

                validation.Title = "The request is not valid";
                validation.Detail ??= string.Join(" ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")));
            }
            else if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType)
            {
                context.ProblemDetails.Detail ??= UnsupportedBodyType.Detail(context.HttpContext);
            }
            else if (context.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge)
            {
                // Kestrel's refusal of a body past the limit said only "Content Too Large": not what the limit is.
                var limit = context.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
                context.ProblemDetails.Detail ??= limit is { } bytes
                    ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"body: The request body is larger than this endpoint takes, {bytes:N0} bytes.")
                    : "body: The request body is larger than this endpoint takes.";
            }
            else if (context.ProblemDetails.Status == StatusCodes.Status404NotFound && context.HttpContext.GetEndpoint() is null)
            {
                // No endpoint matched: a wrong address, not a missing meeting (whose 404 says so). A number past the
                // largest a route's id takes matches no endpoint either.
                var request = context.HttpContext.Request;
                context.ProblemDetails.Detail ??= $"No endpoint answers {request.Method} {RequestValidation.Shown(request.Path.Value ?? "")}: "
                    + "check the address against the API's description (/openapi/v1.json); ids in it are whole numbers up to 2,147,483,647.";
            }
        });
        services.AddExceptionHandler<BadRequestHandler>();
        services.AddExceptionHandler<GrainMovingHandler>();
        // A request the framework cannot bind reaches BadRequestHandler in every environment, not only in Development
        // (elsewhere the framework would answer a bare 400 that names no field).
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi(o => o.AddSchemaTransformer((schema, context, _) =>
        {
            // A value read by its own converter (a silence deadline, which must carry its offset) loses its type in the
            // description and keeps only its format: a date-time is still text.
            if (schema.Type is null && schema.Format == "date-time")
            {
                schema.Type = Microsoft.OpenApi.JsonSchemaType.String;
            }

            // An enum is read by StrictEnumConverter, which the framework cannot see into: without this it was "{}", and a
            // client could not learn which names to send.
            if (context.JsonTypeInfo.Type.IsEnum)
            {
                schema.Type = Microsoft.OpenApi.JsonSchemaType.String;
                schema.Enum = [.. EnumNames(context.JsonTypeInfo.Type)];
            }
            else if (Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) is { IsEnum: true } optional && schema.Type is null && schema.OneOf is not { Count: > 0 })
            {
                // An optional enum with a default (left out, it keeps the current choice) is described in place.
                schema.Type = Microsoft.OpenApi.JsonSchemaType.String | Microsoft.OpenApi.JsonSchemaType.Null;
                schema.Enum = [.. EnumNames(optional), null!]; // written as JSON null
            }

            return Task.CompletedTask;
        }));
        return services;
    }

    private static IEnumerable<System.Text.Json.Nodes.JsonNode> EnumNames(Type type) =>
        Enum.GetNames(type).Select(name => (System.Text.Json.Nodes.JsonNode)JsonNamingPolicy.CamelCase.ConvertName(name));

    private static string JsonFieldName(string path) =>
        string.Join('.', path.Split('.').Select(part => part.Length == 0 ? part : JsonNamingPolicy.CamelCase.ConvertName(part)));

    /// <summary>
    /// The group every API endpoint is mapped in: one request validation for all of them, the same that the hub runs,
    /// so that no endpoint can be added without it.
    /// </summary>
    public static RouteGroupBuilder MapBriefingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("");
        api.AddEndpointFilterFactory(RequestValidation.Filter);
        return api;
    }

    public static WebApplication UseBriefingApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference("/api/docs");
        }

        return app;
    }
}
