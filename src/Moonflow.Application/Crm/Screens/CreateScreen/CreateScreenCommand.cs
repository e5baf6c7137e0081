using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Screens.CreateScreen;

[RequiresPermission(Permissions.CrmProcesses)]
public sealed record CreateScreenCommand(string Name, IReadOnlyList<SubScreenInput> SubScreens) : IRequest<ScreenDto>, ITransactionalCommand;

public sealed record SubScreenInput(string Name, IReadOnlyList<ScriptInput> Scripts);

public sealed record ScriptInput(string Name, string Text);

public sealed class CreateScreenCommandValidator : AbstractValidator<CreateScreenCommand>
{
    public CreateScreenCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
        RuleFor(c => c.SubScreens).NotNull().Must(s => s is { Count: <= 100 }).WithMessage("At most 100 sub-screens.");
        RuleForEach(c => c.SubScreens).ChildRules(sub =>
        {
            sub.RuleFor(s => s.Name).NotEmpty().MaximumLength(200);
            sub.RuleFor(s => s.Scripts).NotNull();
            sub.RuleForEach(s => s.Scripts).ChildRules(script =>
            {
                script.RuleFor(s => s.Name).NotEmpty().MaximumLength(200);
                script.RuleFor(s => s.Text).NotEmpty().MaximumLength(Script.MaxTextLength);
            });
        });
    }
}

public sealed class CreateScreenCommandHandler(ICrmRepository crm, IReadStore store, ICurrentUser user, TimeProvider clock)
    : IRequestHandler<CreateScreenCommand, ScreenDto>
{
    public async Task<ScreenDto> Handle(CreateScreenCommand request, CancellationToken cancellationToken)
    {
        var name = request.Name.Trim();
        if (await store.CountAsync(store.Query<Screen>().Where(s => s.Name == name), cancellationToken) > 0)
        {
            throw new ConflictException("screen_exists", $"A screen named '{name}' already exists.");
        }

        var now = clock.GetUtcNow();
        var screen = Screen.Create(user.TenantId, name, now);
        foreach (var sub in request.SubScreens)
        {
            screen.AddSubScreen(sub.Name, sub.Scripts.Select(s => (s.Name, s.Text)), now);
        }

        crm.Add(screen);
        return ScreenDto.From(screen);
    }
}
