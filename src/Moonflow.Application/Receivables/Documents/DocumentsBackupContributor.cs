using System.Runtime.CompilerServices;
using Moonflow.Application.Common.Backups;
using Moonflow.Application.Common.Spreadsheets;

namespace Moonflow.Application.Receivables.Documents;

/// <summary>
/// Receivables' documents in the tenant's backup (seed 002), read through <see cref="IReceivablesDocuments"/> and copied from
/// the file store as they stream:
/// <c>invoices/issued/&lt;number&gt;.xml|.pdf</c> with <c>invoices/issued.xlsx</c>, <c>invoices/received/&lt;supplier&gt;-&lt;number&gt;.xml</c>
/// with <c>invoices/received.xlsx</c>, and <c>clients/&lt;document-type&gt;-&lt;document-number&gt;-&lt;name&gt;/…</c>, one folder per client
/// holding its attachments. Each report is written in a second pass over the same rows (sheets and files cannot interleave in
/// one zip) and names every file by the path it got in the archive.
/// </summary>
public sealed class DocumentsBackupContributor(IReceivablesDocuments documents, ISpreadsheetWriter workbooks) : IBackupContributor
{
    public const string IssuedFolder = "invoices/issued";
    public const string ReceivedFolder = "invoices/received";
    public const string ClientsFolder = "clients";

    private static readonly SpreadsheetColumn[] IssuedColumns =
    [
        new("Número", CellKind.Text, 20),
        new("Orden de pago", CellKind.Text, 20),
        new("Tipo de documento", CellKind.Text, 12),
        new("Número de documento", CellKind.Text, 20),
        new("Cliente", CellKind.Text, 40),
        new("Fecha de emisión", CellKind.Date, 14),
        new("Fecha de vencimiento", CellKind.Date, 14),
        new("Importe", CellKind.Money, 16),
        new("Moneda", CellKind.Text, 8),
        new("Archivo XML", CellKind.Text, 40),
        new("SHA-256 XML", CellKind.Text, 66),
        new("Archivo PDF", CellKind.Text, 40),
        new("SHA-256 PDF", CellKind.Text, 66),
        new("Registrada", CellKind.DateTime, 20),
    ];

    private static readonly SpreadsheetColumn[] ReceivedColumns =
    [
        new("Proveedor", CellKind.Text, 40),
        new("Número", CellKind.Text, 20),
        new("Fecha de emisión", CellKind.Date, 14),
        new("Importe", CellKind.Money, 16),
        new("Archivo XML", CellKind.Text, 50),
        new("SHA-256 XML", CellKind.Text, 66),
        new("Registrada", CellKind.DateTime, 20),
    ];

    public int Order => 30;

    public async Task<long> EstimateEntriesAsync(BackupScope scope, CancellationToken cancellationToken)
    {
        var totals = await documents.CountAsync(scope.TenantId, cancellationToken);
        return (2 * totals.IssuedInvoices) + 1 + totals.ReceivedInvoices + 1 + totals.ClientAttachments;
    }

    public async Task ContributeAsync(BackupScope scope, IBackupArchive archive, CancellationToken cancellationToken)
    {
        await AddIssuedAsync(scope, archive, cancellationToken);
        await AddReceivedAsync(scope, archive, cancellationToken);
        await AddClientAttachmentsAsync(scope, archive, cancellationToken);
    }

    /// <summary>The folder of a client's attachments: one safe segment, so a slash in a name never opens another folder.</summary>
    private static string ClientFolder(IBackupArchive archive, ClientAttachmentFile attachment) =>
        $"{ClientsFolder}/{archive.SafeName($"{attachment.ClientDocumentType}-{attachment.ClientDocumentNumber}-{attachment.ClientName}")}";

