using MediatR;
using Moonflow.Application.Common.Persistence;

namespace Moonflow.Application.Common.Behaviours;

/// <summary>Commands that change state run in one transaction; work scheduled "after commit" runs only if it commits.</summary>
public sealed class TransactionBehaviour<TRequest, TResponse>(IUnitOfWork unitOfWork) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not ITransactionalCommand)
        {
            return await next();
        }

        return await unitOfWork.InTransactionAsync(() => next(), cancellationToken);
    }
}

/// <summary>Marks a command whose handler saves state: it runs inside <see cref="TransactionBehaviour{TRequest,TResponse}"/>.</summary>
public interface ITransactionalCommand;
