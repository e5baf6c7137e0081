using MediatR;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Identity;

/// <summary>
/// Published inside the transaction that changed the tenant's time zone or nightly window, so that work timed by
/// them (deferred downloads) follows in the same commit. Identity does not know who listens.
/// </summary>
public sealed record TenantScheduleChanged(Tenant Tenant) : INotification;