    private async Task AddIssuedAsync(BackupScope scope, IBackupArchive archive, CancellationToken cancellationToken)
    {
        // Numbers are unique in the tenant, so a file's path is its number's unless two numbers became one safe name: only those are kept.
        var renamed = new Dictionary<(Guid, string), string>();
        await foreach (var invoice in documents.IssuedInvoicesAsync(scope.TenantId, cancellationToken))
        {
            foreach (var (file, extension) in new[] { (invoice.Xml, ".xml"), (invoice.Pdf, ".pdf") })
            {
                var name = invoice.Number + extension;
                var path = await archive.AddStoredFileAsync(IssuedFolder, name, file.FileKey, cancellationToken);
                if (path != Expected(archive, IssuedFolder, name))
                {
                    renamed[(invoice.InvoiceId, extension)] = path;
                }
            }
        }

        await archive.AddDatasetAsync(
            "invoices",
            "issued.xlsx",
            (stream, ct) => workbooks.WriteAsync(stream, SpreadsheetFormat.Xlsx, "emitidas", IssuedColumns, IssuedRowsAsync(scope, archive, renamed, ct), ct),
            cancellationToken);
    }

    private async IAsyncEnumerable<object?[]> IssuedRowsAsync(
        BackupScope scope, IBackupArchive archive, Dictionary<(Guid, string), string> renamed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var invoice in documents.IssuedInvoicesAsync(scope.TenantId, cancellationToken))
        {
            yield return
            [
                invoice.Number,
                invoice.PaymentOrderNumber,
                invoice.ClientDocumentType.ToString(),
                invoice.ClientDocumentNumber,
                invoice.ClientName,
                invoice.IssueDate,
                invoice.DueDate,
                invoice.Amount,
                invoice.Currency,
                renamed.GetValueOrDefault((invoice.InvoiceId, ".xml")) ?? Expected(archive, IssuedFolder, invoice.Number + ".xml"),
                invoice.Xml.Sha256,
                renamed.GetValueOrDefault((invoice.InvoiceId, ".pdf")) ?? Expected(archive, IssuedFolder, invoice.Number + ".pdf"),
                invoice.Pdf.Sha256,
                TimeZoneInfo.ConvertTime(invoice.CreatedAt, scope.Zone),
            ];
        }
    }

    private async Task AddReceivedAsync(BackupScope scope, IBackupArchive archive, CancellationToken cancellationToken)
    {
        var renamed = new Dictionary<Guid, string>();
        await foreach (var invoice in documents.ReceivedInvoicesAsync(scope.TenantId, cancellationToken))
        {
            var name = ReceivedName(invoice);
            var path = await archive.AddStoredFileAsync(ReceivedFolder, name, invoice.Xml.FileKey, cancellationToken);
            if (path != Expected(archive, ReceivedFolder, name))
            {
                renamed[invoice.InvoiceId] = path;
            }
        }

        await archive.AddDatasetAsync(
            "invoices",
            "received.xlsx",
            (stream, ct) => workbooks.WriteAsync(stream, SpreadsheetFormat.Xlsx, "recibidas", ReceivedColumns, ReceivedRowsAsync(scope, archive, renamed, ct), ct),
            cancellationToken);
    }

    private async IAsyncEnumerable<object?[]> ReceivedRowsAsync(BackupScope scope, IBackupArchive archive, Dictionary<Guid, string> renamed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var invoice in documents.ReceivedInvoicesAsync(scope.TenantId, cancellationToken))
        {
            yield return
            [
                invoice.Supplier,
                invoice.Number,
                invoice.IssueDate,
                invoice.Amount,
                renamed.GetValueOrDefault(invoice.InvoiceId) ?? Expected(archive, ReceivedFolder, ReceivedName(invoice)),
                invoice.Xml.Sha256,
                TimeZoneInfo.ConvertTime(invoice.CreatedAt, scope.Zone),
            ];
        }
    }

    /// <summary>Attachments come grouped by client, so each folder is written whole before the next one starts.</summary>
    private async Task AddClientAttachmentsAsync(BackupScope scope, IBackupArchive archive, CancellationToken cancellationToken)
    {
        await foreach (var attachment in documents.ClientAttachmentsAsync(scope.TenantId, cancellationToken))
        {
            await archive.AddStoredFileAsync(ClientFolder(archive, attachment), attachment.File.StoredName, attachment.File.FileKey, cancellationToken);
        }
    }

    private static string ReceivedName(ReceivedInvoiceFile invoice) => $"{invoice.Supplier}-{invoice.Number}.xml";

    private static string Expected(IBackupArchive archive, string folder, string fileName) => $"{folder}/{archive.SafeName(fileName)}";
}
