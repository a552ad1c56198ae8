using System.Net.Sockets;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Retail.Data.Configuration;

/// <summary>Retries what a restart or a dropped connection causes, with exponential backoff; nothing else.</summary>
public static class TransientRetry
{
    public static bool IsTransient(Exception e) => e switch
    {
        PostgresException pe => pe.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        NpgsqlException ne => ne.IsTransient || ne.InnerException is IOException or SocketException,
        SocketException or TimeoutException => true,
        _ => false,
    };

    public static ResiliencePipeline Create(TimeProvider clock, int maxAttempts = 4, TimeSpan? delay = null) =>
        Build(clock, maxAttempts, delay ?? TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(30));

    /// <summary>
    /// For work on a server we have already reached: a restart or a dropped connection mid-load is waited out for about
    /// <see cref="OutageBudget"/> (backoff 0.5 s doubling, capped at 8 s), then the failure is reported.
    /// </summary>
    public static ResiliencePipeline ForOutages(TimeProvider clock) => Build(clock, 8, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(8));

    /// <summary>How long <see cref="ForOutages"/> keeps trying, in all (documented in the README).</summary>
    public static readonly TimeSpan OutageBudget = TimeSpan.FromSeconds(30);

    private static ResiliencePipeline Build(TimeProvider clock, int maxAttempts, TimeSpan delay, TimeSpan maxDelay) =>
        new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                MaxRetryAttempts = Math.Max(0, maxAttempts - 1),
                Delay = delay,
                MaxDelay = maxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
}
