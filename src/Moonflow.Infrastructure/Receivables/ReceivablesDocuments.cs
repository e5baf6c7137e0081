using System.Runtime.CompilerServices;
using Moonflow.Application.Receivables.Documents;
using Moonflow.Domain.Receivables;
using Npgsql;

namespace Moonflow.Infrastructure.Receivables;

/// <summary>
/// The documents' read port: plain SQL over Receivables' own tables on a pooled connection of its own, each row handed on
/// as the reader gets it (never a list), so a tenant with hundreds of thousands of documents streams in flat memory.
/// The tenant is explicit because this SQL bypasses the EF tenant filter.
/// </summary>
internal sealed class ReceivablesDocuments(NpgsqlDataSource dataSource) : IReceivablesDocuments
{
    public async Task<DocumentTotals> CountAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT (SELECT count(*) FROM receivables.issued_invoices WHERE tenant_id = $1),
                   (SELECT COALESCE(sum(xml_size_bytes + pdf_size_bytes), 0)::bigint FROM receivables.issued_invoices WHERE tenant_id = $1),
                   (SELECT count(*) FROM receivables.received_invoices WHERE tenant_id = $1),
                   (SELECT COALESCE(sum(xml_size_bytes), 0)::bigint FROM receivables.received_invoices WHERE tenant_id = $1),
                   (SELECT count(*) FROM receivables.client_attachments WHERE tenant_id = $1),
                   (SELECT COALESCE(sum(file_size_bytes), 0)::bigint FROM receivables.client_attachments WHERE tenant_id = $1)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new DocumentTotals(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
    }

    public async IAsyncEnumerable<IssuedInvoiceFiles> IssuedInvoicesAsync(Guid tenantId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT i.id, i.number, o.id, o.number, o.issue_date, o.due_date, o.amount, o.currency,
                   c.id, c.document_type, c.document_number, c.name,
                   i.xml_file_key, i.xml_original_name, i.xml_stored_name, i.xml_content_type, i.xml_size_bytes, i.xml_sha256,
                   i.pdf_file_key, i.pdf_original_name, i.pdf_stored_name, i.pdf_content_type, i.pdf_size_bytes, i.pdf_sha256,
                   i.created_at
            FROM receivables.issued_invoices i
            JOIN receivables.payment_orders o ON o.id = i.payment_order_id
            JOIN receivables.clients c ON c.id = o.client_id
            WHERE i.tenant_id = $1
            ORDER BY i.number, i.id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new IssuedInvoiceFiles(
                reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2), reader.GetString(3),
                reader.GetFieldValue<DateOnly>(4), reader.GetFieldValue<DateOnly>(5), reader.GetDecimal(6), reader.GetString(7).Trim(),
                reader.GetGuid(8), Enum.Parse<DocumentType>(reader.GetString(9)), reader.GetString(10), reader.GetString(11),
                File(reader, 12), File(reader, 18), reader.GetFieldValue<DateTimeOffset>(24));
        }
    }

    public async IAsyncEnumerable<ReceivedInvoiceFile> ReceivedInvoicesAsync(Guid tenantId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, supplier, number, issue_date, amount,
                   xml_file_key, xml_original_name, xml_stored_name, xml_content_type, xml_size_bytes, xml_sha256, created_at
            FROM receivables.received_invoices
            WHERE tenant_id = $1
            ORDER BY supplier, number, id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new ReceivedInvoiceFile(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateOnly>(3), reader.GetDecimal(4),
                File(reader, 5), reader.GetFieldValue<DateTimeOffset>(11));
        }
    }

    public async IAsyncEnumerable<ClientAttachmentFile> ClientAttachmentsAsync(Guid tenantId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT c.id, c.document_type, c.document_number, c.name, a.id,
                   a.file_file_key, a.file_original_name, a.file_stored_name, a.file_content_type, a.file_size_bytes, a.file_sha256, a.created_at
            FROM receivables.client_attachments a
            JOIN receivables.clients c ON c.id = a.client_id
            WHERE a.tenant_id = $1
            ORDER BY c.document_type, c.document_number, c.id, a.created_at, a.id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new ClientAttachmentFile(
                reader.GetGuid(0), Enum.Parse<DocumentType>(reader.GetString(1)), reader.GetString(2), reader.GetString(3), reader.GetGuid(4),
                File(reader, 5), reader.GetFieldValue<DateTimeOffset>(11));
        }
    }

    private static DocumentFile File(NpgsqlDataReader reader, int first) => new(
        reader.GetString(first), reader.GetString(first + 1), reader.GetString(first + 2), reader.GetString(first + 3),
        reader.GetInt64(first + 4), reader.GetString(first + 5));
}
