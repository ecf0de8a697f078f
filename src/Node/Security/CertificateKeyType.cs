namespace Spillway.Node.Security;

/// <summary>Key algorithms <c>spillway certs</c> and the demo can make keys with.</summary>
public enum CertificateKeyType
{
    EcdsaP256,
    Rsa2048,
    Rsa3072,
}
