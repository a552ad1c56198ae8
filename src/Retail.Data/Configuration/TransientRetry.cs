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
        PostgresException pe => pe.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.CrashShutdown
            or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        NpgsqlException ne => ne.IsTransient || ne.InnerException is IOException or SocketException,
        SocketException or TimeoutException => true,
        _ => false,
    };

    public static ResiliencePipeline Create(TimeProvider clock, int maxAttempts = 4, TimeSpan? delay = null) =>
        new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                MaxRetryAttempts = Math.Max(0, maxAttempts - 1),
                Delay = delay ?? TimeSpan.FromSeconds(0.5),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
}
