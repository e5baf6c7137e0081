using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Exports;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Exports.PreviewExport;

/// <summary>Which mode a download would run in, why, how many rows and when; or the problem the request would get.</summary>
[RequiresPermission(Permissions.ExportsRequest)]
public sealed record PreviewExportQuery(string Tray, DateOnly From, DateOnly To, System.Text.Json.JsonElement? Filters) : IRequest<ExportPreview>;

public sealed class PreviewExportQueryValidator : AbstractValidator<PreviewExportQuery>
{
    public PreviewExportQueryValidator()
    {
        RuleFor(q => q.Tray).NotEmpty();
        RuleFor(q => q.From).NotEmpty();
        RuleFor(q => q.To).NotEmpty();
        RuleFor(q => q.To).GreaterThanOrEqualTo(q => q.From).WithMessage("'to' must not be before 'from'.");
    }
}

public sealed class PreviewExportQueryHandler(ExportPlanner planner) : IRequestHandler<PreviewExportQuery, ExportPreview>
{
    public async Task<ExportPreview> Handle(PreviewExportQuery request, CancellationToken cancellationToken)
    {
        var (export, _, _) = await planner.PlanAsync(
            new ExportParameters(request.Tray, request.From, request.To, ExportFormat.Xlsx, null, request.Filters), lockTray: false, cancellationToken);
        return new ExportPreview(export.Mode, export.Reason, export.EstimatedRows, export.ScheduledFor);
    }
}
