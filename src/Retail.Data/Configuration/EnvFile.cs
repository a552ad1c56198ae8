namespace Retail.Data.Configuration;

/// <summary>Loads a .env the way users of python-dotenv expect: variables already set in the environment win.</summary>
public static class EnvFile
{
    public static void LoadIfPresent(string directory)
    {
        var path = Path.Combine(directory, ".env");
        if (File.Exists(path))
        {
            DotNetEnv.Env.NoClobber().Load(path);
        }
    }
}
