using FluentValidation;
using MediatR;
using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Domain.Common;
using Moonflow.Domain.Exports;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Exports.RequestExport;

/// <summary>
/// Downloads a tray: online at once when within the tray's online limits, otherwise deferred to the tenant's
/// nightly window. Requests for one tray are serialised, so concurrent ones never both pass the rules.
/// </summary>
[RequiresPermission(Permissions.ExportsRequest)]
public sealed record RequestExportCommand(ExportParameters Export) : IRequest<ExportAccepted>, ITransactionalCommand;

public sealed class RequestExportCommandValidator : AbstractValidator<RequestExportCommand>
{
    public RequestExportCommandValidator()
    {
        RuleFor(c => c.Export.Tray).NotEmpty().OverridePropertyName("tray");
        RuleFor(c => c.Export.From).NotEmpty().OverridePropertyName("from");
        RuleFor(c => c.Export.To).NotEmpty().OverridePropertyName("to");
        RuleFor(c => c.Export.To).GreaterThanOrEqualTo(c => c.Export.From).OverridePropertyName("to").WithMessage("'to' must not be before 'from'.");
        RuleFor(c => c.Export.Format).IsInEnum().OverridePropertyName("format");
        RuleFor(c => c.Export.Columns).Must(c => c is null || c.Count <= 100).OverridePropertyName("columns");
    }
}

public sealed class RequestExportCommandHandler(ExportPlanner planner, IExportRequestRepository exports, BulkProcessStarter starter)
    : IRequestHandler<RequestExportCommand, ExportAccepted>
{
    public async Task<ExportAccepted> Handle(RequestExportCommand request, CancellationToken cancellationToken)
    {
        var (export, _, _) = await planner.PlanAsync(request.Export, lockTray: true, cancellationToken);
        ErrorText label = $"Download {export.Tray} {export.From:yyyy-MM-dd}..{export.To:yyyy-MM-dd} ({export.Format.ToString().ToLowerInvariant()}, {export.Mode.ToString().ToLowerInvariant()})";
        var accepted = await starter.StartConfiguredAsync(
            ProcessType.Export, label, new RunExport.ExportProcessParameters(export.Id),
            process =>
            {
                process.FreezeTargets(export.EstimatedRows);
                process.Schedule(export.ScheduledFor);
                export.TrackWith(process.Id);
            },
            cancellationToken);
        exports.Add(export);
        return new ExportAccepted(export.Id, accepted.ProcessId, export.Mode, export.ScheduledFor);
    }
}
