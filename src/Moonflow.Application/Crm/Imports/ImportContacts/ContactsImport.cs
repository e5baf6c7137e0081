using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Common;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Crm.Imports.ImportContacts;

/// <summary>
/// The contacts load as the upload pipeline sees it: its columns (the standard contact fields plus tags) and a parser
/// that builds each row's contact through <see cref="Contact.Create"/>, so a row breaks the same rules a contact created
/// one by one would. Its registrar (Infrastructure) inserts or updates them by document, set-based.
/// </summary>
public sealed class ContactsImport(TimeProvider clock) : IImportDefinition<Contact>
{
    public static readonly IReadOnlyList<ImportColumn> Columns =
    [
        // A row may come without a document (both cells empty): it is then told apart by its lot and phone.
        ContactFields.DocumentType.Column with { Required = false }, ContactFields.DocumentNumber.Column with { Required = false },
        ContactFields.Name.Column, ContactFields.Phones.Column,
        ContactFields.Email.Column, ContactFields.Tags, ContactFields.DoNotCall.Column,
    ];

    public static readonly ImportTemplate Format = new(
        Columns,
        new Localized("Contactos", "Contacts"),
        new Localized(
            "Cada fila es un contacto del lote elegido al subir el archivo, identificado por su tipo y número de documento. Si el documento ya existe en la cuenta, el contacto pasa al lote con los datos del archivo (los teléfonos y el correo vacíos no borran los que tiene; las etiquetas se suman). Una fila sin documento (tipo y número vacíos) necesita un teléfono: si un contacto del lote ya tiene uno de sus teléfonos, es un duplicado. Subir el mismo archivo al mismo lote no crea duplicados. Con dryRun=true se revisa cada fila sin guardar nada.",
            "Each row is a contact of the lot chosen when uploading, identified by its document type and number. If the document already exists in the account, the contact moves to the lot with the file's data (empty phones and e-mail keep the ones it has; tags are added). A row without a document (type and number empty) needs a phone: if a contact of the lot already has one of its phones, it is a duplicate. Uploading the same file into the same lot creates no duplicates. With dryRun=true every row is checked and nothing is saved."));

    public ProcessType ProcessType => ProcessType.CrmContactsImport;

    public ValueTask<IReadOnlyList<ImportColumn>> ColumnsAsync(ImportSettings settings, CancellationToken cancellationToken) => ValueTask.FromResult(Columns);

    public string Label(string fileName) => $"Contacts load into a lot: {fileName}";

    public Task<IImportRowParser<Contact>> CreateParserAsync(ImportParserContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IImportRowParser<Contact>>(
            new Parser(context.Process.TenantId, context.Upload.ReadSettings().Read<ContactsImportSettings>().LotId, context.Upload.Columns, clock));

    private sealed class Parser(Guid tenantId, Guid lotId, IReadOnlyDictionary<string, int> columns, TimeProvider clock) : IImportRowParser<Contact>
    {
        private readonly ImportRowCells _cells = new(columns);

        public Task<IReadOnlyList<ImportRowResult<Contact>>> ParseAsync(IReadOnlyList<SpreadsheetRow> rows, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow();
            var results = new ImportRowResult<Contact>[rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                results[i] = Parse(rows[i], now);
            }

            return Task.FromResult<IReadOnlyList<ImportRowResult<Contact>>>(results);
        }

        private ImportRowResult<Contact> Parse(SpreadsheetRow row, DateTimeOffset now)
        {
            var cells = row.Cells;
            var (type, number, name) = (_cells.Get(cells, "documentType"), _cells.Get(cells, "documentNumber"), _cells.Get(cells, "name"));
            var phones = ContactFields.SplitList(_cells.Get(cells, "phones"));
            var recordKey = type is not null && number is not null ? $"{type.ToUpperInvariant()} {number}"
                : type is null && number is null && phones.Count > 0 ? $"Row {row.RowNumber} · {phones[0]}"
                : $"Row {row.RowNumber}";
            var missing = Columns.Where(c => c.Required && _cells.Get(cells, c.Key) is null).Select(c => c.HeaderEs).ToList();
            if ((type is null) != (number is null))
            {
                missing.Add(type is null ? ContactFields.DocumentType.Column.HeaderEs : ContactFields.DocumentNumber.Column.HeaderEs);
            }

            if (missing.Count > 0)
            {
                return ImportRowResult<Contact>.Invalid(recordKey, $"Missing required value(s): {string.Join(", ", missing)}.");
            }

            if (type is null && phones.Count == 0)
            {
                return ImportRowResult<Contact>.Invalid(
                    recordKey, "A contact without a document needs a phone: with its lot, it is what tells a repeat apart. Give a document or a phone.");
            }

            if (type is not null && !type.All(char.IsAsciiLetter))
            {
                return ImportRowResult<Contact>.Invalid(recordKey, $"'{type}' is not a document type; use letters such as {string.Join(", ", ContactFields.DocumentTypes)}.");
            }

            var doNotCallText = _cells.Get(cells, "doNotCall");
            if (ContactFields.ParseYesNo(doNotCallText) is not { } doNotCall)
            {
                return ImportRowResult<Contact>.Invalid(recordKey, $"'{doNotCallText}' is not Sí or No in 'No llamar'.");
            }

            try
            {
                var contact = Contact.Create(
                    tenantId, name!, type, number, phones, _cells.Get(cells, "email")?.ToLowerInvariant(), null,
                    ContactFields.SplitList(_cells.Get(cells, "tags")), doNotCall, lotId, now);
                return ImportRowResult<Contact>.Valid(recordKey, contact);
            }
            catch (Exception ex) when (ex is DomainValidationException or BusinessRuleValidationException)
            {
                return ImportRowResult<Contact>.Invalid(recordKey, ex.Message);
            }
        }
    }
}
