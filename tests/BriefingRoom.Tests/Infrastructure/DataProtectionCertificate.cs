using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>
/// The certificate production needs to encrypt its data-protection keys (README, "Production"), made as
/// openssl (req -x509, then pkcs12 -export) makes it there: a self-signed RSA key and certificate, one per test run.
/// </summary>
public static class DataProtectionCertificate
{
    public const string Password = "Key-ring-2025!";

    private static readonly Lazy<string> Created = new(() =>
    {
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=BriefingRoom data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));
        var path = System.IO.Path.Combine(Directory.CreateTempSubdirectory("briefingroom-certificate-").FullName, "dataprotection.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, Password));
        return path;
    });

    public static string Path => Created.Value;

    /// <summary>The app outside Development, with the certificate it requires there.</summary>
    public static BriefingApp InProduction(this BriefingApp app) =>
        app.With("Briefing:DataProtection:CertificatePath", Path).With("Briefing:DataProtection:CertificatePassword", Password);
}
