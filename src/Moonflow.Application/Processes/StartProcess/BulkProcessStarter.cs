using System.Text.Json;
using Moonflow.Application.Common.Localization;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Common;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Processes.StartProcess;

/// <summary>
/// What every bulk action does when accepted, inside the command's transaction: log the process, freeze the
/// records it will touch, and hand it to the job engine once the transaction commits.
/// </summary>
public sealed class BulkProcessStarter(
    IBulkProcessRepository processes, IProcessTargetStore targets, IProcessDispatcher dispatcher, IUnitOfWork unitOfWork,
    ICurrentUser user, TimeProvider clock, Texts? texts = null)
{
    public static readonly JsonSerializerOptions ParameterJson = new(JsonSerializerDefaults.Web);

    /// <summary>The key of a process type's label, <c>process.{type}</c> (and <c>process.{type}.{variant}</c> for other words).</summary>
    public static string LabelKey(ProcessType type) => "process." + JsonNamingPolicy.SnakeCaseLower.ConvertName(type.ToString());

    public Task<ProcessAccepted> StartAsync<TParameters>(
        ProcessType type, ErrorText label, TParameters parameters, IQueryable<Guid>? matchingIds, IReadOnlyList<Guid>? explicitIds,
        CancellationToken cancellationToken) =>
        StartAsync(
            type, label, parameters,
            (processId, ct) => explicitIds is not null
                ? targets.FreezeAsync(processId, explicitIds, ct)
                : targets.FreezeAsync(processId, matchingIds ?? throw new ArgumentNullException(nameof(matchingIds)), ct),
            cancellationToken);

    /// <summary>
    /// For actions whose targets' order matters (agendas reassigned round-robin by due date): <paramref name="freeze"/>
    /// writes the process's targets in that order itself, set-based, and returns how many.
    /// </summary>
    public async Task<ProcessAccepted> StartAsync<TParameters>(
        ProcessType type, ErrorText label, TParameters parameters, Func<Guid, CancellationToken, Task<long>> freeze, CancellationToken cancellationToken)
    {
        var process = Queue(type, label, parameters);
        processes.Add(process);
        await unitOfWork.SaveChangesAsync(cancellationToken);

        var total = await freeze(process.Id, cancellationToken);
        process.FreezeTargets(total);

        var tenantId = user.TenantId;
        unitOfWork.AfterCommit(() => dispatcher.DispatchAsync(tenantId, process.Id, CancellationToken.None));
        return new ProcessAccepted(process.Id, total);
    }

    /// <summary>
    /// For processes that settle their records themselves (an upload, once its job reads the file; an export, by its
    /// estimate) or run later (a deferred download): <paramref name="configure"/> does that before the process is saved.
    /// </summary>
    public async Task<ProcessAccepted> StartConfiguredAsync<TParameters>(
        ProcessType type, ErrorText label, TParameters parameters, Action<BulkProcess> configure, CancellationToken cancellationToken)
    {
        var process = Queue(type, label, parameters);
        configure(process);
        processes.Add(process);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        if (process.ScheduledFor is null || process.ScheduledFor <= clock.GetUtcNow())
        {
            var tenantId = user.TenantId;
            unitOfWork.AfterCommit(() => dispatcher.DispatchAsync(tenantId, process.Id, CancellationToken.None));
        }

        return new ProcessAccepted(process.Id, process.Total);
    }

    /// <summary>
    /// The label is written in English and kept by key (the text under <see cref="LabelKey"/> whose English it is) with its
    /// arguments, so it is read in the reader's language; the process keeps the request's language for what it writes.
    /// </summary>
    private BulkProcess Queue<TParameters>(ProcessType type, ErrorText label, TParameters parameters) => BulkProcess.Queue(
        user.TenantId, type, label.ToString(), JsonSerializer.Serialize(parameters, ParameterJson), user.ActorId, user.ActorName, clock.GetUtcNow(),
        (texts ?? Texts.Default).Keep(LabelKey(type), label), Texts.CurrentLanguage);

    public static TParameters ReadParameters<TParameters>(BulkProcess process) =>
        JsonSerializer.Deserialize<TParameters>(process.Parameters, ParameterJson)
        ?? throw new InvalidOperationException($"Process {process.Id} has no parameters.");
}

/// <summary>The answer to a bulk request: 202 with the process to follow.</summary>
public sealed record ProcessAccepted(Guid ProcessId, long Total);

/// <summary>The frozen list of records of each process, in the order they are worked on.</summary>
public interface IProcessTargetStore
{
    /// <summary>Freezes the ids a query matches now (streamed in pages, copied in bulk).</summary>
    Task<long> FreezeAsync(Guid processId, IQueryable<Guid> matchingIds, CancellationToken cancellationToken);

    /// <summary>Freezes the ids the caller listed, as given: unknown ids become failed items, not errors.</summary>
    Task<long> FreezeAsync(Guid processId, IReadOnlyList<Guid> ids, CancellationToken cancellationToken);
}
