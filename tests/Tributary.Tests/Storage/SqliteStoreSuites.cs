namespace Tributary.Tests.Storage;

// Every role suite of the ledger on SQLite: each test gets a file of its own.

/// <summary><see cref="CursorStoreComplianceTests"/> on SQLite.</summary>
public sealed class SqliteCursorStoreTests() : CursorStoreComplianceTests(new SqliteStoreHarness());

/// <summary><see cref="DeliveredStateStoreComplianceTests"/> on SQLite.</summary>
public sealed class SqliteDeliveredStateStoreTests() : DeliveredStateStoreComplianceTests(new SqliteStoreHarness());

/// <summary><see cref="RuleStateStoreComplianceTests"/> on SQLite.</summary>
public sealed class SqliteRuleStateStoreTests() : RuleStateStoreComplianceTests(new SqliteStoreHarness());

/// <summary><see cref="OutboxStoreComplianceTests"/> on SQLite.</summary>
public sealed class SqliteOutboxStoreTests() : OutboxStoreComplianceTests(new SqliteStoreHarness());

/// <summary><see cref="LaneStoreComplianceTests"/> on SQLite.</summary>
public sealed class SqliteLaneStoreTests() : LaneStoreComplianceTests(new SqliteStoreHarness());

/// <summary><see cref="SentOnceLedgerComplianceTests"/> on SQLite.</summary>
public sealed class SqliteSentOnceLedgerTests() : SentOnceLedgerComplianceTests(new SqliteStoreHarness());

/// <summary><see cref="InboxStoreComplianceTests"/> on SQLite.</summary>
public sealed class SqliteInboxStoreTests() : InboxStoreComplianceTests(new SqliteStoreHarness());

/// <summary><see cref="OrderHistoryStoreComplianceTests"/> on SQLite.</summary>
public sealed class SqliteOrderHistoryStoreTests() : OrderHistoryStoreComplianceTests(new SqliteStoreHarness());

/// <summary><see cref="ConsentLedgerComplianceTests"/> on SQLite.</summary>
public sealed class SqliteConsentLedgerTests() : ConsentLedgerComplianceTests(new SqliteStoreHarness());

/// <summary><see cref="ErasureStoreComplianceTests"/> on SQLite.</summary>
public sealed class SqliteErasureStoreTests() : ErasureStoreComplianceTests(new SqliteStoreHarness());
