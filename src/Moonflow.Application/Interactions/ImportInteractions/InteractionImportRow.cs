using System.Globalization;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Interactions;
using DocumentKind = Moonflow.Domain.Receivables.DocumentType;
using static Moonflow.Application.Interactions.ImportInteractions.InteractionImportColumns;

namespace Moonflow.Application.Interactions.ImportInteractions;

/// <summary>One data row of a bulk communications upload, parsed into typed values (its client and advisor not looked up yet).</summary>
public sealed record InteractionImportRow(
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
/// Reads the cells of uploaded rows. Values match in Spanish or English, ignoring case and accents
/// ("Correo" = email, "Leída" = read); dates are wall-clock times in the tenant's time zone.
/// One parser serves every row of a chunk: the header's column positions are looked up once.
/// </summary>
public sealed class InteractionImportRowParser
{
    private static readonly Synonyms<InteractionChannel> Channels = new(
        (InteractionChannel.Whatsapp, ["whatsapp", "wa", "whatsappbusiness"]),
        (InteractionChannel.Sms, ["sms", "mensajedetexto", "texto", "textmessage"]),
        (InteractionChannel.Email, ["email", "correo", "correoelectronico", "mail"]),
        (InteractionChannel.Voice, ["voice", "voz", "llamada", "call", "ivr"]),
        (InteractionChannel.Push, ["push", "notificacionpush", "pushnotification"]),
        (InteractionChannel.Rcs, ["rcs"]));

    private static readonly Synonyms<InteractionStatus> Statuses = new(
        (InteractionStatus.Scheduled, ["scheduled", "programada", "programado"]),
        (InteractionStatus.Sent, ["sent", "enviada", "enviado"]),
        (InteractionStatus.Delivered, ["delivered", "entregada", "entregado"]),
        (InteractionStatus.Read, ["read", "leida", "leido"]),
        (InteractionStatus.Unread, ["unread", "noleida", "noleido"]),
        (InteractionStatus.Failed, ["failed", "fallida", "fallido", "error"]),
        (InteractionStatus.Cancelled, ["cancelled", "canceled", "cancelada", "cancelado"]));

    private static readonly Synonyms<InteractionDirection> Directions = new(
        (InteractionDirection.Outbound, ["outbound", "saliente", "enviada"]),
        (InteractionDirection.Inbound, ["inbound", "entrante", "recibida"]));

    private static readonly Synonyms<DocumentKind> DocumentTypes = new(
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

    private readonly int[] _positions;
    private readonly int _documentType;
    private readonly int _documentNumber;
    private readonly int _channel;
    private readonly int _sentAt;
    private readonly int _recipients;
    private readonly int _status;
    private readonly int _direction;
    private readonly int _template;
    private readonly int _campaign;
    private readonly int _advisor;
    private readonly int _message;
    private readonly int _errorMessage;
    private readonly int _portfolio;
    private readonly TimeZoneInfo _zone;
    private readonly DateTimeOffset _latestSentAt;

    public InteractionImportRowParser(IReadOnlyDictionary<string, int> columns, TimeZoneInfo zone, DateTimeOffset now)
    {
        int Position(string key) => columns.TryGetValue(key, out var i) ? i : -1;

        _positions = All.Select(c => Position(c.Key)).ToArray();
        (_documentType, _documentNumber, _channel, _sentAt, _recipients, _status) =
            (Position(DocumentType), Position(DocumentNumber), Position(Channel), Position(SentAt), Position(Recipients), Position(Status));
        (_direction, _template, _campaign, _advisor, _message, _errorMessage, _portfolio) =
            (Position(Direction), Position(Template), Position(Campaign), Position(Advisor), Position(Message), Position(ErrorMessage), Position(Portfolio));
        _zone = zone;
        _latestSentAt = now.AddMinutes(5);
    }

    /// <summary>Parses a row, or returns the first problem found (as a sentence for the person who uploaded it).</summary>
    public (InteractionImportRow? Row, string? Error) Parse(long seq, IReadOnlyList<string?> cells)
    {
        string? Cell(int position) =>
            position >= 0 && position < cells.Count && cells[position] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        var (documentTypeText, documentNumber, channelText, sentAtText, recipients, statusText) =
            (Cell(_documentType), Cell(_documentNumber), Cell(_channel), Cell(_sentAt), Cell(_recipients), Cell(_status));
        if (documentTypeText is null || documentNumber is null || channelText is null || sentAtText is null || recipients is null || statusText is null)
        {
            var missing = All.Where((c, i) => c.Required && Cell(_positions[i]) is null).Select(c => c.HeaderEs);
            return (null, $"Missing required value(s): {string.Join(", ", missing)}.");
        }

        if (!DocumentTypes.TryMatch(documentTypeText, out var documentType))
        {
            return (null, $"Unknown document type '{documentTypeText}'; use one of {string.Join(", ", Enum.GetNames<DocumentKind>())}.");
        }

        if (!Channels.TryMatch(channelText, out var channel))
        {
            return (null, $"Unknown channel '{channelText}'; use WhatsApp, SMS, Email, Voz, Push or RCS.");
        }

        if (!Statuses.TryMatch(statusText, out var status))
        {
            return (null, $"Unknown status '{statusText}'; use Enviada, Entregada, Leída, No leída, Fallida, Programada or Cancelada.");
        }

        var direction = InteractionDirection.Outbound;
        if (Cell(_direction) is { } directionText && !Directions.TryMatch(directionText, out direction))
        {
            return (null, $"Unknown direction '{directionText}'; use Saliente or Entrante.");
        }

        if (!TryParseIsoDate(sentAtText, out var local)
            && !DateTime.TryParseExact(sentAtText, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out local))
        {
            return (null, $"'{sentAtText}' is not a date; write it as yyyy-mm-dd hh:mm or dd/mm/yyyy hh:mm, or use a date cell.");
        }

        var sentAt = Common.Time.TenantCalendar.ToInstant(local, _zone);
        if (status != InteractionStatus.Scheduled && sentAt > _latestSentAt)
        {
            return (null, $"The send date {sentAtText} is in the future; only scheduled communications can be.");
        }

        var (template, campaign, advisor, message, errorMessage, portfolio) =
            (Cell(_template), Cell(_campaign), Cell(_advisor), Cell(_message), Cell(_errorMessage), Cell(_portfolio));
        var tooLong = TooLong(documentNumber, 30, "Número de documento") ?? TooLong(recipients, Interaction.MaxRecipientsLength, "Destinatarios")
            ?? TooLong(message, Interaction.MaxMessageLength, "Mensaje") ?? TooLong(template, 200, "Plantilla")
            ?? TooLong(campaign, 200, "Campaña") ?? TooLong(portfolio, 200, "Cartera") ?? TooLong(errorMessage, 1000, "Mensaje de error");
        if (tooLong is not null)
        {
            return (null, tooLong);
        }

        return (new InteractionImportRow(
            seq, documentType, documentNumber, channel, status, direction, sentAt, recipients, template, campaign,
            advisor?.ToLowerInvariant(), message, errorMessage, portfolio), null);
    }

    /// <summary>
    /// The shapes a date cell or an ISO text takes (yyyy-MM-dd, with HH:mm or HH:mm:ss after a 'T' or a space), read
    /// without trying every format in turn. False sends the text to the full list of formats, which has the last word.
    /// </summary>
    private static bool TryParseIsoDate(string text, out DateTime value)
    {
        value = default;
        if (text.Length is not (10 or 16 or 19) || text[4] != '-' || text[7] != '-')
        {
            return false;
        }

        var (hour, minute, second) = (0, 0, 0);
        if (text.Length > 10 && (text[10] is not ('T' or ' ') || text[13] != ':' || !TryDigits(text, 11, out hour) || !TryDigits(text, 14, out minute)
            || (text.Length == 19 && (text[16] != ':' || !TryDigits(text, 17, out second)))))
        {
            return false;
        }

        if (!TryDigits(text, 0, out var century) || !TryDigits(text, 2, out var yearInCentury) || !TryDigits(text, 5, out var month) || !TryDigits(text, 8, out var day))
        {
            return false;
        }

        var year = (century * 100) + yearInCentury;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        return true;
    }

    private static bool TryDigits(string text, int start, out int value)
    {
        var (tens, units) = (text[start] - '0', text[start + 1] - '0');
        value = (tens * 10) + units;
        return (uint)tens <= 9 && (uint)units <= 9;
    }

    private static string? TooLong(string? value, int max, string header) =>
        value is not null && value.Length > max ? $"'{header}' is longer than {max} characters." : null;
}
