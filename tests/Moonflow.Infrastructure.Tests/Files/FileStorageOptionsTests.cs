using Moonflow.Infrastructure.Files;

namespace Moonflow.Infrastructure.Tests.Files;

/// <summary>A relative file store root means the same folder to every node, however and wherever it was started.</summary>
public sealed class FileStorageOptionsTests
{
    [Fact]
    public void FullRoot_WhenRelative_IsTakenFromMoonflowHomeNotFromTheCurrentFolder()
    {
        var home = Path.Combine(Path.GetTempPath(), $"moonflow-home-{Guid.NewGuid():N}");
        var previous = Environment.GetEnvironmentVariable("MOONFLOW_HOME");
        Environment.SetEnvironmentVariable("MOONFLOW_HOME", home);
        try
        {
            var options = new FileStorageOptions { Root = "storage" };

            Assert.Equal(Path.Combine(home, "storage"), options.FullRoot());
            Assert.Equal(Path.Combine(home, "shared", "files"), new FileStorageOptions { Root = "shared/../shared/files" }.FullRoot());
        }
        finally
        {
            Environment.SetEnvironmentVariable("MOONFLOW_HOME", previous);
        }
    }

    [Fact]
    public void FullRoot_WhenNoMoonflowHome_IsUnderTheUsersLocalDataFolder()
    {
        var previous = Environment.GetEnvironmentVariable("MOONFLOW_HOME");
        Environment.SetEnvironmentVariable("MOONFLOW_HOME", null);
        try
        {
            var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);

            Assert.Equal(Path.Combine(data, "moonflow", "storage"), new FileStorageOptions().FullRoot());
        }
        finally
        {
            Environment.SetEnvironmentVariable("MOONFLOW_HOME", previous);
        }
    }

    [Fact]
    public void FullRoot_WhenAbsolute_IsKeptAsItIs()
    {
        var root = Path.Combine(Path.GetTempPath(), "moonflow-shared");

        Assert.Equal(root, new FileStorageOptions { Root = root }.FullRoot());
    }
}
