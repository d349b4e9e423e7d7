using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace BriefingRoom.Voting;

public enum PopulationTableErrorKind
{
    Empty,
    BadHeader,
    WrongColumnCount,
    BadNumber,
    NotPositive,
    DuplicateCode,
    UnknownMemberStateCode,
    MissingMemberState,
    TooLarge,
    /// <summary>The errors past the first <see cref="PopulationTableParser.MaxErrorsListed"/>, counted rather than listed.</summary>
    TooManyErrors,
}

/// <summary>One reason a table was refused. <see cref="Line"/> is 1-based; it is null for what no single line causes (a missing member state, an empty text).</summary>
public sealed record PopulationTableError(int? Line, PopulationTableErrorKind Kind, string Message);

public sealed record PopulationTableParseResult(PopulationTable? Table, ImmutableArray<PopulationTableError> Errors)
{
    [MemberNotNullWhen(true, nameof(Table))]
    public bool Succeeded => Table is not null;
}

/// <summary>
/// Reads a population table that an administrator loads (one year's official integers, say).
/// Format: lines starting with '#' and blank lines are skipped; the first other line is a header,
/// separated by tabs (TSV) or, if it has no tab, by commas (CSV); it must name a <c>code</c> and a
/// <c>population</c> column, and may have others (a country name, say) that are not read.
/// Every row has as many fields as the header. Populations are whole numbers, optionally grouped in
/// threes with spaces ("84 311 244"). Codes are the Council's (EL for Greece). Every error is reported,
/// not only the first, so that a file can be fixed in one go.
/// </summary>
public static class PopulationTableParser
{
    public static PopulationTableParseResult Parse(
        string text,
        int year,
        string source,
        PopulationFigureOrigin origin = PopulationFigureOrigin.Official)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(year);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);

        var errors = new List<PopulationTableError>();
        // A spreadsheet saved as UTF-8 CSV starts with a byte-order mark, which would otherwise stick to the first column's name.
        var lines = (text.StartsWith('\uFEFF') ? text[1..] : text).Split('\n');
        var figures = new List<PopulationFigure>();
        var firstLineOf = new Dictionary<string, int>(StringComparer.Ordinal);

        string[]? header = null;
        var separator = '\t';
        var codeColumn = -1;
        var populationColumn = -1;

        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (header is null)
            {
                separator = line.Contains('\t') ? '\t' : ',';
                header = SplitFields(line, separator).Select(h => h.ToLowerInvariant()).ToArray();
                codeColumn = Array.IndexOf(header, "code");
                populationColumn = Array.IndexOf(header, "population");
                if (codeColumn < 0 || populationColumn < 0)
                {
                    var hint = header.Any(h => h.Contains("share") || h.Contains("percent"))
                        ? " (this reads whole populations, not percentage shares)"
                        : "";
                    errors.Add(new(lineNumber, PopulationTableErrorKind.BadHeader,
                        $"Line {lineNumber}: the header must name a 'code' column and a 'population' column{hint}; found: {Columns(header)}."));
                    return new(null, [.. errors]);
                }
                continue;
            }

            var fields = SplitFields(line, separator);
            if (fields.Length != header.Length)
            {
                errors.Add(new(lineNumber, PopulationTableErrorKind.WrongColumnCount,
                    string.Create(CultureInfo.InvariantCulture, $"Line {lineNumber}: expected {header.Length:N0} columns ({Columns(header)}), found {fields.Length:N0}.")));
                // The row is there, only malformed: do not also report its member state as missing.
                if (codeColumn < fields.Length && MemberStates.IsMemberState(fields[codeColumn].ToUpperInvariant()))
                {
                    firstLineOf.TryAdd(fields[codeColumn].ToUpperInvariant(), lineNumber);
                }
                continue;
            }

            var code = fields[codeColumn].ToUpperInvariant();
            var codeIsKnown = MemberStates.IsMemberState(code);
            if (!codeIsKnown)
            {
                var hint = code == "GR" ? " (Greece is EL)" : "";
                errors.Add(new(lineNumber, PopulationTableErrorKind.UnknownMemberStateCode,
                    $"Line {lineNumber}: '{Quoted(fields[codeColumn])}' is not a member state code{hint}."));
            }
            else if (firstLineOf.TryGetValue(code, out var firstLine))
            {
                errors.Add(new(lineNumber, PopulationTableErrorKind.DuplicateCode,
                    $"Line {lineNumber}: {code} appears again (first on line {firstLine})."));
                codeIsKnown = false;
            }
            else
            {
                firstLineOf[code] = lineNumber;
            }

            var population = ParsePopulation(fields[populationColumn], lineNumber, errors);
            if (codeIsKnown && population is { } value)
            {
                figures.Add(new(code, value));
            }
        }

        if (header is null)
        {
            errors.Add(new(null, PopulationTableErrorKind.Empty, "The table is empty: no header and no rows."));
            return new(null, [.. errors]);
        }

        foreach (var state in MemberStates.All.Where(s => !firstLineOf.ContainsKey(s.Code)))
        {
            errors.Add(new(null, PopulationTableErrorKind.MissingMemberState, $"No row for {state.Name} ({state.Code})."));
        }

        return errors.Count > 0
            ? new(null, Listed(errors))
            : new(new PopulationTable(year, source, origin, figures), []);
    }

    /// <summary>
    /// Errors listed one by one, at most: a file fixable in one go has far fewer, and a wrong file (every line an error)
    /// is answered in a few kilobytes, not in a copy of itself.
    /// </summary>
    public const int MaxErrorsListed = 100;

    private static ImmutableArray<PopulationTableError> Listed(List<PopulationTableError> errors) => errors.Count <= MaxErrorsListed
        ? [.. errors]
        : [.. errors.Take(MaxErrorsListed), new(null, PopulationTableErrorKind.TooManyErrors,
            string.Create(CultureInfo.InvariantCulture, $"And {errors.Count - MaxErrorsListed:N0} more errors, not listed: is this the right file? Fix these and load it again."))];

    private const int ColumnsNamed = 6;

    /// <summary>The header's columns as a message names them: a few, each shortened, never the whole of a long line.</summary>
    private static string Columns(string[] header) => Api.RequestValidation.FewOf(header, ColumnsNamed);

    private static string Quoted(string field) => Api.RequestValidation.Shown(field);

    private static string[] SplitFields(string line, char separator) =>
        line.Split(separator).Select(f => f.Trim().Trim('"').Trim()).ToArray();

    private static long? ParsePopulation(string field, int lineNumber, List<PopulationTableError> errors)
    {
        var negative = field.StartsWith('-');
        var digits = negative ? field[1..] : field;
        if (!IsWholeNumber(digits))
        {
            errors.Add(new(lineNumber, PopulationTableErrorKind.BadNumber,
                $"Line {lineNumber}: '{Quoted(field)}' is not a whole number of people."));
            return null;
        }
        var compact = new string(digits.Where(char.IsAsciiDigit).ToArray());
        if (!long.TryParse(compact, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            errors.Add(new(lineNumber, PopulationTableErrorKind.BadNumber,
                $"Line {lineNumber}: '{Quoted(field)}' is too large."));
            return null;
        }
        if (negative || value == 0)
        {
            errors.Add(new(lineNumber, PopulationTableErrorKind.NotPositive,
                $"Line {lineNumber}: the population must be positive, not {Quoted(field)}."));
            return null;
        }
        if (value > PopulationTable.MaxPopulation)
        {
            errors.Add(new(lineNumber, PopulationTableErrorKind.TooLarge,
                $"Line {lineNumber}: {Quoted(field)} is more people than a member state has; a figure is at most {PopulationTable.MaxPopulation.ToString("N0", CultureInfo.InvariantCulture)}."));
            return null;
        }
        return value;
    }

    /// <summary>Digits only, or digits grouped in threes by spaces (ordinary, no-break or narrow no-break).</summary>
    private static bool IsWholeNumber(string field)
    {
        if (field.Length == 0)
        {
            return false;
        }
        var groups = field.Split([' ', '\u00A0', '\u202F']);
        if (groups.Length == 1)
        {
            return field.All(char.IsAsciiDigit);
        }
        return groups[0].Length is >= 1 and <= 3
            && groups.All(g => g.Length > 0 && g.All(char.IsAsciiDigit))
            && groups.Skip(1).All(g => g.Length == 3);
    }
}
