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

/// <summary>How clients are picked, in the list and in bulk actions alike.</summary>
public sealed record ClientFilter(string? Search = null, DocumentType? DocumentType = null, string? Tag = null)
{
    public IQueryable<Client> Apply(IQueryable<Client> clients)
    {
        if (!string.IsNullOrWhiteSpace(Search))
        {
            var term = Search.Trim();
            clients = clients.Where(c => c.DocumentNumber.StartsWith(term) || c.Name.ToLower().Contains(term.ToLower()));
        }

        if (DocumentType is { } type)
        {
            clients = clients.Where(c => c.DocumentType == type);
        }

        if (!string.IsNullOrWhiteSpace(Tag))
        {
            var tag = Tag.Trim().ToLowerInvariant();
            clients = clients.Where(c => c.Tags.Contains(tag));
        }

        return clients;
    }
}

public interface IClientRepository
{
    void Add(Client client);

    Task<bool> DocumentExistsAsync(DocumentType documentType, string documentNumber, CancellationToken cancellationToken);
}
