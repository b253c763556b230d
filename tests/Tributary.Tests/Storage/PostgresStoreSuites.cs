using Tributary.Tests.Support;

namespace Tributary.Tests.Storage;

// Every role suite of the ledger on PostgreSQL: each test gets an installation schema of its own in one shared database.

/// <summary><see cref="CursorStoreComplianceTests"/> on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCursorStoreTests(PostgresCluster cluster) : CursorStoreComplianceTests(new PostgresStoreHarness(cluster, PostgresStoreHarness.Database));

/// <summary><see cref="DeliveredStateStoreComplianceTests"/> on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDeliveredStateStoreTests(PostgresCluster cluster) : DeliveredStateStoreComplianceTests(new PostgresStoreHarness(cluster, PostgresStoreHarness.Database));

/// <summary><see cref="RuleStateStoreComplianceTests"/> on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRuleStateStoreTests(PostgresCluster cluster) : RuleStateStoreComplianceTests(new PostgresStoreHarness(cluster, PostgresStoreHarness.Database));

/// <summary><see cref="OutboxStoreComplianceTests"/> on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOutboxStoreTests(PostgresCluster cluster) : OutboxStoreComplianceTests(new PostgresStoreHarness(cluster, PostgresStoreHarness.Database));

/// <summary><see cref="LaneStoreComplianceTests"/> on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresLaneStoreTests(PostgresCluster cluster) : LaneStoreComplianceTests(new PostgresStoreHarness(cluster, PostgresStoreHarness.Database));

/// <summary><see cref="SentOnceLedgerComplianceTests"/> on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSentOnceLedgerTests(PostgresCluster cluster) : SentOnceLedgerComplianceTests(new PostgresStoreHarness(cluster, PostgresStoreHarness.Database));

/// <summary><see cref="InboxStoreComplianceTests"/> on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresInboxStoreTests(PostgresCluster cluster) : InboxStoreComplianceTests(new PostgresStoreHarness(cluster, PostgresStoreHarness.Database));

/// <summary><see cref="OrderHistoryStoreComplianceTests"/> on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOrderHistoryStoreTests(PostgresCluster cluster) : OrderHistoryStoreComplianceTests(new PostgresStoreHarness(cluster, PostgresStoreHarness.Database));

/// <summary><see cref="ConsentLedgerComplianceTests"/> on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresConsentLedgerTests(PostgresCluster cluster) : ConsentLedgerComplianceTests(new PostgresStoreHarness(cluster, PostgresStoreHarness.Database));

/// <summary><see cref="ErasureStoreComplianceTests"/> on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresErasureStoreTests(PostgresCluster cluster) : ErasureStoreComplianceTests(new PostgresStoreHarness(cluster, PostgresStoreHarness.Database));
