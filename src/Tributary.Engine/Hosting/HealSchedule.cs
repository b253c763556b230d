using System.Globalization;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Engine.Hosting;

/// <summary>
/// When each entity was last healed (read in full), kept in the state store beside the sweep cursors, so a restart neither
/// heals again an entity healed an hour ago nor forgets one that fell due while the service was down. Each entity falls due
/// on its own: one added to the config later heals at once, without re-reading the others.
/// </summary>
public sealed class HealSchedule
{
    private readonly ICursorStore _store;
    private readonly string _cursorSource;
    private readonly TimeSpan _interval;

    /// <summary>Creates the schedule of the pipeline reading <paramref name="source"/>.</summary>
    public HealSchedule(ICursorStore store, string source, TimeSpan interval)
    {
        _store = store;
        _cursorSource = CursorSource(source);
        _interval = interval;
    }

    /// <summary>The cursor source under which the heal times of <paramref name="source"/> are stored.</summary>
    public static string CursorSource(string source) => $"heal:{source}";

    /// <summary>The entities whose last heal is an interval or more before <paramref name="now"/> (or that never healed).</summary>
    public async Task<IReadOnlyList<EntityKind>> DueAsync(IEnumerable<EntityKind> entities, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = new List<EntityKind>();
        foreach (var entity in entities)
        {
            if (await LastHealAsync(entity, cancellationToken) is not { } last || now - last >= _interval)
            {
                due.Add(entity);
            }
        }

        return due;
    }

    /// <summary>When <paramref name="entity"/> was last healed; null if never (or the stored time is unreadable).</summary>
    public async Task<DateTimeOffset?> LastHealAsync(EntityKind entity, CancellationToken cancellationToken) =>
        await _store.GetCursorAsync(_cursorSource, entity, cancellationToken) is { } stored
        && DateTimeOffset.TryParse(stored, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? at
            : null;

    /// <summary>Records that <paramref name="healed"/> were read in full by a pass that started at <paramref name="at"/>.</summary>
    public async Task RecordAsync(IEnumerable<EntityKind> healed, DateTimeOffset at, CancellationToken cancellationToken)
    {
        foreach (var entity in healed)
        {
            await _store.SetCursorAsync(_cursorSource, entity, at.ToString("O", CultureInfo.InvariantCulture), cancellationToken);
        }
    }
}
