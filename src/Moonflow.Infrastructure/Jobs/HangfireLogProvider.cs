using Hangfire.AspNetCore;
using Hangfire.Logging;
using Microsoft.Extensions.Logging;

namespace Moonflow.Infrastructure.Jobs;

/// <summary>
/// Hangfire's loggers, from the host's logger factory. Hangfire keeps one log provider for the whole process and asks it for
/// loggers long after start-up (the first time a job method is enqueued, say). Once the host that set it has stopped — a
/// node shutting down, or one of several hosts in one process, as in the tests — a logger asked for is a silent one, not an
/// <see cref="ObjectDisposedException"/> in the middle of accepting a user's request.
/// </summary>
internal sealed class HangfireLogProvider(ILoggerFactory loggers) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(loggers);

    public ILog GetLogger(string name)
    {
        try
        {
            return _inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return SilentLog.Instance;
        }
    }

    private sealed class SilentLog : ILog
    {
        public static readonly SilentLog Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
