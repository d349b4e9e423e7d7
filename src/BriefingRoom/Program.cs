using BriefingRoom;
using BriefingRoom.Agenda;
using BriefingRoom.Api;
using BriefingRoom.Coalitions;
using BriefingRoom.Conclusions;
using BriefingRoom.Data;
using BriefingRoom.Drafting;
using BriefingRoom.Hosting;
using BriefingRoom.Identity;
using BriefingRoom.Live;
using BriefingRoom.Invitations;
using BriefingRoom.Meetings;
using BriefingRoom.Population;
using BriefingRoom.Positions;
using BriefingRoom.Proposals;
using BriefingRoom.Realtime;
using BriefingRoom.ScaleOut;
using BriefingRoom.Silence;
using BriefingRoom.Tally;
using BriefingRoom.Versions;

// First, before anything rents a buffer: the shared pool reads its size once (see SharedBuffers).
SharedBuffers.KeepEnoughForAFanOut();
var (hostArgs, adminCommand) = AdminCommand.Split(args);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = hostArgs, WebRootPath = WebRoot.Find(), ContentRootPath = WebRoot.ContentRoot });

builder.AddBriefingHosting();
builder.AddBriefingCluster();
builder.Services.AddOptions<BriefingOptions>().BindConfiguration(BriefingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddBriefingData(builder.Configuration, builder.Environment);
builder.Services.AddBriefingIdentity();
builder.Services.AddBriefingApi();
builder.Services.AddBriefingRealtime();
builder.Services.AddBriefingScaleOut(builder.Configuration);
builder.Services.AddMeetings();
builder.Services.AddInvitations();
builder.Services.AddTally();
builder.Services.AddDemo();
builder.Services.AddConclusions();
builder.Services.AddVersions();
builder.Services.AddSilence();
builder.Services.AddBriefingRateLimits();
builder.Services.AddBriefingTelemetry(builder.Configuration);

var app = builder.Build();

app.UseForwardedHeaders();
app.UseBriefingApi();
app.UseBrowserSecurity();
// "/" is index.html: rewritten before routing picks the static asset endpoint.
app.UseDefaultFiles();
app.UseRouting();
app.UseAuthentication();
app.UseSessionRevocation();
app.UseAuthorization();
app.UseHubConnectionLimit();
app.UseRequestLogScope();
app.UseApiRateLimits();

// The front end, from the build's manifest: compressed, ETags, no-cache on stable URLs, immutable on fingerprinted ones.
app.MapStaticAssets();
var api = app.MapBriefingApi();
api.MapBriefingIdentity();
api.MapMeetings();
api.MapInvitations();
api.MapDelegations();
api.MapAgenda();
api.MapPositions();
api.MapDrafting();
api.MapConclusions();
api.MapPopulationTables();
api.MapTally();
api.MapCoalitions();
api.MapProposals();
api.MapVersions();
api.MapSilence();
app.MapBriefingHub();
app.MapApiDocs();
app.MapBriefingHealth();

// Every setting checked before the database is touched: a mistyped one must stop a start before it migrates or seeds.
app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
await app.PrepareDatabaseAsync();
if (adminCommand is not null)
{
    return await AdminCommand.RunAsync(app, adminCommand);
}

await app.RunAsync();
return 0;

public partial class Program;
