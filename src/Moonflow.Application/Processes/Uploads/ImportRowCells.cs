namespace Moonflow.Application.Processes.Uploads;

/// <summary>A row's cells by column key, through the header positions an upload's parameters keep; blank cells read as null.</summary>
public sealed class ImportRowCells(IReadOnlyDictionary<string, int> columns)
{
    public string? Get(IReadOnlyList<string?> cells, string key) =>
        columns.TryGetValue(key, out var position) && position < cells.Count && cells[position] is { } value && !string.IsNullOrWhiteSpace(value)
            ? value.Trim()
            : null;
}
