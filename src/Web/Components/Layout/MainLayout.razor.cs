namespace NovaCron.Web.Components.Layout;

public sealed partial class MainLayout
{
    private bool _drawerOpen = true;

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;
}
