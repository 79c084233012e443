using System.Runtime.CompilerServices;

// The checker tests drive the search alone (LinearizabilityOptions.SearchOnly) to exercise its own verdicts.
[assembly: InternalsVisibleTo("ControlPlane.Testing.Tests")]
