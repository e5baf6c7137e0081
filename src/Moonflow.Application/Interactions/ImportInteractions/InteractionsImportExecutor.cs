using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Common.Time;
using Moonflow.Application.Processes;
using Moonflow.Application.Processes.Execution;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Domain.Common;
using Moonflow.Domain.Interactions;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Interactions.ImportInteractions;

/// <summary>Runs an upload: stage the file's rows once, then check and register them chunk by chunk.</summary>
public sealed class InteractionsImportExecutor(
    IInteractionImportStore store, IFileStorage files, ISpreadsheetReader reader, TenantCalendar calendar, TimeProvider clock) : IBulkActionExecutor
{
    public ProcessType Type => ProcessType.InteractionsImport;

    public int ChunkSize(ProcessOptions options) => options.ImportChunkSize;

    public async Task<long> PrepareAsync(BulkProcess process, CancellationToken cancellationToken)
    {
        var parameters = BulkProcessStarter.ReadParameters<InteractionImportParameters>(process);
        try
        {
            await using var content = await files.OpenReadAsync(parameters.StorageKey, cancellationToken);
            return await store.StageAsync(process.Id, reader.ReadRowsAsync(content, parameters.Format, cancellationToken).Skip(1), cancellationToken);
        }
        catch (SpreadsheetFormatException ex)
        {
            throw new ProcessInputException(ex.Message);
        }
        catch (FileNotFoundException)
        {
            throw new ProcessInputException("The uploaded file is no longer available; upload it again.");
        }
    }

    public async Task<ChunkOutcome> ExecuteChunkAsync(BulkProcess process, int chunkSize, CancellationToken cancellationToken)
    {
        var rows = await store.ReadChunkAsync(process.Id, process.Checkpoint, chunkSize, cancellationToken);
        if (rows.Count == 0)
        {
            return ChunkOutcome.Nothing;
        }

        var parameters = BulkProcessStarter.ReadParameters<InteractionImportParameters>(process);
        var zone = await calendar.ZoneAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var parsed = rows.Select(r => (r.Seq, Result: InteractionImportRowParser.Parse(r.Seq, r.Cells, parameters.Columns, zone, now))).ToList();
        var valid = parsed.Where(p => p.Result.Row is not null).Select(p => p.Result.Row!).ToList();

        var clients = await store.FindClientsAsync(process.TenantId, valid.Select(r => (r.DocumentType, r.DocumentNumber)).Distinct().ToList(), cancellationToken);
        var advisors = await store.FindAdvisorsAsync(process.TenantId, valid.Where(r => r.AdvisorEmail is not null).Select(r => r.AdvisorEmail!).Distinct().ToList(), cancellationToken);

        var candidates = new List<(long, string, Interaction)>();
        var failures = parsed.Where(p => p.Result.Row is null).Select(p => (p.Seq, $"Row {p.Seq}", p.Result.Error!)).ToList();
        foreach (var row in valid)
        {
            var (interaction, error) = ToInteraction(process.TenantId, row, clients, advisors, now);
            if (interaction is null)
            {
                failures.Add((row.Seq, row.RecordKey, error!));
            }
            else
            {
                candidates.Add((row.Seq, row.RecordKey, interaction));
            }
        }

        return await store.RegisterAsync(process, candidates, failures, cancellationToken);
    }

    public async Task<StoredFile?> WriteErrorReportAsync(BulkProcess process, CancellationToken cancellationToken) =>
        await store.WriteErrorWorkbookAsync(process, BulkProcessStarter.ReadParameters<InteractionImportParameters>(process).Headers, cancellationToken);

    public Task CleanUpAsync(BulkProcess process, CancellationToken cancellationToken) => store.DeleteStagedAsync(process.Id, cancellationToken);

    private static (Interaction? Interaction, string? Error) ToInteraction(
        Guid tenantId, ParsedImportRow row, IReadOnlyDictionary<(Domain.Receivables.DocumentType, string), ClientRef> clients,
        IReadOnlyDictionary<string, AdvisorRef> advisors, DateTimeOffset now)
    {
        if (!clients.TryGetValue((row.DocumentType, row.DocumentNumber), out var client))
        {
            return (null, $"No client with document {row.RecordKey} in this account.");
        }

        AdvisorRef? advisor = null;
        if (row.AdvisorEmail is not null && !advisors.TryGetValue(row.AdvisorEmail, out advisor))
        {
            return (null, $"No user with e-mail {row.AdvisorEmail} to be the advisor.");
        }

        var details = new InteractionDetails(
            tenantId, client.Id, row.DocumentType.ToString(), row.DocumentNumber, client.Name, row.Direction, row.Channel, row.Recipients,
            row.Campaign, row.Template, row.Portfolio, advisor?.Id, advisor?.Name, row.Message, row.ErrorMessage);
        try
        {
            var scheduled = row.Status == InteractionStatus.Scheduled;
            return (Interaction.Register(details, row.Status, scheduled ? row.SentAt : null, scheduled ? null : row.SentAt, InteractionSource.Imported, now), null);
        }
        catch (Exception ex) when (ex is DomainValidationException or BusinessRuleValidationException)
        {
            return (null, ex.Message);
        }
    }
}
