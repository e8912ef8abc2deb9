using Microsoft.Extensions.Options;

namespace MemorySync.Configuration;

/// <summary>Checks the outbox settings (section <c>Outbox</c>) at start-up, naming the setting to fix.</summary>
internal sealed class OutboxOptionsValidator : IValidateOptions<OutboxOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboxOptions options)
    {
        var failures = new List<string>();
        if (options.PollInterval <= TimeSpan.Zero || options.BaseDelay <= TimeSpan.Zero || options.MaxDelay < options.BaseDelay)
        {
            failures.Add("Outbox:PollInterval and Outbox:BaseDelay must be positive, and Outbox:MaxDelay at least Outbox:BaseDelay");
        }

        if (options.WriterGrace < TimeSpan.Zero || options.BatchSize < 1 || options.MaxRetries < 1)
        {
            failures.Add("Outbox:WriterGrace must not be negative; Outbox:BatchSize and Outbox:MaxRetries must be at least 1");
        }

        if (options.Jitter is < 0 or >= 1)
        {
            failures.Add("Outbox:Jitter must be in [0, 1)");
        }

        if (options.RetainCompleted < TimeSpan.Zero)
        {
            failures.Add("Outbox:RetainCompleted must not be negative (zero keeps completed rows forever)");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
