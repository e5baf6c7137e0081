namespace Moonflow.Domain.Common;

/// <summary>A named business rule that an aggregate checks before it changes state.</summary>
public interface IBusinessRule
{
    /// <summary>Stable, machine-readable code surfaced to API clients (e.g. <c>process_already_finished</c>).</summary>
    string Code { get; }

    /// <summary>What is wrong, for people: an interpolated string, kept as template and arguments (see <see cref="ErrorText"/>).</summary>
    ErrorText Message { get; }

    bool IsBroken();
}

/// <summary>A rule that limits how often something may happen; the API answers 429 with <see cref="RetryAt"/>.</summary>
public interface IQuotaRule : IBusinessRule
{
    DateTimeOffset? RetryAt { get; }
}

/// <summary>A rule about the request itself (e.g. a range too long for the tray); the API answers 400 with its code.</summary>
public interface IRequestRule : IBusinessRule;

/// <summary>A broken rule that tells the caller more than its message (e.g. which export is in the way).</summary>
public interface IRuleDetails
{
    IReadOnlyDictionary<string, object?> Details { get; }
}

public sealed class BusinessRuleValidationException(IBusinessRule brokenRule) : Exception(brokenRule.Message), ILocalizableError
{
    public IBusinessRule BrokenRule { get; } = brokenRule;

    public string Code => BrokenRule.Code;

    public ErrorText Text => BrokenRule.Message;
}

/// <summary>Raised when a value given to the domain is malformed (the API answers 400).</summary>
public sealed class DomainValidationException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

public abstract class AggregateRoot
{
    protected static void CheckRule(IBusinessRule rule)
    {
        if (rule.IsBroken())
        {
            throw new BusinessRuleValidationException(rule);
        }
    }
}

/// <summary>Every row a tenant owns carries its tenant id; persistence filters by it.</summary>
public interface ITenantOwned
{
    Guid TenantId { get; }
}
