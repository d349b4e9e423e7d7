using System.Text.Json;
using BriefingRoom.Agenda;
using BriefingRoom.Coalitions;
using BriefingRoom.Drafting;
using BriefingRoom.Conclusions;
using BriefingRoom.Conclusions.Pdf;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Conclusions;

/// <summary>
/// tests/vectors/paragraph-vectors.json, which the node suite runs against wwwroot/js/paragraphs.js: the paragraph
/// numbers the editor shows in its margin are the ones the conclusions PDF prints, by one rule on both sides.
/// </summary>
public class ParagraphVectorTests
{
    private static readonly JsonDocument Vectors = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(RepositoryRoot.Path, "tests", "vectors", "paragraph-vectors.json")));

    private static readonly ConclusionsLayoutEngine Engine = new();

    public static TheoryData<string> ParagraphCases => Names("paragraphs");

    public static TheoryData<string> NumberingCases => Names("numbering");

    [Theory]
    [MemberData(nameof(ParagraphCases))]
    public void ADraftSplitsIntoTheParagraphsTheVectorsName(string name)
    {
        var vector = Get("paragraphs", name);
        var expected = vector.GetProperty("paragraphs").EnumerateArray().Select(p => p.GetString()!).ToList();

        Assert.Equal(expected, DraftParagraphs.Of(vector.GetProperty("text").GetString()!));
    }

    [Theory]
    [MemberData(nameof(NumberingCases))]
    public void ThePdfNumbersEachItemsParagraphsAsTheVectorsSay(string name)
    {
        var vector = Get("numbering", name);
        var items = vector.GetProperty("items").EnumerateArray().Select(Item).ToList();
        var expected = Expected(vector);

        var printed = PrintedNumbers(items);
        foreach (var item in items.Where(i => i.Status is ItemStatus.Agreed or ItemStatus.Coalition))
        {
            Assert.Equal(expected[item.Id], printed.GetValueOrDefault(item.Id, []));
        }

        // An item not printed yet gets the numbers it will print with once agreed (and as long as nothing else moves).
        foreach (var item in items.Where(i => i.Status is not (ItemStatus.Agreed or ItemStatus.Coalition)))
        {
            var agreedNow = items.Select(i => i.Id == item.Id ? Copy(i, ItemStatus.Agreed) : i).ToList();
            Assert.Equal(expected[item.Id], PrintedNumbers(agreedNow).GetValueOrDefault(item.Id, []));
        }
    }

    /// <summary>
    /// Lays the documents out as the export does and reads which numbers each item's paragraphs got: the conclusions for
    /// agreed items (where a coalition statement takes one paragraph, its cross reference), and each statement's own document.
    /// </summary>
    private static Dictionary<int, List<int>> PrintedNumbers(List<AgendaItem> items)
    {
        var coalitions = items.Where(i => i.Status == ItemStatus.Coalition).ToDictionary(i => i.Id, i =>
            new CoalitionDto(i.Id, [], 26, false, null, null, "Firmly supported by 26 heads of state or government"));
        var sections = ConclusionsService.Sections(items, coalitions, listNoAgreement: true, _ => []);
        var byTitle = items.ToDictionary(i => i.Title);
        // Whose paragraph each numbered paragraph is, in print order: a statement's cross reference is nobody's text.
        var owners = sections.SelectMany(s => s.Paragraphs.Select(p => (Item: byTitle[s.Title!].Status == ItemStatus.Agreed ? byTitle[s.Title!].Id : (int?)null, Text: p))).ToList();
        var result = new Dictionary<int, List<int>>();
        Read(SampleConclusions.Demo() with { Sections = sections }, owners, result);
        foreach (var statement in items.Where(i => i.Status == ItemStatus.Coalition))
        {
            var paragraphs = DraftParagraphs.Of(statement.DraftText);
            Read(SampleConclusions.Demo() with { Sections = [new ConclusionsSection { Title = null, Paragraphs = paragraphs }] },
                [.. paragraphs.Select(p => ((int?)statement.Id, p))], result);
        }

        return result;
    }

    private static void Read(ConclusionsDocument document, List<(int? Item, string Text)> owners, Dictionary<int, List<int>> result)
    {
        var firstLines = Engine.Layout(document).Pages.SelectMany(p => p.Lines)
            .Where(l => l.ParagraphNumber is not null)
            .GroupBy(l => l.ParagraphNumber!.Value)
            .Select(g => (Number: g.Key, First: g.First().Text))
            .ToList();
        Assert.Equal(owners.Count, firstLines.Count);
        for (var k = 0; k < owners.Count; k++)
        {
            var (number, first) = firstLines[k];
            Assert.StartsWith($"{number}. ", first, StringComparison.Ordinal);
            Assert.StartsWith(owners[k].Text.Split(' ')[0], first[$"{number}. ".Length..], StringComparison.Ordinal);
            if (owners[k].Item is not { } item)
            {
                continue;
            }

            if (!result.TryGetValue(item, out var numbers))
            {
                result[item] = numbers = [];
            }

            numbers.Add(number);
        }
    }

    private static Dictionary<int, List<int>> Expected(JsonElement vector) =>
        vector.GetProperty("numbers").EnumerateObject().ToDictionary(
            p => int.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture),
            p => p.Value.EnumerateArray().Select(n => n.GetInt32()).ToList());

    private static AgendaItem Item(JsonElement json)
    {
        var id = json.GetProperty("id").GetInt32();
        return new AgendaItem
        {
            Id = id,
            Number = json.GetProperty("number").GetInt32(),
            Title = $"Item {id}",
            Description = "",
            Status = Enum.Parse<ItemStatus>(json.GetProperty("status").GetString()!, ignoreCase: true),
            DraftText = json.GetProperty("text").GetString()!,
        };
    }

    private static AgendaItem Copy(AgendaItem item, ItemStatus status) => new()
    {
        Id = item.Id,
        Number = item.Number,
        Title = item.Title,
        Description = item.Description,
        Status = status,
        DraftText = item.DraftText,
    };

    private static TheoryData<string> Names(string section)
    {
        var data = new TheoryData<string>();
        foreach (var vector in Vectors.RootElement.GetProperty(section).EnumerateArray())
        {
            data.Add(vector.GetProperty("name").GetString()!);
        }
        return data;
    }

    private static JsonElement Get(string section, string name) =>
        Vectors.RootElement.GetProperty(section).EnumerateArray().Single(v => v.GetProperty("name").GetString() == name);
}
