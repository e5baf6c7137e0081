using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Moonflow.Application.Common.Persistence;

namespace Moonflow.Infrastructure.Persistence;

internal sealed class UnitOfWork(MoonflowDbContext db) : IUnitOfWork
{
    private readonly List<Func<Task>> _afterCommit = [];

    public Task SaveChangesAsync(CancellationToken cancellationToken) => db.SaveChangesAsync(cancellationToken);

    public async Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return await work();
        }

        T result;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            try
            {
                result = await work();
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch
            {
                _afterCommit.Clear();
                throw;
            }
            finally
            {
                // Each transaction is its own unit of work: the next one must read rows afresh (a cancellation
                // committed by another request meanwhile), not the entities this one tracked.
                db.ChangeTracker.Clear();
            }
        }

        var actions = _afterCommit.ToList();
        _afterCommit.Clear();
        foreach (var action in actions)
        {
            await action();
        }

        return result;
    }

    public void AfterCommit(Func<Task> action) => _afterCommit.Add(action);
}

internal sealed class ReadStore(MoonflowDbContext db) : IReadStore
{
    public IQueryable<T> Query<T>()
        where T : class => db.Set<T>().AsNoTracking();

    public Task<List<T>> ToListAsync<T>(IQueryable<T> query, CancellationToken cancellationToken) => query.ToListAsync(cancellationToken);

    public Task<T?> FirstOrDefaultAsync<T>(IQueryable<T> query, CancellationToken cancellationToken) => query.FirstOrDefaultAsync(cancellationToken);

    public Task<long> CountAsync<T>(IQueryable<T> query, CancellationToken cancellationToken) => query.LongCountAsync(cancellationToken);

    public async IAsyncEnumerable<T> StreamAsync<T>(IQueryable<T> query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in query.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return row;
        }
    }
}
