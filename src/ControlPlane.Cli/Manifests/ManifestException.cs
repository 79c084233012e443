namespace ControlPlane.Cli.Manifests;

/// <summary>A manifest could not be read or holds something that is not a resource object.</summary>
internal sealed class ManifestException(string message, Exception? innerException = null) : Exception(message, innerException);
