using Microsoft.AspNetCore.Http;

namespace Tributary.Sandbox.Faults;

/// <summary>What to break, and how often. Every emulator has its own injector; tests and the CLI change it at run time.</summary>
public sealed class FaultOptions
{
    /// <summary>Share of requests answered with a 5xx (0..1).</summary>
    public double ServerErrorRate { get; set; }

    /// <summary>Share of requests answered with the platform's rate-limit answer (0..1).</summary>
    public double RateLimitRate { get; set; }

    /// <summary>Share of requests that hang for <see cref="TimeoutDelay"/> before failing (0..1).</summary>
    public double TimeoutRate { get; set; }

    /// <summary>How long a "timed out" request hangs.</summary>
    public TimeSpan TimeoutDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Latency added to every request.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Seconds announced in Retry-After (or the platform's reset header) on an injected rate-limit answer.</summary>
    public int RetryAfterSeconds { get; set; } = 1;
}

/// <summary>The kind of fault chosen for one request.</summary>
public enum InjectedFault
{
    /// <summary>Serve the request normally.</summary>
    None,
    /// <summary>Answer 5xx.</summary>
    ServerError,
    /// <summary>Answer the platform's rate-limit response.</summary>
    RateLimited,
    /// <summary>Hang, then fail.</summary>
    Timeout,
}

/// <summary>Decides, per request, whether to inject a fault. Deterministic for a given seed.</summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly Random _random;
    private int _forcedServerErrors;
    private int _forcedRateLimits;
    private long _injected;

    /// <summary>Creates an injector.</summary>
    public FaultInjector(int seed = 7) => _random = new Random(seed);

    /// <summary>The live settings.</summary>
    public FaultOptions Options { get; } = new();

    /// <summary>How many faults were injected.</summary>
    public long Injected => Interlocked.Read(ref _injected);

    /// <summary>The next <paramref name="count"/> requests get a 5xx.</summary>
    public void FailNext(int count) { lock (_gate) { _forcedServerErrors += count; } }

    /// <summary>The next <paramref name="count"/> requests get the rate-limit answer.</summary>
    public void RateLimitNext(int count) { lock (_gate) { _forcedRateLimits += count; } }

    /// <summary>Turns every fault off.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _forcedServerErrors = 0;
            _forcedRateLimits = 0;
            Options.ServerErrorRate = 0;
            Options.RateLimitRate = 0;
            Options.TimeoutRate = 0;
            Options.Latency = TimeSpan.Zero;
        }
    }

    /// <summary>Chooses the fault for one request.</summary>
    public InjectedFault Next()
    {
        lock (_gate)
        {
            var fault = InjectedFault.None;
            if (_forcedRateLimits > 0)
            {
                _forcedRateLimits--;
                fault = InjectedFault.RateLimited;
            }
            else if (_forcedServerErrors > 0)
            {
                _forcedServerErrors--;
                fault = InjectedFault.ServerError;
            }
            else
            {
                var roll = _random.NextDouble();
                if (roll < Options.RateLimitRate)
                {
                    fault = InjectedFault.RateLimited;
                }
                else if (roll < Options.RateLimitRate + Options.ServerErrorRate)
                {
                    fault = InjectedFault.ServerError;
                }
                else if (roll < Options.RateLimitRate + Options.ServerErrorRate + Options.TimeoutRate)
                {
                    fault = InjectedFault.Timeout;
                }
            }

            if (fault != InjectedFault.None)
            {
                _injected++;
            }

            return fault;
        }
    }

    /// <summary>
    /// Applies latency and chooses a fault; returns the platform-specific result to short-circuit with, or null to serve normally.
    /// </summary>
    public async ValueTask<IResult?> InterceptAsync(HttpContext context, Func<IResult> rateLimited, Func<IResult> serverError)
    {
        if (Options.Latency > TimeSpan.Zero)
        {
            await Task.Delay(Options.Latency, context.RequestAborted);
        }

        switch (Next())
        {
            case InjectedFault.RateLimited:
                return rateLimited();
            case InjectedFault.ServerError:
                return serverError();
            case InjectedFault.Timeout:
                await Task.Delay(Options.TimeoutDelay, context.RequestAborted);
                return Results.StatusCode(StatusCodes.Status504GatewayTimeout);
            default:
                return null;
        }
    }
}
