using MemorySync.Silo;

namespace MemorySync.UnitTests.Silo;

/// <summary>The settings read before the host exists are checked like the others, each failure naming its setting.</summary>
public sealed class SiloSettingsValidationTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        Assert.True(new SiloHostOptionsValidator().Validate(null, new SiloHostOptions()).Succeeded);
        Assert.True(new ClusterIdentityOptionsValidator().Validate(null, new ClusterIdentityOptions()).Succeeded);
    }

    [Theory]
    [InlineData("Silo:AdvertisedAddress", "silo-1.internal", 11111, 30000)]
    [InlineData("Silo:GatewayPort", "127.0.0.1", 11111, 70000)]
    [InlineData("Silo:SiloPort, Silo:GatewayPort and Silo:HttpPort", "127.0.0.1", 30000, 30000)]
    public void AHostSettingThatCannotWork_IsNamed(string named, string advertised, int siloPort, int gatewayPort)
    {
        var result = new SiloHostOptionsValidator().Validate(null,
            new SiloHostOptions { AdvertisedAddress = advertised, SiloPort = siloPort, GatewayPort = gatewayPort });

        Assert.True(result.Failed);
        Assert.Contains(named, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "memsync")]
    [InlineData("dev", "mem sync")]
    public void AClusterIdentityWithoutAName_IsNamed(string clusterId, string serviceId)
    {
        var result = new ClusterIdentityOptionsValidator().Validate(null, new ClusterIdentityOptions { ClusterId = clusterId, ServiceId = serviceId });

        Assert.True(result.Failed);
        Assert.Contains(clusterId.Length == 0 ? "Cluster:ClusterId" : "Cluster:ServiceId", result.FailureMessage, StringComparison.Ordinal);
    }
}
