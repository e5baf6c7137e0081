using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Crm.Conversations.MassCloseConversations;

/// <summary>The mass close file (seed 004, "Cierre Masivo"): one column, the channel's <c>ConversationId</c>.</summary>
public static class MassCloseColumns
{
    public const string ConversationId = "ConversationId";

    public const int MaxLength = 100;

    public static readonly IReadOnlyList<ImportColumn> All =
    [
        new(ConversationId, "ConversationId", "ConversationId", true, "The conversation's id on its digital channel, as the conversations list shows it.", "El id de la conversación en su canal digital, como lo muestra la lista de conversaciones.", null, "wa-20261015-0001"),
    ];
}

/// <summary>A conversation a mass close names, by its channel id.</summary>
public sealed record ConversationToClose(string ConversationId);

/// <summary>The subcategory (resolution) every conversation of one mass close is closed with.</summary>
public sealed record MassCloseSettings(Guid SubcategoryId);

/// <summary>
/// Closing conversations from a file, as the upload pipeline sees it: a single <c>ConversationId</c> column (any other
/// header row is refused), and a parser that only checks the ids' shape. Which ids are the tenant's and still open is
/// its registrar's to find, in the same statement that closes them.
/// </summary>
public sealed class ConversationsMassClose : IImportDefinition<ConversationToClose>
{
    public ProcessType ProcessType => ProcessType.CrmConversationsMassClose;

    public bool HeadersMustMatchExactly => true;

    public ValueTask<IReadOnlyList<ImportColumn>> ColumnsAsync(ImportSettings settings, CancellationToken cancellationToken) =>
        ValueTask.FromResult(MassCloseColumns.All);

    public string Label(string fileName) => $"Mass close of conversations: {fileName}";

    public Task<IImportRowParser<ConversationToClose>> CreateParserAsync(ImportParserContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IImportRowParser<ConversationToClose>>(new Parser(context.Upload.Columns[MassCloseColumns.ConversationId]));

    private sealed class Parser(int position) : IImportRowParser<ConversationToClose>
    {
        public Task<IReadOnlyList<ImportRowResult<ConversationToClose>>> ParseAsync(IReadOnlyList<SpreadsheetRow> rows, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ImportRowResult<ConversationToClose>>>(rows.Select(row =>
            {
                var id = position < row.Cells.Count ? row.Cells[position]?.Trim() : null;
                return id switch
                {
                    null or "" => ImportRowResult<ConversationToClose>.Invalid($"Row {row.RowNumber}", "Missing required value: ConversationId."),
                    { Length: > MassCloseColumns.MaxLength } => ImportRowResult<ConversationToClose>.Invalid(
                        id[..MassCloseColumns.MaxLength], $"'ConversationId' is longer than {MassCloseColumns.MaxLength} characters; no conversation has such an id."),
                    _ => ImportRowResult<ConversationToClose>.Valid(id, new ConversationToClose(id)),
                };
            }).ToList());
    }
}
