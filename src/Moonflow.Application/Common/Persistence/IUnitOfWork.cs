namespace Moonflow.Application.Common.Persistence;

public interface IUnitOfWork
{
    Task SaveChangesAsync(CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a transaction, saves and commits; then runs the after-commit actions.</summary>
    Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Runs once the current transaction commits (e.g. enqueue a job); never for a rolled-back one.</summary>
    void AfterCommit(Func<Task> action);
}

/// <summary>No-tracking query access; handlers compose the query, this runs it.</summary>
public interface IReadStore
{
    IQueryable<T> Query<T>()
        where T : class;

    Task<List<T>> ToListAsync<T>(IQueryable<T> query, CancellationToken cancellationToken);

    Task<T?> FirstOrDefaultAsync<T>(IQueryable<T> query, CancellationToken cancellationToken);

    Task<long> CountAsync<T>(IQueryable<T> query, CancellationToken cancellationToken);

    /// <summary>Streams the rows as the database sends them; memory does not grow with their number.</summary>
    IAsyncEnumerable<T> StreamAsync<T>(IQueryable<T> query, CancellationToken cancellationToken);
}
