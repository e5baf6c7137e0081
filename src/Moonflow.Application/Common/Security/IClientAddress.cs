namespace Moonflow.Application.Common.Security;

/// <summary>The network address the request came from (null for background jobs): sign-in is throttled per address.</summary>
public interface IClientAddress
{
    string? Value { get; }
}

/// <summary>Outside HTTP (jobs, tests of handlers) there is no address.</summary>
public sealed class NoClientAddress : IClientAddress
{
    public string? Value => null;
}
