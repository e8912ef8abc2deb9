using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MemorySync.Cli.Demo;

/// <summary>A demo search: a question and the memory that answers it.</summary>
/// <param name="ExpectedMemoryIdPrefixOrId">The answer's memory id, or a prefix shared by every acceptable answer.</param>
/// <param name="AgentId">The agent whose memories are searched; null searches every agent.</param>
internal sealed record DemoQuery(string Text, string ExpectedMemoryIdPrefixOrId, string? AgentId);

/// <summary>
/// The demo data set: the memories of five agents that serve one family (and, for the support agent, an internet
/// provider's customers). Each agent starts with hand-written key facts, so their ids never move, followed by
/// templates whose frames are filled from hand-written slot rows in a fixed order: every call returns the same memories.
/// </summary>
internal static class DemoMemories
{
    public const string TravelAgent = "travel-assistant";
    public const string CodingAgent = "coding-assistant";
    public const string FitnessAgent = "fitness-coach";
    public const string FamilyAgent = "family-assistant";
    public const string SupportAgent = "support-agent";

    /// <summary>Questions that paraphrase one key fact each, so a keyword match alone would not find it.</summary>
    public static IReadOnlyList<DemoQuery> Queries { get; } =
    [
        new("Could any ingredient make the user sick?", "demo-fitness-0001", null),
        new("What's the name of the user's pet?", "demo-family-0001", null),
        new("When is the user leaving for Portugal?", "demo-travel-0001", TravelAgent),
        new("What web framework does the user's personal Python app use?", "demo-code-0001", CodingAgent),
        new("Is there an old injury to keep in mind when planning the user's training?", "demo-fitness-0002", FitnessAgent),
        new("On which day does the girl have her music lesson?", "demo-family-0002", FamilyAgent),
    ];

    /// <summary>Builds every demo memory; embeddings are left to the silo.</summary>
    public static IReadOnlyList<MemoryWrite> Generate()
    {
        var memories = new List<MemoryWrite>(400);
        for (var agentIndex = 0; agentIndex < Agents.Length; agentIndex++)
        {
            var agent = Agents[agentIndex];
            var number = 0;
            foreach (var template in agent.Templates)
            {
                for (var row = 0; row < template.Rows.Length; row++)
                {
                    number++;
                    var frame = template.Frames[row % template.Frames.Length];
                    var metadata = new JsonObject
                    {
                        ["source"] = SourceOf(template.Type),
                        ["topic"] = template.Topic,
                        // A plausible chat session number, spread over the agent's history but fixed per memory.
                        ["session"] = 1 + ((number * 7) + (agentIndex * 11)) % 48,
                    };
                    memories.Add(new MemoryWrite(
                        MemoryId: string.Create(CultureInfo.InvariantCulture, $"{agent.IdPrefix}-{number:D4}"),
                        Content: string.Format(CultureInfo.InvariantCulture, frame, template.Rows[row]),
                        MemoryType: template.Type,
                        Importance: Math.Round(Math.Clamp(template.Importance + Spread[row % Spread.Length], 0, 1), 2),
                        MetadataJson: metadata.ToJsonString(),
                        Embedding: null,
                        AgentId: agent.Id));
                }
            }
        }

        return memories;
    }

