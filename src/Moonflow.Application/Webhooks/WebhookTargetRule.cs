using Moonflow.Domain.Common;

namespace Moonflow.Application.Webhooks;

/// <summary>
/// The endpoint's URL must be one webhooks may reach (https outside Development; no loopback, private, link-local or
/// metadata address), so a tenant cannot make Moonflow call into its own network. Checked again at every attempt.
/// </summary>
internal sealed class WebhookTargetMustBeAllowedRule(ErrorText? refusal) : IRequestRule
{
    public string Code => "webhook_target_refused";

    public ErrorText Message => refusal ?? string.Empty;

    public bool IsBroken() => refusal is not null;

    public static async Task CheckAsync(IWebhookTargetGuard guard, string url, CancellationToken cancellationToken)
    {
        var rule = new WebhookTargetMustBeAllowedRule(await guard.RefusalAsync(url, cancellationToken));
        if (rule.IsBroken())
        {
            throw new BusinessRuleValidationException(rule);
        }
    }
}
