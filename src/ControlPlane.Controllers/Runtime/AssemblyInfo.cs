using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ControlPlane.Controllers.Tests")]
