using Microsoft.AspNetCore.Components;
using MudBlazor;
using NovaCron.Domain.Vms;
using NovaCron.Web.Components.Vms;
using NovaCron.Web.Features.Vms.Queries;
using NovaCron.Web.Realtime;

namespace NovaCron.Web.Components.Pages;

/// <summary>The VM list with its actions and the create dialog. New VMs appear, states change and deleted VMs leave the
/// list as the feed reports them.</summary>
public sealed partial class VmsPage
{
    private readonly Dictionary<Guid, VmView> _vms = [];

    [Inject]
    public required VmQueries Queries { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    private IEnumerable<VmView> Rows => _vms.Values.OrderBy(v => v.Name, StringComparer.Ordinal).ThenBy(v => v.ProjectName, StringComparer.Ordinal);

    protected override async Task LoadAsync()
    {
        var page = await Queries.ListAsync(new VmFilter(Limit: VmFilter.MaxLimit), Access, CancellationToken.None);
        _vms.Clear();
        if (!page.IsSuccess)
        {
            Snackbar.Add(page.Error!.Message, Severity.Error);
            return;
        }

        foreach (var vm in page.Value!.Items)
        {
            _vms[vm.Id] = vm;
        }
    }

    protected override bool Apply(ClusterEvent change) => change switch
    {
        VmChanged { Vm: var vm } when vm.State == VmState.Deleted => _vms.Remove(vm.Id),
        VmChanged { Vm: var vm } => Upsert(vm),
        _ => false,
    };

    private bool Upsert(VmView vm)
    {
        _vms[vm.Id] = vm;
        return true;
    }

    private async Task OpenCreateAsync()
    {
        var dialog = await Dialogs.ShowAsync<CreateVmDialog>("Create VM", new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: VmView created })
        {
            Snackbar.Add($"VM '{created.Name}' is being created.", Severity.Success);
        }
    }
}
