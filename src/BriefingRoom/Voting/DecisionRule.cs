namespace BriefingRoom.Voting;

/// <summary>How an agenda item is decided. The Treaty article behind each rule is cited where the rule is evaluated.</summary>
public enum DecisionRule
{
    /// <summary>European Council by consensus (Art. 15(4) TEU).</summary>
    Consensus,
    /// <summary>Unanimity (Art. 238(4) TFEU): abstentions do not prevent adoption.</summary>
    Unanimity,
    /// <summary>Unanimity where a member may abstain constructively (Art. 31(1) TEU).</summary>
    UnanimityWithConstructiveAbstention,
    /// <summary>Qualified majority on a proposal of the Commission or the High Representative (Art. 16(4) TEU, Art. 238(3) TFEU).</summary>
    QualifiedMajority,
    /// <summary>Qualified majority when not acting on such a proposal (Art. 238(2) TFEU).</summary>
    ReinforcedQualifiedMajority,
    /// <summary>Simple majority of the component members (Art. 238(1) TFEU).</summary>
    SimpleMajority,
    /// <summary>An item for information: nothing is decided.</summary>
    ForInformation,
}
