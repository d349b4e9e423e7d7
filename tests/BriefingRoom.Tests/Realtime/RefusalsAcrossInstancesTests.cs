using BriefingRoom.Invitations;
using BriefingRoom.Realtime;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace BriefingRoom.Tests.Realtime;

/// <summary>
/// A change's answer comes back from the meeting's grain, which may run on another instance: every kind of refusal must
/// make that trip through the app's own cluster serializer, or the caller gets a server error instead of the reason.
/// </summary>
public class RefusalsAcrossInstancesTests
{
    private static readonly Refusal[] OneOfEach =
    [
        new NotFoundRefusal("No such item."),
        new ForbiddenRefusal("Only the chair may lock an item."),
        new LockedRefusal("Item 2 is locked by the chair."),
        new ConflictRefusal("France's position changed first.", new { version = 3 }),
        new InvalidRefusal("stance", "A stance is one of support, abstain, oppose."),
        new GoneRefusal("This invitation was withdrawn."),
        new BusyRefusal("Too many exports at once.", TimeSpan.FromSeconds(2)),
    ];

    [Fact]
    public void TheCasesCoverEveryKindOfRefusal()
    {
        var kinds = typeof(Refusal).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Refusal)) && !t.IsAbstract).ToHashSet();
        Assert.Equal(kinds.OrderBy(t => t.Name).Select(t => t.Name), OneOfEach.Select(r => r.GetType()).Distinct().OrderBy(t => t.Name).Select(t => t.Name));
    }

    [Fact]
    public async Task EveryRefusalArrivesFromAnotherInstanceWithItsKindAndWords()
    {
        await using var app = new BriefingApp();
        var cluster = app.Services.GetRequiredService<Serializer>();
        foreach (var refusal in OneOfEach)
        {
            Outcome<AcceptedInvitationDto> answer = refusal;
            var bytes = cluster.SerializeToArray(answer);
            var arrived = cluster.Deserialize<Outcome<AcceptedInvitationDto>>(bytes).Refusal;

            Assert.NotNull(arrived);
            Assert.Equal(refusal.GetType(), arrived.GetType());
            Assert.Equal((refusal.Title, refusal.Detail), (arrived.Title, arrived.Detail));
        }
    }
}
