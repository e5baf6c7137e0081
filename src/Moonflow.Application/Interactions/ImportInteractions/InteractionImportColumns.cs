using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Interactions.ImportInteractions;

/// <summary>The bulk communications template (seed 001: "Crear comunicaciones masivas").</summary>
public static class InteractionImportColumns
{
    public const string DocumentType = "DocumentType";
    public const string DocumentNumber = "DocumentNumber";
    public const string Channel = "Channel";
    public const string SentAt = "SentAt";
    public const string Recipients = "Recipients";
    public const string Status = "Status";
    public const string Direction = "Direction";
    public const string Template = "Template";
    public const string Campaign = "Campaign";
    public const string Advisor = "Advisor";
    public const string Message = "Message";
    public const string ErrorMessage = "ErrorMessage";
    public const string Portfolio = "Portfolio";

    public static readonly IReadOnlyList<ImportColumn> All =
    [
        new(DocumentType, "DocumentType", "Tipo de documento", true, "Client's document type.", "Tipo de documento del cliente.", Enum.GetNames<DocumentType>(), "CC"),
        new(DocumentNumber, "DocumentNumber", "Número de documento", true, "Client's unique identifier (document number), as registered in Moonflow.", "Número identificador único del cliente, como está registrado en Moonflow.", null, "1020304050"),
        new(Channel, "Channel", "Canal", true, "Channel the communication went through.", "Canal por el cual se envió la comunicación.", ["WhatsApp", "SMS", "Email", "Voz", "Push", "RCS"], "WhatsApp"),
        new(SentAt, "SentAt", "Fecha de envío", true, "When it was sent, in the account's time zone: a date cell, or text as yyyy-mm-dd hh:mm or dd/mm/yyyy hh:mm.", "Fecha y hora de envío, en la zona horaria de la cuenta: celda de fecha, o texto aaaa-mm-dd hh:mm o dd/mm/aaaa hh:mm.", null, "2026-10-15 09:30"),
        new(Recipients, "Recipients", "Destinatarios", true, "Phone numbers or e-mail addresses it went to (several separated by ;).", "Teléfonos o correos a los que se envió (varios separados por ;).", null, "+57 3001234567"),
        new(Status, "Status", "Estado", true, "State of the communication.", "Estado de la comunicación enviada.", ["Enviada", "Entregada", "Leída", "No leída", "Fallida", "Programada", "Cancelada"], "Leída"),
        new(Direction, "Direction", "Dirección", false, "Outbound (sent to the client, the default) or inbound (from the client).", "Saliente (enviada al cliente, por defecto) o entrante (recibida del cliente).", ["Saliente", "Entrante"], "Saliente"),
        new(Template, "Template", "Plantilla", false, "Template used.", "Plantilla utilizada.", null, "recordatorio_pago"),
        new(Campaign, "Campaign", "Campaña", false, "Flow, event or campaign it belongs to.", "Flujo, evento o campaña al que pertenece.", null, "Cobro preventivo"),
        new(Advisor, "Advisor", "Asesor", false, "E-mail of the Moonflow user who handled it.", "Correo del usuario de Moonflow que la gestionó.", null, "asesor@empresa.com"),
        new(Message, "Message", "Mensaje", false, "Text of the message.", "Texto del mensaje.", null, "Hola, te recordamos tu pago."),
        new(ErrorMessage, "ErrorMessage", "Mensaje de error", false, "Why it failed, for failed communications.", "Motivo del fallo, para comunicaciones fallidas.", null, string.Empty),
        new(Portfolio, "Portfolio", "Cartera", false, "Portfolio (cartera) name.", "Nombre de la cartera.", null, "Cartera vencida"),
    ];
}
