using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ControlPlane.Controllers.Runtime;

namespace ControlPlane.Controllers.Tests.Runtime;

/// <summary>Records what one <see cref="ControllerMetrics"/> instance measures (not other tests' instances of the same meter).</summary>
internal sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, string?> Tags)> _measurements = new();

    public MetricsRecorder(ControllerMetrics metrics)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>The sum of <paramref name="instrument"/>'s measurements whose tags include every pair in <paramref name="tags"/>.</summary>
    public double Sum(string instrument, params (string Key, string Value)[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && v == t.Value)).Sum(m => m.Value);

    public int Count(string instrument, params (string Key, string Value)[] tags) =>
        _measurements.Count(m => m.Instrument == instrument && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && v == t.Value));

    /// <summary>Reads the observable gauges now.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    /// <summary>The last observed value of a gauge for <paramref name="controller"/>.</summary>
    public double Last(string instrument, string controller) =>
        _measurements.Last(m => m.Instrument == instrument && m.Tags.TryGetValue("controller", out var c) && c == controller).Value;

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string?>();
        foreach (var (key, tag) in tags) copy[key] = tag?.ToString();
        _measurements.Enqueue((instrument.Name, value, copy));
    }
}
