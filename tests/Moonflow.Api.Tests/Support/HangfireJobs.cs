using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;

namespace Moonflow.Api.Tests.Support;

public static class HangfireJobs
{
    /// <summary>
    /// Runs a recurring job now through Hangfire (a job of its own, fetched by the factory's job server like any other)
    /// and waits until Hangfire records it as succeeded: the signal that it ran to its end.
    /// </summary>
    public static async Task TriggerAndWaitAsync(this MoonflowApiFactory api, string recurringJobId, TimeSpan? timeout = null)
    {
        var manager = (IRecurringJobManagerV2)api.Services.GetRequiredService<IRecurringJobManager>();
        var jobId = manager.TriggerJob(recurringJobId);
        Assert.False(string.IsNullOrEmpty(jobId), $"The recurring job '{recurringJobId}' is not registered.");
        var storage = api.Services.GetRequiredService<JobStorage>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            string? state;
            using (var connection = storage.GetConnection())
            {
                state = connection.GetStateData(jobId)?.Name;
            }

            if (state == SucceededState.StateName)
            {
                return;
            }

            Assert.NotEqual(FailedState.StateName, state);
            Assert.True(DateTime.UtcNow < deadline, $"Job {jobId} of '{recurringJobId}' is still {state ?? "unknown"} after the timeout.");
            await Task.Delay(100);
        }
    }
}
