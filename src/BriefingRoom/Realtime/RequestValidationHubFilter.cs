using System.Reflection;
using BriefingRoom.Api;
using Microsoft.AspNetCore.SignalR;

namespace BriefingRoom.Realtime;

/// <summary>
/// Runs <see cref="RequestValidation"/> over every hub call's arguments before the method: a request record is
/// checked as the same record is over REST, a missing one is refused as a missing body is, and a named value
/// (a document id) is checked under its parameter's name. Refusals are HubExceptions with the REST problem's words.
/// </summary>
public sealed class RequestValidationHubFilter : IHubFilter
{
    private static readonly NullabilityInfoContext Nullability = new();

    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var parameters = invocation.HubMethod.GetParameters();
        for (var i = 0; i < parameters.Length && i < invocation.HubMethodArguments.Count; i++)
        {
            var parameter = parameters[i];
            var argument = invocation.HubMethodArguments[i];
            var type = parameter.ParameterType;
            var name = parameter.Name ?? $"argument {i + 1}";
            InvalidRefusal? invalid;
            if (argument is null && !type.IsValueType && !IsNullable(parameter))
            {
                // SignalR binds null to any reference type, whatever the method declares.
                invalid = type == typeof(string)
                    ? RequestValidation.Refusal(name, new System.ComponentModel.DataAnnotations.RequiredAttribute().FormatErrorMessage(name))
                    : RequestValidation.Validate(null);
            }
            else if (type.IsClass && type != typeof(string))
            {
                invalid = argument is null ? null : RequestValidation.Validate(argument);
            }
            else
            {
                invalid = RequestValidation.ValidateValue(argument, name);
            }

            if (invalid is not null)
            {
                throw invalid.AsHubException();
            }
        }

        return next(invocation);
    }

    private static bool IsNullable(ParameterInfo parameter)
    {
        lock (Nullability)
        {
            return Nullability.Create(parameter).WriteState == NullabilityState.Nullable;
        }
    }
}
