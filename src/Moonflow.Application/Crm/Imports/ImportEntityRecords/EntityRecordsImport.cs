using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Crm.Imports.ImportEntityRecords;

/// <summary>One row of an entity records import, read: its values as the record stores them (a JSON object of typed values).</summary>
public sealed record EntityRecordRow(string Values);

/// <summary>The entity whose records an upload creates, with its fields as they were when the upload was accepted.</summary>
public sealed record EntityRecordsImportSettings(ImportedEntity Entity);

/// <summary>
/// The entity records import (seed 004, "Importación de archivos → Entidades") as the upload pipeline sees it: the columns
/// are the entity's fields, exactly (a column that is not a field would be dropped silently, so it is refused), and the
/// parser reads each value by its field's type (<see cref="Domain.Crm.EntityValues"/>). Its registrar inserts the records set-based.
/// </summary>
public sealed class EntityRecordsImport : IImportDefinition<EntityRecordRow>
{
    public static readonly Localized FormatNote = new(
        "Cada fila es un registro nuevo de la entidad. Los encabezados deben ser exactamente los campos de la entidad. Cada valor se revisa según el tipo de su campo: número con punto decimal, fecha aaaa-mm-dd, Sí/No, o uno de los valores de la lista; los campos obligatorios no pueden quedar vacíos. Una fila con un valor que no corresponde falla indicando la columna y el valor. Con dryRun=true se revisa cada fila sin guardar nada.",
        "Each row is a new record of the entity. The headers must be exactly the entity's fields. Every value is checked against its field's type: a number with a decimal point, a date yyyy-MM-dd, Sí/No, or one of the list's values; required fields cannot be empty. A row with a value that does not fit fails naming the column and the value. With dryRun=true every row is checked and nothing is saved.");

    public ProcessType ProcessType => ProcessType.CrmEntityRecordsImport;

    public bool HeadersMustMatchExactly => true;

    public static ImportTemplate Format(ImportedEntity entity) =>
        new(entity.Columns(), new Localized(SheetName(entity.Name), SheetName(entity.Name)), FormatNote);

    public ValueTask<IReadOnlyList<ImportColumn>> ColumnsAsync(ImportSettings settings, CancellationToken cancellationToken) =>
        ValueTask.FromResult(settings.Read<EntityRecordsImportSettings>().Entity.Columns());

    public string Label(string fileName) => $"Entity records import: {fileName}";

    public Task<IImportRowParser<EntityRecordRow>> CreateParserAsync(ImportParserContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IImportRowParser<EntityRecordRow>>(
            new Parser(context.Upload.ReadSettings().Read<EntityRecordsImportSettings>().Entity, new ImportRowCells(context.Upload.Columns)));

    /// <summary>A worksheet's name: at most 31 characters, none of those Excel refuses.</summary>
    internal static string SheetName(string name)
    {
        var clean = new string(name.Select(c => c is ':' or '\\' or '/' or '?' or '*' or '[' or ']' ? ' ' : c).ToArray()).Trim();
        return clean.Length == 0 ? "Datos" : clean.Length <= 31 ? clean : clean[..31];
    }

    private sealed class Parser(ImportedEntity entity, ImportRowCells cells) : IImportRowParser<EntityRecordRow>
    {
        public Task<IReadOnlyList<ImportRowResult<EntityRecordRow>>> ParseAsync(IReadOnlyList<SpreadsheetRow> rows, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ImportRowResult<EntityRecordRow>>>(rows.Select(Parse).ToList());

        private ImportRowResult<EntityRecordRow> Parse(SpreadsheetRow row)
        {
            var recordKey = entity.RecordKey(cells, row.Cells, row.RowNumber);
            var (json, error) = entity.Read(cells, row.Cells);
            return error is null
                ? ImportRowResult<EntityRecordRow>.Valid(recordKey, new EntityRecordRow(json!))
                : ImportRowResult<EntityRecordRow>.Invalid(recordKey, error);
        }
    }
}
