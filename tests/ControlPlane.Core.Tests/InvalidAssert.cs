using ControlPlane.Core.Errors;

namespace ControlPlane.Core.Tests;

/// <summary>Asserts that bad input is refused as <see cref="ErrorCode.Invalid"/> with a message naming the problem.</summary>
internal static class InvalidAssert
{
    public static ControlPlaneException Throws(Action action, params string[] mentions)
    {
        var e = Assert.Throws<ControlPlaneException>(action);
        Assert.Equal(ErrorCode.Invalid, e.Code);
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, e.Message, StringComparison.Ordinal);
        }

        return e;
    }
}
