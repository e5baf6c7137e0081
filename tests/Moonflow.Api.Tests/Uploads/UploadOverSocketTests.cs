using System.Net;
using System.Text.Json;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Uploads;

/// <summary>
/// The size limit on a real Kestrel socket, where the in-memory test server would hide how a refused body is answered:
/// every oversized upload gets one real answer, 413 <c>file_too_large</c>, however it is sent.
/// </summary>
public sealed class UploadOverSocketTests(UploadOverSocketTests.KestrelApiFactory api) : IClassFixture<UploadOverSocketTests.KestrelApiFactory>
{
    private const long Limit = MoonflowApiFactory.MaxUploadBytes;

    [Fact]
    public async Task Upload_WhenDeclaredLengthIsFarOverTheLimit_IsRefusedBeforeTheBodyIsSent()
    {
        var (server, token) = await SignInAsync();

        var answer = await RawHttp.PostAsync(server, Uploads.Url, token, new GeneratedUpload(40 * Limit), chunked: false, sendBody: false);

        AssertTooLarge(answer);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Upload_WhenBodyIsFortyTimesTheLimit_GetsA413AnswerWhileSending(bool chunked)
    {
        var (server, token) = await SignInAsync();

        var answer = await RawHttp.PostAsync(server, Uploads.Url, token, new GeneratedUpload(40 * Limit), chunked);

        AssertTooLarge(answer);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Upload_WhenFileIsOneByteOverTheLimit_Returns413FileTooLarge(bool chunked)
    {
        var seller = await api.SignInAsync("seller@demo.test");

        var response = await Uploads.PostAsync(seller, new GeneratedUpload(Limit + 1, declareLength: !chunked));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "file_too_large");
    }

    /// <summary>HttpClient sends the whole body before it reads an answer: it gets one all the same.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Upload_WhenClientSendsFortyTimesTheLimitBeforeReading_StillGets413FileTooLarge(bool chunked)
    {
        var seller = await api.SignInAsync("seller@demo.test");

        var response = await Uploads.PostAsync(seller, new GeneratedUpload(40 * Limit, declareLength: !chunked));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "file_too_large");
    }

    [Fact]
    public async Task Upload_WhenClientWaitsForContinue_Gets413WithoutSendingTheBody()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var request = new HttpRequestMessage(HttpMethod.Post, Uploads.Url) { Content = new GeneratedUpload(40 * Limit) };
        request.Headers.ExpectContinue = true;

        var response = await seller.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "file_too_large");
    }

    /// <summary>
    /// A body over the limit made of small form fields, not of the file: only the server's own body limit on the upload
    /// endpoint (the file limit plus the multipart envelope, not Kestrel's 30 MB default) stops it, with the same answer.
    /// </summary>
    [Fact]
    public async Task Upload_WhenTheBodyIsOverTheLimitInFieldsBesideTheFile_Returns413FileTooLarge()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var content = new MultipartFormDataContent();
        var value = new string('x', 1000);
        for (var i = 0; i < 2 * Limit / 1000; i++)
        {
            content.Add(new StringContent(value), $"note{i}");
        }

        content.Add(new ByteArrayContent(Uploads.Csv("123", 1, DateTime.UnixEpoch)), "file", "datos.csv");
        var request = new HttpRequestMessage(HttpMethod.Post, Uploads.Url) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await seller.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "file_too_large");
    }

    private async Task<(Uri Server, string Token)> SignInAsync()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        return (seller.BaseAddress!, seller.DefaultRequestHeaders.Authorization!.Parameter!);
    }

    private static void AssertTooLarge(RawHttp.Answer answer)
    {
        Assert.True(answer.Status == 413, $"Expected 413 but got {answer.Status}: {answer.Body}");
        var problem = JsonDocument.Parse(answer.Body).RootElement;
        Assert.Equal("file_too_large", problem.GetProperty("code").GetString());
    }

    /// <summary>The API on a real Kestrel socket (an ephemeral port) instead of the in-memory test server.</summary>
    public sealed class KestrelApiFactory : MoonflowApiFactory
    {
        public KestrelApiFactory() => UseKestrel(0);
    }
}
