using BriefingRoom.Drafting.Ot;

namespace BriefingRoom.Tests.Drafting;

public class OtClientTests
{
    private static TextOperation Op(string json) => TextOperation.Parse(json);

    private static Func<string> Counter(string prefix)
    {
        var n = 0;
        return () => $"{prefix}{++n}";
    }

    [Fact]
    public void ALocalEditWhileSynchronizedIsSentAtOnce()
    {
        var client = new OtClient(3, Counter("op"));

        var sent = client.ApplyLocal(Op("""["a"]"""));

        Assert.Equal(new OtSubmission("op1", 3, Op("""["a"]""")), sent);
        Assert.Equal(OtClientState.AwaitingAck, client.State);
        Assert.Equal("op1", client.InFlightOpId);
    }

    [Fact]
    public void EditsMadeWhileAwaitingAnAckAreBufferedComposedAndSentOnTheAck()
    {
        var client = new OtClient(0, Counter("op"));
        client.ApplyLocal(Op("""["a"]"""));

        Assert.Null(client.ApplyLocal(Op("""[1, "b"]""")));
        Assert.Null(client.ApplyLocal(Op("""[2, "c"]""")));
        Assert.Equal(OtClientState.AwaitingAckWithBuffer, client.State);

        Assert.Equal(new OtSubmission("op2", 1, Op("""[1, "bc"]""")), client.ServerAck());
        Assert.Null(client.ServerAck());
        Assert.Equal(OtClientState.Synchronized, client.State);
        Assert.Equal(2, client.Revision);
    }

    [Fact]
    public void AServerOperationWhileSynchronizedIsAppliedAsItIs()
    {
        var client = new OtClient();

        Assert.Equal(Op("""["Orbán"]"""), client.ApplyServer(Op("""["Orbán"]""")));
        Assert.Equal(1, client.Revision);
    }

    [Fact]
    public void AServerOperationIsTransformedPastTheInFlightAndBufferedEdits()
    {
        var client = new OtClient();
        client.ApplyLocal(Op("""["A"]"""));
        client.ApplyLocal(Op("""[1, "B"]"""));

        var toApply = client.ApplyServer(Op("""["🇪🇺"]"""));

        Assert.Equal(Op("""[2, "🇪🇺"]"""), toApply);
        Assert.Equal(Op("""["A", 4]"""), client.InFlight);
        Assert.Equal(Op("""[1, "B", 4]"""), client.Buffer);
        Assert.Equal(1, client.Revision);
    }

    [Fact]
    public void AResendAfterReconnectKeepsTheOpIdAndMovesToTheCurrentRevision()
    {
        var client = new OtClient(0, Counter("op"));
        client.ApplyLocal(Op("""["x"]"""));
        client.ApplyServer(Op("""["y"]"""));

        Assert.Equal(new OtSubmission("op1", 1, Op("""["x", 1]""")), client.Resend());
    }

    [Fact]
    public void ANoOpEditSendsNothing()
    {
        var client = new OtClient();

        Assert.Null(client.ApplyLocal(TextOperation.Identity(4)));
        Assert.Equal(OtClientState.Synchronized, client.State);
        Assert.Null(client.Resend());
    }

    [Fact]
    public void AnAckWithNothingInFlightIsAnError()
    {
        Assert.Throws<InvalidOperationException>(() => new OtClient().ServerAck());
    }

    [Fact]
    public void OpIdsAreRandomGuidsByDefault()
    {
        var sent = new OtClient().ApplyLocal(Op("""["a"]"""));

        Assert.True(Guid.TryParse(sent!.ClientOpId, out _));
    }
}
