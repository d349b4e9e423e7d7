using BenchmarkDotNet.Attributes;
using BriefingRoom.Agenda;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Live;
using BriefingRoom.Meetings;
using BriefingRoom.Positions;
using BriefingRoom.Proposals;
using BriefingRoom.Voting;

namespace BriefingRoom.Benchmarks;

/// <summary>
/// What the grain does per operation on a draft with reservations that name paragraphs (Live/LiveReservations): move
/// every anchor and number them all in one pass. A keystroke in the first paragraph, which moves every anchor after it
/// and no number; the draft of <see cref="Paragraphs"/> paragraphs of about 200 characters, one reservation on each of
/// the last <see cref="Anchors"/>, the worst place for the scan.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ReservationAnchorBenchmarks
{
    private readonly LiveReservations _reservations = new();
    private readonly AgendaItem _item = new() { Id = 5, MeetingId = 1, Title = "European defence", Description = "", DraftText = "" };
    private string _draft = "";
    private string _typed = "";
    private TextOperation _type = TextOperation.Builder().Build();
    private TextOperation _erase = TextOperation.Builder().Build();

    [Params(10, 1_000)]
    public int Paragraphs { get; set; }

    [Params(1, 27)]
    public int Anchors { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var paragraph = "The European Council calls for a further increase in defence spending and for joint procurement, so that "
            + "the Union's defence industrial base can deliver at the scale and pace that the situation requires.";
        _draft = string.Join('\n', Enumerable.Range(1, Paragraphs).Select(n => $"{n}. {paragraph}"));
        var lines = Drafting.DraftParagraphs.Of(_draft).Count;
        var reservations = new List<LiveReservation>();
        for (var k = 0; k < Anchors; k++)
        {
            var number = Math.Max(1, lines - k);
            var (from, to) = Drafting.DraftParagraphs.SpanOf(_draft, number)!.Value;
            reservations.Add(new LiveReservation
            {
                ItemId = _item.Id,
                DelegationKind = DelegationKind.MemberState,
                Position = new PositionDto(_item.Id, $"S{k}", Stance.SupportWithReservation, ReservationKind.General, null, 1, "", DateTimeOffset.MinValue, true, number),
                Span = new ProposalSpan(from, to, false),
            });
        }

        _reservations.Reset(ReservationAttribution.Named, reservations);
        _type = TextOperation.Builder().Retain(3).Insert("x").Retain(_draft.Length - 3).Build();
        _erase = TextOperation.Builder().Retain(3).Delete(1).Retain(_draft.Length - 3).Build();
        _typed = _type.Apply(_draft);
    }

    /// <summary>One character typed and erased again: two operations, so that the anchors end where they began.</summary>
    [Benchmark(OperationsPerInvoke = 2)]
    public bool TypeAndErase()
    {
        var moved = _reservations.Applied("draft:5", _type, _typed, 1, _item) is not null;
        return moved | _reservations.Applied("draft:5", _erase, _draft, 2, _item) is not null;
    }
}
