using System.Net;
using System.Net.Http.Json;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Receivables;

[Collection(ApiCollection.Name)]
public sealed class PaymentOrdersTests(MoonflowApiFactory api)
{
    [Fact]
    public async Task CreatePaymentOrder_WhenValid_Returns201WithStatusFromBalanceAndDates()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var clientId = (await TestClients.InsertAsync(api, "demo", 1, TestClients.UniqueTag("po")))[0];
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var response = await seller.PostAsJsonAsync("/api/v1/payment-orders", new
        {
            number = $"OP-T-{Guid.NewGuid():N}"[..20], clientId, issueDate = today.AddDays(-60), dueDate = today.AddDays(-30), amount = 1500000.456m, currency = "cop", balance = 500000m,
        });

        var order = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("overdue", order.GetProperty("status").GetString());
        Assert.Equal("COP", order.GetProperty("currency").GetString());
        Assert.Equal(1500000.46m, order.GetProperty("amount").GetDecimal());
        Assert.Equal(today.AddDays(-30).ToString("yyyy-MM-dd"), order.GetProperty("dueDate").GetString());
        var read = await (await seller.GetAsync(response.Headers.Location)).ReadJsonAsync();
        Assert.Equal(order.GetProperty("id").GetGuid(), read.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task CreatePaymentOrder_WhenInputIsWrong_Returns400PerField()
    {
        var seller = await api.SignInAsync("seller@demo.test");

        var response = await seller.PostAsJsonAsync("/api/v1/payment-orders", new
        {
            number = "", clientId = Guid.Empty, issueDate = "2026-05-10", dueDate = "2026-05-01", amount = -3, currency = "pesos",
        });

        var errors = (await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        foreach (var field in new[] { "number", "clientId", "dueDate", "amount", "currency" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"{field} missing in {errors}");
        }
    }

    [Fact]
    public async Task CreatePaymentOrder_WhenNumberIsTaken_Returns409AndWhenClientIsForeign_Returns400()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var clientId = (await TestClients.InsertAsync(api, "demo", 1, TestClients.UniqueTag("po")))[0];
        var foreignClient = (await TestClients.InsertAsync(api, "acme", 1, TestClients.UniqueTag("po")))[0];
        var number = $"OP-D-{Guid.NewGuid():N}"[..20];
        var body = new { number, clientId, issueDate = "2026-11-01", dueDate = "2026-12-01", amount = 100m, currency = "COP" };
        await (await seller.PostAsJsonAsync("/api/v1/payment-orders", body)).ReadJsonAsync(HttpStatusCode.Created);

        await (await seller.PostAsJsonAsync("/api/v1/payment-orders", body)).AssertProblemAsync(HttpStatusCode.Conflict, "payment_order_exists");
        var foreign = await seller.PostAsJsonAsync("/api/v1/payment-orders", body with { number = number + "X", clientId = foreignClient });
        Assert.True((await foreign.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("clientId", out _));
    }

    [Fact]
    public async Task ListPaymentOrders_WhenFilteredByStatusAndDueDate_ReturnsOnlyMatches()
    {
        var viewer = await api.SignInAsync("viewer@demo.test");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var page = await (await viewer.GetAsync($"/api/v1/payment-orders?status=overdue,paid&dueTo={today:yyyy-MM-dd}&limit=200")).ReadJsonAsync();

        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.All(items, o => Assert.Contains(o.GetProperty("status").GetString(), new[] { "overdue", "paid" }));
        Assert.All(items, o => Assert.True(DateOnly.Parse(o.GetProperty("dueDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture) <= today));
    }

    [Fact]
    public async Task PaymentOrders_OfAnotherTenant_AreInvisible()
    {
        var acme = await api.SignInAsync("admin@acme.test", "acme");
        var acmeOrder = (await (await acme.GetAsync("/api/v1/payment-orders?limit=1")).ReadJsonAsync()).GetProperty("items")[0];
        var demo = await api.SignInAsync("admin@demo.test");

        await (await demo.GetAsync($"/api/v1/payment-orders/{acmeOrder.GetProperty("id").GetGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var byClient = await (await demo.GetAsync($"/api/v1/payment-orders?clientId={acmeOrder.GetProperty("clientId").GetGuid()}")).ReadJsonAsync();
        Assert.Equal(0, byClient.GetProperty("items").GetArrayLength());
    }
}
