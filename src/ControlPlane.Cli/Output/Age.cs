using System.Globalization;

namespace ControlPlane.Cli.Output;

/// <summary>kubectl's short human durations for the AGE column: 45s, 3m20s, 5h, 4d2h, 400d, 3y.</summary>
internal static class Age
{
    public static string Since(string? timestamp, DateTimeOffset now) =>
        DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)
            ? Format(now - created)
            : "<unknown>";

    public static string Format(TimeSpan age)
    {
        var seconds = (long)Math.Floor(age.TotalSeconds);
        if (seconds < -1) return "<invalid>";
        if (seconds < 0) return "0s";
        if (seconds < 120) return $"{seconds}s";
        var minutes = seconds / 60;
        if (minutes < 10) return Join(minutes, "m", seconds % 60, "s");
        if (minutes < 180) return $"{minutes}m";
        var hours = minutes / 60;
        if (hours < 8) return Join(hours, "h", minutes % 60, "m");
        if (hours < 48) return $"{hours}h";
        var days = hours / 24;
        if (days < 8) return Join(days, "d", hours % 24, "h");
        if (days < 365 * 2) return $"{days}d";
        var years = days / 365;
        return years < 8 ? Join(years, "y", days % 365, "d") : $"{years}y";
    }

    private static string Join(long major, string majorUnit, long minor, string minorUnit) =>
        minor == 0 ? $"{major}{majorUnit}" : $"{major}{majorUnit}{minor}{minorUnit}";
}
