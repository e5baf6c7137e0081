using System.Linq.Expressions;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.Clients;

public sealed record ClientDto(
    Guid Id, DocumentType DocumentType, string DocumentNumber, string Name, string? Email, string? Phone, IReadOnlyList<string> Tags,
    DateTimeOffset CreatedAt)
{
    public static readonly Expression<Func<Client, ClientDto>> Projection =
        c => new ClientDto(c.Id, c.DocumentType, c.DocumentNumber, c.Name, c.Email, c.Phone, c.Tags, c.CreatedAt);
}

public interface IClientRepository
{
    void Add(Client client);

    Task<bool> DocumentExistsAsync(DocumentType documentType, string documentNumber, CancellationToken cancellationToken);
}
