using BriefingRoom.Agenda;
using BriefingRoom.Data;
using BriefingRoom.Drafting;
using BriefingRoom.Live;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Versions;

/// <summary>Named versions of an item's draft: saving one (a change, in the meeting's grain), listing, reading and comparing them.</summary>
public sealed class VersionService(BriefingDb db, MeetingChanges changes, DraftingService drafting, IGrainFactory grains)
{
    /// <summary>"current" (or nothing) in a comparison: the draft as it stands now.</summary>
    public const string Current = "current";

    public Task<Outcome<ItemVersionDto>> SaveAsync(MeetingAccess access, int itemId, SaveVersionRequest request, CancellationToken ct) =>
        changes.ApplyAsync(access, new SaveVersion(itemId, request.Name ?? ""), ct);

    public async Task<Outcome<IReadOnlyList<ItemVersionDto>>> ListAsync(MeetingAccess access, int itemId, CancellationToken ct)
    {
        var item = await ItemRules.ReadVisibleAsync(db, access, itemId, ct);
        if (item.Refusal is { } missing)
        {
            return missing;
        }

        var versions = await db.Set<ItemVersion>().AsNoTracking().Where(v => v.ItemId == itemId).OrderBy(v => v.Number).ToListAsync(ct);
        return Outcome<IReadOnlyList<ItemVersionDto>>.From([.. versions.Select(ItemVersionDto.From)]);
    }

    public async Task<Outcome<ItemVersionTextDto>> GetAsync(MeetingAccess access, int itemId, int number, CancellationToken ct)
    {
        var found = await FindAsync(access, itemId, number, field: null, ct);
        return found.Refusal is { } refused ? refused : new ItemVersionTextDto(ItemVersionDto.From(found.Value!), found.Value!.Text);
    }

    /// <summary>Version <paramref name="from"/> against <paramref name="to"/> (a number, or "current" for the draft now).</summary>
    public async Task<Outcome<VersionComparisonDto>> CompareAsync(MeetingAccess access, int itemId, string? from, string? to, CancellationToken ct)
    {
        var item = await ItemRules.ReadVisibleAsync(db, access, itemId, ct);
        if (item.Refusal is { } missing)
        {
            return missing;
        }

        var older = await SideAsync(access, itemId, from, "from", ct);
        if (older.Refusal is { } badFrom)
        {
            return badFrom;
        }

        var newer = await SideAsync(access, itemId, string.IsNullOrWhiteSpace(to) ? Current : to, "to", ct);
        return newer.Refusal is { } badTo ? badTo : new VersionComparisonDto(itemId, older.Value!, newer.Value!);
    }

