using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Common.Trays;

namespace Moonflow.Application.Interactions;

/// <summary>The interactions tray's columns (seed 001: "Agregar/Quitar columnas").</summary>
public sealed class InteractionColumns : IColumnCatalog
{
    public const string TrayName = "interactions";

    public static readonly IReadOnlyList<TrayColumn> All =
    [
        new("clientDocumentType", "Tipo de documento", "Document type", true),
        new("clientDocumentNumber", "Número de documento", "Document number", true),
        new("clientName", "Cliente", "Client", true),
        new("direction", "Tipo de comunicación", "Direction", true),
        new("channel", "Canal", "Channel", true),
        new("status", "Estado", "Status", true),
        new("scheduledAt", "Fecha de envío programada", "Scheduled send date", false, CellKind.DateTime),
        new("sentAt", "Fecha de envío real", "Actual send date", true, CellKind.DateTime),
        new("campaign", "Flujo / evento / campaña", "Flow / event / campaign", true),
        new("template", "Plantilla", "Template", true),
        new("portfolio", "Cartera", "Portfolio", false),
        new("advisorName", "Asesor", "Advisor", false),
        new("recipients", "Destinatarios", "Recipients", false),
        new("message", "Mensaje", "Message", false),
        new("errorMessage", "Mensaje de error", "Error message", false),
        new("lastAssociatedCommunication", "Última comunicación asociada", "Last associated communication", false),
        new("source", "Origen", "Source", false),
    ];

    public string Tray => TrayName;

    public IReadOnlyList<TrayColumn> Columns => All;
}
