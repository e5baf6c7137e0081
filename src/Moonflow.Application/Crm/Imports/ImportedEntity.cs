using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Crm;

namespace Moonflow.Application.Crm.Imports;

/// <summary>
/// The entity an import writes records of, as it was when the upload was accepted: its fields make the format's columns,
/// check the header row and read every row, so a run reads the file by the fields it was checked against.
/// </summary>
public sealed record ImportedEntity(Guid Id, string Name, IReadOnlyList<EntityField> Fields)
{
    public const string EntityIdField = "entityId";

    /// <summary>The account's entity; another tenant's, or none, is a 404.</summary>
    public static async Task<ImportedEntity> LoadAsync(IReadStore store, Guid id, CancellationToken cancellationToken) =>
        await store.FirstOrDefaultAsync(
            store.Query<CrmEntity>().Where(e => e.Id == id).Select(e => new ImportedEntity(e.Id, e.Name, e.Fields)), cancellationToken)
        ?? throw new NotFoundException("Entity", id);

    /// <summary>One column per field, in the entity's order, headed by the field's label (its key is read too).</summary>
    public IReadOnlyList<ImportColumn> Columns() => Fields.Select(Column).ToList();

    /// <summary>A row's values, read by the fields (<see cref="EntityValues"/>: the same reading as a record created one by one).</summary>
    public (string? Json, string? Error) Read(ImportRowCells cells, IReadOnlyList<string?> row) =>
        EntityValues.Read(Fields, field => cells.Get(row, field.Key));

    /// <summary>What names a row in the process items: its first field's value, else its row number.</summary>
    public string RecordKey(ImportRowCells cells, IReadOnlyList<string?> row, long rowNumber) =>
        Fields.Count > 0 && cells.Get(row, Fields[0].Key) is { } first ? Truncate($"{Fields[0].Label}: {first}") : $"Row {rowNumber}";

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..199] + "…";

    private static ImportColumn Column(EntityField field)
    {
        var (en, es, example) = field.Type switch
        {
            EntityFieldType.Number => ("A number, with a point for decimals.", "Un número, con punto para los decimales.", "1234.56"),
            EntityFieldType.Date => ("A date as yyyy-MM-dd (or a date cell).", "Una fecha como aaaa-mm-dd (o una celda de fecha).", "2026-01-31"),
            EntityFieldType.Boolean => ("Sí or No.", "Sí o No.", "Sí"),
            EntityFieldType.List => ("One of the values of the list.", "Uno de los valores de la lista.", field.Options![0]),
            _ => ($"Text of at most {EntityField.MaxTextLength} characters.", $"Texto de hasta {EntityField.MaxTextLength} caracteres.", string.Empty),
        };
        var allowed = field.Type switch
        {
            EntityFieldType.List => field.Options,
            EntityFieldType.Boolean => ContactFields.YesNoValues,
            _ => null,
        };
        return new ImportColumn(field.Key, field.Label, field.Label, field.Required, $"{field.Label}: {en}", $"{field.Label}: {es}", allowed, example);
    }
}
