namespace Moonflow.Api.Crm;

internal static partial class CrmEndpoints
{
    private static void MapProcesses(RouteGroupBuilder crm)
    {
    }
}
