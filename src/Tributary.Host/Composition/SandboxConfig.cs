using Tributary.Host.Configuration;
using Tributary.Sandbox;

namespace Tributary.Host.Composition;

/// <summary>A pipeline config pointing at a running sandbox, with the sandbox's (non-secret) credentials.</summary>
public static class SandboxConfig
{
    public static TributaryConfig For(SandboxServer sandbox, SandboxOptions options, string statePath, SyncConfig? sync = null) => new()
    {
        FilePath = "(sandbox)",
        PipelineName = "sandbox",
        StatePath = statePath,
        Commercetools = new CommercetoolsConfig
        {
            ApiUrl = sandbox.CommercetoolsUrl,
            AuthUrl = sandbox.CommercetoolsUrl,
            ProjectKey = options.Commercetools.ProjectKey,
            ClientId = options.Commercetools.ClientId,
            ClientSecret = options.Commercetools.ClientSecret,
        },
        Emarsys = new EmarsysConfig
        {
            ApiUrl = sandbox.EmarsysUrl,
            User = options.Emarsys.User,
            Secret = options.Emarsys.Secret,
            RequestsPerMinute = options.Emarsys.RequestsPerMinute,
        },
        Sync = sync ?? new SyncConfig { Interval = TimeSpan.FromSeconds(5) },
    };
}
