using FluentValidation;

namespace Moonflow.Application.Common.Paging;

/// <summary>The checks every keyset-paged list makes of its <c>cursor</c> and <c>limit</c>.</summary>
public interface IPagedRequest
{
    string? Cursor { get; }

    int Limit { get; }
}

public static class PagingRules
{
    public static void AddPagingRules<T>(this AbstractValidator<T> validator)
        where T : IPagedRequest
    {
        validator.RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxLimit);
        validator.RuleFor(q => q.Cursor).Must(c => c is null || Cursor.TryDecode(c, out _)).WithMessage("'cursor' is not a cursor this API returned.");
    }
}
