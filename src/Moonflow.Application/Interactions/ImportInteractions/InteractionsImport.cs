using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Common.Time;
using Moonflow.Application.Identity.Users;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Application.Receivables.Clients;
using Moonflow.Domain.Common;
using Moonflow.Domain.Interactions;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Interactions.ImportInteractions;

/// <summary>
/// The bulk communications upload as the upload pipeline sees it: its columns, and a parser that turns rows into the
/// interactions to register (its registrar, in Infrastructure, inserts them).
/// </summary>
public sealed class InteractionsImport(TenantCalendar calendar, IClientDirectory clients, IUserDirectory users, TimeProvider clock)
    : IImportDefinition<Interaction>
{
    public ProcessType ProcessType => ProcessType.InteractionsImport;

    public ValueTask<IReadOnlyList<ImportColumn>> ColumnsAsync(ImportSettings settings, CancellationToken cancellationToken) =>
        ValueTask.FromResult(InteractionImportColumns.All);

    public string Label(string fileName) => $"Bulk communications upload: {fileName}";

    public async Task<IImportRowParser<Interaction>> CreateParserAsync(ImportParserContext context, CancellationToken cancellationToken) =>
        new Parser(context.Process.TenantId, context.Upload.Columns, await calendar.ZoneAsync(cancellationToken), clients, users, clock);

    /// <summary>
    /// Parses a chunk's cells, then looks up its clients (by document) and advisors (by e-mail) in one call each, and
    /// builds the interactions. A row naming a client or advisor the account does not have fails with that reason.
    /// </summary>
    private sealed class Parser(
        Guid tenantId, IReadOnlyDictionary<string, int> columns, TimeZoneInfo zone, IClientDirectory clients, IUserDirectory users, TimeProvider clock)
        : IImportRowParser<Interaction>
    {
        public async Task<IReadOnlyList<ImportRowResult<Interaction>>> ParseAsync(IReadOnlyList<SpreadsheetRow> rows, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow();
            var cells = new InteractionImportRowParser(columns, zone, now);
            var parsed = new (InteractionImportRow? Row, string? Error)[rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                parsed[i] = cells.Parse(rows[i].RowNumber, rows[i].Cells);
            }

            var valid = parsed.Where(p => p.Row is not null).Select(p => p.Row!).ToList();
            var foundClients = await clients.FindByDocumentsAsync(
                tenantId, valid.Select(r => new ClientDocument(r.DocumentType, r.DocumentNumber)).ToHashSet(), cancellationToken);
            var foundAdvisors = await users.FindByEmailsAsync(
                tenantId, valid.Where(r => r.AdvisorEmail is not null).Select(r => r.AdvisorEmail!).ToHashSet(), cancellationToken);

            var results = new ImportRowResult<Interaction>[rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                results[i] = parsed[i] is { Row: { } row }
                    ? ToInteraction(row, foundClients, foundAdvisors, now)
                    : ImportRowResult<Interaction>.Invalid($"Row {rows[i].RowNumber}", parsed[i].Error!);
            }

            return results;
        }

        private ImportRowResult<Interaction> ToInteraction(
            InteractionImportRow row, IReadOnlyDictionary<ClientDocument, ClientReference> foundClients,
            IReadOnlyDictionary<string, UserReference> foundAdvisors, DateTimeOffset now)
        {
            if (!foundClients.TryGetValue(new ClientDocument(row.DocumentType, row.DocumentNumber), out var client))
            {
                return ImportRowResult<Interaction>.Invalid(row.RecordKey, $"No client with document {row.RecordKey} in this account.");
            }

            UserReference? advisor = null;
            if (row.AdvisorEmail is not null && !foundAdvisors.TryGetValue(row.AdvisorEmail, out advisor))
            {
                return ImportRowResult<Interaction>.Invalid(row.RecordKey, $"No user with e-mail {row.AdvisorEmail} to be the advisor.");
            }

            var details = new InteractionDetails(
                tenantId, client.Id, row.DocumentType.ToString(), row.DocumentNumber, client.Name, row.Direction, row.Channel, row.Recipients,
                row.Campaign, row.Template, row.Portfolio, advisor?.Id, advisor?.DisplayName, row.Message, row.ErrorMessage);
            try
            {
                var scheduled = row.Status == InteractionStatus.Scheduled;
                var interaction = Interaction.Register(
                    details, row.Status, scheduled ? row.SentAt : null, scheduled ? null : row.SentAt, InteractionSource.Imported, now);
                return ImportRowResult<Interaction>.Valid(row.RecordKey, interaction);
            }
            catch (Exception ex) when (ex is DomainValidationException or BusinessRuleValidationException)
            {
                return ImportRowResult<Interaction>.Invalid(row.RecordKey, ex.Message);
            }
        }
    }
}
