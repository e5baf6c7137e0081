using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes;
using Moonflow.Application.Processes.Execution;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Domain.Common;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Crm.Contacts.BulkTagContacts;

/// <summary>Adds and removes tags on many contacts as one tracked process.</summary>
[RequiresPermission(Permissions.CrmProcesses)]
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record BulkTagContactsCommand(
    IReadOnlyList<Guid>? ContactIds, ContactFilter? Filter, IReadOnlyList<string>? Add, IReadOnlyList<string>? Remove)
    : IRequest<ProcessAccepted>, ITransactionalCommand, IContactSelection;

public sealed record BulkTagContactsParameters(IReadOnlyList<Guid>? ContactIds, ContactFilter? Filter, IReadOnlyList<string> Add, IReadOnlyList<string> Remove);

public sealed class BulkTagContactsCommandValidator : AbstractValidator<BulkTagContactsCommand>
{
    public BulkTagContactsCommandValidator()
    {
        this.AddSelectionRules();
        RuleFor(c => c).Must(c => (c.Add?.Count ?? 0) + (c.Remove?.Count ?? 0) > 0)
            .OverridePropertyName("add").WithMessage("Give at least one tag in 'add' or 'remove'.");
        RuleForEach(c => c.Add).NotEmpty().MaximumLength(Contact.MaxTagLength);
        RuleForEach(c => c.Remove).NotEmpty().MaximumLength(Contact.MaxTagLength);
    }
}

public sealed class BulkTagContactsCommandHandler(BulkProcessStarter starter, IReadStore store, CrmReferences references)
    : IRequestHandler<BulkTagContactsCommand, ProcessAccepted>
{
    public async Task<ProcessAccepted> Handle(BulkTagContactsCommand request, CancellationToken cancellationToken)
    {
        await request.CheckFilterAsync(references, cancellationToken);
        var parameters = new BulkTagContactsParameters(
            request.ContactIds, request.Filter, TagSet.Normalize(request.Add ?? [], Contact.MaxTags, Contact.MaxTagLength),
            TagSet.Normalize(request.Remove ?? [], Contact.MaxTags, Contact.MaxTagLength));
        ErrorText label = $"Tag contacts (+{string.Join(", ", parameters.Add)} -{string.Join(", ", parameters.Remove)})";
        return await starter.StartAsync(
            ProcessType.CrmContactsBulkTag, label, parameters, request.MatchingIds(store), request.ListedIds(), cancellationToken);
    }
}

public sealed class CrmContactsBulkTagExecutor(ICrmBulkActions crm) : IBulkActionExecutor
{
    public ProcessType Type => ProcessType.CrmContactsBulkTag;

    public int ChunkSize(ProcessOptions options) => options.SetBasedChunkSize;

    public Task<ChunkOutcome> ExecuteChunkAsync(BulkProcess process, int chunkSize, CancellationToken cancellationToken)
    {
        var parameters = BulkProcessStarter.ReadParameters<BulkTagContactsParameters>(process);
        return crm.ApplyTagsAsync(process, parameters.Add, parameters.Remove, chunkSize, cancellationToken);
    }
}
