using System.Text.Json;
using BriefingRoom.Data;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using BriefingRoom.Voting;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Tally;

/// <summary>The stateless calculator: any rule, any stances, a year's table; nothing is stored. Every input error is reported, each under its field.</summary>
public sealed class VotingCalculator(BriefingDb db)
{
    /// <summary>More guests than any summit has seen, and few enough to keep one answer small.</summary>
    public const int MaxGuests = 50;

    public async Task<Outcome<DecisionResult>> EvaluateAsync(EvaluateRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        var delegations = new List<DelegationStance>();
        var members = request.Members!;
        if (members.Count == 0)
        {
            Add("members", "List the member states that take part, at least one (all 27 for the full Council).");
        }
        else if (members.Count > MemberStates.Count)
        {
            // Some would be listed twice, or not be member states: one answer says so, not one error for each.
            Add("members", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"At most the {MemberStates.Count} member states, each once: {members.Count:N0} were listed."));
        }

        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var examined = members.Count <= MemberStates.Count ? members.Count : 0;
        for (var i = 0; i < examined; i++)
        {
            var member = members[i];
            var field = $"members[{i}]";
            var code = member.Code.Trim().ToUpperInvariant();
            if (!MemberStates.IsMemberState(code))
            {
                Add($"{field}.code", $"'{member.Code}' is not a member state code{(code == "GR" ? " (Greece is EL)" : "")}.");
                continue;
            }

            if (!firstIndex.TryAdd(code, i))
            {
                Add($"{field}.code", $"{code} is listed twice (first as members[{firstIndex[code]}]).");
                continue;
            }

            var stance = member.Stance!.Value;
            var hasReservation = member.ReservationKind is not null || !string.IsNullOrWhiteSpace(member.ReservationText);
            if (stance == Stance.SupportWithReservation && member.ReservationKind is null)
            {
                Add($"{field}.reservationKind", "A support with a reservation names its kind: scrutiny, parliamentary or general.");
                continue;
            }

            if (stance != Stance.SupportWithReservation && hasReservation)
            {
                Add($"{field}.{(member.ReservationKind is null ? "reservationText" : "reservationKind")}",
                    $"Only a support with a reservation carries a reservation; {code}'s stance is {JsonNamingPolicy.CamelCase.ConvertName(stance.ToString())}.");
                continue;
            }

            delegations.Add(new DelegationStance(code, stance)
            {
                VotingRightsSuspended = member.VotingRightsSuspended ?? false,
                Reservation = stance == Stance.SupportWithReservation ? new Reservation(member.ReservationKind!.Value, member.ReservationText?.Trim() ?? "") : null,
            });
        }

        var guests = request.Guests ?? [];
        if (guests.Count > MaxGuests)
        {
            Add("guests", $"At most {MaxGuests} guests.");
        }

        var guestIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < guests.Count && i < MaxGuests; i++)
        {
            var guest = guests[i];
            var code = guest.Code.Trim().ToUpperInvariant();
            // A member state is never a guest: counted as one, its stance would sit beside its vote under the same code.
            if (MemberStates.IsMemberState(code) || code == "GR")
            {
                Add($"guests[{i}].code", $"{(code == "GR" ? "GR is Greece (EL), a" : $"{code} is a")} member state: list it under members, not guests.");
                continue;
            }

            if (!guestIndex.TryAdd(code, i))
            {
                Add($"guests[{i}].code", $"{code} is listed twice (first as guests[{guestIndex[code]}]).");
                continue;
            }

            delegations.Add(new DelegationStance(code, guest.Stance!.Value)
            {
                Kind = DelegationKind.Guest,
                Name = string.IsNullOrWhiteSpace(guest.Name) ? code : guest.Name.Trim(),
            });
        }

        var year = request.Year!.Value;
        var stored = await db.PopulationTables.AsNoTracking().Include(t => t.Figures).SingleOrDefaultAsync(t => t.Year == year, ct);
        if (stored is null)
        {
            var years = await db.PopulationTables.OrderBy(t => t.Year).Select(t => t.Year).ToListAsync(ct);
            Add("year", $"There is no population table for {year}; there are tables for {string.Join(", ", years)}.");
        }

        if (errors.Count > 0)
        {
            return Api.RequestValidation.Refusal(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }

        return DecisionEvaluator.Evaluate(request.Rule!.Value, delegations, stored!.ToTable());
    }
}
