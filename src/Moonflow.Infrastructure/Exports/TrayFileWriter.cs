using System.Runtime.CompilerServices;
using System.Text;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Common.Trays;
using Moonflow.Infrastructure.Persistence;
using Moonflow.Infrastructure.Spreadsheets;
using Npgsql;

namespace Moonflow.Infrastructure.Exports;

/// <summary>
/// Writes downloads with SQL translated from the tray's definition (<see cref="TraySql"/>). A csv file is PostgreSQL's
/// own <c>COPY … TO STDOUT (FORMAT csv)</c> of columns it formats itself (local times, API names, neutralised text),
/// passed through with CRLF record ends: the fastest way rows can leave the database. An xlsx file reads typed columns with a
/// plain data reader into the streaming workbook writer. Either way the rows stream; nothing holds more than a buffer.
/// </summary>
internal sealed class TrayFileWriter(NpgsqlDataSource dataSource, IEnumerable<TrayDefinition> trays, MoonflowDbContext db, ISpreadsheetWriter workbooks)
    : ITrayFileWriter
{
    /// <summary>A large download legitimately reads for minutes; a stuck connection should still end.</summary>
    private const int ReadTimeoutSeconds = 600;

    private static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    /// <summary>How many rows pass between two progress reports.</summary>
    private const int ReportEveryRows = 5000;

    public async Task<long> WriteAsync(Stream output, TrayFile file, IProgress<long>? rowsWritten, CancellationToken cancellationToken)
    {
        var tray = trays.FirstOrDefault(t => t.Tray == file.Tray) ?? throw new InvalidOperationException($"The {file.Tray} tray has no definition.");
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return file.Format == SpreadsheetFormat.Csv
            ? await WriteCsvAsync(connection, output, tray, file, rowsWritten, cancellationToken)
            : await WriteXlsxAsync(connection, output, tray, file, rowsWritten, cancellationToken);
    }

    private async Task<long> WriteCsvAsync(
        NpgsqlConnection connection, Stream output, TrayDefinition tray, TrayFile file, IProgress<long>? rowsWritten, CancellationToken cancellationToken)
    {
        var neutralized = new List<bool>(file.Columns.Count);
        var select = TraySql.Select(db.Model, tray, file, SqlValues.Literals(), (column, sql) =>
        {
            neutralized.Add(column.Kind == CellKind.Text && !sql.FixedValues);
            return CsvText(column, sql);
        });
        await using var writer = new StreamWriter(output, Utf8WithBom, bufferSize: 1 << 16, leaveOpen: true);
        await writer.WriteAsync(CsvRowWriter.Record(file.Columns.Select(c => c.Label(file.Language))));
        var records = new CsvPassThrough(writer, neutralized);

        // Dates and times leave the database as plain text casts (cheaper than to_char), which follow DateStyle.
        await using (var style = new NpgsqlCommand("SET DateStyle TO 'ISO, YMD'", connection))
        {
            await style.ExecuteNonQueryAsync(cancellationToken);
        }

        using (var copy = await connection.BeginTextExportAsync($"COPY ({select}) TO STDOUT (FORMAT csv)", cancellationToken))
        {
            copy.Timeout = ReadTimeoutSeconds * 1000;
            var buffer = new char[1 << 16];
            int read;
            while ((read = await copy.ReadAsync(buffer.AsMemory(), cancellationToken)) > 0)
            {
                records.Write(buffer.AsSpan(0, read));
                rowsWritten?.Report(records.Count);
            }
        }

        await writer.FlushAsync(cancellationToken);
        return records.Count;
    }

    private async Task<long> WriteXlsxAsync(
        NpgsqlConnection connection, Stream output, TrayDefinition tray, TrayFile file, IProgress<long>? rowsWritten, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand { Connection = connection, CommandTimeout = ReadTimeoutSeconds };
        command.CommandText = TraySql.Select(db.Model, tray, file, SqlValues.ParametersOf(command), Typed);
        var columns = file.Columns.Select(c => new SpreadsheetColumn(c.Label(file.Language), c.Kind, c.Width)).ToList();
        return await workbooks.WriteAsync(output, SpreadsheetFormat.Xlsx, file.Tray, columns, RowsAsync(command, file.Columns, rowsWritten, cancellationToken), cancellationToken);
    }

    /// <summary>Each kind as the reader below expects it. Times are cut to the second, as the csv and the cell format show them.</summary>
    private static string Typed(TrayColumn column, TraySqlColumn sql) => column.Kind switch
    {
        CellKind.Integer => $"({sql.Sql})::bigint",
        CellKind.Decimal or CellKind.Money => $"({sql.Sql})::numeric",
        CellKind.Date => $"({sql.Sql})::date",
        CellKind.DateTime => $"date_trunc('second', ({sql.Sql})::timestamp)",
        _ => $"({sql.Sql})::text",
    };

    /// <summary>
    /// Each kind as the csv shows it, the same text CsvRowWriter gives: invariant numbers, money with two decimals at
    /// least, ISO dates and times to the second. Text that starts like a formula is neutralised on its way out (see
    /// <see cref="CsvPassThrough"/>), so the database has less to do while the file is written.
    /// </summary>
    private static string CsvText(TrayColumn column, TraySqlColumn sql) => column.Kind switch
    {
        CellKind.Integer or CellKind.Decimal => $"({sql.Sql})::text",
        CellKind.Money => $"CASE WHEN scale({sql.Sql}) < 2 THEN round({sql.Sql}, 2)::text ELSE ({sql.Sql})::text END",
        CellKind.Date => $"({sql.Sql})::date::text",
        CellKind.DateTime => $"date_trunc('second', ({sql.Sql})::timestamp)::text",
        _ => $"({sql.Sql})::text",
    };

    private static async IAsyncEnumerable<object?[]> RowsAsync(
        NpgsqlCommand command, IReadOnlyList<TrayColumn> columns, IProgress<long>? rowsWritten, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Rows are small: reading each one whole lets the cells below come from memory, without a wait per cell.
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long read = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (++read % ReportEveryRows == 0)
            {
                // The rows before this one are in the workbook writer's hands by now.
                rowsWritten?.Report(read - 1);
            }

            var row = new object?[columns.Count];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : columns[i].Kind switch
                {
                    CellKind.Integer => reader.GetInt64(i),
                    CellKind.Decimal or CellKind.Money => reader.GetDecimal(i),
                    CellKind.Date => reader.GetFieldValue<DateOnly>(i),
                    CellKind.DateTime => reader.GetDateTime(i),
                    _ => reader.GetString(i),
                };
            }

            yield return row;
        }
    }
}

