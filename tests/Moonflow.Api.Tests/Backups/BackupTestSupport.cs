using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Moonflow.Api.Tests.Support;
using Moonflow.Application.Common.Backups;
using Npgsql;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Moonflow.Api.Tests.Backups;

/// <summary>
/// The real API with a real SMTP server of its own (the SmtpServer package) on a free port, email retries a few hundred
/// milliseconds apart, and a contributor that can be made slow (a backup that runs until it is cancelled).
/// </summary>
public class BackupApiFactory : MoonflowApiFactory
{
    public BackupApiFactory()
    {
        Smtp = new SmtpTestServer();
    }

    public SmtpTestServer Smtp { get; }

    public SlowContributor Slow { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Email:Smtp:Host", "127.0.0.1");
        builder.UseSetting("Email:Smtp:Port", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Email:Smtp:UseTls", "false");
        builder.UseSetting("Email:From", "Moonflow <backups@moonflow.test>");
        builder.UseSetting("Backups:EmailRetryDelays:0", "00:00:00.200");
        builder.UseSetting("Backups:PublicBaseUrl", "http://localhost");
        builder.UseSetting("Processes:ProgressInterval", "00:00:00.200");
    }

    /// <summary>Subclasses that decorate ports call this first.</summary>
    protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<IBackupContributor>(Slow);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Smtp.Dispose();
    }

    /// <summary>Each test starts with a tenant that never backed up (the quota would refuse the second test otherwise).</summary>
    public Task ResetBackupsAsync() => WithDbAsync(async db =>
    {
        await using var command = new NpgsqlCommand("DELETE FROM backups.email_outbox; DELETE FROM backups.backup_downloads; DELETE FROM backups.backup_requests;", db);
        return await command.ExecuteNonQueryAsync();
    });

    public Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters) => WithDbAsync(async db =>
    {
        await using var command = new NpgsqlCommand(sql, db);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync();
    });

    public Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters) => WithDbAsync(async db =>
    {
        await using var command = new NpgsqlCommand(sql, db);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    });
}

/// <summary>A contributor that adds nothing unless enabled; enabled, it writes one entry until the backup is cancelled.</summary>
public sealed class SlowContributor : IBackupContributor
{
    public volatile bool Enabled;

    public int Order => 1000;

    public Task<long> EstimateEntriesAsync(BackupScope scope, CancellationToken cancellationToken) => Task.FromResult(Enabled ? 1L : 0L);

    public async Task ContributeAsync(BackupScope scope, IBackupArchive archive, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }

        await archive.AddAsync("slow", "endless.bin", async (stream, ct) =>
        {
            var chunk = new byte[1 << 16];
            Random.Shared.NextBytes(chunk);
            while (true)
            {
                await stream.WriteAsync(chunk, ct);
            }
        }, cancellationToken);
    }
}

/// <summary>A real SMTP server on a free local port that keeps what it receives, and can be told to refuse messages.</summary>
public sealed class SmtpTestServer : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Store _store = new();

    public SmtpTestServer()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(_store);
        _ = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>While true, every message is refused with 451 (a temporary failure).</summary>
    public bool Refusing
    {
        get => _store.Refusing;
        set => _store.Refusing = value;
    }

    public int Refused => _store.Refused;

    public IReadOnlyList<MimeMessage> Messages => _store.Messages;

    /// <summary>Waits for a message that matches (polling what arrived) or fails the test after the timeout.</summary>
    /// <param name="after">How many messages had arrived before: only later ones count.</param>
    public async Task<MimeMessage> WaitForMessageAsync(int after, Func<MimeMessage, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            if (_store.Messages.Skip(after).FirstOrDefault(m => match?.Invoke(m) ?? true) is { } message)
            {
                return message;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No matching email arrived; received {_store.Messages.Count}, refused {_store.Refused}.");
            await Task.Delay(100);
        }
    }

    public async Task WaitForRefusalsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (_store.Refused < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Only {_store.Refused} messages were refused.");
            await Task.Delay(50);
        }
    }

    /// <summary>The download link in a message's text body.</summary>
    public static Uri LinkIn(MimeMessage message)
    {
        var match = Regex.Match(message.TextBody ?? string.Empty, @"https?://\S+/api/v1/backups/download\?token=\S+");
        Assert.True(match.Success, $"No download link in: {message.TextBody}");
        return new Uri(match.Value);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private sealed class Store : MessageStore
    {
        private readonly Lock _gate = new();
        private readonly List<MimeMessage> _messages = [];
        private int _refused;

        public volatile bool Refusing;

        public int Refused => Volatile.Read(ref _refused);

        public IReadOnlyList<MimeMessage> Messages
        {
            get
            {
                lock (_gate)
                {
                    return _messages.ToList();
                }
            }
        }

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (Refusing)
            {
                Interlocked.Increment(ref _refused);
                return new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "try again later");
            }

            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            lock (_gate)
            {
                _messages.Add(message);
            }

            return SmtpResponse.Ok;
        }
    }
}
