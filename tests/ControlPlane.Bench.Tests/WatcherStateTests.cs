using ControlPlane.Bench.Scenarios;

namespace ControlPlane.Bench.Tests;

public class WatcherStateTests
{
    [Fact]
    public void Receipts_AreKeptPerSequence_AndIgnoredOutsideTheTable()
    {
        var state = new WatcherState(4);
        state.RecordReceipt(2, 1_000);
        state.RecordReceipt(4, 2_000);
        state.RecordReceipt(-1, 3_000);
        Assert.Equal(1_000, state.ReceiptOf(2));
        Assert.Equal(0, state.ReceiptOf(0));
        Assert.Equal(0, state.ReceiptOf(4));
        Assert.Equal(0, state.ReceiptOf(-1));
    }
}
