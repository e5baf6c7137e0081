using Moonflow.Application.Identity.ApiKeys;

namespace Moonflow.Application.Tests.Identity;

public sealed class ApiKeySecretTests
{
    [Fact]
    public void Generate_WhenKeyIsIssued_ItsPrefixCanBeReadBackFromTheFullKey()
    {
        var (prefix, fullKey, _) = ApiKeySecret.Generate();

        Assert.StartsWith($"mf_{prefix}_", fullKey, StringComparison.Ordinal);
        Assert.True(ApiKeySecret.TryParsePrefix(fullKey, out var parsed));
        Assert.Equal(prefix, parsed);
    }

    [Fact]
    public void Generate_WhenCalledTwice_GivesDifferentPrefixesKeysAndHashes()
    {
        var first = ApiKeySecret.Generate();
        var second = ApiKeySecret.Generate();

        Assert.NotEqual(first.Prefix, second.Prefix);
        Assert.NotEqual(first.FullKey, second.FullKey);
        Assert.NotEqual(first.Hash, second.Hash);
    }

    [Fact]
    public void Generate_WhenKeyIsIssued_StoresOnlyAHashThatDoesNotContainTheSecret()
    {
        var (_, fullKey, hash) = ApiKeySecret.Generate();

        Assert.DoesNotContain(fullKey.Split('_', 3)[2], hash, StringComparison.Ordinal);
        Assert.Equal(ApiKeySecret.Hash(fullKey), hash);
    }

    [Fact]
    public void Matches_WhenGivenTheIssuedKey_IsTrue()
    {
        var (_, fullKey, hash) = ApiKeySecret.Generate();

        Assert.True(ApiKeySecret.Matches(fullKey, hash));
    }

    [Fact]
    public void Matches_WhenOneCharacterOfTheKeyIsChanged_IsFalse()
    {
        var (_, fullKey, hash) = ApiKeySecret.Generate();
        var tampered = fullKey[..^1] + (fullKey[^1] == 'A' ? 'B' : 'A');

        Assert.False(ApiKeySecret.Matches(tampered, hash));
    }

    [Fact]
    public void Matches_WhenTheKeyOfAnotherPrefixIsUsed_IsFalse()
    {
        var mine = ApiKeySecret.Generate();
        var theirs = ApiKeySecret.Generate();

        Assert.False(ApiKeySecret.Matches(theirs.FullKey, mine.Hash));
    }

    [Fact]
    public void Matches_WhenStoredHashIsEmpty_IsFalse() => Assert.False(ApiKeySecret.Matches(ApiKeySecret.Generate().FullKey, string.Empty));

    [Fact]
    public void TryParsePrefix_WhenSecretContainsUnderscores_StillReadsThePrefix()
    {
        Assert.True(ApiKeySecret.TryParsePrefix("mf_0a1b2c3d4e5f_se_cr_et", out var prefix));
        Assert.Equal("0a1b2c3d4e5f", prefix);
    }

    [Theory]
    [InlineData("")]
    [InlineData("mf")]
    [InlineData("mf_0a1b2c3d4e5f")]
    [InlineData("mf__secret")]
    [InlineData("xx_0a1b2c3d4e5f_secret")]
    [InlineData("Bearer abc.def.ghi")]
    public void TryParsePrefix_WhenNotAMoonflowKey_ReturnsFalse(string value)
    {
        Assert.False(ApiKeySecret.TryParsePrefix(value, out var prefix));
        Assert.Equal(string.Empty, prefix);
    }
}
