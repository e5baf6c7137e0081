using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Crm.Screens.ImportScreens;

/// <summary>The screens workbook: one row per script, naming the screen and sub-screen it belongs to.</summary>
public static class ScreenImportColumns
{
    public const string Screen = "Screen";
    public const string SubScreen = "SubScreen";
    public const string ScriptName = "ScriptName";
    public const string ScriptText = "ScriptText";

    public const int MaxNameLength = 200;

    public static readonly IReadOnlyList<ImportColumn> All =
    [
        new(Screen, "Screen", "Pantalla", true, "Name of the agent's screen; created if the account does not have it.", "Nombre de la pantalla del agente; se crea si la cuenta no la tiene.", null, "Cobranza"),
        new(SubScreen, "SubScreen", "Sub-pantalla", true, "Sub-screen of that screen; created (after the existing ones) if the screen does not have it.", "Sub-pantalla de esa pantalla; se crea (después de las existentes) si la pantalla no la tiene.", null, "Saludo"),
        new(ScriptName, "ScriptName", "Nombre del script", true, "The script's name within the sub-screen: a script of that name has its text replaced, otherwise a new one is added.", "Nombre del script dentro de la sub-pantalla: si ya existe uno con ese nombre se reemplaza su texto; si no, se agrega.", null, "Apertura"),
        new(ScriptText, "ScriptText", "Texto del script", true, $"What the agent reads, with the data objects it uses (lblEtiqueta1, …); up to {Script.MaxTextLength:N0} characters, several lines allowed.", $"Lo que lee el agente, con los datos que usa (lblEtiqueta1, …); hasta {Script.MaxTextLength:N0} caracteres, puede tener varias líneas.", null, "Buenos días {lblEtiqueta1}, le habla {lblAgente}."),
    ];
}

/// <summary>One row of a screens workbook: a script and where it goes.</summary>
public sealed record ScreenScriptRow(string Screen, string SubScreen, string ScriptName, string Text)
{
    public string RecordKey => $"{Screen} › {SubScreen} › {ScriptName}";
}

/// <summary>
/// Bringing a tenant's screens in bulk (issue "script object usage"): every row creates or updates a script by screen,
/// sub-screen and script name; missing screens and sub-screens are created on the way. Its registrar, in
/// Infrastructure, does it set-based per chunk.
/// </summary>
public sealed class ScreensImport : IImportDefinition<ScreenScriptRow>
{
    public ProcessType ProcessType => ProcessType.CrmScreensImport;

    public ValueTask<IReadOnlyList<ImportColumn>> ColumnsAsync(ImportSettings settings, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ScreenImportColumns.All);

    public string Label(string fileName) => $"Screens import: {fileName}";

    public Task<IImportRowParser<ScreenScriptRow>> CreateParserAsync(ImportParserContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IImportRowParser<ScreenScriptRow>>(new Parser(context.Upload.Columns));

    private sealed class Parser(IReadOnlyDictionary<string, int> columns) : IImportRowParser<ScreenScriptRow>
    {
        private readonly int _screen = columns[ScreenImportColumns.Screen];
        private readonly int _subScreen = columns[ScreenImportColumns.SubScreen];
        private readonly int _scriptName = columns[ScreenImportColumns.ScriptName];
        private readonly int _scriptText = columns[ScreenImportColumns.ScriptText];

        public Task<IReadOnlyList<ImportRowResult<ScreenScriptRow>>> ParseAsync(IReadOnlyList<SpreadsheetRow> rows, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ImportRowResult<ScreenScriptRow>>>(rows.Select(Parse).ToList());

        private ImportRowResult<ScreenScriptRow> Parse(SpreadsheetRow row)
        {
            string? Cell(int position) =>
                position < row.Cells.Count && row.Cells[position] is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;

            var (screen, subScreen, name, text) = (Cell(_screen)?.Trim(), Cell(_subScreen)?.Trim(), Cell(_scriptName)?.Trim(), Cell(_scriptText));
            var recordKey = $"{screen} › {subScreen} › {name}";
            if (screen is null || subScreen is null || name is null || text is null)
            {
                var missing = ScreenImportColumns.All.Where(c => Cell(columns[c.Key]) is null).Select(c => c.HeaderEs);
                return ImportRowResult<ScreenScriptRow>.Invalid(recordKey, $"Missing required value(s): {string.Join(", ", missing)}.");
            }

            var tooLong = TooLong(screen, ScreenImportColumns.MaxNameLength, "Pantalla") ?? TooLong(subScreen, ScreenImportColumns.MaxNameLength, "Sub-pantalla")
                ?? TooLong(name, ScreenImportColumns.MaxNameLength, "Nombre del script") ?? TooLong(text, Script.MaxTextLength, "Texto del script");
            if (tooLong is not null)
            {
                return ImportRowResult<ScreenScriptRow>.Invalid(recordKey, tooLong);
            }

            var script = new ScreenScriptRow(screen, subScreen, name, text);
            return ImportRowResult<ScreenScriptRow>.Valid(script.RecordKey, script);
        }

        private static string? TooLong(string value, int max, string header) =>
            value.Length > max ? $"'{header}' is longer than {max:N0} characters." : null;
    }
}
