using AutoMapper;
using Moonflow.Application.Identity.ApiKeys;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Common.Mapping;

/// <summary>
/// Object-to-object maps where a DTO mirrors an aggregate one to one. Queries that shape rows for the database keep
/// explicit projection expressions, which EF Core translates to SQL column lists.
/// </summary>
public sealed class MappingProfile : Profile
{
    public MappingProfile() => CreateMap<ApiKey, ApiKeyDto>();
}
