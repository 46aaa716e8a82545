using System.Xml.Linq;

namespace NovaCron.Domain.Tests.Architecture;

/// <summary>DESIGN.md §1: Domain references nothing; Infrastructure → Domain; Web → Domain, Infrastructure;
/// NodeAgent → Domain only and carries no EF Core, Hangfire or ML.NET onto hosts.</summary>
public sealed class ProjectReferenceRulesTests
{
    public static TheoryData<string, string[]> AllowedReferences => new()
    {
        { "Domain", [] },
        { "Infrastructure", ["Domain"] },
        { "Web", ["Domain", "Infrastructure"] },
        { "NodeAgent", ["Domain"] },
    };

    [Theory]
    [MemberData(nameof(AllowedReferences))]
    public void ProjectReferences_OfSourceProject_AreExactlyTheAllowedOnes(string project, string[] allowed)
    {
        var references = ProjectReferences(project);

        Assert.Equal(allowed.Order(StringComparer.Ordinal), references.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Domain_HasNoPackageReferences()
    {
        Assert.Empty(PackageReferences("Domain"));
    }

    [Theory]
    [InlineData("Microsoft.EntityFrameworkCore")]
    [InlineData("Hangfire")]
    [InlineData("Microsoft.ML")]
    [InlineData("Npgsql")]
    public void NodeAgent_DoesNotReferenceControlPlanePackages(string forbiddenPrefix)
    {
        Assert.DoesNotContain(PackageReferences("NodeAgent"), p => p.StartsWith(forbiddenPrefix, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void DomainAssembly_ReferencesOnlyTheRuntime()
    {
        var referenced = typeof(NovaCron.Domain.Vms.VirtualMachine).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.All(referenced, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal) || name == "netstandard", $"Domain references {name}"));
    }

    private static IEnumerable<string> ProjectReferences(string project) =>
        Load(project).Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')));

    private static IEnumerable<string> PackageReferences(string project) =>
        Load(project).Descendants("PackageReference").Select(e => e.Attribute("Include")!.Value);

    private static XDocument Load(string project) => XDocument.Load(Path.Combine(RepositoryRoot(), "src", project, $"{project}.csproj"));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NovaCron.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("NovaCron.sln not found above the test output folder.");
    }
}
