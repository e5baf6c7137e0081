using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.Clients;

/// <summary>
/// Receivables' published lookup of clients, for modules that hold client references (an upload naming clients by
/// document): they ask here instead of reading <c>receivables.clients</c> themselves.
/// </summary>
public interface IClientDirectory
{
    /// <summary>
    /// The tenant's clients with these documents (documents with no client are left out). Reads committed data on a
    /// connection of its own, so it can run beside a transaction that is busy on another.
    /// </summary>
    Task<IReadOnlyDictionary<ClientDocument, ClientReference>> FindByDocumentsAsync(
        Guid tenantId, IReadOnlyCollection<ClientDocument> documents, CancellationToken cancellationToken);
}

public readonly record struct ClientDocument(DocumentType Type, string Number);

/// <summary>What another module may keep of a client: its id and its name as it is now.</summary>
public sealed record ClientReference(Guid Id, string Name);
