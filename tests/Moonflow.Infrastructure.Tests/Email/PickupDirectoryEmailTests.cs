using Microsoft.Extensions.Options;
using MimeKit;
using Moonflow.Application.Common.Email;
using Moonflow.Infrastructure.Email;

namespace Moonflow.Infrastructure.Tests.Email;

public sealed class PickupDirectoryEmailTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "moonflow-mail-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Send_WhenNoSmtpHostIsSet_WritesTheMessageAsAnEmlFileToThePickupDirectory()
    {
        var sender = new MailKitEmailSender(Options.Create(new EmailOptions { PickupDirectory = _folder }), TimeProvider.System);

        await sender.SendAsync(new EmailMessage("ana@demo.test", "Tu respaldo está listo", "Hola: https://x/y?token=abc", "<p>Hola</p>"), CancellationToken.None);

        var file = Assert.Single(Directory.GetFiles(_folder, "*.eml"));
        var message = await MimeMessage.LoadAsync(file);
        Assert.Equal("ana@demo.test", message.To.Mailboxes.Single().Address);
        Assert.Equal("Tu respaldo está listo", message.Subject);
        Assert.Contains("token=abc", message.TextBody, StringComparison.Ordinal);
        Assert.Equal("<p>Hola</p>", message.HtmlBody?.Trim());
    }

    [Fact]
    public void FullPickupDirectory_WhenRelative_IsUnderTheFileStoresBase()
    {
        var options = new EmailOptions();

        Assert.Equal(Path.GetFullPath(Path.Combine(Moonflow.Infrastructure.Files.FileStorageOptions.HomeDirectory(), ".local/mail")), options.FullPickupDirectory());
    }

    [Fact]
    public async Task Send_WhenTheSmtpServerCannotBeReached_ThrowsADeliveryFailure()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there any more
        var sender = new MailKitEmailSender(
            Options.Create(new EmailOptions { Smtp = new SmtpSettings { Host = "127.0.0.1", Port = port, UseTls = false, Timeout = TimeSpan.FromSeconds(5) } }), TimeProvider.System);

        await Assert.ThrowsAsync<EmailDeliveryException>(() => sender.SendAsync(new EmailMessage("ana@demo.test", "s", "t", "<p>h</p>"), CancellationToken.None));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
