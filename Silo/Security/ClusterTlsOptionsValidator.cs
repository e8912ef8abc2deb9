using Microsoft.Extensions.Options;

namespace MemorySync.Silo.Security;

/// <summary>Refuses to start a silo whose TLS settings are missing or point at files that do not make a silo certificate.</summary>
internal sealed class ClusterTlsOptionsValidator : IValidateOptions<ClusterTlsOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterTlsOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        if (options.HandshakeTimeout <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail("Tls:HandshakeTimeout must be positive");
        }

        try
        {
            _ = SiloCertificates.Load(options);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidDataException exception)
        {
            return ValidateOptionsResult.Fail(exception.Message);
        }
    }
}
