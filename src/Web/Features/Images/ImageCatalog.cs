using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NovaCron.Domain.Common;
using NovaCron.Domain.Images;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Configuration;

namespace NovaCron.Web.Features.Images;

/// <summary>An image as the UI and the API show it.</summary>
public sealed record ImageView(Guid Id, string Name, ImageKind Kind, string Format, string Path, bool IsDefault, DateTimeOffset CreatedAt)
{
    public static ImageView From(Image image) => new(image.Id.Value, image.Name, image.Kind, image.Format, image.Path, image.IsDefault, image.CreatedAt);
}

/// <summary>Registers a user-supplied disk image that the nodes can read at <see cref="Path"/>.</summary>
public sealed record RegisterImageRequest(string Name, string Path, string? Format = null);

/// <summary>Boot images: the prepared test guest and user-supplied qcow2 or raw disks.</summary>
public sealed partial class ImageCatalog(IDbContextFactory<NovaCronDbContext> dbFactory, IOptions<NovaCronOptions> options, Audit.AuditLog audit, TimeProvider clock, ILogger<ImageCatalog> logger)
{
    public const string TestGuestName = "novacron-test-guest";


    public async Task<IReadOnlyList<ImageView>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var images = await db.Images.AsNoTracking().ToListAsync(cancellationToken);
        return [.. images.OrderBy(i => i.Name, StringComparer.Ordinal).Select(ImageView.From)];
    }

    public async Task<Result<ImageView>> RegisterAsync(RegisterImageRequest request, Actor actor, CancellationToken cancellationToken)
    {
        var result = await RegisterCoreAsync(request, actor, cancellationToken);
        if (!result.IsSuccess)
        {
            await audit.RecordRefusalAsync(actor, "image.register", "image", null, request.Name, null, result.Error!, cancellationToken);
        }

        return result;
    }

    private async Task<Result<ImageView>> RegisterCoreAsync(RegisterImageRequest request, Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.Access.Can(Domain.Identity.Permissions.ImageManage))
        {
            return Error.MissingPermission(Domain.Identity.Permissions.ImageManage, "to register images");
        }

        var file = ImageFiles.Check(request.Path, request.Format, ImageRoots());
        if (!file.IsSuccess)
        {
            return file.Error!;
        }

        var format = file.Value!.Format;
        // Stored as the canonical absolute path the checks resolved (no "..", no doubled separators).
        var registered = Image.RegisterDisk(request.Name, Path.GetFullPath(request.Path), format, clock.GetUtcNow());
        if (!registered.IsSuccess)
        {
            return registered.Error!;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Images.AnyAsync(i => i.Name == request.Name, cancellationToken))
        {
            return Error.Conflict("image.name-taken", $"An image named '{request.Name}' already exists.");
        }

        db.Images.Add(registered.Value!);
        await audit.RecordAsync(db, actor, "image.register", "image", registered.Value!.Id.ToString(), request.Name, null, Domain.Audit.AuditResult.Succeeded,
            $"{format} at {request.Path}", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return ImageView.From(registered.Value!);
    }

    /// <summary>Whether a VM disk of <paramref name="diskGiB"/> may be made as an overlay on <paramref name="image"/>. A
    /// disk image's file is checked again exactly as at registration, since it may have been replaced since (by a link
    /// to a host file, say), and the disk must hold the image's whole virtual size: an overlay is never smaller than
    /// its image, so a smaller recorded size would give the guest more disk than quota and placement count.</summary>
    public Result CheckCanBackDisk(Image image, long diskGiB)
    {
        if (image.Kind != ImageKind.Disk)
        {
            return Result.Success();
        }

        var file = ImageFiles.Check(image.Path, image.Format, ImageRoots());
        if (!file.IsSuccess)
        {
            return file.Error! with { Message = $"Image '{image.Name}' no longer passes the checks it was registered with: {file.Error.Message}" };
        }

        var imageGiB = file.Value!.VirtualSizeGiB;
        return diskGiB >= imageGiB
            ? Result.Success()
            : Error.Validation(
                "vm.disk-smaller-than-image",
                $"Image '{image.Name}' has a virtual size of {imageGiB} GiB, more than the {diskGiB} GiB disk asked for; the disk must be at least {imageGiB} GiB (diskGiB {imageGiB} or more).");
    }

    /// <summary>Registers (or refreshes) the test guest prepared under the data directory as the default image.</summary>
    public async Task RegisterTestGuestAsync(CancellationToken cancellationToken)
    {
        var dir = System.IO.Path.Combine(options.Value.DataDirectory, "images", TestGuestName);
        var kernel = System.IO.Path.Combine(dir, "vmlinuz");
        var initrd = System.IO.Path.Combine(dir, "initrd.img");
        var cmdlineFile = System.IO.Path.Combine(dir, "cmdline");
        if (!File.Exists(kernel) || !File.Exists(initrd))
        {
            LogNoTestGuest(logger, dir);
            return;
        }

        var cmdline = File.Exists(cmdlineFile) ? (await File.ReadAllTextAsync(cmdlineFile, cancellationToken)).Trim() : "console=ttyS0 panic=-1";
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var image = await db.Images.SingleOrDefaultAsync(i => i.Name == TestGuestName, cancellationToken);
        if (image is null)
        {
            image = Image.RegisterKernel(TestGuestName, kernel, initrd, cmdline, clock.GetUtcNow()).Value!;
            db.Images.Add(image);
        }
        else
        {
            image.UpdateKernel(kernel, initrd, cmdline);
        }

        if (!await db.Images.AnyAsync(i => i.IsDefault && i.Name != TestGuestName, cancellationToken))
        {
            image.MarkDefault(true);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Folders images may be registered from: the data directory's <c>images</c> folder and any configured in
    /// <c>NovaCron:ImageDirectories</c>. Nothing else on the host can be handed to a guest as a disk.</summary>
    public IReadOnlyList<string> ImageRoots() =>
        [System.IO.Path.Combine(options.Value.DataDirectory, "images"), .. options.Value.ImageDirectories];

    [LoggerMessage(Level = LogLevel.Warning, Message = "No test guest image in {Directory}; run scripts/prepare-guest-image.sh to prepare it")]
    private static partial void LogNoTestGuest(ILogger logger, string directory);
}
