using System.Text;

namespace MemorySync.Cli.Bench;

/// <summary>
/// Texts shaped like the descriptions an agent imports (a product, a ticket, a note): about 460 characters of sentences,
/// each text different, seeded so runs compare. The import rows embed them, so their length is what costs.
/// </summary>
internal static class BenchDescriptions
{
    private const int Characters = 460;

    private static readonly string[] Subjects =
    [
        "The customer", "Our support team", "The nightly build", "A field engineer", "The billing service", "The new intern",
        "The warehouse in Leeds", "The mobile app", "A long-time subscriber", "The data pipeline", "The design review", "The vendor",
    ];

    private static readonly string[] Verbs =
    [
        "reported", "asked about", "scheduled", "cancelled", "reviewed", "rolled back", "approved", "escalated", "documented",
        "measured", "replaced", "forgot", "renewed", "migrated", "tested", "complained about",
    ];

    private static readonly string[] Objects =
    [
        "a delayed shipment of ergonomic chairs", "the quarterly invoice for cloud storage", "an intermittent login failure on Android",
        "the onboarding checklist for new hires", "a refund for the annual plan", "the database failover drill", "the garden furniture order",
        "error code E4012 in the payment form", "the Friday release of version 3.2", "a broken espresso machine in the office",
        "the travel budget for the Berlin conference", "the allergy note in the patient record", "a password reset that never arrived",
        "the fire safety inspection", "the translation of the user manual", "a noisy fan in server rack 7",
    ];

    private static readonly string[] Tails =
    [
        "before the end of the week", "after two reminders", "with a detailed screenshot", "during the morning stand-up",
        "while the manager was on holiday", "for the third time this month", "without telling anyone", "as the contract requires",
    ];

    public static IReadOnlyList<string> Create(int count, int seed) =>
        Enumerable.Range(0, count).Select(index => Create(new Random(HashCode.Combine(seed, index)), index)).ToList();

    private static string Create(Random random, int index)
    {
        var text = new StringBuilder(Characters + 120).Append("Note ").Append(index).Append(". ");
        while (text.Length < Characters)
        {
            text.Append(Pick(random, Subjects)).Append(' ').Append(Pick(random, Verbs)).Append(' ').Append(Pick(random, Objects))
                .Append(' ').Append(Pick(random, Tails)).Append(". ");
        }

        return text.ToString().TrimEnd();
    }

    private static string Pick(Random random, string[] words) => words[random.Next(words.Length)];
}
