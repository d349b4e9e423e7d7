using BriefingRoom;
using BriefingRoom.Agenda;
using BriefingRoom.Api;
using BriefingRoom.Coalitions;
using BriefingRoom.Data;
using BriefingRoom.Drafting;
using BriefingRoom.Identity;
using BriefingRoom.Meetings;
using BriefingRoom.Population;
using BriefingRoom.Positions;
using BriefingRoom.Realtime;
using BriefingRoom.Tally;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, WebRootPath = WebRoot.Find() });

builder.Services.AddOptions<BriefingOptions>().BindConfiguration(BriefingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddBriefingData(builder.Configuration, builder.Environment);
builder.Services.AddBriefingIdentity();
builder.Services.AddBriefingApi();
builder.Services.AddBriefingRealtime();
builder.Services.AddMeetings();
builder.Services.AddTally();
builder.Services.AddDemo();

var app = builder.Build();

app.UseBriefingApi();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();

app.MapBriefingIdentity();
app.MapMeetings();
app.MapDelegations();
app.MapAgenda();
app.MapPositions();
app.MapDrafting();
app.MapPopulationTables();
app.MapTally();
app.MapCoalitions();
app.MapBriefingHub();
app.MapApiDocs();
app.MapGet("/healthz", () => TypedResults.Text("ok")).ExcludeFromDescription();

await app.PrepareDatabaseAsync();
await app.RunAsync();

public partial class Program;
