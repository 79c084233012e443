using ControlPlane.Core.Errors;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;

namespace ControlPlane.Core.Tests.Store;

public class WriteResultTests
{
    [Fact]
    public void EnsureSuccess_Succeeded_ReturnsTheSameResult()
    {
        var result = new WriteResult { Outcome = WriteOutcome.Created, ResourceVersion = 5 };

        Assert.Same(result, result.EnsureSuccess());
    }

    [Theory]
    [InlineData(ErrorCode.Conflict, 7L)]
    [InlineData(ErrorCode.AlreadyExists, 9L)]
    public void EnsureSuccess_ConflictOrAlreadyExists_ThrowsWithCurrentResourceVersion(ErrorCode code, long current)
    {
        var result = new WriteResult { Error = code, Message = "stale", ResourceVersion = current };

        var e = Assert.Throws<ControlPlaneException>(() => result.EnsureSuccess());

        Assert.Equal(code, e.Code);
        Assert.Equal("stale", e.Message);
        Assert.Equal(current, e.CurrentResourceVersion);
    }

    [Theory]
    [InlineData(ErrorCode.NotFound)]
    [InlineData(ErrorCode.Invalid)]
    public void EnsureSuccess_OtherFailure_ThrowsWithoutResourceVersion(ErrorCode code)
    {
        var result = new WriteResult { Error = code, Message = "no", ResourceVersion = 3 };

        var e = Assert.Throws<ControlPlaneException>(() => result.EnsureSuccess());

        Assert.Equal(code, e.Code);
        Assert.Null(e.CurrentResourceVersion);
    }
}