    private async Task<Outcome<CompareSideDto>> SideAsync(MeetingAccess access, int itemId, string? which, string field, CancellationToken ct)
    {
        if (string.Equals(which?.Trim(), Current, StringComparison.OrdinalIgnoreCase))
        {
            var documentId = DocumentId.Draft(itemId).ToString();
            var described = await grains.GetGrain<IMeetingGrain>(access.MeetingId).Describe(access.Caller, documentId);
            if (described.Refusal is { } refused)
            {
                return refused;
            }

            var now = await drafting.AtRevisionAsync(access, documentId, described.Value!.Revision, ct);
            return now.Refusal is { } gone ? gone : new CompareSideDto("Current text", null, now.Value!.Revision, ItemVersion.HashOf(now.Value.Text), now.Value.Text);
        }

        if (!int.TryParse(which, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return new InvalidRefusal(field, $"Name a version by its number (1 for REV 1) or \"{Current}\" for the text as it stands now.");
        }

        var found = await FindAsync(access, itemId, number, field, ct);
        if (found.Refusal is { } notThere)
        {
            return notThere;
        }

        var v = found.Value!;
        return new CompareSideDto($"{v.Label} – {v.Name}", ItemVersionDto.From(v), v.Revision, v.Sha256, v.Text);
    }

    /// <summary>
    /// The version, or a refusal: under <paramref name="field"/> when a request parameter named it (a comparison), "not
    /// found" when it is the resource asked for (<c>.../versions/{number}</c>), as a missing item or proposal is.
    /// </summary>
    private async Task<Outcome<ItemVersion>> FindAsync(MeetingAccess access, int itemId, int number, string? field, CancellationToken ct)
    {
        var item = await ItemRules.ReadVisibleAsync(db, access, itemId, ct);
        if (item.Refusal is { } missing)
        {
            return missing;
        }

        var version = await db.Set<ItemVersion>().AsNoTracking().SingleOrDefaultAsync(v => v.ItemId == itemId && v.Number == number, ct);
        if (version is not null)
        {
            return version;
        }

        var absent = $"Item {ItemNumeral.Of(item.Value!.Number)} has no version {ItemVersion.LabelOf(number)}.";
        return field is null ? new NotFoundRefusal(absent) : new InvalidRefusal(field, absent);
    }

    /// <summary>A version by its id, for an export: the version and its item, if the caller may see the item.</summary>
    public async Task<Outcome<ItemVersion>> FindByIdAsync(MeetingAccess access, int versionId, CancellationToken ct)
    {
        var version = await db.Set<ItemVersion>().AsNoTracking().SingleOrDefaultAsync(v => v.Id == versionId && v.MeetingId == access.MeetingId, ct);
        if (version is null || (await ItemRules.ReadVisibleAsync(db, access, version.ItemId, ct)).Refusal is not null)
        {
            return new InvalidRefusal("version", $"Version {versionId} does not exist in this meeting.");
        }

        return version;
    }
}

/// <summary>
/// Freezes the item's draft as it stands as the next named version. Runs in the meeting's grain, where the stored draft
/// is the live one (every operation before it is committed and checkpointed), so the text and revision are exact.
/// </summary>
public sealed record SaveVersion(int ItemId, string Name) : MeetingChange<ItemVersionDto>
{
    public override bool GoesOnWhenClosed => true;

    public override async Task<Outcome<ChangeStep<ItemVersionDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var found = await ItemRules.FindVisibleAsync(ctx, ItemId, ct);
        if (found.Refusal is { } missing)
        {
            return missing;
        }

        if (!(ctx.Access.IsChair || ctx.Access.IsSecretariat))
        {
            return new ForbiddenRefusal("Only the chair and the secretariat save named versions of a text.");
        }

        var name = Name.Trim();
        if (name.Length == 0)
        {
            return new InvalidRefusal("name", "Give the version a name, such as \"compromise after the tour de table\".");
        }

        var item = found.Value!;
        // A name tells the versions apart where people pick one (the list, a comparison, a REV header): two alike would not.
        var saved = await ctx.Db.Set<ItemVersion>().Where(v => v.ItemId == item.Id).Select(v => new { v.Number, v.Name }).ToListAsync(ct);
        var taken = saved.FirstOrDefault(v => string.Equals(v.Name.Trim(), name, StringComparison.InvariantCultureIgnoreCase));
        if (taken is not null)
        {
            return new InvalidRefusal("name", $"Item {ItemNumeral.Of(item.Number)} already has a version named \"{taken.Name}\" ({ItemVersion.LabelOf(taken.Number)}): give this one another name.");
        }

        var last = saved.Max(v => (int?)v.Number) ?? 0;
        var version = new ItemVersion
        {
            MeetingId = ctx.Meeting.Id,
            ItemId = item.Id,
            Number = last + 1,
            Name = name,
            Text = item.DraftText,
            Revision = item.DraftRevision,
            Sha256 = ItemVersion.HashOf(item.DraftText),
            CreatedByUserId = ctx.Access.Caller.UserId,
            CreatedByName = ctx.Access.Caller.Name,
            CreatedAt = ctx.Now,
        };
        ctx.Db.Add(version);
        await ctx.Db.SaveChangesAsync(ct);
        var dto = ItemVersionDto.From(version);
        return new ChangeStep<ItemVersionDto>(dto, new PendingEvent("version.saved", item.Id, dto, ItemRules.Audience(item)));
    }
}
