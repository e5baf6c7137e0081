using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Persistence;
using NSubstitute;

namespace Moonflow.Application.Tests.Common.Behaviours;

internal sealed record RenameRequest(string Name) : IRequest<string>, ITransactionalCommand;

internal sealed record LookupRequest(string Name) : IRequest<string>;

public sealed class TransactionBehaviourTests
{
    private readonly IUnitOfWork _unitOfWork = Substitute.For<IUnitOfWork>();

    public TransactionBehaviourTests() =>
        _unitOfWork.InTransactionAsync(Arg.Any<Func<Task<string>>>(), Arg.Any<CancellationToken>())
            .Returns(ci => ci.Arg<Func<Task<string>>>()());

    [Fact]
    public async Task Handle_WhenCommandChangesState_RunsItInsideOneTransaction()
    {
        var behaviour = new TransactionBehaviour<RenameRequest, string>(_unitOfWork);

        var response = await behaviour.Handle(new RenameRequest("x"), CancellationToken.None, () => Task.FromResult("renamed"));

        Assert.Equal("renamed", response);
        await _unitOfWork.Received(1).InTransactionAsync(Arg.Any<Func<Task<string>>>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_WhenRequestOnlyReads_RunsWithoutATransaction()
    {
        var behaviour = new TransactionBehaviour<LookupRequest, string>(_unitOfWork);

        var response = await behaviour.Handle(new LookupRequest("x"), CancellationToken.None, () => Task.FromResult("found"));

        Assert.Equal("found", response);
        await _unitOfWork.DidNotReceiveWithAnyArgs().InTransactionAsync<string>(default!, default);
    }
}
