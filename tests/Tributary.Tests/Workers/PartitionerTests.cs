using Tributary.Workers;

namespace Tributary.Tests.Workers;

[Unit]
public sealed class PartitionerTests
{
    [Fact]
    public void PartitionOf_SameKey_SamePartitionEveryTime()
    {
        Partitioner.PartitionOf("customer-42", 16).ShouldBe(Partitioner.PartitionOf("customer-42", 16));
        // FNV-1a is fixed: processes and versions agree (a randomised string hash would split one key over two queues).
        Partitioner.PartitionOf("a", 16).ShouldBe((int)(0xE40C292Cu % 16));
    }

    [Fact]
    public void PartitionOf_ManyKeys_SpreadOverAllPartitions()
    {
        var counts = Enumerable.Range(0, 16_000).GroupBy(i => Partitioner.PartitionOf($"cust-{i}", 16)).ToDictionary(g => g.Key, g => g.Count());
        counts.Count.ShouldBe(16);
        counts.Values.ShouldAllBe(c => c > 800 && c < 1200);
    }

    [Theory]
    [InlineData(16, 1)]
    [InlineData(16, 3)]
    [InlineData(6, 4)]
    public void Owned_AnyMemberCount_EveryPartitionOwnedExactlyOnce(int partitions, int members)
    {
        var owned = Enumerable.Range(0, members).SelectMany(rank => Partitioner.Owned(partitions, members, rank)).ToList();
        owned.Order().ShouldBe(Enumerable.Range(0, partitions));
        var shares = Enumerable.Range(0, members).Select(rank => Partitioner.Owned(partitions, members, rank).Count).ToList();
        (shares.Max() - shares.Min()).ShouldBeLessThanOrEqualTo(1);
    }
}
