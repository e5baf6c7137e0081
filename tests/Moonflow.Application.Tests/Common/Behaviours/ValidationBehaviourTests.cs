using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;

namespace Moonflow.Application.Tests.Common.Behaviours;

internal sealed record RegisterClientRequest(string Name, string Email, int Age) : IRequest<string>;

public sealed class ValidationBehaviourTests
{
    private int _nextCalls;

    private Task<string> Send(RegisterClientRequest request, params IValidator<RegisterClientRequest>[] validators) =>
        new ValidationBehaviour<RegisterClientRequest, string>(validators).Handle(request, CancellationToken.None, () =>
        {
            _nextCalls++;
            return Task.FromResult("handled");
        });

    private static InlineValidator<RegisterClientRequest> NameAndEmailRules()
    {
        var validator = new InlineValidator<RegisterClientRequest>();
        validator.RuleFor(r => r.Name).NotEmpty();
        validator.RuleFor(r => r.Email).EmailAddress();
        return validator;
    }

    private static InlineValidator<RegisterClientRequest> AgeRule()
    {
        var validator = new InlineValidator<RegisterClientRequest>();
        validator.RuleFor(r => r.Age).GreaterThanOrEqualTo(18);
        return validator;
    }

    [Fact]
    public async Task Handle_WhenSeveralValidatorsFail_ThrowsOneExceptionWithEveryFailureAndDoesNotRun()
    {
        var exception = await Assert.ThrowsAsync<ValidationException>(
            () => Send(new RegisterClientRequest("", "not-an-email", 12), NameAndEmailRules(), AgeRule()));

        Assert.Equal(
            new[] { nameof(RegisterClientRequest.Age), nameof(RegisterClientRequest.Email), nameof(RegisterClientRequest.Name) },
            exception.Errors.Select(e => e.PropertyName).Order(StringComparer.Ordinal));
        Assert.Equal(0, _nextCalls);
    }

    [Fact]
    public async Task Handle_WhenOnlyOneValidatorFails_ReportsOnlyItsFailure()
    {
        var exception = await Assert.ThrowsAsync<ValidationException>(
            () => Send(new RegisterClientRequest("Ana", "ana@demo.test", 12), NameAndEmailRules(), AgeRule()));

        Assert.Equal(nameof(RegisterClientRequest.Age), Assert.Single(exception.Errors).PropertyName);
        Assert.Equal(0, _nextCalls);
    }

    [Fact]
    public async Task Handle_WhenEveryValidatorPasses_Runs()
    {
        var response = await Send(new RegisterClientRequest("Ana", "ana@demo.test", 30), NameAndEmailRules(), AgeRule());

        Assert.Equal("handled", response);
        Assert.Equal(1, _nextCalls);
    }

    [Fact]
    public async Task Handle_WhenRequestHasNoValidator_Runs()
    {
        await Send(new RegisterClientRequest("", "", 0));

        Assert.Equal(1, _nextCalls);
    }
}
