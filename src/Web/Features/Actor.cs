namespace NovaCron.Web.Features;

/// <summary>Who asked for a change and from where; recorded on every operation.</summary>
public sealed record Actor(string Name, string Source)
{
    public override string ToString() => $"{Name} ({Source})";
}
