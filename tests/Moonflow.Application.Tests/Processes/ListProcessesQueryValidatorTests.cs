using FluentValidation.Results;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Processes.ListProcesses;

namespace Moonflow.Application.Tests.Processes;

public sealed class ListProcessesQueryValidatorTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 0, 0, 0, TimeSpan.FromHours(-5));

    private static ValidationResult Validate(ListProcessesQuery query) => new ListProcessesQueryValidator().Validate(query);

    [Fact]
    public void Validate_WhenDefaults_IsValid() => Assert.True(Validate(new ListProcessesQuery()).IsValid);

    [Theory]
    [InlineData(1)]
    [InlineData(Cursor.MaxLimit)]
    public void Validate_WhenLimitWithinBounds_IsValid(int limit) => Assert.True(Validate(new ListProcessesQuery(Limit: limit)).IsValid);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(Cursor.MaxLimit + 1)]
    public void Validate_WhenLimitOutOfBounds_ReportsLimit(int limit)
    {
        var result = Validate(new ListProcessesQuery(Limit: limit));

        Assert.Equal(nameof(ListProcessesQuery.Limit), Assert.Single(result.Errors).PropertyName);
    }

    [Fact]
    public void Validate_WhenCursorCameFromAPreviousPage_IsValid()
    {
        var cursor = new Cursor(Monday, Guid.CreateVersion7()).Encode();

        Assert.True(Validate(new ListProcessesQuery(Cursor: cursor)).IsValid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("page-2")]
    [InlineData("MTIzNDU2")]
    public void Validate_WhenCursorIsNotOneThisApiReturned_ReportsCursor(string cursor)
    {
        var result = Validate(new ListProcessesQuery(Cursor: cursor));

        var error = Assert.Single(result.Errors);
        Assert.Equal(nameof(ListProcessesQuery.Cursor), error.PropertyName);
        Assert.Equal("'cursor' is not a cursor this API returned.", error.ErrorMessage);
    }

    [Fact]
    public void Validate_WhenToIsBeforeFrom_ReportsTo()
    {
        var result = Validate(new ListProcessesQuery(From: Monday, To: Monday.AddTicks(-1)));

        var error = Assert.Single(result.Errors);
        Assert.Equal(nameof(ListProcessesQuery.To), error.PropertyName);
        Assert.Equal("'to' must not be before 'from'.", error.ErrorMessage);
    }

    [Fact]
    public void Validate_WhenToEqualsFrom_IsValid() => Assert.True(Validate(new ListProcessesQuery(From: Monday, To: Monday)).IsValid);

    [Fact]
    public void Validate_WhenOnlyOneEndOfTheRange_IsValid()
    {
        Assert.True(Validate(new ListProcessesQuery(From: Monday)).IsValid);
        Assert.True(Validate(new ListProcessesQuery(To: Monday)).IsValid);
    }

    [Fact]
    public void Validate_WhenSameInstantInAnotherOffset_IsValid() =>
        Assert.True(Validate(new ListProcessesQuery(From: Monday, To: Monday.ToOffset(TimeSpan.Zero))).IsValid);
}
