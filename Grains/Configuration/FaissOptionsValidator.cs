using MemorySync.Faiss;
using Microsoft.Extensions.Options;

namespace MemorySync.Configuration;

/// <summary>Checks the FAISS settings (section <c>Faiss</c>) at start-up, naming the setting to fix.</summary>
internal sealed class FaissOptionsValidator : IValidateOptions<FaissOptions>
{
    public ValidateOptionsResult Validate(string? name, FaissOptions options)
    {
        if (options.Dimension < 1)
        {
            return ValidateOptionsResult.Fail("Faiss:Dimension must be positive");
        }

        if (string.IsNullOrWhiteSpace(options.Factory) || options.Factory.Contains("HNSW", StringComparison.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Fail("Faiss:Factory must name an index that supports removal (for example Flat, SQ8 or IVF1024,Flat; not HNSW)");
        }

        if (options.SnapshotAfterChanges < 1 || options.SnapshotInterval <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail("Faiss:SnapshotAfterChanges and Faiss:SnapshotInterval must be positive");
        }

        if (options.TrainAfterVectors < 1)
        {
            return ValidateOptionsResult.Fail("Faiss:TrainAfterVectors must be at least 1");
        }

        return options.Threads < 1 ? ValidateOptionsResult.Fail("Faiss:Threads must be at least 1") : ValidateIndexType(options);
    }

    // FAISS is the judge of factory strings and parameters: build an empty index of the type and set each parameter.

    private static ValidateOptionsResult ValidateIndexType(FaissOptions options)
    {
        IReadOnlyList<FaissSearchParameter> parameters;
        try
        {
            parameters = FaissSearchParameter.ParseList(options.EffectiveSearchParameters);
        }
        catch (FormatException exception)
        {
            return ValidateOptionsResult.Fail($"Faiss:SearchParameters: {exception.Message}");
        }

        FaissIndex index;
        try
        {
            index = FaissIndex.Create(options.Factory, options.Metric, options.Dimension);
        }
        catch (FaissException exception)
        {
            return ValidateOptionsResult.Fail($"Faiss:Factory '{options.Factory}' is not an index FAISS can build: {exception.Message}");
        }

        using (index)
        {
            try
            {
                index.SetParameters(parameters);
                return ValidateOptionsResult.Success;
            }
            catch (FaissException exception)
            {
                return ValidateOptionsResult.Fail($"Faiss:SearchParameters '{options.EffectiveSearchParameters}' do not apply to {options.Factory}: {exception.Message}");
            }
        }
    }
}
