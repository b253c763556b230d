using Tributary.Core.Budgets;
using Tributary.Core.Contracts;

namespace Tributary.Engine;

/// <summary>A destination with the request budget of its account.</summary>
/// <param name="Connector">The destination connector.</param>
/// <param name="Budget">The shared budget for its credential.</param>
public sealed record DestinationBinding(IDestinationConnector Connector, RateBudget Budget)
{
    /// <summary>The destination name.</summary>
    public string Name => Connector.Name;
}

/// <summary>Thrown when a pipeline cannot go on until a person fixes something (credentials, configuration).</summary>
public sealed class PipelineHaltedException(string message, Exception? inner = null) : Exception(message, inner);
