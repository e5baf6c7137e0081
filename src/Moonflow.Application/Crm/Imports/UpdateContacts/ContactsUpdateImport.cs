using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Crm.Imports.UpdateContacts;

/// <summary>
/// One row of an update, read: its key values (all given, in the order of the chosen keys) and the new values of the
/// chosen fields (null where the cell is empty: that field stays as it is), written as the database compares them.
/// </summary>
public sealed record ContactUpdateRow(string[] Keys, string?[] Values);

/// <summary>
/// The update by chosen keys as the upload pipeline sees it: columns from the choices (exactly those, in the header row),
/// and a parser that checks each value against its field. Matching and updating are the registrar's, set-based.
/// </summary>
public sealed class ContactsUpdateImport : IImportDefinition<ContactUpdateRow>
{
    public static readonly Localized FormatNote = new(
        "Cada fila actualiza el contacto que identifican sus columnas clave (todas obligatorias); las demás columnas son los campos a actualizar, y una celda vacía deja el campo como está. Los encabezados deben ser exactamente los elegidos: sube el archivo con las mismas claves y campos con que lo descargaste. Una fila que no coincide con ningún contacto, o con varios, falla indicando el motivo; una fila que no cambia nada se omite. Cada contacto actualizado guarda en el registro del proceso sus valores anteriores.",
        "Each row updates the contact its key columns identify (all required); the other columns are the fields to update, and an empty cell leaves the field as it is. The headers must be exactly the ones chosen: upload the file with the same keys and fields it was downloaded with. A row matching no contact, or several, fails with the reason; a row that changes nothing is skipped. Each updated contact keeps its previous values in the process log.");

    public ProcessType ProcessType => ProcessType.CrmContactsUpdate;

    public bool HeadersMustMatchExactly => true;

    public ValueTask<IReadOnlyList<ImportColumn>> ColumnsAsync(ImportSettings settings, CancellationToken cancellationToken) =>
        ValueTask.FromResult(settings.Read<ContactsUpdateSettings>().Columns());

    public string Label(string fileName) => $"Contacts update by key fields: {fileName}";

    public Task<IImportRowParser<ContactUpdateRow>> CreateParserAsync(ImportParserContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IImportRowParser<ContactUpdateRow>>(new Parser(context.Upload.ReadSettings().Read<ContactsUpdateSettings>(), context.Upload.Columns));

    private sealed class Parser(ContactsUpdateSettings settings, IReadOnlyDictionary<string, int> columns) : IImportRowParser<ContactUpdateRow>
    {
        private readonly IReadOnlyList<ContactField> _keys = settings.KeyFields();
        private readonly IReadOnlyList<ContactField> _fields = settings.UpdatedFields();
        private readonly ImportRowCells _cells = new(columns);

        public Task<IReadOnlyList<ImportRowResult<ContactUpdateRow>>> ParseAsync(IReadOnlyList<SpreadsheetRow> rows, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ImportRowResult<ContactUpdateRow>>>(rows.Select(Parse).ToList());

        private ImportRowResult<ContactUpdateRow> Parse(SpreadsheetRow row)
        {
            var keys = _keys.Select(k => _cells.Get(row.Cells, k.Key)).ToArray();
            var recordKey = string.Join(" · ", _keys.Select((k, i) => $"{k.Key}={keys[i]}"));
            var missing = _keys.Where((_, i) => keys[i] is null).Select(k => k.Column.HeaderEs).ToList();
            if (missing.Count > 0)
            {
                return ImportRowResult<ContactUpdateRow>.Invalid(recordKey, $"Missing key value(s): {string.Join(", ", missing)}; every key column identifies the contact.");
            }

            var keyValues = new string[keys.Length];
            for (var i = 0; i < keys.Length; i++)
            {
                var (value, error) = _keys[i].Read(keys[i]!, asKey: true);
                if (error is not null)
                {
                    return ImportRowResult<ContactUpdateRow>.Invalid(recordKey, error);
                }

                keyValues[i] = value!;
            }

            var values = new string?[_fields.Count];
            for (var i = 0; i < _fields.Count; i++)
            {
                if (_cells.Get(row.Cells, _fields[i].Key) is not { } text)
                {
                    continue;
                }

                var (value, error) = _fields[i].Read(text, asKey: false);
                if (error is not null)
                {
                    return ImportRowResult<ContactUpdateRow>.Invalid(recordKey, error);
                }

                values[i] = value;
            }

            return ImportRowResult<ContactUpdateRow>.Valid(recordKey, new ContactUpdateRow(keyValues, values));
        }
    }
}
