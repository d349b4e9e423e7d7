using System.ComponentModel.DataAnnotations;

namespace BriefingRoom.Api;

/// <summary>
/// A label printed on one line (a meeting's title, place, number and marking; a head of delegation; a delegation's name;
/// an item's title; a version's name; a statement's number, title and marking; the name an invitee is seen by) holds no
/// line break: the page folds one into a space while the stored value keeps it, so a number such as "EUCO\n6/25" read
/// as one thing on the screen and was another in the record. A tab reads as a space everywhere.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class OneLineAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is string text && text.AsSpan().IndexOfAny("\n\u2028\u2029") >= 0
            ? new ValidationResult("This is one line: leave out line breaks.")
            : ValidationResult.Success;
}
