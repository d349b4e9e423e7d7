namespace BriefingRoom.Voting;

/// <summary>A delegation's stance on an agenda item.</summary>
public enum Stance
{
    NoPosition,
    Support,
    /// <summary>Supports, subject to a reservation (see <see cref="ReservationKind"/>) whose text the position carries.</summary>
    SupportWithReservation,
    Abstain,
    /// <summary>Abstains with a formal declaration and is not bound (Art. 31(1) TEU).</summary>
    AbstainConstructively,
    Oppose,
    NotTakingPart,
}

public enum ReservationKind
{
    Scrutiny,
    Parliamentary,
    General,
}
