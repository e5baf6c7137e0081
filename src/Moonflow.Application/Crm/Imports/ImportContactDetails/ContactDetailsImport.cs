using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Common;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Crm.Imports.ImportContactDetails;

/// <summary>One row of a details import, read: the key value (as the database compares it) and the details as the record stores them.</summary>
public sealed record ContactDetailRow(string Key, string Values);

/// <summary>
/// The lot whose contacts the rows are matched in, the contact field that matches them (<see cref="ContactFields.FindDetailsKey"/>)
/// and the entity whose record holds each contact's details, with its fields as they were when the upload was accepted.
/// </summary>
public sealed record ContactDetailsImportSettings(Guid LotId, string Key, ImportedEntity Entity)
{
    public const string LotIdField = "lotId";
    public const string KeyField = "key";

    public ContactField KeyContactField() => ContactFields.FindDetailsKey(Key, KeyField);

    /// <summary>The format's columns: the key (every row needs it), then the entity's fields.</summary>
    public IReadOnlyList<ImportColumn> Columns() => [KeyContactField().AsRequiredColumn(), .. Entity.Columns()];

    /// <summary>
    /// The choice checked: a key the import takes, and an entity none of whose fields is named like the key column (the
    /// header row could not tell them apart).
    /// </summary>
    public static ContactDetailsImportSettings Choose(Guid lotId, string key, ImportedEntity entity)
    {
        var keyField = ContactFields.FindDetailsKey(key, KeyField);
        var names = new[] { keyField.Column.Key, keyField.Column.HeaderEs, keyField.Column.HeaderEn }.Select(ImportText.Normalize).ToHashSet();
        var clash = entity.Fields.FirstOrDefault(f => names.Contains(ImportText.Normalize(f.Key)) || names.Contains(ImportText.Normalize(f.Label)));
        if (clash is not null)
        {
            throw new DomainValidationException(
                ImportedEntity.EntityIdField, $"The entity's field '{clash.Label}' is named like the key column '{keyField.Column.HeaderEs}'; choose another key.");
        }

        return new ContactDetailsImportSettings(lotId, keyField.Key, entity);
    }
}

/// <summary>
/// The details import (seed 004, "Importación de archivos → Detalles") as the upload pipeline sees it. A contact's details are
/// a record of the chosen entity linked to the contact (<c>crm.entity_records.contact_id</c>), one per contact and entity:
/// the row's key finds the contact in the lot, and its values create that record or replace the one it has. The header row
/// is exactly the key column and the entity's fields; matching and writing are the registrar's, set-based.
/// </summary>
public sealed class ContactDetailsImport : IImportDefinition<ContactDetailRow>
{
    public static readonly Localized FormatNote = new(
        "Cada fila da los detalles de un contacto del lote elegido al subir el archivo: la primera columna es la clave con que se busca al contacto (la misma elegida al descargar este formato) y las demás son los campos de la entidad. Si el contacto aún no tiene detalles de esta entidad se crean; si ya los tiene, se reemplazan por los del archivo. Una fila cuya clave no coincide con ningún contacto del lote, o con varios, falla indicando el motivo. Con dryRun=true se revisa cada fila sin guardar nada.",
        "Each row gives the details of a contact of the lot chosen when uploading: the first column is the key the contact is found by (the one chosen when downloading this format) and the others are the entity's fields. If the contact has no details of this entity yet they are created; if it has, they are replaced by the file's. A row whose key matches no contact of the lot, or several, fails with the reason. With dryRun=true every row is checked and nothing is saved.");

    public ProcessType ProcessType => ProcessType.CrmContactDetailsImport;

    public bool HeadersMustMatchExactly => true;

    public static ImportTemplate Format(ContactDetailsImportSettings settings) =>
        new(settings.Columns(), new Localized("Detalles", "Details"), FormatNote);

    public ValueTask<IReadOnlyList<ImportColumn>> ColumnsAsync(ImportSettings settings, CancellationToken cancellationToken) =>
        ValueTask.FromResult(settings.Read<ContactDetailsImportSettings>().Columns());

    public string Label(string fileName) => $"Contact details import: {fileName}";

    public Task<IImportRowParser<ContactDetailRow>> CreateParserAsync(ImportParserContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IImportRowParser<ContactDetailRow>>(
            new Parser(context.Upload.ReadSettings().Read<ContactDetailsImportSettings>(), new ImportRowCells(context.Upload.Columns)));

    private sealed class Parser(ContactDetailsImportSettings settings, ImportRowCells cells) : IImportRowParser<ContactDetailRow>
    {
        private readonly ContactField _key = settings.KeyContactField();

        public Task<IReadOnlyList<ImportRowResult<ContactDetailRow>>> ParseAsync(IReadOnlyList<SpreadsheetRow> rows, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ImportRowResult<ContactDetailRow>>>(rows.Select(Parse).ToList());

        private ImportRowResult<ContactDetailRow> Parse(SpreadsheetRow row)
        {
            var text = cells.Get(row.Cells, _key.Key);
            var recordKey = $"{_key.Key}={text}";
            if (text is null)
            {
                return ImportRowResult<ContactDetailRow>.Invalid(recordKey, $"Missing the key value ('{_key.Column.HeaderEs}'): it finds the contact.");
            }

            var (key, keyError) = _key.Read(text, asKey: true);
            if (keyError is not null)
            {
                return ImportRowResult<ContactDetailRow>.Invalid(recordKey, keyError);
            }

            var (json, error) = settings.Entity.Read(cells, row.Cells);
            return error is null
                ? ImportRowResult<ContactDetailRow>.Valid(recordKey, new ContactDetailRow(key!, json!))
                : ImportRowResult<ContactDetailRow>.Invalid(recordKey, error);
        }
    }
}
