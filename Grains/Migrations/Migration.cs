using System.Security.Cryptography;
using System.Text;

namespace MemorySync.Migrations;

/// <summary>One numbered script from sql/, e.g. <c>0002_orleans_providers.sql</c> is version 2.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the script, recorded when applied, so an edited script is caught instead of drifting.</summary>
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));
}
