using LvlmEval.Datasets;
using LvlmEval.Common;
using LvlmEval.Harness.Configuration;
using LvlmEval.Harness.Running;
using LvlmEval.Imaging;

namespace LvlmEval.Harness.Cli;

/// <summary>Exit codes and the one place exceptions become messages: 2 for bad input (experiment, flags, folders), 1 for failures.</summary>
public static class CliErrors
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>A run or command that failed after its input was accepted (or a regression found by compare).</summary>
    public const int Failed = 1;

    /// <summary>Bad input: experiment file, flags, missing folders, unreadable images or predictions files.</summary>
    public const int BadInput = 2;

    /// <summary>Runs <paramref name="body"/>, printing any error on one line to stderr and mapping it to an exit code.</summary>
    public static int Guard(TextWriter error, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is ExperimentConfigException or RunFolderException or ParameterException or ArgumentException
                                      or DatasetLayoutException or FileNotFoundException or DirectoryNotFoundException
                                      or ImageDecodeException or PredictionsFileException)
        {
            error.WriteLine("error: " + e.Message);
            return BadInput;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or FormatException
                                      || e.GetType().Namespace?.StartsWith("LvlmEval", StringComparison.Ordinal) == true)
        {
            error.WriteLine("error: " + e.Message);
            return Failed;
        }
    }
}