    /// <summary>Writes <see cref="Generate"/> as JSON Lines: one object per memory, snake_case keys, metadata as an object.</summary>
    public static void WriteJsonl(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var memory in Generate())
        {
            var line = new JsonObject
            {
                ["memory_id"] = memory.MemoryId,
                ["agent_id"] = memory.AgentId,
                ["content"] = memory.Content,
                ["memory_type"] = memory.MemoryType,
                ["importance"] = memory.Importance,
                ["metadata"] = JsonNode.Parse(memory.MetadataJson ?? "{}"),
            };
            writer.Write(line.ToJsonString(LineOptions));
            // JSON Lines separates records with '\n' on every platform.
            writer.Write('\n');
        }
    }

    private static string SourceOf(string memoryType) => memoryType switch
    {
        MemoryTypes.Episodic => "chat",
        MemoryTypes.Semantic => "profile",
        MemoryTypes.Procedural => "playbook",
        _ => "task",
    };

    /// <summary>Varies importance within a template; the first row (and so every single-row fact) keeps the base value.</summary>
    private static readonly double[] Spread = [0, 0.06, -0.04, 0.09, -0.07, 0.03, -0.1, 0.05];

    // The file is read by the import command and by people, never embedded in HTML: keep apostrophes as they are.
    private static readonly JsonSerializerOptions LineOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Agent[] Agents = [Travel(), Coding(), Fitness(), Family(), Support()];

    private sealed record Agent(string Id, string IdPrefix, Template[] Templates);

    /// <summary>One memory per row: the row's values fill the frame's {0}, {1}, ...; frames take turns row by row.</summary>
    private sealed record Template(string Type, double Importance, string Topic, string[] Frames, string[][] Rows);

    private static Template Fact(string type, double importance, string topic, string content) =>
        new(type, importance, topic, ["{0}"], [[content]]);

    private static Template Sentences(string type, double importance, string topic, params string[] sentences) =>
        new(type, importance, topic, ["{0}"], [.. sentences.Select(sentence => new[] { sentence })]);

    /// <summary>
    /// Rows for slots that combine freely: row k takes entry k of each list, wrapping around the shorter ones; the first
    /// list must be at least <paramref name="count"/> long, so that no two rows are equal.
    /// </summary>
    private static string[][] Combine(int count, params string[][] lists) =>
        [.. Enumerable.Range(0, count).Select(k => lists.Select(list => list[k % list.Length]).ToArray())];

    private static Agent Travel() => new(TravelAgent, "demo-travel",
    [
        Fact(MemoryTypes.Episodic, 0.95, "flights",
            "The user is booked on an overnight flight from Boston Logan to Lisbon on Thursday 14 May 2026, leaving at "
            + "21:35 and landing at 09:05 the next morning; the booking reference is in the trip folder."),
        Fact(MemoryTypes.Semantic, 0.9, "flights",
            "The user always wants an aisle seat on flights longer than two hours, because they like to get up and "
            + "stretch; a window seat is fine on short hops."),
        Fact(MemoryTypes.Semantic, 0.7, "hotels",
            "The user prefers small boutique hotels within walking distance of the old town over large chain hotels, "
            + "and needs a room with a proper desk for remote work."),
        Fact(MemoryTypes.Semantic, 0.65, "documents",
            "The user's passport expires in August 2027 and they have TSA PreCheck through Global Entry."),
        Fact(MemoryTypes.Semantic, 0.55, "loyalty",
            "The user collects miles with United MileagePlus and wants every Star Alliance flight credited there."),
        Fact(MemoryTypes.Working, 0.6, "hotels",
            "Still looking for a hotel in the Alfama or Chiado district for 15-21 May, with a budget of about 180 euros "
            + "a night."),
        Fact(MemoryTypes.Procedural, 0.75, "planning",
            "Thirty days before any international trip, remind the user to tell their bank, download offline maps and "
            + "check the entry rules for a US passport."),
        new(MemoryTypes.Episodic, 0.55, "trips",
            [
                "The user spent {2} in {0}, staying in {1}, and said the highlight was {3}.",
                "On the trip to {0} ({2}) the user stayed in {1} and still talks about {3}.",
            ],
            [
                ["Kyoto", "a ryokan in Gion", "five nights in April 2023", "the early-morning walk through the Fushimi Inari gates"],
                ["Mexico City", "Roma Norte", "a long weekend in November 2023", "a street-food tour in Coyoacan"],
                ["Edinburgh", "the Old Town", "four nights during the August festival", "a late-night comedy show at the Fringe"],
                ["Vancouver", "Kitsilano", "a week in July 2024", "cycling the Stanley Park seawall"],
                ["Barcelona", "El Born", "six nights in September 2022", "the rooftop tour of the Sagrada Familia"],
                ["Reykjavik", "the harbour district", "three nights in February 2024", "seeing the northern lights on a small-group tour"],
                ["Montreal", "the Plateau", "a weekend in October 2024", "bagels from a wood-fired oven at two in the morning"],
                ["Copenhagen", "Norrebro", "five nights in June 2023", "swimming in the harbour baths"],
            ]),
        new(MemoryTypes.Episodic, 0.45, "trips",
            ["During the {0} trip {1}. Since then {2}."],
            [
                ["Kyoto", "the user's suitcase arrived two days late", "they pack a change of clothes in their carry-on"],
                ["Mexico City", "the user got a stomach bug, probably from ice in a drink", "they ask for drinks without ice"],
                ["Barcelona", "a pickpocket took the user's phone on the metro", "they keep their phone in a zipped front pocket"],
                ["Reykjavik", "a storm cancelled the Golden Circle tour", "they book winter excursions only with free cancellation"],
                ["Copenhagen", "the hotel was overbooked and moved the user to a sister property", "they reconfirm hotels 48 hours before arrival"],
                ["Vancouver", "the rental car had a flat tyre on the Sea-to-Sky Highway", "they add roadside assistance to every car rental"],
            ]),
        Sentences(MemoryTypes.Semantic, 0.6, "preferences",
            "The user avoids red-eye flights on short trips, but accepts an overnight flight across the Atlantic because it saves a day.",
            "The user likes a free afternoon on the day they arrive and never wants a tour booked before 2 pm on the first day.",
            "In cities the user prefers walking and public transport to taxis, and buys a multi-day transit pass when there is one.",
            "The user travels with carry-on luggage only for trips of up to five nights and checks a bag for anything longer.",
            "The user's partner Jordan is a nervous flyer, so the family books direct flights even when they cost more.",
            "The user enjoys food markets and cooking classes and usually books one cooking class per trip.",
            "The user dislikes all-inclusive resorts and big cruise ships, and would rather stay in small towns and guesthouses.",
            "The user wants travel insurance that covers hiking and sports injuries, since most holidays include a few long walks."),
        Sentences(MemoryTypes.Procedural, 0.6, "planning",
            "To book European rail tickets for the user, compare the national operator's site with Trainline, take a flexible fare when the trip is more than a month away, and save the PDF ticket in the shared travel folder.",
            "When an EU flight arrives more than three hours late, file an EU261 compensation claim with the airline first and go to the national enforcement body only after eight weeks without an answer.",
            "For every hotel booking, choose a rate with free cancellation, copy the confirmation number into the trip note and put the check-in time in the user's calendar.",
            "When the user lands abroad, send a short message with the local eSIM options and the cheapest way from the airport to the hotel.",
            "For trips with Jordan and the kids, book two connecting rooms or a two-bedroom apartment rather than one family room.",
            "To choose restaurants, shortlist three places within a 15-minute walk of the hotel, check they have good vegetarian dishes for Jordan, and reserve the first evening in advance."),
        new(MemoryTypes.Working, 0.35, "tasks",
            ["Open task: {0}.", "The user asked me to {0}."],
            [
                ["compare day trips to Sintra and to Cascais for the Saturday of the spring holiday"],
                ["find a fado evening near the hotel that starts before 10 pm"],
                ["check whether the user's phone plan includes roaming in the EU"],
                ["collect train times from Boston to New York for the wedding on 27 June"],
                ["look for a cabin near Acadia National Park for the family's long weekend in August"],
                ["find the earliest Global Entry renewal interview at Logan airport"],
            ]),
        new(MemoryTypes.Episodic, 0.25, "conversations",
            ["{0} the user asked about {1} and decided {2}."],
            [
                ["In March", "weekend ideas within a three-hour drive of Boston", "to try the Berkshires in the autumn"],
                ["Last spring", "Japan Rail passes", "to skip the pass and buy single tickets, since the pass price went up"],
                ["During the January planning session", "a Christmas market trip to Vienna", "to wait until the kids are older"],
                ["Two weeks ago", "vaccinations for a possible trip to Peru", "to see the travel clinic before booking anything"],
                ["In early February", "where to watch the total solar eclipse of August 2026 in Spain", "that Zaragoza looks best"],
                ["Last month", "whether business class is worth it with miles", "to keep the miles for family economy tickets"],
            ]),
        Sentences(MemoryTypes.Semantic, 0.5, "loyalty",
            "The user has Gold status with Marriott Bonvoy, which usually gets them a late checkout at 2 pm.",
            "Jordan's passport was renewed in January 2025, and both children's passports are valid until 2028.",
            "The user pays for travel with a card that has no foreign transaction fees and includes trip-delay insurance.",
            "The family flies from Boston Logan; Providence is worth it only when fares are at least 150 dollars cheaper each.",
            "The user gets seasick on small boats, so whale watching and ferries need a large vessel or a seasickness tablet."),
        new(MemoryTypes.Semantic, 0.3, "wishlist",
            [
                "The user would love to visit {0} one day, ideally in {1}, mainly for {2}.",
                "On the user's travel wishlist: {0} in {1}, for {2}.",
            ],
            [
                ["Patagonia", "the southern summer", "the hiking around Torres del Paine"],
                ["Hokkaido", "February", "the snow festival in Sapporo"],
                ["Sicily", "late spring", "the food and the Greek temples at Agrigento"],
                ["Vietnam", "March", "a slow journey from Hanoi down to Hoi An"],
                ["Norway", "June", "the fjords and the midnight sun"],
                ["New Zealand", "a future sabbatical", "a campervan loop of the South Island"],
                ["Morocco", "October", "the riads of Fes and a night in the desert"],
                ["Quebec City", "the winter", "the carnival, with the kids"],
            ]),
        new(MemoryTypes.Episodic, 0.4, "hotels",
            ["The user rated {0} in {1} {2} out of 5: {3}."],
            [
                ["the family-run guesthouse", "Copenhagen", "4", "a great breakfast but thin walls"],
                ["the ryokan", "Kyoto", "5", "the best sleep of the trip and an unforgettable kaiseki dinner"],
                ["the design hotel", "Mexico City", "3", "stylish rooms, but the bar downstairs was loud until 2 am"],
                ["the apartment", "Barcelona", "4", "a perfect location, although the lift was broken for two days"],
                ["the airport hotel", "Reykjavik", "2", "overpriced and far from everything"],
                ["the bed and breakfast", "Edinburgh", "5", "a host who drew them a walking map of the closes"],
            ]),
        new(MemoryTypes.Semantic, 0.35, "tips",
            ["Saved tip for {0}: {1}."],
            [
                ["Tokyo", "a Suica card on the phone works on every train and in most convenience stores"],
                ["Rome", "book the Vatican Museums for the first entry slot on a weekday"],
                ["Paris", "many museums close on Mondays or Tuesdays, so check before planning a day"],
                ["New York", "the Staten Island ferry is free and gives the best cheap view of the skyline"],
                ["Amsterdam", "cyclists have right of way, so never stand in the red bike lanes"],
                ["Istanbul", "the museum pass skips the ticket queues at the big archaeology museums"],
            ]),
    ]);

    private static Agent Coding() => new(CodingAgent, "demo-code",
    [
        Fact(MemoryTypes.Semantic, 0.9, "ledgerly",
            "Ledgerly, the user's personal finance side project, is a Python 3.12 REST API built with FastAPI, "
            + "SQLAlchemy 2.0 and PostgreSQL, deployed to Fly.io in a Docker container."),
        Fact(MemoryTypes.Semantic, 0.8, "work",
            "At work the user writes Go microservices for a logistics company; the team uses gRPC, Kubernetes on GKE "
            + "and GitHub Actions."),
        Fact(MemoryTypes.Semantic, 0.7, "preferences",
            "The user wants code examples with type hints, small functions and tests, and dislikes answers that "
            + "rewrite a whole file for a one-line fix."),
        Fact(MemoryTypes.Procedural, 0.75, "ledgerly",
            "To run Ledgerly locally: start the database with docker compose up db, run alembic upgrade head, then "
            + "start uvicorn app.main:app --reload on port 8000."),
        Fact(MemoryTypes.Working, 0.6, "ledgerly",
            "Currently adding GitHub sign-in to Ledgerly: the OAuth callback works, but refresh tokens are not stored "
            + "yet."),
        Fact(MemoryTypes.Semantic, 0.55, "setup",
            "The user codes in Neovim with the LazyVim configuration on a 2023 MacBook Pro, and uses fish as their shell."),
        new(MemoryTypes.Episodic, 0.55, "debugging",
            ["{0} the user and I tracked down {1}; the cause was {2}."],
            [
                ["In February", "a slow dashboard endpoint in Ledgerly", "an N+1 query, fixed with selectinload on the transactions relationship"],
                ["Last autumn", "a flaky Go test in the routing service", "an assumption about map iteration order, fixed by sorting the keys"],
                ["In January", "duplicate webhook deliveries", "a missing idempotency key, which now lives in a unique column"],
                ["Two weeks ago", "a memory leak in a worker", "an unbounded in-process cache, replaced by an LRU of 10,000 entries"],
                ["In March", "wrong totals in the monthly report", "naive datetimes, fixed by storing every timestamp as timestamptz in UTC"],
                ["Last week", "a CI job that took 25 minutes", "the lack of a dependency cache, fixed with actions/cache for pip and Go modules"],
                ["In December", "502 errors right after deploys", "the health check passing before migrations had finished"],
            ]),
        Sentences(MemoryTypes.Semantic, 0.6, "preferences",
            "The user lints and formats Python with Ruff and wants it to run as a pre-commit hook.",
            "In Go the user reaches for the standard library first, net/http and database/sql, unless a dependency saves real work.",
            "The user chooses PostgreSQL for almost everything and uses Redis only for caching and rate limits.",
            "The user likes pull requests under 400 lines and writes commit messages in the imperative mood.",
            "For reporting queries the user distrusts ORMs and writes plain SQL with named parameters.",
            "The user wants explanations to lead with the answer and give the reasoning afterwards.",
            "The user is learning Rust in the evenings and is working through the Rustlings exercises.",
            "The user writes table-driven tests in Go and parametrized tests with pytest in Python."),
        Sentences(MemoryTypes.Procedural, 0.65, "howto",
            "To release Ledgerly, bump the version in pyproject.toml, tag the commit as vX.Y.Z and push the tag; the GitHub Actions workflow builds and deploys the image.",
            "When the user pastes a stack trace, find the first frame in their own code and ask for that file before guessing at a fix.",
            "To add a column to Ledgerly's database, write an Alembic migration with a server default, deploy it, and only then ship the code that reads the column.",
            "To profile a slow Python endpoint, record it with py-spy for thirty seconds and read the flame graph before changing any code.",
            "At the user's job, a new endpoint needs its protobuf change approved by the platform team before anyone writes the handler.",
            "To debug a crashing Kubernetes pod, read the events in kubectl describe, then the previous container's logs with kubectl logs --previous.",
            "Before suggesting a new dependency, check its licence: the user's employer does not allow AGPL code in its services."),
        new(MemoryTypes.Working, 0.4, "tasks",
            ["Open task: {0}.", "The user asked me to {0}."],
            [
                ["write tests for Ledgerly's CSV import, including files that start with a byte-order mark"],
                ["review the pull request that moves the routing service to Go 1.23"],
                ["draft a design note on rate limiting the public API to 100 requests per minute per key"],
                ["find out why mypy reports an incompatible type in the budgets module"],
                ["prepare a short talk on structured logging for the team's Friday demo"],
                ["compare Celery and Dramatiq for Ledgerly's background jobs"],
            ]),
        new(MemoryTypes.Episodic, 0.35, "learning",
            ["{0} we spent a session on {1}, and the user wants to {2}."],
            [
                ["Last Monday", "async generators in Python", "use them in the bank-sync worker"],
                ["In April", "lifetimes in Rust", "do more exercises before starting a real Rust project"],
                ["On Saturday", "window functions in PostgreSQL", "build the running-balance report with them"],
                ["Recently", "generics in Go", "try them in the retry helper at work"],
                ["Yesterday", "typed mappings in SQLAlchemy 2.0", "move the remaining models to the new style"],
                ["A month ago", "multi-stage Docker builds", "get the Ledgerly image below 150 MB"],
            ]),
        new(MemoryTypes.Semantic, 0.5, "ledgerly",
            ["In Ledgerly, the {0} module {1}."],
            [
                ["budgets", "owns the monthly spending limits and emails an alert when spending passes 90 percent"],
                ["imports", "parses bank CSV and OFX files and drops duplicate transactions by date, amount and description"],
                ["auth", "issues access tokens that last 15 minutes and keeps refresh tokens in an HTTP-only cookie"],
                ["reports", "builds the monthly summary in plain SQL and caches it in Redis for an hour"],
                ["categories", "guesses a transaction's category from earlier choices and lets the user correct it"],
                ["notifications", "sends email through Postmark; push notifications are planned for later"],
            ]),
        new(MemoryTypes.Semantic, 0.45, "work",
            ["At the user's job, the {0} service {1}."],
            [
                ["routing", "plans delivery routes and is the most latency-sensitive service, with a p99 budget of 200 ms"],
                ["tracking", "ingests drivers' GPS positions from Kafka at about 5,000 messages a second"],
                ["billing", "belongs to another team and must not be changed without their review"],
                ["dispatch", "is the oldest one, still on Go 1.19, and the user wants to upgrade it this quarter"],
            ]),
        new(MemoryTypes.Episodic, 0.6, "decisions",
            ["{0} the user decided {1}, because {2}."],
            [
                ["In January", "to host Ledgerly on Fly.io rather than AWS", "the free allowance covers a hobby project"],
                ["Last summer", "to drop GraphQL from Ledgerly", "the only client is their own web app"],
                ["In March", "to build Ledgerly's front end with HTMX instead of React", "they want less JavaScript to maintain"],
                ["Last month", "to store money as integer cents", "floating-point rounding had broken a report"],
                ["In November", "to stop self-hosting Sentry", "every upgrade took a whole weekend"],
                ["In May", "to move the bank-sync worker into its own process", "slow banks were blocking web requests"],
            ]),
        Sentences(MemoryTypes.Procedural, 0.5, "gotchas",
            "On the user's Apple silicon Mac, Docker images for Fly.io must be built with --platform linux/amd64, or the deploy fails with an exec format error.",
            "The work VPN blocks port 5432, so reaching the staging database needs an SSH tunnel through the bastion host.",
            "Ledgerly's test suite needs TEST_DATABASE_URL to be set; without it pytest quietly skips every database test.",
            "The user's GitHub SSH key has a passphrase, so scripts that push or pull need ssh-agent running first.",
            "The pre-commit hooks in the work repository run golangci-lint, which takes about a minute with a cold cache."),
        new(MemoryTypes.Episodic, 0.3, "reviews",
            ["Reviewing {0}, the user {1}."],
            [
                ["a teammate's caching pull request", "asked for a TTL on every key and a metric for the hit rate"],
                ["the Ledgerly CSV importer", "caught that negative amounts were being parsed as positive"],
                ["the on-call runbook", "rewrote the paging section so it fits on one screen"],
                ["a Terraform change to the staging cluster", "noticed that it would recreate the database"],
                ["an intern's first Go service", "suggested a context timeout on every outgoing call"],
                ["the new logging middleware", "asked for request ids to be passed on to downstream services"],
            ]),
    ]);

    private static Agent Fitness() => new(FitnessAgent, "demo-fitness",
    [
        Fact(MemoryTypes.Semantic, 1.0, "health",
            "The user is severely allergic to peanuts and carries an epinephrine auto-injector, so nothing they eat may "
            + "contain peanuts or peanut oil."),
        Fact(MemoryTypes.Semantic, 0.9, "health",
            "The user hurt their right knee while training for a half marathon in 2024; the physiotherapist diagnosed "
            + "patellar tendinopathy, so no downhill running or deep lunges for now."),
        Fact(MemoryTypes.Semantic, 0.75, "goals",
            "The user's goals for 2026 are a 10K in under 50 minutes and a deadlift of one and a half times their body weight."),
        Fact(MemoryTypes.Semantic, 0.6, "profile",
            "The user is 41, weighs about 78 kg, is 178 cm tall and sits at a desk for most of the working day."),
        Fact(MemoryTypes.Procedural, 0.7, "coaching",
            "Every session starts with ten minutes on the bike or rower, followed by glute bridges and banded side steps."),
        Fact(MemoryTypes.Working, 0.5, "plan",
            "This week's plan: three runs (an easy 5 km, intervals, and a flat 10 km long run), two strength sessions "
            + "and one yoga class."),
        Fact(MemoryTypes.Semantic, 0.6, "sleep",
            "The user sleeps badly after late workouts, so sessions should finish before 7:30 pm."),
        new(MemoryTypes.Episodic, 0.3, "workouts",
            ["On {0} the user logged {1} and {2}.", "Workout log for {0}: {1}; the user {2}."],
            Combine(10,
                ["3 March", "5 March", "8 March", "11 March", "14 March", "17 March", "20 March", "24 March", "27 March", "30 March"],
                [
                    "a 6 km easy run at 6:05 per km",
                    "5 x 800 m intervals at 4:40 per km",
                    "trap-bar deadlifts of 3 x 5 at 100 kg",
                    "a 45-minute vinyasa yoga class",
                    "a 30 km bike ride along the river",
                    "a 10 km long run on the Minuteman trail",
                    "a 45-minute indoor cycling class",
                    "pull-ups and dumbbell rows with a 15-minute core circuit",
                    "a 40-minute tempo run with 20 minutes at 5:05 per km",
                    "a 2,000 m rowing test in 7:58",
                ],
                [
                    "rated the effort 6 out of 10",
                    "said it felt easier than the same session a month ago",
                    "felt flat after only five hours of sleep",
                    "asked for something harder next week",
                    "had to stop early for a work call",
                ])),
        Sentences(MemoryTypes.Semantic, 0.55, "nutrition",
            "The user eats a high-protein breakfast, usually Greek yogurt with oats and berries, and aims for 140 g of protein a day.",
            "The user drinks two coffees before noon and none after, because later caffeine keeps them awake.",
            "The user prefers whole-food snacks such as apples, hummus with carrots and boiled eggs to protein bars.",
            "Before a long run the user needs a carbohydrate-rich dinner the evening before, such as pasta or a rice bowl.",
            "The user does not count calories but is happy to log protein in the app.",
            "On busy workdays the user tends to skip lunch, which shows up as low energy in evening sessions.",
            "The user's favourite meal after a workout is a chicken and rice bowl with roasted vegetables."),
        Sentences(MemoryTypes.Procedural, 0.65, "coaching",
            "After every run, ask the user to rate any knee pain from 0 to 10; at 4 or more, swap the next run for cycling.",
            "Add 2.5 kg to a lift only when the user finishes every set with two reps still in reserve.",
            "Every fourth week is a deload week, with about 40 percent less volume.",
            "When the user misses a session, move it only if there are 48 hours before the next hard session; otherwise drop it.",
            "Prescribe interval pace by feel first and compare with the watch afterwards, because the user starts the first rep too fast.",
            "Send the weekly plan every Sunday at 6 pm as a short table of day, session and duration.",
            "If the user mentions chest pain, dizziness or an allergic reaction, stop giving training advice and tell them to get medical help at once."),
        new(MemoryTypes.Episodic, 0.45, "check-ins",
            ["{0} the user reported {1}, so {2}."],
            [
                ["In the January check-in", "sleeping only six hours a night", "the hard sessions moved to weekend mornings"],
                ["Last week", "feeling stronger on climbs", "I added one gentle uphill session on the treadmill"],
                ["At the end of February", "a resting heart rate down from 62 to 57", "the aerobic base phase got two more weeks"],
                ["In March", "a cold that lasted five days", "the plan paused and restarted at 70 percent of the volume"],
                ["On Monday", "a work trip to Chicago", "the week switched to hotel-gym workouts"],
                ["After the 5K race in April", "a finishing time of 24:10", "we set the 10K target pace at 4:55 per km"],
                ["In October", "losing motivation in the dark evenings", "they joined a weekly run with a local club"],
            ]),
        new(MemoryTypes.Working, 0.35, "tasks",
            ["Open task: {0}.", "The user asked me to {0}."],
            [
                ["find a flat 10K race near Boston in late September"],
                ["build a 20-minute hotel-room workout that needs no equipment"],
                ["check whether the new running shoes suit a neutral gait"],
                ["plan a week of meals with at least 140 g of protein a day"],
                ["suggest an evening stretching routine for days full of meetings"],
                ["book the next physiotherapy check-up for early June"],
                ["compare chest heart-rate straps that pair with a Garmin Forerunner 265"],
            ]),
        new(MemoryTypes.Semantic, 0.5, "progress",
            ["As of {0}, the user's {1} is {2}."],
            [
                ["January 2026", "best 5K time", "25:40"],
                ["February 2026", "three-rep maximum on the trap-bar deadlift", "110 kg"],
                ["March 2026", "resting heart rate", "57 beats per minute"],
                ["March 2026", "longest plank hold", "2 minutes 15 seconds"],
                ["January 2026", "VO2 max estimate on the Garmin", "46"],
            ]),
        Sentences(MemoryTypes.Semantic, 0.4, "equipment",
            "The user runs in Brooks Ghost shoes and replaces them every 700 km.",
            "The user's home gym has a trap bar, adjustable dumbbells up to 32 kg, a bench and a pull-up bar.",
            "The user is a member of the YMCA on Huntington Avenue, which opens at 5:30 am.",
            "The user wears a Garmin Forerunner 265 and syncs every activity to Strava.",
            "The user's favourite running route is the loop along the Charles River between the Longfellow and Harvard bridges."),
        Sentences(MemoryTypes.Episodic, 0.55, "health",
            "At the annual physical in February the user's cholesterol was slightly high; the doctor suggested more fibre and a new test in six months.",
            "In March the physiotherapist cleared the user for flat runs up to 10 km, but not yet for trail races.",
            "The user had a flu shot in October at the pharmacy near their office.",
            "In December the allergist renewed the prescription for the auto-injector; the new pens expire in November 2026.",
            "The user's dentist recommended a night guard, because they grind their teeth when stressed."),
        new(MemoryTypes.Semantic, 0.4, "likes",
            ["For {0}, the user enjoys {1} but dislikes {2}."],
            [
                ["upper-body strength", "pull-ups and dumbbell rows", "the bench press"],
                ["conditioning", "rowing intervals", "burpees"],
                ["mobility", "the hip openers from yoga", "long static stretching sessions"],
                ["core work", "dead bugs and side planks", "sit-ups"],
                ["cross-training", "cycling along the river", "swimming laps"],
                ["leg strength", "step-ups and hip thrusts", "the leg extension machine"],
            ]),
    ]);

    private static Agent Family() => new(FamilyAgent, "demo-family",
    [
        Fact(MemoryTypes.Semantic, 0.9, "pets",
            "The user's cat is named Miso: a shy grey tabby, adopted from a shelter in 2021, who hides under the bed "
            + "when visitors come."),
        Fact(MemoryTypes.Semantic, 0.9, "kids",
            "Nora, the user's nine-year-old daughter, has piano lessons with Mrs. Alvarez every Tuesday at 4:30 pm and "
            + "practises for twenty minutes after dinner."),
        Fact(MemoryTypes.Semantic, 0.8, "kids",
            "The user's son Theo is six and plays soccer on Saturday mornings at 9 am at Ringer Park."),
        Fact(MemoryTypes.Semantic, 0.75, "family",
            "The user's partner Jordan is a vegetarian and works night shifts as a nurse every other week."),
        Fact(MemoryTypes.Procedural, 0.7, "household",
            "Trash goes out on Wednesday night; recycling is collected every other week, in the odd-numbered weeks."),
        Fact(MemoryTypes.Working, 0.6, "events",
            "Planning Nora's tenth birthday on 6 June: a sleepover for five friends and a chocolate cake from the bakery "
            + "on Centre Street."),
        Fact(MemoryTypes.Semantic, 0.6, "family",
            "The family lives in a two-storey house in Brighton, Boston, a five-minute walk from the kids' school, Oak "
            + "Square Elementary."),
        new(MemoryTypes.Episodic, 0.5, "events",
            ["{0} {1}; {2}."],
            [
                ["Last Saturday", "Theo scored his first goal of the season", "the family celebrated with pizza at home"],
                ["In March", "Nora played a Clementi sonatina at the spring recital", "Jordan recorded it for the grandparents"],
                ["Two weeks ago", "the cat had her yearly check-up", "the vet said she should lose about half a kilo"],
                ["Over the February break", "the family visited Jordan's parents in Portland, Maine", "the kids want to go back for the lighthouse tour"],
                ["In January", "a frozen pipe flooded the basement", "the insurance claim number is in the house folder"],
                ["Last month", "Theo lost his first tooth", "the tooth fairy pays two dollars in this house"],
                ["On Sunday", "the family baked bread together", "Nora wants to try cinnamon rolls next"],
            ]),
        Sentences(MemoryTypes.Procedural, 0.6, "household",
            "Screen time is set in the Family Link app: one hour on school days, two hours at weekends, and nothing after 7:30 pm.",
            "When Priya the babysitter comes, leave the emergency sheet on the fridge and write the Wi-Fi password on the whiteboard.",
            "The litter box is scooped every morning and the litter is changed completely on Sundays.",
            "To get the weekly groceries, finish the shared list in the store's app on Thursday evening so the delivery arrives Friday after 5 pm.",
            "Nora takes a packed lunch on Mondays and Thursdays; Theo has school lunch every day.",
            "When the school announces a closure, check Jordan's shift calendar first, then ask Grandma Ruth, and only then book the babysitter.",
            "The thermostat is set to 68 F in the day and 62 F at night; change it in the Nest app, not on the wall unit."),
        Sentences(MemoryTypes.Semantic, 0.55, "family",
            "Nora is reading the Wings of Fire series and wants the next book for her birthday.",
            "Theo is afraid of the dark and sleeps with a rocket-shaped night-light.",
            "Grandma Ruth, the user's mother, lives twenty minutes away in Newton and can babysit on Wednesdays.",
            "Jordan's birthday is 12 September, and they would rather have an experience, such as concert tickets, than a gift.",
            "The children's pediatrician is Dr. Okafor at the Brighton clinic, and check-ups are booked every August.",
            "The family car is a Honda CR-V, and its state inspection is due in July.",
            "Theo's best friend is Sami from next door; the two families take turns with school pick-up on Fridays."),
        new(MemoryTypes.Working, 0.4, "tasks",
            ["Open task: {0}.", "The user asked me to {0}."],
            [
                ["find a summer day camp with swimming for Theo for the weeks of 6 and 13 July"],
                ["book a plumber to fix the dripping kitchen tap"],
                ["order new school shoes for Nora in size 3"],
                ["renew the library cards before the summer reading challenge starts"],
                ["find someone to feed the cat while the family is away in May"],
                ["compare quotes for replacing the back fence"],
                ["register Theo for the autumn soccer season before sign-ups close on 15 August"],
            ]),
        Sentences(MemoryTypes.Episodic, 0.45, "school",
            "At the October parent-teacher meeting, Nora's teacher said she reads well above her grade level but rushes her maths.",
            "Theo's class goes to the aquarium on 22 May; the permission slip was signed and handed in.",
            "The school says picture day is 9 October, and Nora wants to wear her green dress.",
            "In February Theo brought home a note about head lice in his class; everyone was checked and was clear.",
            "Nora joined the school chess club, which meets at lunchtime on Thursdays."),
        new(MemoryTypes.Semantic, 0.5, "house",
            ["The {0} {1}."],
            [
                ["spare house key", "is in the lockbox by the back door, and only Grandma Ruth and Priya know the code"],
                ["Wi-Fi router", "sits in the hall closet and restarts itself every Sunday at 3 am"],
                ["main water shut-off valve", "is in the basement behind the furnace"],
                ["fuse box", "is in the basement next to the washing machine, with every circuit labelled"],
                ["family calendar", "is shared in Google Calendar, with one colour per person"],
                ["booster seat for Theo", "moves between the CR-V and Grandma Ruth's car"],
            ]),
        new(MemoryTypes.Semantic, 0.45, "meals",
            ["{0} dinner is usually {1}.", "The family's usual {0} dinner is {1}."],
            [
                ["Monday", "a vegetarian pasta bake, since Jordan is home"],
                ["Tuesday", "something quick, like quesadillas, because the evening is busy"],
                ["Wednesday", "soup with grilled cheese sandwiches"],
                ["Friday", "homemade pizza, with each person choosing a topping"],
                ["Sunday", "a big tray of roasted vegetables, with chicken on the side"],
            ]),
        new(MemoryTypes.Episodic, 0.35, "conversations",
            ["{0} the user asked me {1}, and {2}."],
            [
                ["Yesterday", "for ideas for a rainy Sunday", "they chose the Museum of Science"],
                ["In April", "how to split chores fairly between the kids", "we set up a sticker chart with weekly rewards"],
                ["Last week", "to draft a note to Theo's teacher about his reading", "they sent it on Monday"],
                ["In early March", "how to choose a summer camp", "they ruled out anything with a bus ride longer than 30 minutes"],
                ["On Friday", "for a quick dinner from what was in the fridge", "they made a vegetable frittata"],
                ["In January", "to plan a budget for home repairs", "they set aside 3,000 dollars for the year"],
            ]),
        Sentences(MemoryTypes.Procedural, 0.55, "routines",
            "On school days the kids get up at 6:45, have breakfast at 7:10 and leave for school at 7:50.",
            "Theo goes to bed at 7:45 pm after two stories; Nora may read on her own until 8:30 pm.",
            "After Jordan's night shifts the house stays quiet until noon, so outings with the kids are planned for the morning.",
            "When a child has a fever, follow the dosing sheet on the fridge, write down the time of each dose, and call the pediatrician if it lasts more than two days.",
            "Pocket money is five dollars a week for Nora and three for Theo, paid on Sundays."),
        new(MemoryTypes.Semantic, 0.35, "favourites",
            ["{0}'s favourite {1} is {2}."],
            [
                ["Nora", "food", "sushi, especially cucumber rolls"],
                ["Theo", "toy", "his marble run, which takes over the living room"],
                ["Jordan", "weekend activity", "hiking in the Blue Hills"],
                ["Nora", "board game", "Ticket to Ride"],
                ["Theo", "bedtime book", "The Day the Crayons Quit"],
                ["Grandma Ruth", "flower", "the peony, so peonies are the Mother's Day present"],
            ]),
    ]);

    private static Agent Support() => new(SupportAgent, "demo-support",
    [
        Fact(MemoryTypes.Semantic, 0.85, "policy",
            "Brightline Fiber's refund policy: new customers who cancel within 30 days get a full refund; after that, "
            + "the last month is prorated and the router must be returned."),
        Fact(MemoryTypes.Procedural, 0.8, "procedures",
            "To reboot a customer's router remotely, confirm the account PIN, open the device in the admin console, "
            + "choose Reboot, and wait five minutes before asking the customer to test again."),
        Fact(MemoryTypes.Semantic, 0.7, "plans",
            "Brightline Fiber sells three plans, all with unlimited data: Basic at 300 Mbps for 45 dollars a month, "
            + "Plus at 1 Gbps for 65 dollars, and Max at 2 Gbps for 90 dollars."),
        Fact(MemoryTypes.Semantic, 0.6, "outages",
            "The outage status page is status.brightline.example, and it is updated every 15 minutes during an incident."),
        Fact(MemoryTypes.Working, 0.7, "escalations",
            "Open escalation: customer C-20417 in Cambridge has had packet loss every evening since 2 May; a technician "
            + "visit is booked for Thursday between 8 am and noon."),
        Fact(MemoryTypes.Procedural, 0.75, "procedures",
            "Escalate to tier 2 when the same fault is reported three times in 30 days, or when a business customer has "
            + "been offline for more than two hours."),
        new(MemoryTypes.Episodic, 0.45, "tickets",
            ["Customer {0} {1}; {2}."],
            [
                ["C-18832 in Somerville", "reported weak Wi-Fi upstairs", "a mesh extender solved it and the ticket was closed"],
                ["C-19120 in Quincy", "was charged twice in March", "billing refunded 65 dollars within three days"],
                ["C-19544 in Medford", "could not log in to the customer portal", "the account email had a typo, corrected after an ID check"],
                ["C-20011 in Newton", "wanted to pause service during four months abroad", "we set up a seasonal hold at 10 dollars a month"],
                ["C-20190 in Malden", "complained that an installer left cable on the lawn", "the field team apologised and tidied up the next day"],
                ["C-20333 in Waltham", "asked to move service to a new address", "the transfer was scheduled with no new installation fee"],
                ["C-20388 in Brookline", "had no connection after a power cut", "power-cycling the fibre terminal brought the line back"],
                ["C-20402 in Arlington", "asked whether a games console needs a static IP", "we showed them port forwarding in the app instead"],
            ]),
        Sentences(MemoryTypes.Procedural, 0.65, "procedures",
            "To verify a caller, ask for the account PIN; if they forgot it, send a one-time code to the email address on file, never to a new address.",
            "Agents may credit a disputed bill of under 100 dollars directly; larger disputes need a billing review ticket.",
            "For slow-speed complaints, ask for a wired test at speedtest.brightline.example before troubleshooting Wi-Fi.",
            "When a customer asks to cancel, offer the retention discount of 15 dollars off for six months once, and accept a no without pushing.",
            "To book a technician, check the area calendar, offer the two earliest slots and send the SMS confirmation with the four-hour window.",
            "Close a ticket only when the customer confirms the fix, or after three days without a reply and a final follow-up email.",
            "When an outage is likely, check the status page and the network map before troubleshooting the customer's own equipment."),
        Sentences(MemoryTypes.Semantic, 0.55, "product",
            "The standard router is the Brightline Hub 6, a Wi-Fi 6 device; the Hub 6E comes only with the Max plan.",
            "Customer-owned routers in bridge mode are not supported on the Basic plan.",
            "A static IP address costs 10 dollars a month and is available on the Plus and Max plans.",
            "Installation is free with a contract of 12 months or longer; otherwise it costs 99 dollars.",
            "The Brightline app lists connected devices, can pause Wi-Fi for the kids and runs speed tests.",
            "Fibre service covers most of the Boston metro area, except parts of Revere and Chelsea.",
            "Customers over 65 or on SNAP can get the Connect discount of 20 dollars a month once they are verified."),
        new(MemoryTypes.Working, 0.5, "queue",
            ["Open task: {0}.", "Follow-up needed: {0}."],
            [
                ["call C-19877 back on Monday about the refund for the missed installation appointment"],
                ["check whether the replacement router for C-20290 has been delivered"],
                ["update the FAQ answer about static IPs with the new price"],
                ["confirm with the field team that Tuesday's Medford outage is fully resolved"],
                ["send the support lead the weekly summary of the top complaint categories"],
                ["review the three tickets that quality assurance flagged for tone"],
            ]),
        new(MemoryTypes.Episodic, 0.6, "incidents",
            ["{0} {1} affected about {2} customers; {3}."],
            [
                ["On 14 April", "a fibre cut in Medford", "1,200", "service was restored after six hours"],
                ["On 2 March", "a faulty firmware update for Hub 6 routers", "4,000", "the update was rolled back overnight"],
                ["On 19 January", "an ice storm", "7,500", "crews restored most areas within a day"],
                ["On 8 May", "a DNS failure", "20,000", "websites could not be reached by name for 40 minutes"],
                ["On 27 February", "a billing error that sent duplicate invoices", "900", "every duplicate was voided automatically"],
            ]),
        new(MemoryTypes.Semantic, 0.5, "customers",
            ["Customer {0} {1}."],
            [
                ["C-17740", "is deaf and prefers chat or email, never phone calls"],
                ["C-18003", "runs a home bakery and takes card payments over the connection, so an outage is urgent for them"],
                ["C-18561", "speaks Spanish at home; offer the Spanish-speaking team first"],
                ["C-19002", "is a small law office on the Max plan with a static IP and a four-hour repair guarantee"],
                ["C-19655", "has complained twice about evening slowdowns and may be about to cancel"],
                ["C-20500", "prefers appointments after 3 pm because they work early shifts"],
            ]),
        Sentences(MemoryTypes.Episodic, 0.4, "feedback",
            "In the April review the support lead asked agents to stop writing 'as per our policy' in emails.",
            "Chat satisfaction was 4.6 out of 5 in March, up from 4.3 in February.",
            "A customer praised Marisol by name for fixing a port-forwarding problem in a single call.",
            "The March training covered how to explain the difference between Wi-Fi speed and line speed.",
            "Last week the average first reply to emails took nine hours, because of the backlog from the DNS failure."),
        new(MemoryTypes.Semantic, 0.5, "faq",
            ["When customers ask {0}, the answer is {1}."],
            [
                ["whether there is a data cap", "no: every plan has unlimited data"],
                ["how long an installation takes", "usually two to three hours, and an adult must be at home"],
                ["whether they keep their email address after cancelling", "yes, for 90 days"],
                ["why their bill went up", "most often that a 12-month promotional discount has ended"],
                ["how to change the Wi-Fi password", "to open the Brightline app and go to Network, then Wi-Fi settings"],
                ["whether the router can go in a cabinet", "that it can, but the signal drops, so an open shelf is better"],
            ]),
        new(MemoryTypes.Procedural, 0.45, "macros",
            ["The {0} macro is for when {1}; it {2}."],
            [
                ["Outage Apology", "a confirmed outage lasted more than four hours", "offers a credit of one day's service per hour down, up to a week"],
                ["Welcome Call", "a new customer's installation is complete", "walks through the app and the first bill"],
                ["Moving Soon", "a customer mentions a move", "links the transfer form and the availability checker"],
                ["Speed Check", "a customer reports slow speeds", "lists the steps of the wired speed test"],
                ["Payment Failed", "an autopay charge bounces", "explains the five-day grace period before a late fee"],
                ["Router Return", "a customer cancels", "includes the prepaid return label and the 30-day deadline"],
            ]),
    ]);
}
