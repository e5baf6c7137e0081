using Moonflow.Application.Processes.Uploads;
using Npgsql;

namespace Moonflow.Infrastructure.Processes.Uploads;

/// <summary>
/// Reads what a set-based registrar's statement answers, one row per uploaded row (<c>seq bigint, failed boolean</c>), into
/// the <see cref="ImportRegistration"/> the pipeline expects: the failed rows' numbers, for the error workbook, and the count of the rest.
/// </summary>
internal static class ImportRegistrationReader
{
    public static async Task<ImportRegistration> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        long succeeded = 0;
        var failed = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetBoolean(1))
            {
                failed.Add(reader.GetInt64(0));
            }
            else
            {
                succeeded++;
            }
        }

        return new ImportRegistration(succeeded, failed);
    }
}
