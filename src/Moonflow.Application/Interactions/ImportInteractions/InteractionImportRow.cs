using System.Globalization;
using Moonflow.Domain.Interactions;
using DocumentKind = Moonflow.Domain.Receivables.DocumentType;
using static Moonflow.Application.Interactions.ImportInteractions.InteractionImportColumns;

namespace Moonflow.Application.Interactions.ImportInteractions;

/// <summary>One data row of an upload, parsed into typed values; <see cref="Error"/> says why it cannot be registered.</summary>
public sealed record ParsedImportRow(
    long Seq,
    DocumentKind DocumentType,
    string DocumentNumber,
    InteractionChannel Channel,
    InteractionStatus Status,
    InteractionDirection Direction,
    DateTimeOffset SentAt,
    string Recipients,
    string? Template,
    string? Campaign,
    string? AdvisorEmail,
    string? Message,
    string? ErrorMessage,
    string? Portfolio)
{
    public string RecordKey => $"{DocumentType} {DocumentNumber}";
}

/// <summary>
/// Reads the cells of one uploaded row. Values match in Spanish or English, ignoring case and accents
/// ("Correo" = email, "Leída" = read); dates are wall-clock times in the tenant's time zone.
/// </summary>
public static class InteractionImportRowParser
{
    private static readonly Dictionary<string, InteractionChannel> Channels = Synonyms(
        (InteractionChannel.Whatsapp, ["whatsapp", "wa", "whatsappbusiness"]),
        (InteractionChannel.Sms, ["sms", "mensajedetexto", "texto", "textmessage"]),
        (InteractionChannel.Email, ["email", "correo", "correoelectronico", "mail"]),
        (InteractionChannel.Voice, ["voice", "voz", "llamada", "call", "ivr"]),
        (InteractionChannel.Push, ["push", "notificacionpush", "pushnotification"]),
        (InteractionChannel.Rcs, ["rcs"]));

    private static readonly Dictionary<string, InteractionStatus> Statuses = Synonyms(
        (InteractionStatus.Scheduled, ["scheduled", "programada", "programado"]),
        (InteractionStatus.Sent, ["sent", "enviada", "enviado"]),
        (InteractionStatus.Delivered, ["delivered", "entregada", "entregado"]),
        (InteractionStatus.Read, ["read", "leida", "leido"]),
        (InteractionStatus.Unread, ["unread", "noleida", "noleido"]),
        (InteractionStatus.Failed, ["failed", "fallida", "fallido", "error"]),
        (InteractionStatus.Cancelled, ["cancelled", "canceled", "cancelada", "cancelado"]));

    private static readonly Dictionary<string, InteractionDirection> Directions = Synonyms(
        (InteractionDirection.Outbound, ["outbound", "saliente", "enviada"]),
        (InteractionDirection.Inbound, ["inbound", "entrante", "recibida"]));

    private static readonly Dictionary<string, DocumentKind> DocumentTypes = Synonyms(
        (DocumentKind.CC, ["cc", "cedula", "cedulaciudadania", "ceduladeciudadania"]),
        (DocumentKind.CE, ["ce", "cedulaextranjeria", "ceduladeextranjeria"]),
        (DocumentKind.NIT, ["nit"]),
        (DocumentKind.PAS, ["pas", "pasaporte", "passport", "pp"]),
        (DocumentKind.TI, ["ti", "tarjetaidentidad", "tarjetadeidentidad"]),
        (DocumentKind.PEP, ["pep"]));

    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd",
        "dd/MM/yyyy HH:mm:ss", "dd/MM/yyyy HH:mm", "dd/MM/yyyy", "d/M/yyyy H:mm", "d/M/yyyy",
    ];

    /// <summary>Parses a row, or returns the first problem found (as a sentence for the person who uploaded it).</summary>
    public static (ParsedImportRow? Row, string? Error) Parse(
        long seq, IReadOnlyList<string?> cells, IReadOnlyDictionary<string, int> columns, TimeZoneInfo zone, DateTimeOffset now)
    {
        string? Cell(string key) => columns.TryGetValue(key, out var i) && i < cells.Count && !string.IsNullOrWhiteSpace(cells[i]) ? cells[i]!.Trim() : null;

        var missing = All.Where(c => c.Required && Cell(c.Key) is null).Select(c => c.HeaderEs).ToList();
        if (missing.Count > 0)
        {
            return (null, $"Missing required value(s): {string.Join(", ", missing)}.");
        }

        if (!DocumentTypes.TryGetValue(Normalize(Cell(DocumentType)), out var documentType))
        {
            return (null, $"Unknown document type '{Cell(DocumentType)}'; use one of {string.Join(", ", Enum.GetNames<DocumentKind>())}.");
        }

        if (!Channels.TryGetValue(Normalize(Cell(Channel)), out var channel))
        {
            return (null, $"Unknown channel '{Cell(Channel)}'; use WhatsApp, SMS, Email, Voz, Push or RCS.");
        }

        if (!Statuses.TryGetValue(Normalize(Cell(Status)), out var status))
        {
            return (null, $"Unknown status '{Cell(Status)}'; use Enviada, Entregada, Leída, No leída, Fallida, Programada or Cancelada.");
        }

        var direction = InteractionDirection.Outbound;
        if (Cell(Direction) is { } directionText && !Directions.TryGetValue(Normalize(directionText), out direction))
        {
            return (null, $"Unknown direction '{directionText}'; use Saliente or Entrante.");
        }

        if (!DateTime.TryParseExact(Cell(SentAt), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return (null, $"'{Cell(SentAt)}' is not a date; write it as yyyy-mm-dd hh:mm or dd/mm/yyyy hh:mm, or use a date cell.");
        }

        var sentAt = Common.Time.TenantCalendar.ToInstant(local, zone);
        if (status != InteractionStatus.Scheduled && sentAt > now.AddMinutes(5))
        {
            return (null, $"The send date {Cell(SentAt)} is in the future; only scheduled communications can be.");
        }

        var tooLong = TooLong(Cell(DocumentNumber), 30, "Número de documento") ?? TooLong(Cell(Recipients), Interaction.MaxRecipientsLength, "Destinatarios")
            ?? TooLong(Cell(Message), Interaction.MaxMessageLength, "Mensaje") ?? TooLong(Cell(Template), 200, "Plantilla")
            ?? TooLong(Cell(Campaign), 200, "Campaña") ?? TooLong(Cell(Portfolio), 200, "Cartera") ?? TooLong(Cell(ErrorMessage), 1000, "Mensaje de error");
        if (tooLong is not null)
        {
            return (null, tooLong);
        }

        return (new ParsedImportRow(
            seq, documentType, Cell(DocumentNumber)!, channel, status, direction, sentAt, Cell(Recipients)!, Cell(Template), Cell(Campaign),
            Cell(Advisor)?.ToLowerInvariant(), Cell(Message), Cell(ErrorMessage), Cell(Portfolio)), null);
    }

    private static string? TooLong(string? value, int max, string header) =>
        value is not null && value.Length > max ? $"'{header}' is longer than {max} characters." : null;

    private static Dictionary<string, T> Synonyms<T>(params (T Value, string[] Names)[] entries) =>
        entries.SelectMany(e => e.Names.Select(n => (n, e.Value))).ToDictionary(x => x.n, x => x.Value, StringComparer.Ordinal);
}