/// <summary>
/// Passes PostgreSQL's csv through on its way to the file. COPY ends records with LF; RFC 4180 (and Excel) want CRLF, so
/// record ends become CRLF (line breaks inside quoted fields are data and stay). A text field that starts like a formula
/// (=, +, -, @, tab, CR) gets a <c>'</c> in front, inside its quotes where it has them, exactly as if the value itself had
/// begun with one. Counts the records as it goes.
/// </summary>
internal sealed class CsvPassThrough(TextWriter output, IReadOnlyList<bool> neutralized)
{
    private bool _quoted;
    private bool _fieldStart = true;
    private bool _quotedStart;
    private int _field;

    public long Count { get; private set; }

    public void Write(ReadOnlySpan<char> chunk)
    {
        var from = 0;
        var i = 0;
        while (i < chunk.Length)
        {
            if (_fieldStart || _quotedStart)
            {
                var first = chunk[i];
                if (_fieldStart && first == '"')
                {
                    (_fieldStart, _quotedStart, _quoted) = (false, true, true);
                    i++;
                    continue;
                }

                if (first is '=' or '+' or '-' or '@' or '\t' or '\r' && _field < neutralized.Count && neutralized[_field])
                {
                    output.Write(chunk[from..i]);
                    output.Write('\'');
                    from = i;
                }

                _fieldStart = _quotedStart = false;
            }

            var next = _quoted ? chunk[i..].IndexOf('"') : chunk[i..].IndexOfAny('"', ',', '\n');
            if (next < 0)
            {
                break;
            }

            i += next;
            switch (chunk[i])
            {
                case '"':
                    // Opening, closing, or one of an escaped pair ("").
                    _quoted = !_quoted;
                    break;
                case ',':
                    _field++;
                    _fieldStart = true;
                    break;
                default:
                    output.Write(chunk[from..i]);
                    output.Write("\r\n");
                    from = i + 1;
                    Count++;
                    _field = 0;
                    _fieldStart = true;
                    break;
            }

            i++;
        }

        output.Write(chunk[from..]);
    }
}
