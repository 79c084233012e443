namespace ControlPlane.Cli.Output;

/// <summary>How a verb prints its result (<c>-o</c>).</summary>
internal enum OutputFormat
{
    /// <summary>Aligned columns, or kubectl-style "kind/name verb" lines for writes.</summary>
    Table,

    /// <summary>Indented JSON of the objects.</summary>
    Json,

    /// <summary>YAML of the objects.</summary>
    Yaml,
}
