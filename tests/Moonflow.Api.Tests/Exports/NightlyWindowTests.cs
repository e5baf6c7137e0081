using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Moonflow.Api.Tests.Support;
using Npgsql;

namespace Moonflow.Api.Tests.Exports;

/// <summary>
/// The nightly window as the recurring job <c>exports-nightly-window</c> runs it, through Hangfire, on a clock the test
/// moves: before the window a deferred download stays queued, once the clock passes it the job releases the download.
/// </summary>
public sealed class NightlyWindowTests(NightlyWindowTests.MovedClockFactory api) : IClassFixture<NightlyWindowTests.MovedClockFactory>
{
    private const string NightlyWindowJob = "exports-nightly-window";

    [Fact]
    public async Task NightlyWindowJob_WhenTheWindowHasNotCome_LeavesTheDeferredDownloadQueued()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var today = api.BogotaToday;
        var accepted = await (await seller.RequestAsync(new { tray = "clients", from = today.AddDays(-90), to = today, format = "csv" }))
            .ReadJsonAsync(HttpStatusCode.Accepted);
        var scheduledFor = accepted.GetProperty("scheduledFor").GetDateTimeOffset();
        Assert.True(scheduledFor > api.Clock.GetUtcNow());

        await api.TriggerAndWaitAsync(NightlyWindowJob);

        var export = await (await seller.GetAsync($"/api/v1/exports/{accepted.GetProperty("exportId").GetGuid()}")).ReadJsonAsync();
        Assert.Equal("pending", export.GetProperty("status").GetString());
        var process = await (await seller.GetAsync($"/api/v1/processes/{accepted.GetProperty("processId").GetGuid()}")).ReadJsonAsync();
        Assert.Equal("queued", process.GetProperty("status").GetString());
        Assert.Null(await api.JobIdOfAsync(accepted.GetProperty("processId").GetGuid()));
    }

    [Fact]
    public async Task NightlyWindowJob_WhenTheClockHasPassedTheWindow_ReleasesTheDownloadWhichCompletes()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var today = api.BogotaToday;
        var accepted = await (await seller.RequestAsync(new { tray = "interactions", from = today.AddDays(-10), to = today, format = "csv" }))
            .ReadJsonAsync(HttpStatusCode.Accepted);
        var exportId = accepted.GetProperty("exportId").GetGuid();
        var scheduledFor = accepted.GetProperty("scheduledFor").GetDateTimeOffset();

        api.Clock.SetUtcNow(scheduledFor.AddMinutes(1));
        await api.TriggerAndWaitAsync(NightlyWindowJob);

        Assert.NotNull(await api.JobIdOfAsync(accepted.GetProperty("processId").GetGuid()));
        var export = await seller.WaitForExportAsync(exportId);
        Assert.Equal("completed", export.GetProperty("status").GetString());
        Assert.True(export.GetProperty("rowCount").GetInt64() > 0);
        var csv = await seller.DownloadAsync(export, "text/csv");
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
    }

    /// <summary>
    /// The API's clock is a <see cref="FakeTimeProvider"/> starting at the real time. The safety net that dispatches
    /// stranded processes waits a month here, so only the nightly window job can release a deferred download.
    /// </summary>
    public sealed class MovedClockFactory : MoonflowApiFactory
    {
        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

        public DateOnly BogotaToday =>
            DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("America/Bogota")).DateTime);

        public Task<string?> JobIdOfAsync(Guid processId) =>
            WithDbAsync(async db =>
            {
                await using var command = new NpgsqlCommand("SELECT job_id FROM processes.bulk_processes WHERE id = @id", db);
                command.Parameters.AddWithValue("id", processId);
                return (await command.ExecuteScalarAsync()) as string;
            });

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Processes:DispatchGrace", "30.00:00:00");

            // Tokens outlive the moves of the clock, whichever clock validates them.
            builder.UseSetting("Auth:TokenLifetime", "3.00:00:00");
        }

        protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }
}
