using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Projects;
using Xunit;

namespace NovaCron.Domain.Tests.Projects;

public sealed class DescriptionTests
{
    private static readonly string TooLong = new('x', Description.MaxLength + 1);

    [Fact]
    public void CreateProject_DescriptionOverTheLimit_RefusedNamingTheLimit()
    {
        var created = Project.Create("big", TooLong, Quota.Unlimited, DateTimeOffset.UnixEpoch);

        Assert.Equal(("project.description", ErrorKind.Validation), (created.Error?.Code, created.Error?.Kind));
        Assert.Contains($"at most {Description.MaxLength} characters", created.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_ExistingProjectWithTooLongText_RefusedAndKeepsTheOldDescription()
    {
        var project = Project.Create("kept", "  the old one  ", Quota.Unlimited, DateTimeOffset.UnixEpoch).Value!;

        var described = project.Describe(TooLong);

        Assert.False(described.IsSuccess);
        Assert.Equal("the old one", project.Description);
    }

    [Fact]
    public void CreateEnrollmentToken_DescriptionOverTheLimit_RefusedWithAReadableCode()
    {
        var created = Nodes.EnrollmentToken.Create(TooLong, true, DateTimeOffset.UnixEpoch.AddHours(1), "admin", DateTimeOffset.UnixEpoch);

        Assert.Equal("enrollment-token.description", created.Error?.Code);
        Assert.StartsWith("An enrollment token description", created.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateCustomRole_DescriptionOverTheLimit_Refused()
    {
        var created = Role.CreateCustom("wordy", TooLong, [Permissions.VmRead]);

        Assert.Equal("role.description", created.Error?.Code);
    }
}
