using Microsoft.Extensions.Options;

namespace ControlPlane.Controllers.Runtime;

/// <summary>Validates <see cref="ControllerHostOptions"/> at start, with the message naming the setting.</summary>
public sealed class ControllerHostOptionsValidator : IValidateOptions<ControllerHostOptions>
{
    public ValidateOptionsResult Validate(string? name, ControllerHostOptions options)
    {
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
